"""The replication report: a summary line, one verdict per exhibit, every differing value.

:func:`summary_line` is the line a reviewer reads first ("every exhibit
reproduced", "numbers reproduced; 7 figures differ only in pixels", or "numbers
differ: ..."); :func:`markdown_report` is the whole report, printed and written
to ``results/replication/report.md``; :func:`html_report` the same as a page
(``report.html``), rendered with Jinja2 and autoescaped. Both files are written
atomically.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..atomic import write_text
from ..paths import ProjectPaths
from .compare import IDENTICAL, PIXELS_ONLY, SAME_PICTURE, Comparison, Verdict, renderer_name
from .numbers import ABSOLUTE_TOLERANCE, RELATIVE_TOLERANCE
from .pixels import CELL_TOLERANCE, GRID, SIZE_TOLERANCE

#: Where the report is written, under the project's ``results/``.
FOLDER = "replication"

TOLERANCES = (
    f"Numbers agree when they print alike, or differ by at most {RELATIVE_TOLERANCE:g} of their value "
    f"({ABSOLUTE_TOLERANCE:g} near zero). Figures are the same picture when their decoded pixels are "
    f"identical, or when their sizes differ by at most {SIZE_TOLERANCE:.0%} and, on a {GRID} x {GRID} grid, "
    f"no cell's mean grey level differs by more than {CELL_TOLERANCE} of 255.")


@dataclass(frozen=True)
class Context:
    """What the report says beyond the comparison: the rebuild's time, renderer and where it went."""

    seconds: float
    engine: str
    strict: bool = False


def summary_line(comparison: Comparison, strict: bool = False) -> str:
    """The verdict of the whole reproduction, in one line."""
    failures = comparison.failures()
    if failures:
        values = sum(max(1, len(v.differences)) for v in failures)
        names = ", ".join(v.subject for v in failures[:8]) + (", ..." if len(failures) > 8 else "")
        return f"numbers differ: {values} values in {len(failures)} exhibits and outputs ({names})"
    exhibits = comparison.exhibits()
    if all(v.status == IDENTICAL for v in [*exhibits, *comparison.documents]):
        line = (f"every exhibit reproduced: {len(comparison.tables)} tables, {len(comparison.figures)} "
                f"figures, {len(comparison.text_numbers)} numbers of the text and the paper's text, "
                "identical byte for byte")
    else:
        pictures = comparison.figures_pixels_only()
        line = "numbers reproduced"
        if pictures:
            within = sum(v.status == SAME_PICTURE for v in pictures)
            beyond = sum(v.status == PIXELS_ONLY for v in pictures)
            noun = "figure differs" if len(pictures) == 1 else "figures differ"
            line += (f"; {len(pictures)} {noun} only in pixels ({within} within the pixel tolerance, "
                     f"{beyond} beyond it)")
        if any(v.status == "not compared" for v in comparison.documents):
            line += "; the paper's HTML and PDF come from another renderer (not compared byte for byte)"
    if strict and comparison.strict_failures():
        line += f"; strict: {len(comparison.strict_failures())} outputs are not byte-identical"
    return line


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _differences_md(verdicts: list[Verdict], limit: int | None = None) -> list[str]:
    rows = [(v, d) for v in verdicts for d in v.differences]
    if not rows:
        return []
    lines = ["| Exhibit or file | Value | Reference | This rebuild | Where the paper shows it |",
             "|---|---|---|---|---|"]
    for v, d in rows[:limit]:
        lines.append(f"| {_cell(v.subject)} | {_cell(d.item)} | {_cell(d.reference)} | {_cell(d.new)} | "
                     f"{_cell(d.where)} |")
    if limit is not None and len(rows) > limit:
        lines.append(f"| ... | {len(rows) - limit} more in results/replication/report.md | | | |")
    return lines


