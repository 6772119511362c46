"""List the runs under ``results/runs/``: where a user's own runs went, and with what parameters."""

from __future__ import annotations

from ..paths import ProjectPaths
from .records import read_record
from .registry import PAPER_RUNS


def runs_on_disk(paths: ProjectPaths) -> list[dict]:
    """One entry per complete run folder: notebook, folder and parameters (from its record), sorted."""
    found = []
    if not paths.runs.is_dir():
        return found
    for record_path in sorted(paths.runs.glob("*/*/record.json")):
        record = read_record(record_path.parent)
        if record is not None:
            found.append({"notebook": record.get("notebook"), "folder": record_path.parent,
                          "parameters": record.get("parameters", {})})
    return found


def print_runs(paths: ProjectPaths) -> None:
    """Print every run folder with its parameters, marking those the paper uses."""
    runs = runs_on_disk(paths)
    if not runs:
        print("no runs yet: `python -m analysis notebooks` runs the paper's, "
              "`python -m analysis notebooks NAME -p '{...}'` one of your own")
        return
    paper = {(r.notebook, tuple(sorted(r.given.items()))) for r in PAPER_RUNS.values()}
    for run in runs:
        params = run["parameters"]
        used = any(nb == run["notebook"] and all(params.get(k) == v for k, v in given)
                   for nb, given in paper)
        shown = ", ".join(f"{k}={v!r}" for k, v in sorted(params.items()))
        print(f"{'paper' if used else '     '}  {run['folder'].relative_to(paths.root)}/  {shown}")
