"""Command line: ``python -m analysis COMMAND`` (verify, data, notebooks, runs, countries, atlas, paper,
all, rehash, reference, reproduce).

Every building command goes through one executor (:mod:`analysis.build`): each
step is staged, checked and published whole, or not at all. Every failure a
user can cause ends in one line on standard error, ``error: ...``, and exit
status 2: a refused input, malformed ``-p`` parameters, a failed step (the line
says which outputs are as they were), a file that cannot be read or written.
Ctrl-C ends in one line that says what was published before it, and exit
status 130.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import textwrap
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .build.executor import RENDER_TIMEOUT
from .errors import AnalysisError, ParameterError, describe_os_error
from .paths import ProjectPaths, project_paths

#: Exit status of a refused input or a failed step.
EXIT_ERROR = 2
#: Exit status after Ctrl-C (128 + SIGINT), as a shell reports it.
EXIT_INTERRUPTED = 130


def _value(text: str) -> object:
    """A parameter value given on the command line: JSON (2018, 0.1, [0.1, 0.2], true) or else text."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def parse_parameters(given: list[list[str]] | str | None) -> dict:
    """The ``-p`` options: each a JSON object of parameters, or a name and a value as papermill takes
    them (``-p country ERI -p edition 2018``); a ParameterError says why not."""
    if not given:
        return {}
    params: dict = {}
    for option in [[given]] if isinstance(given, str) else given:
        if len(option) == 2:
            params[option[0]] = _value(option[1])
            continue
        text = option[0]
        try:
            found = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ParameterError(
                f"-p {text!r} is not valid JSON ({exc.msg} at character {exc.pos + 1}); write an object "
                "with double-quoted names and strings, e.g. -p '{\"country\": \"PRK\"}', or a name and "
                "a value, e.g. -p country PRK") from None
        if not isinstance(found, dict):
            raise ParameterError(f"-p {text!r} is a JSON {type(found).__name__}, not an object of "
                                 "parameter names and values, e.g. -p '{\"country\": \"PRK\"}'")
        params.update(found)
    return params


# --- commands ----------------------------------------------------------------------------------

def _verify(args: argparse.Namespace) -> None:
    from .data.manifest import rehashed_files, verify_all
    edited = set(rehashed_files(project_paths()))
    for name, digest in verify_all(project_paths()).items():
        note = "  (edited since extraction: differs from its cited source)" if name in edited else ""
        print(f"ok  {digest[:12]}  data/raw/{name}{note}")


def _executor(args: argparse.Namespace, force: bool | tuple[str, ...]):
    from .build.executor import Executor
    return Executor(project_paths(), jobs=args.jobs, force=force, dry_run=args.dry_run,
                    render_timeout=getattr(args, "render_timeout", None) or RENDER_TIMEOUT)


def _build(args: argparse.Namespace, steps_of: Callable[[ProjectPaths], list],
           force: bool | tuple[str, ...]) -> None:
    """Run the steps ``steps_of(paths)`` gives (the graph is made with the build lock held too)."""
    from .build.lock import build_lock
    paths = project_paths()
    executor = _executor(args, force)
    with build_lock(paths):
        report = executor.run(steps_of(paths))
    print(f"[{args.command}] {report.line()}")


def _data(args: argparse.Namespace) -> None:
    from .steps.graph import data_graph
    _build(args, data_graph, force=("data",) if args.force else False)


def _list_notebooks() -> None:
    from .runs.notebooks import discover
    paths = project_paths()
    for name, notebook in discover(paths).items():
        where = notebook.path.relative_to(paths.root)
        if notebook.runnable:
            defaults = ", ".join(f"{k}={v!r}" for k, v in notebook.defaults.items())
            detail = f"parameters: {defaults}"
        else:
            detail = f"not runnable: {notebook.problem}"
        print(f"{name}  ({where})")
        print(textwrap.fill(detail, 80, initial_indent="    ", subsequent_indent="      "))
    print(textwrap.fill("Run one with `python -m analysis notebooks NAME -p PARAMETER VALUE`; "
                        "`python -m analysis new NAME` starts a new one.", 80))


