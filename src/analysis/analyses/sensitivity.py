"""How the count and the prevalence move with the population figure and the prevalence rate.

Populations and counts are persons, prevalence per 1,000. GSI 2023 multiplies
a modelled prevalence by a population (UN WPP 2019, year 2020) to get its count
for 2021. Other figures for the same years give other counts, and, if the count
is held fixed instead, other prevalences. Walk Free publishes no uncertainty
interval for a country's prevalence, so every statement about ranks under
uncertainty rests on an assumed relative standard deviation, which is a
parameter, shown over a range of values.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..data.population import GSI_POPULATION_YEAR
from ..data.processed import read_processed
from ..errors import ParameterError
from ..paths import ProjectPaths
from .countries import require_country
from .result import Result, tables_field, value
from .revisions import UN_SOURCE, WB_SOURCE, revision_label, revisions

#: Population sources a user may choose: the World Bank vintages, UN WPP 2019, and
#: the populations the GSI editions printed (``"GSI"``; shown, never in the like-for-like range).
POPULATION_SOURCES = (WB_SOURCE, UN_SOURCE, "GSI")
EDITION = 2023
MAX_DRAWS = 20_000_000
#: The largest factor by which the country's own standard deviation may exceed the others'.
MAX_SD_FACTOR = 10.0
#: Quantiles reported for Monte Carlo draws.
QUANTILES = {"p2_5": 0.025, "p50": 0.5, "p97_5": 0.975}
#: The top of the ranking whose share of draws is reported beside the first place.
TOP_N = 3
#: Beyond this many standard deviations above its prevalence, a country is taken never to reach a draw.
_CUT_SDS = 8.0


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _check_sd(name: str, value: object) -> None:
    if not _is_number(value) or not 0 <= value < 1:
        raise ParameterError(f"{name}={value!r} must be a number from 0 to below 1 "
                             "(e.g. 0.1 for 10 per cent)")


def validate(long: pd.DataFrame, country: object, population_sources: object, draws: object,
             seed: object, prevalence_relative_sd: object, rank_relative_sds: object = (0.1,),
             pop: pd.DataFrame | None = None, error_correlation: object = 0.0,
             own_sd_factor: object = 1.0) -> str:
    """Check the sensitivity parameters; return the ISO3 code or raise ParameterError.

    With ``pop`` (``population_sources.csv``), also refuse a choice of sources
    that holds no population figure for the country's population and estimate
    years (the World Bank series is held for North Korea only).
    """
    iso3 = require_country(long, country, EDITION)
    if (not isinstance(population_sources, list) or not population_sources
            or any(s not in POPULATION_SOURCES for s in population_sources)):
        raise ParameterError(f"population_sources={population_sources!r} must be a non-empty "
                             f"list drawn from {list(POPULATION_SOURCES)}")
    if not _is_number(draws) or not isinstance(draws, int) or not 1_000 <= draws <= MAX_DRAWS:
        raise ParameterError(f"draws={draws!r} must be a whole number from 1,000 to {MAX_DRAWS:,}")
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ParameterError(f"seed={seed!r} must be a whole number >= 0")
    _check_sd("prevalence_relative_sd", prevalence_relative_sd)
    if not isinstance(rank_relative_sds, (list, tuple)) or not rank_relative_sds:
        raise ParameterError(f"rank_relative_sds={rank_relative_sds!r} must be a non-empty list of numbers")
    for sd in rank_relative_sds:
        _check_sd("each of rank_relative_sds", sd)
    if not _is_number(error_correlation) or not 0 <= error_correlation < 1:
        raise ParameterError(f"error_correlation={error_correlation!r} must be a number from 0 to below 1")
    if not _is_number(own_sd_factor) or not 0 < own_sd_factor <= MAX_SD_FACTOR:
        raise ParameterError(f"own_sd_factor={own_sd_factor!r} must be a number above 0 and at most "
                             f"{MAX_SD_FACTOR:g}")
    if pop is not None and like_for_like(pop, iso3, list(population_sources), headline_years()).empty:
        sources = pop.loc[pop["iso3"] == iso3, "source"]
        held = sorted(set(sources.str.replace(r"^GSI \d{4}$", "GSI", regex=True)))
        raise ParameterError(
            f"population_sources={population_sources!r} hold no population for {iso3} in "
            f"{' or '.join(map(str, headline_years()))}; the sources held for {iso3} are {held} "
            "(the World Bank vintages are held for PRK only)")
    return iso3


def check_parameters(params: dict, paths: ProjectPaths | None = None) -> dict:
    """Check the sensitivity notebook's parameters against the data; return them normalised."""
    long = read_processed("gsi_country_edition.csv", paths)
    pop = read_processed("population_sources.csv", paths)
    country = validate(long, params["country"], params["population_sources"], params["draws"],
                       params["seed"], params["prevalence_relative_sd"], params["rank_relative_sds"], pop,
                       params["error_correlation"], params["own_sd_factor"])
    return {**params, "country": country}


