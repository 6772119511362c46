"""Command line: ``python -m analysis COMMAND`` (verify, data, notebooks, runs, countries, atlas, paper,
all, rehash, reference, reproduce).

Every failure a user can cause ends in one line on standard error, ``error: ...``,
and exit status 2: a refused input, malformed ``-p`` parameters, a file that
cannot be read or written (read-only folder, full disk). Ctrl-C ends in one line
and exit status 130; files are replaced whole or not at all, so nothing is left
half-written.
"""

from __future__ import annotations

import argparse
import errno
import json
import logging
import os
import re
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import AnalysisError, ParameterError
from .paths import project_paths

#: Exit status of a refused input or a failed step.
EXIT_ERROR = 2
#: Exit status after Ctrl-C (128 + SIGINT), as a shell reports it.
EXIT_INTERRUPTED = 130

# atomic.atomic_path writes '.<name>.<random>.tmp<suffix>' beside its target.
_TEMPORARY = re.compile(r"^\.(?P<name>.+)\.[^.]+\.tmp(?P<suffix>\.[^.]*)?$")


def _verify(args: argparse.Namespace) -> None:
    from .data.manifest import rehashed_files, verify_all
    edited = set(rehashed_files(project_paths()))
    for name, digest in verify_all(project_paths()).items():
        note = "  (edited since extraction: differs from its cited source)" if name in edited else ""
        print(f"ok  {digest[:12]}  data/raw/{name}{note}")


def _data(args: argparse.Namespace) -> None:
    from .pipeline.lock import build_lock
    from .pipeline.upstream import rebuild_processed
    paths = project_paths()
    with build_lock(paths):
        for path in rebuild_processed(paths):
            print(f"wrote {path.relative_to(paths.root)}")


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


def _notebooks(args: argparse.Namespace) -> None:
    params = parse_parameters(args.parameters)
    if params and not args.name:
        raise ParameterError("-p needs a notebook name, e.g. python -m analysis notebooks "
                             "country_snapshot -p '{\"country\": \"ERI\"}'")
    from .pipeline.runner import run_all, run_notebook
    if args.name:
        folder = run_notebook(args.name, params, force=args.force)
        print(f"outputs: {folder.relative_to(project_paths().root)}/")
    else:
        run_all(force=args.force)


def _runs(args: argparse.Namespace) -> None:
    from .pipeline.listing import print_runs
    print_runs(project_paths())


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
    from .pipeline.atlas import build_atlas
    codes = [c for c in args.countries.replace(",", " ").split() if c] if args.countries else None
    summary = build_atlas(args.edition, codes, jobs=args.jobs, force=args.force)
    print(summary.line(project_paths()))


def _paper(args: argparse.Namespace) -> None:
    from .paper import build_paper
    build_paper(engine=args.engine, force=args.force)


def _all(args: argparse.Namespace) -> None:
    from .paper import build_paper
    build_paper(engine="auto", force=args.force, rerun=args.force)


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


def _shown_path(filename: str | os.PathLike | None) -> str:
    """A path for an error message: relative to the project, and the target of a temporary file."""
    if not filename:
        return ""
    path = Path(os.fsdecode(filename))
    match = _TEMPORARY.match(path.name)
    if match:
        path = path.with_name(match["name"])
    try:
        return str(path.resolve().relative_to(project_paths().root))
    except ValueError:
        return str(path)


