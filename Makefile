# Two commands for a fresh machine:  `make run`  and  `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
STAMP  := $(VENV)/.installed

NODE_STAMP := node_modules/.installed
# With CI_REPORTS set (by .ci/run), the test legs write JUnit reports there for the CI summary.
junit = $(if $(CI_REPORTS),--junitxml=$(CI_REPORTS)/make-test/$(1).xml -o junit_family=xunit2)

.PHONY: install run serve test test-unit test-browser chromium lint typecheck contracts check ci clean

## install: build .venv and node_modules (idempotent; reinstalls when the pins change)
install: $(STAMP) $(NODE_STAMP)

$(STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@touch $@

# The pages' scripts and stylesheets (htmx, Chart.js, Pico), pinned by package-lock.json and
# served from our static files (STATICFILES_DIRS points into node_modules).
$(NODE_STAMP): package.json package-lock.json
	@npm ci --no-audit --no-fund --loglevel=error
	@touch $@

## chromium: Debian's Chromium for the browser tests (apt-get when it is missing)
chromium:
	@test -x /usr/bin/chromium || (apt-get update -q && apt-get install -y -q chromium)

## run: migrate SQLite, load the demo if the database is empty, serve on 127.0.0.1:$(PORT)
run: install
	@DEBUG=1 $(PY) manage.py migrate --noinput -v0
	@DEBUG=1 $(PY) manage.py seed_demo --if-empty
	@echo "Serving on http://127.0.0.1:$(PORT)/  (admin: http://127.0.0.1:$(PORT)/admin/)"
	@DEBUG=1 $(PY) manage.py runserver --noreload 127.0.0.1:$(PORT)

## test: the whole suite (SQLite unless DATABASE_URL says otherwise): unit tests on both cores,
## then the browser journeys in Chromium
test: test-unit test-browser

test-unit: install
	$(PY) -m pytest -n 2 -q -m "not browser" $(call junit,unit)

test-browser: install chromium
	$(PY) -m pytest -q -m browser $(call junit,browser)

## lint: formatting and lint rules
lint: install
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

## typecheck: mypy (strict for matching/)
typecheck: install
	$(VENV)/bin/mypy .

## contracts: the dependency direction of DESIGN.md
contracts: install
	$(VENV)/bin/lint-imports

## check: everything CI runs
ci:
	.ci/run

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .mypy_cache .ruff_cache