def headline_years(edition: int = EDITION, estimate_year: int | None = None) -> tuple[int, ...]:
    """The years a like-for-like population refers to: the edition's population year and its estimate year.

    For GSI 2023: 2020 (UN WPP 2019, the population it printed) and 2021 (the
    year its estimates refer to). ``estimate_year`` defaults to the population
    year plus one, which is GSI 2023's.
    """
    year = GSI_POPULATION_YEAR[edition]
    return (year, estimate_year if estimate_year is not None else year + 1)


def like_for_like(pop: pd.DataFrame, iso3: str, sources: list[str], years: tuple[int, ...]) -> pd.DataFrame:
    """Distinct population figures (persons) of ``iso3`` for ``years``, from the UN and World Bank sources.

    World Bank vintages that carry the same figures are one revision, counted
    once; the populations printed by GSI are left out, since each is a UN figure
    rounded (GSI 2023's is UN WPP 2019's for 2020). Columns ``label, source,
    year, population``, sorted by year and population.
    """
    rows = []
    if WB_SOURCE in sources:
        for _, rev in revisions(pop, iso3).iterrows():
            for year in years:
                if year in rev.index and pd.notna(rev[year]):
                    rows.append({"label": revision_label(rev), "source": WB_SOURCE, "year": year,
                                 "population": float(rev[year])})
    if UN_SOURCE in sources:
        un = pop[(pop["iso3"] == iso3) & (pop["source"] == UN_SOURCE) & pop["year"].isin(years)]
        rows += [{"label": f"UN WPP {v}", "source": UN_SOURCE, "year": int(y), "population": float(p)}
                 for v, y, p in zip(un["vintage"], un["year"], un["population"])]
    out = pd.DataFrame(rows, columns=["label", "source", "year", "population"])
    out = out.sort_values(["year", "population", "label"], kind="mergesort")
    return out.drop_duplicates(["year", "population"]).reset_index(drop=True)


def all_figures(pop: pd.DataFrame, iso3: str, sources: list[str]) -> pd.DataFrame:
    """Every distinct population figure of ``iso3`` from ``sources``, every year held (for the growth view).

    Columns ``label, source, year, population``; World Bank vintages with the
    same figures are one revision.
    """
    years = tuple(sorted(pop.loc[pop["iso3"] == iso3, "year"].dropna().astype(int).unique()))
    out = like_for_like(pop, iso3, [s for s in sources if s != "GSI"], years)
    if "GSI" in sources:
        gsi = pop[(pop["iso3"] == iso3) & pop["source"].str.startswith("GSI ")]
        out = pd.concat([out, pd.DataFrame({"label": gsi["source"], "source": "GSI", "year": gsi["year"],
                                            "population": gsi["population"].astype(float)})],
                        ignore_index=True)
    return out.sort_values(["source", "label", "year"], kind="mergesort").reset_index(drop=True)


def scenarios(figures: pd.DataFrame, prevalence: float, count: float) -> pd.DataFrame:
    """For each population figure: the count at the published prevalence, and the reverse.

    ``prevalence`` per 1,000, ``count`` in persons. Adds ``count_at_published_prevalence``
    (persons) and ``prevalence_at_published_count`` (per 1,000).
    """
    out = figures.copy()
    pop = out["population"].astype(float)
    out["count_at_published_prevalence"] = prevalence * pop / 1000
    out["prevalence_at_published_count"] = count / pop * 1000
    return out


@dataclass(frozen=True)
class CountBand:
    """Monte Carlo quantiles of the count (persons) and the drawn prevalence (per 1,000)."""

    draws: int
    seed: int
    count_quantiles: dict[str, float]
    prevalence_quantiles: dict[str, float]

    def table(self) -> pd.DataFrame:
        """The quantiles as a table (one row per quantity)."""
        return pd.DataFrame([{"quantity": "count_persons", **self.count_quantiles},
                             {"quantity": "prevalence_per_1000", **self.prevalence_quantiles}])


