"""What built the paper: Python, the key packages, Quarto, pandoc and Typst, the renderer, the commit.

:func:`build_info` collects the facts; :func:`build_table` formats them as the
pipe table of the reproducibility appendix (``_generated/tables/build.md``).
Nothing here depends on the time of the build, so that two builds of one commit
give the same table.
"""

from __future__ import annotations

import platform
import shutil
import subprocess
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from ..atomic import write_text
from .checkout import paper_checkout
from ..paths import ProjectPaths
from .render import PROBE_TIMEOUT, quarto_version

#: Packages whose versions decide the numbers, figures and tables of the paper.
KEY_PACKAGES = ("numpy", "pandas", "pandera", "matplotlib", "papermill", "ipykernel")

RENDERER_NAMES = {
    "quarto": "Quarto (HTML, and PDF through Typst)",
    "pandoc": "pandoc + Typst fallback (no Quarto on the PATH)",
}


@dataclass(frozen=True)
class BuildInfo:
    """The software behind one build of the paper."""

    renderer: str  # "quarto" or "pandoc"
    python: str
    packages: dict[str, str]
    quarto: str | None  # None when the fallback rendered the paper
    pandoc: str
    typst: str
    commit: str | None  # None outside a git checkout
    dirty: bool


def _run(args: list[str], cwd: Path | None = None) -> str | None:
    """What ``args`` prints (stdout, else stderr), within a timeout; None if it fails or cannot start."""
    try:
        run = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=PROBE_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired):
        return None
    # `quarto typst --version` prints to stderr.
    return (run.stdout.strip() or run.stderr.strip()) if run.returncode == 0 else None


def package_version(name: str) -> str:
    """Installed version of distribution ``name``, or ``"not installed"``."""
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def _first_word_version(text: str | None) -> str:
    # "pandoc 3.6.1\n..." -> "3.6.1"; "typst 0.13.1 (...)" -> "0.13.1"
    if not text:
        return "unknown"
    words = text.splitlines()[0].split()
    return words[1] if len(words) > 1 else words[0]


def build_info(paths: ProjectPaths, renderer: str) -> BuildInfo:
    """Collect what builds the paper with ``renderer``: ``"quarto"`` (the one on the PATH) or ``"pandoc"``."""
    if renderer not in RENDERER_NAMES:
        raise ValueError(f"unknown renderer {renderer!r}")
    commit, dirty = paper_checkout(paths)
    packages = {name: package_version(name) for name in KEY_PACKAGES}
    if renderer == "quarto":
        exe = shutil.which("quarto") or "quarto"
        quarto = quarto_version(exe)
        pandoc = _first_word_version(_run([exe, "pandoc", "--version"]))
        # Quarto writes the Typst source; the locked typst package compiles it (paper.render.compile_typst).
        typst = f"Python package typst {package_version('typst')}, on Quarto's Typst source"
    else:
        import pypandoc
        quarto = None
        pandoc = f"{pypandoc.get_pandoc_version()} (pypandoc-binary {package_version('pypandoc-binary')})"
        typst = f"Python package typst {package_version('typst')}"
    return BuildInfo(renderer=renderer, python=platform.python_version(), packages=packages,
                     quarto=quarto, pandoc=pandoc, typst=typst, commit=commit, dirty=dirty)


def build_table(info: BuildInfo) -> str:
    """The appendix table of ``info``: one row per piece of software, then the renderer and the commit."""
    import pandas as pd

    from .formatting import Markup, markdown_table

    if info.commit is None:
        commit = "not built from a git checkout"
    else:
        commit = Markup(f"`{info.commit[:12]}`" + (
            " (files it is built from had uncommitted changes: no commit holds exactly this build)"
            if info.dirty else ""))
    rows = [("Renderer", RENDERER_NAMES[info.renderer]),
            ("Python", info.python),
            *((Markup(f"`{name}`"), v) for name, v in info.packages.items()),
            ("Quarto", info.quarto or "not used"),
            ("pandoc", info.pandoc),
            ("Typst", info.typst),
            ("Git commit", commit)]
    return markdown_table(pd.DataFrame(rows, columns=["Software", "Version"]), "ll", [3, 9])


def write_build_table(paths: ProjectPaths, renderer: str, project: Path) -> Path:
    """Write ``_generated/tables/build.md`` of the staged ``project`` for a build with ``renderer``."""
    target = project / "_generated" / "tables" / "build.md"
    write_text(target, build_table(build_info(paths, renderer)))
    return target
