"""Compare a rebuild's results with the reference: one verdict per exhibit, per run output, per file.

Verdicts, from best to worst:

* ``identical bytes``: the file is byte for byte the reference's;
* ``same numbers``: the bytes differ, but every value agrees within the
  tolerance of :mod:`analysis.replication.numbers`;
* ``same picture``: a figure whose pixels are identical, or within the pixel
  tolerance of :mod:`analysis.replication.pixels`, and whose numbers agree;
* ``differs only in pixels``: a figure drawn differently (beyond the pixel
  tolerance) from numbers that agree;
* ``environment``: the paper's table of the software that built it differs,
  as it must in another environment; not a result;
* ``not compared``: the paper's HTML and PDF, rendered by another renderer than
  the reference's; their numbers are compared all the same;
* ``different``: a value differs (each one is named, with the reference's value,
  the new one and where the paper shows it), or an exhibit was not built.

Other files (executed notebooks, SVG figures, copies) are ``identical bytes``,
``other bytes`` or ``missing``. Only ``different`` and ``missing`` fail a
reproduction; :attr:`Comparison.strict_failures`
also counts any file whose bytes differ, for a rebuild in the reference's own
environment (CI).
"""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass, field

from ..paths import ProjectPaths
from . import pixels
from .declarations import ENVIRONMENT_TABLES, FIGURE_DATA, TABLE_SOURCES, paper_declarations, run_of_notebook
from .exhibits import paper_exhibits, variable_places
from .numbers import agree
from .results import BUILD_TABLE, PAPER_HTML, Results
from .text import numbers_in

IDENTICAL, SAME_NUMBERS, SAME_PICTURE, PIXELS_ONLY = (
    "identical bytes", "same numbers", "same picture", "differs only in pixels")
ENVIRONMENT, NOT_COMPARED, DIFFERENT = "environment", "not compared", "different"
#: Statuses of files that hold no exhibit (notebooks, SVG files, copies): compared by their bytes.
OTHER_BYTES, MISSING = "other bytes", "missing"
VARIABLES = "paper/_variables.yml"
#: The renderer's lines of the paper's build table: the paper's bytes are compared only when they agree.
RENDERER_KEYS = ("Renderer", "Quarto", "pandoc", "Typst")


@dataclass(frozen=True)
class Difference:
    """One value that differs: its name, the reference's value, the new one, where the paper shows it."""

    item: str
    reference: str | None
    new: str | None
    where: str


@dataclass
class Verdict:
    """The verdict on one exhibit or file."""

    subject: str  # "Table 2", "Figure 4", a variable's name, or a file's path
    status: str
    detail: str = ""
    label: str = ""  # the cross-reference label or the file, for the reader
    differences: list[Difference] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        """True when a value differs or an output is missing."""
        return self.status in (DIFFERENT, MISSING)


@dataclass
class Comparison:
    """Every verdict of one comparison of a rebuild with the reference."""

    tables: list[Verdict]
    figures: list[Verdict]
    text_numbers: list[Verdict]
    paper_text: Verdict
    documents: list[Verdict]
    run_outputs: list[Verdict]
    files: list[Verdict]
    environment_reference: dict[str, str]
    environment_new: dict[str, str]
    values_compared: int

    def exhibits(self) -> list[Verdict]:
        """The verdicts on the paper's exhibits: tables, figures, numbers of the text, its text."""
        return [*self.tables, *self.figures, *self.text_numbers, self.paper_text]

    def failures(self) -> list[Verdict]:
        """Every verdict ``different``."""
        return [v for v in [*self.exhibits(), *self.documents, *self.run_outputs, *self.files] if v.failed]

    @property
    def numbers_reproduced(self) -> bool:
        """True when every number, of the exhibits and of the runs' outputs, agrees with the reference."""
        return not self.failures()

    def strict_failures(self) -> list[Verdict]:
        """Every verdict other than ``identical bytes``, of the exhibits and of every file."""
        return [v for v in [*self.exhibits(), *self.documents, *self.run_outputs, *self.files]
                if v.status != IDENTICAL]

    def figures_pixels_only(self) -> list[Verdict]:
        """Figures whose numbers agree but whose pixels do not match byte for byte."""
        return [v for v in self.figures if v.status in (SAME_PICTURE, PIXELS_ONLY)
                and not v.detail.startswith("identical pixels")]


def _value_differences(reference: dict[str, str] | None, new: dict[str, str] | None,
                       where) -> list[Difference]:
    reference, new = reference or {}, new or {}
    out = []
    for item in [*reference, *(k for k in new if k not in reference)]:
        a, b = reference.get(item), new.get(item)
        if a is None or b is None or not agree(a, b):
            out.append(Difference(item, a, b, where(item)))
    return out


