"""Packaging: the hashed lock, the conda environment, Binder, the citation, licences and hooks."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _script(paths, name: str):
    spec = importlib.util.spec_from_file_location(name, paths.root / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _lock(paths) -> dict[str, str]:
    pins = _script(paths, "environment_from_lock").locked_pins(
        (paths.root / "requirements.lock").read_text(encoding="utf-8"))
    return {_norm(name): version for name, version in pins.items()}


def _pyproject(paths) -> dict:
    return tomllib.loads((paths.root / "pyproject.toml").read_text(encoding="utf-8"))


def _direct_pins(paths) -> dict[str, str]:
    project = _pyproject(paths)["project"]
    pins = {}
    for req in [*project["dependencies"], *project["optional-dependencies"]["test"]]:
        assert re.fullmatch(r"[A-Za-z0-9._-]+==[^=<>~!,; ]+", req), (
            f"pyproject.toml: {req!r} is not pinned exactly: write it as name==version (every package "
            "is, so that outputs are byte-identical), then run `make lock`")
        name, version = req.split("==")
        pins[_norm(name)] = version
    return pins


def test_every_locked_distribution_is_pinned_with_a_hash(paths):
    entries = re.split(r"\n(?=[A-Za-z0-9])", (paths.root / "requirements.lock").read_text())
    entries = [e for e in entries if not e.startswith("#")]
    assert len(entries) > 100
    for entry in entries:
        assert re.match(r"^[A-Za-z0-9._-]+==\S+ \\\n", entry), entry.splitlines()[0]
        assert re.search(r"--hash=sha256:[0-9a-f]{64}", entry), f"no hash: {entry.splitlines()[0]}"


def test_lock_has_the_pyproject_versions_and_the_build_backend(paths):
    lock = _lock(paths)
    for name, version in _direct_pins(paths).items():
        assert lock.get(name) == version, (f"{name}: requirements.lock has {lock.get(name)}, pyproject.toml "
                                           f"{version}: run `make lock` after changing pyproject.toml")
    backend = _pyproject(paths)["build-system"]["requires"]
    assert backend == [f"setuptools=={lock['setuptools']}"]
    assert "jupyterlab" in lock and "pip" in lock


def test_make_installs_the_lock_with_every_hash_checked(paths):
    # tests/test_locked_install.py runs the script with real pip; here, that make uses it.
    makefile = (paths.root / "Makefile").read_text()
    assert "sh scripts/install_locked.sh $(VENV) requirements.lock" in makefile
    script = (paths.root / "scripts" / "install_locked.sh").read_text()
    assert "venv --clear" in script and "--require-hashes" in script and "--force-reinstall" in script
    assert "--generate-hashes" in makefile  # make lock writes hashes


def _environment(paths) -> dict:
    return yaml.safe_load((paths.root / "environment.yml").read_text(encoding="utf-8"))


def test_environment_yml_pins_every_locked_package_at_the_lock_version(paths):
    env = _environment(paths)
    conda, pip = {}, {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip.update((_norm(n), v) for n, v in (r.split("==") for r in dep["pip"]))
        else:
            name, version = dep.split("=", 1)
            conda[_norm(name)] = version
    assert conda.pop("python") == "3.11"
    assert conda.pop("quarto") == "1.7.34"
    assert {**conda, **pip} == _lock(paths)
    assert not set(conda) & set(pip)
    assert "jupyterlab" in pip and env["channels"][0] == "conda-forge"


def test_environment_yml_is_what_make_lock_writes(paths):
    module = _script(paths, "environment_from_lock")
    lock_text = (paths.root / "requirements.lock").read_text(encoding="utf-8")
    written = module.environment_yml(module.locked_pins(lock_text))
    assert (paths.root / "environment.yml").read_text(encoding="utf-8") == written


def test_binder_installs_the_package_after_the_environment(paths):
    post_build = paths.root / "postBuild"
    assert post_build.stat().st_mode & 0o111, "postBuild must be executable"
    assert re.search(r"^python -m pip install --no-deps --no-build-isolation -e \.$",
                     post_build.read_text(), re.MULTILINE)
    # A binder/ folder would make repo2docker ignore environment.yml and postBuild at the root.
    assert not (paths.root / "binder").exists() and not (paths.root / ".binder").exists()


def _repo2docker_dockerfile(source: Path) -> str:
    exe = Path(sys.executable).with_name("repo2docker")
    run = subprocess.run([str(exe), "--no-build", "--debug", "--user-id", "1000", "--user-name",
                          "jovyan", str(source)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout + run.stderr


def test_repo2docker_dockerfile_builds_the_environment_and_installs_the_package(paths):
    """repo2docker (what Binder runs) writes a Dockerfile that runs environment.yml, then postBuild."""
    dockerfile = _repo2docker_dockerfile(paths.root)
    env_update = dockerfile.index('env update -p ${NB_PYTHON_PREFIX} --file "environment.yml"')
    copy_repo = dockerfile.index("COPY --chown=1000:1000 src/ ${REPO_DIR}/")
    post_build = dockerfile.index("RUN ./postBuild")
    assert env_update < copy_repo < post_build


def test_repo2docker_without_postbuild_would_not_install_the_package(paths, tmp_path):
    """The check above can fail: without postBuild, nothing installs the package."""
    shutil.copy2(paths.root / "environment.yml", tmp_path / "environment.yml")
    dockerfile = _repo2docker_dockerfile(tmp_path)
    assert '--file "environment.yml"' in dockerfile and "RUN ./postBuild" not in dockerfile


def test_citation_has_a_preferred_citation_and_the_three_licences(paths):
    cff = yaml.safe_load((paths.root / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0"
    # Code MIT, text CC BY 4.0, the CSL style CC BY-SA 3.0 (as the style file itself says).
    assert cff["license"] == ["MIT", "CC-BY-4.0", "CC-BY-SA-3.0"]
    csl = (paths.paper / "chicago-author-date.csl").read_text(encoding="utf-8")
    assert 'license="http://creativecommons.org/licenses/by-sa/3.0/"' in csl
    preferred = cff["preferred-citation"]
    assert preferred["type"] == "article" and preferred["license"] == "CC-BY-4.0"
    qmd = (paths.paper / "paper.qmd").read_text(encoding="utf-8")
    assert f'title: "{preferred["title"]}"' in qmd


def test_citation_version_and_release_date_match_the_package_and_the_changelog(paths):
    """Issue 16: a version that pyproject.toml has, released on the date the changelog gives it."""
    cff = yaml.safe_load((paths.root / "CITATION.cff").read_text(encoding="utf-8"))
    version = _pyproject(paths)["project"]["version"]
    assert cff["version"] == version
    changelog = (paths.root / "CHANGELOG.md").read_text(encoding="utf-8")
    latest = re.search(r"^## (\S+) \((\d{4}-\d{2}-\d{2})\)$", changelog, re.MULTILINE)
    assert latest and latest.group(1) == version
    assert str(cff["date-released"]) == latest.group(2)
    assert preferred_year(cff) == int(latest.group(2)[:4])


def preferred_year(cff: dict) -> int:
    return cff["preferred-citation"]["year"]


def test_the_bibtex_export_has_a_real_key_and_agrees_with_citation_cff(paths):
    cff = yaml.safe_load((paths.root / "CITATION.cff").read_text(encoding="utf-8"))
    bib = (paths.root / "CITATION.bib").read_text(encoding="utf-8")
    key = re.match(r"@(\w+)\{([^,]+),", bib)
    assert key and key.group(1) == "article" and key.group(2) == "dprkslavery2026"
    assert "YourReferenceHere" not in bib
    fields = dict(re.findall(r"^\s+(\w+)\s*=\s*\{(.*)\},?$", bib, re.MULTILINE))
    assert fields["title"] == cff["preferred-citation"]["title"]
    assert fields["year"] == str(cff["preferred-citation"]["year"])
    assert fields["version"] == cff["version"] and fields["author"] == "{" + cff["authors"][0]["name"] + "}"
    readme = (paths.root / "README.md").read_text(encoding="utf-8")
    assert bib.strip() in readme  # README shows the same entry


def test_licences_code_mit_text_cc_by(paths):
    assert (paths.root / "LICENSE").read_text().startswith("MIT License")
    text = (paths.root / "LICENSE-text.md").read_text()
    assert "Creative Commons Attribution 4.0 International" in text
    assert _pyproject(paths)["project"]["license"] == "MIT"


def test_pre_commit_hooks_use_the_locked_versions(paths):
    config = yaml.safe_load((paths.root / ".pre-commit-config.yaml").read_text())
    hooks = {h["id"]: h for repo in config["repos"] for h in repo["hooks"]}
    assert set(hooks) == {"ruff", "notebooks-stripped"}
    (dep,) = hooks["ruff"]["additional_dependencies"]
    name, version = dep.split("==")
    assert _lock(paths)[_norm(name)] == version
    assert hooks["notebooks-stripped"]["entry"] == ".venv/bin/python -m analysis.runs.stripping"


@pytest.mark.parametrize("tool", ["ruff", "analysis.runs.stripping"])
def test_lint_tools_run_from_the_venv(paths, tool):
    command = {"ruff": [str(Path(sys.executable).with_name("ruff")), "check", "src", "tests", "scripts",
                        "benchmarks"],
               "analysis.runs.stripping": [sys.executable, "-m", tool, "--verify",
                                           *map(str, sorted(paths.notebooks.glob("*.ipynb")))]}
    run = subprocess.run(command[tool], cwd=paths.root, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
