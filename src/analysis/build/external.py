"""Run an external tool (Quarto, say) with a timeout, and stop it and its children when asked.

The tool runs in a process group of its own, so that a timeout, a cancelled
build or Ctrl-C stops the whole group (Quarto starts deno, pandoc and typst),
and with ``PR_SET_PDEATHSIG`` on Linux, so that it dies with the build even
when the build is killed. Its output is captured: the build shows the last
lines only when the tool fails.
"""

from __future__ import annotations

import ctypes
import os
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import AnalysisError

#: Seconds a stopped tool is given to exit after SIGTERM before SIGKILL.
GRACE = 3.0
#: Characters of a failed tool's output shown in its error.
GIST = 240
_ERROR = re.compile(r"error|exception|no space left|resource exhausted|not found|cannot|failed", re.I)


class ToolTimeout(AnalysisError):
    """An external tool did not finish within its timeout (it has been stopped)."""


class Cancelled(AnalysisError):
    """The build was cancelled (Ctrl-C) while an external tool ran (it has been stopped)."""


@dataclass(frozen=True)
class ToolRun:
    """A finished run of an external tool: its exit status and its output (stdout and stderr, merged)."""

    returncode: int
    output: str

    def tail(self, width: int = GIST) -> str:
        """The line of the output that says what went wrong (at most ``width`` characters).

        The first line that names an error (``ERROR:``, ``error``, ``No space left``, ...), as
        tools print it before their backtrace; else the last line.
        """
        kept = [line.strip() for line in self.output.splitlines() if line.strip()]
        said = next((line for line in kept if _ERROR.search(line)), kept[-1] if kept else "")
        return said if len(said) <= width else said[:width - 3] + "..."


def _die_with_parent() -> None:  # pragma: no cover - runs in the child, between fork and exec
    os.setsid()
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass


def _stop(proc: subprocess.Popen) -> None:
    """Stop ``proc``'s whole process group: SIGTERM, then SIGKILL after :data:`GRACE` seconds."""
    for sig, wait in ((signal.SIGTERM, GRACE), (signal.SIGKILL, GRACE)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def run_tool(args: list[str], *, timeout: float, what: str, cwd: Path | None = None,
             env: dict[str, str] | None = None, cancel: threading.Event | None = None) -> ToolRun:
    """Run ``args`` to the end, within ``timeout`` seconds; return its exit status and output.

    ``what`` names the tool in messages (``"quarto render"``). On timeout the
    tool's process group is stopped and :class:`ToolTimeout` raised; when
    ``cancel`` is set (or Ctrl-C reaches this thread), it is stopped and
    :class:`Cancelled` (or KeyboardInterrupt) raised. A program that cannot be
    started raises :class:`AnalysisError`.
    """
    try:
        proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, preexec_fn=_die_with_parent)
    except OSError as exc:
        raise AnalysisError(f"{what}: cannot start {args[0]} ({exc.strerror})") from None
    chunks: list[bytes] = []
    reader = threading.Thread(target=lambda: chunks.extend(iter(lambda: proc.stdout.read(65536), b"")),
                              daemon=True)
    reader.start()
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                proc.wait(timeout=0.2)
                break
            except subprocess.TimeoutExpired:
                pass
            if cancel is not None and cancel.is_set():
                _stop(proc)
                raise Cancelled(f"{what} was stopped: the build was cancelled")
            if time.monotonic() > deadline:
                _stop(proc)
                raise ToolTimeout(f"{what} did not finish within {timeout:g} s and was stopped")
    except KeyboardInterrupt:
        _stop(proc)
        raise
    reader.join(timeout=5)
    return ToolRun(proc.returncode, b"".join(chunks).decode("utf-8", "replace"))
