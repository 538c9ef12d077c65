"""The lake on S3 (moto's server, signatures enforced): plan and apply write the same layout as on
a local root, a second apply changes no object, and pyarrow, pandas (s3fs) and polars read each
feed from the bucket with exactly the rows ksqlDB serves."""
import collections
import os
import subprocess

import pyarrow.dataset as ds
import pyarrow.fs as pafs
import pytest

from lake_support import Emulator, Lake, binaries
from s3_support import MotoS3

FEEDS = {"transaction_stream", "transaction_flattened", "user_transaction_summary"}


@pytest.fixture(scope="module")
def s3lake():
    moto = MotoS3()
    emu = Emulator("--demo", "--rows", "2000", "--days", "3")
    try:
        lake = Lake(emu, feeds=FEEDS)
        cfg = os.path.join(lake.dir, "lake.yaml")
        text = open(cfg).read().replace("root: data_lake", "root: s3://demo/lake")
        text += f"storage:\n  s3:\n    endpoint: {moto.url}\n"
        open(cfg, "w").write(text)
        yield moto, emu, lake
    finally:
        emu.stop()
        moto.stop()


def run(lake, moto, *args, check=True, **env):
    r = subprocess.run([lake.dl, *args], cwd=lake.dir, capture_output=True, text=True, timeout=600, env=moto.env(**env))
    if check and r.returncode != 0:
        raise AssertionError(f"datalake {' '.join(args)} exited {r.returncode}:\n{r.stdout}\n{r.stderr}")
    return r


def test_apply_on_s3_then_readers_get_exactly_ksqldbs_rows(s3lake):
    moto, emu, lake = s3lake
    run(lake, moto, "init")
    run(lake, moto, "apply")
    objects = moto.objects("lake/")
    assert "lake/streams/transaction_stream/_metadata.json" in objects
    assert any(k.startswith("lake/streams/transaction_stream/year=") and k.endswith(".parquet") for k in objects)
    assert not any(k.startswith("lake/") and "/." in k for k in objects), "no hidden temporaries on S3"
    # Nothing new: no object is written again (same ETags and times), no log.
    again = run(lake, moto, "apply")
    assert "0 changed the lake" in again.stdout
    assert moto.objects("lake/") == objects

    fs = pafs.S3FileSystem(endpoint_override=moto.url, access_key=moto.access_key, secret_key=moto.secret_key,
                           region="us-east-1", scheme="http")
    for feed in ("transaction_stream", "transaction_flattened"):
        table = ds.dataset(f"demo/lake/streams/{feed}", filesystem=fs, format="parquet", partitioning="hive").to_table()
        first = table.column_names[1]
        got = collections.Counter(zip(table.column("ROWTIME").to_pylist(), table.column(first).to_pylist()))
        names, rows = emu.rows(f"SELECT ROWTIME, * FROM {feed};")
        assert got == collections.Counter((r[0], r[1]) for r in rows), feed

    import pandas as pd
    opts = {"key": moto.access_key, "secret": moto.secret_key, "client_kwargs": {"endpoint_url": moto.url, "region_name": "us-east-1"}}
    df = pd.read_parquet("s3://demo/lake/streams/transaction_stream", storage_options=opts)
    assert len(df) == len(emu.rows("SELECT ROWTIME, * FROM transaction_stream;")[1])

    import polars as pl
    popts = {"aws_access_key_id": moto.access_key, "aws_secret_access_key": moto.secret_key, "aws_region": "us-east-1",
             "aws_endpoint_url": moto.url, "aws_allow_http": "true"}
    n = pl.scan_parquet("s3://demo/lake/streams/transaction_flattened/**/*.parquet", storage_options=popts).select(pl.len()).collect().item()
    assert n == len(emu.rows("SELECT ROWTIME, * FROM transaction_flattened;")[1])

    # The table's latest version, as _metadata.json names it.
    import json
    meta = json.loads(moto.client().get_object(Bucket="demo", Key="lake/tables/user_transaction_summary/_metadata.json")["Body"].read())
    latest = ds.dataset(f"demo/lake/tables/user_transaction_summary/{meta['latest_path']}", filesystem=fs, format="parquet").to_table()
    assert latest.num_rows == len(emu.rows("SELECT * FROM user_transaction_summary;")[1])

    # The lake is a Delta lake (the init default): delta-rs reads each feed from the bucket.
    from deltalake import DeltaTable
    dopts = {"AWS_ACCESS_KEY_ID": moto.access_key, "AWS_SECRET_ACCESS_KEY": moto.secret_key, "AWS_REGION": "us-east-1",
             "AWS_ENDPOINT_URL": moto.url, "AWS_ALLOW_HTTP": "true"}
    for feed in ("transaction_stream", "transaction_flattened"):
        dt = DeltaTable(f"s3://demo/lake/streams/{feed}", storage_options=dopts)
        t = dt.to_pyarrow_table()
        names, rows = emu.rows(f"SELECT ROWTIME, * FROM {feed};")
        assert collections.Counter(zip(t.column("ROWTIME").to_pylist(), t.column(t.column_names[1]).to_pylist())) == \
            collections.Counter((r[0], r[1]) for r in rows), feed
        assert dt.version() == 0
    assert DeltaTable("s3://demo/lake/tables/user_transaction_summary", storage_options=dopts).to_pyarrow_table().num_rows == \
        len(emu.rows("SELECT * FROM user_transaction_summary;")[1])

    stats = run(lake, moto, "stats", "--json")
    assert '"total_records"' in stats.stdout
    doctor = run(lake, moto, "doctor", "--offline")
    assert "lake writable" in doctor.stdout


