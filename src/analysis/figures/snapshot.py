"""The five figures of a country snapshot, drawn the same way by the notebook and by the atlas.

``notebooks/01_country_snapshot.ipynb`` draws one country; ``python -m analysis
atlas`` draws every country with the same functions, so its figures are the
notebook's, byte for byte. Each function takes the cleaned table
(``gsi_country_edition.csv``), an ISO3 code and a GSI edition (2018 or 2023),
and returns a matplotlib Figure: prevalence per 1,000 population, counts in
persons, vulnerability scores 0-100, government response in per cent.

Each figure is described first by its :class:`Layers` (the ``*_layers``
functions, listed in :data:`LAYERS`): a base, which every country with the same
``key`` shares (the ranked charts and the map of a region), and the overlay that
marks the country, drawn above everything in the base. A figure is its base
with its overlay added (:meth:`Layers.figure`); the atlas draws each base once
and only the overlays on its pixels.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.artist import Artist

from . import charts as figures
from ..analyses import snapshot
from ..data import geography


@dataclass(frozen=True)
class Layers:
    """A snapshot figure as a base shared by countries and the overlay of one country.

    ``key`` is ``None`` when the base is the country's own (nothing to share);
    otherwise equal keys draw equal bases. ``overlay`` adds the country's
    artists to a base (all above the base's, at :data:`analysis.figures.OVERLAY`)
    and returns them in the order they are drawn.
    """

    key: Hashable | None
    base: Callable[[], plt.Figure]
    overlay: Callable[[plt.Figure], list[Artist]] = lambda fig: []

    def figure(self) -> plt.Figure:
        """The whole figure: the base with the overlay added."""
        fig = self.base()
        self.overlay(fig)
        return fig


def _values(column: pd.Series) -> tuple[float | None, ...]:
    """``column`` as a tuple that compares equal to itself: ``None`` for a missing value, not NaN."""
    return tuple(None if pd.isna(v) else float(v) for v in column)


def _ranked_layers(ranking: pd.DataFrame, value: str, xlabel: str, decimals: int,
                   reference: tuple[str, float] | None) -> Layers:
    row = int(ranking.index[ranking["is_country"]][0])
    shared = ranking.drop(columns="is_country")
    key = ("ranked", value, xlabel, decimals, reference,
           tuple(shared["country"]), _values(shared[value]))
    return Layers(key, lambda: figures.ranked_bars_base(shared, value, xlabel, decimals, reference),
                  lambda fig: figures.highlight_bar(fig, row))


def prevalence_layers(long: pd.DataFrame, iso3: str, edition: int) -> Layers:
    """Prevalence (per 1,000) of every country of the region, ranked, with the regional prevalence dashed."""
    return _ranked_layers(snapshot.region_ranking(long, iso3, edition, "prevalence_per_1000"),
                          "prevalence_per_1000", "Estimated people in modern slavery per 1,000 population",
                          1, ("Region", snapshot.regional_prevalence(long, iso3, edition)))


def number_layers(long: pd.DataFrame, iso3: str, edition: int) -> Layers:
    """Estimated number of people in modern slavery (persons) in each country of the region, ranked."""
    return _ranked_layers(snapshot.region_ranking(long, iso3, edition, "estimated_number"),
                          "estimated_number", "Estimated number of people in modern slavery", 0, None)


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


def map_layers(long: pd.DataFrame, iso3: str, edition: int,
               outlines: dict[str, list[geography.Ring]]) -> Layers:
    """Prevalence (per 1,000, logarithmic colours) on a map of the region, the country outlined.

    The view holds the main outline of every country of the region with an
    estimate and the whole of the country itself (Alaska for the United States,
    Chukotka across 180 degrees for Russia). Countries too small to draw at
    1:110m, and parts of the country beyond the view, are named under the map.
    """
    in_region = snapshot.region_values(long, iso3, edition, "prevalence_per_1000")
    view = map_view(long, iso3, edition, outlines)
    note = map_note(in_region, iso3, outlines, view)
    label = "Per 1,000 population (logarithmic scale)"
    key = ("map", label, view, note, tuple(in_region["iso3"]),
           _values(in_region["prevalence_per_1000"]))
    rings = geography.place(outlines.get(iso3, []), view)
    return Layers(key, lambda: figures.region_map_base(in_region, "prevalence_per_1000", outlines, label,
                                                       view, note=note),
                  lambda fig: figures.highlight_outline(fig, rings))


def map_view(long: pd.DataFrame, iso3: str, edition: int,
             outlines: dict[str, list[geography.Ring]]) -> geography.Box:
    """``(west, east, south, north)`` (degrees) of the map of ``iso3``'s region: every country of the
    region with an estimate, and the whole of ``iso3`` (see :func:`analysis.data.geography.extent`)."""
    ranked = snapshot.region_ranking(long, iso3, edition, "prevalence_per_1000")
    return geography.extent(ranked["iso3"].tolist(), outlines, whole=[iso3])


def _region_limits(long: pd.DataFrame, iso3: str, edition: int, columns) -> tuple[float, float]:
    """The lowest and highest value (and zero) of ``columns`` over the countries of ``iso3``'s region."""
    region = snapshot.region_of(long, iso3, edition)
    rows = long.loc[(long["edition"] == edition) & (long["region"] == region), list(columns)]
    values = rows.astype(float).stack().dropna()
    return float(min(values.min(), 0.0)), float(max(values.max(), 0.0))


def _against_layers(long: pd.DataFrame, iso3: str, edition: int, table: pd.DataFrame, xlabel: str,
                    missing: str, note: str) -> Layers:
    """The country against its region: the regional averages on an axis that holds every value of the
    region (the base of every country of the region), the country's bars and the legend on top."""
    name = snapshot.name_of(long, iso3)
    limits = _region_limits(long, iso3, edition, table["measure"])
    shared = table[["label", "regional_average"]]
    key = ("against", xlabel, note, limits, tuple(shared["label"]), _values(shared["regional_average"]))
    return Layers(key, lambda: figures.against_region_base(shared, xlabel, note, limits),
                  lambda fig: figures.country_bars(fig, table["country"], name, missing))


def vulnerability_layers(long: pd.DataFrame, iso3: str, edition: int) -> Layers:
    """Each vulnerability dimension (score 0-100) of the country beside the regional average."""
    return _against_layers(long, iso3, edition, snapshot.vulnerability_against_region(long, iso3, edition),
                           "Score (0 = least, 100 = most vulnerable)", "no score", "")


def response_layers(long: pd.DataFrame, iso3: str, edition: int) -> Layers:
    """Each government-response milestone (per cent) of the country beside the regional average.

    A country Walk Free did not assess (Afghanistan, South Sudan, Syria and
    Yemen in 2023) has "not assessed" written where its bars would be, and a note.
    """
    table = snapshot.response_against_region(long, iso3, edition)
    note = (f"Government response not assessed by Walk Free in GSI {edition}; the grey bars are the "
            "regional average." if table["country"].isna().all() else "")
    return _against_layers(long, iso3, edition, table,
                           "Per cent of the available points (negative where negative indicators are met)",
                           "not assessed", note)


def prevalence(long: pd.DataFrame, iso3: str, edition: int) -> plt.Figure:
    """Prevalence (per 1,000) of every country of the region, ranked, with the regional prevalence dashed."""
    return prevalence_layers(long, iso3, edition).figure()


def prevalence_map(long: pd.DataFrame, iso3: str, edition: int,
                   outlines: dict[str, list[geography.Ring]]) -> plt.Figure:
    """Prevalence (per 1,000, logarithmic colours) on a map of the region, the country outlined
    (see :func:`map_layers`)."""
    return map_layers(long, iso3, edition, outlines).figure()


def number(long: pd.DataFrame, iso3: str, edition: int) -> plt.Figure:
    """Estimated number of people in modern slavery (persons) in each country of the region, ranked."""
    return number_layers(long, iso3, edition).figure()


def vulnerability(long: pd.DataFrame, iso3: str, edition: int) -> plt.Figure:
    """Each vulnerability dimension (score 0-100) of the country beside the regional average."""
    return vulnerability_layers(long, iso3, edition).figure()


def response(long: pd.DataFrame, iso3: str, edition: int) -> plt.Figure:
    """Each government-response milestone (per cent) of the country beside the regional average;
    "not assessed" and a note for a country Walk Free did not assess."""
    return response_layers(long, iso3, edition).figure()


#: The snapshot's figures in the notebook's order: name of the saved files -> drawing function.
FIGURES: dict[str, Callable[..., plt.Figure]] = {
    "prevalence": prevalence, "map": prevalence_map, "number": number,
    "vulnerability": vulnerability, "response": response,
}

#: The same figures as :class:`Layers` (the map's function also takes the outlines).
LAYERS: dict[str, Callable[..., Layers]] = {
    "prevalence": prevalence_layers, "map": map_layers, "number": number_layers,
    "vulnerability": vulnerability_layers, "response": response_layers,
}


def layers(name: str, long: pd.DataFrame, iso3: str, edition: int,
           outlines: dict[str, list[geography.Ring]]) -> Layers:
    """The :class:`Layers` of the figure ``name`` of :data:`LAYERS` (only the map uses ``outlines``)."""
    if name == "map":
        return map_layers(long, iso3, edition, outlines)
    return LAYERS[name](long, iso3, edition)
