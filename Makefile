# Two commands: `make site` builds the example site, `make test` runs every test.
# Both create .venv and install the pinned dependencies first; only Python 3.11+ and make are needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
READY := $(VENV)/.installed
# Material 9.8 prints a notice about MkDocs 2.0 on every run; MkDocs is pinned below 2.
export NO_MKDOCS_2_WARNING := 1

.PHONY: site test check serve clean
# The browser tests' tools (Chromium, Java, axe-core, the Nu HTML Checker): see tests/browser/.
TOOLS := node_modules/.installed

$(READY): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(READY)

$(TOOLS): package.json package-lock.json tests/browser/install-tools.sh
	sh tests/browser/install-tools.sh
	@test -f node_modules/axe-core/axe.min.js && touch $(TOOLS) || true

test: $(TOOLS)

site: $(READY)
	$(BIN)/python -m generator build

check: $(READY)
	$(BIN)/python -m generator check

test: $(READY)
	$(BIN)/python -m pytest

serve: $(READY)
	$(BIN)/mkdocs serve --livereload

clean:
	rm -rf site .site.new-* .site.old
	rm -rf node_modules build
