"""Issue 16, fast tier: the committed reference, and comparisons of real builds with it.

The build compared is the one the renderer tests make once per session
(tests/paper_renders.py); figures and values are perturbed in copies of it, as
another environment or another input would change them. The full scenario
(``python -m analysis reproduce`` rebuilding from clean) is in test_reproduce.py,
the slow tier.
"""

from __future__ import annotations

import re
from markupsafe import escape
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from analysis.paths import ProjectPaths
from analysis.replication import compare as verdicts
from analysis.replication.commands import reproduce
from analysis.replication.compare import compare
from analysis.replication.exhibits import paper_exhibits, variable_places
from analysis.replication.numbers import agree
from analysis.replication.readme import END, START, exhibits_table, readme_block
from analysis.replication.reference import read_reference, reference_folder, write_reference
from analysis.replication.report import markdown_report, summary_line, Context
from analysis.replication.results import collect
from cli_helpers import assert_one_error_line, run_cli
from conftest import copy_project

pytestmark = [pytest.mark.notebooks, pytest.mark.paper]


@pytest.fixture(scope="session")
def rendered(tmp_path_factory, built, paths) -> ProjectPaths:
    """A copy of the session's clean build with the paper rendered as the reference is: by Quarto when it
    is on the PATH, dated by the release date of CITATION.cff (as python -m analysis reproduce does)."""
    import os
    import subprocess
    import sys

    from analysis.replication.rebuild import release_epoch

    root = copy_project(built, tmp_path_factory.mktemp("rendered"), with_outputs=True)
    engine = "quarto" if shutil.which("quarto") else "pandoc"
    env = {**os.environ, "ANALYSIS_ROOT": str(root), "SOURCE_DATE_EPOCH": str(release_epoch(paths))}
    subprocess.run([sys.executable, "-m", "analysis", "paper", "--engine", engine], env=env, check=True,
                   capture_output=True, timeout=900)
    return ProjectPaths(root)


@pytest.fixture
def copy(rendered, tmp_path) -> ProjectPaths:
    """A copy of that build which a test may change."""
    root = tmp_path / "copy"
    for part in ("data", "notebooks", "paper", "results"):
        shutil.copytree(rendered.root / part, root / part, ignore=shutil.ignore_patterns(".lock"))
    return ProjectPaths(root)


def test_the_reference_holds_every_exhibit_and_nothing_of_the_machine(paths):
    ref = read_reference(paths)
    for exhibit in paper_exhibits(paths):
        assert exhibit.generated_file in ref.files, exhibit
    assert set(variable_places(paths)) <= set(ref.values["paper/_variables.yml"])
    assert len(ref.figures) == 7 and all(len(sig.grid) == 32 for sig in ref.figures.values())
    assert {"paper/_output/paper.html", "paper/_output/paper.pdf"} <= set(ref.files)
    assert not [p for p in ref.files if p.endswith("record.json")]
    assert ref.environment["Renderer"].startswith("Quarto") and ref.environment["Quarto"] == "1.7.34"
    # Table 4 and the band of Table 3, which no test held before issue 16.
    rank = ref.values["paper/_generated/tables/rank.md"]
    shares = [rank[f"Assumed relative standard deviation (every country)={sd} | Comes top (% of draws)"]
              for sd in ("5%", "10%", "20%", "30%")]
    assert shares == ["98.1", "85.0", "69.8", "63.4"]
    band = ref.values["paper/_generated/tables/sensitivity.md"][
        "Quantity=People in modern slavery | Monte Carlo 95% band, population alone uncertain"]
    assert band == "2,698,000 to 2,743,000"
    text = "\n".join(p.read_text() for p in reference_folder(paths).rglob("*") if p.is_file())
    for machine in ("cpu_count", "processor", "execution", "dirty", "/tmp/", str(paths.root)):
        assert machine not in text, machine
    files = (reference_folder(paths) / "files.sha256").read_text().splitlines()
    assert files == sorted(files, key=lambda line: line.split("  ", 1)[1])


