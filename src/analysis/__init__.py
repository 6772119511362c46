"""Load, check and clean the published indicators on modern slavery in North Korea.

The layers follow the flow of the build: :mod:`analysis.data` (raw files to
``data/processed/``), :mod:`analysis.analyses` and :mod:`analysis.figures`,
:mod:`analysis.runs` (notebooks executed by papermill), :mod:`analysis.paper`
and :mod:`analysis.atlas`; :mod:`analysis.build` executes the steps of
:mod:`analysis.steps`. Start with :func:`analysis.data.processed.read_processed`
in a notebook, or ``python -m analysis --help``; see README.md for the whole build.
"""

from importlib.metadata import PackageNotFoundError, version

try:  # the version pyproject.toml gives, as installed
    __version__ = version("dprk-modern-slavery-compendium")
except PackageNotFoundError:  # run from a checkout that is not installed
    __version__ = "unknown"
