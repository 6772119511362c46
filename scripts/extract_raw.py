"""Extract the tidy raw CSV files in ``data/raw/`` from the original source files.

This script is how every file in ``data/raw/`` was made, and how a reviewer who
downloads the original workbooks can check them::

    python scripts/extract_raw.py --sources ../shared/data/sources          # write
    python scripts/extract_raw.py --sources ../shared/data/sources --check  # compare only

It reads the Walk Free Global Slavery Index workbooks (2023, 2018, 2016), the
population series and the stored web-page excerpts, checks each source file
against the sources' ``MANIFEST.sha256``, checks that each workbook still has
the headers this script expects, and writes:

* one tidy CSV per table, values exactly as published (floats at full
  precision, strings such as ``"<1,000"`` kept, blanks left blank), and
* ``data/raw/MANIFEST.yaml``: citation, sha256 and column schema of each file.

Nothing is rounded, converted or filled here; that is the cleaning library's job
(``src/analysis``). It needs ``openpyxl`` and ``pycountry``
and ``pyshp`` (``pip install -e '.[extract]'``). The country outlines for maps come from
the Natural Earth data set bundled in the geopandas 0.14.4 wheel, which pip downloads
(or pass ``--naturalearth path/to/wheel``).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import math
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import compiled_sources  # noqa: E402  (beside this script)
from analysis.atomic import write_text  # noqa: E402
from analysis.data.manifest import ColumnSpec, column_entry, manifest_text  # noqa: E402
from analysis.paths import project_paths  # noqa: E402

GSI2023_XLSX = "gsi2023_official_xlsx/copy_A_make-labour-satellite/2023-Global-Slavery-Index-Data.xlsx"
#: A second copy of the GSI 2023 workbook, from an unrelated repository, re-saved (header on row 2).
GSI2023_COPY_B = "gsi2023_official_xlsx/copy_B_Jaina007/slavery_2023.xlsx"
GSI2023_COPY_B_FROM = ("GitHub Jaina007/slavery_capstone, Datasets/slavery_2023.xlsx at commit "
                       "a87674b8818102e08185b901afe0148c5349988c")
#: Two copies agree on a number when it differs by no more than this, relatively (a re-save's rounding).
COPY_TOLERANCE = 1e-9
GSI2018_XLSX = "gsi2018_official_xlsx/GSI2018_dataset__as_slavery_2018.xlsx"
GSI2016_XLSX = "gsi2016_official_xlsx/GSI2016_dataset__as_slavery_2016.xlsx"
WB_VINTAGES = "population_prk/worldbank_SP.POP.TOTL_PRK_by_vintage__datasets_population.csv"
UN_WPP2019 = "population_prk/owid_covid-19-data__scripts_input_un_population_2020.csv"
EXCERPTS = "regional_and_other_editions/web_page_excerpts.md"
#: Each country's forced-labour share of modern slavery, as a formula: the region's forced-labour
#: prevalence over its modern-slavery prevalence (GSI 2023 / Global Estimates 2022).
SCALERS = "gems2022_regional/gsi-forced-labour-scalers.xlsx"
SCALERS_FROM = ("GitHub modern-slavery-open-lib/make-labour-satellite, objects/raw/"
                "gsi-forced-labour-scalers.xlsx at commit 1794f80413040f9543c7e0c1a0fe1f1e3eccc02e")
SCALERS_URL = ("https://github.com/modern-slavery-open-lib/make-labour-satellite/blob/"
               "1794f80413040f9543c7e0c1a0fe1f1e3eccc02e/objects/raw/gsi-forced-labour-scalers.xlsx")
#: The sources folder lists the sha256 of its files here (sha256sum format).
SOURCES_LISTING = "MANIFEST.sha256"
#: Every file the script reads from the sources folder, as paths under it.
SOURCE_FILES = [GSI2023_XLSX, GSI2023_COPY_B, GSI2018_XLSX, GSI2016_XLSX, WB_VINTAGES, UN_WPP2019, EXCERPTS,
                SCALERS]
# Natural Earth 1:110m countries, as shipped inside the geopandas 0.14.4 wheel on PyPI
# (the last release that bundled it). The wheel's sha256 pins the exact content.
NATURALEARTH_WHEEL = "geopandas==0.14.4"
NATURALEARTH_WHEEL_SHA256 = "3bb6473cb59d51e1a7fe2dbc24a1a063fb0ebdeddf3ce08ddbf8c7ddc99689aa"
NATURALEARTH_MEMBER = "geopandas/datasets/naturalearth_lowres/naturalearth_lowres"
NATURALEARTH_CODE_FIXES = {"Kosovo": "XKX"}  # '-99' in Natural Earth; XKX as in country_codes.csv

GSI2023_LICENCE = (
    "Copyright (c) 2023 Minderoo Foundation Limited, all rights reserved (workbook CONTENTS "
    "sheet). Published for free download with the citation 'Walk Free 2023, The Global Slavery "
    "Index 2023, Minderoo Foundation'. This compendium keeps the published country figures as "
    "facts with that citation; check walkfree.org's terms before redistributing the workbook."
)
GSI_OLD_LICENCE = (
    "Copyright Walk Free Foundation (now part of Minderoo Foundation); the workbook states no "
    "licence. Published for free download with citation; this compendium keeps the published "
    "country figures as facts with that citation."
)


def Col(name: str, header: str | None, type: str, description: str, **checks) -> ColumnSpec:  # noqa: N802
    """A raw column: tidy name, header as published, type, description, then unit and checks."""
    return ColumnSpec(name=name, type=type, description=description, published_header=header,
                      **{k: tuple(v) if k == "allowed" else v for k, v in checks.items()})


CREDIT_RATINGS = ("AAA", "AA", "A", "BBB", "BBB*", "BB", "B", "CCC", "CC", "C", "D")
REGIONS = ("Africa", "Americas", "Arab States", "Asia and the Pacific", "Europe and Central Asia")


def _country(header: str = "Country") -> Col:
    return Col("country", header, "string", "Country name as published in this edition",
               unique=True)


def _score(name: str, header: str, what: str, nullable: bool = True) -> Col:
    return Col(name, header, "number", f"{what}, 0 to 100, higher is more vulnerable",
               unit="score 0-100", nullable=nullable, minimum=0, maximum=100)


#: Largest population a country can plausibly have, persons. The largest, China and India,
#: have about 1.4 billion; UN WPP 2019 projects no country above 1.7 billion by 2100.
POPULATION_MAX = 2_000_000_000
#: Largest population of any row of the UN file, which includes the World (7.8 billion in 2020).
POPULATION_MAX_AGGREGATE = 10_000_000_000
POPULATION_BOUNDS = ("; 1 to 2,000,000,000 persons (no country has 2 billion people), and "
                     "within a factor 2 of UN WPP 2019 for 2020 (checked by the library)")

# Government response bounds, from the frameworks in the workbooks.
# GSI 2023, sheet 'Govt response framework': per milestone, the number of activities
# scored 0, 1 or 2 and the number of NEGATIVE activities scored 0 or -2 (CONTENTS sheet).
# A milestone's per cent is its activity points over 2 x its positive activities, so its
# lowest value is -100 x negative / positive. build() checks these counts against the sheet.
GSI2023_ACTIVITIES = {1: (11, 1), 2: (13, 0), 3: (4, 0), 4: (7, 2), 5: (4, 0)}
# CONTENTS note 3: for Kosovo and Taiwan "Milestone 2 is our of 22 and the Total is out of 74".
GSI2023_SMALLEST_TOTAL_POINTS = 74
# GSI 2018, sheet 'Govt Response codebook': the number of 'Activity Mk' headings of each
# milestone, its points available (each activity scores -1 to 1). build() checks them.
GSI2018_ACTIVITIES = {1: 9, 2: 6, 3: 4, 4: 7, 5: 2}


def _outward(value: float) -> float:
    """Round a lower bound down to 0.01: the workbooks store the per cents as float32."""
    bound = math.floor(value * 100) / 100
    return int(bound) if bound == int(bound) else bound


def _pct(name: str, header: str, what: str, minimum: float = -100, why: str | None = None) -> Col:
    why = why or ("-100 to 100: every indicator scores -1, 0 or 1, so the net points of a "
                  "milestone lie between minus and plus the points available")
    return Col(name, header, "number", f"{what}, per cent of the points available; negative "
               f"where negative indicators (e.g. state-imposed forced labour) are met. Bounds {why}",
               unit="per cent", nullable=True, minimum=minimum, maximum=100)


def _negative(n: int) -> str:
    return f"{n} negative activit{'y' if n == 1 else 'ies'} scored 0 or -2"


def _pct2023(name: str, header: str, what: str, milestone: int | None) -> Col:
    """A GSI 2023 per cent, with the lowest value the 2023 framework allows."""
    if milestone is None:
        positive = sum(p for p, _ in GSI2023_ACTIVITIES.values())
        negative = sum(n for _, n in GSI2023_ACTIVITIES.values())
        points = min(2 * positive, GSI2023_SMALLEST_TOTAL_POINTS)
        minimum = _outward(-100 * 2 * negative / points)
        why = (f"{minimum} to 100, from the workbook's 'Govt response framework': {positive} "
               f"activities scored 0 to 2 and {_negative(negative)}, out of "
               f"{2 * positive} points ({points} for Kosovo and Taiwan, CONTENTS note 3)")
    else:
        positive, negative = GSI2023_ACTIVITIES[milestone]
        minimum = _outward(-100 * negative / positive)
        why = (f"{minimum} to 100, from the workbook's 'Govt response framework': {positive} "
               f"activities scored 0 to 2 and {_negative(negative)}")
    return _pct(name, header, what, minimum=minimum,
                why=why + " (lower bound rounded down to 0.01, as the workbook stores float32)")


def _raw_points(name: str, header: str, what: str, available: float | None = None) -> Col:
    if available is None:
        return Col(name, header, "number", f"{what}, raw points as published", unit="points",
                   nullable=True)
    return Col(name, header, "number", f"{what}, raw points as published; bounds -{available:g} "
               f"to {available:g}, the points available", unit="points", nullable=True,
               minimum=-available, maximum=available)


GSI2023_COLUMNS = [
    _country(),
    Col("population", "Population", "integer",
        "Population, UN World Population Prospects 2019 (year 2020) rounded to the nearest "
        "thousand; 0 where the workbook gives no population, read as blank" + POPULATION_BOUNDS,
        unit="persons", minimum=1, maximum=POPULATION_MAX, not_given="0"),
    Col("region", "Region", "string", "Walk Free region", allowed=REGIONS),
    Col("prevalence_per_1000", "Estimated prevalence of modern slavery per 1,000 population",
        "number", "Estimated prevalence of modern slavery; blank where no estimate was made",
        unit="per 1,000 population", nullable=True, minimum=0, maximum=1000),
    Col("estimated_number", "Estimated number of people in modern slavery", "integer",
        "Estimated number of people in modern slavery, rounded to the nearest thousand; blank "
        "where no estimate was made", unit="persons", nullable=True, minimum=0,
        maximum=POPULATION_MAX),
    _score("vuln_governance", "Governance issues", "Vulnerability dimension: governance issues"),
    _score("vuln_basic_needs", "Lack of basic needs", "Vulnerability dimension: lack of basic needs"),
    _score("vuln_inequality", "Inequality", "Vulnerability dimension: inequality"),
    _score("vuln_disenfranchised", "Disenfranchised groups",
           "Vulnerability dimension: disenfranchised groups"),
    _score("vuln_conflict", "Effects of conflict", "Vulnerability dimension: effects of conflict"),
    _score("vulnerability_total", "Total Vulnerability score (%)", "Total vulnerability score"),
    _pct2023("govt_m1_survivors_pct", "Survivors of slavery are identified and supported to exit "
             "and remain out of modern slavery (%)",
             "Government response milestone 1 (survivors supported)", 1),
    _pct2023("govt_m2_criminal_justice_pct", "Criminal justice mechanisms function effectively to "
             "prevent modern slavery (%)", "Government response milestone 2 (criminal justice)", 2),
    _pct2023("govt_m3_coordination_pct", "Coordination occurs at the national and regional level "
             "and across borders, and governments are held to account for their response (%)",
             "Government response milestone 3 (coordination and accountability)", 3),
    _pct2023("govt_m4_risk_factors_pct", "Risk factors, such as attitudes, social systems, and "
             "institutions that enable modern slavery are addressed (%)",
             "Government response milestone 4 (risk factors addressed)", 4),
    _pct2023("govt_m5_supply_chains_pct", "Government and business stop sourcing goods and "
             "services produced by forced labour (%)",
             "Government response milestone 5 (supply chains)", 5),
    _pct2023("govt_total_pct", "Government response total (%)", "Government response total score",
             None),
]

GSI2018_COLUMNS = [
    _country("Country"),
    Col("population", "Population (from United Nations Population Division, World Population "
        "Prospects)", "integer", "Population from UN World Population Prospects (the values "
        "match the 2017 revision for 2015); blank where not given" + POPULATION_BOUNDS,
        unit="persons", nullable=True, minimum=1, maximum=POPULATION_MAX),
    Col("region", "Region", "string", "Walk Free region", allowed=REGIONS),
    Col("prevalence_per_1000", "Est. prevalence of population in modern slavery (victims per "
        "1,000 population)", "number", "Estimated prevalence of modern slavery; blank where no "
        "estimate was made", unit="per 1,000 population", nullable=True, minimum=0, maximum=1000),
    Col("estimated_number", "Est. number of people in modern slavery", "string",
        "Estimated number of people in modern slavery as published: whole number rounded to "
        "the nearest thousand, or the text '<1,000'; blank where no estimate was made",
        unit="persons", nullable=True),
    _score("vuln_governance", "Factor One Governance Issues", "Vulnerability factor one: "
           "governance issues"),
    _score("vuln_nourishment_access", "Factor Two Nourishment and Access",
           "Vulnerability factor two: nourishment and access (named 'lack of basic needs' in 2023)"),
    _score("vuln_inequality", "Factor Three Inequality", "Vulnerability factor three: inequality"),
    _score("vuln_disenfranchised", "Factor Four Disenfranchised Groups",
           "Vulnerability factor four: disenfranchised groups"),
    _score("vuln_conflict", "Factor Five Effects of Conflict",
           "Vulnerability factor five: effects of conflict"),
    _score("vulnerability_total", "Final overall (normalised, weighted) vulnerability score",
           "Final overall (normalised, weighted) vulnerability score"),
    _raw_points("govt_m1_survivors_raw", "Support survivors", "Milestone 1 (support survivors)",
                GSI2018_ACTIVITIES[1]),
    _pct("govt_m1_survivors_pct", "%", "Milestone 1 (support survivors)"),
    _raw_points("govt_m2_criminal_justice_raw", "Criminal justice", "Milestone 2 (criminal justice)",
                GSI2018_ACTIVITIES[2]),
    _pct("govt_m2_criminal_justice_pct", "%", "Milestone 2 (criminal justice)"),
    _raw_points("govt_m3_coordination_raw", "Coordination", "Milestone 3 (coordination)",
                GSI2018_ACTIVITIES[3]),
    _pct("govt_m3_coordination_pct", "%", "Milestone 3 (coordination)"),
    Col("govt_neg_complicity", "NEG Government complicity (1.4.3)", "number",
        "Negative indicator 1.4.3, government complicity: -1 if met", unit="points",
        nullable=True, minimum=-1, maximum=0),
    Col("govt_neg_state_forced_labour", "NEG State-imposed forced labour (1.8.1)", "number",
        "Negative indicator 1.8.1, state-imposed forced labour: -1 if met", unit="points",
        nullable=True, minimum=-1, maximum=0),
    _raw_points("govt_m4_risk_raw", "Address risk", "Milestone 4 (address risk)", GSI2018_ACTIVITIES[4]),
    _pct("govt_m4_risk_factors_pct", "%", "Milestone 4 (address risk)"),
    _raw_points("govt_m5_supply_chains_raw", "Supply chains", "Milestone 5 (supply chains)",
                GSI2018_ACTIVITIES[5]),
    _pct("govt_m5_supply_chains_pct", "%", "Milestone 5 (supply chains)"),
    Col("govt_sum_over_104", "SUM/104", "number", "Sum of positive points, raw points as "
        "published; bounds 0 to 104, as its header says", unit="points", nullable=True,
        minimum=0, maximum=104),
    Col("govt_sum_negative", "SUM Neg", "number", "Sum of the two negative indicators (1.4.3 and "
        "1.8.1), raw points as published; bounds -2 to 0", unit="points", nullable=True,
        minimum=-2, maximum=0),
    _pct("govt_total_pct", "TOTAL", "Government response total score"),
    Col("credit_rating", "Credit rating", "string", "Government response rating, AAA to D",
        nullable=True, allowed=CREDIT_RATINGS),
]

GSI2016_REGION_DUMMIES = [
    ("region_europe", "EUROPE"), ("region_americas", "AMERICAS"), ("region_asia", "ASIA"),
    ("region_subsaharan_africa", "SUBSAHARAN AFRICA"),
    ("region_russia_eurasia", "RUSSIA AND EURASIA"),
    ("region_middle_east_north_africa", "MIDDLE EAST AND NORTH AFRICA"),
]

GSI2016_COLUMNS = [
    _country(),
    _score("vuln_d1_political_rights", "Dimension 1: Political Rights and Safety",
           "Vulnerability dimension 1: political rights and safety", nullable=False),
    _score("vuln_d2_financial_health", "Dimension 2: Financial and Health Protections",
           "Vulnerability dimension 2: financial and health protections", nullable=False),
    _score("vuln_d3_protection_vulnerable", "Dimension 3: Protection for the Most Vulnerable",
           "Vulnerability dimension 3: protection for the most vulnerable", nullable=False),
    _score("vuln_d4_conflict", "Dimension 4: Conflict", "Vulnerability dimension 4: conflict",
           nullable=False),
    _score("vulnerability_mean", "Mean Vulnerability", "Mean of the four vulnerability "
           "dimensions", nullable=False),
    Col("population", "POPULATION", "integer", "Population (matches the World Bank figure "
        "for 2015 from UN WPP 2015)" + POPULATION_BOUNDS, unit="persons", minimum=1,
        maximum=POPULATION_MAX),
    Col("prevalence_pct", "ESTIMATED PROPORTION OF POPULATION IN MODERN SLAVERY", "number",
        "Estimated proportion of the population in modern slavery. PER CENT, not per 1,000",
        unit="per cent", minimum=0, maximum=100),
    Col("estimated_number", "ESTIMATED NUMBER IN MODERN SLAVERY", "integer",
        "Estimated number of people in modern slavery, rounded to the nearest hundred",
        unit="persons", minimum=0, maximum=POPULATION_MAX),
    Col("govt_response_rank", "GOVERNMENT RESPONSE RANK", "integer",
        "Government response rank as published (0 where not assessed); bounds 0 to 167, the "
        "number of countries in the table", unit="rank", minimum=0, maximum=167),
    _raw_points("govt_m1_victims_raw", "Milestone 1: Victims are supported to exit slavery (/32)",
                "Milestone 1 (victims supported), out of 32", 32),
    _pct("govt_m1_survivors_pct", "Milestone 1: Victims are supported to exit slavery (%)",
         "Milestone 1 (victims supported to exit slavery)"),
    _raw_points("govt_m2_criminal_justice_raw", "Milestone 2: Criminal justice responses (/21)",
                "Milestone 2 (criminal justice), out of 21", 21),
    _pct("govt_m2_criminal_justice_pct", "Milestone 2: Criminal justice responses (%)",
         "Milestone 2 (criminal justice responses)"),
    _raw_points("govt_m3_coordination_raw", "Milestone 3: Coordination and accountability (/14)",
                "Milestone 3 (coordination), out of 14", 14),
    _pct("govt_m3_coordination_pct", "Milestone 3: Coordination and accountability (%)",
         "Milestone 3 (coordination and accountability)"),
    _raw_points("govt_m4_risk_raw", "Milestone 4: Addressing risk (/25)",
                "Milestone 4 (addressing risk), out of 25", 25),
    _pct("govt_m4_risk_factors_pct", "Milestone 4: Addressing risk (%)", "Milestone 4 (addressing risk)"),
    _raw_points("govt_m5_supply_chains_raw", "Milestone 5: Investigating supply chains (/7)",
                "Milestone 5 (supply chains), out of 7", 7),
    _pct("govt_m5_supply_chains_pct", "Milestone 5: Investigating supply chains (%)",
         "Milestone 5 (investigating supply chains)"),
    _pct("govt_score_before_penalty", "Total score (/100)", "Total government response score "
         "before the corruption / state forced labour penalty"),
    Col("govt_penalty", "Corruption or state sanctioned forced labour score (/-2)", "number",
        "Penalty for corruption or state-sanctioned forced labour (0 to -2)", unit="points",
        nullable=True, minimum=-2, maximum=0),
    _pct("govt_total_pct", "Total score (AA - AC)", "Total government response score after the penalty",
         minimum=-102, why="-102 to 100: the score before the penalty (-100 to 100) plus the "
         "penalty (-2 to 0)"),
    Col("credit_rating", "CREDIT rating", "string", "Government response rating, AAA to D",
        nullable=True, allowed=CREDIT_RATINGS),
    *[Col(name, header, "integer", f"1 if the country is in the 2016 region '{header}', else 0",
          unit="indicator 0/1", minimum=0, maximum=1) for name, header in GSI2016_REGION_DUMMIES],
]

WB_COLUMNS = [
    Col("vintage_commit", "commit", "string", "Commit of the datasets/population repository "
        "that stored this vintage of World Bank SP.POP.TOTL", pattern="[0-9a-f]{40}"),
    Col("vintage_date", "commit_date", "string", "Date of that commit (YYYY-MM-DD): the vintage",
        pattern=r"(19|20)\d\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"),
    Col("country_name", "country_name", "string", "Country name as the World Bank gives it"),
    Col("iso3", "country_code", "string", "ISO 3166-1 alpha-3 code", allowed=("PRK",)),
    Col("year", "year", "integer", "Year the population refers to", unit="year",
        minimum=1960, maximum=2100),
    Col("population", "value", "integer", "Total population (mid-year)" + POPULATION_BOUNDS,
        unit="persons", minimum=1, maximum=POPULATION_MAX),
]

UN_COLUMNS = [
    Col("entity", "entity", "string", "Country or aggregate name as OWID gives it", unique=True),
    Col("iso_code", "iso_code", "string", "ISO 3166-1 alpha-3 code, OWID_ code, or blank for "
        "aggregates", nullable=True, pattern="[A-Z]{3}|OWID_[A-Z]+"),
    Col("year", "year", "integer", "Year the population refers to", unit="year",
        minimum=2020, maximum=2020),
    Col("population", "population", "integer", "Total population, UN WPP 2019 medium variant; "
        "1 to 10,000,000,000 persons (the rows include the World, 7.8 billion in 2020)",
        unit="persons", minimum=1, maximum=POPULATION_MAX_AGGREGATE),
]

REGIONAL_COLUMNS = [
    Col("edition", None, "integer", "GSI edition the figure belongs to", unit="year",
        minimum=2016, maximum=2023),
    Col("reference_year", None, "integer", "Year the estimate refers to", unit="year",
        minimum=2014, maximum=2023),
    Col("region", None, "string", "Walk Free region, or World",
        allowed=(*REGIONS, "World")),
    Col("indicator", None, "string", "What the value measures: people in modern slavery or its "
        "prevalence, or one of its two parts in the Global Estimates, forced labour and forced "
        "marriage (people, or prevalence)",
        allowed=("people_in_modern_slavery", "prevalence_per_1000", "people_in_forced_labour",
                 "people_in_forced_marriage", "forced_labour_per_1000", "forced_marriage_per_1000")),
    Col("value", None, "number", "The published value, as printed (millions of persons or per "
        "1,000; a value printed without decimals, such as 22 or 5, is kept so); 0 to 1,000",
        minimum=0, maximum=1000),
    Col("decimals", None, "integer", "Decimals the value is printed with (4.0 has one, 22 none): its "
        "rounding is half a unit of that last digit", minimum=0, maximum=3),
    Col("unit", None, "string", "Unit of value", allowed=("million persons", "per 1,000 population")),
    Col("source_url", None, "string", "Address of the page that printed the figure; for a derived "
        "figure, of the file it is derived from", pattern=r"https?://\S+"),
    Col("quote", None, "string", "The sentence that gives the figure, verbatim; for a derived "
        "figure, the formula of the file that gives it"),
    Col("basis", None, "string", "'printed': source_url prints the figure, in quote; 'derived': no "
        "source held prints it, and it is the denominator of the forced-labour scaler (quote) that "
        f"{SCALERS} gives every country of the region, forced labour / modern slavery, whose "
        "numerator is the forced-labour prevalence the pages print", allowed=("printed", "derived")),
    Col("quote_checked", None, "string", f"How the quote was checked: against the held excerpts of the "
        f"page ({EXCERPTS}); against a stored copy of the page, read on the day given, where those "
        "excerpts shorten the sentence or lack the page; or, for a derived figure, against the formula as "
        f"written in {SCALERS}"),
]

MAP_COLUMNS = [
    Col("iso3", "iso_a3", "string", "ISO 3166-1 alpha-3 code (XKX for Kosovo; Natural Earth's "
        "own CYN and SOL for Northern Cyprus and Somaliland)", unique=True, pattern="[A-Z]{3}"),
    Col("name", "name", "string", "Country name as Natural Earth gives it"),
    Col("continent", "continent", "string", "Continent as Natural Earth gives it"),
    Col("geometry", None, "string", "Outline as a GeoJSON geometry (Polygon or MultiPolygon), "
        "longitude and latitude in degrees (WGS 84)", unit="degrees"),
]

TIP_COLUMNS = [
    Col("iso3", None, "string", "ISO 3166-1 alpha-3 code", allowed=("PRK",)),
    Col("report_year", None, "integer", "Year of the Trafficking in Persons Report",
        unit="year", unique=True, minimum=2001, maximum=2100),
    Col("tier", None, "string", "Tier placement in that report",
        allowed=("Tier 1", "Tier 2", "Tier 2 Watch List", "Tier 3")),
    Col("source_type", None, "string", "'report': the report's own country narrative (as republished); "
        "'news': a news report of that year's placement; 'count': a later news report counting the "
        "consecutive years on Tier 3, where no source for the year itself was found",
        allowed=("report", "news", "count")),
    Col("source_title", None, "string", "Title of the document that states the tier"),
    Col("source_publisher", None, "string", "Who published that document, and when"),
    Col("source_url", None, "string", "Where the document was read (a stored copy of that page)"),
    Col("quote", None, "string", "Short verbatim quote of the document that gives the tier"),
    Col("accessed", None, "string", "Day the stored copy of source_url was read (YYYY-MM-DD): when the row "
        "was compiled, or a later day it was read again", pattern=r"20\d\d-\d\d-\d\d"),
    Col("stable_url", None, "string", "A stable copy: the archive's own address where source_url is an "
        "archive (Refworld, ecoi.net, UNHCR web archive), else the report's own page on the State "
        "Department's sites (not read here)", pattern=r"https?://\S+"),
    Col("quote_checked", None, "string", "How the quote was checked: against the stored copy of source_url, "
        "or, where that copy now holds another text, against which document instead"),
]

EVIDENCE_COLUMNS = [
    Col("key", None, "string", "Name of the statement, as the paper uses it", unique=True),
    Col("value_low", None, "integer", "The value the statement gives (low end of a range); blank if none",
        unit="persons", nullable=True, minimum=0),
    Col("value_high", None, "integer", "High end of the range (equal to value_low for one value)",
        unit="persons", nullable=True, minimum=0),
    Col("unit", None, "string", "Unit of the values; blank if none", nullable=True),
    Col("cite", None, "string", "Key of the publication in paper/references.bib"),
    Col("document", None, "string", "File of ../shared/seeds that holds the quote; blank where the quote "
        "was read in a stored copy of url", nullable=True),
    Col("quote", None, "string", "Verbatim quote, checked against the document at extraction"),
    Col("url", None, "string", "Where the original publication is"),
    Col("quote_checked", None, "string", "What the quote was checked against: the seed document, at "
        "extraction, or the stored copy of url, on the day given"),
]

ISO_FILE = "iso3166_country_codes.csv"
ISO_STATUSES = ("officially assigned", "user-assigned")
ISO_COLUMNS = [
    Col("alpha_3", None, "string", "ISO 3166-1 alpha-3 code", unique=True, pattern="[A-Z]{3}"),
    Col("alpha_2", None, "string", "ISO 3166-1 alpha-2 code", unique=True, pattern="[A-Z]{2}"),
    Col("numeric", None, "string", "ISO 3166-1 numeric code, three digits kept as text; blank "
        "for a user-assigned code", nullable=True, pattern="[0-9]{3}"),
    Col("name", None, "string", "Short English name in ISO 3166-1, as the iso-codes project "
        "gives it"),
    Col("status", None, "string", "'officially assigned' by ISO, or 'user-assigned': a code "
        "from the ranges ISO 3166-1 leaves to its users (AA, QM to QZ, XA to XZ, ZZ), listed "
        "here only with the reason in 'note'", allowed=ISO_STATUSES),
    Col("note", None, "string", "Why a user-assigned code is listed; blank otherwise",
        nullable=True),
]
# pycountry 26.2.16 packages the ISO 3166-1 list of Debian's iso-codes project in this file.
PYCOUNTRY_VERSION = "26.2.16"
PYCOUNTRY_ISO3166 = "pycountry/databases/iso3166-1.json"
PYCOUNTRY_ISO3166_SHA256 = "f01b812b57fba9f31ff621bf33e7c7570a01964dbeb5be2167e94decf538c89f"
# Codes the GSI data need that ISO has not assigned: (alpha-3, alpha-2, name, reason).
USER_ASSIGNED_CODES = [
    ("XKX", "XK", "Kosovo", "Not assigned by ISO 3166-1. Every GSI edition lists Kosovo as a "
     "country; XK and XKX, from the range ISO leaves to its users, are the codes the European "
     "Commission, the World Bank and the IMF use for it"),
]

CODES_COLUMNS = [
    Col("name", None, "string", "Country name as published in a GSI edition", unique=True),
    Col("iso3", None, "string", "ISO 3166-1 alpha-3 code, one listed in iso3166_country_codes.csv "
        "(XKX for Kosovo, a user-assigned code flagged there)", pattern="[A-Z]{3}"),
    Col("iso_name", None, "string", "Short name of the code in iso3166_country_codes.csv"),
    Col("editions", None, "string", "GSI editions that use this name, separated by ';'"),
    Col("matched_by", None, "string", "'pycountry' (automatic look-up) or 'override' (set in "
        "scripts/extract_raw.py, with the reason there)", allowed=("pycountry", "override")),
]

# Names pycountry cannot look up, or would look up wrongly, and their codes.
NAME_OVERRIDES = {
    "Brunei": "BRN",
    "Cape Verde": "CPV",  # renamed Cabo Verde in ISO 3166
    "Congo, Democratic Republic of the": "COD",
    "Democratic Republic of the Congo": "COD",
    "Hong Kong, China": "HKG",
    "Hong Kong, SAR China": "HKG",
    "Ivory Coast": "CIV",
    "Kosovo": "XKX",  # not in ISO 3166-1; XKX is used by the EU and the World Bank
    "Lao PDR": "LAO",
    "Macedonia": "MKD",  # North Macedonia since 2019
    "Macedonia, the former Yugoslav Republic of": "MKD",
    "Russia": "RUS",
    "Swaziland": "SWZ",  # Eswatini since 2018
    "Taiwan, China": "TWN",
    "Turkey": "TUR",  # Türkiye in ISO 3166 since 2022
}

# The North Korea tier history and the statements from the seed documents are
# compiled, each row with its source, in scripts/compiled_sources.py.

# Regional and world totals as printed, and their forced-labour and forced-marriage parts where a
# page prints them, each with the verbatim sentence from the stored page excerpts; the script
# refuses any quote not found in the excerpts.
#: A summary of the Global Estimates of Modern Slavery 2022 (ILO, Walk Free and IOM).
GEMS2022_SUMMARY = ("http://www.chronicleindia.in/year-book/chronicle-year-book-2023/"
                    "global-estimates-of-modern-slavery")
PUBLISHED_REGIONAL = [
    (2023, 2021, "World", "people_in_modern_slavery", "49.6", "million persons",
     "https://www.business-standard.com/amp/india-news/global-slavery-index-2023-g20-nations-"
     "fuelling-modern-slavery-123061300720_1.html",
     "49.6 million people are living in modern slavery"),
    (2023, 2021, "World", "people_in_forced_labour", "27.6", "million persons",
     "https://www.wearehumanlevel.com/content-hub/2022-global-estimates-of-modern-slavery",
     "27.6 million people in forced labour 'on any given day,'"),
    (2023, 2021, "World", "people_in_forced_marriage", "22", "million persons",
     "https://www.business-standard.com/amp/india-news/global-slavery-index-2023-g20-nations-"
     "fuelling-modern-slavery-123061300720_1.html",
     "28 million suffer from forced labour and 22 million from forced marriages"),
    (2023, 2021, "Asia and the Pacific", "people_in_modern_slavery", "29.3", "million persons",
     "https://walkfree.org/global-slavery-index/findings/regional-findings/asia-and-the-pacific",
     "On any given day in 2021, an estimated 29.3 million people were livi"),
    (2023, 2021, "Asia and the Pacific", "people_in_forced_labour", "15.1", "million persons",
     GEMS2022_SUMMARY,
     "Asia and the Pacific is host to more than half of the global total (15.1 million)"),
    (2023, 2021, "Asia and the Pacific", "people_in_forced_marriage", "14.2", "million persons",
     GEMS2022_SUMMARY,
     "Nearly two-thirds of all forced marriages, an estimated 14.2 million people, are in Asia "
     "and the Pacific."),
    *((2023, 2021, region, "forced_labour_per_1000", value, "per 1,000 population", GEMS2022_SUMMARY,
       "forced labour is highest in the Arab States (5.3 per thousand people), followed by Europe "
       "and Central Asia (4.4 per thousand), the Americas and Asia and the Pacific (both at 3.5 per "
       "thousand), and Africa (2.9 per thousand).")
      for region, value in (("Arab States", "5.3"), ("Europe and Central Asia", "4.4"),
                            ("Americas", "3.5"), ("Asia and the Pacific", "3.5"), ("Africa", "2.9"))),
    *((2023, 2021, region, "forced_marriage_per_1000", value, "per 1,000 population", GEMS2022_SUMMARY,
       "Prevalence of forced marriage is highest in the Arab States (4.8 per thousand population), "
       "followed by Asia and the Pacific (3.3 per thousand population).")
      for region, value in (("Arab States", "4.8"), ("Asia and the Pacific", "3.3"))),
    (2018, 2016, "World", "people_in_modern_slavery", "40.3", "million persons",
     "https://www.slideshare.net/aung3/the-global-slavery-index-2018",
     "40.3 million people in modern slavery in 2016"),
    (2018, 2016, "World", "people_in_forced_labour", "24.9", "million persons",
     "https://www.slideshare.net/aung3/the-global-slavery-index-2018",
     "24.9 million in forced labour"),
    (2018, 2016, "World", "people_in_forced_marriage", "15.4", "million persons",
     "https://www.slideshare.net/aung3/the-global-slavery-index-2018",
     "15.4 million in forced marriage"),
    (2018, 2016, "World", "prevalence_per_1000", "5.4", "per 1,000 population",
     "https://docslib.org/doc/2612953/regional-findings",
     "Globally, there were 5.4 victims of modern slavery for every 1,000 people in the world."),
    (2018, 2016, "Asia and the Pacific", "people_in_modern_slavery", "24.9", "million persons",
     "https://www.globalslaveryindex.org/2018/findings/regional-analysis/asia-and-the-pacific/",
     "On any given day in 2016, an estimated 24.9 million men, women, and children were living "
     "in modern slavery in Asia and the Pacific."),
    (2018, 2016, "Asia and the Pacific", "prevalence_per_1000", "6.1", "per 1,000 population",
     "https://www.globalslaveryindex.org/2018/findings/regional-analysis/asia-and-the-pacific/",
     "The region had the second highest prevalence of modern slavery in the world with 6.1 per "
     "1,000 people."),
    (2018, 2016, "Africa", "prevalence_per_1000", "7.6", "per 1,000 population",
     "https://docslib.org/doc/2612953/regional-findings",
     "highest in Africa with 7.6 victims for every 1,000 people"),
    (2018, 2016, "Europe and Central Asia", "prevalence_per_1000", "3.9", "per 1,000 population",
     "https://docslib.org/doc/2612953/regional-findings",
     "Europe and Central Asia (3.9 victims)"),
    (2018, 2016, "Arab States", "prevalence_per_1000", "3.3", "per 1,000 population",
     "https://docslib.org/doc/2612953/regional-findings",
     "The prevalence in the Arab States and Americas was lower, at 3.3 and 1.9 victims per "
     "1,000 people respectively"),
    (2018, 2016, "Americas", "prevalence_per_1000", "1.9", "per 1,000 population",
     "https://docslib.org/doc/2612953/regional-findings",
     "The prevalence in the Arab States and Americas was lower, at 3.3 and 1.9 victims per "
     "1,000 people respectively"),
    (2016, 2016, "World", "people_in_modern_slavery", "45.8", "million persons",
     "https://www.thestrategist.media/Walk-Free-Foundation-North-Korea-and-India-are-topping-"
     "the-Global-Slavery-Index_a1435.html",
     "45.8 million people are living in slavery"),
]


class ExtractionError(RuntimeError):
    """A source file is missing, changed, or laid out differently than expected."""


def _norm(text: str | None) -> str:
    return re.sub(r"\s+", " ", str(text or "")).strip()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return _norm(value) if isinstance(value, str) else str(value)


def _layout(names: list[str]) -> str:
    """The files the script reads, as paths under the sources folder."""
    return ", ".join([SOURCES_LISTING, *names])


def _check_sources(sources: Path, names: list[str]) -> dict[str, str]:
    """sha256 of each source file, after checking it against the folder's MANIFEST.sha256."""
    how = ("pass the folder with make check-raw SOURCES=dir (default: ../shared/data/sources "
           "beside the checkout), or scripts/extract_raw.py --sources dir")
    if not sources.is_dir():
        raise ExtractionError(f"the sources folder {sources} does not exist. Re-extracting needs "
                              f"the original files there, laid out as: {_layout(names)}; {how} "
                              "(see data/raw/README.md)")
    missing = [n for n in [SOURCES_LISTING, *names] if not (sources / n).is_file()]
    if missing:
        raise ExtractionError(f"the sources folder {sources} lacks {', '.join(missing)}: "
                              f"re-extracting needs these original files, at these paths under "
                              f"it (data/raw/README.md lists them all); {how}")
    manifest = {}
    for line in (sources / SOURCES_LISTING).read_text().splitlines():
        digest, path = line.split(maxsplit=1)
        manifest[path.removeprefix("./")] = digest
    digests = {}
    for name in names:
        path = sources / name
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if manifest.get(name) != digest:
            raise ExtractionError(f"source file {name} has sha256 {digest}, but the sources' "
                                  f"MANIFEST.sha256 records {manifest.get(name)}")
        digests[name] = digest
    return digests


