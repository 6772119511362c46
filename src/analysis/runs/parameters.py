"""A run's parameters: given values over a notebook's defaults, checked before any kernel starts.

Three layers of checks, all before a kernel starts:

1. *names and types*, from the defaults of the ``parameters`` cell: an unknown
   name, or a value whose type differs from its default's, is refused with the
   parameters the notebook takes;
2. *conventions*, which need no edit of the pipeline: a parameter named
   ``country`` is an ISO 3166-1 alpha-3 code (any case) that must have a GSI
   prevalence estimate in every edition named by a parameter whose name starts
   with ``edition``;
3. the notebook's own check, if its metadata names one (see
   :mod:`analysis.runs.notebooks`).

A run is named ``<label>-<hash>``: the label joins the values of ``country``
and of the ``edition*`` parameters (``PRK_2018_2023``), the hash is the start of
the sha256 of the canonical parameters.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from ..errors import ParameterError
from ..hashing import digest_of
from ..paths import ProjectPaths
from .notebooks import Notebook

#: Length of the parameters' hash in a run id.
HASH_LENGTH = 10


def _type_name(value: object) -> str:
    return type(value).__name__


def same_type(default: object, value: object) -> bool:
    """True when ``value`` may replace ``default``: same type (an int for a float; list items alike)."""
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float))
    if isinstance(default, list):
        if not isinstance(value, list):
            return False
        return not default or all(any(same_type(d, v) for d in default) for v in value)
    return isinstance(value, type(default))


def merged(notebook: Notebook, given: dict[str, object]) -> dict[str, object]:
    """``given`` over the notebook's defaults, names and types checked, ``country`` in upper case.

    Needs no data: this is what names a run folder. Raises :class:`ParameterError`
    naming the notebook, the parameter and what it accepts.
    """
    defaults = notebook.defaults
    unknown = sorted(set(given) - set(defaults))
    if unknown:
        takes = ", ".join(f"{k} ({_type_name(v)}, default {v!r})" for k, v in defaults.items())
        raise ParameterError(f"{notebook.name} has no parameter {', '.join(map(repr, unknown))}; "
                             f"it takes {takes}")
    for key, value in given.items():
        if not same_type(defaults[key], value):
            raise ParameterError(f"{notebook.name}: parameter {key!r} must be {_type_name(defaults[key])} "
                                 f"like its default {defaults[key]!r}, not {_type_name(value)} {value!r}")
    params = {**defaults, **given}
    if isinstance(params.get("country"), str):
        params["country"] = params["country"].strip().upper()
    return params


def canonical(notebook: Notebook, given: dict[str, object], paths: ProjectPaths) -> dict[str, object]:
    """:func:`merged`, with a given ``country`` named as the data name it: an ISO3 or ISO alpha-2 code in
    any case, a name, or a form of one ("DPRK", "Korea DPR"). Raises :class:`ParameterError` with the
    nearest countries when it names none."""
    params = merged(notebook, given)
    if isinstance(given.get("country"), str):
        from ..data.countries import country_names, resolve_country
        params["country"] = resolve_country(given["country"], country_names(paths))
    return params


def editions_of(params: dict[str, object]) -> list[int]:
    """The GSI editions a run's parameters name: every ``edition*`` parameter that is a year."""
    return [v for k, v in params.items()
            if k.startswith("edition") and isinstance(v, int) and not isinstance(v, bool)]


def label(params: dict[str, object]) -> str:
    """The readable part of a run id: ``country`` and the ``edition*`` values joined by ``_``."""
    parts = [str(params["country"])] if "country" in params else []
    parts += [str(e) for e in editions_of(params)]
    return "_".join(parts) or "run"


def run_id(params: dict[str, object]) -> str:
    """The id of the run with canonical ``params``: ``<label>-<first characters of their sha256>``."""
    return f"{label(params)}-{digest_of(params)[:HASH_LENGTH]}"


def _check_function(notebook: Notebook) -> Callable[[dict, ProjectPaths], dict] | None:
    if not notebook.check:
        return None
    module, _, name = notebook.check.partition(":")
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as exc:
        raise ParameterError(f"{notebook.name}: its metadata names the check {notebook.check!r}, which "
                             f"cannot be found ({exc})") from None


def validate(notebook: Notebook, params: dict[str, object], paths: ProjectPaths) -> dict[str, object]:
    """Check canonical ``params`` against the data (conventions, then the notebook's own check).

    Returns the parameters, normalised; raises :class:`ParameterError` that says
    why and lists the valid choices.
    """
    if "country" in params:
        from ..analyses.countries import require_country
        from ..data.gsi import no_estimate_error
        from ..data.processed import read_processed

        long = read_processed("gsi_country_edition.csv", paths)
        if params["country"] == notebook.defaults.get("country"):  # the data lost the default's estimate
            error = no_estimate_error(long, params["country"], editions_of(params),
                                      f"notebooks/{notebook.path.name} needs one for its default country "
                                      f"(or change its parameters cell)", paths)
            if error is not None:
                raise error
        params = {**params, "country": require_country(long, params["country"], *editions_of(params))}
    check = _check_function(notebook)
    return check(dict(params), paths) if check else params
