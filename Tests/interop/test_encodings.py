"""Encodings chosen per column chunk: DELTA_BINARY_PACKED for INT32/INT64 where it is smaller,
BYTE_STREAM_SPLIT for DOUBLE where it compresses better, DELTA_BYTE_ARRAY for text that does not fit a
dictionary (unique ids), the dictionary where it pays. pyarrow, DuckDB, pandas, polars, Spark and
delta-rs read every value back (bit for bit for doubles: NaN, infinities, -0.0), and pyarrow's
metadata shows the encodings. fastparquet reads DELTA_BINARY_PACKED but not BYTE_STREAM_SPLIT: with
`parquet.compatibility: fastparquet` in lake.yaml the lake's files keep to what it reads."""
import datetime as dt
import json
import math
import os
import random
import struct

import duckdb
import fastparquet
import pandas as pd
import polars as pl
import pyarrow.parquet as pq
import pytest

from conftest import UTC, convert, write_dump
from lake_support import Emulator, Lake

I64_MIN, I64_MAX = -(2 ** 63), 2 ** 63 - 1
I32_MIN, I32_MAX = -(2 ** 31), 2 ** 31 - 1
SPECIAL = [math.nan, math.inf, -math.inf, -0.0, 0.0, 5e-324, 1.7976931348623157e308]

COLS = [
    ("TS", "BIGINT"),        # event time in ms, nearly sorted, some nulls
    ("AT", "TIMESTAMP"),     # the same as a TIMESTAMP
    ("N", "INTEGER"),        # a growing id that sometimes jumps to the INT32 ends
    ("EXT", "BIGINT"),       # crosses the INT64 ends: deltas overflow and wrap
    ("RND", "BIGINT"),       # random over the whole range: deltas do not pay
    ("DAY", "DATE"),         # few distinct values: dictionary
    ("X", "DOUBLE"),         # amounts with full mantissas in one range, some nulls
    ("Y", "DOUBLE"),         # the same with NaN, infinities, -0.0, subnormals
    ("CITY", "STRING"),
    ("TX", "STRING"),        # unique ids that share their prefixes, some nulls: DELTA_BYTE_ARRAY
]
ROWS, GROUP = 25_000, 10_000


def wrap64(v):
    return (v + 2 ** 63) % 2 ** 64 - 2 ** 63