def _sheet_rows(path: Path, sheet: str, header_row: int, columns: list[Col]) -> list[list[str]]:
    import openpyxl

    # keep_links=False: the re-saved copy B holds a broken link to another workbook, which is not read.
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    ws = wb[sheet]
    rows = ws.iter_rows(min_row=header_row, values_only=True)
    header = [_norm(h) for h in next(rows)][: len(columns)]
    expected = [_norm(c.published_header) for c in columns]
    if header != expected:
        diff = [(i, h, e) for i, (h, e) in enumerate(zip(header, expected)) if h != e]
        raise ExtractionError(f"{path.name}, sheet {sheet!r}, row {header_row}: headers differ "
                              f"from those expected (position, found, expected): {diff}")
    out = []
    for values in rows:
        values = list(values[: len(columns)])
        if all(v is None for v in values):
            break  # the table ends at the first empty row
        out.append([_cell(v) for v in values])
    wb.close()
    return out


def _compare_copies(rows: list[list[str]], other: Path, columns: list[Col]) -> dict:
    """Compare the rows read from one copy of a workbook with those of ``other``, cell by cell.

    Text must be equal; numbers equal within :data:`COPY_TOLERANCE`, relatively.
    Raises :class:`ExtractionError` naming the first row and column that differ;
    otherwise returns the number of cells compared, the largest relative gap
    between numbers, and a sentence saying so.
    """
    theirs = _sheet_rows(other, "GSI 2023 summary data", 2, columns)
    if len(theirs) != len(rows):
        raise ExtractionError(f"{other.name}: {len(theirs)} rows, but the first copy has {len(rows)}")
    largest, cells = 0.0, 0
    for i, (mine, their) in enumerate(zip(rows, theirs)):
        for column, a, b in zip(columns, mine, their):
            cells += 1
            try:
                x, y = float(a), float(b)
            except ValueError:
                x = y = None
            if x is not None and (x == y or abs(x - y) <= COPY_TOLERANCE * max(abs(x), abs(y))):
                largest = max(largest, abs(x - y) / max(abs(x), abs(y)) if x != y else 0.0)
            elif a != b:
                raise ExtractionError(f"{other.name}, sheet 'GSI 2023 summary data', row {i + 3}, column "
                                      f"'{column.name}': {b!r}, but the first copy has {a!r}")
    gap = "equal" if largest == 0 else f"equal to a relative {largest:.0e}"
    return {"cells": cells, "largest_relative_gap": largest,
            "result": f"all {cells:,} cells read agree, numbers {gap}"}


