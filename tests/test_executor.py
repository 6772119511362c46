"""The executor (issue 14): lock, staging, publishing whole, rolling back a killed publish, skipping.

Each test builds small steps of its own in a scratch project and runs them through the real
executor; the kill and the lock are real processes.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from analysis.atomic import write_text
from analysis.build.executor import Executor, StepFailed
from analysis.build.external import ToolTimeout, run_tool
from analysis.build.fingerprints import files_digest
from analysis.build.staging import JOURNAL
from analysis.build.step import Step
from analysis.errors import AnalysisError
from analysis.paths import ProjectPaths

from cli_helpers import is_running


@pytest.fixture
def root(tmp_path) -> ProjectPaths:
    (tmp_path / "in.txt").write_text("one\n")
    return ProjectPaths(tmp_path)


def _step(paths: ProjectPaths, key: str = "copy", fail: str | None = None, needs: tuple[str, ...] = (),
          calls: list[str] | None = None) -> Step:
    """A step that copies ``in.txt`` into ``out/`` and ``out2.txt`` (two targets, published together)."""
    def inputs() -> dict:
        return {"in": files_digest([paths.root / "in.txt"], paths)}

    def write(staging: Path, context) -> None:
        (calls if calls is not None else []).append(key)
        text = (paths.root / "in.txt").read_text()
        write_text(staging / "out" / "a.txt", text)
        if fail == "write":
            raise AnalysisError("the step failed half-way")
        write_text(staging / "out2.txt", text.upper())

    def check(staging: Path) -> None:
        if fail == "check":
            raise AnalysisError("what the step wrote is not sound")

    return Step(key, "test", key, targets={"out": paths.root / f"{key}-out",
                                           "out2.txt": paths.root / f"{key}-out2.txt",
                                           "record.json": paths.state / f"{key}.json"},
                record="record.json", base=paths.root, inputs=inputs, write=write, check=check, needs=needs)


def _run(paths: ProjectPaths, *steps: Step, **options):
    return Executor(paths, progress=False, say=lambda text: None, **options).run(list(steps))


def test_a_step_runs_once_then_is_skipped_until_an_input_or_output_changes(root):
    calls: list[str] = []
    assert _run(root, _step(root, calls=calls)).of("ran")
    assert (root.root / "copy-out" / "a.txt").read_text() == "one\n"
    assert (root.root / "copy-out2.txt").read_text() == "ONE\n"
    assert _run(root, _step(root, calls=calls)).of("current") and calls == ["copy"]
    (root.root / "in.txt").write_text("two\n")
    assert _run(root, _step(root, calls=calls), dry_run=True).of("would run")[0].reason == "in.txt changed"
    assert calls == ["copy"], "a dry run runs nothing"
    _run(root, _step(root, calls=calls))
    (root.root / "copy-out2.txt").write_text("tampered\n")
    assert _run(root, _step(root, calls=calls)).of("ran")[0].step.key == "copy"
    assert calls == ["copy", "copy", "copy"] and (root.root / "copy-out2.txt").read_text() == "TWO\n"


@pytest.mark.parametrize("fail", ["write", "check"])
def test_a_failed_step_publishes_nothing_and_the_steps_after_it_do_not_run(root, fail):
    _run(root, _step(root))
    before = {p: p.read_bytes() for p in root.root.rglob("*") if p.is_file() and ".lock" not in p.name}
    (root.root / "in.txt").write_text("two\n")
    calls: list[str] = []
    with pytest.raises(StepFailed, match=r"copy: .*; copy-out and copy-out2.txt are as they were; "
                                         r"1 steps that need it were not run"):
        _run(root, _step(root, fail=fail, calls=calls), _step(root, "other", calls=calls),
             _step(root, "after", needs=("copy",), calls=calls))
    assert sorted(calls) == ["copy", "other"]
    for path, data in before.items():
        if path.name != "in.txt":
            assert path.read_bytes() == data, path
    assert not list(root.staging.iterdir())


_KILLED_PUBLISH = textwrap.dedent("""
    import sys
    sys.path.insert(0, {tests!r})
    from test_executor import _run, _step
    from pathlib import Path
    from analysis.paths import ProjectPaths
    paths = ProjectPaths(Path({root!r}))
    (paths.root / "in.txt").write_text("new\\n")
    _run(paths, _step(paths))
""")


def test_a_publish_killed_half_way_is_rolled_back_by_the_next_build(root):
    _run(root, _step(root))
    old = {name: (root.root / name).read_bytes() if (root.root / name).is_file() else None
           for name in ("copy-out/a.txt", "copy-out2.txt")}
    env = {**os.environ, "ANALYSIS_TEST_PUBLISH_PAUSE": "30"}
    proc = subprocess.Popen([sys.executable, "-c", _KILLED_PUBLISH.format(
        tests=str(Path(__file__).parent), root=str(root.root))], env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        journal = next(root.staging.glob(f"*/{JOURNAL}"), None) if root.staging.is_dir() else None
        if journal and not (root.root / "copy-out").exists():  # the old folder moved aside
            break
        time.sleep(0.05)
    assert journal is not None, "the publish never started"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert not (root.root / "copy-out").exists(), "the kill did not come half-way"
    _run(root, _step(root), dry_run=True)  # a dry run changes nothing, not even a rollback
    assert not (root.root / "copy-out").exists()
    (root.root / "in.txt").write_text("one\n")  # back to what was published before
    report = _run(root, _step(root))
    assert report.of("current"), "the old outputs were put back whole and found current"
    assert (root.root / "copy-out" / "a.txt").read_bytes() == old["copy-out/a.txt"]
    assert (root.root / "copy-out2.txt").read_bytes() == old["copy-out2.txt"]
    assert not list(root.staging.iterdir())


_HOLD_LOCK = textwrap.dedent("""
    import time
    from analysis.build.lock import build_lock
    from pathlib import Path
    from analysis.paths import ProjectPaths
    with build_lock(ProjectPaths(Path({root!r}))):
        print("held", flush=True)
        time.sleep(3)
""")


def test_a_second_build_waits_for_the_lock_and_names_its_holder(root):
    holder = subprocess.Popen([sys.executable, "-c", _HOLD_LOCK.format(root=str(root.root))],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    start = time.monotonic()
    waiter = subprocess.run([sys.executable, "-c", _HOLD_LOCK.format(root=str(root.root)).replace(
        "time.sleep(3)", "pass")], capture_output=True, text=True, timeout=60)
    assert time.monotonic() - start > 1.5, "the second build did not wait"
    assert f"waiting: another build (pid {holder.pid}) holds results/.lock" in waiter.stderr
    holder.wait(timeout=30)


def test_an_external_tool_that_hangs_is_stopped_with_its_children(tmp_path):
    marker = tmp_path / "child.pid"
    script = f"sleep 600 & echo $! > {marker}; wait"
    start = time.monotonic()
    with pytest.raises(ToolTimeout, match=r"the tool did not finish within 1 s and was stopped"):
        run_tool(["sh", "-c", script], timeout=1, what="the tool")
    assert time.monotonic() - start < 15
    time.sleep(0.2)
    assert not is_running(int(marker.read_text())), "the tool's child was left running"


def test_records_hold_inputs_and_the_sha256_of_every_output(root):
    _run(root, _step(root))
    record = json.loads((root.state / "copy.json").read_text())
    assert record["inputs"] == {"in": {"in.txt": record["inputs"]["in"]["in.txt"]}}
    assert sorted(record["outputs"]) == ["copy-out/a.txt", "copy-out2.txt"]