def make_rows(n=ROWS, seed=7):
    rnd = random.Random(seed)
    ts = 1_700_000_000_000
    rows = []
    for i in range(n):
        ts += rnd.randint(0, 40)
        jitter = ts + rnd.randint(-300, 300)
        n32 = I32_MAX - i if i % 997 == 5 else (I32_MIN + i if i % 997 == 6 else 1000 + i)
        # Counts up through Int64.max into Int64.min (wrapping), with a jump to each end every 500 rows.
        ext = I64_MIN if i % 500 == 1 else (I64_MAX if i % 500 == 2 else wrap64(I64_MAX - ROWS // 2 + i))
        x = rnd.uniform(1000, 2000)
        y = SPECIAL[i % len(SPECIAL)] if i % 3 == 0 else rnd.uniform(-1, 1)
        rows.append([
            None if i % 101 == 0 else jitter,
            dt.datetime.fromtimestamp(jitter / 1000, UTC),
            n32, ext, rnd.randint(I64_MIN, I64_MAX),
            dt.date(2024, 1, 1) + dt.timedelta(days=i // 5000),
            None if i % 89 == 0 else x, y,
            f"City{rnd.randrange(50):02d}",
            None if i % 97 == 3 else f"tx-{i:09d}",
        ])
    return rows


def dump_value(v):
    """Infinities as the bare tokens Jackson writes (conftest passes strings through for DOUBLE)."""
    if isinstance(v, float) and math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def bits(v):
    """A double as its bit pattern, so NaN, -0.0 and 0.0 compare exactly; other values as they are."""
    if isinstance(v, float):
        return ("f64", struct.unpack("<q", struct.pack("<d", v))[0])
    if isinstance(v, dt.datetime):
        # Spark gives naive datetimes in the Python process's zone: astimezone() reads them so.
        return ("ts", round(v.astimezone(UTC).timestamp() * 1000))
    if isinstance(v, pd.Timestamp):
        return bits(v.to_pydatetime())
    return v


def canonical(rows):
    return [[bits(v) for v in r] for r in rows]


@pytest.fixture(scope="module")
def encoded(tmp_path_factory):
    d = tmp_path_factory.mktemp("encodings")
    rows = make_rows()
    write_dump(d / "in.txt", COLS, [[dump_value(v) for v in r] for r in rows])
    out = {}
    for codec in ["snappy", "zstd"]:
        out[codec] = d / f"{codec}.parquet"
        convert(d / "in.txt", out[codec], "--row-group-rows", str(GROUP), "--compression", codec)
    return out, rows


def encodings(path):
    meta = pq.ParquetFile(path).metadata
    return [{meta.row_group(g).column(c).path_in_schema: set(meta.row_group(g).column(c).encodings)
             for c in range(meta.num_columns)} for g in range(meta.num_row_groups)]


@pytest.mark.parametrize("codec", ["snappy", "zstd"])
def test_metadata_shows_the_chosen_encodings(encoded, codec):
    files, _ = encoded
    groups = encodings(files[codec])
    assert len(groups) == 3
    for g, enc in enumerate(groups):
        # Deltas from the first values on: nearly all distinct and a few bits apart.
        for col in ["TS", "AT", "N", "EXT"]:
            assert enc[col] == {"DELTA_BINARY_PACKED", "RLE"}, (g, col, enc[col])
        # Random 64-bit values: the first chunk tries a dictionary, which does not pay; PLAIN after.
        assert enc["RND"] == ({"RLE_DICTIONARY", "PLAIN", "RLE"} if g == 0 else {"PLAIN", "RLE"}), (g, enc["RND"])
        assert enc["DAY"] == {"RLE_DICTIONARY", "PLAIN", "RLE"}
        assert enc["CITY"] == {"RLE_DICTIONARY", "PLAIN", "RLE"}
        # All distinct in the first 1024 values: no dictionary in any chunk, and the shared prefixes pay.
        assert enc["TX"] == {"DELTA_BYTE_ARRAY", "RLE"}, (g, enc["TX"])
        if g > 0:  # full mantissas: the dictionary fails in the first chunk, then the split bytes compress
            assert enc["X"] == {"BYTE_STREAM_SPLIT", "RLE"}, (g, enc["X"])
    # Every page header names an encoding of its chunk's list, and every value encoding listed is used.
    for g, pages in enumerate(page_encodings(files[codec])):
        for col, used in pages.items():
            values = groups[g][col] - {"RLE"} - ({"PLAIN"} if "RLE_DICTIONARY" in groups[g][col] else set())
            assert used <= groups[g][col] and values <= used, (g, col, used, groups[g][col])


NAMES = {0: "PLAIN", 3: "RLE", 5: "DELTA_BINARY_PACKED", 7: "DELTA_BYTE_ARRAY", 8: "RLE_DICTIONARY", 9: "BYTE_STREAM_SPLIT"}


def page_encodings(path):
    """Per row group, {column: encodings named by its data page headers}, walking the pages."""
    from fastparquet.cencoding import NumpyIO, from_buffer
    meta = pq.ParquetFile(path).metadata
    out = []
    with open(path, "rb") as f:
        for g in range(meta.num_row_groups):
            group = {}
            for c in range(meta.num_columns):
                col = meta.row_group(g).column(c)
                f.seek(col.dictionary_page_offset if col.has_dictionary_page else col.data_page_offset)
                buf = NumpyIO(bytearray(f.read(col.total_compressed_size)))
                used = set()
                while buf.tell() < col.total_compressed_size:
                    ph = from_buffer(buf, "PageHeader")
                    if ph.type == 0:  # DATA_PAGE
                        used.add(NAMES[ph.data_page_header.encoding])
                    buf.seek(ph.compressed_page_size, 1)
                group[col.path_in_schema] = used
            out.append(group)
    return out


def test_statistics_are_unchanged(encoded):
    files, rows = encoded
    meta = pq.ParquetFile(files["snappy"]).metadata
    names = [c for c, _ in COLS]
    for g in range(meta.num_row_groups):
        chunk = rows[g * GROUP:(g + 1) * GROUP]
        for col in ["TS", "N", "EXT", "RND", "TX"]:
            values = [r[names.index(col)] for r in chunk if r[names.index(col)] is not None]
            st = meta.row_group(g).column(names.index(col)).statistics
            assert (st.min, st.max, st.null_count) == (min(values), max(values), len(chunk) - len(values)), (g, col)


@pytest.mark.parametrize("codec", ["snappy", "zstd"])
def test_pyarrow_duckdb_polars_read_every_value(encoded, codec):
    files, rows = encoded
    want = canonical(rows)
    names = [c for c, _ in COLS]
    t = pq.read_table(files[codec]).to_pylist()
    assert canonical([[r[c] for c in names] for r in t]) == want
    con = duckdb.connect()
    con.execute("SET TimeZone='UTC'")
    assert canonical(con.execute(f"SELECT * FROM '{files[codec]}'").fetchall()) == want
    df = pl.read_parquet(files[codec])
    assert canonical([list(r) for r in df.iter_rows()]) == want


def test_pandas_reads_every_value(encoded):
    files, rows = encoded
    df = pd.read_parquet(files["snappy"], dtype_backend="pyarrow")
    got = [[None if v is pd.NA else v for v in r] for r in df.itertuples(index=False)]
    want = canonical(rows)
    # The DATE column comes back as datetime.date, TIMESTAMP as pd.Timestamp: bits() takes both.
    assert canonical(got) == want


def dataset(path, rows):
    """An emulator dataset file with one stream of the numeric columns and the ids (ROWTIME = TS)."""
    cols = [("ID", "BIGINT"), ("TS", "BIGINT"), ("N", "INTEGER"), ("EXT", "BIGINT"), ("X", "DOUBLE"), ("TX", "STRING")]
    objs = []
    for i, r in enumerate(rows):
        ts = r[0] if r[0] is not None else 1_700_000_000_000
        objs.append({"ROWTIME": ts, "ID": i, "TS": r[0], "N": r[2], "EXT": r[3], "X": r[6], "TX": r[9]})
    src = {"name": "NUMBERS", "type": "STREAM", "timestamp": None, "columns": [{"name": n, "type": t} for n, t in cols], "rows": objs}
    del src["timestamp"]
    path.write_text(json.dumps({"sources": [src]}))
    return [c for c, _ in cols]


def export(tmp_path, compatibility):
    rows = make_rows(12_000)
    names = dataset(tmp_path / "numbers.json", rows)
    emu = Emulator("--data", str(tmp_path / "numbers.json"))
    try:
        lake = Lake(emu, feeds=[])
        with open(os.path.join(lake.dir, "feeds.d", "numbers.yaml"), "w") as f:
            f.write("feed_name: numbers\nfeed_type: stream\nksqldb_source: NUMBERS\nretention_days: 36500\n")
        cfg = os.path.join(lake.dir, "lake.yaml")
        text = open(cfg).read()
        if compatibility:
            text = text.replace("  compression: snappy", f"  compatibility: {compatibility}\n  compression: snappy")
        open(cfg, "w").write(text)
        lake.run("apply")
        root = lake.path("streams", "numbers")
        files = sorted(os.path.join(r, f) for r, _, fs in os.walk(root) for f in fs if f.endswith(".parquet"))
        assert files
        return files, rows, names
    finally:
        emu.stop()


def file_encodings(files):
    """{column: every encoding its chunks list} over the files."""
    out = {}
    for f in files:
        meta = pq.ParquetFile(f).metadata
        for g in range(meta.num_row_groups):
            for c in range(meta.num_columns):
                col = meta.row_group(g).column(c)
                out.setdefault(col.path_in_schema, set()).update(col.encodings)
    return out


def test_fastparquet_compatibility_setting(tmp_path):
    """Without the setting, the export's doubles are BYTE_STREAM_SPLIT and its ids DELTA_BYTE_ARRAY,
    neither of which fastparquet reads (NotImplementedError); with it, fastparquet reads every value,
    the deltas included."""
    (tmp_path / "default").mkdir()
    files, rows, names = export(tmp_path / "default", None)
    encs = file_encodings(files)
    assert "BYTE_STREAM_SPLIT" in encs["X"] and "DELTA_BYTE_ARRAY" in encs["TX"]
    for col in ["X", "TX"]:
        with pytest.raises(NotImplementedError):
            for f in files:
                fastparquet.ParquetFile(f).to_pandas(columns=[col])

    (tmp_path / "compat").mkdir()
    files, rows, names = export(tmp_path / "compat", "fastparquet")
    encs = file_encodings(files)
    assert "BYTE_STREAM_SPLIT" not in encs["X"] and encs["TX"] <= {"PLAIN", "RLE"}
    # Deltas where miniblocks stay within 28 bits: TS, and EXT, whose jumps to the INT64 ends are small
    # once wrapped. N jumps from small ids to the INT32 ends and back: 32-bit miniblocks, which
    # fastparquet's unpacker garbles, so those pages are PLAIN.
    assert "DELTA_BINARY_PACKED" in encs["TS"] and "DELTA_BINARY_PACKED" in encs["EXT"]
    assert "DELTA_BINARY_PACKED" not in encs["N"]
    got = pd.concat([fastparquet.ParquetFile(f).to_pandas() for f in files]).sort_values("ID")
    want = {r[0]: r for r in ([i, row[0], row[2], row[3], row[6], row[9]] for i, row in enumerate(rows))}
    for rec in got[names].itertuples(index=False):
        w = want[rec.ID]
        assert (rec.N, rec.EXT) == (w[2], w[3])
        assert (None if pd.isna(rec.TS) else int(rec.TS)) == w[1]
        assert (None if pd.isna(rec.X) else rec.X) == w[4]
        assert (None if pd.isna(rec.TX) else rec.TX) == w[5]
    assert len(got) == len(rows)


def test_delta_rs_reads_the_delta_byte_arrays_of_a_delta_feed(tmp_path):
    """The lake's feeds are Delta tables (`table_format: delta`): delta-rs reads the export's ids,
    DELTA_BYTE_ARRAY with nulls, and every other column, value for value."""
    from deltalake import DeltaTable
    files, rows, names = export(tmp_path, None)
    assert "DELTA_BYTE_ARRAY" in file_encodings(files)["TX"]
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(files[0]))))
    got = DeltaTable(root).to_pyarrow_table().sort_by("ID").select(names).to_pylist()
    want = [[i, row[0], row[2], row[3], row[6], row[9]] for i, row in enumerate(rows)]
    assert canonical([[r[c] for c in names] for r in got]) == canonical(want)


try:
    # test_spark.py's session fixture, so both modules start and stop the JVM the same way.
    from test_spark import spark  # noqa: F401
except BaseException:  # pytest's Skipped, raised by test_spark.py's import when there is no JVM
    @pytest.fixture(scope="module")
    def spark():
        pytest.skip("Spark needs a JVM and `java` is not on PATH")


def test_spark_reads_every_value(encoded, spark):
    files, rows = encoded
    want = canonical(rows)
    for codec in ["snappy", "zstd"]:
        got = spark.read.parquet(str(files[codec])).collect()
        assert canonical([list(r) for r in got]) == want, codec
