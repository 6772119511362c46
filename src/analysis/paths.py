"""Every path the compendium reads or writes, defined in one place.

Notebooks, the command line and the tests never build paths by hand: they ask
:func:`project_paths` for a :class:`ProjectPaths` and use its attributes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

#: Environment variable that points the library at another copy of the project
#: (the tests use it to work on a scratch copy of ``data/raw``).
ROOT_ENV_VAR = "ANALYSIS_ROOT"


@dataclass(frozen=True)
class ProjectPaths:
    """Folders and files of one copy of the compendium, all under ``root``."""

    root: Path

    @property
    def raw(self) -> Path:
        """Folder of the tidy, cited raw CSV files (committed)."""
        return self.root / "data" / "raw"

    @property
    def manifest(self) -> Path:
        """The manifest that cites and checksums every raw file."""
        return self.raw / "MANIFEST.yaml"

    @property
    def processed(self) -> Path:
        """Folder of the cleaned tables that ``python -m analysis data`` writes."""
        return self.root / "data" / "processed"

    @property
    def notebooks(self) -> Path:
        """Folder of the parameterised source notebooks."""
        return self.root / "notebooks"

    @property
    def results(self) -> Path:
        """Folder of everything the notebooks produce (not committed)."""
        return self.root / "results"

    @property
    def runs(self) -> Path:
        """One folder per notebook run: ``runs/<notebook>/<run id>/`` (figures, tables, record)."""
        return self.results / "runs"

    @property
    def interactive(self) -> Path:
        """Outputs of notebooks run by hand in Jupyter, one folder per notebook and run id."""
        return self.results / "interactive"

    @property
    def lab_state(self) -> Path:
        """JupyterLab's workspace for this project (emptied each time ``python -m analysis lab`` starts)."""
        return self.state / "lab"

    @property
    def failed(self) -> Path:
        """Executed copies of notebooks that failed, kept for reading the error."""
        return self.results / "failed"

    @property
    def state(self) -> Path:
        """Records of the steps whose outputs hold none (data, paper), and the kernels' own folders."""
        return self.results / ".state"

    @property
    def staging(self) -> Path:
        """One staging folder per step under way: ``results/.staging/<step>/``."""
        return self.results / ".staging"

    @property
    def kernel_home(self) -> Path:
        """Folders the notebook kernels use instead of the user's (matplotlib and IPython settings)."""
        return self.state / "kernel"

    @property
    def kernel_runtime(self) -> Path:
        """Where the kernels' connection files go; emptied at the start of every build."""
        return self.state / "runtime"

    @property
    def lock(self) -> Path:
        """Lock file that lets one build at a time run in this checkout."""
        return self.results / ".lock"

    @property
    def library(self) -> Path:
        """Source folder of the ``analysis`` package itself."""
        return Path(__file__).resolve().parent

    @property
    def paper(self) -> Path:
        """The Quarto project of the paper."""
        return self.root / "paper"

    @property
    def paper_generated(self) -> Path:
        """Figures, tables and variables copied or written for the paper."""
        return self.paper / "_generated"

    @property
    def paper_output(self) -> Path:
        """Rendered paper (HTML and PDF)."""
        return self.paper / "_output"


def checkout_root() -> Path:
    """The checkout this package was loaded from: src/analysis/paths.py -> two folders up."""
    return Path(__file__).resolve().parents[2]


def _has_data(root: Path) -> bool:
    return (root / "data" / "raw" / "MANIFEST.yaml").is_file()


def _default_root() -> Path:
    env = os.environ.get(ROOT_ENV_VAR)
    if env:
        return Path(env).resolve()
    checkout = checkout_root()
    if _has_data(checkout):
        return checkout
    # A non-editable install puts the package in site-packages, far from any data:
    # use the current folder if it is a checkout of the compendium.
    here = Path.cwd().resolve()
    return here if _has_data(here) else checkout


def project_paths(root: str | os.PathLike[str] | None = None) -> ProjectPaths:
    """Return the paths of the compendium rooted at ``root``.

    Without ``root``, the root is ``$ANALYSIS_ROOT`` if set, else the checkout
    that holds this package, else (for a non-editable install) the current
    folder if it holds ``data/raw/MANIFEST.yaml``. Where none holds the data,
    loading the manifest says so (:class:`analysis.errors.CheckoutError`).
    """
    return ProjectPaths(Path(root).resolve() if root is not None else _default_root())
