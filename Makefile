# Two commands: `make site` builds the example site, `make test` runs every test.
# Both create .venv and install the pinned dependencies first; only Python 3.11+ and make are needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
READY := $(VENV)/.installed
# Material 9.8 prints a notice about MkDocs 2.0 on every run; MkDocs is pinned below 2.
export NO_MKDOCS_2_WARNING := 1

.PHONY: site test check serve clean bench
# The search tests and the benchmark drive a real browser: Debian's chromium, installed if missing.
CHROMIUM := /usr/bin/chromium

$(READY): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	sh tools/system-packages.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(READY)

# The browser scripts' date decisions are tested with Node; Debian's package, as root, if missing.
NODE_READY := $(VENV)/.node
$(NODE_READY): $(READY)
	command -v node >/dev/null || { apt-get update -qq && apt-get install -y -qq nodejs; }
	touch $(NODE_READY)
test: $(NODE_READY)

site: $(READY)
	$(BIN)/python -m generator build

check: $(READY)
	$(BIN)/python -m generator check

test: $(READY)
	sh tools/system-packages.sh test
	$(BIN)/python -m pytest

$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium

test: $(CHROMIUM)

# Figures at 100, 1,000 and 5,000 synthetic reviews (minutes on 2 cores); it asserts nothing.
bench: $(READY) $(CHROMIUM)
	$(BIN)/python -m generator.bench run 100 1000 5000 --search neglect

serve: $(READY)
	$(BIN)/mkdocs serve --livereload

clean:
	rm -rf site .site.new-* .site.old
	rm -rf .cache/pdf
