"""The one executor: runs the steps of a build graph, each staged, checked and published whole.

:meth:`Executor.run` takes the build lock, rolls back what a killed build left
(staging folders, an interrupted publish, kernel files), then walks the steps in
order. A step whose needs are done is checked for staleness
(:func:`~analysis.build.step.why_stale`); a stale one is written into its own
staging folder in a worker thread (up to ``jobs`` at once), checked, recorded
and published. A step whose need failed is not run; the other steps go on.
On Ctrl-C the executor stops every step under way (kernels, renderers, worker
processes), publishes nothing more, and raises :class:`Interrupted`, whose
message says what was published before and what is as it was.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import AnalysisError, RawDataError, describe_os_error
from ..paths import ProjectPaths
from .external import Cancelled
from .fingerprints import is_litter
from .lock import build_lock
from .staging import fresh, publish, recover_all, remove
from .step import Context, Step, Written, make_record, staged_outputs, why_stale, write_record

#: Default seconds an external renderer may take before it is stopped.
RENDER_TIMEOUT = 900.0
#: Seconds the executor waits for steps under way to stop after Ctrl-C.
STOP_WAIT = 60.0
#: Test hook: seconds to pause between the moves of a publish (so a test can kill it there).
PAUSE_ENV = "ANALYSIS_TEST_PUBLISH_PAUSE"


class Interrupted(AnalysisError):
    """The build was interrupted (Ctrl-C); the message says what was published and what is as it was."""


class StepFailed(AnalysisError):
    """A step failed; its published outputs are as they were (the message says which)."""


@dataclass
class Outcome:
    """What became of one step: ``current``, ``ran``, ``would run``, ``failed`` or ``not run``."""

    step: Step
    status: str
    reason: str = ""
    seconds: float = 0.0
    error: BaseException | None = None


@dataclass
class Report:
    """The outcome of every step of one build, in order, and the build's time (seconds)."""

    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0

    def of(self, status: str, kind: str | None = None) -> list[Outcome]:
        """The outcomes with ``status`` (of steps of ``kind``, if given)."""
        return [o for o in self.outcomes if o.status == status and (kind is None or o.step.kind == kind)]

    def line(self) -> str:
        """One summary line: how many steps ran, were up to date, would run or failed, and the time."""
        counts = [(len(self.of(s)), s) for s in ("ran", "would run", "current", "failed", "not run")]
        words = {"ran": "run", "current": "up to date"}
        shown = ", ".join(f"{n} {words.get(s, s)}" for n, s in counts if n)
        return f"{shown or 'no steps'}, in {self.seconds:.1f} s"


