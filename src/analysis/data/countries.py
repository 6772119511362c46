"""Country names as published -> ISO 3166-1 alpha-3 codes, across the GSI editions."""

from __future__ import annotations

import pandas as pd

from ..errors import RawDataError
from ..paths import ProjectPaths
from .raw_io import read_raw

CODES_FILE = "country_codes.csv"


def country_codes(paths: ProjectPaths | None = None) -> dict[str, str]:
    """Return ``{published country name: ISO3 code}`` from ``data/raw/country_codes.csv``."""
    codes = read_raw(CODES_FILE, paths)
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
