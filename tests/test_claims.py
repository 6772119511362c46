"""The paper's claims (issue 8): every marked sentence has a check, every check holds on the
published data, and a change of the data that makes a claim false stops the build."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from analysis.analyses import comparison, sensitivity, snapshot
from analysis.errors import AnalysisError
from analysis.paper.claims import CLAIMS, check_claims, claimed_in
from analysis.paper.facts import EVIDENCE_FILE, Facts
from analysis.paper.formatting import apportion, floor_to, to_thousand
from analysis.data.manifest import load_manifest
from analysis.data.raw_io import read_raw

from conftest import cli, copy_project, edit_raw


def _sensitivity(long: pd.DataFrame, pop: pd.DataFrame, draws: int = 20_000) -> sensitivity.SensitivityResult:
    return sensitivity.analyse(long, pop, "PRK", ["World Bank WDI", "UN WPP"], draws, 1, 0.1,
                               [0.05, 0.1, 0.2, 0.3], 0.5, 2.0)


@pytest.fixture(scope="module")
def facts(tables, paths) -> Facts:
    """The paper's facts computed straight from the analyses (no notebook run), few draws."""
    long, pop = tables["gsi_country_edition.csv"], tables["population_sources.csv"]
    return Facts(country="PRK", snapshot=snapshot.analyse(long, "PRK", 2023),
                 comparison=comparison.analyse(long, pop, "PRK", 2018, 2023),
                 sensitivity=_sensitivity(long, pop), long=long,
                 regional=tables["regional_comparison.csv"], population=pop, tip=tables["tip_tiers.csv"],
                 evidence=read_raw(EVIDENCE_FILE, paths),
                 published={n: e.citation["date_published"] for n, e in load_manifest(paths).items()})


@pytest.fixture(scope="module")
def text(paths) -> str:
    return (paths.paper / "paper.qmd").read_text()


def test_every_marked_claim_has_a_check_and_every_check_is_marked(text):
    assert claimed_in(text) == set(CLAIMS)
    assert len(CLAIMS) >= 15


def test_every_claim_holds_on_the_published_data(facts, text):
    evidence = check_claims(facts, text)
    assert set(evidence) == set(CLAIMS)
    assert "widest gap above the regional average: Governance issues" in evidence["widest-vulnerability-gap"]


def _with(facts: Facts, **changes) -> Facts:
    return dataclasses.replace(facts, **changes)


def _eritrea_first(f: Facts) -> dict:
    eritrea_2023 = (f.long["iso3"] == "ERI") & (f.long["edition"] == 2023)
    prevalence = f.long["prevalence_per_1000"].where(~eritrea_2023, 110.0)
    return {"long": f.long.assign(prevalence_per_1000=prevalence)}


