"""Write files so that a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported by the caller; a build with nothing to do never needs it
    import pandas as pd


@contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; move it onto ``target`` only on success."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=f".tmp{target.suffix}",
                               dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp_path, 0o666 & ~umask)  # mkstemp makes 0600; give the usual file mode
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    except OSError as exc:
        if exc.filename is None:  # a failed write() (e.g. a full disk) names no file: name the target
            raise OSError(exc.errno, exc.strerror, str(target)) from exc
        raise
    finally:
        tmp_path.unlink(missing_ok=True)


def write_bytes(target: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``target`` atomically."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


def write_text(target: str | os.PathLike[str], text: str) -> None:
    """Write UTF-8 ``text`` with ``\\n`` line endings to ``target`` atomically."""
    write_bytes(target, text.encode("utf-8"))


def frame_to_csv_text(frame: "pd.DataFrame") -> str:
    """Render a table as deterministic CSV text: no index, ``\\n`` endings, full float precision.

    Floats are written with Python's shortest round-trip representation, so
    reading the file back gives exactly the same numbers.
    """
    return frame.to_csv(index=False, lineterminator="\n", float_format=None)


def write_csv(target: str | os.PathLike[str], frame: "pd.DataFrame") -> None:
    """Write a table to ``target`` atomically (see :func:`frame_to_csv_text`)."""
    write_text(target, frame_to_csv_text(frame))
