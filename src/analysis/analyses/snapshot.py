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

from dataclasses import dataclass

import pandas as pd

from ..data.gsi import MILESTONES, VULNERABILITY_DIMENSIONS
from ..data.processed import read_processed
from ..paths import ProjectPaths
from .countries import require_country, require_edition
from .result import Result, tables_field, value

def snapshot_editions(long: pd.DataFrame) -> tuple[int, ...]:
    """The editions a snapshot can be drawn for: those that publish scores of vulnerability by
    dimension and of government response by milestone (GSI 2018 and 2023 in the data held)."""
    scored = (long[list(VULNERABILITY_DIMENSIONS)].notna().any(axis=1)
              & long[list(MILESTONES)].notna().any(axis=1))
    return tuple(sorted(int(e) for e in long.loc[scored, "edition"].unique()))


def validate(long: pd.DataFrame, country: object, edition: object) -> tuple[str, int]:
    """Check the snapshot parameters; return ``(iso3, edition)`` or raise ParameterError."""
    edition = require_edition(edition, snapshot_editions(long))
    return require_country(long, country, edition), edition


def check_parameters(params: dict, paths: ProjectPaths | None = None) -> dict:
    """Check the snapshot notebook's parameters against the data; return them normalised."""
    long = read_processed("gsi_country_edition.csv", paths)
    country, edition = validate(long, params["country"], params["edition"])
    return {**params, "country": country, "edition": edition}


def name_of(long: pd.DataFrame, iso3: str) -> str:
    """The name of ``iso3`` as the latest edition prints it."""
    return long.loc[long["iso3"] == iso3, "country"].iloc[0]


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


def widest_gap(against: pd.DataFrame) -> pd.Series:
    """The dimension (not the total) where the country is furthest above the regional average.

    ``against`` is a table of :func:`vulnerability_against_region`; returns its row.
    """
    dims = against[against["label"] != "Total"]
    return dims.loc[dims["difference"].idxmax()]


def ranked_above(ranking: pd.DataFrame) -> list[str]:
    """Names of the countries ranked above the country in a :func:`region_ranking` table."""
    own_rank = int(ranking.loc[ranking["is_country"], "rank"].iloc[0])
    return ranking.loc[ranking["rank"] < own_rank, "country"].tolist()


def assessed_without_estimate(long: pd.DataFrame, iso3: str, edition: int) -> int:
    """Countries of ``iso3``'s region with a government-response total but no prevalence estimate."""
    rows = _region_rows(long, iso3, edition)
    return int((rows["govt_total_pct"].notna() & ~rows["has_estimate"].astype(bool)).sum())


def negative_responders(long: pd.DataFrame, edition: int) -> list[str]:
    """Names of the countries whose government-response total (per cent) is below 0 in ``edition``, sorted."""
    rows = long[(long["edition"] == edition) & (long["govt_total_pct"] < 0)]
    return sorted(rows["country"])


def tables(long: pd.DataFrame, iso3: str, edition: int) -> dict[str, pd.DataFrame]:
    """The tables behind the snapshot's charts, by the name they are saved under.

    ``prevalence`` (per 1,000) and ``number`` (persons): the region ranked;
    ``vulnerability`` (0-100) and ``response`` (per cent): the country against the regional average.
    """
    return {"prevalence": region_ranking(long, iso3, edition, "prevalence_per_1000"),
            "number": region_ranking(long, iso3, edition, "estimated_number"),
            "vulnerability": vulnerability_against_region(long, iso3, edition),
            "response": response_against_region(long, iso3, edition)}


