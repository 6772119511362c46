"""The regional totals after the second referee's report (findings 1 to 5), on the real data.

A published total may be one figure rounded once, or the sum of its parts (forced labour and
forced marriage), each rounded: the rounding bound is computed under both readings, from the
parts the sources quote.
"""

from __future__ import annotations

import pandas as pd
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


# --- What the sources print: the parts of the totals, and the GSI 2023 regional prevalences ------

@pytest.fixture(scope="module")
def published(paths):
    from analysis.data.regions import published_regional
    return published_regional(paths)


def _published(published, edition, region, indicator):
    rows = published[(published["edition"] == edition) & (published["region"] == region)
                     & (published["indicator"] == indicator)]
    assert len(rows) == 1, (edition, region, indicator)
    return rows.iloc[0]


@pytest.mark.parametrize(("edition", "region", "total", "labour", "marriage", "marriage_url"), [
    # Finding 1: 29.3 = 15.1 + 14.2 and 49.6 = 27.6 + 22 (GSI 2023); 40.3 = 24.9 + 15.4 (GSI 2018).
    (2023, "Asia and the Pacific", 29.3, 15.1, 14.2, "chronicleindia.in"),
    (2023, "World", 49.6, 27.6, 22.0, "business-standard.com"),
    (2018, "World", 40.3, 24.9, 15.4, "slideshare.net"),
])
def test_the_quoted_parts_of_a_total_are_held_with_their_pages(published, edition, region, total, labour,
                                                                marriage, marriage_url):
    assert _published(published, edition, region, "people_in_modern_slavery")["value"] == total
    fl = _published(published, edition, region, "people_in_forced_labour")
    fm = _published(published, edition, region, "people_in_forced_marriage")
    assert (fl["value"], fm["value"]) == (labour, marriage)
    assert round(fl["value"] + fm["value"], 1) == total
    assert marriage_url in fm["source_url"]
    for row in (fl, fm):
        assert row["basis"] == "printed" and row["unit"] == "million persons"
        assert f"{row['value']:g}" in row["quote"]


def test_the_gsi_2023_regional_prevalences_are_derived_from_the_scaler_file(published):
    # Finding 3: no source held prints them; each region's forced-labour scaler is the formula
    # forced labour / modern slavery, whose denominator is the regional prevalence.
    rows = published[(published["edition"] == 2023) & (published["indicator"] == "prevalence_per_1000")]
    assert dict(zip(rows["region"], rows["value"])) == {
        "Arab States": 10.1, "Europe and Central Asia": 6.9, "Asia and the Pacific": 6.8, "Africa": 5.2,
        "Americas": 5.0}
    assert set(rows["basis"]) == {"derived"}
    assert rows["source_url"].str.contains("make-labour-satellite/blob/1794f804").all()
    assert _published(published, 2023, "Asia and the Pacific", "prevalence_per_1000")["quote"] == "=3.5/6.8"
    # The numerator is the forced-labour prevalence the pages quote.
    fl = _published(published, 2023, "Arab States", "forced_labour_per_1000")
    assert fl["value"] == 5.3 and fl["basis"] == "printed"
    assert _published(published, 2023, "Arab States", "forced_marriage_per_1000")["value"] == 4.8
    # Every row of the file not derived is printed, with its page.
    assert set(published["basis"]) == {"printed", "derived"}
    assert published["source_url"].str.match(r"https?://").all()


# --- The comparison under both readings of a total ------------------------------------------------

def test_asia_pacific_2023_is_beyond_rounding_only_if_the_total_was_rounded_once(cmp):
    # Finding 1: 29.395 million summed against 29.3 printed, which is 15.1 + 14.2.
    ap = _row(cmp, 2023, "Asia and the Pacific")
    assert ap["basis"] == "printed"
    assert (ap["forced_labour"], ap["forced_marriage"]) == (15.1, 14.2)
    assert bool(ap["parts_add_up"]) is True
    assert round(1e6 * ap["difference"]) == 95_000
    assert round(1e6 * ap["rounding_bound"]) == 63_500                # 50,000 + 27 x 500
    assert round(1e6 * ap["rounding_bound_parts"]) == 113_500         # 2 x 50,000 + 27 x 500
    assert bool(ap["beyond_rounding"]) is True and bool(ap["beyond_rounding_parts"]) is False


def test_world_totals_are_within_rounding_under_either_reading(cmp):
    w23, w18 = _row(cmp, 2023, "World"), _row(cmp, 2018, "World")
    # 22 million is printed without a decimal: half a million of rounding.
    assert w23["rounding_bound_parts"] == pytest.approx(0.05 + 0.5 + 160 * 500 / 1e6)
    assert w18["rounding_bound_parts"] == pytest.approx(0.05 + 0.05 + 0.135 - 0.05)
    for row in (w23, w18):
        assert bool(row["parts_add_up"]) is True
        assert not bool(row["beyond_rounding"]) and not bool(row["beyond_rounding_parts"])


