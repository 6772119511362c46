"""The cleaned tables reproduce the published North Korea figures to the published rounding."""

from __future__ import annotations

import pandas as pd
import pytest


def _row(long: pd.DataFrame, iso3: str, edition: int) -> pd.Series:
    rows = long[(long["iso3"] == iso3) & (long["edition"] == edition)]
    assert len(rows) == 1
    return rows.iloc[0]


def test_north_korea_2023(long):
    nk = _row(long, "PRK", 2023)
    assert nk["country"] == "North Korea"
    assert nk["region"] == "Asia and the Pacific"
    assert round(nk["prevalence_per_1000"], 1) == 104.6
    assert nk["estimated_number"] == 2_696_000
    assert nk["population"] == 25_779_000
    assert round(nk["vulnerability_total"]) == 67
    assert round(nk["govt_total_pct"]) == -3


def test_north_korea_2023_negative_milestones_are_kept(long):
    nk = _row(long, "PRK", 2023)
    assert round(nk["govt_m1_survivors_pct"]) == -9
    assert round(nk["govt_m4_risk_factors_pct"]) == -21
    assert nk["govt_m5_supply_chains_pct"] == 0


def test_north_korea_2018(long):
    nk = _row(long, "PRK", 2018)
    assert nk["name_as_published"] == "Korea, Democratic People's Republic of"
    assert nk["estimated_number"] == 2_640_000
    assert round(nk["prevalence_per_1000"], 1) == 104.6
    assert nk["population"] == 25_244_000
    assert round(nk["govt_total_pct"], 1) == -5.6


def test_north_korea_2016_per_cent_becomes_per_1000(long):
    nk = _row(long, "PRK", 2016)
    assert round(nk["prevalence_per_1000"] / 10, 2) == 4.37  # published as 4.37 per cent
    assert round(nk["prevalence_per_1000"], 1) == 43.7
    assert nk["estimated_number"] == 1_100_000
    assert nk["region_as_published"] == "ASIA"
    assert nk["region"] == "Asia and the Pacific"


def test_full_precision_is_kept(long):
    nk = _row(long, "PRK", 2023)
    assert nk["vulnerability_total"] == 67.01499449667587
    assert _row(long, "PRK", 2018)["prevalence_per_1000"] == 104.561052469824


def test_counts_below_1000_are_na_with_a_note_never_zero(long):
    small = long[(long["edition"] == 2018) & long["estimated_number_note"].notna()]
    assert sorted(small["iso3"]) == ["BRB", "ISL", "LUX"]
    assert small["estimated_number"].isna().all()
    assert set(small["estimated_number_note"]) == {"<1,000"}
    assert small["has_estimate"].all()


def test_countries_without_estimate_are_na(long):
    counts = long.groupby("edition")["has_estimate"].agg(["size", "sum"])
    assert counts.loc[2023].tolist() == [180, 160]
    assert counts.loc[2018].tolist() == [186, 167]
    assert counts.loc[2016].tolist() == [167, 167]
    none = long[~long["has_estimate"]]
    assert none["prevalence_per_1000"].isna().all() and none["estimated_number"].isna().all()


def test_population_zero_in_2023_means_not_given(long):
    missing = long[(long["edition"] == 2023) & long["population"].isna()]
    assert sorted(missing["iso3"]) == ["CPV", "LIE", "PLW", "XKX"]
    assert not (long["population"] == 0).any()


def test_every_row_has_iso3_and_one_of_five_regions(long):
    assert long["iso3"].str.fullmatch(r"[A-Z]{3}").all()
    assert set(long["region"]) == {"Africa", "Americas", "Arab States", "Asia and the Pacific",
                                   "Europe and Central Asia"}
    assert not long.duplicated(["iso3", "edition"]).any()
    names = set(long.loc[long["iso3"] == "COD", "name_as_published"])
    assert names == {"Democratic Republic of the Congo", "Congo, Democratic Republic of the"}


def test_tip_tier_3_every_year_since_2003(tables):
    tip = tables["tip_tiers.csv"]
    assert tip["report_year"].min() == 2003
    assert tip["report_year"].tolist() == list(range(2003, tip["report_year"].max() + 1))
    assert set(tip["tier"]) == {"Tier 3"}


@pytest.mark.parametrize(("edition", "region", "indicator", "published", "computed"), [
    (2023, "Asia and the Pacific", "people_in_modern_slavery", 29.3, 29.395),
    (2023, "World", "people_in_modern_slavery", 49.6, 49.63),
    (2018, "Asia and the Pacific", "people_in_modern_slavery", 24.9, 24.997),
    (2018, "Asia and the Pacific", "prevalence_per_1000", 6.1, 6.06),
    (2018, "World", "people_in_modern_slavery", 40.3, 40.289),
])
def test_regional_sums_against_published_totals(tables, edition, region, indicator, published,
                                                 computed):
    cmp = tables["regional_comparison.csv"]
    row = cmp[(cmp["edition"] == edition) & (cmp["region"] == region)
              & (cmp["indicator"] == indicator)].iloc[0]
    assert row["published"] == published
    assert round(row["computed"], 3) == pytest.approx(computed, abs=0.005)
    assert row["difference"] == pytest.approx(row["computed"] - published)


def test_asia_pacific_2023_sum_differs_from_published_and_says_so(tables):
    cmp = tables["regional_comparison.csv"]
    row = cmp[(cmp["edition"] == 2023) & (cmp["region"] == "Asia and the Pacific")].iloc[0]
    assert row["countries_with_estimate"] == 27
    assert round(row["difference"], 3) == 0.095  # 29.395 million summed vs 29.3 printed


def test_gsi_2016_vulnerability_dimensions_are_carried_in_columns_of_their_own(long):
    # Issue 8, point 10: they were in data/raw but dropped from the processed tables.
    nk = _row(long, "PRK", 2016)
    dims = ["vuln2016_political_rights", "vuln2016_financial_health", "vuln2016_protection_vulnerable",
            "vuln2016_conflict"]
    assert all(pd.notna(nk[d]) and 0 <= nk[d] <= 100 for d in dims)
    assert nk["vulnerability_total"] == pytest.approx(sum(nk[d] for d in dims) / 4, abs=0.01)
    later = long[long["edition"] != 2016]
    assert later[dims].isna().all().all()
    # The five-dimension model's columns stay blank for 2016: the two are different constructs.
    assert pd.isna(nk["vuln_governance"])
