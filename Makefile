# Ducha: `make demo` to try it, `make test` to check it. Everything installs from PyPI,
# the npm registry and Debian; nothing is fetched at run time.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
VENDOR := ducha/static/vendor
DEMO_ADDR ?= 127.0.0.1:8000

export DJANGO_SETTINGS_MODULE := ducha.settings

.PHONY: demo serve replica test install assets locales chromium libreoffice nginx lint types migrations-check pytest durations fuzz clean

$(BIN)/activate: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(BIN)/activate

install: $(BIN)/activate assets locales

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

$(VENDOR)/.stamp: node_modules/.package-lock.json
	mkdir -p $(VENDOR)
	cp node_modules/bootstrap/dist/css/bootstrap.min.css $(VENDOR)/
	cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js $(VENDOR)/
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/
	cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/
	touch $@

assets: $(VENDOR)/.stamp

# Compiled catalogues are build output; the .po files are the source. Compiled only when a
# catalogue changed, so that two suites started side by side never rewrite them under each other.
LOCALES := zh_Hans zh_Hant en
CATALOGUES := $(foreach l,$(LOCALES),ducha/locale/$(l)/LC_MESSAGES/django.mo)

locales: $(CATALOGUES)

ducha/locale/%/LC_MESSAGES/django.mo: ducha/locale/%/LC_MESSAGES/django.po $(BIN)/activate
	@command -v msgfmt >/dev/null || (apt-get update -qq && apt-get install -y -qq gettext)
	DUCHA_DEBUG=1 $(PY) manage.py compilemessages --verbosity 0 --ignore '.venv' --ignore 'node_modules' \
		--locale $*

chromium:
	@command -v chromium >/dev/null || (apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk)

# Renders issued Word files to PDF (soffice) and reads the PDFs back in tests (pdftotext).
libreoffice:
	@(command -v soffice >/dev/null && command -v pdftotext >/dev/null) || (apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-writer-nogui \
		poppler-utils fonts-noto-cjk)

# The production server stack (docs/deployment.md): nginx in front, TLS, gunicorn, one worker.
nginx:
	@(command -v nginx >/dev/null || test -x /usr/sbin/nginx) || (apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx)

# The web server and, beside it, one Celery worker with the scheduler (the daily drafts at
# DUCHA_DAILY_DRAFT_HOUR) on the file queue under var/celery: no broker server needed. The
# worker's log is var/celery/worker.log; it stops when the server stops (Ctrl-C).
demo: install
	mkdir -p var/celery
	DUCHA_DEBUG=1 $(PY) manage.py migrate --verbosity 0
	DUCHA_DEBUG=1 $(PY) manage.py load_demo
	@echo "Celery worker and scheduler: log in var/celery/worker.log"
	DUCHA_DEBUG=1 $(BIN)/celery -A ducha worker --beat --pool=solo --loglevel=INFO \
		>var/celery/worker.log 2>&1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	trap 'exit 130' INT TERM; \
	DUCHA_DEBUG=1 DUCHA_STYLED_ERRORS=1 $(PY) manage.py runserver $(DEMO_ADDR)

# The production stack on loopback, in the foreground (deploy/serve.py): nginx with a
# self-signed certificate on https://127.0.0.1:8443/ (http://127.0.0.1:8080/ redirects),
# gunicorn on 127.0.0.1:8001, one Celery worker and the scheduler; debug off, the demo loaded.
# DUCHA_SERVE_HTTPS_PORT / _HTTP_PORT / _WEB_PORT move it, DATABASE_URL picks the database.
serve: install nginx
	$(PY) deploy/serve.py --demo

# A streaming replica of the local PostgreSQL primary on port 5433 (docs/deployment.md,
# "Adding a replica"): made if missing, started if stopped. DUCHA_REPLICA_URL then uses it.
replica:
	deploy/replica.sh

lint: $(BIN)/activate
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

types: $(BIN)/activate
	$(BIN)/mypy ducha bench

migrations-check: $(BIN)/activate
	mkdir -p var
	DUCHA_DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

pytest: install chromium libreoffice nginx
	mkdir -p var
	$(BIN)/pytest

test: lint types migrations-check pytest

# The time each test takes, by which CI cuts each database's suite into groups of about equal
# time (.ci/run, pytest-split); rerun when the suite has grown. POSTGRES_URL: a database the
# PostgreSQL run may use (its test database is made beside it).
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/postgres
durations: install chromium libreoffice nginx
	mkdir -p var
	$(BIN)/pytest -q --store-durations --clean-durations \
		--durations-path tests/durations/sqlite.json
	DATABASE_URL=$(POSTGRES_URL) $(BIN)/pytest -q -m 'not browser and not once and not smoke' \
		--store-durations --clean-durations --durations-path tests/durations/postgresql.json

# A longer hunt than the one `make test` runs: every API operation fuzzed from its OpenAPI
# schema with more examples each; any 5xx fails. FUZZ_EXAMPLES=500 for a deeper run.
FUZZ_EXAMPLES ?= 100
fuzz: $(BIN)/activate
	mkdir -p var
	DUCHA_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest -q tests/hostile/test_schemathesis.py

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var
