"""environment.yml, pyproject.toml and requirements.lock name the same versions."""

from __future__ import annotations

import re
import tomllib

import yaml


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pyproject_pins(paths) -> dict[str, str]:
    project = tomllib.loads((paths.root / "pyproject.toml").read_text())["project"]
    pins = {}
    for req in [*project["dependencies"], *project["optional-dependencies"]["test"]]:
        name, version = req.split("==")
        pins[_norm(name)] = version
    return pins


def _environment_pins(paths) -> dict[str, str]:
    env = yaml.safe_load((paths.root / "environment.yml").read_text())
    pins = {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            for req in dep["pip"]:
                name, version = req.split("==")
                pins[_norm(name)] = version
        elif "=" in dep:
            name, version = dep.split("=", 1)
            pins[_norm(name)] = version
    return pins


def test_environment_yml_pins_the_pyproject_versions(paths):
    env = _environment_pins(paths)
    assert env.pop("python") == "3.11"
    assert env == _pyproject_pins(paths)


def test_environment_yml_has_quarto(paths):
    env = yaml.safe_load((paths.root / "environment.yml").read_text())
    assert "conda-forge" in env["channels"] and "quarto" in env["dependencies"]


def test_lock_file_has_the_pyproject_versions(paths):
    lock = {}
    for line in (paths.root / "requirements.lock").read_text().splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            lock[_norm(name)] = version
    for name, version in _pyproject_pins(paths).items():
        assert lock.get(name) == version, f"{name}: lock has {lock.get(name)}, pyproject {version}"
