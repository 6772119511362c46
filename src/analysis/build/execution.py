"""Where a step ran: the platform, the git commit of the code, and the command line.

Every step's record keeps these under ``execution`` (the executor adds them).
They say where and how a step was made, not what it depends on: they are not
among the record's ``inputs`` (so they never make a step stale), and they are
left out of every byte-identity check, of what the paper reads of its runs, and
of the committed reference (:func:`without_execution`), since they differ from
one machine or command to the next while the results do not.
"""

from __future__ import annotations

import os
import platform
import shlex
import subprocess
import sys
from pathlib import Path

from ..paths import ProjectPaths, checkout_root

#: The key of a run record that holds :func:`execution`.
FIELD = "execution"


def _git(args: list[str], cwd: Path) -> str | None:
    try:
        run = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return run.stdout.strip() if run.returncode == 0 else None


def git_state(root: Path, pathspecs: list[str] | None = None) -> tuple[str | None, bool]:
    """Return ``(commit, dirty)`` of the git checkout at ``root``, or ``(None, False)`` outside one.

    ``dirty`` is true when tracked files differ from the commit or untracked files
    that git does not ignore exist (among ``pathspecs`` only, if given): what ran
    is then in no commit. A folder inside another checkout (say a test's scratch
    copy) is not taken for that checkout.
    """
    top = _git(["rev-parse", "--show-toplevel"], root)
    if top is None or Path(top).resolve() != root.resolve():
        return None, False
    commit = _git(["rev-parse", "HEAD"], root)
    status = _git(["status", "--porcelain", *(["--", *pathspecs] if pathspecs else [])], root)
    return commit, bool(status)


def _cpu_model() -> str:
    """The processor's model name (``/proc/cpuinfo`` on Linux), else what ``platform`` says."""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def platform_facts() -> dict[str, object]:
    """The operating system, machine type, processor, number of CPUs and Python version."""
    return {"system": platform.system(), "release": platform.release(), "machine": platform.machine(),
            "processor": _cpu_model(), "cpu_count": os.cpu_count(), "python": platform.python_version()}


def command_line(argv: list[str] | None = None) -> str:
    """The command that is running, as a user would type it (``python -m analysis ...`` for the CLI)."""
    argv = list(sys.argv if argv is None else argv)
    if argv and Path(argv[0]).parts[-2:] == ("analysis", "__main__.py"):
        argv[0:1] = ["python", "-m", "analysis"]
    return shlex.join(argv)


def execution(paths: ProjectPaths) -> dict[str, object]:
    """Where the step under way runs: ``platform``, ``git`` (``commit`` and ``dirty``) and ``command``.

    The commit is that of the project at ``paths`` when it is a git checkout,
    else that of the checkout the ``analysis`` library was loaded from (a
    scratch copy of the project, as ``reproduce`` builds, runs the checkout's
    code); ``commit`` is null outside any checkout.
    """
    commit, dirty = git_state(paths.root)
    if commit is None:
        commit, dirty = git_state(checkout_root())
    return {"platform": platform_facts(), "git": {"commit": commit, "dirty": dirty},
            "command": command_line()}


def without_execution(record: dict) -> dict:
    """``record`` without :data:`FIELD`: what two runs of the same inputs must agree on byte for byte."""
    return {key: value for key, value in record.items() if key != FIELD}
