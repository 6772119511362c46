"""One build at a time per checkout: the build lock, ``results/.lock`` (with :mod:`filelock`).

A second build started while one runs waits for it, naming the pid that holds
the lock (from ``results/.lock.pid``), and then finds the work done. The lock
is re-entrant within a process. The operating system releases it when the
holder exits, even when it is killed.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from ..paths import ProjectPaths

_locks: dict[Path, FileLock] = {}


def _holder(pid_file: Path) -> str:
    try:
        pid = pid_file.read_text(encoding="utf-8").strip()
    except OSError:
        pid = ""
    return f"pid {pid}" if pid else "another process"


@contextmanager
def build_lock(paths: ProjectPaths) -> Iterator[None]:
    """Hold the checkout's build lock for the block, waiting (and saying so) if another build has it."""
    path = paths.lock
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = _locks.setdefault(path, FileLock(path, thread_local=False))
    pid_file = path.with_name(path.name + ".pid")
    outermost = not lock.is_locked
    if outermost:
        try:
            lock.acquire(timeout=0)
        except Timeout:
            print(f"waiting: another build ({_holder(pid_file)}) holds {path.relative_to(paths.root)}",
                  file=sys.stderr, flush=True)
            lock.acquire()
        pid_file.write_text(f"{os.getpid()}\n", encoding="utf-8")
    else:
        lock.acquire()
    try:
        yield
    finally:
        if outermost:
            pid_file.unlink(missing_ok=True)
        lock.release()
