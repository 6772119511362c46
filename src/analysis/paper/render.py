"""Render ``paper/paper.qmd``: with Quarto, or without it through pandoc and Typst.

Quarto is the reference renderer. Without Quarto, :func:`expand_shortcodes` does
what Quarto's ``include`` and ``var`` shortcodes do, and the same source is
rendered with pandoc (from ``pypandoc-binary``) to HTML, and to PDF through
pandoc's Typst writer and the ``typst`` compiler. The fallback reads
``_quarto.yml`` for what a reader would see (paper size, numbering, table of
contents, style sheet, bibliography), so that it follows Quarto.

Both renderers give byte-identical files from one commit: the PDF's date is
fixed (:func:`source_date`), written with its title and author into
``_generated/document.typ``, which both Typst runs include.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from ..atomic import write_bytes, write_text
from ..errors import AnalysisError
from ..paths import ProjectPaths

SOURCE = "paper.qmd"
#: Typst header with the PDF's metadata, included by Quarto (``_quarto.yml``) and by the fallback.
DOCUMENT_HEADER = "_generated/document.typ"
#: Metadata written by the build (the paper's date), read by Quarto and by the fallback.
METADATA = "_generated/metadata.yml"
#: Date of a build outside a git checkout without SOURCE_DATE_EPOCH (the zip epoch, 1980-01-01).
UNKNOWN_DATE = 315532800

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


def choose_renderer(engine: str = "auto") -> tuple[str, str | None]:
    """Return ``(renderer, quarto)``: ``("quarto", path)`` or ``("pandoc", None)``.

    ``engine`` is ``auto`` (Quarto when ``quarto`` is on the PATH, else the
    fallback), ``quarto`` (an error without it) or ``pandoc``.
    """
    if engine not in ("auto", "quarto", "pandoc"):
        raise AnalysisError(f"unknown engine {engine!r}: use auto, quarto or pandoc")
    quarto = shutil.which("quarto")
    if engine == "quarto" and not quarto:
        raise AnalysisError("engine 'quarto' asked for, but quarto is not on the PATH; install "
                            "it (see README.md) or use --engine pandoc")
    if engine != "pandoc" and quarto:
        return "quarto", quarto
    return "pandoc", None


def quarto_config(paths: ProjectPaths) -> dict:
    """The Quarto project configuration, ``paper/_quarto.yml``."""
    return yaml.safe_load((paths.paper / "_quarto.yml").read_text(encoding="utf-8"))


def front_matter(paths: ProjectPaths) -> dict:
    """The YAML front matter of ``paper.qmd`` (title, author, abstract)."""
    text = (paths.paper / SOURCE).read_text(encoding="utf-8")
    match = re.match(r"^---\n(.*?)\n---\n", text, re.DOTALL)
    return yaml.safe_load(match.group(1)) if match else {}


def source_date(paths: ProjectPaths) -> int:
    """The date written into the PDFs, in seconds since 1970, so that rebuilds are byte-identical.

    ``$SOURCE_DATE_EPOCH`` if set (the reproducible-builds convention), else the
    date of the last commit, else 1980-01-01 (outside a git checkout).
    """
    if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        return int(os.environ["SOURCE_DATE_EPOCH"])
    from .buildinfo import git_state
    commit, _ = git_state(paths.root)
    if commit:
        run = subprocess.run(["git", "log", "-1", "--format=%ct", commit], cwd=paths.root,
                             capture_output=True, text=True, check=True)
        return int(run.stdout.strip())
    return UNKNOWN_DATE


def document_header(title: str, author: str, epoch: int) -> str:
    """Typst ``set document`` rule with the PDF's title, author and fixed date."""
    when = dt.datetime.fromtimestamp(epoch, dt.timezone.utc)
    date = ", ".join(f"{k}: {getattr(when, k)}" for k in ("year", "month", "day", "hour", "minute", "second"))
    # A JSON string without \u escapes is a valid Typst string.
    title, author = (json.dumps(t, ensure_ascii=False) for t in (title, author))
    return ("// Written by analysis.paper.render: the PDF's metadata, with a fixed date.\n"
            f"#set document(title: {title}, author: {author}, date: datetime({date}))\n")


def paper_date(epoch: int) -> str:
    """The date a reader sees on the paper, as Quarto's ``date-format: long`` writes it in English.

    ``epoch`` is :func:`source_date` (seconds since 1970, UTC): 'December 1, 2026'.
    """
    when = dt.datetime.fromtimestamp(epoch, dt.timezone.utc)
    return f"{when.strftime('%B')} {when.day}, {when.year}"


