"""Stamps: what a build step read (its inputs) and wrote (its outputs, with sha256).

A step is up to date only when the fingerprint of today's inputs equals the one
stamped and every stamped output is still there with its stamped sha256. The
run record of a notebook run is a stamp with more fields (see
:mod:`analysis.pipeline.records`).
"""

from __future__ import annotations

import json
from pathlib import Path

from ..atomic import write_text
from ..data.manifest import sha256_of
from .fingerprints import digest_of


def read_stamp(path: Path) -> dict | None:
    """The stamp at ``path``, or ``None`` if there is none or it cannot be read."""
    try:
        stamp = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return stamp if isinstance(stamp, dict) else None


def outputs_intact(stamp: dict, base: Path) -> bool:
    """True when every output listed in ``stamp`` exists under ``base`` with its sha256."""
    outputs = stamp.get("outputs")
    if not isinstance(outputs, dict) or not outputs:
        return False
    for name, digest in outputs.items():
        path = base / name
        if not path.is_file() or sha256_of(path) != digest:
            return False
    return True


def is_current(stamp: dict | None, inputs: dict, base: Path) -> bool:
    """True when ``stamp`` records exactly ``inputs`` and its outputs under ``base`` are intact."""
    return (stamp is not None and stamp.get("inputs_sha256") == digest_of(inputs)
            and outputs_intact(stamp, base))


def outputs_of(files: list[Path], base: Path) -> dict[str, str]:
    """``{path relative to base: sha256}`` of ``files``, sorted."""
    return dict(sorted((p.relative_to(base).as_posix(), sha256_of(p)) for p in files))


def make_stamp(inputs: dict, outputs: dict[str, str], **fields: object) -> dict:
    """A stamp: ``fields`` first, then the inputs, their fingerprint and the outputs."""
    return {**fields, "inputs": inputs, "inputs_sha256": digest_of(inputs), "outputs": outputs}


def write_stamp(path: Path, stamp: dict) -> None:
    """Write ``stamp`` to ``path`` as indented JSON with sorted keys, atomically."""
    write_text(path, json.dumps(stamp, indent=2, sort_keys=True) + "\n")
