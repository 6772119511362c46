"""Nonsense with a matching checksum is refused: the cases of issue 11, each through the CLI.

Every edit here updates the file's sha256 in MANIFEST.yaml, as a user adapting the
data would, so that the checks behind the checksum are the ones under test. Each
must end in one ``error:`` line naming file, line and column, with exit status 2
and ``data/processed`` exactly as it was.
"""

from __future__ import annotations

import re
import shutil

import pytest

from cli_helpers import assert_one_error_line, refused_build, run_cli
from conftest import edit_raw

GSI2023 = "gsi2023_country_table.csv"


def test_negative_population_is_refused(scratch, monkeypatch, capsys):
    edit_raw(scratch, GSI2023, lambda t: t.replace("\nAntigua and Barbuda,98000,",
                                                   "\nAntigua and Barbuda,-98000,"))
    refused_build(scratch, monkeypatch, capsys, r"file gsi2023_country_table\.csv, line 6, "
                  r"column 'population'", "-98000", "minimum 1")


def test_implausible_population_is_refused(scratch, monkeypatch, capsys):
    # Palau has no estimate, so no count checks its population; the UN figure does.
    edit_raw(scratch, GSI2023, lambda t: t.replace("\nPalau,0,", "\nPalau,180000000,"))
    refused_build(scratch, monkeypatch, capsys, r"gsi2023_country_table\.csv, line 124, "
                  r"column 'population'", "180,000,000", "PLW", "UN WPP", "18,092")


def test_population_above_any_country_is_refused(scratch, monkeypatch, capsys):
    edit_raw(scratch, "gsi2018_country_table.csv",
             lambda t: t.replace("\nAlbania,2923000,", "\nAlbania,2923000000,"))
    refused_build(scratch, monkeypatch, capsys, r"gsi2018_country_table\.csv, line 3, "
                  r"column 'population'", "maximum 2000000000")


def test_negative_vulnerability_is_refused(scratch, monkeypatch, capsys):
    edit_raw(scratch, GSI2023, lambda t: t.replace(",39.50559814524699,", ",-39.50559814524699,"))
    refused_build(scratch, monkeypatch, capsys, r"line 3, column 'vulnerability_total'",
                  "minimum 0")


def test_negative_count_is_refused(scratch, monkeypatch, capsys):
    edit_raw(scratch, "gsi2016_country_table.csv",
             lambda t: t.replace(",2906000,0.29460288600701,8600,", ",2906000,0.29460288600701,-8600,"))
    refused_build(scratch, monkeypatch, capsys, r"gsi2016_country_table\.csv, line 3, "
                  r"column 'estimated_number'", "minimum 0")


def test_government_response_below_what_the_framework_allows_is_refused(scratch, monkeypatch, capsys):
    # GSI 2023 milestone 2 has no negative activity: its share cannot be below 0.
    edit_raw(scratch, GSI2023, lambda t: t.replace(",-9.090909004211426,7.692307472229004,",
                                                   ",-9.090909004211426,-7.692307472229004,"))
    refused_build(scratch, monkeypatch, capsys, "column 'govt_m2_criminal_justice_pct'", "minimum 0")


def test_country_code_that_is_not_iso_is_refused(scratch, monkeypatch, capsys):
    edit_raw(scratch, "country_codes.csv", lambda t: t.replace("\nAlbania,ALB,", "\nAlbania,XYZ,"))
    refused_build(scratch, monkeypatch, capsys, r"file country_codes\.csv, line 3, column 'iso3'",
                  "XYZ", "ISO 3166-1")


def test_north_korea_code_changed_is_refused_before_writing(scratch, monkeypatch, capsys):
    edit_raw(scratch, "country_codes.csv", lambda t: t.replace(",PRK,", ",XYZ,"))
    refused_build(scratch, monkeypatch, capsys, r"country_codes\.csv, line \d+, column 'iso3'", "XYZ")


def refused_runs(scratch, monkeypatch, capsys, *patterns: str) -> None:
    """The data build accepts the edit; the paper's runs are refused before a kernel starts, with
    one line that points at the raw data, and no run folder is written."""
    assert run_cli(["data"], scratch, monkeypatch, capsys).status == 0
    run = run_cli(["notebooks", "country_snapshot"], scratch, monkeypatch, capsys)
    assert run.status == 2, run
    assert_one_error_line(run.err)
    for pattern in patterns:
        assert re.search(pattern, run.err), f"{pattern!r} not in {run.err!r}"
    assert not list(scratch.runs.glob("*/*")) if scratch.runs.exists() else True


def test_notebook_default_country_without_estimate_is_refused(scratch, paths, monkeypatch, capsys):
    # A valid but different code for North Korea: the notebooks' default PRK then has no estimate.
    shutil.copytree(paths.notebooks, scratch.notebooks)
    edit_raw(scratch, "country_codes.csv",
             lambda t: t.replace(",PRK,\"Korea, Democratic People's Republic of\",",
                                 ",ATA,Antarctica,"))
    refused_runs(scratch, monkeypatch, capsys, "country_codes.csv", "'PRK'", "01_country_snapshot.ipynb")


