"""The text of the rendered paper, one block (heading, paragraph, caption, table row) per line.

A table row is one line, its cells separated by `` | ``.

What a reader reads, without markup, scripts, styles or embedded images, so
that the reference's ``paper.txt`` reads in a diff like the paper itself, and
:func:`numbers_in` finds the numbers of the text wherever they are printed.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCKS = {"p", "div", "li", "tr", "table", "caption", "figcaption", "figure", "br",
           "h1", "h2", "h3", "h4", "h5", "h6", "section", "header", "ul", "ol", "title", "dt", "dd",
           "blockquote", "pre"}
#: Elements whose content is not text a reader reads.
_SKIPPED = {"script", "style", "nav", "head", "svg", "button"}
#: A number as printed: digits with thousands separators and decimals, signs (minus sign too) or not.
_NUMBER = re.compile(r"(?<![\w.])[-\u2212]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\w.])[-\u2212]?\d+(?:\.\d+)?")


class _Blocks(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.skipping: list[str] = []

    def _break(self) -> None:
        line = " ".join("".join(self.current).split())
        if line:
            self.lines.append(line)
        self.current = []

    def handle_starttag(self, tag, attrs):
        if self.skipping or tag in _SKIPPED:
            if tag not in ("br", "img", "meta", "link"):
                self.skipping.append(tag)
            return
        if tag in _BLOCKS:
            self._break()
        elif tag in ("td", "th") and "".join(self.current).strip():
            self.current.append(" | ")  # the cells of a table row, on one line

    def handle_endtag(self, tag):
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
            return
        if tag in _BLOCKS:
            self._break()

    def handle_data(self, data):
        if not self.skipping:
            self.current.append(data.replace("\u00a0", " ").replace("\u200b", "").replace("\u00ad", ""))


def paper_text(html: str) -> list[str]:
    """The visible text of an HTML page, one block per line, white space collapsed."""
    parser = _Blocks()
    parser.feed(html)
    parser.close()
    parser._break()
    return parser.lines


def numbers_in(line: str) -> list[str]:
    """The numbers printed in ``line``, in order, as printed (``2,696,000``, ``104.6``, ``−2.6``)."""
    return _NUMBER.findall(line)