def _notebooks(args: argparse.Namespace) -> None:
    if args.list:
        if args.name or args.parameters:
            raise ParameterError("--list takes no notebook name or -p")
        _list_notebooks()
        return
    params = parse_parameters(args.parameters)
    if params and not args.name:
        raise ParameterError("-p needs a notebook name, e.g. python -m analysis notebooks "
                             "country_snapshot -p '{\"country\": \"ERI\"}'")
    from .steps.graph import runs_graph
    from .steps.runs import request

    step = request(project_paths(), args.name, params) if args.name else None  # refuses bad -p at once
    _build(args, lambda paths: runs_graph(paths, args.name, params), force=("run",) if args.force else False)
    if step is not None and not args.dry_run:
        print(f"outputs: {step.base.relative_to(project_paths().root)}/")


def _new(args: argparse.Namespace) -> None:
    from .runs.template import write_new_notebook
    paths = project_paths()
    target = write_new_notebook(paths, args.name)
    print(f"wrote {target.relative_to(paths.root)}; run it with `python -m analysis notebooks {args.name}`, "
          "or open it with `python -m analysis lab`")


def _lab(args: argparse.Namespace) -> None:
    from .lab.launch import run_lab
    run_lab(project_paths(), args.jupyter_options)


def _runs(args: argparse.Namespace) -> None:
    from .runs.listing import print_runs
    from .steps.graph import paper_run_steps
    paths = project_paths()
    print_runs(paths, {step.base for step in paper_run_steps(paths).values()})


def _countries(args: argparse.Namespace) -> None:
    from .analyses import catalogue
    from .data.countries import country_names
    from .data.processed import read_processed
    long = read_processed("gsi_country_edition.csv")
    table = catalogue.country_catalogue(long, read_processed("population_sources.csv"))
    shown = catalogue.search(table, args.search, country_names(project_paths())) if args.search else table
    print(catalogue.format_catalogue(shown))
    counts = "; ".join(f"in GSI {e}: {int(((long['edition'] == e) & long['has_estimate']).sum())}"
                       for e in sorted(long["edition"].unique(), reverse=True))
    summary = (f"{len(shown)} of {len(table)} codes shown; countries with an estimate {counts}. "
               "Use a code or a name as the 'country' parameter of a notebook "
               "(-p country ERI), or with `python -m analysis atlas --countries`.")
    print("\n" + textwrap.fill(summary, catalogue.WIDTH))


def _country_list(text: str) -> list[str]:
    """'PRK,USA', 'PRK USA' or 'North Korea, Eritrea' -> the countries named, split on commas, and on
    spaces between codes."""
    parts = []
    for part in (p.strip() for p in text.split(",")):
        words = part.split()
        parts += words if all(len(w) in (2, 3) for w in words) else [part] if part else []
    return parts


def _atlas(args: argparse.Namespace) -> None:
    from .build.lock import build_lock
    from .steps.atlas import atlas_steps
    from .steps.graph import data_graph

    paths = project_paths()
    codes = _country_list(args.countries) if args.countries else None
    if codes:  # names and codes resolved, and typos refused, before anything is built
        from .data.countries import country_names, resolve_country
        names = country_names(paths)
        codes = [resolve_country(c, names) for c in codes]
    executor = _executor(args, force=("atlas country",) if args.force else False)
    with build_lock(paths):
        first = executor.run(data_graph(paths))
        if args.dry_run and first.of("would run"):
            print("would run  the atlas: after data/processed")
            return
        steps, folder = atlas_steps(paths, args.edition, codes)  # the countries are the data's
        report = executor.run(steps)
    countries = [o for o in report.outcomes if o.step.kind == "atlas country"]
    drawn = sum(o.status == "ran" for o in countries)
    current = sum(o.status == "current" for o in countries)
    print(f"[atlas] {drawn} countries drawn, {current} up to date, in "
          f"{first.seconds + report.seconds:.1f} s; open {folder.relative_to(paths.root)}/index.html")


