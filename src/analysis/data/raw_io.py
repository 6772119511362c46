"""Read one raw CSV file: verify its checksum, then its columns, types and ranges.

Schema checks use pandera; its findings are turned into a
:class:`~analysis.errors.RawDataError` that names the file, the CSV line and the column.
"""

from __future__ import annotations

import io

import pandas as pd
import pandera.pandas as pa

from .. import provenance
from ..errors import RawDataError
from .manifest import ColumnSpec, RawFileEntry, load_manifest, verify_checksum
from ..paths import ProjectPaths, project_paths

_DTYPES = {"string": str, "integer": "Int64", "number": "Float64"}
_MAX_REPORTED = 8


def _checks(spec: ColumnSpec) -> list[pa.Check]:
    checks = []
    if spec.minimum is not None:
        checks.append(pa.Check.ge(spec.minimum))
    if spec.maximum is not None:
        checks.append(pa.Check.le(spec.maximum))
    if spec.allowed is not None:
        checks.append(pa.Check.isin(list(spec.allowed)))
    return checks


def schema_for(entry: RawFileEntry) -> pa.DataFrameSchema:
    """Build the pandera schema that the manifest declares for ``entry``."""
    columns = {
        spec.name: pa.Column(_DTYPES[spec.type], checks=_checks(spec), nullable=spec.nullable,
                             unique=spec.unique, coerce=True)
        for spec in entry.columns
    }
    return pa.DataFrameSchema(columns, strict=True, ordered=True, name=entry.name)


def _failure_column(row: pd.Series) -> str:
    # Frame-level checks (a missing or extra column) name the column in failure_case.
    if row["schema_context"] == "DataFrameSchema" or not isinstance(row["column"], str):
        return str(row["failure_case"])
    return row["column"]


def _describe_failures(entry: RawFileEntry, failures: pd.DataFrame) -> RawDataError:
    failures = failures.copy()
    # A value that could not be converted also fails every later check with a
    # TypeError; report the conversion failure only.
    failures = failures[~failures["failure_case"].astype(str).str.startswith("TypeError(")]
    first = failures.iloc[0]
    lines = []
    for _, row in failures.head(_MAX_REPORTED).iterrows():
        idx = row["index"]
        where = f"line {int(idx) + 2}" if idx is not None and not pd.isna(idx) else "header"
        column = _failure_column(row)
        lines.append(f"{where}, column '{column}': {row['check']} failed "
                     f"(found {row['failure_case']!r})")
    more = len(failures) - _MAX_REPORTED
    detail = "; ".join(lines) + (f"; and {more} more" if more > 0 else "")
    idx = first["index"]
    line = int(idx) + 2 if idx is not None and not pd.isna(idx) else None
    return RawDataError(entry.name, f"does not match its schema in MANIFEST.yaml: {detail}",
                        line=line, column=_failure_column(first))


def read_raw(name: str, paths: ProjectPaths | None = None) -> pd.DataFrame:
    """Load raw file ``name`` from ``data/raw`` after checking its sha256 and schema.

    Values are typed as the manifest declares (``Int64``, ``Float64`` or string);
    empty cells become NA, never zero. Units are those the manifest records for
    each column; nothing is converted here.
    """
    paths = paths or project_paths()
    manifest = load_manifest(paths)
    if name not in manifest:
        raise RawDataError(name, "is not listed in MANIFEST.yaml")
    entry = manifest[name]
    path = verify_checksum(entry, paths)
    try:
        frame = pd.read_csv(io.BytesIO(provenance.read_bytes(path)), dtype=str,
                            keep_default_na=False, na_values=[""], encoding="utf-8")
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise RawDataError(path, f"is not a readable UTF-8 CSV file: {exc}") from exc
    frame = frame.astype(object).where(frame.notna(), None)
    if entry.rows is not None and len(frame) != entry.rows:
        raise RawDataError(path, f"has {len(frame)} data rows but MANIFEST.yaml records {entry.rows}")
    try:
        frame = schema_for(entry).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        raise _describe_failures(entry, exc.failure_cases) from None
    for spec in entry.columns:
        if spec.type == "string":
            frame[spec.name] = frame[spec.name].astype("string")
    return frame.reset_index(drop=True)
