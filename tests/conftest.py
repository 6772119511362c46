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

from analysis.data.manifest import sha256_of
from analysis.paths import ProjectPaths, project_paths
from analysis.data.processed import build_tables


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
