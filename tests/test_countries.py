"""Choosing a country: the list of valid codes, and parameters refused before a kernel starts."""

from __future__ import annotations

import re

import pytest

from analysis.analyses import catalogue
from analysis.errors import ParameterError
from analysis.runs.notebooks import find
from analysis.runs.parameters import merged, validate

from conftest import cli


@pytest.fixture(scope="module")
def table(tables):
    return catalogue.country_catalogue(tables["gsi_country_edition.csv"], tables["population_sources.csv"])


def test_every_code_is_listed_once_with_its_name_and_region(table, long):
    assert sorted(table["iso3"]) == sorted(long["iso3"].unique())
    prk = table.set_index("iso3").loc["PRK"]
    assert (prk["country"], prk["region"], prk["estimates"]) == (
        "North Korea", "Asia and the Pacific", "2016 2018 2023")


def test_the_list_says_which_analyses_have_data_for_a_country(table):
    rows = table.set_index("iso3")
    assert rows.loc["PRK", "snapshot"] == "2018 2023"
    assert rows.loc["PRK", "comparison"] == "2016-2018 2016-2023 2018-2023"
    assert rows.loc["PRK", "sensitivity"] == "World Bank WDI, UN WPP"
    assert rows.loc["USA", "sensitivity"] == "UN WPP"  # the World Bank series is held for PRK only
    assert rows.loc["FJI", "snapshot"] == "" and rows.loc["FJI", "sensitivity"] == ""
    assert "response not assessed: 2018 2023" in rows.loc["AFG", "notes"]


def test_countries_command_prints_every_code(paths):
    out = cli(paths.root, "countries").stdout
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["ISO3", "Country", "Region"]
    prk = next(line for line in lines if line.startswith("PRK "))
    assert "North Korea" in prk and "Asia and the Pacific" in prk and "2016 2018 2023" in prk
    assert any(line.startswith("USA ") for line in lines)
    assert "countries with an estimate in GSI 2023: 160" in out


def test_countries_command_filters_by_text(paths):
    out = cli(paths.root, "countries", "korea").stdout
    codes = [line.split()[0] for line in out.splitlines() if line[:3].isupper() and line[3] == " "]
    assert codes == ["KOR", "PRK"]
    assert re.search(r"^ +Comparison +2016-2018 2016-2023 2018-2023$", out, re.M)  # every detail


def resolve(name, given, paths):
    notebook = find(paths, name)
    return validate(notebook, merged(notebook, given), paths)


def test_the_world_bank_series_for_another_country_is_refused_before_a_kernel_starts(paths):
    with pytest.raises(ParameterError, match=r"World Bank vintages are held for PRK only"):
        resolve("population_sensitivity", {"country": "USA", "population_sources": ["World Bank WDI"]},
                paths)


def test_a_snapshot_of_a_country_without_an_estimate_is_refused_before_a_kernel_starts(paths):
    with pytest.raises(ParameterError, match=r"FJI \(Fiji\) has no prevalence estimate in GSI 2023"):
        resolve("country_snapshot", {"country": "FJI"}, paths)
