"""Executed notebooks are byte-identical whatever the load or the user's HOME (issue 14, failure 8)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import notebook_with_cell

pytestmark = pytest.mark.notebooks


def _run(project, env_extra: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "ANALYSIS_ROOT": str(project.root), **env_extra}
    run = subprocess.run([sys.executable, "-m", "analysis", "notebooks", *args], env=env,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    return run


def test_output_printed_in_bursts_is_one_stream(project):
    notebook_with_cell(project.notebooks / "01_country_snapshot.ipynb",
                       "import time\nfor i in range(3):\n"
                       "    print('burst', i, flush=True)\n    time.sleep(0.3)",
                       after="result = snapshot.analyse")
    _run(project, {}, "country_snapshot")
    nb = json.loads(next(project.runs.glob("country_snapshot/PRK_2023-*/notebook.ipynb")).read_text())
    cell = next(c for c in nb["cells"] if "burst" in "".join(c["source"]))
    streams = [o for o in cell["outputs"] if o["output_type"] == "stream"]
    assert len(streams) == 1 and "".join(streams[0]["text"]) == "burst 0\nburst 1\nburst 2\n", streams


def test_an_unusable_home_changes_nothing_in_the_executed_notebook(project, tmp_path):
    folder = next(project.runs.glob("country_snapshot/PRK_2023-*/"))
    before = (folder / "notebook.ipynb").read_bytes()
    home = tmp_path / "home"
    home.write_text("")  # a file: no folder can be made in it, even by root
    _run(project, {"HOME": str(home), "XDG_CACHE_HOME": "", "XDG_CONFIG_HOME": "", "MPLCONFIGDIR": ""},
         "country_snapshot", "--force")
    after = (folder / "notebook.ipynb").read_bytes()
    assert b"matplotlib-" not in after
    assert after == before
