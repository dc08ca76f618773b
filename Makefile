# The two commands of the README:
#   make run   set everything up, load the demo world, serve http://127.0.0.1:8000 (PORT=8001: another port)
#   make test  set everything up and run the whole test suite
# Each works from a fresh clone: nothing is assumed installed by hand.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP_PY := $(VENV)/.installed
STAMP_NPM := node_modules/.installed
CSS := static/build/application.css

.PHONY: run test setup system-packages browser check-deploy clean lock lint

setup: $(STAMP_PY) $(CSS)

# Exactly what requirements-dev.lock names, every file checked against its hash (see `make lock`).
$(STAMP_PY): requirements-dev.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@

# Re-resolve the lock files from pyproject.toml's pins (after changing one): requirements.lock for
# production (the image), requirements-dev.lock for development and CI. uv runs from a venv of its own.
UV_VERSION := 0.13.9
lock:
	test -x .venv-lock/bin/uv || { $(PYTHON) -m venv .venv-lock && .venv-lock/bin/pip install --quiet uv==$(UV_VERSION); }
	.venv-lock/bin/uv pip compile pyproject.toml --generate-hashes --universal --python-version 3.11 \
	  --custom-compile-command "make lock" --quiet -o requirements.lock
	.venv-lock/bin/uv pip compile pyproject.toml --extra dev --generate-hashes --universal --python-version 3.11 \
	  --custom-compile-command "make lock" --quiet -o requirements-dev.lock

$(STAMP_NPM): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(CSS): $(STAMP_NPM) $(wildcard static/scss/*.scss)
	npm run --silent build

# make run PORT=8001 serves on another port; links in e-mails and calendar invitations then
# point there too, unless SITE_URL says where the service is.
PORT ?= 8000
run: export DEBUG = true
# Two-step sign-in is off in the demo (the sign-in page says so): the demo logins need no authenticator app.
run: export MFA_REQUIRED ?= false
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: setup
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo "Serving MAPPA Governance at http://127.0.0.1:$(PORT) (Ctrl+C to stop)"
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The Debian packages the tests need, installed (apt-get) only when missing: chromium drives the
# browser tests (Playwright's own download does not work here); poppler's pdftotext reads the
# redacted PDFs back; LibreOffice (Writer and Calc, without a GUI) converts DOCX, XLSX and ODT papers.
SYSTEM_PACKAGES = $(if $(wildcard /usr/bin/chromium),,chromium) \
  $(if $(shell command -v pdftotext),,poppler-utils) \
  $(if $(shell command -v soffice),,libreoffice-writer-nogui libreoffice-calc-nogui)
system-packages:
	@test -z "$(strip $(SYSTEM_PACKAGES))" || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; fi; }

browser: system-packages

# Lint, formatting and migrations: what CI checks before the tests.
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run

test: setup system-packages
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) node_modules static/build staticfiles mappa.sqlite3
