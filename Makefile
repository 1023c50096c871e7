# Two set-up commands: `make demo` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test lint bench clean

$(BIN)/kansoku: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

demo: $(BIN)/kansoku
	$(BIN)/kansoku ingest examples/
	@echo
	@echo "== documents =="
	$(BIN)/kansoku documents
	@echo
	@echo "== timeline (reports, independent sources, contradictions) =="
	$(BIN)/kansoku timeline
	@echo
	@echo "== facility board =="
	$(BIN)/kansoku facilities
	@echo
	@echo "Next: '$(BIN)/kansoku show EVENT_ID', '$(BIN)/kansoku contradictions'," \
	      "'$(BIN)/kansoku events --type weapons_test --format csv', '$(BIN)/kansoku --help'."

test: $(BIN)/kansoku
	$(BIN)/python -m pytest

lint: $(BIN)/kansoku
	$(BIN)/ruff check kansoku tests

bench: $(BIN)/kansoku
	$(BIN)/python bench/extract_bench.py
	$(BIN)/python bench/ledger_bench.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
