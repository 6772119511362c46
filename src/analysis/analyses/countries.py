"""Check a country code and edition against what the data hold, listing the valid choices."""

from __future__ import annotations

import pandas as pd

from ..errors import ParameterError


def countries_with_estimate(long: pd.DataFrame, edition: int) -> list[str]:
    """ISO3 codes of the countries that have a prevalence estimate in ``edition``, sorted."""
    rows = long[(long["edition"] == edition) & long["has_estimate"]]
    return sorted(rows["iso3"].unique())


def _listing(long: pd.DataFrame, codes: list[str]) -> str:
    names = long.drop_duplicates("iso3").set_index("iso3")["country"]
    return ", ".join(f"{c} ({names[c]})" for c in codes)


def require_edition(edition: object, allowed: tuple[int, ...], name: str = "edition") -> int:
    """Return ``edition`` if it is one of ``allowed``; else raise :class:`ParameterError`."""
    if isinstance(edition, bool) or not isinstance(edition, int) or edition not in allowed:
        raise ParameterError(f"{name}={edition!r} is not available; choose one of {list(allowed)}")
    return edition


def require_country(long: pd.DataFrame, country: object, *editions: int) -> str:
    """Return the ISO3 code ``country`` if it has an estimate in every one of ``editions``
    (in any edition, if none is given).

    Otherwise raise :class:`ParameterError` that says why and lists the valid codes
    with their names, so a user can pick one.
    """
    if editions:
        valid = sorted(set.intersection(*(set(countries_with_estimate(long, e)) for e in editions)))
        which = " and ".join(f"GSI {e}" for e in editions)
    else:
        valid = sorted(set(long.loc[long["has_estimate"].astype(bool), "iso3"]))
        which = "any GSI edition"
    code = str(country).strip().upper() if isinstance(country, str) else country
    if code in valid:
        return code
    known = set(long["iso3"])
    if code in known:
        name = long.loc[long["iso3"] == code, "country"].iloc[0]
        reason = f"{code} ({name}) has no prevalence estimate in {which}"
    else:
        reason = f"{country!r} is not an ISO 3166-1 alpha-3 code of any country in the GSI"
    raise ParameterError(f"{reason}. Valid choices ({len(valid)}): {_listing(long, valid)}")
