"""``python -m analysis rehash data/raw/FILE``: record a deliberate edit, and keep it visible."""

from __future__ import annotations

import yaml

from analysis.data.manifest import load_manifest, rehashed_files, sha256_of

from cli_helpers import assert_one_error_line, run_cli
from conftest import build_data

TIP = "tip_tier_history.csv"


def _add_a_year(scratch) -> None:
    path = scratch.raw / TIP
    path.write_text(path.read_text() + "PRK,2026,Tier 3,news,A title,A publisher,https://example.org/,quote,"
                    "2026-12-01,https://example.org/,against the stored copy of source_url\n")


def test_committed_files_are_as_extracted(paths):
    assert rehashed_files(paths) == []
    for entry in load_manifest(paths).values():
        assert entry.extracted_sha256 == entry.sha256


def test_rehash_records_the_edit_and_warns(scratch, monkeypatch, capsys):
    old = load_manifest(scratch)[TIP].sha256
    _add_a_year(scratch)
    new = sha256_of(scratch.raw / TIP)
    monkeypatch.chdir(scratch.root)
    run = run_cli(["rehash", f"data/raw/{TIP}"], scratch, monkeypatch, capsys)
    assert run.status == 0, run.err
    assert f"old sha256 {old}" in run.out and f"new sha256 {new}" in run.out
    assert "rows 23 -> 24" in run.out
    assert_one_error_line(run.err.replace("warning:", "error:"))
    assert run.err.startswith(f"warning: data/raw/{TIP} now differs from its cited source")
    entry = load_manifest(scratch)[TIP]
    assert (entry.sha256, entry.rows, entry.extracted_sha256) == (new, 24, old)
    assert rehashed_files(scratch) == [TIP]
    tiers = build_data(scratch)  # the edit is accepted: it is within every bound
    assert "PRK,2025,Tier 3" in (scratch.processed / "tip_tiers.csv").read_text() and tiers


def test_rehash_changes_only_the_edited_entry(scratch, monkeypatch, capsys):
    before = yaml.safe_load(scratch.manifest.read_text())
    _add_a_year(scratch)
    assert run_cli(["rehash", str(scratch.raw / TIP)], scratch, monkeypatch, capsys).status == 0
    after = yaml.safe_load(scratch.manifest.read_text())
    after["files"][TIP].update(sha256=before["files"][TIP]["sha256"], rows=23)
    assert after == before


def test_rehash_after_undoing_the_edit_says_so(scratch, monkeypatch, capsys):
    original = (scratch.raw / TIP).read_text()
    _add_a_year(scratch)
    run_cli(["rehash", TIP], scratch, monkeypatch, capsys)
    (scratch.raw / TIP).write_text(original)
    run = run_cli(["rehash", TIP], scratch, monkeypatch, capsys)
    assert run.status == 0 and run.err == ""
    assert "is again the file extracted from its cited source" in run.out
    assert rehashed_files(scratch) == []


def test_rehash_refuses_a_file_outside_data_raw_or_not_in_the_manifest(scratch, tmp_path, monkeypatch,
                                                                     capsys):
    (scratch.raw / "extra.csv").write_text("a\n1\n")
    for target, message in [(str(scratch.raw / "extra.csv"), "is not listed in MANIFEST.yaml"),
                            (str(scratch.root / "README.md"), "is not in"),
                            (str(scratch.raw / "gone.csv"), "is not listed in MANIFEST.yaml")]:
        run = run_cli(["rehash", target], scratch, monkeypatch, capsys)
        assert run.status == 2
        assert_one_error_line(run.err)
        assert message in run.err


def test_rehash_of_an_unchanged_file_leaves_the_manifest_byte_identical(scratch, monkeypatch, capsys):
    before = scratch.manifest.read_bytes()
    run = run_cli(["rehash", TIP], scratch, monkeypatch, capsys)
    assert run.status == 0 and "unchanged" in run.out
    assert scratch.manifest.read_bytes() == before


def test_blank_lines_are_not_rows(scratch, monkeypatch, capsys):
    path = scratch.raw / TIP
    path.write_text(path.read_text() + "\n\n")
    run = run_cli(["rehash", str(path)], scratch, monkeypatch, capsys)
    assert run.status == 0, run.err
    assert "rows" not in run.out, run.out
    assert load_manifest(scratch)[TIP].rows == 23
    assert run_cli(["data"], scratch, monkeypatch, capsys).status == 0
