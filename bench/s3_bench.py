"""issue 12 benchmark: the lake on S3, against moto's S3 server (signatures enforced, as in the
interop tests), each number next to a peer measured in the same run:
  a. `datalake apply` of 1M and 5M transaction_stream rows to an s3:// root, next to the same export
     to a local root (seconds, peak RSS);
  b. upload throughput: the bytes datalake put on S3 in (a), per second of upload time, next to
     boto3's upload_file of the local export's files to the same server;
  c. `datalake plan --offline` on an S3 lake of 100 feeds x 365 daily partitions, next to listing
     the same prefix as `aws s3 ls --recursive` does (boto3's list_objects_v2 paginator), with the
     number of S3 requests each makes (counted from moto's request log).
Run by `make bench` (bench/run_s3.sh). BENCH_S3_ROWS (1000000), BENCH_S3_BIG_ROWS (5000000, 0 to
skip), BENCH_S3_REPEAT (3, for both sizes), BENCH_S3_FEEDS (100) and BENCH_S3_DAYS (365) override the
sizes."""
import concurrent.futures
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
os.environ["RELBIN"] = os.path.abspath(os.environ["RELBIN"])  # the lakes run in temp directories
sys.path.insert(0, os.path.join(HERE, "..", "Tests", "interop"))
from export_bench import DL, PY, lake, measure, start_emulator  # noqa: E402
from s3_support import MotoS3  # noqa: E402

FEED = "transaction_stream"
BUCKET = "bench"
# werkzeug's request line; answers other than 2xx are wrapped in ANSI colour codes.
REQUEST = re.compile(r'"(?:\x1b\[[0-9;]*m)?(GET|PUT|POST|HEAD|DELETE) (\S+) HTTP/1\.[01](?:\x1b\[[0-9;]*m)?" (\d{3})')

# boto3's upload_file of every file under a directory, timed inside the process (interpreter start
# and imports are not counted against boto3). argv: endpoint, bucket, key prefix, dir, threads (0/1).
BOTO3_UPLOAD = r"""
import os, sys, time, resource, boto3
from boto3.s3.transfer import TransferConfig
endpoint, bucket, prefix, src, threads = sys.argv[1:6]
s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
config = TransferConfig(use_threads=threads == "1")  # defaults: 8 MiB threshold and parts, 10 threads
files = sorted(os.path.join(r, f) for r, _, fs in os.walk(src) for f in fs)
s3.head_bucket(Bucket=bucket)  # connect and sign once before the clock starts, as datalake's own checks do
t = time.perf_counter()
for f in files:
    s3.upload_file(f, bucket, prefix + os.path.relpath(f, src), Config=config)
wall = time.perf_counter() - t
print(wall, sum(os.path.getsize(f) for f in files), len(files), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

# `aws s3 ls --recursive s3://bucket/prefix` in boto3: the list_objects_v2 paginator (1000 keys a page),
# printing one line per object as the CLI does. argv: endpoint, bucket, prefix.
BOTO3_LIST = r"""
import sys, time, boto3
endpoint, bucket, prefix = sys.argv[1:4]
t0 = time.perf_counter()
s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
t = time.perf_counter()
n = 0
out = []
for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
    for o in page.get("Contents", []):
        out.append(f"{o['LastModified']:%Y-%m-%d %H:%M:%S} {o['Size']:>10} {o['Key']}")
        n += 1
wall = time.perf_counter() - t
sys.stderr.write("\n".join(out[-1:]))
print(wall, n)
"""


class Requests:
    """Counts the requests moto's server logs (one werkzeug line per request, on its stderr)."""

    def __init__(self, moto):
        self.path = moto.log.name

    def mark(self):
        return os.path.getsize(self.path)

    def lines(self, mark):
        """(method, path, status) of every request logged since `mark`."""
        time.sleep(0.3)  # the server logs a request after answering it
        with open(self.path, "rb") as f:
            f.seek(mark)
            return REQUEST.findall(f.read().decode(errors="replace"))

    def since(self, mark):
        counts = {}
        for method, _, _ in self.lines(mark):
            counts[method] = counts.get(method, 0) + 1
        return counts


def fmt_counts(c):
    return " ".join(f"{k} {v}" for k, v in sorted(c.items(), key=lambda kv: -kv[1]))


def s3_lake(url, moto, prefix):
    d = lake(url, FEED)
    cfg = os.path.join(d, "lake.yaml")
    text = open(cfg).read()
    assert re.search(r"(?m)^root: data_lake$", text)
    text = re.sub(r"(?m)^root: data_lake$", f"root: s3://{BUCKET}/{prefix}", text)
    open(cfg, "w").write(text + f"storage:\n  s3:\n    endpoint: {moto.url}\n")
    return d


