#!/usr/bin/env bash
# issue 15 benchmark: apply of the 8 demo feeds at once vs the sum of single-feed applies.
# Called by `make bench` with RELBIN (release bin dir) and PY (venv python).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${RELBIN:?RELBIN must point at the release bin directory}"
: "${PY:=.venv/bin/python}"
echo "## parallel apply ($(date -u +%Y-%m-%d), $(nproc) cores)"
RELBIN="$RELBIN" "$PY" bench/parallel_bench.py
