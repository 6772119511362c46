"""Shared fixtures: the real project, and scratch copies of it that tests may damage."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
import yaml

from analysis.build.executor import Executor, Report, StepFailed
from analysis.data.manifest import sha256_of
from analysis.data.processed import build_tables
from analysis.paths import ProjectPaths, project_paths
from analysis.steps.graph import data_graph


@pytest.fixture(scope="session")
def paths() -> ProjectPaths:
    """The checkout under test."""
    return project_paths()


@pytest.fixture(scope="session")
def tables(paths: ProjectPaths) -> dict[str, pd.DataFrame]:
    """Every processed table, computed from the committed raw files."""
    return build_tables(paths)


@pytest.fixture(scope="session")
def long(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The cleaned table with one row per country and edition."""
    return tables["gsi_country_edition.csv"]


@pytest.fixture
def scratch(tmp_path: Path, paths: ProjectPaths) -> ProjectPaths:
    """A copy of data/raw (and of data/processed) that a test may change."""
    shutil.copytree(paths.raw, tmp_path / "data" / "raw")
    shutil.copytree(paths.processed, tmp_path / "data" / "processed")
    return ProjectPaths(tmp_path)


def build_data(paths: ProjectPaths) -> Report:
    """Run the data step as ``python -m analysis data`` does, in this process.

    A refused input raises the step's own error (a :class:`RawDataError` with its
    file, line and column), not the executor's summary of it.
    """
    try:
        return Executor(paths, progress=False, say=lambda text: None).run(data_graph(paths))
    except StepFailed as exc:
        raise exc.__cause__ from None


def run_notebook(paths: ProjectPaths, name: str, given: dict | None = None, force: bool = False) -> Path:
    """Run notebook ``name`` with ``given`` parameters as ``python -m analysis notebooks`` does, in this
    process (the data step first); return its run folder. A failure raises the step's own error."""
    from analysis.steps.graph import runs_graph

    steps = runs_graph(paths, name, given or {})
    try:
        Executor(paths, force=("run",) if force else False, progress=False, say=lambda text: None).run(steps)
    except StepFailed as exc:
        raise exc.__cause__ from None
    return steps[-1].base


def edit_raw(paths: ProjectPaths, name: str, change: Callable[[str], str],
             update_manifest: bool = True) -> None:
    """Change raw file ``name`` with ``change``; record its new sha256 unless told not to.

    Recording the new checksum imitates a deliberate edit, so that the checks
    behind the checksum (schema, units, country names) are the ones under test.
    """
    path = paths.raw / name
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    if update_manifest:
        doc = yaml.safe_load(paths.manifest.read_text(encoding="utf-8"))
        doc["files"][name]["sha256"] = sha256_of(path)
        paths.manifest.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Bytes of every file in ``folder``, to show that nothing was written."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def copy_project(paths: ProjectPaths, dest: Path, with_outputs: bool = False) -> Path:
    """Copy the project's sources (data, notebooks, paper) to ``dest``; with its outputs if asked.

    Returns ``dest``, to be used as ``ANALYSIS_ROOT``.
    """
    generated = ("_generated", "_output", "_variables.yml", ".quarto")
    for sub in ("data/raw", "data/processed", "notebooks", "paper"):
        shutil.copytree(paths.root / sub, dest / sub,
                        ignore=None if with_outputs else shutil.ignore_patterns(*generated))
    if with_outputs and paths.results.exists():
        shutil.copytree(paths.results, dest / "results", ignore=shutil.ignore_patterns(".lock"))
    return dest


def cli(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run ``python -m analysis *args`` on the project at ``root``; fail if it fails and ``check``."""
    run = subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True,
                         env={**os.environ, "ANALYSIS_ROOT": str(root)}, timeout=900)
    if check and run.returncode != 0:
        raise AssertionError(f"python -m analysis {' '.join(args)} exited {run.returncode}:\n{run.stderr}")
    return run


def tree_digest(root: Path, parts: tuple[str, ...]) -> dict[str, str]:
    """``{path: sha256}`` of every file under each of ``parts`` (files or folders) of ``root``."""
    out = {}
    for part in parts:
        base = root / part
        files = [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file())
        for path in files:
            out[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


# --- A built project, shared: built once per session, copied by each test that changes it ----------

@pytest.hookimpl(tryfirst=True)  # before -m 'not slow' (pyproject's addopts) deselects
def pytest_collection_modifyitems(config, items):
    """A test on a built project (the ``built`` fixture, directly or through another) is an end-to-end
    scenario: it goes to the slow tier, ``make test-slow``, which CI runs too."""
    for item in items:
        if "built" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)


#: What the paper step publishes: a failed or interrupted render must leave all of it as it was.
PAPER_STATE = ("paper/_output", "paper/_generated", "paper/_variables.yml")


@pytest.fixture(scope="session")
def built(tmp_path_factory, paths) -> ProjectPaths:
    """A scratch copy of the project with a clean build: data, the paper's runs, the paper (fallback)."""
    root = copy_project(paths, tmp_path_factory.mktemp("built"))
    cli(root, "notebooks")
    cli(root, "paper", "--engine", "pandoc")
    return ProjectPaths(root)


@pytest.fixture
def project(built, tmp_path) -> ProjectPaths:
    """A copy of the clean build that a test may change."""
    return ProjectPaths(copy_project(built, tmp_path / "p", with_outputs=True))


def notebook_with_cell(path: Path, source: str, after: str | None = None, cell_type: str = "code") -> None:
    """Insert a cell with ``source`` into the notebook at ``path``: after the first cell whose source
    contains ``after``, else at the end."""
    import json

    nb = json.loads(path.read_text(encoding="utf-8"))
    index = len(nb["cells"])
    if after is not None:
        index = 1 + next(i for i, c in enumerate(nb["cells"]) if after in "".join(c["source"]))
    cell = {"cell_type": cell_type, "id": f"added-{index}", "metadata": {}, "source": source.splitlines(True)}
    if cell_type == "code":
        cell.update(execution_count=None, outputs=[])
    nb["cells"].insert(index, cell)
    path.write_text(json.dumps(nb, indent=1) + "\n", encoding="utf-8")


def on_a_small_disk(project: ProjectPaths, room_kb: int):
    """Context: ``project`` moved onto a tmpfs with room for what it holds and ``room_kb`` more.

    A real full disk, for the tests of what a full disk does (needs root to mount;
    skips otherwise).
    """
    from contextlib import contextmanager

    @contextmanager
    def mounted():
        import tempfile
        mount = Path(tempfile.mkdtemp(prefix="small-disk-"))  # beside, not inside, the project
        if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=400m", "tmpfs", str(mount)],
                          capture_output=True).returncode != 0:
            pytest.skip("cannot mount a tmpfs here (needs root)")
        try:
            subprocess.run(["cp", "-a", f"{project.root}/.", str(mount)], check=True)
            used = int(subprocess.run(["du", "-sk", str(mount)], capture_output=True, text=True,
                                      check=True).stdout.split()[0])
            subprocess.run(["mount", "-o", f"remount,size={used + room_kb}k", str(mount)], check=True)
            yield ProjectPaths(mount)
        finally:
            subprocess.run(["umount", "-l", str(mount)], capture_output=True)
            shutil.rmtree(mount, ignore_errors=True)
    return mounted()
