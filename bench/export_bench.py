"""issue 5 benchmark: end-to-end export of a stream from ksqldb-emulator, datalake (release) next to
a Python exporter in the seed's style (requests + pandas.to_parquet) against the same emulator, and
plan time on a generated lake (100 feeds x 3 years of daily partitions) next to `find` over it.
Prints rows/s, peak RSS and the ratios; datalake and the `curl | duckdb` pipeline run in
BENCH_ROUNDS (5) interleaved rounds, and the ratio is the median of the rounds' ratios. Run by
`make bench` (bench/run_export.sh)."""
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

RELBIN = os.environ["RELBIN"]
DL = os.path.join(RELBIN, "datalake")
# EMULATOR: another emulator binary to serve the data (e.g. an older build, to separate its share).
EMU = os.environ.get("EMULATOR") or os.path.join(RELBIN, "ksqldb-emulator")
PY = sys.executable
# Interleaved rounds of datalake and the curl | DuckDB pipeline.
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))

MEASURE = r"""
import resource, subprocess, sys, time
t = time.perf_counter()
r = subprocess.run(sys.argv[2:], cwd=sys.argv[1], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - t
if r.returncode != 0:
    sys.stderr.write(r.stderr.decode()); sys.exit(r.returncode)
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(wall, u.ru_maxrss, u.ru_utime + u.ru_stime)
"""

PANDAS_EXPORTER = r"""
# The seed's export_to_data_lake.py, in spirit: requests to ksqlDB, pandas DataFrame, to_parquet per day.
import datetime as dt, json, os, sys, requests, pandas as pd
url, source, out = sys.argv[1], sys.argv[2], sys.argv[3]
r = requests.post(url + "/query-stream", json={"sql": f"SELECT ROWTIME, * FROM {source};", "properties": {}}, stream=True)
r.raise_for_status()
lines = r.iter_lines()
header = json.loads(next(lines))
rows = [json.loads(l) for l in lines if l]
df = pd.DataFrame(rows, columns=header["columnNames"])
days = pd.to_datetime(df["ROWTIME"], unit="ms", utc=True).dt.date
stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%d_%H%M%S")
for day, part in df.groupby(days):
    d = os.path.join(out, f"year={day.year}", f"month={day.month:02d}", f"day={day.day:02d}")
    os.makedirs(d, exist_ok=True)
    part.to_parquet(os.path.join(d, f"data_{stamp}.parquet"), engine="pyarrow", compression="snappy", index=False)
print(len(df))
"""


def measure_cpu(cwd, *cmd):
    """Wall seconds, peak RSS MB and CPU seconds (user + sys) of one run of cmd in cwd."""
    out = subprocess.run([PY, "-c", MEASURE, cwd, *cmd], capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{out.stderr}")
    wall, rss, cpu = out.stdout.split()
    return float(wall), int(rss) / 1024, float(cpu)


def measure(cwd, *cmd):
    return measure_cpu(cwd, *cmd)[:2]


def start_emulator(rows):
    log = tempfile.NamedTemporaryFile(delete=False, suffix=".log")
    p = subprocess.Popen([EMU, "--demo", "--rows", str(rows), "--days", "3", "--port", "0"], stdout=log, stderr=subprocess.STDOUT)
    for _ in range(600):
        m = re.search(r"listening on (http://\S+)", open(log.name).read())
        if m:
            return p, m.group(1)
        time.sleep(0.05)
    raise SystemExit("emulator did not start")


def lake(url, feed):
    d = tempfile.mkdtemp(prefix="bench-lake-")
    subprocess.run([DL, "init"], cwd=d, check=True, stdout=subprocess.DEVNULL)
    for name in os.listdir(os.path.join(d, "feeds.d")):
        if name != feed + ".yaml":
            os.remove(os.path.join(d, "feeds.d", name))
    cfg = os.path.join(d, "lake.yaml")
    text = open(cfg).read().replace("http://127.0.0.1:8088", url)
    open(cfg, "w").write(text)
    return d


def curl_seconds(url, stream):
    """How long curl alone takes to read the export's response: the emulator's serving time, a floor."""
    body = json.dumps({"sql": f"SELECT ROWTIME, * FROM {stream.upper()};", "properties": {}})
    return min(measure("/tmp", "curl", "-sf", "-o", "/dev/null", "-X", "POST", url + "/query-stream",
                       "-H", "Accept: application/vnd.ksqlapi.delimited.v1", "-d", body)[0] for _ in range(2))


def duck_type(ktype):
    """The DuckDB type for a ksqlDB type string (nested ones included)."""
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "interop"))
    from conftest import split_top, split_top_all
    t = ktype.strip()
    u = t.upper()
    if u.startswith("ARRAY<"):
        return duck_type(t[6:-1]) + "[]"
    if u.startswith("MAP<"):
        k, v = split_top(t[4:-1])
        return f"MAP({duck_type(k)}, {duck_type(v)})"
    if u.startswith("STRUCT<"):
        fields = []
        for f in split_top_all(t[7:-1]):
            name, ftype = f.strip()[1:].split("`", 1)
            fields.append(f'"{name}" {duck_type(ftype)}')
        return "STRUCT(" + ", ".join(fields) + ")"
    return {"STRING": "VARCHAR", "BYTES": "BLOB"}.get(u, t)


