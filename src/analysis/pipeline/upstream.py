"""Bring ``data/processed/`` up to date before anything reads it.

The data step's stamp (``results/.state/processed.json``) records the raw files,
the notebooks (whose default countries the data checks need), the library's
code and the environment, and the sha256 of every processed file. Any change
rebuilds ``data/processed/``; nothing changed costs a few milliseconds.
"""

from __future__ import annotations

from ..paths import ProjectPaths
from .fingerprints import environment, files_digest, library_digest
from .stamps import is_current, make_stamp, outputs_of, read_stamp, write_stamp

STAMP = "processed.json"


def processed_inputs(paths: ProjectPaths) -> dict:
    """What ``data/processed/`` is built from: raw files, notebooks, library code and environment."""
    if not paths.raw.is_dir():
        from ..data.manifest import load_manifest
        load_manifest(paths)  # says what to do: run from a checkout, or set ANALYSIS_ROOT
    return {"raw": files_digest(sorted(paths.raw.iterdir()), paths),
            "notebooks": files_digest(sorted(paths.notebooks.glob("*.ipynb")), paths),
            "library": library_digest(paths), "environment": environment()}


def rebuild_processed(paths: ProjectPaths) -> list:
    """Rebuild ``data/processed/`` from ``data/raw/`` and stamp it; return the files written."""
    from ..data.processed import write_processed
    inputs = processed_inputs(paths)
    files = write_processed(paths)
    write_stamp(paths.state / STAMP, make_stamp(inputs, outputs_of(files, paths.root), step="data"))
    return files


def ensure_processed(paths: ProjectPaths) -> bool:
    """Rebuild ``data/processed/`` if its inputs changed since it was stamped; return True if rebuilt."""
    if is_current(read_stamp(paths.state / STAMP), processed_inputs(paths), paths.root):
        return False
    print("data: data/raw, the notebooks, the library or the environment changed; "
          "rebuilding data/processed")
    rebuild_processed(paths)
    return True
