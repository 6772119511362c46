"""The atlas: the notebook's figures for every country, built in parallel, with offline pages."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from analysis.analyses.published import differences
from analysis.analyses.snapshot import SnapshotResult
from analysis.atlas.country import estimates
from analysis.build.executor import Executor
from analysis.errors import ParameterError
from analysis.paths import ProjectPaths
from analysis.steps.atlas import atlas_steps

from conftest import copy_project, run_notebook

pytestmark = pytest.mark.notebooks

#: North Korea (the paper's), Afghanistan (response not assessed), the United States (Alaska).
COUNTRIES = ["AFG", "PRK", "USA"]
FIGURES = ("prevalence", "map", "number", "vulnerability", "response")


def build_atlas(paths: ProjectPaths, countries: list[str], edition: int | None = None) -> dict:
    """Draw the atlas of ``countries`` through the executor, as ``python -m analysis atlas`` does;
    return the countries drawn and up to date, and the atlas's folder."""
    steps, folder = atlas_steps(paths, edition, countries)
    report = Executor(paths, jobs=2, progress=False, say=lambda text: None).run(steps)
    outcomes = [o for o in report.outcomes if o.step.kind == "atlas country"]
    return {"drawn": sorted(o.step.fields["country"] for o in outcomes if o.status == "ran"),
            "current": sorted(o.step.fields["country"] for o in outcomes if o.status == "current"),
            "folder": folder}


@pytest.fixture(scope="module")
def project(tmp_path_factory, built) -> ProjectPaths:
    """A copy of the built project (data/processed is current), for the atlas."""
    return ProjectPaths(copy_project(built, tmp_path_factory.mktemp("atlas"), with_outputs=True))


@pytest.fixture(scope="module")
def drawn(project) -> dict:
    return build_atlas(project, COUNTRIES)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def test_the_atlas_builds_the_chosen_countries(drawn, project):
    assert (drawn["drawn"], drawn["current"], drawn["folder"]) == (COUNTRIES, [], project.results / "atlas")
    for iso3 in COUNTRIES:
        names = set(_files((project.results / "atlas") / iso3))
        figures = {n for n in names if n.startswith("figures/")}
        assert figures == {f"figures/{f}.png" for f in FIGURES}  # PNG only: SVG is the notebook's
        assert {"values.json", "thumbnail.png", "index.html", "record.json"} <= names


@pytest.mark.parametrize("iso3", COUNTRIES)
def test_the_atlas_draws_the_notebook_figures_byte_for_byte(drawn, project, iso3):
    run = _files(run_notebook(project, "country_snapshot", {"country": iso3}))
    mine = _files((project.results / "atlas") / iso3)
    shared = sorted(name for name in run if name.endswith(".png") or name.startswith("tables/")
                    or name == "values.json")
    assert len(shared) == 10  # 5 figures (PNG), 4 tables, the key numbers
    for name in shared:
        assert mine[name] == run[name], f"{iso3}: {name} differs from the notebook's"


def test_key_numbers_are_strict_json_with_null_for_a_missing_score(drawn, project):
    def refuse(constant):
        raise ValueError(f"not strict JSON: {constant}")
    values = json.loads((project.results / "atlas" / "AFG" / "values.json").read_text(),
                        parse_constant=refuse)
    assert values["govt_total_pct"] is None and values["govt_total_pct_regional_average"] > 0
    prk = json.loads(((project.results / "atlas") / "PRK" / "values.json").read_text())
    assert prk["estimated_number"] == 2_696_000 and round(prk["prevalence_per_1000"], 1) == 104.6


def test_a_second_run_with_nothing_changed_draws_nothing(drawn, project):
    again = build_atlas(project, COUNTRIES)
    assert (again["drawn"], again["current"]) == ([], COUNTRIES)


def test_a_country_with_a_damaged_output_is_drawn_again(drawn, project):
    ((project.results / "atlas") / "USA" / "figures" / "map.png").write_bytes(b"damaged")
    again = build_atlas(project, COUNTRIES)
    assert (again["drawn"], again["current"]) == (["USA"], ["AFG", "PRK"])
    assert ((project.results / "atlas") / "USA" / "figures" / "map.png").read_bytes().startswith(b"\x89PNG")


