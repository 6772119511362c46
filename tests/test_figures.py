"""The figures of the paper and of the snapshot."""

from __future__ import annotations

import matplotlib

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
