# Two commands on a fresh machine: `make run` (the window, with demo data) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_DIR ?= .demo-data
DEMO_PEOPLE ?= 400

.PHONY: run test lint bench demo clean-demo catalogues package test-package

$(BIN)/resettle: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

$(DEMO_DIR)/resettle.db: | $(BIN)/resettle
	$(BIN)/resettle demo --data-dir $(DEMO_DIR) --people $(DEMO_PEOPLE) --seed 1

demo: $(DEMO_DIR)/resettle.db

run: $(BIN)/resettle $(DEMO_DIR)/resettle.db
	@echo "Demo profile in $(DEMO_DIR): user 'admin', passphrase 'demo-passphrase'."
	$(BIN)/resettle gui --data-dir $(DEMO_DIR) --user admin

test: $(BIN)/resettle
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q
	$(BIN)/ruff check --no-cache .

lint: $(BIN)/resettle
	$(BIN)/ruff check --no-cache .

bench: $(BIN)/resettle
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/bench_unlock.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/bench_caseload.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/bench_change_refresh.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/bench_window_stays_responsive.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/bench_encryption_overhead.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/bench_screening.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/bench_planning.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/bench_release_day.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/bench_sheets.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/bench_bundles.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/bench_edic.py

# After changing app/sheets/library.py: refresh the template and every catalogue (new message ids
# come in untranslated, and the tests refuse the build until they are translated), then compile.
catalogues: $(BIN)/resettle
	$(BIN)/pybabel extract -k N_ --no-location --sort-output --project=Resettle --version=1 \
		--msgid-bugs-address=resettle-team@example.invalid -o translations/sheets.pot app/sheets/library.py
	$(BIN)/pybabel update -D sheets -i translations/sheets.pot -d translations --no-fuzzy-matching \
		--ignore-pot-creation-date
	$(BIN)/pybabel compile -D sheets -d translations --statistics

# The frozen build for workstations without Python (issue 8): dist/resettle/, checked by its own
# self-test. Catalogues are compiled and licences gathered first; nothing is fetched at run time.
package: $(BIN)/resettle
	$(BIN)/python -m pip install --quiet -e '.[package]'
	$(BIN)/pybabel compile -D sheets -d translations
	$(BIN)/python packaging/collect_licences.py
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN --distpath dist \
		--workpath build/pyinstaller packaging/resettle.spec
	cd dist/resettle && find . -type f ! -name SHA256SUMS -print0 | sort -z \
		| xargs -0 sha256sum > SHA256SUMS
	@du -sh dist/resettle

# Runs the frozen build's self-test offscreen (after `make package`).
test-package:
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -p no:randomly -m frozen tests/packaging

clean-demo:
	rm -rf $(DEMO_DIR)