def _environment_md(comparison: Comparison) -> list[str]:
    keys = [*comparison.environment_reference,
            *(k for k in comparison.environment_new if k not in comparison.environment_reference)]
    lines = ["| Software | Reference | This rebuild |", "|---|---|---|"]
    for key in keys:
        a, b = comparison.environment_reference.get(key, ""), comparison.environment_new.get(key, "")
        mark = "" if a == b else " **(differs)**"
        lines.append(f"| {_cell(key)} | {_cell(a)} | {_cell(b)}{mark} |")
    return lines


def markdown_report(comparison: Comparison, context: Context, full: bool = True) -> str:
    """The report as Markdown; with ``full`` False, the shorter version printed on the terminal
    (every table and figure, the numbers of the text only where they differ, at most 40 differences)."""
    exhibits = [*comparison.tables, *comparison.figures]
    lines = ["# Replication report", "",
             f"**{summary_line(comparison, context.strict)}**", "",
             f"Rebuilt from clean in a scratch copy in {context.seconds:.0f} s (renderer: "
             f"{renderer_name(comparison.environment_new)}); "
             f"{comparison.values_compared} values of the reference compared.", "",
             f"Tolerances: {TOLERANCES}", "",
             "## Exhibits of the paper", "",
             "| Exhibit | Label | Verdict | Detail |", "|---|---|---|---|"]
    for v in exhibits:
        lines.append(f"| {v.subject} | `{v.label}` | {v.status} | {_cell(v.detail)} |")
    numbers = comparison.text_numbers
    same = sum(v.status == IDENTICAL for v in numbers)
    lines.append(f"| Numbers of the text | `_variables.yml` | {same} of {len(numbers)} identical | |")
    lines.append(f"| {comparison.paper_text.subject} | `{comparison.paper_text.label}` | "
                 f"{comparison.paper_text.status} | {_cell(comparison.paper_text.detail)} |")
    for v in comparison.documents:
        lines.append(f"| {v.subject} | | {v.status} | {_cell(v.detail)} |")
    failures = comparison.failures()
    if failures:
        lines += ["", "## Values that differ", "", *_differences_md(failures, None if full else 40)]
    if full:
        lines += ["", "## Numbers of the text", "",
                  "| Variable | Verdict | Value | Where the paper prints it |", "|---|---|---|---|"]
        for v in numbers:
            first = v.differences[0] if v.differences else None
            value = f"{first.reference} → {first.new}" if first else v.detail
            lines.append(f"| `{v.subject}` | {v.status} | {_cell(value)} | {_cell(v.label)} |")
        lines += ["", "## Outputs of the paper's runs", "", "| Output (results/runs/) | Verdict | Detail |",
                  "|---|---|---|"]
        for v in comparison.run_outputs:
            lines.append(f"| {v.subject} | {v.status} | {_cell(v.detail)} |")
        other = [v for v in comparison.files if v.status != IDENTICAL]
        identical = len(comparison.files) - len(other)
        lines += ["", "## Other files", "",
                  f"{identical} of {len(comparison.files)} other output files (data/processed, executed "
                  "notebooks, SVG figures, the paper's copies of the figures) are identical byte for byte."]
        if other:
            lines += ["", "| File | Verdict | Detail |", "|---|---|---|"]
            lines += [f"| {v.subject} | {v.status} | {_cell(v.detail)} |" for v in other]
        lines += ["", "## Software", "", *_environment_md(comparison)]
    return "\n".join(lines) + "\n"


