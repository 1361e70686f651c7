# Two commands for a new machine: `make run` (install, demo data, serve) and `make test` (install, run the suite).
# Both run in development (GONGJI_ENV=development): the dev secret and dev:<openid> logins are allowed there only.
VENV   ?= .venv
PY     := $(VENV)/bin/python
PORT   ?= 5000
HOST   ?= 127.0.0.1
PG_URL ?= postgresql://postgres@127.0.0.1:5432/test

.PHONY: install install-dev run test test-sqlite test-pg test-mini bench clean messages

$(VENV)/bin/python:
	python3 -m venv $(VENV)

# The venv is (re)installed when the requirements' CONTENT changes, not their date: a fresh checkout dates every file
# anew, and an installed venv must not be reinstalled for that. The stamp's name carries the requirements' checksum.
RUNTIME := $(VENV)/.runtime-$(shell cat requirements.txt | sha256sum | cut -c1-16)
DEV     := $(VENV)/.dev-$(shell cat requirements.txt requirements-dev.txt | sha256sum | cut -c1-16)

$(RUNTIME): | $(VENV)/bin/python
	$(VENV)/bin/pip install -q --disable-pip-version-check -r requirements.txt
	touch $@

$(DEV): | $(VENV)/bin/python
	$(VENV)/bin/pip install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@ $(RUNTIME)

## Gettext catalogues (Chinese zh_CN, Tibetan bo) of server messages and error messages: installing compiles them.
PO_FILES := $(wildcard translations/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)
install: $(RUNTIME) $(MO_FILES)
install-dev: $(DEV) $(MO_FILES)

# A fuzzy (unreviewed) entry is left out of the .mo, never shown; tests/test_catalogues.py refuses one anyway.
# The .mo files are committed, and the compile is deterministic: the pinned Babel, these options and a .po whose
# header carries its own dates give the same bytes on every machine (tests/test_catalogues.py compiles each .po and
# compares), so a checkout whose dates make this rule run still leaves `git status` clean.
translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po | $(RUNTIME)
	$(VENV)/bin/pybabel -q compile -i $< -o $@

## After a text changes in mini/ or services/: extract the msgids and merge them into both catalogues to translate.
messages: $(RUNTIME)
	$(VENV)/bin/pybabel -q extract -F translations/babel.cfg -k N_ -k _l --no-location --omit-header \
	  --sort-output -o translations/messages.pot mini nhsa services error_texts.py
	$(VENV)/bin/pybabel -q update -i translations/messages.pot -d translations \
	  --no-fuzzy-matching --ignore-obsolete --width 120

## Serve on the embedded default (SQLite under instance/) with the demo data loaded.
run: install
	GONGJI_ENV=development PUBLIC_BASE_URL=$${PUBLIC_BASE_URL:-http://$(HOST):$(PORT)} $(VENV)/bin/flask --app app seed-demo
	GONGJI_ENV=development PUBLIC_BASE_URL=$${PUBLIC_BASE_URL:-http://$(HOST):$(PORT)} \
	  $(VENV)/bin/gunicorn -c gunicorn.conf.py --bind $(HOST):$(PORT)   # SQLite: 1 worker x 8 threads

## The whole suite on SQLite, or on PostgreSQL when DATABASE_URL is set; then the mini-program's tests.
test: install-dev
	GONGJI_ENV=development $(PY) -m pytest -q $(PYTEST_ARGS)
	$(MAKE) test-mini

test-pg: install-dev
	GONGJI_ENV=development DATABASE_URL=$(PG_URL) $(PY) -m pytest -q $(PYTEST_ARGS)
	$(MAKE) test-mini DATABASE_URL=$(PG_URL)

## The WeChat mini-program (miniprogram/, Node 20): its pages in miniprogram-simulate against a gunicorn of the demo
## data on SQLite, or on a fresh database of the PostgreSQL server DATABASE_URL names.
test-mini: install-dev
	cd miniprogram && npm ci --no-audit --no-fund --loglevel=error && GONGJI_ENV=development npx jest --runInBand $(JEST_ARGS)

## The benchmark (PostgreSQL and SQLite, 100,000 persons, 1,000,000 ledger entries, driven by wrk); prints the tables.
bench: install-dev
	command -v wrk || apt-get install -y wrk
	GONGJI_ENV=development $(PY) -m bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) instance/*.sqlite3* .pytest_cache test-artifacts miniprogram/node_modules
