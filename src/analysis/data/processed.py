"""The cleaned tables of ``data/processed/``: computed from ``data/raw/``, every check first.

:func:`processed_files` computes and checks every table in memory and renders
each file's text; the data step of the build (:mod:`analysis.steps.data`)
writes them into a staging folder and publishes the folder whole, so a refused
input, a full disk or Ctrl-C leaves the previous ``data/processed/`` untouched.
:func:`read_processed` reads one table and never writes.
"""

from __future__ import annotations

import io

import pandas as pd

from .. import provenance
from ..atomic import frame_to_csv_text
from ..errors import AnalysisError
from .geography import check_outlines, country_outlines
from .gsi import country_edition_table, country_wide_table
from .manifest import verify_all
from ..paths import ProjectPaths, project_paths
from .population import population_sources
from .raw_io import read_raw
from .regions import compare_with_published, published_regional, regional_sums

#: File name -> one-line description, for the processed-data README and the paper.
PROCESSED_FILES = {
    "gsi_country_edition.csv": "One row per country and GSI edition (2016, 2018, 2023), cleaned "
                               "to one layout: prevalence per 1,000, counts and population in "
                               "persons, scores 0-100, government response in per cent.",
    "gsi_country_wide.csv": "One row per country; population, prevalence, count, vulnerability "
                            "and government response in one column per edition.",
    "regional_sums.csv": "Country estimates summed by edition and region (and World).",
    "regional_comparison.csv": "Each published regional total beside the same figure summed "
                               "from the country estimates, with the difference and the rounding "
                               "bound under two readings: a total rounded once, or the sum of its "
                               "forced-labour and forced-marriage parts rounded apart (where the "
                               "sources print both).",
    "population_sources.csv": "Population by source, vintage and reference year (persons).",
    "tip_tiers.csv": "US Trafficking in Persons report tier of North Korea by report year.",
}


#: Column -> unit and meaning, for ``gsi_country_edition.csv`` (written to the README).
EDITION_COLUMNS = {
    "iso3": "ISO 3166-1 alpha-3 code (XKX for Kosovo)",
    "edition": "GSI edition: 2016, 2018 or 2023",
    "country": "Country name as the latest edition prints it",
    "name_as_published": "Country name as this edition prints it",
    "region": "Walk Free region (five regions; 2016 rows take the region of GSI 2023/2018)",
    "region_as_published": "Region as this edition prints it (GSI 2016 used six regions)",
    "population": "Population, persons; blank where the edition gives none (0 in the 2023 workbook)",
    "prevalence_per_1000": "Estimated prevalence of modern slavery, per 1,000 population "
                           "(GSI 2016's per cent x 10); blank where no estimate",
    "estimated_number": "Estimated number of people in modern slavery, persons; blank where "
                        "no estimate or where published as '<1,000'",
    "estimated_number_note": "'<1,000' where the edition printed that instead of a number",
    "has_estimate": "True where the edition estimates prevalence for the country",
    "vuln_governance": "Vulnerability: governance issues, score 0-100 (2018, 2023)",
    "vuln_basic_needs": "Vulnerability: lack of basic needs (2018: 'nourishment and access'), 0-100",
    "vuln_inequality": "Vulnerability: inequality, 0-100 (2018, 2023)",
    "vuln_disenfranchised": "Vulnerability: disenfranchised groups, 0-100 (2018, 2023)",
    "vuln_conflict": "Vulnerability: effects of conflict, 0-100 (2018, 2023)",
    "vuln2016_political_rights": "GSI 2016 vulnerability dimension 1, political rights and safety, "
                                 "0-100 (2016 only: a different model from 2018 and 2023)",
    "vuln2016_financial_health": "GSI 2016 dimension 2, financial and health protections, 0-100 (2016 only)",
    "vuln2016_protection_vulnerable": "GSI 2016 dimension 3, protection for the most vulnerable, 0-100 "
                                      "(2016 only)",
    "vuln2016_conflict": "GSI 2016 dimension 4, conflict, 0-100 (2016 only)",
    "vulnerability_total": "Total vulnerability, 0-100 (2016: mean of its four dimensions)",
    "govt_m1_survivors_pct": "Government response milestone 1, survivors supported, per cent",
    "govt_m2_criminal_justice_pct": "Milestone 2, criminal justice, per cent",
    "govt_m3_coordination_pct": "Milestone 3, coordination and accountability, per cent",
    "govt_m4_risk_factors_pct": "Milestone 4, risk factors addressed, per cent (can be negative)",
    "govt_m5_supply_chains_pct": "Milestone 5, supply chains, per cent",
    "govt_total_pct": "Government response total, per cent (can be negative)",
    "credit_rating": "Government response rating AAA to D (2016, 2018)",
}


