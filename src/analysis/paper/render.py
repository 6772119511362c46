"""Render a staged copy of the paper's Quarto project: with Quarto, or without it through pandoc and Typst.

Quarto is the reference renderer. Without Quarto, :func:`expand_shortcodes` does
what Quarto's ``include`` and ``var`` shortcodes do, and the same source is
rendered with pandoc (from ``pypandoc-binary``) to HTML, and to PDF through
pandoc's Typst writer and the ``typst`` compiler. The fallback reads
``_quarto.yml`` for what a reader would see (paper size, numbering, table of
contents, style sheet, bibliography), so that it follows Quarto.

Every renderer runs as an external program (:func:`analysis.build.external.run_tool`):
in a process group of its own, with a timeout, and stopped with its children
when the build is cancelled. It renders into the staged project folder, never
into ``paper/``; the build publishes the result only once it is checked.

Both renderers give byte-identical files from one commit: the PDF's date is
fixed (:func:`source_date`), written with its title and author into
``_generated/document.typ``, which both Typst runs include.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml

from ..atomic import write_text
from ..build.external import run_tool
from ..build.step import Context
from ..errors import AnalysisError

SOURCE = "paper.qmd"
OUTPUT = "_output"
#: Typst header with the PDF's metadata, included by Quarto (``_quarto.yml``) and by the fallback.
DOCUMENT_HEADER = "_generated/document.typ"
#: Metadata written by the build (the paper's date), read by Quarto and by the fallback.
METADATA = "_generated/metadata.yml"
#: Date of a build outside a git checkout without SOURCE_DATE_EPOCH (the zip epoch, 1980-01-01).
UNKNOWN_DATE = 315532800
#: Seconds ``quarto --version`` may take.
PROBE_TIMEOUT = 30.0
RENDERERS = ("quarto", "pandoc")

_INCLUDE = re.compile(r"^\{\{<\s*include\s+(\S+)\s*>\}\}[ \t]*$", re.MULTILINE)
_VAR = re.compile(r"\{\{<\s*var\s+([\w.-]+)\s*>\}\}")


def expand_shortcodes(text: str, project: Path, variables: dict[str, str]) -> str:
    """Do what Quarto's ``include`` and ``var`` shortcodes do, for rendering without Quarto.

    An unknown variable or a missing include file stops with an error naming it.
    """
    def include(match: re.Match) -> str:
        path = project / match.group(1)
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


@functools.lru_cache(maxsize=4)
def quarto_version(exe: str) -> str:
    """``quarto --version`` of the Quarto at ``exe``: asked once per process, within
    :data:`PROBE_TIMEOUT` seconds."""
    from ..build.external import ToolTimeout

    try:
        run = run_tool([exe, "--version"], timeout=PROBE_TIMEOUT, what="quarto --version")
    except ToolTimeout:
        raise AnalysisError(f"quarto --version ({exe}) did not answer within {PROBE_TIMEOUT:g} s; check "
                            "the Quarto installation, or use --engine pandoc") from None
    version = run.output.strip().splitlines()[-1:] if run.returncode == 0 else []
    if not version:
        raise AnalysisError(f"quarto --version ({exe}) failed (exit status {run.returncode}): {run.tail()}")
    return version[0].strip()


def choose_renderer(engine: str = "auto") -> tuple[str, str | None]:
    """Return ``(renderer, quarto)``: ``("quarto", path)`` or ``("pandoc", None)``.

    ``engine`` is ``auto`` (Quarto when ``quarto`` is on the PATH, else the
    fallback), ``quarto`` (an error without it) or ``pandoc``.
    """
    if engine not in ("auto", *RENDERERS):
        raise AnalysisError(f"unknown engine {engine!r}: use auto, quarto or pandoc")
    quarto = shutil.which("quarto")
    if engine == "quarto" and not quarto:
        raise AnalysisError("engine 'quarto' asked for, but quarto is not on the PATH; install "
                            "it (see README.md) or use --engine pandoc")
    if engine != "pandoc" and quarto:
        return "quarto", quarto
    return "pandoc", None


def quarto_config(project: Path) -> dict:
    """The Quarto project configuration, ``_quarto.yml`` of ``project``."""
    return yaml.safe_load((project / "_quarto.yml").read_text(encoding="utf-8"))


def front_matter(project: Path) -> dict:
    """The YAML front matter of ``paper.qmd`` (title, author, abstract)."""
    text = (project / SOURCE).read_text(encoding="utf-8")
    match = re.match(r"^---\n(.*?)\n---\n", text, re.DOTALL)
    return yaml.safe_load(match.group(1)) if match else {}


def source_date(root: Path) -> int:
    """The date written into the PDFs, in seconds since 1970, so that rebuilds are byte-identical.

    ``$SOURCE_DATE_EPOCH`` if set (the reproducible-builds convention), else the
    date of the last commit of the checkout at ``root``, else 1980-01-01.
    """
    if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        return int(os.environ["SOURCE_DATE_EPOCH"])
    from ..build.execution import git_state
    commit, _ = git_state(root)
    if commit:
        run = subprocess.run(["git", "log", "-1", "--format=%ct", commit], cwd=root,
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


def write_metadata(project: Path, epoch: int) -> Path:
    """Write ``_generated/metadata.yml`` of ``project``: the date on the title page of both papers.

    Quarto reads it through ``metadata-files`` in ``_quarto.yml``; the fallback
    passes it to pandoc with ``--metadata-file``. The date is ``epoch``'s
    (:func:`source_date`), so two builds of one commit show the same date.
    """
    target = project / METADATA
    write_text(target, "# Written by analysis.paper.render: the date of the paper (the last commit's).\n"
               + yaml.safe_dump({"date": paper_date(epoch)}, allow_unicode=True))
    return target


def write_document_header(project: Path, epoch: int) -> Path:
    """Write ``_generated/document.typ`` of ``project`` (front matter, ``epoch``) and the metadata file."""
    meta = front_matter(project)
    author = meta.get("author", "")
    if isinstance(author, list):
        author = ", ".join(a["name"] if isinstance(a, dict) else str(a) for a in author)
    target = project / DOCUMENT_HEADER
    write_text(target, document_header(str(meta.get("title", "")), str(author), epoch))
    write_metadata(project, epoch)
    return target


def _pandoc_args(project: Path, config: dict, fmt: str) -> list[str]:
    """pandoc options that give what Quarto gives for output format ``fmt`` of ``_quarto.yml``."""
    opts = {**config, **config["format"][fmt]}
    args = ["--from", "markdown", "--lua-filter", str(project / "filters" / "crossref-fallback.lua"),
            "--resource-path", str(project), "--standalone", "--metadata-file", str(project / METADATA)]
    for bib in [opts["bibliography"]] if isinstance(opts["bibliography"], str) else opts["bibliography"]:
        args += ["--citeproc", "--bibliography", str(project / bib)]
    if opts.get("csl"):
        args += ["--csl", str(project / opts["csl"])]
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
        args += ["--css", str(project / opts["css"])]
    else:
        args += ["--variable", f"papersize={opts['papersize']}"]
        for header in opts.get("include-in-header", []):
            args += ["--include-in-header", str(project / header)]
    return args


def _checked(run, what: str) -> None:
    if run.returncode != 0:
        raise AnalysisError(f"{what} failed (exit status {run.returncode}): {run.tail()}")


def compile_typst(typ: Path, pdf: Path, root: Path, context: Context) -> None:
    """Compile the Typst source ``typ`` into ``pdf`` with the ``typst`` package of this environment.

    Both renderers' PDFs are compiled so, by the Typst the lock pins: the one a
    Quarto installation carries laid out the map's hatching (SVG patterns) in a
    different order from one run to the next. It runs in a process of its own,
    within the build's render timeout, so that it can be stopped.
    """
    code = "import sys, typst; open(sys.argv[2], 'wb').write(typst.compile(sys.argv[1], root=sys.argv[3]))"
    _checked(run_tool([sys.executable, "-c", code, str(typ), str(pdf), str(root)], cwd=root,
                      timeout=context.render_timeout, what="typst", cancel=context.cancel), "typst")


def render_with_pandoc(project: Path, context: Context) -> list[Path]:
    """Render ``project`` to HTML and PDF without Quarto (pandoc, and Typst for the PDF), both at once.

    Each program runs within the build's render timeout; returns the two files.
    """
    import pypandoc

    pandoc = pypandoc.get_pandoc_path()
    config = quarto_config(project)
    variables = yaml.safe_load((project / "_variables.yml").read_text(encoding="utf-8"))
    text = expand_shortcodes((project / SOURCE).read_text(encoding="utf-8"), project, variables)
    expanded = project / "paper.expanded.md"
    write_text(expanded, text)
    out = project / OUTPUT
    out.mkdir(exist_ok=True)
    html, typ, pdf = out / "paper.html", project / "paper.fallback.typ", out / "paper.pdf"
    timeout = context.render_timeout

    def to_html() -> None:
        _checked(run_tool([pandoc, str(expanded), "--to", "html5", "--output", str(html),
                           *_pandoc_args(project, config, "html")], cwd=project, timeout=timeout,
                          what="pandoc (HTML)", cancel=context.cancel), "pandoc (HTML)")

    def to_pdf() -> None:
        _checked(run_tool([pandoc, str(expanded), "--to", "typst", "--output", str(typ),
                           *_pandoc_args(project, config, "typst")], cwd=project, timeout=timeout,
                          what="pandoc (Typst)", cancel=context.cancel), "pandoc (Typst)")
        compile_typst(typ, pdf, project, context)

    with ThreadPoolExecutor(max_workers=2) as pool:
        for job in [pool.submit(to_html), pool.submit(to_pdf)]:
            job.result()
    return [html, pdf]


def render_with_quarto(project: Path, quarto: str, context: Context, epoch: int) -> list[Path]:
    """Render ``project`` with ``quarto render``, each format of ``_quarto.yml`` in a process of its
    own, at once (the HTML in ``project``, the PDF in a copy of it); return the HTML and the PDF.

    Rendering a format alone gives the same bytes as rendering them together. The
    PDF is compiled from the Typst source Quarto writes (``keep-typ``) by
    :func:`compile_typst`, as the fallback's is.
    """
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch)}
    formats = list(quarto_config(project)["format"])
    folders = {fmt: project if i == 0 else project.with_name(f"{project.name}-{fmt}")
               for i, fmt in enumerate(formats)}
    for folder in folders.values():
        if folder != project:
            shutil.copytree(project, folder, ignore=shutil.ignore_patterns(OUTPUT, ".quarto"))

    def one(fmt: str) -> None:
        what = f"quarto render --to {fmt}"
        folder = folders[fmt]
        _checked(run_tool([quarto, "render", str(folder), "--to", fmt], cwd=folder, env=env,
                          timeout=context.render_timeout, what=what, cancel=context.cancel), what)
        if fmt == "typst":  # Quarto's Typst source (keep-typ), compiled by the locked typst, while the
            if not (folder / "paper.typ").is_file():  # HTML may still be rendering
                raise AnalysisError("quarto render --to typst wrote no paper.typ, the source of paper.pdf")
            compile_typst(folder / "paper.typ", folder / OUTPUT / "paper.pdf", folder, context)

    with ThreadPoolExecutor(max_workers=len(formats)) as pool:
        for job in [pool.submit(one, fmt) for fmt in formats]:
            job.result()
    files = [project / OUTPUT / "paper.html", project / OUTPUT / "paper.pdf"]
    for folder in folders.values():
        if folder != project:
            for made in (folder / OUTPUT).glob("paper.*"):
                os.replace(made, project / OUTPUT / made.name)
            shutil.rmtree(folder)
    missing = [f.name for f in files if not f.exists()]
    if missing:
        raise AnalysisError(f"quarto render wrote no {', '.join(missing)}")
    return files


def render(project: Path, renderer: str, quarto: str | None, context: Context, epoch: int) -> list[Path]:
    """Render the staged ``project`` with ``renderer`` (``quarto``, with the Quarto at ``quarto``, or
    ``pandoc``), the PDF dated ``epoch`` (seconds since 1970); return the HTML and the PDF."""
    write_document_header(project, epoch)
    if renderer == "quarto":
        return render_with_quarto(project, quarto, context, epoch)
    return render_with_pandoc(project, context)
