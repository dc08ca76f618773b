# The two commands of the README:
#   make run   set everything up, load the demo world, serve http://127.0.0.1:8000
#   make test  set everything up and run the whole test suite
# Each works from a fresh clone: nothing is assumed installed by hand.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP_PY := $(VENV)/.installed
STAMP_NPM := node_modules/.installed
CSS := static/build/application.css

.PHONY: run test setup browser check-deploy clean

setup: $(STAMP_PY) $(CSS)

$(STAMP_PY): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

$(STAMP_NPM): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(CSS): $(STAMP_NPM) $(wildcard static/scss/*.scss)
	npm run --silent build

run: export DEBUG = true
run: setup
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo "Serving MAPPA Governance at http://127.0.0.1:8000 (Ctrl+C to stop)"
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# Debian's chromium drives the browser tests; Playwright's own download does not work here.
browser:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi; }

test: setup browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) node_modules static/build staticfiles mappa.sqlite3
