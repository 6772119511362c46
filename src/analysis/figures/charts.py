"""Figures of the compendium, drawn with matplotlib in one plain style.

Each function returns a Figure; :meth:`analysis.runs.outputs.RunOutputs.save_figure`
writes it whole. The backend is not chosen here: the runner gives kernels the inline
backend, and scripts get matplotlib's default (Agg without a display).

Figures carry no title: the paper's captions, the notebooks' headings and the
atlas's pages name them. Each figure is laid out once, when it is made
(:func:`fit_to_content`), so that the whole figure is what gets saved: nothing sticks out
of it and no margin is wasted, without ``bbox_inches="tight"`` at every save.

The snapshot's charts are drawn in two layers: a *base*, the same for every
country of a region (the ranked bars, the map, the regional averages), and an
*overlay* that marks the country (its bar, its outline, its own bars and the
legend), drawn last, above everything in the base (zorder :data:`OVERLAY`). So
the atlas can draw a region's base once, keep its pixels, and draw only each
country's overlay on them, and get the pixels of a fresh drawing of the whole
figure (see :mod:`analysis.figures.snapshot`).
"""

from __future__ import annotations

import textwrap
import weakref
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
from matplotlib.artist import Artist
from matplotlib.collections import PolyCollection
from matplotlib.colors import LogNorm

HIGHLIGHT = "#b2182b"
OTHER = "#9e9e9e"
REGION = "#4d4d4d"
#: Fills of outlines outside the region (other regions, not in the GSI) and of countries without an estimate.
BACKGROUND = "#f0f0f0"
NO_ESTIMATE = "#d4d4d4"
#: zorder of the overlay that marks one country: above every artist of a base.
OVERLAY = 10
#: Margin (inches) left round what a figure draws.
PAD = 0.1
_STYLE = {"font.family": "DejaVu Sans", "font.size": 9, "axes.spines.top": False,
          "axes.spines.right": False}


@contextmanager
def _styled(width: float, height: float, ncols: int = 1, tight: bool = True
            ) -> Iterator[tuple[plt.Figure, object]]:
    """A new figure (inches) whose axes and artists take the house style, laid out on leaving:
    ``tight_layout`` (unless ``tight`` is False: the body has laid the axes out), then :func:`fit_to_content`.

    The figure itself is made outside the style's ``rc_context``: making the
    first figure may load the backend, and Jupyter's inline backend switches on
    interactive mode as it loads; restoring the style's saved settings would
    switch it off again, and no later chart would be shown in the notebook.
    """
    fig = plt.figure(figsize=(width, height))
    with plt.rc_context(_STYLE):
        yield fig, fig.subplots(1, ncols)
        if tight:
            fig.tight_layout()
        fit_to_content(fig)


def fit_to_content(fig: plt.Figure, pad: float = PAD) -> None:
    """Resize ``fig`` to what it draws plus ``pad`` (inches) on every side, moving its content.

    What ``bbox_inches="tight"`` did at each save, done once: every axes, and
    every text and legend placed in figure coordinates, keeps its place
    relative to the content, so the figure can be saved whole (drawn once) with
    nothing cut. A layout engine (``layout="constrained"``) lays the figure out
    first; none is left, so saving does not lay it out again.
    """
    if fig.get_layout_engine() is not None:
        fig.draw_without_rendering()
    box = fig.get_tightbbox(fig.canvas.get_renderer()).padded(pad)  # inches
    width, height = fig.get_size_inches()

    def moved(x: float, y: float) -> tuple[float, float]:  # figure fraction, old size -> new size
        return (x * width - box.x0) / box.width, (y * height - box.y0) / box.height

    frames = []
    for ax in fig.axes:
        ax.apply_aspect()
        p = ax.get_position()
        frames.append((ax, *moved(p.x0, p.y0), p.width * width / box.width, p.height * height / box.height))
    anchors = []
    for legend in fig.legends:
        corners = legend.get_bbox_to_anchor().transformed(fig.transFigure.inverted())
        anchors.append((legend, *moved(corners.x0, corners.y0), *moved(corners.x1, corners.y1)))
    fig.set_size_inches(box.width, box.height)
    for ax, x0, y0, w, h in frames:
        ax.set_position((x0, y0, w, h), which="both")
    for legend, x0, y0, x1, y1 in anchors:
        legend.set_bbox_to_anchor((x0, y0, x1 - x0, y1 - y0), transform=fig.transFigure)
    for text in fig.texts:
        if text.get_transform() in (fig.transFigure, fig.transSubfigure):
            text.set_position(moved(*text.get_position()))
    fig.set_layout_engine(None)
    _FITTED.add(fig)


