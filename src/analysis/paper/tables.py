"""The paper's tables, as formatted text frames, from the runs' outputs and data/processed."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..data.manifest import load_manifest
from ..data.processed import read_processed
from ..paths import ProjectPaths
from ..pipeline.runner import DEFAULT_RUNS, read_stamp, resolve
from .formatting import breakable as _breakable
from .formatting import grouped as _grouped
from .formatting import number as _n


def _nk_editions_table(long: pd.DataFrame) -> pd.DataFrame:
    nk = long[long["iso3"] == "PRK"].set_index("edition")
    rows = [("Name as published", lambda r: r["name_as_published"]),
            ("Population (persons)", lambda r: _n(r["population"])),
            ("Prevalence (per 1,000)", lambda r: _n(r["prevalence_per_1000"], 1)),
            ("People in modern slavery", lambda r: _n(r["estimated_number"])),
            ("Vulnerability, total (0-100)", lambda r: _n(r["vulnerability_total"], 1)),
            ("Government response, total (%)", lambda r: _n(r["govt_total_pct"], 1))]
    return pd.DataFrame({"Measure": [label for label, _ in rows],
                         **{f"GSI {e}": [f(nk.loc[e]) for _, f in rows] for e in sorted(nk.index)}})


def _comparison_table(paths: ProjectPaths) -> pd.DataFrame:
    table = pd.read_csv(paths.tables / "comparison_PRK_2018_2023.csv")
    decimals = {"prevalence_per_1000": 3, "vulnerability_total": 1, "govt_total_pct": 1}
    out = pd.DataFrame({"Measure": table["label"]})
    for col in ("2018", "2023", "change"):
        out[col.capitalize() if col == "change" else f"GSI {col}"] = [
            _n(v, decimals.get(m, 0)) for m, v in zip(table["measure"], table[col])]
    return out


def _regional_table(long: pd.DataFrame, paths: ProjectPaths) -> pd.DataFrame:
    cmp = read_processed("regional_comparison.csv", paths)
    label = {"people_in_modern_slavery": "People (millions)", "prevalence_per_1000": "Per 1,000"}
    return pd.DataFrame({
        "Edition": cmp["edition"].astype(str), "Region": cmp["region"],
        "Measure": cmp["indicator"].map(label),
        "Countries": cmp["countries_with_estimate"].astype(int).astype(str),
        "Published": [_n(v, 1) for v in cmp["published"]],
        "Sum of countries": [_n(v, 3 if i == "people_in_modern_slavery" else 2)
                             for v, i in zip(cmp["computed"], cmp["indicator"])],
        "Difference": [_n(v, 3 if i == "people_in_modern_slavery" else 2)
                       for v, i in zip(cmp["difference"], cmp["indicator"])],
    })


def _sensitivity_table(values: dict) -> pd.DataFrame:
    return pd.DataFrame({
        "Quantity": ["People in modern slavery", "Prevalence (per 1,000)"],
        "Published": [_n(values["estimated_number"]), _n(values["prevalence_per_1000"], 1)],
        "Range over population figures": [
            f"{_n(values['count_min'])} to {_n(values['count_max'])}",
            f"{_n(values['prevalence_at_count_min'], 1)} to {_n(values['prevalence_at_count_max'], 1)}"],
        "Monte Carlo 95% band": [
            f"{_n(values['mc_count_p2_5'])} to {_n(values['mc_count_p97_5'])}",
            f"{_n(values['mc_prevalence_p2_5'], 1)} to {_n(values['mc_prevalence_p97_5'], 1)}"],
    })


def _sources_table(paths: ProjectPaths) -> pd.DataFrame:
    rows = []
    for name, entry in sorted(load_manifest(paths).items()):
        rows.append({"Raw file (data/raw/)": _breakable(name),
                     "Publisher and edition": f"{entry.citation['publisher']}; {entry.citation['edition']}",
                     "Licence": entry.extra.get("licence_short", entry.citation["licence"]),
                     "sha256": _grouped(entry.sha256)})
    return pd.DataFrame(rows)


def _outputs_table(paths: ProjectPaths) -> pd.DataFrame:
    rows = []
    for name, given in DEFAULT_RUNS:
        spec, params = resolve(name, given, paths)
        shown = ", ".join(f"{k} = {v!r}" for k, v in sorted(params.items()))
        kinds: dict[str, list[str]] = {}
        for output in read_stamp(name, params, paths)["outputs"]:
            path = Path(output)
            if path.suffix != ".json":
                kinds.setdefault(path.stem, []).append(path.suffix.lstrip("."))
        for stem, exts in sorted(kinds.items()):
            rows.append({"Output": _breakable(stem), "Files": " ".join(sorted(exts)),
                         "Notebook": _breakable(spec.file), "Parameters": shown})
    return pd.DataFrame(rows)

