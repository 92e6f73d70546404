# Two commands for a newcomer (see README):
#   make demo   create .venv, install what the demo needs, draw the default schedule
#   make test   create or reuse .venv, install the dev extras, run ruff, mypy --strict, pytest,
#               and build the docs
#   make docs   build the documentation site into site/ (mkdocs --strict)
#   make dist   build the sdist and the wheel into dist/ and check them with twine
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint typecheck pytest docs bench dist examples clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamps re-run the install only when pyproject.toml changes.
$(VENV)/.installed-demo: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --editable '.[plot]'
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --editable '.[dev]'
	touch $@ $(VENV)/.installed-demo

demo: $(VENV)/.installed-demo
	$(BIN)/warmcos plot

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

pytest: $(VENV)/.installed-dev
	$(BIN)/python -m pytest

# The documentation site into site/; --strict: a broken link or API reference fails.
docs: $(VENV)/.installed-dev
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

test: lint typecheck pytest docs

# The sdist and the wheel, as published (tests/test_dist.py installs and checks them).
dist: $(VENV)/.installed-dev
	rm -rf dist
	$(BIN)/python -m build --outdir dist .
	$(BIN)/python -m twine check --strict dist/*

bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/numpy_curve.py

# Every example at full size (DDP and accelerate on 2 processes, JAX on 2 host devices, the DDP
# run killed half way and resumed); prints each run's time and accuracy, redraws docs/examples.png.
examples: $(VENV)/.installed-dev
	$(BIN)/python examples/run_all.py --figure docs/examples.png

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis build dist site
