"""What the paper declares it is built from (``paper/inputs.yml``), and what each exhibit reads.

:func:`paper_declarations` is the only function of the replication stage that
reads the paper's declarations; everything else asks it.
"""

from __future__ import annotations

from ..paper.declarations import Declarations, load_declarations
from ..paths import ProjectPaths

#: For each figure of the paper, the tables of its run that hold the numbers it plots.
FIGURE_DATA: dict[str, tuple[str, ...]] = {
    "snapshot_map": ("prevalence",),
    "snapshot_prevalence": ("prevalence",),
    "snapshot_number": ("number",),
    "snapshot_vulnerability": ("vulnerability",),
    "snapshot_response": ("response",),
    "comparison_scatter": ("all_countries",),
    "sensitivity": ("all_years",),
}

#: For each table of the paper (``_generated/tables/<name>.md``): what it is made from, and the run of
#: the paper and the file of that run it reads (``None``: data/processed, the raw files or the build).
TABLE_SOURCES: dict[str, tuple[str, str | None, str | None]] = {
    "country_editions": ("data/processed/gsi_country_edition.csv", None, None),
    "comparison": ("the comparison run's tables/side_by_side.csv", "comparison", "tables/side_by_side.csv"),
    "regional_counts": ("data/processed/regional_comparison.csv", None, None),
    "regional_prevalence": ("data/processed/regional_comparison.csv", None, None),
    "population_year": ("data/processed/regional_comparison.csv and population_sources.csv", None, None),
    "sensitivity": ("the sensitivity run's values.json", "sensitivity", "values.json"),
    "rank": ("the sensitivity run's values.json", "sensitivity", "values.json"),
    "scenarios": ("the sensitivity run's values.json", "sensitivity", "values.json"),
    "sources": ("data/raw/MANIFEST.yaml", None, None),
    "runs": ("the records of the paper's runs", None, None),
    "build": ("the software that built the paper", None, None),
}

#: Tables of the paper that describe the build's environment, not results: reported, never a failure.
ENVIRONMENT_TABLES = ("build",)


def paper_declarations(paths: ProjectPaths) -> Declarations:
    """The paper's declared country, runs and figures (``paper/inputs.yml``)."""
    return load_declarations(paths)


def run_of_notebook(declared: Declarations, notebook: str) -> str | None:
    """The name of the paper's run of ``notebook``, or ``None``."""
    return next((name for name, run in declared.runs.items() if run.notebook == notebook), None)
