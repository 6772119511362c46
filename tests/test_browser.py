"""The HTML paper, Quarto's and the fallback's, in headless Chromium with the network off.

playwright drives the system ``chromium`` (Debian's; playwright's own browser
download is not used). Every request that is not ``file:`` or ``data:`` is
blocked and counted. Full-page screenshots of each paper, at a desktop width and
at 400 px, are saved under ``results/screenshots/``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from paper_renders import RENDERERS, chromium, render_both, require

pytestmark = pytest.mark.paper

NARROW = 400  # px: a phone
#: Chromium as root in a container, without the services that would reach the network.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-default-apps", "--disable-extensions"]


@dataclass
class PageReport:
    """What one page did in the browser."""

    console_errors: list[str] = field(default_factory=list)
    network: list[str] = field(default_factory=list)  # URLs that were not file: or data:
    images: list[dict] = field(default_factory=list)  # src (cut), naturalWidth
    broken_links: list[str] = field(default_factory=list)  # '#id' links without a target
    xref_links: int = 0
    scroll_width: int = 0  # at NARROW px


@pytest.fixture(scope="session")
def browser():
    exe = chromium()
    require(exe, "chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        # launch() gives the browser a fresh temporary profile (--user-data-dir) of its own.
        b = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        yield b
        b.close()


def inspect_page(browser, url: str, screenshots: Path | None = None) -> PageReport:
    """Open ``url`` with the network off; report errors, requests, images, links and width.

    With ``screenshots`` (a path without suffix), save full-page screenshots at a
    desktop width (``<path>.png``) and at ``NARROW`` px (``<path>-400px.png``).
    """
    report = PageReport()
    context = browser.new_context(viewport={"width": 1200, "height": 900}, service_workers="block")

    def route(r):
        if r.request.url.startswith(("file:", "data:")):
            r.continue_()
        else:
            report.network.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: report.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: report.console_errors.append(f"uncaught: {e}"))
    page.on("request", lambda r: None if r.url.startswith(("file:", "data:")) or r.url in report.network
            else report.network.append(r.url))
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    report.images = page.evaluate("""() => Array.from(document.images).map(i => (
        {src: i.currentSrc.slice(0, 40), complete: i.complete, naturalWidth: i.naturalWidth}))""")
    links = page.evaluate("""() => Array.from(document.querySelectorAll('a[href^="#"]'))
        .map(a => decodeURIComponent(a.getAttribute('href').slice(1)))
        .filter(id => id.length > 0)
        .map(id => [id, document.getElementById(id) !== null])""")
    report.broken_links = [f"#{i}" for i, ok in links if not ok]
    report.xref_links = sum(1 for i, _ in links if i.startswith(("fig-", "tbl-")))
    if screenshots is not None:
        screenshots.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{screenshots}.png", full_page=True)
    page.set_viewport_size({"width": NARROW, "height": 800})
    report.scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if screenshots is not None:
        page.screenshot(path=f"{screenshots}-{NARROW}px.png", full_page=True)
    context.close()
    return report


@pytest.fixture(scope="session")
def renders(tmp_path_factory, built) -> dict[str, Path]:
    return render_both(tmp_path_factory.mktemp("renders"), built)


@pytest.mark.parametrize("renderer", RENDERERS)
def test_html_paper_in_chromium(browser, renders, paths, renderer):
    if renderer == "quarto":
        require("quarto" in renders, "Quarto (quarto on the PATH)")
    html = renders[renderer] / "paper.html"
    shots = paths.results / "screenshots" / f"paper-{renderer}"
    report = inspect_page(browser, html.as_uri(), screenshots=shots)
    assert report.console_errors == []
    assert report.network == []
    assert len(report.images) == 7
    assert all(i["complete"] and i["naturalWidth"] > 0 for i in report.images), report.images
    assert report.xref_links >= 13 and report.broken_links == []
    assert report.scroll_width <= NARROW, f"page is {report.scroll_width} px wide at {NARROW} px"
    for suffix in (".png", f"-{NARROW}px.png"):
        assert Path(f"{shots}{suffix}").stat().st_size > 50_000


def test_inspection_catches_what_it_checks(browser, tmp_path):
    """A page with each fault: the report must show every one of them."""
    page = tmp_path / "bad.html"
    page.write_text("""<!doctype html><html><body>
      <img src="https://example.org/a.png"><img src="missing.png">
      <a href="#fig-nowhere">Figure 9</a>
      <div style="width: 600px">wide</div>
      <script>console.error("boom"); fetch("http://127.0.0.1:9/x").catch(() => {});</script>
    </body></html>""")
    report = inspect_page(browser, page.as_uri())
    assert "boom" in report.console_errors
    assert "https://example.org/a.png" in report.network and "http://127.0.0.1:9/x" in report.network
    assert [i["naturalWidth"] for i in report.images] == [0, 0]
    assert report.broken_links == ["#fig-nowhere"] and report.xref_links == 1
    assert report.scroll_width > NARROW


@pytest.mark.parametrize("renderer", RENDERERS)
def test_both_html_papers_have_quartos_page(browser, renders, renderer):
    """Issue 17, point 20: the title block, the abstract under its heading, the contents in the margin
    beside the text (not over it) on a wide screen; on a phone, wide tables scroll in their box."""
    if renderer == "quarto":
        require("quarto" in renders, "Quarto (quarto on the PATH)")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto((renders[renderer] / "paper.html").as_uri(), wait_until="load")
    found = page.evaluate("""() => {
        const box = e => e && e.getBoundingClientRect();
        const toc = box(document.querySelector('nav#TOC'));
        const text = box(document.querySelector('#introduction p, section p'));
        const abstract = document.querySelector('.abstract');
        return {toc: !!toc, beside: !!(toc && text && toc.left >= text.right - 1),
                abstract: !!abstract && /abstract/i.test(abstract.innerText.slice(0, 40)),
                date: /January 1, 1980/.test(document.querySelector('header').innerText)};
    }""")
    assert found == {"toc": True, "beside": True, "abstract": True, "date": True}, found
    page.set_viewport_size({"width": NARROW, "height": 800})
    overflow = page.evaluate("""() => Array.from(document.querySelectorAll('table'))
        .filter(t => t.scrollWidth > t.clientWidth + 1)
        .map(t => getComputedStyle(t).overflowX)""")
    assert overflow and set(overflow) == {"auto"}, overflow
    page.close()