def test_a_wrong_secret_is_a_clear_error_that_never_shows_it(s3lake):
    moto, emu, lake = s3lake
    r = run(lake, moto, "plan", check=False, AWS_SECRET_ACCESS_KEY="not-the-secret-123")
    assert r.returncode == 1
    assert "S3 refused the credentials (403 SignatureDoesNotMatch)" in r.stderr, r.stderr
    assert "not-the-secret-123" not in r.stderr + r.stdout
    r = run(lake, moto, "plan", check=False, AWS_ACCESS_KEY_ID="")
    assert r.returncode == 1 and "AWS_ACCESS_KEY_ID is not set" in r.stderr, r.stderr


def test_the_lock_is_a_lease_object_and_a_second_apply_names_its_holder(s3lake):
    moto, emu, lake = s3lake
    holder = '{"owner": "x", "host": "otherhost", "pid": 4242, "expires": 4102444800}\n'
    moto.client().put_object(Bucket="demo", Key="lake/.locks/transaction_stream.lock", Body=holder.encode())
    try:
        r = run(lake, moto, "apply", check=False)
        assert r.returncode == 1 and "pid 4242 on otherhost" in r.stderr, r.stderr
    finally:
        moto.client().delete_object(Bucket="demo", Key="lake/.locks/transaction_stream.lock")
    # A stale lease (past its expiry) is taken over, and released when the apply ends.
    moto.client().put_object(Bucket="demo", Key="lake/.locks/transaction_stream.lock", Body=holder.replace("4102444800", "1000").encode())
    r = run(lake, moto, "apply")
    assert "taking over a stale lock" in r.stderr
    assert "lake/.locks/transaction_stream.lock" not in moto.objects("lake/")


def test_kill_minus_nine_on_s3_then_apply_ends_exact_with_no_leftover(s3lake):
    import random
    import signal
    import time
    moto, emu, lake = s3lake
    run(lake, moto, "apply")
    rng = random.Random(99)
    now_ms = int(time.time() * 1000)
    killed = 0
    for i in range(8):
        emu.post("/emulator/faults", {"rowDelay": 1} if i % 2 else {})
        p = subprocess.Popen([lake.dl, "apply"], cwd=lake.dir, env=moto.env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.05, 1.0))
        if p.poll() is None:
            p.send_signal(signal.SIGKILL)
            killed += 1
        p.wait()
        # A killed apply leaves its leases until they expire: remove them as an operator would.
        if p.returncode != 0:
            run(lake, moto, "force-unlock")
        for j in range(3):
            t = now_ms - rng.randint(0, 30 * 60_000)
            emu.ksql(f"INSERT INTO transaction_stream (ROWTIME, TRANSACTION_ID, USER_ID, AMOUNT, CURRENCY) "
                     f"VALUES ({t}, 's3crash-{i}-{j}', 'user_0001', 1.50, 'EUR');")
    assert killed >= 3, killed
    emu.post("/emulator/faults", {})
    run(lake, moto, "apply")
    run(lake, moto, "apply")
    import json
    fs = pafs.S3FileSystem(endpoint_override=moto.url, access_key=moto.access_key, secret_key=moto.secret_key,
                           region="us-east-1", scheme="http")
    for feed in ("transaction_stream", "transaction_flattened"):
        table = ds.dataset(f"demo/lake/streams/{feed}", filesystem=fs, format="parquet", partitioning="hive").to_table()
        got = collections.Counter(zip(table.column("ROWTIME").to_pylist(), table.column(table.column_names[1]).to_pylist()))
        names, rows = emu.rows(f"SELECT ROWTIME, * FROM {feed};")
        assert got == collections.Counter((r[0], r[1]) for r in rows), feed
        meta = json.loads(moto.client().get_object(Bucket="demo", Key=f"lake/streams/{feed}/_metadata.json")["Body"].read())
        listed = {f["path"] for f in meta["files"]}
        parquet = {k[len(f"lake/streams/{feed}/"):] for k in moto.objects(f"lake/streams/{feed}/")
                   if k.endswith(".parquet") and "/_delta_log/" not in k}
        assert parquet == listed, f"objects no commit names: {parquet - listed}"
        # The Delta log: no gap, and it adds exactly the committed objects, whose rows are ksqlDB's.
        from deltalake import DeltaTable
        import pyarrow as pa
        log = sorted(int(k.rsplit("/", 1)[1][:20]) for k in moto.objects(f"lake/streams/{feed}/_delta_log/") if k.endswith(".json") and len(k.rsplit("/", 1)[1]) == 25)
        assert log == list(range(len(log))), log
        dopts = {"AWS_ACCESS_KEY_ID": moto.access_key, "AWS_SECRET_ACCESS_KEY": moto.secret_key, "AWS_REGION": "us-east-1",
                 "AWS_ENDPOINT_URL": moto.url, "AWS_ALLOW_HTTP": "true"}
        dt = DeltaTable(f"s3://demo/lake/streams/{feed}", storage_options=dopts)
        assert set(pa.table(dt.get_add_actions(flatten=True)).column("path").to_pylist()) == listed
        t = dt.to_pyarrow_table()
        assert collections.Counter(zip(t.column("ROWTIME").to_pylist(), t.column(t.column_names[1]).to_pylist())) == \
            collections.Counter((r[0], r[1]) for r in rows), feed
        overlaps = [k for k in moto.objects(f"lake/streams/{feed}/") if "/_overlap_" in k]
        assert overlaps == [f"lake/streams/{feed}/{meta['overlap_file']}"]
    assert moto.client().list_multipart_uploads(Bucket="demo").get("Uploads", []) == []


