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

from ..errors import AnalysisError
from .facts import Facts

#: "Almost all" of a change: at least this share.
ALMOST_ALL = 0.95

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
    holds = split.growth > split.change > 0 > split.revision
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


def _rounding_cannot_explain(facts: Facts) -> tuple[bool, str]:
    cmp = facts.regional.set_index(["edition", "region", "indicator"])
    row = cmp.loc[(2023, "Asia and the Pacific", "people_in_modern_slavery")]
    printed = round(float(row["computed"]), 1) != float(row["published"])
    return (bool(row["beyond_rounding"]) and printed,
            f"difference {row['difference']:.3f} million against a rounding bound of "
            f"{row['rounding_bound']:.4f} million")


def _within_rounding(facts: Facts, edition: int | None, region: str, indicator: str) -> tuple[bool, str]:
    rows = facts.regional[(facts.regional["region"] == region) & (facts.regional["indicator"] == indicator)]
    if edition is not None:
        rows = rows[rows["edition"] == edition]
    outside = rows[rows["beyond_rounding"].astype(bool)]
    return (len(rows) > 0 and outside.empty,
            f"{region} {indicator}: {len(rows)} comparisons, beyond rounding in editions "
            f"{outside['edition'].tolist()}")


def _vintage_after_wpp2019(facts: Facts) -> tuple[bool, str]:
    split = facts.comparison.population_split
    if split is None:
        return False, "the population change could not be split with the data held"
    vintage = split.to_revision.rsplit(" ", 1)[-1]  # 'World Bank, vintage 2020-04' -> '2020-04'
    wpp = facts.published["population_un_wpp2019_2020.csv"][:7]
    differs = split.next_revision_year_to != split.un_to_later_edition
    return (vintage >= wpp and differs,
            f"vintage {vintage} after WPP 2019 ({wpp}): {vintage >= wpp}; the next revision's figure "
            f"{split.next_revision_year_to:,.0f} differs from WPP 2019's "
            f"{split.un_to_later_edition:,.0f}")


CLAIMS: dict[str, Claim] = {c.key: c for c in (
    Claim("highest-prevalence", "North Korea has the highest prevalence of the countries GSI 2023 estimates",
          _highest),
    Claim("first-in-every-edition", "North Korea ranks first by prevalence in GSI 2016, 2018 and 2023",
          _first_every_edition),
    Claim("tier-3-every-report", "Tier 3 in every TIP report of the years held, each year sourced", _tier_3),
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
    Claim("world-within-rounding", "every world count agrees with its published total within rounding",
          lambda f: _within_rounding(f, None, "World", "people_in_modern_slavery")),
    Claim("ap-2018-within-rounding", "Asia and the Pacific's 2018 prevalence agrees within rounding",
          lambda f: _within_rounding(f, 2018, "Asia and the Pacific", "prevalence_per_1000")),
    Claim("vintage-after-wpp2019", "the World Bank vintage taken as WPP 2019's was published after WPP 2019",
          _vintage_after_wpp2019),
    Claim("rounding-cannot-explain", "rounding cannot explain the Asia-Pacific 2023 difference",
          _rounding_cannot_explain),
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
