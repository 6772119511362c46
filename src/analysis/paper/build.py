"""Build the paper: write its numbers, tables and figures from the pipeline, then render.

The paper (``paper/paper.qmd``) types no number itself. :func:`write_inputs` writes

* ``paper/_variables.yml``: every number quoted in the text, read by Quarto's
  ``{{< var name >}}`` shortcode;
* ``paper/_generated/tables/*.md``: the tables, pulled in with ``{{< include >}}``;
* ``paper/_generated/figures/*.png``: copies of the notebooks' figures;

all from the runs that :data:`analysis.pipeline.registry.PAPER_RUNS` declares and
from ``data/processed/``; :mod:`analysis.paper.render` then renders it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ..atomic import write_bytes, write_text
from ..errors import AnalysisError
from ..paths import ProjectPaths, project_paths
from ..pipeline.fingerprints import environment, files_digest, library_digest
from ..pipeline.litter import clean_litter
from ..pipeline.lock import build_lock
from ..pipeline.registry import PAPER_COUNTRY, PAPER_FIGURES
from ..pipeline.runner import run_all
from ..pipeline.stamps import is_current, make_stamp, outputs_of, read_stamp, write_stamp
from .render import choose_renderer

STAMP = "paper.json"
#: Formats of the figures copied for the paper: SVG, which both renderers draw as vectors, and PNG.
FIGURE_FORMATS = ("svg", "png")
#: Folders and files under ``paper/`` that the build writes (never inputs of the paper step).
GENERATED = ("_generated", "_output", ".quarto", "_variables.yml")


def write_inputs(runs: dict[str, Path], paths: ProjectPaths | None = None,
                 renderer: str | None = None) -> list[Path]:
    """Write the paper's variables, tables and figures from the ``runs`` folders and ``data/processed/``.

    ``runs`` maps each name of :data:`~analysis.pipeline.registry.PAPER_RUNS` to
    its up-to-date folder; ``renderer`` (``quarto`` or ``pandoc``; by default the
    one ``auto`` picks) is named in the appendix's table of what built the paper.
    Checks every claim of the text first. Returns the files written.
    """
    import yaml

    from .buildinfo import write_build_table
    from .claims import check_claims
    from .facts import gather
    from .formatting import markdown_table
    from .render import SOURCE
    from ..analyses.regional import population_year_test
    from ..data.processed import read_processed
    from .numerals import check_prose
    from .tables import (comparison_table, country_editions_table, population_year_table, rank_table,
                         regional_table, runs_table, scenario_table, sensitivity_table, sources_table)
    from .variables import paper_variables

    paths = paths or project_paths()
    facts = gather(runs, paths)
    text = (paths.paper / SOURCE).read_text(encoding="utf-8")
    check_prose(text, SOURCE)
    check_claims(facts, text)
    out = paths.paper_generated
    written = []
    for name, (run, figure) in PAPER_FIGURES.items():
        for fmt in FIGURE_FORMATS:
            source = runs[run] / "figures" / f"{figure}.{fmt}"
            if not source.exists():
                raise AnalysisError(f"the paper's figure {name} needs {source.relative_to(paths.root)}, "
                                    f"which the {run} run did not write")
            written.append(out / "figures" / f"{name}.{fmt}")
            write_bytes(written[-1], source.read_bytes())
    sums = read_processed("regional_sums.csv", paths)
    tables = {
        "country_editions": (country_editions_table(facts.long, PAPER_COUNTRY), None, [5, 3, 3, 3]),
        "comparison": (comparison_table(runs["comparison"]), None, [6, 3, 3, 3]),
        "regional_counts": (regional_table(facts.regional, "people_in_modern_slavery", sums), "llrrrrrrl",
                            [3, 6, 4, 3, 4, 4, 4, 4, 3]),
        "regional_prevalence": (regional_table(facts.regional, "prevalence_per_1000", sums), "llrrrrrrl",
                                [3, 6, 4, 3, 4, 4, 4, 4, 3]),
        "population_year": (population_year_table(population_year_test(
            facts.long, facts.population, facts.regional)), "lrrlrrrl", [6, 4, 4, 3, 4, 4, 3, 3]),
        "sensitivity": (sensitivity_table(facts.sensitivity), "lrrrr", [4, 2, 4, 4, 4]),
        "rank": (rank_table(facts.sensitivity), "lrrr", [5, 3, 3, 3]),
        "scenarios": (scenario_table(facts.sensitivity), "lrrrr", [6, 3, 3, 3, 3]),
        "sources": (sources_table(paths), "llll", [5, 5, 3, 6]),
        "runs": (runs_table(runs, paths), "lll", [5, 9, 5]),
    }
    for name, (frame, align, widths) in tables.items():
        written.append(out / "tables" / f"{name}.md")
        write_text(written[-1], markdown_table(frame, align, widths))
    written.append(write_build_table(paths, renderer or choose_renderer("auto")[0]))
    variables = paper_variables(facts, paths)
    written.append(paths.paper / "_variables.yml")
    header = "# Written by `python -m analysis paper` from the paper's runs and data/processed/.\n"
    write_text(written[-1], header + yaml.safe_dump(variables, sort_keys=True, allow_unicode=True))
    return written


def paper_inputs(runs: dict[str, Path], quarto: str | None, paths: ProjectPaths) -> dict:
    """Everything the rendered paper depends on: sources, runs, data, library, environment, renderer,
    and the git commit (with whether the tree has changes) that the appendix and the PDF's date show."""
    from .buildinfo import git_state
    sources = [p for p in sorted(paths.paper.rglob("*"))
               if p.is_file() and not set(p.relative_to(paths.paper).parts) & set(GENERATED)]
    return {"paper": files_digest(sources, paths),
            "runs": files_digest([folder / "record.json" for folder in runs.values()], paths),
            "processed": files_digest(sorted(paths.processed.iterdir()), paths),
            "manifest": files_digest([paths.manifest], paths),
            "library": library_digest(paths), "environment": environment(),
            "renderer": {"quarto": quarto} if quarto else {"pandoc": "pypandoc-binary + typst"},
            "git": git_state(paths.root), "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH")}


