"""The figures: no titles, nothing cut, the map's keys and notes, the paper's figures, the PNG encoder,
and the layers that let the atlas draw a region's base once and get the notebook's bytes."""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import pytest
from PIL import Image

from analysis.figures import charts as figures
from analysis.figures import snapshot as snapshot_figures
from analysis.data import geography
from analysis.figures.layers import Bases
from analysis.figures.png import DPI, figure_pixels, write_png
from analysis.runs.outputs import RunOutputs

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)

#: Three countries of one region (a base drawn once, reused twice), one of another, and Afghanistan
#: (response not assessed: a base of its own), the United States (Alaska: a view of its own).
COUNTRIES = ["PRK", "CHN", "JPN", "FRA", "AFG", "USA"]


@pytest.fixture(scope="module")
def outlines(paths):
    return geography.country_outlines(paths)


def _draw(name, long, iso3, outlines):
    draw = snapshot_figures.FIGURES[name]
    return draw(long, iso3, 2023, outlines) if name == "map" else draw(long, iso3, 2023)


def _texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(matplotlib.text.Text) if t.get_visible()]


@pytest.mark.parametrize("name", list(snapshot_figures.FIGURES))
def test_snapshot_figures_have_no_title_and_nothing_is_cut(long, outlines, name):
    fig = _draw(name, long, "PRK", outlines)
    try:
        assert [ax.get_title(loc) for ax in fig.axes for loc in ("left", "center", "right")] == [""] * (
            3 * len(fig.axes))
        assert fig.get_suptitle() == ""
        drawn = fig.get_tightbbox(fig.canvas.get_renderer())  # inches
        width, height = fig.get_size_inches()
        assert 0 < drawn.x0 and drawn.x1 < width and 0 < drawn.y0 and drawn.y1 < height
        assert fig.get_layout_engine() is None  # saving does not lay it out again
    finally:
        plt.close(fig)


def test_the_overlay_is_above_everything_in_the_base(long, outlines):
    for name in snapshot_figures.LAYERS:
        layers = snapshot_figures.layers(name, long, "PRK", 2023, outlines)
        fig = layers.base()
        base = [a.get_zorder() for ax in fig.axes for a in ax.get_children()]
        added = layers.overlay(fig)
        assert added, name
        assert all(a.get_zorder() >= figures.OVERLAY > max(base) for a in added), name
        assert all(a.axes is fig.axes[0] for a in added), name  # drawn in the first axes, in order
        plt.close(fig)


def test_the_atlas_draws_the_notebook_pixels_from_shared_bases(long, outlines, tmp_path):
    bases = Bases()
    for iso3 in COUNTRIES:
        for name in snapshot_figures.LAYERS:
            pixels, fig = bases.draw(snapshot_figures.layers(name, long, iso3, 2023, outlines))
            write_png(tmp_path / "atlas.png", pixels)
            whole = _draw(name, long, iso3, outlines)
            RunOutputs(tmp_path).save_figure(whole, "notebook", ("png",))
            plt.close(whole)
            notebook = (tmp_path / "figures" / "notebook.png").read_bytes()
            assert (tmp_path / "atlas.png").read_bytes() == notebook, (iso3, name)
    assert bases.reused >= 10  # China's and Japan's charts reuse North Korea's bases
    bases.close()


def test_countries_of_a_region_share_bases_and_others_do_not(long, outlines):
    def key(name, iso3):
        return snapshot_figures.layers(name, long, iso3, 2023, outlines).key
    for name in snapshot_figures.LAYERS:
        assert key(name, "PRK") == key(name, "CHN") != key(name, "FRA"), name
    assert key("response", "AFG") != key("response", "PRK")  # "not assessed": its own note
    assert key("map", "USA") != key("map", "CAN")  # the whole of the United States: its own view


