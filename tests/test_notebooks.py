"""Run the notebooks with papermill, with their defaults and for other countries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.errors import ParameterError
from analysis.paths import ProjectPaths
from analysis.runs.notebooks import discover, find, parse_defaults
from analysis.runs.parameters import merged, validate

from conftest import copy_project, run_notebook

pytestmark = pytest.mark.notebooks


@pytest.fixture(scope="module")
def other(tmp_path_factory, built) -> ProjectPaths:
    """A copy of the built project, for runs of other countries."""
    return ProjectPaths(copy_project(built, tmp_path_factory.mktemp("other"), with_outputs=True))


def _values(folder: Path) -> dict:
    return json.loads((folder / "values.json").read_text())


def _run(built: ProjectPaths, notebook: str) -> Path:
    """The folder of the paper's run of ``notebook`` in the built project."""
    return next(p.parent for p in built.runs.glob(f"{notebook}/*/record.json"))


def test_snapshot_defaults_reproduce_north_korea(built):
    folder = _run(built, "country_snapshot")
    assert folder.name.startswith("PRK_2023-")
    v = _values(folder)
    assert (v["name"], v["region"], v["rank_in_region"]) == ("North Korea", "Asia and the Pacific", 1)
    assert round(v["prevalence_per_1000"], 1) == 104.6
    assert v["estimated_number"] == 2_696_000 and v["population"] == 25_779_000
    assert round(v["vulnerability_total"]) == 67 and round(v["govt_total_pct"]) == -3
    assert v["ranked_above_by_number"] == ["India", "China"]
    assert v["widest_vulnerability_gap_dimension"] == "Governance issues"
    for part in ("map", "prevalence", "number", "vulnerability", "response"):
        for ext in ("png", "svg"):
            assert (folder / "figures" / f"{part}.{ext}").stat().st_size > 1000
    outputs = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert len(outputs) == 17  # 5 figures x (PNG, SVG), 4 tables, values, notebook, record
    assert b"<dc:date>" not in (folder / "figures" / "map.svg").read_bytes()


def test_comparison_defaults_show_the_rate_carried_forward(built):
    v = _values(_run(built, "edition_comparison"))
    assert v["carried_forward"] is True and v["rounded_elsewhere"] == []
    assert v["count_published_change"] == 56_000 and round(v["count_implied_change"]) == 56_944
    assert v["population_split"]["growth"] == 594_982
    assert v["countries_in_both"] == 160


def test_sensitivity_defaults(built):
    v = _values(_run(built, "population_sensitivity"))
    assert v["published_rank"] == 1 and v["rank_holds_for_all_figures"] is True
    assert v["runner_up"] == "Eritrea"
    assert (v["population_low"], v["population_high"], v["figures"]) == (25_778_815, 26_232_534, 5)
    assert round(v["count_min"], -3) == 2_696_000 and round(v["count_max"], -3) == 2_744_000
    assert v["rank_share_first_decreasing"] is True
    assert v["draws"] == 1_000_000 and [round(s, 3) for s in v["rank_share_first"]] == [
        0.981, 0.85, 0.698, 0.634]


def test_snapshot_for_another_country(other):
    v = _values(run_notebook(other, "country_snapshot", {"country": "ERI", "edition": 2018}))
    assert (v["name"], v["region"]) == ("Eritrea", "Africa")
    assert round(v["prevalence_per_1000"], 1) == 93.0  # GSI 2018: 93.0 per 1,000
    assert v["estimated_number"] == 451_000


def test_comparison_for_another_country(other):
    v = _values(run_notebook(other, "edition_comparison", {"country": "IND"}))
    assert v["count_published_from"] == 7_989_000 and v["count_published_to"] == 11_050_000
    assert v["population_split"] is None  # the World Bank vintages are held for North Korea only


def test_sensitivity_for_another_country(other):
    folder = run_notebook(other, "population_sensitivity", {"country": "ERI", "draws": 10_000})
    v = _values(folder)
    assert v["published_rank"] == 2 and v["rank_holds_for_all_figures"] is None
    assert v["sources"] == ["UN WPP 2019"]
    notebook = (folder / "notebook.ipynb").read_text()
    assert "the World Bank vintages are not held for Eritrea" in notebook