def processed_readme() -> str:
    """The README of ``data/processed/``: what each file holds, and the columns of the main table."""
    lines = ["# data/processed", "",
             "Written by `python -m analysis data` from `data/raw/`; do not edit by hand. "
             "Rows are sorted; two builds give byte-identical files, and CI checks that the "
             "committed files are what the code builds.", "", "| File | Contents |", "|---|---|"]
    lines += [f"| `{name}` | {text} |" for name, text in PROCESSED_FILES.items()]
    lines += ["", "## Columns of `gsi_country_edition.csv`", "", "| Column | Unit and meaning |",
              "|---|---|"]
    lines += [f"| `{name}` | {text} |" for name, text in EDITION_COLUMNS.items()]
    return "\n".join(lines) + "\n"


def _sorted(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    return frame.sort_values(by, kind="mergesort").reset_index(drop=True)


def build_tables(paths: ProjectPaths | None = None) -> dict[str, pd.DataFrame]:
    """Compute every processed table from the raw files; every check runs here, before any write.

    Checksums, schemas and bounds of each raw file, then the checks across files:
    codes are ISO 3166-1 codes and unique within an edition, counts agree with
    prevalence x population, populations are plausible, and every map outline is
    a valid polygon in degrees, with an outline for each country of the GSI that
    Natural Earth draws at 1:110m.
    """
    paths = paths or project_paths()
    verify_all(paths)
    long = country_edition_table(paths)
    check_outlines(long, country_outlines(paths), paths)  # the notebooks and the atlas draw them
    sums = regional_sums(long)
    tip = _sorted(read_raw("tip_tier_history.csv", paths), ["iso3", "report_year"])
    return {
        "gsi_country_edition.csv": long,
        "gsi_country_wide.csv": country_wide_table(long),
        "regional_sums.csv": sums,
        "regional_comparison.csv": compare_with_published(sums, published_regional(paths)),
        "population_sources.csv": population_sources(long, paths),
        "tip_tiers.csv": tip,
    }


def processed_files(paths: ProjectPaths | None = None) -> dict[str, str]:
    """The text of every file of ``data/processed/`` (the tables and the README), by file name.

    Every table is computed and checked in memory (:func:`build_tables`); raises
    :class:`~analysis.errors.RawDataError` naming the file, line and column of
    the first problem.
    """
    tables = build_tables(paths)
    missing = set(tables["gsi_country_edition.csv"].columns) ^ set(EDITION_COLUMNS)
    if missing:
        raise RuntimeError(f"EDITION_COLUMNS is out of date: {sorted(missing)}")
    texts = {name: frame_to_csv_text(frame) for name, frame in tables.items()}
    texts["README.md"] = processed_readme()
    return texts


def read_processed(name: str, paths: ProjectPaths | None = None) -> pd.DataFrame:
    """Read one processed table (see :data:`PROCESSED_FILES`); never writes.

    A missing file raises :class:`~analysis.errors.AnalysisError` that says
    which command builds it.
    """
    paths = paths or project_paths()
    if name not in PROCESSED_FILES:
        raise KeyError(f"unknown processed table {name!r}; choose one of {sorted(PROCESSED_FILES)}")
    path = paths.processed / name
    if not path.exists():
        raise AnalysisError(f"data/processed/{name} is missing: build it with `python -m analysis data` "
                            "(or `make data`)")
    return pd.read_csv(io.BytesIO(provenance.read_bytes(path)), keep_default_na=False, na_values=[""])
