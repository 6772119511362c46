"""Exceptions that name the file, row and column at fault."""

from __future__ import annotations

from pathlib import Path


class AnalysisError(Exception):
    """Base class of every error the compendium raises on purpose."""


class RawDataError(AnalysisError):
    """A raw file is missing, corrupted, or does not match its manifest entry.

    ``line`` is the 1-based line of the CSV file (the header is line 1), so a
    user can open the file and go straight to it.
    """

    def __init__(self, file: str | Path, message: str, *, line: int | None = None,
                 column: str | None = None) -> None:
        self.file = Path(file).name
        self.line = line
        self.column = column
        where = [f"file {self.file}"]
        if line is not None:
            where.append(f"line {line}")
        if column is not None:
            where.append(f"column '{column}'")
        super().__init__(f"{', '.join(where)}: {message}")


class ParameterError(AnalysisError, ValueError):
    """A notebook or function parameter is unknown, of the wrong type, or out of range."""


class CheckoutError(AnalysisError):
    """No compendium where the library looks: not run from a checkout, and ANALYSIS_ROOT not set."""