def test_a_rerun_with_the_same_inputs_is_skipped_and_a_forced_one_is_byte_identical(other):
    folder = run_notebook(other, "country_snapshot", {"country": "ERI", "edition": 2018})
    before = {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
    mtimes = {p: p.stat().st_mtime_ns for p in before}
    run_notebook(other, "country_snapshot", {"country": "ERI", "edition": 2018})
    assert {p: p.stat().st_mtime_ns for p in before} == mtimes, "an up-to-date run was run again"
    run_notebook(other, "country_snapshot", {"country": "ERI", "edition": 2018}, force=True)
    assert {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()} == before


def _check(paths: ProjectPaths, name: str, given: dict) -> dict:
    notebook = find(paths, name)
    return validate(notebook, merged(notebook, given), paths)


@pytest.mark.parametrize(("name", "given", "message"), [
    ("country_snapshot", {"contry": "PRK"}, "has no parameter 'contry'; it takes country"),
    ("country_snapshot", {"edition": "2023"}, "'edition' must be int"),
    ("country_snapshot", {"country": "ZZZ"}, "not an ISO 3166-1 alpha-3 code"),
    ("country_snapshot", {"edition": 2016}, "edition=2016 is not available"),
    ("population_sensitivity", {"draws": 1.5}, "'draws' must be int"),
    ("population_sensitivity", {"draws": 5}, "draws=5 must be a whole number from 1,000"),
    ("population_sensitivity", {"population_sources": "UN WPP"}, "'population_sources' must be list"),
    ("population_sensitivity", {"country": "USA", "population_sources": ["World Bank WDI"]},
     r"hold no population for USA .* held for PRK only"),
    ("no_such_notebook", {}, "no notebook 'no_such_notebook' in notebooks/"),
])
def test_bad_parameters_are_refused_before_a_kernel_starts(built, name, given, message):
    with pytest.raises(ParameterError, match=message):
        _check(built, name, given)


def test_parameters_are_canonical_and_a_float_accepts_an_int(built):
    params = _check(built, "population_sensitivity", {"prevalence_relative_sd": 0, "country": "prk"})
    assert params["prevalence_relative_sd"] == 0 and params["country"] == "PRK"


def test_every_notebook_is_runnable_and_named_by_its_file(paths):
    notebooks = discover(paths)
    assert notebooks and all(nb.runnable for nb in notebooks.values())
    for name, nb in notebooks.items():
        assert nb.path.stem.endswith(name) and nb.defaults


@pytest.mark.parametrize(("source", "value"), [
    ("1_000_000", 1_000_000), ("-0.5", -0.5), ('["UN WPP", "GSI"]', ["UN WPP", "GSI"]), ('"PRK"', "PRK"),
    ("None", None), ('{"a": 1}', {"a": 1}),
])
def test_literals_in_a_parameters_cell_are_read(source, value):
    assert parse_defaults(f"x = {source}  # a comment", "n.ipynb") == {"x": value}


@pytest.mark.parametrize("source", ["__import__('os').system('true')", "draws", "len([1])", "10**6",
                                    "[x for x in (1,)]"])
def test_code_in_a_parameters_cell_is_refused_in_one_line(source):
    with pytest.raises(ParameterError, match=r"n.ipynb, parameters cell, line 2: x = .* is not a literal"):
        parse_defaults(f"seed = 1\nx = {source}\n", "n.ipynb")


def test_committed_notebooks_have_no_outputs(paths):
    for nb in discover(paths).values():
        cells = json.loads(nb.path.read_text())["cells"]
        assert all(not c.get("outputs") and c.get("execution_count") is None
                   for c in cells if c["cell_type"] == "code")


@pytest.mark.paper
def test_paper_renders_without_quarto_with_resolved_references(built):
    html = (built.paper_output / "paper.html").read_text()
    pdf = built.paper_output / "paper.pdf"
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 100_000
    assert "{{<" not in html and "@fig-" not in html and "@tbl-" not in html
    for n in range(1, 8):
        assert f">Figure\u00a0{n}</a>" in html
    assert ">Table\u00a06</a>" in html
    # Numbers come from the pipeline: North Korea's published figures appear as computed.
    assert "2,696,000 people" in html and "104.6 per 1,000" in html
    assert "Gallagher" in html  # citations resolved by citeproc
    prk = _run(built, "edition_comparison")
    scatter = built.paper_generated / "figures" / "comparison_scatter.png"
    assert scatter.read_bytes() == (prk / "figures" / "all_countries.png").read_bytes()
