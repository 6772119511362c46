"""Figures of the compendium, drawn with matplotlib in one plain style.

Each function returns a Figure; :meth:`analysis.pipeline.outputs.RunOutputs.save_figure`
writes it. The backend is not chosen here: the runner gives kernels the inline
backend, and scripts get matplotlib's default (Agg without a display).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import matplotlib
import matplotlib.lines
import matplotlib.patches
import matplotlib.pyplot as plt
import matplotlib.ticker
import matplotlib.transforms
import numpy as np
import pandas as pd
from matplotlib.collections import PolyCollection
from matplotlib.colors import LogNorm

HIGHLIGHT = "#b2182b"
OTHER = "#9e9e9e"
REGION = "#4d4d4d"
_STYLE = {"font.family": "DejaVu Sans", "font.size": 9, "axes.spines.top": False,
          "axes.spines.right": False, "axes.titlesize": 10, "axes.titleweight": "bold"}


@contextmanager
def _styled(width: float, height: float, ncols: int = 1) -> Iterator[tuple[plt.Figure, object]]:
    """A new figure (inches) whose axes and artists take the house style.

    The figure itself is made outside the style's ``rc_context``: making the
    first figure may load the backend, and Jupyter's inline backend switches on
    interactive mode as it loads; restoring the style's saved settings would
    switch it off again, and no later chart would be shown in the notebook.
    """
    fig = plt.figure(figsize=(width, height))
    with plt.rc_context(_STYLE):
        yield fig, fig.subplots(1, ncols)


def _fmt(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}"


def ranked_bars(ranking: pd.DataFrame, value: str, title: str, xlabel: str,
                decimals: int = 1, reference: tuple[str, float] | None = None) -> plt.Figure:
    """Horizontal bars of ``ranking[value]``, largest on top, the ``is_country`` row highlighted.

    ``reference`` = (label, value) draws a dashed line, e.g. the regional prevalence.
    """
    with _styled(7.0, max(2.5, 0.22 * len(ranking) + 1.0)) as (fig, ax):
        rows = ranking.iloc[::-1]
        colours = [HIGHLIGHT if h else OTHER for h in rows["is_country"]]
        ax.barh(rows["country"], rows[value].astype(float), color=colours)
        for y, v in enumerate(rows[value].astype(float)):
            ax.text(v, y, " " + _fmt(v, decimals), va="center", fontsize=7,
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5, "alpha": 0.8})
        if reference is not None:
            ax.axvline(reference[1], color=REGION, linestyle="--", linewidth=1)
            ax.text(reference[1], len(rows) - 0.4, f" {reference[0]}: {_fmt(reference[1], decimals)}",
                    fontsize=7, color=REGION, va="bottom")
        ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(
            lambda v, _: f"{v:,.0f}"))
        ax.set_xlabel(xlabel)
        ax.set_title(title, loc="left")
        ax.margins(x=0.15)
        fig.tight_layout()
    return fig


def region_map(values: pd.DataFrame, value: str, outlines: dict, highlight: str, title: str,
               label: str, view: tuple[float, float, float, float], note: str = "") -> plt.Figure:
    """Choropleth of ``values[value]`` (one row per ``iso3``) on a logarithmic colour scale.

    Countries of ``values`` without a value are hatched; every other outline is a
    pale background. ``highlight`` is outlined in black. ``view`` is
    (west, east, south, north) in degrees, from
    :func:`analysis.data.geography.extent`: ``east`` passes 180 when the view
    crosses the antimeridian, and outlines are moved there by whole turns.
    Longitude and latitude are drawn as plain coordinates (equirectangular).
    """
    from .data.geography import place

    west, east, south, north = view
    width = 7.0
    with _styled(width, max(2.5, width * (north - south) / (east - west)) + 0.8) as (fig, ax):
        known = values.dropna(subset=[value]).set_index("iso3")[value].astype(float)
        norm = LogNorm(vmin=known.min(), vmax=known.max())
        cmap = plt.get_cmap("YlOrRd")
        background = [ring for code, rings in sorted(outlines.items()) if code not in set(values["iso3"])
                      for ring in place(rings, view)]
        ax.add_collection(PolyCollection(background, facecolor="#f0f0f0", edgecolor="white", linewidth=0.3))
        for code in sorted(values["iso3"]):
            rings = place(outlines.get(code, []), view)
            if not rings:
                continue
            if code in known.index:
                style = {"facecolor": cmap(norm(known[code])), "edgecolor": "white", "linewidth": 0.3}
            else:
                style = {"facecolor": "white", "edgecolor": OTHER, "hatch": "////", "linewidth": 0.3}
            if code == highlight:
                style.update(edgecolor="black", linewidth=1.4)
            ax.add_collection(PolyCollection(rings, zorder=3 if code == highlight else 2, **style))
        ax.set_xlim(west, east)
        ax.set_ylim(south, north)
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])
        for side in ("left", "bottom"):
            ax.spines[side].set_visible(False)
        bar = fig.colorbar(plt.cm.ScalarMappable(norm=norm, cmap=cmap), ax=ax, shrink=0.7, pad=0.02)
        bar.set_label(label)
        bar.ax.yaxis.set_major_locator(matplotlib.ticker.LogLocator(subs=(1.0, 2.0, 5.0)))
        bar.ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:g}"))
        bar.ax.yaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        ax.set_title(title, loc="left")
        if note:
            ax.text(0, -0.02, note, transform=ax.transAxes, fontsize=7, va="top", wrap=True)
        fig.tight_layout()
    return fig


def against_region(table: pd.DataFrame, country_name: str, title: str, xlabel: str,
                   missing: str = "no score", note: str = "") -> plt.Figure:
    """Paired horizontal bars: the country and the regional average for each measure.

    Where the country has no value (NaN), ``missing`` is written in place of its
    bar (e.g. "not assessed"), so an empty row never looks like a zero; ``note``
    is printed under the chart.
    """
    with _styled(7.0, 0.5 * len(table) + 1.2 + (0.3 if note else 0)) as (fig, ax):
        y = np.arange(len(table))[::-1]
        h = 0.38
        ax.barh(y + h / 2, table["country"], height=h, color=HIGHLIGHT, label=country_name)
        ax.barh(y - h / 2, table["regional_average"], height=h, color=OTHER, label="Regional average")
        for offset, column in ((h / 2, "country"), (-h / 2, "regional_average")):
            for yy, v in zip(y + offset, table[column]):
                if not np.isnan(v):  # one decimal: 12.5 must not print as 12 or 13
                    ax.text(v, yy, f" {v:.1f} ", va="center",
                            ha="left" if v >= 0 else "right", fontsize=7)
                else:
                    ax.text(0, yy, f" {missing}", va="center", ha="left", fontsize=7,
                            style="italic", color=HIGHLIGHT if column == "country" else REGION)
        ax.axvline(0, color="black", linewidth=0.6)
        ax.set_yticks(y, table["label"])
        ax.set_xlabel(xlabel)
        ax.set_title(title, loc="left")
        ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
        ax.margins(x=0.15)
        if note:
            fig.text(0.01, 0.01, note, fontsize=8, style="italic", va="bottom")
        fig.tight_layout(rect=(0, 0.06 if note else 0, 1, 1))
    return fig


def edition_scatter(both: pd.DataFrame, a: int, b: int, highlight: str) -> plt.Figure:
    """Prevalence (per 1,000) in edition ``a`` against ``b`` for every country in both, log scales,
    y = x line; ticks are written as plain numbers (1, 10, 100)."""
    with _styled(5.6, 5.0) as (fig, ax):
        x = both[f"prevalence_per_1000_{a}"].astype(float)
        y = both[f"prevalence_per_1000_{b}"].astype(float)
        mine = both["iso3"] == highlight
        ax.scatter(x[~mine], y[~mine], s=14, color=OTHER, alpha=0.8, label="Other countries")
        ax.scatter(x[mine], y[mine], s=40, color=HIGHLIGHT, label=both.loc[mine, "country"].iloc[0])
        lo, hi = min(x.min(), y.min()) * 0.8, max(x.max(), y.max()) * 1.25
        ax.plot([lo, hi], [lo, hi], color=REGION, linewidth=0.8, linestyle="--", label="Same value")
        ax.set_xscale("log")
        ax.set_yscale("log")
        for axis in (ax.xaxis, ax.yaxis):
            axis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:g}"))
            axis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        ax.set_xlim(lo, hi)
        ax.set_ylim(lo, hi)
        ax.set_xlabel(f"Prevalence per 1,000, GSI {a}")
        ax.set_ylabel(f"Prevalence per 1,000, GSI {b}")
        ax.set_title(f"Prevalence, GSI {a} against GSI {b} ({len(both)} countries)", loc="left")
        ax.legend(frameon=False, fontsize=8, loc="upper left")
        fig.tight_layout()
    return fig


#: Markers of the populations GSI printed, by edition: hollow, so a source's marker under one shows.
_PRINTED_MARKERS = ("s", "^", "o", "v", "P")
#: Colours of the other sources and revisions: tab10 without its red (the highlight) and grey.
_SOURCE_COLOURS = tuple(plt.get_cmap("tab10")(i) for i in (0, 1, 2, 4, 5, 6, 8, 9))


def population_scenarios(scen: pd.DataFrame, published: tuple[float, float], years: tuple[int, ...],
                         country: str) -> plt.Figure:
    """Two panels against the year the population refers to, one line per source and revision.

    Left: the count (millions) at the published prevalence. Right: the
    prevalence (per 1,000) at the published count. ``published`` = (count,
    prevalence); the ``years`` of the like-for-like comparison are shaded. The
    spread along the year axis is population growth. The populations GSI
    printed are large hollow markers, one shape per edition, drawn over the
    sources' markers; every other source or revision has its own colour.
    """
    with _styled(7.0, 3.6, ncols=2) as (fig, (left, right)):
        lines = [(label, rows.sort_values("year")) for label, rows in scen.groupby("label", sort=True)]
        printed_seen = other_seen = 0
        for label, rows in lines:
            if rows["source"].iloc[0] == "GSI":
                style = {"marker": _PRINTED_MARKERS[printed_seen % len(_PRINTED_MARKERS)], "markersize": 8,
                         "markerfacecolor": "none", "markeredgewidth": 1.4, "linewidth": 0,
                         "color": HIGHLIGHT, "zorder": 5}
                printed_seen += 1
            else:
                single = len(rows) == 1
                style = {"marker": "D" if single else "o", "markersize": 4.5 if single else 3,
                         "linewidth": 1.0, "color": _SOURCE_COLOURS[other_seen % len(_SOURCE_COLOURS)],
                         "zorder": 4 if single else 3}
                other_seen += 1
            left.plot(rows["year"], rows["count_at_published_prevalence"] / 1e6, label=label, **style)
            right.plot(rows["year"], rows["prevalence_at_published_count"], label=label, **style)
        for ax in (left, right):
            ax.axvspan(min(years) - 0.4, max(years) + 0.4, color="#e0e0e0", zorder=0)
            ax.set_xlabel("Year the population refers to")
            ax.xaxis.set_major_locator(matplotlib.ticker.MultipleLocator(2))
        left.axhline(published[0] / 1e6, color=REGION, linestyle="--", linewidth=1)
        right.axhline(published[1], color=REGION, linestyle="--", linewidth=1)
        left.set_ylabel("Count at the published prevalence (millions)")
        right.set_ylabel("Prevalence at the published count (per 1,000)")
        handles, labels = left.get_legend_handles_labels()
        handles.append(matplotlib.lines.Line2D([], [], color=REGION, linestyle="--", linewidth=1))
        labels.append("Published count / prevalence")
        handles.append(matplotlib.patches.Patch(color="#e0e0e0"))
        labels.append(f"Like-for-like years ({', '.join(map(str, years))})")
        fig.suptitle(f"{country}: count and prevalence under each population figure, by year "
                     "(growth across years)", x=0.01, ha="left", fontsize=10, fontweight="bold")
        fig.tight_layout(w_pad=2.0)  # the panels; then the legend under them, two columns
        below = left.transAxes + matplotlib.transforms.ScaledTranslation(0, -0.5, fig.dpi_scale_trans)
        left.legend(handles, labels, frameon=False, fontsize=8, ncol=2, loc="upper left",
                    bbox_to_anchor=(0, 0), bbox_transform=below, borderaxespad=0, columnspacing=1.2,
                    handlelength=2.2)
    return fig
