"""Country names as published -> ISO 3166-1 alpha-3 codes, across the GSI editions.

Every code must be in ``data/raw/iso3166_country_codes.csv`` (the ISO 3166-1 list,
plus user-assigned codes such as XKX for Kosovo, each flagged with its reason), and
no two names of one edition may share a code.
"""

from __future__ import annotations

import pandas as pd

from ..errors import RawDataError
from ..paths import ProjectPaths
from .raw_io import read_raw

CODES_FILE = "country_codes.csv"
ISO_FILE = "iso3166_country_codes.csv"


def iso_names(paths: ProjectPaths | None = None) -> dict[str, str]:
    """``{alpha-3 code: short name}`` of every code in the ISO 3166-1 list (and the flagged extras)."""
    iso = read_raw(ISO_FILE, paths)
    return dict(zip(iso["alpha_3"], iso["name"]))


def check_codes_are_iso(codes: pd.DataFrame, names: dict[str, str], file: str = CODES_FILE) -> None:
    """Check each row's ``iso3`` is in the ISO 3166-1 list and ``iso_name`` is that code's name.

    Stops at the first row that breaks either, naming the file, line and column.
    """
    for idx, (code, name) in enumerate(zip(codes["iso3"], codes["iso_name"])):
        if code not in names:
            raise RawDataError(file, f"{code!r} is not an ISO 3166-1 alpha-3 code: it is not in "
                               f"{ISO_FILE}, which lists the assigned codes and the user-assigned "
                               "ones the data need", line=idx + 2, column="iso3")
        if name != names[code]:
            raise RawDataError(file, f"{name!r} is not the name of {code} in {ISO_FILE}, which is "
                               f"{names[code]!r}: is the code right?", line=idx + 2, column="iso_name")


def country_code_table(paths: ProjectPaths | None = None) -> pd.DataFrame:
    """``data/raw/country_codes.csv`` after checking every code against the ISO 3166-1 list."""
    codes = read_raw(CODES_FILE, paths)
    check_codes_are_iso(codes, iso_names(paths))
    return codes


def country_codes(paths: ProjectPaths | None = None) -> dict[str, str]:
    """Return ``{published country name: ISO3 code}`` from ``data/raw/country_codes.csv`` (checked)."""
    codes = country_code_table(paths)
    return dict(zip(codes["name"], codes["iso3"]))


def attach_iso3(frame: pd.DataFrame, file: str, codes: dict[str, str],
                column: str = "country") -> pd.Series:
    """Return the ISO3 code of each row's ``column``.

    A name not in the crosswalk stops with an error naming the file, line and name,
    so a new or misspelt country never disappears silently from a join.
    """
    iso3 = frame[column].map(codes)
    unknown = iso3.isna()
    if unknown.any():
        idx = int(unknown.to_numpy().nonzero()[0][0])
        name = frame[column].iloc[idx]
        raise RawDataError(file, f"unknown country name {name!r}: it is not in "
                           f"{CODES_FILE}; add it there (scripts/extract_raw.py, NAME_OVERRIDES)",
                           line=idx + 2, column=column)
    return iso3.astype("string")


def check_unique_codes(long: pd.DataFrame, codes: pd.DataFrame) -> None:
    """Check that no code appears twice in one edition of ``long`` (the stacked GSI tables).

    Two published names of one edition with the same code would merge two countries;
    the error names the line of ``country_codes.csv`` that gives the first of them the code.
    """
    twice = long[long.duplicated(["edition", "iso3"], keep=False)]
    if twice.empty:
        return
    edition, code = twice["edition"].iloc[0], twice["iso3"].iloc[0]
    names = twice.loc[(twice["edition"] == edition) & (twice["iso3"] == code), "name_as_published"]
    lines = {name: idx + 2 for idx, name in enumerate(codes["name"])}
    first, second = sorted(names, key=lambda n: lines.get(n, 0))[:2]
    raise RawDataError(CODES_FILE, f"{code} is the code of both {first!r} and {second!r} (line "
                       f"{lines.get(second)}), two countries of GSI {edition}: codes must be unique "
                       "within an edition", line=lines.get(first), column="iso3")
