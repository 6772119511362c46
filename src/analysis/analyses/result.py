"""Typed results: what an analysis returns, and what its notebook, the paper, the atlas and the tests share.

An analysis's entry point returns a frozen dataclass derived from :class:`Result`.
Each field is declared with :func:`value`, which gives its meaning and unit and,
where the field repeats a published figure, the column of
``data/processed/gsi_country_edition.csv`` it repeats (so that it can be checked
against the table, :mod:`analysis.analyses.published`). Tables go in the
``tables`` field: they are saved as CSV files beside the key numbers, not in them.

:meth:`Result.to_dict` gives plain JSON data (the run's ``values.json``), and
:meth:`Result.from_dict` gives the typed result back, nested results included.
"""

from __future__ import annotations

import dataclasses
import math
import re
import types
import typing
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

T = TypeVar("T", bound="Result")

#: Names of the columns that count people or rank countries (``population_2018``, ``estimated_number``,
#: ``rank_world``, ``people_persons``...): whole numbers, shown and saved as integers.
COUNT_COLUMN = re.compile(r"^(population|estimated_number|people|persons|rank)(_.*)?$|_(persons|count)$")


def counts_as_integers(frame):
    """``frame`` with each float column of counts (named as :data:`COUNT_COLUMN` says) that holds whole
    numbers only as integers (``Int64``, a blank stays blank), so that 1091000.0 shows as 1091000;
    other columns as they are. Returns ``frame`` itself when nothing changes."""
    import pandas as pd

    whole = [c for c in frame.columns
             if isinstance(c, str) and COUNT_COLUMN.search(c) and pd.api.types.is_float_dtype(frame[c])
             and bool(((frame[c].dropna() % 1) == 0).all())]
    return frame.astype({c: "Int64" for c in whole}) if whole else frame


def value(doc: str, unit: str | None = None, *, mirrors: str | None = None, edition: str = "edition",
          default: Any = dataclasses.MISSING) -> Any:
    """A field of a result: ``doc`` says what it is, ``unit`` its unit (None for text, codes and counts
    of countries), ``mirrors`` the column of the country table it repeats, for the country of the
    result in the edition held by its field ``edition``."""
    metadata = {"doc": doc, "unit": unit, "mirrors": mirrors, "edition": edition}
    if default is dataclasses.MISSING:
        return field(metadata=metadata)
    return field(default=default, metadata=metadata)


def _plain(item: object) -> object:
    if isinstance(item, Result):
        return item.to_dict()
    if isinstance(item, dict):
        return {str(k): _plain(v) for k, v in item.items()}
    if isinstance(item, (list, tuple)):
        return [_plain(v) for v in item]
    if hasattr(item, "item") and not isinstance(item, (str, bytes)):  # a numpy scalar
        item = item.item()
    if isinstance(item, float) and not math.isfinite(item):
        return None
    return item


def _typed(hint: Any, data: object) -> object:
    """``data`` (plain JSON) as the type ``hint`` says: a nested result, or a dict or list of them."""
    if data is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return _typed(options[0], data) if len(options) == 1 else data
    if isinstance(hint, type) and issubclass(hint, Result):
        return hint.from_dict(data)
    if origin is dict:
        _, item = typing.get_args(hint)
        return {k: _typed(item, v) for k, v in data.items()}
    if origin in (list, tuple):
        args = typing.get_args(hint)
        return [_typed(args[0], v) for v in data] if args else list(data)
    if hint is float and isinstance(data, int):
        return float(data)
    return data


@dataclass(frozen=True)
class Result:
    """Base of every analysis's result: JSON round trip, field documentation, published values."""

    #: Fields that are tables (saved as CSV, not in the key numbers).
    TABLES: ClassVar[str] = "tables"

    def __post_init__(self) -> None:
        tables = getattr(self, self.TABLES, None)
        if isinstance(tables, dict):  # counts as integers, in the notebook and in the saved CSV alike
            for name, table in tables.items():
                tables[name] = counts_as_integers(table)

    @classmethod
    def key_fields(cls) -> list[dataclasses.Field]:
        """The fields saved as key numbers (every field but the tables)."""
        return [f for f in dataclasses.fields(cls) if f.name != cls.TABLES]

    def to_dict(self) -> dict[str, object]:
        """The key numbers as plain JSON: numpy values unwrapped, NaN as None, nested results as dicts."""
        return {f.name: _plain(getattr(self, f.name)) for f in self.key_fields()}

    @classmethod
    def from_dict(cls: type[T], data: dict[str, object], tables: dict | None = None) -> T:
        """The result whose key numbers are ``data`` (as :meth:`to_dict` gives them), with ``tables``.

        Raises ``ValueError`` naming the fields missing from ``data`` or unknown to the result.
        """
        hints = typing.get_type_hints(cls)
        names = {f.name for f in cls.key_fields()}
        missing, unknown = sorted(names - set(data)), sorted(set(data) - names)
        if missing or unknown:
            raise ValueError(f"{cls.__name__}: missing {missing}, unknown {unknown}")
        kwargs = {name: _typed(hints[name], data[name]) for name in names}
        if any(f.name == cls.TABLES for f in dataclasses.fields(cls)):
            kwargs[cls.TABLES] = dict(tables or {})
        return cls(**kwargs)

    def frame(self):
        """The key numbers as a table for a notebook: field, value, unit and meaning (nested results and
        lists shown as text)."""
        import pandas as pd

        rows = [{"field": name, "value": _plain(getattr(self, name)), "unit": unit or "", "meaning": doc}
                for name, unit, doc in self.documentation()]
        for row in rows:
            if isinstance(row["value"], (dict, list)):
                row["value"] = str(row["value"])
        return pd.DataFrame(rows).set_index("field")

    @classmethod
    def documentation(cls) -> list[tuple[str, str | None, str]]:
        """``(field, unit, meaning)`` of every key number, in order."""
        return [(f.name, f.metadata.get("unit"), f.metadata.get("doc", "")) for f in cls.key_fields()]

    def mirrors(self) -> list[tuple[str, str, str]]:
        """``(field, edition field, column)`` of every field that repeats a column of the country table."""
        return [(f.name, f.metadata["edition"], f.metadata["mirrors"]) for f in self.key_fields()
                if f.metadata.get("mirrors")]


def tables_field() -> Any:
    """The ``tables`` field of a result: ``{name: DataFrame}``, saved as ``tables/<name>.csv``."""
    return field(default_factory=dict, compare=False, repr=False,
                 metadata={"doc": "the tables behind the figures, by name", "unit": None})
