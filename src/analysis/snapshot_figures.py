"""The five figures of a country snapshot, drawn the same way by the notebook and by the atlas.

``notebooks/01_country_snapshot.ipynb`` draws one country; ``python -m analysis
atlas`` draws every country with the same functions, so its figures are the
notebook's, byte for byte. Each function takes the cleaned table
(``gsi_country_edition.csv``), an ISO3 code and a GSI edition (2018 or 2023),
and returns a matplotlib Figure: prevalence per 1,000 population, counts in
persons, vulnerability scores 0-100, government response in per cent.
"""

from __future__ import annotations

from collections.abc import Callable

import matplotlib.pyplot as plt
import pandas as pd

from . import figures
from .analyses import snapshot
from .data import geography


def prevalence(long: pd.DataFrame, iso3: str, edition: int) -> plt.Figure:
    """Prevalence (per 1,000) of every country of the region, ranked, with the regional prevalence dashed."""
    return figures.ranked_bars(snapshot.region_ranking(long, iso3, edition, "prevalence_per_1000"),
                               "prevalence_per_1000",
                               "Estimated people in modern slavery per 1,000 population",
                               reference=("Region", snapshot.regional_prevalence(long, iso3, edition)))


def map_note(in_region: pd.DataFrame, iso3: str, outlines: dict[str, list[geography.Ring]],
             view: geography.Box) -> str:
    """The note under a region's map: the countries too small to draw at 1:110m, those with an
    estimate (per 1,000) apart from those without, and whether parts of ``iso3`` lie beyond ``view``."""
    names = in_region.set_index("iso3")
    small = names.loc[geography.missing_outlines(in_region["iso3"], outlines)]
    value = small["prevalence_per_1000"]
    estimated = [f"{n} ({v:.1f})" for n, v in zip(small.loc[value.notna(), "country"], value.dropna())]
    unknown = list(small.loc[value.isna(), "country"])
    parts = ([f"Estimated but too small to draw at this scale (per 1,000): {', '.join(estimated)}."]
             if estimated else [])
    parts += [f"No estimate, too small to draw: {', '.join(unknown)}."] if unknown else []
    if geography.parts_outside(iso3, outlines, view):
        parts.append(f"Parts of {names.loc[iso3, 'country']} lie beyond this view and are not shown.")
    return " ".join(parts)


def prevalence_map(long: pd.DataFrame, iso3: str, edition: int,
                   outlines: dict[str, list[geography.Ring]]) -> plt.Figure:
    """Prevalence (per 1,000, logarithmic colours) on a map of the region, the country outlined.

    The view holds the main outline of every country of the region with an
    estimate and the whole of the country itself (Alaska for the United States,
    Chukotka across 180 degrees for Russia). Countries too small to draw at
    1:110m, and parts of the country beyond the view, are named under the map.
    """
    in_region = snapshot.region_values(long, iso3, edition, "prevalence_per_1000")
    view = map_view(long, iso3, edition, outlines)
    return figures.region_map(in_region, "prevalence_per_1000", outlines, iso3,
                              "Per 1,000 population (logarithmic scale)", view,
                              note=map_note(in_region, iso3, outlines, view))


def map_view(long: pd.DataFrame, iso3: str, edition: int,
             outlines: dict[str, list[geography.Ring]]) -> geography.Box:
    """``(west, east, south, north)`` (degrees) of the map of ``iso3``'s region: every country of the
    region with an estimate, and the whole of ``iso3`` (see :func:`analysis.data.geography.extent`)."""
    ranked = snapshot.region_ranking(long, iso3, edition, "prevalence_per_1000")
    return geography.extent(ranked["iso3"].tolist(), outlines, whole=[iso3])


def number(long: pd.DataFrame, iso3: str, edition: int) -> plt.Figure:
    """Estimated number of people in modern slavery (persons) in each country of the region, ranked."""
    return figures.ranked_bars(snapshot.region_ranking(long, iso3, edition, "estimated_number"),
                               "estimated_number", "Estimated number of people in modern slavery", decimals=0)


def vulnerability(long: pd.DataFrame, iso3: str, edition: int) -> plt.Figure:
    """Each vulnerability dimension (score 0-100) of the country beside the regional average."""
    name = snapshot.name_of(long, iso3)
    return figures.against_region(snapshot.vulnerability_against_region(long, iso3, edition), name,
                                  "Score (0 = least, 100 = most vulnerable)")


def response(long: pd.DataFrame, iso3: str, edition: int) -> plt.Figure:
    """Each government-response milestone (per cent) of the country beside the regional average.

    A country Walk Free did not assess (Afghanistan, South Sudan, Syria and
    Yemen in 2023) has "not assessed" written where its bars would be, and a note.
    """
    name = snapshot.name_of(long, iso3)
    table = snapshot.response_against_region(long, iso3, edition)
    note = (f"{name}: government response not assessed by Walk Free in GSI {edition}; "
            "the grey bars are the regional average." if table["country"].isna().all() else "")
    return figures.against_region(
        table, name, "Per cent of the available points (negative where negative indicators are met)",
        missing="not assessed", note=note)


#: The snapshot's figures in the notebook's order: name of the saved files -> drawing function.
FIGURES: dict[str, Callable[..., plt.Figure]] = {
    "prevalence": prevalence, "map": prevalence_map, "number": number,
    "vulnerability": vulnerability, "response": response,
}