class _Page(HTMLParser):
    """Links, images, scripts and table rows of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.links, self.images, self.external, self.rows, self.text = [], [], [], 0, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("href", "src"):
            if ":" in attrs.get(key, ""):  # a scheme (http:, https:, file:) or a protocol-relative //
                self.external.append(attrs[key])
            elif attrs.get(key, "").startswith("//"):
                self.external.append(attrs[key])
        if tag == "a":
            self.links.append(attrs["href"])
        if tag == "img":
            self.images.append(attrs["src"])
        if tag == "tr":
            self.rows += 1

    def handle_data(self, data):
        self.text.append(data)


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def test_the_index_lists_every_country_offline_with_thumbnails(drawn, project):
    folder = (project.results / "atlas")
    index = _parse(folder / "index.html")
    assert index.external == []  # no CDN, nothing fetched from the network
    assert index.rows == 1 + len(COUNTRIES)  # the heading row and one per country
    assert {f"{c}/index.html" for c in COUNTRIES} <= set(index.links)
    assert sorted(index.images) == [f"{c}/thumbnail.png" for c in COUNTRIES]
    for target in index.links + index.images:
        assert (folder / target).is_file(), target
    text = " ".join(index.text)
    assert "not assessed" in text  # Afghanistan's government response
    assert "function sortBy" in (folder / "index.html").read_text() and "North Korea" in text


def test_each_country_page_shows_its_figures_and_numbers(drawn, project):
    folder = (project.results / "atlas") / "AFG"
    page = _parse(folder / "index.html")
    assert page.external == []
    assert [i for i in page.images] == [f"figures/{f}.png" for f in FIGURES]
    for target in page.links + page.images:
        assert (folder / target).resolve().is_file(), target
    assert "Afghanistan (AFG)" in " ".join(page.text) and "not assessed" in " ".join(page.text)


def test_countries_without_an_estimate_are_refused_before_any_work(project):
    with pytest.raises(ParameterError,
                       match=r"FJI \(Fiji\) has no prevalence estimate in GSI 2023; 160 countries have one"):
        atlas_steps(project, 2023, ["PRK", "FJI"])
    with pytest.raises(ParameterError, match=r"edition=2016 is not available"):
        atlas_steps(project, 2016, ["PRK"])


def test_another_edition_goes_to_its_own_folder(drawn, project):
    summary = build_atlas(project, ["eri"], 2018)
    assert summary["drawn"] == ["ERI"] and summary["folder"] == project.results / "atlas-2018"
    values = json.loads((summary["folder"] / "ERI" / "values.json").read_text())
    assert values["edition"] == 2018 and round(values["prevalence_per_1000"], 1) == 93.0


def test_key_numbers_that_differ_from_data_processed_are_reported(drawn, project):
    row = estimates(project, 2023)["PRK"]
    saved = SnapshotResult.from_dict(
        json.loads((project.results / "atlas" / "PRK" / "values.json").read_text()))
    def row_of(iso3, edition):
        return row if (iso3, edition) == ("PRK", 2023) else None
    assert differences(saved, row_of) == []
    changed = SnapshotResult.from_dict({**saved.to_dict(), "estimated_number": 2_696_001})
    assert differences(changed, row_of) == [
        "estimated_number: values.json has 2696001.0, data/processed/gsi_country_edition.csv has "
        "'2696000' (estimated_number, GSI 2023)"]


_BROWSER_CHECK = """<script>
window.addEventListener("load", () => {
  const headings = document.querySelectorAll("th button");
  headings[3].click(); headings[3].click();  // prevalence: ascending, then descending
  const order = Array.from(document.querySelectorAll("#countries tbody tr")).map(r => r.cells[2].textContent);
  const search = document.getElementById("search");
  search.value = "korea"; search.dispatchEvent(new Event("input"));
  const shown = Array.from(document.querySelectorAll("#countries tbody tr")).filter(r => !r.hidden);
  const images = Array.from(document.images).filter(i => i.complete && i.naturalWidth > 0).length;
  document.title = JSON.stringify({order, shown: shown.map(r => r.cells[2].textContent),
                                   count: document.getElementById("shown").textContent, images});
});
</script>"""


def _chromium() -> str | None:
    import shutil as _shutil
    return _shutil.which("chromium") or _shutil.which("chromium-browser")


def test_the_index_sorts_and_filters_in_a_headless_browser(drawn, project, tmp_path):
    import os
    import re
    import subprocess
    exe = _chromium()
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is needed for the browser test (apt-get install chromium)")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    folder = (project.results / "atlas")
    page = folder / ".browser-check.html"
    page.write_text((folder / "index.html").read_text().replace("</body>", _BROWSER_CHECK + "</body>"))
    try:
        run = subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                              "--disable-background-networking", "--disable-component-update",
                              "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}",
                              "--virtual-time-budget=5000", "--dump-dom", page.as_uri()],
                             capture_output=True, text=True, timeout=120)
    finally:
        page.unlink()
    title = re.search(r"<title>(.*?)</title>", run.stdout, re.S)
    assert title, run.stderr[-2000:]
    result = json.loads(title.group(1).replace("&quot;", '"'))
    assert result["order"] == ["PRK", "AFG", "USA"]  # 104.6, 13.0 and 3.3 per 1,000
    assert result["shown"] == ["PRK"] and result["count"] == "1"
    assert result["images"] == len(COUNTRIES)  # every thumbnail loaded from the disk


def test_two_atlas_commands_at_once_wait_for_each_other_and_keep_records_whole(drawn, project):
    import os
    import subprocess
    import sys

    from analysis.build.step import why_stale
    (project.results / "atlas" / "PRK" / "record.json").unlink()  # PRK must be drawn again
    env = {**os.environ, "ANALYSIS_ROOT": str(project.root)}
    command = [sys.executable, "-m", "analysis", "atlas", "--countries", "PRK,AFG"]
    runs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]
    outs = [run.communicate(timeout=600) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outs
    lines = sorted(next(line for line in out.splitlines() if line.startswith("[atlas]")) for out, _ in outs)
    # The second waited for the first, then found both countries done.
    assert lines[0].startswith("[atlas] 0 countries drawn, 2 up to date")
    assert lines[1].startswith("[atlas] 1 countries drawn, 1 up to date")
    steps, _ = atlas_steps(project, 2023, ["PRK"])
    record = json.loads((project.results / "atlas" / "PRK" / "record.json").read_text())
    assert record["country"] == "PRK" and why_stale(steps[0], project) is None
