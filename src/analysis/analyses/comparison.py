"""Compare two GSI editions: side by side, ranks, and the change in the count decomposed.

Counts are persons, prevalence per 1,000. The 2018 and 2023 estimates come
from different survey rounds and models (GSI 2023 uses the 2022 Global
Estimates), so a change between editions is not a trend over time.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..data.processed import read_processed
from ..errors import ParameterError
from ..paths import ProjectPaths
from .countries import require_country, require_edition
from .result import COUNT_COLUMN, Result, tables_field, value
from .revisions import PopulationSplit


def validate(long: pd.DataFrame, country: object, edition_from: object,
             edition_to: object) -> tuple[str, int, int]:
    """Check the comparison parameters; return ``(iso3, edition_from, edition_to)``."""
    editions = tuple(sorted(int(e) for e in long["edition"].unique()))
    a = require_edition(edition_from, editions, "edition_from")
    b = require_edition(edition_to, editions, "edition_to")
    if a >= b:
        raise ParameterError(f"edition_from ({a}) must be earlier than edition_to ({b})")
    return require_country(long, country, a, b), a, b


def check_parameters(params: dict, paths: ProjectPaths | None = None) -> dict:
    """Check the comparison notebook's parameters against the data; return them normalised."""
    long = read_processed("gsi_country_edition.csv", paths)
    country, a, b = validate(long, params["country"], params["edition_from"], params["edition_to"])
    return {**params, "country": country, "edition_from": a, "edition_to": b}


#: Decimals of a prevalence carried forward (per 1,000): the later edition stores the earlier rate so rounded.
CARRIED_DECIMALS = 1


def carried_forward(prevalence_from: float, prevalence_to: float) -> bool:
    """True when the later prevalence (per 1,000) is exactly the earlier one rounded to one decimal."""
    return round(prevalence_from, CARRIED_DECIMALS) == prevalence_to


def ranks(long: pd.DataFrame, edition: int) -> pd.DataFrame:
    """Rank of every country with an estimate by prevalence, 1 = highest.

    Columns ``iso3, rank_world, rank_region``; ties share the better rank.
    """
    rows = long[(long["edition"] == edition) & long["has_estimate"]].copy()
    prev = rows["prevalence_per_1000"].astype(float)
    rows["rank_world"] = prev.rank(ascending=False, method="min").astype(int)
    rows["rank_region"] = prev.groupby(rows["region"]).rank(ascending=False, method="min").astype(int)
    return rows[["iso3", "rank_world", "rank_region"]].reset_index(drop=True)


def side_by_side(long: pd.DataFrame, iso3: str, a: int, b: int) -> pd.DataFrame:
    """One row per measure, one column per edition, plus the change from ``a`` to ``b``."""
    measures = {
        "population": "Population (persons)",
        "prevalence_per_1000": "Prevalence (per 1,000)",
        "estimated_number": "People in modern slavery (persons)",
        "vulnerability_total": "Vulnerability, total (0 to 100)",
        "govt_total_pct": "Government response, total (%)",
        "rank_world": "Rank in the world by prevalence",
        "rank_region": "Rank in the region by prevalence",
    }
    columns = {}
    for edition in (a, b):
        row = long[(long["iso3"] == iso3) & (long["edition"] == edition)].iloc[0]
        rank = ranks(long, edition).set_index("iso3").loc[iso3]
        values = {**{m: row[m] for m in measures if m in row.index}, **rank.to_dict()}
        columns[str(edition)] = [float(values[m]) if pd.notna(values[m]) else float("nan")
                                 for m in measures]
    out = pd.DataFrame({"measure": list(measures), "label": list(measures.values()), **columns})
    out["change"] = out[str(b)] - out[str(a)]
    # Counts and ranks as integers, row by row (a column holds several measures).
    counts = out["measure"].map(lambda m: bool(COUNT_COLUMN.search(m)))
    for column in (str(a), str(b), "change"):
        out[column] = pd.Series([int(v) if whole and pd.notna(v) and float(v).is_integer() else v
                                 for v, whole in zip(out[column], counts)], index=out.index, dtype=object)
    return out


def decompose_count_change(pop_a: float, prev_a: float, pop_b: float, prev_b: float) -> dict[str, float]:
    """Split the change in the implied count (persons) into a population part and a prevalence part.

    ``pop`` in persons, ``prev`` per 1,000; the implied count is prev x pop / 1,000
    (unrounded; GSI publishes it rounded to the thousand). The split is the
    symmetric two-factor decomposition of Das Gupta (1993), which for two
    factors is also the Shapley split; it adds up exactly::

        population_effect = (pop_b - pop_a) x (prev_a + prev_b) / 2 / 1000
        prevalence_effect = (prev_b - prev_a) x (pop_a + pop_b) / 2 / 1000
    """
    count_a, count_b = prev_a * pop_a / 1000, prev_b * pop_b / 1000
    population_effect = (pop_b - pop_a) * (prev_a + prev_b) / 2 / 1000
    prevalence_effect = (prev_b - prev_a) * (pop_a + pop_b) / 2 / 1000
    return {"implied_from": count_a, "implied_to": count_b, "implied_change": count_b - count_a,
            "population_effect": population_effect, "prevalence_effect": prevalence_effect,
            "mean_prevalence": (prev_a + prev_b) / 2}


