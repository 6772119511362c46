"""What the paper declares it is built from, read in one place.

:func:`paper_declarations` is the only function of the replication stage that
knows where the paper's runs and figures are declared (today
:mod:`analysis.pipeline.registry`); everything else asks it.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    "sensitivity": ("the sensitivity run's values.json", "sensitivity", "values.json"),
    "rank": ("the sensitivity run's values.json", "sensitivity", "values.json"),
    "sources": ("data/raw/MANIFEST.yaml", None, None),
    "runs": ("the records of the paper's runs", None, None),
    "build": ("the software that built the paper", None, None),
}

#: Tables of the paper that describe the build's environment, not results: reported, never a failure.
ENVIRONMENT_TABLES = ("build",)


@dataclass(frozen=True)
class PaperDeclarations:
    """The paper's country, its runs (name to notebook and given parameters) and figures."""

    country: str
    #: ``{run name: (notebook, parameters given)}``
    runs: dict[str, tuple[str, dict]]
    #: ``{figure name: (run name, figure name in the run's folder)}``
    figures: dict[str, tuple[str, str]]

    def run_of_notebook(self, notebook: str) -> str | None:
        """The name of the paper's run of ``notebook``, or ``None``."""
        return next((name for name, (nb, _) in self.runs.items() if nb == notebook), None)


def paper_declarations() -> PaperDeclarations:
    """The paper's declared country, runs and figures (from :mod:`analysis.pipeline.registry`)."""
    from ..pipeline.registry import PAPER_COUNTRY, PAPER_FIGURES, PAPER_RUNS

    return PaperDeclarations(country=PAPER_COUNTRY,
                             runs={name: (r.notebook, dict(r.given)) for name, r in PAPER_RUNS.items()},
                             figures=dict(PAPER_FIGURES))
