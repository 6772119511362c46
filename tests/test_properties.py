"""Property-based: any single-cell edit of a raw file, rehashed, is refused cleanly or builds sound data.

Each example changes one cell of one raw file (to a blank, text, a number, a
scaled value or a value from elsewhere in the file), records the new checksum
with ``rehash`` as a user would, and runs ``python -m analysis data``. It must
end in one of two ways, never a traceback:

* one ``error:`` line naming file, line and column, exit 2, ``data/processed``
  unchanged; or
* a build whose outputs keep the invariants: counts agree with prevalence x
  population, every value within its bounds, codes unique and in ISO 3166-1.

The default profile runs two derandomised examples per file so that the suite
stays fast; ``HYPOTHESIS_PROFILE=thorough`` runs 200 random ones per file.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.cli import main
from analysis.data.gsi import COUNT_TOLERANCE
from analysis.data.manifest import load_manifest, rehash
from analysis.paths import ProjectPaths, project_paths

from conftest import snapshot

settings.register_profile("default", max_examples=2, deadline=None, derandomize=True,
                          database=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=200, deadline=None, database=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

CHECKOUT = project_paths()
RAW, PROCESSED = CHECKOUT.raw, CHECKOUT.processed
FILES = sorted(load_manifest(CHECKOUT))
ERROR = re.compile(r"^error: file [\w.]+, line \d+, column '[^']+': \S.*$")
#: Largest rounding of a published count (persons), by edition.
ROUNDING = {2016: 100, 2018: 1000, 2023: 1000}


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _render(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


@st.composite
def single_cell_edits(draw, name: str) -> tuple[int, int, str]:
    """(line index, column index, new value) for one cell of raw file ``name``."""
    rows = _rows((RAW / name).read_text(encoding="utf-8"))
    line = draw(st.integers(1, len(rows) - 1))
    col = draw(st.integers(0, len(rows[0]) - 1))
    old = rows[line][col]
    column = [r[col] for r in rows[1:]]
    candidates = [
        st.just(""),
        st.sampled_from(column),                     # a value from elsewhere in the column
        st.sampled_from(rows[line]),                 # a value from elsewhere in the row
        st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12),
        st.integers(-10**10, 10**10).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.sampled_from(["0", "-1", "1e3", "nan", "inf", "<1,000", "XYZ", "PRK", " ", "1,000"]),
    ]
    try:
        number = float(old)
        candidates.append(st.sampled_from([-1, 0, 0.1, 10, 1000]).map(lambda f: repr(number * f)))
    except ValueError:
        pass
    return line, col, draw(st.one_of(candidates))


def _check_invariants(processed: Path, iso: set[str]) -> None:
    """The invariants every accepted build must keep."""
    long = pd.read_csv(processed / "gsi_country_edition.csv", keep_default_na=False, na_values=[""])
    assert not long.duplicated(["edition", "iso3"]).any(), "a code twice in an edition"
    assert set(long["iso3"]) <= iso, "a code that is not ISO 3166-1"
    pop, prev, count = long["population"], long["prevalence_per_1000"], long["estimated_number"]
    assert pop.dropna().between(1, 2e9).all()
    assert prev.dropna().between(0, 1000).all()
    assert count.dropna().between(0, 2e9).all()
    for col in ["vulnerability_total", "vuln_governance", "vuln_basic_needs", "vuln_inequality",
                "vuln_disenfranchised", "vuln_conflict"]:
        assert long[col].dropna().between(0, 100).all(), col
    for col in [c for c in long.columns if c.startswith("govt_") and c.endswith("_pct")]:
        assert long[col].dropna().between(-102, 100).all(), col
    both = long.dropna(subset=["population", "prevalence_per_1000", "estimated_number"])
    for _, row in both.iterrows():
        implied = row["prevalence_per_1000"] * row["population"] / 1000
        gap = abs(implied - row["estimated_number"])
        assert gap <= max(ROUNDING[row["edition"]], COUNT_TOLERANCE * row["estimated_number"]) \
            or math.isclose(implied, row["estimated_number"]), (row["iso3"], row["edition"])


def _run_edit(name: str, edit: tuple[int, int, str], monkeypatch, capsys) -> None:
    line, col, value = edit
    with tempfile.TemporaryDirectory() as tmp:
        root = ProjectPaths(Path(tmp))
        shutil.copytree(RAW, root.raw)
        shutil.copytree(PROCESSED, root.processed)
        rows = _rows((root.raw / name).read_text(encoding="utf-8"))
        rows[line][col] = value
        (root.raw / name).write_text(_render(rows), encoding="utf-8")
        rehash(root.raw / name, root)
        before = snapshot(root.processed)
        monkeypatch.setenv("ANALYSIS_ROOT", str(root.root))
        capsys.readouterr()
        status = main(["data"])
        err = capsys.readouterr().err
        if status == 0:
            _check_invariants(root.processed, set(pd.read_csv(root.raw / "iso3166_country_codes.csv",
                                                               keep_default_na=False)["alpha_3"]))
        else:
            assert status == 2, err
            assert ERROR.match(err.rstrip("\n")) and err.count("\n") == 1, err
            assert snapshot(root.processed) == before, "a refused build changed data/processed"
            assert not [p for p in root.processed.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("name", FILES)
def test_single_cell_edits_are_refused_cleanly_or_build_sound_data(name, monkeypatch, capsys):
    @given(edit=single_cell_edits(name))
    @settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
    def check(edit):
        _run_edit(name, edit, monkeypatch, capsys)
    check()