def test_codes_must_be_unique_within_an_edition(scratch, monkeypatch, capsys):
    # Denmark and Finland have about the same population, so only the duplicate is wrong.
    edit_raw(scratch, "country_codes.csv",
             lambda t: t.replace("\nDenmark,DNK,Denmark,", "\nDenmark,FIN,Finland,"))
    refused_build(scratch, monkeypatch, capsys, r"country_codes\.csv, line 49, column 'iso3'",
                  "FIN is the code of both 'Denmark' and 'Finland' \\(line 62\\)", "unique")


@pytest.mark.parametrize("name", [GSI2023, "tip_tier_history.csv", "country_codes.csv"])
def test_empty_raw_file_is_refused(scratch, monkeypatch, capsys, name):
    edit_raw(scratch, name, lambda t: "")
    refused_build(scratch, monkeypatch, capsys, f"file {name}", "empty")



def test_row_with_too_many_values_names_its_line(scratch, monkeypatch, capsys):
    edit_raw(scratch, "tip_tier_history.csv", lambda t: re.sub(r"(?m)^(PRK,2010,.*)$", r"\1,x", t))
    refused_build(scratch, monkeypatch, capsys, r"file tip_tier_history\.csv, line 9: is not a readable CSV")


def test_notebook_default_edition_without_estimate_names_the_raw_line(scratch, paths, monkeypatch, capsys):
    shutil.copytree(paths.notebooks, scratch.notebooks)
    edit_raw(scratch, GSI2023, lambda t: t.replace("North Korea,25779000,Asia and the Pacific,104.6,2696000,",
                                                   "North Korea,25779000,Asia and the Pacific,,,"))
    refused_runs(scratch, monkeypatch, capsys, r"^error: file gsi2023_country_table\.csv, line \d+, column "
                 r"'prevalence_per_1000': 'PRK' has no prevalence estimate in GSI 2023",
                 "01_country_snapshot.ipynb")


def test_count_without_prevalence_is_refused(scratch, monkeypatch, capsys):
    edit_raw(scratch, GSI2023, lambda t: t.replace("\nAntigua and Barbuda,98000,Americas,,",
                                                   "\nAntigua and Barbuda,98000,Americas,,5000"))
    refused_build(scratch, monkeypatch, capsys, r"line 6, column 'estimated_number'",
                  "a count but no prevalence")


def test_count_of_zero_with_a_prevalence_is_refused(scratch, monkeypatch, capsys):
    edit_raw(scratch, GSI2023, lambda t: t.replace(",11.81394481658936,34000,", ",11.81394481658936,0,"))
    refused_build(scratch, monkeypatch, capsys, r"line 3, column 'prevalence_per_1000'", "implies 34,")


def test_a_value_that_looks_like_a_failed_comparison_is_reported(scratch, monkeypatch, capsys):
    # Found by tests/test_properties.py: the text 'TypeError(' was taken for pandera's own
    # TypeError failure, filtered out, and the error report crashed on an empty list.
    edit_raw(scratch, GSI2023, lambda t: t.replace(",39.50559814524699,", ",TypeError(,"))
    refused_build(scratch, monkeypatch, capsys, r"line 3, column 'vulnerability_total': "
                  r"'TypeError\(' is not a number")


def test_ten_times_too_large_per_1000_is_not_called_a_per_cent_mix_up(scratch, monkeypatch, capsys):
    edit_raw(scratch, "gsi2018_country_table.csv",
             lambda t: t.replace(",6.8708719206204,20000,", ",68.708719206204,20000,"))
    err = refused_build(scratch, monkeypatch, capsys, r"line 3, column 'prevalence_per_1000'",
                        "implies 200,836 people", "a decimal point out of place")
    assert "rather than per cent" not in err


@pytest.mark.parametrize(("geometry", "message"), [
    ('"{""type"": ""Point""}"', "neither Polygon nor MultiPolygon"),
    ("not json", "is not a GeoJSON Polygon"),
    ('"{""type"":""Polygon"",""coordinates"":[[[200,10],[0,0],[1,1],[200,10]]]}"', "point \\(200"),
])
def test_broken_map_outline_is_refused_before_the_notebooks_draw_it(scratch, monkeypatch, capsys,
                                                                   geometry, message):
    def break_first(text: str) -> str:
        lines = text.split("\n")
        iso3, name, continent, _ = lines[1].split(",", 3)
        lines[1] = ",".join([iso3, name, continent, geometry])
        return "\n".join(lines)
    edit_raw(scratch, "naturalearth_countries.csv", break_first)
    refused_build(scratch, monkeypatch, capsys, r"file naturalearth_countries\.csv, line 2, "
                  r"column 'geometry'", message)
