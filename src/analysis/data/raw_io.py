"""Read one raw CSV file: verify its checksum, then its columns, types and ranges.

Schema checks use pandera; its findings are turned into a
:class:`~analysis.errors.RawDataError` that names the file, the CSV line and the column.
"""

from __future__ import annotations

import re

import pandas as pd
import pandera.pandas as pa

from .. import provenance
from ..errors import RawDataError
from .manifest import ColumnSpec, RawFileEntry, load_manifest, verify_checksum
from ..paths import ProjectPaths, project_paths

_DTYPES = {"string": str, "integer": "Int64", "number": "Float64"}
_TYPE_WORDS = {"Int64": "a whole number", "Float64": "a number"}
_MAX_REPORTED = 8


def _unit(spec: ColumnSpec) -> str:
    return f" ({spec.unit})" if spec.unit else ""


def _checks(spec: ColumnSpec) -> list[pa.Check]:
    """The value checks of one column, each with a message that states the bound."""
    checks = []
    if spec.minimum is not None:
        checks.append(pa.Check.ge(spec.minimum, error=f"is below the minimum {spec.minimum}{_unit(spec)}"))
    if spec.maximum is not None:
        checks.append(pa.Check.le(spec.maximum, error=f"is above the maximum {spec.maximum}{_unit(spec)}"))
    if spec.allowed is not None:
        checks.append(pa.Check.isin(list(spec.allowed),
                                    error=f"is not one of {', '.join(map(repr, spec.allowed))}"))
    if spec.pattern is not None:
        checks.append(pa.Check.str_matches(f"^(?:{spec.pattern})$",
                                           error=f"does not match the pattern {spec.pattern!r}"))
    return checks


def schema_for(entry: RawFileEntry) -> pa.DataFrameSchema:
    """Build the pandera schema that the manifest declares for ``entry``."""
    columns = {
        spec.name: pa.Column(_DTYPES[spec.type], checks=_checks(spec),
                             nullable=spec.nullable or spec.not_given is not None,
                             unique=spec.unique, coerce=True)
        for spec in entry.columns
    }
    return pa.DataFrameSchema(columns, strict=True, ordered=True, name=entry.name)


def _failure_column(row: pd.Series) -> str:
    # Frame-level checks (a missing or extra column) name the column in failure_case.
    if row["schema_context"] == "DataFrameSchema" or not isinstance(row["column"], str):
        return str(row["failure_case"])
    return row["column"]


def _what_failed(row: pd.Series, raw: pd.DataFrame) -> str:
    """One failure in words: the value found, as written in the file, and the rule it breaks."""
    check, found = str(row["check"]), row["failure_case"]
    idx, column = row["index"], row["column"]
    if idx is not None and not pd.isna(idx) and column in raw.columns:
        found = raw.at[idx, column]  # the text as written, not as converted
    dtype = check[check.find("'") + 1:check.rfind("'")] if "dtype(" in check else ""
    if dtype:
        return f"{found!r} is not {_TYPE_WORDS.get(dtype, dtype)}"
    words = {
        "not_nullable": "is blank, but the column may not be",
        "field_uniqueness": f"{found!r} appears more than once, but values must be unique",
        "column_in_schema": "is not a column of this file in MANIFEST.yaml",
        "column_in_dataframe": "is missing",
        "column_ordered": "is not in the order MANIFEST.yaml gives",
    }
    return words.get(check, f"{found!r} {check}")


def _where(row: pd.Series) -> tuple[int, str]:
    """CSV line and column of a failure: a missing or extra column is on line 1, the header."""
    idx = row["index"]
    return (int(idx) + 2 if idx is not None and not pd.isna(idx) else 1), _failure_column(row)