#: The figures :func:`fit_to_content` has fitted (the library's own, and those saved by a notebook).
_FITTED: weakref.WeakSet = weakref.WeakSet()


def is_fitted(fig: plt.Figure) -> bool:
    """True when ``fig`` was fitted to its content by :func:`fit_to_content` (every library figure is)."""
    return fig in _FITTED


def _fmt(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}"


# --- ranked bars of a region -------------------------------------------------------------------

#: Height of a row of the ranked bars (inches): the region's 27 bars of GSI 2023 in a figure that leaves
#: room on the paper's page for another figure.
BAR_ROW_INCHES = 0.17
#: Height of a row of paired bars (the country beside the regional average, inches), so that the
#: vulnerability or the response chart shares a page of the paper with a chart of ranked bars.
PAIR_ROW_INCHES = 0.42


def ranked_bars_base(ranking: pd.DataFrame, value: str, xlabel: str, decimals: int = 1,
                     reference: tuple[str, float] | None = None) -> plt.Figure:
    """Horizontal bars of ``ranking[value]``, largest on top, all grey: the base every country of the
    ranking shares (:func:`highlight_bar` draws the country's own bar over it).

    The dashed reference line lies behind the bars, as it will behind the
    highlighted one. Each bar is labelled with its value (``decimals``).
    """
    with _styled(7.0, max(2.5, BAR_ROW_INCHES * len(ranking) + 1.0)) as (fig, ax):
        rows = ranking.iloc[::-1]
        values = rows[value].astype(float).to_numpy()
        ax.barh(rows["country"], values, color=OTHER)
        for y, v in enumerate(values):
            ax.text(v, y, " " + _fmt(v, decimals), va="center", fontsize=7,
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5, "alpha": 0.8})
        if reference is not None:
            ax.axvline(reference[1], color=REGION, linestyle="--", linewidth=1, zorder=0.5)
            ax.text(reference[1], len(rows) - 0.4, f" {reference[0]}: {_fmt(reference[1], decimals)}",
                    fontsize=7, color=REGION, va="bottom")
        wide = values.max() >= 100_000  # labels such as 1,500,000: fewer ticks
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(nbins=5 if wide else 7, steps=[1, 2, 5, 10]))
        ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
        ax.set_ylim(-0.6, len(rows) - 0.4 + (0.9 if reference is not None else 0.0))
        ax.spines["left"].set_visible(False)  # the bars start at 0: the overlay would cut a spine there
        ax.tick_params(axis="y", length=0)
        ax.set_xlabel(xlabel)
        ax.margins(x=0.15)
    return fig


def highlight_bar(fig: plt.Figure, row: int) -> list[Artist]:
    """Draw the bar of ``row`` (0 = the top one) of :func:`ranked_bars_base` again in the highlight
    colour, as an overlay above everything; return the artists added."""
    ax = fig.axes[0]
    bars = ax.containers[0].patches  # bottom to top
    bar = bars[len(bars) - 1 - row]
    mark = matplotlib.patches.Rectangle(bar.get_xy(), bar.get_width(), bar.get_height(),
                                        facecolor=HIGHLIGHT, edgecolor="none", zorder=OVERLAY)
    ax.add_artist(mark)
    return [mark]


# --- map of a region ---------------------------------------------------------------------------

def region_map(values: pd.DataFrame, value: str, outlines: dict, highlight: str, label: str,
               view: tuple[float, float, float, float], note: str = "") -> plt.Figure:
    """Choropleth of ``values[value]`` (one row per ``iso3``), ``highlight`` outlined in black.

    The same as :func:`region_map_base` with :func:`highlight_outline`.
    """
    from ..data.geography import place

    fig = region_map_base(values, value, outlines, label, view, note)
    highlight_outline(fig, place(outlines.get(highlight, []), view))
    return fig