def _paper(args: argparse.Namespace) -> None:
    from .steps.graph import paper_graph
    _build(args, lambda paths: paper_graph(paths, args.engine), force=("paper",) if args.force else False)


def _all(args: argparse.Namespace) -> None:
    from .steps.graph import paper_graph
    _build(args, lambda paths: paper_graph(paths, args.engine), force=args.force)


def _rehash(args: argparse.Namespace) -> None:
    from .data.manifest import rehash
    paths = project_paths()
    target = Path(args.file)
    if not target.exists() and target.parent == Path("."):
        target = paths.raw / target  # a bare file name means data/raw/NAME
    done = rehash(target, paths)
    shown = f"data/raw/{done.name}"
    print(f"{shown}\n  old sha256 {done.old_sha256}\n  new sha256 {done.new_sha256}")
    if done.old_rows != done.new_rows:
        print(f"  rows {done.old_rows} -> {done.new_rows}")
    if done.old_sha256 == done.new_sha256:
        print("unchanged: MANIFEST.yaml already records this checksum")
    else:
        print(f"updated {paths.manifest.relative_to(paths.root)}")
    if done.differs_from_source:
        print(f"warning: {shown} now differs from its cited source (extracted_from in "
              "MANIFEST.yaml, sha256 at extraction "
              f"{done.extracted_sha256[:12]}); the paper's appendix flags it. Say what you "
              "changed and why; git checkout data/raw undoes it.", file=sys.stderr)
    elif done.extracted_sha256 is not None:
        print(f"{shown} is again the file extracted from its cited source")


def _reference(args: argparse.Namespace) -> None:
    from .replication.commands import make_reference
    make_reference(project_paths(), engine=args.engine)


def _reproduce(args: argparse.Namespace) -> int:
    from .replication.commands import reproduce
    return reproduce(project_paths(), engine=args.engine, strict=args.strict,
                     keep=Path(args.keep).resolve() if args.keep else None)


# --- the parser ----------------------------------------------------------------------------------

def _one_line(text: object) -> str:
    return " ".join(str(text).split())


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one ``error:`` line with exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_ERROR, f"error: {_one_line(message)} (see {self.prog} --help)\n")


def _build_options(parser: argparse.ArgumentParser, *, force: str, engine: bool = False) -> None:
    """The options every building command takes."""
    parser.add_argument("--force", action="store_true", help=force)
    parser.add_argument("--dry-run", action="store_true", help="say what would run and why; write nothing")
    parser.add_argument("--jobs", type=int, metavar="N", help="steps to run at once (default: one per core)")
    if engine:
        parser.add_argument("--engine", choices=["auto", "quarto", "pandoc"], default="auto",
                            help="the renderer: Quarto if it is on the PATH (auto), Quarto, or the "
                                 "pandoc + Typst fallback")
        parser.add_argument("--render-timeout", type=float, metavar="SECONDS",
                            help=f"stop a renderer that takes longer (default {RENDER_TIMEOUT:g})")


DESCRIPTION = """\
Build and query the compendium on modern slavery in North Korea: the data, the
notebook runs, the paper and the atlas. Every building command skips what is up
to date and publishes each step whole; see README.md, "How the build works"."""

EPILOG = """\
examples:
  python -m analysis all                    build everything (what `make` runs)
  python -m analysis notebooks country_snapshot -p country ERI
  python -m analysis countries korea        find a country's code
  python -m analysis all --dry-run          say what would run, and why"""