def count_change(long: pd.DataFrame, iso3: str, a: int, b: int) -> dict[str, float]:
    """:func:`decompose_count_change` for one country, with the published counts beside it.

    ``published_*`` are the counts as printed (persons, rounded by Walk Free);
    ``implied_*`` and the effects decompose the unrounded prevalence x population.
    """
    rows = long[long["iso3"] == iso3].set_index("edition")
    out = decompose_count_change(float(rows.loc[a, "population"]), float(rows.loc[a, "prevalence_per_1000"]),
                                 float(rows.loc[b, "population"]), float(rows.loc[b, "prevalence_per_1000"]))
    out["published_from"] = float(rows.loc[a, "estimated_number"])
    out["published_to"] = float(rows.loc[b, "estimated_number"])
    out["published_change"] = out["published_to"] - out["published_from"]
    change = out["implied_change"]
    out["population_share"] = out["population_effect"] / change if change else float("nan")
    return out


@dataclass(frozen=True)
class EffectParts(Result):
    """The population effect on the implied count, split by the parts of the population change
    (persons; they add up exactly to the population effect)."""

    growth_effect: float = value("effect of the growth between the reference years", "persons")
    revision_effect: float = value("effect of the revision between the UN editions", "persons")
    rounding_effect: float = value("effect of the rounding of the printed populations", "persons")


def population_effect_parts(change: dict[str, float], split: PopulationSplit) -> EffectParts:
    """Split the population effect of :func:`count_change` (persons) by the parts of the population change.

    ``split`` is :func:`analysis.analyses.revisions.population_change`: growth,
    revision and rounding (persons) add up to the change in printed population,
    and the population effect is that change times the mean prevalence, so each
    part's effect is the part times the mean prevalence / 1,000; they add up
    exactly to the population effect.
    """
    mean = change["mean_prevalence"]
    return EffectParts(split.growth * mean / 1000, split.revision * mean / 1000, split.rounding * mean / 1000)


def rounded_elsewhere(long: pd.DataFrame, iso3: str, edition: int) -> list[str]:
    """Other countries whose prevalence in ``edition`` is stored rounded to one decimal, like ``iso3``'s.

    Empty when every other country's value carries more decimals (an unrounded
    model output), which is what singles out a carried-forward rate.
    """
    rows = long[(long["edition"] == edition) & long["has_estimate"] & (long["iso3"] != iso3)]
    prevalence = rows["prevalence_per_1000"].astype(float)
    return sorted(rows.loc[prevalence.round(CARRIED_DECIMALS) == prevalence, "country"])


@dataclass(frozen=True)
class ComparisonResult(Result):
    """One country in two GSI editions: both sets of figures, the change in the count decomposed, the
    change in the population traced to its sources, and every country estimated in both."""

    country: str = value("ISO 3166-1 alpha-3 code")
    name: str = value("name as the later edition prints it")
    edition_from: int = value("the earlier GSI edition")
    edition_to: int = value("the later GSI edition")
    prevalence_from: float = value("prevalence in the earlier edition", "per 1,000 population",
                                   mirrors="prevalence_per_1000", edition="edition_from")
    prevalence_to: float = value("prevalence in the later edition", "per 1,000 population",
                                 mirrors="prevalence_per_1000", edition="edition_to")
    carried_forward: bool = value("the later prevalence is the earlier one rounded to one decimal")
    rounded_elsewhere: list[str] = value("other countries whose later prevalence is stored with one decimal")
    population_from: float = value("population the earlier edition printed", "persons",
                                   mirrors="population", edition="edition_from")
    population_to: float = value("population the later edition printed", "persons",
                                 mirrors="population", edition="edition_to")
    rank_world_from: int = value("world rank by prevalence in the earlier edition (1 = highest)")
    rank_world_to: int = value("world rank by prevalence in the later edition (1 = highest)")
    count_implied_from: float = value("prevalence x population / 1,000, earlier edition (unrounded)",
                                      "persons")
    count_implied_to: float = value("prevalence x population / 1,000, later edition (unrounded)", "persons")
    count_implied_change: float = value("change in the implied count", "persons")
    count_population_effect: float = value("part of that change due to the population (Das Gupta)", "persons")
    count_prevalence_effect: float = value("part of that change due to the prevalence (Das Gupta)", "persons")
    count_mean_prevalence: float = value("mean of the two prevalences", "per 1,000 population")
    count_published_from: float = value("published count, earlier edition", "persons",
                                        mirrors="estimated_number", edition="edition_from")
    count_published_to: float = value("published count, later edition", "persons",
                                      mirrors="estimated_number", edition="edition_to")
    count_published_change: float = value("change in the published counts", "persons")
    count_population_share: float | None = value("population effect / change in the implied count",
                                                 "share 0-1")
    population_split: PopulationSplit | None = value("the change in the printed population traced to its "
                                                     "sources; None where the data held do not allow it")
    population_effect_parts: EffectParts | None = value("the population effect split like the population")
    countries_in_both: int = value("countries with an estimate in both editions")
    spearman_prevalence: float = value("Spearman rank correlation of prevalence between the editions",
                                       "correlation, -1 to 1")
    median_change_factor: float = value("median over those countries of the larger prevalence over the "
                                        "smaller", "ratio")
    tables: dict = tables_field()


