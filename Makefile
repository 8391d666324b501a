# Serverless Lab Book. `make book` and `make test` do all the set-up from a fresh clone.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NBVAL  := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

.PHONY: all venv book test unit lint lab labs-endpoint bench browser clean

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
	$(BIN)/python tests/endpoint_labs.py labs $(NBVAL) -p no:cacheprovider

test: lint browser labs-endpoint
	$(BIN)/pytest tests labs $(NBVAL)

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
