"""Population revisions: which UN edition and reference year each GSI population is, and what changed.

All populations are persons. The World Bank's SP.POP.TOTL series follows the UN
World Population Prospects (WPP); each World Bank vintage held is one download
of that series. Consecutive vintages that give the same figure for every year
they share are one *revision*. Walk Free does not say which WPP edition or year
each GSI edition used; they are found here by matching the printed population
to a revision's figure, which is an inference from equal numbers, and the
functions say so.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .result import Result, value

WB_SOURCE = "World Bank WDI"
UN_SOURCE = "UN WPP"


def revisions(pop: pd.DataFrame, iso3: str) -> pd.DataFrame:
    """The World Bank revisions of ``iso3``'s population, oldest first.

    ``pop`` is ``population_sources.csv``. One row per revision: ``revision``
    (1, 2, ...), ``first_vintage`` and ``last_vintage`` (``YYYY-MM``), and one
    column per reference year (persons; NA where the revision has no figure).
    Empty when the World Bank series is not held for the country.
    """
    wb = pop[(pop["iso3"] == iso3) & (pop["source"] == WB_SOURCE)]
    if wb.empty:
        return pd.DataFrame(columns=["revision", "first_vintage", "last_vintage"])
    wide = wb.pivot_table(index="vintage", columns="year", values="population", aggfunc="first")
    wide = wide.sort_index()
    groups, current, previous = [], 0, None
    for _, row in wide.iterrows():
        shared = row.notna() & previous.notna() if previous is not None else None
        same = previous is not None and shared.any() and (row[shared] == previous[shared]).all()
        current += 0 if same else 1
        groups.append(current)
        previous = row
    wide["revision"] = groups
    out = wide.reset_index().groupby("revision").agg(
        first_vintage=("vintage", "first"), last_vintage=("vintage", "last"),
        **{str(y): (y, "max") for y in wide.columns if isinstance(y, (int, float)) and y != "revision"})
    out = out.reset_index()
    out.columns = [int(c) if c.isdigit() else c for c in out.columns]
    return out


def revision_label(row: pd.Series) -> str:
    """``'World Bank, vintage 2020-04'`` or ``'World Bank, vintages 2025-01 to 2026-03'``."""
    if row["first_vintage"] == row["last_vintage"]:
        return f"World Bank, vintage {row['first_vintage']}"
    return f"World Bank, vintages {row['first_vintage']} to {row['last_vintage']}"


def _matching(revs: pd.DataFrame, year: int, printed: float, rounding: int) -> pd.DataFrame:
    if year not in revs.columns:
        return revs.iloc[0:0]
    values = revs[year].astype("Float64")
    return revs[values.notna() & ((values / rounding).round() * rounding == printed)]


@dataclass(frozen=True)
class PopulationSplit(Result):
    """The change in the population two GSI editions printed, split into growth, revision and rounding
    (all in persons; they add up exactly to ``change``). The UN editions and years are inferred from
    equal numbers, not stated by Walk Free."""

    printed_from: float = value("population the earlier edition printed", "persons")
    printed_to: float = value("population the later edition printed", "persons")
    change: float = value("printed_to - printed_from", "persons")
    year_from: int = value("year the earlier edition's population refers to (inferred)")
    year_to: int = value("year the later edition's population refers to (inferred)")
    un_from_earlier_edition: float = value("the earlier UN edition's figure for year_from", "persons")
    un_from_later_edition: float = value("the later UN edition's figure for year_from", "persons")
    un_to_later_edition: float = value("the later UN edition's figure for year_to", "persons")
    from_revision: str = value("the World Bank revision that carries the earlier UN edition")
    to_revision: str = value("the World Bank revision taken for the later UN edition")
    next_revision_year_to: float = value("year_to figure of the first revision after to_revision", "persons")
    next_revision_year_from: float = value("year_from figure of the first revision after to_revision",
                                           "persons")
    next_revision: str = value("the first World Bank revision whose year_to figure differs")
    growth: float = value("growth between year_from and year_to, in the later UN edition", "persons")
    revision: float = value("the later UN edition's year_from figure minus the earlier one's", "persons")
    rounding: float = value("what rounding the two printed figures adds", "persons")


def population_change(pop: pd.DataFrame, iso3: str, edition_from: int = 2018, edition_to: int = 2023,
                      year_from: int = 2015, year_to: int = 2020,
                      rounding: int = 1000) -> PopulationSplit | None:
    """Split the change in the population printed by two GSI editions into growth, revision and rounding.

    The earlier edition printed a population for ``year_from`` from one UN
    edition; the later one printed the population for ``year_to`` from the UN
    WPP 2019 figure held (``UN WPP`` rows of ``pop``). The change between the
    two printed figures (persons) is

    * ``growth``: the later UN edition's ``year_to`` figure minus its
      ``year_from`` figure, the growth between the reference years;
    * ``revision``: the later UN edition's ``year_from`` figure minus the
      earlier one's, the change between the two UN editions for the same year;
    * ``rounding``: what the rounding of the two printed figures to the nearest
      ``rounding`` persons adds.

    The three add up exactly to the change. Each UN edition's figure for
    ``year_from`` is taken from a World Bank revision, found by inference:

    * the earlier edition's is the revision whose ``year_from`` figure rounds
      to the printed population (``from_revision``);
    * the later edition's is the one revision after that and before the first
      revision whose ``year_to`` figure is not the later edition's
      (``to_revision``), since the World Bank series follows each new UN edition.
      Its ``year_from`` figure differs from both neighbours' (``un_from_earlier_edition``
      and ``next_revision_year_from``), which is what makes it a UN edition of its own.

    Returns ``None`` when the data held do not allow the split (no World Bank
    series for the country, or no unique revision for either step).
    """
    printed = pop[(pop["iso3"] == iso3) & pop["source"].isin([f"GSI {edition_from}", f"GSI {edition_to}"])]
    printed = printed.set_index("source")["population"]
    un = pop[(pop["iso3"] == iso3) & (pop["source"] == UN_SOURCE) & (pop["year"] == year_to)]
    revs = revisions(pop, iso3)
    if revs.empty or un.empty or len(printed) != 2:
        return None
    pop_from, pop_to = float(printed[f"GSI {edition_from}"]), float(printed[f"GSI {edition_to}"])
    un_to = float(un["population"].iloc[0])
    if round(un_to / rounding) * rounding != pop_to:
        return None
    earlier = _matching(revs, year_from, pop_from, rounding)
    if len(earlier) != 1:
        return None
    start = int(earlier["revision"].iloc[0])
    later = revs[revs["revision"] > start]
    differs = later[year_to].notna() & (later[year_to] != un_to) if year_to in later.columns else None
    end = int(later.loc[differs, "revision"].min()) if differs is not None and differs.any() else None
    between = later[(later["revision"] < end)] if end is not None else later.iloc[0:0]
    if len(between) != 1 or pd.isna(between[year_from].iloc[0]):
        return None
    from_rev, to_rev = earlier.iloc[0], between.iloc[0]
    old_from, new_from = float(from_rev[year_from]), float(to_rev[year_from])
    growth = un_to - new_from
    revision = new_from - old_from
    rounding_effect = (pop_to - un_to) - (pop_from - old_from)
    return PopulationSplit(
        printed_from=pop_from, printed_to=pop_to, change=pop_to - pop_from, year_from=int(year_from),
        year_to=int(year_to), un_from_earlier_edition=old_from, un_from_later_edition=new_from,
        un_to_later_edition=un_to, from_revision=revision_label(from_rev), to_revision=revision_label(to_rev),
        next_revision_year_to=float(later.loc[later["revision"] == end, year_to].iloc[0]),
        next_revision_year_from=float(later.loc[later["revision"] == end, year_from].iloc[0]),
        next_revision=revision_label(later[later["revision"] == end].iloc[0]),
        growth=growth, revision=revision, rounding=rounding_effect)
