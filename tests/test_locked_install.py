"""The environment is installed from the hashed lock, and every hash is checked (issue 14, pip).

Real pip, on a real local wheel: a package already installed at the locked version must not
escape the hash check.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def _wheel(folder: Path, body: str) -> Path:
    """A minimal wheel of ``hashdemo`` 1.0 whose module holds ``body``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "hashdemo-1.0-py3-none-any.whl"
    info = "hashdemo-1.0.dist-info"
    with zipfile.ZipFile(path, "w") as whl:
        whl.writestr("hashdemo.py", body)
        whl.writestr(f"{info}/METADATA", "Metadata-Version: 2.1\nName: hashdemo\nVersion: 1.0\n")
        whl.writestr(f"{info}/WHEEL",
                     "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
        whl.writestr(f"{info}/RECORD", "")
    return path


def test_an_installed_package_is_checked_against_the_lock(tmp_path, paths):
    import hashlib

    good = _wheel(tmp_path / "good", "VALUE = 1\n")
    digest = hashlib.sha256(good.read_bytes()).hexdigest()
    lock = tmp_path / "requirements.lock"
    lock.write_text(f"hashdemo==1.0 --hash=sha256:{digest}\n")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([venv / "bin" / "python", "-m", "pip", "install", "-q", "--no-index", str(good)],
                   check=True)
    # The file the index now serves is not the one the lock hashed: pip must refuse it,
    # though a package of that name and version is installed already.
    _wheel(tmp_path / "index", "VALUE = 'tampered'\n")
    run = subprocess.run(["sh", str(paths.root / "scripts" / "install_locked.sh"), str(venv), str(lock),
                          "--no-index", "--find-links", str(tmp_path / "index")],
                         capture_output=True, text=True, cwd=paths.root)
    assert run.returncode != 0, run.stdout + run.stderr
    assert "THESE PACKAGES DO NOT MATCH THE HASHES" in run.stderr
