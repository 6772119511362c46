"""Run the notebooks with papermill, with their defaults and for other countries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.errors import ParameterError
from analysis.paper import build_paper
from analysis.paths import ProjectPaths
from analysis.pipeline.parameters import check_parameters, constant_value, notebook_defaults
from analysis.pipeline.registry import NOTEBOOKS
from analysis.pipeline.runner import resolve, run_all, run_notebook

from conftest import copy_project

pytestmark = pytest.mark.notebooks


@pytest.fixture(scope="module")
def project(tmp_path_factory, paths) -> ProjectPaths:
    """A copy of the project's data, notebooks and paper, so that tests write to a scratch results/."""
    return ProjectPaths(copy_project(paths, tmp_path_factory.mktemp("project")))


def _values(folder: Path) -> dict:
    return json.loads((folder / "values.json").read_text())


def test_snapshot_defaults_reproduce_north_korea(project):
    folder = run_notebook("country_snapshot", {}, paths=project)
    assert folder.parent == project.runs / "country_snapshot" and folder.name.startswith("PRK_2023-")
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


def test_snapshot_for_another_country(project):
    folder = run_notebook("country_snapshot", {"country": "ERI", "edition": 2018}, paths=project)
    v = _values(folder)
    assert (v["name"], v["region"]) == ("Eritrea", "Africa")
    assert round(v["prevalence_per_1000"], 1) == 93.0  # GSI 2018: 93.0 per 1,000
    assert v["estimated_number"] == 451_000


def test_rerun_with_same_inputs_is_skipped_and_figures_are_byte_identical(project, capsys):
    def outputs(folder: Path) -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
    folder = run_notebook("country_snapshot", {}, paths=project)
    before = outputs(folder)
    assert len(before) == 17  # 5 figures x (PNG, SVG), 4 tables, values, notebook, record
    run_notebook("country_snapshot", {}, paths=project)
    assert "skip country_snapshot" in capsys.readouterr().out
    run_notebook("country_snapshot", {}, paths=project, force=True)
    assert outputs(folder) == before
    assert b"<dc:date>" not in before["map.svg"]


def test_comparison_defaults_show_the_rate_carried_forward(project):
    v = _values(run_notebook("edition_comparison", {}, paths=project))
    assert v["carried_forward"] is True and v["rounded_elsewhere"] == []
    assert v["count_published_change"] == 56_000 and round(v["count_implied_change"]) == 56_944
    assert v["population_split"]["growth"] == 594_982
    assert v["countries_in_both"] == 160


def test_comparison_for_another_country(project):
    v = _values(run_notebook("edition_comparison", {"country": "IND"}, paths=project))
    assert v["count_published_from"] == 7_989_000 and v["count_published_to"] == 11_050_000
    assert v["population_split"] is None  # the World Bank vintages are held for North Korea only


def test_sensitivity_defaults(project):
    v = _values(run_notebook("population_sensitivity", {"draws": 200_000}, paths=project))
    assert v["published_rank"] == 1 and v["rank_holds_for_all_figures"] is True
    assert v["runner_up"] == "Eritrea"
    assert (v["population_low"], v["population_high"], v["figures"]) == (25_778_815, 26_232_534, 5)
    assert round(v["count_min"], -3) == 2_696_000 and round(v["count_max"], -3) == 2_744_000
    assert v["rank_share_first_decreasing"] is True


def test_sensitivity_for_another_country(project):
    folder = run_notebook("population_sensitivity", {"country": "ERI", "draws": 10_000}, paths=project)
    v = _values(folder)
    assert v["published_rank"] == 2 and v["rank_holds_for_all_figures"] is None
    assert v["sources"] == ["UN WPP 2019"]
    notebook = (folder / "notebook.ipynb").read_text()
    assert "the World Bank vintages are not held for Eritrea" in notebook


