"""The raw-data manifest: citation, checksum and column schema of every raw file.

``data/raw/MANIFEST.yaml`` is the one place that says where each raw CSV came
from (publisher, title, edition, download address, licence) and what it must
contain. Every load checks the file's sha256 against it first.

Each entry keeps two checksums: ``sha256``, that of the file as it is now, and
``extracted_sha256``, that of the file as ``scripts/extract_raw.py`` wrote it
from the cited source. ``python -m analysis rehash`` changes only the first, so
:func:`rehashed_files` can name every file edited since extraction.
"""

from __future__ import annotations

import csv
import functools
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .. import provenance
from ..errors import CheckoutError, RawDataError
from ..hashing import sha256_of
from ..paths import ROOT_ENV_VAR, ProjectPaths, project_paths

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
    #: Regular expression that every non-blank value must match in full.
    pattern: str | None = None
    #: The value the publisher writes for 'not given' (e.g. a population of 0): read as blank.
    not_given: str | None = None


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
    #: sha256 of the file as scripts/extract_raw.py wrote it (None in manifests older than the key).
    extracted_sha256: str | None = None

    def column(self, name: str) -> ColumnSpec:
        """Return the spec of column ``name``."""
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"{self.name} has no column {name!r} in the manifest")


def _parse_column(file: str, raw: dict[str, Any]) -> ColumnSpec:
    try:
        spec = ColumnSpec(
            name=raw["name"], type=raw["type"], description=raw["description"],
            unit=raw.get("unit"), published_header=raw.get("published_header"),
            nullable=bool(raw.get("nullable", False)), unique=bool(raw.get("unique", False)),
            minimum=raw.get("minimum"), maximum=raw.get("maximum"),
            allowed=tuple(raw["allowed"]) if raw.get("allowed") is not None else None,
            pattern=raw.get("pattern"),
            not_given=str(raw["not_given"]) if raw.get("not_given") is not None else None,
        )
    except KeyError as exc:
        raise RawDataError("MANIFEST.yaml", f"entry for {file} has a column without {exc}") from exc
    except (TypeError, AttributeError):
        raise RawDataError("MANIFEST.yaml", f"entry for {file}: a column is not a mapping of "
                           "name, type, description and checks") from None
    for key in ("minimum", "maximum"):
        value = getattr(spec, key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
            raise RawDataError("MANIFEST.yaml", f"entry for {file}, column {spec.name!r}: "
                               f"{key} {value!r} is not a number")
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
    for key in ("pattern", "not_given"):
        if getattr(spec, key) is not None:
            out[key] = getattr(spec, key)
    return out


def manifest_text(doc: dict[str, Any]) -> str:
    """Render a manifest document as YAML, exactly as scripts/extract_raw.py writes it."""
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)


def _yaml_document(text: str) -> Any:
    """Parse manifest text; a syntax error names the line and character."""
    try:
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = " ".join(str(getattr(exc, "problem", None) or exc).split())
        where = f" (character {mark.column + 1})" if mark is not None else ""
        raise RawDataError("MANIFEST.yaml", f"is not valid YAML: {problem}{where}",
                           line=mark.line + 1 if mark is not None else None) from None


_OWN_KEYS = (*CITATION_KEYS, "sha256", "extracted_sha256", "columns", "rows", "notes")


def _entry(name: str, raw: Any) -> RawFileEntry:
    if name in ("", ".", "..") or name != Path(name).name or "\\" in name:
        raise RawDataError("MANIFEST.yaml", f"entry {name!r} is not the name of a file in data/raw: "
                           "an entry names a file by its name alone, with no folder")
    if not isinstance(raw, dict):
        raise RawDataError("MANIFEST.yaml", f"entry for {name} is not a mapping of keys to values")
    missing = [k for k in (*CITATION_KEYS, "sha256", "columns") if k not in raw]
    if missing:
        raise RawDataError("MANIFEST.yaml", f"entry for {name} lacks {', '.join(missing)}")
    if not isinstance(raw["columns"], list):
        raise RawDataError("MANIFEST.yaml", f"entry for {name}: columns is not a list")
    rows = raw.get("rows")
    if rows is not None and (isinstance(rows, bool) or not isinstance(rows, int) or rows < 0):
        raise RawDataError("MANIFEST.yaml", f"entry for {name}: rows {rows!r} is not a whole number")
    return RawFileEntry(
        name=name, sha256=str(raw["sha256"]),
        citation={k: str(raw[k]) for k in CITATION_KEYS},
        columns=tuple(_parse_column(name, c) for c in raw["columns"]),
        rows=rows, notes=raw.get("notes", ""),
        extra={k: v for k, v in raw.items() if k not in _OWN_KEYS},
        extracted_sha256=raw.get("extracted_sha256"),
    )


@functools.lru_cache(maxsize=8)
def _parse_manifest(text: str) -> tuple[tuple[str, RawFileEntry], ...]:
    """Entries of a manifest text; cached, because every raw file read needs the manifest."""
    doc = _yaml_document(text)
    files = doc.get("files") if isinstance(doc, dict) else None
    if not isinstance(files, dict) or not files:
        raise RawDataError("MANIFEST.yaml", "has no 'files' mapping of raw file names to entries")
    return tuple((str(name), _entry(str(name), raw)) for name, raw in files.items())


