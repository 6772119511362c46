"""Exceptions that name the file, row and column at fault."""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path


class AnalysisError(Exception):
    """Base class of every error the compendium raises on purpose."""


class RawDataError(AnalysisError):
    """A raw file is missing, corrupted, or does not match its manifest entry.

    ``line`` is the 1-based line of the CSV file (the header is line 1), so a
    user can open the file and go straight to it.
    """

    def __init__(self, file: str | Path, message: str, *, line: int | None = None,
                 column: str | None = None) -> None:
        self.file = Path(file).name
        self.line = line
        self.column = column
        where = [f"file {self.file}"]
        if line is not None:
            where.append(f"line {line}")
        if column is not None:
            where.append(f"column '{column}'")
        super().__init__(f"{', '.join(where)}: {message}")


class ParameterError(AnalysisError, ValueError):
    """A notebook or function parameter is unknown, of the wrong type, or out of range."""


class CheckoutError(AnalysisError):
    """No compendium where the library looks: not run from a checkout, and ANALYSIS_ROOT not set."""


# atomic.atomic_path writes '.<name>.<random>.tmp<suffix>' beside its target.
_TEMPORARY = re.compile(r"^\.(?P<name>.+)\.[^.]+\.tmp(?P<suffix>\.[^.]*)?$")

_HINTS = {
    errno.ENOSPC: "free some disk space and run the step again",
    errno.EDQUOT: "free some disk space and run the step again",
    errno.EACCES: "make the folder writable (or run from a copy you may write to)",
    errno.EPERM: "make the folder writable (or run from a copy you may write to)",
    errno.EROFS: "the file system is read-only: run from a copy on a writable disk",
    errno.EEXIST: "a file stands where a folder is needed: move it away",
    errno.ENOTDIR: "a file stands where a folder is needed: move it away",
}


def shown_path(filename: str | os.PathLike | None, root: Path) -> str:
    """A path for a message: relative to ``root``, and the target of a temporary or staged file.

    A file under ``results/.staging/<step>/`` is shown as ``results/.staging/<step>/...``
    only when it has no better name; the temporary name of an atomic write is shown
    as the file it was to replace.
    """
    if not filename:
        return ""
    path = Path(os.fsdecode(filename))
    match = _TEMPORARY.match(path.name)
    if match:
        path = path.with_name(match["name"])
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def describe_os_error(exc: OSError, root: Path) -> str:
    """One line for a file that could not be read or written, naming it, with what to do about it."""
    where = shown_path(exc.filename, root)
    what = exc.strerror or str(exc)
    hint = _HINTS.get(exc.errno, "check that the path exists and can be read and written")
    return f"{what}: {where}; {hint}" if where else f"{what}; {hint}"
