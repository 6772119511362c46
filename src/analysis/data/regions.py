"""Regional totals computed from the country estimates, set beside the published ones.

The sums cover only countries with an estimate, so they need not equal the
published regional figures (which come from the regional survey models). The
differences are reported, not hidden.
"""

from __future__ import annotations

import pandas as pd

from ..paths import ProjectPaths
from .raw_io import read_raw

PUBLISHED_FILE = "published_regional_estimates.csv"
WORLD = "World"


def regional_sums(long: pd.DataFrame) -> pd.DataFrame:
    """Sum the country estimates by edition and region (plus ``World``).

    Returns one row per edition and region with ``countries`` (number with an
    estimate), ``counts_below_1000`` (of those, printed as '<1,000' rather than a
    number), ``people`` (sum of their estimated numbers, persons; '<1,000'
    counts excluded), ``population`` (persons, of those whose population is
    known) and ``prevalence_per_1000`` (people in those countries / population
    x 1,000).
    """
    rows = long[long["has_estimate"]].assign(
        population_known=lambda d: d["population"].notna(),
        people_with_population=lambda d: d["estimated_number"].where(d["population"].notna()),
        below_1000=lambda d: d["estimated_number_note"].notna())
    frames = []
    for by in (["edition"], ["edition", "region"]):
        agg = rows.groupby(by).agg(
            countries=("iso3", "size"), countries_with_population=("population_known", "sum"),
            population=("population", "sum"), people=("estimated_number", "sum"),
            people_with_population=("people_with_population", "sum"),
            counts_below_1000=("below_1000", "sum")).reset_index()
        if "region" not in by:
            agg["region"] = WORLD
        frames.append(agg)
    out = pd.concat(frames, ignore_index=True)
    # Prevalence only over the countries whose population is known (Kosovo 2023 has none).
    out["prevalence_per_1000"] = out["people_with_population"] / out["population"] * 1000
    out = out[["edition", "region", "countries", "countries_with_population", "counts_below_1000",
               "population", "people", "people_with_population", "prevalence_per_1000"]]
    return out.sort_values(["edition", "region"], kind="mergesort").reset_index(drop=True)


def published_regional(paths: ProjectPaths | None = None) -> pd.DataFrame:
    """The published regional and world figures (people in millions, prevalence per 1,000)."""
    return read_raw(PUBLISHED_FILE, paths)


def half_unit(decimals: int) -> float:
    """Half a unit of the last digit of a figure printed with ``decimals`` decimals (45.8 or 4.0 -> 0.05,
    22 -> 0.5), in the figure's own unit: the rounding bound of the figure as printed."""
    return 0.5 * 10 ** -int(decimals)


#: Each published total, and its two parts in the Global Estimates of Modern Slavery
#: (forced labour, forced marriage), as ``published_regional_estimates.csv`` names them.
PARTS = {"people_in_modern_slavery": ("people_in_forced_labour", "people_in_forced_marriage"),
         "prevalence_per_1000": ("forced_labour_per_1000", "forced_marriage_per_1000")}


