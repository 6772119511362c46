"""Fingerprints of what a build step depends on: files, the library's code, the environment.

Kept free of pandas, papermill and matplotlib so that a build with nothing to do
can tell so in a fraction of a second.
"""

from __future__ import annotations

import hashlib
import json
import platform
import re
import sys
from functools import lru_cache
from pathlib import Path

from ..data.manifest import sha256_of
from ..paths import ProjectPaths

_DIST_INFO = re.compile(r"^(?P<name>.+?)-(?P<version>[^-]+?)\.(dist-info|egg-info)$")


def digest_of(value: object) -> str:
    """sha256 of the canonical JSON of ``value`` (sorted keys, no spaces)."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def relative(path: Path, paths: ProjectPaths) -> str:
    """``path`` relative to the project root, with forward slashes (absolute if outside it)."""
    try:
        return path.resolve().relative_to(paths.root).as_posix()
    except ValueError:
        return path.resolve().as_posix()


def files_digest(files: list[Path], paths: ProjectPaths) -> dict[str, str]:
    """``{relative path: sha256}`` of each existing file in ``files``, sorted by path.

    Temporary files of atomic writes (``.*.tmp*``) and other hidden files are
    left out, so a killed run's litter never enters a fingerprint.
    """
    out = {relative(p, paths): sha256_of(p) for p in files
           if p.is_file() and not p.name.startswith(".")}
    return dict(sorted(out.items()))


def library_digest(paths: ProjectPaths) -> dict[str, str]:
    """``{path: sha256}`` of every Python file of the ``analysis`` package."""
    files = sorted(p for p in paths.library.rglob("*.py") if "__pycache__" not in p.parts)
    return {p.relative_to(paths.library.parent).as_posix(): sha256_of(p) for p in files}


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@lru_cache(maxsize=1)
def environment() -> dict[str, object]:
    """The Python version and the version of every installed distribution.

    Read from the ``*.dist-info`` folder names on ``sys.path`` (what
    ``importlib.metadata`` reads, without opening each one), so that a change of
    any package's version changes the fingerprint of every run.
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
    return {"python": platform.python_version(), "implementation": platform.python_implementation(),
            "distributions": dict(sorted(dists.items()))}