def count_band(prevalence: float, relative_sd: float, pop_low: float, pop_high: float,
               draws: int, seed: int) -> CountBand:
    """Draw prevalence ~ Normal(prevalence, relative_sd x prevalence), cut at 0, and population
    ~ Uniform(pop_low, pop_high); return the quantiles of the count they give.

    ``prevalence`` per 1,000; populations in persons. Vectorised: 1,000,000
    draws take a fraction of a second. The same ``seed`` gives the same result.
    """
    rng = np.random.default_rng(seed)
    prev = np.maximum(rng.normal(prevalence, relative_sd * prevalence, draws), 0.0)
    pop = rng.uniform(pop_low, pop_high, draws) if pop_high > pop_low else np.full(draws, pop_low)
    qs = list(QUANTILES.values())
    return CountBand(draws=draws, seed=seed,
                     count_quantiles=dict(zip(QUANTILES, np.quantile(prev * pop / 1000, qs).tolist())),
                     prevalence_quantiles=dict(zip(QUANTILES, np.quantile(prev, qs).tolist())))


def ranks_under_uncertainty(prevalences: pd.Series, iso3: str, relative_sd: float, draws: int,
                            seed: int, correlation: float = 0.0, own_sd_factor: float = 1.0) -> np.ndarray:
    """World rank of ``iso3`` (1 = highest) in each of ``draws`` draws where every country varies.

    ``prevalences`` (per 1,000) are the published ones, indexed by ISO3. In each
    draw every country's prevalence is Normal(p, relative_sd x p), cut at 0, all
    independent: the same relative uncertainty for every country. A country is
    drawn only where it could reach ``iso3``'s draw (within 8 standard
    deviations above its published value, beyond which the chance is below
    1e-15), which keeps 1,000,000 draws fast.

    Two scenarios change the assumption: ``correlation`` (0 to below 1) gives
    every country's relative error a common part, the same in a draw for all
    (the errors of one model share its mistakes): a country's error is
    sqrt(correlation) x common + sqrt(1 - correlation) x its own, each standard
    normal, times its standard deviation; ``own_sd_factor`` multiplies the
    standard deviation of ``iso3``'s prevalence alone (an older estimate is
    less certain). With the defaults, the draws are those of independent,
    equal relative errors.
    """
    rng = np.random.default_rng(seed)
    own = float(prevalences[iso3])
    own_sd = own_sd_factor * relative_sd * own
    if correlation == 0.0 and own_sd_factor == 1.0:
        x0 = np.maximum(rng.normal(own, own_sd, draws), 0.0)
        common = None
    else:
        common = rng.standard_normal(draws)
        shared, alone = np.sqrt(correlation), np.sqrt(1.0 - correlation)
        x0 = np.maximum(own + own_sd * (shared * common + alone * rng.standard_normal(draws)), 0.0)
    above = np.zeros(draws, dtype=np.int32)
    for p in prevalences.drop(iso3).sort_index():
        idx = np.flatnonzero(x0 < p * (1 + _CUT_SDS * relative_sd))
        if not idx.size:
            continue
        if common is None:
            xj = np.maximum(rng.normal(p, relative_sd * p, idx.size), 0.0)
        else:
            error = shared * common[idx] + alone * rng.standard_normal(idx.size)
            xj = np.maximum(p + relative_sd * p * error, 0.0)
        above[idx] += xj > x0[idx]
    return 1 + above


def pairwise_first(prevalence_a: float, prevalence_b: float, relative_sd: float, correlation: float = 0.0,
                   a_sd_factor: float = 1.0) -> float:
    """Closed-form probability that country a's drawn prevalence exceeds country b's (0 to 1).

    Prevalences per 1,000; errors as in :func:`ranks_under_uncertainty`:
    normal, with standard deviation ``relative_sd`` times the prevalence (times
    ``a_sd_factor`` for a), correlated by ``correlation``. The difference a - b
    is then normal with mean ``pa - pb`` and variance ``s**2 x (correlation x
    (k pa - pb)**2 + (1 - correlation) x ((k pa)**2 + pb**2))``, and the
    probability is the normal distribution function at mean / sd. (The cut at
    zero changes nothing at these prevalences.) When every other country is far
    below, this is essentially the share of draws in which a ranks first.
    """
    k = a_sd_factor
    variance = relative_sd ** 2 * (correlation * (k * prevalence_a - prevalence_b) ** 2
                                   + (1 - correlation) * ((k * prevalence_a) ** 2 + prevalence_b ** 2))
    if variance == 0:
        return float(prevalence_a > prevalence_b)
    z = (prevalence_a - prevalence_b) / math.sqrt(variance)
    return 0.5 * (1 + math.erf(z / math.sqrt(2)))