def analyse(long: pd.DataFrame, pop: pd.DataFrame, iso3: str, a: int, b: int) -> ComparisonResult:
    """Compare ``iso3`` in editions ``a`` and ``b`` (see :class:`ComparisonResult`).

    ``long`` is the country table, ``pop`` ``population_sources.csv``. Counts and
    populations in persons, prevalence per 1,000.
    """
    from ..data.population import GSI_POPULATION_YEAR
    from .revisions import population_change

    table = side_by_side(long, iso3, a, b)
    by_measure = table.set_index("measure")
    change = count_change(long, iso3, a, b)
    split = population_change(pop, iso3, a, b, GSI_POPULATION_YEAR[a], GSI_POPULATION_YEAR[b])
    parts = population_effect_parts(change, split) if split else None
    both = all_countries(long, a, b)
    prev_from = float(by_measure.loc["prevalence_per_1000", str(a)])
    prev_to = float(by_measure.loc["prevalence_per_1000", str(b)])
    row = long[(long["iso3"] == iso3) & (long["edition"] == b)].iloc[0]
    keys = ["published_from", "published_to", "published_change", "implied_from", "implied_to",
            "implied_change", "population_effect", "prevalence_effect"]
    tables = {"side_by_side": table,
              "count_change": pd.DataFrame({"quantity": keys, "persons": [change[k] for k in keys]}),
              "all_countries": both}
    if split:
        tables["population_change"] = pd.DataFrame({
            "part": ["growth", "revision", "rounding", "change in printed population"],
            "persons": [split.growth, split.revision, split.rounding, split.change],
            "effect on the implied count": [parts.growth_effect, parts.revision_effect, parts.rounding_effect,
                                            change["population_effect"]]})
    return ComparisonResult(
        country=iso3, name=str(row["country"]), edition_from=int(a), edition_to=int(b),
        prevalence_from=prev_from, prevalence_to=prev_to, carried_forward=carried_forward(prev_from, prev_to),
        rounded_elsewhere=rounded_elsewhere(long, iso3, b),
        population_from=float(by_measure.loc["population", str(a)]),
        population_to=float(by_measure.loc["population", str(b)]),
        rank_world_from=int(by_measure.loc["rank_world", str(a)]),
        rank_world_to=int(by_measure.loc["rank_world", str(b)]),
        **{f"count_{k}": v for k, v in change.items()},
        population_split=split, population_effect_parts=parts, countries_in_both=len(both),
        spearman_prevalence=rank_correlation(both, a, b),
        median_change_factor=median_change_factor(both, a, b),
        tables=tables)


def all_countries(long: pd.DataFrame, a: int, b: int) -> pd.DataFrame:
    """Every country with an estimate in both editions: prevalence and count in each, sorted by ISO3."""
    keep = ["iso3", "country", "region", "population", "prevalence_per_1000", "estimated_number"]
    left = long[(long["edition"] == a) & long["has_estimate"]][keep]
    right = long[(long["edition"] == b) & long["has_estimate"]][keep]
    both = left.merge(right, on=["iso3", "country", "region"], suffixes=(f"_{a}", f"_{b}"))
    both["prevalence_change"] = both[f"prevalence_per_1000_{b}"] - both[f"prevalence_per_1000_{a}"]
    return both.sort_values("iso3", kind="mergesort").reset_index(drop=True)


def median_change_factor(both: pd.DataFrame, a: int, b: int) -> float:
    """The median, over countries in both editions, of the factor by which prevalence changed
    (the larger over the smaller of the two values, so 1.0 means unchanged)."""
    x = both[f"prevalence_per_1000_{a}"].astype(float)
    y = both[f"prevalence_per_1000_{b}"].astype(float)
    return float((pd.concat([x, y], axis=1).max(axis=1) / pd.concat([x, y], axis=1).min(axis=1)).median())


def rank_correlation(both: pd.DataFrame, a: int, b: int) -> float:
    """Spearman rank correlation of prevalence between editions ``a`` and ``b`` (countries in both).

    Computed as the Pearson correlation of the average ranks, which is Spearman's
    definition with ties, so that it needs no scipy.
    """
    ranks_a = both[f"prevalence_per_1000_{a}"].astype(float).rank()
    ranks_b = both[f"prevalence_per_1000_{b}"].astype(float).rank()
    return float(ranks_a.corr(ranks_b))
