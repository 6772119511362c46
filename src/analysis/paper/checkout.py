"""The commit the paper is built from, and whether a file it is built from differs from that commit.

The paper prints both (its title page, its table of software). Only the files it
is built from count: the library, ``data/``, ``paper/``, the notebooks of its
runs (``paper/inputs.yml``) and the files that pin the environment. A notebook a
student adds, or the Lab's files, leave the paper's provenance, and so the
paper, as they were.
"""

from __future__ import annotations

from ..build.execution import git_state
from ..errors import AnalysisError
from ..paths import ProjectPaths

#: What the paper is built from, besides its runs' notebooks (paths relative to the checkout).
BUILT_FROM = ("src", "data", "paper", "pyproject.toml", "requirements.lock", "CITATION.cff")


def paper_pathspecs(paths: ProjectPaths) -> list[str]:
    """The files and folders of the checkout the paper is built from, for ``git status``."""
    from ..runs.notebooks import find
    from .declarations import load_declarations

    try:
        notebooks = sorted({find(paths, run.notebook).path.relative_to(paths.root).as_posix()
                            for run in load_declarations(paths).runs.values()})
    except AnalysisError:  # the build says what is wrong with them; here, count every notebook
        notebooks = ["notebooks"]
    return [*BUILT_FROM, *notebooks]


def paper_checkout(paths: ProjectPaths) -> tuple[str | None, bool]:
    """``(commit, dirty)``: the checkout's commit, and whether a file the paper is built from differs
    from it (None and False outside a git checkout)."""
    return git_state(paths.root, paper_pathspecs(paths))
