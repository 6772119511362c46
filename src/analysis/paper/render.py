"""Build the paper: write its numbers, tables and figures from the pipeline, then render.

The paper (``paper/paper.qmd``) types no number itself. This module writes

* ``paper/_variables.yml``: every number quoted in the text, read by Quarto's
  ``{{< var name >}}`` shortcode;
* ``paper/_generated/tables/*.md``: the tables, pulled in with ``{{< include >}}``;
* ``paper/_generated/figures/*.png``: copies of the notebooks' figures;

all from ``results/`` and ``data/processed/``. It then renders with Quarto when
``quarto`` is on the PATH; otherwise it expands the two shortcodes itself and
renders the same source with pandoc (from ``pypandoc-binary``) to HTML, and to
PDF through pandoc's Typst writer and the ``typst`` compiler.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import yaml

from ..atomic import write_bytes, write_text
from ..errors import AnalysisError
from ..data.manifest import load_manifest
from ..pipeline.outputs import load_values
from ..paths import ProjectPaths, project_paths
from ..data.processed import read_processed
from ..pipeline.runner import DEFAULT_RUNS, read_stamp, resolve

SOURCE = "paper.qmd"
FIGURES = {  # figure in the paper -> figure written by a notebook (default run)
    "snapshot_map": "snapshot_PRK_2023_map",
    "snapshot_prevalence": "snapshot_PRK_2023_prevalence",
    "snapshot_number": "snapshot_PRK_2023_number",
    "snapshot_vulnerability": "snapshot_PRK_2023_vulnerability",
    "snapshot_response": "snapshot_PRK_2023_response",
    "comparison_scatter": "comparison_all_2018_2023",
    "sensitivity": "sensitivity_PRK",
}


def _n(value: float, decimals: int = 0) -> str:
    """Format a number with thousands separators and a true minus sign."""
    text = f"{value:,.{decimals}f}"
    return text.replace("-", "\u2212")


def _ordinal(n: int) -> str:
    """1 -> '1st', 2 -> '2nd', 3 -> '3rd', 11 -> '11th'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def markdown_table(frame: pd.DataFrame, align: str | None = None,
                   widths: list[int] | None = None) -> str:
    """Render ``frame`` (already formatted as text) as a pipe table.

    ``align`` has one letter per column (l, r or c). ``widths`` gives relative
    column widths; pandoc reads them from the number of dashes of the rule line.
    """
    align = align or "l" + "r" * (len(frame.columns) - 1)
    widths = widths or [3] * len(frame.columns)
    rule = {"l": ":{}", "r": "{}:", "c": ":{}:"}
    lines = ["| " + " | ".join(map(str, frame.columns)) + " |",
             "|" + "|".join(rule[a].format("-" * (4 * w)) for a, w in zip(align, widths)) + "|"]
    for row in frame.itertuples(index=False):
        lines.append("| " + " | ".join(str(v).replace("|", "\\|") for v in row) + " |")
    return "\n".join(lines) + "\n"


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


def _breakable(name: str) -> str:
    """Code-formatted ``name`` that may break after underscores (zero-width spaces), for narrow columns."""
    return "`" + name.replace("_", "_\u200b") + "`"


def _grouped(digest: str, size: int = 16) -> str:
    return " ".join(f"`{digest[i:i + size]}`" for i in range(0, len(digest), size))


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


def paper_variables(paths: ProjectPaths) -> dict[str, str]:
    """Every number the paper quotes, formatted, keyed by the name used in ``{{< var >}}``."""
    snap = load_values("snapshot_PRK_2023", paths)
    comp = load_values("comparison_PRK_2018_2023", paths)
    sens = load_values("sensitivity_PRK", paths)
    long = read_processed("gsi_country_edition.csv", paths)
    cmp = read_processed("regional_comparison.csv", paths).set_index(["edition", "region", "indicator"])
    tip = read_processed("tip_tiers.csv", paths)
    nk16 = long[(long["iso3"] == "PRK") & (long["edition"] == 2016)].iloc[0]
    ap23 = cmp.loc[(2023, "Asia and the Pacific", "people_in_modern_slavery")]
    w23 = cmp.loc[(2023, "World", "people_in_modern_slavery")]
    ap18 = cmp.loc[(2018, "Asia and the Pacific", "prevalence_per_1000")]
    estimated23 = long[(long["edition"] == 2023) & long["has_estimate"]]
    negative23 = long[(long["edition"] == 2023) & (long["govt_total_pct"] < 0)]
    vulnerability = pd.read_csv(paths.tables / "snapshot_PRK_2023_vulnerability.csv")
    dims = vulnerability[vulnerability["measure"] != "vulnerability_total"]
    widest = dims.loc[dims["difference"].idxmax()]
    by_number = pd.read_csv(paths.tables / "snapshot_PRK_2023_number.csv")
    nk_by_number = by_number[by_number["is_country"]].iloc[0]
    above = by_number[by_number["rank"] < nk_by_number["rank"]]["country"].tolist()
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
        "countries_estimated_2023": str(len(estimated23)),
        "nk_vuln_widest_gap_dimension": widest["label"].lower(),
        "nk_vuln_widest_gap": _n(widest["difference"], 1),
        "nk_rank_number_region_2023": _ordinal(int(nk_by_number["rank"])),
        "above_by_number_region_2023": " and ".join(above) if above else "no other country",
        "govt_negative_countries_2023": ", ".join(sorted(negative23["country"])) or "none",
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


