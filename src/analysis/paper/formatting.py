"""Text formatting for the paper: numbers with separators and a true minus, ordinals, pipe tables."""

from __future__ import annotations

import math

import pandas as pd


def number(value: float, decimals: int = 0) -> str:
    """Format a number with thousands separators and a true minus sign; a value that rounds to zero has
    no sign (-0.002 to two decimals is 0.00, not -0.00)."""
    if round(float(value), decimals) == 0:
        value = 0.0
    text = f"{value:,.{decimals}f}"
    return text.replace("-", "\u2212")


def to_thousand(value: float) -> str:
    """A count of people (persons) rounded to the nearest thousand, as Walk Free publishes counts."""
    return number(round(value, -3))


def floor_to(value: float, decimals: int) -> str:
    """``value`` rounded down to ``decimals`` places, for an "at least" that must not overstate."""
    factor = 10 ** decimals
    return number(math.floor(value * factor + 1e-9) / factor, decimals)


def apportion(parts: list[float], unit: float, total: float | None = None) -> list[float]:
    """Round ``parts`` to multiples of ``unit`` so that the rounded parts add up to the rounded sum.

    Largest-remainder rounding: each part is rounded down, then the units still
    missing from the rounded sum (or from ``total``, a multiple of ``unit``
    already shown for the sum) go to the parts with the largest remainders.
    """
    total = round((sum(parts) if total is None else total) / unit)
    floors = [math.floor(p / unit) for p in parts]
    missing = total - sum(floors)
    order = sorted(range(len(parts)), key=lambda i: (parts[i] / unit - floors[i]), reverse=True)
    for i in order[:missing]:
        floors[i] += 1
    return [f * unit for f in floors]


def as_stored(value: float, decimals: int = 3) -> str:
    """``value`` with at most ``decimals`` places and no trailing zeros (104.6, 104.561), as stored."""
    return number(value, decimals).rstrip("0").rstrip(".")


def share_text(share: float) -> str:
    """A share (0 to 1) as a per cent with one decimal, never rounded up to 100.0 or down to 0.0."""
    if 0.9995 <= share < 1:
        return "> 99.9"
    if 0 < share < 0.0005:
        return "< 0.1"
    return number(100 * share, 1)


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
    lines = ["| " + " | ".join(str(c) if isinstance(c, Markup) else escape_markdown(c) for c in frame.columns)
             + " |",
             "|" + "|".join(rule[a].format("-" * (4 * w)) for a, w in zip(align, widths)) + "|"]
    for row in frame.itertuples(index=False):
        cells = (str(v).replace("|", "\\|") if isinstance(v, Markup) else escape_markdown(v) for v in row)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


class Markup(str):
    """Text that is Markdown already (a code span, say): put into a table as it is, not escaped."""


def breakable(name: str) -> str:
    """Code-formatted ``name`` that may break after underscores (zero-width spaces), for narrow columns."""
    return Markup("`" + name.replace("_", "_\u200b") + "`")


#: Characters of a sha256 shown together in the paper's tables.
SHA_GROUP = 16


def grouped(digest: str, size: int = SHA_GROUP) -> str:
    """``digest`` in code spans of ``size`` characters, so that a narrow column can break between them."""
    return Markup(" ".join(f"`{digest[i:i + size]}`" for i in range(0, len(digest), size)))



#: Characters that start Markdown markup (emphasis, code, links, raw HTML, math, citations, ...).
_MARKUP = set("\\`*_{}[]<>#|~^$@&!")


def escape_markdown(value: object) -> str:
    """``value`` as Markdown text that shows exactly its characters: no markup, no raw HTML.

    Every character that could start Markdown markup is escaped with a backslash,
    so that a name from the data (``Eritrea<img ...>``) is shown as text in the
    HTML and the PDF alike. Numbers and plain words are left as they are.
    """
    return "".join("\\" + c if c in _MARKUP else c for c in str(value))


_WORDS = ("nought one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
          "fifteen sixteen seventeen eighteen nineteen twenty").split()
_ORDINAL_WORDS = ("first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
                  "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth "
                  "twentieth").split()
#: Rounding units of published counts (persons), as words: "rounded to the thousand".
_UNIT_WORDS = {10: "ten", 100: "hundred", 1000: "thousand", 1_000_000: "million"}


def number_word(n: int) -> str:
    """A whole number (a count of things) as a word up to twenty ('three'), in digits above ('160')."""
    n = int(n)
    return _WORDS[n] if 0 <= n < len(_WORDS) else number(n)


def ordinal_word(n: int) -> str:
    """A rank as a word up to the twentieth ('first', 'third'); '21st' and so on above."""
    n = int(n)
    return _ORDINAL_WORDS[n - 1] if 1 <= n <= len(_ORDINAL_WORDS) else ordinal(n)


def unit_word(step: int) -> str:
    """A rounding step in persons as the word for its unit: 1000 -> 'thousand'."""
    if step not in _UNIT_WORDS:
        raise ValueError(f"no word for a rounding step of {step}")
    return _UNIT_WORDS[step]


def significant_figures(value: float) -> int:
    """How many significant figures a whole number carries: 1,100,000 -> 2, 2,696,000 -> 4."""
    digits = str(abs(int(round(value)))).rstrip("0")
    return max(len(digits), 1)
