"""A run's identity includes the interpreter that runs its kernel (issue 14, failure 1).

The user's own Jupyter set-up must not reach the paper: a ``python3`` kernelspec in
``JUPYTER_PATH`` (as ``python -m ipykernel install --user`` from another environment writes
one) that runs other library code is a real kernelspec here, found by Jupyter's real lookup.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import analysis
from analysis.paths import ProjectPaths

pytestmark = pytest.mark.notebooks

MARK = "SHADOW LIBRARY LOADED"


def _shadow_kernelspec(tmp_path: Path) -> Path:
    """A ``python3`` kernelspec whose kernel imports a shadow copy of the library (which says so)."""
    shadow = tmp_path / "shadow"
    shutil.copytree(Path(analysis.__file__).parent, shadow / "analysis",
                    ignore=shutil.ignore_patterns("__pycache__"))
    init = shadow / "analysis" / "__init__.py"
    init.write_text(init.read_text() + f"\nprint({MARK!r})\n")
    spec = tmp_path / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (another environment)", "language": "python",
        "env": {"PYTHONPATH": str(shadow)}}))
    return tmp_path / "jupyter"


def test_a_python3_kernelspec_of_the_user_does_not_run_the_paper(project: ProjectPaths, tmp_path):
    jupyter_path = _shadow_kernelspec(tmp_path)
    env = {**os.environ, "ANALYSIS_ROOT": str(project.root), "JUPYTER_PATH": str(jupyter_path)}
    # Jupyter's own lookup finds the shadow kernelspec: the test's set-up is real.
    found = subprocess.run([sys.executable, "-m", "jupyter", "kernelspec", "list", "--json"], env=env,
                           capture_output=True, text=True, check=True)
    assert json.loads(found.stdout)["kernelspecs"]["python3"]["resource_dir"].startswith(str(jupyter_path))

    run = subprocess.run([sys.executable, "-m", "analysis", "notebooks", "country_snapshot",
                          "-p", '{"country": "ERI"}'], env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    folder = next(project.runs.glob("country_snapshot/ERI_2023-*/"))
    assert MARK not in (folder / "notebook.ipynb").read_text(), "the kernel ran the shadow library"
    record = json.loads((folder / "record.json").read_text())
    kernel = record["kernel"]
    assert kernel["executable"] == sys.executable
    assert kernel["library"] == str(Path(analysis.__file__).parent)
