"""Execute the notebooks with papermill, skipping those whose inputs have not changed.

A run's inputs are the notebook file, every raw and processed data file, every
module of the ``analysis`` library and the parameters. Their sha256 is recorded,
with the figures and tables the run wrote (for the paper's reproducibility
appendix), in ``results/.stamps/<notebook>_<parameters>.json``; a run whose
inputs hash the same as last time, and whose executed notebook is still there,
is skipped.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pandas as pd

from ..analyses import comparison, sensitivity, snapshot
from ..atomic import atomic_path, write_text
from ..errors import AnalysisError, ParameterError
from .parameters import check_parameters
from ..paths import ProjectPaths, project_paths
from ..data.processed import read_processed


@dataclass(frozen=True)
class NotebookSpec:
    """A notebook, how to check its parameters' values, and how to name its outputs."""

    file: str
    check: Callable[[pd.DataFrame, dict], dict]
    suffix: Callable[[dict], str]


def _check_snapshot(long: pd.DataFrame, p: dict) -> dict:
    p["country"], p["edition"] = snapshot.validate(long, p["country"], p["edition"])
    return p


def _check_comparison(long: pd.DataFrame, p: dict) -> dict:
    p["country"], p["edition_from"], p["edition_to"] = comparison.validate(
        long, p["country"], p["edition_from"], p["edition_to"])
    return p


def _check_sensitivity(long: pd.DataFrame, p: dict) -> dict:
    p["country"] = sensitivity.validate(long, p["country"], p["population_sources"], p["draws"],
                                        p["seed"], p["prevalence_relative_sd"])
    return p


NOTEBOOKS = {
    "country_snapshot": NotebookSpec("01_country_snapshot.ipynb", _check_snapshot,
                                     lambda p: f"{p['country']}_{p['edition']}"),
    "edition_comparison": NotebookSpec("02_edition_comparison.ipynb", _check_comparison,
                                       lambda p: f"{p['country']}_{p['edition_from']}_{p['edition_to']}"),
    "population_sensitivity": NotebookSpec("03_population_sensitivity.ipynb", _check_sensitivity,
                                           lambda p: p["country"]),
}


def resolve(name: str, given: dict | None, paths: ProjectPaths | None = None) -> tuple[NotebookSpec, dict]:
    """Check ``given`` parameters of notebook ``name`` (names, types, then values) without a kernel."""
    paths = paths or project_paths()
    if name not in NOTEBOOKS:
        raise ParameterError(f"unknown notebook {name!r}; choose one of {sorted(NOTEBOOKS)}")
    spec = NOTEBOOKS[name]
    params = check_parameters(paths.notebooks / spec.file, dict(given or {}))
    long = read_processed("gsi_country_edition.csv", paths)
    return spec, spec.check(long, params)


def input_digest(spec: NotebookSpec, params: dict, paths: ProjectPaths) -> str:
    """sha256 over the notebook, the raw and processed data, the library code and the parameters."""
    digest = hashlib.sha256()
    files = [paths.notebooks / spec.file, *sorted(paths.raw.iterdir()),
             *sorted(paths.processed.glob("*.csv")), *sorted(paths.library.rglob("*.py"))]
    for path in files:
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update(json.dumps(params, sort_keys=True).encode())
    return digest.hexdigest()


def _strip_timestamps(path: Path) -> None:
    """Remove run times from an executed notebook so that reruns give the same file."""
    nb = nbformat.read(str(path), as_version=4)
    for meta in [nb.metadata.get("papermill", {}),
                 *(c.metadata.get("papermill", {}) for c in nb.cells)]:
        for key in ("start_time", "end_time", "duration"):
            meta.pop(key, None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nb.metadata.get("papermill", {}).pop("input_path", None)
    nb.metadata.get("papermill", {}).pop("output_path", None)
    nbformat.write(nb, str(path))


def _result_files(paths: ProjectPaths) -> dict[str, int]:
    files = [*paths.figures.glob("*"), *paths.tables.glob("*")]
    return {str(p.relative_to(paths.root)): p.stat().st_mtime_ns for p in files if p.is_file()}


def read_stamp(name: str, params: dict, paths: ProjectPaths | None = None) -> dict:
    """The record of the last run of ``name`` with (checked) ``params``: inputs hash and outputs."""
    paths = paths or project_paths()
    stamp = paths.stamps / f"{name}_{NOTEBOOKS[name].suffix(params)}.json"
    if not stamp.exists():
        raise AnalysisError(f"{name} has not been run with {params}; run `python -m analysis notebooks`")
    return json.loads(stamp.read_text(encoding="utf-8"))


def run_notebook(name: str, given: dict | None = None, *, force: bool = False,
                 paths: ProjectPaths | None = None) -> Path:
    """Execute notebook ``name`` with ``given`` parameters unless its inputs are unchanged.

    Returns the path of the executed notebook under ``results/notebooks/``.
    """
    import papermill as pm

    paths = paths or project_paths()
    spec, params = resolve(name, given, paths)
    suffix = spec.suffix(params)
    executed = paths.executed_notebooks / f"{name}_{suffix}.ipynb"
    stamp = paths.stamps / f"{name}_{suffix}.json"
    digest = input_digest(spec, params, paths)
    if not force and executed.exists() and stamp.exists() \
            and json.loads(stamp.read_text()).get("inputs_sha256") == digest:
        print(f"skip {name} ({suffix}): inputs unchanged")
        return executed
    print(f"run  {name} ({suffix}) with {json.dumps(params, sort_keys=True)}")
    executed.parent.mkdir(parents=True, exist_ok=True)
    before = _result_files(paths)
    env_root = os.environ.get("ANALYSIS_ROOT")
    os.environ["ANALYSIS_ROOT"] = str(paths.root)  # the kernel inherits it
    try:
        with atomic_path(executed) as tmp:
            try:
                pm.execute_notebook(str(paths.notebooks / spec.file), str(tmp), parameters=params,
                                    kernel_name="python3", cwd=str(paths.notebooks),
                                    progress_bar=False, log_output=False)
            except pm.PapermillExecutionError as exc:
                failed = executed.with_suffix(".failed.ipynb")
                os.replace(tmp, failed)
                raise AnalysisError(f"notebook {spec.file} failed with {params}: {exc.ename}: "
                                    f"{exc.evalue} (see {failed.relative_to(paths.root)})") from None
            _strip_timestamps(tmp)
    finally:
        if env_root is None:
            os.environ.pop("ANALYSIS_ROOT", None)
        else:
            os.environ["ANALYSIS_ROOT"] = env_root
    outputs = sorted(f for f, mtime in _result_files(paths).items() if before.get(f) != mtime)
    write_text(stamp, json.dumps({"notebook": spec.file, "parameters": params, "inputs_sha256": digest,
                                  "outputs": outputs}, indent=2, sort_keys=True) + "\n")
    return executed


#: The runs the paper uses: every notebook with its defaults (North Korea).
DEFAULT_RUNS: list[tuple[str, dict]] = [(name, {}) for name in NOTEBOOKS]


def run_all(*, force: bool = False, paths: ProjectPaths | None = None) -> list[Path]:
    """Execute every run of :data:`DEFAULT_RUNS` (skipping unchanged ones)."""
    return [run_notebook(name, params, force=force, paths=paths) for name, params in DEFAULT_RUNS]