def test_the_png_encoder_is_lossless_deterministic_rgb_when_opaque_with_its_dpi(tmp_path):
    fig = figures.edition_scatter(pd.DataFrame({"iso3": ["A", "B"], "country": ["a", "b"],
                                                "prevalence_per_1000_2018": [1.0, 20.0],
                                                "prevalence_per_1000_2023": [2.0, 10.0]}), 2018, 2023, "A")
    pixels = figure_pixels(fig)
    width, height = fig.get_size_inches() * DPI
    assert pixels.shape == (int(height), int(width), 4)
    first, second = write_png(tmp_path / "1.png", pixels), write_png(tmp_path / "2.png", pixels.copy())
    assert first.read_bytes() == second.read_bytes()
    with Image.open(first) as image:
        assert image.mode == "RGB" and round(image.info["dpi"][0]) == DPI
        assert not {"Software", "Creation Time"} & set(image.info)
        assert np.array_equal(np.asarray(image), pixels[..., :3])
    see_through = pixels.copy()
    see_through[0, 0, 3] = 0
    with Image.open(write_png(tmp_path / "3.png", see_through)) as image:
        assert image.mode == "RGBA" and np.array_equal(np.asarray(image), see_through)
    plt.close(fig)


def test_the_map_keys_countries_without_an_estimate_and_names_what_it_cannot_draw(long, outlines):
    fig = snapshot_figures.prevalence_map(long, "PRK", 2023, outlines)
    texts = " ".join(" ".join(_texts(fig)).split())  # the note is wrapped
    assert "In the region, no estimate" in texts and "not in the GSI" in texts
    assert ("Estimated but too small to draw at this scale (per 1,000): Hong Kong (2.8), Singapore (2.1)."
            in texts)
    assert "No estimate, too small to draw: Maldives, Palau." in texts
    hatched = [c for c in fig.axes[0].collections if c.get_hatch()]
    assert hatched and all(tuple(c.get_facecolor()[0][:3]) != (1.0, 1.0, 1.0) for c in hatched)  # not white
    plt.close(fig)


def test_the_sensitivity_figure_tells_every_source_apart(paths):
    rows = []
    for label, source, years in (("GSI 2016", "GSI", [2015]), ("GSI 2018", "GSI", [2015]),
                                 ("GSI 2023", "GSI", [2020]), ("UN WPP 2019", "UN WPP", [2020]),
                                 ("World Bank, vintage 1", "World Bank WDI", [2019, 2020]),
                                 ("World Bank, vintage 2", "World Bank WDI", [2019, 2020])):
        rows += [{"label": label, "source": source, "year": y, "count_at_published_prevalence": 2.6e6,
                  "prevalence_at_published_count": 104.0} for y in years]
    fig = figures.population_scenarios(pd.DataFrame(rows), (2.7e6, 104.6), (2020, 2021))
    lines = {line.get_label(): line for line in fig.axes[0].get_lines()
             if not line.get_label().startswith("_")}
    printed = [lines[f"GSI {e}"] for e in (2016, 2018, 2023)]
    assert len({line.get_marker() for line in printed}) == 3
    assert all(line.get_markerfacecolor() == "none" for line in printed)  # hollow: UN WPP 2019 shows inside
    others = [lines[k] for k in lines if not k.startswith("GSI")]
    assert len({matplotlib.colors.to_hex(line.get_color()) for line in others}) == len(others)
    assert figures.HIGHLIGHT not in {matplotlib.colors.to_hex(line.get_color()) for line in others}
    assert fig.get_size_inches()[0] < 7.5  # the paper's width: its legend is read at about 8 points
    plt.close(fig)


def test_the_scatter_writes_plain_numbers_on_its_log_axes(long):
    from analysis.analyses import comparison

    fig = figures.edition_scatter(comparison.all_countries(long, 2018, 2023), 2018, 2023, "PRK")
    fig.canvas.draw()
    ax = fig.axes[0]
    for axis in (ax.xaxis, ax.yaxis):
        labels = [t.get_text() for t in axis.get_ticklabels() if t.get_text()]
        assert {"1", "10", "100"} <= set(labels) and not any("^" in t for t in labels)
    plt.close(fig)


