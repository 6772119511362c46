"""The analysis functions behind the notebooks, on the real data."""

from __future__ import annotations


import numpy as np
import pandas as pd
import pytest

from analysis.analyses import comparison, sensitivity, snapshot
from analysis.errors import ParameterError
from analysis.data.population import population_sources


def test_snapshot_ranks_north_korea_first_in_its_region(long):
    ranking = snapshot.region_ranking(long, "PRK", 2023, "prevalence_per_1000")
    assert len(ranking) == 27  # Asia-Pacific countries with an estimate
    assert ranking.iloc[0]["iso3"] == "PRK" and ranking.iloc[0]["is_country"]
    assert ranking["prevalence_per_1000"].is_monotonic_decreasing
    numbers = snapshot.region_ranking(long, "PRK", 2023, "estimated_number")
    assert numbers["iso3"].tolist()[:3] == ["IND", "CHN", "PRK"]  # 11.05m, 5.77m, 2.70m


def test_regional_prevalence_is_population_weighted(long):
    assert round(snapshot.regional_prevalence(long, "PRK", 2023), 1) == 6.8


def test_regional_averages_are_unweighted_means(long):
    vul = snapshot.vulnerability_against_region(long, "PRK", 2023).set_index("measure")
    region = long[(long["edition"] == 2023) & (long["region"] == "Asia and the Pacific")]
    assert vul.loc["vuln_governance", "regional_average"] == pytest.approx(
        float(region["vuln_governance"].astype(float).mean()))
    assert round(vul.loc["vulnerability_total", "country"]) == 67
    resp = snapshot.response_against_region(long, "PRK", 2023).set_index("measure")
    assert round(resp.loc["govt_total_pct", "country"]) == -3
    assert resp.loc["govt_m4_risk_factors_pct", "country"] < 0
    # Vulnerability is scored only where prevalence is estimated (27 countries); the
    # response is assessed in all 33 countries of the region but Afghanistan.
    assert vul.loc["vulnerability_total", "countries_averaged"] == 27
    assert resp.loc["govt_total_pct", "countries_averaged"] == 32


@pytest.mark.parametrize(("country", "edition", "message"), [
    ("XXX", 2023, "'XXX' is not an ISO 3166-1 alpha-3 code"),
    ("FJI", 2023, r"FJI \(Fiji\) has no prevalence estimate in GSI 2023"),
    ("PRK", 2016, r"edition=2016 is not available; choose one of \[2018, 2023\]"),
])
def test_snapshot_refuses_bad_parameters_and_lists_choices(long, country, edition, message):
    with pytest.raises(ParameterError, match=message) as info:
        snapshot.validate(long, country, edition)
    if "edition" not in message:
        assert "PRK (North Korea)" in str(info.value) and "ERI (Eritrea)" in str(info.value)


def test_lower_case_code_is_accepted(long):
    assert snapshot.validate(long, "prk", 2023) == ("PRK", 2023)


def test_north_korea_2023_rate_is_2018_rate_rounded_and_change_is_population(long):
    change = comparison.count_change(long, "PRK", 2018, 2023)
    assert change["published_change"] == 56_000
    assert change["population_effect"] + change["prevalence_effect"] == pytest.approx(change["change"])
    assert change["population_effect"] == pytest.approx(55_950.6, abs=0.1)
    # What is left for prevalence is the rounding of 104.561 to 104.6: under 1,000 people.
    assert abs(change["prevalence_effect"]) < 1_000
    table = comparison.side_by_side(long, "PRK", 2018, 2023).set_index("measure")
    assert round(table.loc["prevalence_per_1000", "2018"], 1) == table.loc["prevalence_per_1000", "2023"]
    assert table.loc["rank_world", "2018"] == table.loc["rank_world", "2023"] == 1


def test_decomposition_adds_up_exactly():
    d = comparison.decompose_count_change(1_000_000, 10.0, 1_200_000, 8.0)
    assert d["change"] == pytest.approx(-400.0)
    assert d["population_effect"] == pytest.approx(1_800.0)
    assert d["prevalence_effect"] == pytest.approx(-2_200.0)


def test_comparison_refuses_editions_in_wrong_order(long):
    with pytest.raises(ParameterError, match="must be earlier"):
        comparison.validate(long, "PRK", 2023, 2018)


