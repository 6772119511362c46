"""The atlas: the country snapshot of every country with an estimate, drawn in parallel.

``python -m analysis atlas`` writes, for each country with a prevalence
estimate in the GSI edition, ``results/atlas/<ISO3>/`` (``results/atlas-2018/``
for GSI 2018): the five figures of the snapshot notebook as PNG (drawn from
:mod:`analysis.snapshot_figures` and encoded by
:func:`~analysis.pipeline.outputs.write_png`, so they are the notebook's PNG
files, byte for byte), its four tables, its key numbers (``values.json``), a
thumbnail, a page (``index.html``) and a record; then ``index.html``, a
sortable, filterable table of every country. The SVG versions of the figures
are written by the notebook runs only: drawing them took as long again as
everything else, and the pages show PNG.

Each country is drawn in a worker process (one per core, with matplotlib's Agg
backend chosen there), into a staging folder that replaces the previous one
only once complete. A worker draws the base of each of a region's charts once
and only each country's overlay on its pixels
(:class:`~analysis.pipeline.drawing.Bases`), which gives the pixels of the
whole figure drawn afresh. Its key numbers are checked against
``data/processed`` as it is built. A country whose record matches today's
inputs (the data files, the library's code and the environment) is not drawn
again, so a second run with nothing changed only checks stamps.
"""

from __future__ import annotations

import csv
import math
import os
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from ..atomic import write_bytes, write_text
from ..errors import AnalysisError, ParameterError
from ..paths import ProjectPaths, project_paths
from .fingerprints import environment, files_digest, library_digest, relative
from .litter import clean_staging, staged
from .lock import build_lock
from .stamps import is_current, make_stamp, outputs_of, read_stamp, write_stamp
from .upstream import ensure_processed

#: Editions the atlas draws (those with the snapshot's vulnerability dimensions and milestones).
EDITIONS = (2018, 2023)
RECORD = "record.json"
PAGE = "index.html"
THUMBNAIL = "thumbnail.png"
#: Width and height (pixels) a thumbnail fits in.
THUMBNAIL_SIZE = (200, 140)
#: Key numbers checked against the row of ``gsi_country_edition.csv``: key -> column.
CHECKED = {"name": "country", "region": "region", "prevalence_per_1000": "prevalence_per_1000",
           "estimated_number": "estimated_number", "population": "population",
           "vulnerability_total": "vulnerability_total", "govt_total_pct": "govt_total_pct"}
TABLE = "gsi_country_edition.csv"


def _input_files(paths: ProjectPaths) -> list[Path]:
    """The data files a country's snapshot reads: the cleaned table, the map outlines and their manifest."""
    return [paths.processed / TABLE, paths.raw / "naturalearth_countries.csv", paths.manifest]


def estimates(paths: ProjectPaths, edition: int) -> dict[str, dict[str, str]]:
    """``{iso3: row}`` of the countries with an estimate in ``edition``, read from ``data/processed``.

    Read with the csv module, not pandas: it lists the countries of a build with
    nothing to do quickly, and checks the key numbers by a second route.
    """
    with open(paths.processed / TABLE, newline="", encoding="utf-8") as handle:
        return {row["iso3"]: row for row in csv.DictReader(handle)
                if row["edition"] == str(edition) and row["has_estimate"] == "True"}


def choose(rows: dict[str, dict[str, str]], edition: int, given: list[str] | None) -> list[str]:
    """The codes to build: every code of ``rows``, or the ``given`` ones (any case) if all are valid.

    Raises :class:`ParameterError` listing the valid codes with their names.
    """
    if edition not in EDITIONS:
        raise ParameterError(f"edition={edition!r} is not available; choose one of {list(EDITIONS)}")
    if not given:
        return sorted(rows)
    codes = [str(c).strip().upper() for c in given]
    wrong = [c for c in codes if c not in rows]
    if wrong:
        valid = ", ".join(f"{c} ({rows[c]['country']})" for c in sorted(rows))
        raise ParameterError(f"{', '.join(wrong)}: no prevalence estimate in GSI {edition} (or not a "
                             f"code); valid choices ({len(rows)}): {valid}")
    return sorted(set(codes))


def common_inputs(paths: ProjectPaths, edition: int) -> dict:
    """What every country of the atlas is drawn from: data files, library code, environment, edition."""
    return {"kind": "atlas", "edition": edition, "data": files_digest(_input_files(paths), paths),
            "library": library_digest(paths), "environment": environment()}


def country_inputs(common: dict, iso3: str) -> dict:
    """The inputs of one country's folder: the common inputs and its code."""
    return {**common, "country": iso3}


def is_built(folder: Path, inputs: dict) -> bool:
    """True when ``folder`` holds a complete country built from ``inputs``."""
    return is_current(read_stamp(folder / RECORD), inputs, folder)


