"""Clean the three GSI country tables into one layout, one row per country and edition.

Units after cleaning: population and counts in persons; prevalence per 1,000
population (the 2016 per-cent figures are multiplied by 10); vulnerability
scores 0-100; government-response milestones and totals in per cent, negative
values kept. Missing values are NA, never zero.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .countries import attach_iso3, check_unique_codes, country_code_table, country_codes
from ..errors import RawDataError
from .manifest import load_manifest
from ..paths import ProjectPaths, project_paths
from .population import check_plausible, un_reference
from .raw_io import read_raw
from .units import PER_1000, PER_CENT, implied_count, to_per_1000

EDITIONS = (2016, 2018, 2023)
RAW_FILES = {2016: "gsi2016_country_table.csv", 2018: "gsi2018_country_table.csv",
             2023: "gsi2023_country_table.csv"}
#: Published counts are rounded to this many persons.
COUNT_ROUNDING = {2016: 100, 2018: 1000, 2023: 1000}
#: Relative gap allowed between a published count and prevalence x population.
COUNT_TOLERANCE = 0.02

VULNERABILITY_DIMENSIONS = {
    "vuln_governance": "Governance issues",
    "vuln_basic_needs": "Lack of basic needs",
    "vuln_inequality": "Inequality",
    "vuln_disenfranchised": "Disenfranchised groups",
    "vuln_conflict": "Effects of conflict",
}
#: GSI 2016's four vulnerability dimensions (0-100): another model than the five of 2018 and
#: 2023, so kept in columns of their own, blank for the later editions.
VULNERABILITY_DIMENSIONS_2016 = {
    "vuln2016_political_rights": "Political rights and safety",
    "vuln2016_financial_health": "Financial and health protections",
    "vuln2016_protection_vulnerable": "Protection for the most vulnerable",
    "vuln2016_conflict": "Conflict",
}
_RAW_2016_DIMENSIONS = {"vuln_d1_political_rights": "vuln2016_political_rights",
                        "vuln_d2_financial_health": "vuln2016_financial_health",
                        "vuln_d3_protection_vulnerable": "vuln2016_protection_vulnerable",
                        "vuln_d4_conflict": "vuln2016_conflict"}
MILESTONES = {
    "govt_m1_survivors_pct": "Survivors identified and supported",
    "govt_m2_criminal_justice_pct": "Criminal justice",
    "govt_m3_coordination_pct": "Coordination and accountability",
    "govt_m4_risk_factors_pct": "Risk factors addressed",
    "govt_m5_supply_chains_pct": "Supply chains",
}
COLUMNS = [
    "iso3", "edition", "country", "name_as_published", "region", "region_as_published",
    "population", "prevalence_per_1000", "estimated_number", "estimated_number_note",
    "has_estimate", *VULNERABILITY_DIMENSIONS, *VULNERABILITY_DIMENSIONS_2016, "vulnerability_total",
    *MILESTONES,
    "govt_total_pct", "credit_rating",
]
_LESS_THAN = re.compile(r"^<\s*([\d,]+)$")


def parse_counts(values: pd.Series, file: str, column: str) -> tuple[pd.Series, pd.Series]:
    """Split published counts into numbers (persons) and notes.

    ``"<1,000"`` becomes NA with the note ``"<1,000"``; ``"12,000"`` and ``"12000"``
    become 12000; a blank stays NA. Anything else stops with the file, line and value.
    """
    numbers = pd.Series(pd.NA, index=values.index, dtype="Int64")
    notes = pd.Series(pd.NA, index=values.index, dtype="string")
    for idx, value in values.items():
        if pd.isna(value):
            continue
        text = str(value).strip()
        if _LESS_THAN.match(text):
            notes[idx] = text
        elif re.fullmatch(r"\d{1,3}(,\d{3})*|\d+", text):
            numbers[idx] = int(text.replace(",", ""))
        else:
            raise RawDataError(file, f"count {text!r} is neither a whole number nor '<N'",
                               line=int(idx) + 2, column=column)
    return numbers, notes


def check_counts(frame: pd.DataFrame, file: str, unit: str, rounding: int,
                 prevalence: str, population: str = "population",
                 number: str = "estimated_number") -> None:
    """Check that each published count agrees with prevalence x population.

    ``prevalence`` is in ``unit`` (per cent or per 1,000). A row that disagrees by
    more than the rounding of the count and more than 2 per cent stops with an
    error naming the line; a gap of about ten times is reported as a likely unit
    mix-up (per cent read as per 1,000, or the reverse).
    """
    implied = implied_count(frame[prevalence].astype("Float64"), unit,
                            frame[population].astype("Float64"))
    published = frame[number].astype("Float64")
    both = implied.notna() & published.notna()
    gap = (implied - published).abs()
    bad = both & (gap > rounding) & (gap > COUNT_TOLERANCE * published)
    if not bad.any():
        return
    idx = bad[bad].index[0]
    ratio = float(implied[idx] / published[idx]) if published[idx] else float("inf")
    hint = ""
    if 5 < ratio < 20:
        hint = (f" The prevalence looks about ten times too large for '{unit}': "
                + ("is it per 1,000 rather than per cent?" if unit == PER_CENT
                   else "is a decimal point out of place?"))
    elif 0.05 < ratio < 0.2:
        hint = (f" The prevalence looks about ten times too small for '{unit}': "
                + ("is it per cent rather than per 1,000?" if unit == PER_1000
                   else "is a decimal point out of place?"))
    raise RawDataError(
        file, f"prevalence {frame[prevalence][idx]} ({unit}) x population "
        f"{frame[population][idx]} implies {implied[idx]:,.0f} people, but the published "
        f"count is {published[idx]:,.0f}.{hint}", line=int(idx) + 2, column=prevalence)


def check_estimates_have_counts(frame: pd.DataFrame, file: str, prevalence: str) -> None:
    """Check that a row has a prevalence exactly when it has a count (a number or a '<N' note).

    The editions give both or neither; one without the other is refused at its line.
    """
    has_count = frame["estimated_number"].notna() | frame["estimated_number_note"].notna()
    has_prevalence = frame[prevalence].notna()
    odd = has_count != has_prevalence
    if odd.any():
        idx = int(odd.to_numpy().nonzero()[0][0])
        column, what = (("estimated_number", "a count but no prevalence") if has_count.iloc[idx]
                        else (prevalence, "a prevalence but no count"))
        raise RawDataError(file, f"{frame['country'].iloc[idx]!r} has {what}: give both (an "
                           "estimate) or neither", line=idx + 2, column=column)


def _population(raw: pd.DataFrame) -> pd.Series:
    """Population in persons (the 2023 workbook's 0, 'not given', is already NA: see read_raw)."""
    return raw["population"].astype("Int64")


def _clean_2023(raw: pd.DataFrame) -> pd.DataFrame:
    out = raw.copy()
    out["estimated_number_note"] = pd.Series(pd.NA, index=raw.index, dtype="string")
    out["region_as_published"] = raw["region"]
    out["credit_rating"] = pd.Series(pd.NA, index=raw.index, dtype="string")
    return out


def _clean_2018(raw: pd.DataFrame, file: str) -> pd.DataFrame:
    out = raw.rename(columns={"vuln_nourishment_access": "vuln_basic_needs"})
    out["estimated_number"], out["estimated_number_note"] = parse_counts(
        raw["estimated_number"], file, "estimated_number")
    out["region_as_published"] = raw["region"]
    return out


def _clean_2016(raw: pd.DataFrame, file: str, unit: str,
                region_labels: dict[str, str]) -> pd.DataFrame:
    out = raw.copy()
    dummies = list(region_labels)
    flags = raw[dummies].astype(int)
    counts = flags.sum(axis=1)
    if (counts != 1).any():
        idx = int(counts.index[counts != 1][0])
        raise RawDataError(file, "exactly one region column must be 1", line=idx + 2,
                           column=",".join(dummies))
    labels = np.array([region_labels[c] for c in dummies])
    out["region_as_published"] = pd.Series(labels[flags.to_numpy().argmax(axis=1)],
                                           index=raw.index, dtype="string")
    out["prevalence_per_1000"] = to_per_1000(raw["prevalence_pct"], unit)
    out["estimated_number_note"] = pd.Series(pd.NA, index=raw.index, dtype="string")
    out["vulnerability_total"] = raw["vulnerability_mean"]
    for col in VULNERABILITY_DIMENSIONS:
        out[col] = pd.Series(pd.NA, index=raw.index, dtype="Float64")
    for raw_col, col in _RAW_2016_DIMENSIONS.items():
        out[col] = raw[raw_col]
    out["region"] = pd.Series(pd.NA, index=raw.index, dtype="string")  # filled from later editions
    # The 2016 table has a rank of 0 and no scores for countries it did not assess.
    return out


def clean_edition(edition: int, paths: ProjectPaths | None = None,
                  codes: dict[str, str] | None = None,
                  reference: dict[str, tuple[int, int]] | None = None) -> pd.DataFrame:
    """Load, check and clean one GSI edition into the common layout (:data:`COLUMNS`).

    Checks, each stopping at the file, line and column at fault: the schema and
    bounds of the manifest, a count with every prevalence and none without, each
    count against prevalence x population, a code for every name, and each
    population against UN WPP 2019 (``reference``, see :mod:`.population`).
    """
    paths = paths or project_paths()
    if edition not in RAW_FILES:
        raise ValueError(f"unknown GSI edition {edition!r}; choose one of {list(EDITIONS)}")
    file = RAW_FILES[edition]
    raw = read_raw(file, paths)
    entry = load_manifest(paths)[file]
    prevalence_col = "prevalence_pct" if edition == 2016 else "prevalence_per_1000"
    unit = entry.column(prevalence_col).unit
    if edition == 2016:
        labels = {c.name: c.published_header for c in entry.columns if c.name.startswith("region_")}
        out = _clean_2016(raw, file, unit, labels)
    elif edition == 2018:
        out = _clean_2018(raw, file)
    else:
        out = _clean_2023(raw)
    for col in VULNERABILITY_DIMENSIONS_2016:  # GSI 2016's own model; blank for the later editions
        if col not in out:
            out[col] = pd.Series(pd.NA, index=raw.index, dtype="Float64")
    out["population"] = _population(out)
    check_estimates_have_counts(out, file, prevalence_col)
    check_counts(out, file, unit, COUNT_ROUNDING[edition], prevalence_col)
    out["iso3"] = attach_iso3(raw, file, codes if codes is not None else country_codes(paths))
    check_plausible(out["population"], out["iso3"], file,
                    reference if reference is not None else un_reference(paths))
    out["edition"] = edition
    out["name_as_published"] = raw["country"]
    out["country"] = raw["country"]
    out["has_estimate"] = out["prevalence_per_1000"].notna()
    return out[COLUMNS]


def _display_names(frame: pd.DataFrame) -> pd.Series:
    """Name each country as its latest edition does (e.g. 'North Korea' from 2023)."""
    latest = frame.sort_values("edition").groupby("iso3")["name_as_published"].last()
    return frame["iso3"].map(latest).astype("string")


def _harmonised_regions(frame: pd.DataFrame) -> pd.Series:
    """Walk Free's five regions for every row, taken from the latest edition that has one.

    GSI 2016 used a different, six-region scheme; its rows get the region that
    GSI 2023 (else 2018) gives the same country, and keep their own label in
    ``region_as_published``.
    """
    known = frame.dropna(subset=["region"]).sort_values("edition").groupby("iso3")["region"].last()
    return frame["region"].fillna(frame["iso3"].map(known)).astype("string")


def country_edition_table(paths: ProjectPaths | None = None) -> pd.DataFrame:
    """All three editions stacked: one row per country and edition, sorted by ISO3 and edition.

    Every code is an ISO 3166-1 code (or a flagged user-assigned one) and no code
    appears twice in an edition.
    """
    paths = paths or project_paths()
    table = country_code_table(paths)
    codes = dict(zip(table["name"], table["iso3"]))
    reference = un_reference(paths)
    frame = pd.concat([clean_edition(e, paths, codes, reference) for e in EDITIONS], ignore_index=True)
    check_unique_codes(frame, table)
    frame["country"] = _display_names(frame)
    frame["region"] = _harmonised_regions(frame)
    frame = frame.sort_values(["iso3", "edition"], kind="mergesort").reset_index(drop=True)
    return frame


WIDE_INDICATORS = ("population", "prevalence_per_1000", "estimated_number",
                   "vulnerability_total", "govt_total_pct")


def country_wide_table(long: pd.DataFrame) -> pd.DataFrame:
    """One row per country; each indicator of :data:`WIDE_INDICATORS` in one column per edition.

    Column names are ``<indicator>_<edition>``, e.g. ``prevalence_per_1000_2018``.
    """
    wide = long.pivot(index="iso3", columns="edition", values=list(WIDE_INDICATORS))
    wide.columns = [f"{ind}_{ed}" for ind, ed in wide.columns]
    names = long.drop_duplicates("iso3").set_index("iso3")[["country", "region"]]
    out = names.join(wide).reset_index()
    return out.sort_values("iso3", kind="mergesort").reset_index(drop=True)


def no_estimate_error(long: pd.DataFrame, iso3: str, editions: list[int], why: str,
                      paths: ProjectPaths | None = None) -> RawDataError | None:
    """The error that points at the raw data when ``iso3`` lacks an estimate in ``editions``.

    ``long`` is the cleaned table; ``why`` says what needs the estimate. Returns
    None when ``iso3`` has an estimate in every one of ``editions`` (in any
    edition, if none is given). Else a :class:`RawDataError` naming
    ``country_codes.csv`` (no name has the code) or the edition's raw file, the
    country's line and the prevalence column.
    """
    from .countries import CODES_FILE

    rows = long[long["iso3"] == iso3]
    if rows.empty:
        return RawDataError(CODES_FILE, f"no country has the code {iso3!r}, but {why}: restore the "
                            "code", column="iso3")
    estimated = set(rows.loc[rows["has_estimate"].astype(bool), "edition"])
    missing = [e for e in editions if e not in estimated]
    if estimated and not missing:
        return None
    edition = missing[0] if missing else int(rows["edition"].max())
    file = RAW_FILES[edition]
    names = rows.loc[rows["edition"] == edition, "name_as_published"]
    line, column = None, "prevalence_pct" if edition == 2016 else "prevalence_per_1000"
    if not names.empty:
        published = read_raw(file, paths)["country"]
        line = int((published == names.iloc[0]).to_numpy().nonzero()[0][0]) + 2
    return RawDataError(file, f"{iso3!r} has no prevalence estimate in GSI {edition}, but {why}: "
                        "restore the estimate", line=line, column=column)
