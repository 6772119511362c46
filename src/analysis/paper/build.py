"""Build the paper: write its numbers, tables and figures from the pipeline, then render.

The paper (``paper/paper.qmd``) types no number itself. :func:`write_inputs` writes

* ``paper/_variables.yml``: every number quoted in the text, read by Quarto's
  ``{{< var name >}}`` shortcode;
* ``paper/_generated/tables/*.md``: the tables, pulled in with ``{{< include >}}``;
* ``paper/_generated/figures/*.png``: copies of the notebooks' figures;

all from ``results/`` and ``data/processed/``; :mod:`analysis.paper.render` then
renders it.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from ..atomic import write_bytes, write_text
from ..data.processed import read_processed
from ..errors import AnalysisError
from ..paths import ProjectPaths, project_paths
from ..pipeline.outputs import load_values
from .formatting import markdown_table
from .buildinfo import write_build_table
from .render import choose_renderer, render_with_pandoc, render_with_quarto
from .tables import (_comparison_table, _nk_editions_table, _outputs_table, _regional_table,
                     _sensitivity_table, _sources_table)
from .variables import paper_variables


FIGURES = {  # figure in the paper -> figure written by a notebook (default run)
    "snapshot_map": "snapshot_PRK_2023_map",
    "snapshot_prevalence": "snapshot_PRK_2023_prevalence",
    "snapshot_number": "snapshot_PRK_2023_number",
    "snapshot_vulnerability": "snapshot_PRK_2023_vulnerability",
    "snapshot_response": "snapshot_PRK_2023_response",
    "comparison_scatter": "comparison_all_2018_2023",
    "sensitivity": "sensitivity_PRK",
}


def write_inputs(paths: ProjectPaths | None = None, renderer: str | None = None) -> None:
    """Write the paper's variables, tables and figures from ``results/`` and ``data/processed/``.

    ``renderer`` (``quarto`` or ``pandoc``; by default the one ``auto`` picks) is
    named in the appendix's table of what built the paper.
    """
    paths = paths or project_paths()
    missing = [f"{stem}.png" for stem in FIGURES.values() if not (paths.figures / f"{stem}.png").exists()]
    if missing:
        raise AnalysisError(f"the paper needs {', '.join(missing)} in results/figures; run "
                            "`python -m analysis notebooks` first")
    long = read_processed("gsi_country_edition.csv", paths)
    out = paths.paper_generated
    for name, stem in FIGURES.items():
        write_bytes(out / "figures" / f"{name}.png", (paths.figures / f"{stem}.png").read_bytes())
    tables = {
        "nk_editions": (_nk_editions_table(long), None, [5, 3, 3, 3]),
        "comparison": (_comparison_table(paths), None, [6, 3, 3, 3]),
        "regional": (_regional_table(long, paths), "lllrrrr", [2, 4, 3, 2, 2, 3, 3]),
        "sensitivity": (_sensitivity_table(load_values("sensitivity_PRK", paths)), "lrrr", [4, 2, 4, 4]),
        "sources": (_sources_table(paths), "llll", [5, 5, 3, 6]),
        "outputs": (_outputs_table(paths), "llll", [6, 2, 5, 6]),
    }
    for name, (frame, align, widths) in tables.items():
        write_text(out / "tables" / f"{name}.md", markdown_table(frame, align, widths))
    write_build_table(paths, renderer or choose_renderer("auto")[0])
    variables = paper_variables(paths)
    write_text(paths.paper / "_variables.yml",
               "# Written by `python -m analysis paper` from results/ and data/processed/. Do not edit.\n"
               + yaml.safe_dump(variables, sort_keys=True, allow_unicode=True))


def build_paper(engine: str = "auto", paths: ProjectPaths | None = None) -> list[Path]:
    """Write the paper's inputs and render it; ``engine`` is ``auto``, ``quarto`` or ``pandoc``.

    ``auto`` uses Quarto when it is on the PATH and pandoc + Typst otherwise, and
    says which it took.
    """
    paths = paths or project_paths()
    renderer, quarto = choose_renderer(engine)
    write_inputs(paths, renderer)
    if renderer == "quarto":
        print(f"rendering with Quarto ({quarto})")
        files = render_with_quarto(paths, quarto)
    else:
        print("Quarto not found: rendering paper.qmd with pandoc (pypandoc-binary) to HTML, "
              "and with pandoc's Typst writer and typst to PDF")
        files = render_with_pandoc(paths)
    for path in files:
        print(f"wrote {path.relative_to(paths.root)}")
    return files