def _values_verdict(subject: str, path: str, ref: Results, new: Results, where, label: str = "",
                    environment: bool = False) -> Verdict:
    if path not in new.files:
        return Verdict(subject, DIFFERENT, f"{path} was not built", label,
                       [Difference(path, "present", None, where(""))])
    if ref.files.get(path) == new.files[path]:
        return Verdict(subject, IDENTICAL, "", label)
    differences = _value_differences(ref.values.get(path), new.values.get(path), where)
    if environment and differences:
        return Verdict(subject, ENVIRONMENT, "describes the software that built the paper, not a result",
                       label, differences)
    if differences:
        return Verdict(subject, DIFFERENT, f"{len(differences)} values differ", label, differences)
    return Verdict(subject, SAME_NUMBERS, "other bytes, every value within the tolerance", label)


def _run_folders(results: Results) -> dict[str, str]:
    """``{notebook: results/runs/<notebook>/<run id>}`` of the runs in ``results``."""
    return {path.split("/")[2]: "/".join(path.split("/")[:4])
            for path in results.files if path.startswith("results/runs/")}


def _same_renderer(ref: Results, new: Results) -> bool:
    return all(ref.environment.get(k) == new.environment.get(k) for k in RENDERER_KEYS)


def renderer_name(environment: dict[str, str]) -> str:
    """The renderer of a build, as its build table names it: ``Quarto 1.7.34``, or the fallback."""
    renderer = environment.get("Renderer", "unknown")
    quarto = environment.get("Quarto")
    return f"Quarto {quarto}" if renderer.startswith("Quarto") and quarto else renderer


def _without_build_table(lines: list[str], results: Results) -> list[str]:
    labels = {item.split(" | ")[0].split("=", 1)[1].strip("`")
              for item in results.values.get(BUILD_TABLE, {})}
    return [line for line in lines if not (line.count(" | ") == 1 and line.split(" | ")[0] in labels)]


