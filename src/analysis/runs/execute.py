"""Execute one run: a notebook with its parameters, by papermill, in a kernel of this interpreter.

:func:`execute` writes the executed notebook and everything the notebook saves
into a staging folder, and returns what the kernel reported (the interpreter,
the library, the data files read, the modules imported). A notebook that fails,
or whose kernel dies, is kept under ``results/failed/`` to read the error, and
the run fails with one line that names it.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..build.fingerprints import relative
from ..build.step import Context, Written
from ..errors import AnalysisError
from ..paths import ProjectPaths
from . import kernel
from .notebooks import Notebook

#: The executed notebook, in the run folder.
EXECUTED = "notebook.ipynb"
#: Seconds a kernel may take to start.
START_TIMEOUT = 120


def normalise_notebook(path: Path, source_metadata: dict) -> None:
    """Make an executed notebook depend only on its inputs: no times, paths or random cell ids,
    one stream output per name in each cell, and the source notebook's kernelspec."""
    import nbformat

    nb = nbformat.read(str(path), as_version=4)
    meta = nb.metadata.get("papermill", {})
    for key in ("start_time", "end_time", "duration", "input_path", "output_path"):
        meta.pop(key, None)
    if "kernelspec" in source_metadata:
        nb.metadata["kernelspec"] = source_metadata["kernelspec"]
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        for key in ("start_time", "end_time", "duration"):
            cell.metadata.get("papermill", {}).pop(key, None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.id = "injected-parameters"
    nbformat.write(nb, str(path))


_QUIET = {"runs": 0, "lock": threading.Lock()}


@contextmanager
def _quiet(*names: str) -> Iterator[None]:
    """Silence the loggers ``names`` while any run is under way (their complaints would add lines to
    the run's one error line); runs in parallel share the silence."""
    loggers = [logging.getLogger(name) for name in names]
    with _QUIET["lock"]:
        _QUIET["runs"] += 1
        for logger in loggers:
            logger.disabled = True
    try:
        yield
    finally:
        with _QUIET["lock"]:
            _QUIET["runs"] -= 1
            if not _QUIET["runs"]:
                for logger in loggers:
                    logger.disabled = False


def _failed_cell(path: Path) -> str:
    """Where a failed notebook stopped: 'cell N' and the first line of its source, if it can be told."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    code = [c for c in nb.get("cells", []) if c.get("cell_type") == "code"]
    for number, cell in enumerate(code, 1):
        if cell.get("metadata", {}).get("papermill", {}).get("status") == "running":
            first = "".join(cell.get("source", "")).strip().splitlines()[:1]
            return f" in code cell {number} ({first[0][:60]!r})" if first else f" in code cell {number}"
    return ""


def _keep_failed(executed: Path, notebook: Notebook, folder: Path, paths: ProjectPaths) -> str:
    failed = paths.failed / notebook.name / f"{folder.name}.ipynb"
    failed.parent.mkdir(parents=True, exist_ok=True)
    if executed.exists():
        os.replace(executed, failed)
        return relative(failed, paths)
    return ""


def _check_report(report: dict, paths: ProjectPaths) -> None:
    import sys

    if report.get("executable") != sys.executable:
        raise AnalysisError(f"the kernel ran {report.get('executable')}, not this environment's "
                            f"{sys.executable}")
    if report.get("library") != str(paths.library):
        raise AnalysisError(f"the kernel imported the analysis library from {report.get('library')}, "
                            f"not from {paths.library} (is PYTHONPATH set?)")


def _cell_bar(notebook: Notebook, context: Context) -> dict | bool:
    """papermill's progress bar over the cells, below the build's, when the build draws one."""
    if not context.progress:
        return False
    return {"desc": notebook.name, "file": sys.stderr, "leave": False, "position": 1, "dynamic_ncols": True}


def files_read(report: dict, paths: ProjectPaths) -> dict[str, str]:
    """``{path relative to the project: sha256}`` of the data files and library modules a kernel's
    ``report`` (:func:`analysis.runs.kernel_main.usage`) names."""
    read = {relative(Path(p), paths): digest for p, digest in report["data"].items()}
    read.update({relative(Path(p), paths): digest for p, digest in report["code"].items()})
    return dict(sorted(read.items()))


def _import_papermill():
    """papermill, imported without the IRI grammar that jsonschema (under nbformat) builds at import.

    jsonschema imports ``rfc3987_syntax`` when it is installed (JupyterLab brings it), and
    that module compiles a Lark grammar at import: about 0.75 s of every build that
    runs a notebook, for an IRI format check that notebooks never use. The module is
    hidden only while jsonschema is first imported, so that it stays importable after.
    """
    if "jsonschema" not in sys.modules and "rfc3987_syntax" not in sys.modules:
        sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]  # import fails: not used
        try:
            import jsonschema  # noqa: F401
        finally:
            del sys.modules["rfc3987_syntax"]
    import papermill

    return papermill


def execute(notebook: Notebook, params: dict, folder: Path, staging: Path, context: Context) -> Written:
    """Run ``notebook`` with canonical ``params`` into ``staging`` (the run folder will be ``folder``).

    Returns the files the run read (data and library modules, with sha256, relative
    to the project root) and the ``kernel`` record field. Raises
    :class:`AnalysisError` naming the failed cell and the kept notebook.
    """
    pm = _import_papermill()
    from nbclient.exceptions import DeadKernelError

    paths = context.paths
    staging.mkdir(parents=True, exist_ok=True)
    executed = staging / EXECUTED
    env = kernel.kernel_environment(paths, staging, relative(folder, paths))
    started: list = []
    manager = kernel.kernel_manager(env, paths.kernel_runtime, started)
    context.on_cancel.append(lambda: [kernel.kill(km) for km in started])
    source = json.loads(notebook.path.read_text(encoding="utf-8"))
    shown = f"notebooks/{notebook.path.name}"
    # The kernel is killed after the last cell, not asked to exit: its report is already written (it
    # writes one after each cell), and ipykernel's own shutdown now and then hangs for 10 s or more,
    # waiting on an IOPub flush as its main thread closes (cf. posit-dev/positron#7142).
    try:
        with _quiet("papermill", "nbclient", "traitlets"):  # the run's one line says what went wrong
            pm.execute_notebook(str(notebook.path), str(executed), parameters=params, kernel_name="python3",
                                cwd=str(paths.notebooks), progress_bar=_cell_bar(notebook, context),
                                log_output=False,
                                start_timeout=START_TIMEOUT, kernel_manager_class=manager,
                                coalesce_streams=True, shutdown_kernel="immediate",
                                extra_arguments=["--IPKernelApp.log_level=CRITICAL",
                                                                  "--HistoryManager.enabled=False"])
    except pm.PapermillExecutionError as exc:
        where = _failed_cell(executed)
        kept = _keep_failed(executed, notebook, folder, paths)
        evalue = str(exc.evalue).replace(str(staging), relative(folder, paths))  # name the run's own folder
        raise AnalysisError(f"{shown} failed with {params}{where}: {exc.ename}: {evalue} "
                            f"(see {kept})") from None
    except OSError as exc:  # writing the executed notebook (a full disk names no file)
        raise OSError(exc.errno, exc.strerror, exc.filename or str(executed)) from None
    except DeadKernelError:
        if context.cancel.is_set():
            raise
        where = _failed_cell(executed)
        kept = _keep_failed(executed, notebook, folder, paths)
        for km in started:  # what the kernel process printed as it died, beside the notebook
            if km.log_file.exists() and km.log_file.stat().st_size:
                os.replace(km.log_file, paths.failed / notebook.name / f"{folder.name}.kernel.log")
        raise AnalysisError(f"{shown}: the kernel died{where}, with {params} (a crash, or the process was "
                            f"killed or ran out of memory); the notebook so far is in {kept}") from None
    finally:
        for km in started:
            kernel.forget(km)
    normalise_notebook(executed, source.get("metadata", {}))
    report_path = staging / kernel.REPORT
    try:
        report = json.loads(report_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise AnalysisError(f"{shown}: the kernel did not report what it used (did it exit normally?)") \
            from None
    report_path.unlink()
    _check_report(report, paths)
    read = files_read(report, paths)
    fields = {"kernel": {"executable": report["executable"], "version": report["version"],
                         "library": report["library"], "environment": report["environment"]}}
    return Written(read=read, fields=fields)
