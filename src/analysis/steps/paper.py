"""The paper step: the paper rendered from its declared runs, published whole.

It reads the paper's sources (``paper/``, but what the build writes), the
records of its runs, ``data/processed/`` and ``data/raw/``, the library's code
that writes and checks the paper's pieces, the environment, the renderer, and
the commit (the appendix and the PDF's date show it). It copies the sources
into its staging folder, writes the numbers, tables and figures there, renders
that copy, checks what the renderer wrote (:func:`~analysis.paper.build.check_rendered`),
and only then publishes ``paper/_output``, ``paper/_generated`` and
``paper/_variables.yml`` together. A renderer that fails, hangs, writes
garbage, is interrupted or killed, or meets a full disk leaves all three as
they were.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..build.fingerprints import code_digest, environment, files_digest, relative, sha256_of
from ..build.step import RECORD_FORMAT, Context, Step
from ..paths import ProjectPaths
from .data import KEY as DATA

KEY = "paper"
#: The library's code that writes, checks and renders the paper's pieces.
CODE = ("paper/", "analyses/", "data/", "runs/outputs.py", "build/external.py", "steps/paper.py")
PROJECT = "project"


def renderer_identity(renderer: str, quarto: str | None) -> dict:
    """The renderer as an input: Quarto's path and the sha256 of its launcher, or the fallback."""
    if renderer == "quarto" and quarto:
        return {"name": "quarto", "path": quarto, "sha256": sha256_of(Path(quarto).resolve())}
    return {"name": "pandoc + typst (fallback)"}


def paper_step(paths: ProjectPaths, runs: dict[str, Step], engine: str = "auto") -> Step:
    """The step that renders the paper from the run steps ``runs`` (by the name the paper uses)."""
    from ..paper.build import paper_sources
    from ..paper.declarations import load_declarations
    from ..paper.render import choose_renderer

    declarations = load_declarations(paths)
    renderer, quarto = choose_renderer(engine)

    def inputs() -> dict:
        from ..paper.checkout import paper_checkout
        return {"sources": files_digest(paper_sources(paths), paths),
                "runs": {name: sha256_of(step.record_path) if step.record_path.is_file() else None
                         for name, step in runs.items()},
                "processed": files_digest(sorted(paths.processed.iterdir()), paths),
                "raw": files_digest(sorted(paths.raw.iterdir()), paths),
                "code": code_digest(paths, CODE), "environment": environment(),
                "renderer": renderer_identity(renderer, quarto),
                "git": dict(zip(("commit", "dirty"), paper_checkout(paths))),
                "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH"), "format": RECORD_FORMAT}

    def write(staging: Path, context: Context) -> None:
        from ..paper.build import stage_sources, write_inputs
        from ..paper.render import render, source_date

        project = staging / PROJECT
        stage_sources(paths, project)
        write_inputs({name: step.base for name, step in runs.items()}, declarations, paths, project, renderer)
        context.say(f"rendering with Quarto ({quarto})" if quarto
                    else "Quarto not found: rendering with the fallback, pandoc and typst")
        render(project, renderer, quarto, context, source_date(paths.root))

    def check(staging: Path) -> None:
        from ..paper.build import check_rendered
        from ..paper.render import OUTPUT, front_matter

        project = staging / PROJECT
        check_rendered(project / OUTPUT / "paper.html", project / OUTPUT / "paper.pdf",
                       str(front_matter(project).get("title", "")))

    targets = {f"{PROJECT}/_output": paths.paper_output, f"{PROJECT}/_generated": paths.paper_generated,
               f"{PROJECT}/_variables.yml": paths.paper / "_variables.yml",
               "paper.json": paths.state / "paper.json"}
    return Step(KEY, "paper", "paper", targets=targets,
        record="paper.json", base=paths.root, inputs=inputs, write=write, check=check,
        needs=(DATA, *(step.key for step in runs.values())),
        fields={"renderer": renderer,
                "runs": {name: relative(step.base, paths) for name, step in runs.items()}})
