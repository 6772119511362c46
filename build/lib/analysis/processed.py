"""Rebuild ``data/processed/`` from ``data/raw/``: all checks first, then atomic writes.

Every table is computed and checked in memory before anything is written; each
file is then written to a temporary name and moved into place, so a failure
leaves the previous ``data/processed/`` untouched.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from .atomic import frame_to_csv_text
from .gsi import country_edition_table, country_wide_table
from .manifest import verify_all
from .paths import ProjectPaths, project_paths
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
    "regional_comparison.csv": "Each published regional figure beside the same figure summed "
                               "from the country estimates, with the difference.",
    "population_sources.csv": "Population by source, vintage and reference year (persons).",
    "tip_tiers.csv": "US Trafficking in Persons report tier of North Korea by report year.",
}


def _sorted(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    return frame.sort_values(by, kind="mergesort").reset_index(drop=True)


def build_tables(paths: ProjectPaths | None = None) -> dict[str, pd.DataFrame]:
    """Compute every processed table from the raw files (checksums and schemas verified)."""
    paths = paths or project_paths()
    verify_all(paths)
    long = country_edition_table(paths)
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


def write_processed(paths: ProjectPaths | None = None) -> list[Path]:
    """Rebuild ``data/processed/``; return the files written.

    All tables are rendered to a staging folder first; only when every one has
    been rendered are they moved into ``data/processed/``, one atomic rename each.
    """
    paths = paths or project_paths()
    tables = build_tables(paths)
    paths.processed.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=paths.processed))
    written = []
    try:
        for name, frame in tables.items():
            (staging / name).write_text(frame_to_csv_text(frame), encoding="utf-8")
            os.chmod(staging / name, 0o644)
        for name in tables:
            os.replace(staging / name, paths.processed / name)
            written.append(paths.processed / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return written


def read_processed(name: str, paths: ProjectPaths | None = None) -> pd.DataFrame:
    """Read one processed table (see :data:`PROCESSED_FILES`), building it first if missing."""
    paths = paths or project_paths()
    if name not in PROCESSED_FILES:
        raise KeyError(f"unknown processed table {name!r}; choose one of {sorted(PROCESSED_FILES)}")
    path = paths.processed / name
    if not path.exists():
        write_processed(paths)
    return pd.read_csv(path, keep_default_na=False, na_values=[""])
