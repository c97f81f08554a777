# Agnitio — `make run` serves the app with demo data; `make test` runs lint and the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
export DJANGO_SETTINGS_MODULE ?= agnitio.settings.local

.PHONY: run test lint install install-dev system-deps bench messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade "pip>=24"

$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install -q -c constraints.txt -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml constraints.txt
	$(BIN)/pip install -q -c constraints.txt -e ".[dev]"
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Links in e-mails, QR codes and issuers' did:web name the address the app is served at (unless SITE_URL is set).
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py demo_data
	$(BIN)/python manage.py serve --port $(PORT)

# System packages the tests use: Debian's chromium (browser tests), poppler-utils (pdfsig, pdftotext),
# gettext (message catalogue checks), nodejs/npm (independent credential checks), libnss3-tools (certutil:
# a trust store so pdfsig can check document seals against the platform CA).
# Each tool is listed with the Debian package that provides it; only the packages of missing tools are installed
# (Node.js may come from another source, e.g. NodeSource, whose nodejs conflicts with Debian's npm).
SYSTEM_TOOLS := chromium:chromium pdfsig:poppler-utils pdftotext:poppler-utils msgfmt:gettext node:nodejs \
	npm:npm certutil:libnss3-tools
system-deps:
	@missing=""; for pair in $(SYSTEM_TOOLS); do t=$${pair%%:*}; p=$${pair#*:}; \
	  command -v $$t >/dev/null 2>&1 || case " $$missing " in *" $$p "*) ;; *) missing="$$missing $$p";; esac; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Run as root or install: sudo apt-get install$$missing" >&2; exit 1; fi; \
	fi

# ruff; mypy over every app's services, selectors and api (files and settings: [tool.mypy] in pyproject.toml);
# import-linter's contracts (layers, no view imports, no other app's models: [tool.importlinter]). Each fails the
# build on any finding.
lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	PYTHONPATH=. DJANGO_SETTINGS_MODULE=agnitio.settings.test $(BIN)/mypy
	PYTHONPATH=. $(BIN)/lint-imports

test: $(VENV)/.installed-dev system-deps lint
	DJANGO_SETTINGS_MODULE=agnitio.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	npm ci --prefix tests/node --no-audit --no-fund --loglevel=error  # independent credential checker (issue 4)
	DJANGO_SETTINGS_MODULE=agnitio.settings.test $(BIN)/pytest -n 2 -p no:cacheprovider $(PYTEST_ARGS)

bench: $(VENV)/.installed-dev system-deps
	$(BIN)/python -m bench

messages: $(VENV)/.installed-dev
	$(BIN)/python manage.py makemessages -l lv -l en --no-obsolete --ignore=.venv --ignore=bench --ignore=tests --ignore=var --ignore=staticfiles --ignore="*/migrations/*"
	$(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var staticfiles
