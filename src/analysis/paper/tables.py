"""The paper's tables, as frames of formatted text, from the declared runs and data/processed."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..analyses.sensitivity import SensitivityResult
from ..build.fingerprints import relative
from ..build.step import read_record
from ..data.manifest import load_manifest
from ..paths import ProjectPaths
from ..analyses.sensitivity import TOP_N
from .declarations import Declarations
from .formatting import Markup, as_stored, grouped, number, number_word, share_text, to_thousand

#: Decimals of the prevalences (per 1,000) in the paper's tables.
PREVALENCE_DECIMALS = 3


def country_editions_table(long: pd.DataFrame, iso3: str) -> pd.DataFrame:
    """One country in every GSI edition: name, population, prevalence, count, scores."""
    rows = long[long["iso3"] == iso3].set_index("edition")
    measures = [("Name as published", lambda r: r["name_as_published"]),
                ("Population (persons)", lambda r: number(r["population"])),
                ("Prevalence (per 1,000)",
                 lambda r: as_stored(r["prevalence_per_1000"], PREVALENCE_DECIMALS)),
                ("People in modern slavery", lambda r: number(r["estimated_number"])),
                ("Vulnerability, total (0 to 100)", lambda r: number(r["vulnerability_total"], 1)),
                ("Government response, total (%)", lambda r: number(r["govt_total_pct"], 1))]
    return pd.DataFrame({"Measure": [label for label, _ in measures],
                         **{f"GSI {e}": [f(rows.loc[e]) for _, f in measures] for e in sorted(rows.index)}})


def comparison_table(run: Path) -> pd.DataFrame:
    """The side-by-side table of an edition-comparison run (its ``tables/side_by_side.csv``)."""
    table = pd.read_csv(run / "tables" / "side_by_side.csv")
    editions = [c for c in table.columns if c.isdigit()]
    decimals = {"prevalence_per_1000": PREVALENCE_DECIMALS, "vulnerability_total": 1, "govt_total_pct": 1}
    out = pd.DataFrame({"Measure": table["label"]})
    for col in (*editions, "change"):
        out["Change" if col == "change" else f"GSI {col}"] = [
            as_stored(v, PREVALENCE_DECIMALS) if m == "prevalence_per_1000" else number(v, decimals.get(m, 0))
            for m, v in zip(table["measure"], table[col])]
    return out


def _beyond(once: object, parts: object) -> str:
    """'both', 'once' or 'no': the readings of a published total under which a difference exceeds rounding."""
    if not bool(once):
        return "no"
    return "both" if not pd.isna(parts) and bool(parts) else "once"


def regional_table(comparison: pd.DataFrame, indicator: str, sums: pd.DataFrame) -> pd.DataFrame:
    """Published regional figures of one ``indicator`` beside the sums of the country estimates.

    ``comparison`` is ``regional_comparison.csv``; ``indicator`` is
    ``people_in_modern_slavery`` (millions) or ``prevalence_per_1000``;
    ``sums`` is ``regional_sums.csv``, for the countries whose count was printed
    '<1,000' (given in brackets after the countries with an estimate: in the
    denominator, not the numerator). The
    rounding bound is how far apart rounding alone can put the two, for a
    published total rounded once and, where the sources print its forced-labour
    and forced-marriage parts, for a total added from those parts rounded.
    """
    cmp = comparison[comparison["indicator"] == indicator]
    counts = indicator == "people_in_modern_slavery"
    decimals = 3 if counts else 2
    below = (sums.set_index(["edition", "region"])["counts_below_1000"]
             .reindex(list(zip(cmp["edition"], cmp["region"]))).fillna(0).astype(int).tolist())
    from .variables import printed
    parts = ["\u2013" if pd.isna(row["forced_labour"]) or pd.isna(row["forced_marriage"])
             else f"{printed(row, 'forced_labour')} + {printed(row, 'forced_marriage')}"
             for _, row in cmp.iterrows()]
    return pd.DataFrame({
        "GSI": cmp["edition"].astype(str), "Region": cmp["region"],
        "Countries": [f"{int(n)} ({b})" if b else str(int(n))
                      for n, b in zip(cmp["countries_with_estimate"], below)],
        "Published": [printed(row) for _, row in cmp.iterrows()],
        "Parts": parts,
        "Sum" if counts else "Computed": [number(v, decimals) for v in cmp["computed"]],
        "Diff.": [number(v, decimals) for v in cmp["difference"]],
        "Bound, once": [number(v, decimals) for v in cmp["rounding_bound"]],
        "Bound, parts": ["\u2013" if pd.isna(v) else number(v, decimals)
                         for v in cmp["rounding_bound_parts"]],
        "Beyond": [_beyond(a, b) for a, b in zip(cmp["beyond_rounding"], cmp["beyond_rounding_parts"])],
    })


def population_year_table(test: pd.DataFrame) -> pd.DataFrame:
    """The population-year test of :func:`analysis.analyses.regional.population_year_test` (per 1,000)."""
    return pd.DataFrame({
        "Region": test["region"], "Published": [number(v, 1) for v in test["published"]],
        "Computed": [number(v, 2) for v in test["computed"]],
        "Beyond": ["yes" if b else "no" for b in test["beyond_rounding"]],
        "Moved a year": [number(v, 2) for v in test["computed_advanced"]],
        "Growth (%)": [number(100 * (v - 1), 2) for v in test["population_growth"]],
        "Bound": [number(v, 2) for v in test["rounding_bound_advanced"]],
        "Beyond after": ["yes" if b else "no" for b in test["beyond_advanced"]],
    })


def scenario_table(values: SensitivityResult) -> pd.DataFrame:
    """The error scenarios of a sensitivity run: share of draws first, and the closed form (per cent)."""
    names = {"independent": "Independent, equal relative errors",
             "correlated": "Errors with a common part",
             "older_estimate": "Larger error for the country alone"}
    rows = {k: values.error_scenarios[k] for k in names if k in values.error_scenarios}
    return pd.DataFrame({
        "Assumption": [names[k] for k in rows],
        "Correlation": [number(v.correlation, 1) for v in rows.values()],
        "Own sd factor": [number(v.own_sd_factor, 0) for v in rows.values()],
        "Comes top (% of draws)": [share_text(v.share_first) for v in rows.values()],
        "Closed form (%)": [share_text(v.closed_form_vs_runner_up) for v in rows.values()],
    })


def sensitivity_table(values: SensitivityResult) -> pd.DataFrame:
    """Published count and prevalence beside their ranges over like-for-like population figures
    and the Monte Carlo bands (counts rounded to the thousand)."""
    years = " and ".join(str(y) for y in values.years)
    return pd.DataFrame({
        "Quantity": ["People in modern slavery", "Prevalence (per 1,000)"],
        "Published": [number(values.estimated_number), number(values.prevalence_per_1000, 1)],
        f"Range over the {values.figures} figures for {years}": [
            f"{to_thousand(values.count_min)} to {to_thousand(values.count_max)}",
            f"{number(values.prevalence_at_count_min, 1)} to "
            f"{number(values.prevalence_at_count_max, 1)}"],
        "Monte Carlo 95% band, population alone uncertain": [
            f"{to_thousand(values.population_only_count_p2_5)} to "
            f"{to_thousand(values.population_only_count_p97_5)}", "(held fixed)"],
        "Monte Carlo 95% band, population and prevalence "
        f"(sd {number(100 * values.prevalence_relative_sd)}%) uncertain": [
            f"{to_thousand(values.band_count_p2_5)} to {to_thousand(values.band_count_p97_5)}",
            "(the assumed distribution)"],
    })


def rank_table(values: SensitivityResult) -> pd.DataFrame:
    """Share of Monte Carlo draws ranking first and in the top three, by assumed relative sd (per cent)."""
    return pd.DataFrame({
        "Assumed relative standard deviation (every country)": [
            f"{number(100 * sd)}%" for sd in values.rank_relative_sds],
        "Comes top (% of draws)": [share_text(s) for s in values.rank_share_first],
        f"In the top {number_word(TOP_N)} (% of draws)": [share_text(s) for s in values.rank_share_top_3],
        f"Closed form, above {values.runner_up} (%)": [share_text(s) for s in values.rank_closed_form_first],
    })


def sources_table(paths: ProjectPaths) -> pd.DataFrame:
    """Every raw file with its publisher, edition, licence and sha256 (from ``MANIFEST.yaml``).

    A file edited since it was extracted (``python -m analysis rehash``) is
    flagged: it no longer holds what its cited source gives.
    """
    from ..data.manifest import rehashed_files

    edited = set(rehashed_files(paths))
    rows = []
    for name, entry in sorted(load_manifest(paths).items()):
        flag = " **(edited since extraction: differs from its cited source)**" if name in edited else ""
        rows.append({"Raw file (data/raw/)": Markup(f"`{name}`" + flag),
                     "Publisher and edition": f"{entry.citation['publisher']}; {entry.citation['edition']}",
                     "Licence": entry.extra.get("licence_short", entry.citation["licence"]),
                     "sha256": grouped(entry.sha256)})
    return pd.DataFrame(rows)


def figure_references(declarations: Declarations, run: str) -> list[str]:
    """Cross-references (``@fig-...``) to the paper's figures that the run ``run`` made, in the paper's order.

    A figure declared as ``snapshot_map`` is ``{#fig-snapshot-map}`` in ``paper.qmd``; the
    renderers print each reference as its number ("Figure 1").
    """
    return [f"@fig-{name.replace('_', '-')}" for name, (key, _) in declarations.figures.items() if key == run]


def runs_table(runs: dict[str, Path], declarations: Declarations, paths: ProjectPaths) -> pd.DataFrame:
    """The runs behind the paper: folder (notebook and run id), parameters as recorded, figures used."""
    rows = []
    for key, folder in runs.items():
        record = read_record(folder / "record.json") or {}
        params = record.get("parameters", {})
        shown = "; ".join(f"`{k} = {v!r}`" for k, v in sorted(params.items()))
        used = figure_references(declarations, key)
        shown_folder = relative(folder, paths).removeprefix("results/runs/")
        rows.append({"Run (notebook/run id)": Markup(f"`{shown_folder}`"),
                     "Parameters (from the run's record)": Markup(shown),
                     "Paper figures": Markup(", ".join(used)) if used else "key numbers and tables"})
    return pd.DataFrame(rows)
