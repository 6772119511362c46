"""Folders replaced whole (:func:`staged`, :func:`publish`), and what killed builds left behind.

A run or an atlas country is written into a staging folder beside its final
one and moved into place only once complete. :func:`clean_litter` is called
at the start of every build step, while the build lock is held, so no
other build can be writing them. A run interrupted between moving the old run
folder aside and moving the new one in is rolled back to the old one.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..paths import ProjectPaths

#: Prefixes of the folders the runner stages into and moves old runs to.
STAGING, OLD = ".staging-", ".old-"


def _temporary_files(folder: Path) -> list[Path]:
    """Temporary files of atomic writes (``.<name>.<random>.tmp<suffix>``) under ``folder``."""
    if not folder.is_dir():
        return []
    return [p for p in folder.rglob(".*.tmp*") if p.is_file()]


@contextmanager
def staged(folder: Path) -> Iterator[Path]:
    """Yield an empty staging folder beside ``folder``; publish it as ``folder`` if the block ends well.

    If the block raises (Ctrl-C included), the staging folder is deleted and
    ``folder`` stays as it was: a run or a country is replaced whole or not at all.
    """
    staging = folder.with_name(STAGING + folder.name)
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    publish(staging, folder)


def publish(staging: Path, folder: Path) -> None:
    """Move the finished ``staging`` folder to ``folder``, replacing what was there.

    The old folder is first moved aside to ``.old-<name>``; a build killed
    between the two moves is rolled back by :func:`clean_staging`.
    """
    old = folder.with_name(OLD + folder.name)
    shutil.rmtree(old, ignore_errors=True)
    if folder.exists():
        os.replace(folder, old)
    os.replace(staging, folder)
    shutil.rmtree(old, ignore_errors=True)


def clean_staging(folder: Path) -> list[Path]:
    """In ``folder``, delete staging folders and restore interrupted swaps; return what was removed."""
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    for child in sorted(folder.iterdir()):
        if child.name.startswith(STAGING):
            shutil.rmtree(child, ignore_errors=True)
            removed.append(child)
        elif child.name.startswith(OLD):
            final = child.with_name(child.name[len(OLD):])
            if final.exists():
                shutil.rmtree(child, ignore_errors=True)
                removed.append(child)
            else:
                os.replace(child, final)
    return removed


def clean_litter(paths: ProjectPaths) -> list[Path]:
    """Delete staging folders and temporary files, restore interrupted swaps; return what was removed."""
    removed: list[Path] = []
    if paths.runs.is_dir():
        for notebook in sorted(paths.runs.iterdir()):
            removed += clean_staging(notebook)
    for folder in (paths.results, paths.processed, paths.paper_generated, paths.paper_output):
        for tmp in _temporary_files(folder):
            tmp.unlink(missing_ok=True)
            removed.append(tmp)
    return removed
