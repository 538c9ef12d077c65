#!/usr/bin/env bash
# `make demo`: the main job on the shipped lake.yaml — validate, plan, apply, then plan again.
set -euo pipefail
bin="$1"
cd "$(dirname "$0")/.."
dl="$bin/datalake"
"$dl" init
"$dl" validate
"$dl" plan
"$dl" apply
"$dl" plan --detailed-exitcode
