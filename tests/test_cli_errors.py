"""Every failure a user can cause ends in one ``error:`` line: exit 2, or 130 after Ctrl-C.

Issue 11 listed the ones that gave a raw traceback instead: malformed ``-p``
JSON, ``-p`` that is not an object, a read-only ``results/``, a full disk,
Ctrl-C, and a missing data folder (a non-editable ``pip install .``).
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import analysis.paths
import analysis.data.processed
from analysis.cli import main
from analysis.paths import ProjectPaths

from cli_helpers import assert_one_error_line, run_cli, started_as_from_a_terminal
from conftest import cli, copy_project, edit_raw, on_a_small_disk, snapshot


@pytest.fixture
def project(scratch, paths) -> ProjectPaths:
    """A scratch copy with the notebooks too, so that the notebooks command can start."""
    shutil.copytree(paths.notebooks, scratch.notebooks)
    return scratch


@pytest.mark.parametrize(("given", "expected"), [
    ("{country: PRK}", r"-p '\{country: PRK\}' is not valid JSON \(Expecting property name "
                       r"enclosed in double quotes at character 2\)"),
    ("[1, 2]", r"-p '\[1, 2\]' is a JSON list, not an object"),
    ('"PRK"', "is a JSON str, not an object"),
])
def test_malformed_parameters_are_one_line(project, monkeypatch, capsys, given, expected):
    run = run_cli(["notebooks", "country_snapshot", "-p", given], project, monkeypatch, capsys)
    assert run.status == 2
    assert_one_error_line(run.err)
    assert pytest.importorskip("re").search(expected, run.err), run.err
    assert not project.results.exists(), "nothing may be written"


def test_usage_error_is_one_line(project, monkeypatch, capsys):
    run = run_cli(["bake"], project, monkeypatch, capsys)
    assert run.status == 2
    assert_one_error_line(run.err)
    assert "invalid choice: 'bake'" in run.err


def test_results_that_cannot_be_written_is_one_line(project, monkeypatch, capsys):
    # A file where the results/ folder should be: the writes fail with an OSError, as root too.
    project.results.write_text("not a folder\n")
    run = run_cli(["notebooks", "country_snapshot"], project, monkeypatch, capsys)
    assert run.status == 2
    assert_one_error_line(run.err)
    assert "results" in run.err and "a file stands where a folder is needed" in run.err


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may write anywhere")
def test_read_only_results_is_one_line(project, monkeypatch, capsys):
    project.results.mkdir()
    project.results.chmod(0o555)
    try:
        run = run_cli(["notebooks", "country_snapshot"], project, monkeypatch, capsys)
    finally:
        project.results.chmod(0o755)
    assert run.status == 2
    assert_one_error_line(run.err)
    assert "Permission denied: results" in run.err and "make the folder writable" in run.err


def _change_two_processed_tables(scratch: ProjectPaths) -> None:
    """A valid edit that changes gsi_country_edition.csv and gsi_country_wide.csv."""
    edit_raw(scratch, "gsi2023_country_table.csv",
             lambda t: t.replace(",67.01499449667587,", ",67.5,"))


def test_a_full_disk_leaves_data_processed_as_it_was_and_names_the_file(scratch, tmp_path):
    _change_two_processed_tables(scratch)
    with on_a_small_disk(scratch, 100) as small:  # room for a table or two, not all
        before = snapshot(small.processed)
        run = cli(small.root, "data", check=False)
        assert run.returncode == 2, run.stdout
        assert_one_error_line(run.stderr)
        assert "No space left on device: data/processed/" in run.stderr, run.stderr
        assert "free some disk space" in run.stderr and "data/processed is as it was" in run.stderr
        assert ".tmp" not in run.stderr and ".staging" not in run.stderr, "name the file, not its staging"
        assert snapshot(small.processed) == before


@pytest.mark.notebooks
def test_a_full_disk_during_a_run_names_the_file(built, tmp_path):
    project = ProjectPaths(copy_project(built, tmp_path / "p", with_outputs=True))
    with on_a_small_disk(project, 400) as small:
        run = cli(small.root, "notebooks", "country_snapshot", "-p", '{"country": "USA"}', check=False)
        assert run.returncode == 2, run.stdout
        assert_one_error_line(run.stderr)
        assert "No space left on device" in run.stderr
        assert "results/runs/country_snapshot/USA_2023-" in run.stderr, run.stderr


@pytest.fixture
def terminal_ctrl_c():
    """Ctrl-C raises KeyboardInterrupt, as in a foreground terminal, even if pytest started with it
    ignored (a background job); the handler is put back afterwards."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def test_ctrl_c_mutes_what_the_libraries_log_while_unwinding(scratch, monkeypatch, capsys, terminal_ctrl_c):
    _change_two_processed_tables(scratch)
    real = analysis.data.processed.build_tables

    def interrupted_while_a_library_cleans_up(paths):
        try:
            os.kill(os.getpid(), signal.SIGINT)  # the user presses Ctrl-C
            time.sleep(0.5)
        finally:  # as nbclient does when its kernel goes away
            logging.getLogger("nbclient").error("Kernel died while waiting for execute reply.")
        return real(paths)
    monkeypatch.setattr("analysis.data.processed.build_tables", interrupted_while_a_library_cleans_up)
    run = run_cli(["data"], scratch, monkeypatch, capsys)
    assert run.status == 130
    assert_one_error_line(run.err)
    assert logging.root.manager.disable == logging.NOTSET, "logging is back for in-process callers"
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_ctrl_c_while_files_are_published_changes_all_of_them(scratch, monkeypatch, capsys, terminal_ctrl_c):
    _change_two_processed_tables(scratch)
    before = snapshot(scratch.processed)
    real = os.replace

    def replace_after_ctrl_c(src, dst):
        if Path(dst) == scratch.processed:  # the publish moves data/processed: the user presses Ctrl-C
            os.kill(os.getpid(), signal.SIGINT)
            monkeypatch.setattr(os, "replace", real)
        return real(src, dst)
    monkeypatch.setattr(os, "replace", replace_after_ctrl_c)
    run = run_cli(["data"], scratch, monkeypatch, capsys)
    assert run.status == 130
    assert_one_error_line(run.err)
    assert "published whole before it: data/processed" in run.err
    after = snapshot(scratch.processed)
    changed = {name for name in after if after[name] != before[name]}
    assert changed == {"gsi_country_edition.csv", "gsi_country_wide.csv"}, "half of the files changed"


