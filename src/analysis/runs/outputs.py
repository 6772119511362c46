"""Where a notebook saves its figures, tables and key numbers: the folder of its run.

Under the runner, the folder is the run's staging folder, named to the kernel
in ``$ANALYSIS_RUN`` (:mod:`analysis.runs.kernel`); the notebook never builds an
output name itself. Run by hand (in JupyterLab), a notebook saves into
``results/interactive/<notebook>/<run id>/`` instead, with a record, so that it
never overwrites a run the paper uses (:mod:`analysis.runs.interactive`).

Figures: PNG (:mod:`analysis.figures.png`, 150 dpi) and SVG with no creation
date, software tag or random ids, so two builds give byte-identical files.
Tables: CSV at full precision. Key numbers: strict JSON (``null`` for a missing
value, never ``NaN``).
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd


from ..analyses.result import Result, counts_as_integers
from ..atomic import atomic_path, write_csv, write_text
from ..errors import AnalysisError
from ..figures.png import DPI, SAVE_PARAMS, SVG_METADATA, figure_pixels, write_png
from ..paths import ProjectPaths, project_paths
from .kernel import RUN_ENV

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

    def __init__(self, folder: Path, name: str | None = None,
                 on_save: Callable[[], object] | None = None) -> None:
        self.folder = folder
        #: Where the run's folder is (or will be, once the run succeeds), relative to the project root.
        self.name = name or str(folder)
        #: Called after each save (a run by hand writes its record then, see :mod:`.interactive`).
        self.on_save = on_save

    def _saved(self, written: list[Path]) -> list[Path]:
        if self.on_save is not None:
            self.on_save()
        return written

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"RunOutputs({self.name!r})"

    def save_figure(self, fig, name: str, formats: tuple[str, ...] = FORMATS) -> list[Path]:
        """Write ``fig`` whole to ``figures/<name>.png`` and ``.svg`` (``formats``) in the run folder;
        return the paths. The PNG is :func:`~analysis.figures.png.figure_pixels` encoded by
        :func:`~analysis.figures.png.write_png`.

        A figure of one's own is first fitted to what it draws (every label kept, a
        margin of :data:`~analysis.figures.charts.PAD` inches round it), as the
        library's figures are when they are made; the library's are saved as made.
        """
        import matplotlib

        from ..figures.charts import fit_to_content, is_fitted

        if not is_fitted(fig):
            fit_to_content(fig)
        written = []
        for ext in formats:
            target = self.folder / "figures" / f"{name}.{ext}"
            if ext == "png":
                write_png(target, figure_pixels(fig))
            else:
                with matplotlib.rc_context(SAVE_PARAMS), atomic_path(target) as tmp:
                    fig.savefig(tmp, format=ext, dpi=DPI, metadata=SVG_METADATA)
            written.append(target)
        return self._saved(written)

    def save_pixels(self, pixels: np.ndarray, name: str) -> Path:
        """Write ``figures/<name>.png`` from pixels drawn at :data:`~analysis.figures.png.DPI`."""
        return self._saved([write_png(self.folder / "figures" / f"{name}.png", pixels)])[0]

    def save_table(self, frame: pd.DataFrame, name: str) -> Path:
        """Write ``frame`` to ``tables/<name>.csv`` in the run folder, counts of people as integers
        (:func:`~analysis.analyses.result.counts_as_integers`); return the path."""
        target = self.folder / "tables" / f"{name}.csv"
        write_csv(target, counts_as_integers(frame))
        return self._saved([target])[0]

    def save_values(self, values: dict[str, object]) -> Path:
        """Write the run's key numbers to ``values.json`` (strict JSON, sorted keys); return the path."""
        target = self.folder / VALUES
        text = json.dumps(plain(values), indent=2, sort_keys=True, allow_nan=False)
        write_text(target, text + "\n")
        return self._saved([target])[0]

    def save_result(self, result: Result) -> list[Path]:
        """Write an analysis's result: its key numbers to ``values.json`` and each of its tables to
        ``tables/<name>.csv``; return the paths."""
        written = [self.save_table(table, name) for name, table in sorted(result.tables.items())]
        return [*written, self.save_values(result.to_dict())]


def run_outputs(notebook: str, paths: ProjectPaths | None = None, **parameters: object) -> RunOutputs:
    """The outputs of the notebook run under way: the runner's folder, else an interactive one.

    ``parameters`` are the notebook's checked parameters; run by hand, they name
    the folder ``results/interactive/<notebook>/<run id>/``.
    """
    given = os.environ.get(RUN_ENV)
    if given:
        run = json.loads(given)
        return RunOutputs(Path(run["staging"]), run["folder"])
    from .interactive import interactive_folder, record_run

    paths = paths or project_paths()
    params = dict(parameters)
    folder = interactive_folder(paths, notebook, params)
    return RunOutputs(folder, folder.relative_to(paths.root).as_posix(),
                      on_save=lambda: record_run(folder, notebook, params, paths))


def load_values(folder: Path) -> dict[str, object]:
    """Read the key numbers saved by :meth:`RunOutputs.save_values` in the run ``folder``."""
    return json.loads((folder / VALUES).read_text(encoding="utf-8"))


R = TypeVar("R", bound=Result)


def load_result(folder: Path, kind: type[R]) -> R:
    """The result of type ``kind`` that a run saved in ``folder`` (its key numbers; tables not read).

    Raises :class:`~analysis.errors.AnalysisError` when ``values.json`` is not such a result.
    """
    try:
        return kind.from_dict(load_values(folder))
    except (OSError, ValueError, TypeError) as exc:
        raise AnalysisError(f"{folder / VALUES} is not a {kind.__name__}: {exc}") from None
