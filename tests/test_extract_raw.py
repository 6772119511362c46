"""scripts/extract_raw.py without the original files says which files it needs, and where."""

from __future__ import annotations

import importlib.util

import pytest

from cli_helpers import assert_one_error_line


@pytest.fixture(scope="module")
def extract_raw(paths):
    spec = importlib.util.spec_from_file_location("extract_raw", paths.root / "scripts" / "extract_raw.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("folder", ["nowhere", "empty"])
def test_check_raw_without_sources_names_every_file_it_needs(extract_raw, tmp_path, capsys, folder):
    (tmp_path / "empty").mkdir()
    status = extract_raw.main(["--sources", str(tmp_path / folder), "--check"])
    err = capsys.readouterr().err
    assert status == 2
    assert_one_error_line(err)
    assert str(tmp_path / folder) in err and "make check-raw SOURCES=dir" in err
    for name in ["MANIFEST.sha256", *extract_raw.SOURCE_FILES]:
        assert name in err


def test_check_raw_with_some_files_names_the_missing_ones(extract_raw, tmp_path, capsys):
    (tmp_path / "MANIFEST.sha256").write_text("")
    (tmp_path / "regional_and_other_editions").mkdir()
    (tmp_path / extract_raw.EXCERPTS).write_text("")
    assert extract_raw.main(["--sources", str(tmp_path), "--check"]) == 2
    err = capsys.readouterr().err
    assert_one_error_line(err)
    assert extract_raw.GSI2023_XLSX in err and extract_raw.EXCERPTS not in err.split("lacks")[1].split(":")[0]


def test_raw_readme_lists_the_layout_of_the_sources(extract_raw, paths):
    readme = (paths.raw / "README.md").read_text()
    for name in ["MANIFEST.sha256", *extract_raw.SOURCE_FILES]:
        assert f"`{name}`" in readme