def region_map_base(values: pd.DataFrame, value: str, outlines: dict, label: str,
                    view: tuple[float, float, float, float], note: str = "") -> plt.Figure:
    """Choropleth of ``values[value]`` (one row per ``iso3``) on a logarithmic colour scale.

    Countries of ``values`` without a value are hatched grey; every other
    outline (other regions, countries outside the GSI) is a pale background; a
    legend says which is which, and ``note`` is printed under it. ``view`` is
    (west, east, south, north) in degrees, from
    :func:`analysis.data.geography.extent`: ``east`` passes 180 when the view
    crosses the antimeridian, and outlines are moved there by whole turns.
    Longitude and latitude are drawn as plain coordinates (equirectangular).
    """
    from ..data.geography import place

    west, east, south, north = view
    width = 7.0
    with _styled(width, max(2.5, width * (north - south) / (east - west)) + 0.8) as (fig, ax):
        known = values.dropna(subset=[value]).set_index("iso3")[value].astype(float)
        norm = LogNorm(vmin=known.min(), vmax=known.max())
        cmap = plt.get_cmap("YlOrRd")
        mine = set(values["iso3"])
        background = [ring for code, rings in sorted(outlines.items()) if code not in mine
                      for ring in place(rings, view)]
        ax.add_collection(PolyCollection(background, facecolor=BACKGROUND, edgecolor="white", linewidth=0.3))
        filled, colours, hatched = [], [], []
        for code in sorted(mine):
            rings = place(outlines.get(code, []), view)
            if code in known.index:
                filled += rings
                colours += [cmap(norm(known[code]))] * len(rings)
            else:
                hatched += rings
        ax.add_collection(PolyCollection(filled, facecolor=colours, edgecolor="white", linewidth=0.3,
                                         zorder=2))
        no_estimate = {"facecolor": NO_ESTIMATE, "edgecolor": "#7a7a7a", "hatch": "////", "linewidth": 0.3}
        ax.add_collection(PolyCollection(hatched, zorder=2, **no_estimate))
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
        keys = [matplotlib.patches.Patch(**no_estimate),
                matplotlib.patches.Patch(facecolor=BACKGROUND, edgecolor="#bdbdbd", linewidth=0.3)]
        ax.legend(keys, ["In the region, no estimate", "Outside the region, or not in the GSI"],
                  loc="upper left", bbox_to_anchor=(0, 0), ncol=2, frameon=False, fontsize=7,
                  borderaxespad=0.2, borderpad=0, handlelength=1.6, columnspacing=1.5)
        if note:
            ax.annotate(textwrap.fill(note, 115), (0, 0), xycoords="axes fraction", xytext=(0, -16),
                        textcoords="offset points", fontsize=7, va="top", annotation_clip=False)
    return fig


def highlight_outline(fig: plt.Figure, rings: list) -> list[Artist]:
    """Outline ``rings`` (degrees, placed in the view) in black on the map of :func:`region_map_base`,
    as an overlay above everything; return the artists added (none when there is no ring)."""
    if not rings:
        return []
    ax = fig.axes[0]
    mark = PolyCollection(rings, facecolor="none", edgecolor="black", linewidth=1.4, zorder=OVERLAY)
    ax.add_collection(mark, autolim=False)
    return [mark]


# --- the country against its region ------------------------------------------------------------

def against_region(table: pd.DataFrame, country_name: str, xlabel: str, missing: str = "no score",
                   note: str = "", limits: tuple[float, float] | None = None) -> plt.Figure:
    """Paired horizontal bars: the country and the regional average for each measure.

    Where the country has no value (NaN), ``missing`` is written in place of its
    bar (e.g. "not assessed"), so an empty row never looks like a zero; ``note``
    is printed under the chart. The same as :func:`against_region_base` with
    :func:`country_bars`.
    """
    fig = against_region_base(table, xlabel, note, limits)
    country_bars(fig, table["country"], country_name, missing)
    return fig


def _limits(table: pd.DataFrame) -> tuple[float, float]:
    """The lowest and highest of the values of ``table`` (``country``, ``regional_average``) and zero."""
    columns = [c for c in ("country", "regional_average") if c in table]
    values = pd.concat([table[c] for c in columns]).astype(float).dropna()
    return float(min(values.min(), 0.0)), float(max(values.max(), 0.0))


