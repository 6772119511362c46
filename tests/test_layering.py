"""The layout shows the flow, and a step depends only on what it reads (issue 14, layering)."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

import analysis

from conftest import cli, edit_raw, notebook_with_cell, tree_digest

LIBRARY = Path(analysis.__file__).parent
#: Each layer and the layers it must never import (the flow: data -> analyses -> runs -> paper).
FORBIDDEN = {
    "data": ("pipeline", "build", "steps", "runs", "analyses", "figures", "atlas", "paper"),
    "analyses": ("pipeline", "build", "steps", "runs", "figures", "atlas", "paper"),
    "figures": ("pipeline", "build", "steps", "runs", "atlas", "paper"),
}


def _imports(path: Path) -> set[str]:
    """The modules of the package that ``path`` imports, as dotted names relative to ``analysis``."""
    package = path.relative_to(LIBRARY.parent).with_suffix("").parts[:-1]
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            base = list(package[: len(package) - node.level + 1]) if node.level else []
            module = ".".join([*base, *(node.module.split(".") if node.module else [])])
            names = [f"{module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        out |= {n.removeprefix("analysis.") for n in names if n.startswith("analysis.")}
    return out


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_no_import_goes_back_up_the_flow(layer):
    wrong = {}
    for path in sorted((LIBRARY / layer).rglob("*.py")):
        bad = sorted(m for m in _imports(path) if m.split(".")[0] in FORBIDDEN[layer])
        if bad:
            wrong[path.relative_to(LIBRARY).as_posix()] = bad
    assert not wrong


def _stamps(project) -> dict[str, str]:
    """Digest of everything the build publishes, to show that a command changed nothing."""
    return tree_digest(project.root, ("data/processed", "results/runs", "paper/_output", "paper/_generated"))


@pytest.mark.notebooks
def test_prose_metadata_and_outputs_of_a_notebook_rerun_nothing(project):
    path = project.notebooks / "01_country_snapshot.ipynb"
    notebook_with_cell(path, "A note a student wrote.", cell_type="markdown")
    nb = json.loads(path.read_text())
    nb["metadata"]["kernelspec"]["display_name"] = "Python 3 (ipykernel)"
    nb["metadata"]["language_info"] = {"name": "python", "version": "3.11.7"}
    nb["cells"][1]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "saved by the Lab\n"}]
    nb["cells"][1]["execution_count"] = 7
    path.write_text(json.dumps(nb, indent=1))
    before = _stamps(project)
    run = cli(project.root, "all", "--engine", "pandoc")
    assert _stamps(project) == before, run.stdout
    assert "run " not in run.stdout and "rebuilding" not in run.stdout


@pytest.mark.notebooks
def test_a_new_notebook_reruns_nothing_and_an_empty_one_stops_nothing(project):
    (project.notebooks / "Untitled.ipynb").write_text(json.dumps(
        {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    before = _stamps(project)
    run = cli(project.root, "all", "--engine", "pandoc")
    assert _stamps(project) == before, run.stdout


def test_reading_processed_data_never_writes(project):
    (project.processed / "gsi_country_edition.csv").unlink()
    run = cli(project.root, "countries", check=False)
    assert run.returncode == 2
    line = run.stderr.strip()
    assert "\n" not in line and "python -m analysis data" in line, line
    assert not (project.processed / "gsi_country_edition.csv").exists()


def test_the_data_step_with_nothing_changed_writes_nothing(project):
    before = {p.name: p.stat().st_mtime_ns for p in project.processed.iterdir()}
    cli(project.root, "data")
    assert {p.name: p.stat().st_mtime_ns for p in project.processed.iterdir()} == before


@pytest.mark.notebooks
def test_a_dry_run_says_what_would_run_and_why_and_writes_nothing(project):
    assert "nothing to do" in cli(project.root, "all", "--dry-run", "--engine", "pandoc").stdout
    edit_raw(project, "gsi2023_country_table.csv", lambda t: t.replace(",67.01499449667587,", ",67.5,"))
    before = _stamps(project)
    out = cli(project.root, "all", "--dry-run", "--engine", "pandoc").stdout
    assert _stamps(project) == before
    assert "data/raw/gsi2023_country_table.csv" in out and "would run" in out, out


def test_a_fallback_file_left_by_a_kill_does_not_rerender_the_paper(project):
    pdf = project.paper_output / "paper.pdf"
    before = pdf.stat().st_ino, pdf.stat().st_mtime_ns
    (project.paper / "paper.fallback.typ").write_text("// left behind by a killed render\n")
    cli(project.root, "paper", "--engine", "pandoc")
    assert (pdf.stat().st_ino, pdf.stat().st_mtime_ns) == before
