# Everyday targets. They call .venv/bin/... directly, so no activation is needed.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DB     ?= examples.db

.PHONY: setup demo test lint fmt bench eval eval-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The editable install is redone when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

setup: $(VENV)/.installed

# Ingest the bundled sample reports, check them and show the claims found.
demo: setup
	rm -f $(DB) $(DB)-wal $(DB)-shm
	$(BIN)/unionfacts ingest examples/reports --db $(DB) --rules examples/rules
	@# check exits 1 when it finds open errors, as it does here (they are
	@# planted): report that status as the result instead of failing make.
	@status=0; COLUMNS=$${COLUMNS:-160} $(BIN)/unionfacts check --db $(DB) --rules examples/rules || status=$$?; \
	echo "check: exit status $$status (0 = nothing open at or above error, 1 = open errors to review)"
	COLUMNS=$${COLUMNS:-160} $(BIN)/unionfacts sql "SELECT substr(doc, 1, 12) AS doc, quote, metric, value, unit, approx, period, scope, kind, modality, part_of FROM facts ORDER BY doc, start_offset" --db $(DB)
	@echo
	@echo "Next: review the findings in a browser with"
	@echo "  $(BIN)/unionfacts serve --db $(DB) --rules examples/rules    # http://127.0.0.1:8000/"

# pytest exits 5 when it collected nothing: say so, and fail.
test: setup lint
	$(BIN)/python -m pytest; status=$$?; \
	[ $$status -ne 5 ] || echo "make test: pytest collected no tests" >&2; exit $$status

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy

fmt: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: setup
	$(BIN)/python benchmarks/ingest_bench.py
	@for b in benchmarks/*_bench.py; do \
	  [ "$$b" = benchmarks/ingest_bench.py ] || $(BIN)/python "$$b" || exit 1; \
	done

eval: setup
	UNIONFACTS=$(BIN)/unionfacts bash ../shared/eval/run_eval.sh

# The development set of real reports of other issuers and genres: scores per
# document and every attribute error (--show), so the next pattern is visible.
eval-dev: setup
	@tmp=$$(mktemp -d); \
	KEEP=$$tmp UNIONFACTS=$(BIN)/unionfacts bash ../shared/eval/run_eval.sh ../shared/corpus/dev ../shared/gold/dev >/dev/null; \
	python3 ../shared/eval/score.py --show 1000 --pred $$tmp/claims.jsonl \
	  --gold $$(find ../shared/gold/dev -name claims.jsonl | sort) --corpus ../shared/corpus/dev \
	  --conflicts-pred $$tmp/conflicts.jsonl --conflicts-gold $$(find ../shared/gold/dev -name conflicts.jsonl | sort); \
	rm -rf $$tmp

clean:
	rm -f $(DB) $(DB)-wal $(DB)-shm unionfacts.db unionfacts.db-wal unionfacts.db-shm
