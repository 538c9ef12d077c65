"""The demo lake read the way the seed's README reads it: pandas with hive filters, DuckDB over a
glob with WHERE on the partition columns, and the latest table version; values equal what the
emulator served. Plus the crash test: kill -9 apply at random points, then apply to completion,
and compare the lake's rows with ksqlDB's exactly."""
import collections
import datetime as dt
import decimal
import glob
import json
import os
import random
import signal
import subprocess
import time

import duckdb
import pandas as pd
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from lake_support import Emulator, Lake

UTC = dt.timezone.utc


@pytest.fixture(scope="module")
def demo():
    emu = Emulator("--demo", "--rows", "1500", "--days", "3")
    lake = Lake(emu)
    lake.run("apply")
    yield emu, lake
    emu.stop()


def ts_text(value):
    """A pandas/pyarrow UTC timestamp as ksqlDB renders TIMESTAMP."""
    v = pd.Timestamp(value).tz_convert("UTC")
    return v.strftime("%Y-%m-%dT%H:%M:%S.") + f"{v.microsecond // 1000:03d}"


def test_pandas_reads_streams_with_hive_filters(demo):
    emu, lake = demo
    names, rows = emu.rows("SELECT ROWTIME, * FROM transaction_flattened;")
    expected = {r[names.index("TRANSACTION_ID")]: r for r in rows}
    days = sorted({dt.datetime.fromtimestamp(r[0] / 1000, UTC).date() for r in rows})
    d = days[0]
    df = pd.read_parquet(lake.path("streams", "transaction_flattened"), filters=[("year", "=", d.year), ("month", "=", d.month)])
    in_month = [r for r in rows if dt.datetime.fromtimestamp(r[0] / 1000, UTC).date().month == d.month]
    assert len(df) == len(in_month)
    assert set(df["year"].astype(int)) == {d.year}
    for rec in df.to_dict("records")[:200]:
        want = expected[rec["TRANSACTION_ID"]]
        for col in ("USER_ID", "PAYMENT_METHOD", "CITY", "MERCHANT_NAME", "CARD_BRAND"):
            assert rec[col] == want[names.index(col)], col
        assert rec["ROWTIME"] == want[0]
        assert decimal.Decimal(rec["AMOUNT"]) == want[names.index("AMOUNT")]
        assert ts_text(rec["TRANSACTION_TIME"]) == want[names.index("TRANSACTION_TIME")]
        day = dt.datetime.fromtimestamp(want[0] / 1000, UTC)
        assert (int(rec["year"]), int(rec["month"]), int(rec["day"])) == (day.year, day.month, day.day)


def test_duckdb_glob_with_partition_where(demo):
    emu, lake = demo
    names, rows = emu.rows("SELECT ROWTIME, * FROM transaction_stream_anonymized;")
    d = dt.datetime.fromtimestamp(rows[0][0] / 1000, UTC)
    want = collections.Counter()
    for r in rows:
        t = dt.datetime.fromtimestamp(r[0] / 1000, UTC)
        if t.year == d.year and t.month == d.month:
            want[r[names.index("USER_HASH")]] += r[names.index("AMOUNT_EUR")]
    glob_path = lake.path("streams", "transaction_stream_anonymized") + "/**/*.parquet"
    got = duckdb.sql(f"""
        SELECT USER_HASH, SUM(AMOUNT_EUR) AS total
        FROM '{glob_path}'
        WHERE year = {d.year} AND month = {d.month}
        GROUP BY USER_HASH""").fetchall()
    assert {k: decimal.Decimal(v) for k, v in got} == dict(want)


def test_latest_table_version_matches_the_table(demo):
    emu, lake = demo
    meta = lake.metadata("tables", "user_transaction_summary")
    latest = meta["latest_path"]
    assert latest.startswith("version=v") and latest == meta["versions"][-1]["path"]
    df = pd.read_parquet(lake.path("tables", "user_transaction_summary", os.path.dirname(latest)))
    names, rows = emu.rows("SELECT * FROM user_transaction_summary;")
    assert len(df) == len(rows) == meta["total_records"]
    by_user = {r[names.index("USER_ID")]: r for r in rows}
    for rec in df.to_dict("records"):
        want = by_user[rec["USER_ID"]]
        assert rec["TRANSACTION_COUNT"] == want[names.index("TRANSACTION_COUNT")]
        assert decimal.Decimal(rec["TOTAL_AMOUNT"]) == want[names.index("TOTAL_AMOUNT")]


