# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Embedded mode for `make run`: SQLite under var/, tasks in-process, mail to the console.
RUN_ENV := DEBUG=1 PORTAL_DEMO=1
# Tests never run on production secrets.
TEST_ENV := SECRET_KEY=$${SECRET_KEY:-test-only-secret-key-not-for-production} SECURE_SSL_REDIRECT=0

.PHONY: run test lint format bench bench-scale load faults lock clean

PIP := $(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps

# Installs come only from the lock files (exact versions with hashes); `make lock` rewrites them.
$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PIP) -r requirements-dev.txt
	touch $@

# After changing the dependencies in pyproject.toml: pin them again (needs the package index).
lock:
	$(PYTHON) -m venv var/lockenv && var/lockenv/bin/pip install --quiet pip-tools
	var/lockenv/bin/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url \
		--no-emit-find-links -o requirements.txt pyproject.toml
	var/lockenv/bin/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url \
		--no-emit-find-links --extra dev -c requirements.txt -o requirements-dev.txt pyproject.toml

run: $(VENV)/.installed
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	$(RUN_ENV) $(PY) manage.py seed_demo --if-empty
	@echo ""
	@echo "Портал: http://127.0.0.1:$(PORT)/"
	@echo "Демо-входы, пароль demo: committee (комитет), municipality (МОУО Всеволожского района),"
	@echo "                         school (директор школы), observer (наблюдатель), loiro (ЛОИРО),"
	@echo "                         mouo-01 … mouo-18 (руководители остальных МОУО)"
	@echo "  Омская область:         omsk-committee (министерство), omsk-mouo (КО Омского района),"
	@echo "                         omsk-school (директор школы Омского района)"
	@echo "  Оба региона:            federal (федеральный наблюдатель, только чтение)"
	@echo "Напоминания о сроках в этом режиме сами не отправляются (нет Celery beat):"
	@echo "  $(PY) manage.py send_reminders   (и send_digests для ежедневных сводок)"
	@echo ""
	$(RUN_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: lint
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/lint-imports  # the import contracts in pyproject.toml: layers, no app imports portal, no cycles
	$(TEST_ENV) $(VENV)/bin/pytest

bench: $(VENV)/.installed-dev
	LOG_LEVEL=WARNING $(TEST_ENV) $(VENV)/bin/pytest bench -q -s -p no:randomly --no-header -rN | grep -E "^(BENCH|\\|)"

# The size of the country: 85 regions and 20 000 000 results (BENCH_SCALE_ROWS) generated in a database of its own
# (SCALE_DATABASE_URL, default bench_scale; built once), then pages p50/p95, a 1 000 000-row import into the full
# table against an empty one, one region's flags, the database size.
bench-scale: $(VENV)/.installed-dev
	$(PY) bench/scale.py | grep --line-buffered -E "^BENCH"

# 50 users (LOAD_USERS=200 for 200) against gunicorn + PostgreSQL on loopback (demo data, 1 000 000 results,
# 10 000 obligations), every page class; the sign-in storm is printed on its own line.
load: $(VENV)/.installed-dev
	$(PY) bench/load.py

# Kill the worker, stop Redis, stop SMTP, restart PostgreSQL during an import: nothing lost or doubled.
faults: $(VENV)/.installed-dev
	LOG_LEVEL=WARNING REDIS_URL=redis://127.0.0.1:6391/0 DATABASE_URL=$${FAULTS_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres} \
	$(TEST_ENV) $(VENV)/bin/pytest bench/faults -q -s -p no:randomly --no-header -rN | grep -E "^(FAULT|\\|)"

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