def _text_verdict(ref: Results, new: Results) -> Verdict:
    subject, label = "The paper's text", PAPER_HTML
    if not new.text:
        return Verdict(subject, DIFFERENT, "the paper was not rendered", label)
    a, b = _without_build_table(ref.text, ref), _without_build_table(new.text, new)
    numbers_a = Counter(n for line in a for n in numbers_in(line))
    numbers_b = Counter(n for line in b for n in numbers_in(line))
    changed = [Difference(f"number {n} printed in the text", str(numbers_a[n]) + " times",
                          str(numbers_b[n]) + " times", "the text of the paper")
               for n in sorted(set(numbers_a) | set(numbers_b)) if numbers_a[n] != numbers_b[n]]
    if not _same_renderer(ref, new):
        detail = (f"rendered by {renderer_name(new.environment)}, the reference by "
                  f"{renderer_name(ref.environment)}: wording and layout not compared, the numbers "
                  "printed are")
        if changed:
            return Verdict(subject, DIFFERENT, detail, label, changed)
        return Verdict(subject, SAME_NUMBERS, detail, label)
    if a == b:
        return Verdict(subject, IDENTICAL if ref.text == new.text else ENVIRONMENT,
                       "" if ref.text == new.text else "identical but for the table of the software", label)
    lines = [line for line in difflib.unified_diff(a, b, lineterm="", n=0)
             if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    detail = f"{len(lines)} lines differ: " + " / ".join(line[:120] for line in lines[:6])
    return Verdict(subject, DIFFERENT if changed else SAME_NUMBERS, detail, label, changed)


def compare(ref: Results, new: Results, paths: ProjectPaths) -> Comparison:
    """Compare the rebuild's ``new`` results with the reference ``ref`` (``paths``: the paper's source)."""
    declared = paper_declarations(paths)
    exhibits = paper_exhibits(paths)
    tables = [e for e in exhibits if e.kind == "Table"]
    figures = [e for e in exhibits if e.kind == "Figure"]
    folders_ref, folders_new = _run_folders(ref), _run_folders(new)
    run_folder = {name: folders_ref.get(run.notebook) or folders_new.get(run.notebook,
                                                                         f"results/runs/{run.notebook}/?")
                  for name, run in declared.runs.items()}

    # --- Tables of the paper, cell by cell.
    table_verdicts = []
    for t in tables:
        def where(item: str, t=t) -> str:
            row, _, column = item.rpartition(" | ")
            return f"{t.title}, row {row.split('=', 1)[-1]!r}, column {column!r}" if row else t.title
        table_verdicts.append(_values_verdict(t.title, t.generated_file, ref, new, where, f"@{t.label}",
                                              environment=t.name in ENVIRONMENT_TABLES))

    # --- Where the paper shows the numbers of each run file.
    shown_in: dict[str, list[str]] = {}
    for t in tables:
        _, run, file = TABLE_SOURCES.get(t.name, ("", None, None))
        if run and file:
            shown_in.setdefault(f"{run_folder[run]}/{file}", []).append(t.title)
    for f in figures:
        run, _ = declared.figures[f.name]
        for table in FIGURE_DATA.get(f.name, ()):
            shown_in.setdefault(f"{run_folder[run]}/tables/{table}.csv", []).append(f"plotted in {f.title}")

    # --- Run outputs: key numbers and tables.
    run_verdicts = []
    for path in sorted(set(ref.values) | set(new.values)):
        if not path.startswith("results/runs/"):
            continue
        run = run_of_notebook(declared, path.split("/")[2]) or path.split("/")[2]
        shown = "; ".join(shown_in.get(path, [])) or (
            f"a key number of the {run} run, quoted by the numbers of the text"
            if path.endswith("values.json") else f"a table of the {run} run (not printed in the paper)")
        run_verdicts.append(_values_verdict(path.removeprefix("results/runs/"), path, ref, new,
                                            lambda item, shown=shown: shown, path))

    # --- Figures: their numbers first, then their pixels.
    figure_verdicts = []
    for f in figures:
        run, name = declared.figures[f.name]
        png = f"{run_folder[run]}/figures/{name}.png"
        data = [f"{run_folder[run]}/tables/{t}.csv" for t in FIGURE_DATA.get(f.name, ())]
        data_differences = [d for v in run_verdicts if v.label in data for d in v.differences]
        label = f"@{f.label}"
        if png not in new.figures or png not in ref.figures:
            figure_verdicts.append(Verdict(f.title, DIFFERENT, f"{png} was not built", label))
        elif data_differences:
            figure_verdicts.append(Verdict(f.title, DIFFERENT, f"{len(data_differences)} values of the "
                                           "numbers it plots differ", label, data_differences))
        elif ref.files.get(png) == new.files.get(png):
            figure_verdicts.append(Verdict(f.title, IDENTICAL, "", label))
        else:
            difference = pixels.compare(ref.figures[png], new.figures[png])
            status = SAME_PICTURE if difference.within_tolerance else PIXELS_ONLY
            figure_verdicts.append(Verdict(f.title, status, difference.describe(), label))

    # --- Numbers of the text, one by one.
    places = variable_places(paths)
    ref_vars, new_vars = ref.values.get(VARIABLES, {}), new.values.get(VARIABLES, {})
    number_verdicts = []
    for name in sorted(set(places) | set(ref_vars)):
        where = ", ".join(places.get(name, ["not printed"]))
        a, b = ref_vars.get(name), new_vars.get(name)
        if a is not None and b is not None and a == b:
            number_verdicts.append(Verdict(name, IDENTICAL, a, where))
        elif a is not None and b is not None and agree(a, b):
            number_verdicts.append(Verdict(name, SAME_NUMBERS, b, where))
        else:
            number_verdicts.append(Verdict(name, DIFFERENT, "", where, [Difference(name, a, b, where)]))

    # --- The paper's documents, and every other file, by their bytes.
    same_renderer = _same_renderer(ref, new)
    documents, files = [], []
    for path in sorted(set(ref.files) | set(new.files)):
        a, b = ref.files.get(path), new.files.get(path)
        paper = path.startswith("paper/_output/paper.")
        if a == b:
            verdict = Verdict(path, IDENTICAL, "", path)
        elif path.startswith("paper/_output/") and not same_renderer:  # the renderer's files
            verdict = Verdict(path, NOT_COMPARED, f"rendered by {renderer_name(new.environment)}, "
                              f"the reference by {renderer_name(ref.environment)}", path)
        elif b is None:
            verdict = Verdict(path, MISSING, "in the reference, not in the rebuild", path)
        elif paper:
            verdict = Verdict(path, SAME_NUMBERS, "other bytes; its text is compared above", path)
        else:
            verdict = Verdict(path, OTHER_BYTES, "not in the reference" if a is None else "", path)
        (documents if paper else files).append(verdict)

    return Comparison(tables=table_verdicts, figures=figure_verdicts, text_numbers=number_verdicts,
                      paper_text=_text_verdict(ref, new), documents=documents, run_outputs=run_verdicts,
                      files=files, environment_reference=ref.environment, environment_new=new.environment,
                      values_compared=sum(len(v) for v in ref.values.values()))
