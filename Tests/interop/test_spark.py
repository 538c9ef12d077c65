"""Spark (PySpark, local mode) reads the demo lake, and every value equals what ksqlDB serves.

What Spark does with the layout (checked with PySpark 4.3; HadoopFSUtils.shouldFilterOutPathName):
- Its file listing drops names that start with `.` or `_` (the staged `.data_*.tmp` files, the
  `_overlap_*.bin` fingerprints, a `_delta_log/` directory), EXCEPT names that start with
  `_metadata` or `_common_metadata`, which it keeps for Parquet summary files. Parquet only treats
  the exact names `_metadata`/`_common_metadata` as summaries, so `<feed>/_metadata.json` becomes
  a data file, and being the first file listed it is the one whose footer schema inference reads:
  plain `spark.read.parquet(<feed>)` fails with FAILED_READ_FILE.CANNOT_READ_FILE_FOOTER.
- `.option("pathGlobFilter", "*.parquet")` filters file names only, so hive partition discovery
  still yields year/month/day (int) for streams and version (string "vN") for tables. That is how
  to read a feed directory with Spark.
- `recursiveFileLookup` alone fails the same way and, with the glob, loses the partition columns;
  `.option("basePath", feed).parquet(feed + "/year=*/month=*/day=*")` also works.
"""
import base64
import datetime as dt
import decimal
import json
import math
import os
import shutil
import sys
import tempfile
import urllib.parse
import warnings

import pytest

if shutil.which("java") is None:
    pytest.skip("Spark needs a JVM and `java` is not on PATH", allow_module_level=True)

with warnings.catch_warnings():
    # PySpark 4.x warns at import that it does not fully support pandas 3; nothing here uses pandas.
    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)
    from pyspark import SparkContext
    from pyspark.sql import SparkSession
    import pyspark.sql.functions as F

from conftest import split_top, split_top_all
from lake_support import Emulator, Lake

UTC = dt.timezone.utc
EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)
PARQUET_ONLY = {"pathGlobFilter": "*.parquet"}


