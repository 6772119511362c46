"""Benchmark: `python -m analysis all` with nothing changed, wall time of the whole command.

Target: at most 0.5 s on the reference machine (2 cores): a build with nothing to
do checks the stamps of the data step, the paper's runs and the paper, renders
nothing and imports neither pandas nor papermill. Run with `make bench` after a
build; exits 1 when the target is missed. Not part of the test suite, because
timings depend on the machine.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

TARGET_SECONDS = 0.5
REPEATS = 7


def main() -> int:
    command = [sys.executable, "-m", "analysis", "all"]
    subprocess.run(command, check=True, capture_output=True)  # bring everything up to date first
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        run = subprocess.run(command, check=True, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if "not rendered" not in run.stdout or "run  " in run.stdout:
            print(f"not a no-op build:\n{run.stdout}", file=sys.stderr)
            return 1
    median = statistics.median(times)
    print(f"no-op `python -m analysis all`: median of {REPEATS} {median:.3f} s, "
          f"slowest {max(times):.3f} s (target <= {TARGET_SECONDS} s)")
    return 0 if median <= TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