def scenario_table(prevalences: pd.Series, iso3: str, relative_sd: float, correlation: float,
                   own_sd_factor: float, draws: int, seed: int) -> pd.DataFrame:
    """Share of draws ranking ``iso3`` first under three assumptions on the errors, and its closed form.

    Rows: ``independent`` (equal relative errors, all independent), ``correlated``
    (a common part, ``correlation``) and ``older estimate`` (``iso3``'s standard
    deviation ``own_sd_factor`` times the others'), each at ``relative_sd``.
    Columns ``scenario, relative_sd, correlation, own_sd_factor,
    share_first`` (simulated, 0 to 1) and ``closed_form_vs_runner_up`` (the
    closed-form probability of ranking above the next country, :func:`pairwise_first`).
    """
    others = prevalences.drop(iso3)
    runner_up = float(others.max())
    own = float(prevalences[iso3])
    rows = []
    for i, (name, rho, factor) in enumerate((("independent", 0.0, 1.0), ("correlated", correlation, 1.0),
                                             ("older estimate", 0.0, own_sd_factor))):
        ranks = ranks_under_uncertainty(prevalences, iso3, relative_sd, draws, seed + 100 + i, rho, factor)
        rows.append({"scenario": name, "relative_sd": float(relative_sd), "correlation": float(rho),
                     "own_sd_factor": float(factor), "share_first": float(np.mean(ranks == 1)),
                     "closed_form_vs_runner_up": pairwise_first(own, runner_up, relative_sd, rho, factor)})
    return pd.DataFrame(rows)


def rank_table(prevalences: pd.Series, iso3: str, relative_sds: list[float], draws: int,
               seed: int) -> pd.DataFrame:
    """For each assumed relative standard deviation: the share of draws where ``iso3`` ranks first,
    the share where it is in the top three, and its median rank (see :func:`ranks_under_uncertainty`)."""
    rows = []
    for i, sd in enumerate(relative_sds):
        ranks = ranks_under_uncertainty(prevalences, iso3, sd, draws, seed + i)
        rows.append({"relative_sd": float(sd), "share_first": float(np.mean(ranks == 1)),
                     "share_top_3": float(np.mean(ranks <= TOP_N)), "median_rank": float(np.median(ranks))})
    return pd.DataFrame(rows)


def published_prevalences(long: pd.DataFrame, edition: int = EDITION) -> pd.Series:
    """Published prevalence (per 1,000) of every country with an estimate in ``edition``, by ISO3."""
    rows = long[(long["edition"] == edition) & long["has_estimate"]]
    return rows.set_index("iso3")["prevalence_per_1000"].astype(float).sort_index()


def other_prevalences(long: pd.DataFrame, iso3: str, edition: int = EDITION) -> pd.DataFrame:
    """Published prevalence (per 1,000) of every other country with an estimate, highest first."""
    rows = long[(long["edition"] == edition) & long["has_estimate"] & (long["iso3"] != iso3)]
    rows = rows.sort_values("iso3", kind="mergesort")
    return rows.sort_values("prevalence_per_1000", ascending=False, kind="mergesort")[
        ["iso3", "country", "prevalence_per_1000"]].reset_index(drop=True)


def rank_holds(implied_prevalences: pd.Series, others: pd.DataFrame) -> bool:
    """True when every implied prevalence (per 1,000) stays above every other country's published one."""
    return bool((implied_prevalences.astype(float) > float(others["prevalence_per_1000"].max())).all())


def decreasing(values: list[float]) -> bool:
    """True when each value is no larger than the one before (for a claim that a share falls)."""
    return all(b <= a for a, b in zip(values, values[1:]))


@dataclass(frozen=True)
class YearRange(Result):
    """The counts at the published prevalence under the like-for-like population figures of one year."""

    figures: int = value("distinct population figures held for the year")
    count_min: float = value("lowest count they give", "persons")
    count_max: float = value("highest count they give", "persons")


