"""What the GSI country tables show about how each edition's figures were made (inferences from the numbers).

Counts and populations are persons, prevalence per 1,000. Four checks:
:func:`count_matches_product` (is the published count the prevalence times
the population, rounded?), :func:`population_matches_un` (is the printed
population UN WPP 2019's figure for 2020, rounded?), :func:`population_year_matches`
(for which year is it a figure held?) and :func:`count_primary`
(is the prevalence the count over the population, so that the count came
first?). None of these is a statement by Walk Free; each says what the
numbers show.
"""

from __future__ import annotations

import pandas as pd

from ..data.gsi import COUNT_ROUNDING
from .revisions import UN_SOURCE

#: Year of the UN WPP 2019 populations held for every country.
UN_YEAR = 2020


def count_matches_product(long: pd.DataFrame, edition: int = 2023) -> dict[str, object]:
    """How many estimated countries' published count is prevalence x population / 1,000, rounded as published.

    Returns ``countries`` (with an estimate), ``matches`` (the count is the
    product rounded to :data:`~analysis.data.gsi.COUNT_ROUNDING`), and
    ``exceptions``: ``{name: why}`` for the others (no population stored, or a
    different count).
    """
    rows = long[(long["edition"] == edition) & long["has_estimate"]]
    step = COUNT_ROUNDING[edition]
    exceptions = {}
    for _, row in rows.iterrows():
        if pd.isna(row["population"]):
            exceptions[str(row["country"])] = "no population stored (0 in the workbook)"
        elif pd.isna(row["estimated_number"]):
            exceptions[str(row["country"])] = "count printed as " + str(row["estimated_number_note"])
        else:
            product = float(row["prevalence_per_1000"]) * float(row["population"]) / 1000
            if round(product / step) * step != float(row["estimated_number"]):
                count = float(row["estimated_number"])
                exceptions[str(row["country"])] = f"product {product:,.0f}, count {count:,.0f}"
    return {"countries": len(rows), "matches": len(rows) - len(exceptions), "exceptions": exceptions}


def population_matches_un(long: pd.DataFrame, pop: pd.DataFrame, edition: int = 2023) -> dict[str, int]:
    """How many of the edition's rows print UN WPP 2019's population for 2020 rounded to the thousand.

    Returns ``rows`` (of the edition's table) and ``matches``. A match is an
    equality of numbers, from which the population's year is inferred.
    """
    rows = long[long["edition"] == edition]
    un = pop[(pop["source"] == UN_SOURCE) & (pop["year"] == UN_YEAR)].set_index("iso3")["population"]
    rounded = (rows["iso3"].map(un).astype(float) / 1000).round() * 1000
    return {"rows": len(rows), "matches": int((rounded == rows["population"].astype(float)).sum())}


def population_year_matches(long: pd.DataFrame, pop: pd.DataFrame, edition: int,
                            years: tuple[int, ...]) -> dict[str, object]:
    """For which year each printed population of ``edition`` is a figure held, rounded to the thousand.

    Only the countries for which a source other than GSI (``pop``, the
    population sources) holds a figure for every one of ``years`` can be
    tested. Returns ``countries`` (rows of the edition with a population),
    ``held`` (ISO3 codes of the countries testable) and ``matches``: ``{year:
    ISO3 codes}`` of those whose printed population equals a figure held for
    that year, rounded. An equality of numbers, not a statement by Walk Free.
    """
    rows = long[(long["edition"] == edition) & long["population"].notna()].set_index("iso3")["population"]
    other = pop[~pop["source"].astype(str).str.startswith("GSI") & pop["year"].isin(years)]
    other = other[other["iso3"].isin(rows.index)]
    held = sorted(code for code, group in other.groupby("iso3") if set(group["year"]) >= set(years))
    matches = {}
    for year in years:
        figures = other[(other["year"] == year) & other["iso3"].isin(held)]
        rounded = (figures["population"].astype(float) / 1000).round() * 1000
        hit = rounded.to_numpy() == figures["iso3"].map(rows).astype(float).to_numpy()
        matches[year] = sorted(set(figures.loc[hit, "iso3"]))
    return {"countries": len(rows), "held": held, "matches": matches}


def count_primary(long: pd.DataFrame, edition: int = 2016, tolerance: float = 1e-12) -> pd.DataFrame:
    """Countries of ``edition`` whose prevalence is their count over their population, to machine precision.

    For most countries the published count is the modelled prevalence times the
    population, rounded; where instead the prevalence equals count / population
    to within ``tolerance`` (relative; doubles carry about 1e-16), the count
    looks primary and the prevalence derived from it. Columns ``iso3, country,
    population, estimated_number`` (persons), ``prevalence_per_1000`` and
    ``relative_gap`` (|prevalence - count / population| / prevalence), sorted by
    name.
    """
    rows = long[(long["edition"] == edition) & long["has_estimate"]
                & long["estimated_number"].notna() & long["population"].notna()].copy()
    ratio = rows["estimated_number"].astype(float) / rows["population"].astype(float) * 1000
    prevalence = rows["prevalence_per_1000"].astype(float)
    rows["relative_gap"] = (ratio - prevalence).abs() / prevalence
    keep = rows[rows["relative_gap"] <= tolerance]
    return keep.sort_values("country", kind="mergesort")[
        ["iso3", "country", "population", "estimated_number", "prevalence_per_1000",
         "relative_gap"]].reset_index(drop=True)


def next_gap(long: pd.DataFrame, edition: int = 2016, tolerance: float = 1e-12) -> float:
    """The smallest relative gap between prevalence and count / population among the other countries.

    Shows how far the count-primary countries of :func:`count_primary` stand
    apart from the rest (a ratio, dimensionless).
    """
    rows = long[(long["edition"] == edition) & long["has_estimate"]
                & long["estimated_number"].notna() & long["population"].notna()]
    ratio = rows["estimated_number"].astype(float) / rows["population"].astype(float) * 1000
    prevalence = rows["prevalence_per_1000"].astype(float)
    gap = (ratio - prevalence).abs() / prevalence
    return float(gap[gap > tolerance].min())