@dataclass(frozen=True)
class SnapshotResult(Result):
    """The GSI country snapshot of one country in one edition: published figures, ranks, regional
    averages, and the four tables behind the charts."""

    country: str = value("ISO 3166-1 alpha-3 code")
    name: str = value("name as the latest edition prints it", mirrors="country")
    edition: int = value("GSI edition")
    region: str = value("Walk Free region", mirrors="region")
    prevalence_per_1000: float | None = value("published prevalence", "per 1,000 population",
                                              mirrors="prevalence_per_1000")
    estimated_number: float | None = value("published number of people in modern slavery", "persons",
                                           mirrors="estimated_number")
    population: float | None = value("population the edition printed", "persons", mirrors="population")
    rank_in_region: int = value("rank by prevalence among the region's countries with an estimate "
                                "(1 = highest)")
    countries_in_region: int = value("countries of the region with an estimate")
    regional_prevalence_per_1000: float = value("population-weighted prevalence of the region, over the "
                                                "countries with an estimate", "per 1,000 population")
    rank_in_region_by_number: int | None = value("rank by number of people in the region (1 = most)")
    ranked_above_by_number: list[str] = value("names of the countries ranked above it by number")
    vulnerability_total: float | None = value("total vulnerability", "score 0-100",
                                              mirrors="vulnerability_total")
    vulnerability_total_regional_average: float | None = value(
        "unweighted mean of the region's total vulnerability scores", "score 0-100")
    widest_vulnerability_gap_dimension: str = value("the dimension furthest above the regional average")
    widest_vulnerability_gap: float | None = value("how far that dimension is above the average",
                                                   "points 0-100")
    vulnerability_countries_averaged: int = value("countries in the regional average of vulnerability")
    dimensions_above_average: int = value("dimensions of vulnerability above the regional average")
    dimensions: int = value("dimensions of vulnerability")
    govt_total_pct: float | None = value("government response, total", "per cent", mirrors="govt_total_pct")
    response_countries_averaged: int = value("countries in the regional average of government response")
    response_averaged_without_estimate: int = value("of those, countries without a prevalence estimate")
    govt_total_pct_regional_average: float | None = value("unweighted mean of the region's government "
                                                          "response totals", "per cent")
    negative_responders: list[str] = value("names of the countries whose government response total is "
                                           "below 0 in the edition, sorted")
    countries_with_estimate: int = value("countries with a prevalence estimate in the edition")
    tables: dict = tables_field()


def analyse(long: pd.DataFrame, iso3: str, edition: int) -> SnapshotResult:
    """The snapshot of ``iso3`` in ``edition`` (see :class:`SnapshotResult`); ``long`` is the country table.

    Prevalence per 1,000; counts and population in persons; vulnerability 0-100;
    government response in per cent. Missing values are None.
    """
    row = long[(long["iso3"] == iso3) & (long["edition"] == edition)].iloc[0]
    tabled = tables(long, iso3, edition)
    by_prevalence, by_number = tabled["prevalence"], tabled["number"]
    vulnerability = tabled["vulnerability"].set_index("measure")
    response = tabled["response"].set_index("measure")
    gap = widest_gap(vulnerability.reset_index())
    number_rank = by_number.loc[by_number["is_country"], "rank"]

    def number(x: object) -> float | None:
        return None if pd.isna(x) else float(x)

    return SnapshotResult(
        country=iso3, name=str(row["country"]), edition=int(edition), region=str(row["region"]),
        prevalence_per_1000=number(row["prevalence_per_1000"]),
        estimated_number=number(row["estimated_number"]),
        population=number(row["population"]),
        rank_in_region=int(by_prevalence.loc[by_prevalence["is_country"], "rank"].iloc[0]),
        countries_in_region=len(by_prevalence),
        regional_prevalence_per_1000=regional_prevalence(long, iso3, edition),
        rank_in_region_by_number=int(number_rank.iloc[0]) if len(number_rank) else None,
        ranked_above_by_number=ranked_above(by_number) if len(number_rank) else [],
        vulnerability_total=number(vulnerability.loc["vulnerability_total", "country"]),
        vulnerability_total_regional_average=number(
            vulnerability.loc["vulnerability_total", "regional_average"]),
        widest_vulnerability_gap_dimension=str(gap["label"]),
        widest_vulnerability_gap=number(gap["difference"]),
        vulnerability_countries_averaged=int(vulnerability.loc["vulnerability_total", "countries_averaged"]),
        dimensions_above_average=int((vulnerability.drop("vulnerability_total")["difference"] > 0).sum()),
        dimensions=len(vulnerability) - 1,
        govt_total_pct=number(response.loc["govt_total_pct", "country"]),
        response_countries_averaged=int(response.loc["govt_total_pct", "countries_averaged"]),
        response_averaged_without_estimate=assessed_without_estimate(long, iso3, edition),
        govt_total_pct_regional_average=number(response.loc["govt_total_pct", "regional_average"]),
        negative_responders=negative_responders(long, edition),
        countries_with_estimate=int(((long["edition"] == edition) & long["has_estimate"]).sum()),
        tables=tabled)