def test_a_table_snapshot_reads_the_table_once_and_an_unchanged_one_changes_nothing():
    """One query per snapshot (the emulator's /emulator/queries counts them); pandas and pyarrow read
    each new version value for value as ksqlDB serves the table; an unchanged table leaves every
    file of the feed as it was and no version directory or staged file behind."""
    emu = Emulator("--demo", "--rows", "300", "--days", "3")
    try:
        lake = Lake(emu, feeds={"user_transaction_summary"})
        sql = "SELECT * FROM USER_TRANSACTION_SUMMARY;"
        feed = lake.path("tables", "user_transaction_summary")

        def reads():
            return sum(1 for q in emu.request("GET", "/emulator/queries")["queries"] if q["sql"].upper() == sql)

        def files():
            out = {}
            for root, dirs, names in os.walk(feed):
                for d in dirs:
                    out[os.path.relpath(os.path.join(root, d), feed)] = "dir"
                for n in names:
                    p = os.path.join(root, n)
                    st = os.stat(p)
                    out[os.path.relpath(p, feed)] = (st.st_size, st.st_mtime_ns, open(p, "rb").read())
            return out

        def latest_matches_the_table():
            meta = lake.metadata("tables", "user_transaction_summary")
            path = os.path.join(feed, meta["latest_path"])
            names, rows = emu.rows(sql)
            want = {r[names.index("USER_ID")]: r for r in rows}
            as_ksql = {"TRANSACTION_COUNT": int, "TOTAL_AMOUNT": decimal.Decimal, "AVG_AMOUNT": float, "LAST_TRANSACTION_TIME": ts_text}
            for table in (pd.read_parquet(path).to_dict("records"), pq.read_table(path).to_pylist()):
                assert len(table) == len(rows) == meta["versions"][-1]["rows"]
                for rec in table:
                    r = want[rec["USER_ID"]]
                    for column, convert in as_ksql.items():
                        got, expected = rec[column], r[names.index(column)]
                        if expected is None:
                            assert got is None or pd.isna(got), column
                        else:
                            assert convert(got) == (float(expected) if convert is float else expected), column
            return meta

        lake.run("apply")
        assert reads() == 1
        assert [v["version"] for v in latest_matches_the_table()["versions"]] == [1]

        emu.request("DELETE", "/emulator/queries")
        before = files()
        out = lake.run("apply").stdout
        assert "unchanged since the latest version" in out
        assert reads() == 1
        assert files() == before
        assert not [p for p in before if p.endswith(".tmp")]

        emu.ksql("INSERT INTO transaction_stream (ROWTIME, TRANSACTION_ID, USER_ID, AMOUNT, CURRENCY) "
                 "VALUES (1736899200000, 'once-1', 'user_0001', 12.34, 'EUR');")
        emu.request("DELETE", "/emulator/queries")
        lake.run("apply")
        assert reads() == 1
        assert [v["version"] for v in latest_matches_the_table()["versions"]] == [1, 2]
        assert sorted(p for p in os.listdir(feed) if p.startswith("version=")) == ["version=v1", "version=v2"]
        assert not [p for p in files() if p.endswith(".tmp")]
    finally:
        emu.stop()


def test_metadata_lists_exactly_the_visible_files(demo):
    _, lake = demo
    for kind in ("streams", "tables"):
        for feed in os.listdir(lake.path(kind)):
            meta = lake.metadata(kind, feed)
            visible = sorted(os.path.relpath(p, lake.path(kind, feed)) for p in glob.glob(lake.path(kind, feed, "**", "*.parquet"), recursive=True))
            assert visible == sorted(f["path"] for f in meta["files"]), feed
            assert meta["total_records"] == (sum(f["rows"] for f in meta["files"]) if kind == "streams" else meta["versions"][-1]["rows"])
            for f in meta["files"]:
                assert pq.ParquetFile(lake.path(kind, feed, f["path"])).metadata.num_rows == f["rows"]


def lake_rows(lake, feed):
    """(ROWTIME, first column) multiset of every committed row of a stream feed."""
    dataset = ds.dataset(lake.path("streams", feed), format="parquet", partitioning="hive")
    table = dataset.to_table()
    first = table.column_names[1]
    return collections.Counter(zip(table.column("ROWTIME").to_pylist(), table.column(first).to_pylist()))


def source_rows(emu, source):
    names, rows = emu.rows(f"SELECT ROWTIME, * FROM {source};")
    return collections.Counter((r[0], r[1]) for r in rows)


def assert_delta_exact(lake, emu, feed):
    """After crashes the feed's Delta log has no gap, delta-rs reads ksqlDB's rows, and the log's
    files are exactly the committed files on disk."""
    from deltalake import DeltaTable
    names = os.listdir(lake.path("streams", feed, "_delta_log"))
    versions = sorted(int(n[:20]) for n in names if n.endswith(".json") and len(n) == 25)
    assert versions == list(range(len(versions))), versions
    dt = DeltaTable(lake.path("streams", feed))
    table = dt.to_pyarrow_table()
    first = table.column_names[1]
    assert collections.Counter(zip(table.column("ROWTIME").to_pylist(), table.column(first).to_pylist())) == source_rows(emu, feed)
    on_disk = sorted(os.path.relpath(p, lake.path("streams", feed)) for p in glob.glob(lake.path("streams", feed, "year=*", "**", "*.parquet"), recursive=True))
    import pyarrow as pa
    assert sorted(pa.table(dt.get_add_actions(flatten=True)).column("path").to_pylist()) == on_disk