def compare_with_published(sums: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """Set each published regional total beside the same figure computed from countries.

    One row per published total (people in modern slavery, or its prevalence):
    ``basis`` ('printed', or 'derived' where no source held prints it),
    ``published`` (as printed: millions of persons or per 1,000), ``computed``
    (same unit), ``published_decimals`` (the decimals it is printed with, as
    ``published_regional_estimates.csv`` records them: 4.0 has one), ``difference`` =
    computed - published, ``relative_difference``
    = difference / published, and ``rounding_bound`` (same unit): how far apart
    rounding alone can put the two if the published figure is **one total
    rounded once**, adding half a unit of its last digit, half the rounding of
    each country's published count (:data:`~analysis.data.gsi.COUNT_ROUNDING`),
    and up to 1,000 people for each count printed as '<1,000' and left out of
    the sum (which has no rounding of its own to add). ``beyond_rounding`` is
    true where the difference is larger.

    A published total may instead be **the sum of its parts**, forced labour
    and forced marriage, each rounded before they were added. Where the sources
    print both parts (``forced_labour``, ``forced_marriage``, same unit, with their
    ``forced_labour_decimals`` and ``forced_marriage_decimals``),
    ``parts_add_up`` says whether they add up to the total as printed; where
    they do, ``rounding_bound_parts`` adds half a unit of each part's last digit
    (instead of the total's) to the same allowance for the countries, and
    ``beyond_rounding_parts`` says whether the difference is larger. These three
    are blank where the sources do not print both parts.
    """
    from .gsi import COUNT_ROUNDING

    totals = published[published["indicator"].isin(PARTS)]
    parts = (published[~published["indicator"].isin(PARTS)]
             .set_index(["edition", "region", "indicator"])[["value", "decimals"]])
    merged = totals.merge(sums, on=["edition", "region"], how="left")
    people = merged["indicator"] == "people_in_modern_slavery"
    computed = merged["prevalence_per_1000"].where(~people, merged["people"] / 1e6)
    # A count printed as '<1,000' is left out of the sum: up to 1,000 people, and no rounding of its own.
    below = merged["counts_below_1000"]
    half_count = merged["edition"].map(COUNT_ROUNDING) / 2
    count_slack = (merged["countries"] - below) * half_count + below * 1000
    slack_with_population = (merged["countries_with_population"] - below) * half_count + below * 1000
    data_slack = (count_slack / 1e6).where(people, slack_with_population / merged["population"] * 1000)
    out = pd.DataFrame({
        "edition": merged["edition"], "reference_year": merged["reference_year"],
        "region": merged["region"], "indicator": merged["indicator"], "unit": merged["unit"],
        "basis": merged["basis"], "countries_with_estimate": merged["countries"],
        "published": merged["value"], "published_decimals": merged["decimals"],
        "computed": computed.astype("Float64"),
    })
    out["difference"] = out["computed"] - out["published"]
    out["relative_difference"] = out["difference"] / out["published"]
    printed = merged["decimals"].map(half_unit)
    out["rounding_bound"] = (printed + data_slack).astype("Float64")
    out["beyond_rounding"] = out["difference"].abs() > out["rounding_bound"]

    def part(row: pd.Series, which: int) -> tuple[float, int] | tuple[None, None]:
        key = (row["edition"], row["region"], PARTS[row["indicator"]][which])
        if key not in parts.index:
            return None, None
        return float(parts.loc[key, "value"]), int(parts.loc[key, "decimals"])

    labour, labour_decimals = zip(*[part(row, 0) for _, row in merged.iterrows()])
    marriage, marriage_decimals = zip(*[part(row, 1) for _, row in merged.iterrows()])
    out["forced_labour"] = pd.array(labour, dtype="Float64")
    out["forced_labour_decimals"] = pd.array(labour_decimals, dtype="Int64")
    out["forced_marriage"] = pd.array(marriage, dtype="Float64")
    out["forced_marriage_decimals"] = pd.array(marriage_decimals, dtype="Int64")
    add_up = [None if a is None or b is None else abs(a + b - float(total)) < 1e-9
              for a, b, total in zip(labour, marriage, merged["value"])]
    out["parts_add_up"] = pd.array(add_up, dtype="boolean")
    parts_bound = [half_unit(da) + half_unit(db) + slack if ok else None
                   for da, db, slack, ok in zip(labour_decimals, marriage_decimals, data_slack, add_up)]
    out["rounding_bound_parts"] = pd.array(parts_bound, dtype="Float64")
    out["beyond_rounding_parts"] = (out["difference"].abs() > out["rounding_bound_parts"]).astype("boolean")
    return out.sort_values(["edition", "region", "indicator"], kind="mergesort").reset_index(drop=True)
