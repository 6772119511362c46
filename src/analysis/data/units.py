"""Units of prevalence: the editions differ (per cent in 2016, per 1,000 from 2018)."""

from __future__ import annotations

import pandas as pd

PER_1000 = "per 1,000 population"
PER_CENT = "per cent"

#: Factor that turns a prevalence in the given unit into a prevalence per 1,000.
_TO_PER_1000 = {PER_1000: 1.0, PER_CENT: 10.0}


def per_1000_factor(unit: str | None) -> float:
    """Return the factor that converts a prevalence in ``unit`` to per 1,000 population.

    Raises ``ValueError`` for any unit other than per cent or per 1,000.
    """
    try:
        return _TO_PER_1000[unit]  # type: ignore[index]
    except KeyError:
        raise ValueError(f"unknown prevalence unit {unit!r}; expected one of "
                         f"{sorted(_TO_PER_1000)}") from None


def to_per_1000(values: pd.Series, unit: str | None) -> pd.Series:
    """Convert prevalences given in ``unit`` (per cent or per 1,000) to per 1,000 population."""
    return values * per_1000_factor(unit)


def implied_count(prevalence: pd.Series, unit: str | None, population: pd.Series) -> pd.Series:
    """Number of people (persons) implied by a prevalence in ``unit`` and a population (persons)."""
    return to_per_1000(prevalence, unit) * population / 1000.0
