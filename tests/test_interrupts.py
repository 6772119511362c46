"""Real signals and real dying processes (issue 14, failures 3, 7 and the kernel files of a kill)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest


from conftest import cli, notebook_with_cell, tree_digest
from cli_helpers import started_as_from_a_terminal

pytestmark = pytest.mark.notebooks


def test_a_dying_kernel_is_one_line_and_keeps_the_failed_notebook(project):
    folder = next(project.runs.glob("edition_comparison/*/record.json")).parent
    before = tree_digest(folder, ("",))
    notebook_with_cell(project.notebooks / "02_edition_comparison.ipynb", "import os\nos._exit(1)",
                       after="side_by_side")
    run = cli(project.root, "notebooks", check=False)
    assert run.returncode == 2, run.stdout
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "died" in lines[0], run.stderr
    assert "results/failed/edition_comparison/" in lines[0]
    kept = list(project.failed.glob("edition_comparison/*.ipynb"))
    assert kept and "side_by_side" in kept[0].read_text()
    assert tree_digest(folder, ("",)) == before


def _published(atlas: Path) -> dict[str, float]:
    return {p.parent.name: p.stat().st_mtime for p in atlas.glob("*/record.json")}


def test_ctrl_c_stops_the_atlas_at_once(project):
    env = {**os.environ, "ANALYSIS_ROOT": str(project.root)}
    proc = subprocess.Popen([sys.executable, "-m", "analysis", "atlas", "--force", "--jobs", "2"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, preexec_fn=started_as_from_a_terminal)
    atlas = project.results / "atlas"
    deadline = time.monotonic() + 300
    while len(_published(atlas)) < 4 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert len(_published(atlas)) >= 4, proc.communicate()
    os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C in a terminal reaches the whole group
    sent = time.time()
    _, err = proc.communicate(timeout=120)
    stopped = time.time() - sent
    assert proc.returncode == 130, err
    assert stopped < 10, f"the atlas went on for {stopped:.0f} s after Ctrl-C"
    late = {iso3: t - sent for iso3, t in _published(atlas).items() if t > sent + 2}
    assert not late, f"published after Ctrl-C: {late}"
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: interrupted"), err
    cli(project.root, "atlas", "--countries", "PRK")  # the next command cleans up after it
    assert not [p for p in atlas.iterdir() if p.name.startswith(".")]


def _kernel_files(*places: Path) -> set[Path]:
    """Kernel connection files (JSON holding a ``shell_port``) anywhere under ``places``."""
    found = set()
    for place in places:
        for path in place.rglob("*.json") if place.is_dir() else []:
            try:
                if '"shell_port"' in path.read_text():
                    found.add(path)
            except (OSError, UnicodeDecodeError):
                pass
    return found


def test_a_killed_run_leaves_no_kernel_files_behind(project, tmp_path):
    # The user's own temporary folder and home, where Jupyter puts kernel files by default.
    tmp, home = tmp_path / "tmp", tmp_path / "home"
    tmp.mkdir()
    home.mkdir()
    env = {**os.environ, "ANALYSIS_ROOT": str(project.root), "TMPDIR": str(tmp), "HOME": str(home)}
    env.pop("JUPYTER_RUNTIME_DIR", None)
    notebook_with_cell(project.notebooks / "03_population_sensitivity.ipynb", "import time; time.sleep(120)")
    proc = subprocess.Popen([sys.executable, "-m", "analysis", "notebooks", "population_sensitivity",
                             "--force"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not _kernel_files(tmp, home, project.root) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert _kernel_files(tmp, home, project.root), "no kernel started"
    time.sleep(2)  # the kernel is running the notebook (its last cell sleeps)
    proc.kill()
    proc.communicate(timeout=60)
    time.sleep(3)  # the orphaned kernel notices its parent is gone
    subprocess.run([sys.executable, "-m", "analysis", "notebooks", "country_snapshot"], env=env,
                   check=True, capture_output=True, timeout=600)  # the next build cleans up
    assert _kernel_files(tmp, home, project.root) == set()


def test_the_cli_tests_pass_with_ctrl_c_ignored(paths):
    # A background job (`make test &`) starts with SIGINT ignored; its tests must not depend on it.
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-k", "ctrl_c",
                          str(paths.root / "tests" / "test_cli_errors.py")],
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
                         capture_output=True, text=True, timeout=600, cwd=paths.root)
    assert run.returncode == 0, run.stdout[-3000:]


def test_a_kernel_that_will_not_exit_is_stopped_and_its_run_is_whole(project):
    # ipykernel's shutdown now and then hangs; here a cell leaves a thread that keeps the kernel alive.
    notebook_with_cell(project.notebooks / "02_edition_comparison.ipynb",
                       "import threading, time\nthreading.Thread(target=time.sleep, args=(600,)).start()")
    start = time.monotonic()
    cli(project.root, "notebooks", "edition_comparison", "--force")
    assert time.monotonic() - start < 20, "the build waited for the kernel"
    (folder,) = (project.runs / "edition_comparison").iterdir()
    record = json.loads((folder / "record.json").read_text())
    assert "data/processed/gsi_country_edition.csv" in record["inputs"]["read"]  # reported before exit