def _paper_outputs(paths: ProjectPaths) -> list[Path]:
    folders = [paths.paper_generated, paths.paper_output]
    files = [p for folder in folders if folder.is_dir() for p in folder.rglob("*") if p.is_file()]
    return [*files, paths.paper / "_variables.yml"]


def build_paper(engine: str = "auto", paths: ProjectPaths | None = None, *,
                force: bool = False, rerun: bool = False) -> list[Path]:
    """Bring the paper's runs up to date, write the paper's inputs and render it.

    ``engine`` is ``auto``, ``quarto`` or ``pandoc``; ``auto`` uses Quarto when it
    is on the PATH and pandoc + Typst otherwise, and says which it took. When
    nothing the paper depends on has changed since the last render, nothing is
    rendered. ``force`` renders anyway; ``rerun`` also reruns the paper's
    notebooks. Returns the rendered files.
    """
    paths = paths or project_paths()
    with build_lock(paths):
        clean_litter(paths)
        runs = run_all(force=rerun, paths=paths)
        renderer, quarto = choose_renderer(engine)
        inputs = paper_inputs(runs, quarto, paths)
        stamp = read_stamp(paths.state / STAMP)
        rendered = sorted(paths.paper_output.glob("paper.*"))
        if not force and is_current(stamp, inputs, paths.root):
            print("paper: inputs unchanged, not rendered (" + ", ".join(
                str(p.relative_to(paths.root)) for p in rendered) + ")")
            return rendered
        from .render import render_with_pandoc, render_with_quarto

        shutil.rmtree(paths.paper_generated, ignore_errors=True)
        write_inputs(runs, paths, renderer)
        if quarto:
            print(f"rendering with Quarto ({quarto})")
            files = render_with_quarto(paths, quarto)
        else:
            print("Quarto not found: rendering paper.qmd with pandoc (pypandoc-binary) to HTML, "
                  "and with pandoc's Typst writer and typst to PDF")
            files = render_with_pandoc(paths)
        write_stamp(paths.state / STAMP, make_stamp(inputs, outputs_of(_paper_outputs(paths), paths.root),
                                                    step="paper"))
        for path in files:
            print(f"wrote {path.relative_to(paths.root)}")
        return files
