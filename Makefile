# mfakit: two commands on a fresh machine (only python3 and make needed).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MFAKIT := $(VENV)/bin/mfakit
STAMP := $(VENV)/.installed-stamp

.PHONY: help setup git-filter demo test test-e2e lab bench strip clean

help:
	@echo "make demo      set up .venv and run the main job on the embedded defaults"
	@echo "make test      set up .venv and run the whole test suite (notebooks included)"
	@echo "make test-e2e  drive the notebooks in JupyterLab in headless Chromium"
	@echo "make lab       open JupyterLab at the project root (notebooks/ and data/ both reachable)"
	@echo "make bench     run the benchmarks in bench/"

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	$(VENV)/bin/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	$(MAKE) --no-print-directory git-filter
	touch $(STAMP)

setup: $(STAMP) git-filter

# Notebook outputs never reach git, however a notebook was saved (JupyterLab autosave, nbconvert --inplace, an
# editor): nbstripout is the git "clean" filter for *.ipynb (.gitattributes is committed; the filter command
# lives in .git/config, so each clone installs it here). Outside a git work tree this does nothing.
git-filter:
	@if git rev-parse --is-inside-work-tree >/dev/null 2>&1 && [ -x $(VENV)/bin/nbstripout ]; then \
		$(VENV)/bin/nbstripout --install --attributes .gitattributes; \
		git config filter.nbstripout.extrakeys "metadata.language_info"; \
	fi

demo: $(STAMP)
	$(MFAKIT) status
	$(MFAKIT) key demo
	$(MFAKIT) aws demo

test: $(STAMP)
	$(PY) -m pytest -n 2 --nbmake --nbmake-timeout=300 --ignore=tests/e2e tests notebooks

$(VENV)/.e2e-stamp: $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test,e2e]'
	touch $@

test-e2e: $(VENV)/.e2e-stamp
	$(PY) -m pytest -p no:xdist tests/e2e

lab: $(STAMP)
	$(VENV)/bin/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root,) --ServerApp.root_dir="$(CURDIR)"

bench: $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check 'principalmapper==1.1.5'
	$(PY) bench/run_all.py

strip: $(STAMP)
	$(VENV)/bin/nbstripout notebooks/*.ipynb

clean:
	rm -rf build .pytest_cache .hypothesis
