"""Rebuild the paper from clean in a scratch copy of the project, showing progress.

The scratch copy holds the project's sources only (``data/raw``,
``data/processed``, ``notebooks``, ``paper`` without what the build writes, and
``CITATION.cff``), so nothing the user built is read, and nothing is written
into the user's ``results/`` or ``paper/``. The build runs as its own process
(``python -m analysis paper``, the checkout's library, ``ANALYSIS_ROOT`` set
to the copy) with ``SOURCE_DATE_EPOCH`` set to the release date of
``CITATION.cff``, so that the PDF's date is the same in every rebuild of a
version, wherever and whenever it runs.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..paths import ROOT_ENV_VAR, ProjectPaths

#: What a scratch copy holds: the project's sources.
SOURCES = ("data/raw", "data/processed", "notebooks", "paper", "CITATION.cff")
#: What the build writes under paper/, left out of the copy.
GENERATED = ("_generated", "_output", "_variables.yml", ".quarto", "*.fallback.*")
#: Lines of the build's output shown as progress (the rest, Quarto's own, goes to the log only).
PROGRESS = ("run ", "skip ", "wrote ", "rendering", "Quarto not found", "paper:", "error:", "waiting:")


@dataclass
class Rebuild:
    """A finished rebuild: where, how long (seconds), its exit status, last error line and full log."""

    paths: ProjectPaths
    seconds: float
    status: int
    error: str = ""
    log: list[str] = field(default_factory=list)


def scratch_copy(paths: ProjectPaths, dest: Path) -> ProjectPaths:
    """Copy the sources of the project at ``paths`` to ``dest`` (see :data:`SOURCES`); return its paths."""
    for part in SOURCES:
        source = paths.root / part
        if source.is_dir():
            shutil.copytree(source, dest / part, ignore=shutil.ignore_patterns(*GENERATED))
        elif source.is_file():
            (dest / part).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / part)
    return ProjectPaths(dest)


def release_epoch(paths: ProjectPaths) -> int | None:
    """Midnight UTC of ``date-released`` in ``CITATION.cff``, in seconds since 1970, or ``None``."""
    import yaml

    try:
        cff = yaml.safe_load((paths.root / "CITATION.cff").read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return None
    released = cff.get("date-released")
    if isinstance(released, str):
        released = dt.date.fromisoformat(released)
    if not isinstance(released, dt.date):
        return None
    return int(dt.datetime(released.year, released.month, released.day, tzinfo=dt.timezone.utc).timestamp())


def rebuild(paths: ProjectPaths, scratch: Path, engine: str = "auto",
            say: Callable[[str], None] = print) -> Rebuild:
    """Copy the project at ``paths`` into the empty folder ``scratch`` and build the paper there.

    ``engine`` is passed to ``python -m analysis paper --engine``. Progress lines
    (each run, the renderer, each file written) are passed to ``say`` with the
    seconds elapsed. Returns the :class:`Rebuild`; a failed build is returned
    too (its ``status`` is not 0), so that what was built can still be compared.
    """
    start = time.perf_counter()
    copy = scratch_copy(paths, scratch)
    env = {**os.environ, ROOT_ENV_VAR: str(copy.root), "PYTHONUNBUFFERED": "1"}
    epoch = release_epoch(paths)
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = str(epoch)
    command = [sys.executable, "-m", "analysis", "paper", "--engine", engine]
    say(f"[{time.perf_counter() - start:4.0f} s] rebuilding from clean in {copy.root} "
        f"(python -m analysis paper --engine {engine})")
    log: list[str] = []
    with subprocess.Popen(command, env=env, cwd=copy.root, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, bufsize=1) as process:
        assert process.stdout is not None
        for line in process.stdout:
            line = line.rstrip("\n")
            log.append(line)
            if line.startswith(PROGRESS):
                say(f"[{time.perf_counter() - start:4.0f} s] {line}")
    errors = [line for line in log if line.startswith("error:")]
    return Rebuild(paths=copy, seconds=time.perf_counter() - start, status=process.returncode,
                   error=errors[-1].removeprefix("error: ") if errors else "", log=log)
