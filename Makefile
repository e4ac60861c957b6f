# newsflow — the two set-up commands are `make run` and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
DATA_DIR ?= data
STAMP := $(VENV)/.installed

.PHONY: install run test test-fast lint format dashboard serve bench report clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) (or run: make PYTHON=python3 ...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

## Run the pipeline on the bundled sample (or NEWSFLOW_INBOX) and print where the results are.
run: $(STAMP)
	NEWSFLOW_DATA_DIR=$(DATA_DIR) $(BIN)/newsflow run

## Everything CI runs: lint, the fast tests, then the slow end-to-end ones.
test: $(STAMP)
	bash scripts/install-test-deps.sh
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -m "not slow and not e2e" -q
	$(BIN)/python -m pytest -m "slow or e2e" -q; rc=$$?; [ $$rc -eq 0 ] || [ $$rc -eq 5 ] # 5: none selected

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow and not e2e" -q -x

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## A real Prefect server on 127.0.0.1:4200 with its home under the data directory.
dashboard: $(STAMP)
	mkdir -p $(DATA_DIR)/prefect
	PREFECT_HOME=$(abspath $(DATA_DIR))/prefect PREFECT_SERVER_ANALYTICS_ENABLED=false \
		PREFECT_UI_API_URL=http://127.0.0.1:4200/api \
		$(BIN)/prefect server start --host 127.0.0.1 --port 4200

## Serve the scheduled ingest deployment (export PREFECT_API_URL=http://127.0.0.1:4200/api first).
serve: $(STAMP)
	NEWSFLOW_DATA_DIR=$(DATA_DIR) $(BIN)/newsflow serve

## The self-contained HTML report of the warehouse.
report: $(STAMP)
	NEWSFLOW_DATA_DIR=$(DATA_DIR) $(BIN)/newsflow report

bench: $(STAMP)
	@for b in benchmarks/*.py; do case $$b in */_*|*/__init__.py) continue;; esac; \
		echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(DATA_DIR) .pytest_cache .ruff_cache
