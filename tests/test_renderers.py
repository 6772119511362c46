"""Quarto and the pandoc + Typst fallback give the same paper: numbers, figures, tables, references.

The paper is rendered once per session by each renderer in a scratch copy of the
project (tests/paper_renders.py); each output (Quarto HTML, Quarto PDF, fallback
HTML, fallback PDF) is then compared with the paper's inputs and with the others.
"""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from analysis.build.execution import git_state
from analysis.paper.buildinfo import BuildInfo, build_table
from analysis.paper.declarations import load_declarations
from analysis.paper.render import choose_renderer, document_header, source_date
from analysis.paths import ProjectPaths, project_paths

from conftest import cli
from paper_renders import RENDERERS, html_text, normalise, pdf_lines, pdf_text, render_both, require

FIGURES = load_declarations(project_paths()).figures

pytestmark = pytest.mark.paper

OUTPUTS = [(r, kind) for r in RENDERERS for kind in ("html", "pdf")]


@pytest.fixture(scope="session")
def renders(tmp_path_factory, built) -> dict[str, Path]:
    return render_both(tmp_path_factory.mktemp("renders"), built)


@pytest.fixture(scope="session")
def project(renders) -> ProjectPaths:
    return ProjectPaths(renders["project"])


def _output(renders, renderer: str, kind: str) -> Path:
    if renderer == "quarto":
        require("quarto" in renders, "Quarto (quarto on the PATH)")
    return renders[renderer] / f"paper.{kind}"


def _texts(renders, renderer: str, kind: str) -> list[str]:
    """The output's text: for a PDF, also with line-end hyphens joined (either may hold a value)."""
    path = _output(renders, renderer, kind)
    if kind == "html":
        return [html_text(path)]
    # Typst may break a line at a hyphen ("2017-" / "10"): a third reading keeps such hyphens.
    kept = normalise(re.sub(r"-\n", "-", pdf_lines(path)))
    return [pdf_text(path), pdf_text(path, join_hyphens=True), kept]


