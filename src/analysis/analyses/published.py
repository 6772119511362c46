"""The published values a result repeats, and the check that it repeats them exactly.

A run's key numbers and an atlas country's repeat figures of
``data/processed/gsi_country_edition.csv`` (a country's prevalence, count,
population, scores, name and region in an edition). Before the paper prints
them or the atlas lists them, :func:`differences` compares each with the table,
so that an edited or stale ``values.json`` is refused, whatever its record says.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable
from pathlib import Path

from .result import Result

Row = dict[str, str]


def country_rows(processed: Path) -> dict[tuple[str, int], Row]:
    """``{(iso3, edition): row}`` of ``gsi_country_edition.csv`` in the folder ``processed``, as text.

    Read with the csv module, not pandas: a second route to the same numbers.
    """
    with open(processed / "gsi_country_edition.csv", newline="", encoding="utf-8") as handle:
        return {(row["iso3"], int(row["edition"])): row for row in csv.DictReader(handle)}


def _same(saved: object, published: str) -> bool:
    if published == "":
        return saved is None
    if isinstance(saved, str):
        return saved == published
    if isinstance(saved, bool) or not isinstance(saved, (int, float)):
        return False
    return math.isclose(float(saved), float(published), rel_tol=1e-12, abs_tol=0.0)


def differences(result: Result, row_of: Callable[[str, int], Row | None]) -> list[str]:
    """Each value of ``result`` that repeats a column of the country table and differs from it.

    ``row_of(iso3, edition)`` returns the row. Returns one short text per
    difference (empty when all agree).
    """
    problems = []
    for key, edition_key, column in result.mirrors():
        year = getattr(result, edition_key)
        row = row_of(result.country, int(year))
        saved = getattr(result, key)
        if row is None:
            problems.append(f"{key}: no row for {result.country} in GSI {year} of data/processed")
        elif not _same(saved, row[column]):
            problems.append(f"{key}: values.json has {saved!r}, data/processed/gsi_country_edition.csv has "
                            f"{row[column]!r} ({column}, GSI {year})")
    return problems
