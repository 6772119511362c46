"""JupyterLab works, and leaves the paper alone: a real Lab server, started as `make lab` starts it.

The server is `python -m analysis lab` on a free port of 127.0.0.1 with a random
token, on a copy of the built project that is a git checkout, with a notebook a
student added (`python -m analysis new`). The tests list `notebooks/` through the
REST API, open a session (and so a kernel) for each notebook as the Lab does,
execute its cells over the kernel's websocket, and save the notebook with its
outputs and the metadata the Lab writes, through the same API the Lab's Save
calls. Nothing is hard-coded about the notebooks: they are those in `notebooks/`.
"""

import asyncio
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from analysis.paths import ProjectPaths, project_paths
from analysis.runs.notebooks import discover

from conftest import cli, copy_project, tree_digest

pytest.importorskip("jupyterlab", reason="JupyterLab is not installed (it is in requirements.lock)")
websocket = pytest.importorskip("tornado.websocket", reason="tornado comes with JupyterLab")

pytestmark = pytest.mark.notebooks

#: The notebooks of the checkout, runnable ones, as the Lab lists them (file names).
NOTEBOOKS = sorted(nb.path.name for nb in discover(project_paths()).values() if nb.runnable)
#: What JupyterLab writes into a notebook's metadata when it saves one it has run.
LAB_METADATA = {
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
    "language_info": {"codemirror_mode": {"name": "ipython", "version": 3}, "file_extension": ".py",
                      "mimetype": "text/x-python", "name": "python", "nbconvert_exporter": "python",
                      "pygments_lexer": "ipython3", "version": sys.version.split()[0]}}
START_TIMEOUT_S = 120
CELL_TIMEOUT_S = 300


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Lab:
    """A running `python -m analysis lab` (JupyterLab) and how to call its REST API."""

    def __init__(self, root: Path, log: Path) -> None:
        self.root = root
        self.port, self.token = _free_port(), secrets.token_hex(16)
        env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}  # as on a student's machine
        env.update(ANALYSIS_ROOT=str(root), JUPYTER_CONFIG_DIR=str(log.parent / "config"),
                   JUPYTER_DATA_DIR=str(log.parent / "data"), JUPYTER_RUNTIME_DIR=str(log.parent / "run"))
        self.log = log.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "analysis", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={self.port}",
             "--ServerApp.port_retries=0", f"--IdentityProvider.token={self.token}"],
            stdout=self.log, stderr=subprocess.STDOUT, env=env, cwd=root)

    def get(self, path: str) -> str:
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}/{path}",
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.read().decode()

    def api(self, path: str, method: str = "GET", body: dict | None = None) -> object:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/api/{path}", method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read()
        return json.loads(text) if text else None

    def wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"jupyter lab exited {self.process.returncode}")
            try:
                self.api("status")
                return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.5)
        raise AssertionError(f"jupyter lab did not answer within {START_TIMEOUT_S} s")

    def stop(self) -> None:
        try:
            self.api("shutdown", "POST")
            self.process.wait(timeout=30)
        except Exception:
            self.process.terminate()
            self.process.wait(timeout=30)
        finally:
            self.log.close()


def _message(session: str, code: str) -> dict:
    msg_id = uuid.uuid4().hex
    return {"header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "test",
                       "session": session, "version": "5.3", "date": ""},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True}}


async def _execute(lab: Lab, kernel_id: str, cells: list[str]) -> list[list[dict]]:
    """Run ``cells`` in order over the kernel's websocket; return each cell's outputs as nbformat
    outputs (what the Lab keeps in the notebook)."""
    url = f"ws://127.0.0.1:{lab.port}/api/kernels/{kernel_id}/channels?token={lab.token}"
    conn = await websocket.websocket_connect(url)
    session, outputs = uuid.uuid4().hex, []
    try:
        for count, code in enumerate(cells, 1):
            request = _message(session, code)
            await conn.write_message(json.dumps(request))
            cell: list[dict] = []
            while True:
                raw = await asyncio.wait_for(conn.read_message(), CELL_TIMEOUT_S)
                assert raw is not None, "the kernel's websocket closed"
                msg = json.loads(raw)
                if msg.get("parent_header", {}).get("msg_id") != request["header"]["msg_id"]:
                    continue
                kind, content = msg["header"]["msg_type"], msg["content"]
                if kind == "stream":
                    cell.append({"output_type": "stream", "name": content["name"], "text": content["text"]})
                elif kind in ("display_data", "execute_result"):
                    cell.append({"output_type": kind, "data": content["data"],
                                 "metadata": content["metadata"],
                                 **({"execution_count": count} if kind == "execute_result" else {})})
                elif kind == "error":
                    raise AssertionError(f"{content['ename']}: {content['evalue']}\n{code}")
                if kind == "status" and content["execution_state"] == "idle":
                    break
            outputs.append(cell)
    finally:
        conn.close()
    return outputs


