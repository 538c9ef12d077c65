#!/usr/bin/env bash
# Creates .venv with the real Parquet readers the interop checks use (pyarrow, DuckDB, pandas,
# fastparquet, polars, delta-rs (`deltalake`), PySpark; Spark needs a JVM, `java` 17+, at test time),
# moto's S3 server and boto3 for the S3 tests, and PyYAML for the CI-example test, once; re-running
# is a no-op. The stamp number goes up when the list grows, so existing venvs install what was added.
set -euo pipefail
venv="${1:-.venv}"
stamp="$venv/.datalake-stamp-5"
[ -f "$stamp" ] && exit 0
if ! python3 -m venv "$venv" 2>/dev/null; then
    # Debian's own python3 ships venv separately.
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-venv >/dev/null
    rm -rf "$venv"
    python3 -m venv "$venv"
fi
"$venv/bin/pip" install -q --disable-pip-version-check pyarrow duckdb pandas fastparquet pytest requests "moto[server]" boto3 s3fs polars deltalake pyspark pyyaml
touch "$stamp"
