"""Where a notebook saves its figures, tables and key numbers: the folder of its run.

Under the runner, the folder is the run's staging folder, given to the kernel
in ``ANALYSIS_RUN_DIR``; the notebook never builds an output name itself. Run
by hand (in JupyterLab), a notebook saves into
``results/interactive/<notebook>/<run id>/`` instead, so that it never
overwrites a run the paper uses.

Figures: PNG (150 dpi) and SVG with no creation date, software tag or random
ids, so two builds give byte-identical files. Tables: CSV at full precision.
Key numbers: strict JSON (``null`` for a missing value, never ``NaN``).
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import numpy as np
import pandas as pd

from ..atomic import atomic_path, write_csv, write_text
from ..paths import ProjectPaths, project_paths
from ..provenance import RUN_DIR_ENV_VAR, RUN_NAME_ENV_VAR
from .registry import run_id

DPI = 150
#: rcParams for saving: fixed salt for the ids matplotlib writes into SVG files.
SAVE_PARAMS = {"svg.hashsalt": "dprk-compendium", "path.simplify": True}
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

    def save_figure(self, fig, name: str) -> list[Path]:
        """Write ``fig`` to ``figures/<name>.png`` and ``.svg`` in the run folder; return both paths."""
        import matplotlib

        written = []
        with matplotlib.rc_context(SAVE_PARAMS):
            for ext, metadata in (("png", {"Software": None}), ("svg", {"Date": None, "Creator": None})):
                target = self.folder / "figures" / f"{name}.{ext}"
                with atomic_path(target) as tmp:
                    fig.savefig(tmp, format=ext, dpi=DPI, metadata=metadata, bbox_inches="tight")
                written.append(target)
        return written

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
