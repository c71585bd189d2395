# Two commands for a fresh machine:  `make run`  and  `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
STAMP  := $(VENV)/.installed

.PHONY: install run serve test lint typecheck contracts check ci clean

## install: build .venv with everything (idempotent; reinstalls when the pins change)
install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@touch $@

## run: migrate SQLite, load the demo if the database is empty, serve on 127.0.0.1:$(PORT)
run: install
	@DEBUG=1 $(PY) manage.py migrate --noinput -v0
	@DEBUG=1 $(PY) manage.py seed_demo --if-empty
	@echo "Serving on http://127.0.0.1:$(PORT)/  (admin: http://127.0.0.1:$(PORT)/admin/)"
	@DEBUG=1 $(PY) manage.py runserver --noreload 127.0.0.1:$(PORT)

## test: the whole suite (SQLite unless DATABASE_URL says otherwise), on both cores
test: install
	$(PY) -m pytest -n 2 -q

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
