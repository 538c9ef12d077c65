#!/usr/bin/env bash
# issue 5 benchmark: end-to-end export vs a seed-style Python exporter, and plan time vs find.
# Called by `make bench` with RELBIN (release bin dir) and PY (venv python).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${RELBIN:?RELBIN must point at the release bin directory}"
: "${PY:=.venv/bin/python}"
echo "## export and plan ($(date -u +%Y-%m-%d), $(nproc) cores)"
RELBIN="$RELBIN" "$PY" bench/export_bench.py
