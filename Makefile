# Two commands for a newcomer (see README):
#   make demo   create .venv, install what the demo needs, draw the default schedule
#   make test   create or reuse .venv, install the dev extras, run ruff, mypy --strict, pytest
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint typecheck pytest bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamps re-run the install only when pyproject.toml changes.
$(VENV)/.installed-demo: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --editable '.[plot]'
	touch $@

# Anchor libraries the conformance tests run whose declared dependencies would pull a CUDA
# build of torch (timm: torchvision) or more than the tests need (torchtune: torchao,
# datasets, ...). Installed without them, pinned; the tests import only their scheduler
# modules (tests/conformance/anchors.py). DeepSpeed is an sdist: DS_BUILD_OPS=0 builds no
# kernels; the rest of the line is what its lr_schedules module imports.
NO_DEPS_ANCHORS := timm==1.0.31 torchtune==0.6.1 deepspeed==0.19.8 \
	hjson==3.1.0 msgpack==1.2.4 einops==0.8.2 py-cpuinfo==9.0.0 ninja==1.13.2

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --editable '.[dev]'
	DS_BUILD_OPS=0 $(BIN)/python -m pip install --quiet --no-deps $(NO_DEPS_ANCHORS)
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

test: lint typecheck pytest

bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/numpy_curve.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis build dist
