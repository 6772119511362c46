"""How the count and the prevalence move with the population figure and the prevalence rate.

Populations and counts are persons, prevalence per 1,000. GSI 2023 multiplies
a modelled prevalence by a population (UN WPP 2019, year 2020) to get its count;
other revisions of the same population give other counts, and, if the count is
taken as the fixed quantity, other prevalences.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..data.population import GSI_POPULATION_YEAR
from ..data.processed import read_processed
from ..errors import ParameterError
from ..paths import ProjectPaths
from .choices import require_country

#: Population sources a user may choose (values of ``population_sources.csv``'s
#: ``source`` column; "GSI" stands for the populations the GSI editions printed).
POPULATION_SOURCES = ("World Bank WDI", "UN WPP", "GSI")
EDITION = 2023
MAX_DRAWS = 20_000_000


def validate(long: pd.DataFrame, country: object, population_sources: object, draws: object,
             seed: object, prevalence_relative_sd: object) -> str:
    """Check the sensitivity parameters; return the ISO3 code or raise ParameterError."""
    iso3 = require_country(long, country, EDITION)
    if (not isinstance(population_sources, list) or not population_sources
            or any(s not in POPULATION_SOURCES for s in population_sources)):
        raise ParameterError(f"population_sources={population_sources!r} must be a non-empty "
                             f"list drawn from {list(POPULATION_SOURCES)}")
    if isinstance(draws, bool) or not isinstance(draws, int) or not 1_000 <= draws <= MAX_DRAWS:
        raise ParameterError(f"draws={draws!r} must be a whole number from 1,000 to {MAX_DRAWS:,}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ParameterError(f"seed={seed!r} must be a whole number >= 0")
    sd = prevalence_relative_sd
    if isinstance(sd, bool) or not isinstance(sd, (int, float)) or not 0 <= sd < 1:
        raise ParameterError(f"prevalence_relative_sd={prevalence_relative_sd!r} must be a "
                             "number from 0 to below 1 (e.g. 0.1 for 10 per cent)")
    return iso3


def validate_parameters(params: dict, paths: ProjectPaths | None = None) -> dict:
    """Check the sensitivity notebook's parameters against the data; return them normalised."""
    long = read_processed("gsi_country_edition.csv", paths)
    country = validate(long, params["country"], params["population_sources"], params["draws"],
                       params["seed"], params["prevalence_relative_sd"])
    return {**params, "country": country}


def population_figures(pop: pd.DataFrame, iso3: str, sources: list[str]) -> pd.DataFrame:
    """Population figures (persons) of ``iso3`` from the chosen sources.

    One row per source, vintage and year the population refers to.
    """
    source_family = pop["source"].str.replace(r"^GSI \d{4}$", "GSI", regex=True)
    rows = pop[(pop["iso3"] == iso3) & source_family.isin(sources)].copy()
    rows["label"] = (rows["source"] + " (" + rows["vintage"].astype(str) + "), "
                     + rows["year"].astype(str))
    return rows.reset_index(drop=True)


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


def reference_year_range(figures: pd.DataFrame, edition: int = EDITION) -> tuple[float, float, int]:
    """Lowest and highest population (persons) for the edition's reference year.

    The range runs across the chosen sources and their revisions; returns
    ``(low, high, reference_year)``.
    """
    year = GSI_POPULATION_YEAR[edition]
    values = figures.loc[figures["year"] == year, "population"].astype(float)
    if values.empty:
        raise ParameterError(f"no population figure for {year} among the chosen sources")
    return float(values.min()), float(values.max()), year


@dataclass(frozen=True)
class MonteCarloResult:
    """Draws summarised: quantiles of count (persons) and prevalence (per 1,000), and ranks."""

    draws: int
    seed: int
    count_quantiles: dict[str, float]
    prevalence_quantiles: dict[str, float]
    rank_shares: dict[int, float]

    def table(self) -> pd.DataFrame:
        """The quantiles as a table (one row per quantity)."""
        rows = [{"quantity": "count_persons", **self.count_quantiles},
                {"quantity": "prevalence_per_1000", **self.prevalence_quantiles}]
        return pd.DataFrame(rows)


QUANTILES = {"p2_5": 0.025, "p50": 0.5, "p97_5": 0.975}


def monte_carlo(prevalence: float, relative_sd: float, pop_low: float, pop_high: float,
                other_prevalences: np.ndarray, draws: int, seed: int) -> MonteCarloResult:
    """Draw prevalence ~ Normal(prevalence, relative_sd x prevalence), cut at 0,
    and population ~ Uniform(pop_low, pop_high).

    ``prevalence`` per 1,000; populations in persons; ``other_prevalences`` are
    the published prevalences (per 1,000) of every other country, against which
    each draw is ranked (1 = highest). Fully vectorised: 1,000,000 draws take a
    fraction of a second. The same ``seed`` gives the same result.
    """
    rng = np.random.default_rng(seed)
    prev = np.maximum(rng.normal(prevalence, relative_sd * prevalence, draws), 0.0)
    pop = rng.uniform(pop_low, pop_high, draws) if pop_high > pop_low else np.full(draws, pop_low)
    counts = prev * pop / 1000
    others = np.sort(np.asarray(other_prevalences, dtype=float))
    rank = 1 + others.size - np.searchsorted(others, prev, side="right")
    values, freq = np.unique(rank, return_counts=True)
    qs = list(QUANTILES.values())
    return MonteCarloResult(
        draws=draws, seed=seed,
        count_quantiles=dict(zip(QUANTILES, np.quantile(counts, qs).tolist())),
        prevalence_quantiles=dict(zip(QUANTILES, np.quantile(prev, qs).tolist())),
        rank_shares={int(v): float(f / draws) for v, f in zip(values, freq)},
    )


def other_prevalences(long: pd.DataFrame, iso3: str, edition: int = EDITION) -> pd.DataFrame:
    """Published prevalence (per 1,000) of every other country with an estimate, highest first."""
    rows = long[(long["edition"] == edition) & long["has_estimate"] & (long["iso3"] != iso3)]
    rows = rows.sort_values("iso3", kind="mergesort")
    return rows.sort_values("prevalence_per_1000", ascending=False, kind="mergesort")[
        ["iso3", "country", "prevalence_per_1000"]].reset_index(drop=True)


def rank_holds(implied_prevalences: pd.Series, others: pd.DataFrame) -> bool:
    """True when every implied prevalence (per 1,000) stays above every other country's published one."""
    return bool((implied_prevalences.astype(float) > float(others["prevalence_per_1000"].max())).all())
