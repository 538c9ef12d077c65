#!/usr/bin/env bash
# The cost of keyed (SipHash) row fingerprints in an export. Called by `make bench` with RELBIN and PY.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${RELBIN:?RELBIN must point at the release bin directory}"
: "${PY:=.venv/bin/python}"
echo "## fingerprints ($(date -u +%Y-%m-%d), $(nproc) cores)"
RELBIN="$RELBIN" "$PY" bench/fingerprint_bench.py
