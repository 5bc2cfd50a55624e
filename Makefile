# Developer entry points. Each target sets up .venv itself, so a fresh clone needs only these.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DIR := demo/acme-edu
PYTEST_ARGS ?=

.PHONY: demo test lint bench clean

# The virtual environment, with the project editable and every test tool from PyPI.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --editable '.[test]'
	touch $@

## demo: generate a sample project into demo/acme-edu and report its checklist
demo: $(VENV)/.installed
	rm -rf $(DEMO_DIR)
	$(BIN)/scaffold new $(DEMO_DIR) --data-file examples/acme-edu.yml
	$(BIN)/scaffold checklist status $(DEMO_DIR)

# Go-built tools the tests drive, installed into .venv/bin from the Go module proxy.
GO_TOOLS := sigs.k8s.io/kustomize/kustomize/v5@v5.7.1 \
  github.com/rhysd/actionlint/cmd/actionlint@v1.7.12 \
  github.com/editorconfig-checker/editorconfig-checker/v3/cmd/editorconfig-checker@v3.4.0
$(VENV)/.go-tools: Makefile | $(VENV)/.installed
	@if command -v go >/dev/null; then \
	  for tool in $(GO_TOOLS); do GOBIN=$(abspath $(BIN)) go install "$$tool" || exit 1; done; \
	  touch $@; \
	else echo "go not found: tests that need kustomize or actionlint skip (fail under CI)"; fi

## test: run the whole test suite (slow tests included), then lint
test: $(VENV)/.installed $(VENV)/.go-tools
	$(BIN)/python -m pytest $(PYTEST_ARGS)
	$(MAKE) lint

## lint: ruff and mypy over our Python
lint: $(VENV)/.installed
	$(BIN)/ruff check scaffold checklist template/extensions tests benchmarks
	$(BIN)/ruff format --check scaffold checklist template/extensions tests benchmarks
	$(BIN)/mypy

## bench: time new, checklist and update (figures go to docs/performance.md)
bench: $(VENV)/.installed
	$(BIN)/python benchmarks/bench_new.py
	$(BIN)/python benchmarks/bench_checklist.py
	$(BIN)/python benchmarks/bench_update.py

clean:
	rm -rf $(VENV) demo build dist .pytest_cache .ruff_cache .mypy_cache
