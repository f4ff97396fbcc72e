# Two commands: `make site` builds the example site, `make test` runs every test.
# Both create .venv and install the pinned dependencies first; only Python 3.11+ and make are needed
# (system packages come from apt-get when run as root; otherwise the set-up says what to install).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
READY := $(VENV)/.installed
# The browser tests' tools (Chromium, Java, Node, axe-core, the Nu HTML Checker): see tests/browser/.
TOOLS := node_modules/.installed
# Material 9.8 prints a notice about MkDocs 2.0 on every run; MkDocs is pinned below 2.
export NO_MKDOCS_2_WARNING := 1

.PHONY: site test check serve clean bench

# Pango and fonts for the PDFs (tools/system-packages.sh), then the pinned Python packages.
$(READY): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	sh tools/system-packages.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(READY)

$(TOOLS): package.json package-lock.json tests/browser/install-tools.sh
	sh tests/browser/install-tools.sh
	@test -f node_modules/axe-core/axe.min.js && touch $(TOOLS) || true

site: $(READY)
	$(BIN)/python -m generator build

check: $(READY)
	$(BIN)/python -m generator check

test: $(READY) $(TOOLS)
	$(BIN)/python -m pytest

# Figures at 100, 1,000 and 5,000 synthetic reviews (minutes on 2 cores); it asserts nothing.
bench: $(READY) $(TOOLS)
	$(BIN)/python -m generator.dev.bench run 100 1000 5000 --search neglect

# --dirty: MkDocs rebuilds only the pages whose text changed (generator/adapter/serve_cache.py keeps the rest).
serve: $(READY)
	$(BIN)/mkdocs serve --livereload --dirty --no-strict

clean:
	rm -rf site .site.new-* .site.old-* .cache/pdf .cache/gate .cache/search .cache/slides .cache/pages .cache/checked .cache/render node_modules build
