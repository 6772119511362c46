"""Students adapt the compendium (issue 15): a notebook of their own, inputs as they type them, a CLI
that helps. Every test drives the real command line; the Lab's side is in test_lab.py."""

from __future__ import annotations

import json
import re

import matplotlib
import pytest

from analysis.cli import _parser
from analysis.paths import ProjectPaths

from cli_helpers import assert_one_error_line, run_cli
from conftest import cli, tree_digest

matplotlib.use("Agg")


@pytest.fixture
def scratch(scratch, paths) -> ProjectPaths:
    """The conftest's scratch copy of the data, with the notebooks."""
    import shutil
    shutil.copytree(paths.notebooks, scratch.notebooks)
    return scratch


def _readme_block(paths: ProjectPaths, heading: str) -> str:
    """The README's section under ``heading`` (to follow it as written)."""
    text = (paths.root / "README.md").read_text(encoding="utf-8")
    start = text.index(f"## {heading}")
    end = text.find("\n## ", start + 1)
    return text[start:end if end > 0 else None]


# --- inputs as a student types them -----------------------------------------------------------------

@pytest.mark.parametrize("given", ["eri", "ER", "Eritrea", "eritrea "])
def test_a_country_may_be_a_code_in_any_case_an_alpha2_code_or_a_name(scratch, monkeypatch, capsys, given):
    run = run_cli(["notebooks", "country_snapshot", "-p", "country", given, "--dry-run"], scratch,
                  monkeypatch, capsys)
    assert run.status == 0, run.err
    assert "country_snapshot ERI_2023" in run.out


@pytest.mark.parametrize("given", ["DPRK", "North Korea", "Korea DPR",
                                   "Korea, Democratic People's Republic of"])
def test_the_common_aliases_of_north_korea_are_accepted(scratch, monkeypatch, capsys, given):
    run = run_cli(["notebooks", "country_snapshot", "-p", json.dumps({"country": given}), "--dry-run"],
                  scratch, monkeypatch, capsys)
    assert run.status == 0, run.err
    assert "country_snapshot PRK_2023" in run.out


@pytest.mark.parametrize(("given", "suggested"), [("Eritria", "ERI (Eritrea)"), ("Brasil", "BRA (Brazil)"),
                                                  ("PKR", "PRK (North Korea)")])
def test_a_typo_gets_one_short_line_with_the_nearest_countries(scratch, monkeypatch, capsys, given,
                                                                suggested):
    run = run_cli(["notebooks", "country_snapshot", "-p", "country", given], scratch, monkeypatch, capsys)
    assert run.status == 2
    assert_one_error_line(run.err)
    assert len(run.err.strip()) <= 200, run.err
    assert "did you mean" in run.err and suggested in run.err, run.err


def test_a_country_without_an_estimate_is_one_short_line(scratch, monkeypatch, capsys):
    run = run_cli(["notebooks", "country_snapshot", "-p", "country", "Fiji"], scratch, monkeypatch, capsys)
    assert run.status == 2
    assert_one_error_line(run.err)
    assert len(run.err.strip()) <= 200, run.err
    assert "FJI (Fiji) has no prevalence estimate in GSI 2023" in run.err


def test_papermill_style_and_json_parameters_give_the_same_run(scratch, monkeypatch, capsys):
    papermill = run_cli(["notebooks", "edition_comparison", "-p", "country", "ERI", "-p", "edition_from",
                         "2016", "--dry-run"], scratch, monkeypatch, capsys)
    as_json = run_cli(["notebooks", "edition_comparison", "-p", '{"country": "ERI", "edition_from": 2016}',
                       "--dry-run"], scratch, monkeypatch, capsys)
    assert papermill.status == as_json.status == 0, papermill.err + as_json.err
    assert "edition_comparison ERI_2016_2023" in papermill.out
    assert papermill.out == as_json.out


def test_countries_matches_aliases_and_fits_80_columns(paths):
    everything = cli(paths.root, "countries").stdout
    assert max(map(len, everything.splitlines())) <= 80
    found = cli(paths.root, "countries", "dprk").stdout
    assert re.search(r"^PRK\s+North Korea$", found, re.M), found
    assert max(map(len, found.splitlines())) <= 80


def test_the_atlas_takes_names_too(scratch, monkeypatch, capsys):
    run = run_cli(["atlas", "--countries", "north korea, eritrea", "--dry-run"], scratch, monkeypatch, capsys)
    assert run.status == 0, run.err
    wrong = run_cli(["atlas", "--countries", "Eritria", "--dry-run"], scratch, monkeypatch, capsys)
    assert_one_error_line(wrong.err)
    assert "did you mean ERI (Eritrea)" in wrong.err


