"""Draw snapshot figures to pixels, each shared base once: how the atlas draws quickly.

A :class:`analysis.figures.snapshot.Layers` is a base (the same for every
country of a region: ranked bars, the map) and the overlay of one country,
drawn above everything in the base. :class:`Bases` draws a base with Agg at
:data:`~analysis.figures.png.DPI` once, keeps its pixels, and for each
country puts them back (``restore_region``) and draws only the overlay's
artists on them, in the order a whole drawing of the figure draws them (last).
The pixels are then those of the figure drawn whole, as the snapshot notebook
draws and saves it (:func:`analysis.figures.png.figure_pixels`), and
:func:`analysis.figures.png.write_png` encodes both. A figure without a
shared base (``key`` None) is drawn whole.
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np

from .png import DPI, SAVE_PARAMS

#: Bases kept at once (figures and pixels, a few MB each): three per region, and room for a variant.
KEEP = 8


class Bases:
    """Figures whose base has been drawn, with their pixels, by key; the least recently used go first."""

    def __init__(self, keep: int = KEEP) -> None:
        self.keep = keep
        self._kept: OrderedDict = OrderedDict()
        #: How many bases were drawn, and how many were reused (for tests and benchmarks).
        self.drawn = self.reused = 0

    def draw(self, layers) -> tuple[np.ndarray, object]:
        """Pixels (height x width x 4, RGBA, top row first) of ``layers`` drawn whole at
        :data:`DPI`, and the figure they were drawn on (still open, with the overlay removed:
        its transforms place data in those pixels). A figure with no key is not kept: close it."""
        import matplotlib
        import matplotlib.pyplot as plt

        with matplotlib.rc_context(SAVE_PARAMS):
            entry = self._kept.get(layers.key) if layers.key is not None else None
            if entry is None:
                fig = layers.base()
                fig.dpi = DPI
                fig.canvas.draw()
                background = fig.canvas.copy_from_bbox(fig.bbox)
                self.drawn += 1
                if layers.key is not None:
                    self._kept[layers.key] = fig, background
                    while len(self._kept) > self.keep:
                        plt.close(self._kept.popitem(last=False)[1][0])
            else:
                self._kept.move_to_end(layers.key)
                fig, background = entry
                fig.canvas.restore_region(background)
                self.reused += 1
            artists = layers.overlay(fig)
            try:
                for artist in artists:
                    fig.draw_artist(artist)
                pixels = np.array(fig.canvas.buffer_rgba())  # a copy: the buffer is drawn over next time
            finally:  # the kept base must stay a base, whatever happened
                for artist in artists:
                    artist.remove()
        return pixels, fig

    def close(self) -> None:
        """Close every kept figure."""
        import matplotlib.pyplot as plt

        for fig, _ in self._kept.values():
            plt.close(fig)
        self._kept.clear()
