"""The analysis functions behind the notebooks, on the real data."""

from __future__ import annotations


import pandas as pd
import pytest

from analysis.analyses import comparison, revisions, sensitivity, snapshot
from analysis.errors import ParameterError


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
    ("XXX", 2023, "'XXX' is not an ISO 3166-1 alpha-3 code or a name of a country in the GSI"),
    ("Eritria", 2023, r"'Eritria' .*; did you mean ERI \(Eritrea\)"),
    ("FJI", 2023, r"FJI \(Fiji\) has no prevalence estimate in GSI 2023; 160 countries have one"),
    ("PRK", 2016, r"edition=2016 is not available; choose one of \[2018, 2023\]"),
])
def test_snapshot_refuses_bad_parameters_in_one_short_line(long, country, edition, message):
    with pytest.raises(ParameterError, match=message) as info:
        snapshot.validate(long, country, edition)
    assert len(str(info.value)) <= 200 and "\n" not in str(info.value)


def test_lower_case_code_and_names_are_accepted(long):
    assert snapshot.validate(long, "prk", 2023) == ("PRK", 2023)
    assert snapshot.validate(long, "North Korea", 2023) == ("PRK", 2023)


def test_north_korea_2023_rate_is_2018_rate_rounded_and_no_other_rate_is(long):
    table = comparison.side_by_side(long, "PRK", 2018, 2023).set_index("measure")
    assert round(table.loc["prevalence_per_1000", "2018"], 1) == table.loc["prevalence_per_1000", "2023"]
    assert comparison.carried_forward(104.561052469824, 104.6)
    assert comparison.rounded_elsewhere(long, "PRK", 2023) == []
    assert table.loc["rank_world", "2018"] == table.loc["rank_world", "2023"] == 1


def test_one_change_is_decomposed_the_implied_one_and_the_parts_add_up(long):
    # Issue 8, point 1: 56,944 is the change in prevalence x population (unrounded), which is
    # what the decomposition splits; 56,000 is the change in the published, rounded counts.
    change = comparison.count_change(long, "PRK", 2018, 2023)
    assert change["published_change"] == 56_000
    assert round(change["implied_from"]) == 2_639_539 and round(change["implied_to"]) == 2_696_483
    assert round(change["implied_change"]) == 56_944
    parts = change["population_effect"] + change["prevalence_effect"]
    assert parts == pytest.approx(change["implied_change"])
    assert round(change["population_effect"]) == 55_951 and round(change["prevalence_effect"]) == 994


def test_the_population_change_is_growth_offset_by_a_revision(long, tables):
    # Issue 8, point 2: GSI 2018 printed the population for 2015 (the World Bank's 2017-10
    # vintage, WPP 2017), GSI 2023 the one for 2020 (UN WPP 2019); WPP 2019's own 2015 figure
    # comes from the one revision between them (the 2020-04 vintage).
    split = revisions.population_change(tables["population_sources.csv"], "PRK", 2018, 2023, 2015, 2020)
    assert (split.from_revision, split.to_revision) == ("World Bank, vintage 2017-10",
                                                        "World Bank, vintage 2020-04")
    assert split.un_from_earlier_edition == 25_243_917 and split.un_from_later_edition == 25_183_833
    assert (split.growth, split.revision, split.rounding) == (594_982, -60_084, 102)
    assert split.growth + split.revision + split.rounding == split.change == 535_000
    change = comparison.count_change(long, "PRK", 2018, 2023)
    parts = comparison.population_effect_parts(change, split)
    assert sum(parts.to_dict().values()) == pytest.approx(change["population_effect"])
    assert round(parts.growth_effect) == 62_224 and round(parts.revision_effect) == -6_284


def test_population_change_is_none_where_the_world_bank_vintages_are_not_held(tables):
    pop = tables["population_sources.csv"]
    assert revisions.population_change(pop, "ERI", 2018, 2023, 2015, 2020) is None


def test_decomposition_adds_up_exactly():
    d = comparison.decompose_count_change(1_000_000, 10.0, 1_200_000, 8.0)
    assert d["implied_change"] == pytest.approx(-400.0)
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


