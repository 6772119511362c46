"""The paper's wording and citations after the second referee's report (findings 6 to 14)."""

from __future__ import annotations

import dataclasses
import re

import pytest

from analysis.analyses import sensitivity
from analysis.data.raw_io import read_raw
from analysis.paper.claims import CLAIMS
from analysis.paper.facts import EVIDENCE_FILE
from analysis.paper.tables import sensitivity_table


@pytest.fixture(scope="module")
def text(paths) -> str:
    return (paths.paper / "paper.qmd").read_text()


@pytest.fixture(scope="module")
def bib(paths) -> str:
    return (paths.paper / "references.bib").read_text()


def _prose(text: str) -> str:
    return " ".join(text.split())


def test_the_population_part_is_said_to_be_mostly_growth_offset_by_a_revision(text):
    # Finding 6: "is not the revision of a figure" contradicted the split that follows, and
    # "a downward revision ... of -60,084" was a double negative.
    prose = _prose(text)
    assert "is not the revision of a figure" not in prose
    assert "[The population's part is mostly growth, partly offset by a revision" in prose
    assert "between the UN editions of {{< var split_revision >}}" not in prose
    assert "lowered the {{< var nk_pop_year_2018 >}} figure by {{< var split_revision_abs >}}" in prose


def test_mostly_growth_is_checked(tables):
    # The claim fails if the revision were larger than the growth it offsets.
    check = CLAIMS["population-growth-offset-by-revision"].check
    from analysis.analyses import comparison
    long, pop = tables["gsi_country_edition.csv"], tables["population_sources.csv"]
    comp = comparison.analyse(long, pop, "PRK", 2018, 2023)
    facts = type("F", (), {"comparison": comp})
    assert check(facts)[0]
    split = comp.population_split
    bigger = dataclasses.replace(split, revision=-split.growth - 1, change=split.change)
    assert not check(type("F", (), {"comparison": dataclasses.replace(comp, population_split=bigger)}))[0]


def test_the_next_vintage_is_the_next_one_held(text):
    # Finding 7: vintages between 2020-04 and 2023-05 are not held.
    prose = _prose(text)
    assert "the earliest later revision held with a figure for" in prose
    assert ("no vintage between the {{< var split_to_revision >}} and the "
            "{{< var split_next_revision >}}") in prose


def test_the_median_change_is_not_offered_as_a_scale_for_the_rank_uncertainty(text):
    # Finding 8.
    start = text.index("Whether North Korea's rank would survive")
    section = text[start:text.index("{{< include _generated/tables/rank.md")]
    assert "median" not in section and "For scale only" not in text


def test_the_abstract_growth_has_its_antecedent(text):
    # Finding 9: "that growth" had none.
    abstract = _prose(text[:text.index("---", 4)])
    assert "that growth" not in abstract
    assert "the growth of the population between those years is partly offset" in abstract


def test_tip_reports_and_their_sources_are_counted_right(text):
    # Finding 10: the series began in 2001; 2016 and 2024 are sourced to later counts, not news of
    # that year's placement.
    prose = _prose(text)
    assert "each of its {{< var tip_reports >}} reports" not in prose
    assert "in each of the {{< var tip_reports >}} annual reports from" in prose
    limits = _prose(text[text.index("# Limitations"):text.index("# Reproducibility appendix")])
    assert "{{< var tip_from_news >}} to a news report of that year's placement" in limits
    assert "{{< var tip_from_counts >}} to a later news report counting" in limits


def test_the_definition_is_cited_to_the_report_not_the_workbook(text):
    # Finding 11.
    first = _prose(text[text.index("# Introduction"):])[:400]
    assert re.search(r"defines to include forced labour and forced marriage "
                     r"\[@walkfree2023faq; @walkfree2023method\]", first)


def test_the_methodology_reference_keeps_its_capital_and_says_where_it_was_read(bib):
    # Finding 12: "Part a"; and a "2018 ... fishing" address for the 2023 methodology.
    entry = bib[bib.index("@misc{walkfree2023method"):]
    entry = entry[:entry.index("\n}\n")]
    assert "Part {A}" in entry
    assert "legacy address" in entry and "walkfree.org" in entry


