"""Fingerprints of what a step depends on: files, the library's code, the environment.

Kept free of pandas, papermill and matplotlib, so that a build with nothing to
do can tell so in a fraction of a second.
"""

from __future__ import annotations

import platform
import re
import sys
from functools import lru_cache
from pathlib import Path

from ..hashing import digest_of, sha256_of
from ..paths import ProjectPaths

__all__ = ["digest_of", "sha256_of", "relative", "is_litter", "files_digest", "tree_files",
           "library_digest", "environment", "interpreter"]

_DIST_INFO = re.compile(r"^(?P<name>.+?)-(?P<version>[^-]+?)\.(dist-info|egg-info)$")
#: This project's own distribution (pyproject.toml), left out of :func:`environment`.
OWN_DISTRIBUTION = "dprk-modern-slavery-compendium"


def relative(path: Path, paths: ProjectPaths) -> str:
    """``path`` relative to the project root, with forward slashes (absolute if outside it)."""
    try:
        return path.resolve().relative_to(paths.root).as_posix()
    except ValueError:
        return path.resolve().as_posix()


def is_litter(path: Path) -> bool:
    """True for files no step ever reads: hidden files (atomic writes' ``.*.tmp*``) and caches."""
    return path.name.startswith(".") or "__pycache__" in path.parts


def files_digest(files: list[Path], paths: ProjectPaths) -> dict[str, str]:
    """``{path relative to the root: sha256}`` of each existing file of ``files`` (no litter), sorted."""
    out = {relative(p, paths): sha256_of(p) for p in files if p.is_file() and not is_litter(p)}
    return dict(sorted(out.items()))


def tree_files(folder: Path) -> list[Path]:
    """Every file under ``folder`` that is not litter, sorted (empty if there is no folder)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and not is_litter(p.relative_to(folder)))


def library_digest(paths: ProjectPaths) -> dict[str, str]:
    """``{path: sha256}`` of every Python file of the ``analysis`` package."""
    return {p.relative_to(paths.library.parent).as_posix(): sha256_of(p)
            for p in tree_files(paths.library) if p.suffix == ".py"}


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@lru_cache(maxsize=1)
def environment() -> dict[str, object]:
    """The Python version and the version of every installed distribution, of this interpreter,
    except this project's own (its modules are inputs one by one, see :func:`code_digest`).

    Read from the ``*.dist-info`` folder names on ``sys.path`` (what
    ``importlib.metadata`` reads, without opening each one), so that a change of
    any package's version changes the fingerprint of every step.
    """
    dists: dict[str, str] = {}
    for entry in sys.path:
        folder = Path(entry)
        if not folder.is_dir():
            continue
        for child in folder.iterdir():
            match = _DIST_INFO.match(child.name)
            if match:
                dists.setdefault(_normalise(match["name"]), match["version"])
    dists.pop(OWN_DISTRIBUTION, None)  # the library's code is fingerprinted file by file, not by version
    return {"python": platform.python_version(), "implementation": platform.python_implementation(),
            "distributions": dict(sorted(dists.items()))}


def interpreter() -> dict[str, str]:
    """The interpreter that runs this process (and every kernel the runs start): its path and version."""
    return {"executable": sys.executable, "version": sys.version.split()[0]}


#: Modules every step's code depends on: the package's base modules.
BASE_CODE = ("__init__.py", "paths.py", "errors.py", "atomic.py", "hashing.py", "provenance.py")


def code_digest(paths: ProjectPaths, parts: tuple[str, ...]) -> dict[str, str]:
    """``{path: sha256}`` of the library's Python files under ``parts`` (paths relative to the package:
    ``"data/"`` a subpackage, ``"steps/data.py"`` a module) and of its base modules."""
    wanted = (*BASE_CODE, *parts)
    return {name: digest for name, digest in library_digest(paths).items()
            if name.split("/", 1)[1].startswith(wanted)}
