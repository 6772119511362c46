"""One build at a time per checkout: an exclusive lock on ``results/.lock``.

A second build started while one runs waits for it, saying whose pid holds the
lock, and then finds the work done. The lock is re-entrant within a process, so
``all`` can call the steps that each take it. The operating system releases it
when the holder exits, even when it is killed.
"""

from __future__ import annotations

import fcntl
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..paths import ProjectPaths

_held: dict[Path, tuple[int, int]] = {}  # lock file -> (file descriptor, depth)


def _holder(path: Path) -> str:
    try:
        pid = path.read_text(encoding="utf-8").strip()
    except OSError:
        pid = ""
    return f"pid {pid}" if pid else "another process"


@contextmanager
def build_lock(paths: ProjectPaths) -> Iterator[None]:
    """Hold the checkout's build lock for the duration of the block (waiting if another build has it)."""
    path = paths.lock
    if path in _held:
        fd, depth = _held[path]
        _held[path] = (fd, depth + 1)
        try:
            yield
        finally:
            _held[path] = (fd, _held[path][1] - 1)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"waiting: another build ({_holder(path)}) holds {path.relative_to(paths.root)}",
                  file=sys.stderr, flush=True)
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        _held[path] = (fd, 1)
        try:
            yield
        finally:
            del _held[path]
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
