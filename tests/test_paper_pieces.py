"""Pieces of the paper build that need no notebook run."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from analysis.errors import AnalysisError
from analysis.paper.formatting import markdown_table
from analysis.paper.render import expand_shortcodes


def test_shortcodes_are_expanded(tmp_path):
    (tmp_path / "t.md").write_text("| a |\n|---|\n| 1 |\n")
    text = "Count {{< var n >}}.\n\n{{< include t.md >}}\n"
    expected = "Count 2,696,000.\n\n| a |\n|---|\n| 1 |\n"
    assert expand_shortcodes(text, tmp_path, {"n": "2,696,000"}) == expected


@pytest.mark.parametrize(("text", "message"), [
    ("{{< var missing >}}", "variable 'missing' is not in _variables.yml"),
    ("{{< include nowhere.md >}}", "included file nowhere.md does not exist"),
    ("{{< pagebreak >}}", "not supported without Quarto"),
])
def test_unknown_shortcodes_stop_the_build(tmp_path, text, message):
    with pytest.raises(AnalysisError, match=message):
        expand_shortcodes(text, tmp_path, {})


def test_markdown_table_widths_and_alignment():
    table = markdown_table(pd.DataFrame({"a": ["x|y"], "b": ["1"]}), "lr", [1, 2])
    assert table.splitlines() == ["| a | b |", "|:----|--------:|", "| x\\|y | 1 |"]


def test_text_from_the_data_is_escaped_for_markdown_and_markup_is_kept():
    from analysis.paper.formatting import Markup, escape_markdown
    assert escape_markdown("Eritrea<img src=x>") == "Eritrea\\<img src=x\\>"
    assert escape_markdown("2,696,000") == "2,696,000" and escape_markdown("\u22123.0") == "\u22123.0"
    assert escape_markdown("*bold* [link](x) `code` $x$ @cite") == (
        "\\*bold\\* \\[link\\](x) \\`code\\` \\$x\\$ \\@cite")
    table = markdown_table(pd.DataFrame({"a": ["<b>", Markup("`code`")]}))
    assert table.splitlines()[2:] == ["| \\<b\\> |", "| `code` |"]


def test_cli_refuses_unknown_parameter_with_exit_2():
    run = subprocess.run([sys.executable, "-m", "analysis", "notebooks", "country_snapshot",
                          "-p", '{"contry": "PRK"}'], capture_output=True, text=True)
    assert run.returncode == 2
    assert "has no parameter 'contry'" in run.stderr


def test_ordinal():
    from analysis.paper.formatting import ordinal as _ordinal
    assert [_ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "111th"]