def test_ctrl_c_in_a_real_process(scratch):
    _change_two_processed_tables(scratch)
    env = {**os.environ, "ANALYSIS_ROOT": str(scratch.root)}
    before = snapshot(scratch.processed)
    proc = subprocess.Popen([sys.executable, "-m", "analysis", "data"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=started_as_from_a_terminal)
    assert proc.stdout.readline().startswith("run  data/processed")  # the build is under way
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    if proc.returncode == 0:
        pytest.skip("the build finished before the signal arrived")
    assert proc.returncode == 130, err
    assert_one_error_line(err)
    after = snapshot(scratch.processed)
    assert after == before or "published whole before it: data/processed" in err


def test_missing_data_folder_says_what_to_do(tmp_path, monkeypatch, capsys):
    run = run_cli(["data"], ProjectPaths(tmp_path), monkeypatch, capsys)
    assert run.status == 2
    assert_one_error_line(run.err)
    assert "from a checkout" in run.err and "ANALYSIS_ROOT" in run.err


def test_installed_package_uses_the_checkout_it_is_run_from(scratch, tmp_path, monkeypatch, capsys):
    # A non-editable install: the package sits in site-packages, with no data beside it.
    monkeypatch.delenv("ANALYSIS_ROOT", raising=False)
    monkeypatch.setattr(analysis.paths, "checkout_root", lambda: tmp_path / "site-packages")
    monkeypatch.chdir(scratch.root)
    assert main(["verify"]) == 0
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    capsys.readouterr()
    assert main(["verify"]) == 2
    err = capsys.readouterr().err
    assert_one_error_line(err)
    assert "from a checkout" in err and "ANALYSIS_ROOT" in err
    assert f"neither {tmp_path / 'site-packages'} (two folders above the installed package)" in err


def test_output_into_a_closed_pipe_ends_quietly(paths):
    proc = subprocess.Popen([sys.executable, "-m", "analysis", "verify"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    proc.stdout.close()  # as `| head -0` does
    err = proc.stderr.read()
    assert proc.wait(timeout=60) == 1
    assert err == ""
