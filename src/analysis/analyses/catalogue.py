"""Every country code in the data, with its name, region, editions and the analyses it allows.

``python -m analysis countries`` prints this list, so that a student can pick a
country for the notebooks and the atlas without triggering an error first.
"""

from __future__ import annotations

from itertools import combinations

import pandas as pd

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


def format_catalogue(table: pd.DataFrame) -> str:
    """``table`` (of :func:`country_catalogue`) as aligned text columns under a header line."""
    shown = table.rename(columns=COLUMNS).fillna("")
    widths = {c: max(len(c), *(len(str(v)) for v in shown[c])) if len(shown) else len(c) for c in shown}
    lines = ["  ".join(c.ljust(widths[c]) for c in shown).rstrip()]
    for _, row in shown.iterrows():
        lines.append("  ".join(str(row[c]).ljust(widths[c]) for c in shown).rstrip())
    return "\n".join(lines)


def search(table: pd.DataFrame, text: str) -> pd.DataFrame:
    """The rows of ``table`` whose code, name or region contains ``text`` (any case)."""
    text = text.casefold()
    hit = table[["iso3", "country", "region"]].apply(lambda col: col.str.casefold().str.contains(text,
                                                                                                  regex=False))
    return table[hit.any(axis=1)]