def run_by_hand(server: Lab, name: str, first: str | None = None) -> tuple[dict, list[list[dict]]]:
    """Open notebook ``name`` in a kernel of the Lab and run every code cell (after ``first``, if given);
    return the notebook as the Lab holds it, outputs, counts and metadata filled in, and the outputs."""
    notebook = server.api(f"contents/{name}")["content"]
    session = server.api("sessions", "POST", {"path": name, "type": "notebook", "name": name,
                                              "kernel": {"name": "python3"}})
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    try:
        sources = ([first] if first else []) + ["".join(c["source"]) if isinstance(c["source"], list)
                                                else c["source"] for c in code]
        # In a thread of its own: an event loop may already run in this one (test_browser's
        # session-wide Playwright), and asyncio.run refuses to start a second.
        with ThreadPoolExecutor(1) as thread:
            outputs = thread.submit(asyncio.run, _execute(server, session["kernel"]["id"], sources)).result()
    finally:
        server.api(f"sessions/{session['id']}", "DELETE")
    for count, (cell, out) in enumerate(zip(code, outputs[1:] if first else outputs), 1):
        cell["outputs"], cell["execution_count"] = out, count
        cell["metadata"]["execution"] = {"iopub.execute_input": "2026-12-01T00:00:00.000Z"}
    notebook["metadata"].update(json.loads(json.dumps(LAB_METADATA)))
    return notebook, outputs