def test_a_total_whose_parts_are_not_held_has_one_reading_only(cmp):
    ap18 = _row(cmp, 2018, "Asia and the Pacific")
    assert bool(ap18["beyond_rounding"]) is True
    for column in ("forced_labour", "forced_marriage", "parts_add_up", "rounding_bound_parts",
                   "beyond_rounding_parts"):
        assert pd.isna(ap18[column]), column


def test_gsi_2023_prevalences_are_compared_and_the_arab_states_exceed_rounding(cmp):
    # Finding 3: 10.41 summed against 10.1 = 5.3 + 4.8, beyond rounding under both readings.
    rows = cmp[(cmp["edition"] == 2023) & (cmp["indicator"] == "prevalence_per_1000")].set_index("region")
    assert set(rows.index) == {"Africa", "Americas", "Arab States", "Asia and the Pacific",
                               "Europe and Central Asia"}
    assert set(rows["basis"]) == {"derived"}
    assert {r: round(v, 2) for r, v in rows["computed"].items()} == {
        "Africa": 5.25, "Americas": 5.01, "Arab States": 10.41, "Asia and the Pacific": 6.8,
        "Europe and Central Asia": 6.88}
    arab = rows.loc["Arab States"]
    assert bool(arab["beyond_rounding"]) and bool(arab["beyond_rounding_parts"])
    assert sorted(rows.index[rows["beyond_rounding"].astype(bool)]) == ["Arab States"]
    # 3.5 + 1.5 = 5 for the Americas, printed "5" on the overview page and derived as 5 from the scalers.
    assert sorted(rows.index[rows["parts_add_up"].astype("boolean").fillna(False)]) == [
        "Americas", "Arab States", "Asia and the Pacific"]


def test_the_fall_that_makes_the_region_add_up_and_the_fall_that_makes_it_print_so(long, cmp):
    # Finding 2: 29,395,000 equals 29.3 million only after a fall of 95,000, but is printed as
    # 29.3 million once below 29,350,000, after a fall of more than 45,000.
    closing = regional.closing_prevalence(long, cmp, "PRK", 2023, "Asia and the Pacific")
    assert round(closing["excess"]) == 95_000 and round(closing["excess_to_print"]) == 45_000
    assert round(closing["closing_prevalence"], 1) == 100.9
    assert closing["printing_prevalence"] == pytest.approx((2_696_000 - 45_000) / 25_779_000 * 1000)
    assert round(closing["printing_prevalence"], 1) == 102.8


def test_the_population_year_of_gsi_2018_is_matched_where_the_files_hold_both_years(long, tables):
    # Finding 4: only North Korea's populations for 2015 and 2016 are held (World Bank vintages);
    # GSI 2018's 25,244,000 is the 2015 figure of vintage 2017-10 rounded, not its 2016 figure.
    from analysis.analyses import editions
    found = editions.population_year_matches(long, tables["population_sources.csv"], 2018, (2015, 2016))
    assert found["countries"] == 181
    assert found["held"] == ["PRK"]
    assert found["matches"] == {2015: ["PRK"], 2016: []}


# --- The GSI 2018 prevalence parts (third referee reading, finding 1) ------------------------------

def test_the_gsi_2018_prevalence_parts_are_held_with_the_decimals_they_are_printed_with(published):
    # The GSI 2018 report prints forced labour and forced marriage for every region.
    labour = {r: _published(published, 2018, r, "forced_labour_per_1000") for r in
              ("Asia and the Pacific", "Europe and Central Asia", "Africa", "Arab States", "Americas")}
    assert {r: float(row["value"]) for r, row in labour.items()} == {
        "Asia and the Pacific": 4.0, "Europe and Central Asia": 3.6, "Africa": 2.8, "Arab States": 2.2,
        "Americas": 1.3}
    ap_marriage = _published(published, 2018, "Asia and the Pacific", "forced_marriage_per_1000")
    assert float(ap_marriage["value"]) == 2.0 and int(ap_marriage["decimals"]) == 1  # "2.0", not "2"
    assert int(labour["Asia and the Pacific"]["decimals"]) == 1
    assert int(_published(published, 2023, "World", "people_in_forced_marriage")["decimals"]) == 0  # "22"


def test_the_asia_pacific_prevalence_of_gsi_2018_is_not_the_sum_of_its_printed_parts(cmp):
    # 4.0 + 2.0 = 6.0, printed 6.1: that total was rounded once, not added from its rounded parts.
    ap = _row(cmp, 2018, "Asia and the Pacific", "prevalence_per_1000")
    assert (ap["forced_labour"], ap["forced_marriage"], ap["published"]) == (4.0, 2.0, 6.1)
    assert not bool(ap["parts_add_up"]) and pd.isna(ap["rounding_bound_parts"])


