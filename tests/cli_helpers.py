"""Run the command line in-process against a scratch copy, and check what the user sees."""

from __future__ import annotations

import re
import signal
from dataclasses import dataclass
from pathlib import Path

from analysis.cli import main
from analysis.paths import ProjectPaths

from conftest import snapshot


@dataclass
class Run:
    """Exit status and output of one command."""

    status: int
    out: str
    err: str


def run_cli(args: list[str], root: ProjectPaths, monkeypatch, capsys) -> Run:
    """Run ``python -m analysis ARGS`` in this process with ``ANALYSIS_ROOT`` set to ``root``."""
    monkeypatch.setenv("ANALYSIS_ROOT", str(root.root))
    capsys.readouterr()
    status = main(args)
    captured = capsys.readouterr()
    return Run(status, captured.out, captured.err)


def refused_build(scratch: ProjectPaths, monkeypatch, capsys, *patterns: str) -> str:
    """Run ``python -m analysis data``; assert one ``error:`` line, exit 2, data/processed unchanged.

    Each of ``patterns`` must match the error line; it is returned.
    """
    before = snapshot(scratch.processed)
    run = run_cli(["data"], scratch, monkeypatch, capsys)
    assert run.status == 2, run
    assert_one_error_line(run.err)
    assert snapshot(scratch.processed) == before, "data/processed was changed"
    assert not [p for p in scratch.processed.iterdir() if p.name.startswith(".")], "temporary file left"
    for pattern in patterns:
        assert re.search(pattern, run.err), f"{pattern!r} not in {run.err!r}"
    return run.err.strip()


def assert_one_error_line(err: str) -> None:
    """Standard error is exactly one line, starting with ``error:`` (no traceback)."""
    lines = err.strip("\n").splitlines()
    assert len(lines) == 1, f"expected one line, got:\n{err}"
    assert lines[0].startswith("error: "), lines[0]
    assert "Traceback" not in err


def started_as_from_a_terminal() -> None:
    """``preexec_fn`` of a process a test sends Ctrl-C (SIGINT) to: it starts with SIGINT at its
    default, as from a terminal, even when the tests run as a background job, which ignores it (and a
    process started with SIGINT ignored rightly keeps ignoring it)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def is_running(pid: int) -> bool:
    """Whether process ``pid`` is alive; a zombie (dead, not yet reaped by its parent) is not."""
    status = Path(f"/proc/{pid}/status")
    try:
        return "State:\tZ" not in status.read_text()
    except FileNotFoundError:
        return False
