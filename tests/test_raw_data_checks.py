"""Bad or changed raw files are refused with a clear error, and data/processed stays as it was."""

from __future__ import annotations

import re

import pandas as pd
import pytest
import yaml

from analysis.errors import RawDataError
from analysis.data.gsi import parse_counts
from analysis.data.manifest import CITATION_KEYS, load_manifest, verify_all
from analysis.data.units import per_1000_factor

from conftest import build_data, edit_raw, snapshot


def _refused(scratch, match: str) -> RawDataError:
    before = snapshot(scratch.processed)
    with pytest.raises(RawDataError, match=match) as info:
        build_data(scratch)
    assert snapshot(scratch.processed) == before, "data/processed was changed"
    assert not list(scratch.processed.glob(".staging-*")), "a staging folder was left behind"
    return info.value


def test_committed_raw_files_match_the_manifest(paths):
    assert len(verify_all(paths)) == 11


def test_every_manifest_entry_is_cited(paths):
    for name, entry in load_manifest(paths).items():
        for key in CITATION_KEYS:
            assert entry.citation[key].strip(), f"{name} lacks {key}"
        assert re.fullmatch(r"[0-9a-f]{64}", entry.sha256)
        assert all(c.description for c in entry.columns)


def test_corrupted_file_is_refused(scratch):
    edit_raw(scratch, "gsi2023_country_table.csv", lambda t: t.replace("104.6", "140.6"),
             update_manifest=False)
    err = _refused(scratch, r"gsi2023_country_table\.csv.*sha256")
    assert err.file == "gsi2023_country_table.csv"


def test_missing_column_is_refused(scratch):
    def drop_region(text: str) -> str:
        frame = pd.read_csv(pd.io.common.StringIO(text), dtype=str, keep_default_na=False)
        return frame.drop(columns="region").to_csv(index=False, lineterminator="\n")
    edit_raw(scratch, "gsi2018_country_table.csv", drop_region)
    err = _refused(scratch, r"gsi2018_country_table\.csv.*region")
    assert err.column == "region"


def test_value_of_wrong_type_names_line_and_column(scratch):
    edit_raw(scratch, "gsi2023_country_table.csv",
             lambda t: t.replace("North Korea,25779000", "North Korea,about 25 million"))
    err = _refused(scratch, "gsi2023_country_table.csv")
    line = scratch.raw.joinpath("gsi2023_country_table.csv").read_text().splitlines()
    assert line[err.line - 1].startswith("North Korea,about")
    assert err.column == "population"


def test_per_1000_values_in_the_per_cent_column_are_a_unit_mix_up(scratch):
    # Put North Korea's 2016 prevalence in per 1,000 while the column is per cent.
    edit_raw(scratch, "gsi2016_country_table.csv",
             lambda t: t.replace(",25155000,4.37288809381833,", ",25155000,43.7288809381833,"))
    err = _refused(scratch, "per 1,000 rather than per cent")
    assert err.column == "prevalence_pct"
    assert "line" in str(err)


def test_per_cent_values_in_a_per_1000_column_are_a_unit_mix_up(scratch):
    edit_raw(scratch, "gsi2023_country_table.csv", lambda t: t.replace(",104.6,", ",10.46,"))
    _refused(scratch, "per cent rather than per 1,000")


def test_wrong_unit_in_manifest_is_caught_by_the_counts(scratch):
    doc = yaml.safe_load(scratch.manifest.read_text())
    for col in doc["files"]["gsi2016_country_table.csv"]["columns"]:
        if col["name"] == "prevalence_pct":
            col["unit"] = "per 1,000 population"
    scratch.manifest.write_text(yaml.safe_dump(doc, sort_keys=False))
    _refused(scratch, "gsi2016_country_table.csv.*per cent rather than per 1,000")


def test_unknown_country_is_refused(scratch):
    edit_raw(scratch, "gsi2023_country_table.csv", lambda t: t.replace("\nEritrea,", "\nErythrea,"))
    err = _refused(scratch, "unknown country name 'Erythrea'")
    assert err.column == "country" and err.line is not None


def test_uncited_csv_in_raw_is_refused(scratch):
    (scratch.raw / "extra.csv").write_text("a\n1\n")
    _refused(scratch, "extra.csv.*not in MANIFEST")


def test_out_of_range_value_is_refused(scratch):
    edit_raw(scratch, "gsi2023_country_table.csv",
             lambda t: t.replace(",67.01499449667587,", ",167.01499449667587,"))
    err = _refused(scratch, "'167.01499449667587' is above the maximum 100 \\(score 0-100\\)")
    assert err.column == "vulnerability_total"


def test_parse_counts():
    numbers, notes = parse_counts(pd.Series(["<1,000", "12,000", "5000", None]), "f.csv", "n")
    assert numbers.tolist()[1:3] == [12000, 5000]
    assert numbers.isna().tolist() == [True, False, False, True]
    assert notes.tolist()[0] == "<1,000" and notes.isna().tolist()[1:] == [True, True, True]
    with pytest.raises(RawDataError, match="line 3, column 'n'"):
        parse_counts(pd.Series(["1", "about 5"]), "f.csv", "n")


def test_unknown_unit_is_refused():
    assert per_1000_factor("per cent") == 10
    with pytest.raises(ValueError, match="unknown prevalence unit 'per 100,000'"):
        per_1000_factor("per 100,000")


def test_two_builds_are_byte_identical_and_match_the_committed_tables(scratch, paths):
    committed = snapshot(paths.processed)
    build_data(scratch)
    first = snapshot(scratch.processed)
    build_data(scratch)
    assert snapshot(scratch.processed) == first
    assert first == committed, "data/processed in git differs from what the code builds"