# --- a CLI like the tools students know -------------------------------------------------------------

def test_a_bare_command_prints_the_help_with_the_commands(paths):
    run = cli(paths.root)
    assert run.stdout.startswith("usage: python -m analysis")
    for command in ("all", "notebooks", "new", "lab", "runs", "countries", "atlas", "paper"):
        assert re.search(rf"^\s+{command}\s", run.stdout, re.M), command
    assert "``" not in run.stdout  # no raw docstring


def test_version(paths):
    import analysis
    assert cli(paths.root, "--version").stdout.strip() == f"python -m analysis {analysis.__version__}"


def test_every_command_and_option_has_a_sentence_of_help():
    parser = _parser()
    (commands,) = [a for a in parser._actions if a.dest == "command"]
    missing = [f"{name}" for name, p in commands.choices.items()
               if not next(a.help for a in commands._choices_actions if a.dest == name)]
    for name, sub in commands.choices.items():
        missing += [f"{name} {a.option_strings or a.dest}" for a in sub._actions if not a.help]
    assert not missing


# --- a notebook of one's own ------------------------------------------------------------------------

@pytest.mark.notebooks
def test_a_students_notebook_runs_from_the_cli_and_leaves_the_papers_runs_alone(project, paths):
    root = project.root
    paper_runs = tree_digest(root, ("results/runs", "paper/_output"))
    section = _readme_block(paths, "Add your own notebook")
    assert "python -m analysis new regional_ranks" in section
    cli(root, "new", "regional_ranks")
    listed = cli(root, "notebooks", "--list").stdout
    assert re.search(r"^regional_ranks\s+\(notebooks/04_regional_ranks\.ipynb\)\n\s+parameters: "
                     r"country='PRK', edition=2023", listed, re.M), listed
    assert "notebooks regional_ranks -p country ERI" in section
    run = cli(root, "notebooks", "regional_ranks", "-p", "country", "ERI")
    (folder,) = (project.runs / "regional_ranks").iterdir()
    assert f"outputs: results/runs/regional_ranks/{folder.name}/" in run.stdout
    record = json.loads((folder / "record.json").read_text())
    assert record["parameters"] == {"country": "ERI", "edition": 2023}
    assert "data/processed/gsi_country_edition.csv" in record["inputs"]["read"]
    assert sorted(record["outputs"]) == ["figures/region_prevalence.png", "figures/region_prevalence.svg",
                                         "notebook.ipynb", "tables/region.csv", "values.json"]
    values = json.loads((folder / "values.json").read_text())
    assert values["country"] == "ERI" and values["rank_in_region"] == 1  # Eritrea is first in Africa
    assert re.search(rf"^\s+results/runs/regional_ranks/{folder.name}/\s+country='ERI', edition=2023$",
                     cli(root, "runs").stdout, re.M)
    # Counts are integers in the saved table.
    assert re.search(r"^ERI,Eritrea,[0-9.]+,[0-9]+$", (folder / "tables/region.csv").read_text(), re.M)
    assert tree_digest(root, ("results/runs", "paper/_output")) == {
        **paper_runs, **tree_digest(root, (f"results/runs/regional_ranks/{folder.name}",))}
    assert "nothing to do" in cli(root, "all", "--engine", "pandoc", "--dry-run").stdout


@pytest.mark.notebooks
def test_an_empty_notebook_is_listed_as_not_runnable_and_stops_nothing(project):
    (project.notebooks / "Untitled.ipynb").write_text(
        '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}\n')
    listed = cli(project.root, "notebooks", "--list").stdout
    assert re.search(r"^Untitled\s+\(notebooks/Untitled\.ipynb\)\n\s+not runnable: notebooks/Untitled.ipynb "
                     r"has no code cell tagged 'parameters'", listed, re.M), listed
    assert "nothing to do" in cli(project.root, "all", "--engine", "pandoc", "--dry-run").stdout
    refused = cli(project.root, "notebooks", "Untitled", check=False)
    assert refused.returncode == 2 and "has no code cell tagged 'parameters'" in refused.stderr


def test_new_refuses_a_name_that_is_taken_or_not_a_name(scratch, monkeypatch, capsys):
    taken = run_cli(["new", "country_snapshot"], scratch, monkeypatch, capsys)
    assert taken.status == 2 and "already has the name 'country_snapshot'" in taken.err
    bad = run_cli(["new", "My Notebook"], scratch, monkeypatch, capsys)
    assert bad.status == 2 and "cannot name a notebook" in bad.err


