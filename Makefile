# The commands people type. Everything installs into .venv on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SCENARIO ?= scenarios/cinema-du-parc-2016.toml
OUT    ?= out

.PHONY: run test fuzz bench lint install install-test clean notebooks lab reference app

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# stamp files: a second `make run` does not reinstall. constraints.txt: the versions this
# environment keeps to. bondkit's own bytecode is written at install: where Python may not
# write its cache (PYTHONDONTWRITEBYTECODE), a run would compile its modules every time
# (0.15-0.2 s of a default `bondkit run`)
$(VENV)/.stamp-install: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c constraints.txt -e .
	$(BIN)/python -m compileall -q bondkit
	touch $@

$(VENV)/.stamp-test: pyproject.toml constraints.txt $(VENV)/.stamp-install
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

$(VENV)/.stamp-notebooks: pyproject.toml constraints.txt $(VENV)/.stamp-install
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[notebooks]'
	touch $@

$(VENV)/.stamp-app: pyproject.toml constraints.txt $(VENV)/.stamp-install
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[app]'
	touch $@

install: $(VENV)/.stamp-install

install-test: $(VENV)/.stamp-test

# the web face on http://127.0.0.1:8000/ (bondkit app --help for the options)
app: $(VENV)/.stamp-app
	$(BIN)/bondkit app

run: $(VENV)/.stamp-install
	$(BIN)/bondkit run $(SCENARIO) --out $(OUT)

test: $(VENV)/.stamp-test
	$(BIN)/python -m pytest -q

# the fuzz test of tests/test_fuzz.py with more cases than the suite's: make fuzz
# BONDKIT_FUZZ=5000 for another count, BONDKIT_FUZZ_SEED=7 for another seed (a failure
# names its case: BONDKIT_FUZZ_CASE=i replays it alone)
BONDKIT_FUZZ ?= 20000
fuzz: $(VENV)/.stamp-test
	BONDKIT_FUZZ=$(BONDKIT_FUZZ) $(BIN)/python -m pytest -q -s tests/test_fuzz.py

# the notebooks, executed headlessly (Agg backend) exactly as the test suite does
notebooks: $(VENV)/.stamp-test
	MPLBACKEND=Agg $(BIN)/python -m pytest -q tests/test_notebooks.py

# JupyterLab on notebooks/ (installs the `notebooks` extra into .venv the first time)
lab: $(VENV)/.stamp-notebooks
	$(BIN)/jupyter lab notebooks/

# the key tables of docs/scenario-reference.md and .fr.md, and the key comments of bondkit
# init's templates, written from bondkit/data/scenario_keys.toml (after editing it)
reference: $(VENV)/.stamp-install
	$(BIN)/python tools/scenario_reference.py

bench: $(VENV)/.stamp-test
	$(BIN)/python benchmarks/run.py

lint: $(VENV)/.stamp-test
	$(BIN)/ruff check bondkit tests benchmarks notebooks
	$(BIN)/ruff format --check bondkit tests benchmarks notebooks
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) $(OUT) build *.egg-info
