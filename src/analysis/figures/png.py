"""Figures to pixels and pixels to PNG bytes: the one way every figure's PNG file is made.

Every PNG, the notebooks' and the atlas's, is drawn with Agg at :data:`DPI`
(:func:`figure_pixels`) and encoded by :func:`png_bytes`, so the same pixels
always give the same bytes: no software version, no date.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np

from ..atomic import write_bytes

#: Resolution of every figure's PNG (dots per inch).
DPI = 150
#: rcParams for saving: fixed salt for the ids matplotlib writes into SVG files.
SAVE_PARAMS = {"svg.hashsalt": "dprk-compendium", "path.simplify": True}
#: Metadata of SVG files: no software version, no date.
SVG_METADATA = {"Date": None, "Creator": None}


def figure_pixels(fig) -> np.ndarray:
    """The pixels of the whole of ``fig`` drawn with Agg at :data:`DPI`: height x width x 4 bytes
    (RGBA), top row first, as ``savefig`` draws them for a PNG; ``fig`` is left as it was."""
    import io

    import matplotlib

    raw = io.BytesIO()
    with matplotlib.rc_context(SAVE_PARAMS):
        fig.savefig(raw, format="rgba", dpi=DPI)
    # Agg sizes its buffer by truncating the figure's size in pixels, which a size a hair short of a
    # whole pixel (1439.9999999999998) may or may not reach: read the shape Agg drew from its buffer.
    buffer = raw.getbuffer()
    count = len(buffer) // 4
    width, height = fig.get_size_inches() * DPI
    for columns in dict.fromkeys((int(width), round(width), int(width) + 1)):
        if columns and count % columns == 0 and abs(count // columns - height) < 1:
            return np.frombuffer(buffer, np.uint8).reshape(count // columns, columns, 4)
    raise ValueError(f"Agg drew {count} pixels, which is no {width:.3f} x {height:.3f} figure")


def png_bytes(pixels: np.ndarray) -> bytes:
    """``pixels`` (height x width x 4 bytes, RGBA, top row first, drawn at :data:`DPI`) as a PNG file.

    The one encoder of every figure's PNG, the notebooks' and the atlas's: 8-bit
    RGB (RGBA if a pixel is not opaque; a figure on its white ground is), rows
    unfiltered and deflated by zlib at level 6, the dpi in a ``pHYs`` chunk, and
    no text (no software version, no date): the same pixels give the same
    bytes. Charts are flat colour, which deflate packs better unfiltered than
    with Pillow's adaptive filters, in half the time (0.03 s for the largest).
    """
    pixels = np.asarray(pixels, dtype=np.uint8)
    height, width, _ = pixels.shape
    channels = 3 if bool((pixels[..., 3] == 255).all()) else 4
    rows = np.empty((height, 1 + width * channels), np.uint8)
    rows[:, 0] = 0  # each row starts with its filter type: 0, none
    rows[:, 1:].reshape(height, width, channels)[...] = pixels[..., :channels]
    per_metre = round(DPI / 0.0254)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    colour = 2 if channels == 3 else 6  # truecolour, truecolour with alpha
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, colour, 0, 0, 0))
            + chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1))
            + chunk(b"IDAT", zlib.compress(rows, 6))
            + chunk(b"IEND", b""))


def write_png(target: Path, pixels: np.ndarray) -> Path:
    """Write ``pixels`` (see :func:`png_bytes`) to ``target`` as PNG, atomically; return ``target``."""
    write_bytes(target, png_bytes(pixels))
    return target


