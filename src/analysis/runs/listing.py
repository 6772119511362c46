"""List the runs in ``results/runs/`` and ``results/interactive/``: where they went, with what parameters."""

from __future__ import annotations

from pathlib import Path

from ..build.step import read_record
from ..paths import ProjectPaths


def runs_on_disk(paths: ProjectPaths) -> list[dict]:
    """One entry per run folder with a record: ``notebook``, ``folder``, ``parameters`` and ``by_hand``
    (a run in JupyterLab, under ``results/interactive/``); CLI runs first, each group sorted by folder."""
    found = []
    for root, by_hand in ((paths.runs, False), (paths.interactive, True)):
        if not root.is_dir():
            continue
        for record_path in sorted(root.glob("*/*/record.json")):
            record = read_record(record_path)
            if record is not None:
                found.append({"notebook": record.get("notebook"), "folder": record_path.parent,
                              "parameters": record.get("parameters", {}), "by_hand": by_hand})
    return found


def print_runs(paths: ProjectPaths, paper_folders: set[Path]) -> None:
    """Print every run folder with its parameters, marking the paper's own (``paper_folders``) and
    those made by hand in JupyterLab."""
    runs = runs_on_disk(paths)
    if not runs:
        print("no runs yet: `python -m analysis notebooks` runs the paper's, "
              "`python -m analysis notebooks NAME -p country ERI` one of your own")
        return
    for run in runs:
        shown = ", ".join(f"{k}={v!r}" for k, v in sorted(run["parameters"].items()))
        mark = "paper" if run["folder"] in paper_folders else "lab  " if run["by_hand"] else "     "
        print(f"{mark}  {run['folder'].relative_to(paths.root)}/  {shown}")
    if any(run["by_hand"] for run in runs):
        print("lab: run by hand in JupyterLab (its record says so); paper: a run the paper uses")
