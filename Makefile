# The two commands: `make demo` (analyse the sample organisation, then serve the dashboard
# on http://127.0.0.1:8050) and `make test` (everything the tests need, Chromium included).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: install demo test check lint bench bench-all samples clean browser notebooks

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/ona analyze sample_data/acme --out output/acme
	$(BIN)/ona talent-review sample_data/acme --panel sample_data/acme/panel.csv \
		--slate sample_data/acme/slate.csv --out output/acme/review
	$(BIN)/python app.py

# Debian's chromium and chromedriver for the browser tests, and a Java runtime for the
# Spark engine's tests (installed once, needs root or sudo)
browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ] || ! command -v java >/dev/null; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver \
			$$(command -v java >/dev/null || echo openjdk-17-jre-headless); \
	fi

# the linter, the type checker and the import contract (the layers of the README's design table)
lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

test: install browser lint
	$(BIN)/python -m pytest

# the fast tier for the edit-test loop: no browser, nothing marked slow, on both cores (about 40 s)
check: install lint
	$(BIN)/python -m pytest -m "not slow and not browser" -n 2

# the scale benchmark: ona analyze + talent review at 1k-100k people beside a plain
# pandas/networkx pipeline and vivainsights (about 1.5 hours; see README, Benchmarks)
bench: install
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	$(BIN)/python benchmarks/bench_scale.py

# every stage benchmark on its own
bench-all: bench
	$(BIN)/python benchmarks/bench_aggregate.py
	$(BIN)/python benchmarks/bench_metrics.py
	$(BIN)/python benchmarks/bench_paths.py
	$(BIN)/python benchmarks/bench_tribes.py
	$(BIN)/python benchmarks/bench_review.py

notebooks: install
	$(BIN)/python -m pip install --quiet -e ".[notebooks]"
	$(BIN)/jupyter lab notebooks/

samples: install
	$(BIN)/python scripts/build_samples.py

clean:
	rm -rf $(VENV) output .pytest_cache test-artifacts