def _parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = _Parser(prog="python -m analysis", description=DESCRIPTION, epilog=EPILOG,
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    sub.add_parser("verify", help="check every raw file against MANIFEST.yaml (sha256 and columns)",
                   description="Check every raw file of data/raw against its sha256 and column schema in "
                               "MANIFEST.yaml.").set_defaults(func=_verify)
    data = sub.add_parser("data", help="rebuild data/processed from data/raw",
                          description="Bring data/processed up to date with data/raw.")
    _build_options(data, force="rebuild even if nothing changed")
    data.set_defaults(func=_data)
    nb = sub.add_parser("notebooks", help="run one notebook, or bring the paper's runs up to date",
                        description="Run one notebook of notebooks/ with parameters, or, without a name, "
                                    "bring the paper's runs (paper/inputs.yml) up to date. Runs go to "
                                    "results/runs/<notebook>/<label>-<hash>/.")
    nb.add_argument("name", nargs="?", help="a notebook, by its file name without the number "
                    "(country_snapshot for 01_country_snapshot.ipynb); default: the paper's runs")
    nb.add_argument("-p", "--parameters", nargs="+", action="append", metavar="PARAMETER",
                    help="a parameter, as papermill takes it (-p country ERI) or as a JSON object "
                         "(-p '{\"country\": \"ERI\"}'); may be repeated")
    nb.add_argument("--list", action="store_true", help="list the notebooks, runnable or not, with their "
                    "parameters, and run nothing")
    _build_options(nb, force="run even if nothing changed")
    nb.set_defaults(func=_notebooks)
    new = sub.add_parser("new", help="write a new notebook with the standard first cells",
                         description="Write notebooks/NN_NAME.ipynb: a parameters cell (country, edition), "
                                     "a cell that loads the data and opens the run's output folder, and an "
                                     "example that saves a table, a figure and key numbers.")
    new.add_argument("name", help="the notebook's name: lower-case letters, digits and underscores")
    new.set_defaults(func=_new)
    lab = sub.add_parser("lab", help="start JupyterLab on notebooks/ (what `make lab` runs)",
                         description="Start JupyterLab on notebooks/: notebooks are saved without outputs, "
                                     "each run by hand is kept with a record under results/interactive/, "
                                     "and git's notebook filter is set in this checkout. Ctrl-C stops it.")
    lab.add_argument("jupyter_options", nargs=argparse.REMAINDER, metavar="JUPYTER_OPTION",
                     help="options passed on to JupyterLab, e.g. --no-browser --port 8890")
    lab.set_defaults(func=_lab)
    runs = sub.add_parser("runs", help="list the runs and their parameters, the Lab's included",
                          description="List every run folder, of results/runs and of results/interactive "
                                      "(runs by hand in JupyterLab), with its parameters, marking the "
                                      "paper's.")
    runs.set_defaults(func=_runs)
    countries = sub.add_parser("countries", help="list the country codes, with names, regions and editions",
                               description="List every country code with its name, region, the GSI "
                                           "editions that estimate it and the analyses that have its data.")
    countries.add_argument("search", nargs="?", help="only the countries whose code, name (or a form of it, "
                           "such as DPRK) or region contains this")
    countries.set_defaults(func=_countries)
    atlas = sub.add_parser("atlas", help="draw the snapshot of every country with an estimate, with pages",
                           description="Draw the country snapshot of every country with an estimate, in "
                                       "parallel, into results/atlas/ (open results/atlas/index.html).")
    atlas.add_argument("--edition", type=int, help="GSI edition (default: the latest; another goes to "
                       "results/atlas-<edition>/)")
    atlas.add_argument("--countries", help="only these countries, codes or names, e.g. 'PRK,USA,AFG' "
                       "(default: all)")
    _build_options(atlas, force="draw again even if nothing changed")
    atlas.set_defaults(func=_atlas)
    paper = sub.add_parser("paper", help="render the paper (Quarto, else pandoc and Typst)",
                           description="Bring the paper's runs up to date and render paper/paper.qmd to "
                                       "paper/_output/ (HTML and PDF).")
    _build_options(paper, force="render even if nothing changed", engine=True)
    paper.set_defaults(func=_paper)
    everything = sub.add_parser("all", help="data, the paper's runs, and the paper (what `make` runs)",
                                description="Build everything the paper needs: data/processed, the "
                                            "paper's runs, and the paper.")
    _build_options(everything, force="rebuild, rerun and rerender even if unchanged", engine=True)
    everything.set_defaults(func=_all)
    rehash = sub.add_parser("rehash", help="record a deliberate edit of a raw file in MANIFEST.yaml",
                            description="Record the new sha256 and row count of an edited raw file; the "
                                        "paper's appendix flags it as differing from its source.")
    rehash.add_argument("file", help="the edited file, e.g. data/raw/gsi2023_country_table.csv")
    rehash.set_defaults(func=_rehash)
    reference = sub.add_parser("reference", help="rebuild from clean in a scratch copy and write the "
                               "committed reference of the results (reference/) and README's exhibits")
    reference.add_argument("--engine", choices=["quarto", "pandoc"], default="quarto",
                           help="renderer of the reference build (default quarto, as CI builds)")
    reference.set_defaults(func=_reference)
    reproduce = sub.add_parser("reproduce", help="rebuild from clean in a scratch copy, compare with "
                               "reference/ and write results/replication/report.md and .html; exit 1 if a "
                               "number differs")
    reproduce.add_argument("--engine", choices=["auto", "quarto", "pandoc"], default="auto",
                           help="renderer of the rebuild (default: Quarto if on the PATH, else the fallback)")
    reproduce.add_argument("--strict", action="store_true",
                           help="also fail unless every output is byte-identical (CI, the reference's "
                           "environment)")
    reproduce.add_argument("--keep", metavar="DIR", help="rebuild in DIR (new or empty) and keep it")
    reproduce.set_defaults(func=_reproduce)
    return parser


# --- Ctrl-C and the exit status ------------------------------------------------------------------

@contextmanager
def _ctrl_c_raises_once(for_good: bool) -> Iterator[None]:
    """Ctrl-C raises KeyboardInterrupt, and mutes what the unwinding libraries would log.

    Papermill, nbclient and asyncio log their own complaints while an interrupted
    notebook run unwinds; after the user's Ctrl-C only the build's one line is
    wanted. A process started with SIGINT ignored (a background job) keeps it
    ignored, as Python itself does. With ``for_good`` (the program is about to
    exit) the muting lasts; otherwise logging and the hooks are restored.
    """
    previous = signal.getsignal(signal.SIGINT)
    if threading.current_thread() is not threading.main_thread() or previous is signal.SIG_IGN:
        yield
        return
    saved = (threading.excepthook, sys.unraisablehook, logging.root.manager.disable)
    muted = [False]

    def on_ctrl_c(signum, frame):
        if not muted[0]:
            muted[0] = True
            logging.disable(logging.CRITICAL)
            threading.excepthook = lambda args: None
            sys.unraisablehook = lambda unraisable: None
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, on_ctrl_c)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if muted[0] and not for_good:
            threading.excepthook, sys.unraisablehook = saved[:2]
            logging.disable(saved[2])


