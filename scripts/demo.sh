#!/usr/bin/env bash
# `make demo`: the main job on the shipped lake.yaml. Starts the ksqlDB emulator with the seed's
# demo data on 127.0.0.1:8088 (the URL in lake.yaml), then validate, plan, apply, stats, and a
# second apply that finds nothing new.
set -euo pipefail
bin="$1"
cd "$(dirname "$0")/.."
dl="$bin/datalake"
log="$(mktemp -t ksqldb-emulator.XXXXXX)"
"$bin/ksqldb-emulator" --demo --host 127.0.0.1 --port 8088 >"$log" 2>&1 &
emulator=$!
trap 'kill "$emulator" 2>/dev/null || true; wait "$emulator" 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 100); do
    grep -q "listening on" "$log" && break
    if ! kill -0 "$emulator" 2>/dev/null; then
        echo "error: ksqldb-emulator did not start (is port 8088 in use?):" >&2
        cat "$log" >&2
        exit 1
    fi
    sleep 0.1
done
echo "== $(cat "$log")"
echo "== datalake init";     "$dl" init
echo "== datalake validate"; "$dl" validate
echo "== datalake plan";     "$dl" plan
echo "== datalake apply";    "$dl" apply --auto-approve
echo "== datalake stats";    "$dl" stats
echo "== datalake apply (again: nothing new, nothing written)"; "$dl" apply --auto-approve
