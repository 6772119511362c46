"""Every number the paper quotes, formatted, for Quarto's ``{{< var >}}`` shortcode.

Counts of people in modern slavery are rounded to the thousand, as Walk Free
publishes them; parts of a decomposition are rounded to the hundred so that
they add up (:func:`~analysis.paper.formatting.apportion`).
"""

from __future__ import annotations

import datetime

import math
import re

from ..analyses import editions, regional
from ..analyses.comparison import CARRIED_DECIMALS, ranks
from ..analyses.sensitivity import TOP_N
from ..data.gsi import COUNT_ROUNDING, EDITIONS, VULNERABILITY_DIMENSIONS, VULNERABILITY_DIMENSIONS_2016
from ..data.manifest import load_manifest, rehashed_files
from ..data.population import GSI_POPULATION_YEAR
from ..paths import ProjectPaths
from .facts import Facts
from .formatting import (SHA_GROUP, Markup, apportion, floor_to, number, number_word, ordinal, ordinal_word,
                         share_text, significant_figures, to_thousand, unit_word)
from .tables import PREVALENCE_DECIMALS

#: Country names that take "the" in a sentence.
_WITH_ARTICLE = ("Netherlands", "United States", "United Kingdom", "Philippines", "United Arab Emirates",
                 "Central African Republic", "Democratic Republic of the Congo", "Gambia", "Bahamas")


def _month_year(iso_date: str) -> str:
    """'2019-06-17' -> 'June 2019'."""
    return datetime.date.fromisoformat(iso_date).strftime("%B %Y")


