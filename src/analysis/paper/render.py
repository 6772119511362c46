"""Render ``paper/paper.qmd``: with Quarto, or without it through pandoc and Typst.

Without Quarto, :func:`expand_shortcodes` does what Quarto's ``include`` and
``var`` shortcodes do, and the same source is rendered with pandoc (from
``pypandoc-binary``) to HTML, and to PDF through pandoc's Typst writer and the
``typst`` compiler.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import yaml

from ..atomic import write_bytes, write_text
from ..errors import AnalysisError
from ..paths import ProjectPaths

SOURCE = "paper.qmd"

_INCLUDE = re.compile(r"^\{\{<\s*include\s+(\S+)\s*>\}\}[ \t]*$", re.MULTILINE)
_VAR = re.compile(r"\{\{<\s*var\s+([\w.-]+)\s*>\}\}")


def expand_shortcodes(text: str, paper_dir: Path, variables: dict[str, str]) -> str:
    """Do what Quarto's ``include`` and ``var`` shortcodes do, for rendering without Quarto.

    An unknown variable or a missing include file stops with an error naming it.
    """
    def include(match: re.Match) -> str:
        path = paper_dir / match.group(1)
        if not path.exists():
            raise AnalysisError(f"{SOURCE}: included file {match.group(1)} does not exist")
        return path.read_text(encoding="utf-8").rstrip("\n")

    def var(match: re.Match) -> str:
        key = match.group(1)
        if key not in variables:
            raise AnalysisError(f"{SOURCE}: variable {key!r} is not in _variables.yml")
        return str(variables[key])

    text = _INCLUDE.sub(include, text)
    text = _VAR.sub(var, text)
    left = re.search(r"\{\{<.*?>\}\}", text)
    if left:
        raise AnalysisError(f"{SOURCE}: shortcode {left.group(0)} is not supported without Quarto")
    return text


def render_with_pandoc(paths: ProjectPaths) -> list[Path]:
    import pypandoc
    import typst

    paper = paths.paper
    variables = yaml.safe_load((paper / "_variables.yml").read_text(encoding="utf-8"))
    text = expand_shortcodes((paper / SOURCE).read_text(encoding="utf-8"), paper, variables)
    common = ["--lua-filter", str(paper / "filters" / "crossref-fallback.lua"), "--citeproc",
              "--bibliography", str(paper / "references.bib"), "--resource-path", str(paper),
              "--metadata", "link-citations=true"]
    out = paths.paper_output
    out.mkdir(parents=True, exist_ok=True)
    html = pypandoc.convert_text(text, "html5", format="markdown", extra_args=[
        *common, "--standalone", "--embed-resources", "--toc", "--number-sections",
        "--css", str(paper / "fallback.css")], cworkdir=str(paper))
    write_text(out / "paper.html", html)
    typ_source = pypandoc.convert_text(text, "typst", format="markdown", extra_args=[
        *common, "--standalone", "--number-sections"], cworkdir=str(paper))
    typ = paper / "paper.fallback.typ"  # beside paper.qmd, so that figure paths resolve
    write_text(typ, typ_source)
    try:
        pdf = typst.compile(str(typ), root=str(paper))
    finally:
        typ.unlink(missing_ok=True)
    write_bytes(out / "paper.pdf", pdf)
    return [out / "paper.html", out / "paper.pdf"]


def render_with_quarto(paths: ProjectPaths, quarto: str) -> list[Path]:
    subprocess.run([quarto, "render", str(paths.paper)], check=True)
    return sorted(paths.paper_output.glob("paper.*"))

