# The commands people type. Everything installs into .venv on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SCENARIO ?= scenarios/cinema-du-parc-2016.toml
OUT    ?= out

.PHONY: run test bench lint install install-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# stamp files: a second `make run` does not reinstall
$(VENV)/.stamp-install: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.stamp-test: pyproject.toml $(VENV)/.stamp-install
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.stamp-install

install-test: $(VENV)/.stamp-test

run: $(VENV)/.stamp-install
	$(BIN)/bondkit run $(SCENARIO) --out $(OUT)

test: $(VENV)/.stamp-test
	$(BIN)/python -m pytest -q

bench: $(VENV)/.stamp-test
	$(BIN)/python benchmarks/run.py

lint: $(VENV)/.stamp-test
	$(BIN)/ruff check bondkit tests benchmarks
	$(BIN)/ruff format --check bondkit tests benchmarks

clean:
	rm -rf $(VENV) $(OUT) build *.egg-info