DUCKDB_PARTITIONED = r"""
import duckdb, sys
body, out, select = sys.argv[1], sys.argv[2], sys.argv[3]
con = duckdb.connect()
con.execute("SET TimeZone='UTC'")
con.execute(f"COPY (SELECT {select}, year(ROWTIME) AS year, month(ROWTIME) AS month, day(ROWTIME) AS day "
            f"FROM read_json('{body}', format='newline_delimited', records=false, columns={{'j': 'JSON[]'}})) "
            f"TO '{out}' (FORMAT parquet, COMPRESSION snappy, PARTITION_BY (year, month, day))")
"""


def save_response(url, stream, path):
    body = json.dumps({"sql": f"SELECT ROWTIME, * FROM {stream.upper()};", "properties": {}})
    subprocess.run(["curl", "-sf", "-o", path, "-X", "POST", url + "/query-stream",
                    "-H", "Accept: application/vnd.ksqlapi.delimited.v1", "-d", body], check=True)


def dir_mb(d):
    return sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(d) for f in fs if f.endswith(".parquet")) / 1e6


def column_mb(d):
    """{column: (MB over every data file under d, encodings but RLE)}: where the bytes go."""
    import pyarrow.parquet as pq
    out = {}
    for r, _, fs in os.walk(d):
        for f in fs:
            if not f.endswith(".parquet"):
                continue
            meta = pq.ParquetFile(os.path.join(r, f)).metadata
            for g in range(meta.num_row_groups):
                for c in range(meta.num_columns):
                    ch = meta.row_group(g).column(c)
                    mb, encs = out.get(ch.path_in_schema, (0.0, set()))
                    out[ch.path_in_schema] = (mb + ch.total_compressed_size / 1e6, encs | (set(ch.encodings) - {"RLE"}))
    return out


def print_columns(stream, lake_cols, duck_cols):
    short = lambda e: "+".join(sorted(x.replace("_DICTIONARY", "_DICT") for x in e))
    print(f"\n{stream}, MB per column (all files and row groups):\n\n| column | datalake | DuckDB |\n|---|---:|---:|")
    for col, (mb, encs) in sorted(lake_cols.items(), key=lambda kv: -kv[1][0]):
        dmb, dencs = duck_cols.get(col, (0.0, set()))
        print(f"| {col} | {mb:.2f} {short(encs)} | {dmb:.2f} {short(dencs)} |")


def duckdb_partitioned(response, work):
    """DuckDB's COPY … PARTITION_BY (year, month, day) of the same response: every column cast to
    its ksqlDB type (ROWTIME and TIMESTAMPs as timestamps), snappy, DuckDB's defaults otherwise.
    Returns its MB, the COPY's wall seconds and peak RSS MB, and its MB per column."""
    with open(response) as f:
        header = json.loads(f.readline())
        body = os.path.join(work, "body.ndjson")
        with open(body, "w") as b:
            shutil.copyfileobj(f, b)
    cols = []
    for i, (name, ktype) in enumerate(zip(header["columnNames"], header["columnTypes"]), start=1):
        if name == "ROWTIME":
            cols.append(f"make_timestamp(j[{i}]::BIGINT * 1000) AS ROWTIME")
        elif ktype.upper() == "TIMESTAMP":
            cols.append(f"(j[{i}]->>'$')::TIMESTAMP AS \"{name}\"")
        else:
            cols.append(f"j[{i}]::{duck_type(ktype)} AS \"{name}\"")
    out = os.path.join(work, "duck")
    wall, rss = measure(work, PY, "-c", DUCKDB_PARTITIONED, body, out, ", ".join(cols))
    os.remove(body)
    return dir_mb(out), wall, rss, column_mb(out), ", ".join(cols)