def _csv_rows(path: Path, columns: list[Col]) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        if header != [c.published_header for c in columns]:
            raise ExtractionError(f"{path.name}: header {header} differs from the expected one")
        return [row for row in reader]


def _naturalearth_wheel(path: Path | None) -> Path:
    if path is None:  # fetch the pinned wheel from PyPI
        folder = Path(tempfile.mkdtemp(prefix="naturalearth-"))
        fetched = subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                                  NATURALEARTH_WHEEL, "-d", str(folder)])
        if fetched.returncode != 0:
            raise ExtractionError(f"could not download {NATURALEARTH_WHEEL} from PyPI; download "
                                  "the wheel elsewhere and pass --naturalearth path/to/wheel")
        path = next(folder.glob("geopandas-*.whl"))
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != NATURALEARTH_WHEEL_SHA256:
        raise ExtractionError(f"{path.name} has sha256 {digest}, expected {NATURALEARTH_WHEEL_SHA256}")
    return path


def _map_rows(wheel: Path) -> list[list[str]]:
    import shapefile  # pyshp

    with zipfile.ZipFile(wheel) as zf:
        parts = {ext: io.BytesIO(zf.read(f"{NATURALEARTH_MEMBER}.{ext}")) for ext in ("shp", "shx", "dbf")}
        encoding = zf.read(f"{NATURALEARTH_MEMBER}.cpg").decode("ascii").strip()  # the .dbf's code page
    reader = shapefile.Reader(**parts, encoding=encoding)
    rows = []
    for record in reader.shapeRecords():
        attrs = record.record.as_dict()
        iso3 = NATURALEARTH_CODE_FIXES.get(attrs["name"], attrs["iso_a3"])
        if not re.fullmatch(r"[A-Z]{3}", iso3):
            raise ExtractionError(f"Natural Earth gives {attrs['name']!r} no ISO code ({iso3!r})")
        geometry = json.dumps(record.shape.__geo_interface__, separators=(",", ":"))
        rows.append([iso3, attrs["name"], attrs["continent"], geometry])
    return sorted(rows)


