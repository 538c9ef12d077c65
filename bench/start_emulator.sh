#!/usr/bin/env bash
# Starts ksqldb-emulator on a free port in the background and prints "PID URL" once it listens.
# Usage: start_emulator.sh EMULATOR_BIN [emulator flags…]
set -euo pipefail
bin=$1
shift
log=$(mktemp)
"$bin" --port 0 "$@" >"$log" 2>&1 &
pid=$!
for _ in $(seq 600); do
    if url=$(grep -oE 'http://[^ ]+' "$log"); then
        rm -f "$log"
        echo "$pid $url"
        exit 0
    fi
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.1
done
echo "ksqldb-emulator did not start within 60 s" >&2
kill "$pid"
exit 1
