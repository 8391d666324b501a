# Serverless Lab Book. `make book` and `make test` do all the set-up from a fresh clone.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NBVAL  := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg
# pytest-xdist workers: `make test` runs the suite and the endpoint labs side by side, so
# 2 + 2 processes on a 2-core machine (much of a lab's time is spent waiting on its kernel).
SUITE_WORKERS    ?= 2
ENDPOINT_WORKERS ?= 2

# $(call timed,NAME,COMMAND): run COMMAND, then print its wall and CPU time (all its
# processes); keep its exit code.
SHELL := /bin/bash
timed = TIMEFORMAT='=== $(1): %1R s wall (CPU %1U s user + %1S s sys)'; \
	time $(2) || { rc=$$?; echo "=== $(1) FAILED (exit $$rc)" >&2; exit $$rc; }

.PHONY: all venv book test unit lint lab labs-endpoint suite bench browser clean \
	test-lint test-labs-endpoint test-suite

all: book

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[book,lab,test]"
	touch $(STAMP)

venv: $(STAMP)

book: $(STAMP)
	$(BIN)/jupyter-book build . -W -n --keep-going

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest tests

# The quiz tests drive a real Chromium (Debian's package, no browser download).
# Elsewhere, point SLB_CHROMIUM at a Chromium or Chrome binary.
browser:
	@command -v chromium >/dev/null || test -n "$$SLB_CHROMIUM" || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# Every lab again, against `serverless-lab serve` in a separate process (target endpoint):
# the stored outputs must still match.
labs-endpoint: $(STAMP)
	$(BIN)/python tests/endpoint_labs.py labs $(NBVAL) -n $(ENDPOINT_WORKERS) --dist loadscope

# The tests and every lab in-process, on pytest-xdist workers: a file (a notebook, a test
# module) runs whole on one worker; the book is built once (the `built` fixture).
suite: $(STAMP)
	$(BIN)/pytest tests labs $(NBVAL) -n $(SUITE_WORKERS) --dist loadfile --durations=8

# lint, labs-endpoint and suite run side by side; each one's output comes whole when it
# ends, with its wall time. Any phase failing fails `make test` (the others still finish).
test: $(STAMP)
	@$(call timed,browser,$(MAKE) --no-print-directory browser)
	@$(call timed,lint + labs-endpoint + suite side by side,$(MAKE) --no-print-directory \
	  --keep-going -j3 --output-sync=target test-lint test-labs-endpoint test-suite)

test-lint test-labs-endpoint test-suite: test-%: $(STAMP)
	@$(call timed,$*,$(MAKE) --no-print-directory $*)

lab: $(STAMP)
	$(BIN)/jupyter lab labs/

bench: $(STAMP)
	$(BIN)/python benchmarks/invoke.py
	$(BIN)/python benchmarks/routing.py
	$(BIN)/python benchmarks/async_invoke.py
	$(BIN)/python benchmarks/stepfunctions.py
	$(BIN)/python benchmarks/apigateway.py
	$(BIN)/python benchmarks/targets.py

clean:
	rm -rf _build
