#!/usr/bin/env bash
# ksqlDB client throughput: rows/s reading a 1M-row stream pull query over /query-stream with our
# client (release `datalake sources --bench-query`), next to curl reading the same response (the
# ceiling). First from ksqldb-emulator itself, then from a replay of the emulator's captured bytes
# (bench/replay_server.py), which takes the emulator's rendering cost out of the way.
# Best of $RUNS runs each. Results go to BENCHMARKS.md by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
RELBIN=${RELBIN:-$(swift build -c release --show-bin-path)}
PYTHON=${PYTHON:-python3}
ROWS=${ROWS:-1000000}
RUNS=${RUNS:-3}
SOURCE=${SOURCE:-TRANSACTION_STREAM}
SQL="SELECT * FROM $SOURCE;"
ACCEPT='Accept: application/vnd.ksqlapi.delimited.v1'

pids=()
body=$(mktemp)
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -f "$body"' EXIT

now() { date +%s.%N; }

# measure URL: sets client_rate and curl_rate (best rows/s of $RUNS runs each).
measure() {
    local url=$1 line rows rate start end lines
    client_rate=0
    curl_rate=0
    for _ in $(seq "$RUNS"); do
        line=$("$RELBIN/datalake" sources --url "$url" --bench-query "$SQL")
        rows=$(sed -E 's/.*rows=([0-9]+).*/\1/' <<<"$line")
        rate=$(sed -E 's/.*rows_per_s=([0-9]+).*/\1/' <<<"$line")
        [ "$rows" -eq "$ROWS" ] || { echo "client read $rows rows, expected $ROWS" >&2; exit 1; }
        if [ "$rate" -gt "$client_rate" ]; then client_rate=$rate; fi

        start=$(now)
        lines=$(curl -sSN --fail -X POST -H "$ACCEPT" -d "{\"sql\":\"$SQL\"}" "$url/query-stream" | wc -l)
        end=$(now)
        [ "$((lines - 1))" -eq "$ROWS" ] || { echo "curl read $((lines - 1)) rows, expected $ROWS" >&2; exit 1; }
        rate=$(awk -v r="$ROWS" -v a="$start" -v b="$end" 'BEGIN { printf "%d", r / (b - a) }')
        if [ "$rate" -gt "$curl_rate" ]; then curl_rate=$rate; fi
    done
}

report() {
    local ratio
    ratio=$(awk -v c="$client_rate" -v k="$curl_rate" 'BEGIN { printf "%.0f", 100 * c / k }')
    printf '  %-22s datalake %8s rows/s   curl %8s rows/s   datalake/curl %4s%%\n' "$1" "$client_rate" "$curl_rate" "$ratio"
}

started=$(bash bench/start_emulator.sh "$RELBIN/ksqldb-emulator" --demo --rows "$ROWS")
pids+=("${started%% *}")
emulator_url=${started#* }

echo "ksqlDB client: $ROWS rows of $SOURCE over /query-stream (one row per HTTP chunk), best of $RUNS"
measure "$emulator_url"
report "from ksqldb-emulator"

curl -sSN --raw --fail -X POST -H "$ACCEPT" -d "{\"sql\":\"$SQL\"}" "$emulator_url/query-stream" -o "$body"
kill "${pids[0]}"
port_file=$(mktemp)
"$PYTHON" bench/replay_server.py "$body" >"$port_file" &
pids+=("$!")
for _ in $(seq 100); do [ -s "$port_file" ] && break; sleep 0.1; done
replay_url="http://127.0.0.1:$(head -1 "$port_file")"
rm -f "$port_file"
measure "$replay_url"
report "from a replay (memory)"
echo "  bytes: $(stat -c %s "$body") (chunked); targets: datalake >= 50% of curl and >= 500000 rows/s"