def test_an_upload_a_crash_left_incomplete_is_aborted_by_the_plan(s3lake):
    moto, emu, lake = s3lake
    run(lake, moto, "apply")
    key = "lake/streams/transaction_stream/year=2020/month=01/day=01/data_crashed.parquet"
    moto.client().create_multipart_upload(Bucket="demo", Key=key)
    plan = run(lake, moto, "plan")
    assert "aborts the upload of streams/transaction_stream/year=2020/month=01/day=01/data_crashed.parquet" in plan.stdout, plan.stdout
    assert "no file modes" in plan.stdout
    run(lake, moto, "apply")
    assert moto.client().list_multipart_uploads(Bucket="demo").get("Uploads", []) == []


def test_force_unlock_removes_a_dead_applys_lease(s3lake):
    moto, emu, lake = s3lake
    assert "nothing to remove" in run(lake, moto, "force-unlock").stdout
    holder = '{"owner": "x", "host": "deadhost", "pid": 77, "expires": 4102444800}\n'
    moto.client().put_object(Bucket="demo", Key="lake/.locks/transaction_stream.lock", Body=holder.encode())
    r = run(lake, moto, "force-unlock")
    assert "removed the lock of feed transaction_stream, held by pid 77 on deadhost" in r.stdout, r.stdout
    assert "lake/.locks/transaction_stream.lock" not in moto.objects("lake/")
    run(lake, moto, "apply")


def test_slowdowns_and_dropped_connections_are_retried_and_nothing_is_lost_or_doubled():
    from s3_support import FaultyS3Proxy
    moto = MotoS3(bucket="demo")
    proxy = FaultyS3Proxy(moto.port)
    emu = Emulator("--demo", "--rows", "600", "--days", "3")
    try:
        lake = Lake(emu, feeds={"transaction_stream", "user_transaction_summary"})
        cfg = os.path.join(lake.dir, "lake.yaml")
        text = open(cfg).read().replace("root: data_lake", "root: s3://demo/faulty")
        open(cfg, "w").write(text + f"storage:\n  s3:\n    endpoint: {proxy.url}\n")
        run(lake, moto, "apply")
        assert proxy.slowdowns >= 1 and proxy.drops >= 1, (proxy.slowdowns, proxy.drops, proxy.puts)
        fs = pafs.S3FileSystem(endpoint_override=moto.url, access_key=moto.access_key, secret_key=moto.secret_key,
                               region="us-east-1", scheme="http")
        table = ds.dataset("demo/faulty/streams/transaction_stream", filesystem=fs, format="parquet", partitioning="hive").to_table()
        got = collections.Counter(zip(table.column("ROWTIME").to_pylist(), table.column(table.column_names[1]).to_pylist()))
        names, rows = emu.rows("SELECT ROWTIME, * FROM transaction_stream;")
        assert got == collections.Counter((r[0], r[1]) for r in rows)
        again = run(lake, moto, "apply")
        assert "0 changed the lake" in again.stdout
    finally:
        emu.stop()
        proxy.stop()
        moto.stop()


def test_applies_of_different_feeds_run_at_once_and_two_of_one_feed_do_not(s3lake):
    moto, emu, lake = s3lake
    holder = '{"owner": "x", "host": "otherhost", "pid": 4343, "expires": 4102444800}\n'
    moto.client().put_object(Bucket="demo", Key="lake/.locks/user_transaction_summary.lock", Body=holder.encode())
    try:
        run(lake, moto, "apply", "--target", "transaction_stream")
        r = run(lake, moto, "apply", "--target", "user_transaction_summary", check=False)
        assert r.returncode == 1 and 'feed "user_transaction_summary"' in r.stderr and "pid 4343 on otherhost" in r.stderr, r.stderr
        r = run(lake, moto, "apply", check=False)
        assert r.returncode == 1 and "pid 4343" in r.stderr
    finally:
        moto.client().delete_object(Bucket="demo", Key="lake/.locks/user_transaction_summary.lock")
    assert not any(k.startswith("lake/.locks/") for k in moto.objects("lake/")), "leases are released"
