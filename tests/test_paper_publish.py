"""The paper publishes like every other step (issue 14, failure 2).

A real renderer program on the PATH (a ``quarto`` that fails, hangs, writes garbage, or is
interrupted or killed) and a real full disk (a small tmpfs): each must leave
``paper/_output``, ``paper/_generated`` and ``paper/_variables.yml`` exactly as they were, and
the message must say so truthfully.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from analysis.paths import ProjectPaths

from conftest import PAPER_STATE, on_a_small_disk, tree_digest
from cli_helpers import is_running, started_as_from_a_terminal

pytestmark = [pytest.mark.paper, pytest.mark.notebooks]

FAKE_QUARTO = textwrap.dedent("""\
    #!/bin/sh
    # A stand-in for quarto: logs its arguments, then behaves as $FAKE_QUARTO says.
    echo "$*" >> "$FAKE_QUARTO_LOG"
    case "$1 $2" in
      "--version "*) [ "$FAKE_QUARTO" = version-hangs ] && exec sleep 600; echo 1.7.34; exit 0;;
      "pandoc --version") echo "pandoc 3.6.3"; exit 0;;
      "typst --version") echo "typst 0.13.0"; exit 0;;
    esac
    case "$FAKE_QUARTO" in
      fails) echo "ERROR: the renderer failed" >&2; exit 1;;
      hangs) touch "$FAKE_QUARTO_LOG.rendering"; echo $$ > "$FAKE_QUARTO_LOG.pid"; exec sleep 600;;
      garbage)
        out="$2/_output"; [ -d "$2" ] || out=_output
        mkdir -p "$out"; echo "not html" > "$out/paper.html"; echo "not a pdf" > "$out/paper.pdf"; exit 0;;
    esac
    exit 3
""")


def _fake_quarto(tmp_path: Path, behaviour: str) -> dict[str, str]:
    """Environment with a fake ``quarto`` first on the PATH, behaving as ``behaviour`` says."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    exe = bin_dir / "quarto"
    exe.write_text(FAKE_QUARTO)
    exe.chmod(0o755)
    return {"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "FAKE_QUARTO": behaviour,
            "FAKE_QUARTO_LOG": str(tmp_path / "quarto.log")}


def _paper(project: ProjectPaths, extra_env: dict[str, str], *args: str, timeout: float = 300):
    env = {**os.environ, "ANALYSIS_ROOT": str(project.root), **extra_env}
    return subprocess.run([sys.executable, "-m", "analysis", "paper", "--force", *args], env=env,
                          capture_output=True, text=True, timeout=timeout)


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    return lines[0]


@pytest.mark.parametrize("behaviour", ["fails", "garbage"])
def test_a_failing_or_garbage_renderer_leaves_the_paper_as_it_was(project, tmp_path, behaviour):
    before = tree_digest(project.root, PAPER_STATE)
    run = _paper(project, _fake_quarto(tmp_path, behaviour))
    assert run.returncode == 2, run.stdout + run.stderr
    line = _one_line(run.stderr)
    assert "paper/_output" in line and "as they were" in line, line
    if behaviour == "garbage":
        assert "paper.html" in line or "paper.pdf" in line, line
    assert tree_digest(project.root, PAPER_STATE) == before


def test_a_hanging_renderer_times_out_and_leaves_the_paper_as_it_was(project, tmp_path):
    before = tree_digest(project.root, PAPER_STATE)
    start = time.monotonic()
    env = _fake_quarto(tmp_path, "hangs")
    run = _paper(project, env, "--render-timeout", "5", timeout=120)
    assert run.returncode == 2
    assert time.monotonic() - start < 60
    line = _one_line(run.stderr)
    assert "5 s" in line and "as they were" in line, line
    assert tree_digest(project.root, PAPER_STATE) == before
    # The timed-out renderer is gone with its children. Its own pid (exec keeps it), not a pattern that
    # another test's "sleep 600" on the same machine would also match.
    time.sleep(0.2)
    renderer = int(Path(f"{env['FAKE_QUARTO_LOG']}.pid").read_text())
    assert not is_running(renderer), "the renderer was left running"


def test_quarto_is_asked_its_version_once_and_not_waited_for_forever(project, tmp_path):
    env = _fake_quarto(tmp_path, "fails")
    _paper(project, env)
    log = Path(env["FAKE_QUARTO_LOG"]).read_text().splitlines()
    assert sum(line.startswith("--version") for line in log) == 1, log
    start = time.monotonic()
    run = _paper(project, {**env, "FAKE_QUARTO": "version-hangs"}, timeout=120)
    assert run.returncode == 2 and time.monotonic() - start < 60
    assert "quarto --version" in _one_line(run.stderr)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_an_interrupted_or_killed_render_leaves_the_paper_as_it_was(project, tmp_path, sig):
    before = tree_digest(project.root, PAPER_STATE)
    env = {**os.environ, "ANALYSIS_ROOT": str(project.root), **_fake_quarto(tmp_path, "hangs")}
    proc = subprocess.Popen([sys.executable, "-m", "analysis", "paper", "--force"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, preexec_fn=started_as_from_a_terminal)
    marker = Path(env["FAKE_QUARTO_LOG"] + ".rendering")
    deadline = time.monotonic() + 120
    while not marker.exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.1)
    assert marker.exists(), proc.communicate()
    os.killpg(proc.pid, sig)  # as a terminal does: the whole foreground group
    _, err = proc.communicate(timeout=60)
    assert tree_digest(project.root, PAPER_STATE) == before
    if sig == signal.SIGINT:
        assert proc.returncode == 130
        line = _one_line(err)
        assert "paper/_output" in line and "as they were" in line, line


def test_a_full_disk_while_rendering_leaves_the_paper_as_it_was(project, tmp_path):
    with on_a_small_disk(project, 600) as small:
        before = tree_digest(small.root, PAPER_STATE)
        run = _paper(small, {"PATH": os.environ["PATH"]}, "--engine", "pandoc")
        assert run.returncode == 2, run.stdout + run.stderr
        line = _one_line(run.stderr)
        assert "No space left on device" in line and "as they were" in line, line
        assert tree_digest(small.root, PAPER_STATE) == before