def test_kill_minus_nine_at_random_points_then_apply_ends_exact():
    emu = Emulator("--demo", "--rows", "6000", "--days", "2")
    try:
        lake = Lake(emu, feeds={"transaction_stream", "transaction_flattened", "user_transaction_summary"})
        rng = random.Random(1234)
        now_ms = int(time.time() * 1000)
        killed = 0
        rounds = int(os.environ.get("CRASH_ROUNDS", "14"))
        for i in range(rounds):
            # Every other round ksqlDB answers slowly (1 ms a row), so that the kill lands mid-query
            # even when there is little new to export; the other rounds run at full speed.
            slow = i % 2 == 1
            emu.post("/emulator/faults", {"rowDelay": 1} if slow else {})
            p = subprocess.Popen([lake.dl, "apply"], cwd=lake.dir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.05, 1.5) if slow else rng.uniform(0.0, 0.4))
            if p.poll() is None:
                p.send_signal(signal.SIGKILL)
                killed += 1
            p.wait()
            # New events, late ones, and exact duplicates arrive between runs.
            for j in range(3):
                t = now_ms - rng.randint(0, 30 * 60_000)
                emu.ksql(f"INSERT INTO transaction_stream (ROWTIME, TRANSACTION_ID, USER_ID, AMOUNT, CURRENCY) "
                         f"VALUES ({t}, 'crash-{i}-{j}', 'user_0001', 1.50, 'EUR');")
            if i % 4 == 0:
                emu.ksql(f"INSERT INTO transaction_stream (ROWTIME, TRANSACTION_ID, USER_ID, AMOUNT, CURRENCY) "
                         f"VALUES ({now_ms - 1000}, 'dup', 'user_0002', 2.00, 'EUR');")
        print(f"{killed} of {rounds} applies killed mid-run")
        assert killed >= rounds // 2, f"only {killed} of {rounds} applies were interrupted"
        emu.post("/emulator/faults", {})
        lake.run("apply")
        lake.run("apply")
        for feed, source in (("transaction_stream", "transaction_stream"), ("transaction_flattened", "transaction_flattened")):
            assert lake_rows(lake, feed) == source_rows(emu, source), feed
            leftovers = [p for p in glob.glob(lake.path("streams", feed, "**", ".*"), recursive=True)]
            assert leftovers == []
            assert_delta_exact(lake, emu, feed)
        meta = lake.metadata("tables", "user_transaction_summary")
        names, rows = emu.rows("SELECT * FROM user_transaction_summary;")
        assert meta["versions"][-1]["rows"] == len(rows)
        assert pq.read_table(lake.path("tables", "user_transaction_summary", meta["latest_path"])).num_rows == len(rows)
    finally:
        emu.stop()


def _kill_when(lake, env, predicate, timeout=20):
    """Runs `datalake apply` with failpoints and kills it -9 as soon as `predicate()` holds."""
    p = subprocess.Popen([lake.dl, "apply"], cwd=lake.dir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         env={**os.environ, **env})
    deadline = time.time() + timeout
    try:
        while time.time() < deadline and p.poll() is None:
            if predicate():
                p.send_signal(signal.SIGKILL)
                p.wait()
                return True
            time.sleep(0.01)
        return False
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()


def test_kill_after_the_commit_and_during_the_roll_forward_then_apply_ends_exact():
    emu = Emulator("--demo", "--rows", "3000", "--days", "2")
    try:
        lake = Lake(emu, feeds={"transaction_stream", "transaction_flattened"})
        meta_path = lake.path("streams", "transaction_stream", "_metadata.json")

        def pending():
            try:
                with open(meta_path) as f:
                    return json.load(f).get("pending", [])
            except (OSError, ValueError):
                return []

        def staged():
            return glob.glob(lake.path("streams", "transaction_stream", "**", ".data_*.tmp"), recursive=True)

        # Killed between the metadata commit and the first publication.
        assert _kill_when(lake, {"DATALAKE_FAILPOINTS": "after-commit=3000"}, lambda: len(pending()) > 0)
        committed = pending()
        assert committed and len(staged()) == len(committed)
        # The next apply's cleanup rolls the commit forward; killed after its first publication.
        assert len(committed) >= 2, committed
        assert _kill_when(lake, {"DATALAKE_FAILPOINTS": "during-publish=3000"},
                          lambda: 0 < len(staged()) < len(committed))
        assert pending() == committed
        lake.run("apply")
        lake.run("apply")
        assert pending() == []
        for feed in ("transaction_stream", "transaction_flattened"):
            assert lake_rows(lake, feed) == source_rows(emu, feed), feed
            assert glob.glob(lake.path("streams", feed, "**", ".*"), recursive=True) == []
            assert_delta_exact(lake, emu, feed)
    finally:
        emu.stop()
