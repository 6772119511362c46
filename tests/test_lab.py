"""JupyterLab works: a real Lab server lists the notebooks and runs each in a kernel, charts included.

The test starts `jupyter lab` on a free port of 127.0.0.1 with a random token,
lists `notebooks/` through the REST API, opens a session (and so a kernel) for
each notebook as the Lab does, executes its cells over the kernel's websocket,
and checks that the kernel ran in `notebooks/` and that the outputs hold PNG
charts; then it shuts the server down. The notebooks run on a copy of the
project, so their outputs (in results/interactive/) never touch the checkout.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
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

from analysis.paths import ProjectPaths

from conftest import copy_project

pytest.importorskip("jupyterlab", reason="JupyterLab is not installed (it is in requirements.lock)")
websocket = pytest.importorskip("tornado.websocket", reason="tornado comes with JupyterLab")

pytestmark = pytest.mark.notebooks

#: Charts (image/png outputs) each notebook shows at least, with its default parameters.
CHARTS = {"01_country_snapshot.ipynb": 5, "02_edition_comparison.ipynb": 1,
          "03_population_sensitivity.ipynb": 1}
START_TIMEOUT_S = 120
CELL_TIMEOUT_S = 300


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Lab:
    """A running `jupyter lab` server and how to call its REST API."""

    def __init__(self, root: Path, notebooks: Path, log: Path) -> None:
        self.port, self.token = _free_port(), secrets.token_hex(16)
        env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}  # as on a student's machine
        env.update(ANALYSIS_ROOT=str(root), JUPYTER_CONFIG_DIR=str(log.parent / "config"),
                   JUPYTER_DATA_DIR=str(log.parent / "data"), JUPYTER_RUNTIME_DIR=str(log.parent / "run"))
        self.log = log.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", "--ip=127.0.0.1",
             f"--port={self.port}",
             "--ServerApp.port_retries=0", f"--IdentityProvider.token={self.token}",
             f"--ServerApp.root_dir={notebooks}", "--LabApp.news_url=None",
             "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
            stdout=self.log, stderr=subprocess.STDOUT, env=env)

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


async def _execute(lab: Lab, kernel_id: str, cells: list[str]) -> list[dict]:
    """Run ``cells`` in order over the kernel's websocket; return every output message's content."""
    url = f"ws://127.0.0.1:{lab.port}/api/kernels/{kernel_id}/channels?token={lab.token}"
    conn = await websocket.websocket_connect(url)
    session, outputs = uuid.uuid4().hex, []
    try:
        for code in cells:
            request = _message(session, code)
            await conn.write_message(json.dumps(request))
            while True:
                raw = await asyncio.wait_for(conn.read_message(), CELL_TIMEOUT_S)
                assert raw is not None, "the kernel's websocket closed"
                msg = json.loads(raw)
                if msg.get("parent_header", {}).get("msg_id") != request["header"]["msg_id"]:
                    continue
                kind = msg["header"]["msg_type"]
                if kind in ("display_data", "execute_result", "stream", "error"):
                    outputs.append({"type": kind, **msg["content"]})
                if kind == "error":
                    raise AssertionError(f"{msg['content']['ename']}: {msg['content']['evalue']}\n{code}")
                if kind == "status" and msg["content"]["execution_state"] == "idle":
                    break
    finally:
        conn.close()
    return outputs


@pytest.fixture(scope="module")
def lab(tmp_path_factory, paths):
    scratch = tmp_path_factory.mktemp("lab")
    project = ProjectPaths(copy_project(paths, scratch / "project"))
    server = Lab(project.root, project.notebooks, scratch / "lab.log")
    try:
        server.wait_ready()
        yield server, project
    finally:
        server.stop()


def test_the_lab_lists_the_notebooks(lab):
    server, _ = lab
    listed = {item["name"] for item in server.api("contents/")["content"] if item["type"] == "notebook"}
    assert listed == set(CHARTS)


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_each_notebook_runs_in_a_lab_kernel_and_shows_its_charts(lab, name):
    server, project = lab
    notebook = server.api(f"contents/{name}")["content"]
    session = server.api("sessions", "POST", {"path": name, "type": "notebook", "name": name,
                                              "kernel": {"name": "python3"}})
    kernel = session["kernel"]["id"]
    try:
        cells = ["import os; print(os.getcwd())"]
        cells += ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                  for c in notebook["cells"] if c["cell_type"] == "code"]
        # In a thread of its own: an event loop may already run in this one (test_browser's
        # session-wide Playwright), and asyncio.run refuses to start a second.
        with ThreadPoolExecutor(1) as thread:
            outputs = thread.submit(asyncio.run, _execute(server, kernel, cells)).result()
    finally:
        server.api(f"sessions/{session['id']}", "DELETE")
    assert outputs[0]["text"].strip() == str(project.notebooks)  # the kernel runs in notebooks/
    charts = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(charts) >= CHARTS[name], f"{name}: {len(charts)} charts shown"
    shown = " ".join(str(o.get("data", {}).get("text/plain", "")) for o in outputs)
    assert "PosixPath" not in shown  # figure cells end with ';'
    assert (project.results / "interactive").is_dir()  # run by hand: outputs go to results/interactive