def test_the_readme_lists_the_exhibits_as_the_reference_generates_them(paths):
    block = readme_block(paths)
    assert block == exhibits_table(paths, read_reference(paths))
    assert block.count("\n| Table ") == 11 and block.count("\n| Figure ") == 7
    readme = (paths.root / "README.md").read_text()
    assert readme.count(START) == 1 and readme.count(END) == 1


def test_the_readme_replication_sections_follow_the_aea_template(paths):
    readme = (paths.root / "README.md").read_text()
    part = readme.split("## Replication package")[1].split("\n## ")[0]
    order = ["### Overview", "### Data availability and provenance statements", "#### Statement about rights",
             "#### Licence for data", "#### Summary of availability", "#### Details on each data source",
             "### Computational requirements", "#### Software requirements", "#### Controlled randomness",
             "#### Memory, runtime and storage requirements", "### Description of programs",
             "#### Licence for code", "### Instructions to replicators", "### List of exhibits",
             "### References"]
    positions = [part.find(f"\n{heading}\n") for heading in order]
    assert -1 not in positions and positions == sorted(positions), dict(zip(order, positions))
    import yaml
    manifest = yaml.safe_load(paths.manifest.read_text())["files"]
    originals = {e["extracted_from"]["sha256"] for e in manifest.values()
                 if str(e.get("extracted_from", {}).get("file", "")).endswith((".xlsx", "population_2020.csv",
                                                                               "by_vintage__datasets_population.csv"))}
    assert len(originals) == 5 and all(digest in part for digest in originals)
    assert "re-saved" in part and "seed" in part


def test_a_build_in_this_environment_reproduces_the_reference(rendered, paths):
    comparison = compare(read_reference(paths), collect(rendered), paths)
    assert comparison.numbers_reproduced, summary_line(comparison)
    assert {v.status for v in comparison.run_outputs} == {verdicts.IDENTICAL}
    assert {v.status for v in comparison.figures} == {verdicts.IDENTICAL}
    assert {v.status for v in comparison.text_numbers} == {verdicts.IDENTICAL}
    tables = {v.subject: v.status for v in comparison.tables}
    assert tables.pop("Table 10") in (verdicts.IDENTICAL, verdicts.ENVIRONMENT)  # the build table
    assert set(tables.values()) == {verdicts.IDENTICAL}


def _perturb_png(path: Path, change) -> None:
    with Image.open(path) as image:
        pixels = np.asarray(image.convert("RGBA")).copy()
    change(pixels)
    Image.fromarray(pixels).save(path, optimize=True)  # Pillow's encoder, not the build's


def test_figures_differing_only_in_pixels_are_reported_as_such_and_do_not_fail(copy, paths):
    figures = {p.stem: p for p in copy.runs.glob("*/*/figures/*.png")}
    _perturb_png(figures["prevalence"], lambda px: None)  # the same pixels, other bytes
    _perturb_png(figures["number"], lambda px: px.__setitem__((slice(40, 44), slice(40, 44)), 128))
    _perturb_png(figures["all_countries"], lambda px: px.__setitem__((slice(0, 200), slice(0, 300)), 0))
    comparison = compare(read_reference(paths), collect(copy), paths)
    by_figure = {v.subject: v for v in comparison.figures}
    assert (by_figure["Figure 2"].status, by_figure["Figure 2"].detail) == (verdicts.SAME_PICTURE,
                                                                              "identical pixels")
    assert by_figure["Figure 5"].status == verdicts.SAME_PICTURE  # the counts: Figure 5 since referee 2
    assert "differ, by at most" in by_figure["Figure 5"].detail
    assert by_figure["Figure 6"].status == verdicts.PIXELS_ONLY
    assert comparison.numbers_reproduced and not comparison.failures()
    line = summary_line(comparison)
    assert line.startswith("numbers reproduced; 2 figures differ only in pixels (1 within the pixel "
                           "tolerance, 1 beyond it)"), line
    assert summary_line(comparison, strict=True).endswith("outputs are not byte-identical")


