"""Benchmark: the build against the naive route, and the builds with nothing to do.

Three measurements, in one run, on a scratch copy of the project (so that the
checkout's own results are left alone):

1. *full forced build*, ``python -m analysis all --force``: the data, the three
   runs of the paper (in parallel, one per core) and the paper;
2. *naive route*, the same work done the plain way: ``papermill`` on each of the
   three notebooks in turn, then a forced render (``python -m analysis paper --force``);
3. *no-op builds*: ``python -m analysis all`` and ``python -m analysis data``
   with nothing changed.

The two routes alternate, ``ROUNDS`` times each, and the medians are compared, so
that load from other work on the machine weighs on both alike. Targets on the
reference machine (2 cores): forced / naive at most 0.5; each no-op at most 0.3 s.
Run with ``make bench``; exits 1 when a target is missed (unless
``BENCH_TARGETS=report``). Not part of the test suite, and not a gate of
``.ci/run`` (which prints the figures for both renderers), because timings depend
on the machine and on what else it runs. The render is the same work in both
routes, so the ratio is highest with Quarto (about 10 s per render here) and
lowest with the fallback (about 1 s), where the build's own work shows.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from analysis.paths import project_paths
from verdict import exit_status  # benchmarks/verdict.py, beside this script

RATIO_TARGET = 0.5
NOOP_TARGET_S = 0.3
ROUNDS = 3
NOOP_REPEATS = 7
NOTEBOOKS = ("01_country_snapshot.ipynb", "02_edition_comparison.ipynb", "03_population_sensitivity.ipynb")


def _timed(command: list[str], env: dict[str, str], cwd: Path) -> float:
    start = time.perf_counter()
    run = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True)
    if run.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{run.stderr[-3000:]}")
    return time.perf_counter() - start


def main() -> int:
    source = project_paths()
    engine = os.environ.get("ENGINE", "auto")
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        root = Path(tmp)
        for sub in ("data/raw", "data/processed", "notebooks", "paper"):
            generated = shutil.ignore_patterns("_generated", "_output", "_variables.yml", ".quarto")
            shutil.copytree(source.root / sub, root / sub, ignore=generated)
        env = {**os.environ, "ANALYSIS_ROOT": str(root)}
        analysis = [sys.executable, "-m", "analysis"]
        papermill = [sys.executable, "-m", "papermill", "--no-progress-bar", "--kernel", "python3"]
        _timed([*analysis, "all", "--engine", engine], env, root)  # warm: caches, fonts, compiled files
        forced, naive = [], []
        for _ in range(ROUNDS):
            forced.append(_timed([*analysis, "all", "--force", "--engine", engine], env, root))
            start = time.perf_counter()
            for name in NOTEBOOKS:
                _timed([*papermill, f"notebooks/{name}", str(root / f"naive-{name}")], env, root)
            _timed([*analysis, "paper", "--force", "--engine", engine], env, root)
            naive.append(time.perf_counter() - start)
        noop_commands = {"all": [*analysis, "all", "--engine", engine], "data": [*analysis, "data"]}
        noop = {name: statistics.median(_timed(command, env, root) for _ in range(NOOP_REPEATS))
                for name, command in noop_commands.items()}
    ratio = statistics.median(forced) / statistics.median(naive)
    print(f"full forced build: median of {ROUNDS} {statistics.median(forced):.1f} s "
          f"({', '.join(f'{t:.1f}' for t in forced)})")
    print(f"naive route (papermill x3, then a forced render): median {statistics.median(naive):.1f} s "
          f"({', '.join(f'{t:.1f}' for t in naive)})")
    print(f"ratio forced / naive: {ratio:.2f} (target <= {RATIO_TARGET}); {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f}")
    for command, seconds in noop.items():
        print(f"no-op `python -m analysis {command}`: median of {NOOP_REPEATS} {seconds:.3f} s "
              f"(target <= {NOOP_TARGET_S} s)")
    return exit_status(ratio <= RATIO_TARGET and max(noop.values()) <= NOOP_TARGET_S)


if __name__ == "__main__":
    sys.exit(main())
