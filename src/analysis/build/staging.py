"""Staging folders and publishing: a step's outputs appear whole, or not at all.

A step writes into its own staging folder, ``results/.staging/<step>/``. When
the staged outputs are complete and checked, :func:`publish` moves each staged
target onto its published path: the old one is moved aside into the staging
folder first, the new one moved in, and only then is the old one deleted. A
journal, written before the first move, lists the moves; a build killed in the
middle of them leaves the journal, and :func:`recover` rolls every target back
to what it was before. Ctrl-C is held back while the moves run (a fraction of
a second), so it can only come before or after them.

Every path is under the project root, on one file system, so each move is an
atomic rename.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

#: The journal of a publish under way, inside the staging folder.
JOURNAL = ".publish.json"
#: Where published paths are moved aside while a publish is under way, inside the staging folder.
ASIDE = ".old"


def remove(path: Path) -> None:
    """Delete the file or folder at ``path``, if there is one."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


@contextmanager
def interrupts_held() -> Iterator[None]:
    """Hold Ctrl-C (SIGINT) back until the block ends, then raise KeyboardInterrupt if it came."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: received.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if received:
        raise KeyboardInterrupt


def fresh(staging: Path) -> Path:
    """Make ``staging`` an empty folder (what a killed build left in it is rolled back first)."""
    recover(staging)
    remove(staging)
    staging.mkdir(parents=True)
    return staging


def publish(staging: Path, targets: dict[str, Path], *, pause: float = 0.0) -> None:
    """Move each staged ``targets`` entry (staged name -> published path) onto its published path.

    The staged names are relative to ``staging``; each must exist. What is at a
    published path is replaced whole (a file or a folder). ``pause`` (seconds,
    for the tests only) waits between the moves, so that a test can kill the
    build in the middle of them. The staging folder is deleted at the end.
    """
    moves = []
    for name, target in targets.items():
        if not (staging / name).exists():
            raise FileNotFoundError(f"staged output {name!r} is missing from {staging}")
        had_old = target.exists() or target.is_symlink()
        moves.append({"staged": name, "target": str(target), "had_old": had_old})
    journal = staging / JOURNAL
    journal.write_text(json.dumps(moves, indent=1), encoding="utf-8")
    aside = staging / ASIDE
    aside.mkdir(exist_ok=True)
    with interrupts_held():
        for i, move in enumerate(moves):
            target = Path(move["target"])
            target.parent.mkdir(parents=True, exist_ok=True)
            if move["had_old"]:
                os.replace(target, aside / str(i))
            if pause:
                import time
                time.sleep(pause)
            os.replace(staging / move["staged"], target)
        journal.unlink()
    remove(staging)


def recover(staging: Path) -> bool:
    """Roll back a publish that a kill interrupted in ``staging``; return True if there was one.

    Each published path is put back as it was before the publish began: a new
    output already moved in is deleted, an old one moved aside is moved back.
    """
    journal = staging / JOURNAL
    if not journal.is_file():
        return False
    try:
        moves = json.loads(journal.read_text(encoding="utf-8"))
    except ValueError:  # killed while the journal itself was written: nothing was moved yet
        moves = []
    aside = staging / ASIDE
    for i, move in reversed(list(enumerate(moves))):
        target, old = Path(move["target"]), aside / str(i)
        moved_in = not (staging / move["staged"]).exists()
        if moved_in:
            remove(target)
        if old.exists() or old.is_symlink():
            remove(target)
            os.replace(old, target)
    journal.unlink()
    remove(staging)
    return True


def recover_all(folder: Path) -> list[Path]:
    """Roll back interrupted publishes and delete every staging folder under ``folder``; return them."""
    if not folder.is_dir():
        return []
    found = sorted(p for p in folder.iterdir() if p.is_dir())
    for staging in found:
        recover(staging)
        remove(staging)
    return found
