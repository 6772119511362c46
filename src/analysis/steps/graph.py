"""The steps each command needs, in an order where every step comes after what it needs.

The graph is data -> notebook runs -> paper, and data -> atlas. The paper's runs
are those ``paper/inputs.yml`` declares; a notebook run asked for by name is
one run step after the data step.
"""

from __future__ import annotations

from ..build.step import Step
from ..paths import ProjectPaths
from ..runs.notebooks import find
from ..runs.parameters import merged
from .data import data_step
from .paper import paper_step
from .runs import request, run_step


def paper_run_steps(paths: ProjectPaths) -> dict[str, Step]:
    """The run steps of the paper, by the name the paper uses (``snapshot``, ...).

    Each run whose notebook takes a ``country`` parameter gets the paper's country.
    """
    from ..paper.declarations import load_declarations

    declarations = load_declarations(paths)
    steps = {}
    for name, wanted in declarations.runs.items():
        notebook = find(paths, wanted.notebook)
        given = dict(wanted.given)
        if "country" in notebook.defaults:
            given["country"] = declarations.country
        steps[name] = run_step(paths, notebook, merged(notebook, given))
    return steps


def data_graph(paths: ProjectPaths) -> list[Step]:
    """``data/processed/`` alone."""
    return [data_step(paths)]


def runs_graph(paths: ProjectPaths, name: str | None = None, given: dict | None = None) -> list[Step]:
    """The data, then one run of notebook ``name`` with ``given`` parameters, or else the paper's runs."""
    runs = [request(paths, name, given)] if name else list(paper_run_steps(paths).values())
    return [data_step(paths), *runs]


def paper_graph(paths: ProjectPaths, engine: str = "auto") -> list[Step]:
    """The data, the paper's runs, and the paper rendered with ``engine`` (auto, quarto or pandoc)."""
    runs = paper_run_steps(paths)
    return [data_step(paths), *runs.values(), paper_step(paths, runs, engine)]