def test_the_interviews_are_attributed_to_nkdb_and_sourced_to_the_primary_documents(text):
    # Finding 13: one interviewer, and the number of interviews cited to the publications themselves.
    prose = _prose(text)
    assert "Walk Free and Leiden University interviewed defectors" not in prose
    assert "which selected the defectors and interviewed them" in prose
    assert "{{< var defectors_interviewed >}} interviews" in prose
    assert re.search(r"\{\{< var defectors_interviewed >\}\} interviews[^\]]*"
                     r"\[@breuker2018; @nkdb2018; @dcnf2018\]", prose)
    # The TIP 2023 sentence names its source once.
    assert "@tip2023 finds" in prose and "overseas [@tip2023]" not in prose


def test_the_monte_carlo_band_says_both_inputs_are_uncertain(tables):
    # Finding 14.
    long, pop = tables["gsi_country_edition.csv"], tables["population_sources.csv"]
    values = sensitivity.analyse(long, pop, "PRK", ["World Bank WDI", "UN WPP"], 2_000, 1, 0.1, [0.1], 0.5,
                                 2.0)
    columns = list(sensitivity_table(values).columns)
    assert "Monte Carlo 95% band, population and prevalence (sd 10%) uncertain" in columns
    assert "Monte Carlo 95% band, prevalence sd 10%" not in columns


def test_the_runs_table_names_the_paper_figures_by_their_cross_references(paths):
    # Finding 16: figure names such as snapshot_vulnerability ran past the margin.
    from analysis.paper.declarations import load_declarations
    from analysis.paper.tables import figure_references
    declarations = load_declarations(paths)
    qmd = (paths.paper / "paper.qmd").read_text()
    refs = figure_references(declarations, "snapshot")
    assert refs == ["@fig-snapshot-map", "@fig-snapshot-prevalence", "@fig-snapshot-vulnerability",
                    "@fig-snapshot-response", "@fig-snapshot-number"]
    # In the paper's order, so that the table lists them by number.
    figures = re.findall(r"\{#(fig-[\w-]+)\}", qmd)
    assert ["@" + f for f in figures] == [ref for run in ("snapshot", "comparison", "sensitivity")
                                          for ref in figure_references(declarations, run)]
    assert all("{#" + ref[1:] + "}" in qmd for run in ("snapshot", "comparison", "sensitivity")
               for ref in figure_references(declarations, run))


def test_the_data_appendix_is_set_at_the_size_of_the_other_tables(text, paths):
    # Finding 16: the sources table and its lead-in were set at 7.5 pt.
    assert "7.5pt" not in text
    style = (paths.paper / "typst" / "style.typ").read_text()
    assert "#show table: set text(size: 9pt)" in style


def test_the_undated_tip_copy_is_dated_by_the_sentence_a_press_report_quotes(text, bib, paths, tables):
    # Third reading: "we date it by @koreaherald2014, a press report of it that quotes the same range" did not
    # date the copy, since the next year's report repeats that range. The press report quotes a whole
    # sentence of the copy; the next year's report adds a count of workers abroad that the copy lacks.
    prose = _prose(text)
    assert "quotes the same range" not in prose
    assert "quotes its sentence on victims returned from China word for word [@koreaherald2014]" in prose
    assert "[@upi2015]" in prose and "@misc{upi2015," in bib
    row = read_raw(EVIDENCE_FILE, paths).set_index("key").loc["tip2014_dating"]
    tier = tables["tip_tiers.csv"]
    assert tier.loc[tier["source_url"] == row["url"], "report_year"].tolist() == [2014]
    seeds = paths.root.parent / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip(f"the seed documents are not in {seeds}")
    copy = _prose((seeds / row["document"]).read_text(encoding="utf-8"))
    assert "50,000" not in copy  # the 2015 report's count of workers abroad (upi2015)
