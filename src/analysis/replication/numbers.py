"""Every value of a result file, each with a name a reader can find, and when two values agree.

A run's key numbers (``values.json``) are named by their JSON path
(``population_split.growth``, ``rank_share_first[0]``); a CSV table's cells by
their row and column (``iso3=PRK, prevalence_per_1000``); a table of the paper
(``_generated/tables/*.md``) likewise by its row label and column heading; and
a number of the text (``_variables.yml``) by its variable name. Values are kept
as printed (a CSV cell's text, a JSON value's JSON), so the reference holds
them exactly.

Two values agree (:func:`agree`) when their texts are equal, or when both are
numbers within :data:`RELATIVE_TOLERANCE` of each other (or
:data:`ABSOLUTE_TOLERANCE` near zero): what summing floating-point numbers in
another order, or another build of numpy, changes, and no digit the paper
prints.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re

#: Largest relative difference of two numbers that agree (one part in a billion).
RELATIVE_TOLERANCE = 1e-9
#: Largest absolute difference of two numbers near zero that agree.
ABSOLUTE_TOLERANCE = 1e-12

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u00ad"), None)


def clean(text: str) -> str:
    """``text`` without zero-width spaces or soft hyphens, and with no tab or newline (for TSV)."""
    return re.sub(r"[\t\r\n]+", " ", str(text).translate(_INVISIBLE))


def as_number(text: str) -> float | None:
    """The number ``text`` prints (``2,696,000``, ``−2.6``, ``104.6``), or ``None`` if it is not one."""
    plain = text.strip().replace(",", "").replace("\u2212", "-")
    if not re.fullmatch(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?", plain):
        return None
    value = float(plain)
    return value if math.isfinite(value) else None


def agree(reference: str, new: str) -> bool:
    """True when two printed values are equal, or are numbers within the tolerances of this module."""
    if reference == new:
        return True
    a, b = as_number(reference), as_number(new)
    if a is None or b is None:
        return False
    return math.isclose(a, b, rel_tol=RELATIVE_TOLERANCE, abs_tol=ABSOLUTE_TOLERANCE)


def json_items(value: object, prefix: str = "") -> dict[str, str]:
    """``{path: value as JSON}`` of every leaf of a JSON document (``a.b``, ``a[0]``)."""
    if isinstance(value, dict):
        out: dict[str, str] = {}
        for key, item in value.items():
            out.update(json_items(item, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(value, list):
        out = {}
        for i, item in enumerate(value):
            out.update(json_items(item, f"{prefix}[{i}]"))
        return out or {prefix: "[]"}
    return {prefix: json.dumps(value, ensure_ascii=False)}


def _row_keys(header: list[str], rows: list[list[str]]) -> list[str]:
    """A name for each row that does not change when its numbers do: the first text column whose values
    are unique, else the first unique pair of a text column and a text or whole-number column (a year, an
    edition), else the row's number."""
    def text_column(j: int) -> bool:
        return any(as_number(r[j]) is None and r[j] != "" for r in rows)

    def whole_numbers(j: int) -> bool:
        return all(re.fullmatch(r"-?\d+", r[j]) for r in rows)

    columns = range(len(header))
    for j in columns:
        if text_column(j) and len({r[j] for r in rows}) == len(rows):
            return [f"{header[j]}={r[j]}" for r in rows]
    usable = [j for j in columns if text_column(j) or whole_numbers(j)]
    for j in usable:
        for k in usable:
            unique = len({(r[j], r[k]) for r in rows}) == len(rows)
            if k > j and (text_column(j) or text_column(k)) and unique:
                return [f"{header[j]}={r[j]}, {header[k]}={r[k]}" for r in rows]
    return [f"row {i + 1}" for i in range(len(rows))]


def table_items(header: list[str], rows: list[list[str]]) -> dict[str, str]:
    """``{"<row>, <column>": cell}`` of every cell of a table (the row named by :func:`_row_keys`)."""
    header = [clean(h) for h in header]
    rows = [[clean(c) for c in r] for r in rows]
    out = {}
    for key, row in zip(_row_keys(header, rows), rows):
        for column, cell in zip(header, row):
            out[f"{key} | {column}"] = cell
    return out


def csv_items(text: str) -> dict[str, str]:
    """Every cell of a CSV table (see :func:`table_items`)."""
    header, *rows = list(csv.reader(io.StringIO(text)))
    return table_items(header, rows)


def markdown_table_items(text: str) -> dict[str, str]:
    """Every cell of a pipe table of the paper (``_generated/tables/*.md``; see :func:`table_items`)."""
    lines = [line.strip() for line in text.splitlines() if line.strip().startswith("|")]
    cells = [[c.strip() for c in line.strip("|").split("|")] for line in lines]
    header, body = cells[0], [r for r in cells[1:] if not all(re.fullmatch(r":?-+:?", c) for c in r)]
    return table_items(header, body)


def yaml_items(text: str) -> dict[str, str]:
    """Every variable of ``_variables.yml``: ``{name: value as printed}``."""
    import yaml

    return {str(k): clean(str(v)) for k, v in (yaml.safe_load(text) or {}).items()}
