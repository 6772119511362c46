"""Every number the paper quotes, formatted, for Quarto's ``{{< var >}}`` shortcode."""

from __future__ import annotations

from pathlib import Path

from ..data.manifest import load_manifest
from ..data.processed import read_processed
from ..paths import ProjectPaths
from ..pipeline.outputs import load_values
from ..pipeline.registry import PAPER_COUNTRY
from .formatting import number as _n
from .formatting import ordinal as _ordinal


def paper_variables(runs: dict[str, Path], paths: ProjectPaths) -> dict[str, str]:
    """Every number the paper quotes, formatted, keyed by the name used in ``{{< var >}}``.

    ``runs`` maps the names of :data:`~analysis.pipeline.registry.PAPER_RUNS` to
    their up-to-date run folders; nothing else under ``results/`` is read.
    """
    snap = load_values(runs["snapshot"])
    comp = load_values(runs["comparison"])
    sens = load_values(runs["sensitivity"])
    long = read_processed("gsi_country_edition.csv", paths)
    cmp = read_processed("regional_comparison.csv", paths).set_index(["edition", "region", "indicator"])
    tip = read_processed("tip_tiers.csv", paths)
    nk16 = long[(long["iso3"] == PAPER_COUNTRY) & (long["edition"] == 2016)].iloc[0]
    ap23 = cmp.loc[(2023, "Asia and the Pacific", "people_in_modern_slavery")]
    w23 = cmp.loc[(2023, "World", "people_in_modern_slavery")]
    ap18 = cmp.loc[(2018, "Asia and the Pacific", "prevalence_per_1000")]
    above = snap["ranked_above_by_number"]
    return {
        "nk_prev_2023": _n(snap["prevalence_per_1000"], 1),
        "nk_count_2023": _n(snap["estimated_number"]),
        "nk_pop_2023": _n(snap["population"]),
        "nk_rank_region_2023": str(snap["rank_in_region"]),
        "region_countries_2023": str(snap["countries_in_region"]),
        "region_prev_2023": _n(snap["regional_prevalence_per_1000"], 1),
        "nk_vuln_2023": _n(snap["vulnerability_total"], 1),
        "region_vuln_2023": _n(snap["vulnerability_total_regional_average"], 1),
        "nk_govt_2023": _n(snap["govt_total_pct"], 1),
        "region_govt_2023": _n(snap["govt_total_pct_regional_average"], 1),
        "countries_estimated_2023": str(snap["countries_with_estimate"]),
        "nk_vuln_widest_gap_dimension": snap["widest_vulnerability_gap_dimension"].lower(),
        "nk_vuln_widest_gap": _n(snap["widest_vulnerability_gap"], 1),
        "nk_rank_number_region_2023": _ordinal(int(snap["rank_in_region_by_number"])),
        "above_by_number_region_2023": " and ".join(above) if above else "no other country",
        "govt_negative_countries_2023": ", ".join(snap["negative_responders"]) or "none",
        "nk_prev_2018_full": f"{comp['prevalence_from']:.3f}",
        "nk_prev_2018": _n(comp["prevalence_from"], 1),
        "nk_count_2018": _n(comp["count_published_from"]),
        "nk_pop_2018": _n(comp["population_from"]),
        "nk_pop_change": _n(comp["population_to"] - comp["population_from"]),
        "nk_count_change": _n(comp["count_published_change"]),
        "nk_population_effect": _n(comp["count_population_effect"]),
        "nk_prevalence_effect": _n(comp["count_prevalence_effect"]),
        "nk_population_share": _n(100 * comp["count_population_share"], 1),
        "nk_rank_world_2018": str(comp["rank_world_from"]),
        "nk_rank_world_2023": str(comp["rank_world_to"]),
        "countries_both": str(comp["countries_in_both"]),
        "spearman_2018_2023": f"{comp['spearman_prevalence']:.2f}",
        "nk_prev_2016_pct": f"{nk16['prevalence_per_1000'] / 10:.2f}",
        "nk_prev_2016": _n(nk16["prevalence_per_1000"], 1),
        "nk_count_2016": _n(nk16["estimated_number"]),
        "nk_pop_2016": _n(nk16["population"]),
        "sens_figures": str(sens["population_figures"]),
        "sens_ref_year": str(sens["reference_year"]),
        "sens_pop_low": _n(sens["population_low"]),
        "sens_pop_high": _n(sens["population_high"]),
        "sens_count_min": _n(sens["count_min"]),
        "sens_count_max": _n(sens["count_max"]),
        "sens_prev_min": _n(sens["prevalence_at_count_min"], 1),
        "sens_prev_max": _n(sens["prevalence_at_count_max"], 1),
        "sens_draws": _n(sens["draws"]),
        "sens_seed": str(sens["seed"]),
        "sens_sd_pct": _n(100 * sens["prevalence_relative_sd"], 0),
        "sens_mc_count_low": _n(sens["mc_count_p2_5"]),
        "sens_mc_count_high": _n(sens["mc_count_p97_5"]),
        "sens_mc_prev_low": _n(sens["mc_prevalence_p2_5"], 1),
        "sens_mc_prev_high": _n(sens["mc_prevalence_p97_5"], 1),
        "sens_share_first": _n(100 * sens["mc_share_same_rank"], 1),
        "runner_up": sens["runner_up"],
        "runner_up_prev": _n(sens["runner_up_prevalence"], 1),
        "ap_2023_published": _n(ap23["published"], 1),
        "ap_2023_computed": _n(ap23["computed"], 3),
        "ap_2023_countries": str(int(ap23["countries_with_estimate"])),
        "world_2023_published": _n(w23["published"], 1),
        "world_2023_computed": _n(w23["computed"], 2),
        "ap_2018_prev_published": _n(ap18["published"], 1),
        "ap_2018_prev_computed": _n(ap18["computed"], 2),
        "tip_first": str(int(tip["report_year"].min())),
        "tip_last": str(int(tip["report_year"].max())),
        "tip_reports": str(len(tip)),
        "raw_files": str(len(load_manifest(paths))),
    }

