"""Start JupyterLab on ``notebooks/`` for this project (``python -m analysis lab``, ``make lab``).

Before it starts:

* the git filter that strips notebooks is set in this checkout's ``.git/config``
  (``.gitattributes`` applies it to ``notebooks/*.ipynb``), so that outputs
  never reach git, whatever saved them (:func:`install_git_filter`);
* the Lab's workspace is emptied, so that it opens without the tabs of the last
  session.

It starts with the save hook of :mod:`analysis.lab.save_hook`, without fetching
news or checking for updates, and with defaults that do not ask about news
(:data:`SETTING_DEFAULTS`, in a config folder of its own added to
``JUPYTER_CONFIG_PATH``; a student's own settings still win).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

from ..paths import ProjectPaths
from ..runs.stripping import filter_command

#: The name of the git filter in ``.gitattributes``.
GIT_FILTER = "analysis-notebooks"
SAVE_HOOK = "analysis.lab.save_hook.pre_save"
#: JupyterLab settings' defaults for this project: no question about news, no update check.
SETTING_DEFAULTS = {"@jupyterlab/apputils-extension:notification": {"fetchNews": "false",
                                                                    "checkForUpdates": False}}


def install_git_filter(paths: ProjectPaths) -> bool:
    """Set the notebooks' clean filter in the git checkout at ``paths.root``; False outside one."""
    try:
        top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=paths.root, capture_output=True,
                             text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return False
    if top.returncode != 0 or os.path.realpath(top.stdout.strip()) != os.path.realpath(paths.root):
        return False
    for key, value in ((f"filter.{GIT_FILTER}.clean", filter_command()),
                       (f"filter.{GIT_FILTER}.smudge", "cat")):
        subprocess.run(["git", "config", key, value], cwd=paths.root, check=True, timeout=60)
    return True


def lab_command(paths: ProjectPaths, extra: list[str] | None = None) -> list[str]:
    """The command line that starts JupyterLab on ``notebooks/`` with this project's settings."""
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={paths.notebooks}",
               f"--ContentsManager.pre_save_hook={SAVE_HOOK}",
               f"--LabApp.workspaces_dir={paths.lab_state / 'workspaces'}",
               "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if hasattr(os, "getuid") and os.getuid() == 0:
        command.append("--allow-root")
    return [*command, *(extra or [])]


def lab_environment(paths: ProjectPaths, environ: dict[str, str] | None = None) -> dict[str, str]:
    """``environ`` (default: this process's) with the project's Lab config folder first on
    ``JUPYTER_CONFIG_PATH``."""
    environ = dict(os.environ if environ is None else environ)
    folders = [str(paths.lab_state / "config"), *filter(None, environ.get("JUPYTER_CONFIG_PATH", "")
                                                        .split(os.pathsep))]
    return {**environ, "JUPYTER_CONFIG_PATH": os.pathsep.join(folders)}


def prepare(paths: ProjectPaths) -> bool:
    """Write the Lab's settings defaults, empty its workspace and install the git filter; return
    whether the filter is installed."""
    from ..atomic import write_text

    shutil.rmtree(paths.lab_state / "workspaces", ignore_errors=True)
    (paths.lab_state / "workspaces").mkdir(parents=True, exist_ok=True)
    write_text(paths.lab_state / "config" / "labconfig" / "default_setting_overrides.json",
               json.dumps(SETTING_DEFAULTS, indent=2, sort_keys=True) + "\n")
    return install_git_filter(paths)


def run_lab(paths: ProjectPaths, extra: list[str] | None = None) -> None:
    """Prepare, then become JupyterLab (this process is replaced: Ctrl-C and the exit are the Lab's)."""
    if not prepare(paths):
        print("note: not a git checkout, so no git filter was set; notebooks are still saved stripped",
              file=sys.stderr)
    command = lab_command(paths, extra)
    sys.stdout.flush()
    sys.stderr.flush()
    os.chdir(paths.root)
    os.execve(command[0], command, lab_environment(paths))
