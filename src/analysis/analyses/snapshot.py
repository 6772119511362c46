"""Data behind the four figures of a GSI country snapshot.

1. prevalence (per 1,000) of every country in the region, ranked;
2. estimated number of people in modern slavery (persons) in the region, ranked;
3. vulnerability by dimension (score 0-100) against the regional average;
4. government response by milestone (per cent) against the regional average.

The regional average of a score is the unweighted mean over the countries of
the region that have that score in the edition, the country itself included:
each country counts once, whatever its population. The regional prevalence is
population-weighted instead (people in modern slavery / population x 1,000).
"""

from __future__ import annotations

import pandas as pd

from .choices import require_country, require_edition
from ..data.gsi import MILESTONES, VULNERABILITY_DIMENSIONS

#: Editions that publish the five vulnerability dimensions and five milestones.
SNAPSHOT_EDITIONS = (2018, 2023)


def validate(long: pd.DataFrame, country: object, edition: object) -> tuple[str, int]:
    """Check the snapshot parameters; return ``(iso3, edition)`` or raise ParameterError."""
    edition = require_edition(edition, SNAPSHOT_EDITIONS)
    return require_country(long, country, edition), edition


def region_of(long: pd.DataFrame, iso3: str, edition: int) -> str:
    """The Walk Free region of ``iso3`` in ``edition``."""
    return long.loc[(long["iso3"] == iso3) & (long["edition"] == edition), "region"].iloc[0]


def _region_rows(long: pd.DataFrame, iso3: str, edition: int) -> pd.DataFrame:
    region = region_of(long, iso3, edition)
    return long[(long["edition"] == edition) & (long["region"] == region)]


def region_ranking(long: pd.DataFrame, iso3: str, edition: int, value: str) -> pd.DataFrame:
    """Countries of ``iso3``'s region with an estimate, ranked by ``value`` (largest first).

    ``value`` is ``prevalence_per_1000`` (per 1,000) or ``estimated_number`` (persons).
    Ties keep alphabetical order of ISO3. Columns: ``rank, iso3, country, <value>,
    is_country``.
    """
    rows = _region_rows(long, iso3, edition)
    rows = rows[rows[value].notna()].sort_values("iso3", kind="mergesort")
    rows = rows.sort_values(value, ascending=False, kind="mergesort")
    out = rows[["iso3", "country", value]].reset_index(drop=True)
    out.insert(0, "rank", range(1, len(out) + 1))
    out["is_country"] = out["iso3"] == iso3
    return out


def region_values(long: pd.DataFrame, iso3: str, edition: int, value: str) -> pd.DataFrame:
    """Every country of ``iso3``'s region in ``edition``, with or without an estimate.

    Columns ``iso3, country, <value>``, sorted by ISO3.
    """
    rows = _region_rows(long, iso3, edition)
    return rows[["iso3", "country", value]].sort_values("iso3", kind="mergesort").reset_index(drop=True)


def regional_prevalence(long: pd.DataFrame, iso3: str, edition: int) -> float:
    """Population-weighted prevalence (per 1,000) of the region, over countries with an estimate."""
    rows = _region_rows(long, iso3, edition)
    rows = rows[rows["estimated_number"].notna() & rows["population"].notna()]
    return float(rows["estimated_number"].sum() / rows["population"].sum() * 1000)


def _against_region(long: pd.DataFrame, iso3: str, edition: int,
                    columns: dict[str, str]) -> pd.DataFrame:
    rows = _region_rows(long, iso3, edition)
    own = rows[rows["iso3"] == iso3].iloc[0]
    out = pd.DataFrame({
        "measure": list(columns),
        "label": list(columns.values()),
        "country": [float(own[c]) if pd.notna(own[c]) else float("nan") for c in columns],
        "regional_average": [float(rows[c].astype("Float64").mean()) for c in columns],
        "countries_averaged": [int(rows[c].notna().sum()) for c in columns],
    })
    out["difference"] = out["country"] - out["regional_average"]
    return out


def vulnerability_against_region(long: pd.DataFrame, iso3: str, edition: int) -> pd.DataFrame:
    """Each vulnerability dimension (score 0-100) of ``iso3`` beside the unweighted regional mean."""
    return _against_region(long, iso3, edition,
                           {**VULNERABILITY_DIMENSIONS, "vulnerability_total": "Total"})


def response_against_region(long: pd.DataFrame, iso3: str, edition: int) -> pd.DataFrame:
    """Each government-response milestone (per cent) of ``iso3`` beside the unweighted regional mean.

    Countries whose response was not assessed (e.g. Afghanistan in 2023) are left
    out of the mean; for such a country itself the values are NaN.
    """
    return _against_region(long, iso3, edition, {**MILESTONES, "govt_total_pct": "Total"})