_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Replication report</title>
<style>
body { font-family: system-ui, sans-serif; margin: 1.5rem auto; max-width: 70rem; padding: 0 1rem; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; width: 100%; }
th, td { border-bottom: 1px solid #ccc; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
td { overflow-wrap: anywhere; }
.summary { font-size: 1.15rem; font-weight: bold; padding: 0.5rem; border-left: 0.4rem solid {{ colour }}; }
.different, .missing { color: #a00; font-weight: bold; }
</style></head><body>
<h1>Replication report</h1>
<p class="summary">{{ summary }}</p>
<p>Rebuilt from clean in a scratch copy in {{ "%.0f"|format(context.seconds) }} s (renderer: {{ renderer }});
{{ comparison.values_compared }} values of the reference compared.</p>
<p>Tolerances: {{ tolerances }}</p>
<h2>Exhibits of the paper</h2>
<table><tr><th>Exhibit</th><th>Label</th><th>Verdict</th><th>Detail</th></tr>
{% for v in exhibits %}<tr><td>{{ v.subject }}</td><td><code>{{ v.label }}</code></td>
<td class="{{ v.status|replace(' ', '-') }}">{{ v.status }}</td><td>{{ v.detail }}</td></tr>
{% endfor %}</table>
{% if failures %}<h2>Values that differ</h2>
<table><tr><th>Exhibit or file</th><th>Value</th><th>Reference</th><th>This rebuild</th>
<th>Where the paper shows it</th></tr>
{% for v in failures %}{% for d in v.differences %}<tr><td>{{ v.subject }}</td><td>{{ d.item }}</td>
<td>{{ d.reference }}</td><td>{{ d.new }}</td><td>{{ d.where }}</td></tr>
{% endfor %}{% endfor %}</table>{% endif %}
<h2>Numbers of the text</h2>
<table><tr><th>Variable</th><th>Verdict</th><th>Value</th><th>Where the paper prints it</th></tr>
{% for v in comparison.text_numbers %}<tr><td><code>{{ v.subject }}</code></td>
<td class="{{ v.status|replace(' ', '-') }}">{{ v.status }}</td>
<td>{% if v.differences %}{{ v.differences[0].reference }} → {{ v.differences[0].new }}
{%- else %}{{ v.detail }}{% endif %}</td>
<td>{{ v.label }}</td></tr>
{% endfor %}</table>
<h2>Outputs of the paper's runs</h2>
<table><tr><th>Output (results/runs/)</th><th>Verdict</th><th>Detail</th></tr>
{% for v in comparison.run_outputs %}<tr><td>{{ v.subject }}</td>
<td class="{{ v.status|replace(' ', '-') }}">{{ v.status }}</td><td>{{ v.detail }}</td></tr>
{% endfor %}</table>
<h2>Other files</h2>
<p>{{ identical_files }} of {{ comparison.files|length }} other output files are identical byte for byte.</p>
{% if other_files %}<table><tr><th>File</th><th>Verdict</th><th>Detail</th></tr>
{% for v in other_files %}<tr><td>{{ v.subject }}</td><td>{{ v.status }}</td><td>{{ v.detail }}</td></tr>
{% endfor %}</table>{% endif %}
<h2>Software</h2>
<table><tr><th>Software</th><th>Reference</th><th>This rebuild</th></tr>
{% for key in software %}<tr><td>{{ key }}</td><td>{{ comparison.environment_reference.get(key, "") }}</td>
<td>{{ comparison.environment_new.get(key, "") }}</td></tr>
{% endfor %}</table>
</body></html>
"""


def html_report(comparison: Comparison, context: Context) -> str:
    """The report as a self-contained HTML page (no script, no request leaving the file)."""
    from jinja2 import Environment

    failures = comparison.failures()
    other = [v for v in comparison.files if v.status != IDENTICAL]
    software = [*comparison.environment_reference,
                *(k for k in comparison.environment_new if k not in comparison.environment_reference)]
    template = Environment(autoescape=True, keep_trailing_newline=True).from_string(_HTML)
    return template.render(summary=summary_line(comparison, context.strict), context=context,
                           comparison=comparison, tolerances=TOLERANCES,
                           exhibits=[*comparison.tables, *comparison.figures, comparison.paper_text,
                                     *comparison.documents],
                           failures=failures, other_files=other,
                           identical_files=len(comparison.files) - len(other), software=software,
                           colour="#a00" if failures else "#080",
                           renderer=renderer_name(comparison.environment_new))


def write_report(paths: ProjectPaths, comparison: Comparison, context: Context) -> list[Path]:
    """Write ``results/replication/report.md`` and ``report.html``, each atomically; return their paths."""
    folder = paths.results / FOLDER
    written = [folder / "report.md", folder / "report.html"]
    write_text(written[0], markdown_report(comparison, context))
    write_text(written[1], html_report(comparison, context))
    return written