@pytest.fixture(scope="module")
def spark():
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)
        session = (SparkSession.builder.master("local[2]").appName("datalake-interop")
                   .config("spark.driver.memory", "512m")
                   .config("spark.ui.enabled", "false")
                   .config("spark.ui.showConsoleProgress", "false")
                   .config("spark.sql.shuffle.partitions", "2")
                   .config("spark.sql.session.timeZone", "UTC")
                   .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    # Stop the session, then the JVM this module started (pyspark keeps it for reuse otherwise).
    gateway = SparkContext._gateway
    session.stop()
    if gateway is not None:
        gateway.shutdown()
        proc = getattr(gateway, "proc", None)
        if proc is not None:
            if proc.stdin:
                proc.stdin.close()  # the JVM exits when its stdin closes
            try:
                proc.wait(timeout=30)
            except Exception:
                proc.kill()
                proc.wait()
        SparkContext._gateway = None
        SparkContext._jvm = None


@pytest.fixture(scope="module")
def demo():
    emu = Emulator("--demo", "--rows", "1500", "--days", "3")
    lake = None
    try:
        lake = Lake(emu)
        lake.run("apply")
        yield emu, lake
    finally:
        emu.stop()
        if lake is not None:
            shutil.rmtree(lake.dir, ignore_errors=True)


def typed_rows(emu, sql):
    """(names, ksqlDB types, rows) of a pull query; the types come from the /query-stream header."""
    body = emu.post("/query-stream", {"sql": sql, "properties": {}})
    lines = [l for l in body.split("\n") if l.strip()]
    header = json.loads(lines[0])
    return header["columnNames"], header["columnTypes"], [json.loads(l, parse_float=decimal.Decimal) for l in lines[1:]]


def struct_fields(ktype):
    """[(name, type)] of a ksqlDB STRUCT<`A` T, ...>."""
    out = []
    for f in split_top_all(ktype.strip()[7:-1]):
        name, ftype = f.strip()[1:].split("`", 1)
        out.append((name, ftype.strip()))
    return out


def spark_type(ktype):
    """The Spark simpleString a ksqlDB type reads back as from the lake's Parquet."""
    t = ktype.strip()
    u = t.upper()
    simple = {"BOOLEAN": "boolean", "INTEGER": "int", "BIGINT": "bigint", "DOUBLE": "double",
              "STRING": "string", "BYTES": "binary", "DATE": "date", "TIMESTAMP": "timestamp"}
    if u in simple:
        return simple[u]
    if u.startswith("DECIMAL("):
        p, s = (int(x) for x in t[8:-1].split(","))
        return f"decimal({p},{s})"
    if u.startswith("ARRAY<"):
        return f"array<{spark_type(t[6:-1])}>"
    if u.startswith("MAP<"):
        k, v = split_top(t[4:-1])
        return f"map<{spark_type(k)},{spark_type(v)}>"
    if u.startswith("STRUCT<"):
        return "struct<" + ",".join(f"{n}:{spark_type(ft)}" for n, ft in struct_fields(t)) + ">"
    raise ValueError(f"no Spark mapping for {t}")


def from_ksql(value, ktype):
    """ksqlDB's JSON value -> the canonical form `from_spark` gives the value Spark returns.

    Timestamps are ("ts", epoch ms): ksqlDB renders them as UTC text at the top level and as epoch
    ms inside STRUCTs. Decimals stay exact Decimals (the rows are parsed with parse_float=Decimal),
    DOUBLEs become floats, NaN becomes ("nan",) so it compares equal, BYTES are base64, MAPs are
    JSON objects (string keys), STRUCTs are objects keyed by the field names."""
    if value is None:
        return None
    t = ktype.strip()
    u = t.upper()
    if u == "TIMESTAMP":
        if isinstance(value, int):
            return ("ts", value)
        ts = dt.datetime.fromisoformat(value)
        ts = ts.replace(tzinfo=UTC) if ts.tzinfo is None else ts
        return ("ts", (ts - EPOCH) // dt.timedelta(milliseconds=1))
    if u == "DATE":
        if isinstance(value, int):
            return ("date", (dt.date(1970, 1, 1) + dt.timedelta(days=value)).isoformat())
        return ("date", dt.date.fromisoformat(value).isoformat())
    if u.startswith("DECIMAL"):
        return decimal.Decimal(value)
    if u == "DOUBLE":
        f = float(value)
        return ("nan",) if math.isnan(f) else f
    if u in ("INTEGER", "BIGINT"):
        return int(value)
    if u == "BOOLEAN":
        assert isinstance(value, bool)
        return value
    if u == "STRING":
        return value
    if u == "BYTES":
        return base64.b64decode(value)
    if u.startswith("ARRAY<"):
        return [from_ksql(v, t[6:-1]) for v in value]
    if u.startswith("MAP<"):
        k, v = split_top(t[4:-1])
        return {from_ksql(key, k): from_ksql(val, v) for key, val in value.items()}
    if u.startswith("STRUCT<"):
        fields = struct_fields(t)
        assert set(value) <= {n for n, _ in fields}, (value, t)
        return {n: from_ksql(value.get(n), ft) for n, ft in fields}
    raise ValueError(t)


def from_spark(v):
    """A value from Row.asDict(recursive=True) -> canonical form. PySpark returns TimestampType as
    a naive datetime in the Python process's local zone; astimezone() undoes exactly that."""
    if v is None:
        return None
    if isinstance(v, dt.datetime):
        aware = v.astimezone(UTC) if v.tzinfo is None else v
        return ("ts", (aware - EPOCH) // dt.timedelta(milliseconds=1))
    if isinstance(v, dt.date):
        return ("date", v.isoformat())
    if isinstance(v, float) and math.isnan(v):
        return ("nan",)
    if isinstance(v, (bytes, bytearray)):
        return bytes(v)
    if isinstance(v, dict):
        return {k: from_spark(x) for k, x in v.items()}
    if isinstance(v, list):
        return [from_spark(x) for x in v]
    return v


def sort_key(rec):
    return json.dumps(rec, sort_keys=True, default=str)


def assert_same_rows(got, want):
    assert len(got) == len(want)
    got, want = sorted(got, key=sort_key), sorted(want, key=sort_key)
    for g, w in zip(got, want):
        assert g == w


def expect_schema(df, names, types, extra=()):
    assert df.columns == list(names) + [n for n, _ in extra]
    fields = {f.name: f.dataType.simpleString() for f in df.schema.fields}
    assert [fields[n] for n in names] == [spark_type(t) for t in types]
    assert [fields[n] for n, _ in extra] == [t for _, t in extra]


@pytest.mark.parametrize("feed", ["transaction_stream", "transaction_flattened"])
def test_stream_feed_reads_as_hive_partitioned_parquet(spark, demo, feed):
    emu, lake = demo
    names, types, rows = typed_rows(emu, f"SELECT ROWTIME, * FROM {feed};")
    df = spark.read.options(**PARQUET_ONLY).parquet(lake.path("streams", feed))
    expect_schema(df, names, types, extra=[("year", "int"), ("month", "int"), ("day", "int")])
    want = []
    for r in rows:
        rec = {n: from_ksql(v, t) for n, t, v in zip(names, types, r)}
        day = dt.datetime.fromtimestamp(r[0] / 1000, UTC)
        rec.update(year=day.year, month=day.month, day=day.day)
        want.append(rec)
    got = [from_spark(row.asDict(recursive=True)) for row in df.collect()]
    assert_same_rows(got, want)
    # Partition pruning works on the discovered columns.
    first = min(want, key=lambda r: r["ROWTIME"])
    n = df.where((F.col("year") == first["year"]) & (F.col("month") == first["month"]) & (F.col("day") == first["day"])).count()
    assert n == sum(1 for r in want if (r["year"], r["month"], r["day"]) == (first["year"], first["month"], first["day"]))
    if feed == "transaction_stream":  # the comparison saw nulls, non-empty arrays, maps and nested structs
        assert any(r["PRODUCT_ID"] is None for r in want) and any(r["TAGS"] for r in want)
        assert all(r["METADATA"] and r["MERCHANT"]["LOCATION"] for r in want)


def test_latest_table_version_matches_the_table(spark, demo):
    emu, lake = demo
    meta = lake.metadata("tables", "user_transaction_summary")
    latest = meta["latest_path"]
    names, types, rows = typed_rows(emu, "SELECT * FROM user_transaction_summary;")
    df = spark.read.parquet(lake.path("tables", "user_transaction_summary", latest))
    expect_schema(df, names, types)
    got = [from_spark(row.asDict(recursive=True)) for row in df.collect()]
    want = [{n: from_ksql(v, t) for n, t, v in zip(names, types, r)} for r in rows]
    assert len(got) == meta["total_records"]
    assert_same_rows(got, want)
    # The whole table directory reads too, with `version` as a string partition column.
    version = latest.split("/")[0].split("=")[1]
    every = spark.read.options(**PARQUET_ONLY).parquet(lake.path("tables", "user_transaction_summary"))
    assert every.columns[-1] == "version" and every.schema["version"].dataType.simpleString() == "string"
    assert every.where(F.col("version") == version).count() == len(rows)


def test_plain_read_of_a_feed_directory_trips_on_metadata_json(spark, demo):
    """Pins what plain `spark.read.parquet(<feed>)` does with today's layout, so that a layout
    change (or a Spark that stops keeping `_metadata*` names) is noticed: it fails on the JSON
    `_metadata.json`, and that file is the only obstacle."""
    _, lake = demo
    for kind, feed in (("streams", "transaction_stream"), ("tables", "user_transaction_summary")):
        with pytest.raises(Exception) as err:
            spark.read.parquet(lake.path(kind, feed))
        text = str(err.value)
        assert "CANNOT_READ_FILE_FOOTER" in text and f"{feed}/_metadata.json" in text, text[:2000]
    feed_dir = lake.path("streams", "transaction_stream")
    schema = spark.read.options(**PARQUET_ONLY).parquet(feed_dir).schema
    # Spark lists _metadata.json as a data file; with a given schema nothing reads its footer,
    # and files outside the partition directories are not scanned.
    given = spark.read.schema(schema).parquet(feed_dir)
    assert "_metadata.json" in {os.path.basename(f) for f in given.inputFiles()}
    assert given.count() == lake.metadata("streams", "transaction_stream")["total_records"]

    # Without _metadata.json the plain read works, and Spark skips what else datalake (or a Delta
    # log) leaves in a feed directory: staged `.data_*.tmp` files, `_overlap_*.bin` fingerprints.
    scratch = tempfile.mkdtemp(prefix="datalake-spark-")
    try:
        copy = os.path.join(scratch, "transaction_stream")
        shutil.copytree(feed_dir, copy)
        os.remove(os.path.join(copy, "_metadata.json"))
        day_dir = os.path.join(copy, sorted(lake.metadata("streams", "transaction_stream")["partitions"])[0])
        junk = b"not parquet\n" * 8
        for rel in (os.path.join(day_dir, ".data_20260101_000000.parquet.tmp"), os.path.join(copy, ".metadata.json.tmp"),
                    os.path.join(copy, "_overlap_20260101_000000_1.bin"), os.path.join(copy, "_delta_log", "00000000000000000000.json")):
            os.makedirs(os.path.dirname(rel), exist_ok=True)
            with open(rel, "wb") as f:
                f.write(junk)
        plain = spark.read.parquet(copy)
        assert plain.columns[-3:] == ["year", "month", "day"]
        assert sorted(os.path.relpath(urllib.parse.urlparse(f).path, copy) for f in plain.inputFiles()) == sorted(
            f["path"] for f in lake.metadata("streams", "transaction_stream")["files"])
        assert plain.count() == given.count()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