def test_all_countries_in_both_editions(long):
    both = comparison.all_countries(long, 2018, 2023)
    # All 160 countries estimated in 2023 were estimated in 2018; seven 2018 ones were not in 2023.
    assert len(both) == 160
    assert not {"BRB", "ISL", "LUX"} & set(both["iso3"])
    assert both["iso3"].is_unique and both["iso3"].is_monotonic_increasing


def test_population_scenarios_for_north_korea(long, paths):
    pop = population_sources(long, paths)
    held = sensitivity.population_figures(pop, "PRK", ["UN WPP", "GSI"])
    assert set(held["source"]) == {"UN WPP", "GSI 2016", "GSI 2018", "GSI 2023"}
    scen = sensitivity.scenarios(held, 104.6, 2_696_000)
    un = scen[scen["source"] == "UN WPP"].iloc[0]
    assert un["population"] == 25_778_815
    assert round(un["count_at_published_prevalence"], -3) == 2_696_000
    low, high, year = sensitivity.reference_year_range(
        sensitivity.population_figures(pop, "PRK", list(sensitivity.POPULATION_SOURCES)))
    assert year == 2020 and low == 25_778_815 and high == 26_136_312


def test_monte_carlo_is_reproducible_and_centred(long):
    others = sensitivity.other_prevalences(long, "PRK")["prevalence_per_1000"].to_numpy(float)
    args = (104.6, 0.1, 25_778_815, 26_136_312, others, 200_000, 7)
    a, b = sensitivity.monte_carlo(*args), sensitivity.monte_carlo(*args)
    assert a == b
    assert a.prevalence_quantiles["p50"] == pytest.approx(104.6, rel=0.01)
    assert a.count_quantiles["p2_5"] < 2_696_000 < a.count_quantiles["p97_5"]
    assert sum(a.rank_shares.values()) == pytest.approx(1.0)
    # Without prevalence uncertainty North Korea stays first in every draw.
    c = sensitivity.monte_carlo(104.6, 0.0, 25_778_815, 26_136_312, others, 10_000, 1)
    assert c.rank_shares == {1: 1.0}


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"population_sources": ["Census"]}, "population_sources"),
    ({"draws": 10}, "draws=10"),
    ({"seed": -1}, "seed=-1"),
    ({"prevalence_relative_sd": 1.5}, "prevalence_relative_sd=1.5"),
    ({"country": "ATG"}, "has no prevalence estimate"),
])
def test_sensitivity_refuses_bad_parameters(long, kwargs, message):
    params = {"country": "PRK", "population_sources": ["UN WPP"], "draws": 1000, "seed": 1,
              "prevalence_relative_sd": 0.1, **kwargs}
    with pytest.raises(ParameterError, match=message):
        sensitivity.validate(long, **params)


def test_rank_of_each_draw_counts_higher_countries():
    others = np.array([5.0, 10.0, 90.0])
    res = sensitivity.monte_carlo(50.0, 0.0, 1e6, 1e6, others, 1_000, 0)
    assert res.rank_shares == {2: 1.0}


def test_rank_correlation_is_spearman(long):
    both = comparison.all_countries(long, 2018, 2023)
    assert comparison.rank_correlation(both, 2018, 2023) == pytest.approx(0.4375, abs=1e-4)
    same = both.assign(prevalence_per_1000_2023=both["prevalence_per_1000_2018"] * 2)
    assert comparison.rank_correlation(same, 2018, 2023) == pytest.approx(1.0)


def test_north_korea_ranks_first_by_prevalence_in_every_edition(long):
    for edition in (2016, 2018, 2023):
        rank = comparison.ranks(long, edition).set_index("iso3").loc["PRK"]
        assert (rank["rank_world"], rank["rank_region"]) == (1, 1), edition


def test_map_outlines_and_region_extent(paths):
    from analysis.data import geography
    outlines = geography.country_outlines(paths)
    assert "PRK" in outlines and "XKX" in outlines  # Kosovo's '-99' fixed at extraction
    assert geography.missing_outlines(pd.Series(["PRK", "SGP"]), outlines) == ["SGP"]
    # France's largest polygon is in Europe: French Guiana does not stretch the view west.
    west, east, south, north = geography.extent(["FRA"], outlines, margin=0)
    assert -5 < west < 0 and 40 < south < 43
    # Russia crosses the antimeridian; only its eastern edge counts.
    assert geography.extent(["RUS"], outlines, margin=0)[1] == 180
