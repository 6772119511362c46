"""The figures of the paper and of the snapshot."""

from __future__ import annotations

import matplotlib
import pandas as pd

from analysis import figures

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)


def test_the_scatter_writes_plain_numbers_on_its_log_axes(long):
    from analysis.analyses import comparison

    fig = figures.edition_scatter(comparison.all_countries(long, 2018, 2023), 2018, 2023, "PRK")
    fig.canvas.draw()
    ax = fig.axes[0]
    for axis in (ax.xaxis, ax.yaxis):
        labels = [t.get_text() for t in axis.get_ticklabels() if t.get_text()]
        assert {"1", "10", "100"} <= set(labels) and not any("^" in t for t in labels)
    plt.close(fig)


def test_the_sensitivity_figure_tells_every_source_apart():
    rows = []
    for label, source, years in (("GSI 2016", "GSI", [2015]), ("GSI 2018", "GSI", [2015]),
                                 ("GSI 2023", "GSI", [2020]), ("UN WPP 2019", "UN WPP", [2020]),
                                 ("World Bank, vintage 1", "World Bank WDI", [2019, 2020]),
                                 ("World Bank, vintage 2", "World Bank WDI", [2019, 2020])):
        rows += [{"label": label, "source": source, "year": y, "count_at_published_prevalence": 2.6e6,
                  "prevalence_at_published_count": 104.0} for y in years]
    fig = figures.population_scenarios(pd.DataFrame(rows), (2.7e6, 104.6), (2020, 2021), "X")
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
