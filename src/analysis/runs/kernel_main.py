"""The kernel of a run: IPython's kernel, which reports what it used after each cell and as it exits.

Started by :mod:`analysis.runs.kernel`. After each cell, and again at exit, it
writes, to the report file named in ``$ANALYSIS_RUN``, the interpreter that
ran, where the ``analysis``
library was imported from, the environment as this interpreter sees it, the data
files the library read (with the sha256 of the bytes read) and the library's
modules the kernel imported (with their sha256). The runner checks the report
and records it. Writing it after each cell means that a kernel slow to exit (ipykernel's
shutdown now and then hangs), and stopped for it, has still reported everything its cells did.
"""

from __future__ import annotations

import atexit
import json
import os
import sys


def _report(*_ignored: object) -> None:
    try:
        _write_report()
    except Exception:  # noqa: BLE001 - a full disk, say: no report, and the runner says so in one line
        pass


def usage() -> dict:
    """What this process used: its interpreter (``executable``, ``version``), where ``analysis`` was
    imported from (``library``), the ``environment``, the data files the library read (``data``) and
    the library's modules imported (``code``), each ``{absolute path: sha256}``."""
    from pathlib import Path

    from analysis import provenance
    from analysis.build.fingerprints import environment, interpreter, sha256_of

    library = Path(sys.modules["analysis"].__file__).resolve().parent
    code = {}
    for module in list(sys.modules.values()):
        file = getattr(module, "__file__", None)
        if not file or not file.endswith(".py"):
            continue
        if file not in _MODULES:  # a module's file does not change while the kernel runs: hashed once
            path = Path(file).resolve()
            _MODULES[file] = (str(path), sha256_of(path)) if path.is_relative_to(library) else None
        if _MODULES[file] is not None:
            code[_MODULES[file][0]] = _MODULES[file][1]
    return {**interpreter(), "library": str(library), "environment": _ENVIRONMENT or environment(),
            "data": provenance.reads(), "code": dict(sorted(code.items()))}


def _write_report() -> None:
    run = json.loads(os.environ.get("ANALYSIS_RUN", "{}"))
    if "report" not in run or "analysis" not in sys.modules:
        return
    with open(run["report"], "w", encoding="utf-8") as handle:
        json.dump(usage(), handle, indent=1, sort_keys=True)


#: The environment as this interpreter sees it, read as the kernel starts (it cannot change after).
_ENVIRONMENT: dict = {}
#: Each module file seen: ``(resolved path, sha256)`` for the library's, None for any other.
_MODULES: dict[str, tuple[str, str] | None] = {}


if __name__ == "__main__":
    from analysis.build.fingerprints import environment as _read_environment

    _ENVIRONMENT.update(_read_environment())
    atexit.register(_report)
    from ipykernel import kernelapp

    app = kernelapp.IPKernelApp.instance()
    app.initialize()
    app.shell.events.register("post_run_cell", _report)
    app.start()
