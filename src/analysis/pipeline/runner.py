"""Execute notebook runs with papermill: each run all or nothing, in its own folder, with a record.

A run executes into a staging folder beside its final one. Only when the
notebook succeeds is its record written and the staging folder moved into
place, replacing the previous run; a failed or interrupted run leaves the
previous complete run as it was (the failed notebook is kept under
``results/failed/`` to read the error). A run whose record matches today's
inputs, with every output intact, is skipped.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .. import provenance
from ..errors import AnalysisError, ParameterError
from ..paths import ProjectPaths, project_paths
from ..data.manifest import sha256_of
from .execution import execution
from .fingerprints import relative
from .litter import clean_litter, staged
from .lock import build_lock
from .parameters import check_parameters
from .records import RECORD, is_up_to_date, run_folder, run_inputs
from .registry import NOTEBOOKS, PAPER_RUNS, RunRequest, run_id
from .stamps import make_stamp, outputs_of, read_stamp, write_stamp
from .upstream import ensure_processed

#: The matplotlib backend of the kernels the runner starts: inline, so executed notebooks show their charts.
KERNEL_BACKEND = "module://matplotlib_inline.backend_inline"
#: Cache of canonical parameters by request, so an unchanged build needs no kernel, pandas or papermill.
REQUESTS = "requests.json"


def resolve(name: str, given: dict | None, paths: ProjectPaths | None = None) -> tuple[str, dict]:
    """Check ``given`` parameters of notebook ``name`` (names, types, then values) without a kernel.

    Returns ``(name, canonical parameters)``; raises :class:`ParameterError` with the choices.
    """
    paths = paths or project_paths()
    if name not in NOTEBOOKS:
        raise ParameterError(f"unknown notebook {name!r}; choose one of {sorted(NOTEBOOKS)}")
    spec = NOTEBOOKS[name]
    params = check_parameters(paths.notebooks / spec.file, dict(given or {}))
    return name, spec.check(params, paths)


@contextmanager
def _kernel_environment(paths: ProjectPaths, staging: Path, folder: Path) -> Iterator[None]:
    """Environment the kernel inherits: the project root, the run folder, the inline backend."""
    wanted = {"ANALYSIS_ROOT": str(paths.root), provenance.RUN_DIR_ENV_VAR: str(staging),
              provenance.RUN_NAME_ENV_VAR: relative(folder, paths), "MPLBACKEND": KERNEL_BACKEND}
    saved = {key: os.environ.get(key) for key in wanted}
    os.environ.update(wanted)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def normalise_notebook(path: Path) -> None:
    """Make an executed notebook depend only on its inputs: no times, paths or random cell ids."""
    import nbformat

    nb = nbformat.read(str(path), as_version=4)
    meta = nb.metadata.get("papermill", {})
    for key in ("start_time", "end_time", "duration", "input_path", "output_path"):
        meta.pop(key, None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        for key in ("start_time", "end_time", "duration"):
            cell.metadata.get("papermill", {}).pop(key, None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.id = "injected-parameters"
    nbformat.write(nb, str(path))


def _execute(name: str, params: dict, paths: ProjectPaths) -> Path:
    """Run the notebook into a staging folder, record it, and publish it; return the run folder."""
    import papermill as pm

    spec = NOTEBOOKS[name]
    folder = run_folder(name, params, paths)
    with staged(folder) as staging:
        executed = staging / "notebook.ipynb"
        try:
            with _kernel_environment(paths, staging, folder):
                pm.execute_notebook(str(paths.notebooks / spec.file), str(executed), parameters=params,
                                    kernel_name="python3", cwd=str(paths.notebooks), progress_bar=False,
                                    log_output=False, extra_arguments=["--IPKernelApp.log_level=CRITICAL"])
        except pm.PapermillExecutionError as exc:
            failed = paths.failed / name / f"{folder.name}.ipynb"
            failed.parent.mkdir(parents=True, exist_ok=True)
            os.replace(executed, failed)
            raise AnalysisError(f"notebook {spec.file} failed with {params}: {exc.ename}: {exc.evalue} "
                                f"(the previous run, if any, is kept; see {relative(failed, paths)})"
                                ) from None
        normalise_notebook(executed)
        data = {relative(Path(p), paths): digest for p, digest in provenance.reads_of(staging).items()}
        (staging / provenance.READS_FILE).unlink(missing_ok=True)
        files = [p for p in staging.rglob("*") if p.is_file()]
        record = make_stamp(run_inputs(name, params, data, paths), outputs_of(files, staging),
                            notebook=name, notebook_file=f"notebooks/{spec.file}",
                            run_id=run_id(name, params), parameters=params, execution=execution(paths))
        write_stamp(staging / RECORD, record)
    return folder


def _skipped(name: str, params: dict, paths: ProjectPaths) -> Path:
    folder = run_folder(name, params, paths)
    print(f"skip {name}: inputs unchanged ({relative(folder, paths)})")
    return folder


def _run(name: str, params: dict, force: bool, paths: ProjectPaths) -> Path:
    if not force and is_up_to_date(name, params, paths):
        return _skipped(name, params, paths)
    print(f"run  {name} -> {relative(run_folder(name, params, paths), paths)}")
    return _execute(name, params, paths)


def run_notebook(name: str, given: dict | None = None, *, force: bool = False,
                 paths: ProjectPaths | None = None) -> Path:
    """Execute notebook ``name`` with ``given`` parameters unless its run is up to date.

    Brings ``data/processed/`` up to date first. Returns the run folder
    (``results/runs/<notebook>/<run id>/``).
    """
    paths = paths or project_paths()
    with build_lock(paths):
        clean_litter(paths)
        ensure_processed(paths)
        name, params = resolve(name, given, paths)
        return _run(name, params, force, paths)


def ensure_run(request: RunRequest, *, force: bool = False, paths: ProjectPaths | None = None) -> Path:
    """The folder of an up-to-date run of ``request``, running it if needed.

    The canonical parameters of a request are cached with the notebook's sha256,
    so that checking an unchanged run needs neither papermill nor pandas. The
    caller holds the build lock and has brought ``data/processed`` up to date.
    """
    paths = paths or project_paths()
    cache_path = paths.state / REQUESTS
    cache = read_stamp(cache_path) or {}
    notebook_sha = sha256_of(paths.notebooks / NOTEBOOKS[request.notebook].file)
    cached = cache.get(request.key())
    if (not force and cached and cached.get("notebook_sha256") == notebook_sha
            and is_up_to_date(request.notebook, cached["parameters"], paths)):
        return _skipped(request.notebook, cached["parameters"], paths)
    name, params = resolve(request.notebook, request.given, paths)
    folder = _run(name, params, force, paths)
    cache[request.key()] = {"notebook_sha256": notebook_sha, "parameters": params}
    write_stamp(cache_path, dict(sorted(cache.items())))
    return folder


def run_all(*, force: bool = False, paths: ProjectPaths | None = None) -> dict[str, Path]:
    """Bring every run of the paper (:data:`~analysis.pipeline.registry.PAPER_RUNS`) up to date.

    Returns ``{run name: run folder}``.
    """
    paths = paths or project_paths()
    with build_lock(paths):
        clean_litter(paths)
        ensure_processed(paths)
        return {key: ensure_run(request, force=force, paths=paths) for key, request in PAPER_RUNS.items()}
