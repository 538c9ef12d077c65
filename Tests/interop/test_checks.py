"""Data quality checks through the real binaries: a failing check stops that feed's commit (exit 1,
the other feeds still export), `datalake check` tries checks on live data writing nothing, a warning
commits, and the results reach `stats --json` and the Delta commit (delta-rs history)."""
import json
import os

from deltalake import DeltaTable

from lake_support import Emulator, Lake

CHECKS = """checks:
  - not_null: [TRANSACTION_ID, USER_ID]
  - unique: [TRANSACTION_ID]
  - range: {column: AMOUNT, min: -100000, max: 100000}
"""


def snapshot(root):
    out = {}
    for d, _, files in os.walk(root):
        for f in files:
            p = os.path.join(d, f)
            out[p] = open(p, "rb").read()
    return out


def test_checks_gate_the_commit_warn_and_dry_run():
    emu = Emulator("--demo", "--rows", "300", "--days", "2")
    try:
        lake = Lake(emu, feeds={"transaction_stream", "transaction_flattened"})
        feed_file = os.path.join(lake.dir, "feeds.d", "transaction_stream.yaml")
        base = open(feed_file).read()
        open(feed_file, "w").write(base + CHECKS)
        lake.run("apply")
        stats = json.loads(lake.run("stats", "--json").stdout)
        checks = next(f for f in stats["feeds"] if f["feed"] == "transaction_stream")["checks"]
        assert [c["rows_failed"] for c in checks] == [0, 0, 0] and all(c["rows_checked"] == 300 for c in checks)
        history = DeltaTable(lake.path("streams", "transaction_stream")).history()
        assert "not_null(TRANSACTION_ID, USER_ID)" in history[0]["operationParameters"]["checks"]

        watermark = lake.metadata("streams", "transaction_stream")["watermark"]
        for i, user in enumerate(["'user_0001'", "NULL"]):
            emu.ksql("INSERT INTO transaction_stream (ROWTIME, TRANSACTION_ID, USER_ID, AMOUNT, CURRENCY) "
                     f"VALUES ({watermark + 1 + i}, 'bad-{i}', {user}, 3.00, 'EUR');")
        # Tried first without writing anything.
        before = snapshot(lake.path())
        dry = lake.run("check", "transaction_stream", check=False)
        assert dry.returncode == 1 and "FAIL  not_null(TRANSACTION_ID, USER_ID): 1 of" in dry.stdout, dry.stdout + dry.stderr
        assert snapshot(lake.path()) == before

        r = lake.run("apply", check=False)
        assert r.returncode == 1
        assert "export stream transaction_stream: failed: 1 check failed, nothing committed: not_null(TRANSACTION_ID, USER_ID): 1 of 2 rows failed" in r.stdout, r.stdout
        assert "export stream transaction_flattened: ok" in r.stdout, "the other feed went on"
        assert lake.metadata("streams", "transaction_stream")["watermark"] == watermark
        assert DeltaTable(lake.path("streams", "transaction_stream")).version() == 0

        # As a warning, the rows commit and the output says what failed.
        open(feed_file, "w").write(base + CHECKS.replace("  - not_null: [TRANSACTION_ID, USER_ID]\n",
                                                         "  - not_null: [TRANSACTION_ID, USER_ID]\n    severity: warn\n"))
        r = lake.run("apply")
        assert "CHECK WARNINGS: not_null(TRANSACTION_ID, USER_ID): 1 of 2 rows failed" in r.stdout, r.stdout
        assert DeltaTable(lake.path("streams", "transaction_stream")).version() == 1
        report = lake.run("report", "--format", "csv").stdout
        assert "not_null(TRANSACTION_ID, USER_ID): 1 of 2" in report
    finally:
        emu.stop()
