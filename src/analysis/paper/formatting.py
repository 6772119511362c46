"""Text formatting for the paper: numbers with separators and a true minus, ordinals, pipe tables."""

from __future__ import annotations

import pandas as pd


def number(value: float, decimals: int = 0) -> str:
    """Format a number with thousands separators and a true minus sign."""
    text = f"{value:,.{decimals}f}"
    return text.replace("-", "\u2212")


def ordinal(n: int) -> str:
    """1 -> '1st', 2 -> '2nd', 3 -> '3rd', 11 -> '11th'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def markdown_table(frame: pd.DataFrame, align: str | None = None,
                   widths: list[int] | None = None) -> str:
    """Render ``frame`` (already formatted as text) as a pipe table.

    ``align`` has one letter per column (l, r or c). ``widths`` gives relative
    column widths; pandoc reads them from the number of dashes of the rule line.
    """
    align = align or "l" + "r" * (len(frame.columns) - 1)
    widths = widths or [3] * len(frame.columns)
    rule = {"l": ":{}", "r": "{}:", "c": ":{}:"}
    lines = ["| " + " | ".join(map(str, frame.columns)) + " |",
             "|" + "|".join(rule[a].format("-" * (4 * w)) for a, w in zip(align, widths)) + "|"]
    for row in frame.itertuples(index=False):
        lines.append("| " + " | ".join(str(v).replace("|", "\\|") for v in row) + " |")
    return "\n".join(lines) + "\n"


def breakable(name: str) -> str:
    """Code-formatted ``name`` that may break after underscores (zero-width spaces), for narrow columns."""
    return "`" + name.replace("_", "_\u200b") + "`"


def grouped(digest: str, size: int = 16) -> str:
    return " ".join(f"`{digest[i:i + size]}`" for i in range(0, len(digest), size))

