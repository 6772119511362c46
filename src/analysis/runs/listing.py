"""List the runs under ``results/runs/``: where a user's own runs went, and with what parameters."""

from __future__ import annotations

from pathlib import Path

from ..build.step import read_record
from ..paths import ProjectPaths


def runs_on_disk(paths: ProjectPaths) -> list[dict]:
    """One entry per complete run folder: notebook, folder and parameters (from its record), sorted."""
    found = []
    if not paths.runs.is_dir():
        return found
    for record_path in sorted(paths.runs.glob("*/*/record.json")):
        record = read_record(record_path)
        if record is not None:
            found.append({"notebook": record.get("notebook"), "folder": record_path.parent,
                          "parameters": record.get("parameters", {})})
    return found


def print_runs(paths: ProjectPaths, paper_folders: set[Path]) -> None:
    """Print every run folder with its parameters, marking the paper's own (``paper_folders``)."""
    runs = runs_on_disk(paths)
    if not runs:
        print("no runs yet: `python -m analysis notebooks` runs the paper's, "
              "`python -m analysis notebooks NAME -p '{...}'` one of your own")
        return
    for run in runs:
        shown = ", ".join(f"{k}={v!r}" for k, v in sorted(run["parameters"].items()))
        mark = "paper" if run["folder"] in paper_folders else "     "
        print(f"{mark}  {run['folder'].relative_to(paths.root)}/  {shown}")