@dataclass(frozen=True)
class ErrorScenario(Result):
    """The share of draws ranking the country first under one assumption on the errors, and its
    closed form against the next country (:func:`pairwise_first`)."""

    relative_sd: float = value("assumed standard deviation of every prevalence, as a share of it",
                               "share 0-1")
    correlation: float = value("correlation of the errors across countries", "correlation, 0 to below 1")
    own_sd_factor: float = value("the country's own standard deviation over the others'", "ratio")
    share_first: float = value("share of draws in which the country ranks first (simulated)", "share 0-1")
    closed_form_vs_runner_up: float = value("closed-form probability of ranking above the next country",
                                            "share 0-1")


@dataclass(frozen=True)
class SensitivityResult(Result):
    """How much a country's count and prevalence depend on the population figure and on the rate, and
    how firm its world rank is under assumed uncertainty. The standard deviations are assumptions:
    Walk Free publishes no uncertainty interval."""

    country: str = value("ISO 3166-1 alpha-3 code")
    name: str = value("name as GSI prints it")
    edition: int = value("GSI edition analysed")
    prevalence_per_1000: float = value("published prevalence", "per 1,000 population",
                                       mirrors="prevalence_per_1000")
    estimated_number: float = value("published number of people in modern slavery", "persons",
                                    mirrors="estimated_number")
    years: list[int] = value("the like-for-like years: the population's year and the estimate's year")
    figures: int = value("distinct like-for-like population figures")
    by_year: dict[str, YearRange] = value("the range of counts for each like-for-like year, by year")
    sources: list[str] = value("the sources of the like-for-like figures")
    population_low: float = value("lowest like-for-like population", "persons")
    population_high: float = value("highest like-for-like population", "persons")
    count_min: float = value("lowest count at the published prevalence", "persons")
    count_max: float = value("highest count at the published prevalence", "persons")
    prevalence_at_count_min: float = value("lowest prevalence implied by the published count",
                                           "per 1,000 population")
    prevalence_at_count_max: float = value("highest prevalence implied by the published count",
                                           "per 1,000 population")
    draws: int = value("Monte Carlo draws")
    seed: int = value("random seed of the Monte Carlo")
    prevalence_relative_sd: float = value("assumed standard deviation of the prevalence, as a share of it",
                                          "share 0-1")
    band_count_p2_5: float = value("2.5th percentile of the count, prevalence and population uncertain",
                                   "persons")
    band_count_p50: float = value("median of the count, prevalence and population uncertain", "persons")
    band_count_p97_5: float = value("97.5th percentile of the count, prevalence and population uncertain",
                                    "persons")
    band_prevalence_p2_5: float = value("2.5th percentile of the drawn prevalence", "per 1,000 population")
    band_prevalence_p50: float = value("median of the drawn prevalence", "per 1,000 population")
    band_prevalence_p97_5: float = value("97.5th percentile of the drawn prevalence", "per 1,000 population")
    population_only_count_p2_5: float = value("2.5th percentile of the count, population alone uncertain",
                                              "persons")
    population_only_count_p50: float = value("median of the count, population alone uncertain", "persons")
    population_only_count_p97_5: float = value("97.5th percentile of the count, population alone uncertain",
                                               "persons")
    rank_relative_sds: list[float] = value("assumed relative standard deviations tried for the rank",
                                           "share 0-1")
    rank_share_first: list[float] = value("share of draws in which the country ranks first, by sd",
                                          "share 0-1")
    rank_share_top_3: list[float] = value("share of draws in which it is in the top three, by sd",
                                          "share 0-1")
    rank_share_first_decreasing: bool = value("the share first never rises as the sd rises")
    rank_closed_form_first: list[float] = value("closed-form probability of ranking above the next country, "
                                                "by sd (pairwise_first)", "share 0-1")
    error_correlation: float = value("assumed correlation of the errors, for the correlated scenario",
                                     "correlation, 0 to below 1")
    own_sd_factor: float = value("assumed factor of the country's own sd, for the older-estimate scenario",
                                 "ratio")
    error_scenarios: dict[str, ErrorScenario] = value("the share first under independent, correlated and "
                                                      "older-estimate errors, by scenario")
    published_rank: int = value("world rank by published prevalence (1 = highest)")
    runner_up: str = value("name of the highest other country by prevalence")
    runner_up_prevalence: float = value("its published prevalence", "per 1,000 population")
    rank_holds_for_all_figures: bool | None = value("every implied prevalence stays above every other "
                                                    "country's (None unless the country ranks first)")
    tables: dict = tables_field()


