"""The data the notebooks' defaults need: refuse a build that would leave a default run broken.

Each notebook's ``parameters`` cell names a default ``country`` (and editions).
A raw edit that takes that country's code or estimate away would rebuild
``data/processed`` and only then fail inside a notebook, with a message about
the notebook; :func:`check_notebook_defaults` refuses it before anything is written,
naming the raw file and line to look at.
"""

from __future__ import annotations

import pandas as pd

from ..errors import AnalysisError, RawDataError
from ..paths import ProjectPaths
from .countries import CODES_FILE
from .gsi import RAW_FILES


def _editions(defaults: dict[str, object]) -> list[int]:
    """The editions a notebook's defaults ask for: every ``edition*`` parameter that is a year."""
    return [v for k, v in defaults.items()
            if k.startswith("edition") and isinstance(v, int) and not isinstance(v, bool)]


def _read_defaults(path) -> dict[str, object]:
    from ..pipeline.parameters import notebook_defaults  # lazily: the pipeline imports this package

    try:
        return notebook_defaults(path)
    except AnalysisError:
        raise
    except (ValueError, SyntaxError, KeyError, TypeError, OSError) as exc:  # nbformat, ast
        raise AnalysisError(f"notebooks/{path.name}: cannot read its parameters cell: "
                            f"{' '.join(str(exc).split())}") from None


def check_notebook_defaults(long: pd.DataFrame, paths: ProjectPaths) -> None:
    """Check that each notebook's default ``country`` has an estimate in its default editions.

    ``long`` is the cleaned table (one row per country and edition). Notebooks
    without a ``country`` parameter are skipped; a notebook with no ``edition``
    parameter needs an estimate in any edition. Raises :class:`RawDataError`
    naming ``country_codes.csv`` (no name has the code) or the edition's raw file
    and the country's line (no prevalence).
    """
    for path in sorted(paths.notebooks.glob("*.ipynb")):
        defaults = _read_defaults(path)
        country = defaults.get("country")
        if not isinstance(country, str):
            continue
        rows = long[long["iso3"] == country]
        if rows.empty:
            raise RawDataError(CODES_FILE, f"no country has the code {country!r}, the default "
                               f"country of notebooks/{path.name}, which needs an estimate for it: "
                               f"restore the code, or change the notebook's parameters cell",
                               column="iso3")
        estimated = set(rows.loc[rows["has_estimate"], "edition"])
        missing = [e for e in _editions(defaults) if e not in estimated]
        if not estimated or missing:
            edition = missing[0] if missing else int(rows["edition"].max())
            _no_estimate(path.name, country, edition, rows, paths)


def _no_estimate(notebook: str, country: str, edition: int, rows: pd.DataFrame,
                 paths: ProjectPaths) -> None:
    from .raw_io import read_raw

    file = RAW_FILES[edition]
    names = rows.loc[rows["edition"] == edition, "name_as_published"]
    line, column = None, "prevalence_pct" if edition == 2016 else "prevalence_per_1000"
    if not names.empty:
        published = read_raw(file, paths)["country"]
        line = int((published == names.iloc[0]).to_numpy().nonzero()[0][0]) + 2
    raise RawDataError(file, f"{country!r} has no prevalence estimate in GSI {edition}, but "
                       f"notebooks/{notebook} needs one for its default country {country!r}: "
                       "restore the estimate, or change the notebook's parameters cell",
                       line=line, column=column)
