"""Atlas steps: one per country with an estimate in an edition, and the index of them all.

A country step reads the country table, the map outlines and their manifest,
the code that draws a snapshot and this environment; it draws the country in a
worker process of the executor and publishes ``results/atlas/<ISO3>/`` whole,
with ``record.json`` inside. The index step comes after the countries (even if
some failed) and lists every country whose folder is complete and current.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from ..atlas.country import PAGE, choose, draw_in_worker, estimates, start_worker
from ..build.fingerprints import code_digest, environment, files_digest, sha256_of
from ..build.step import RECORD_FORMAT, Context, Step, why_stale
from ..paths import ProjectPaths
from .data import KEY as DATA

#: The library's code that draws an atlas country.
CODE = ("atlas/", "figures/", "analyses/", "data/", "runs/outputs.py", "steps/atlas.py")
RECORD = "record.json"


def atlas_folder(paths: ProjectPaths, edition: int, latest: int) -> Path:
    """``results/atlas`` for the latest edition, ``results/atlas-<edition>`` for another."""
    return paths.results / ("atlas" if edition == latest else f"atlas-{edition}")


def atlas_steps(paths: ProjectPaths, edition: int | None = None, countries: list[str] | None = None
                ) -> tuple[list[Step], Path]:
    """The steps of the atlas of GSI ``edition`` (default: the latest) for ``countries`` (default: all),
    then its index; and the atlas's folder. Needs an up-to-date ``data/processed/``.

    Raises :class:`~analysis.errors.ParameterError` for an edition or a code that has no estimate.
    """
    from ..analyses.countries import require_country
    from ..analyses.snapshot import snapshot_editions
    from ..data.processed import read_processed

    long = read_processed("gsi_country_edition.csv", paths)
    editions = list(snapshot_editions(long))
    edition = editions[-1] if edition is None else edition
    if countries and edition in editions:  # codes in any case, names and aliases, checked in one place
        countries = [require_country(long, c, edition) for c in countries]
    rows = estimates(paths, edition)
    chosen = choose(rows, edition, editions, countries)
    folder = atlas_folder(paths, edition, editions[-1])
    common = {"kind": "atlas", "edition": edition,
              "data": files_digest([paths.processed / "gsi_country_edition.csv",
                                    paths.raw / "naturalearth_countries.csv", paths.manifest], paths),
              "code": code_digest(paths, CODE), "environment": environment(), "format": RECORD_FORMAT}

    def country(iso3: str) -> Step:
        def write(staging: Path, context: Context) -> None:
            context.submit(start_worker, (str(paths.root), edition), draw_in_worker, iso3,
                           str(staging / "country"))

        return Step(f"atlas {edition}/{iso3}", "atlas country", f"atlas {iso3}",
                    targets={"country": folder / iso3}, record=f"country/{RECORD}", base=folder / iso3,
                    inputs=lambda: {**common, "country": iso3},
                    write=write, needs=(DATA,), fields={"country": iso3, "edition": edition})

    every = {iso3: country(iso3) for iso3 in sorted(rows)}
    # Countries of the largest regions first: their charts take longest, so the last ones to finish
    # are quick and no core waits idle at the end.
    size = Counter(row["region"] for row in rows.values())
    steps = [every[iso3] for iso3 in sorted(chosen, key=lambda c: (-size[rows[c]["region"]], c))]

    def listed() -> list[str]:
        """The countries whose folder is complete and current."""
        return [iso3 for iso3, step in every.items() if why_stale(step, paths) is None]

    def index_inputs() -> dict:
        return {"countries": {iso3: sha256_of(step.record_path) for iso3, step in every.items()
                              if step.record_path.is_file()},
                "code": code_digest(paths, ("atlas/pages.py", "steps/atlas.py")), "format": RECORD_FORMAT}

    def write_index(staging: Path, context: Context) -> None:
        from ..atomic import write_text
        from ..atlas.pages import index_page
        from ..runs.outputs import load_values

        write_text(staging / PAGE, index_page([load_values(every[c].base) for c in listed()], edition))

    index = Step(f"atlas {edition}/index", "atlas index", f"atlas {edition} index",
                 targets={PAGE: folder / PAGE, "index.json": paths.state / f"atlas-{edition}-index.json"},
                 record="index.json", base=folder, inputs=index_inputs, write=write_index,
                 needs=tuple(s.key for s in steps), after_failures=True, fields={"edition": edition})
    return [*steps, index], folder