def curl_pipe_duckdb_seconds(url, stream, work, select):
    """The hand-written export the issue compares with: `curl … | tail -n +2 | duckdb COPY …
    PARTITION_BY`, DuckDB reading the response from its stdin as it arrives (header line dropped).
    One run's wall seconds."""
    import shlex
    body = json.dumps({"sql": f"SELECT ROWTIME, * FROM {stream.upper()};", "properties": {}})
    out = os.path.join(work, "duck-pipe")
    pipeline = (f"set -o pipefail; curl -sf -X POST {shlex.quote(url + '/query-stream')} "
                f"-H 'Accept: application/vnd.ksqlapi.delimited.v1' -d {shlex.quote(body)} | tail -n +2 | "
                f"{shlex.quote(PY)} -c {shlex.quote(DUCKDB_PARTITIONED)} /dev/stdin {shlex.quote(out)} {shlex.quote(select)}")
    shutil.rmtree(out, ignore_errors=True)
    wall = measure(work, "bash", "-c", pipeline)[0]
    shutil.rmtree(out, ignore_errors=True)
    return wall


def datalake_apply(url, stream, rows, columns=False):
    """One `datalake apply` of the stream on a fresh lake: wall seconds, peak RSS MB, the data's MB
    and (with `columns`) its MB per column."""
    d = lake(url, stream)
    try:
        wall, rss = measure(d, DL, "apply")
        meta = json.load(open(os.path.join(d, f"data_lake/streams/{stream}/_metadata.json")))
        assert meta["total_records"] == rows, meta["total_records"]
        cols = column_mb(os.path.join(d, f"data_lake/streams/{stream}")) if columns else None
        return wall, rss, meta["total_bytes"] / 1e6, cols
    finally:
        shutil.rmtree(d)


def sorted_within_groups_mb(response, work, group=10_000):
    """`datalake convert` of the response as it came and with each 10,000-row group sorted by ROWTIME
    (the first column): what sorting within a row group by the event time would save."""
    with open(response) as f:
        header, lines = f.readline(), f.readlines()
    sizes = []
    for label, rows in [("as-served", lines), ("sorted", None)]:
        if rows is None:
            rows = []
            for k in range(0, len(lines), group):
                rows += sorted(lines[k:k + group], key=lambda l: int(l[1:l.index(",")]))
        src, out = os.path.join(work, f"{label}.txt"), os.path.join(work, f"{label}.parquet")
        with open(src, "w") as f:
            f.write(header)
            f.writelines(rows)
        subprocess.run([DL, "convert", src, "-o", out, "--row-group-rows", str(group)], check=True)
        sizes.append(os.path.getsize(out) / 1e6)
        os.remove(src)
    return sizes


def export_bench(rows, with_python, stream="transaction_stream"):
    emu, url = start_emulator(rows)
    try:
        if not with_python:
            wall, rss, size, _ = datalake_apply(url, stream, rows)
            print(f"| datalake apply | {stream} | {rows:,} | {wall:.2f} | {rows / wall:,.0f} | {size:.1f} | {rss:.0f} |")
            return {"dl": rows / wall, "rss": rss, "mb": size}
        curl = curl_seconds(url, stream)
        print(f"| curl (reads the response only) | {stream} | {rows:,} | {curl:.2f} | | | |")
        work = tempfile.mkdtemp(prefix="bench-duck-")
        response = os.path.join(work, "response.txt")
        save_response(url, stream, response)
        result = {}
        result["duck_mb"], duck_wall, duck_rss, duck_cols, select = duckdb_partitioned(response, work)
        # The two exporters in interleaved rounds (each on a fresh lake or directory, the order
        # alternating): the emulator shares the two cores and the machine's speed drifts, so a ratio
        # is taken within a round, and the rounds' median is the result.
        dl_walls, pipe_walls, ratios, rss, size, lake_cols = [], [], [], 0, 0, None
        for r in range(ROUNDS):
            def run_datalake():
                nonlocal rss, size, lake_cols
                wall, peak, size, cols = datalake_apply(url, stream, rows, columns=lake_cols is None)
                lake_cols = lake_cols or cols
                rss = max(rss, peak)
                dl_walls.append(wall)
            def run_pipe():
                pipe_walls.append(curl_pipe_duckdb_seconds(url, stream, work, select))
            for run in ([run_datalake, run_pipe] if r % 2 == 0 else [run_pipe, run_datalake]):
                run()
            ratios.append(pipe_walls[-1] / dl_walls[-1])
        wall = statistics.median(dl_walls)
        print(f"| datalake apply (median of {ROUNDS}) | {stream} | {rows:,} | {wall:.2f} | {rows / wall:,.0f} | {size:.1f} | {rss:.0f} |")
        result.update({"dl": rows / wall, "rss": rss, "mb": size})
        # curl's time to read the response, then DuckDB's COPY of it: the pipeline, run in steps.
        result["duck_s"] = curl + duck_wall
        print(f"| curl, then DuckDB COPY … PARTITION_BY | {stream} | {rows:,} | {curl + duck_wall:.2f} | "
              f"{rows / (curl + duck_wall):,.0f} | {result['duck_mb']:.1f} | {duck_rss:.0f} |")
        result["pipe_s"] = statistics.median(pipe_walls)
        print(f"| curl \\| DuckDB COPY … PARTITION_BY (reading stdin; median of {ROUNDS}) | {stream} | {rows:,} | {result['pipe_s']:.2f} | "
              f"{rows / result['pipe_s']:,.0f} | | |")
        result["ratios"] = ratios
        result["columns"] = (lake_cols, duck_cols)
        result["sort_mb"] = sorted_within_groups_mb(response, work)
        shutil.rmtree(work)
        out = tempfile.mkdtemp(prefix="bench-pandas-")
        pwall, prss = measure(out, PY, "-c", PANDAS_EXPORTER, url, stream, out)
        psize = sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(out) for f in fs) / 1e6
        print(f"| requests + pandas.to_parquet | {stream} | {rows:,} | {pwall:.2f} | {rows / pwall:,.0f} | {psize:.1f} | {prss:.0f} |")
        result["py"] = rows / pwall
        result["py_mb"] = psize
        shutil.rmtree(out)
        return result
    finally:
        emu.terminate()
        emu.wait()