def test_the_headline_range_is_like_for_like(tables):
    # Issue 8, point 3: only figures for 2020 (GSI's population year) and 2021 (the estimate's
    # year), each distinct figure once, GSI's own (UN WPP 2019 rounded) not counted again.
    pop = tables["population_sources.csv"]
    years = sensitivity.headline_years()
    assert years == (2020, 2021)
    figures = sensitivity.like_for_like(pop, "PRK", list(sensitivity.POPULATION_SOURCES), years)
    assert figures["population"].tolist() == [25_778_815, 25_867_467, 26_136_312, 25_971_909, 26_232_534]
    assert "GSI" not in set(figures["source"])
    scen = sensitivity.scenarios(figures, 104.6, 2_696_000)
    assert round(scen["count_at_published_prevalence"].min(), -3) == 2_696_000
    assert round(scen["count_at_published_prevalence"].max(), -3) == 2_744_000
    # The multi-year view keeps every revision and year, and the GSI figures, for the growth figure.
    every = sensitivity.all_figures(pop, "PRK", list(sensitivity.POPULATION_SOURCES))
    assert every["year"].min() == 2013 and every["year"].max() == 2024
    assert not every.duplicated(["label", "year"]).any()


def test_count_band_is_reproducible_and_centred():
    a = sensitivity.count_band(104.6, 0.1, 25_778_815, 26_232_534, 200_000, 7)
    assert a == sensitivity.count_band(104.6, 0.1, 25_778_815, 26_232_534, 200_000, 7)
    assert a.prevalence_quantiles["p50"] == pytest.approx(104.6, rel=0.01)
    assert a.count_quantiles["p2_5"] < 2_696_000 < a.count_quantiles["p97_5"]


def test_rank_uncertainty_varies_every_country(long):
    # Issue 8, point 4: the old figure (91.4 per cent) let only North Korea vary. With every
    # country drawn with the same relative sd, the share is lower, and it falls with the sd.
    prevalences = sensitivity.published_prevalences(long)
    table = sensitivity.rank_table(prevalences, "PRK", [0.05, 0.1, 0.2, 0.3], 200_000, 3)
    shares = table["share_first"].tolist()
    assert sensitivity.decreasing(shares) and shares[0] > 0.95 and 0.80 < shares[1] < 0.90
    # Exact for two countries: P(N(104.6, 10.46) > N(90.28, 9.03)) = Phi(14.3 / 13.8) = 0.85.
    two = sensitivity.ranks_under_uncertainty(prevalences[["PRK", "ERI"]], "PRK", 0.1, 400_000, 5)
    assert (two == 1).mean() == pytest.approx(0.8504, abs=0.003)
    assert set(sensitivity.ranks_under_uncertainty(prevalences, "PRK", 0.0, 1_000, 1)) == {1}


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"population_sources": ["Census"]}, "population_sources"),
    ({"draws": 10}, "draws=10"),
    ({"seed": -1}, "seed=-1"),
    ({"prevalence_relative_sd": 1.5}, "prevalence_relative_sd=1.5"),
    ({"country": "ATG"}, "has no prevalence estimate"),
])
def test_sensitivity_refuses_bad_parameters(long, kwargs, message):
    params = {"country": "PRK", "population_sources": ["UN WPP"], "draws": 1000, "seed": 1,
              "prevalence_relative_sd": 0.1, "rank_relative_sds": [0.1], **kwargs}
    with pytest.raises(ParameterError, match=message):
        sensitivity.validate(long, **params)


def test_rank_of_each_draw_counts_higher_countries():
    prevalences = pd.Series({"AAA": 50.0, "BBB": 5.0, "CCC": 10.0, "DDD": 90.0})
    assert set(sensitivity.ranks_under_uncertainty(prevalences, "AAA", 0.0, 1_000, 0)) == {2}


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


def test_each_result_round_trips_through_json_and_gives_every_quantity_a_unit(long, tables):
    import json
    import typing

    pop = tables["population_sources.csv"]
    results = [snapshot.analyse(long, "PRK", 2023), comparison.analyse(long, pop, "PRK", 2018, 2023),
               comparison.analyse(long, pop, "IND", 2018, 2023),  # no population split: None
               sensitivity.analyse(long, pop, "PRK", ["UN WPP"], 2_000, 1, 0.1, [0.1, 0.2], 0.5, 2.0)]
    for result in results:
        kind = type(result)
        back = kind.from_dict(json.loads(json.dumps(result.to_dict(), allow_nan=False)))
        assert back == result, kind.__name__
        hints = typing.get_type_hints(kind)
        for name, unit, doc in kind.documentation():
            assert doc, f"{kind.__name__}.{name} says nothing of what it is"
            if hints[name] in (float, float | None, list[float]):
                assert unit, f"{kind.__name__}.{name} is a quantity without a unit"
    with pytest.raises(ValueError, match="missing .*'country'"):
        snapshot.SnapshotResult.from_dict({k: v for k, v in results[0].to_dict().items() if k != "country"})
