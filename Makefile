# 商量 Shangliang. `make run` and `make test` do all the set-up on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
HOST   ?= 127.0.0.1
PORT   ?= 8000
# pytest workers: two by default (the reference machine has two cores)
WORKERS ?= 2

.PHONY: run test test-reliability lint fmt messages install clean-db diagram check-deploy bench bench-load

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: export DEBUG ?= 1
run: $(STAMP)
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo --if-empty
	@echo ""
	@echo "  商量 is starting on http://$(HOST):$(PORT)/  (web server, task worker, scheduler)"
	@echo "  Press Ctrl+C to stop."
	@echo ""
	@trap 'kill 0' INT TERM EXIT; \
	$(MANAGE) db_worker --queue-name '*' --no-reload & \
	$(MANAGE) run_scheduler & \
	$(MANAGE) runserver --noreload $(HOST):$(PORT)

test: $(STAMP)
	$(BIN)/pytest -n $(WORKERS) --dist loadfile -q -m "not reliability"

# The long fault, backup, upgrade and several-server tests (docs/reliability.md). They start
# their own processes and a throwaway PostgreSQL cluster; run them with DATABASE_URL set to
# PostgreSQL to include the task-worker test (CI does).
test-reliability: $(STAMP)
	$(BIN)/pytest -q -m reliability

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(BIN)/mypy shangliang
	DEBUG=1 $(MANAGE) makemigrations --check --dry-run

fmt: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: $(STAMP)
	cd shangliang && DEBUG=1 ../$(BIN)/python ../manage.py makemessages -l en --no-obsolete \
		--ignore "*/tests/*" --ignore "testing.py"
	cd shangliang && DEBUG=1 ../$(BIN)/python ../manage.py compilemessages -l en

diagram: $(STAMP)
	DEBUG=1 $(MANAGE) workflow_diagrams

check-deploy: $(STAMP)
	SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') ALLOWED_HOSTS=example.org \
		$(MANAGE) check --deploy --fail-level WARNING

# Benchmarks at province scale on PostgreSQL (docs/benchmarks.md): BENCH_DATABASE_URL,
# BENCH_PRESET (province | city | county), BENCH_RUNS, BENCH_LOAD=0 to skip the load test.
bench: $(STAMP)
	$(BIN)/python -m bench.run

bench-load: $(STAMP)
	$(BIN)/python -m bench.run --load-only

clean-db:
	rm -f var/shangliang.sqlite3 var/shangliang.sqlite3-wal var/shangliang.sqlite3-shm
