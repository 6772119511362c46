"""Note which data files a notebook run reads, so that its record lists them.

The runner sets ``ANALYSIS_RUN_DIR`` for the kernel it starts. While it is set,
every data file the library reads is appended, with the sha256 of the bytes
read, to ``$ANALYSIS_RUN_DIR/.reads.tsv``; the runner turns that list into the
run record's ``inputs.data``. Outside a run nothing is written.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

#: Environment variable holding the folder the notebook run under way writes to (its staging folder).
RUN_DIR_ENV_VAR = "ANALYSIS_RUN_DIR"
#: Environment variable holding where that run's folder will be, relative to the project root.
RUN_NAME_ENV_VAR = "ANALYSIS_RUN_NAME"
#: File, inside the run folder, that collects the reads.
READS_FILE = ".reads.tsv"


def note_read(path: str | os.PathLike[str], digest: str) -> None:
    """Note that ``path``, whose bytes have sha256 ``digest``, was read, when a run is under way."""
    run_dir = os.environ.get(RUN_DIR_ENV_VAR)
    if run_dir:
        with open(Path(run_dir) / READS_FILE, "a", encoding="utf-8") as log:
            log.write(f"{Path(path).resolve()}\t{digest}\n")


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """Return the bytes of ``path``, noting the read (path and sha256) when a run is under way."""
    data = Path(path).read_bytes()
    note_read(path, hashlib.sha256(data).hexdigest())
    return data


def reads_of(run_dir: Path) -> dict[str, str]:
    """``{absolute path: sha256}`` of every file noted in ``run_dir`` (the last read of each wins)."""
    log = run_dir / READS_FILE
    if not log.exists():
        return {}
    reads: dict[str, str] = {}
    for line in log.read_text(encoding="utf-8").splitlines():
        path, _, digest = line.partition("\t")
        reads[path] = digest
    return reads
