"""issue 13 benchmark: the cost of the Delta log. (1) The same 1M-row export with table_format delta
next to hive, best of 3 each, interleaved (target: delta at most 5% slower). (2) Plan on a generated
Delta lake of 100 feeds x 1,000 commits (a file, a commit JSON each, a checkpoint every 10) next to
`find` over the same tree (target: at most 2x). Run by `make bench` (bench/run_delta.sh)."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from export_bench import DL, lake, measure, start_emulator  # noqa: E402


def export_compare(rows, stream="transaction_stream", rounds=3):
    emu, url = start_emulator(rows)
    try:
        best = {}
        for _ in range(rounds):
            for fmt in ("hive", "delta"):
                d = lake(url, stream)
                cfg = os.path.join(d, "lake.yaml")
                text = open(cfg).read()
                open(cfg, "w").write(text.replace("table_format: delta", f"table_format: {fmt}"))
                wall, rss = measure(d, DL, "apply")
                meta = json.load(open(os.path.join(d, f"data_lake/streams/{stream}/_metadata.json")))
                assert meta["total_records"] == rows, meta["total_records"]
                assert os.path.exists(os.path.join(d, f"data_lake/streams/{stream}/_delta_log")) == (fmt == "delta")
                best[fmt] = min(best.get(fmt, (1e9, 0)), (wall, rss))
                shutil.rmtree(d)
        for fmt in ("hive", "delta"):
            wall, rss = best[fmt]
            print(f"| datalake apply, table_format {fmt} | {stream} | {rows:,} | {wall:.2f} | {rows / wall:,.0f} | {rss:.0f} |")
        print(f"\ndelta / hive = {best['delta'][0] / best['hive'][0]:.3f} (target <= 1.05)\n")
    finally:
        emu.terminate()
        emu.wait()


def plan_bench(feeds=100, commits=1000):
    import datetime as dt
    d = tempfile.mkdtemp(prefix="bench-delta-plan-")
    subprocess.run([DL, "init"], cwd=d, check=True, stdout=subprocess.DEVNULL)
    fd = os.path.join(d, "feeds.d")
    for name in os.listdir(fd):
        os.remove(os.path.join(fd, name))
    start = dt.date(2023, 1, 1)
    for i in range(feeds):
        name = f"feed_{i:03d}"
        open(os.path.join(fd, name + ".yaml"), "w").write(
            f"feed_name: {name}\nfeed_type: stream\nksqldb_source: S{i}\nretention_days: 3650\n")
        root = os.path.join(d, "data_lake", "streams", name)
        log = os.path.join(root, "_delta_log")
        os.makedirs(log)
        files = []
        for k in range(commits):
            day = start + dt.timedelta(days=k)
            rel = f"year={day.year}/month={day.month:02d}/day={day.day:02d}"
            os.makedirs(os.path.join(root, rel))
            fname = f"{rel}/data_{day:%Y%m%d}_020000.parquet"
            with open(os.path.join(root, fname), "wb") as f:
                f.write(b"PAR1")
            files.append({"path": fname, "rows": 1000, "bytes": 4, "exported_at": "2025-01-01T00:00:00Z"})
            add = {"add": {"path": fname, "partitionValues": {"year": str(day.year), "month": str(day.month), "day": str(day.day)},
                           "size": 4, "modificationTime": 0, "dataChange": True, "stats": "{\"numRecords\":1000}"}}
            txn = {"txn": {"appId": name, "version": k + 1, "lastUpdated": 0}}
            with open(os.path.join(log, "%020d.json" % k), "w") as f:
                f.write(json.dumps(add) + "\n" + json.dumps(txn) + "\n")
            if k > 0 and k % 10 == 0:
                with open(os.path.join(log, "%020d.checkpoint.parquet" % k), "wb") as f:
                    f.write(b"PAR1")
        open(os.path.join(log, "_last_checkpoint"), "w").write(json.dumps({"version": (commits - 1) // 10 * 10, "size": commits}))
        meta = {"source": f"S{i}", "type": "stream", "files": files, "schema": [], "watermark": 1735689600000,
                "lateness_ms": 3600000, "overlap_file": None, "pending": [], "delta_version": commits - 1, "delta_txn": commits,
                "delta_table_id": "00000000-0000-0000-0000-%012d" % i}
        open(os.path.join(root, "_metadata.json"), "w").write(json.dumps(meta, indent=2))
    subprocess.run(["sync"])
    subprocess.run(["find", "data_lake"], cwd=d, stdout=subprocess.DEVNULL)  # warm the cache for both
    best = lambda f: min(f() for _ in range(3))
    fwall = best(lambda: measure(d, "find", "data_lake")[0])
    out = subprocess.run([DL, "plan", "--offline"], cwd=d, capture_output=True, text=True)
    assert out.returncode == 0 and "convert" not in out.stdout and "expire_log" not in out.stdout, out.stdout[-2000:] + out.stderr[-2000:]
    pwall = best(lambda: measure(d, DL, "plan", "--offline")[0])
    entries = sum(len(ds) + len(fs) for _, ds, fs in os.walk(os.path.join(d, "data_lake")))
    print("| plan | size | seconds |\n|---|---|---:|")
    print(f"| find data_lake | {entries:,} entries | {fwall:.3f} |")
    print(f"| datalake plan --offline | {feeds} feeds x {commits} commits, checkpoints every 10 | {pwall:.3f} |")
    print(f"\nplan / find = {pwall / fwall:.2f} (target <= 2)")
    shutil.rmtree(d)


if __name__ == "__main__":
    rows = int(os.environ.get("BENCH_ROWS", "1000000"))
    print("| exporter | stream | rows | seconds | rows/s | peak RSS MB |\n|---|---|---:|---:|---:|---:|")
    export_compare(rows)
    plan_bench(int(os.environ.get("BENCH_FEEDS", "100")), int(os.environ.get("BENCH_COMMITS", "1000")))
