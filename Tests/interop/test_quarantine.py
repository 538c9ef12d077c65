"""`on_check_failure: quarantine` through the real binaries: failing rows land in
`quarantine/<feed>/year=/month=/day=/` with a `_failed_checks` column that pyarrow and DuckDB read,
the rest in the Delta table (delta-rs), each row in exactly one place, also after kill -9 between the
commit and its publication, and across re-runs."""
import collections
import glob
import json
import os

import duckdb
import pyarrow.dataset as ds
from deltalake import DeltaTable

from lake_support import Emulator, Lake
from test_lake import _kill_when

QUARANTINE = """checks:
  - not_null: [TRANSACTION_ID, USER_ID]
  - unique: [TRANSACTION_ID]
  - range: {column: AMOUNT, min: -100000, max: 100000}
on_check_failure: quarantine
"""

FEED = "transaction_stream"
# id -> the checks each broken row fails.
BROKEN = {
    "q-null": ["not_null(TRANSACTION_ID, USER_ID)"],
    "q-huge": ["range(AMOUNT)"],
    "q-both": ["not_null(TRANSACTION_ID, USER_ID)", "range(AMOUNT)"],
}


def setup(rows):
    emu = Emulator("--demo", "--rows", str(rows), "--days", "2")
    lake = Lake(emu, feeds={FEED})
    feed_file = os.path.join(lake.dir, "feeds.d", FEED + ".yaml")
    open(feed_file, "a").write(QUARANTINE)
    return emu, lake


def insert_broken(emu, lake):
    w = lake.metadata("streams", FEED)["watermark"]
    values = [("'ok-1'", "'user_0001'", "3.00"), ("'q-null'", "NULL", "3.00"), ("'q-huge'", "'user_0002'", "900000.00"),
              ("'q-both'", "NULL", "900000.00"), ("'dup-1'", "'user_0003'", "1.00"), ("'dup-1'", "'user_0003'", "1.00")]
    for i, (tid, user, amount) in enumerate(values):
        emu.ksql("INSERT INTO transaction_stream (ROWTIME, TRANSACTION_ID, USER_ID, AMOUNT, CURRENCY) "
                 f"VALUES ({w + 1 + i}, {tid}, {user}, {amount}, 'EUR');")
    # The second dup-1 is the one set aside (the first occurrence is the row kept).
    return {**BROKEN, "dup-1": ["unique(TRANSACTION_ID)"]}


def quarantine_rows(lake):
    root = lake.path("quarantine", FEED)
    if not glob.glob(os.path.join(root, "year=*", "month=*", "day=*", "*.parquet")):
        return {}
    table = ds.dataset(root, format="parquet", partitioning="hive").to_table()
    return collections.Counter((t, tuple(c)) for t, c in zip(table.column("TRANSACTION_ID").to_pylist(), table.column("_failed_checks").to_pylist()))


def data_ids(lake):
    return collections.Counter(DeltaTable(lake.path("streams", FEED)).to_pyarrow_table().column("TRANSACTION_ID").to_pylist())


def source_ids(emu):
    names, rows = emu.rows(f"SELECT * FROM {FEED};")
    i = names.index("TRANSACTION_ID")
    return collections.Counter(r[i] for r in rows)


def assert_exact(emu, lake, broken):
    quarantined = quarantine_rows(lake)
    assert quarantined == collections.Counter({(t, tuple(c)): 1 for t, c in broken.items()}), quarantined
    # Every source row in exactly one place.
    assert data_ids(lake) + collections.Counter(t for t, _ in quarantined.elements()) == source_ids(emu)
    assert glob.glob(lake.path("quarantine", "**", ".*"), recursive=True) == []
    meta = lake.metadata("streams", FEED)
    assert meta["pending"] == [] and meta["pending_quarantine"] == []
    assert meta["quarantine_records"] == len(broken)


def test_failing_rows_are_quarantined_and_read_by_pyarrow_and_duckdb():
    emu, lake = setup(300)
    try:
        lake.run("apply", "--auto-approve")
        assert not os.path.exists(lake.path("quarantine"))
        broken = insert_broken(emu, lake)
        r = lake.run("apply", "--auto-approve")
        assert f"QUARANTINED 4 rows to quarantine/{FEED}/" in r.stdout, r.stdout
        assert_exact(emu, lake, broken)

        files = glob.glob(lake.path("quarantine", FEED, "year=*", "month=*", "day=*", "*.parquet"))
        assert len(files) == 1
        con = duckdb.connect()
        got = con.execute(f"SELECT TRANSACTION_ID, _failed_checks, USER_ID, CAST(AMOUNT AS VARCHAR) FROM read_parquet('{files[0]}') ORDER BY 1").fetchall()
        assert [(t, list(c)) for t, c, _, _ in got] == sorted((t, c) for t, c in broken.items())
        assert dict((t, (u, a)) for t, _, u, a in got)["q-huge"] == ("user_0002", "900000.00")

        stats = json.loads(lake.run("stats", "--json").stdout)
        assert next(f for f in stats["feeds"] if f["feed"] == FEED)["quarantined_records"] == 4

        # Exactly once across re-runs: nothing new, nothing moves.
        again = lake.run("apply", "--auto-approve")
        assert "QUARANTINED" not in again.stdout
        assert_exact(emu, lake, broken)
    finally:
        emu.stop()


def test_kill_after_the_commit_then_apply_ends_exact_in_both_places():
    emu, lake = setup(3000)
    try:
        lake.run("apply", "--auto-approve")
        broken = insert_broken(emu, lake)
        meta_path = lake.path("streams", FEED, "_metadata.json")

        def pending_quarantine():
            try:
                return json.load(open(meta_path)).get("pending_quarantine", [])
            except (OSError, ValueError):
                return []

        assert _kill_when(lake, {"DATALAKE_FAILPOINTS": "after-commit=3000"}, lambda: len(pending_quarantine()) > 0)
        staged = glob.glob(lake.path("quarantine", FEED, "**", ".*"), recursive=True)
        assert len(staged) == 1, "killed with the quarantine file committed but still staged"
        assert quarantine_rows(lake) == {}
        plan = lake.run("plan", "--offline", check=False)
        assert "cleanup" in plan.stdout, plan.stdout
        lake.run("apply", "--auto-approve")
        lake.run("apply", "--auto-approve")
        assert_exact(emu, lake, broken)
    finally:
        emu.stop()