def analyse(long: pd.DataFrame, pop: pd.DataFrame, iso3: str, population_sources: list[str], draws: int,
            seed: int, prevalence_relative_sd: float, rank_relative_sds: list[float],
            error_correlation: float, own_sd_factor: float, edition: int = EDITION) -> SensitivityResult:
    """The whole sensitivity analysis of ``iso3`` in ``edition`` (see :class:`SensitivityResult`).

    ``long`` is the country table and ``pop`` ``population_sources.csv``; the
    parameters are the notebook's (checked with :func:`validate`). Its tables:
    ``like_for_like`` and ``all_years`` (population figures, counts and implied
    prevalences), ``count_band`` (Monte Carlo quantiles), ``rank_uncertainty`` and
    ``error_scenarios`` (:func:`scenario_table`).
    """
    row = long[(long["iso3"] == iso3) & (long["edition"] == edition)].iloc[0]
    prevalence, count = float(row["prevalence_per_1000"]), float(row["estimated_number"])
    years = headline_years(edition)
    headline = scenarios(like_for_like(pop, iso3, population_sources, years), prevalence, count)
    every = scenarios(all_figures(pop, iso3, population_sources), prevalence, count)
    low, high = float(headline["population"].min()), float(headline["population"].max())
    band = count_band(prevalence, prevalence_relative_sd, low, high, draws, seed)
    population_only = count_band(prevalence, 0.0, low, high, draws, seed)
    bands = pd.concat([band.table().assign(relative_sd=prevalence_relative_sd),
                       population_only.table().assign(relative_sd=0.0)], ignore_index=True)
    prevalences = published_prevalences(long, edition)
    ranks = rank_table(prevalences, iso3, rank_relative_sds, draws, seed)
    scenarios_run = scenario_table(prevalences, iso3, prevalence_relative_sd, error_correlation,
                                   own_sd_factor, draws, seed)
    others = other_prevalences(long, iso3, edition)
    published_rank = 1 + int((others["prevalence_per_1000"] > prevalence).sum())
    implied = headline["prevalence_at_published_count"]
    counts = headline.groupby("year")["count_at_published_prevalence"]
    by_year = {str(y): YearRange(int(n), float(lo), float(hi))
               for y, n, lo, hi in zip(counts.size().index, counts.size(), counts.min(), counts.max())}
    return SensitivityResult(
        country=iso3, name=str(row["country"]), edition=int(edition), prevalence_per_1000=prevalence,
        estimated_number=count, years=list(years), figures=len(headline), by_year=by_year,
        sources=sorted(headline["label"].unique()),
        population_low=low, population_high=high,
        count_min=float(headline["count_at_published_prevalence"].min()),
        count_max=float(headline["count_at_published_prevalence"].max()),
        prevalence_at_count_min=float(implied.min()), prevalence_at_count_max=float(implied.max()),
        draws=draws, seed=seed, prevalence_relative_sd=prevalence_relative_sd,
        **{f"band_count_{k}": v for k, v in band.count_quantiles.items()},
        **{f"band_prevalence_{k}": v for k, v in band.prevalence_quantiles.items()},
        **{f"population_only_count_{k}": v for k, v in population_only.count_quantiles.items()},
        rank_relative_sds=ranks["relative_sd"].tolist(), rank_share_first=ranks["share_first"].tolist(),
        rank_share_top_3=ranks["share_top_3"].tolist(),
        rank_share_first_decreasing=decreasing(ranks["share_first"].tolist()),
        rank_closed_form_first=[pairwise_first(prevalence, float(others.iloc[0]["prevalence_per_1000"]), sd)
                                for sd in ranks["relative_sd"].tolist()],
        error_correlation=float(error_correlation), own_sd_factor=float(own_sd_factor),
        error_scenarios={str(row["scenario"]).replace(" ", "_"): ErrorScenario(
            *(float(row[k]) for k in ("relative_sd", "correlation", "own_sd_factor", "share_first",
                                      "closed_form_vs_runner_up"))) for _, row in scenarios_run.iterrows()},
        published_rank=published_rank, runner_up=str(others.iloc[0]["country"]),
        runner_up_prevalence=float(others.iloc[0]["prevalence_per_1000"]),
        rank_holds_for_all_figures=rank_holds(implied, others) if published_rank == 1 else None,
        tables={"like_for_like": headline, "all_years": every, "count_band": bands,
                "rank_uncertainty": ranks, "error_scenarios": scenarios_run})
