"""Write the paper's numbers, tables and figures into a staged copy of its Quarto project, and check it.

The paper (``paper/paper.qmd``) types no number itself. :func:`write_inputs` writes,
into the staged project:

* ``_variables.yml``: every number and name quoted in the text, escaped for
  Markdown, read by Quarto's ``{{< var name >}}`` shortcode;
* ``_generated/tables/*.md``: the tables, pulled in with ``{{< include >}}``;
* ``_generated/figures/*``: copies of the runs' figures;

all from the runs that ``paper/inputs.yml`` declares and from ``data/processed/``,
after checking every claim of the text and every number against the data.
:func:`check_rendered` checks what the renderer wrote before it is published.
"""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

from ..atomic import write_bytes, write_text
from ..errors import AnalysisError
from ..paths import ProjectPaths
from .declarations import Declarations

#: Formats of the figures copied for the paper: SVG, which both renderers draw as vectors, and PNG.
FIGURE_FORMATS = ("svg", "png")
#: Folders and files under ``paper/`` that the build writes (never inputs of the paper step).
GENERATED = ("_generated", "_output", ".quarto", "_variables.yml")
#: Relative widths of the columns of the regional tables: GSI, Region, Countries, Published, Parts,
#: Sum, Diff., the two bounds and Beyond (each wide enough for its header word).
REGIONAL_WIDTHS = [4, 15, 7, 7, 10, 7, 6, 5, 5, 5]


def paper_sources(paths: ProjectPaths) -> list[Path]:
    """The paper's source files: everything under ``paper/`` but what the build writes, hidden files
    and what a killed render may have left (``*.fallback.*``, ``*.expanded.*``)."""
    out = []
    for path in sorted(paths.paper.rglob("*")):
        parts = path.relative_to(paths.paper).parts
        if (path.is_file() and not set(parts) & set(GENERATED) and not any(p.startswith(".") for p in parts)
                and ".fallback." not in path.name and ".expanded." not in path.name):
            out.append(path)
    return out


def stage_sources(paths: ProjectPaths, project: Path) -> None:
    """Copy the paper's sources into ``project`` (the staged Quarto project)."""
    for path in paper_sources(paths):
        target = project / path.relative_to(paths.paper)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


def write_inputs(runs: dict[str, Path], declarations: Declarations, paths: ProjectPaths, project: Path,
                 renderer: str) -> list[Path]:
    """Write the paper's variables, tables and figures into the staged ``project``.

    ``runs`` maps each run of ``declarations`` to its up-to-date folder;
    ``renderer`` (``quarto`` or ``pandoc``) is named in the appendix. Checks the
    runs' key numbers against ``data/processed/`` and every claim of the text
    first. Returns the files written.
    """
    import yaml

    from .buildinfo import write_build_table
    from .claims import check_claims
    from .facts import gather
    from .formatting import Markup, escape_markdown, markdown_table
    from .render import SOURCE
    from ..analyses.regional import population_year_test
    from ..data.processed import read_processed
    from .numerals import check_prose
    from .tables import (comparison_table, country_editions_table, population_year_table, rank_table,
                         regional_table, runs_table, scenario_table, sensitivity_table, sources_table)
    from .variables import paper_variables

    facts = gather(runs, declarations, paths)
    text = (project / SOURCE).read_text(encoding="utf-8")
    check_prose(text, SOURCE)
    check_claims(facts, text)
    out = project / "_generated"
    written = []
    for name, (run, figure) in declarations.figures.items():
        for fmt in FIGURE_FORMATS:
            source = runs[run] / "figures" / f"{figure}.{fmt}"
            if not source.exists():
                raise AnalysisError(f"the paper's figure {name} needs {source.relative_to(paths.root)}, "
                                    f"which the {run} run did not write")
            written.append(out / "figures" / f"{name}.{fmt}")
            write_bytes(written[-1], source.read_bytes())
    sums = read_processed("regional_sums.csv", paths)
    tables = {
        "country_editions": (country_editions_table(facts.long, facts.country), None, [5, 3, 3, 3]),
        "comparison": (comparison_table(runs["comparison"]), None, [6, 3, 3, 3]),
        "regional_counts": (regional_table(facts.regional, "people_in_modern_slavery", sums), "llrrcrrrrl",
                            REGIONAL_WIDTHS),
        "regional_prevalence": (regional_table(facts.regional, "prevalence_per_1000", sums), "llrrcrrrrl",
                                REGIONAL_WIDTHS),
        "population_year": (population_year_table(population_year_test(
            facts.long, facts.population, facts.regional)), "lrrlrrrl", [10, 4, 4, 3, 4, 4, 3, 3]),
        "sensitivity": (sensitivity_table(facts.sensitivity), "lrrrr", [4, 2, 4, 4, 4]),
        "rank": (rank_table(facts.sensitivity), "lrrr", [5, 3, 3, 3]),
        "scenarios": (scenario_table(facts.sensitivity), "lrrrr", [6, 3, 3, 3, 3]),
        # Code columns wide enough for the longest file name and run folder, which never break.
        "sources": (sources_table(paths), "llll", [17, 10, 7, 8]),
        "runs": (runs_table(runs, declarations, paths), "lll", [19, 15, 5]),
    }
    for name, (frame, align, widths) in tables.items():
        written.append(out / "tables" / f"{name}.md")
        write_text(written[-1], markdown_table(frame, align, widths))
    written.append(write_build_table(paths, renderer, project))
    variables = {key: str(value) if isinstance(value, Markup) else escape_markdown(value)
                 for key, value in paper_variables(facts, paths).items()}
    written.append(project / "_variables.yml")
    header = "# Written by `python -m analysis paper` from the paper's runs and data/processed/.\n"
    write_text(written[-1], header + yaml.safe_dump(variables, sort_keys=True, allow_unicode=True))
    return written


class _Title(HTMLParser):
    """Collects the text of an HTML document's ``<title>`` and counts its elements."""

    def __init__(self) -> None:
        super().__init__()
        self.title, self.elements, self._in_title = "", 0, False

    def handle_starttag(self, tag: str, attrs) -> None:
        self.elements += 1
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def check_rendered(html: Path, pdf: Path, title: str) -> None:
    """Refuse output a renderer wrote but a reader could not use.

    The HTML must parse and carry the paper's ``title`` in its ``<title>``; the
    PDF must be a PDF with at least one page. Raises :class:`AnalysisError`
    naming the file and what is wrong with it.
    """
    parser = _Title()
    try:
        parser.feed(html.read_text(encoding="utf-8"))
        parser.close()
    except (UnicodeDecodeError, ValueError) as exc:
        raise AnalysisError(f"the renderer wrote {html.name}, which is not HTML text ({exc})") from None
    if parser.elements < 10 or " ".join(title.split()) not in " ".join(parser.title.split()):
        raise AnalysisError(f"the renderer wrote {html.name}, which is not the paper: its title is "
                            f"{parser.title.strip()[:60]!r}, not {title[:60]!r}")
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        pages = len(PdfReader(str(pdf)).pages)
    except (PdfReadError, ValueError, OSError) as exc:
        raise AnalysisError(f"the renderer wrote {pdf.name}, which is not a readable PDF "
                            f"({' '.join(str(exc).split())[:80]})") from None
    if pages < 1:
        raise AnalysisError(f"the renderer wrote {pdf.name}, a PDF with no pages")
