"""JupyterLab's pre-save hook: keep the executed notebook with its run by hand, save the notebook stripped.

JupyterLab calls :func:`pre_save` before it writes a file of ``notebooks/``
(``python -m analysis lab`` sets ``ContentsManager.pre_save_hook`` to it). For
a notebook, it first writes the notebook as it stands, outputs included, into
the folder of its latest run by hand (:func:`analysis.runs.interactive.save_executed`),
then strips what it saves to ``notebooks/`` (:func:`analysis.runs.stripping.strip_notebook`):
no outputs, no execution counts, no session metadata. Opening, running and
saving a notebook therefore changes its file only where its cells changed.
"""

from __future__ import annotations

import logging
from pathlib import Path

from ..paths import project_paths
from ..runs.interactive import save_executed
from ..runs.notebooks import notebook_name
from ..runs.stripping import strip_notebook

log = logging.getLogger(__name__)


def pre_save(model: dict, path: str, contents_manager: object = None, **kwargs: object) -> None:
    """Strip the notebook ``model`` JupyterLab is about to save at ``path`` (relative to ``notebooks/``),
    in place, after keeping its outputs with its latest run by hand; other files are left alone."""
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    paths = project_paths(Path(contents_manager.root_dir).parent) if contents_manager else project_paths()
    try:
        written = save_executed(model["content"], notebook_name(Path(path)), paths)
        if written is not None:
            log.info("kept the executed notebook in %s", written.relative_to(paths.root))
    except OSError as exc:  # the notebook itself must still be saved
        log.error("could not keep the executed notebook of %s: %s", path, exc)
    model["content"] = strip_notebook(model["content"])
