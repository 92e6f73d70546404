# Two commands for a newcomer (see README):
#   make demo   create .venv, install what the demo needs, draw the default schedule and the
#               family in the terminal (no file written)
#   make test   create or reuse .venv, install the dev extras, run ruff, mypy --strict, pytest,
#               and build the docs
#   make docs   build the documentation site into site/ (mkdocs --strict)
#   make docs-check  build it and check the rendered pages in headless Chromium
#   make dist   build the sdist and the wheel into dist/ and check them with twine
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo docs-images test lint typecheck pytest tmux docs docs-check chromium bench dist \
	examples clean

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
# kernels; the rest of the line is what its lr_schedules module imports. ESPnet (a speech
# toolkit with heavy dependencies) is installed for its espnet2.schedulers only, which need
# typeguard. pytorch_warmup needs only torch; Lightning-Bolts' lr_scheduler module only
# pytorch-lightning (a dev extra). fvcore's common.param_scheduler needs only the standard
# library (its package __init__ files import nothing else); fvcore itself pulls iopath,
# yacs, Pillow... mmengine's schedulers import its config (addict, yapf: pure Python) but
# not opencv, which it would pull.
NO_DEPS_ANCHORS := timm==1.0.31 torchtune==0.6.1 deepspeed==0.19.8 \
	hjson==3.1.0 msgpack==1.2.4 einops==0.8.2 py-cpuinfo==9.0.0 ninja==1.13.2 \
	espnet==202511 typeguard==4.6.1 pytorch-warmup==0.2.0 lightning-bolts==0.7.0 \
	pytorch-ignite==0.5.5 \
	fvcore==0.1.5.post20221221 \
	mmengine==0.10.7 addict==2.4.0 yapf==0.43.0

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --editable '.[dev]'
	DS_BUILD_OPS=0 $(BIN)/python -m pip install --quiet --no-deps $(NO_DEPS_ANCHORS)
	touch $@ $(VENV)/.installed-demo

# The family, drawn by `warmcos` itself: `make demo` shows it, `make docs-images` writes it.
FAMILY := "total_steps=10000,peak_lr=1e-3,warmup_steps=5%" "--decay-shape linear" \
	"--decay-shape 1-sqrt --stable-steps 70%" "--decay-shape polynomial --power 2" \
	"--decay-shape inverse_sqrt --timescale 500" "--cycles 3 --cycle-decay 0.6 --warmup-steps 0"
# Compositions (docs/compositions.md), each a config file the CLI reads as it is.
COMPOSITIONS := $(addprefix docs/compositions/,onecycle.toml multistep-warmup.toml \
	vit-envelope.toml per-epoch-cosine.toml)
GALLERY := $(BIN)/warmcos plot --total-steps 10000 --peak-lr 1e-3 --no-terminal

# The terminal is enough: it writes no file (`-o FILE` would; `make docs-images` does).
demo: $(VENV)/.installed-demo
	$(BIN)/warmcos plot
	$(BIN)/warmcos describe --total-steps 10000 --warmup-steps 5% --stable-steps 70% --decay-shape 1-sqrt
	$(BIN)/warmcos compare $(FAMILY) --height 30
	$(BIN)/warmcos plot --total-steps 9007199254740992 --zoom warmup --height 20

# The README's pictures (docs/conventions.png is drawn by docs/make_figures.py).
docs-images: $(VENV)/.installed-demo
	$(BIN)/warmcos plot --no-terminal --until 110000 -o docs/warmcos.png
	mkdir -p docs/gallery
	$(GALLERY) --warmup-steps 5% --stable-steps 70% --decay-shape 1-sqrt -o docs/gallery/wsd-1-sqrt.png
	$(GALLERY) --warmup-steps 5% --decay-shape linear -o docs/gallery/linear-to-zero.png
	$(GALLERY) --cycles 4 --cycle-mul 2 --cycle-decay 0.7 --final-lr 1e-5 -o docs/gallery/sgdr.png
	$(GALLERY) --warmup-steps 5% --decay-shape polynomial --power 2 -o docs/gallery/polynomial.png
	$(GALLERY) --warmup-steps 5% --decay-shape exponential --final-lr 1e-5 --log -o docs/gallery/exponential.png
	$(GALLERY) --warmup-steps 1000 --decay-shape inverse_sqrt --timescale 1000 -o docs/gallery/inverse-sqrt.png
	$(BIN)/warmcos compare $(FAMILY) --no-terminal -o docs/gallery/family.png
	$(BIN)/warmcos compare $(COMPOSITIONS) --no-terminal -o docs/gallery/compositions.png

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

# tmux for tests/test_terminal.py, which runs `warmcos` on an 80x24 screen: installed when
# missing and this is root (as in CI); otherwise those tests say that they skipped, and why.
tmux:
	@command -v tmux >/dev/null 2>&1 || [ "$$(id -u)" != 0 ] || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tmux \
		>/dev/null; } || echo "pytest: could not install tmux with apt-get"

# On every core, at most 4 workers (pytest-xdist; each worker imports torch, TensorFlow and
# JAX): CI's two cores run the suite in 8 minutes instead of 13. PYTEST_WORKERS=0 runs it in
# one process.
PYTEST_WORKERS ?= auto
pytest: $(VENV)/.installed-dev tmux
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --maxprocesses 4

# KaTeX renders the site's math. It is not in the repository: its npm package (pinned; MIT,
# its LICENSE goes along) is unpacked into docs/assets/katex/ (ignored by git), which mkdocs
# copies into the site, so the built site renders math with no network.
KATEX_VERSION := 0.19.1
KATEX := docs/assets/katex
KATEX_FILES := package/dist/katex.min.js package/dist/katex.min.css package/dist/fonts

$(KATEX)/.katex-$(KATEX_VERSION):
	rm -rf $(KATEX)
	mkdir -p $(KATEX)
	cd $(KATEX) && npm pack --silent katex@$(KATEX_VERSION) >/dev/null
	tar -xzf $(KATEX)/katex-$(KATEX_VERSION).tgz -C $(KATEX) --strip-components=2 $(KATEX_FILES)
	tar -xzf $(KATEX)/katex-$(KATEX_VERSION).tgz -C $(KATEX) --strip-components=1 package/LICENSE
	rm $(KATEX)/katex-$(KATEX_VERSION).tgz
	touch $@

# The documentation site into site/; --strict: a broken link or API reference fails.
docs: $(VENV)/.installed-dev $(KATEX)/.katex-$(KATEX_VERSION)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

# Debian's Chromium for docs-check: installed when missing and this is root (as in CI);
# otherwise docs-check says that it skipped, and why.
chromium:
	@command -v chromium >/dev/null 2>&1 || [ "$$(id -u)" != 0 ] || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium \
		>/dev/null; } || echo "docs-check: could not install chromium with apt-get"

# The built site in a real browser (docs/check_site.py): nested lists, docstring examples as
# code, math rendered by KaTeX, every preset in the API reference, every picture loaded.
# Screenshots of a few pages go to site-check/.
docs-check: docs chromium
	$(BIN)/python docs/check_site.py site --screenshots site-check

test: lint typecheck pytest docs docs-check

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
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis build dist site site-check \
		$(KATEX)