def save(server: Lab, name: str, notebook: dict) -> None:
    """Save ``notebook`` as ``name`` the way the Lab's File > Save does."""
    server.api(f"contents/{name}", "PUT", {"type": "notebook", "format": "json", "content": notebook})


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def lab(tmp_path_factory, built, paths):
    """A Lab server on a git checkout of the built project, with a student's notebook added."""
    scratch = tmp_path_factory.mktemp("lab")
    project = ProjectPaths(copy_project(built, scratch / "project", with_outputs=True))
    cli(project.root, "new", "regional_ranks")
    for name in (".gitignore", ".gitattributes"):
        shutil.copy(paths.root / name, project.root / name)
    for command in (["init", "-q"], ["add", "-A"],
                    ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"]):
        _git(project.root, *command)
    stale = project.lab_state / "workspaces" / "lab-a511.jupyterlab-workspace"
    stale.parent.mkdir(parents=True, exist_ok=True)
    stale.write_text('{"data": {"layout-restorer:data": {"main": {"dock": {"widgets": '
                     '["notebook:x.ipynb"]}}}}, "metadata": {"id": "default"}}')
    server = Lab(project.root, scratch / "lab.log")
    try:
        server.wait_ready()
        yield server, project
    finally:
        server.stop()


def test_the_lab_lists_the_notebooks_in_the_folder(lab):
    server, project = lab
    listed = {item["name"] for item in server.api("contents/")["content"] if item["type"] == "notebook"}
    assert listed == {nb.path.name for nb in discover(project).values()}
    assert "04_regional_ranks.ipynb" in listed


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_each_notebook_runs_in_a_lab_kernel_and_shows_its_charts(lab, name):
    server, project = lab
    _, outputs = run_by_hand(server, name, first="import os; print(os.getcwd())")
    assert outputs[0][0]["text"].strip() == str(project.notebooks)  # the kernel runs in notebooks/
    shown = [o for cell in outputs for o in cell]
    assert any("image/png" in o.get("data", {}) for o in shown), f"{name}: no chart shown"
    text = " ".join(str(o.get("data", {}).get("text/plain", "")) for o in shown)
    assert "PosixPath" not in text  # figure cells end with ';'


def test_running_and_saving_in_the_lab_changes_no_tracked_file_and_reruns_nothing(lab):
    server, project = lab
    name = "01_country_snapshot.ipynb"
    before = (project.notebooks / name).read_bytes()
    published = tree_digest(project.root, ("data/processed", "results/runs", "paper/_output"))
    would_run = cli(project.root, "all", "--engine", "pandoc", "--dry-run").stdout
    notebook, _ = run_by_hand(server, name)
    save(server, name, notebook)
    assert (project.notebooks / name).read_bytes() == before  # no outputs, counts or session metadata
    assert _git(project.root, "status", "--porcelain", "notebooks") == ""
    assert "nothing to do" in cli(project.root, "notebooks", "--dry-run").stdout  # the paper's runs
    # (The paper would rerun only because this copy became a git checkout after it was built.)
    assert cli(project.root, "all", "--engine", "pandoc", "--dry-run").stdout == would_run
    assert tree_digest(project.root, ("data/processed", "results/runs", "paper/_output")) == published


def test_a_run_in_the_lab_keeps_a_record_and_the_executed_notebook(lab):
    server, project = lab
    name = "04_regional_ranks.ipynb"
    notebook, _ = run_by_hand(server, name)
    save(server, name, notebook)
    (folder,) = (project.interactive / "regional_ranks").iterdir()
    assert folder.name.startswith("PRK_2023-")
    record = json.loads((folder / "record.json").read_text())
    assert record["by_hand"] is True and record["parameters"] == {"country": "PRK", "edition": 2023}
    assert "data/processed/gsi_country_edition.csv" in record["inputs"]["read"]
    assert any(f.endswith("src/analysis/runs/outputs.py") for f in record["inputs"]["read"])
    assert record["inputs"]["notebook"]["file"] == "notebooks/04_regional_ranks.ipynb"
    assert sorted(record["outputs"]) == ["figures/region_prevalence.png", "figures/region_prevalence.svg",
                                         "notebook.ipynb", "tables/region.csv", "values.json"]
    executed = json.loads((folder / "notebook.ipynb").read_text())
    assert any(o.get("output_type") == "display_data"
               for c in executed["cells"] for o in c.get("outputs", []))
    listed = cli(project.root, "runs").stdout
    assert f"lab    results/interactive/regional_ranks/{folder.name}/  country='PRK', edition=2023" in listed


def test_outputs_written_by_another_editor_never_reach_git(lab):
    server, project = lab
    path = project.notebooks / "02_edition_comparison.ipynb"
    nb = json.loads(path.read_text())
    nb["cells"][1]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "hello\n"}]
    nb["cells"][1]["execution_count"] = 7
    nb["metadata"]["language_info"] = LAB_METADATA["language_info"]
    original = path.read_text()
    try:
        path.write_text(json.dumps(nb, indent=1))
        _git(project.root, "add", "notebooks")
        assert _git(project.root, "diff", "--cached", "--stat") == ""  # git's filter stripped it
    finally:
        path.write_text(original)
        _git(project.root, "add", "notebooks")


def test_the_lab_opens_without_news_and_without_the_last_sessions_tabs(lab):
    server, project = lab
    page = server.get("lab")
    config = json.loads(page.split('id="jupyter-config-data" type="application/json">', 1)[1]
                        .split("</script>", 1)[0])
    assert config["news"] == {"disabled": True}
    assert json.loads(server.get("lab/api/workspaces"))["workspaces"]["ids"] == []  # the stale one went


def test_in_a_browser_the_lab_shows_no_news_and_no_old_tabs(lab, tmp_path):
    from paper_renders import chromium, require

    exe = chromium()
    require(exe, "chromium (apt-get install chromium)")
    server, project = lab

    def look() -> dict:
        from playwright.sync_api import sync_playwright
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=exe, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(f"http://127.0.0.1:{server.port}/lab?token={server.token}")
            page.wait_for_selector(".jp-DirListing-item", timeout=60_000)  # the file browser is up
            page.wait_for_timeout(5_000)  # the news question, if any, comes a moment later
            page.screenshot(path=str(tmp_path / "lab.png"))
            seen = {"toasts": page.locator(".Toastify__toast").all_inner_texts(),
                    "notebook_tabs": page.locator(".jp-NotebookPanel").count(),
                    "files": page.locator(".jp-DirListing-itemName").all_inner_texts()}
            browser.close()
            return seen

    with ThreadPoolExecutor(1) as thread:  # Playwright's sync API may not share a thread with another loop
        seen = thread.submit(look).result()
    assert not [t for t in seen["toasts"] if "news" in t.lower()], seen["toasts"]
    assert seen["notebook_tabs"] == 0, "a tab of an old session was reopened"
    assert "04_regional_ranks.ipynb" in seen["files"]
