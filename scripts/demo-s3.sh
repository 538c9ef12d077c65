#!/usr/bin/env bash
# `make demo-s3`: the demo on s3://demo/lake. Starts moto's S3 server (from the venv) on a free
# loopback port with signature checking on, makes an IAM user, its key and the bucket, starts the
# ksqlDB emulator, then init, validate, plan, apply, stats and a second apply that writes nothing,
# with the lake in the bucket. Everything runs in a temporary project, removed at the end.
set -euo pipefail
bin="$1"
py="${2:-.venv/bin/python}"
cd "$(dirname "$0")/.."
root="$(pwd)"
py="$(cd "$(dirname "$py")" && pwd)/$(basename "$py")"
work="$(mktemp -d -t datalake-demo-s3.XXXXXX)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

port="$("$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
INITIAL_NO_AUTH_ACTION_COUNT=3 "$(dirname "$py")/moto_server" -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
pids+=($!)
"$bin/ksqldb-emulator" --demo --host 127.0.0.1 --port 0 >"$work/emulator.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 200); do
    grep -q "listening on" "$work/emulator.log" && "$py" -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.2)" 2>/dev/null && break
    sleep 0.1
done
emulator_url="$(grep -o 'http://[0-9.]*:[0-9]*' "$work/emulator.log" | head -1)"
# The set-up calls (the only unsigned ones moto allows): a user, its policy, its key; then the bucket, signed.
keys="$("$py" - "$port" <<'PY'
import json, sys, boto3
url = f"http://127.0.0.1:{sys.argv[1]}"
iam = boto3.client("iam", endpoint_url=url, region_name="us-east-1", aws_access_key_id="setup", aws_secret_access_key="setup")
iam.create_user(UserName="demo")
iam.put_user_policy(UserName="demo", PolicyName="all", PolicyDocument=json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
k = iam.create_access_key(UserName="demo")["AccessKey"]
boto3.client("s3", endpoint_url=url, region_name="us-east-1", aws_access_key_id=k["AccessKeyId"],
             aws_secret_access_key=k["SecretAccessKey"]).create_bucket(Bucket="demo")
print(k["AccessKeyId"], k["SecretAccessKey"])
PY
)"
read -r AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY <<<"$keys"
export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_REGION=us-east-1

cp -r "$root/feeds.d" "$work/feeds.d"
sed -e "s|^root: .*|root: s3://demo/lake|" -e "s|http://127.0.0.1:8088|$emulator_url|" "$root/lake.yaml" >"$work/lake.yaml"
printf 'storage:\n  s3:\n    endpoint: http://127.0.0.1:%s\n' "$port" >>"$work/lake.yaml"
dl="$bin/datalake"
cd "$work"
echo "== moto S3 on http://127.0.0.1:$port (signatures enforced), ksqlDB emulator on $emulator_url"
echo "== datalake init";     "$dl" init
echo "== datalake validate"; "$dl" validate
echo "== datalake plan";     "$dl" plan
echo "== datalake apply";    "$dl" apply --auto-approve
echo "== datalake stats";    "$dl" stats
echo "== datalake apply (again: nothing new, nothing written)"; "$dl" apply --auto-approve
echo "== objects in s3://demo/lake"
"$py" - "$port" <<'PY'
import os, sys, boto3
s3 = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{sys.argv[1]}", region_name="us-east-1")
keys = [o["Key"] for p in s3.get_paginator("list_objects_v2").paginate(Bucket="demo", Prefix="lake/") for o in p.get("Contents", [])]
print(f"{len(keys)} objects, {sum(k.endswith('.parquet') for k in keys)} Parquet files")
PY
