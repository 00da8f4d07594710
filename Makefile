# Two commands on a fresh machine: `make run` exports article.md into dist/,
# `make test` runs the whole suite. Both install the Debian packages they need, create
# .venv/ and install pinned versions. `make test-fast` leaves out the tests marked slow.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check -q
# The test tools from npm (Ace by DAISY), pinned by their package-lock.json.
TOOLS := tests/tools
# One worker per core; a file's tests in one worker, so that each file's exports are made once.
PYTEST := $(BIN)/pytest -n auto --dist loadfile -q
# More pytest options: make test-fast PYTEST_ARGS="--durations=20"
PYTEST_ARGS ?=

.PHONY: run test test-fast fuzz-text lint bench bench-serve bytecode extraction typography proofs \
        runtime-packages \
        system-packages clean

run: runtime-packages $(VENV)/.installed bytecode
	$(BIN)/exporter build article.md -o dist

test: system-packages $(VENV)/.installed-test $(TOOLS)/node_modules/.installed
	$(BIN)/ruff check exporter tests scripts
	$(PYTEST) $(PYTEST_ARGS)

# The tests not marked slow (pyproject.toml). The slow ones render
# the long book, run batches, read the EPUBs with Ace and Calibre, run epubcheck on the whole
# corpus or many Hypothesis examples. Ace is not needed here, so npm is not run.
test-fast: system-packages $(VENV)/.installed-test
	$(BIN)/ruff check exporter tests scripts
	$(PYTEST) -m "not slow" $(PYTEST_ARGS)

# Many more generated articles than make test runs, each exported to PDF and read back by
# poppler and PDFium token by token (tests/test_text_fuzz.py): make fuzz-text FUZZ_EXAMPLES=1000;
# FUZZ_REACH=all adds the text PDFium does not yet copy out whole everywhere.
FUZZ_EXAMPLES ?= 300
FUZZ_REACH ?=
fuzz-text: system-packages $(VENV)/.installed-test
	TEXT_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) TEXT_FUZZ_REACH=$(FUZZ_REACH) \
	  $(BIN)/pytest -q -p no:cacheprovider tests/test_text_fuzz.py

# Pages of a PDF as PNG images in proofs/: make proofs PDF=dist/article.pdf PAGES=1-3
PDF ?= dist/article.pdf
PAGES ?= all
proofs: $(VENV)/.installed
	$(BIN)/exporter proofs $(PDF) --pages $(PAGES) -o proofs

lint: $(VENV)/.installed-test
	$(BIN)/ruff check exporter tests scripts
	$(BIN)/ruff format --check exporter tests scripts

# Not a test: prints figures (the exporter against WeasyPrint's CLI and Pandoc); a long run.
# BENCH_ARGS=--readme writes them into README.md.
bench: runtime-packages $(VENV)/.installed-bench bytecode
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

# Not a test: the article through the warm service (exporter serve) against Typst's whole
# run, and 500 requests from 8 clients at once; prints figures.
bench-serve: runtime-packages $(VENV)/.installed-bench bytecode
	$(BIN)/python scripts/bench_serve.py $(BENCH_SERVE_ARGS)

# Not a test: how justified print lines take up their slack, word spaces against kashidas
# (scripts/typography.py), then the book's PDF timed with each: TYPOGRAPHY_ARGS="--timing 5".
TYPOGRAPHY_ARGS ?= --timing 3
typography: $(VENV)/.installed-test
	$(BIN)/python scripts/typography.py $(TYPOGRAPHY_ARGS)

# How much of each test article's text poppler, PDFium and MuPDF get back from the PDF.
extraction: system-packages $(VENV)/.installed-test
	$(BIN)/python scripts/extraction.py

# The package byte-compiled, as pip does for a regular install: an editable one is compiled
# at every start where Python may not write bytecode (PYTHONDONTWRITEBYTECODE). Only what
# changed is compiled again.
bytecode: $(VENV)/.installed
	$(BIN)/python -m compileall -q exporter

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "Python 3.11 or newer is needed (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(PIP) install -c constraints.txt -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP) install -c constraints.txt -e '.[test]'
	touch $@

$(VENV)/.installed-bench: $(VENV)/.installed-test
	$(PIP) install -c constraints.txt -e '.[test,bench]'
	touch $@

# Puppeteer would download a browser of its own: Ace runs in Debian's Chromium instead.
$(TOOLS)/node_modules/.installed: $(TOOLS)/package.json $(TOOLS)/package-lock.json
	cd $(TOOLS) && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
	touch $@

# What the system must have, as kind:name:Debian package, a kind being a shared library
# (lib, looked up with ldconfig) or a command (cmd). WeasyPrint draws text with Pango and cuts
# fonts down with HarfBuzz's subsetter; Pillow draws the EPUB's cover with FriBiDi.
RUNTIME_NEEDS := lib:libpango-1.0.so.0:libpango-1.0-0 lib:libpangoft2-1.0.so.0:libpangoft2-1.0-0 \
        lib:libharfbuzz-subset.so.0:libharfbuzz-subset0 lib:libfribidi.so.0:libfribidi0
# The tests also validate EPUBs with epubcheck (Java), read them with Ace (Node.js, npm,
# Chromium) and Calibre, and read PDFs back with poppler and MuPDF.
TEST_NEEDS := $(RUNTIME_NEEDS) cmd:java:default-jre-headless cmd:pdffonts:poppler-utils \
        cmd:mutool:mupdf-tools cmd:node:nodejs cmd:npm:npm cmd:chromium:chromium \
        cmd:ebook-convert:calibre cmd:ebook-meta:calibre

runtime-packages: NEEDS = $(RUNTIME_NEEDS)
system-packages: NEEDS = $(TEST_NEEDS)

# Installs the Debian packages of what is missing: as root, or with sudo when it asks for no
# password; otherwise prints the command to run and fails. A Debian without python3-venv
# cannot create .venv/, so that is looked for too until .venv/ exists.
runtime-packages system-packages:
	@missing=; \
	if [ ! -x $(BIN)/python ] && ! $(PYTHON) -c 'import ensurepip' 2>/dev/null; then \
	  missing=" python3-venv"; \
	fi; \
	for need in $(NEEDS); do \
	  kind=$${need%%:*}; rest=$${need#*:}; name=$${rest%%:*}; package=$${rest#*:}; \
	  case $$kind in \
	    cmd) command -v "$$name" >/dev/null 2>&1 ;; \
	    lib) { ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null; } | grep -qF "$$name" ;; \
	  esac && continue; \
	  case "$$missing " in *" $$package "*) ;; *) missing="$$missing $$package" ;; esac; \
	done; \
	[ -z "$$missing" ] && exit 0; \
	if ! command -v apt-get >/dev/null 2>&1; then \
	  echo "Missing (Debian package names):$$missing"; exit 1; \
	elif [ "$$(id -u)" = 0 ]; then \
	  sudo=; \
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then \
	  sudo="sudo -n"; \
	else \
	  echo "Missing:$$missing. Install them with:"; \
	  echo "  sudo sh -c 'apt-get update && apt-get install -y --no-install-recommends$$missing'"; \
	  exit 1; \
	fi; \
	echo "Installing$$missing"; \
	$$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing

clean:
	rm -rf dist build proofs $(VENV)
