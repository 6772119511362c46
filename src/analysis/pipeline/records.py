"""The record of a notebook run: its full inputs and every file it wrote, with sha256.

``results/runs/<notebook>/<run id>/record.json`` holds

* ``notebook``, ``notebook_file``, ``run_id`` and ``parameters`` (canonical);
* ``inputs``: the notebook file, the parameters, the data files the run read
  (each with the sha256 of the bytes read), the library's code and the
  environment (Python version and every installed distribution's version);
* ``inputs_sha256``: the fingerprint of ``inputs``;
* ``outputs``: every file of the run folder but the record, with its sha256;
* ``execution``: where the run ran (platform, git commit with a dirty flag,
  command line; :mod:`analysis.pipeline.execution`), which is not an input and
  is left out of byte-identity checks and of the reference.

A run is up to date only when today's inputs have the recorded fingerprint and
every recorded output is present with its recorded sha256.
"""

from __future__ import annotations

from pathlib import Path

from ..paths import ProjectPaths
from .fingerprints import environment, files_digest, library_digest
from .registry import NOTEBOOKS, run_id
from .stamps import is_current, read_stamp

RECORD = "record.json"


def run_folder(notebook: str, parameters: dict, paths: ProjectPaths) -> Path:
    """The folder of the run of ``notebook`` with canonical ``parameters``."""
    return paths.runs / notebook / run_id(notebook, parameters)


def run_inputs(notebook: str, parameters: dict, data: dict[str, str], paths: ProjectPaths) -> dict:
    """The inputs of a run: notebook file, parameters, ``data`` (``{path: sha256}``), library, environment."""
    return {"notebook": files_digest([paths.notebooks / NOTEBOOKS[notebook].file], paths),
            "parameters": parameters, "data": dict(sorted(data.items())),
            "library": library_digest(paths), "environment": environment()}


def read_record(folder: Path) -> dict | None:
    """The record of the run in ``folder``, or ``None``."""
    return read_stamp(folder / RECORD)


def is_up_to_date(notebook: str, parameters: dict, paths: ProjectPaths) -> bool:
    """True when the run's record matches today's inputs and its outputs are intact.

    The data files compared are those the run read last time, hashed again now.
    """
    folder = run_folder(notebook, parameters, paths)
    record = read_record(folder)
    if record is None or record.get("parameters") != parameters:
        return False
    read = record.get("inputs", {}).get("data", {})
    now = files_digest([paths.root / name for name in read], paths)
    if set(now) != set(read):  # a file it read has gone
        return False
    return is_current(record, run_inputs(notebook, parameters, now, paths), folder)
