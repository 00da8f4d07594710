# Two commands on a fresh machine: `make run` exports article.md into dist/,
# `make test` runs the whole suite. Both create .venv/ and install pinned versions.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check -q
# The test tools from npm (Ace by DAISY), pinned by their package-lock.json.
TOOLS := tests/tools

.PHONY: run test lint bench bytecode extraction proofs check-system check-test-system clean

run: check-system $(VENV)/.installed bytecode
	$(BIN)/exporter build article.md -o dist

test: check-system check-test-system $(VENV)/.installed-test $(TOOLS)/node_modules/.installed
	$(BIN)/ruff check exporter tests scripts
	$(BIN)/pytest -n auto --dist loadfile -q

# Pages of a PDF as PNG images in proofs/: make proofs PDF=dist/article.pdf PAGES=1-3
PDF ?= dist/article.pdf
PAGES ?= all
proofs: $(VENV)/.installed
	$(BIN)/exporter proofs $(PDF) --pages $(PAGES) -o proofs

lint: $(VENV)/.installed-test
	$(BIN)/ruff check exporter tests scripts
	$(BIN)/ruff format --check exporter tests scripts

# Not a test: prints figures (the exporter against WeasyPrint's CLI and Pandoc), and takes
# a quarter of an hour on 2 cores. BENCH_ARGS=--readme writes them into README.md.
bench: check-system $(VENV)/.installed-bench bytecode
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

# How much of each test article's text poppler, PDFium and MuPDF get back from the PDF.
extraction: check-system check-test-system $(VENV)/.installed-test
	$(BIN)/python scripts/extraction.py

# The package byte-compiled, as pip does for a regular install: an editable one is compiled
# at every start where Python may not write bytecode (PYTHONDONTWRITEBYTECODE), a tenth
# of a second. Only what changed is compiled again.
bytecode: $(VENV)/.installed
	$(BIN)/python -m compileall -q exporter

$(BIN)/python:
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

# WeasyPrint draws text with Pango; the tests validate EPUBs with epubcheck (Java), read
# them with Ace (Node.js, Chromium) and Calibre, and read PDFs back with poppler and MuPDF.
# Say what is missing and how to get it.
check-system:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "Python 3.11 or newer is needed (set PYTHON=...)"; exit 1; }
	@ldconfig -p | grep -q 'libpango-1.0.so' && ldconfig -p | grep -q 'libpangoft2-1.0.so' || \
	  { echo "Pango is missing: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0"; exit 1; }
	@ldconfig -p | grep -q 'libfribidi.so.0' || \
	  { echo "FriBiDi is missing (Pillow draws the EPUB's cover with it): sudo apt-get install libfribidi0"; exit 1; }

check-test-system:
	@command -v java >/dev/null || { echo "Java is missing (epubcheck needs it): sudo apt-get install default-jre-headless"; exit 1; }
	@command -v pdffonts >/dev/null || { echo "poppler is missing: sudo apt-get install poppler-utils"; exit 1; }
	@command -v mutool >/dev/null || { echo "MuPDF is missing: sudo apt-get install mupdf-tools"; exit 1; }
	@command -v npm >/dev/null || { echo "Node.js and npm are missing (Ace needs them): sudo apt-get install nodejs npm"; exit 1; }
	@command -v chromium >/dev/null || { echo "Chromium is missing (Ace runs in it): sudo apt-get install chromium"; exit 1; }
	@command -v ebook-convert >/dev/null && command -v ebook-meta >/dev/null || { echo "Calibre is missing (it reads the EPUBs back): sudo apt-get install calibre"; exit 1; }

clean:
	rm -rf dist build proofs $(VENV)