@pytest.mark.parametrize(("key", "change"), [
    ("highest-prevalence", _eritrea_first),
    ("only-negative-response", lambda f: {"snapshot": dataclasses.replace(
        f.snapshot, negative_responders=["Eritrea", "North Korea"])}),
    ("rate-carried-forward", lambda f: {"comparison": dataclasses.replace(
        f.comparison, rounded_elsewhere=["Eritrea"])}),
    ("rank-share-falls", lambda f: {"sensitivity": dataclasses.replace(
        f.sensitivity, rank_share_first=[0.9, 0.95, 0.7, 0.6])}),
    ("first-under-every-figure", lambda f: {"sensitivity": dataclasses.replace(
        f.sensitivity, rank_holds_for_all_figures=False)}),
    ("sums-exceed", lambda f: {"regional": f.regional.assign(difference=-f.regional["difference"].abs())}),
    ("world-within-rounding", lambda f: {"regional": f.regional.assign(beyond_rounding=True)}),
    ("vintage-distinct", lambda f: {"comparison": dataclasses.replace(f.comparison, population_split=(
        dataclasses.replace(f.comparison.population_split, next_revision_year_from=25_183_833.0)))}),
    ("prevalence-rose-2016-2018", lambda f: {"long": f.long.assign(prevalence_per_1000=f.long[
        "prevalence_per_1000"].where(~((f.long["iso3"] == "PRK") & (f.long["edition"] == 2016)), 110.0))}),
    ("counts-rose", lambda f: {"comparison": dataclasses.replace(f.comparison, count_published_change=-1.0)}),
    ("correlation-raises-share", lambda f: {"sensitivity": dataclasses.replace(
        f.sensitivity, error_scenarios={**f.sensitivity.error_scenarios, "correlated": dataclasses.replace(
            f.sensitivity.error_scenarios["correlated"], share_first=0.5)})}),
    ("closed-form-agrees", lambda f: {"sensitivity": dataclasses.replace(
        f.sensitivity, rank_closed_form_first=[0.5, 0.5, 0.5, 0.5])}),
    ("population-year-test", lambda f: {"regional": f.regional.assign(beyond_rounding=False)}),
    # Referee 4: the undated TIP copy is dated by inference; the report of 2012 must give another range.
    ("tip-copy-dated", lambda f: {"evidence": f.evidence.assign(value_low=f.evidence["value_low"].where(
        f.evidence["key"] != "tip2012_prisoners", 80000), value_high=f.evidence["value_high"].where(
        f.evidence["key"] != "tip2012_prisoners", 120000))}),
    ("tier-3-every-report", lambda f: {"tip": f.tip.assign(tier=f.tip["tier"].where(
        f.tip["report_year"] != 2010, "Tier 2 Watch List"))}),
    ("population-growth-offset-by-revision", lambda f: {"comparison": dataclasses.replace(
        f.comparison,
        population_split=dataclasses.replace(f.comparison.population_split, revision=60_084.0))}),
    # Referee 2: the regional totals under both readings of a total.
    ("parts-not-adding-up", lambda f: {"regional": f.regional.assign(
        parts_add_up=f.regional["parts_add_up"].astype("boolean").where(
            f.regional["region"] != "World", False))}),
    # Referee 3: the GSI 2018 prevalence parts; a forced-marriage part printed for the Americas too.
    ("other-2018-prevalences-once", lambda f: {"regional": f.regional.assign(
        rounding_bound_parts=f.regional["rounding_bound_parts"].where(
            ~((f.regional["region"] == "Americas") & (f.regional["edition"] == 2018)), 0.1))}),
    ("printed-without-decimals", lambda f: {"regional": f.regional.assign(
        published_decimals=f.regional["published_decimals"].where(f.regional["region"] != "Africa", 0))}),
    ("ap-2023-reading", lambda f: {"regional": f.regional.assign(beyond_rounding_parts=True)}),
    ("fall-to-print", lambda f: {"regional": f.regional.assign(
        difference=f.regional["difference"].where(f.regional["region"] != "Asia and the Pacific", 0.04))}),
    ("beyond-either-reading", lambda f: {"regional": f.regional.assign(
        beyond_rounding_parts=f.regional["beyond_rounding_parts"].astype("boolean").fillna(False)
        | (f.regional["region"] == "World"))}),
    ("derived-prevalences", lambda f: {"regional": f.regional.assign(basis="printed")}),
    ("prevalence-beyond", lambda f: {"regional": f.regional.assign(beyond_rounding=f.regional[
        "beyond_rounding"].astype(bool) & (f.regional["edition"] == 2018))}),
    ("population-year-matched", lambda f: {"population": f.population.assign(population=f.population[
        "population"].where(~((f.population["source"] == "World Bank WDI") & (f.population["year"] == 2016)),
                            25_244_000))}),
    ("population-year-untestable-2023", lambda f: {"population": pd.concat([f.population, pd.DataFrame([{
        "iso3": "ERI", "source": "UN WPP", "vintage": "2022", "year": 2021, "population": 3_620_000}])])}),
])
def test_a_claim_the_data_contradict_stops_the_build_and_is_named(facts, text, key, change):
    with pytest.raises(AnalysisError, match=f"claim '{key}' .* is false"):
        check_claims(_with(facts, **change(facts)), text)


