"""A notebook's parameters: its defaults (via papermill), and given values checked against them.

Checked before any kernel starts: unknown names and values of the wrong type
are refused with a message that lists the parameters the notebook takes. The
defaults are read with :func:`papermill.inspect_notebook`; a default may be any
constant expression (``1_000_000``, ``10**6``, ``["UN WPP", "GSI"]``), which is
evaluated without running code.
"""

from __future__ import annotations

import ast
import operator
from pathlib import Path

from ..errors import ParameterError

_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
           ast.Div: operator.truediv, ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod,
           ast.Pow: operator.pow}
_UNARY = {ast.UAdd: operator.pos, ast.USub: operator.neg}
_MAX_EXPONENT = 64


def _evaluate(node: ast.AST) -> object:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        items = [_evaluate(item) for item in node.elts]
        return {ast.List: list, ast.Tuple: tuple, ast.Set: set}[type(node)](items)
    if isinstance(node, ast.Dict) and None not in node.keys:
        return {_evaluate(k): _evaluate(v) for k, v in zip(node.keys, node.values)}
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        operand = _evaluate(node.operand)
        if isinstance(operand, (int, float)):
            return _UNARY[type(node.op)](operand)
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left, right = _evaluate(node.left), _evaluate(node.right)
        numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (left, right))
        if numbers and not (isinstance(node.op, ast.Pow) and abs(right) > _MAX_EXPONENT):
            return _BINARY[type(node.op)](left, right)
    raise ValueError(ast.unparse(node))


def constant_value(source: str) -> object:
    """Evaluate ``source`` if it is a constant expression: literals, and arithmetic on numbers.

    ``"10**6"`` gives 1000000 and ``"[1, 2]"`` a list; a name, a call or anything
    else that would run code raises ``ValueError`` naming the part at fault.
    """
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as exc:
        raise ValueError(source.strip()) from exc
    return _evaluate(tree.body)


def notebook_defaults(path: str | Path) -> dict[str, object]:
    """The default parameters of the notebook at ``path``, from its cell tagged ``parameters``.

    Raises :class:`ParameterError` when the notebook has no such cell, or a
    default is not a constant expression.
    """
    import papermill

    path = Path(path)
    found = papermill.inspect_notebook(str(path))
    if not found:
        raise ParameterError(f"{path.name} has no cell tagged 'parameters' (or it assigns nothing)")
    defaults: dict[str, object] = {}
    for name, info in found.items():
        try:
            defaults[name] = constant_value(info["default"])
        except ValueError as exc:
            raise ParameterError(
                f"{path.name}, parameters cell: {name} = {info['default']} is not a constant; "
                f"write a number, a string, a list, or arithmetic on numbers such as 10**6 "
                f"(the part at fault: {exc})") from None
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


def check_parameters(path: str | Path, given: dict[str, object],
                     defaults: dict[str, object] | None = None) -> dict[str, object]:
    """Merge ``given`` over the notebook's defaults after checking names and types.

    Raises :class:`ParameterError` naming the notebook, the parameter and what it accepts.
    """
    defaults = notebook_defaults(path) if defaults is None else defaults
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
