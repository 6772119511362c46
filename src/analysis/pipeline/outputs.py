"""Where a notebook saves its figures, tables and key numbers: the folder of its run.

Under the runner, the folder is the run's staging folder, given to the kernel
in ``ANALYSIS_RUN_DIR``; the notebook never builds an output name itself. Run
by hand (in JupyterLab), a notebook saves into
``results/interactive/<notebook>/<run id>/`` instead, so that it never
overwrites a run the paper uses.

Figures: PNG (150 dpi) and SVG with no creation date, software tag or random
ids, so two builds give byte-identical files. A figure is saved whole: the
figures of :mod:`analysis.figures` are laid out to their content when they are
made, so nothing is cut and no ``bbox_inches="tight"`` (which draws every
figure twice) is needed. Every PNG is drawn with Agg at :data:`DPI`
(:func:`figure_pixels`) and encoded by :func:`write_png`, the notebook's and the
atlas's alike, so the same pixels always give the same bytes.
Tables: CSV at full precision.
Key numbers: strict JSON (``null`` for a missing value, never ``NaN``).
"""

from __future__ import annotations

import json
import math
import os
import struct
import zlib
from pathlib import Path

import numpy as np
import pandas as pd

from ..atomic import atomic_path, write_bytes, write_csv, write_text
from ..paths import ProjectPaths, project_paths
from ..provenance import RUN_DIR_ENV_VAR, RUN_NAME_ENV_VAR
from .registry import run_id

DPI = 150
#: rcParams for saving: fixed salt for the ids matplotlib writes into SVG files.
SAVE_PARAMS = {"svg.hashsalt": "dprk-compendium", "path.simplify": True}
#: Metadata of SVG files: no software version, no date.
SVG_METADATA = {"Date": None, "Creator": None}
FORMATS = ("png", "svg")
VALUES = "values.json"


def plain(value: object) -> object:
    """``value`` as plain JSON data: numpy and pandas scalars unwrapped, NaN and NA as ``None``."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


class RunOutputs:
    """The output folder of one notebook run, and the only way a notebook writes files."""

    def __init__(self, folder: Path, name: str | None = None) -> None:
        self.folder = folder
        #: Where the run's folder is (or will be, once the run succeeds), relative to the project root.
        self.name = name or str(folder)

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"RunOutputs({self.name!r})"

    def save_figure(self, fig, name: str, formats: tuple[str, ...] = FORMATS) -> list[Path]:
        """Write ``fig`` whole to ``figures/<name>.png`` and ``.svg`` (``formats``) in the run folder;
        return the paths. The PNG is :func:`figure_pixels` written by :func:`write_png`."""
        import matplotlib

        written = []
        for ext in formats:
            target = self.folder / "figures" / f"{name}.{ext}"
            if ext == "png":
                write_png(target, figure_pixels(fig))
            else:
                with matplotlib.rc_context(SAVE_PARAMS), atomic_path(target) as tmp:
                    fig.savefig(tmp, format=ext, dpi=DPI, metadata=SVG_METADATA)
            written.append(target)
        return written

    def save_pixels(self, pixels: np.ndarray, name: str) -> Path:
        """Write ``figures/<name>.png`` from pixels drawn at :data:`DPI` (see :func:`write_png`)."""
        target = self.folder / "figures" / f"{name}.png"
        write_png(target, pixels)
        return target

    def save_table(self, frame: pd.DataFrame, name: str) -> Path:
        """Write ``frame`` to ``tables/<name>.csv`` in the run folder; return the path."""
        target = self.folder / "tables" / f"{name}.csv"
        write_csv(target, frame)
        return target

    def save_values(self, values: dict[str, object]) -> Path:
        """Write the run's key numbers to ``values.json`` (strict JSON, sorted keys); return the path."""
        target = self.folder / VALUES
        text = json.dumps(plain(values), indent=2, sort_keys=True, allow_nan=False)
        write_text(target, text + "\n")
        return target


def figure_pixels(fig) -> np.ndarray:
    """The pixels of the whole of ``fig`` drawn with Agg at :data:`DPI`: height x width x 4 bytes
    (RGBA), top row first, as ``savefig`` draws them for a PNG; ``fig`` is left as it was."""
    import io

    import matplotlib

    raw = io.BytesIO()
    with matplotlib.rc_context(SAVE_PARAMS):
        fig.savefig(raw, format="rgba", dpi=DPI)
    width, height = (int(v) for v in fig.get_size_inches() * DPI)  # as Agg sizes its buffer
    return np.frombuffer(raw.getbuffer(), np.uint8).reshape(height, width, 4)


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


def run_outputs(notebook: str, paths: ProjectPaths | None = None, **parameters: object) -> RunOutputs:
    """The outputs of the notebook run under way: the runner's folder, else an interactive one.

    ``parameters`` are the notebook's checked parameters; run by hand, they name
    the folder ``results/interactive/<notebook>/<run id>/``.
    """
    given = os.environ.get(RUN_DIR_ENV_VAR)
    if given:
        return RunOutputs(Path(given), os.environ.get(RUN_NAME_ENV_VAR))
    paths = paths or project_paths()
    folder = paths.interactive / notebook / run_id(notebook, parameters)
    return RunOutputs(folder, folder.relative_to(paths.root).as_posix())


def load_values(folder: Path) -> dict[str, object]:
    """Read the key numbers saved by :meth:`RunOutputs.save_values` in the run ``folder``."""
    return json.loads((folder / VALUES).read_text(encoding="utf-8"))
