"""A new notebook of one's own, with the standard first cells (``python -m analysis new NAME``).

The notebook it writes runs as it is, from the command line and in JupyterLab:
a ``parameters`` cell (``country`` and ``edition``, checked by the convention of
:mod:`analysis.runs.parameters`), a cell that loads the cleaned data and opens
the run's output folder, and an example that saves a table, a figure and key
numbers. It is saved stripped, as every tracked notebook is.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..atomic import write_text
from ..errors import ParameterError
from ..paths import ProjectPaths
from .notebooks import discover
from .stripping import notebook_text, strip_notebook

#: What a notebook's name may be: lower-case letters, digits and underscores, starting with a letter.
NAME = re.compile(r"^[a-z][a-z0-9_]*$")

INTRO = """\
# {title}

Run it with `python -m analysis notebooks {name}` (add `-p country ERI` for another country),
or here, with *Run > Run All Cells*. Its figures, tables and key numbers go to a folder of
their own, printed below: `results/runs/{name}/...` from the command line,
`results/interactive/{name}/...` from JupyterLab.

The next cell, tagged `parameters`, holds the parameters and their defaults: the command line
replaces them. A parameter named `country` takes a code or a name (`python -m analysis countries`
lists them) and is checked against the data before the notebook runs."""

PARAMETERS = """\
country = "PRK"  # ISO 3166-1 alpha-3 code or name, e.g. "ERI" for Eritrea
edition = 2023  # GSI edition: 2023, 2018 or 2016"""

LOAD = """\
from analysis.analyses.countries import require_country
from analysis.data.processed import read_processed
from analysis.runs.outputs import run_outputs

# One row per country and edition: prevalence per 1,000 population, counts and population in persons.
long = read_processed("gsi_country_edition.csv")
country = require_country(long, country, edition)
out = run_outputs("{name}", country=country, edition=edition)
print(f"Outputs go to {{out}}/")"""

EXAMPLE_INTRO = """\
## Your analysis

An example to replace: the countries of the region, by prevalence. `out.save_table`,
`out.save_figure` and `out.save_values` write into the run's folder."""

EXAMPLE = """\
import matplotlib.pyplot as plt

edition_rows = long[(long["edition"] == edition) & long["has_estimate"]]
region = edition_rows.loc[edition_rows["iso3"] == country, "region"].iloc[0]
table = (edition_rows[edition_rows["region"] == region]
         .sort_values("prevalence_per_1000", ascending=False)
         [["iso3", "country", "prevalence_per_1000", "estimated_number"]])
out.save_table(table, "region")

fig, ax = plt.subplots(figsize=(6, 1 + 0.22 * len(table)))
colours = ["tab:red" if code == country else "tab:gray" for code in table["iso3"]]
ax.barh(table["country"], table["prevalence_per_1000"], color=colours)
ax.invert_yaxis()
ax.set_xlabel("People in modern slavery per 1,000 population")
ax.set_title(f"{region}, GSI {edition}")
out.save_figure(fig, "region_prevalence")

out.save_values({"country": country, "edition": edition, "region": region,
                 "rank_in_region": int((table["iso3"] == country).argmax()) + 1,
                 "countries_in_region": len(table)})
table.head(10)"""


def new_notebook(name: str, title: str) -> dict:
    """The notebook ``name`` would get (nbformat 4, as JSON data), titled ``title``."""
    import nbformat.v4 as v4

    cells = [v4.new_markdown_cell(INTRO.format(title=title, name=name)),
             v4.new_code_cell(PARAMETERS, metadata={"tags": ["parameters"]}),
             v4.new_code_cell(LOAD.format(name=name)),
             v4.new_markdown_cell(EXAMPLE_INTRO),
             v4.new_code_cell(EXAMPLE)]
    for number, cell in enumerate(cells):
        cell["id"] = f"cell-{number:02d}"
    return strip_notebook(dict(v4.new_notebook(cells=cells)))


def write_new_notebook(paths: ProjectPaths, name: str) -> Path:
    """Write ``notebooks/<NN>_<name>.ipynb`` (``NN`` after the highest number there); return its path.

    Raises :class:`ParameterError` for a name that is not :data:`NAME` or that a notebook has.
    """
    if not NAME.match(name):
        raise ParameterError(f"{name!r} cannot name a notebook: use lower-case letters, digits and "
                             "underscores, starting with a letter (e.g. regional_ranks)")
    existing = discover(paths)
    if name in existing:
        raise ParameterError(f"notebooks/{existing[name].path.name} already has the name {name!r}")
    numbers = [int(m.group(1)) for p in paths.notebooks.glob("*.ipynb")
               if (m := re.match(r"^(\d+)[_-]", p.name))]
    target = paths.notebooks / f"{max(numbers, default=0) + 1:02d}_{name}.ipynb"
    title = name.replace("_", " ").capitalize()
    write_text(target, notebook_text(new_notebook(name, title)))
    return target
