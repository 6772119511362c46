"""The raw-data manifest: citation, checksum and column schema of every raw file.

``data/raw/MANIFEST.yaml`` is the one place that says where each raw CSV came
from (publisher, title, edition, download address, licence) and what it must
contain. Every load checks the file's sha256 against it first.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import RawDataError
from ..paths import ProjectPaths, project_paths

#: Keys every file entry of the manifest must carry.
CITATION_KEYS = ("publisher", "title", "edition", "url", "date_published", "licence")
#: Column types the manifest may declare.
COLUMN_TYPES = ("string", "integer", "number")


@dataclass(frozen=True)
class ColumnSpec:
    """One column of a raw file: its name, type, unit and allowed values."""

    name: str
    type: str
    description: str
    unit: str | None = None
    published_header: str | None = None
    nullable: bool = False
    unique: bool = False
    minimum: float | None = None
    maximum: float | None = None
    allowed: tuple[str, ...] | None = None


@dataclass(frozen=True)
class RawFileEntry:
    """The manifest entry of one raw file."""

    name: str
    sha256: str
    citation: dict[str, str]
    columns: tuple[ColumnSpec, ...]
    rows: int | None = None
    notes: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def column(self, name: str) -> ColumnSpec:
        """Return the spec of column ``name``."""
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"{self.name} has no column {name!r} in the manifest")


def sha256_of(path: str | Path) -> str:
    """Return the hexadecimal sha256 of the bytes of ``path``."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _parse_column(file: str, raw: dict[str, Any]) -> ColumnSpec:
    try:
        spec = ColumnSpec(
            name=raw["name"], type=raw["type"], description=raw["description"],
            unit=raw.get("unit"), published_header=raw.get("published_header"),
            nullable=bool(raw.get("nullable", False)), unique=bool(raw.get("unique", False)),
            minimum=raw.get("minimum"), maximum=raw.get("maximum"),
            allowed=tuple(raw["allowed"]) if raw.get("allowed") is not None else None,
        )
    except KeyError as exc:
        raise RawDataError("MANIFEST.yaml", f"entry for {file} has a column without {exc}") from exc
    if spec.type not in COLUMN_TYPES:
        raise RawDataError("MANIFEST.yaml", f"entry for {file}, column {spec.name!r}: "
                           f"type {spec.type!r} is not one of {COLUMN_TYPES}")
    return spec


def column_entry(spec: ColumnSpec) -> dict[str, Any]:
    """The manifest entry of a column: the inverse of reading one (optional keys only when set)."""
    out: dict[str, Any] = {"name": spec.name, "type": spec.type, "unit": spec.unit,
                           "description": spec.description, "published_header": spec.published_header,
                           "nullable": spec.nullable}
    if spec.unique:
        out["unique"] = True
    for key in ("minimum", "maximum"):  # a bound of 0 is a bound: test for None, not falsiness
        if getattr(spec, key) is not None:
            out[key] = getattr(spec, key)
    if spec.allowed is not None:
        out["allowed"] = list(spec.allowed)
    return out


def load_manifest(paths: ProjectPaths | None = None) -> dict[str, RawFileEntry]:
    """Read the manifest and return its entries by file name."""
    paths = paths or project_paths()
    if not paths.manifest.exists():
        raise RawDataError(paths.manifest, "the raw-data manifest is missing")
    doc = yaml.safe_load(paths.manifest.read_text(encoding="utf-8"))
    entries: dict[str, RawFileEntry] = {}
    for name, raw in (doc or {}).get("files", {}).items():
        missing = [k for k in (*CITATION_KEYS, "sha256", "columns") if k not in raw]
        if missing:
            raise RawDataError("MANIFEST.yaml", f"entry for {name} lacks {', '.join(missing)}")
        entries[name] = RawFileEntry(
            name=name, sha256=raw["sha256"],
            citation={k: str(raw[k]) for k in CITATION_KEYS},
            columns=tuple(_parse_column(name, c) for c in raw["columns"]),
            rows=raw.get("rows"), notes=raw.get("notes", ""),
            extra={k: v for k, v in raw.items()
                   if k not in (*CITATION_KEYS, "sha256", "columns", "rows", "notes")},
        )
    return entries


def verify_checksum(entry: RawFileEntry, paths: ProjectPaths | None = None) -> Path:
    """Check that the raw file of ``entry`` exists and has the sha256 the manifest records.

    Returns the file's path; raises :class:`RawDataError` naming the file otherwise.
    """
    paths = paths or project_paths()
    path = paths.raw / entry.name
    if not path.exists():
        raise RawDataError(path, "file listed in MANIFEST.yaml does not exist")
    actual = sha256_of(path)
    if actual != entry.sha256:
        raise RawDataError(
            path,
            f"sha256 is {actual} but MANIFEST.yaml records {entry.sha256}: the file was "
            "changed or corrupted. Restore it (git checkout data/raw) or, if the change "
            "is deliberate, regenerate it with scripts/extract_raw.py, which updates the manifest.",
        )
    return path


def verify_all(paths: ProjectPaths | None = None) -> dict[str, str]:
    """Verify every raw file listed in the manifest; return ``{file: sha256}``.

    Also refuses CSV files in ``data/raw`` that the manifest does not list, so no
    uncited file can slip into the analysis.
    """
    paths = paths or project_paths()
    entries = load_manifest(paths)
    listed = set(entries)
    for csv in sorted(paths.raw.glob("*.csv")):
        if csv.name not in listed:
            raise RawDataError(csv, "file is in data/raw but not in MANIFEST.yaml")
    return {name: (verify_checksum(e, paths), e.sha256)[1] for name, e in sorted(entries.items())}
