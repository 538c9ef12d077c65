#!/usr/bin/env bash
# issue 12 benchmark: the lake on S3 (moto's server, signatures enforced): export to s3:// vs a local
# root, upload throughput vs boto3, plan on a 100 x 365 lake vs listing the prefix.
# Called by `make bench` with RELBIN (release bin dir) and PY (venv python).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${RELBIN:?RELBIN must point at the release bin directory}"
: "${PY:=.venv/bin/python}"
echo "## S3 ($(date -u +%Y-%m-%d), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
RELBIN="$RELBIN" "$PY" bench/s3_bench.py