# --- figures keep what a student draws ---------------------------------------------------------------

def test_a_plain_figure_keeps_its_long_labels(tmp_path):
    import matplotlib.pyplot as plt

    from analysis.figures.png import DPI
    from analysis.runs.outputs import RunOutputs

    fig, ax = plt.subplots(figsize=(4, 2))
    ax.barh(["Democratic Republic of the Congo", "North Korea"], [1, 2])
    before = fig.get_tightbbox(fig.canvas.get_renderer())
    assert before.x0 < 0, "the label sticks out of the figure as drawn"  # what would be cut
    (png, _svg) = RunOutputs(tmp_path).save_figure(fig, "bars")
    box = fig.get_tightbbox(fig.canvas.get_renderer())
    width, height = fig.get_size_inches()
    assert 0 <= box.x0 and box.x1 <= width and 0 <= box.y0 and box.y1 <= height
    from PIL import Image
    with Image.open(png) as image:
        assert image.size == (int(width * DPI), int(height * DPI))
        pixels = image.convert("L").load()
        assert min(pixels[x, y] for x in range(int(0.3 * DPI)) for y in range(image.size[1])) < 128, \
            "the start of the long label is drawn"
    plt.close(fig)


# --- progress on a terminal, one line otherwise --------------------------------------------------------

def _in_a_terminal(args: list[str], root, columns: int = 100) -> str:
    """Run ``python -m analysis ARGS`` with a pseudo-terminal of ``columns`` as its output; return what
    it drew, escape sequences removed and carriage returns as new lines."""
    import fcntl
    import os
    import pty
    import struct
    import subprocess
    import sys
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    process = subprocess.Popen([sys.executable, "-m", "analysis", *args], stdout=follower, stderr=follower,
                               stdin=subprocess.DEVNULL, env={**os.environ, "ANALYSIS_ROOT": str(root)})
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the process ended
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert process.wait(timeout=600) == 0
    text = b"".join(chunks).decode(errors="replace")
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text).replace("\r", "\n")


@pytest.mark.notebooks
def test_a_notebook_run_shows_its_cells_progress_on_a_terminal_and_one_line_otherwise(project):
    given = ["notebooks", "population_sensitivity", "-p", "draws", "20000", "-p", "seed", "7"]
    drawn = _in_a_terminal(given, project.root)
    assert re.search(r"population_sensitivity:\s+\d+%\|.*\| \d+/\d+ \[", drawn), drawn  # the cells' bar
    assert re.search(r"build:\s+\d+%\|", drawn), drawn
    plain = cli(project.root, *given, "--force")
    assert "%|" not in plain.stdout + plain.stderr
    assert re.search(r"^\[notebooks\] 1 run, \d+ up to date, in [0-9.]+ s$", plain.stdout, re.M), plain.stdout


def test_counts_are_integers_in_result_tables(tables):
    from analysis.analyses import comparison

    result = comparison.analyse(tables["gsi_country_edition.csv"], tables["population_sources.csv"], "PRK",
                                2018, 2023)
    side = result.tables["side_by_side"].set_index("measure")
    count = side.loc["estimated_number", "2023"]
    assert count == 2696000 and type(count) is int
    assert type(side.loc["prevalence_per_1000", "2023"]) is float
    assert "2696000.0" not in side.to_string() and "2696000" in side.to_string()
    assert str(result.tables["all_countries"]["population_2023"].dtype) == "Int64"


@pytest.mark.notebooks
def test_a_students_notebook_leaves_the_papers_provenance_alone(project, paths):
    import shutil
    import subprocess

    def git(*args: str) -> str:
        return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=project.root,
                              capture_output=True, text=True, check=True).stdout

    shutil.copy(paths.root / ".gitignore", project.root / ".gitignore")
    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "x")
    cli(project.root, "all", "--engine", "pandoc")  # now a checkout: the paper names its commit
    commit = git("rev-parse", "HEAD").strip()[:12]
    cli(project.root, "new", "regional_ranks")  # untracked: the checkout is dirty, the paper's files not
    assert "nothing to do" in cli(project.root, "all", "--engine", "pandoc", "--dry-run").stdout
    variables = (project.paper / "_variables.yml").read_text()
    assert f"commit {commit}" in variables and "uncommitted" not in variables
    (project.paper / "note.md").write_text("an edit of the paper's own folder\n")
    assert "would run  paper: git.dirty changed" in cli(project.root, "all", "--engine", "pandoc",
                                                        "--dry-run").stdout