def _describe_failures(entry: RawFileEntry, failures: pd.DataFrame, raw: pd.DataFrame) -> RawDataError:
    """One error for all schema failures: the first in full, then up to seven more in brief."""
    failures = failures.copy()
    # A value that could not be converted also fails every later check of its column
    # with a TypeError that names no row; report the conversion failure only.
    echoes = failures["index"].isna() & failures["failure_case"].astype(str).str.startswith("TypeError(")
    failures = failures[~echoes] if not echoes.all() else failures
    failures = failures.drop_duplicates(["column", "check", "index"])
    failures = failures.assign(_line=pd.to_numeric(failures["index"], errors="coerce"))
    failures = failures.sort_values("_line", kind="mergesort", na_position="first")
    rows = [row for _, row in failures.iterrows()]
    line, column = _where(rows[0])
    message = f"{_what_failed(rows[0], raw)}; the column's schema is in MANIFEST.yaml"
    others = []
    for row in rows[1:_MAX_REPORTED]:
        other_line, other_column = _where(row)
        others.append(f"line {other_line}, column '{other_column}': {_what_failed(row, raw)}")
    if others:
        more = len(rows) - _MAX_REPORTED
        message += "; also " + "; ".join(others) + (f"; and {more} more" if more > 0 else "")
    return RawDataError(entry.name, message, line=line, column=column)


def _read_csv(path) -> pd.DataFrame:
    """The cells of a raw CSV file as text (blank cells as None); unreadable files stop with the line."""
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""],
                            encoding="utf-8")
    except pd.errors.EmptyDataError:
        raise RawDataError(path, "is empty: it has not even a header line. Restore it with "
                           f"git checkout data/raw/{path.name}", line=1) from None
    except pd.errors.ParserError as exc:
        text = " ".join(str(exc).split())
        found = re.search(r"line (\d+)", text)
        raise RawDataError(path, f"is not a readable CSV file: {text}",
                           line=int(found.group(1)) if found else None) from None
    except UnicodeDecodeError as exc:
        raise RawDataError(path, f"is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    return frame.astype(object).where(frame.notna(), None)


def _not_given_as_blank(values: pd.Series, spec: ColumnSpec, path) -> pd.Series:
    """Read the column's 'not given' value as blank; a real blank stays refused unless nullable."""
    if not spec.nullable and values.isna().any():
        line = int(values.isna().to_numpy().nonzero()[0][0]) + 2
        raise RawDataError(path, f"is blank; this column writes {spec.not_given!r} where the "
                           "publisher gives no value", line=line, column=spec.name)
    return values.where(values != spec.not_given, None)


def read_raw(name: str, paths: ProjectPaths | None = None) -> pd.DataFrame:
    """Load raw file ``name`` from ``data/raw`` after checking its sha256 and schema.

    Values are typed as the manifest declares (``Int64``, ``Float64`` or string);
    empty cells, and a column's ``not_given`` value (GSI 2023's population of 0),
    become NA, never zero. Units are those the manifest records for
    each column; nothing is converted here.
    """
    paths = paths or project_paths()
    manifest = load_manifest(paths)
    if name not in manifest:
        raise RawDataError(name, "is not listed in MANIFEST.yaml")
    entry = manifest[name]
    path = verify_checksum(entry, paths)
    provenance.note_read(path, entry.sha256)
    key = (entry.name, entry.sha256, entry.columns, entry.rows)
    if key not in _CHECKED:
        if len(_CHECKED) >= _CACHE_SIZE:
            _CHECKED.pop(next(iter(_CHECKED)))
        _CHECKED[key] = _checked_frame(entry, path)
    return _CHECKED[key].copy()


#: Frames that passed their checks, by file name, sha256 and schema: a file with the same
#: bytes and the same manifest entry is not parsed and validated again (a build reads some
#: files several times). Copies are handed out, so callers cannot change the cached frame.
_CHECKED: dict[tuple, pd.DataFrame] = {}
_CACHE_SIZE = 32


def _checked_frame(entry: RawFileEntry, path) -> pd.DataFrame:
    """Parse and validate one raw file whose checksum was verified (see :func:`read_raw`)."""
    frame = _read_csv(path)
    for spec in entry.columns:
        if spec.not_given is not None and spec.name in frame.columns:
            frame[spec.name] = _not_given_as_blank(frame[spec.name], spec, path)
    if entry.rows is not None and len(frame) != entry.rows:
        raise RawDataError(path, f"has {len(frame)} data rows but MANIFEST.yaml records {entry.rows}")
    try:
        frame = schema_for(entry).validate(frame.copy(), lazy=True)
    except pa.errors.SchemaErrors as exc:
        raise _describe_failures(entry, exc.failure_cases, frame) from None
    for spec in entry.columns:
        if spec.type == "string":
            frame[spec.name] = frame[spec.name].astype("string")
    return frame.reset_index(drop=True)