def _os_error_line(exc: OSError) -> str:
    """One line for a file that could not be read or written, with what to do about it."""
    where = _shown_path(exc.filename)
    what = exc.strerror or str(exc)
    hints = {
        errno.ENOSPC: "free some disk space and run the step again",
        errno.EDQUOT: "free some disk space and run the step again",
        errno.EACCES: "make the folder writable (or run from a copy you may write to)",
        errno.EPERM: "make the folder writable (or run from a copy you may write to)",
        errno.EROFS: "the file system is read-only: run from a copy on a writable disk",
        errno.EEXIST: "a file stands where a folder is needed: move it away",
        errno.ENOTDIR: "a file stands where a folder is needed: move it away",
    }
    hint = hints.get(exc.errno, "check that the path exists and can be read and written")
    return f"{what}: {where}; {hint}" if where else f"{what}; {hint}"


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one ``error:`` line with exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_ERROR, f"error: {_one_line(message)} (see {self.prog} --help)\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m analysis", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("verify", help="check every raw file against MANIFEST.yaml").set_defaults(func=_verify)
    sub.add_parser("data", help="rebuild data/processed from data/raw").set_defaults(func=_data)
    nb = sub.add_parser("notebooks", help="run one notebook, or bring the paper's runs up to date")
    nb.add_argument("name", nargs="?", help="one notebook (e.g. country_snapshot); default: the paper's runs")
    nb.add_argument("-p", "--parameters", help='JSON object of parameters, e.g. \'{"country": "ERI"}\'')
    nb.add_argument("--force", action="store_true", help="run even if nothing changed")
    nb.set_defaults(func=_notebooks)
    runs = sub.add_parser("runs", help="list the runs in results/runs with their parameters")
    runs.set_defaults(func=_runs)
    countries = sub.add_parser("countries", help="list every country code with its name, region, "
                               "editions and the analyses that have data for it")
    countries.add_argument("search", nargs="?", help="show only codes, names or regions containing this")
    countries.set_defaults(func=_countries)
    atlas = sub.add_parser("atlas", help="draw the country snapshot of every country with an estimate, "
                           "in parallel, into results/atlas/ (open results/atlas/index.html)")
    atlas.add_argument("--edition", type=int, choices=[2018, 2023], default=2023,
                       help="GSI edition (default 2023; 2018 goes to results/atlas-2018/)")
    atlas.add_argument("--countries", help="only these ISO3 codes, e.g. 'PRK,USA,AFG' (default: all)")
    atlas.add_argument("--jobs", type=int, help="worker processes (default: one per core)")
    atlas.add_argument("--force", action="store_true", help="draw again even if nothing changed")
    atlas.set_defaults(func=_atlas)
    paper = sub.add_parser("paper", help="render the paper (Quarto, else pandoc + typst)")
    paper.add_argument("--engine", choices=["auto", "quarto", "pandoc"], default="auto")
    paper.add_argument("--force", action="store_true", help="render even if nothing changed")
    paper.set_defaults(func=_paper)
    everything = sub.add_parser("all", help="data, the paper's runs, and the paper")
    everything.add_argument("--force", action="store_true", help="rerun and rerender even if unchanged")
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


_INTERRUPTED = "error: interrupted (Ctrl-C); every file is either as it was or fully rewritten"


@contextmanager
def _ctrl_c_says_one_line(for_good: bool) -> Iterator[list[bool]]:
    """On Ctrl-C, print the one line at once, then mute what the unwinding libraries would print.

    Papermill, nbclient and asyncio log their own complaints while an interrupted
    notebook run unwinds (and asyncio again at exit); after the user's Ctrl-C only
    the one line is wanted. With ``for_good`` (the program is about to exit) the
    muting lasts; otherwise logging and the hooks are restored when the block ends.
    """
    said = [False]
    if threading.current_thread() is not threading.main_thread():
        yield said
        return
    saved = (threading.excepthook, sys.unraisablehook, logging.root.manager.disable)

    def on_ctrl_c(signum, frame):
        if not said[0]:
            print(_INTERRUPTED, file=sys.stderr, flush=True)
            said[0] = True
            logging.disable(logging.CRITICAL)
            threading.excepthook = lambda args: None
            sys.unraisablehook = lambda unraisable: None
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, on_ctrl_c)
    try:
        yield said
    finally:
        signal.signal(signal.SIGINT, previous)
        if said[0] and not for_good:
            threading.excepthook, sys.unraisablehook = saved[:2]
            logging.disable(saved[2])


def main(argv: list[str] | None = None) -> int:
    """Run one step of the build; return the exit status (0, 2 on an error, 130 on Ctrl-C).

    ``argv`` None means the program's own arguments: then, after Ctrl-C, library
    logging stays muted until the process exits.
    """
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # --help, or a usage error already printed
        return exc.code if isinstance(exc.code, int) else EXIT_ERROR
    start = time.perf_counter()
    try:
        with _ctrl_c_says_one_line(for_good=argv is None) as said:
            try:
                status = args.func(args)
                print(f"[{args.command}] done in {time.perf_counter() - start:.1f} s", flush=True)
            except KeyboardInterrupt:
                if not said[0]:  # raised without our handler (e.g. held back, then re-raised)
                    print(_INTERRUPTED, file=sys.stderr)
                return EXIT_INTERRUPTED
    except KeyboardInterrupt:  # a second Ctrl-C while unwinding
        return EXIT_INTERRUPTED
    except AnalysisError as exc:
        print(f"error: {_one_line(exc)}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:  # output piped into a command that stopped reading (| head)
        _silence_stdout()
        return 1
    except OSError as exc:
        print(f"error: {_one_line(_os_error_line(exc))}", file=sys.stderr)
        return EXIT_ERROR
    return status if isinstance(status, int) else 0


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so that exiting does not complain of the broken pipe."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (e.g. captured in tests)
        pass