def against_region_base(table: pd.DataFrame, xlabel: str, note: str = "",
                        limits: tuple[float, float] | None = None) -> plt.Figure:
    """The regional-average half of :func:`against_region` (``table``: ``label``, ``regional_average``,
    and ``country`` for the default limits), with room for the country's bars and legend.

    The x axis holds ``limits`` (low, high; default: the values of ``table`` and
    zero) with 15 per cent of their span beyond the values for the labels; the
    snapshot passes the range of the whole region, so that every country of a
    region shares this base. A band above the bars is left for the legend.
    """
    with _styled(7.0, PAIR_ROW_INCHES * len(table) + 1.4) as (fig, ax):
        n = len(table)
        y = np.arange(n)[::-1] - _PAIR / 2
        for yy, v in zip(y, table["regional_average"].astype(float)):
            if np.isnan(v):
                ax.text(0, yy, " no average", va="center", ha="left", fontsize=7, style="italic",
                        color=REGION)
                continue
            ax.add_patch(matplotlib.patches.Rectangle((0, yy - _PAIR / 2), v, _PAIR, facecolor=OTHER))
            ax.text(v, yy, f" {v:.1f} ", va="center", ha="left" if v >= 0 else "right", fontsize=7)
        # Zero, behind every bar (the country's too), stopping below the legend's band.
        ax.axvline(0, ymax=n / (n + _LEGEND_BAND), color="black", linewidth=0.6, zorder=0.5)
        ax.set_yticks(np.arange(n)[::-1], table["label"])
        ax.set_xlabel(xlabel)
        low, high = limits if limits is not None else _limits(table)
        span = (high - low) or 1.0
        ax.set_xlim(low - 0.15 * span if low < 0 else low, high + 0.15 * span)
        ax.set_ylim(-0.6, n - 0.6 + _LEGEND_BAND)
        if note:
            ax.annotate(textwrap.fill(note, 90), (0, 0), xycoords="axes fraction", xytext=(0, -34),
                        textcoords="offset points", fontsize=8, style="italic", va="top",
                        annotation_clip=False)
    return fig


#: Height of each bar of a pair (the country's above, the average's below), and of the band left
#: above the bars for the legend, in rows.
_PAIR = 0.38
_LEGEND_BAND = 0.5


def country_bars(fig: plt.Figure, values: pd.Series, country_name: str, missing: str = "no score"
                 ) -> list[Artist]:
    """The country's half of :func:`against_region` on its base, and the legend, as an overlay above
    everything; ``missing`` where a value is NaN. Return the artists added, in drawing order."""
    ax = fig.axes[0]
    added: list[Artist] = []
    y = np.arange(len(values))[::-1] + _PAIR / 2
    for yy, v in zip(y, values.astype(float)):
        if np.isnan(v):  # never an empty row that looks like a zero
            added.append(ax.text(0, yy, f" {missing}", va="center", ha="left", fontsize=7,
                                 style="italic", color=HIGHLIGHT, zorder=OVERLAY))
            continue
        bar = matplotlib.patches.Rectangle((0, yy - _PAIR / 2), v, _PAIR, facecolor=HIGHLIGHT,
                                           zorder=OVERLAY)
        ax.add_artist(bar)
        added.append(bar)
        added.append(ax.text(v, yy, f" {v:.1f} ", va="center", ha="left" if v >= 0 else "right",
                             fontsize=7, zorder=OVERLAY))  # one decimal: 12.5 is neither 12 nor 13
    keys = [matplotlib.patches.Patch(facecolor=HIGHLIGHT), matplotlib.patches.Patch(facecolor=OTHER)]
    legend = ax.legend(keys, [country_name, "Regional average"], frameon=False, fontsize=8, ncol=2,
                       loc="upper left", bbox_to_anchor=(0, 1), borderaxespad=0.2)
    legend.set_zorder(OVERLAY)
    added.append(legend)
    return added


# --- the paper's other figures -----------------------------------------------------------------