def plan_bench(feeds=100, days=3 * 365):
    d = tempfile.mkdtemp(prefix="bench-plan-")
    subprocess.run([DL, "init"], cwd=d, check=True, stdout=subprocess.DEVNULL)
    fd = os.path.join(d, "feeds.d")
    for name in os.listdir(fd):
        os.remove(os.path.join(fd, name))
    import datetime as dt
    start = dt.date(2023, 1, 1)
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
    subprocess.run(["sync"])
    subprocess.run(["find", "data_lake"], cwd=d, stdout=subprocess.DEVNULL)  # warm the cache for both
    best = lambda f: min(f() for _ in range(3))
    fwall = best(lambda: measure(d, "find", "data_lake")[0])
    pwall = best(lambda: measure(d, DL, "plan", "--offline")[0])
    entries = sum(len(ds) + len(fs) for _, ds, fs in os.walk(os.path.join(d, "data_lake")))
    print(f"| find data_lake | {entries:,} entries | {fwall:.3f} s |")
    print(f"| datalake plan --offline | {feeds} feeds x {days} days | {pwall:.3f} s |")
    print(f"\nplan / find = {pwall / fwall:.2f} (target <= 2)")
    shutil.rmtree(d)


if __name__ == "__main__":
    rows = int(os.environ.get("BENCH_ROWS", "1000000"))
    print("| exporter | stream | rows | seconds | rows/s | MB | peak RSS MB |\n|---|---|---:|---:|---:|---:|---:|")
    r1 = export_bench(rows, with_python=True)
    flat = export_bench(rows, with_python=True, stream="transaction_flattened")
    big = int(os.environ.get("BENCH_BIG_ROWS", "5000000"))
    r5 = export_bench(big, with_python=False) if big else None
    print(f"\ndatalake / pandas exporter = {r1['dl'] / r1['py']:.1f}x on the nested raw stream, "
          f"{flat['dl'] / flat['py']:.1f}x on the flat one (target >= 10x)")
    for name, r in [("transaction_stream", r1), ("transaction_flattened", flat)]:
        print(f"{name}: datalake {r['mb']:.1f} MB = {r['mb'] / r['duck_mb']:.2f}x DuckDB's COPY ... PARTITION_BY "
              f"({r['duck_mb']:.1f} MB; target <= 0.75x), {r['mb'] / r['py_mb']:.2f}x pandas/pyarrow ({r['py_mb']:.1f} MB); "
              f"convert in 10,000-row groups: {r['sort_mb'][0]:.2f} MB as served, {r['sort_mb'][1]:.2f} MB sorted by ROWTIME in each group")
        rs = sorted(r["ratios"])
        print(f"{name}: datalake apply = {statistics.median(rs):.1f}x as fast as curl | DuckDB COPY (target >= 3x; "
              f"median of {len(rs)} interleaved rounds, each round's ratio {rs[0]:.1f}x to {rs[-1]:.1f}x), "
              f"{r['dl'] * r['duck_s'] / rows:.1f}x as fast as curl, then DuckDB COPY of the saved response")
    for name, r in [("transaction_stream", r1), ("transaction_flattened", flat)]:
        print_columns(name, *r["columns"])
    if r5:
        print(f"peak RSS at {rows:,} rows: {r1['rss']:.0f} MB, at {big:,} rows: {r5['rss']:.0f} MB (target <= 150 MB, flat)")
    if os.environ.get("BENCH_PLAN", "1") != "0":
        print()
        plan_bench()
