# Two entry points (see README.md):  make book  |  make test   (and make reproduce PROFILE=smoke|quick|paper)
# Both create ./.venv on first use and reinstall only when pyproject.toml changes.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: install book execute html test reproduce clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

## book: execute every notebook of _toc.yml in place with papermill, then build _build/html
book: execute html

execute: install
	$(PY) -m multirat.book --results cache_only

## reproduce: recompute every stored result of PROFILE (paper, quick or smoke) that is not current for the
## code, in dependency order (training resumes from checkpoints), then the ledger, the notebooks and the book;
## ARGS passes more options (e.g. ARGS="--force --workers 2"; see python -m multirat reproduce --help)
PROFILE ?= paper
reproduce: install
	$(PY) -m multirat reproduce --profile $(PROFILE) $(ARGS)

html: install
	$(VENV)/bin/jupyter-book build . -W --keep-going

## test: unit tests, nbval over book/, a smoke papermill run of every notebook, a book build
test: install
	$(PY) -m pytest

clean:
	rm -rf _build
