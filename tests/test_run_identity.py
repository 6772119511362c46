"""Run identity (issue 7): the paper is built only from its own runs, never from stale,
failed or foreign output. Each test is one scenario, driven through the command line as a user
would, on a copy of a built project."""

from __future__ import annotations

import difflib
import json
import os
import platform
import signal
import subprocess
import sys
import time

import pytest
import yaml

from conftest import cli, edit_raw, notebook_with_cell, tree_digest
from cli_helpers import started_as_from_a_terminal

pytestmark = [pytest.mark.notebooks, pytest.mark.paper]

PAPER_FILES = ("paper/_variables.yml", "paper/_generated", "paper/_output/paper.html")


def _paper_digest(p) -> dict[str, str]:
    return tree_digest(p.root, PAPER_FILES)


def test_1_runs_for_other_countries_do_not_change_the_paper(built, project):
    cli(project.root, "notebooks", "edition_comparison", "-p", '{"country": "ERI"}')
    cli(project.root, "notebooks", "population_sensitivity", "-p", '{"seed": 1, "draws": 200000}')
    cli(project.root, "paper", "--engine", "pandoc", "--force")
    assert _paper_digest(project) == _paper_digest(built)
    # Each run has its own folder; none shares a file with another.
    folders = sorted(p.parent for p in project.runs.glob("*/*/record.json"))
    assert len(folders) == 5
    assert "ERI_2018_2023" in " ".join(f.name for f in folders)


def test_2_the_appendix_prints_the_parameters_the_run_recorded(project):
    cli(project.root, "notebooks", "population_sensitivity", "-p", '{"seed": 1, "draws": 200000}')
    cli(project.root, "paper", "--engine", "pandoc", "--force")
    variables = yaml.safe_load((project.paper / "_variables.yml").read_text())
    appendix = (project.paper_generated / "tables" / "runs.md").read_text()
    records = [json.loads(p.read_text()) for p in project.runs.glob("population_sensitivity/*/record.json")]
    assert sorted(r["parameters"]["seed"] for r in records) == [1, 20230524]  # two runs, two folders
    params = next(r["parameters"] for r in records if r["parameters"]["seed"] != 1)
    assert variables["sens_seed"] == str(params["seed"]) == "20230524"
    assert variables["sens_draws"] == f"{params['draws']:,}" == "1,000,000"
    assert "seed = 20230524" in appendix and "draws = 1000000" in appendix
    assert "`seed = 1`" not in appendix