def _missing_manifest(paths: ProjectPaths) -> Exception:
    from .. import paths as where_paths_come_from

    if not paths.raw.is_dir():
        env = os.environ.get(ROOT_ENV_VAR)
        if env:
            where = f"{ROOT_ENV_VAR} is {env}, which holds no data/raw"
        elif paths.root == where_paths_come_from.checkout_root():
            where = (f"neither {paths.root} (two folders above the installed package) nor the "
                     f"current folder {Path.cwd()} holds data/raw")
        else:
            where = f"{paths.root} holds no data/raw"
        return CheckoutError(
            f"no data folder: {where}. Run python -m analysis from a checkout of the compendium "
            f"(git clone, then pip install -e .), or set {ROOT_ENV_VAR} to the folder that holds "
            "data/raw")
    return RawDataError(paths.manifest, "the raw-data manifest is missing: restore it with "
                        "git checkout data/raw/MANIFEST.yaml, or regenerate data/raw with make extract")


def load_manifest(paths: ProjectPaths | None = None) -> dict[str, RawFileEntry]:
    """Read the manifest and return its entries by file name.

    A missing data folder, a manifest that is not valid YAML, or an entry without
    its citation, checksum or columns stops with one error naming what to fix.
    """
    paths = paths or project_paths()
    if not paths.manifest.is_file():
        raise _missing_manifest(paths)
    try:
        text = provenance.read_bytes(paths.manifest).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RawDataError(paths.manifest, f"is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    return dict(_parse_manifest(text))


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
            "changed or corrupted. Restore it (git checkout data/raw) or, if the change is "
            f"deliberate, record it with: python -m analysis rehash data/raw/{entry.name}",
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
    for path in sorted(paths.raw.glob("*.csv")):
        if path.name not in listed:
            raise RawDataError(path, "file is in data/raw but not in MANIFEST.yaml")
    return {name: (verify_checksum(e, paths), e.sha256)[1] for name, e in sorted(entries.items())}


@dataclass(frozen=True)
class Rehashed:
    """What :func:`rehash` changed in the manifest entry of one raw file."""

    name: str
    old_sha256: str
    new_sha256: str
    old_rows: int | None
    new_rows: int
    #: sha256 of the file as extracted from its cited source (None if not recorded).
    extracted_sha256: str | None

    @property
    def differs_from_source(self) -> bool:
        """True when the file is no longer the one extracted from its cited source."""
        return self.extracted_sha256 is not None and self.new_sha256 != self.extracted_sha256


def _data_rows(path: Path) -> int:
    """Number of data rows of a CSV file: records after the header, quoted newlines allowed, blank
    lines not counted (the reader skips them too)."""
    with path.open(newline="", encoding="utf-8", errors="replace") as fh:
        return max(sum(1 for record in csv.reader(fh) if record) - 1, 0)


def rehash(file: str | Path, paths: ProjectPaths | None = None) -> Rehashed:
    """Record the current sha256 and row count of raw file ``file`` in MANIFEST.yaml.

    For a deliberate edit of a file in ``data/raw``. Only ``sha256`` and ``rows``
    change; ``extracted_sha256`` keeps the checksum of the file as extracted from
    its cited source, so the edit stays visible (:func:`rehashed_files`). The
    manifest is rewritten atomically. The file's columns and values are checked
    at the next load, not here.
    """
    from ..atomic import write_text

    paths = paths or project_paths()
    path = Path(file)
    if not path.is_absolute():
        path = Path.cwd() / path
    if path.resolve().parent != paths.raw.resolve():
        raise RawDataError(path, f"is not in {paths.raw}: rehash takes a raw file, e.g. "
                           "data/raw/gsi2023_country_table.csv")
    entries = load_manifest(paths)
    if path.name not in entries:
        raise RawDataError(path, "is not listed in MANIFEST.yaml: add a new raw file through "
                           "scripts/extract_raw.py, with its citation and columns")
    if not path.is_file():
        raise RawDataError(path, "does not exist")
    doc = _yaml_document(paths.manifest.read_text(encoding="utf-8"))
    entry = doc["files"][path.name]
    new = sha256_of(path)
    result = Rehashed(path.name, str(entry["sha256"]), new, entry.get("rows"), _data_rows(path),
                      entry.get("extracted_sha256"))
    entry["sha256"] = result.new_sha256
    if "rows" in entry:
        entry["rows"] = result.new_rows
    write_text(paths.manifest, manifest_text(doc))
    return result


def rehashed_files(paths: ProjectPaths | None = None) -> list[str]:
    """Raw files whose recorded sha256 differs from the one recorded at extraction, sorted.

    These are files edited (and rehashed with ``python -m analysis rehash``) since
    ``scripts/extract_raw.py`` wrote them: their content no longer matches their
    cited ``extracted_from`` source. Needs no source file, only MANIFEST.yaml (the
    recorded sha256 is checked against the file itself on every load).
    """
    return sorted(name for name, entry in load_manifest(paths).items()
                  if entry.extracted_sha256 is not None and entry.sha256 != entry.extracted_sha256)
