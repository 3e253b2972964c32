# Ferry — set-up, build, demo and tests. `make demo` and `make test` work on a fresh machine:
# they install the missing system packages first (with apt-get when run as root).

SWIFT        ?= swift
SYSTEM_PKGS  := libsqlite3-dev libxml2-dev zlib1g-dev libdeflate-dev sqlite3 python3 python3-venv curl gzip
DEMO_DIR     ?= .ferry-demo
DEMO_SKUS    ?= 5000
FERRY_DEBUG  := .build/debug/ferry

.PHONY: all deps tools build release test fuzz fuzz-short demo bench clean browser test-browser browser-tests

all: build

## deps: install the system packages Ferry builds against, when missing
deps:
	@missing=""; \
	for p in $(SYSTEM_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "installing system packages:$$missing"; \
	    (apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "missing system packages:$$missing"; \
	    echo "install them with: sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi
	@command -v $(SWIFT) >/dev/null || { echo "swift is not on PATH (Swift 6.1 or later is needed)"; exit 1; }

## build: debug build of every target
build: deps
	$(SWIFT) build

## release: optimised build, as benchmarks use
release: deps
	$(SWIFT) build -c release

## tools: the Python checkers the tests use (OpenAPI validation, the Prometheus parser, Selenium), in a virtual environment
TOOLS_VENV   := .build-tools/venv
tools:
	@test -x $(TOOLS_VENV)/bin/python -a -f $(TOOLS_VENV)/.ready || \
	  (python3 -m venv $(TOOLS_VENV) && $(TOOLS_VENV)/bin/pip install -q openapi-spec-validator jsonschema && touch $(TOOLS_VENV)/.ready)
	@test -f $(TOOLS_VENV)/.ready-observe || ($(TOOLS_VENV)/bin/pip install -q prometheus-client selenium && touch $(TOOLS_VENV)/.ready-observe)

## test: set up, then run the whole test suite, the dashboard's browser tests and a short fuzz run of the HTTP API
test: deps tools browser
	$(SWIFT) test
	$(MAKE) --no-print-directory browser-tests
	$(MAKE) --no-print-directory fuzz-short

## fuzz: schemathesis (pinned, in .build-tools/fuzz-venv) against `ferry serve` on a seeded dataset:
## every check, the stateful phase, at least 5,000 cases; fails on any failure (Tests/fuzz/run.sh)
FUZZ_CASES       ?= 5000
FUZZ_SHORT_CASES ?= 300
fuzz: build
	Tests/fuzz/run.sh $(FUZZ_CASES)

## fuzz-short: the same without the coverage phase, a few hundred cases from a fixed seed (make test runs it,
## so CI fails on a regression, not on a draw; `make fuzz` draws afresh each time)
FUZZ_SHORT_SEED  ?= 14
fuzz-short: build
	FUZZ_PHASES=examples,fuzzing,stateful FUZZ_EXAMPLES=5 FUZZ_SEED=$(FUZZ_SHORT_SEED) Tests/fuzz/run.sh $(FUZZ_SHORT_CASES)

## browser: Debian's Chromium and its driver, for the dashboard's browser tests (installed when run as root)
BROWSER_PKGS := chromium chromium-driver
browser:
	@missing=""; for p in $(BROWSER_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ]; then echo "installing:$$missing"; (apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "the browser tests need:$$missing (sudo apt-get install$$missing)"; exit 1; fi; \
	fi

## test-browser: the dashboard in headless Chromium through Selenium (screenshots in .build-tools/artifacts/browser)
test-browser: build tools browser
	@$(MAKE) --no-print-directory browser-tests
browser-tests:
	SE_OFFLINE=true $(TOOLS_VENV)/bin/python -m unittest discover -s Tests/Browser -v

## demo: seed a test dataset, duplicate it into live and verify every type (the headline job), then one export over HTTP
demo: build
	@rm -rf $(DEMO_DIR)
	$(FERRY_DEBUG) seed --data-dir $(DEMO_DIR) --mode test --skus $(DEMO_SKUS)
	$(FERRY_DEBUG) duplicate --data-dir $(DEMO_DIR) --from test --to live
	@echo "Running it again changes nothing:"
	@$(FERRY_DEBUG) duplicate --data-dir $(DEMO_DIR) --from test --to live --quiet | tail -1
	@echo "The same data over HTTP: ferry serve, a token, an export, its download (docs/examples/http-session.sh):"
	@FERRY=$(FERRY_DEBUG) docs/examples/http-session.sh $(DEMO_DIR)

## bench: release build, then the export benchmark (seeds 1M SKUs once, cached)
bench: release
	@command -v bc >/dev/null || apt-get install -y -qq bc
	@test -x /usr/bin/time || apt-get install -y -qq time
	@command -v wrk >/dev/null || apt-get install -y -qq wrk
	@test -x Benchmarks/.venv/bin/sqlite-utils || (python3 -m venv Benchmarks/.venv && Benchmarks/.venv/bin/pip install -q sqlite-utils)
	Benchmarks/export-bench.sh
	Benchmarks/import-bench.sh
	Benchmarks/api-bench.sh

clean:
	rm -rf .build $(DEMO_DIR)
