"""Save figures, tables and key numbers to ``results/`` deterministically and atomically.

Figures: PNG (150 dpi) and SVG with no creation date, software tag or random
ids, so two builds give byte-identical files. Tables: CSV at full precision.
Key numbers: JSON with sorted keys, read by the paper.
"""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from ..atomic import atomic_path, write_csv, write_text  # noqa: E402
from ..paths import ProjectPaths, project_paths  # noqa: E402

#: Fixed salt for the ids matplotlib writes into SVG files.
plt.rcParams["svg.hashsalt"] = "dprk-compendium"
plt.rcParams["path.simplify"] = True
DPI = 150


def save_figure(fig: plt.Figure, stem: str, paths: ProjectPaths | None = None) -> list[Path]:
    """Write ``fig`` to ``results/figures/<stem>.png`` and ``.svg``; return both paths."""
    paths = paths or project_paths()
    written = []
    for ext, metadata in (("png", {"Software": None}), ("svg", {"Date": None, "Creator": None})):
        target = paths.figures / f"{stem}.{ext}"
        with atomic_path(target) as tmp:
            fig.savefig(tmp, format=ext, dpi=DPI, metadata=metadata, bbox_inches="tight")
        written.append(target)
    return written


def save_table(frame: pd.DataFrame, stem: str, paths: ProjectPaths | None = None) -> Path:
    """Write ``frame`` to ``results/tables/<stem>.csv``; return the path."""
    paths = paths or project_paths()
    target = paths.tables / f"{stem}.csv"
    write_csv(target, frame)
    return target


def save_values(values: dict[str, object], stem: str, paths: ProjectPaths | None = None) -> Path:
    """Write key numbers to ``results/tables/<stem>.json`` (sorted keys); return the path."""
    paths = paths or project_paths()
    target = paths.tables / f"{stem}.json"
    write_text(target, json.dumps(values, indent=2, sort_keys=True, default=float) + "\n")
    return target


def load_values(stem: str, paths: ProjectPaths | None = None) -> dict[str, object]:
    """Read the key numbers saved by :func:`save_values`."""
    paths = paths or project_paths()
    return json.loads((paths.tables / f"{stem}.json").read_text(encoding="utf-8"))
