"""The paper rendered by both renderers, once per test session, in a scratch copy of the project.

Used by test_renderers.py and test_browser.py. Quarto and Chromium are optional on a
developer's machine (the tests that need them are skipped) but required in CI, where
``.ci/run`` installs them and ``CI`` is set: there a missing tool fails the tests.
"""

from __future__ import annotations

import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from analysis.paths import ProjectPaths

from conftest import cli, copy_project

RENDERERS = ("quarto", "pandoc")
_renders: dict[str, Path] = {}


def require(found: object, what: str) -> None:
    """Skip the test when ``found`` is falsy, except in CI, where the test fails instead."""
    if not found:
        if os.environ.get("CI"):
            pytest.fail(f"{what} is required in CI (.ci/run installs it)")
        pytest.skip(f"{what} is not installed")


def chromium() -> str | None:
    """Path of the system Chromium, or None."""
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def render_both(root: Path, built: ProjectPaths) -> dict[str, Path]:
    """Render the paper of a copy of the ``built`` project (rendered by the fallback) under ``root``
    with each available renderer, through the command line.

    Returns ``{"project": root, "quarto": folder, "pandoc": folder}`` (``quarto``
    only when Quarto is on the PATH); each folder holds that renderer's
    ``paper.html`` and ``paper.pdf``. Done once per session.
    """
    if _renders:
        return _renders
    project = ProjectPaths(copy_project(built, root, with_outputs=True))
    engines = RENDERERS if shutil.which("quarto") else ("pandoc",)
    for engine in engines:
        cli(project.root, "paper", "--engine", engine)
        shutil.copytree(project.paper_output, root / f"rendered-{engine}")
        _renders[engine] = root / f"rendered-{engine}"
    _renders["project"] = root
    return _renders


_BLOCKS = {"p", "div", "li", "td", "th", "tr", "table", "caption", "figcaption", "figure", "br",
           "h1", "h2", "h3", "h4", "h5", "h6", "section", "header", "nav", "ul", "ol", "title"}


class _Text(HTMLParser):
    """Visible text of an HTML page (no script or style), blocks separated by a space."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in _BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        elif tag in _BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def normalise(text: str) -> str:
    """Collapse every run of white space (no-break spaces included) to one space."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " ")).strip()


def html_text(path: Path) -> str:
    """Visible text of an HTML file, normalised."""
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return normalise("".join(parser.parts))


def pdf_lines(path: Path) -> str:
    """Text of a PDF, line by line, its pages joined without their page numbers, so that a sentence
    that runs on to the next page reads as one."""
    from pypdf import PdfReader
    return "\n".join(re.sub(r"\n\s*\d+\s*$", "", page.extract_text()) for page in PdfReader(path).pages)


def pdf_text(path: Path, join_hyphens: bool = False) -> str:
    """Text of a PDF, normalised; with ``join_hyphens``, words hyphenated at line ends joined again."""
    raw = pdf_lines(path)
    return normalise(re.sub(r"(\w)-\n(\w)", r"\1\2", raw) if join_hyphens else raw)
