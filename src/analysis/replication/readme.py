"""The texts written with the reference: its own README, and the list of exhibits in the project's README.

The list of exhibits (:func:`exhibits_table`) is generated from ``paper.qmd``,
the paper's declarations and the reference, never typed: each table and figure,
the notebook and parameters (or the program) that make it, its output file and
its digest in the reference. ``python -m analysis reference`` writes it into
``README.md`` between :data:`START` and :data:`END`.
"""

from __future__ import annotations

import json

from ..atomic import write_text
from ..errors import AnalysisError
from ..paths import ProjectPaths
from .declarations import FIGURE_DATA, TABLE_SOURCES, paper_declarations
from .exhibits import paper_exhibits
from .report import TOLERANCES
from .results import Results

START = "<!-- exhibits: written by `python -m analysis reference` from the reference; do not edit -->"
END = "<!-- end of exhibits -->"


def _run_folder(results: Results, notebook: str) -> str:
    return next(("/".join(p.split("/")[:4]) for p in sorted(results.files)
                 if p.startswith(f"results/runs/{notebook}/")), f"results/runs/{notebook}/")


def exhibits_table(paths: ProjectPaths, results: Results) -> str:
    """The list of exhibits as a Markdown table, from ``paper.qmd``, the declarations and ``results``."""
    from ..runs.notebooks import find

    declared = paper_declarations(paths)
    lines = ["| Exhibit | Label | Made by | Notebook run and parameters | Output file | sha256 (reference) |",
             "|---|---|---|---|---|---|"]
    for e in paper_exhibits(paths):
        if e.kind == "Figure":
            run, name = declared.figures[e.name]
            notebook, given = declared.runs[run].notebook, declared.runs[run].given
            output = f"{_run_folder(results, notebook)}/figures/{name}.png"
            made = (f"`notebooks/{find(paths, notebook).path.name}` (data: "
                    + ", ".join(f"`tables/{t}.csv`" for t in FIGURE_DATA.get(e.name, ())) + ")")
        else:
            description, run, _ = TABLE_SOURCES.get(e.name, ("", None, None))
            output = e.generated_file
            made = f"`python -m analysis paper` from {description}"
            notebook, given = (declared.runs[run].notebook, declared.runs[run].given) if run else ("", {})
        params = f"`{notebook}` `{json.dumps(given)}`" if notebook else "none (no notebook)"
        digest = results.files.get(output, "not in the reference")[:16]
        lines.append(f"| {e.title} | `@{e.label}` | {made} | {params} | `{output}` | `{digest}` |")
    return "\n".join(lines)


def update_readme(paths: ProjectPaths, results: Results) -> bool:
    """Write the list of exhibits into ``README.md`` between its markers; False if there is no README."""
    readme = paths.root / "README.md"
    if not readme.is_file():
        return False
    text = readme.read_text(encoding="utf-8")
    start, end = text.find(START), text.find(END)
    if start < 0 or end < start:
        raise AnalysisError(f"README.md has no list of exhibits to update: put the lines {START!r} and "
                            f"{END!r} where it goes")
    block = f"{START}\n{exhibits_table(paths, results)}\n"
    write_text(readme, text[:start] + block + text[end:])
    return True


def readme_block(paths: ProjectPaths) -> str | None:
    """The list of exhibits as ``README.md`` has it now (between the markers), or ``None``."""
    text = (paths.root / "README.md").read_text(encoding="utf-8")
    start, end = text.find(START), text.find(END)
    return text[start + len(START):end].strip("\n") if 0 <= start < end else None


def reference_readme(results: Results, version: str) -> str:
    """The ``README.md`` of ``reference/``: what each file holds, how it was made, the tolerances."""
    software = "\n".join(f"| {k} | {v} |" for k, v in results.environment.items())
    return f"""# Reference results of the compendium, version {version}

Written by `python -m analysis reference` from a clean build in a scratch copy of the project, with
Quarto (the CI configuration). Do not edit these files by hand: write them again, and commit them
with the change that altered a result. `python -m analysis reproduce` (or `make reproduce`) rebuilds
from clean and compares the rebuild with them.

- `files.sha256`: the sha256 of every output: `data/processed`, the paper's run folders (figures,
  tables, key numbers, executed notebooks; not `record.json`, which says where a run ran),
  `paper/_variables.yml`, `paper/_generated/` and `paper/_output/`, in the format of `sha256sum -c`.
- `values.tsv`: every value of the runs' key numbers (`values.json`) and CSV tables, of the paper's
  tables and of its numbers of the text (`_variables.yml`): file, item (row and column, JSON path
  or variable), value as printed.
- `figures/<notebook>/<figure>.txt`: each figure's size, the sha256 of its decoded pixels, and its
  picture as a grid of mean grey levels.
- `paper.txt`: the text of the HTML paper, one heading, paragraph, caption or table row per line.
- `environment.tsv`: the software that built the reference, as the paper's table of software gives it.

Tolerances: {TOLERANCES}

Software of the reference build:

| Software | Version |
|---|---|
{software}
"""
