"""Command line: ``python -m analysis {verify,data,notebooks,runs,countries,atlas,paper,all}``."""

from __future__ import annotations

import argparse
import json
import sys
import time

from .errors import AnalysisError
from .paths import project_paths


def _verify(args: argparse.Namespace) -> None:
    from .data.manifest import verify_all
    for name, digest in verify_all(project_paths()).items():
        print(f"ok  {digest[:12]}  data/raw/{name}")


def _data(args: argparse.Namespace) -> None:
    from .pipeline.lock import build_lock
    from .pipeline.upstream import rebuild_processed
    paths = project_paths()
    with build_lock(paths):
        for path in rebuild_processed(paths):
            print(f"wrote {path.relative_to(paths.root)}")


def _notebooks(args: argparse.Namespace) -> None:
    from .pipeline.runner import run_all, run_notebook
    if args.name:
        params = json.loads(args.parameters) if args.parameters else {}
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


def main(argv: list[str] | None = None) -> int:
    """Run one step of the build; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__)
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
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        args.func(args)
    except AnalysisError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"[{args.command}] done in {time.perf_counter() - start:.1f} s")
    return 0
