# One command builds everything; one runs the tests. See README.md.
#   make            data, notebooks and paper (creates .venv on first use)
#   make test       the test suite
#   make lab        JupyterLab on notebooks/
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
READY  := $(VENV)/.ready
SOURCES ?= ../shared/data/sources

.PHONY: all data notebooks paper test bench bench-atlas lab atlas countries verify extract check-raw check-processed lock clean distclean

all: $(READY)
	$(BIN)/python -m analysis all

$(READY): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check pip==25.3
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

data: $(READY)
	$(BIN)/python -m analysis data

notebooks: $(READY)
	$(BIN)/python -m analysis notebooks

paper: $(READY)
	$(BIN)/python -m analysis paper

# JupyterLab on notebooks/ (http://localhost:8888 with the token it prints); Ctrl-C stops it.
lab: $(READY)
	@$(BIN)/python -c "import jupyterlab" 2>/dev/null || { echo "JupyterLab is missing from .venv: run 'make distclean all' (it is in requirements.lock)"; exit 1; }
	$(BIN)/python -m jupyterlab --ServerApp.root_dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root)

countries: $(READY)
	$(BIN)/python -m analysis countries

atlas: $(READY)
	$(BIN)/python -m analysis atlas

verify: $(READY)
	$(BIN)/python -m analysis verify

test: $(READY)
	$(BIN)/python -m pytest

bench: $(READY)
	$(BIN)/python benchmarks/bench_monte_carlo.py
	$(BIN)/python benchmarks/bench_noop.py

# The atlas of all 160 countries from nothing, then again with nothing changed (deletes results/atlas/).
bench-atlas: $(READY)
	$(BIN)/python benchmarks/bench_atlas.py

# Regenerate data/raw from the original source files (needs openpyxl and pycountry).
extract: $(READY)
	$(BIN)/python -m pip install --quiet -e '.[extract]'
	$(BIN)/python scripts/extract_raw.py --sources $(SOURCES)

# Check that data/raw is exactly what the original source files give.
check-raw: $(READY)
	$(BIN)/python -m pip install --quiet -e '.[extract]'
	$(BIN)/python scripts/extract_raw.py --sources $(SOURCES) --check

# Check that the build reproduces the committed data/processed byte for byte.
check-processed: $(READY)
	$(BIN)/python -m analysis data
	git diff --exit-code --stat -- data/processed

lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet pip==25.3 && .lock-venv/bin/python -m pip install --quiet '.[test]'
	{ echo "# Every package of the build and test environment, pinned (Python 3.11, pip 25.3)."; \
	  echo "# Regenerate with \`make lock\` after changing the dependencies in pyproject.toml."; \
	  .lock-venv/bin/python -m pip freeze --exclude dprk-modern-slavery-compendium; } > requirements.lock
	rm -rf .lock-venv

clean:
	rm -rf results paper/_generated paper/_output paper/_variables.yml paper/.quarto

distclean: clean
	rm -rf $(VENV)