def test_a_claim_without_a_check_or_a_check_without_its_claim_is_refused(facts, text):
    with pytest.raises(AnalysisError, match="claim 'made-up' is marked in paper.qmd but has no check"):
        check_claims(facts, text + '\n[Invented.]{.claim key="made-up"}\n')
    with pytest.raises(AnalysisError, match="claim 'top-three' has a check but is not marked"):
        check_claims(facts, text.replace('{.claim key="top-three"}', ""))


def test_parts_are_rounded_so_that_they_add_up():
    # Issue 8, point 1: 55,951 + 994 = 56,945, not the 56,944 it splits.
    assert apportion([55_950.58, 993.61], 100) == [55_900, 1_000]
    assert apportion([62_223.53, -6_283.62, 10.67], 100, 55_900) == [62_200, -6_300, 0]
    assert sum(apportion([33.3, 33.3, 33.4], 1)) == 100


def test_counts_are_quoted_to_the_thousand_and_at_least_never_overstates():
    assert to_thousand(2_696_464.05) == "2,696,000" and to_thousand(2_743_923.1) == "2,744,000"
    assert floor_to(99.528, 1) == "99.5" and floor_to(99.96, 1) == "99.9"


@pytest.mark.notebooks
@pytest.mark.paper
def test_a_data_edit_that_makes_a_claim_false_stops_the_paper(tmp_path, built):
    # Eritrea's 2023 prevalence raised above North Korea's (count changed to match), checksum updated.
    root = copy_project(built, tmp_path / "p", with_outputs=True)
    before = (root / "paper" / "_output" / "paper.html").read_bytes()

    def raise_eritrea(text: str) -> str:
        lines = text.splitlines()
        i = next(i for i, line in enumerate(lines) if line.startswith("Eritrea,"))
        cells = lines[i].split(",")
        cells[3], cells[4] = "110.5", str(round(110.5 * int(cells[1]) / 1000, -3)).removesuffix(".0")
        lines[i] = ",".join(cells)
        return "\n".join(lines) + "\n"
    from analysis.paths import ProjectPaths
    edit_raw(ProjectPaths(root), "gsi2023_country_table.csv", raise_eritrea)
    run = cli(root, "paper", "--engine", "pandoc", check=False)
    assert run.returncode == 2, run.stderr
    assert "claim 'highest-prevalence'" in run.stderr and "'ERI'" in run.stderr
    assert (root / "paper" / "_output" / "paper.html").read_bytes() == before, "the paper was changed"


def test_changing_a_below_1000_cell_changes_the_sentence_that_counts_them(scratch, paths):
    # Issue 17, point 5: Barbados's '<1,000' made a number; the text then says "two", not "three".
    from analysis.data.processed import build_tables
    from analysis.paper.variables import paper_variables

    def barbados_counted(text: str) -> str:
        lines = text.splitlines()
        i = next(i for i, line in enumerate(lines) if line.startswith("Barbados,"))
        lines[i] = lines[i].replace('"<1,000"', "1000").replace("<1,000", "1000")
        return "\n".join(lines) + "\n"
    edit_raw(scratch, "gsi2018_country_table.csv", barbados_counted)
    tables = build_tables(scratch)
    long, pop = tables["gsi_country_edition.csv"], tables["population_sources.csv"]
    facts = Facts(country="PRK", snapshot=snapshot.analyse(long, "PRK", 2023),
                  comparison=comparison.analyse(long, pop, "PRK", 2018, 2023),
                  sensitivity=_sensitivity(long, pop, 2_000), long=long,
                  regional=tables["regional_comparison.csv"], population=pop, tip=tables["tip_tiers.csv"],
                  evidence=read_raw(EVIDENCE_FILE, scratch),
                  published={n: e.citation["date_published"] for n, e in load_manifest(scratch).items()})
    variables = paper_variables(facts, scratch)
    assert variables["counts_below_1000_2018"] == "two"
    assert variables["below_1000_text"] == "<1,000"
