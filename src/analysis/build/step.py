"""A step of the build: what it reads, what it publishes, and how it writes its outputs.

A step's *record* is a JSON file published with its outputs. It holds the
step's inputs (files with sha256, parameters, code, environment, interpreter),
their fingerprint ``inputs_sha256``, and ``outputs``: the sha256 of every file
it published. A step is up to date only when today's inputs have the recorded
fingerprint and every recorded output is there with its recorded sha256.

Inputs a step discovers while it runs (the data files a notebook's kernel
read, the library modules it imported) are returned by its ``write`` function
and recorded under ``inputs["read"]``; to decide whether the step is up to
date, those same files are hashed again.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..atomic import write_text
from ..paths import ProjectPaths
from .fingerprints import digest_of, files_digest, relative, sha256_of

#: Version of the record's layout: every step's inputs name it, so a new layout rebuilds everything.
RECORD_FORMAT = 2


@dataclass
class Context:
    """What a step's ``write`` may use: the project, the cancel signal, the timeouts, the worker pool."""

    paths: ProjectPaths
    cancel: threading.Event
    #: Seconds an external renderer may take (``--render-timeout``).
    render_timeout: float
    #: Runs a function in a worker process: ``submit(initializer, initargs, function, *args)`` -> result.
    submit: Callable[..., object]
    #: Prints a line of progress (above the progress bar, if one is drawn).
    say: Callable[[str], None] = print
    #: True when progress bars are drawn (a terminal): a step may draw its own, below the build's.
    progress: bool = False
    #: Functions to call if the build is cancelled while this step runs (e.g. to stop a kernel).
    on_cancel: list[Callable[[], None]] = field(default_factory=list)


@dataclass
class Written:
    """What a step's ``write`` reports: the files it read (``{path: sha256}``) and record fields."""

    read: dict[str, str] = field(default_factory=dict)
    fields: dict[str, object] = field(default_factory=dict)


@dataclass
class Step:
    """One node of the build graph.

    ``targets`` maps each staged name (relative to the step's staging folder)
    to the path it is published at; ``record`` is the staged name of the
    record, a target itself or a file inside a folder target; ``base`` is the
    folder the record's outputs are named relative to. ``inputs`` returns the
    declared inputs once the steps of ``needs`` are done. ``write`` writes every
    target into the staging folder; ``check`` (optional) raises
    :class:`~analysis.errors.AnalysisError` if the staged outputs are not sound.
    """

    key: str
    kind: str
    title: str
    targets: dict[str, Path]
    record: str
    base: Path
    inputs: Callable[[], dict]
    write: Callable[[Path, Context], Written | None]
    check: Callable[[Path], None] | None = None
    needs: tuple[str, ...] = ()
    #: Run even when some of ``needs`` failed (the atlas index lists the countries that were built).
    after_failures: bool = False
    #: Record fields known before the step runs (notebook, parameters, ...).
    fields: dict[str, object] = field(default_factory=dict)

    def published(self, staged: str) -> Path:
        """The published path of the staged file or folder ``staged``."""
        for name, target in self.targets.items():
            if staged == name:
                return target
            if staged.startswith(name.rstrip("/") + "/"):
                return target / staged[len(name.rstrip("/")) + 1:]
        raise KeyError(f"{staged!r} is under no target of step {self.key}")

    @property
    def record_path(self) -> Path:
        """Where the step's record is published."""
        return self.published(self.record)

    def shown_targets(self, paths: ProjectPaths) -> list[str]:
        """The published paths a user knows that exist, relative to the root (the record left out)."""
        return [relative(t, paths) for n, t in self.targets.items() if n != self.record and t.exists()]


def read_record(path: Path) -> dict | None:
    """The record at ``path``, or None if there is none or it cannot be read."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def write_record(path: Path, record: dict) -> None:
    """Write ``record`` to ``path`` as indented JSON with sorted keys, atomically."""
    write_text(path, json.dumps(record, indent=2, sort_keys=True) + "\n")


def current_inputs(step: Step, record: dict | None, paths: ProjectPaths) -> dict:
    """Today's inputs of ``step``: its declared inputs, and the files its last run read, hashed again."""
    inputs = step.inputs()
    read = (record or {}).get("inputs", {}).get("read")
    if isinstance(read, dict):
        inputs["read"] = files_digest([paths.root / name for name in read], paths)
    return inputs


def outputs_intact(record: dict, base: Path) -> bool:
    """True when every output the record lists is under ``base`` with its recorded sha256."""
    outputs = record.get("outputs")
    if not isinstance(outputs, dict) or not outputs:
        return False
    for name, digest in outputs.items():
        path = base / name
        if not path.is_file() or sha256_of(path) != digest:
            return False
    return True


def why_stale(step: Step, paths: ProjectPaths, force: bool = False) -> str | None:
    """None when ``step`` is up to date; else the reason it must run, in a few words."""
    if force:
        return "forced"
    record = read_record(step.record_path)
    if record is None:
        return "not built yet"
    inputs = current_inputs(step, record, paths)
    if record.get("inputs_sha256") != digest_of(inputs):
        return changed_inputs(record.get("inputs", {}), inputs)
    if not outputs_intact(record, step.base):
        return "an output was changed or removed"
    return None


def _is_digest(value: object) -> bool:
    return isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)


def changed_inputs(old: dict, new: dict, limit: int = 3) -> str:
    """What differs between two sets of inputs, in words: the files, parameters or packages."""
    changes: list[str] = []

    def walk(a: object, b: object, where: str) -> None:
        if a == b:
            return
        if isinstance(a, dict) and isinstance(b, dict):
            for key in sorted(set(a) | set(b)):
                if "/" in key or _is_digest(a.get(key)) or _is_digest(b.get(key)):  # a file, by its path
                    name = key
                elif where.endswith("distributions"):
                    name = f"package {key}"
                else:
                    name = f"{where}.{key}" if where else key
                walk(a.get(key), b.get(key), name)
            return
        changes.append(f"{where} " + ("added" if a is None else "removed" if b is None else "changed"))
    walk(old, new, "")
    shown = "; ".join(changes[:limit])
    return shown + (f"; and {len(changes) - limit} more" if len(changes) > limit else "")


def make_record(step: Step, inputs: dict, outputs: dict[str, str], fields: dict, paths: ProjectPaths) -> dict:
    """The record of a run of ``step``: its fields, inputs and their fingerprint, outputs, and where it
    ran (``execution``: not an input, see :mod:`analysis.build.execution`)."""
    from .execution import FIELD, execution
    return {**step.fields, **fields, "step": step.key, "inputs": inputs, "inputs_sha256": digest_of(inputs),
            "outputs": dict(sorted(outputs.items())), FIELD: execution(paths)}


def staged_outputs(step: Step, staging: Path) -> dict[str, str]:
    """``{output name relative to base: sha256}`` of every staged file but the record."""
    out = {}
    for name in step.targets:
        root = staging / name
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            staged = path.relative_to(staging).as_posix()
            if staged == step.record:
                continue
            out[step.published(staged).relative_to(step.base).as_posix()] = sha256_of(path)
    return out