@pytest.mark.parametrize(("name", "given", "message"), [
    ("country_snapshot", {"contry": "PRK"}, "has no parameter 'contry'; it takes country"),
    ("country_snapshot", {"edition": "2023"}, "'edition' must be int"),
    ("country_snapshot", {"country": "ZZZ"}, "not an ISO 3166-1 alpha-3 code"),
    ("population_sensitivity", {"draws": 1.5}, "'draws' must be int"),
    ("population_sensitivity", {"population_sources": "UN WPP"}, "'population_sources' must be list"),
    ("population_sensitivity", {"country": "USA", "population_sources": ["World Bank WDI"]},
     r"hold no population for USA .* held for PRK only"),
    ("no_such_notebook", {}, "unknown notebook"),
])
def test_bad_parameters_are_refused_before_a_kernel_starts(project, name, given, message):
    with pytest.raises(ParameterError, match=message):
        resolve(name, given, project)


def test_every_notebook_has_a_parameters_cell(paths):
    for spec in NOTEBOOKS.values():
        assert "country" in notebook_defaults(paths.notebooks / spec.file)


def test_float_parameter_accepts_int(paths):
    merged = check_parameters(paths.notebooks / "03_population_sensitivity.ipynb",
                              {"prevalence_relative_sd": 0})
    assert merged["prevalence_relative_sd"] == 0


@pytest.mark.parametrize(("source", "value"), [
    ("10**6", 1_000_000), ("1_000_000", 1_000_000), ("-0.5", -0.5), ('["UN WPP", "GSI"]', ["UN WPP", "GSI"]),
    ("2 * 10**5 + 1", 200_001), ('"PRK"', "PRK"), ("None", None),
])
def test_constant_expressions_in_a_parameters_cell_are_evaluated(source, value):
    assert constant_value(source) == value


@pytest.mark.parametrize("source", ["__import__('os').system('true')", "draws", "len([1])", "10**1000",
                                    "[x for x in (1,)]", "1 +"])
def test_code_in_a_parameters_cell_is_refused(source):
    with pytest.raises(ValueError):
        constant_value(source)


def test_a_parameters_cell_with_code_is_refused_in_one_line(tmp_path, paths):
    nb = json.loads((paths.notebooks / "03_population_sensitivity.ipynb").read_text())
    cell = next(c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", []))
    cell["source"] = ["draws = int('7')\n", "seed = 10**6\n"]
    (tmp_path / "n.ipynb").write_text(json.dumps(nb))
    message = r"n.ipynb, parameters cell: draws = int\('7'\) is not a constant"
    with pytest.raises(ParameterError, match=message):
        notebook_defaults(tmp_path / "n.ipynb")


def test_committed_notebooks_have_no_outputs(paths):
    for spec in NOTEBOOKS.values():
        nb = json.loads(Path(paths.notebooks / spec.file).read_text())
        assert all(not c.get("outputs") and c.get("execution_count") is None
                   for c in nb["cells"] if c["cell_type"] == "code")


@pytest.mark.paper
def test_paper_renders_without_quarto_with_resolved_references(project, monkeypatch):
    monkeypatch.setenv("PATH", "/usr/bin:/bin")  # make sure no quarto is found
    run_all(paths=project)
    html_path, pdf_path = build_paper("pandoc", paths=project)
    html = html_path.read_text()
    assert pdf_path.read_bytes().startswith(b"%PDF") and pdf_path.stat().st_size > 100_000
    assert "{{<" not in html and "@fig-" not in html and "@tbl-" not in html
    for n in range(1, 8):
        assert f">Figure\u00a0{n}</a>" in html
    assert ">Table\u00a06</a>" in html
    # Numbers come from the pipeline: North Korea's published figures appear as computed.
    assert "2,696,000 people" in html and "104.6 per 1,000" in html
    assert "Gallagher" in html  # citations resolved by citeproc
    # The runs for ERI and IND above do not reach the paper: its scatter is the PRK run's.
    prk = next(project.runs.glob("edition_comparison/PRK_2018_2023-*"))
    scatter = project.paper_generated / "figures" / "comparison_scatter.png"
    assert scatter.read_bytes() == (prk / "figures" / "all_countries.png").read_bytes()