def _and(items: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'; '' for no items."""
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _comparison(facts: Facts) -> dict[str, str]:
    comp = facts.comparison
    change, pop_effect, rate_effect = (comp.count_implied_change, comp.count_population_effect,
                                       comp.count_prevalence_effect)
    # Parts to the person, rounded so that they add up to the change as printed.
    pop_shown, rate_shown = apportion([pop_effect, rate_effect], 1)
    shares = apportion([100 * pop_effect / change, 100 * rate_effect / change], 0.1, 100.0)
    out = {
        "nk_prev_2018_full": f"{comp.prevalence_from:.3f}",
        "nk_prev_2018_stored": repr(float(comp.prevalence_from)),
        "nk_rate_change": number(comp.prevalence_to - comp.prevalence_from, 3),
        "nk_count_2018": number(comp.count_published_from),
        "nk_pop_2018": number(comp.population_from),
        "nk_count_change": number(comp.count_published_change),
        "nk_implied_2018": number(comp.count_implied_from),
        "nk_implied_2023": number(comp.count_implied_to),
        "nk_implied_change": number(pop_shown + rate_shown),
        "nk_population_effect": number(pop_shown),
        "nk_prevalence_effect": number(rate_shown),
        "nk_population_share": number(shares[0], 1),
        "nk_prevalence_share": number(shares[1], 1),
        "countries_both": str(comp.countries_in_both),
        "spearman_2018_2023": f"{comp.spearman_prevalence:.2f}",
        "median_change_factor": number(comp.median_change_factor, 1),
    }
    split, parts = comp.population_split, comp.population_effect_parts
    if split:
        growth, revision, rounding = apportion(
            [parts.growth_effect, parts.revision_effect, parts.rounding_effect], 1, pop_shown)
        out.update({
            "split_from_revision": split.from_revision.replace("World Bank, ", ""),
            "split_to_revision": split.to_revision.replace("World Bank, ", ""),
            "split_next_revision": split.next_revision.replace("World Bank, ", ""),
            "split_next_revision_value": number(split.next_revision_year_to),
            "split_next_revision_from": number(split.next_revision_year_from),
            "split_un_from_earlier": number(split.un_from_earlier_edition),
            "split_un_from_later": number(split.un_from_later_edition),
            "split_change": number(split.change), "split_growth": number(split.growth),
            "split_revision": number(split.revision),
            "split_revision_abs": number(abs(split.revision)), "split_rounding": number(split.rounding),
            "split_growth_effect": number(growth), "split_revision_effect": number(revision),
            "split_rounding_effect": number(rounding),
        })
    return out


def _sensitivity(facts: Facts) -> dict[str, str]:
    sens = facts.sensitivity
    sds, first = sens.rank_relative_sds, sens.rank_share_first
    return {
        "sens_years_text": _and([str(y) for y in sens.years]),
        "sens_figures": str(sens.figures),
        "sens_pop_low": number(sens.population_low), "sens_pop_high": number(sens.population_high),
        "sens_count_min": to_thousand(sens.count_min), "sens_count_max": to_thousand(sens.count_max),
        **{f"sens_count_{kind}_{year}": to_thousand(getattr(ranges, f"count_{kind}"))
           for year, ranges in sens.by_year.items() for kind in ("min", "max")},
        **{f"sens_figures_{year}": str(ranges.figures) for year, ranges in sens.by_year.items()},
        "sens_prev_min": number(sens.prevalence_at_count_min, 1),
        "sens_prev_max": number(sens.prevalence_at_count_max, 1),
        "sens_draws": number(sens.draws), "sens_seed": str(sens.seed),
        "sens_sd_pct": number(100 * sens.prevalence_relative_sd),
        "sens_pop_only_low": to_thousand(sens.population_only_count_p2_5),
        "sens_pop_only_high": to_thousand(sens.population_only_count_p97_5),
        "sens_low_sd": number(100 * sds[0]), "sens_high_sd": number(100 * sds[-1]),
        "sens_share_first_low_sd": number(100 * first[0]),
        "sens_share_first_high_sd": number(100 * first[-1]),
        "sens_share_top3_min": floor_to(100 * min(sens.rank_share_top_3), 1),
        "runner_up": sens.runner_up, "runner_up_prev": number(sens.runner_up_prevalence, 1),
    }


def _snapshot(facts: Facts) -> dict[str, str]:
    snap = facts.snapshot
    un = facts.population[(facts.population["iso3"] == facts.country)
                          & (facts.population["source"] == "UN WPP")].iloc[0]
    return {
        "nk_prev_2023": number(snap.prevalence_per_1000, 1),
        "nk_count_2023": number(snap.estimated_number),
        "nk_pop_2023": number(snap.population),
        "nk_pop_2023_unrounded": number(un["population"]),
        "region_countries_2023": str(snap.countries_in_region),
        "region_prev_2023": number(snap.regional_prevalence_per_1000, 1),
        "nk_vuln_2023": number(snap.vulnerability_total, 1),
        "region_vuln_2023": number(snap.vulnerability_total_regional_average, 1),
        "nk_govt_2023": number(snap.govt_total_pct, 1),
        "region_govt_2023": number(snap.govt_total_pct_regional_average, 1),
        "countries_estimated_2023": str(snap.countries_with_estimate),
        "nk_vuln_widest_gap_dimension": snap.widest_vulnerability_gap_dimension.lower(),
        "nk_vuln_widest_gap": number(snap.widest_vulnerability_gap, 1),
        "nk_rank_number_region_2023": ordinal(int(snap.rank_in_region_by_number)),
        "above_by_number_region_2023": _and(snap.ranked_above_by_number) or "no other country",
        "region_vuln_countries": str(snap.vulnerability_countries_averaged),
        "region_govt_countries": str(snap.response_countries_averaged),
        "region_govt_without_estimate": str(snap.response_averaged_without_estimate),
        "nk_dims_above": str(snap.dimensions_above_average),
        "nk_dims": str(snap.dimensions),
    }


def _regional(facts: Facts) -> dict[str, str]:
    cmp = facts.regional.set_index(["edition", "region", "indicator"])
    beyond = facts.regional[facts.regional["beyond_rounding"].astype(bool)]
    ap23 = cmp.loc[(2023, facts.region, "people_in_modern_slavery")]
    w23 = cmp.loc[(2023, "World", "people_in_modern_slavery")]
    ap18 = cmp.loc[(2018, facts.region, "prevalence_per_1000")]
    return {
        "regional_comparisons": str(len(facts.regional)),
        "regional_beyond_rounding": str(len(beyond)),
        "regional_beyond_rounding_above": str(int((beyond["difference"] > 0).sum())),
        "ap_2023_published": number(ap23["published"], 1),
        "ap_2023_computed": number(ap23["computed"], 3),
        "ap_2023_computed_printed": number(ap23["computed"], 1),
        "ap_2023_countries": str(int(ap23["countries_with_estimate"])),
        "ap_2023_difference": number(1e6 * ap23["difference"]),
        "ap_2023_rounding_bound": number(1e6 * ap23["rounding_bound"]),
        "world_2023_published": number(w23["published"], 1),
        "world_2023_computed": number(w23["computed"], 2),
        "ap_2018_prev_published": number(ap18["published"], 1),
        "ap_2018_prev_computed": number(ap18["computed"], 2),
        "ap_2018_prev_labour": printed(ap18, "forced_labour"),
        "ap_2018_prev_marriage": printed(ap18, "forced_marriage"),
        "ap_2018_prev_parts_sum": number(float(ap18["forced_labour"]) + float(ap18["forced_marriage"]),
                                         int(ap18["forced_labour_decimals"])),
    }


def _commit_text(paths: ProjectPaths) -> str:
    """Which commit of the repository built the paper, for its title page."""
    from .checkout import paper_checkout
    commit, dirty = paper_checkout(paths)
    if commit is None:
        return "built outside a git checkout"
    return f"commit {commit[:12]}" + (" with uncommitted changes" if dirty else "")


def _in_sentence(name: str) -> str:
    """A country's name as a sentence needs it: 'the Netherlands'."""
    return f"the {name}" if name in _WITH_ARTICLE else name


def _editions(facts: Facts, paths: ProjectPaths) -> dict[str, str]:
    """Numbers about the editions: what they print and what their numbers show (counts as words)."""
    long = facts.long
    notes = long.loc[long["edition"] == 2018, "estimated_number_note"].dropna()
    rank_world = ranks(long, 2023).set_index("iso3").loc[facts.country]
    primary = editions.count_primary(long)
    others = [_in_sentence(n) for n in primary.loc[primary["iso3"] != facts.country, "country"]]
    nk_2016 = facts.row(2016)
    product = editions.count_matches_product(long)
    matches = editions.population_matches_un(long, facts.population)
    manifest = load_manifest(paths)
    vuln = next(c for c in manifest["gsi2023_country_table.csv"].columns if c.name == "vuln_governance")
    label = re.search(r"Population \((\d{4})\)", str(facts.statement("snapshot_population_2021")["quote"]))
    extracted = manifest["gsi2023_country_table.csv"].extra.get("extracted_from") or {}
    copies = extracted.get("copies_compared", {})
    return {
        "editions_held": number_word(len(EDITIONS)),
        "counts_below_1000_2018": number_word(len(notes)),
        "below_1000_text": _and(sorted(set(notes))),
        "regions_2016": number_word(long.loc[long["edition"] == 2016, "region_as_published"].nunique()),
        "carried_decimals": number_word(CARRIED_DECIMALS),
        "count_rounding_2023": unit_word(COUNT_ROUNDING[2023]),
        "count_rounding_2016": unit_word(COUNT_ROUNDING[2016]),
        "table_decimals_words": number_word(PREVALENCE_DECIMALS),
        "nk_rank_word_2023": ordinal_word(int(rank_world["rank_world"])),
        "nk_rank_region_word_2023": ordinal_word(int(rank_world["rank_region"])),
        "nk_count_2016": number(nk_2016["estimated_number"]),
        "nk_count_2016_digits": number_word(significant_figures(float(nk_2016["estimated_number"]))),
        "count_primary_others": _and(others) or "no other country",
        "vuln_dims": number_word(len(VULNERABILITY_DIMENSIONS)),
        "vuln_dims_2016": number_word(len(VULNERABILITY_DIMENSIONS_2016)),
        "vuln_scale_low": number(vuln.minimum), "vuln_scale_high": number(vuln.maximum),
        "product_matches_2023": number(product["matches"]),
        "product_matches_2016": number(editions.count_matches_product(long, 2016)["matches"]),
        "countries_2016": number(editions.count_matches_product(long, 2016)["countries"]),
        "population_matches_2023": number(matches["matches"]), "rows_2023": number(matches["rows"]),
        "snapshot_population_label_year": label.group(1) if label else "no year",
        "un_pop_year": str(regional.UN_YEAR),
        "population_years_apart": number_word(GSI_POPULATION_YEAR[2023] - GSI_POPULATION_YEAR[2018]),
        "rate_years_older": number_word(facts.reference_year(2023) - facts.reference_year(2018)),
        "sha_group": number(SHA_GROUP),
        "gsi2023_copies": number_word(1 + len(copies.get("copies", []))) if copies else "one",
        "gsi2023_copies_result": copies.get("result", "not compared"),
    }


def _regional_analyses(facts: Facts) -> dict[str, str]:
    """The counts and prevalences of the regional comparison apart, the population-year test, the excess."""
    cmp = facts.regional
    beyond = cmp["beyond_rounding"].astype(bool)
    counts = cmp["indicator"] == regional.COUNT
    region = facts.region
    excess = regional.excess_over_published(cmp, region)
    closing = regional.closing_prevalence(facts.long, cmp, facts.country, 2023, region)
    ap = cmp[(cmp["region"] == region) & counts & (cmp["edition"] == 2023)].iloc[0]
    arab = cmp[(cmp["region"] == "Arab States") & ~counts & (cmp["edition"] == 2023)].iloc[0]
    held = cmp["parts_add_up"].notna()
    add_up = cmp["parts_add_up"].astype("boolean").fillna(False).astype(bool)
    apart = int((held & ~add_up).sum())
    africa = cmp[(cmp["region"] == "Africa") & ~counts & (cmp["edition"] == 2018)].iloc[0]
    arab_2018 = cmp[(cmp["region"] == "Arab States") & ~counts & (cmp["edition"] == 2018)].iloc[0]
    rows = facts.long[facts.long["has_estimate"].astype(bool)]
    no_population = sorted(rows.loc[rows["population"].isna(), "country"].unique())
    both = beyond & cmp["beyond_rounding_parts"].astype("boolean").fillna(False).astype(bool)
    prevalences = cmp[~counts]
    found = editions.population_year_matches(facts.long, facts.population, 2018,
                                             (GSI_POPULATION_YEAR[2018], facts.reference_year(2018)))
    later = editions.population_year_matches(facts.long, facts.population, 2023,
                                             (facts.reference_year(2023),))
    names = facts.long.drop_duplicates("iso3").set_index("iso3")["country"]
    return {
        "regional_count_rows": number_word(int(counts.sum())),
        "regional_count_beyond": number_word(int((counts & beyond).sum())),
        "regional_prevalence_rows": number_word(int((~counts).sum())),
        "regional_prevalence_rows_2018": number_word(int((prevalences["edition"] == 2018).sum())),
        "regional_prevalence_rows_2023": number_word(int((prevalences["edition"] == 2023).sum())),
        "regional_prevalence_beyond": number_word(int((~counts & beyond).sum())),
        "regional_parts_printed": number_word(int(held.sum())),
        "regional_parts_rows": number_word(int(add_up.sum())),
        "regional_parts_apart": number_word(apart),
        "regional_no_decimals": number_word(len(facts.regional_without_decimals())),
        "regional_parts_apart_others": number_word(apart - 1),
        **_added_from_parts("africa_2018", africa),
        **_added_from_parts("arab_2018", arab_2018),
        "regional_no_population": _and([_in_sentence(str(n)) for n in no_population]),
        "regional_beyond_both": number_word(int(both.sum())),
        "ap_2018_difference": number(round(excess[2018])),
        "ap_excess_change": number(abs(round(excess[2018]) - round(excess[2023]))),
        "ap_2023_closing_prevalence": number(closing["closing_prevalence"], 1),
        "ap_2023_fall_to_print": number(round(closing["excess_to_print"])),
        "ap_2023_printing_prevalence": number(closing["printing_prevalence"], 1),
        "ap_2023_labour": printed(ap, "forced_labour"),
        "ap_2023_marriage": printed(ap, "forced_marriage"),
        "ap_2023_rounding_bound_parts": number(1e6 * float(ap["rounding_bound_parts"])),
        "ap_published_step": number(2 * (float(ap["rounding_bound"]) - _country_slack(ap)), 1),
        **_added_from_parts("arab_2023", arab),
        "pop_year_countries": number(found["countries"]),
        "pop_year_held": number_word(len(found["held"])),
        "pop_year_held_names": _and([_in_sentence(str(names[c])) for c in found["held"]]),
        "pop_year_held_2023_names": _and([_in_sentence(str(names[c])) for c in later["held"]]),
    }


def _added_from_parts(prefix: str, row) -> dict[str, str]:
    """A prevalence comparison ``row`` read as a total added from its parts: the published figure and its
    parts as printed, the computed figure, the difference and the bound of the parts (per 1,000)."""
    return {f"{prefix}_published": printed(row), f"{prefix}_labour": printed(row, "forced_labour"),
            f"{prefix}_marriage": printed(row, "forced_marriage"),
            f"{prefix}_computed": number(row["computed"], 2),
            f"{prefix}_difference": number(row["difference"], 2),
            f"{prefix}_bound_parts": number(row["rounding_bound_parts"], 2)}


def printed(row, column: str = "published") -> str:
    """The figure ``column`` of a regional comparison ``row`` with the decimals it was printed with
    (22 million, 5.3 or 4.0 per 1,000): ``published``, ``forced_labour`` or ``forced_marriage``."""
    return number(float(row[column]), int(row[f"{column}_decimals"]))


def _country_slack(row) -> float:
    """The part of a count comparison's rounding bound (millions) that comes from the country counts."""
    from ..data.regions import half_unit
    return float(row["rounding_bound"]) - half_unit(row["published_decimals"])


def _scenarios(facts: Facts) -> dict[str, str]:
    """The closed form beside the simulation, and the error scenarios of the sensitivity run."""
    sens = facts.sensitivity
    gaps = [abs(a - b) for a, b in zip(sens.rank_share_first, sens.rank_closed_form_first)]
    out = {"top_n": number_word(TOP_N),
           "closed_form_gap_pct": number(math.ceil(1000 * max(gaps)) / 10, 1)}
    scen = sens.error_scenarios
    if scen:
        out.update({
            "scenario_count": number_word(len(scen)),
            "scenario_correlation": number(scen["correlated"].correlation, 1),
            "scenario_own_factor": number(scen["older_estimate"].own_sd_factor, 0),
            "scenario_independent": share_text(scen["independent"].share_first),
            "scenario_correlated": share_text(scen["correlated"].share_first),
            "scenario_older": share_text(scen["older_estimate"].share_first),
        })
    return out


def paper_variables(facts: Facts, paths: ProjectPaths) -> dict[str, str]:
    """Every number the paper quotes, formatted, keyed by the name used in ``{{< var >}}``.

    Values are plain text (escaped for Markdown when written), but for those of
    type :class:`~analysis.paper.formatting.Markup`, which are Markdown already.
    """
    tip = facts.tip
    return {
        **_snapshot(facts), **_comparison(facts), **_sensitivity(facts), **_regional(facts),
        **_editions(facts, paths), **_regional_analyses(facts), **_scenarios(facts),
        "tip_not_from_reports": str(int((tip["source_type"] != "report").sum())),
        "estimate_year_2023": str(facts.reference_year(2023)),
        "estimate_year_2018": str(facts.reference_year(2018)),
        "nk_pop_year_2023": str(GSI_POPULATION_YEAR[2023]),
        "nk_pop_year_2018": str(GSI_POPULATION_YEAR[2018]),
        "tip_first": str(int(tip["report_year"].min())),
        "tip_last": str(int(tip["report_year"].max())),
        "tip_reports": str(len(tip)),
        "tip_from_reports": str(int((tip["source_type"] == "report").sum())),
        "tip_from_news": str(int((tip["source_type"] == "news").sum())),
        "tip_archived": str(int((tip["stable_url"] == tip["source_url"]).sum())),
        # The undated report copy is dated by the press report that quotes it, the source of one tier row.
        "tip_dated_year": _and([str(y) for y in facts.tier_years_sourced_by("tip2014_dating")]),
        "tip_other_range_year": _and([str(y) for y in facts.tier_years_sourced_by("tip2012_prisoners")]),
        "tip_from_counts": _and([str(y) for y in tip.loc[tip["source_type"] == "count", "report_year"]]),
        "un_wpp2019_published": _month_year(load_manifest(paths)["population_un_wpp2019_2020.csv"]
                                            .citation["date_published"]),
        "defectors_interviewed": number(facts.statement("defectors_interviewed")["value_low"]),
        "political_prisoners_low": number(facts.statement("political_prisoners")["value_low"]),
        "political_prisoners_high": number(facts.statement("political_prisoners")["value_high"]),
        "raw_files": str(len(load_manifest(paths))),
        "build_commit": _commit_text(paths),
        "raw_files_edited": Markup(", ".join(f"`{n}`" for n in rehashed_files(paths)) or "none"),
    }
