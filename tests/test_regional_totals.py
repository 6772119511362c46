"""The regional totals after the second referee's report (findings 1 to 5), on the real data.

A published total may be one figure rounded once, or the sum of its parts (forced labour and
forced marriage), each rounded: the rounding bound is computed under both readings, from the
parts the sources quote.
"""

from __future__ import annotations

import pytest

from analysis.analyses import regional


def _row(cmp, edition, region, indicator="people_in_modern_slavery"):
    rows = cmp[(cmp["edition"] == edition) & (cmp["region"] == region) & (cmp["indicator"] == indicator)]
    assert len(rows) == 1, (edition, region, indicator)
    return rows.iloc[0]


@pytest.fixture(scope="module")
def cmp(tables):
    return tables["regional_comparison.csv"]


def test_a_count_printed_below_1000_is_bounded_by_its_omission_alone(cmp, tables):
    # Finding 5: the three '<1,000' counts of GSI 2018 were given +-500 of rounding as well as
    # up to 1,000 for being left out. 164 rounded counts and 3 left out: 0.05 + 0.082 + 0.003.
    world = _row(cmp, 2018, "World")
    assert world["rounding_bound"] == pytest.approx(0.05 + 164 * 500 / 1e6 + 3 * 1000 / 1e6)
    assert round(world["rounding_bound"], 3) == 0.135
    # The same for a prevalence: the Americas hold one '<1,000' country of 27.
    sums = tables["regional_sums.csv"].set_index(["edition", "region"])
    americas = _row(cmp, 2018, "Americas", "prevalence_per_1000")
    population = sums.loc[(2018, "Americas"), "population"]
    assert americas["rounding_bound"] == pytest.approx(0.05 + (26 * 500 + 1000) / population * 1000)
    # A country without a count printed as '<1,000' keeps its +-500.
    assert _row(cmp, 2018, "Asia and the Pacific")["rounding_bound"] == pytest.approx(0.05 + 28 * 500 / 1e6)


def test_the_population_year_test_counts_a_left_out_count_once(long, tables, cmp):
    test = regional.population_year_test(long, tables["population_sources.csv"], cmp).set_index("region")
    grown = regional.annual_growth(long, tables["population_sources.csv"], 2018)
    advanced = (grown["population"] * grown["growth"]).sum()
    assert test.loc["World", "rounding_bound_advanced"] == pytest.approx(
        0.05 + (164 * 500 + 3 * 1000) / advanced * 1000)