def test_3_a_change_of_environment_makes_every_run_stale(project, tmp_path):
    # Another environment, for real: a package the build has not seen appears on the path.
    (tmp_path / "site" / "newpackage-1.0.dist-info").mkdir(parents=True)
    env = {**os.environ, "ANALYSIS_ROOT": str(project.root), "PYTHONPATH": str(tmp_path / "site")}
    run = subprocess.run([sys.executable, "-m", "analysis", "all", "--dry-run", "--engine", "pandoc"],
                         env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    would = [line for line in run.stdout.splitlines() if line.startswith("would run")]
    assert len(would) == 5 and all("package newpackage added" in line or "after" in line for line in would)


def test_4_a_changed_raw_value_reaches_the_notebooks_and_the_paper(project):
    # A deliberate edit, with its checksum: North Korea's 2023 vulnerability score.
    edit_raw(project, "gsi2023_country_table.csv", lambda t: t.replace(",67.01499449667587,", ",68.5,"))
    cli(project.root, "notebooks")
    values = json.loads(next(project.runs.glob("country_snapshot/*/values.json")).read_text())
    assert values["vulnerability_total"] == 68.5
    cli(project.root, "paper", "--engine", "pandoc")
    assert yaml.safe_load((project.paper / "_variables.yml").read_text())["nk_vuln_2023"] == "68.5"
    assert "68.5 against a regional" in (project.paper_output / "paper.html").read_text()


def test_5_a_failed_run_leaves_the_previous_run_and_the_paper_refuses(project):
    folder = next(project.runs.glob("population_sensitivity/*/record.json")).parent
    before = tree_digest(folder, ("",))
    notebook_with_cell(project.notebooks / "03_population_sensitivity.ipynb",
                       "raise RuntimeError('boom after a table was shown')", after='tables["like_for_like"]')
    paper_before = _paper_digest(project)
    run = cli(project.root, "all", "--engine", "pandoc", check=False)
    assert run.returncode == 2
    assert "boom after a table was shown" in run.stderr and run.stderr.count("\n") == 1
    assert "steps that need it were not run" in run.stderr
    assert tree_digest(folder, ("",)) == before, "the previous complete run was changed"
    assert not (project.staging.exists() and list(project.staging.iterdir()))
    assert list(project.failed.glob("population_sensitivity/*.ipynb"))
    assert _paper_digest(project) == paper_before


def test_6_two_builds_at_once_wait_for_each_other_and_keep_records_apart(project):
    env = {**os.environ, "ANALYSIS_ROOT": str(project.root)}
    command = [sys.executable, "-m", "analysis", "notebooks", "country_snapshot", "-p",
               '{"country": "ERI"}', "--force"]
    first = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(2.5)
    second = subprocess.Popen([*command[:-3], "--force"], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    out1, err1 = first.communicate(timeout=300)
    out2, err2 = second.communicate(timeout=300)
    assert first.returncode == 0 and second.returncode == 0, err1 + err2
    assert "waiting: another build (pid " in err2
    for record_path in project.runs.glob("*/*/record.json"):
        record = json.loads(record_path.read_text())
        on_disk = sorted(p.relative_to(record_path.parent).as_posix()
                         for p in record_path.parent.rglob("*") if p.is_file() and p.name != "record.json")
        assert sorted(record["outputs"]) == on_disk
        assert record["notebook"] == record_path.parent.parent.name


def test_7_litter_of_killed_builds_is_removed_and_never_enters_a_fingerprint(project):
    litter = [project.processed / ".gsi_country_edition.csv.x1y2.tmp.csv",
              project.staging / "run-country_snapshot-PRK_2023-0000000000" / "run" / "a.png",
              project.paper_output / ".paper.pdf.abc.tmp.pdf",
              project.kernel_runtime / "kernel-0000.json"]
    for path in litter:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("half-written")
    run = cli(project.root, "all", "--engine", "pandoc")
    assert "5 up to date" in run.stdout, run.stdout
    assert not any(p.exists() for p in litter)
    assert not list(project.staging.iterdir())


def test_nothing_changed_means_nothing_rerun_or_rerendered(project):
    run = cli(project.root, "paper", "--engine", "pandoc")
    assert "run " not in run.stdout and "5 up to date" in run.stdout


def test_executed_notebooks_show_their_charts(built):
    for record_path in built.runs.glob("*/*/record.json"):
        nb = json.loads((record_path.parent / "notebook.ipynb").read_text())
        images = sum("image/png" in o.get("data", {}) for c in nb["cells"] for o in c.get("outputs", []))
        figures = len(list((record_path.parent / "figures").glob("*.png")))
        assert images >= figures >= 1, record_path.parent
        ids = [c["id"] for c in nb["cells"]]
        assert "injected-parameters" in ids and len(set(ids)) == len(ids)
        meta = nb["metadata"]["papermill"]
        assert not {"start_time", "end_time", "duration", "input_path", "output_path"} & set(meta)
        assert nb["metadata"]["kernelspec"]["name"] == "python3"  # opens in the Lab's usual kernel


def _records_without_execution(runs) -> dict[str, dict]:
    records = {p.relative_to(runs).as_posix(): json.loads(p.read_text())
               for p in sorted(runs.glob("*/*/record.json"))}
    return {name: {k: v for k, v in record.items() if k != "execution"} for name, record in records.items()}


def test_a_forced_rerun_gives_byte_identical_run_folders(project):
    """Byte for byte, but for where the run ran (the record's ``execution``: here the command line)."""
    notebooks = sorted(project.runs.glob("*/*/notebook.ipynb"))
    texts = {p: p.read_text() for p in notebooks}
    before = {k: v for k, v in tree_digest(project.runs, ("",)).items() if not k.endswith("record.json")}
    records = _records_without_execution(project.runs)
    cli(project.root, "notebooks", "--force")
    for path, text in texts.items():  # show what differs, if anything
        diff = list(difflib.unified_diff(text.splitlines(), path.read_text().splitlines(), lineterm="", n=1))
        assert not diff, "\n".join(diff)
    after = {k: v for k, v in tree_digest(project.runs, ("",)).items() if not k.endswith("record.json")}
    assert after == before
    assert _records_without_execution(project.runs) == records
    records = [json.loads(p.read_text()) for p in project.runs.glob("*/*/record.json")]
    commands = {record["execution"]["command"] for record in records}
    assert commands == {"python -m analysis notebooks --force"}


def test_records_say_where_they_ran(built, paths):
    """Issue 16: the platform, the git commit of the code with a dirty flag, and the command line."""
    git = lambda *args: subprocess.run(["git", *args], cwd=paths.root, capture_output=True,  # noqa: E731
                                       text=True, check=True).stdout.strip()
    for record_path in built.runs.glob("*/*/record.json"):
        record = json.loads(record_path.read_text())
        where = record["execution"]
        assert where["platform"]["system"] == platform.system()
        assert where["platform"]["machine"] == platform.machine()
        assert where["platform"]["cpu_count"] == os.cpu_count()
        assert where["platform"]["python"] == platform.python_version()
        assert where["git"]["commit"] == git("rev-parse", "HEAD")
        assert where["git"]["dirty"] is bool(git("status", "--porcelain"))
        assert where["command"] == "python -m analysis notebooks"
        # Where a run ran is not what it depends on: a record's inputs never hold it.
        assert "execution" not in record["inputs"]
        assert set(record["execution"]) == {"platform", "git", "command"}


def test_a_notebook_run_by_hand_writes_to_results_interactive(project, monkeypatch):
    from analysis.runs.kernel import RUN_ENV
    from analysis.runs.outputs import run_outputs
    monkeypatch.delenv(RUN_ENV, raising=False)
    out = run_outputs("country_snapshot", project, country="PRK", edition=2023)
    assert out.folder.parent == project.interactive / "country_snapshot"
    assert out.folder.name.startswith("PRK_2023-")


def test_the_runs_command_lists_where_runs_went(project):
    cli(project.root, "notebooks", "country_snapshot", "-p", '{"country": "ERI"}')
    listing = cli(project.root, "runs").stdout
    assert "results/runs/country_snapshot/ERI_2023-" in listing
    assert listing.count("paper  ") == 3


def test_a_nonexistent_folder_run_is_not_listed(tmp_path):
    from analysis.paths import ProjectPaths
    from analysis.runs.listing import runs_on_disk
    assert runs_on_disk(ProjectPaths(tmp_path)) == []


def test_copy_of_a_run_folder_is_self_describing(built):
    folder = next(built.runs.glob("edition_comparison/*/record.json")).parent
    record = json.loads((folder / "record.json").read_text())
    assert record["parameters"] == {"country": "PRK", "edition_from": 2018, "edition_to": 2023}
    assert set(record["inputs"]) == {"notebook", "parameters", "runner", "environment", "interpreter",
                                     "format", "read"}
    assert "data/processed/gsi_country_edition.csv" in record["inputs"]["read"]
    assert any(name.endswith("analysis/analyses/comparison.py") for name in record["inputs"]["read"])
    assert record["kernel"]["environment"]["distributions"]["matplotlib"]
    assert record["kernel"]["executable"] == sys.executable


def test_ctrl_c_during_a_notebook_is_one_line_and_keeps_the_previous_run(project):
    folder = next(project.runs.glob("country_snapshot/*/record.json")).parent
    before = tree_digest(folder, ("",))
    env = {**os.environ, "ANALYSIS_ROOT": str(project.root)}
    run = subprocess.Popen([sys.executable, "-m", "analysis", "notebooks", "country_snapshot", "--force"],
                           env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           start_new_session=True, preexec_fn=started_as_from_a_terminal)
    line = run.stdout.readline()
    while line and not line.startswith("run  country_snapshot"):
        line = run.stdout.readline()
    time.sleep(2.0)  # the kernel is executing the notebook
    os.killpg(run.pid, signal.SIGINT)  # as a terminal does
    _, err = run.communicate(timeout=120)
    assert run.returncode == 130
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: interrupted (Ctrl-C);"), err
    assert "results/runs/country_snapshot/PRK_2023-" in lines[0] and "as it was" in lines[0]
    assert tree_digest(folder, ("",)) == before
    assert not list(project.staging.iterdir())
