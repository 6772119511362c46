"""The notebooks: every ``notebooks/*.ipynb`` with a cell tagged ``parameters`` is runnable.

A notebook is named by its file stem without a numeric prefix
(``01_country_snapshot.ipynb`` is ``country_snapshot``). Its parameters and
their defaults are the assignments of its ``parameters`` cell, read with
:func:`ast.literal_eval` (no code runs). What a run of it depends on is the
source of its code cells, the parameters cell's assignments left out (the run's
parameters are in its fingerprint): prose, metadata, outputs, execution counts
and defaults are not, so opening, running and saving it in JupyterLab, or
changing a default there, reruns nothing that gives the parameter.

A notebook may name a function that checks its parameter values against the
data before any kernel starts, in its metadata: ``{"analysis": {"check":
"analysis.analyses.snapshot:check_parameters"}}``.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ParameterError
from ..hashing import digest_of
from ..paths import ProjectPaths

#: Tag of the cell that holds a notebook's parameters (papermill's convention).
PARAMETERS_TAG = "parameters"
_PREFIX = re.compile(r"^\d+[_-]")


@dataclass(frozen=True)
class Notebook:
    """One notebook of ``notebooks/``: its name, file, default parameters and code.

    ``problem`` says why it cannot run (no parameters cell, unreadable, a
    default that is not a literal); it is None for a runnable notebook.
    """

    name: str
    path: Path
    defaults: dict[str, object] = field(default_factory=dict)
    code: tuple[str, ...] = ()
    check: str | None = None
    problem: str | None = None

    @property
    def runnable(self) -> bool:
        """True when the notebook has a usable ``parameters`` cell."""
        return self.problem is None

    @property
    def code_digest(self) -> str:
        """sha256 of the source of its code cells, in order: what a run of it depends on."""
        return digest_of(list(self.code))


def notebook_name(path: Path) -> str:
    """``01_country_snapshot.ipynb`` -> ``country_snapshot``."""
    return _PREFIX.sub("", path.stem)


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def parse_defaults(source: str, where: str) -> dict[str, object]:
    """The ``name = literal`` assignments of a parameters cell, in order.

    Raises :class:`ParameterError` naming the line of a value that is not a
    literal (a number, a string, a list, a dict, True, False or None).
    """
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise ParameterError(f"{where}, parameters cell, line {exc.lineno}: {exc.msg}") from None
    defaults: dict[str, object] = {}
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [t.id for t in targets if isinstance(t, ast.Name)]
            if not names or node.value is None:
                continue
            try:
                value = ast.literal_eval(node.value)
            except (ValueError, SyntaxError, TypeError):
                raise ParameterError(
                    f"{where}, parameters cell, line {node.lineno}: {names[0]} = "
                    f"{ast.unparse(node.value)} is not a literal; write a number, a string, a list or "
                    "a dict (1_000_000, not 10**6)") from None
            for name in names:
                defaults[name] = value
    return defaults


def read_notebook(path: Path) -> Notebook:
    """The :class:`Notebook` at ``path``; never raises for a notebook that cannot run (see ``problem``)."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(nb, dict):
            raise ValueError("not a JSON object")
    except (OSError, ValueError) as exc:
        return Notebook(notebook_name(path), path,
                        problem=f"notebooks/{path.name} cannot be read as a notebook ({exc})")
    return notebook_of(nb, path)


def code_digest_of(nb: dict) -> str:
    """The :attr:`Notebook.code_digest` of the notebook ``nb`` (JSON data)."""
    return notebook_of(nb, Path("notebook.ipynb")).code_digest


def notebook_of(nb: dict, path: Path) -> Notebook:
    """The :class:`Notebook` of ``nb`` (JSON data) saved at ``path``."""
    name = notebook_name(path)
    where = f"notebooks/{path.name}"
    cells = [c for c in nb.get("cells", []) if isinstance(c, dict)]
    code = tuple(_source(c) for c in cells if c.get("cell_type") == "code")
    tagged = [c for c in cells if c.get("cell_type") == "code"
              and PARAMETERS_TAG in c.get("metadata", {}).get("tags", [])]
    check = (nb.get("metadata") or {}).get("analysis", {}).get("check")
    if not tagged:
        return Notebook(name, path, code=code, check=check,
                        problem=f"{where} has no code cell tagged '{PARAMETERS_TAG}'")
    try:
        defaults = parse_defaults(_source(tagged[0]), where)
    except ParameterError as exc:
        return Notebook(name, path, code=code, check=check, problem=str(exc))
    if not defaults:
        return Notebook(name, path, code=code, check=check,
                        problem=f"{where}: its '{PARAMETERS_TAG}' cell assigns no parameter")
    # A run depends on its parameters' values, which its record holds, not on the defaults it overrides:
    # editing a default (in the Lab, say) does not rerun the runs that give that parameter.
    code = tuple(_rest_of_parameters(_source(c)) if c is tagged[0] else _source(c)
                 for c in cells if c.get("cell_type") == "code")
    return Notebook(name, path, defaults, code, check)


def _rest_of_parameters(source: str) -> str:
    """A parameters cell without its assignments and comments: what else it runs (usually nothing)."""
    kept = [node for node in ast.parse(source).body if not isinstance(node, (ast.Assign, ast.AnnAssign))]
    return "\n".join(ast.unparse(node) for node in kept)


def discover(paths: ProjectPaths) -> dict[str, Notebook]:
    """Every notebook of ``notebooks/`` by name, sorted (the runnable and the others).

    Two files with the same name (``01_a.ipynb`` and ``02_a.ipynb``) make the
    second one not runnable, with a problem that says so.
    """
    found: dict[str, Notebook] = {}
    folder = paths.notebooks
    files = sorted(folder.glob("*.ipynb")) if folder.is_dir() else []
    for path in files:
        notebook = read_notebook(path)
        if notebook.name in found:
            notebook = Notebook(notebook.name, path, problem=f"notebooks/{path.name} has the same name, "
                                f"{notebook.name!r}, as notebooks/{found[notebook.name].path.name}")
            found[f"{notebook.name} ({path.name})"] = notebook
            continue
        found[notebook.name] = notebook
    return dict(sorted(found.items()))


def find(paths: ProjectPaths, name: str) -> Notebook:
    """The runnable notebook ``name`` (a name, a file name or a path); ParameterError if there is none."""
    notebooks = discover(paths)
    key = notebook_name(Path(name)) if name.endswith(".ipynb") else name
    notebook = notebooks.get(key)
    runnable = ", ".join(sorted(n for n, nb in notebooks.items() if nb.runnable)) or "none"
    if notebook is None:
        raise ParameterError(f"no notebook {name!r} in notebooks/; runnable notebooks: {runnable}")
    if not notebook.runnable:
        raise ParameterError(f"{notebook.problem}, so it cannot run; runnable notebooks: "
                             f"{runnable}")
    return notebook
