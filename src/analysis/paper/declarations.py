"""The paper's declarations, ``paper/inputs.yml``: its country, the runs it reads, its figures.

They live next to ``paper.qmd``, so that the paper says what it is built from;
the library holds no paper setting.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import AnalysisError
from ..paths import ProjectPaths

FILE = "inputs.yml"


@dataclass(frozen=True)
class RunRequest:
    """A run the paper reads: a notebook and the parameters given (the others take its defaults)."""

    notebook: str
    given: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Declarations:
    """The paper's country (ISO3), its runs by the name the paper uses, and its figures.

    ``figures`` maps each figure of the paper to ``(run name, figure name in that run's folder)``.
    """

    country: str
    runs: dict[str, RunRequest]
    figures: dict[str, tuple[str, str]]


def _refuse(message: str) -> AnalysisError:
    return AnalysisError(f"paper/{FILE}: {message}")


def load_declarations(paths: ProjectPaths) -> Declarations:
    """Read and check ``paper/inputs.yml``; raise :class:`AnalysisError` naming what is wrong in it."""
    import yaml

    path = paths.paper / FILE
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise _refuse(f"cannot be read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"line {mark.line + 1}: " if mark else ""
        raise _refuse(f"{line}is not valid YAML ({getattr(exc, 'problem', exc)})") from None
    if not isinstance(doc, dict) or not {"country", "runs", "figures"} <= set(doc):
        raise _refuse("must hold 'country', 'runs' and 'figures'")
    country = doc["country"]
    if not isinstance(country, str) or len(country.strip()) != 3:
        raise _refuse(f"country {country!r} is not an ISO 3166-1 alpha-3 code")
    runs = {}
    for name, run in (doc["runs"] or {}).items():
        if not isinstance(run, dict) or not isinstance(run.get("notebook"), str):
            raise _refuse(f"run {name!r} needs a 'notebook'")
        given = run.get("parameters") or {}
        if not isinstance(given, dict):
            raise _refuse(f"run {name!r}: 'parameters' must be a mapping of names to values")
        runs[str(name)] = RunRequest(run["notebook"], dict(given))
    figures = {}
    for name, figure in (doc["figures"] or {}).items():
        if not isinstance(figure, dict) or figure.get("run") not in runs or not figure.get("figure"):
            raise _refuse(f"figure {name!r} needs a 'run' (one of {sorted(runs)}) and a 'figure'")
        figures[str(name)] = (figure["run"], str(figure["figure"]))
    return Declarations(country.strip().upper(), runs, figures)