def check_values(values: dict, row: dict[str, str]) -> list[str]:
    """Differences between key numbers (as saved) and their row of ``data/processed``; empty if none."""
    problems = []
    for key, column in CHECKED.items():
        expected, got = row[column], values.get(key)
        if key in ("name", "region"):
            same = got == expected
        elif expected == "":
            same = got is None
        else:
            same = got is not None and math.isclose(float(got), float(expected), rel_tol=1e-12)
        if not same:
            problems.append(f"{key}: values.json has {got!r}, data/processed has {expected!r}")
    return problems


def _focus(fig, box: tuple[float, float, float, float] | None, view: tuple[float, float, float, float]
           ) -> tuple[int, int, int, int] | None:
    """Pixels (left, upper, right, lower) of the map drawn on ``fig`` around ``box`` (degrees), or None.

    The window is the country's box widened to at least 24 by 16 degrees, within
    ``view``; degrees go to the pixels of the drawn figure (the whole figure is
    saved) through the map's axes.
    """
    if box is None:
        return None
    x, y = (box[0] + box[1]) / 2, (box[2] + box[3]) / 2
    half_x, half_y = max((box[1] - box[0]) * 0.8, 12.0), max((box[3] - box[2]) * 0.8, 8.0)
    corners = [(max(x - half_x, view[0]), max(y - half_y, view[2])),
               (min(x + half_x, view[1]), min(y + half_y, view[3]))]
    (x0, y0), (x1, y1) = fig.axes[0].transData.transform(corners)  # pixels, from the bottom
    height = fig.bbox.height
    return round(x0), round(height - y1), round(x1), round(height - y0)


def _thumbnail(pixels, target: Path, crop: tuple[int, int, int, int] | None) -> None:
    """A small PNG of the map's ``pixels`` (RGBA), cut to ``crop`` (pixels) if given, to fit
    :data:`THUMBNAIL_SIZE`."""
    from PIL import Image

    image = Image.fromarray(pixels).convert("RGB")
    if crop is not None:
        image = image.crop((max(crop[0], 0), max(crop[1], 0), min(crop[2], image.width),
                            min(crop[3], image.height)))
    image.thumbnail(THUMBNAIL_SIZE, Image.Resampling.LANCZOS)
    with open(target, "wb") as handle:
        image.save(handle, format="PNG")


def build_country(long, outlines: dict, iso3: str, edition: int, folder: Path, inputs: dict,
                  row: dict[str, str], bases=None) -> Path:
    """Draw and save one country's snapshot into ``folder`` (replaced whole, once complete).

    ``long`` is ``gsi_country_edition.csv`` as a table and ``outlines`` the map
    outlines; ``row`` is the country's row read with :func:`estimates`, which
    its saved key numbers must match (else :class:`AnalysisError`). ``bases``
    (a :class:`~analysis.pipeline.drawing.Bases`) keeps the bases of the
    region's charts drawn for earlier countries; the figures are PNG only.
    """
    import matplotlib.pyplot as plt

    from .. import snapshot_figures
    from ..analyses import snapshot
    from ..data import geography
    from .atlas_html import country_page
    from .drawing import Bases
    from .outputs import RunOutputs, load_values

    own = bases is None
    bases = Bases() if own else bases
    try:
        with staged(folder) as staging:
            out = RunOutputs(staging)
            for name in snapshot_figures.LAYERS:
                layers = snapshot_figures.layers(name, long, iso3, edition, outlines)
                pixels, fig = bases.draw(layers)
                try:
                    out.save_pixels(pixels, name)
                    if name == "map":
                        ax = fig.axes[0]
                        view = (*ax.get_xlim(), *ax.get_ylim())  # snapshot_figures.map_view's
                        crop = _focus(fig, geography.country_box(iso3, outlines, view), view)
                        _thumbnail(pixels, staging / THUMBNAIL, crop)
                finally:
                    if layers.key is None:
                        plt.close(fig)
            tables = snapshot.tables(long, iso3, edition)
            for name, table in tables.items():
                out.save_table(table, name)
            out.save_values(snapshot.key_numbers(long, iso3, edition))
            values = load_values(staging)
            problems = check_values(values, row)
            if problems:
                raise AnalysisError(f"{iso3}: key numbers differ from data/processed: {'; '.join(problems)}")
            write_text(staging / PAGE, country_page(values, list(snapshot_figures.LAYERS), list(tables)))
            files = [p for p in staging.rglob("*") if p.is_file()]
            write_stamp(staging / RECORD, make_stamp(inputs, outputs_of(files, staging), country=iso3,
                                                     edition=edition))
    finally:
        if own:
            bases.close()
    return folder


# --- worker processes --------------------------------------------------------------------------

_WORKER: dict = {}


def _start_worker(root: str, edition: int) -> None:
    """Load what every country needs once per worker; choose the Agg backend (no display here)."""
    import matplotlib

    matplotlib.use("Agg")
    from ..data.geography import country_outlines
    from ..data.processed import read_processed

    from .drawing import Bases

    paths = project_paths(root)
    _WORKER.update(paths=paths, edition=edition, long=read_processed(TABLE, paths),
                   outlines=country_outlines(paths), rows=estimates(paths, edition), bases=Bases())


