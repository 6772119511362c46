"""The kernel a run executes in: always this interpreter's, whatever kernelspecs the user has.

Papermill would look ``python3`` up through the user's Jupyter paths, where a
kernelspec written from another environment runs another interpreter or other
library code. :func:`kernel_manager` gives papermill a kernel manager whose
kernel is fixed instead: this interpreter (``sys.executable``) running
:mod:`analysis.runs.kernel_main`, which reports from inside the kernel which
interpreter, library, environment, data files and modules the run used.

The kernel also gets folders of its own for matplotlib's and IPython's settings
and for its connection file (``results/.state/``), so that an unusable ``HOME``
changes nothing in the executed notebook and a killed build leaves no kernel
files outside the project (the next build empties the folder).
"""

from __future__ import annotations

import json
import sys
import uuid
from pathlib import Path

from typing import TYPE_CHECKING

from ..paths import ProjectPaths

if TYPE_CHECKING:  # jupyter_client is imported when a run starts, not by every notebook
    from jupyter_client.manager import AsyncKernelManager

#: The matplotlib backend of the kernels: inline, so executed notebooks show their charts.
BACKEND = "module://matplotlib_inline.backend_inline"
#: Environment variable that tells the kernel where its run writes (JSON: staging, folder, report).
RUN_ENV = "ANALYSIS_RUN"
#: The kernel's report, written into the staging folder after each cell (then removed).
REPORT = ".kernel.json"


def kernel_environment(paths: ProjectPaths, staging: Path, folder: str) -> dict[str, str]:
    """Environment variables of a run's kernel: the project, its run folder, and folders of its own."""
    home = paths.kernel_home
    for sub in ("matplotlib", "ipython"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    run = {"staging": str(staging), "folder": folder, "report": str(staging / REPORT)}
    return {"ANALYSIS_ROOT": str(paths.root), RUN_ENV: json.dumps(run), "MPLBACKEND": BACKEND,
            "MPLCONFIGDIR": str(home / "matplotlib"), "IPYTHONDIR": str(home / "ipython"),
            "PYTHONHASHSEED": "0"}


def kernel_manager(env: dict[str, str], runtime: Path, started: list) -> type[AsyncKernelManager]:
    """A kernel-manager class whose kernel is this interpreter with ``env``; instances go in ``started``.

    Its connection file is in ``runtime``.
    """
    from jupyter_client.kernelspec import KernelSpec
    from jupyter_client.manager import AsyncKernelManager

    runtime.mkdir(parents=True, exist_ok=True)

    class BoundKernelManager(AsyncKernelManager):  # asynchronous, as nbclient's own default
        """Starts :mod:`analysis.runs.kernel_main` with this interpreter; looks up no kernelspec."""

        def __init__(self, **kwargs: object) -> None:
            super().__init__(**kwargs)
            self._kernel_spec = KernelSpec(
                argv=[sys.executable, "-m", "analysis.runs.kernel_main", "-f", "{connection_file}"],
                display_name="Python 3 (analysis)", language="python", env=env,
                interrupt_mode="signal", resource_dir=str(runtime))
            name = f"kernel-{uuid.uuid4()}"
            self.connection_file = str(runtime / f"{name}.json")
            #: What the kernel process prints itself (not its cells' output): kept out of the terminal.
            self.log_file = runtime / f"{name}.log"
            started.append(self)

        async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: object) -> None:
            with open(self.log_file, "ab") as log:
                await super()._async_launch_kernel(kernel_cmd, stdout=log, stderr=log, **kw)

    return BoundKernelManager


def kill(manager: AsyncKernelManager) -> None:
    """Kill the kernel of ``manager`` at once (the run is being cancelled) and delete its files."""
    process = getattr(manager.provisioner, "process", None) if manager.provisioner else None
    if process is not None and process.poll() is None:
        process.kill()
    forget(manager)


def forget(manager: AsyncKernelManager) -> None:
    """Delete the connection file and the log of the kernel of ``manager``."""
    Path(manager.connection_file).unlink(missing_ok=True)
    manager.log_file.unlink(missing_ok=True)
