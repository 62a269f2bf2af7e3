# On a fresh Debian machine with Python 3.11:
#   make run     – set everything up, load the demo into an empty database (once), and serve the
#                  portal on http://127.0.0.1:8000 with its worker
#   make test    – the same set-up, then lint, the migrations check and the whole test suite,
#                  on SQLite, the browser tests (Playwright + Debian's Chromium), and the suite again
#                  on PostgreSQL (a throw-away cluster unless DATABASE_URL is set)
#   make serve   – the production stack: gunicorn, DEBUG off, WhiteNoise, the worker; the demo only
#                  into the project's own SQLite file, never into a DATABASE_URL
#   make install – everything but the demo and the server: for a province's real installation
# Every step is idempotent; a second run only does what changed, and never reloads the demo.

PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# What WeasyPrint needs from the system (THAI_PDF.md); libthai comes with Pango.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
# What the tests need besides: a PostgreSQL server, Debian's Chromium for the browser tests, and
# poppler's pdftotext/pdftoppm to read back and draw the PDFs.
TEST_PACKAGES := postgresql chromium poppler-utils
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
DEV_ENV := DEBUG=1

.PHONY: run serve install test quick test-packages setup system-packages data demo lint clean

# The development server and the task worker beside it (Ctrl+C stops both); once the server answers,
# the address to open and the demo logins are printed in Thai and English.
run: setup demo
	@trap 'kill $$worker $$welcome 2>/dev/null' EXIT INT TERM; \
	$(DEV_ENV) $(BIN)/python manage.py run_worker & worker=$$!; \
	$(DEV_ENV) $(BIN)/python manage.py welcome --url http://127.0.0.1:$${PORT:-8000}/ & welcome=$$!; \
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:$${PORT:-8000}

# The production stack on this machine: gunicorn, DEBUG off, WhiteNoise, the worker (README: Deploying).
serve: setup
	scripts/serve.sh

test: setup test-packages $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(DEV_ENV) $(BIN)/python manage.py makemigrations --check --dry-run
	env -u DATABASE_URL $(BIN)/pytest
	env -u DATABASE_URL $(BIN)/pytest -m e2e tests/e2e
	scripts/pytest-postgres.sh

# The suite on SQLite without the slow tests (PDF renders, processes, servers) and the browser, on
# every core, the tables made from the models (make test migrates): for a quick check while working.
# The tests make their own database: quick needs the environment, not the development data.
quick: system-packages $(VENV)/.installed $(VENV)/.installed-dev
	env -u DATABASE_URL $(BIN)/pytest -m "not e2e and not slow" -n auto --nomigrations

setup: system-packages $(VENV)/.installed data

# A province's installation: the system packages, the environment, the migrations, the frameworks
# and measure templates, the static files — no demo data, no server (README: Installing for a province).
install: setup
# Installs only what is missing, so a machine that has everything never calls apt.
define install_missing
	@missing=""; \
	for pkg in $(1); do \
	  dpkg-query -W -f='$${Status}' $$pkg 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$pkg"; \
	done; \
	$(PY) -c "import ensurepip, venv" 2>/dev/null || missing="$$missing python3-venv"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  $(SUDO) apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends $$missing; \
	fi
endef

system-packages:
	$(call install_missing,$(SYSTEM_PACKAGES))

test-packages:
	$(call install_missing,$(TEST_PACKAGES))

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt
	touch $@

# The tests' and lint's own tools (pytest, Playwright, pypdf, ruff): make test and make lint only.
$(VENV)/.installed-dev: requirements-dev.txt requirements.txt $(VENV)/.installed
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	touch $@

# Migrations, the yearly frameworks (fixtures/frameworks), the measure templates, and the static
# files collected (hashed and compressed) for WhiteNoise.
data: $(VENV)/.installed
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput -v 0
	$(DEV_ENV) $(BIN)/python manage.py load_framework
	$(DEV_ENV) $(BIN)/python manage.py load_measure_templates
	DEBUG=0 SECRET_KEY=collectstatic-only $(BIN)/python manage.py collectstatic --noinput -v 0

# The demo (fixtures/demo.json, dated from today) into an empty database only, and only once: a restart
# keeps every edit, and a database holding anything else is left alone (measures/demo.py).
demo: data
	$(DEV_ENV) $(BIN)/python manage.py load_demo --once

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache
