"""The one definition of a country check: a code or a name, with an estimate in the editions asked for."""

from __future__ import annotations

import pandas as pd

from ..data.countries import CountryNames
from ..errors import ParameterError


def countries_with_estimate(long: pd.DataFrame, edition: int) -> list[str]:
    """ISO3 codes of the countries that have a prevalence estimate in ``edition``, sorted."""
    rows = long[(long["edition"] == edition) & long["has_estimate"]]
    return sorted(rows["iso3"].unique())


def require_edition(edition: object, allowed: tuple[int, ...], name: str = "edition") -> int:
    """Return ``edition`` if it is one of ``allowed``; else raise :class:`ParameterError`."""
    if isinstance(edition, bool) or not isinstance(edition, int) or edition not in allowed:
        raise ParameterError(f"{name}={edition!r} is not available; choose one of {list(allowed)}")
    return edition


def names_in(long: pd.DataFrame) -> CountryNames:
    """The names the country table ``long`` gives each code (every edition's), for matching what a
    user typed (:class:`~analysis.data.countries.CountryNames`)."""
    latest = long.sort_values("edition", kind="mergesort").drop_duplicates("iso3", keep="last")
    shown = dict(zip(latest["iso3"], latest["country"]))
    pairs = list(zip(long["country"], long["iso3"])) + list(zip(long["name_as_published"], long["iso3"]))
    return CountryNames.of(pairs, shown)


def require_country(long: pd.DataFrame, country: object, *editions: int) -> str:
    """Return the ISO3 code of ``country`` (a code in any case, or a name) if it has an estimate in
    every one of ``editions`` (in any edition, if none is given).

    Otherwise raise :class:`ParameterError` in one short line that says why and
    names the nearest countries, or how many have an estimate.
    """
    if editions:
        valid = sorted(set.intersection(*(set(countries_with_estimate(long, e)) for e in editions)))
        which = " and ".join(f"GSI {e}" for e in editions)
    else:
        valid = sorted(set(long.loc[long["has_estimate"].astype(bool), "iso3"]))
        which = "any GSI edition"
    names = names_in(long)
    code = names.find(country)
    if code in valid:
        return code
    if code is None:
        near = [c for c in names.suggest(country) if c in valid]
        hint = f"; did you mean {' or '.join(f'{c} ({names.shown[c]})' for c in near)}?" if near else ""
        raise ParameterError(f"{country!r} is not an ISO 3166-1 alpha-3 code or a name of a country in the "
                             f"GSI{hint}")
    raise ParameterError(f"{code} ({names.shown[code]}) has no prevalence estimate in {which}; {len(valid)} "
                         "countries have one (`python -m analysis countries` lists them)")
