"""Read a notebook's papermill ``parameters`` cell and check given parameters against it.

Checked before any kernel starts: unknown names and values of the wrong type
are refused with a message that lists the parameters the notebook takes.
"""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat

from ..errors import ParameterError


def notebook_defaults(path: str | Path) -> dict[str, object]:
    """The default parameters of the notebook at ``path``, from its cell tagged ``parameters``."""
    nb = nbformat.read(str(path), as_version=4)
    cells = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(cells) != 1:
        raise ParameterError(f"{Path(path).name} must have exactly one cell tagged 'parameters', "
                             f"found {len(cells)}")
    defaults: dict[str, object] = {}
    for node in ast.parse(cells[0].source).body:
        single = isinstance(node, ast.Assign) and len(node.targets) == 1
        if single and isinstance(node.targets[0], ast.Name):
            defaults[node.targets[0].id] = ast.literal_eval(node.value)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value:
            defaults[node.target.id] = ast.literal_eval(node.value)
    return defaults


def _type_name(value: object) -> str:
    return type(value).__name__


def _same_type(default: object, value: object) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float))
    if isinstance(default, list):
        # Each item must be of the type of the default's items (any type if the default is empty).
        if not isinstance(value, list):
            return False
        return not default or all(any(_same_type(d, v) for d in default) for v in value)
    return isinstance(value, type(default))


def check_parameters(path: str | Path, given: dict[str, object]) -> dict[str, object]:
    """Merge ``given`` over the notebook's defaults after checking names and types.

    Raises :class:`ParameterError` naming the notebook, the parameter and what it accepts.
    """
    defaults = notebook_defaults(path)
    name = Path(path).name
    unknown = sorted(set(given) - set(defaults))
    if unknown:
        takes = ", ".join(f"{k} ({_type_name(v)}, default {v!r})" for k, v in defaults.items())
        raise ParameterError(f"{name} has no parameter {', '.join(map(repr, unknown))}; it takes {takes}")
    for key, value in given.items():
        if not _same_type(defaults[key], value):
            raise ParameterError(f"{name}: parameter {key!r} must be {_type_name(defaults[key])} "
                                 f"like its default {defaults[key]!r}, not {_type_name(value)} {value!r}")
    return {**defaults, **given}
