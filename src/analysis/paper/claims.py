"""The paper's qualitative claims, each checked against the data every time the paper is built.

A claim is a sentence of ``paper.qmd`` marked as a span,
``[...]{.claim key="first-in-region"}``, whose truth depends on the data: a
rank, an "only", an "all", a direction. :data:`CLAIMS` holds, for each key,
what the sentence asserts and a check computed from the paper's
:class:`~analysis.paper.facts.Facts`. The build refuses to render when a check
fails, naming the claim and the numbers that contradict it; it also refuses
when the text marks a claim that has no check, or a check's claim is not in
the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from ..errors import AnalysisError
from .facts import Facts

#: "Almost all" of a change: at least this share.
ALMOST_ALL = 0.95
#: "Agree": the closed form and the simulated share differ by at most this (a share, 0 to 1).
CLOSE_FORM_GAP = 0.02

Check = Callable[[Facts], tuple[bool, str]]


@dataclass(frozen=True)
class Claim:
    """A claim of the text: its key, what it asserts, and its check."""

    key: str
    asserts: str
    check: Check


def _world_ranks(facts: Facts, edition: int):
    rows = facts.long[(facts.long["edition"] == edition) & facts.long["has_estimate"]]
    return rows.set_index("iso3")["prevalence_per_1000"].astype(float).rank(ascending=False, method="min")


def _highest(facts: Facts) -> tuple[bool, str]:
    ranks = _world_ranks(facts, 2023)
    top = ranks[ranks == 1].index.tolist()
    return top == [facts.country], f"highest prevalence in GSI 2023: {top}"


def _first_every_edition(facts: Facts) -> tuple[bool, str]:
    firsts = {e: _world_ranks(facts, e)[lambda r: r == 1].index.tolist() for e in (2016, 2018, 2023)}
    return all(v == [facts.country] for v in firsts.values()), f"first by prevalence: {firsts}"


def _tip_copy_dated(facts: Facts) -> tuple[bool, str]:
    copy, earlier = facts.statement("political_prisoners"), facts.statement("tip2012_prisoners")
    ranges = [(int(r["value_low"]), int(r["value_high"])) for r in (copy, earlier)]
    dated, earlier_years = (facts.tier_years_sourced_by(k) for k in ("tip2014_dating", "tip2012_prisoners"))
    return (ranges[0] != ranges[1] and len(dated) == 1 and len(earlier_years) == 1,
            f"political prisoners in the copy {ranges[0]}, in the report of {earlier_years} {ranges[1]}; "
            f"the press report that quotes the copy is the source of the tier of {dated}")


def _tier_3(facts: Facts) -> tuple[bool, str]:
    tip = facts.tip[facts.tip["iso3"] == facts.country].sort_values("report_year")
    years = tip["report_year"].astype(int).tolist()
    consecutive = years == list(range(years[0], years[-1] + 1)) if years else False
    tiers = set(tip["tier"])
    sourced = bool(tip["source_url"].notna().all() and tip["quote"].notna().all())
    return (consecutive and tiers == {"Tier 3"} and sourced,
            f"report years {years[0] if years else None}-{years[-1] if years else None} consecutive: "
            f"{consecutive}; tiers {sorted(tiers)}; every year sourced: {sourced}")


def _first_in_region(facts: Facts) -> tuple[bool, str]:
    rank = facts.snapshot.rank_in_region
    return rank == 1, f"rank in region by prevalence: {rank}"


def _rank_by_count(facts: Facts) -> tuple[bool, str]:
    rank, above = facts.snapshot.rank_in_region_by_number, facts.snapshot.ranked_above_by_number
    return rank == len(above) + 1, f"rank by count {rank}, countries above: {above}"


def _widest_gap(facts: Facts) -> tuple[bool, str]:
    gap = facts.snapshot.widest_vulnerability_gap
    return gap is not None and gap > 0, (
        f"widest gap above the regional average: "
        f"{facts.snapshot.widest_vulnerability_gap_dimension}, {gap}")


def _only_negative(facts: Facts) -> tuple[bool, str]:
    negative = facts.snapshot.negative_responders
    name = facts.row(2023)["country"]
    return negative == [name], f"countries with a negative government-response total: {negative}"


def _carried_forward(facts: Facts) -> tuple[bool, str]:
    comp = facts.comparison
    return (comp.carried_forward and not comp.rounded_elsewhere,
            f"2023 = round(2018, 1): {comp.carried_forward}; other countries stored with one decimal: "
            f"{comp.rounded_elsewhere}")


def _change_is_population(facts: Facts) -> tuple[bool, str]:
    share = facts.comparison.count_population_share
    return share >= ALMOST_ALL, f"population's share of the change in the implied count: {share:.4f}"


def _growth_offset(facts: Facts) -> tuple[bool, str]:
    split = facts.comparison.population_split
    if split is None:
        return False, "the population change could not be split with the data held"
    # Mostly growth: the growth is larger than the revision that offsets it.
    holds = split.growth > split.change > 0 > split.revision and split.growth > -split.revision
    return holds, (f"growth {split.growth:,.0f}, revision {split.revision:,.0f}, "
                   f"change {split.change:,.0f}")


def _first_under_every_figure(facts: Facts) -> tuple[bool, str]:
    sens = facts.sensitivity
    return (sens.rank_holds_for_all_figures is True,
            f"lowest implied prevalence {sens.prevalence_at_count_min:.2f} against "
            f"{sens.runner_up} {sens.runner_up_prevalence:.2f}")


def _share_falls(facts: Facts) -> tuple[bool, str]:
    shares = facts.sensitivity.rank_share_first
    falls = all(b < a for a, b in zip(shares, shares[1:]))
    return falls, f"share first by assumed sd {facts.sensitivity.rank_relative_sds}: {shares}"


def _top_three(facts: Facts) -> tuple[bool, str]:
    shares = facts.sensitivity.rank_share_top_3
    return min(shares) > 0.5, f"share in the top three by assumed sd: {shares}"


def _band_set_by_assumption(facts: Facts) -> tuple[bool, str]:
    sens = facts.sensitivity
    full = sens.band_count_p97_5 - sens.band_count_p2_5
    population = sens.population_only_count_p97_5 - sens.population_only_count_p2_5
    return population < full / 2, f"band width {full:,.0f}, with the population alone {population:,.0f}"


def _sums_exceed(facts: Facts) -> tuple[bool, str]:
    beyond = facts.regional[facts.regional["beyond_rounding"].astype(bool)]
    above = int((beyond["difference"] > 0).sum())
    return (len(beyond) > 0 and above == len(beyond),
            f"{len(beyond)} differences beyond rounding, {above} of them with the sum above the "
            "published figure")


def _flag(value: object) -> bool | None:
    """A yes/no column of the regional comparison (read back from CSV or built in memory): None if blank."""
    return None if pd.isna(value) else bool(value)


def _ap_2023_reading(facts: Facts) -> tuple[bool, str]:
    cmp = facts.regional.set_index(["edition", "region", "indicator"])
    row = cmp.loc[(2023, facts.region, "people_in_modern_slavery")]
    printed = round(float(row["computed"]), 1) != float(row["published"])
    once, parts, add_up = (_flag(row["beyond_rounding"]), _flag(row["beyond_rounding_parts"]),
                           _flag(row["parts_add_up"]))
    return (once is True and add_up is True and parts is False and printed,
            f"difference {row['difference']:.4f} million; bound rounded once {row['rounding_bound']:.4f} "
            f"(beyond: {once}), added from its parts {row['rounding_bound_parts']} (beyond: {parts}); "
            f"parts add up: {add_up}")


#: The GSI 2018 prevalences whose printed parts do not add up to the total as printed (4.0 + 2.0 against
#: 6.1 for Asia and the Pacific).
_PARTS_APART = [(2018, region, "prevalence_per_1000")
                for region in ("Americas", "Asia and the Pacific", "Europe and Central Asia")]


def _parts_not_adding_up(facts: Facts) -> tuple[bool, str]:
    cmp = facts.regional
    held = cmp[cmp["parts_add_up"].notna()]
    apart = held[~held["parts_add_up"].astype(bool)]
    found = sorted(zip(apart["edition"].astype(int), apart["region"], apart["indicator"]))
    return (len(held) > len(found) and found == _PARTS_APART,
            f"{len(held)} totals with both parts printed; not adding up: {found}")


def _other_2018_prevalences_once(facts: Facts) -> tuple[bool, str]:
    cmp = facts.regional
    rows = cmp[(cmp["edition"] == 2018) & (cmp["indicator"] == "prevalence_per_1000")]
    with_parts = sorted(rows.loc[rows["rounding_bound_parts"].notna(), "region"])
    no_parts = sorted(rows.loc[rows["parts_add_up"].isna(), "region"])
    apart = sorted(rows.loc[rows["parts_add_up"].astype("boolean").eq(False).fillna(False), "region"])
    ok = (with_parts == ["Africa", "Arab States"] and no_parts == ["World"]
          and [(2018, r, "prevalence_per_1000") for r in apart] == _PARTS_APART)
    return ok, (f"GSI 2018 prevalences with a bound of their parts: {with_parts}; without parts printed: "
                f"{no_parts}; whose parts do not add up: {apart}")


def _printed_without_decimals(facts: Facts) -> tuple[bool, str]:
    found = facts.regional_without_decimals()
    expected = [(2023, "Americas", "prevalence_per_1000", "published"),
                (2023, "World", "people_in_modern_slavery", "forced_marriage")]
    return found == expected, f"figures printed without decimals: {found}"


def _fall_to_print(facts: Facts) -> tuple[bool, str]:
    from ..analyses.regional import closing_prevalence
    c = closing_prevalence(facts.long, facts.regional, facts.country, 2023, facts.region)
    ok = 0 < c["excess_to_print"] < c["excess"] and c["closing_prevalence"] < c["printing_prevalence"] < c[
        "prevalence"]
    return ok, (f"fall {c['excess_to_print']:,.0f} to be printed as the total (prevalence "
                f"{c['printing_prevalence']:.3f}), {c['excess']:,.0f} to equal it "
                f"({c['closing_prevalence']:.3f})")


def _beyond_both(facts: Facts) -> list[tuple[int, str, str]]:
    cmp = facts.regional
    both = [bool(_flag(a)) and bool(_flag(b))
            for a, b in zip(cmp["beyond_rounding"], cmp["beyond_rounding_parts"])]
    rows = cmp[both]
    return list(zip(rows["edition"].astype(int), rows["region"], rows["indicator"]))


def _beyond_either_reading(facts: Facts) -> tuple[bool, str]:
    rows = _beyond_both(facts)
    cmp = facts.regional.set_index(["edition", "region", "indicator"])
    expected = [(2018, "Africa", "prevalence_per_1000"), (2018, "Arab States", "prevalence_per_1000"),
                (2023, "Arab States", "prevalence_per_1000")]
    return (sorted(rows) == expected
            and all(_flag(cmp.loc[key, "parts_add_up"]) is True
                    and float(cmp.loc[key, "difference"]) > float(cmp.loc[key, "rounding_bound_parts"])
                    for key in expected),
            f"beyond rounding under both readings: {rows}")


def _derived_prevalences(facts: Facts) -> tuple[bool, str]:
    cmp = facts.regional
    derived = cmp[cmp["basis"] == "derived"]
    expected = cmp[(cmp["edition"] == 2023) & (cmp["indicator"] == "prevalence_per_1000")]
    return (len(derived) > 0 and sorted(derived.index) == sorted(expected.index),
            f"derived: {list(zip(derived['edition'], derived['region']))}; GSI 2023 prevalences: "
            f"{list(expected['region'])}")


def _population_year_matched(facts: Facts) -> tuple[bool, str]:
    from ..analyses.editions import population_year_matches
    from ..data.population import GSI_POPULATION_YEAR
    year, later = GSI_POPULATION_YEAR[2018], facts.reference_year(2018)
    found = population_year_matches(facts.long, facts.population, 2018, (year, later))
    return (found["held"] == [facts.country] and found["matches"] == {year: [facts.country], later: []},
            f"countries with both years held: {found['held']}; matches: {found['matches']}")


def _population_year_untestable_2023(facts: Facts) -> tuple[bool, str]:
    from ..analyses.editions import population_year_matches
    found = population_year_matches(facts.long, facts.population, 2023, (facts.reference_year(2023),))
    return (found["held"] == [facts.country],
            f"countries with a population held for the estimate year: {found['held']}")


def _within_rounding(facts: Facts, edition: int | None, region: str, indicator: str) -> tuple[bool, str]:
    rows = facts.regional[(facts.regional["region"] == region) & (facts.regional["indicator"] == indicator)]
    if edition is not None:
        rows = rows[rows["edition"] == edition]
    outside = rows[rows["beyond_rounding"].astype(bool)]
    return (len(rows) > 0 and outside.empty,
            f"{region} {indicator}: {len(rows)} comparisons, beyond rounding in editions "
            f"{outside['edition'].tolist()}")


def _vintage_distinct(facts: Facts) -> tuple[bool, str]:
    split = facts.comparison.population_split
    if split is None:
        return False, "the population change could not be split with the data held"
    mine, before, after = (split.un_from_later_edition, split.un_from_earlier_edition,
                           split.next_revision_year_from)
    return (mine != before and mine != after,
            f"{split.to_revision}: {mine:,.0f} for {split.year_from}; {split.from_revision}: "
            f"{before:,.0f}; {split.next_revision}: {after:,.0f}")


def _next_vintage_not_wpp2019(facts: Facts) -> tuple[bool, str]:
    split = facts.comparison.population_split
    if split is None:
        return False, "the population change could not be split with the data held"
    return (split.next_revision_year_to != split.un_to_later_edition,
            f"{split.next_revision} gives {split.next_revision_year_to:,.0f} for {split.year_to}, "
            f"WPP 2019 {split.un_to_later_edition:,.0f}")


def _counts_rose(facts: Facts) -> tuple[bool, str]:
    comp = facts.comparison
    return comp.count_published_change > 0, f"published change {comp.count_published_change:,.0f}"


def _implied_counts_rose(facts: Facts) -> tuple[bool, str]:
    comp = facts.comparison
    return comp.count_implied_change > 0, f"implied change {comp.count_implied_change:,.1f}"


def _prevalence_rose_2016_2018(facts: Facts) -> tuple[bool, str]:
    a, b = (float(facts.row(e)["prevalence_per_1000"]) for e in (2016, 2018))
    return b > a, f"prevalence {a:.3f} (GSI 2016) and {b:.3f} (GSI 2018) per 1,000"


def _count_primary_2016(facts: Facts) -> tuple[bool, str]:
    from ..analyses.editions import count_matches_product, count_primary
    primary = count_primary(facts.long)["iso3"].tolist()
    product = count_matches_product(facts.long, 2016)
    return (facts.country in primary and len(primary) == 2,
            f"count-primary countries {primary}; counts that are the rounded product: "
            f"{product['matches']} of {product['countries']}")


def _closed_form_agrees(facts: Facts) -> tuple[bool, str]:
    sens = facts.sensitivity
    closed = sens.rank_closed_form_first
    gaps = [abs(a - b) for a, b in zip(sens.rank_share_first, closed)]
    return (len(gaps) == len(sens.rank_share_first) and max(gaps) <= CLOSE_FORM_GAP,
            f"largest gap between simulation and closed form: {max(gaps) if gaps else None}")


def _scenario(facts: Facts, name: str, direction: int) -> tuple[bool, str]:
    scen = facts.sensitivity.error_scenarios
    if name not in scen or "independent" not in scen:
        return False, "the sensitivity run holds no error scenarios"
    base, other = scen["independent"].share_first, scen[name].share_first
    return (other - base) * direction > 0, f"share first: independent {base:.4f}, {name} {other:.4f}"


def _count_rows(facts: Facts, indicator: str) -> pd.DataFrame:
    return facts.regional[facts.regional["indicator"] == indicator]


def _world_within_rounding(facts: Facts) -> tuple[bool, str]:
    counts = _count_rows(facts, "people_in_modern_slavery")
    beyond = counts[counts["beyond_rounding"].astype(bool)]
    world, rows = _within_rounding(facts, None, "World", "people_in_modern_slavery")
    world_parts = [_flag(v) for v in counts.loc[counts["region"] == "World", "beyond_rounding_parts"]]
    return (world and not any(world_parts) and set(beyond["region"]) == {facts.region}
            and len(beyond) == 2,
            f"counts beyond rounding: {list(zip(beyond['edition'], beyond['region']))}; {rows}; world counts "
            f"beyond the bound of their parts: {world_parts}")


def _prevalence_beyond(facts: Facts) -> tuple[bool, str]:
    rows = _count_rows(facts, "prevalence_per_1000")
    beyond = rows[rows["beyond_rounding"].astype(bool)]
    found = set(zip(beyond["edition"].astype(int), beyond["region"]))
    expected = {(2018, "Africa"), (2018, "Americas"), (2018, "Arab States"), (2018, "World"),
                (2023, "Arab States")}
    return (set(rows["edition"]) == {2018, 2023} and found == expected,
            f"prevalences beyond the bound of a total rounded once: {sorted(found)} "
            f"(editions {sorted(set(rows['edition']))})")


def _excess_in_both(facts: Facts) -> tuple[bool, str]:
    from ..analyses.regional import excess_over_published
    excess = excess_over_published(facts.regional, facts.region)
    a, b = excess.get(2018), excess.get(2023)
    ok = a is not None and b is not None and a > 0 and b > 0 and abs(a - b) < 0.1 * max(a, b)
    return ok, f"Asia and the Pacific excess: GSI 2018 {a}, GSI 2023 {b}"


def _population_year_test(facts: Facts) -> tuple[bool, str]:
    from ..analyses.regional import population_year_test
    test = population_year_test(facts.long, facts.population, facts.regional).set_index("region")
    closed = {"Africa", "World"} <= set(test.index[~test["beyond_advanced"]]) and all(
        test.loc[["Africa", "World"], "beyond_rounding"])
    stay = all(test.loc[["Americas", "Arab States"], "beyond_advanced"])
    ap = test.loc[facts.region]
    opened = (not ap["beyond_rounding"]) and ap["beyond_advanced"] and ap["difference_advanced"] < 0
    return closed and stay and bool(opened), (
        "beyond rounding before: " + str(sorted(test.index[test["beyond_rounding"]])) + "; after a year: "
        + str(sorted(test.index[test["beyond_advanced"]])))


CLAIMS: dict[str, Claim] = {c.key: c for c in (
    Claim("highest-prevalence", "North Korea has the highest prevalence of the countries GSI 2023 estimates",
          _highest),
    Claim("first-in-every-edition", "North Korea ranks first by prevalence in GSI 2016, 2018 and 2023",
          _first_every_edition),
    Claim("tier-3-every-report", "Tier 3 in every TIP report of the years held, each year sourced", _tier_3),
    Claim("tip-copy-dated", "the undated TIP copy gives another range of political prisoners than the report "
          "of 2012, and the press report quoting it, like that report, is the source of one year's placement",
          _tip_copy_dated),
    Claim("first-in-region", "North Korea ranks first by prevalence in Asia and the Pacific",
          _first_in_region),
    Claim("rank-by-count", "North Korea's rank by count follows the countries named before it",
          _rank_by_count),
    Claim("widest-vulnerability-gap", "the named dimension is the widest gap above the regional average",
          _widest_gap),
    Claim("only-negative-response",
          "North Korea is the only country with a negative government-response total",
          _only_negative),
    Claim("rate-carried-forward", "the 2023 rate is the 2018 rate rounded; no other country's is rounded",
          _carried_forward),
    Claim("change-is-population", "almost all of the change in the implied count comes from the population",
          _change_is_population),
    Claim("population-growth-offset-by-revision",
          "the population change is growth between the reference years, offset by a downward revision",
          _growth_offset),
    Claim("first-under-every-figure", "North Korea stays first under every like-for-like population figure",
          _first_under_every_figure),
    Claim("rank-share-falls", "the share of draws ranking first falls as the assumed uncertainty rises",
          _share_falls),
    Claim("top-three", "North Korea stays in the top three in most draws of every row", _top_three),
    Claim("band-set-by-assumption",
          "most of the Monte Carlo band's width comes from the assumed prevalence sd",
          _band_set_by_assumption),
    Claim("sums-exceed", "every difference beyond rounding has the country sum above the published figure",
          _sums_exceed),
    Claim("world-within-rounding", "the counts beyond the bound of a total rounded once are the Asia-Pacific "
          "ones of both editions; every world count agrees within rounding under either reading",
          _world_within_rounding),
    Claim("vintage-distinct", "the vintage taken as WPP 2019's differs from both neighbouring revisions",
          _vintage_distinct),
    Claim("next-vintage-not-wpp2019", "the next revision's figure for the later year is not WPP 2019's",
          _next_vintage_not_wpp2019),
    Claim("counts-rose", "the published count rose from GSI 2018 to GSI 2023", _counts_rose),
    Claim("implied-counts-rose", "prevalence x population rose from GSI 2018 to GSI 2023",
          _implied_counts_rose),
    Claim("prevalence-rose-2016-2018", "North Korea's prevalence rose from GSI 2016 to GSI 2018",
          _prevalence_rose_2016_2018),
    Claim("count-primary-2016", "North Korea's 2016 prevalence is count / population, as for one other "
          "country alone", _count_primary_2016),
    Claim("closed-form-agrees", "the closed form agrees with the simulated share in every row",
          _closed_form_agrees),
    Claim("correlation-raises-share", "correlated errors raise the share of draws first",
          lambda f: _scenario(f, "correlated", 1)),
    Claim("older-estimate-lowers-share", "a larger error for North Korea alone lowers the share first",
          lambda f: _scenario(f, "older_estimate", -1)),
    Claim("prevalence-beyond", "the prevalences beyond the bound of a total rounded once are Africa, the "
          "Americas, the Arab States and the World of GSI 2018 and the Arab States of GSI 2023",
          _prevalence_beyond),
    Claim("excess-in-both-editions", "the Asia-Pacific excess is about the same in both editions",
          _excess_in_both),
    Claim("population-year-test", "a year of growth closes Africa and the World, not the Americas and the "
          "Arab States, and opens Asia and the Pacific", _population_year_test),
    Claim("ap-2023-reading", "the Asia-Pacific 2023 difference exceeds the bound of a total rounded once, "
          "not that of its printed parts added up", _ap_2023_reading),
    Claim("parts-not-adding-up", "of the totals whose two parts are printed, those that do not add up "
          "to the total as printed are the GSI 2018 prevalences of Asia and the Pacific, Europe and Central "
          "Asia and the Americas", _parts_not_adding_up),
    Claim("other-2018-prevalences-once", "of the GSI 2018 prevalences, only those of Africa and the Arab "
          "States have a bound of a total added from its parts; the World's parts are not printed, and the "
          "other regions' do not add up", _other_2018_prevalences_once),
    Claim("printed-without-decimals", "the figures printed without decimals are the GSI 2023 forced-marriage "
          "count of the World and prevalence of the Americas", _printed_without_decimals),
    Claim("fall-to-print", "North Korea's count would have to fall by less to print the Asia-Pacific sum as "
          "the total than to equal it", _fall_to_print),
    Claim("beyond-either-reading", "the prevalences of Africa and the Arab States in GSI 2018 and of the "
          "Arab States in GSI 2023 are the only comparisons beyond rounding under both readings",
          _beyond_either_reading),
    Claim("derived-prevalences", "the published figures derived, not printed, are GSI 2023's regional "
          "prevalences", _derived_prevalences),
    Claim("population-year-matched", "the one country whose populations for 2015 and 2016 are held matches "
          "2015, not 2016", _population_year_matched),
    Claim("population-year-untestable-2023", "the files hold a population for GSI 2023's estimate year for "
          "the paper's country alone", _population_year_untestable_2023),
)}

_SPAN = re.compile(r'\{\.claim\s+key="([^"]+)"\}')


def claimed_in(text: str) -> set[str]:
    """The keys of every claim span in ``text`` (the source of the paper)."""
    return set(_SPAN.findall(text))


def check_claims(facts: Facts, text: str) -> dict[str, str]:
    """Check every claim of ``text`` against ``facts``; return ``{key: evidence}`` if all hold.

    Raises :class:`AnalysisError` naming each claim that is false, unknown, or
    checked but absent from the text.
    """
    marked = claimed_in(text)
    problems = [f"claim {key!r} is marked in paper.qmd but has no check in analysis.paper.claims"
                for key in sorted(marked - set(CLAIMS))]
    problems += [f"claim {key!r} has a check but is not marked in paper.qmd"
                 for key in sorted(set(CLAIMS) - marked)]
    evidence = {}
    for key in sorted(marked & set(CLAIMS)):
        holds, why = CLAIMS[key].check(facts)
        evidence[key] = why
        if not holds:
            problems.append(f"claim {key!r} ({CLAIMS[key].asserts}) is false: {why}")
    if problems:
        raise AnalysisError("the paper's text and its data disagree; "
                            + "; ".join(problems) + ". Fix the text or the data, then rebuild")
    return evidence
