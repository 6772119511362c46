# One command builds everything; one runs the tests. See README.md.
#   make            data, notebooks and paper (creates .venv on first use)
#   make test       the test suite
#   make lint       ruff, and notebooks saved without outputs or session metadata
#   make lock       re-pin requirements.lock (with hashes) and environment.yml after changing pyproject.toml
#   make lab        JupyterLab on notebooks/
#   make reproduce  rebuild from clean in a scratch copy and compare with reference/ (report in results/replication/)
#   make reference  write reference/ from a clean build (with Quarto), after a change that alters a result
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
READY  := $(VENV)/.ready
SOURCES ?= ../shared/data/sources

.PHONY: all data notebooks paper test test-slow reproduce reference lint check-citation bench bench-atlas lab atlas countries verify extract check-raw check-processed lock clean distclean

all: $(READY)
	$(BIN)/python -m analysis all

# Every distribution, pip and setuptools included, is pinned with its sha256 in requirements.lock;
# scripts/install_locked.sh installs them all into a cleared venv, so pip checks every hash
# (--require-hashes). The package itself is installed without a build-isolation download, with the
# locked setuptools.
$(READY): pyproject.toml requirements.lock
	PYTHON=$(PYTHON) sh scripts/install_locked.sh $(VENV) requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

data: $(READY)
	$(BIN)/python -m analysis data

notebooks: $(READY)
	$(BIN)/python -m analysis notebooks

# ENGINE: auto (Quarto when it is on the PATH, else the fallback), quarto or pandoc.
ENGINE ?= auto
paper: $(READY)
	$(BIN)/python -m analysis paper --engine $(ENGINE)

# JupyterLab on notebooks/ (http://localhost:8888 with the token it prints); Ctrl-C stops it.
# Notebooks are saved without outputs; runs by hand go to results/interactive/ (README: "Add your own notebook").
lab: $(READY)
	$(BIN)/python -m analysis lab

countries: $(READY)
	$(BIN)/python -m analysis countries

atlas: $(READY)
	$(BIN)/python -m analysis atlas

verify: $(READY)
	$(BIN)/python -m analysis verify

# The fast tier (every test not marked slow); the slow tier rebuilds from clean three times (reproduce).
test: $(READY)
	$(BIN)/python -m pytest

test-slow: $(READY)
	$(BIN)/python -m pytest -m slow

# STRICT=1 also fails unless every output is byte-identical to the reference (CI).
reproduce: $(READY)
	$(BIN)/python -m analysis reproduce $(if $(STRICT),--strict)

reference: $(READY)
	$(BIN)/python -m analysis reference

lint: $(READY)
	$(BIN)/ruff check src tests scripts benchmarks
	$(BIN)/python -m analysis.runs.stripping --verify notebooks/*.ipynb

# CITATION.cff must validate. cffconvert 2.0.0 needs jsonschema<4, which the notebooks' stack
# cannot share, so it gets a venv of its own (ignored .tools/), from its own hashed lock.
check-citation:
	[ -x .tools/cffconvert/bin/cffconvert ] || { $(PYTHON) -m venv .tools/cffconvert && \
	  .tools/cffconvert/bin/python -m pip install --quiet --disable-pip-version-check \
	  --require-hashes -r .ci/cffconvert.lock; }
	.tools/cffconvert/bin/cffconvert --validate -i CITATION.cff

# The forced build against the naive route (papermill on each notebook, then a forced render),
# and the no-op builds, on a scratch copy (ENGINE=pandoc or quarto to choose the renderer).
bench: $(READY)
	$(BIN)/python benchmarks/bench_monte_carlo.py
	ENGINE=$(ENGINE) $(BIN)/python benchmarks/bench_build.py

# The atlas of all 160 countries from nothing, then again with nothing changed (deletes results/atlas/).
bench-atlas: $(READY)
	$(BIN)/python benchmarks/bench_atlas.py

# Regenerate data/raw from the original source files (openpyxl, pycountry and pyshp are in the
# lock, so that checking data/raw never changes the environment the runs record).
extract: $(READY)
	$(BIN)/python scripts/extract_raw.py --sources $(SOURCES)

# Check that data/raw is exactly what the original source files give.
check-raw: $(READY)
	$(BIN)/python scripts/extract_raw.py --sources $(SOURCES) --check

# Check that the build reproduces the committed data/processed byte for byte.
check-processed: $(READY)
	$(BIN)/python -m analysis data
	git diff --exit-code --stat -- data/processed

# Regenerate requirements.lock (with hashes) from pyproject.toml with uv, then environment.yml
# from the lock. pip and setuptools (the build backend) are locked too.
UV := uv==0.13.8
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --disable-pip-version-check $(UV)
	printf 'pip==25.3\nsetuptools==80.9.0\n' | .lock-venv/bin/uv pip compile --quiet pyproject.toml - \
	  --extra test --extra extract --generate-hashes --python-version 3.11 --custom-compile-command 'make lock' \
	  -o requirements.lock
	echo 'cffconvert==2.0.0' | .lock-venv/bin/uv pip compile --quiet - --generate-hashes --python-version 3.11 \
	  --custom-compile-command 'make lock' -o .ci/cffconvert.lock
	rm -rf .lock-venv
	$(PYTHON) scripts/environment_from_lock.py

clean:
	rm -rf results paper/_generated paper/_output paper/_variables.yml paper/.quarto

distclean: clean
	rm -rf $(VENV)
