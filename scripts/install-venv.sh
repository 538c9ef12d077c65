#!/usr/bin/env bash
# Creates .venv with the real Parquet readers the interop checks use (pyarrow, DuckDB, pandas,
# fastparquet), once; re-running is a no-op.
set -euo pipefail
venv="${1:-.venv}"
stamp="$venv/.datalake-stamp-1"
[ -f "$stamp" ] && exit 0
python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check pyarrow duckdb pandas fastparquet pytest requests
touch "$stamp"