def test_a_changed_value_is_named_with_both_values_and_where_the_paper_shows_it(copy, paths):
    table = next(copy.runs.glob("country_snapshot/*/tables/vulnerability.csv"))
    table.write_text(table.read_text().replace("67.01499449667587", "68.5", 1))
    variables = copy.paper / "_variables.yml"
    variables.write_text(variables.read_text().replace("nk_vuln_2023: '67.0'", "nk_vuln_2023: '68.5'"))
    comparison = compare(read_reference(paths), collect(copy), paths)
    failed = {v.subject: v for v in comparison.failures()}
    assert set(failed) == {"Figure 3", "nk_vuln_2023", next(
        v.subject for v in comparison.run_outputs if v.subject.endswith("vulnerability.csv"))}
    (number,) = failed["nk_vuln_2023"].differences
    assert (number.reference, number.new) == ("67.0", "68.5")
    assert number.where == "section 'The GSI 2023 country snapshot, recomputed'"
    (plotted,) = failed["Figure 3"].differences  # vulnerability: Figure 3 since referee 2
    assert (plotted.reference, plotted.new) == ("67.01499449667587", "68.5")
    assert plotted.item == "measure=vulnerability_total | country" and plotted.where == "plotted in Figure 3"
    report = markdown_report(comparison, Context(seconds=1.0, engine="auto"))
    assert "| nk_vuln_2023 | nk_vuln_2023 | 67.0 | 68.5 | section 'The GSI 2023 country snapshot" in report
    assert summary_line(comparison).startswith("numbers differ: 3 values in 3 exhibits and outputs")


def test_the_reference_is_written_whole_and_reads_back_as_written(rendered, tmp_path):
    project = ProjectPaths(tmp_path)
    results = collect(rendered)
    write_reference(project, results, "readme\n")
    assert read_reference(project) == results
    assert (tmp_path / "reference").is_dir()
    staged = tmp_path / "results" / ".staging"
    assert not staged.exists() or not any(staged.iterdir())  # no staging folder left


def test_numbers_agree_within_the_stated_tolerance():
    assert agree("2696483.4", "2696483.4000000004") and agree("2,696,000", "2696000")
    assert not agree("104.6", "104.61") and not agree("98.1", "98.0") and not agree("Eritrea", "Somalia")
    assert agree("\u22122.6", "-2.6") and agree("0.0", "1e-13")


def test_reproduce_without_a_reference_refuses_in_one_line(tmp_path, monkeypatch, capsys):
    project = ProjectPaths(tmp_path)
    shutil.copytree(ProjectPaths(Path(__file__).resolve().parents[1]).paper, tmp_path / "paper")
    run = run_cli(["reproduce"], project, monkeypatch, capsys)
    assert run.status == 2
    assert_one_error_line(run.err)
    assert "no reference in reference/" in run.err
    assert not (tmp_path / "results").exists()


def test_reference_without_quarto_refuses_and_leaves_the_reference(paths, tmp_path, monkeypatch, capsys):
    shutil.copytree(reference_folder(paths), tmp_path / "reference")
    before = {p: p.read_bytes() for p in (tmp_path / "reference").rglob("*") if p.is_file()}
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    run = run_cli(["reference"], ProjectPaths(tmp_path), monkeypatch, capsys)
    assert run.status == 2
    assert_one_error_line(run.err)
    assert "quarto is not on the PATH" in run.err
    assert {p: p.read_bytes() for p in (tmp_path / "reference").rglob("*") if p.is_file()} == before


def test_reproduce_refuses_to_rebuild_into_a_folder_that_is_not_empty(paths, tmp_path):
    (tmp_path / "something").write_text("mine")
    from analysis.errors import AnalysisError
    with pytest.raises(AnalysisError, match="not empty"):
        reproduce(paths, keep=tmp_path)
    assert (tmp_path / "something").read_text() == "mine"


def test_the_report_html_is_self_contained(copy, paths):
    from analysis.replication.report import html_report
    comparison = compare(read_reference(paths), collect(copy), paths)
    html = html_report(comparison, Context(seconds=1.0, engine="auto"))
    assert "<script" not in html and not re.search(r"(src|href)=\"https?:", html)
    assert str(escape(summary_line(comparison).split(";")[0])) in html  # as Jinja2 escapes it