def main(argv: list[str] | None = None) -> int:
    """Run one command; return the exit status (0, 2 on an error, 130 on Ctrl-C).

    ``argv`` None means the program's own arguments: then, after Ctrl-C, library
    logging stays muted until the process exits.
    """
    from .build.executor import Interrupted

    parser = _parser()
    try:
        args, unknown = parser.parse_known_args(argv)
        if args.command == "lab":  # its options are JupyterLab's
            args.jupyter_options = [*unknown, *args.jupyter_options]
        elif unknown:
            parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    except SystemExit as exc:  # --help, --version, or a usage error already printed
        return exc.code if isinstance(exc.code, int) else EXIT_ERROR
    if args.command is None:  # a bare command: what it can do
        parser.print_help()
        return 0
    root = project_paths().root
    try:
        with _ctrl_c_raises_once(for_good=argv is None):
            status = args.func(args)
    except Interrupted as exc:
        print(f"error: {_one_line(exc)}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except KeyboardInterrupt:  # before a build started, or in a command that writes nothing
        print("error: interrupted (Ctrl-C); nothing was written", file=sys.stderr)
        return EXIT_INTERRUPTED
    except AnalysisError as exc:
        print(f"error: {_one_line(exc)}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:  # output piped into a command that stopped reading (| head)
        _silence_stdout()
        return 1
    except OSError as exc:
        print(f"error: {_one_line(describe_os_error(exc, root))}", file=sys.stderr)
        return EXIT_ERROR
    return status if isinstance(status, int) else 0


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so that exiting does not complain of the broken pipe."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (e.g. captured in tests)
        pass