def test_africa_2018_is_beyond_rounding_under_both_readings(cmp):
    africa = _row(cmp, 2018, "Africa", "prevalence_per_1000")
    assert bool(africa["parts_add_up"])  # 2.8 + 4.8 = 7.6
    assert africa["rounding_bound_parts"] == pytest.approx(africa["rounding_bound"] + 0.05)
    assert bool(africa["beyond_rounding"]) and bool(africa["beyond_rounding_parts"])
    assert round(float(africa["difference"]), 3) == 0.147


# --- The GSI 2018 forced-marriage prevalences of every region (fourth referee reading) ----------------

REGIONAL_FINDINGS_2018 = "https://www.globalslaveryindex.org/2018/findings/regional-analysis/regional-findings/"
OVERVIEW_2023 = "https://www.walkfree.org/global-slavery-index/findings/regional-findings/overview/"


def test_the_gsi_2018_forced_marriage_prevalences_are_held_for_every_region_verbatim(published):
    # The chapter prints them for all five regions; the held excerpts cut the sentence after two.
    rows = published[(published["edition"] == 2018) & (published["indicator"] == "forced_marriage_per_1000")]
    assert {r: float(v) for r, v in zip(rows["region"], rows["value"])} == {
        "Africa": 4.8, "Asia and the Pacific": 2.0, "Arab States": 1.1, "Americas": 0.7,
        "Europe and Central Asia": 0.4}
    assert set(rows["decimals"]) == {1}
    assert set(rows["source_url"]) == {REGIONAL_FINDINGS_2018}
    for quote in rows["quote"]:
        assert quote.startswith("The prevalence of forced marriage was highest in Africa (4.8 victims)")
        assert quote.endswith("lowest in the Americas (0.7 per 1,000 people) and Europe and Central Asia "
                              "(0.4 victims).")
    # The forced-labour sentence of the same page, verbatim too, not the excerpts' summary of it.
    labour = published[(published["edition"] == 2018) & (published["indicator"] == "forced_labour_per_1000")]
    assert set(labour["source_url"]) == {REGIONAL_FINDINGS_2018}
    assert all(q.startswith("For forced labour, Asia and the Pacific had the highest prevalence (4.0 victims")
               for q in labour["quote"])


def test_every_printed_figure_says_where_its_quote_was_checked(published):
    printed = published[published["basis"] == "printed"]
    stored = printed["source_url"].isin([REGIONAL_FINDINGS_2018, OVERVIEW_2023])
    assert printed.loc[stored, "quote_checked"].str.fullmatch(
        r"against the stored copy of source_url, read \d{4}-\d{2}-\d{2}; the held excerpts .*").all()
    assert (printed.loc[~stored, "quote_checked"] == "against the held excerpts of the page").all()
    assert published.loc[published["basis"] == "derived", "quote_checked"].str.startswith(
        "against the formula as written").all()


def test_the_americas_2023_forced_marriage_is_held_from_the_regional_overview(published):
    fm = _published(published, 2023, "Americas", "forced_marriage_per_1000")
    assert float(fm["value"]) == 1.5 and fm["source_url"] == OVERVIEW_2023
    assert "and lowest in the Americas (1.5 per thousand)." in fm["quote"]


def test_three_totals_of_eleven_do_not_add_up_from_their_printed_parts(cmp):
    held = cmp[cmp["parts_add_up"].notna()]
    assert len(held) == 11
    apart = held[~held["parts_add_up"].astype(bool)]
    assert sorted(zip(apart["edition"], apart["region"], apart["published"])) == [
        (2018, "Americas", 1.9), (2018, "Asia and the Pacific", 6.1), (2018, "Europe and Central Asia", 3.9)]
    assert set(apart["indicator"]) == {"prevalence_per_1000"}
    assert apart["rounding_bound_parts"].isna().all()


def test_the_arab_states_2018_joins_the_comparisons_beyond_rounding_under_both_readings(cmp):
    arab = _row(cmp, 2018, "Arab States", "prevalence_per_1000")
    assert (arab["forced_labour"], arab["forced_marriage"], arab["published"]) == (2.2, 1.1, 3.3)
    assert bool(arab["parts_add_up"])
    assert round(float(arab["difference"]), 2) == 0.18
    assert round(float(arab["rounding_bound_parts"]), 2) == 0.14
    flag = lambda column: cmp[column].astype("boolean").fillna(False)  # noqa: E731
    both = cmp[flag("beyond_rounding") & flag("beyond_rounding_parts")]
    assert sorted(zip(both["edition"], both["region"], both["indicator"])) == [
        (2018, "Africa", "prevalence_per_1000"), (2018, "Arab States", "prevalence_per_1000"),
        (2023, "Arab States", "prevalence_per_1000")]
