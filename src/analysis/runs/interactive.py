"""Runs made by hand, in JupyterLab: kept like a CLI run, under ``results/interactive/<notebook>/<run id>/``.

A notebook run by hand saves its figures, tables and key numbers through
:func:`~analysis.runs.outputs.run_outputs` into a folder of its own, named by
its parameters as a CLI run's is, so that it never overwrites a run the paper
uses. Each save also writes the folder's ``record.json`` from the kernel
(:func:`record_run`): the notebook, its parameters, the data files read and the
library modules imported with their sha256, the kernel's interpreter and
environment, and where it ran. When JupyterLab saves the notebook, the save
hook (:mod:`analysis.lab.save_hook`) puts the executed notebook beside them as
``notebook.ipynb`` (:func:`save_executed`) and completes the record with the
notebook's code and every output's sha256.

The record says ``"by_hand": true``: unlike a CLI run, nothing shows that every
cell ran once, in order, on a fresh kernel. Rerun it with
``python -m analysis notebooks <notebook> -p ...`` for a record that does.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..atomic import write_text
from ..build.execution import execution
from ..build.fingerprints import relative, sha256_of, tree_files
from ..hashing import digest_of
from ..paths import ProjectPaths
from .parameters import run_id
from .stripping import notebook_text

RECORD = "record.json"
EXECUTED = "notebook.ipynb"


def latest_file(paths: ProjectPaths, notebook: str) -> Path:
    """Where the folder of ``notebook``'s latest run by hand is noted (``results/.state/interactive``)."""
    return paths.state / "interactive" / f"{notebook}.json"


def _write_json(path: Path, data: dict) -> None:
    write_text(path, json.dumps(data, indent=2, sort_keys=True) + "\n")


def _outputs(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): sha256_of(p) for p in tree_files(folder)
            if p.name != RECORD}


def record_run(folder: Path, notebook: str, parameters: dict, paths: ProjectPaths) -> Path:
    """Write ``record.json`` of the run by hand of ``notebook`` in ``folder``, from this kernel, and
    note ``folder`` as the notebook's latest; return the record's path."""
    from .execute import files_read
    from .kernel_main import usage
    from .notebooks import discover

    used = usage()
    found = discover(paths).get(notebook)
    record_path = folder / RECORD
    try:
        old = json.loads(record_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        old = {}
    inputs = {"parameters": parameters, "read": files_read(used, paths),
              "environment": used["environment"],
              "interpreter": {"executable": used["executable"], "version": used["version"]},
              **({"notebook": old["inputs"]["notebook"]} if "notebook" in old.get("inputs", {}) else {})}
    record = {"step": f"by hand {notebook}/{folder.name}", "by_hand": True, "notebook": notebook,
              "notebook_file": relative(found.path, paths) if found else None, "run_id": folder.name,
              "parameters": parameters, "inputs": inputs, "inputs_sha256": digest_of(inputs),
              "kernel": {"library": used["library"]}, "outputs": _outputs(folder),
              "execution": {**execution(paths), "command": "JupyterLab (by hand)"}}
    _write_json(record_path, record)
    _write_json(latest_file(paths, notebook), {"folder": relative(folder, paths), "run_id": folder.name})
    return record_path


def interactive_folder(paths: ProjectPaths, notebook: str, parameters: dict) -> Path:
    """``results/interactive/<notebook>/<run id>/`` of a run by hand with checked ``parameters``."""
    return paths.interactive / notebook / run_id(dict(parameters))


def save_executed(nb: dict, notebook: str, paths: ProjectPaths) -> Path | None:
    """Write ``nb``, the notebook as JupyterLab saves it, outputs included, into the folder of
    ``notebook``'s latest run by hand, and complete that run's record; return the path written.

    Nothing is written (None) when the notebook was not run by hand or ``nb`` has no output.
    """
    from .notebooks import code_digest_of

    try:
        latest = json.loads(latest_file(paths, notebook).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    folder = paths.root / latest["folder"]
    has_output = any(c.get("outputs") for c in nb.get("cells", []) if c.get("cell_type") == "code")
    if not has_output or not (folder / RECORD).is_file():
        return None
    target = folder / EXECUTED
    write_text(target, notebook_text(nb))
    record = json.loads((folder / RECORD).read_text(encoding="utf-8"))
    record["inputs"]["notebook"] = {"file": record.get("notebook_file"), "code": code_digest_of(nb)}
    record["inputs_sha256"] = digest_of(record["inputs"])
    record["outputs"] = _outputs(folder)
    _write_json(folder / RECORD, record)
    return target
