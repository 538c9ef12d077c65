#!/usr/bin/env bash
# issue 13 benchmark: an export with the Delta log next to one without, and plan on a Delta lake
# of 100 feeds x 1,000 commits next to find. Called by `make bench` with RELBIN and PY.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${RELBIN:?RELBIN must point at the release bin directory}"
: "${PY:=.venv/bin/python}"
echo "## Delta log ($(date -u +%Y-%m-%d), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
RELBIN="$RELBIN" "$PY" bench/delta_bench.py
