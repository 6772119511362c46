"""A figure's signature, from its decoded pixels, and when two pictures count as the same.

The signature of a PNG holds its size in pixels, the sha256 of its decoded RGBA
pixels (so a figure encoded differently but drawn alike is recognised), and a
coarse picture: the figure cut into a :data:`GRID` x :data:`GRID` grid of cells,
each cell's mean grey level (0 black to 255 white). The grid is small enough to
commit and to read in a diff, and it shows where a picture changed.

Two pictures are the same within the pixel tolerance (:func:`compare`) when
their sizes differ by at most :data:`SIZE_TOLERANCE` of each side and no cell's
mean grey level differs by more than :data:`CELL_TOLERANCE` levels: what
anti-aliasing, a font's hinting or another version of the drawing library
change, and not a moved bar, line or label.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

#: Cells across and down the coarse picture of a signature.
GRID = 32
#: Largest difference of one cell's mean grey level (0 to 255) for the same picture.
CELL_TOLERANCE = 16
#: Largest relative difference of the width or of the height, in pixels, for the same picture.
SIZE_TOLERANCE = 0.02


@dataclass(frozen=True)
class Signature:
    """The signature of one figure: size (pixels), sha256 of its RGBA pixels, grid of grey levels."""

    width: int
    height: int
    pixels_sha256: str
    grid: tuple[tuple[int, ...], ...]

    def grid_lines(self) -> list[str]:
        """The grid as text: one line per row of cells, two hexadecimal digits per cell."""
        return ["".join(f"{v:02x}" for v in row) for row in self.grid]

    @staticmethod
    def grid_from_lines(lines: list[str]) -> tuple[tuple[int, ...], ...]:
        """The grid written by :meth:`grid_lines`, read back."""
        return tuple(tuple(int(line[i:i + 2], 16) for i in range(0, len(line), 2)) for line in lines)


def decoded_pixels(path: Path) -> np.ndarray:
    """The pixels of the PNG at ``path``: height x width x 4 bytes (RGBA), whatever its encoding."""
    from PIL import Image

    with Image.open(path) as image:
        return np.asarray(image.convert("RGBA"), dtype=np.uint8)


def grey_grid(pixels: np.ndarray, grid: int = GRID) -> np.ndarray:
    """Mean grey level (0 to 255, on a white ground) of each of ``grid`` x ``grid`` cells of ``pixels``."""
    rgb = pixels[..., :3].astype(np.float64)
    alpha = pixels[..., 3:4].astype(np.float64) / 255.0
    grey = ((rgb * alpha + 255.0 * (1.0 - alpha)) @ np.array([0.299, 0.587, 0.114]))
    height, width = grey.shape
    rows = np.linspace(0, height, grid + 1).astype(int)
    cols = np.linspace(0, width, grid + 1).astype(int)
    sums = np.add.reduceat(np.add.reduceat(grey, rows[:-1], axis=0), cols[:-1], axis=1)
    counts = np.outer(np.diff(rows), np.diff(cols))
    return np.clip(np.rint(sums / counts), 0, 255).astype(np.uint8)


def signature(path: Path) -> Signature:
    """The :class:`Signature` of the PNG file at ``path``."""
    pixels = decoded_pixels(path)
    height, width, _ = pixels.shape
    digest = hashlib.sha256(pixels.tobytes()).hexdigest()
    grid = tuple(tuple(int(v) for v in row) for row in grey_grid(pixels))
    return Signature(width=width, height=height, pixels_sha256=digest, grid=grid)


@dataclass(frozen=True)
class PictureDifference:
    """How far one picture is from another: identical pixels, or the largest cell difference and size."""

    identical_pixels: bool
    largest_cell_difference: int
    cells_differing: int
    size_reference: tuple[int, int]
    size_new: tuple[int, int]

    @property
    def within_tolerance(self) -> bool:
        """True when the two are the same picture within :data:`CELL_TOLERANCE` and :data:`SIZE_TOLERANCE`."""
        (w0, h0), (w1, h1) = self.size_reference, self.size_new
        size_ok = abs(w1 - w0) <= SIZE_TOLERANCE * w0 and abs(h1 - h0) <= SIZE_TOLERANCE * h0
        return self.identical_pixels or (size_ok and self.largest_cell_difference <= CELL_TOLERANCE)

    def describe(self) -> str:
        """One phrase for a report: what differs, in pixels and grey levels."""
        if self.identical_pixels:
            return "identical pixels"
        size = ""
        if self.size_reference != self.size_new:
            size = (f"; size {self.size_new[0]} x {self.size_new[1]} pixels against "
                    f"{self.size_reference[0]} x {self.size_reference[1]}")
        return (f"{self.cells_differing} of {GRID * GRID} grid cells differ, by at most "
                f"{self.largest_cell_difference} grey levels of 255 (tolerance {CELL_TOLERANCE}){size}")


def compare(reference: Signature, new: Signature) -> PictureDifference:
    """How the picture with signature ``new`` differs from the ``reference`` one."""
    a = np.array(reference.grid, dtype=np.int16)
    b = np.array(new.grid, dtype=np.int16)
    diff = np.abs(a - b)
    return PictureDifference(identical_pixels=reference.pixels_sha256 == new.pixels_sha256
                             and (reference.width, reference.height) == (new.width, new.height),
                             largest_cell_difference=int(diff.max()), cells_differing=int((diff > 0).sum()),
                             size_reference=(reference.width, reference.height),
                             size_new=(new.width, new.height))