def _slug(key: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", key).strip("-")


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _as_they_were(targets: list[str]) -> str:
    if not targets:
        return "nothing was written"
    if len(targets) > 4:
        targets = [*targets[:3], f"{len(targets) - 3} more"]
    return f"{_and(targets)} {'is as it was' if len(targets) == 1 else 'are as they were'}"


def _message(exc: BaseException, paths: ProjectPaths) -> str:
    if isinstance(exc, OSError):
        return describe_os_error(exc, paths.root)
    return " ".join(str(exc).split())


def _published_name(exc: OSError, step: Step, staging: Path) -> OSError:
    """``exc`` naming the published path of the staged file it names (a user knows no staging)."""
    if exc.filename is None:
        return exc
    try:
        staged = Path(os.fsdecode(exc.filename)).resolve().relative_to(staging.resolve()).as_posix()
        published = step.published(staged)
    except (ValueError, KeyError):
        return exc
    return OSError(exc.errno, exc.strerror, str(published))


def _start_worker(initializer: Callable, initargs: tuple) -> None:
    """Worker processes leave Ctrl-C to the executor, which stops them itself."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    initializer(*initargs)


class Executor:
    """Runs build graphs in one checkout: see the module's description.

    ``jobs`` steps run at once (default: the number of cores); ``force`` reruns
    every step (True) or the steps of the given kinds; ``dry_run`` only says
    what would run and why; ``progress`` draws a progress bar (default: when
    standard error is a terminal); ``render_timeout`` bounds external renderers
    (seconds).
    """

    def __init__(self, paths: ProjectPaths, *, jobs: int | None = None, force: bool | Iterable[str] = False,
                 dry_run: bool = False, progress: bool | None = None,
                 render_timeout: float = RENDER_TIMEOUT, say: Callable[[str], None] | None = None) -> None:
        self.paths = paths
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self.force = force if isinstance(force, bool) else frozenset(force)
        self.dry_run = dry_run
        self.progress = sys.stderr.isatty() if progress is None else progress
        self.render_timeout = render_timeout
        self._say = say or (lambda text: print(text, flush=True))
        self.cancel = threading.Event()
        self._contexts: dict[str, Context] = {}
        self._pools: dict[tuple, object] = {}
        self._bar = None

    # --- what a step may use -------------------------------------------------------------------

    def _submit(self, initializer: Callable, initargs: tuple, function: Callable, *args: object) -> object:
        """Run ``function(*args)`` in a worker process set up by ``initializer(*initargs)``; its result."""
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        key = (initializer, initargs)
        if key not in self._pools:
            self._pools[key] = ProcessPoolExecutor(
                max_workers=self.jobs, mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker, initargs=(initializer, initargs))
        future = self._pools[key].submit(function, *args)
        while True:
            if self.cancel.is_set():
                future.cancel()
                raise Cancelled("stopped: the build was cancelled")
            try:
                return future.result(timeout=0.2)
            except TimeoutError:
                continue
            except BrokenProcessPool:
                raise AnalysisError("a worker process died; run the command again") from None

    def _stop_pools(self) -> None:
        for pool in self._pools.values():
            processes = list(getattr(pool, "_processes", {}).values())
            pool.shutdown(wait=False, cancel_futures=True)
            for process in processes:
                process.terminate()
            for process in processes:
                process.join(timeout=5)
        self._pools.clear()

    def say(self, text: str) -> None:
        """Print a line of progress (above the progress bar, if one is drawn)."""
        if self._bar is not None:
            self._bar.write(text, file=sys.stdout)
            sys.stdout.flush()
        else:
            self._say(text)

    # --- one step ------------------------------------------------------------------------------

    def _forced(self, step: Step) -> bool:
        return self.force if isinstance(self.force, bool) else step.kind in self.force

    def _execute(self, step: Step) -> Outcome:
        start = time.perf_counter()
        staging = fresh(self.paths.staging / _slug(step.key))
        context = Context(self.paths, self.cancel, self.render_timeout, self._submit, self.say,
                          progress=self._bar is not None)
        self._contexts[step.key] = context
        try:
            inputs = step.inputs()
            written = step.write(staging, context) or Written()
            if self.cancel.is_set():
                raise Cancelled("stopped: the build was cancelled")
            missing = [name for name in step.targets if name != step.record and not (staging / name).exists()]
            if missing:
                raise AnalysisError(f"{step.title} wrote no {', '.join(missing)}")
            if step.check is not None:
                step.check(staging)
            if written.read:
                inputs["read"] = dict(sorted(written.read.items()))
            record = make_record(step, inputs, staged_outputs(step, staging), written.fields, self.paths)
            write_record(staging / step.record, record)
            if self.cancel.is_set():
                raise Cancelled("stopped: the build was cancelled")
            publish(staging, step.targets, pause=float(os.environ.get(PAUSE_ENV, "0") or 0))
        except OSError as exc:
            remove(staging)
            raise _published_name(exc, step, staging) from None
        except BaseException:
            remove(staging)
            raise
        finally:
            self._contexts.pop(step.key, None)
        return Outcome(step, "ran", seconds=time.perf_counter() - start)

    # --- the graph -----------------------------------------------------------------------------

    def _clean(self) -> None:
        """Undo what killed builds left: interrupted publishes, staging folders, kernel files, temp files."""
        recover_all(self.paths.staging)
        shutil.rmtree(self.paths.kernel_runtime, ignore_errors=True)
        for folder in (self.paths.processed, self.paths.results, self.paths.paper):
            if folder.is_dir():
                for tmp in folder.rglob(".*.tmp*"):
                    if tmp.is_file() and is_litter(tmp):
                        tmp.unlink(missing_ok=True)

    def run(self, steps: list[Step]) -> Report:
        """Bring every step of ``steps`` (in an order where each comes after its needs) up to date.

        Returns the :class:`Report`; raises :class:`StepFailed` naming the step that
        failed (after running every step that did not need it) or :class:`Interrupted`.
        """
        start = time.perf_counter()
        report = Report()
        with build_lock(self.paths):
            if not self.dry_run:
                self._clean()
            try:
                self._walk(steps, report)
            finally:
                self._stop_pools()
                if self._bar is not None:
                    self._bar.close()
                    self._bar = None
        report.seconds = time.perf_counter() - start
        failed = report.of("failed")
        if failed:
            first = failed[0]
            error = first.error
            if error is not None and not isinstance(error, (AnalysisError, OSError)):
                raise error  # a bug: its traceback says more than a line
            more = f" ({len(failed) - 1} other steps failed too)" if len(failed) > 1 else ""
            not_run = len(report.of("not run"))
            after = f"; {not_run} steps that need it were not run" if not_run else ""
            title = "" if isinstance(error, RawDataError) else f"{first.step.title}: "  # it names its file
            raise StepFailed(f"{title}{first.reason}; "
                             f"{_as_they_were(first.step.shown_targets(self.paths))}{after}{more}") from error
        return report

    def _bar_for(self, steps: list[Step]) -> None:
        if self.progress and not self.dry_run:
            from tqdm import tqdm
            self._bar = tqdm(total=len(steps), unit="step", desc="build", file=sys.stderr, leave=False,
                             dynamic_ncols=True)

    def _walk(self, steps: list[Step], report: Report) -> None:
        keys = {s.key for s in steps}
        done: dict[str, Outcome] = {}
        pending = list(steps)
        running: dict[Future, Step] = {}
        self._bar_for(steps)

        def finish(outcome: Outcome) -> None:
            done[outcome.step.key] = outcome
            report.outcomes.append(outcome)
            if self._bar is not None:
                self._bar.update()

        threads = ThreadPoolExecutor(max_workers=self.jobs, thread_name_prefix="step")
        try:
            while pending or running:
                for step in list(pending):
                    needs = [done.get(k) for k in step.needs if k in keys]
                    if any(n is None for n in needs):
                        continue
                    failed = [n for n in needs if n.status in ("failed", "not run")]
                    if failed and not step.after_failures:
                        pending.remove(step)
                        what = "failed" if failed[0].status == "failed" else "did not run"
                        finish(Outcome(step, "not run", f"needs {failed[0].step.title}, which {what}"))
                        continue
                    upstream = [n for n in needs if n.status == "would run"]
                    if upstream:
                        pending.remove(step)
                        finish(Outcome(step, "would run", f"after {upstream[0].step.title}"))
                        self.say(f"would run  {step.title}: after {upstream[0].step.title}")
                        continue
                    if len(running) >= self.jobs:
                        break
                    pending.remove(step)
                    reason = why_stale(step, self.paths, self._forced(step))
                    if reason is None:
                        finish(Outcome(step, "current"))
                    elif self.dry_run:
                        finish(Outcome(step, "would run", reason))
                        self.say(f"would run  {step.title}: {reason}")
                    else:
                        if not step.kind.endswith("country"):
                            self.say(f"run  {step.title} ({reason})")
                        if self._bar is not None:
                            self._bar.set_postfix_str(step.title, refresh=True)
                        running[threads.submit(self._execute, step)] = step
                if not running:
                    continue
                finished, _ = wait(list(running), timeout=0.5, return_when=FIRST_COMPLETED)
                for future in finished:
                    step = running.pop(future)
                    finish(self._result(step, future))
        except KeyboardInterrupt:
            self._interrupt(running, pending, report, finish)
        finally:
            threads.shutdown(wait=True, cancel_futures=True)
        if self.dry_run and not report.of("would run"):
            self.say("nothing to do: every step is up to date")

    def _result(self, step: Step, future: Future) -> Outcome:
        try:
            return future.result()
        except (Cancelled, KeyboardInterrupt) as exc:
            return Outcome(step, "not run", "cancelled", error=exc)
        except Exception as exc:  # noqa: BLE001 - reported with the step, the other steps go on
            reason = _message(exc, self.paths)
            if not step.kind.endswith("country"):
                self.say(f"failed  {step.title}: {reason}")
            return Outcome(step, "failed", reason, error=exc)

    def _interrupt(self, running: dict[Future, Step], pending: list[Step], report: Report,
                   finish: Callable[[Outcome], None]) -> None:
        """Stop everything under way, wait for it, and raise :class:`Interrupted` with the truth."""
        self.cancel.set()
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut this short
        try:
            for context in list(self._contexts.values()):
                for stop in context.on_cancel:
                    try:
                        stop()
                    except Exception:  # noqa: BLE001 - stopping is best effort; the wait below bounds it
                        pass
            self._stop_pools()
            finished, _ = wait(list(running), timeout=STOP_WAIT)
            for future in finished:
                finish(self._result(running[future], future))
        finally:
            signal.signal(signal.SIGINT, previous)
        published = [o.step for o in report.of("ran")]
        untouched = [t for step in [*running.values(), *pending] if step.key not in
                     {s.key for s in published} for t in step.shown_targets(self.paths)]
        more = f" and {len(published) - 3} more" if len(published) > 3 else ""
        titles = _and([s.title for s in published][:3]) if published else ""
        said = f"published whole before it: {titles}{more}; " if published else ""
        raise Interrupted(f"interrupted (Ctrl-C); {said}{_as_they_were(untouched)}") from None
