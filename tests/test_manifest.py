"""The manifest: what extract_raw.py writes is what the library reads, bounds included."""

from __future__ import annotations

import pytest

from analysis.data.manifest import ColumnSpec, column_entry, load_manifest
from analysis.errors import CheckoutError, RawDataError
from analysis.paths import ProjectPaths

from conftest import edit_raw


def test_a_zero_bound_is_written_to_the_manifest():
    entry = column_entry(ColumnSpec("n", "integer", "count", minimum=0, maximum=0))
    assert (entry["minimum"], entry["maximum"]) == (0, 0)
    assert "unique" not in entry


def test_every_committed_bound_of_zero_is_in_the_manifest(paths):
    entry = load_manifest(paths)["gsi2023_country_table.csv"]
    assert entry.column("vulnerability_total").minimum == 0
    assert entry.column("prevalence_per_1000").minimum == 0
    assert entry.column("estimated_number").minimum == 0


def test_manifest_that_is_not_yaml_names_the_line(scratch):
    text = scratch.manifest.read_text().replace("    rows: 180\n", "    rows: [180\n", 1)
    scratch.manifest.write_text(text)
    with pytest.raises(RawDataError, match=r"file MANIFEST\.yaml, line \d+: is not valid YAML") as info:
        load_manifest(scratch)
    assert text.splitlines()[info.value.line - 1].strip().startswith(("rows", "extracted", "-", "sha"))


@pytest.mark.parametrize("text", ["", "files: []\n", "files:\n  a.csv: 3\n",
                                  "files:\n  a.csv: {publisher: p, title: t, edition: e, url: u, "
                                  "date_published: d, licence: l, sha256: s, columns: [1]}\n"])
def test_manifest_of_the_wrong_shape_is_refused_in_one_error(scratch, text):
    scratch.manifest.write_text(text)
    with pytest.raises(RawDataError, match="MANIFEST.yaml"):
        load_manifest(scratch)


def test_missing_data_folder_says_to_use_a_checkout_or_analysis_root(tmp_path):
    with pytest.raises(CheckoutError, match="from a checkout.*ANALYSIS_ROOT"):
        load_manifest(ProjectPaths(tmp_path))


NEW_TIP_ROW = "PRK,2026,Tier 3,news,A title,A publisher,https://example.org/,a quote\n"


def test_an_edited_manifest_is_read_again(scratch):
    assert load_manifest(scratch)["tip_tier_history.csv"].rows == 23
    edit_raw(scratch, "tip_tier_history.csv", lambda t: t + NEW_TIP_ROW)
    text = scratch.manifest.read_text().replace("rows: 23\n", "rows: 24\n")
    scratch.manifest.write_text(text)
    assert load_manifest(scratch)["tip_tier_history.csv"].rows == 24


@pytest.mark.parametrize("name", ["../../README.md", "/etc/hostname", "sub/dir.csv", ".."])
def test_a_manifest_entry_names_a_file_in_data_raw(scratch, monkeypatch, capsys, name):
    import yaml

    from cli_helpers import assert_one_error_line, run_cli

    doc = yaml.safe_load(scratch.manifest.read_text())
    doc["files"][name] = dict(doc["files"]["tip_tier_history.csv"])
    scratch.manifest.write_text(yaml.safe_dump(doc, sort_keys=False))
    run = run_cli(["verify"], scratch, monkeypatch, capsys)
    assert run.status == 2
    assert_one_error_line(run.err)
    assert "MANIFEST.yaml" in run.err and repr(name) in run.err and "data/raw" in run.err
