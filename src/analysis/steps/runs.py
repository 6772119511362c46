"""Notebook-run steps: one notebook with its canonical parameters, in ``results/runs/<notebook>/<run id>/``.

A run step reads the notebook's code cells, its parameters, this environment
and its interpreter, and, as the run discovers them, the data files and the
library modules its kernel read (:mod:`analysis.runs.kernel_main`). It checks
its parameters against the data, executes the notebook with papermill into its
staging folder, and publishes the run folder whole, with ``record.json``
inside: a copy of the folder is self-describing.
"""

from __future__ import annotations

from pathlib import Path

from ..build.fingerprints import code_digest, environment, interpreter, relative
from ..build.step import RECORD_FORMAT, Context, Step, Written
from ..errors import AnalysisError
from ..paths import ProjectPaths
from ..runs.notebooks import Notebook, find
from ..runs.parameters import canonical, label, run_id, validate
from .data import KEY as DATA

#: The library's code that runs in the runner (the kernel's own imports are discovered).
CODE = ("runs/", "steps/runs.py")
RECORD = "record.json"


def run_folder(paths: ProjectPaths, notebook: Notebook, params: dict) -> Path:
    """The folder of the run of ``notebook`` with canonical ``params``."""
    return paths.runs / notebook.name / run_id(params)


def run_step(paths: ProjectPaths, notebook: Notebook, params: dict) -> Step:
    """The step of one run: ``notebook`` with canonical ``params`` (see :func:`request`)."""
    folder = run_folder(paths, notebook, params)
    shown_file = relative(notebook.path, paths)

    def inputs() -> dict:
        return {"notebook": {"file": shown_file, "code": notebook.code_digest}, "parameters": params,
                "runner": code_digest(paths, CODE), "environment": environment(),
                "interpreter": interpreter(), "format": RECORD_FORMAT}

    def write(staging: Path, context: Context) -> Written:
        from ..runs.execute import execute

        checked = validate(notebook, params, paths)
        if checked != params:
            raise AnalysisError(f"{notebook.name}: checking the parameters changed them from {params} to "
                                f"{checked}; give them as {checked}")
        return execute(notebook, params, folder, staging / "run", context)

    return Step(f"run {notebook.name}/{folder.name}", "run", f"{notebook.name} {label(params)}",
                targets={"run": folder}, record=f"run/{RECORD}", base=folder, inputs=inputs, write=write,
                needs=(DATA,), fields={"notebook": notebook.name, "notebook_file": shown_file,
                                       "run_id": folder.name, "parameters": params})


def request(paths: ProjectPaths, name: str, given: dict | None = None) -> Step:
    """The step of a run of notebook ``name`` with ``given`` parameters over its defaults.

    Names and types are checked here, and a country named as the data name it;
    values against the data when the step runs. Raises
    :class:`~analysis.errors.ParameterError`.
    """
    notebook = find(paths, name)
    return run_step(paths, notebook, canonical(notebook, dict(given or {}), paths))