def objects(moto, prefix):
    out = {}
    for page in moto.client().get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=prefix):
        for o in page.get("Contents", []):
            out[o["Key"]] = o["Size"]
    return out


def delete_prefix(moto, prefix):
    s3 = moto.client()
    keys = list(objects(moto, prefix))
    for i in range(0, len(keys), 1000):
        s3.delete_objects(Bucket=BUCKET, Delete={"Objects": [{"Key": k} for k in keys[i:i + 1000]], "Quiet": True})


def boto3_upload(moto, src, prefix, threads):
    r = subprocess.run([PY, "-c", BOTO3_UPLOAD, moto.url, BUCKET, prefix, src, "1" if threads else "0"],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit("boto3 upload failed:\n" + r.stderr)
    wall, size, files, rss = r.stdout.split()
    return float(wall), int(size), int(files), int(rss) / 1024


def is_data(method, path):
    """A request that carries a data file: its PUT, or a step of its multipart upload."""
    return "uploadId=" in path or "?uploads" in path or (method == "PUT" and path.split("?")[0].endswith(".parquet"))


def export_bench(moto, requests, rows, repeat, with_boto3=True):
    """Local and S3 applies of the same stream, alternating, best of `repeat` each; then boto3's
    upload of the local lake's files. Returns the numbers for the summary."""
    emu, url = start_emulator(rows)
    try:
        local, s3 = [], []
        keep = None
        for i in range(repeat):
            d = lake(url, FEED)
            wall, rss = measure(d, DL, "apply")
            meta = json.load(open(os.path.join(d, f"data_lake/streams/{FEED}/_metadata.json")))
            assert meta["total_records"] == rows, meta["total_records"]
            local.append((wall, rss))
            if keep:
                shutil.rmtree(keep)
            keep = d

            prefix = f"export-{rows}-{i}"
            d = s3_lake(url, moto, prefix)
            m = requests.mark()
            wall, rss = measure(d, DL, "apply")
            if i == 0:
                lines = requests.lines(m)
                data = sum(1 for method, path, _ in lines if is_data(method, path))
                reqs = (data, len(lines) - data)
            meta = json.loads(moto.client().get_object(Bucket=BUCKET, Key=f"{prefix}/streams/{FEED}/_metadata.json")["Body"].read())
            assert meta["total_records"] == rows, meta["total_records"]
            objs = objects(moto, prefix + "/")
            s3.append((wall, rss, sum(objs.values()), len(objs)))
            delete_prefix(moto, prefix + "/")
            shutil.rmtree(d)

        src = os.path.join(keep, "data_lake")
        ups = {}
        for threads in ((True, False) if with_boto3 else ()):
            runs = []
            for i in range(repeat):
                prefix = f"boto3-{rows}-{int(threads)}-{i}/"
                runs.append(boto3_upload(moto, src, prefix, threads))
                delete_prefix(moto, prefix)
            ups[threads] = min(runs)
        shutil.rmtree(keep)
    finally:
        emu.terminate()
        emu.wait()

    lw, lrss = min(w for w, _ in local), max(r for _, r in local)
    sw, srss = min(w for w, *_ in s3), max(r for _, r, *_ in s3)
    sbytes, sobjs = s3[0][2], s3[0][3]
    return {"rows": rows, "local": (lw, lrss), "s3": (sw, srss, sbytes, sobjs), "boto3": ups.get(True), "boto3_1": ups.get(False),
            "requests": reqs}


def print_export(results, repeat, fixed):
    print("| run | rows | seconds | MB uploaded | objects | peak RSS MB |\n|---|---:|---:|---:|---:|---:|")
    fl, fs = fixed["local"][0], fixed["s3"][0]
    print(f"| datalake apply, local root | 1,000 | {fl:.2f} | | | {fixed['local'][1]:.0f} |")
    print(f"| datalake apply, s3:// root (moto) | 1,000 | {fs:.2f} | {fixed['s3'][2] / 1e6:.2f} | {fixed['s3'][3]} | {fixed['s3'][1]:.0f} |")
    for r in results:
        n = r["rows"]
        lw, lrss = r["local"]
        sw, srss, sbytes, sobjs = r["s3"]
        (bw, bbytes, bfiles, brss), (b1w, _, _, b1rss) = r["boto3"], r["boto3_1"]
        print(f"| datalake apply, local root | {n:,} | {lw:.2f} | | | {lrss:.0f} |")
        print(f"| datalake apply, s3:// root (moto) | {n:,} | {sw:.2f} | {sbytes / 1e6:.1f} | {sobjs} | {srss:.0f} |")
        print(f"| boto3 upload_file of the local lake, 10 threads | {n:,} | {bw:.2f} | {bbytes / 1e6:.1f} | {bfiles} | {brss:.0f} |")
        print(f"| boto3 upload_file of the local lake, 1 thread | {n:,} | {b1w:.2f} | {bbytes / 1e6:.1f} | {bfiles} | {b1rss:.0f} |")
    print(f"\n(seconds: best of {repeat} (1,000 rows: of 5), local and S3 applies alternating, each on a fresh lake; "
          f"peak RSS: the largest of the runs)\n")
    print("S3 requests of one apply: " + "; ".join(f"{r['rows']:,} rows: {r['requests'][0]} carry data files, {r['requests'][1]} others"
                                                   for r in [fixed] + results)
          + f". The fixed cost of an S3 apply (1,000 rows, S3 - local): {fs - fl:.2f} s.\n")
    print("| rows | datalake upload s (S3 apply - local apply) | datalake MB/s | boto3 10 threads MB/s | boto3 1 thread MB/s "
          "| datalake / boto3 10 thr | datalake / boto3 1 thr | datalake MB/s less the fixed cost | local apply + boto3 10 thr, s "
          "| S3 apply / (local + boto3) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        lw, _ = r["local"]
        sw, _, sbytes, _ = r["s3"]
        bw, bbytes, _, _ = r["boto3"]
        b1w = r["boto3_1"][0]
        up = sw - lw
        dl_rate = sbytes / up / 1e6 if up > 0.01 else float("inf")  # inf: the upload is hidden behind the export
        b_rate, b1_rate = bbytes / bw / 1e6, bbytes / b1w / 1e6
        net = up - (fs - fl)
        net_rate = sbytes / net / 1e6 if net > 0.01 else float("inf")
        print(f"| {r['rows']:,} | {up:.2f} | {dl_rate:.1f} | {b_rate:.1f} | {b1_rate:.1f} | {dl_rate / b_rate:.2f}x | "
              f"{dl_rate / b1_rate:.2f}x | {net_rate:.1f} | {lw + bw:.2f} | {sw / (lw + bw):.2f} |")
    big = results[-1]
    print(f"\npeak RSS on S3: " + ", ".join(f"{r['s3'][1]:.0f} MB at {r['rows']:,} rows" for r in results)
          + f" (target <= 150 MB at {big['rows']:,}, flat)")


def generate_plan_lake(feeds, days):
    """Like export_bench's plan lake: `feeds` stream feeds with one small file per daily partition and
    a `_metadata.json` listing them; `datalake apply --offline` writes the registry records (and each
    feed's first Delta log entry)."""
    d = tempfile.mkdtemp(prefix="bench-s3plan-")
    subprocess.run([DL, "init"], cwd=d, check=True, stdout=subprocess.DEVNULL)
    fd = os.path.join(d, "feeds.d")
    for name in os.listdir(fd):
        os.remove(os.path.join(fd, name))
    start = dt.date.today() - dt.timedelta(days=days + 30)
    for i in range(feeds):
        name = f"feed_{i:03d}"
        open(os.path.join(fd, name + ".yaml"), "w").write(
            f"feed_name: {name}\nfeed_type: stream\nksqldb_source: S{i}\nretention_days: 1200\n")
        root = os.path.join(d, "data_lake", "streams", name)
        files = []
        for k in range(days):
            day = start + dt.timedelta(days=k)
            rel = f"year={day.year}/month={day.month:02d}/day={day.day:02d}"
            os.makedirs(os.path.join(root, rel))
            fname = f"{rel}/data_{day:%Y%m%d}_020000.parquet"
            with open(os.path.join(root, fname), "wb") as f:
                f.write(b"PAR1")
            files.append({"path": fname, "rows": 1000, "bytes": 4, "exported_at": "2025-01-01T00:00:00Z"})
        meta = {"source": f"S{i}", "type": "stream", "files": files, "schema": [], "watermark": 1735689600000,
                "lateness_ms": 3600000, "overlap_file": None, "pending": []}
        open(os.path.join(root, "_metadata.json"), "w").write(json.dumps(meta, indent=2))
    # Registers the feeds (feeds/active/<feed>.json); exports are skipped offline.
    subprocess.run([DL, "apply", "--offline"], cwd=d, check=True, stdout=subprocess.DEVNULL)
    return d


def upload_tree(moto, src, prefix, threads=16):
    # Not the local flocks: on S3 a .locks/<feed>.lock object is a lease, held by whoever wrote it.
    files = [os.path.join(r, f) for r, _, fs in os.walk(src) for f in fs if ".locks" not in os.path.relpath(r, src).split(os.sep)]
    local = __import__("threading").local()

    def put(path):
        if not hasattr(local, "s3"):
            local.s3 = moto.client()
        with open(path, "rb") as f:
            local.s3.put_object(Bucket=BUCKET, Key=prefix + os.path.relpath(path, src), Body=f.read())

    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        list(pool.map(put, files))
    return len(files)


def plan_bench(moto, requests, feeds, days, repeat=3):
    t = time.perf_counter()
    d = generate_plan_lake(feeds, days)
    n = upload_tree(moto, os.path.join(d, "data_lake"), "plan/")
    print(f"(lake generated and uploaded with boto3, 16 threads: {n:,} objects in {time.perf_counter() - t:.0f} s)\n")
    local_plan = min(measure(d, DL, "plan", "--offline")[0] for _ in range(repeat))
    cfg = os.path.join(d, "lake.yaml")
    text = open(cfg).read()
    text = re.sub(r"(?m)^root: data_lake$", f"root: s3://{BUCKET}/plan", text)
    open(cfg, "w").write(text + f"storage:\n  s3:\n    endpoint: {moto.url}\n")
    shutil.rmtree(os.path.join(d, "data_lake"))

    # Make sure the S3 plan sees what the local one saw: no changes but the exports it cannot run.
    out = subprocess.run([DL, "plan", "--offline", "--detailed-exitcode"], cwd=d, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert f"Data: {feeds} to export" in out.stdout, out.stdout[-500:]

    plan_runs, plan_reqs = [], []
    list_runs, list_walls, list_reqs = [], [], []
    for _ in range(repeat):  # round robin
        m = requests.mark()
        plan_runs.append(measure(d, DL, "plan", "--offline"))
        plan_reqs.append(requests.since(m))
        m = requests.mark()
        t = time.perf_counter()
        r = subprocess.run([PY, "-c", BOTO3_LIST, moto.url, BUCKET, "plan/"], capture_output=True, text=True)
        list_walls.append(time.perf_counter() - t)
        assert r.returncode == 0, r.stderr
        wall, keys = r.stdout.split()
        assert int(keys) == n, (keys, n)
        list_runs.append(float(wall))
        list_reqs.append(requests.since(m))
    pw, prss = min(plan_runs)
    lw, lproc = min(list_runs), min(list_walls)
    print("| plan | size | seconds | S3 requests |\n|---|---|---:|---|")
    print(f"| boto3 list_objects_v2 paginator (`aws s3 ls --recursive`), listing calls only | {n:,} objects | {lw:.3f} | {fmt_counts(list_reqs[0])} |")
    print(f"| the same as a process (python + boto3 import + listing) | | {lproc:.3f} | |")
    print(f"| datalake plan --offline, s3:// root | {feeds} feeds x {days} days | {pw:.3f} | {fmt_counts(plan_reqs[0])} (total {sum(plan_reqs[0].values())}) |")
    print(f"| datalake plan --offline, the same lake on a local root | | {local_plan:.3f} | |")
    print(f"\nplan on S3 / listing calls = {pw / lw:.2f}, / listing process = {pw / lproc:.2f} (target <= 1.5); "
          f"plan peak RSS {prss:.0f} MB (best of {repeat}, round robin)")
    shutil.rmtree(d)
    delete_prefix(moto, "plan/")


if __name__ == "__main__":
    rows = int(os.environ.get("BENCH_S3_ROWS", "1000000"))
    big = int(os.environ.get("BENCH_S3_BIG_ROWS", "5000000"))
    repeat = int(os.environ.get("BENCH_S3_REPEAT", "3"))
    feeds = int(os.environ.get("BENCH_S3_FEEDS", "100"))
    days = int(os.environ.get("BENCH_S3_DAYS", "365"))
    started = time.time()
    load = os.getloadavg()[0]
    moto = MotoS3(bucket=BUCKET)
    try:
        os.environ.update({k: v for k, v in moto.env().items() if k.startswith("AWS_")})
        requests = Requests(moto)
        # What an S3 apply costs beyond the data: the lease, registry, metadata, Delta log and apply
        # log requests, the same for any size. Measured on a 1,000-row export, best of 5.
        fixed = export_bench(moto, requests, 1000, 5, with_boto3=False)
        results = [export_bench(moto, requests, rows, repeat)]
        if big:
            results.append(export_bench(moto, requests, big, repeat))
        print_export(results, repeat, fixed)
        print()
        plan_bench(moto, requests, feeds, days)
    finally:
        moto.stop()
    print(f"\n(load average {load:.2f} at the start, {os.getloadavg()[0]:.2f} at the end; {time.time() - started:.0f} s in all)")
