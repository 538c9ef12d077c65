#!/usr/bin/env bash
# issue 15 benchmark: a table snapshot, changed and unchanged, with its query count. Called by `make bench`.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${RELBIN:?RELBIN must point at the release bin directory}"
: "${PY:=.venv/bin/python}"
echo "## Table snapshots ($(date -u +%Y-%m-%d), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
RELBIN="$RELBIN" "$PY" bench/table_bench.py
