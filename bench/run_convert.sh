#!/usr/bin/env bash
# issue 3 benchmark: datalake convert vs DuckDB (1 and 2 threads) and pyarrow, 1M rows → snappy Parquet.
# Called by `make bench` with RELBIN (release bin dir) and PY (venv python).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${RELBIN:?RELBIN must point at the release bin directory}"
: "${PY:=.venv/bin/python}"
echo "## convert ($(date -u +%Y-%m-%d), $(nproc) cores)"
RELBIN="$RELBIN" "$PY" bench/convert_bench.py
