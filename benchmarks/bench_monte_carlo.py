"""Benchmark: 1,000,000 Monte Carlo draws of the sensitivity analysis, time and memory.

The count band (prevalence and population drawn) and the world rank with every
country's prevalence drawn, at a relative sd of 10 per cent.
Target: well under one second and under 200 MB on the reference machine (2 cores).
Run with `make bench`; exits 1 when a target is missed (unless `BENCH_TARGETS=report`).
Not part of the test suite, because timings depend on the machine.
"""

from __future__ import annotations

import sys
import time
import tracemalloc

from analysis.analyses import sensitivity
from analysis.data.processed import read_processed
from verdict import exit_status  # benchmarks/verdict.py, beside this script

TARGET_SECONDS = 1.0
TARGET_MB = 200
DRAWS = 1_000_000


def main() -> int:
    long = read_processed("gsi_country_edition.csv")
    prevalences = sensitivity.published_prevalences(long)

    def both() -> None:
        sensitivity.count_band(104.6, 0.1, 25_778_815.0, 26_232_534.0, DRAWS, 20230524)
        sensitivity.ranks_under_uncertainty(prevalences, "PRK", 0.1, DRAWS, 20230524)

    both()  # warm up
    times = []
    for _ in range(5):
        start = time.perf_counter()
        both()
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    both()
    peak_mb = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    best = min(times)
    print(f"{DRAWS:,} draws: best of 5 {best:.3f} s (target < {TARGET_SECONDS} s), "
          f"peak memory {peak_mb:.0f} MB (target < {TARGET_MB} MB)")
    return exit_status(best < TARGET_SECONDS and peak_mb < TARGET_MB)


if __name__ == "__main__":
    sys.exit(main())
