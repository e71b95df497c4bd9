PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install test lint typecheck demo dataset converters browser bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

lint: install
	$(BIN)/ruff check .

typecheck: install
	$(BIN)/mypy gongkai extract dataset crawler demo cli

test: install browser converters
	$(BIN)/ruff check .
	$(BIN)/mypy gongkai extract dataset crawler demo cli
	$(BIN)/python -m pytest -q

demo: install
	$(BIN)/gongkai demo --data-dir data/demo

# crawl (needs network; says so per source when there is none) → extract → build; the build runs
# either way, from whatever is stored, and the target exits with the crawl's status.
dataset: install
	$(BIN)/gongkai crawl --data-dir data; rc=$$?; $(BIN)/gongkai build --data-dir data && exit $$rc

# LibreOffice headless, which turns DOC/WPS reports into DOCX. Not part of `install` (several hundred
# MB); `make test` calls it so the conversion tests run. Idempotent, never fails: without it those files
# get the status unsupported_format and the conversion test skips, saying so.
converters:
	command -v soffice >/dev/null || command -v libreoffice >/dev/null || \
	  (apt-get update -qq && apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui) || \
	  echo "could not install LibreOffice here: DOC/WPS reports will be marked unsupported_format"

# Headless Chromium and CJK fonts from Debian's packages: the explorer's browser test drives the
# one, the notebook's charts and the screenshots need the other for Chinese (not empty boxes).
# Idempotent, and never fails: where the machine cannot install them (not root, no apt-get, no
# network), it says so and the tests that need them skip, naming what is missing.
browser:
	@if command -v chromium >/dev/null && fc-list :lang=zh family 2>/dev/null | grep -q .; then \
	  echo "browser: chromium and a CJK font are installed"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 \
	    --no-install-recommends chromium fonts-noto-cjk >/dev/null) \
	  && echo "browser: installed chromium and fonts-noto-cjk" \
	  || echo "browser: could not install chromium and fonts-noto-cjk here: the browser test will skip"; \
	else \
	  echo "browser: not root or no apt-get: install chromium and fonts-noto-cjk for the browser test"; \
	fi

bench: install
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf data/demo data/raw data/records data/extracted data/parquet data/release data/state.sqlite
