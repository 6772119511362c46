"""What the paper knows: the key numbers of its declared runs, and the tables it reads directly.

:func:`gather` reads the ``values.json`` of each run of
:data:`~analysis.pipeline.registry.PAPER_RUNS`, the processed tables (the
country table, regional comparison, population sources, TIP tiers) and the raw
file of statements from the documents on North Korea. The paper's variables
(:mod:`analysis.paper.variables`) and its checked claims
(:mod:`analysis.paper.claims`) are both computed from one :class:`Facts`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..data.manifest import load_manifest
from ..data.processed import read_processed
from ..data.raw_io import read_raw
from ..paths import ProjectPaths
from ..pipeline.outputs import load_values
from ..pipeline.registry import PAPER_COUNTRY

EVIDENCE_FILE = "evidence_statements.csv"


@dataclass(frozen=True)
class Facts:
    """The paper's inputs: run key numbers (dicts) and tables (frames)."""

    country: str
    snapshot: dict
    comparison: dict
    sensitivity: dict
    long: pd.DataFrame
    regional: pd.DataFrame
    population: pd.DataFrame
    tip: pd.DataFrame
    evidence: pd.DataFrame
    #: ``date_published`` of each raw file, from ``MANIFEST.yaml``.
    published: dict[str, str]

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


def gather(runs: dict[str, Path], paths: ProjectPaths) -> Facts:
    """Read the paper's facts from the ``runs`` folders (by run name) and the data files."""
    return Facts(
        country=PAPER_COUNTRY,
        snapshot=load_values(runs["snapshot"]), comparison=load_values(runs["comparison"]),
        sensitivity=load_values(runs["sensitivity"]),
        long=read_processed("gsi_country_edition.csv", paths),
        regional=read_processed("regional_comparison.csv", paths),
        population=read_processed("population_sources.csv", paths),
        tip=read_processed("tip_tiers.csv", paths),
        evidence=read_raw(EVIDENCE_FILE, paths),
        published={name: e.citation["date_published"] for name, e in load_manifest(paths).items()},
    )