def write_metadata(paths: ProjectPaths) -> Path:
    """Write ``_generated/metadata.yml``: the date shown on the title page of both renderers' papers.

    Quarto reads it through ``metadata-files`` in ``_quarto.yml``; the fallback
    passes it to pandoc with ``--metadata-file``. The date is :func:`source_date`'s,
    so two builds of one commit show the same date.
    """
    target = paths.paper / METADATA
    write_text(target, "# Written by analysis.paper.render: the date of the paper (the last commit's).\n"
               + yaml.safe_dump({"date": paper_date(source_date(paths))}, allow_unicode=True))
    return target


def write_document_header(paths: ProjectPaths) -> Path:
    """Write ``_generated/document.typ`` (front matter, :func:`source_date`) and the metadata file."""
    meta = front_matter(paths)
    author = meta.get("author", "")
    if isinstance(author, list):
        author = ", ".join(a["name"] if isinstance(a, dict) else str(a) for a in author)
    target = paths.paper / DOCUMENT_HEADER
    write_text(target, document_header(str(meta.get("title", "")), str(author), source_date(paths)))
    write_metadata(paths)
    return target


def _fresh_output(paths: ProjectPaths) -> Path:
    # The output folder holds exactly what one renderer wrote.
    shutil.rmtree(paths.paper_output, ignore_errors=True)
    paths.paper_output.mkdir(parents=True)
    return paths.paper_output


def _pandoc_args(paths: ProjectPaths, config: dict, fmt: str) -> list[str]:
    """pandoc options that give what Quarto gives for output format ``fmt`` of ``_quarto.yml``."""
    paper = paths.paper
    opts = {**config, **config["format"][fmt]}
    args = ["--lua-filter", str(paper / "filters" / "crossref-fallback.lua"),
            "--resource-path", str(paper), "--standalone", "--metadata-file", str(paper / METADATA)]
    for bib in [opts["bibliography"]] if isinstance(opts["bibliography"], str) else opts["bibliography"]:
        args += ["--citeproc", "--bibliography", str(paper / bib)]
    if opts.get("csl"):
        args += ["--csl", str(paper / opts["csl"])]
    if opts.get("link-citations"):
        args += ["--metadata", "link-citations=true"]
    if opts.get("number-sections"):
        args.append("--number-sections")
    if opts.get("toc"):
        args.append("--toc")
    if fmt == "html":
        args.append("--section-divs")  # as Quarto's HTML: each section a <section>, for the page's style
        if opts.get("embed-resources"):
            args.append("--embed-resources")
        args += ["--css", str(paper / opts["css"])]
    else:
        args += ["--variable", f"papersize={opts['papersize']}"]
        for header in opts.get("include-in-header", []):
            args += ["--include-in-header", str(paper / header)]
    return args


def render_with_pandoc(paths: ProjectPaths) -> list[Path]:
    """Render HTML and PDF without Quarto (pandoc, and Typst for the PDF); return the two files."""
    import pypandoc
    import typst

    paper = paths.paper
    config = quarto_config(paths)
    variables = yaml.safe_load((paper / "_variables.yml").read_text(encoding="utf-8"))
    text = expand_shortcodes((paper / SOURCE).read_text(encoding="utf-8"), paper, variables)
    write_document_header(paths)
    out = _fresh_output(paths)
    html = pypandoc.convert_text(text, "html5", format="markdown",
                                 extra_args=_pandoc_args(paths, config, "html"), cworkdir=str(paper))
    write_text(out / "paper.html", html)
    typ_source = pypandoc.convert_text(text, "typst", format="markdown",
                                       extra_args=_pandoc_args(paths, config, "typst"), cworkdir=str(paper))
    typ = paper / "paper.fallback.typ"  # beside paper.qmd, so that figure paths resolve
    write_text(typ, typ_source)
    try:
        pdf = typst.compile(str(typ), root=str(paper))
    finally:
        typ.unlink(missing_ok=True)
    write_bytes(out / "paper.pdf", pdf)
    return [out / "paper.html", out / "paper.pdf"]


def render_with_quarto(paths: ProjectPaths, quarto: str) -> list[Path]:
    """Render every format of ``_quarto.yml`` with ``quarto render``; return the HTML and the PDF."""
    write_document_header(paths)
    _fresh_output(paths)
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(source_date(paths))}
    # Quarto prints about a hundred lines of pandoc options and metadata per format: keep them out of
    # make's output, and show what Quarto said only when it fails.
    run = subprocess.run([quarto, "render", str(paths.paper)], env=env, capture_output=True, text=True)
    if run.returncode != 0:
        print((run.stdout + run.stderr).rstrip(), file=sys.stderr)
        raise AnalysisError(f"quarto render {paths.paper.relative_to(paths.root)} failed (exit status "
                            f"{run.returncode}); its messages are above")
    files = [paths.paper_output / "paper.html", paths.paper_output / "paper.pdf"]
    missing = [f.name for f in files if not f.exists()]
    if missing:
        raise AnalysisError(f"quarto render wrote no {', '.join(missing)} in {paths.paper_output}")
    return files
