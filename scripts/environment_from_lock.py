"""Write ``environment.yml`` from ``requirements.lock``, so that the conda route pins the same versions.

The conda environment takes Python, pip, setuptools and Quarto from conda-forge and
every Python package from the lock, at the lock's versions, through pip. Run by
``make lock``; ``tests/test_packaging.py`` checks that the two files agree.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUARTO = "1.7.34"  # the Quarto CI renders with (../shared/tools/quarto)
FROM_CONDA = ("pip", "setuptools")  # locked, but installed by conda beside Python

HEADER = """\
# Conda environment (conda-forge) with Quarto and JupyterLab. Written by `make lock` from
# requirements.lock (scripts/environment_from_lock.py): do not edit by hand.
#   conda env create -f environment.yml && conda activate dprk-slavery
#   pip install --no-deps -e . && python -m analysis all
# Binder (repo2docker) builds this environment, then runs postBuild to install the package.
name: dprk-slavery
channels:
  - conda-forge
  - nodefaults
dependencies:
  - python=3.11
"""


def locked_pins(lock_text: str) -> dict[str, str]:
    """Return ``{name: version}`` for every ``name==version`` line of a requirements lock."""
    pins = re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)", lock_text, flags=re.MULTILINE)
    return dict(pins)


def environment_yml(pins: dict[str, str]) -> str:
    """Return the text of ``environment.yml`` for the locked ``pins``."""
    lines = [HEADER.rstrip("\n")]
    lines += [f"  - {name}={pins[name]}" for name in FROM_CONDA]
    lines += [f"  - quarto={QUARTO}", "  - pip:"]
    lines += [f"      - {name}=={version}" for name, version in sorted(pins.items())
              if name not in FROM_CONDA]
    return "\n".join(lines) + "\n"


def main() -> int:
    """Rewrite environment.yml beside the lock."""
    pins = locked_pins((ROOT / "requirements.lock").read_text(encoding="utf-8"))
    (ROOT / "environment.yml").write_text(environment_yml(pins), encoding="utf-8")
    print(f"wrote environment.yml ({len(pins)} pinned packages)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