def test_overlapping_revisions_stay_visible_in_the_sensitivity_figure(paths):
    # Referee 2, finding 16: vintage 2015-08 lay under 2017-06 (nearly the same values) and its
    # legend entry showed no line. Each revision now has its own marker and line style.
    rows = []
    for label in ("World Bank, vintage 2015-08", "World Bank, vintage 2017-06", "World Bank, vintage 2017-10",
                  "World Bank, vintage 2020-04", "World Bank, vintages 2023-05 to 2024-12"):
        rows += [{"label": label, "source": "World Bank WDI", "year": y,
                  "count_at_published_prevalence": 2.6e6, "prevalence_at_published_count": 104.0}
                 for y in (2013, 2014)]
    rows.append({"label": "UN WPP 2019", "source": "UN WPP", "year": 2020,
                 "count_at_published_prevalence": 2.7e6, "prevalence_at_published_count": 104.6})
    fig = figures.population_scenarios(pd.DataFrame(rows), (2.7e6, 104.6), (2020, 2021))
    lines = [line for line in fig.axes[0].get_lines() if line.get_label().startswith("World Bank")]
    styles = {(line.get_marker(), line.get_linestyle()) for line in lines}
    assert len(lines) == 5 and len(styles) == 5
    assert len({line.get_marker() for line in lines}) == 5
    # Hollow markers: a line drawn over another leaves the one under it visible.
    assert all(line.get_markerfacecolor() == "none" for line in lines)
    legend = fig.axes[0].get_legend()
    shown = {text.get_text(): handle for text, handle in zip(legend.get_texts(), legend.legend_handles)}
    first, second = shown["World Bank, vintage 2015-08"], shown["World Bank, vintage 2017-06"]
    assert first.get_linestyle() != second.get_linestyle()
    plt.close(fig)


def test_a_region_of_ranked_bars_leaves_room_for_another_figure_on_the_page(long, outlines):
    # Referee 2, finding 16: each of the snapshot's bar charts took a page of its own, leaving a
    # third of it empty. 27 rows of 0.17 in, plus the axis: under 5.7 in, from 7.0 in before.
    fig = _draw("prevalence", long, "PRK", outlines)
    try:
        assert 4.5 < fig.get_size_inches()[1] < 5.7  # laid out to its content around 0.17 x 27 + 1.0
    finally:
        plt.close(fig)


def test_paired_bars_share_a_page_with_ranked_bars(long, outlines):
    # With the ranked bars above, at the paper's scale (7 in drawn at its 5.7 in text width), the
    # vulnerability chart fits on the same page: both under 9.5 in drawn, from 11.4 in before.
    heights = {}
    for name in ("prevalence", "vulnerability", "response", "number"):
        fig = _draw(name, long, "PRK", outlines)
        heights[name] = fig.get_size_inches()[1]
        plt.close(fig)
    assert heights["prevalence"] + heights["vulnerability"] < 9.5
    assert heights["response"] + heights["number"] < 9.5


def test_a_figure_a_hair_short_of_a_whole_pixel_gives_its_pixels(long, outlines):
    # Eritrea's GSI 2018 bars are 1439.9999999999998 pixels high by their size in inches, and Agg
    # draws 1,440 rows: the pixels are read with the shape Agg drew, not a truncated one.
    fig = _draw_edition("prevalence", long, "ERI", 2018, outlines)
    try:
        assert fig.get_size_inches()[1] * DPI == pytest.approx(1440)
        pixels = figure_pixels(fig)
        assert pixels.shape[0] == 1440 and pixels.shape[2] == 4
        assert pixels.shape[1] in (1039, 1040)
    finally:
        plt.close(fig)


def _draw_edition(name, long, iso3, edition, outlines):
    draw = snapshot_figures.FIGURES[name]
    return draw(long, iso3, edition, outlines) if name == "map" else draw(long, iso3, edition)