def edition_scatter(both: pd.DataFrame, a: int, b: int, highlight: str) -> plt.Figure:
    """Prevalence (per 1,000) in edition ``a`` against ``b`` for every country in both, log scales,
    y = x line; ticks are written as plain numbers (1, 10, 100)."""
    with _styled(5.6, 5.0) as (fig, ax):
        x = both[f"prevalence_per_1000_{a}"].astype(float)
        y = both[f"prevalence_per_1000_{b}"].astype(float)
        mine = both["iso3"] == highlight
        ax.scatter(x[~mine], y[~mine], s=14, color=OTHER, alpha=0.8,
                   label=f"Other countries ({int((~mine).sum())})")
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
        ax.legend(frameon=False, fontsize=8, loc="upper left")
    return fig


#: Markers of the populations GSI printed, by edition: hollow, so a source's marker under one shows.
_PRINTED_MARKERS = ("s", "^", "o", "v", "P")
#: Colours of the other sources and revisions: tab10 without its red (the highlight) and grey.
#: Type size of the sensitivity figure's legend (points), readable when printed at the paper's width.
LEGEND_POINTS = 9
_SOURCE_COLOURS = tuple(plt.get_cmap("tab10")(i) for i in (0, 1, 2, 4, 5, 6, 8, 9))
#: Markers and line styles of the sources' revisions, one pair each, so that two revisions with
#: nearly the same values (vintages 2015-08 and 2017-06) stay apart where one lies over the other.
_SOURCE_MARKERS = ("o", "s", "^", "v", "D", "P", "X", "<")
_SOURCE_LINES = ("-", "--", ":", "-.")


def population_scenarios(scen: pd.DataFrame, published: tuple[float, float],
                         years: tuple[int, ...]) -> plt.Figure:
    """Two panels against the year the population refers to, one line per source and revision.

    Left: the count (millions) at the published prevalence. Right: the
    prevalence (per 1,000) at the published count. ``published`` = (count,
    prevalence); the ``years`` of the like-for-like comparison are shaded. The
    spread along the year axis is population growth. The populations GSI
    printed are large hollow markers, one shape per edition, drawn over the
    sources' markers; every other source or revision has its own colour, and each
    revision its own hollow marker and line style, so that one lying over another
    leaves both visible.
    """
    # Drawn (legend included) within the paper's text width, A4 6.3 in, so the 9 pt legend prints at 9 pt.
    with _styled(6.1, 3.4, ncols=2, tight=False) as (fig, (left, right)):
        lines = [(label, rows.sort_values("year")) for label, rows in scen.groupby("label", sort=True)]
        printed_seen = other_seen = revision_seen = 0
        for label, rows in lines:
            if rows["source"].iloc[0] == "GSI":
                style = {"marker": _PRINTED_MARKERS[printed_seen % len(_PRINTED_MARKERS)], "markersize": 8,
                         "markerfacecolor": "none", "markeredgewidth": 1.4, "linewidth": 0,
                         "color": HIGHLIGHT, "zorder": 5}
                printed_seen += 1
            elif len(rows) == 1:  # one figure, such as UN WPP 2019's: a filled diamond
                style = {"marker": "D", "markersize": 4.5, "linewidth": 1.0, "zorder": 4,
                         "color": _SOURCE_COLOURS[other_seen % len(_SOURCE_COLOURS)]}
                other_seen += 1
            else:  # a revision: hollow markers of its own shape, its own line style, earlier ones on top
                style = {"marker": _SOURCE_MARKERS[revision_seen % len(_SOURCE_MARKERS)], "markersize": 4,
                         "markerfacecolor": "none", "markeredgewidth": 1.0, "linewidth": 1.1,
                         "linestyle": _SOURCE_LINES[revision_seen % len(_SOURCE_LINES)],
                         "color": _SOURCE_COLOURS[other_seen % len(_SOURCE_COLOURS)],
                         "zorder": 3 + 0.01 * (len(lines) - revision_seen)}
                other_seen += 1
                revision_seen += 1
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
        fig.tight_layout(w_pad=2.0)  # the panels; then the legend under them, which fit_to_content takes in
        below = left.transAxes + matplotlib.transforms.ScaledTranslation(0, -0.5, fig.dpi_scale_trans)
        left.legend(handles, labels, frameon=False, fontsize=LEGEND_POINTS, ncol=2, loc="upper left",
                    bbox_to_anchor=(0, 0), bbox_transform=below, borderaxespad=0, columnspacing=0.8,
                    handlelength=2.0, handletextpad=0.5)
    return fig
