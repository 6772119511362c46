"""The exhibits of the paper, read from ``paper/paper.qmd``: its tables, figures and numbers of the text.

Tables and figures are numbered in the order the source gives them, as both
renderers number them; each number of the text (``{{< var name >}}``) is placed
by where it is printed (the abstract, a section, a caption), so that a report
can say where the paper shows a value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..paths import ProjectPaths

SOURCE = "paper.qmd"

_TABLE = re.compile(r"^\{\{<\s*include\s+_generated/tables/(\w+)\.md\s*>\}\}\s*\n\s*\n"
                    r": (.*?)\{#(tbl-[\w-]+)\}", re.MULTILINE)
_FIGURE = re.compile(r"^!\[(.*?)\]\(_generated/figures/(\w+)\.(?:png|svg)\)\{#(fig-[\w-]+)\}", re.MULTILINE)
_VAR = re.compile(r"\{\{<\s*var\s+([\w.-]+)\s*>\}\}")
_HEADING = re.compile(r"^#+\s+(.*?)(\s*\{[^}]*\})?\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Exhibit:
    """A table or a figure of the paper: ``Table 2``, ``@tbl-comparison``, made from ``comparison``."""

    kind: str  # "Table" or "Figure"
    number: int
    label: str  # the cross-reference label, e.g. "tbl-comparison"
    name: str  # the file name in _generated/tables (.md) or _generated/figures (.png), without suffix
    caption: str

    @property
    def title(self) -> str:
        """``Table 2``, ``Figure 5``."""
        return f"{self.kind} {self.number}"

    @property
    def generated_file(self) -> str:
        """The file the paper includes, relative to the project root."""
        folder, suffix = ("tables", "md") if self.kind == "Table" else ("figures", "png")
        return f"paper/_generated/{folder}/{self.name}.{suffix}"


def _source(paths: ProjectPaths) -> str:
    return (paths.paper / SOURCE).read_text(encoding="utf-8")


def paper_exhibits(paths: ProjectPaths) -> list[Exhibit]:
    """Every table, then every figure, of ``paper.qmd``, numbered as the rendered paper numbers them."""
    text = _source(paths)
    tables = [Exhibit("Table", i, m.group(3), m.group(1), m.group(2).strip())
              for i, m in enumerate(_TABLE.finditer(text), start=1)]
    figures = [Exhibit("Figure", i, m.group(3), m.group(2), m.group(1).strip())
               for i, m in enumerate(_FIGURE.finditer(text), start=1)]
    return [*tables, *figures]


def variable_places(paths: ProjectPaths) -> dict[str, list[str]]:
    """Where the paper prints each number of the text: ``{name: ["the abstract", "section 'Data'", ...]}``."""
    text = _source(paths)
    exhibits = paper_exhibits(paths)
    body_start = text.find("\n---\n", 4)
    places: dict[str, list[str]] = {}
    headings = [(m.start(), m.group(1).strip()) for m in _HEADING.finditer(text) if m.start() > body_start]
    for match in _VAR.finditer(text):
        where = "the abstract" if match.start() < body_start else None
        line_start = text.rfind("\n", 0, match.start()) + 1
        line = text[line_start:text.find("\n", match.start())]
        if where is None:
            caption = next((e for e in exhibits if e.kind == "Table" and line.startswith(": ")
                            and f"{{#{e.label}}}" in line), None)
            figure = next((e for e in exhibits if e.kind == "Figure" and f"{{#{e.label}}}" in line), None)
            shown = caption or figure
            if shown is not None:
                where = f"the caption of {shown.title}"
            else:
                section = [title for start, title in headings if start < match.start()]
                where = f"section '{section[-1]}'" if section else "the text"
        found = places.setdefault(match.group(1), [])
        if where not in found:
            found.append(where)
    return places
