"""The analyses a referee asked for (issue 17, points 1, 13, 14 and 15), on the real data."""

from __future__ import annotations

import math

import numpy as np
import pytest

from analysis.analyses import editions, regional, sensitivity


@pytest.fixture(scope="module")
def comparison_table(tables):
    return tables["regional_comparison.csv"]


@pytest.fixture(scope="module")
def pop(tables):
    return tables["population_sources.csv"]


def test_a_year_of_growth_closes_some_prevalence_gaps_and_opens_another(long, pop, comparison_table):
    # Point 1: GSI 2018's populations are for 2015, its estimates for 2016.
    test = regional.population_year_test(long, pop, comparison_table).set_index("region")
    assert set(test.index) == {"Africa", "Americas", "Arab States", "Asia and the Pacific",
                               "Europe and Central Asia", "World"}
    assert (test["years"] == 1).all()
    assert test.loc["Africa", "population_growth"] == pytest.approx(1.0232, abs=1e-4)
    assert round(test.loc["Africa", "computed_advanced"], 2) == 7.57
    assert round(test.loc["World", "computed_advanced"], 2) == 5.41
    before = test.index[test["beyond_rounding"]].tolist()
    after = test.index[test["beyond_advanced"]].tolist()
    assert before == ["Africa", "Americas", "Arab States", "World"]
    assert after == ["Americas", "Arab States", "Asia and the Pacific"]
    assert test.loc["Asia and the Pacific", "difference_advanced"] < 0


def test_kosovo_without_a_un_figure_takes_its_regions_growth(long, pop):
    grown = regional.annual_growth(long, pop, 2018).set_index("iso3")
    eca = grown[(grown["region"] == "Europe and Central Asia") & (grown.index != "XKX")]
    population, un = eca["population"].sum(), (eca["population"] * eca["growth"] ** 5).sum()
    assert grown.loc["XKX", "growth"] == pytest.approx((un / population) ** (1 / 5))
    with pytest.raises(ValueError, match="no growth between them"):
        regional.annual_growth(long, pop, 2023)


def test_the_asia_pacific_excess_in_both_editions_and_the_rate_that_closes_it(long, comparison_table):
    # Point 13: 29.395 million against 29.3 (2023), 24.997 against 24.9 (2018).
    excess = regional.excess_over_published(comparison_table, "Asia and the Pacific")
    assert {k: round(v) for k, v in excess.items()} == {2018: 97_000, 2023: 95_000}
    closing = regional.closing_prevalence(long, comparison_table, "PRK", 2023, "Asia and the Pacific")
    assert round(closing["closing_prevalence"], 1) == 100.9
    assert closing["closing_prevalence"] == pytest.approx((2_696_000 - 95_000) / 25_779_000 * 1000)


def test_gsi_2016_counts_that_look_primary(long):
    # Point 15: 1,100,000 / 25,155,000 is North Korea's 2016 prevalence to machine precision.
    primary = editions.count_primary(long)
    assert primary["iso3"].tolist() == ["NLD", "PRK"]
    assert primary.set_index("iso3").loc["PRK", "estimated_number"] == 1_100_000
    assert (primary["relative_gap"] < 1e-14).all()
    assert editions.next_gap(long) > 1e-7  # the next country is far from machine precision


@pytest.mark.parametrize(("sd", "expected"), [(0.05, 0.981), (0.1, 0.850), (0.2, 0.698), (0.3, 0.635)])
def test_closed_form_probability_above_eritrea(sd, expected):
    # Point 14: Phi((104.6 - 90.28) / sqrt((104.6 s)^2 + (90.28 s)^2)).
    eritrea = 90.28486633300781
    z = (104.6 - eritrea) / math.sqrt((104.6 * sd) ** 2 + (eritrea * sd) ** 2)
    assert sensitivity.pairwise_first(104.6, eritrea, sd) == pytest.approx(0.5 * (1 + math.erf(z / 2 ** 0.5)))
    assert round(sensitivity.pairwise_first(104.6, eritrea, sd), 3) == expected


def test_scenarios_move_the_share_as_the_closed_form_says(long):
    prevalences = sensitivity.published_prevalences(long)
    table = sensitivity.scenario_table(prevalences, "PRK", 0.1, 0.5, 2.0, 100_000, 7).set_index("scenario")
    # Independent errors: the simulation is the pairwise closed form, within Monte Carlo error.
    for name in table.index:
        assert table.loc[name, "share_first"] == pytest.approx(table.loc[name, "closed_form_vs_runner_up"],
                                                               abs=0.01)
    # A common error part raises the share; a larger error for North Korea alone lowers it.
    assert table.loc["correlated", "share_first"] > table.loc["independent", "share_first"]
    assert table.loc["older estimate", "share_first"] < table.loc["independent", "share_first"]


def test_default_draws_are_unchanged_by_the_scenario_arguments(long):
    prevalences = sensitivity.published_prevalences(long)
    a = sensitivity.ranks_under_uncertainty(prevalences, "PRK", 0.1, 5_000, 3)
    b = sensitivity.ranks_under_uncertainty(prevalences, "PRK", 0.1, 5_000, 3, 0.0, 1.0)
    assert np.array_equal(a, b)


def test_gsi_2023_count_is_prevalence_times_population_except_kosovo(long, pop):
    # Point 6: the multiplication is checked; the population's year is inferred from 174 matches of 180.
    product = editions.count_matches_product(long)
    assert (product["countries"], product["matches"]) == (160, 159)
    assert list(product["exceptions"]) == ["Kosovo"]
    assert editions.population_matches_un(long, pop) == {"rows": 180, "matches": 174}


def test_the_sensitivity_legend_is_readable_at_the_papers_width(long, pop):
    # Point 18: drawn at the text width of an A4 page, so its legend prints at 9 pt.
    from analysis.figures import charts as figures
    every = sensitivity.scenarios(sensitivity.all_figures(pop, "PRK", ["World Bank WDI", "UN WPP", "GSI"]),
                                  104.6, 2_696_000)
    fig = figures.population_scenarios(every, (2_696_000, 104.6), (2020, 2021))
    legend = fig.axes[0].get_legend()
    assert fig.get_size_inches()[0] <= 6.3
    assert min(t.get_fontsize() for t in legend.get_texts()) >= 9
