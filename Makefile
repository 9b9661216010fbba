# The two commands: `make demo` (analyse the sample organisation) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: install demo test bench samples clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/ona analyze sample_data/acme --out output/acme

test: install
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python benchmarks/bench_aggregate.py
	$(BIN)/python benchmarks/bench_metrics.py

samples: install
	$(BIN)/python scripts/build_samples.py

clean:
	rm -rf $(VENV) output .pytest_cache
