"""What one build of the paper produced, gathered for comparison: files, values, pictures, text.

:func:`collect` reads a built copy of the project: the sha256 of every output
(``data/processed``, the paper's run folders, ``paper/_variables.yml``,
``paper/_generated`` and ``paper/_output``), every value of the runs' key
numbers and CSV tables and of the paper's tables and numbers of the text, the
signature of every figure, the text of the rendered HTML paper, and the
software that built it (the paper's build table). Each run's ``record.json``
is left out: it records where and from which code the run was made, not a
result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..data.manifest import sha256_of
from ..paths import ProjectPaths
from . import numbers
from .pixels import Signature, signature
from .text import paper_text

#: The run record, left out of the results (see the module's docstring).
RECORD = "record.json"
#: The paper's table of the software that built it (an environment, not a result).
BUILD_TABLE = "paper/_generated/tables/build.md"
PAPER_HTML = "paper/_output/paper.html"


@dataclass
class Results:
    """The results of one build, keyed by path relative to the project root."""

    #: ``{path: sha256}`` of every output file.
    files: dict[str, str] = field(default_factory=dict)
    #: ``{path of a values.json, CSV table, paper table or _variables.yml: {item: value as printed}}``.
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    #: ``{path of a run's PNG figure: signature}``.
    figures: dict[str, Signature] = field(default_factory=dict)
    #: The text of ``paper/_output/paper.html``, one block per line.
    text: list[str] = field(default_factory=list)
    #: ``{software: version}`` from the paper's build table (renderer, Python, key packages).
    environment: dict[str, str] = field(default_factory=dict)


def output_files(paths: ProjectPaths) -> list[Path]:
    """Every output file of a build of the paper, sorted (hidden files and run records left out)."""
    folders = [paths.processed, paths.runs, paths.paper_generated, paths.paper_output]
    files = [p for folder in folders if folder.is_dir() for p in folder.rglob("*")
             if p.is_file() and p.name != RECORD
             and not any(part.startswith(".") for part in p.relative_to(folder).parts)]
    variables = paths.paper / "_variables.yml"
    if variables.is_file():
        files.append(variables)
    return sorted(files, key=lambda p: p.relative_to(paths.root).as_posix())


def values_of(path: Path, relative: str) -> dict[str, str] | None:
    """The values of one result file by its kind, or ``None`` for a file that holds no values."""
    if relative.startswith("results/runs/") and path.name == "values.json":
        import json
        return numbers.json_items(json.loads(path.read_text(encoding="utf-8")))
    if relative.startswith("results/runs/") and path.suffix == ".csv" and path.parent.name == "tables":
        return numbers.csv_items(path.read_text(encoding="utf-8"))
    if relative.startswith("paper/_generated/tables/") and path.suffix == ".md":
        return numbers.markdown_table_items(path.read_text(encoding="utf-8"))
    if relative == "paper/_variables.yml":
        return numbers.yaml_items(path.read_text(encoding="utf-8"))
    return None


def collect(paths: ProjectPaths) -> Results:
    """The :class:`Results` of the build in the project at ``paths``."""
    results = Results()
    for path in output_files(paths):
        relative = path.relative_to(paths.root).as_posix()
        results.files[relative] = sha256_of(path)
        found = values_of(path, relative)
        if found is not None:
            results.values[relative] = found
        if relative.startswith("results/runs/") and path.suffix == ".png":
            results.figures[relative] = signature(path)
    html = paths.root / PAPER_HTML
    if html.is_file():
        results.text = paper_text(html.read_text(encoding="utf-8"))
    build = results.values.get(BUILD_TABLE, {})
    results.environment = {key.split(" | ")[0].split("=", 1)[1].strip("`"): value
                           for key, value in build.items()
                           if key.endswith(" | Version") and not key.startswith("Software=Git commit")}
    return results
