"""The two commands of the replication stage: ``reference`` and ``reproduce``.

Both rebuild from clean in a scratch copy (:mod:`analysis.replication.rebuild`),
deleted afterwards, and never touch the user's own ``results/`` or ``paper/``
outputs. ``reference`` writes the committed reference from that build;
``reproduce`` compares that build with it and writes the report.
"""

from __future__ import annotations

import tempfile
import time
import tomllib
from pathlib import Path

from ..errors import AnalysisError
from ..paths import ProjectPaths
from .compare import compare
from .readme import reference_readme, update_readme
from .rebuild import Rebuild, rebuild
from .reference import read_reference, reference_folder, write_reference
from .report import Context, markdown_report, summary_line, write_report
from .results import collect

#: Exit status of a reproduction whose numbers differ from the reference (2 is a refused input).
EXIT_DIFFERENT = 1


def _version(paths: ProjectPaths) -> str:
    try:
        project = tomllib.loads((paths.root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
        return project["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def _rebuilt(paths: ProjectPaths, engine: str, scratch: Path) -> Rebuild:
    from ..paper.render import choose_renderer

    choose_renderer(engine)  # an engine that cannot run is refused before anything is copied
    return rebuild(paths, scratch, engine)


def make_reference(paths: ProjectPaths, engine: str = "quarto") -> Path:
    """Rebuild from clean with ``engine`` (Quarto, as CI builds) and write ``reference/`` and the
    list of exhibits in ``README.md`` from it. Returns the reference folder."""
    with tempfile.TemporaryDirectory(prefix="analysis-reference-") as scratch:
        built = _rebuilt(paths, engine, Path(scratch))
        if built.status != 0:
            raise AnalysisError("the clean build failed, so no reference was written: "
                                f"{built.error or 'see above'}")
        results = collect(built.paths)
    folder = write_reference(paths, results, reference_readme(results, _version(paths)))
    update_readme(paths, results)
    print(f"wrote {folder.relative_to(paths.root)}/ ({len(results.files)} files, "
          f"{sum(len(v) for v in results.values.values())} values, {len(results.figures)} figures, "
          f"{len(results.text)} lines of text) in {built.seconds:.0f} s")
    return folder


def reproduce(paths: ProjectPaths, engine: str = "auto", strict: bool = False,
              keep: Path | None = None) -> int:
    """Rebuild from clean, compare with ``reference/``, print and write the report; return the exit status.

    0 when every number agrees with the reference (with ``strict``: when every
    output is byte-identical), :data:`EXIT_DIFFERENT` otherwise. ``keep`` names
    a folder to rebuild in and keep (default: a temporary one, deleted).
    """
    reference = read_reference(paths)  # refused before the rebuild if there is none
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="analysis-reproduce-") as scratch:
        folder = keep or Path(scratch)
        if keep is not None and keep.exists() and any(keep.iterdir()):
            raise AnalysisError(f"--keep {keep}: the folder is not empty; give a new or empty one")
        if keep is not None:
            keep.mkdir(parents=True, exist_ok=True)
        built = _rebuilt(paths, engine, folder)
        if built.status != 0:
            print(f"the rebuild failed: {built.error or 'see ' + folder.as_posix()}; "
                  "comparing what was built")
        comparison = compare(reference, collect(built.paths), paths)
    context = Context(seconds=time.perf_counter() - start, engine=engine, strict=strict)
    written = write_report(paths, comparison, context)
    print()
    print(markdown_report(comparison, context, full=False))
    print("report: " + ", ".join(str(p.relative_to(paths.root)) for p in written))
    print(f"reference: {reference_folder(paths).relative_to(paths.root)}/; time taken: "
          f"{context.seconds:.0f} s")
    print(summary_line(comparison, strict))
    failed = comparison.failures() or (strict and comparison.strict_failures()) or built.status != 0
    return EXIT_DIFFERENT if failed else 0
