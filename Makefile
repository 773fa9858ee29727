# Two commands: `make run` serves the app with a demo workspace; `make test` runs the suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test install dev-install system-deps lint bench clean catalogs messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -U pip setuptools wheel

install: $(BIN)/python
	$(BIN)/pip install -q -e .
	$(MAKE) --no-print-directory catalogs

dev-install: $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	$(MAKE) --no-print-directory catalogs

# the pages' translations: .po (kept in git) -> .mo (what the app reads); see docs/i18n.md
catalogs:
	$(BIN)/python -m tradewinds.web.i18n_catalogs compile >/dev/null

# add newly marked messages to every language's catalog, untranslated (docs/i18n.md)
messages:
	$(BIN)/python -m tradewinds.web.i18n_catalogs update

# Debian packages the browser tests need (and a CJK font); installed only when missing.
system-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then \
		echo "installing Debian chromium + chromium-driver"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver >/dev/null; \
	fi
	@# a CJK font, so pages in Chinese render in the browser (screenshots); not needed by tests
	@if command -v fc-list >/dev/null 2>&1 && ! fc-list :lang=zh | grep -q .; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get install -y -qq fonts-wqy-microhei >/dev/null 2>&1 \
			|| echo "note: fonts-wqy-microhei not installed; Chinese pages will show boxes in screenshots"; \
	fi
	@# Arabic and Thai fonts, so the translated pages render in screenshots (docs/i18n.md)
	@if command -v fc-list >/dev/null 2>&1 && { ! fc-list :lang=ar | grep -q . || ! fc-list :lang=th | grep -q .; }; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get install -y -qq fonts-noto-core >/dev/null 2>&1 \
			|| echo "note: fonts-noto-core not installed; Arabic or Thai pages may show boxes in screenshots"; \
	fi

run: install
	$(BIN)/tradewinds init
	$(BIN)/tradewinds demo --host $(HOST) --port $(PORT)
	$(BIN)/tradewinds serve --host $(HOST) --port $(PORT)

test: dev-install system-deps
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

lint: dev-install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/python -m tradewinds.devtools.layers

# every benchmark runs; the ones whose targets failed are named at the end
bench: install
	@failed=""; for f in bench/*.py; do \
		case $$f in *_runner.py|*_peer.py|*_loadgen.py) continue;; esac; \
		echo "== $$f"; $(BIN)/python $$f || failed="$$failed $$f"; \
	done; if [ -n "$$failed" ]; then echo "targets missed in:$$failed"; exit 1; fi

clean:
	rm -rf $(VENV) .tradewinds .pytest_cache .ruff_cache
