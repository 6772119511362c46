"""Issue 16, slow tier (``make test-slow``; ``.ci/run`` runs it): ``python -m analysis reproduce`` as a
reviewer runs it, rebuilding from clean in a scratch copy of a copy of this checkout.

Three rebuilds: the checkout as it is (every exhibit reproduced), one raw value changed and rehashed
(exit 1, every changed exhibit named), and a deliberately different environment (text drawn without
anti-aliasing through a matplotlibrc, and the paper rendered by the fallback): numbers reproduced,
figures differing only in pixels.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from paper_renders import require

pytestmark = [pytest.mark.slow, pytest.mark.notebooks, pytest.mark.paper]

SOURCES = ("data/raw", "data/processed", "notebooks", "paper", "reference", "CITATION.cff", "pyproject.toml")


def _project(paths, dest: Path) -> Path:
    for part in SOURCES:
        source = paths.root / part
        if source.is_dir():
            shutil.copytree(source, dest / part, ignore=shutil.ignore_patterns(
                "_generated", "_output", "_variables.yml", ".quarto"))
        else:
            shutil.copy2(source, dest / part)
    return dest


def _reproduce(root: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis", "reproduce", *args], capture_output=True,
                          text=True, timeout=1200, env={**os.environ, "ANALYSIS_ROOT": str(root), **env})


def test_a_clean_checkout_reproduces_every_exhibit(paths, tmp_path):
    require(shutil.which("quarto"), "Quarto (quarto on the PATH)")
    root = _project(paths, tmp_path / "p")
    run = _reproduce(root)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr
    last = run.stdout.strip().splitlines()
    assert last[-1].startswith("every exhibit reproduced: 11 tables, 7 figures"), last[-1]
    assert "run  country_snapshot" in run.stdout and "rendering with Quarto" in run.stdout  # progress
    assert "time taken: " in run.stdout
    report = (root / "results" / "replication" / "report.md").read_text()
    assert "| Figure 7 | `@fig-sensitivity` | identical bytes |" in report
    assert (root / "results" / "replication" / "report.html").read_text().startswith("<!DOCTYPE html>")
    # The rebuild was made elsewhere: nothing but the report is written into the project.
    assert sorted(p.name for p in (root / "results").iterdir()) == ["replication"]
    assert not (root / "paper" / "_output").exists()


def test_a_changed_raw_value_fails_and_names_every_exhibit_and_number_that_changed(paths, tmp_path):
    root = _project(paths, tmp_path / "p")
    raw = root / "data" / "raw" / "gsi2023_country_table.csv"
    raw.write_text(raw.read_text().replace(",67.01499449667587,", ",68.5,"))  # North Korea's vulnerability
    rehash = subprocess.run([sys.executable, "-m", "analysis", "rehash", str(raw)], capture_output=True,
                            text=True, env={**os.environ, "ANALYSIS_ROOT": str(root)})
    assert rehash.returncode == 0, rehash.stderr
    run = _reproduce(root, "--engine", "pandoc")
    assert run.returncode == 1, run.stdout[-3000:] + run.stderr
    summary = run.stdout.strip().splitlines()[-1]
    assert summary.startswith("numbers differ: "), summary
    report = (root / "results" / "replication" / "report.md").read_text()
    differing = report.split("## Values that differ")[1].split("\n## ")[0]
    # Each exhibit that shows the value, with the reference's value, the new one and where.
    for row in ["| Table 1 | Measure=Vulnerability, total (0 to 100) | GSI 2023 | 67.0 | 68.5 | Table 1, row "
                "'Vulnerability, total (0 to 100)', column 'GSI 2023' |",
                "| Table 2 | Measure=Vulnerability, total (0 to 100) | GSI 2023 | 67.0 | 68.5 |",
                "| nk_vuln_2023 | nk_vuln_2023 | 67.0 | 68.5 | section 'The GSI 2023 country snapshot, "
                "recomputed' |",
                "| Figure 3 | measure=vulnerability_total | country | 67.01499449667587 | 68.5 | plotted in "
                "Figure 3 |",
                "| Table 11 | Raw file (data/raw/)=`gsi2023_country_table.csv` | sha256 |"]:
        assert row.replace(" | GSI 2023 |", " \\| GSI 2023 |").replace(" | country |", " \\| country |") \
            .replace(" | sha256 |", " \\| sha256 |") in differing, row
    # ... and only those: the exhibits that do not show it are reproduced.
    exhibits = report.split("## Exhibits of the paper")[1].split("\n## ")[0]
    for unchanged in ("Table 3", "Table 4", "Table 5", "Figure 1", "Figure 2", "Figure 6", "Figure 7"):
        assert f"| {unchanged} |" in exhibits and "| different |" not in exhibits.split(
            f"| {unchanged} |")[1].splitlines()[0], unchanged


def test_another_environment_reads_numbers_reproduced_and_figures_differing_only_in_pixels(paths, tmp_path):
    root = _project(paths, tmp_path / "p")
    rc = tmp_path / "matplotlibrc"
    rc.write_text("text.antialiased: False\n")
    run = _reproduce(root, "--engine", "pandoc", MATPLOTLIBRC=str(rc))
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr
    summary = run.stdout.strip().splitlines()[-1]
    assert summary.startswith("numbers reproduced; 7 figures differ only in pixels"), summary
    assert "the paper's HTML and PDF come from another renderer" in summary
    report = (root / "results" / "replication" / "report.md").read_text()
    assert "| The paper's text | `paper/_output/paper.html` | same numbers | rendered by pandoc" in report
    assert "| different |" not in report and "| missing |" not in report
