"""The paper types no number and states no direction outside a claim (issue 17, points 5, 16, 17).

The checker reads the real ``paper.qmd``; the build test runs the real build
(``python -m analysis paper``) on a copy of the project whose text was edited.
"""

from __future__ import annotations

import re

import pytest

from analysis.errors import AnalysisError
from analysis.paper.numerals import check_prose, find_typed

from cli_helpers import assert_one_error_line
from conftest import cli, copy_project


#: The sentence of the paper that ranks North Korea in its region.
RANK = "It ranks {{< var nk_rank_region_word_2023 >}} of the\n{{< var region_countries_2023 >}}"


@pytest.fixture(scope="module")
def text(paths) -> str:
    return (paths.paper / "paper.qmd").read_text(encoding="utf-8")


def test_the_paper_types_no_number(text):
    assert find_typed(text) == []
    check_prose(text)


def _first_var(text: str, name: str) -> str:
    return re.search(r"\{\{< var " + name + r" >\}\}", text).group(0)


@pytest.mark.parametrize(("edit", "word"), [
    (lambda t: t.replace("# Limitations", "North Korea's prevalence is 12 times the regional average.\n\n"
                         "# Limitations"), "'12'"),
    (lambda t: t.replace(_first_var(t, "nk_count_2023"), "2,696,001", 1), "'2,696,001'"),
    (lambda t: t.replace(RANK, "It ranks second of the\n28"), "'second'"),
    (lambda t: t.replace("{{< var counts_below_1000_2018 >}} counts as", "three counts as"), "'three'"),
    (lambda t: t.replace("{{< var regions_2016 >}} regions", "six regions"), "'six'"),
    (lambda t: t.replace("The excess is established only", "The excess rose, established only"), "'rose'"),
])
def test_a_typed_numeral_or_a_loose_direction_is_refused_with_one_line(text, edit, word):
    edited = edit(text)
    assert edited != text
    with pytest.raises(AnalysisError) as error:
        check_prose(edited)
    message = str(error.value)
    assert "\n" not in message and message.startswith("paper.qmd, line ")
    assert message.split(": ", 1)[1].startswith(word)


def test_second_of_the_28_countries_names_both_numerals(text):
    edited = text.replace(RANK, "It ranks second of the\n28")
    found = [f.word for f in find_typed(edited)]
    assert found == ["second", "28"]


@pytest.mark.notebooks
@pytest.mark.paper
def test_the_build_stops_on_a_typed_sentence(tmp_path, paths):
    root = copy_project(paths, tmp_path / "p")
    qmd = root / "paper" / "paper.qmd"
    qmd.write_text(qmd.read_text().replace(
        "# Limitations", "North Korea's prevalence is 12 times the regional average.\n\n# Limitations"))
    run = cli(root, "paper", "--engine", "pandoc", check=False)
    assert run.returncode == 2, run.stderr
    assert_one_error_line(run.stderr)
    assert "'12' is a number typed in the prose" in run.stderr
    assert not (root / "paper" / "_output" / "paper.pdf").exists()
