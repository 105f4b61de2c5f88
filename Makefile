# Two commands do everything on a fresh machine:  make run  (serve the dashboard)  and  make test.
SHELL := /bin/bash
.DEFAULT_GOAL := help
export UV_PYTHON_DOWNLOADS := never
export UV_LINK_MODE := copy
# Compiled once at install: this environment sets PYTHONDONTWRITEBYTECODE, so without it every `python -m etl`
# or test subprocess recompiles pandas and friends (about 1.5 s per start, measured for bench P3).
export UV_COMPILE_BYTECODE := 1

PYTHON ?= python3
TOOLS := .tools
UV := $(TOOLS)/bin/uv
UV_VERSION := 0.13.9
CHROMIUM := /usr/bin/chromium
HOST ?= 127.0.0.1
PORT ?= 8050

.PHONY: help install store run serve test lint browser world bench bench-quick plotly-bundle clean

help:
	@echo "make run     install what is needed, build the store from the shipped data if missing, serve http://$(HOST):$(PORT)"
	@echo "make test    install what is needed (incl. Debian chromium for browser tests) and run the whole test suite"
	@echo "make lint    ruff, mypy and the import contracts (import-linter)"
	@echo "make serve   production server (gunicorn, 2 workers) on $(HOST):$(PORT)"
	@echo "make world   build a store of every reporter from ../shared/data/imf-dots (about a minute)"
	@echo "make bench   every benchmark at full size against its floor; writes bench/RESULTS.md (about 15 minutes)"
	@echo "make bench-quick  the benchmarks at small sizes (about 4-5 minutes)"
	@echo "make plotly-bundle  rebuild the page's plotly.js (assets/05-plotly-dashboard.min.js; needs npm)"

# uv lives in a project-local folder so nothing is installed outside the clone.
$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

install: $(UV)
	$(UV) sync --frozen --quiet

store: install
	$(UV) run --frozen python -m etl refresh --offline --if-missing

run: store
	$(UV) run --frozen python -m dashboard --host $(HOST) --port $(PORT)

serve: store
	$(UV) run --frozen gunicorn --workers 2 --threads 4 --bind $(HOST):$(PORT) 'dashboard.app:create_server()'

# Browser tests drive Debian's chromium (never a browser downloaded by a tool).
browser:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing Debian chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "browser tests need $(CHROMIUM): run 'sudo apt-get install -y chromium'"; exit 1; fi; \
	fi

test: install browser
	$(UV) run --frozen pytest -n 2 --dist loadscope

lint: install
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .
	$(UV) run --frozen mypy
	$(UV) run --frozen lint-imports

world: install
	$(UV) run --frozen python -m etl refresh --offline --input ../shared/data/imf-dots/*.xlsx

# Benchmarks against baselines measured in the same run (bench/__main__.py); RESULTS.md records a full run.
bench: install browser
	$(UV) run --frozen python -m bench --write

bench-quick: install browser
	$(UV) run --frozen python -m bench --quick

plotly-bundle:
	tools/plotly-bundle/build.sh

clean:
	rm -rf $(TOOLS) .venv data/store .pytest_cache .ruff_cache .mypy_cache
