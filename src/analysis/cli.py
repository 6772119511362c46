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


def parse_parameters(text: str | None) -> dict:
    """The ``-p`` option: a JSON object of notebook parameters, or a ParameterError saying why not."""
    if not text:
        return {}
    try:
        params = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParameterError(
            f"-p {text!r} is not valid JSON ({exc.msg} at character {exc.pos + 1}); write an object "
            "with double-quoted names and strings, e.g. -p '{\"country\": \"PRK\"}'") from None
    if not isinstance(params, dict):
        raise ParameterError(f"-p {text!r} is a JSON {type(params).__name__}, not an object of "
                             "parameter names and values, e.g. -p '{\"country\": \"PRK\"}'")
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


def _notebooks(args: argparse.Namespace) -> None:
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


def _runs(args: argparse.Namespace) -> None:
    from .runs.listing import print_runs
    from .steps.graph import paper_run_steps
    paths = project_paths()
    print_runs(paths, {step.base for step in paper_run_steps(paths).values()})


def _countries(args: argparse.Namespace) -> None:
    from .analyses import catalogue
    from .data.processed import read_processed
    long = read_processed("gsi_country_edition.csv")
    table = catalogue.country_catalogue(long, read_processed("population_sources.csv"))
    shown = catalogue.search(table, args.search) if args.search else table
    print(catalogue.format_catalogue(shown))
    counts = "; ".join(f"in GSI {e}: {int(((long['edition'] == e) & long['has_estimate']).sum())}"
                       for e in sorted(long["edition"].unique(), reverse=True))
    print(f"\n{len(shown)} of {len(table)} codes shown; countries with an estimate {counts}.")
    print("Use a code as the 'country' parameter of a notebook, or with `python -m analysis atlas "
          "--countries`.")


def _atlas(args: argparse.Namespace) -> None:
    from .build.lock import build_lock
    from .steps.atlas import atlas_steps
    from .steps.graph import data_graph

    paths = project_paths()
    codes = [c for c in args.countries.replace(",", " ").split() if c] if args.countries else None
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


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m analysis", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("verify", help="check every raw file against MANIFEST.yaml").set_defaults(func=_verify)
    data = sub.add_parser("data", help="rebuild data/processed from data/raw")
    _build_options(data, force="rebuild even if nothing changed")
    data.set_defaults(func=_data)
    nb = sub.add_parser("notebooks", help="run one notebook, or bring the paper's runs up to date")
    nb.add_argument("name", nargs="?", help="one notebook (e.g. country_snapshot); default: the paper's runs")
    nb.add_argument("-p", "--parameters", help='JSON object of parameters, e.g. \'{"country": "ERI"}\'')
    _build_options(nb, force="run even if nothing changed")
    nb.set_defaults(func=_notebooks)
    runs = sub.add_parser("runs", help="list the runs in results/runs with their parameters")
    runs.set_defaults(func=_runs)
    countries = sub.add_parser("countries", help="list every country code with its name, region, "
                               "editions and the analyses that have data for it")
    countries.add_argument("search", nargs="?", help="show only codes, names or regions containing this")
    countries.set_defaults(func=_countries)
    atlas = sub.add_parser("atlas", help="draw the country snapshot of every country with an estimate, "
                           "in parallel, into results/atlas/ (open results/atlas/index.html)")
    atlas.add_argument("--edition", type=int, help="GSI edition (default: the latest; another goes to "
                       "results/atlas-<edition>/)")
    atlas.add_argument("--countries", help="only these ISO3 codes, e.g. 'PRK,USA,AFG' (default: all)")
    _build_options(atlas, force="draw again even if nothing changed")
    atlas.set_defaults(func=_atlas)
    paper = sub.add_parser("paper", help="render the paper (Quarto, else pandoc + typst)")
    _build_options(paper, force="render even if nothing changed", engine=True)
    paper.set_defaults(func=_paper)
    everything = sub.add_parser("all", help="data, the paper's runs, and the paper")
    _build_options(everything, force="rebuild, rerun and rerender even if unchanged", engine=True)
    everything.set_defaults(func=_all)
    rehash = sub.add_parser("rehash", help="record a deliberate edit of a raw file in MANIFEST.yaml")
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

    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # --help, or a usage error already printed
        return exc.code if isinstance(exc.code, int) else EXIT_ERROR
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
