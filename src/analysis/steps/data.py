"""The data step: ``data/processed/`` from ``data/raw/``.

It reads the raw files and the data layer's code (``analysis/data/``) in this
environment, and publishes ``data/processed/`` whole, with its record in
``results/.state/data.json`` (``data/processed/`` is committed; the record,
which names the environment, is not).
"""

from __future__ import annotations

from pathlib import Path

from ..atomic import write_text
from ..build.fingerprints import code_digest, environment, files_digest
from ..build.step import RECORD_FORMAT, Context, Step
from ..paths import ProjectPaths

KEY = "data"
#: The library's code the data step runs.
CODE = ("data/", "steps/data.py")


def data_inputs(paths: ProjectPaths) -> dict:
    """What ``data/processed/`` is built from: the raw files, the data layer's code, the environment."""
    if not paths.manifest.is_file():
        from ..data.manifest import load_manifest
        load_manifest(paths)  # says what to do: run from a checkout, or set ANALYSIS_ROOT
    return {"raw": files_digest(sorted(paths.raw.iterdir()), paths), "code": code_digest(paths, CODE),
            "environment": environment(), "format": RECORD_FORMAT}


def data_step(paths: ProjectPaths) -> Step:
    """The step that builds ``data/processed/`` (see the module's description)."""
    def write(staging: Path, context: Context) -> None:
        from ..data.processed import processed_files

        for name, text in processed_files(paths).items():
            write_text(staging / "processed" / name, text)

    return Step(KEY, "data", "data/processed",
                targets={"processed": paths.processed, "data.json": paths.state / "data.json"},
                record="data.json", base=paths.root, inputs=lambda: data_inputs(paths), write=write)
