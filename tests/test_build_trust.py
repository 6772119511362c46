"""Nothing is trusted that can be checked (issue 14, failures 4, 5, 6 and the `runs` listing).

Each test changes what a user or a stray process could change (the build's state files, a run's
key numbers with their record, a country name in the raw data, a map outline) and drives the
real command line.
"""

from __future__ import annotations

import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from analysis.paths import ProjectPaths

from conftest import cli, edit_raw

pytestmark = [pytest.mark.paper, pytest.mark.notebooks]


def _variables(project: ProjectPaths) -> dict:
    return yaml.safe_load((project.paper / "_variables.yml").read_text())


def test_edited_state_files_never_change_which_runs_the_paper_reads(project):
    cli(project.root, "notebooks", "country_snapshot", "-p", '{"country": "ERI"}')
    expected = _variables(project)["nk_count_2023"]
    state = [p for p in project.state.rglob("*") if p.is_file()]
    for path in state:  # point every cached request for North Korea at Eritrea
        path.write_text(path.read_text().replace('"PRK"', '"ERI"'))
    cli(project.root, "paper", "--engine", "pandoc", "--force")
    assert _variables(project)["nk_count_2023"] == expected == "2,696,000"


def test_a_key_number_edited_with_its_record_is_refused(project):
    folder = next(project.runs.glob("country_snapshot/PRK_2023-*/"))
    values = folder / "values.json"
    values.write_text(values.read_text().replace('"prevalence_per_1000": 104.6',
                                                 '"prevalence_per_1000": 99.9'))
    record = json.loads((folder / "record.json").read_text())
    record["outputs"]["values.json"] = hashlib.sha256(values.read_bytes()).hexdigest()
    (folder / "record.json").write_text(json.dumps(record, indent=2, sort_keys=True) + "\n")
    run = cli(project.root, "paper", "--engine", "pandoc", "--force", check=False)
    assert run.returncode == 2, run.stdout
    line = run.stderr.strip()
    assert "\n" not in line and "99.9" in line and "104.6" in line and "data/processed" in line, line


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_text_from_the_raw_data_is_escaped_in_the_paper(project):
    name = "Eritrea<img src=x id=injected>"  # no comma or quote: the CSV cell needs no quoting
    edit_raw(project, "gsi2023_country_table.csv", lambda t: re.sub(r"^Eritrea,", f"{name},", t, flags=re.M))
    # The crosswalk names Eritrea so in 2023 only; the earlier editions keep their name.
    edit_raw(project, "country_codes.csv", lambda t: t.replace(
        "Eritrea,ERI,Eritrea,2016;2018;2023,pycountry\n",
        f"Eritrea,ERI,Eritrea,2016;2018,pycountry\n{name},ERI,Eritrea,2023,pycountry\n"))
    for file in ("gsi2023_country_table.csv", "country_codes.csv"):
        cli(project.root, "rehash", str(project.raw / file))
    cli(project.root, "notebooks")
    cli(project.root, "paper", "--engine", "pandoc")
    html = (project.paper_output / "paper.html").read_text()
    parser = _Elements()
    parser.feed(html)
    assert not [a for tag, a in parser.tags if a.get("id") == "injected"], "data became live HTML"
    assert "Eritrea&lt;img" in html  # the name is shown, as text


def test_a_missing_map_outline_is_not_called_too_small(project):
    path = project.raw / "naturalearth_countries.csv"
    lines = path.read_text().splitlines(True)
    path.write_text("".join(line for line in lines if not line.startswith("PRK,")))
    cli(project.root, "rehash", str(path))  # a deliberate edit
    run = cli(project.root, "data", check=False)
    assert run.returncode == 2
    line = run.stderr.strip()
    assert "\n" not in line and "naturalearth_countries.csv" in line and "PRK" in line, line
    assert "too small" not in line.split(":", 1)[0]


def test_runs_marks_only_the_papers_own_runs(project):
    cli(project.root, "notebooks", "population_sensitivity", "-p", '{"seed": 1, "draws": 200000}')
    listing = cli(project.root, "runs").stdout.splitlines()
    marked = [line for line in listing if line.startswith("paper")]
    assert len(marked) == 3, listing
    assert not [line for line in marked if "seed=1," in line], marked


def test_the_paper_reads_what_its_declarations_say(built):
    records = {json.loads(p.read_text())["notebook"]: json.loads(p.read_text())["parameters"]
               for p in Path(built.runs).glob("*/*/record.json")}
    assert records["country_snapshot"] == {"country": "PRK", "edition": 2023}
