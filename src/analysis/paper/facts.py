"""What the paper knows: the key numbers of its declared runs, and the tables it reads directly.

:func:`gather` reads the ``values.json`` of each run that ``paper/inputs.yml``
declares (each value that ``data/processed/`` also holds checked against it), the processed tables (the
country table, regional comparison, population sources, TIP tiers) and the raw
file of statements from the documents on North Korea. The paper's variables
(:mod:`analysis.paper.variables`) and its checked claims
(:mod:`analysis.paper.claims`) are both computed from one :class:`Facts`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..analyses.comparison import ComparisonResult
from ..analyses.published import country_rows, differences
from ..analyses.result import Result
from ..analyses.sensitivity import SensitivityResult
from ..analyses.snapshot import SnapshotResult
from ..data.manifest import load_manifest
from ..data.processed import read_processed
from ..data.raw_io import read_raw
from ..errors import AnalysisError
from ..paths import ProjectPaths
from ..runs.outputs import load_result
from .declarations import Declarations

EVIDENCE_FILE = "evidence_statements.csv"


@dataclass(frozen=True)
class Facts:
    """The paper's inputs: the results of its runs, and tables (frames)."""

    country: str
    snapshot: SnapshotResult
    comparison: ComparisonResult
    sensitivity: SensitivityResult
    long: pd.DataFrame
    regional: pd.DataFrame
    population: pd.DataFrame
    tip: pd.DataFrame
    evidence: pd.DataFrame
    #: ``date_published`` of each raw file, from ``MANIFEST.yaml``.
    published: dict[str, str]

    @property
    def region(self) -> str:
        """The region of the paper's country, as its snapshot run names it (Walk Free's regions)."""
        return self.snapshot.region

    def row(self, edition: int, iso3: str | None = None) -> pd.Series:
        """The country table's row of ``iso3`` (default: the paper's country) in ``edition``."""
        code = iso3 or self.country
        return self.long[(self.long["iso3"] == code) & (self.long["edition"] == edition)].iloc[0]

    def reference_year(self, edition: int) -> int:
        """The year the estimates of ``edition`` refer to, as the published regional totals give it."""
        years = self.regional.loc[self.regional["edition"] == edition, "reference_year"].unique()
        if len(years) != 1:
            raise ValueError(f"GSI {edition}: expected one reference year, found {list(years)}")
        return int(years[0])

    def statement(self, key: str) -> pd.Series:
        """The row of ``evidence_statements.csv`` with ``key``."""
        return self.evidence.set_index("key").loc[key]

    def tier_years_sourced_by(self, key: str) -> list[int]:
        """The TIP report years whose tier row has the url of statement ``key`` as its source."""
        url = self.statement(key)["url"]
        return self.tip.loc[self.tip["source_url"] == url, "report_year"].astype(int).tolist()

    def regional_without_decimals(self) -> list[tuple[int, str, str, str]]:
        """(edition, region, indicator, figure) of every regional figure printed without decimals; figure
        is ``published``, ``forced_labour`` or ``forced_marriage``. Sorted."""
        cmp = self.regional
        parts = ("published", "forced_labour", "forced_marriage")
        return sorted((int(row["edition"]), row["region"], row["indicator"], part)
                      for _, row in cmp.iterrows() for part in parts
                      if pd.notna(row[f"{part}_decimals"]) and row[f"{part}_decimals"] == 0)


#: The type of result each run of the paper saves, by the run's name in ``paper/inputs.yml``.
RESULTS: dict[str, type[Result]] = {"snapshot": SnapshotResult, "comparison": ComparisonResult,
                                    "sensitivity": SensitivityResult}


def checked_results(runs: dict[str, Path], paths: ProjectPaths) -> dict[str, Result]:
    """The result of each run, each value the country table also holds compared with it.

    Raises :class:`AnalysisError` naming the run, the value and both numbers when
    a run's ``values.json`` disagrees with ``data/processed/`` (edited, or stale).
    """
    rows = country_rows(paths.processed)
    out = {}
    for name, folder in runs.items():
        result = load_result(folder, RESULTS[name])
        problems = differences(result, lambda iso3, e: rows.get((iso3, e)))
        if problems:
            raise AnalysisError(f"the {name} run ({folder.relative_to(paths.root)}) disagrees with "
                                f"data/processed: {'; '.join(problems)}; run it again with "
                                "`python -m analysis notebooks --force`")
        out[name] = result
    return out


def gather(runs: dict[str, Path], declarations: Declarations, paths: ProjectPaths) -> Facts:
    """Read the paper's facts from the ``runs`` folders (by run name) and the data files."""
    results = checked_results(runs, paths)
    return Facts(
        country=declarations.country,
        snapshot=results["snapshot"], comparison=results["comparison"], sensitivity=results["sensitivity"],
        long=read_processed("gsi_country_edition.csv", paths),
        regional=read_processed("regional_comparison.csv", paths),
        population=read_processed("population_sources.csv", paths),
        tip=read_processed("tip_tiers.csv", paths),
        evidence=read_raw(EVIDENCE_FILE, paths),
        published={name: e.citation["date_published"] for name, e in load_manifest(paths).items()},
    )