def _work(iso3: str, inputs: dict) -> tuple[str, float, str | None]:
    """Build ``iso3`` in a worker; return (code, seconds, error message or None)."""
    start = time.perf_counter()
    w = _WORKER
    try:
        build_country(w["long"], w["outlines"], iso3, w["edition"], w["paths"].atlas(w["edition"]) / iso3,
                      inputs, w["rows"][iso3], w["bases"])
    except Exception as exc:  # reported with the country, and the other countries go on
        return iso3, time.perf_counter() - start, f"{type(exc).__name__}: {exc}"
    return iso3, time.perf_counter() - start, None


# --- the build ---------------------------------------------------------------------------------

@dataclass
class AtlasSummary:
    """What a build of the atlas did: codes built, up to date and failed (with why), and its time (s)."""

    edition: int
    folder: Path
    built: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    listed: int = 0
    seconds: float = 0.0

    def line(self, paths: ProjectPaths) -> str:
        """One line for the end of the command's output."""
        return (f"atlas GSI {self.edition}: {len(self.built)} built, {len(self.skipped)} up to date, "
                f"{len(self.failed)} failed, in {self.seconds:.1f} s; {self.listed} countries in "
                f"{relative(self.folder / PAGE, paths)}")


def _draw(todo: list[str], common: dict, paths: ProjectPaths, edition: int, jobs: int,
          summary: AtlasSummary, progress: bool) -> None:
    import multiprocessing

    from tqdm import tqdm

    context = multiprocessing.get_context("spawn")  # a fresh interpreter: no inherited lock or backend
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_start_worker,
                             initargs=(str(paths.root), edition)) as pool:
        futures = [pool.submit(_work, iso3, country_inputs(common, iso3)) for iso3 in todo]
        # The bar is drawn on a terminal only (tqdm's disable=None), so logs hold the summary alone.
        with tqdm(total=len(todo), unit="country", desc=f"atlas GSI {edition}", file=sys.stderr,
                  disable=None if progress else True) as bar:
            for future in as_completed(futures):
                try:
                    iso3, _, error = future.result()
                except BrokenProcessPool as exc:
                    raise AnalysisError(f"a worker process of the atlas died ({exc}); the countries "
                                        "finished so far are kept, run the command again") from None
                if error is None:
                    summary.built.append(iso3)
                else:
                    summary.failed[iso3] = error
                    bar.write(f"failed {iso3}: {error}")
                bar.set_postfix_str(iso3)
                bar.update()
    summary.built.sort()


def _write_index(paths: ProjectPaths, edition: int, rows: dict, common: dict, current: set[str]) -> int:
    """Write ``index.html`` over every country whose folder is complete and current; return how many.

    ``current`` are the countries this build has just found current or built;
    only the others are checked again.
    """
    from .atlas_html import index_page
    from .outputs import load_values

    folder = paths.atlas(edition)
    listed = [load_values(folder / iso3) for iso3 in sorted(rows)
              if iso3 in current or is_built(folder / iso3, country_inputs(common, iso3))]
    text = index_page(listed, edition)
    target = folder / PAGE
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        write_bytes(target, text.encode("utf-8"))
    return len(listed)


def build_atlas(edition: int = 2023, countries: list[str] | None = None, *, jobs: int | None = None,
                force: bool = False, progress: bool = True, paths: ProjectPaths | None = None
                ) -> AtlasSummary:
    """Bring the atlas of GSI ``edition`` up to date for ``countries`` (default: all with an estimate).

    Draws in ``jobs`` worker processes (default: one per core), skipping
    countries whose folder is current unless ``force``; writes ``index.html``;
    raises :class:`AnalysisError` naming the countries that failed, after
    building the others.
    """
    paths = paths or project_paths()
    start = time.perf_counter()
    folder = paths.atlas(edition)
    with build_lock(paths):
        ensure_processed(paths)
        rows = estimates(paths, edition)
        chosen = choose(rows, edition, countries)
        clean_staging(folder)
        common = common_inputs(paths, edition)
        summary = AtlasSummary(edition, folder)
        todo = []
        for iso3 in chosen:
            if not force and is_built(folder / iso3, country_inputs(common, iso3)):
                summary.skipped.append(iso3)
            else:
                todo.append(iso3)
        if todo:
            # Countries of the largest regions first: their charts take longest, so the last
            # countries to finish are quick ones and no core waits idle at the end.
            size = Counter(row["region"] for row in rows.values())
            todo.sort(key=lambda iso3: (-size[rows[iso3]["region"]], iso3))
            _draw(todo, common, paths, edition, jobs or os.cpu_count() or 1, summary, progress)
        summary.listed = _write_index(paths, edition, rows, common, {*summary.skipped, *summary.built})
    summary.seconds = time.perf_counter() - start
    if summary.failed:
        raise AnalysisError(f"{summary.line(paths)}\nfailed: " + "; ".join(
            f"{iso3}: {why}" for iso3, why in sorted(summary.failed.items())))
    return summary
