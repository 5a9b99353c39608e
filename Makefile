# Immersio — every set-up step lives here, so that a fresh clone needs only `make run` or `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check --quiet
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help venv deps dev-deps run serve setup-db test test-browser quality format bench clean fuzz

help:
	@echo "make run      installe, migre, charge les référentiels et la démo, lance le site et le worker"
	@echo "make test     lance toute la suite de tests (navigateur compris)"
	@echo "make quality  formatage, lint, couches et imports, gabarits, migrations manquantes, check --deploy"
	@echo "make fuzz     Schemathesis sur toute l'API (FUZZ_EXAMPLES exemples par opération)"
	@echo "make bench    mesures de performance (bench/results/*.json, docs/performance.md)"

$(PY):
	@PYTHON=$$(scripts/find-python.sh) || exit 1; \
	  echo "Création de l'environnement virtuel avec $$PYTHON"; \
	  "$$PYTHON" -m venv $(VENV)

# The XStatic packages only ship source archives whose setup.py needs pkg_resources.
$(VENV)/.deps: $(PY) requirements.txt requirements-static.txt
	$(PIP) install "setuptools<81" wheel
	$(PIP) install --no-build-isolation -r requirements-static.txt
	$(PIP) install -r requirements.txt
	@touch $@

$(VENV)/.dev-deps: $(VENV)/.deps requirements-dev.txt
	$(PIP) install -r requirements-dev.txt
	@touch $@

venv: $(PY)
deps: $(VENV)/.deps
dev-deps: $(VENV)/.dev-deps

setup-db: deps
	$(MANAGE) migrate --no-input
	$(MANAGE) createcachetable
	$(MANAGE) import_referentials
	$(MANAGE) load_demo --wet-run

run: setup-db
	@scripts/run-dev.sh $(HOST) $(PORT)

test: dev-deps
	$(PY) -m pytest $(PYTEST_ARGS)

# Schemathesis against the whole API, derandomized; more examples than in `make test`.
FUZZ_EXAMPLES ?= 150
fuzz: dev-deps
	IMMERSIO_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PY) -m pytest -m fuzz -q $(PYTEST_ARGS)

quality: dev-deps
	$(PY) -m ruff format --check .
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports
	$(PY) -m djlint immersio --lint
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.prod DJANGO_SECRET_KEY=quality-check-$$(date +%s)-not-a-real-secret-key-for-production-use \
	  DJANGO_ALLOWED_HOSTS=immersio.example IMMERSIO_SITE_URL=https://immersio.example \
	  IMMERSIO_SMS_PROVIDER=immersio.notifications.sms.ConsoleSmsProvider $(MANAGE) check --deploy --fail-level WARNING

format: dev-deps
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

bench: dev-deps
	$(PY) -m bench

clean:
	rm -rf $(VENV) var staticfiles