def _squash(text: str) -> str:
    # Compare text without white space, zero-width spaces, soft hyphens or markdown marks, and
    # with typographic quotes made straight (both renderers curl them).
    text = text.translate(str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'}))
    return re.sub(r"[\s\u200b\u00ad`\\]+", "", text)


def _used_variables(project: ProjectPaths) -> dict[str, str]:
    qmd = (project.paper / "paper.qmd").read_text(encoding="utf-8")
    variables = yaml.safe_load((project.paper / "_variables.yml").read_text(encoding="utf-8"))
    used = set(re.findall(r"\{\{<\s*var\s+([\w.-]+)\s*>\}\}", qmd))
    assert used and used <= set(variables)
    # As the reader sees them: Markdown escapes (\\<1,000) show the character alone.
    return {k: re.sub(r"\\(.)", r"\1", str(v)) for k, v in variables.items() if k in used}


@pytest.mark.parametrize(("renderer", "kind"), OUTPUTS)
def test_every_number_of_the_text_is_in_the_output(renders, project, renderer, kind):
    texts = [normalise(t) for t in _texts(renders, renderer, kind)]
    missing = {k: v for k, v in _used_variables(project).items()
               if not any(normalise(v) in t for t in texts)}
    assert not missing


def test_both_renderers_show_the_same_variables(renders, project):
    """Every value of _variables.yml is in all four outputs, or in none (an unused variable)."""
    variables = yaml.safe_load((project.paper / "_variables.yml").read_text(encoding="utf-8"))
    found = {}
    for renderer, kind in OUTPUTS:
        texts = [normalise(t) for t in _texts(renders, renderer, kind)]
        found[renderer, kind] = {k for k, v in variables.items()
                                 if any(normalise(str(v)) in t for t in texts)}
    assert len({frozenset(s) for s in found.values()}) == 1, found


def _included_tables(project: ProjectPaths) -> list[str]:
    qmd = (project.paper / "paper.qmd").read_text(encoding="utf-8")
    return re.findall(r"\{\{<\s*include\s+_generated/tables/(\w+)\.md\s*>\}\}", qmd)


def _captions(project: ProjectPaths) -> list[tuple[str, str]]:
    """('Figure 1', start of caption), ... in the order of paper.qmd, as the renderers number them."""
    variables = yaml.safe_load((project.paper / "_variables.yml").read_text(encoding="utf-8"))
    qmd = re.sub(r"\{\{< var ([\w.-]+) >\}\}", lambda m: str(variables[m.group(1)]),
                 (project.paper / "paper.qmd").read_text(encoding="utf-8"))
    items = [(m.start(), "Figure", m.group(1)) for m in re.finditer(r"^!\[(.+?)\]\(.+?\)\{#fig-", qmd, re.M)]
    items += [(m.start(), "Table", m.group(1)) for m in re.finditer(r"^: (.+?) \{#tbl-", qmd, re.M)]
    counters = {"Figure": 0, "Table": 0}
    out = []
    for _, kind, caption in sorted(items):
        counters[kind] += 1
        plain = re.split(r"[`*_\[]", caption)[0][:50]
        out.append((f"{kind} {counters[kind]}", plain))
    return out


@pytest.mark.parametrize(("renderer", "kind"), OUTPUTS)
def test_every_figure_and_table_is_numbered_and_captioned(renders, project, renderer, kind):
    texts = [_squash(t) for t in _texts(renders, renderer, kind)]
    captions = _captions(project)
    assert sum(label.startswith("Figure") for label, _ in captions) == len(FIGURES)
    assert sum(label.startswith("Table") for label, _ in captions) == len(_included_tables(project))
    for label, start in captions:
        assert any(_squash(f"{label}: {start}") in t for t in texts), f"{label}: {start}"


@pytest.mark.parametrize(("renderer", "kind"), OUTPUTS)
def test_every_table_cell_is_in_the_output(renders, project, renderer, kind):
    texts = [_squash(t) for t in _texts(renders, renderer, kind)]
    tables = [project.paper_generated / "tables" / f"{name}.md"
              for name in _included_tables(project) if name != "build"]  # build: one per renderer
    assert tables
    qmd = (project.paper / "paper.qmd").read_text(encoding="utf-8")
    numbers = {label: i + 1 for i, label in enumerate(re.findall(r"\{#(fig-[\w-]+)\}", qmd))}
    for table in tables:
        lines = table.read_text(encoding="utf-8").splitlines()
        cells = [c.strip() for line in [lines[0], *lines[2:]] for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        # A cross-reference in a cell (the runs table names the figures each run made) is printed as
        # its number: "@fig-snapshot-map" as "Figure 1".
        cells = [re.sub(r"@(fig-[\w-]+)", lambda m: f"Figure {numbers[m.group(1)]}", c) for c in cells]
        missing = [c for c in cells if not any(_squash(c) in t for t in texts)]
        assert not missing, f"{table.name}: {missing[:5]}"


def _figures(project: ProjectPaths, fmt: str = "svg") -> list[Path]:
    figures = sorted((project.paper_generated / "figures").glob(f"*.{fmt}"))
    assert [p.stem for p in figures] == sorted(FIGURES)
    return figures


@pytest.mark.parametrize("renderer", RENDERERS)
def test_html_embeds_exactly_the_figures_as_vectors(renders, project, renderer):
    # Issue 17, point 18: the figures are SVG in the HTML, embedded, none loaded from elsewhere.
    html = _output(renders, renderer, "html").read_text(encoding="utf-8")
    embedded = re.findall(r'<img[^>]+src="data:image/svg\+xml;base64,([^"]+)"', html)
    digests = sorted(hashlib.sha256(base64.b64decode(b)).hexdigest() for b in embedded)
    assert digests == sorted(hashlib.sha256(p.read_bytes()).hexdigest() for p in _figures(project))
    assert "data:image/png" not in html
    assert "<img" not in re.sub(r'<img[^>]+src="data:[^"]+"', "", html)  # no image loaded from elsewhere


@pytest.mark.parametrize("renderer", RENDERERS)
def test_pdf_draws_the_figures_as_vectors(renders, project, renderer):
    # Issue 17, point 18: no raster image in the PDF; the figures' words are text the PDF holds.
    reader = PdfReader(_output(renders, renderer, "pdf"))
    rasters = {hashlib.sha256(image.data).hexdigest(): image.image.size
               for page in reader.pages for image in page.images}
    # The one raster left is the map's colour bar, a gradient that matplotlib's SVG embeds as an image.
    assert len(rasters) <= 1 and all(max(size) >= 10 * min(size) for size in rasters.values()), rasters
    assert len(_figures(project, "png")) == len(FIGURES)  # PNG kept beside, for the atlas and notebooks


@pytest.mark.parametrize(("renderer", "kind"), OUTPUTS)
def test_file_names_hold_no_invisible_characters(renders, project, renderer, kind):
    # Issue 17, point 19: a file name copied from the paper is the file's name, with no zero-width
    # space or soft hyphen in it (the tables used to let names break after underscores).
    text = _texts(renders, renderer, kind)[0]
    from analysis.data.manifest import load_manifest
    names = sorted(load_manifest(project))
    assert [n for n in names if n not in text] == []
    assert "_\u200b" not in text


@pytest.mark.parametrize("renderer", RENDERERS)
def test_title_page_has_a_date_and_says_where_the_code_is(renders, renderer):
    # Issue 17, point 21: the scratch copy is no git checkout, so its date is 1 January 1980.
    for kind in ("pdf", "html"):
        text = _squash(_texts(renders, renderer, kind)[0])
        assert _squash("January 1, 1980") in text
        assert _squash("built by the code in its repository, built outside a git checkout") in text


def test_quarto_keeps_its_pandoc_metadata_out_of_the_output(renders, project):
    # Issue 17, point 20: about a hundred lines of pandoc options and metadata per format.
    require("quarto" in renders, "Quarto (quarto on the PATH)")
    run = cli(project.root, "paper", "--engine", "quarto", "--force")
    assert "output-file:" not in run.stdout + run.stderr and "metadata" not in run.stdout + run.stderr
    assert len((run.stdout + run.stderr).splitlines()) < 5, run.stdout


@pytest.mark.parametrize(("renderer", "kind"), OUTPUTS)
def test_every_cross_reference_and_citation_is_resolved(renders, renderer, kind):
    for text in _texts(renders, renderer, kind):
        for left in ("??", "?@", "{{<", ">}}", "@fig-", "@tbl-", "@walkfree"):
            assert left not in text, f"{left!r} left in the {renderer} {kind}"
        # Author-date citations in every output (Typst's own default would be numbered).
        # Several works of Walk Free in 2023 are cited, so the year takes a letter (2023a, ...).
        assert re.search(r"\(Walk Free 2023[a-z]?\)", text) and "Gallagher 2017" in text
        assert not re.search(r"\[\d+\]", text)


@pytest.mark.parametrize("renderer", RENDERERS)
def test_html_links_have_their_targets(renders, project, renderer):
    html = _output(renders, renderer, "html").read_text(encoding="utf-8")
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    targets = re.findall(r'href="#([^"]+)"', html)
    qmd = (project.paper / "paper.qmd").read_text(encoding="utf-8")
    referenced = set(re.findall(r"@((?:fig|tbl)-[\w-]+)", qmd))
    assert referenced
    assert {t for t in targets if t.startswith(("fig-", "tbl-"))} == referenced
    assert not [t for t in targets if t not in ids]


@pytest.mark.parametrize("renderer", RENDERERS)
def test_pdf_is_a4_with_title_and_the_fixed_date(renders, renderer):
    reader = PdfReader(_output(renders, renderer, "pdf"))
    assert {(round(p.mediabox.width), round(p.mediabox.height)) for p in reader.pages} == {(595, 842)}
    assert reader.metadata.title.startswith("Modern slavery in North Korea")
    # The scratch project is no git checkout: the date is the fixed 1980-01-01, not the build's.
    assert reader.metadata["/CreationDate"].startswith("D:19800101000000")


@pytest.mark.parametrize(("renderer", "kind"), OUTPUTS)
def test_appendix_says_which_renderer_built_the_paper(renders, renderer, kind):
    name = {"quarto": "Quarto (HTML, and PDF through Typst)",
            "pandoc": "pandoc + Typst fallback (no Quarto on the PATH)"}
    for text in _texts(renders, renderer, kind)[:1]:
        assert _squash(name[renderer]) in _squash(text)
        assert "not built from a git checkout" in text
        assert _squash(f"Python {'.'.join(map(str, sys.version_info[:3]))}") in _squash(text)


def test_fallback_renders_byte_identical_files_twice(renders, project):
    first = {p.name: p.read_bytes() for p in (renders["pandoc"]).iterdir()}
    cli(project.root, "paper", "--engine", "pandoc", "--force")
    assert {p.name: p.read_bytes() for p in project.paper_output.iterdir()} == first


def test_source_date_prefers_source_date_epoch(monkeypatch, tmp_path):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert source_date(tmp_path) == 1_700_000_000
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert source_date(tmp_path) == 315_532_800  # not a git checkout: 1980-01-01


def test_document_header_is_a_typst_set_rule():
    header = document_header('A "quoted" title', "Someone", 1_700_000_000)
    assert header.splitlines()[1] == ('#set document(title: "A \\"quoted\\" title", author: "Someone", '
                                      "date: datetime(year: 2023, month: 11, day: 14, hour: 22, "
                                      "minute: 13, second: 20))")


def test_choose_renderer(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert choose_renderer("auto") == ("pandoc", None)
    with pytest.raises(Exception, match="quarto is not on the PATH"):
        choose_renderer("quarto")
    fake = tmp_path / "quarto"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    assert choose_renderer("auto") == ("quarto", str(fake))
    assert choose_renderer("pandoc") == ("pandoc", None)


def _info(**change) -> BuildInfo:
    base = dict(renderer="quarto", python="3.11.7", packages={"numpy": "2.4.6"}, quarto="1.7.34",
                pandoc="3.6.1", typst="0.13.1", commit="0123456789abcdef", dirty=False)
    return BuildInfo(**{**base, **change})


def test_build_table_rows():
    rows = build_table(_info()).splitlines()
    assert rows[0] == "| Software | Version |"
    assert rows[2:] == ["| Renderer | Quarto (HTML, and PDF through Typst) |", "| Python | 3.11.7 |",
                        "| `numpy` | 2.4.6 |", "| Quarto | 1.7.34 |", "| pandoc | 3.6.1 |",
                        "| Typst | 0.13.1 |", "| Git commit | `0123456789ab` |"]
    assert "uncommitted changes" in build_table(_info(dirty=True)).splitlines()[-1]
    assert "not built from a git checkout" in build_table(_info(commit=None))


def test_git_state_sees_uncommitted_changes(tmp_path):
    git = shutil.which("git")
    require(git, "git")
    run = lambda *a: subprocess.run([git, *a], cwd=tmp_path, check=True, capture_output=True)  # noqa: E731
    run("init", "-q")
    (tmp_path / "a.txt").write_text("1")
    run("add", "a.txt")
    run("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "one")
    commit, dirty = git_state(tmp_path)
    assert len(commit) == 40 and dirty is False
    (tmp_path / "a.txt").write_text("2")
    assert git_state(tmp_path) == (commit, True)
    sub = tmp_path / "sub"
    sub.mkdir()
    assert git_state(sub) == (None, False)  # inside a checkout is not the checkout


@pytest.mark.parametrize("renderer", RENDERERS)
def test_an_apostrophe_after_a_digit_is_not_set_as_a_prime(renders, renderer):
    # Typst sets the ' that pandoc writes for "2019's" as a prime (2019′s); the text avoids it.
    text = pdf_text(_output(renders, renderer, "pdf"))
    assert "\u2032" not in text
