"""Benchmark: `python -m analysis atlas` for every country with a GSI 2023 estimate (160).

Targets on the reference machine (2 cores): a build from nothing in at most 60 s,
a second build with nothing changed in at most 2 s, and a peak memory of the
whole process tree (the command and its worker processes) of at most 1 GB.
Memory is the largest sum, over the tree, of each process's resident set
(VmRSS), sampled every 50 ms: an upper bound, since pages shared between the
processes count once per process. The CPU time of the tree and the load of the
machine are printed too, since other work on the machine slows a build down.

Run with `make bench-atlas` (or `.venv/bin/python benchmarks/bench_atlas.py`);
it deletes results/atlas/ first. Exits 1 when a target is missed. Not part of
the test suite, because timings depend on the machine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from analysis.paths import project_paths
from verdict import exit_status  # benchmarks/verdict.py, beside this script

COLD_TARGET_S = 60.0
WARM_TARGET_S = 2.0
MEMORY_TARGET_MB = 1024.0
COMMAND = [sys.executable, "-m", "analysis", "atlas"]


def _children(pid: int) -> list[int]:
    kids = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            kids += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            pass
    return kids


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        todo += _children(p)
    return pids


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def measure(command: list[str]) -> tuple[float, float, float, str]:
    """Run ``command``; return (wall seconds, peak tree memory MB, CPU seconds of the tree, stdout)."""
    before = os.times()
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    peak = [0.0]

    def sample() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], sum(_rss_mb(p) for p in _tree(proc.pid)))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = proc.communicate()
    wall = time.perf_counter() - start
    sampler.join()
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{out}")
    return wall, peak[0], cpu, out


def main() -> int:
    paths = project_paths()
    subprocess.run([sys.executable, "-m", "analysis", "data"], check=True, capture_output=True)
    shutil.rmtree(paths.results / "atlas", ignore_errors=True)
    load = os.getloadavg()[0]
    cold, cold_mb, cold_cpu, out = measure(COMMAND)
    warm, warm_mb, _, warm_out = measure(COMMAND)
    built = out.strip().splitlines()[-2] if out.strip() else ""
    print(built)
    print(f"atlas from nothing: {cold:.1f} s wall (target <= {COLD_TARGET_S:.0f} s), {cold_cpu:.0f} s CPU "
          f"over {os.cpu_count()} cores, peak memory of the process tree {cold_mb:.0f} MB "
          f"(target <= {MEMORY_TARGET_MB:.0f} MB); load average before it {load:.2f}")
    print(f"atlas again, nothing changed: {warm:.2f} s (target <= {WARM_TARGET_S:.0f} s), "
          f"peak {warm_mb:.0f} MB; {warm_out.strip().splitlines()[-2] if warm_out.strip() else ''}")
    ok = cold <= COLD_TARGET_S and warm <= WARM_TARGET_S and max(cold_mb, warm_mb) <= MEMORY_TARGET_MB
    return exit_status(ok)


if __name__ == "__main__":
    sys.exit(main())
