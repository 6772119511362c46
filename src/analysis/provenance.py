"""Note which data files the library reads, so that a notebook run's record can list them.

Every data file the library reads goes through :func:`read_bytes` or
:func:`note_read`, which keep its resolved path and the sha256 of the bytes
read, in memory. A run's kernel reports them when it exits
(:mod:`analysis.runs.kernel_main`), and the runner records them as the run's
inputs. Nothing is written anywhere.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

_READS: dict[str, str] = {}


def note_read(path: str | os.PathLike[str], digest: str) -> None:
    """Note that ``path``, whose bytes have sha256 ``digest``, was read (the last read of a file wins)."""
    _READS[str(Path(path).resolve())] = digest


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """Return the bytes of ``path``, noting the read (path and sha256)."""
    data = Path(path).read_bytes()
    note_read(path, hashlib.sha256(data).hexdigest())
    return data


def reads() -> dict[str, str]:
    """``{absolute path: sha256}`` of every file noted so far in this process, sorted by path."""
    return dict(sorted(_READS.items()))
