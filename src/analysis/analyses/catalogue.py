"""Every country code in the data, with its name, region, editions and the analyses it allows.

``python -m analysis countries`` prints this list, so that a student can pick a
country for the notebooks and the atlas without triggering an error first.
"""

from __future__ import annotations

import textwrap
from itertools import combinations

import pandas as pd

from ..data.countries import CountryNames
from .sensitivity import EDITION as SENSITIVITY_EDITION
from .sensitivity import POPULATION_SOURCES, headline_years, like_for_like
from .snapshot import snapshot_editions

COLUMNS = {"iso3": "ISO3", "country": "Country", "region": "Region", "estimates": "GSI estimates",
           "snapshot": "Snapshot", "comparison": "Comparison", "sensitivity": "Sensitivity",
           "notes": "Notes"}


def _years(editions: list[int]) -> str:
    return " ".join(map(str, editions))


def country_catalogue(long: pd.DataFrame, pop: pd.DataFrame) -> pd.DataFrame:
    """One row per ISO3 code of ``long`` (``gsi_country_edition.csv``), sorted by code.

    Columns: ``iso3``, ``country``, ``region`` (the latest edition's), ``estimates``
    (the GSI editions with a prevalence estimate), ``snapshot`` (the editions the
    snapshot notebook and the atlas accept), ``comparison`` (the pairs of editions
    the comparison notebook accepts), ``sensitivity`` (the population sources of
    ``pop``, ``population_sources.csv``, that the sensitivity notebook accepts on
    their own; empty without a GSI 2023 estimate) and ``notes`` (scores not assessed, no estimate).
    Every value is text; empty where nothing applies.
    """
    rows = []
    years = headline_years()
    drawable = snapshot_editions(long)
    for iso3, own in long.sort_values(["iso3", "edition"], kind="mergesort").groupby("iso3", sort=True):
        latest = own.iloc[-1]
        estimated = [int(e) for e in own.loc[own["has_estimate"].astype(bool), "edition"]]
        snapshot = [e for e in estimated if e in drawable]
        not_assessed = [e for e in snapshot
                        if own.loc[own["edition"] == e, "govt_total_pct"].isna().all()]
        sources = [s for s in POPULATION_SOURCES
                   if SENSITIVITY_EDITION in estimated and not like_for_like(pop, iso3, [s], years).empty]
        rows.append({
            "iso3": iso3, "country": latest["country"], "region": latest["region"],
            "estimates": _years(estimated), "snapshot": _years(snapshot),
            "comparison": " ".join(f"{a}-{b}" for a, b in combinations(estimated, 2)),
            "sensitivity": ", ".join(sources),
            "notes": (f"response not assessed: {_years(not_assessed)}" if not_assessed
                      else "" if estimated else "no prevalence estimate in any edition"),
        })
    return pd.DataFrame(rows, columns=list(COLUMNS))


#: Width of a terminal the list fits in (characters).
WIDTH = 80
#: Up to this many codes, each is shown with every detail, one line each.
DETAILED = 3


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "\u2026"


def format_catalogue(table: pd.DataFrame, width: int = WIDTH) -> str:
    """``table`` (of :func:`country_catalogue`) as text ``width`` characters wide at most.

    A long list has one line per code (code, name, region, editions with an
    estimate); a short one (up to :data:`DETAILED` codes) gives every detail.
    """
    shown = table.fillna("")
    if len(shown) <= DETAILED:
        blocks = []
        for _, row in shown.iterrows():
            lines = [f"{row['iso3']}  {row['country']}"]
            for key in ("region", "estimates", "snapshot", "comparison", "sensitivity", "notes"):
                if row[key]:
                    lines += textwrap.wrap(row[key], width, initial_indent=f"     {COLUMNS[key]:<15}",
                                           subsequent_indent=" " * 20)
            blocks.append("\n".join(lines))
        return "\n\n".join(blocks)
    name_width, region_width = 30, 22
    lines = [f"{'ISO3':<4}  {'Country':<{name_width}}  {'Region':<{region_width}}  {COLUMNS['estimates']}"]
    for _, row in shown.iterrows():
        lines.append(f"{row['iso3']:<4}  {_cut(row['country'], name_width):<{name_width}}  "
                     f"{_cut(row['region'], region_width):<{region_width}}  {row['estimates']}".rstrip())
    return "\n".join(line[:width] for line in lines)


def search(table: pd.DataFrame, text: str, names: CountryNames | None = None) -> pd.DataFrame:
    """The rows of ``table`` whose code, name or region contains ``text`` (any case), or, with
    ``names``, whose country any of its names or their forms match ("dprk", "korea dpr")."""
    key = text.casefold()
    hit = table[["iso3", "country", "region"]].apply(
        lambda col: col.str.casefold().str.contains(key, regex=False)).any(axis=1)
    if names is not None:
        hit |= table["iso3"].isin(names.matching(text))
    return table[hit]
