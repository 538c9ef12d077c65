# datalake: the two user-facing commands are `make demo` and `make test` (see README.md).
SWIFT   ?= swift
VENV    ?= .venv
PY      := $(VENV)/bin/python
BIN      = $(shell $(SWIFT) build --show-bin-path)
RELBIN   = $(shell $(SWIFT) build -c release --show-bin-path)

.PHONY: all build release deps venv test test-swift test-interop demo demo-s3 bench clean

all: build

deps:
	@bash scripts/install-deps.sh

venv:
	@bash scripts/install-venv.sh $(VENV)

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

## Every test: Swift unit and integration tests, then the interop checks with the real readers.
test: deps venv
	$(SWIFT) build --build-tests
	$(SWIFT) test
	DATALAKE_BIN=$(BIN)/datalake EMULATOR_BIN=$(BIN)/ksqldb-emulator $(PY) -m pytest -q Tests/interop

## The main job on the shipped lake.yaml.
demo: deps build
	@bash scripts/demo.sh $(BIN)

## The same demo with the lake in a bucket of moto's S3 server (signatures enforced).
demo-s3: deps venv build
	@bash scripts/demo-s3.sh $(BIN) $(PY)

## Benchmarks against peers (release build); results go to BENCHMARKS.md by hand.
bench: deps venv release
	@for f in bench/run_*.sh; do [ -f "$$f" ] && RELBIN=$(RELBIN) PY=$(PY) bash "$$f"; done

clean:
	rm -rf .build data_lake/feeds data_lake/streams data_lake/tables data_lake/logs
