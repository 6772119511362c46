"""The regional sums against the published totals: what could explain the gaps, and what closes them.

Counts are persons, prevalence per 1,000, populations persons. The published
regional figures cover every country of a region; the sums cover only the
countries with an estimate, so

* for a **count**, a country without an estimate could only add to the
  published total: it cannot explain a sum *above* the published figure;
* for a **prevalence**, a country without an estimate adds population to the
  published figure's denominator, and can pull it either way; and the
  populations GSI 2018 printed are, by matching numbers, for 2015 while its
  estimates refer to 2016 (:data:`~analysis.data.population.GSI_POPULATION_YEAR`),
  so a year of population growth is missing from the sums' denominator.

:func:`population_year_test` tests that second explanation with the data held;
:func:`excess_over_published` and :func:`closing_prevalence` measure the Asia
and the Pacific excess.
"""

from __future__ import annotations

import pandas as pd

from ..data.gsi import COUNT_ROUNDING
from ..data.population import GSI_POPULATION_YEAR
from ..data.regions import WORLD, half_unit
from .revisions import UN_SOURCE

COUNT = "people_in_modern_slavery"
PREVALENCE = "prevalence_per_1000"
#: The population source held for every country: UN WPP 2019, for this year.
UN_YEAR = 2020


def annual_growth(long: pd.DataFrame, pop: pd.DataFrame, edition: int) -> pd.DataFrame:
    """Each estimated country's population in ``edition`` and its mean annual growth factor.

    The factor is (UN WPP 2019's population for 2020 / the edition's population)
    ** (1 / years between them), the edition's population being for
    :data:`~analysis.data.population.GSI_POPULATION_YEAR`. It mixes growth with
    the revision between the UN editions behind the two figures. A country
    without a UN figure (Kosovo) takes its region's factor. Columns ``iso3,
    region, population`` (persons), ``people`` (persons; NA for '<1,000'),
    ``growth`` (a factor per year, 1.01 = 1 per cent).
    """
    years = UN_YEAR - GSI_POPULATION_YEAR[edition]
    if years <= 0:
        raise ValueError(f"GSI {edition}'s populations are for {GSI_POPULATION_YEAR[edition]}, not before "
                         f"UN WPP 2019's {UN_YEAR}: no growth between them to measure")
    rows = long[(long["edition"] == edition) & long["has_estimate"]]
    un = pop[(pop["source"] == UN_SOURCE) & (pop["year"] == UN_YEAR)].set_index("iso3")["population"]
    out = pd.DataFrame({"iso3": rows["iso3"], "region": rows["region"],
                        "population": rows["population"].astype(float),
                        "people": rows["estimated_number"].astype(float)}).reset_index(drop=True)
    un_pop = out["iso3"].map(un).astype(float)
    out["growth"] = (un_pop / out["population"]) ** (1 / years)
    both = un_pop.notna() & out["population"].notna()
    regional = (un_pop[both].groupby(out.loc[both, "region"]).sum()
                / out.loc[both].groupby("region")["population"].sum()) ** (1 / years)
    out["growth"] = out["growth"].fillna(out["region"].map(regional))
    return out


def population_year_test(long: pd.DataFrame, pop: pd.DataFrame, comparison: pd.DataFrame,
                         edition: int = 2018) -> pd.DataFrame:
    """The edition's prevalence comparisons, recomputed with each population advanced to the estimate year.

    ``comparison`` is ``regional_comparison.csv``. Each country's population is
    moved forward from its population year to the edition's reference year at
    its :func:`annual_growth` factor; the prevalence is the sum of counts over
    the sum of those populations (per 1,000), and the rounding bound is
    recomputed on them. One row per published prevalence of the edition:
    ``region, published, computed, rounding_bound, beyond_rounding`` (as
    published in the comparison), ``years`` advanced, ``population_growth``
    (the region's population factor over those years), ``computed_advanced``,
    ``difference_advanced``, ``rounding_bound_advanced``, ``beyond_advanced``.
    """
    rows = comparison[(comparison["edition"] == edition) & (comparison["indicator"] == PREVALENCE)]
    grown = annual_growth(long, pop, edition)
    out = []
    for _, row in rows.iterrows():
        years = int(row["reference_year"]) - GSI_POPULATION_YEAR[edition]
        part = grown if row["region"] == WORLD else grown[grown["region"] == row["region"]]
        known = part[part["population"].notna()]
        advanced = (known["population"] * known["growth"] ** years).sum()
        people = known["people"].sum()
        below = int(known["people"].isna().sum())
        # A '<1,000' count is left out of the sum: up to 1,000 people, no rounding of its own.
        slack = ((len(known) - below) * COUNT_ROUNDING[edition] / 2 + below * 1000) / advanced * 1000
        computed = people / advanced * 1000
        bound = half_unit(row["published_decimals"]) + slack
        out.append({"region": row["region"], "published": float(row["published"]),
                    "computed": float(row["computed"]), "rounding_bound": float(row["rounding_bound"]),
                    "beyond_rounding": bool(row["beyond_rounding"]), "years": years,
                    "population_growth": float(advanced / known["population"].sum()),
                    "computed_advanced": float(computed),
                    "difference_advanced": float(computed - row["published"]),
                    "rounding_bound_advanced": float(bound),
                    "beyond_advanced": bool(abs(computed - row["published"]) > bound)})
    return pd.DataFrame(out)


def excess_over_published(comparison: pd.DataFrame, region: str) -> dict[int, float]:
    """``{edition: persons}`` by which the sum of the region's country counts exceeds the published total."""
    rows = comparison[(comparison["region"] == region) & (comparison["indicator"] == COUNT)]
    return {int(r["edition"]): float(r["difference"]) * 1e6 for _, r in rows.iterrows()}


def closing_prevalence(long: pd.DataFrame, comparison: pd.DataFrame, iso3: str, edition: int,
                       region: str) -> dict[str, float]:
    """The prevalence of ``iso3`` (per 1,000) at which the region's sum of counts meets the published total.

    Everything else held as published, and the published total read as one
    figure rounded once: the country's count falls by the excess (persons) of
    :func:`excess_over_published`, on its published population, for the sum to
    *equal* the total (``closing_prevalence``); and by ``excess_to_print``, the
    excess over the total plus half a unit of its last digit, for the sum to
    be *printed as* the total (``printing_prevalence``: the fall must be larger
    than that, so the prevalence lower). Returns those, ``excess``, ``count`` and
    ``population`` (persons) and ``prevalence`` (published, per 1,000).
    """
    row = long[(long["iso3"] == iso3) & (long["edition"] == edition)].iloc[0]
    excess = excess_over_published(comparison, region)[edition]
    total = comparison[(comparison["region"] == region) & (comparison["indicator"] == COUNT)
                       & (comparison["edition"] == edition)].iloc[0]
    to_print = excess - half_unit(total["published_decimals"]) * 1e6
    count, population = float(row["estimated_number"]), float(row["population"])
    return {"excess": excess, "excess_to_print": to_print, "count": count, "population": population,
            "prevalence": float(row["prevalence_per_1000"]),
            "closing_prevalence": (count - excess) / population * 1000,
            "printing_prevalence": (count - to_print) / population * 1000}
