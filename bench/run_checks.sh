#!/usr/bin/env bash
# issue 14 benchmark: an export with five quality checks next to one without. Called by `make bench`.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${RELBIN:?RELBIN must point at the release bin directory}"
: "${PY:=.venv/bin/python}"
echo "## Quality checks ($(date -u +%Y-%m-%d), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
RELBIN="$RELBIN" "$PY" bench/checks_bench.py