def _render(columns: list[Col], rows: list[list[str]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([c.name for c in columns])
    writer.writerows(rows)
    return buf.getvalue()


def _iso_rows() -> list[list[str]]:
    """The ISO 3166-1 list packaged in pycountry, plus the flagged user-assigned codes."""
    import pycountry

    path = Path(pycountry.__file__).resolve().parent / "databases" / "iso3166-1.json"
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != PYCOUNTRY_ISO3166_SHA256:
        raise ExtractionError(f"{path} has sha256 {digest}, expected {PYCOUNTRY_ISO3166_SHA256}: "
                              f"install pycountry=={PYCOUNTRY_VERSION} (pip install -e '.[extract]')")
    entries = json.loads(path.read_text(encoding="utf-8"))["3166-1"]
    rows = [[e["alpha_3"], e["alpha_2"], e["numeric"], e["name"], "officially assigned", ""]
            for e in entries]
    official = {r[0] for r in rows}
    for alpha_3, alpha_2, name, why in USER_ASSIGNED_CODES:
        if alpha_3 in official:
            raise ExtractionError(f"{alpha_3} is now officially assigned: drop it from USER_ASSIGNED_CODES")
        rows.append([alpha_3, alpha_2, "", name, "user-assigned", why])
    return sorted(rows)


def _country_codes(tables: dict[int, list[str]], iso: list[list[str]]) -> list[list[str]]:
    import pycountry

    iso_names = {r[0]: r[3] for r in iso}
    editions: dict[str, list[str]] = {}
    for edition, names in sorted(tables.items()):
        for name in names:
            editions.setdefault(name, []).append(str(edition))
    rows = []
    for name in sorted(editions):
        if name in NAME_OVERRIDES:
            iso3, how = NAME_OVERRIDES[name], "override"
        else:
            try:
                iso3, how = pycountry.countries.lookup(name).alpha_3, "pycountry"
            except LookupError:
                raise ExtractionError(f"no ISO code for {name!r}: add it to NAME_OVERRIDES") from None
        if iso3 not in iso_names:
            raise ExtractionError(f"{iso3} (for {name!r}) is not in {ISO_FILE}")
        rows.append([name, iso3, iso_names[iso3], ";".join(editions[name]), how])
    for edition in tables:
        codes = [r[1] for r in rows if str(edition) in r[3].split(";")]
        if len(codes) != len(set(codes)):
            raise ExtractionError(f"two names of GSI {edition} map to one ISO code")
    return rows


def _check_frameworks(gsi2023: Path, gsi2018: Path) -> None:
    """Check GSI2023_ACTIVITIES and GSI2018_ACTIVITIES, the source of the government-response bounds."""
    import openpyxl

    wb = openpyxl.load_workbook(gsi2023, read_only=True, data_only=True)
    counts: dict[int, list[int]] = {}
    milestone = None
    for values in wb["Govt response framework"].iter_rows(min_row=4, values_only=True):
        if values[0] is not None:
            milestone = int(values[0])
        if values[2] is not None:
            negative = _norm(values[3]).upper().startswith("NEGATIVE")
            counts.setdefault(milestone, [0, 0])[negative] += 1
    notes = " ".join(_norm(v) for row in wb["CONTENTS"].iter_rows(values_only=True) for v in row if v)
    wb.close()
    found = {m: tuple(c) for m, c in counts.items()}
    if found != GSI2023_ACTIVITIES:
        raise ExtractionError(f"{gsi2023.name}, sheet 'Govt response framework': (positive, negative) "
                              f"activities per milestone are {found}, not {GSI2023_ACTIVITIES}")
    if f"the Total is out of {GSI2023_SMALLEST_TOTAL_POINTS}" not in notes:
        raise ExtractionError(f"{gsi2023.name}, sheet 'CONTENTS': note 3 no longer says the Total "
                              f"is out of {GSI2023_SMALLEST_TOTAL_POINTS} for Kosovo and Taiwan")
    wb = openpyxl.load_workbook(gsi2018, read_only=True, data_only=True)
    activities: dict[int, int] = {}
    for row in wb["Govt Response codebook"].iter_rows(values_only=True):
        for value in row:
            heading = re.match(r"Activity M(\d) ", _norm(value) + " ")
            if heading:
                activities[int(heading.group(1))] = activities.get(int(heading.group(1)), 0) + 1
    wb.close()
    if activities != GSI2018_ACTIVITIES:
        raise ExtractionError(f"{gsi2018.name}, sheet 'Govt Response codebook': activities per "
                              f"milestone are {activities}, not {GSI2018_ACTIVITIES}")


def _decimals(value: str) -> int:
    """How many decimals a figure is printed with, from its text ("4.0" -> 1, "22" -> 0)."""
    return len(value.partition(".")[2])


def _regional_rows(excerpts: str) -> list[list[str]]:
    text = _norm(re.sub(r"(?m)^\s*>\s?", " ", excerpts))
    rows = []
    for edition, ref, region, indicator, value, unit, url, quote in PUBLISHED_REGIONAL:
        if _norm(quote) not in text:
            raise ExtractionError(f"quote not found in {EXCERPTS}: {quote!r}")
        if value not in quote and region != "Americas":
            raise ExtractionError(f"value {value} is not in its quote {quote!r}")
        rows.append([str(edition), str(ref), region, indicator, value, str(_decimals(value)), unit, url,
                     quote, "printed", "against the held excerpts of the page"])
    try:
        stored = compiled_sources.regional_rows()
    except ValueError as exc:
        raise ExtractionError(f"scripts/compiled_sources.py: {exc}") from exc
    for edition, ref, region, indicator, value, unit, url, quote, checked in stored:
        rows.append([str(edition), str(ref), region, indicator, value, str(_decimals(value)), unit, url,
                     quote, "printed", checked])
    return rows


def _derived_prevalences(path: Path, gsi2023: list[list[str]], printed: list[list[str]]) -> list[list[str]]:
    """GSI 2023's regional prevalence of modern slavery, which no source held prints, from the scalers.

    The scaler file gives every country a formula, forced labour / modern slavery, the same
    for every country of a GSI 2023 region; its numerator must be the forced-labour
    prevalence that the pages print for the region (``printed``). Its denominator, as
    written, is the region's prevalence.
    """
    import openpyxl

    region_of = {row[0]: row[2] for row in gsi2023}
    wb = openpyxl.load_workbook(path)  # formulas as written, not their values
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    wb.close()
    if [_norm(c) for c in rows[0][:2]] != ["Country", "Scalar"]:
        raise ExtractionError(f"{SCALERS}: expected the columns Country and Scalar, found {rows[0]}")
    formulas: dict[str, set[str]] = {}
    for country, formula in (r[:2] for r in rows[1:] if r[0] is not None):
        if country not in region_of:
            raise ExtractionError(f"{SCALERS}: {country!r} is not a country of GSI 2023")
        formulas.setdefault(region_of[country], set()).add(str(formula))
    missing = sorted(set(region_of) - {r[0] for r in rows[1:]})
    if missing:
        raise ExtractionError(f"{SCALERS} has no scaler for {', '.join(missing)}")
    labour = {r[2]: r[4] for r in printed if r[0] == "2023" and r[3] == "forced_labour_per_1000"}
    out = []
    for region in REGIONS:
        found = formulas.get(region, set())
        formula = next(iter(found)) if len(found) == 1 else ""
        match = re.fullmatch(r"=(\d+(?:\.\d+)?)/(\d+(?:\.\d+)?)", formula)
        if match is None:
            raise ExtractionError(f"{SCALERS}: the countries of {region} should share one formula "
                                  f"forced labour / modern slavery, found {sorted(found)}")
        if region not in labour or float(match.group(1)) != float(labour[region]):
            raise ExtractionError(f"{SCALERS}: the numerator of {region}'s scaler, {match.group(1)}, is "
                                  f"not the forced-labour prevalence the pages print, {labour.get(region)}")
        out.append(["2023", "2021", region, "prevalence_per_1000", match.group(2),
                    str(_decimals(match.group(2))), "per 1,000 population", SCALERS_URL, match.group(0),
                    "derived", f"against the formula as written in {SCALERS}"])
    return out


def build(sources: Path, naturalearth: Path | None = None) -> tuple[dict[str, str], dict]:
    """Return ``({raw file name: CSV text}, manifest document)`` built from ``sources``.

    ``naturalearth`` is the geopandas 0.14.4 wheel; without it, pip downloads it.
    """
    digests = _check_sources(sources, SOURCE_FILES)
    gsi2023 = _sheet_rows(sources / GSI2023_XLSX, "GSI 2023 summary data", 3, GSI2023_COLUMNS)
    copies = _compare_copies(gsi2023, sources / GSI2023_COPY_B, GSI2023_COLUMNS)
    gsi2018 = _sheet_rows(sources / GSI2018_XLSX, "Global prev, vuln, govt table", 2, GSI2018_COLUMNS)
    gsi2016 = _sheet_rows(sources / GSI2016_XLSX, "GLOBAL DATA 2016 GSI", 2, GSI2016_COLUMNS)
    wb = _csv_rows(sources / WB_VINTAGES, WB_COLUMNS)
    un = _csv_rows(sources / UN_WPP2019, UN_COLUMNS)
    regional = _regional_rows((sources / EXCERPTS).read_text(encoding="utf-8"))
    regional += _derived_prevalences(sources / SCALERS, gsi2023, regional)
    iso = _iso_rows()
    codes = _country_codes({2016: [r[0] for r in gsi2016], 2018: [r[0] for r in gsi2018],
                            2023: [r[0] for r in gsi2023]}, iso)
    _check_frameworks(sources / GSI2023_XLSX, sources / GSI2018_XLSX)
    seeds = sources.parent.parent / "seeds"
    try:
        tip = compiled_sources.tip_rows(seeds)
        evidence = compiled_sources.evidence_rows(seeds)
    except (OSError, ValueError) as exc:
        raise ExtractionError(f"the seed documents in {seeds}: {exc}") from exc
    map_rows = _map_rows(_naturalearth_wheel(naturalearth))

    def source(name: str, **where: str) -> dict:
        return {"file": name, "sha256": digests[name], **where}

    gsi2023_cite = {
        "publisher": "Walk Free (Minderoo Foundation)",
        "title": "Global Slavery Index 2023, data workbook, sheet 'GSI 2023 summary data'",
        "edition": "2023", "url": "https://www.walkfree.org/global-slavery-index/downloads/",
        "date_published": "2023-05-24", "licence": GSI2023_LICENCE,
    }
    specs = {
        "gsi2023_country_table.csv": (GSI2023_COLUMNS, gsi2023, gsi2023_cite, source(
            GSI2023_XLSX, sheet="GSI 2023 summary data", rows="4 onwards (header on row 3)",
            retrieved_from="GitHub modern-slavery-open-lib/make-labour-satellite, "
            "objects/raw/2023-Global-Slavery-Index-Data.xlsx at commit "
            "057bd735562d66f6e1110bd6b82f34e7e6a4103a",
            copies_compared={"copies": [{"file": GSI2023_COPY_B, "sha256": digests[GSI2023_COPY_B],
                                         "sheet": "GSI 2023 summary data",
                                         "rows": "3 onwards (header on row 2)",
                                         "retrieved_from": GSI2023_COPY_B_FROM}],
                             "result": copies["result"]}),
            "180 rows: 160 with an estimate, 20 without (blank prevalence and number). "
            "Population is 0 in the workbook for Cape Verde, Kosovo, Liechtenstein and Palau. "
            "North Korea's prevalence is stored as the literal 104.6 (the GSI 2018 rate "
            "rounded), not as a model output."),
        "gsi2018_country_table.csv": (GSI2018_COLUMNS, gsi2018, {
            "publisher": "Walk Free Foundation",
            "title": "Global Slavery Index 2018, data workbook (FINAL-GSI-2018-DATA-G20-AND-"
                     "FISHING), sheet 'Global prev, vuln, govt table'",
            "edition": "2018", "url": "https://www.globalslaveryindex.org/resources/downloads/",
            "date_published": "2018-07-19", "licence": GSI_OLD_LICENCE,
        }, source(GSI2018_XLSX, sheet="Global prev, vuln, govt table",
                  rows="3 onwards (header on row 2)",
                  retrieved_from="GitHub Jaina007/slavery_capstone, Datasets/slavery_2018.xlsx "
                  "at commit a87674b8818102e08185b901afe0148c5349988c"),
            "186 rows: 167 with an estimate. Three counts are the text '<1,000' "
            "(Barbados, Iceland, Luxembourg). The percentage columns of the government "
            "response milestones are all headed '%' in the workbook."),
        "gsi2016_country_table.csv": (GSI2016_COLUMNS, gsi2016, {
            "publisher": "Walk Free Foundation",
            "title": "Global Slavery Index 2016, data workbook, sheet 'GLOBAL DATA 2016 GSI'",
            "edition": "2016", "url": "https://www.globalslaveryindex.org/resources/downloads/",
            "date_published": "2016-05-31", "licence": GSI_OLD_LICENCE,
        }, source(GSI2016_XLSX, sheet="GLOBAL DATA 2016 GSI", rows="3 onwards (header on row 2)",
                  retrieved_from="GitHub Jaina007/slavery_capstone, Datasets/slavery_2016.xlsx "
                  "at commit a87674b8818102e08185b901afe0148c5349988c"),
            "167 rows. Prevalence is in PER CENT (per 1,000 from 2018 on). Regions are six "
            "0/1 columns in a scheme different from the 2018 and 2023 regions."),
        "population_prk_worldbank_vintages.csv": (WB_COLUMNS, wb, {
            "publisher": "World Bank",
            "title": "World Development Indicators, SP.POP.TOTL (Population, total), North "
                     "Korea, every stored vintage",
            "edition": "vintages 2015-08 to 2026-03",
            "url": "https://data.worldbank.org/indicator/SP.POP.TOTL",
            "date_published": "one vintage per row, see vintage_date", "licence": "CC BY 4.0",
        }, source(WB_VINTAGES, retrieved_from="git history of GitHub datasets/population, "
                  "data/population.csv"),
            "Each vintage is one stored copy of the World Bank series; its values change "
            "with each UN World Population Prospects revision."),
        "population_un_wpp2019_2020.csv": (UN_COLUMNS, un, {
            "publisher": "United Nations, Department of Economic and Social Affairs, "
                         "Population Division",
            "title": "World Population Prospects 2019, total population 2020 (medium variant)",
            "edition": "WPP 2019, Rev. 1",
            "url": "https://population.un.org/wpp/Download/Standard/Population/",
            "date_published": "2019-06-17", "licence": "CC BY 3.0 IGO",
        }, source(UN_WPP2019, retrieved_from="GitHub owid/covid-19-data, "
                  "scripts/input/un/population_2020.csv at commit "
                  "4c1c9b69344ce9f96c0f60e3ab8305fbcc9e909b"),
            "The population source of GSI 2023 (its CONTENTS note 2). Rounded to the nearest "
            "thousand these values give GSI 2023's population for 174 of its 180 rows."),
        "published_regional_estimates.csv": (REGIONAL_COLUMNS, regional, {
            "publisher": "Walk Free; ILO, Walk Free and IOM (Global Estimates of Modern Slavery)",
            "title": "Regional and world totals of modern slavery, and their forced-labour and "
                     "forced-marriage parts, as printed in GSI reports and pages quoting them; "
                     "GSI 2023's regional prevalences, derived from the forced-labour scalers",
            "edition": "GSI 2016, 2018, 2023", "url": "see source_url in each row",
            "date_published": "2016-05-31 to 2023-06-28",
            "licence": "Short factual quotations with attribution",
        }, source(EXCERPTS, retrieved_from="stored copies of the pages named in source_url",
                  derived_from=source(SCALERS, retrieved_from=SCALERS_FROM,
                                      how="the rows whose basis is 'derived': the denominator of the "
                                          "formula that every country of the region shares")),
            "Each row with basis 'printed' is a figure printed on a page, with the sentence that "
            "prints it, checked against the held excerpts of the page or, where those shorten the "
            "sentence or lack the page, against a stored copy of the page read on the day that "
            "quote_checked gives (those rows are compiled in scripts/compiled_sources.py). "
            "No source held prints GSI 2023's regional prevalences of modern slavery: "
            "the rows with basis 'derived' take each from the forced-labour scalers, whose formula "
            "for a region's countries is its forced-labour prevalence (printed) over its "
            "modern-slavery prevalence."),
        "tip_tier_history.csv": (TIP_COLUMNS, tip, {
            "publisher": "U.S. Department of State, Office to Monitor and Combat Trafficking "
                         "in Persons (the tier); the publisher of each row's source document",
            "title": "Trafficking in Persons Report, North Korea's tier in each report, with the "
                     "document that states it",
            "edition": "2003 to 2025 reports",
            "url": "https://www.state.gov/trafficking-in-persons-report/ (the reports); "
                   "source_url of each row (the document read)",
            "date_published": "annually, one report per report_year",
            "licence": "The reports: public domain (work of the US federal government, 17 U.S.C. "
                       "105); the quotes: short quotations with attribution",
        }, {"file": "none: compiled from the documents named in each row",
            "how": "TIP_REPORTS in scripts/compiled_sources.py; the 2023 quote is checked against "
                   "../shared/seeds/001_3fb834e3cfccdeb3.txt"},
            "North Korea is placed on Tier 3 in every report from 2003 to 2025. Each year has a "
            "document that states it: the report's own narrative (source_type 'report') where a "
            "republished copy was found, a news report of that year's placement ('news'), or, for "
            "2016 and 2024, a later news report counting the consecutive years on Tier 3 "
            "('count')."),
        "evidence_statements.csv": (EVIDENCE_COLUMNS, evidence, {
            "publisher": "Walk Free Foundation and Leiden University; U.S. Department of State; "
                         "Walk Free (see cite in each row)",
            "title": "Statements on North Korea from the documents the compendium started from, and "
                     "from pages read to date one of them",
            "edition": "GSI 2018 North Korea study; TIP reports 2012, 2014 and 2023; GSI 2023 country "
                       "snapshot",
            "url": "see url in each row",
            "date_published": "2012 to 2023",
            "licence": "Short quotations with attribution",
        }, {"file": "../shared/seeds (the document named in each row), or a stored copy of the url",
            "how": "EVIDENCE in scripts/compiled_sources.py; every quote with a document is checked "
                   "against it, and every value against its quote; quote_checked says which"},
            "The 2014 report is identified by its text, which the press quoted as that year's "
            "report; the seed copy carries no year. The 2012 report's range of political "
            "prisoners, read in a stored copy of its page, differs from the copy's."),
        "naturalearth_countries.csv": (MAP_COLUMNS, map_rows, {
            "publisher": "Natural Earth",
            "title": "Admin 0 - Countries, 1:110m (the naturalearth_lowres data set of geopandas)",
            "edition": "as packaged in geopandas 0.14.4",
            "url": "https://www.naturalearthdata.com/downloads/110m-cultural-vectors/"
                   "110m-admin-0-countries/",
            "date_published": "2024-04-28 (geopandas 0.14.4 release)",
            "licence": "Public domain (Natural Earth terms of use)",
        }, {"file": f"{NATURALEARTH_MEMBER}.shp", "sha256": NATURALEARTH_WHEEL_SHA256,
            "retrieved_from": f"PyPI wheel {NATURALEARTH_WHEEL} (sha256 of the wheel)"},
            "Only for drawing maps. At this scale small countries (e.g. Singapore, Hong Kong, "
            "most island states) have no outline. Kosovo's code is '-99' in Natural Earth and "
            "XKX here."),
        ISO_FILE: (ISO_COLUMNS, iso, {
            "publisher": "Debian iso-codes project, from ISO 3166-1 (International Organization "
                         f"for Standardization), as packaged in pycountry {PYCOUNTRY_VERSION}",
            "title": "ISO 3166-1 country codes: alpha-3, alpha-2 and numeric codes with short names",
            "edition": f"iso-codes data of pycountry {PYCOUNTRY_VERSION}",
            "url": "https://salsa.debian.org/iso-codes-team/iso-codes",
            "date_published": f"2026-02-16 (the date pycountry's calendar version {PYCOUNTRY_VERSION} "
                              "encodes)",
            "licence": "LGPL-2.1 (pycountry and the iso-codes data it packages); the codes "
                       "themselves are the ISO 3166-1 standard",
        }, {"file": PYCOUNTRY_ISO3166, "sha256": PYCOUNTRY_ISO3166_SHA256,
            "retrieved_from": f"PyPI package pycountry=={PYCOUNTRY_VERSION} (pip install -e '.[extract]')"},
            f"{len(iso) - len(USER_ASSIGNED_CODES)} officially assigned codes, plus "
            f"{len(USER_ASSIGNED_CODES)} user-assigned code(s) flagged in 'status' with the reason "
            "in 'note' (XKX, Kosovo). The library refuses any code in country_codes.csv that is "
            "not listed here."),
        "country_codes.csv": (CODES_COLUMNS, codes, {
            "publisher": "International Organization for Standardization, via pycountry "
                         f"{PYCOUNTRY_VERSION}",
            "title": "ISO 3166-1 alpha-3 codes for the country names of GSI 2016, 2018, 2023",
            "edition": "ISO 3166-1 as packaged in pycountry",
            "url": "https://www.iso.org/iso-3166-country-codes.html",
            "date_published": "see pycountry release", "licence": "LGPL-2.1 (pycountry data)",
        }, {"file": None, "how": "pycountry look-up of each published name, with the "
            "NAME_OVERRIDES of scripts/extract_raw.py"},
            "One row per distinct country name across the three editions."),
    }
    licence_short = {
        "gsi2023_country_table.csv": "Copyright Minderoo Foundation; free download with citation",
        "gsi2018_country_table.csv": "Copyright Walk Free; free download with citation",
        "gsi2016_country_table.csv": "Copyright Walk Free; free download with citation",
        "population_prk_worldbank_vintages.csv": "CC BY 4.0",
        "population_un_wpp2019_2020.csv": "CC BY 3.0 IGO",
        "published_regional_estimates.csv": "Quotations with attribution",
        "tip_tier_history.csv": "Public domain; quotations",
        "evidence_statements.csv": "Quotations with attribution",
        "country_codes.csv": "LGPL-2.1 (pycountry data)",
        ISO_FILE: "LGPL-2.1 (iso-codes data)",
        "naturalearth_countries.csv": "Public domain",
    }
    texts, files = {}, {}
    for name, (columns, rows, cite, src, notes) in specs.items():
        for i, row in enumerate(rows):
            if len(row) != len(columns):
                raise ExtractionError(f"{name}: row {i + 1} has {len(row)} values, "
                                      f"expected {len(columns)}")
        text = _render(columns, rows)
        texts[name] = text
        digest = hashlib.sha256(text.encode()).hexdigest()
        # sha256 is what the file is now; extracted_sha256 what this script wrote.
        # `python -m analysis rehash` changes only the first, after a deliberate edit.
        files[name] = {**cite, "licence_short": licence_short[name],
                       "sha256": digest, "extracted_sha256": digest,
                       "rows": len(rows), "extracted_from": src, "notes": notes,
                       "columns": [column_entry(c) for c in columns]}
    # The GSI countries that Natural Earth 1:110m does not draw: a map names them as too small for
    # its scale, and the library refuses a GSI country missing from the outlines but not listed here.
    small = sorted({row[1] for row in codes} - {row[0] for row in map_rows})
    entry = files["naturalearth_countries.csv"]
    columns = entry.pop("columns")
    entry.update(not_at_this_scale=small, columns=columns)
    manifest = {
        "description": "Raw data of the North Korea modern-slavery compendium. Each file is "
                       "written by scripts/extract_raw.py; the analysis library checks each "
                       "file's sha256 and columns against this manifest on every load.",
        "files": files,
    }
    return texts, manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sources", type=Path, default=ROOT.parent / "shared" / "data" / "sources",
                        help="folder of the original source files (default: %(default)s)")
    parser.add_argument("--naturalearth", type=Path, default=None,
                        help="the geopandas 0.14.4 wheel (default: download it from PyPI)")
    parser.add_argument("--check", action="store_true",
                        help="compare with data/raw instead of writing; exit 1 on a difference")
    args = parser.parse_args(argv)
    paths = project_paths(ROOT)
    try:
        texts, manifest = build(args.sources, args.naturalearth)
    except ExtractionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except ImportError as exc:
        print(f"error: scripts/extract_raw.py needs {exc.name} (openpyxl, pycountry and pyshp): "
              "pip install -e '.[extract]'", file=sys.stderr)
        return 2
    outputs = {**texts, "MANIFEST.yaml": manifest_text(manifest)}
    if args.check:
        differ = [n for n, t in outputs.items()
                  if not (paths.raw / n).exists() or (paths.raw / n).read_text(encoding="utf-8") != t]
        for name in differ:
            print(f"differs: data/raw/{name}")
        print(f"GSI 2023 workbook, two copies compared ({GSI2023_XLSX} and {GSI2023_COPY_B}): "
              + manifest["files"]["gsi2023_country_table.csv"]["extracted_from"]["copies_compared"]["result"])
        print("data/raw matches the sources" if not differ else f"{len(differ)} file(s) differ")
        return 1 if differ else 0
    for name, text in outputs.items():
        write_text(paths.raw / name, text)
        print(f"wrote data/raw/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
