"""The kernel of a run: IPython's kernel, which reports what it used when it exits.

Started by :mod:`analysis.runs.kernel`. At exit it writes, to the report file
named in ``$ANALYSIS_RUN``, the interpreter that ran, where the ``analysis``
library was imported from, the environment as this interpreter sees it, the data
files the library read (with the sha256 of the bytes read) and the library's
modules the kernel imported (with their sha256). The runner checks the report
and records it.
"""

from __future__ import annotations

import atexit
import json
import os
import sys


def _report() -> None:
    try:
        _write_report()
    except Exception:  # noqa: BLE001 - a full disk, say: no report, and the runner says so in one line
        pass


def _write_report() -> None:
    run = json.loads(os.environ.get("ANALYSIS_RUN", "{}"))
    if "report" not in run or "analysis" not in sys.modules:
        return
    from pathlib import Path

    from analysis import provenance
    from analysis.build.fingerprints import environment, interpreter, sha256_of

    library = Path(sys.modules["analysis"].__file__).resolve().parent
    code = {}
    for module in list(sys.modules.values()):
        file = getattr(module, "__file__", None)
        if file and Path(file).resolve().is_relative_to(library) and file.endswith(".py"):
            path = Path(file).resolve()
            code[str(path)] = sha256_of(path)
    report = {**interpreter(), "library": str(library), "environment": environment(),
              "data": provenance.reads(), "code": dict(sorted(code.items()))}
    with open(run["report"], "w", encoding="utf-8") as handle:
        json.dump(report, handle, indent=1, sort_keys=True)


if __name__ == "__main__":
    atexit.register(_report)
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()
