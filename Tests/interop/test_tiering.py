"""Tiering, read back by real readers. On S3 (moto, signatures enforced) old day partitions change
storage class in place, and pyarrow still reads every row; on a local lake they move to tier_root,
and DuckDB and pyarrow read the feed across both directories with exactly ksqlDB's rows."""
import collections
import os
import re
import subprocess

import pyarrow.dataset as ds
import pyarrow.fs as pafs

from lake_support import Emulator, Lake
from s3_support import MotoS3

# Demo days far enough back to be past tier_after_days, within retention_days.
EMULATOR_ARGS = ("--demo", "--rows", "600", "--days", "3", "--start-date", "2025-06-01")
TIERED = "tier_after_days: 30\n"


def keep_one_stream(lake, extra):
    """The transaction_stream feed alone, with a long retention and `extra` keys."""
    feeds = os.path.join(lake.dir, "feeds.d")
    for name in os.listdir(feeds):
        if name != "transaction_stream.yaml":
            os.remove(os.path.join(feeds, name))
    path = os.path.join(feeds, "transaction_stream.yaml")
    text = open(path).read().replace("retention_days: 365", "retention_days: 3650")
    open(path, "w").write(text + extra)


def expected(emu):
    _, rows = emu.rows("SELECT ROWTIME, TRANSACTION_ID FROM transaction_stream;")
    return collections.Counter((r[0], r[1]) for r in rows)


def test_s3_tiering_changes_storage_class_in_place_and_readers_still_read_every_row():
    moto = MotoS3()
    emu = Emulator(*EMULATOR_ARGS)
    try:
        lake = Lake(emu)
        keep_one_stream(lake, TIERED + "tier_storage_class: GLACIER_IR\n")
        cfg = os.path.join(lake.dir, "lake.yaml")
        text = open(cfg).read().replace("root: data_lake", "root: s3://demo/tiered")
        open(cfg, "w").write(text + f"storage:\n  s3:\n    endpoint: {moto.url}\n")

        def run(*args):
            r = subprocess.run([lake.dl, *args], cwd=lake.dir, capture_output=True, text=True, timeout=600, env=moto.env())
            assert r.returncode == 0, f"datalake {' '.join(args)}: {r.stdout}\n{r.stderr}"
            return r.stdout

        run("init")
        run("apply")
        s3 = moto.client()
        data = [o for o in s3.list_objects_v2(Bucket="demo", Prefix="tiered/streams/")["Contents"] if o["Key"].endswith(".parquet")]
        assert data and all(o.get("StorageClass", "STANDARD") == "STANDARD" for o in data)

        plan = run("plan")
        assert re.search(r"> tier stream transaction_stream \(%d paths" % len(data), plan), plan
        assert "to GLACIER_IR" in plan
        run("apply")
        after = {o["Key"]: o for o in s3.list_objects_v2(Bucket="demo", Prefix="tiered/streams/")["Contents"]}
        for o in data:
            assert after[o["Key"]]["StorageClass"] == "GLACIER_IR", o["Key"]
            assert after[o["Key"]]["Size"] == o["Size"] and after[o["Key"]]["ETag"] == o["ETag"], "same bytes"
        assert "tier stream" not in run("plan")

        fs = pafs.S3FileSystem(endpoint_override=moto.url, access_key=moto.access_key, secret_key=moto.secret_key,
                               region="us-east-1", scheme="http")
        table = ds.dataset("demo/tiered/streams/transaction_stream", filesystem=fs, format="parquet", partitioning="hive").to_table()
        got = collections.Counter(zip(table.column("ROWTIME").to_pylist(), table.column("TRANSACTION_ID").to_pylist()))
        assert got == expected(emu)
    finally:
        emu.stop()
        moto.stop()


def test_local_tiering_moves_partitions_to_tier_root_and_both_globs_read_every_row():
    # The three days before today: the oldest is past tier_after_days 2, the other two are not.
    emu = Emulator("--demo", "--rows", "600", "--days", "3")
    try:
        lake = Lake(emu)
        # A Delta table keeps its files in its directory: local tiering is for hive feeds.
        keep_one_stream(lake, "tier_after_days: 2\ntable_format: hive\n")
        cfg = os.path.join(lake.dir, "lake.yaml")
        open(cfg, "a").write("tier_root: cold_lake\n")
        lake.run("apply")
        plan = lake.run("plan").stdout
        assert "> tier stream transaction_stream" in plan and "to tier_root" in plan, plan
        lake.run("apply")
        hot = lake.path("streams", "transaction_stream")
        cold = os.path.join(lake.dir, "cold_lake", "streams", "transaction_stream")
        days = lambda root: {d for d, _, fs in os.walk(root) if any(f.endswith(".parquet") for f in fs)}
        assert len(days(cold)) == 1 and len(days(hot)) == 2, (days(hot), days(cold))
        assert not {os.path.relpath(d, cold) for d in days(cold)} & {os.path.relpath(d, hot) for d in days(hot)}

        # The README's recipe: both directories, one hive-partitioned read.
        import duckdb
        rows = duckdb.sql(f"SELECT ROWTIME, TRANSACTION_ID FROM read_parquet(['{hot}/**/*.parquet', '{cold}/**/*.parquet'], "
                          "hive_partitioning = true)").fetchall()
        assert collections.Counter(rows) == expected(emu)
        table = ds.dataset([ds.dataset(root, format="parquet", partitioning="hive") for root in (hot, cold)]).to_table()
        got = collections.Counter(zip(table.column("ROWTIME").to_pylist(), table.column("TRANSACTION_ID").to_pylist()))
        assert got == expected(emu)
        # The next apply has nothing to do.
        assert "0 changed the lake" in lake.run("apply").stdout
    finally:
        emu.stop()