def write_inputs(paths: ProjectPaths | None = None) -> None:
    """Write the paper's variables, tables and figures from ``results/`` and ``data/processed/``."""
    paths = paths or project_paths()
    missing = [f"{stem}.png" for stem in FIGURES.values() if not (paths.figures / f"{stem}.png").exists()]
    if missing:
        raise AnalysisError(f"the paper needs {', '.join(missing)} in results/figures; run "
                            "`python -m analysis notebooks` first")
    long = read_processed("gsi_country_edition.csv", paths)
    out = paths.paper_generated
    for name, stem in FIGURES.items():
        write_bytes(out / "figures" / f"{name}.png", (paths.figures / f"{stem}.png").read_bytes())
    tables = {
        "nk_editions": (_nk_editions_table(long), None, [5, 3, 3, 3]),
        "comparison": (_comparison_table(paths), None, [6, 3, 3, 3]),
        "regional": (_regional_table(long, paths), "lllrrrr", [2, 4, 3, 2, 2, 3, 3]),
        "sensitivity": (_sensitivity_table(load_values("sensitivity_PRK", paths)), "lrrr", [4, 2, 4, 4]),
        "sources": (_sources_table(paths), "llll", [5, 5, 3, 6]),
        "outputs": (_outputs_table(paths), "llll", [6, 2, 5, 6]),
    }
    for name, (frame, align, widths) in tables.items():
        write_text(out / "tables" / f"{name}.md", markdown_table(frame, align, widths))
    variables = paper_variables(paths)
    write_text(paths.paper / "_variables.yml",
               "# Written by `python -m analysis paper` from results/ and data/processed/. Do not edit.\n"
               + yaml.safe_dump(variables, sort_keys=True, allow_unicode=True))


_INCLUDE = re.compile(r"^\{\{<\s*include\s+(\S+)\s*>\}\}[ \t]*$", re.MULTILINE)
_VAR = re.compile(r"\{\{<\s*var\s+([\w.-]+)\s*>\}\}")


def expand_shortcodes(text: str, paper_dir: Path, variables: dict[str, str]) -> str:
    """Do what Quarto's ``include`` and ``var`` shortcodes do, for rendering without Quarto.

    An unknown variable or a missing include file stops with an error naming it.
    """
    def include(match: re.Match) -> str:
        path = paper_dir / match.group(1)
        if not path.exists():
            raise AnalysisError(f"{SOURCE}: included file {match.group(1)} does not exist")
        return path.read_text(encoding="utf-8").rstrip("\n")

    def var(match: re.Match) -> str:
        key = match.group(1)
        if key not in variables:
            raise AnalysisError(f"{SOURCE}: variable {key!r} is not in _variables.yml")
        return str(variables[key])

    text = _INCLUDE.sub(include, text)
    text = _VAR.sub(var, text)
    left = re.search(r"\{\{<.*?>\}\}", text)
    if left:
        raise AnalysisError(f"{SOURCE}: shortcode {left.group(0)} is not supported without Quarto")
    return text


def _render_with_pandoc(paths: ProjectPaths) -> list[Path]:
    import pypandoc
    import typst

    paper = paths.paper
    variables = yaml.safe_load((paper / "_variables.yml").read_text(encoding="utf-8"))
    text = expand_shortcodes((paper / SOURCE).read_text(encoding="utf-8"), paper, variables)
    common = ["--lua-filter", str(paper / "filters" / "crossref-fallback.lua"), "--citeproc",
              "--bibliography", str(paper / "references.bib"), "--resource-path", str(paper),
              "--metadata", "link-citations=true"]
    out = paths.paper_output
    out.mkdir(parents=True, exist_ok=True)
    html = pypandoc.convert_text(text, "html5", format="markdown", extra_args=[
        *common, "--standalone", "--embed-resources", "--toc", "--number-sections",
        "--css", str(paper / "fallback.css")], cworkdir=str(paper))
    write_text(out / "paper.html", html)
    typ_source = pypandoc.convert_text(text, "typst", format="markdown", extra_args=[
        *common, "--standalone", "--number-sections"], cworkdir=str(paper))
    typ = paper / "paper.fallback.typ"  # beside paper.qmd, so that figure paths resolve
    write_text(typ, typ_source)
    try:
        pdf = typst.compile(str(typ), root=str(paper))
    finally:
        typ.unlink(missing_ok=True)
    write_bytes(out / "paper.pdf", pdf)
    return [out / "paper.html", out / "paper.pdf"]


def _render_with_quarto(paths: ProjectPaths, quarto: str) -> list[Path]:
    subprocess.run([quarto, "render", str(paths.paper)], check=True)
    return sorted(paths.paper_output.glob("paper.*"))


def build_paper(engine: str = "auto", paths: ProjectPaths | None = None) -> list[Path]:
    """Write the paper's inputs and render it; ``engine`` is ``auto``, ``quarto`` or ``pandoc``.

    ``auto`` uses Quarto when it is on the PATH and pandoc + Typst otherwise, and
    says which it took.
    """
    paths = paths or project_paths()
    write_inputs(paths)
    quarto = shutil.which("quarto")
    if engine == "quarto" and not quarto:
        raise AnalysisError("engine 'quarto' asked for, but quarto is not on the PATH; install "
                            "it (conda env create -f environment.yml) or use --engine pandoc")
    if engine in ("auto", "quarto") and quarto:
        print(f"rendering with Quarto ({quarto})")
        files = _render_with_quarto(paths, quarto)
    else:
        print("Quarto not found: rendering paper.qmd with pandoc (pypandoc-binary) to HTML, "
              "and with pandoc's Typst writer and typst to PDF")
        files = _render_with_pandoc(paths)
    for path in files:
        print(f"wrote {path.relative_to(paths.root)}")
    return files

