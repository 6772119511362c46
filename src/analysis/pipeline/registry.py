"""The registry: the notebooks, and the runs (notebook + parameters) the paper is built from.

A *run* is one notebook with its canonical parameters (the notebook's defaults
merged with what was given, checked and normalised). Its id is a readable label
plus the first characters of the sha256 of those parameters, so two runs never
share a folder: ``results/runs/<notebook>/<run id>/``.

The paper reads only the runs of :data:`PAPER_RUNS`; its country is
:data:`PAPER_COUNTRY`, the one setting to change to write the paper about
another country.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..paths import ProjectPaths
from .fingerprints import digest_of


def _check_snapshot(params: dict, paths: ProjectPaths) -> dict:
    from ..analyses import snapshot
    return snapshot.validate_parameters(params, paths)


def _check_comparison(params: dict, paths: ProjectPaths) -> dict:
    from ..analyses import comparison
    return comparison.validate_parameters(params, paths)


def _check_sensitivity(params: dict, paths: ProjectPaths) -> dict:
    from ..analyses import sensitivity
    return sensitivity.validate_parameters(params, paths)


@dataclass(frozen=True)
class NotebookSpec:
    """A notebook: its file in ``notebooks/``, how its parameter values are checked, how runs are named."""

    name: str
    file: str
    check: Callable[[dict, ProjectPaths], dict]
    label: Callable[[dict], str]


NOTEBOOKS: dict[str, NotebookSpec] = {spec.name: spec for spec in (
    NotebookSpec("country_snapshot", "01_country_snapshot.ipynb", _check_snapshot,
                 lambda p: f"{p['country']}_{p['edition']}"),
    NotebookSpec("edition_comparison", "02_edition_comparison.ipynb", _check_comparison,
                 lambda p: f"{p['country']}_{p['edition_from']}_{p['edition_to']}"),
    NotebookSpec("population_sensitivity", "03_population_sensitivity.ipynb", _check_sensitivity,
                 lambda p: f"{p['country']}"),
)}


def run_id(notebook: str, parameters: dict) -> str:
    """The id of the run of ``notebook`` with canonical ``parameters``: label and a short hash."""
    return f"{NOTEBOOKS[notebook].label(parameters)}-{digest_of(parameters)[:10]}"


@dataclass(frozen=True)
class RunRequest:
    """A run asked for: a notebook and the parameters given (the rest take the notebook's defaults)."""

    notebook: str
    given: dict = field(default_factory=dict)

    def key(self) -> str:
        """A stable text key of the request, for caches."""
        return f"{self.notebook} {digest_of(self.given)}"


#: The country the paper is about (ISO 3166-1 alpha-3).
PAPER_COUNTRY = "PRK"

#: The runs the paper is built from, by the name the paper's pieces use.
PAPER_RUNS: dict[str, RunRequest] = {
    "snapshot": RunRequest("country_snapshot", {"country": PAPER_COUNTRY, "edition": 2023}),
    "comparison": RunRequest("edition_comparison", {"country": PAPER_COUNTRY, "edition_from": 2018,
                                                    "edition_to": 2023}),
    "sensitivity": RunRequest("population_sensitivity", {"country": PAPER_COUNTRY}),
}

#: Each figure of the paper: (run of :data:`PAPER_RUNS`, figure name in that run's folder).
PAPER_FIGURES: dict[str, tuple[str, str]] = {
    "snapshot_map": ("snapshot", "map"),
    "snapshot_prevalence": ("snapshot", "prevalence"),
    "snapshot_number": ("snapshot", "number"),
    "snapshot_vulnerability": ("snapshot", "vulnerability"),
    "snapshot_response": ("snapshot", "response"),
    "comparison_scatter": ("comparison", "all_countries"),
    "sensitivity": ("sensitivity", "population_scenarios"),
}
