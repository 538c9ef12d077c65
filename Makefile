# datalake: the two user-facing commands are `make demo` and `make test` (see README.md).
SWIFT   ?= swift
VENV    ?= .venv
PY      := $(VENV)/bin/python
BIN      = $(shell $(SWIFT) build --show-bin-path)
RELBIN   = $(shell $(SWIFT) build -c release --show-bin-path)

.PHONY: all build release deps venv test test-swift test-interop demo demo-s3 bench clean install uninstall

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

## datalake and ksqldb-emulator into $(PREFIX)/bin: /usr/local when root, ~/.local otherwise.
## Installs the newer of the release and debug builds (builds debug when neither exists).
PREFIX  ?= $(if $(filter 0,$(shell id -u)),/usr/local,$(HOME)/.local)
BINDIR   = $(DESTDIR)$(PREFIX)/bin
install:
	@set -e; rel="$(RELBIN)"; dbg="$(BIN)"; src=""; \
	for d in "$$rel" "$$dbg"; do \
	    [ -x "$$d/datalake" ] && [ -x "$$d/ksqldb-emulator" ] || continue; \
	    if [ -z "$$src" ] || [ "$$d/datalake" -nt "$$src/datalake" ]; then src="$$d"; fi; \
	done; \
	if [ -z "$$src" ]; then $(MAKE) build; src="$$dbg"; fi; \
	install -d "$(BINDIR)"; \
	install -m 0755 "$$src/datalake" "$$src/ksqldb-emulator" "$(BINDIR)/"; \
	echo "installed datalake and ksqldb-emulator from $$src into $(BINDIR)"; \
	case ":$$PATH:" in *":$(PREFIX)/bin:"*) ;; *) echo "note: $(PREFIX)/bin is not on PATH: export PATH=\"$(PREFIX)/bin:\$$PATH\"";; esac

uninstall:
	rm -f "$(BINDIR)/datalake" "$(BINDIR)/ksqldb-emulator"

clean:
	rm -rf .build data_lake/feeds data_lake/streams data_lake/tables data_lake/logs
