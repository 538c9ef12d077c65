"""File-level behaviour: zero and one row, several row groups, dictionary fallback, codecs, statistics
that filter pushdown relies on, `inspect --json`, and errors that leave no output behind."""
import datetime as dt
import os
import random
from decimal import Decimal

import duckdb
import fastparquet
import pandas as pd
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from conftest import UTC, convert, convert_fails, inspect_json, norm, write_dump

COLS = [("ID", "BIGINT"), ("NAME", "STRING"), ("AMOUNT", "DOUBLE"), ("PRICE", "DECIMAL(20, 4)"),
        ("DAY", "DATE"), ("AT", "TIMESTAMP")]


def make_rows(n, seed=1):
    rnd = random.Random(seed)
    rows = []
    for i in range(n):
        rows.append([
            i - n // 2,
            None if i % 17 == 0 else f"name-{rnd.randrange(10_000):05d}",
            None if i % 13 == 0 else rnd.uniform(-1e6, 1e6),
            None if i % 11 == 0 else Decimal(rnd.randrange(-10**12, 10**12)) / 10000,
            dt.date(1960, 1, 1) + dt.timedelta(days=i % 30000),
            dt.datetime(1965, 1, 1, tzinfo=UTC) + dt.timedelta(milliseconds=i * 997_123),
        ])
    return rows


def test_zero_rows(tmp_path):
    write_dump(tmp_path / "in.txt", COLS, [])
    convert(tmp_path / "in.txt", tmp_path / "out.parquet")
    t = pq.read_table(tmp_path / "out.parquet")
    assert t.num_rows == 0 and t.column_names == [c[0] for c in COLS]
    assert duckdb.sql(f"SELECT count(*) FROM '{tmp_path / 'out.parquet'}'").fetchall() == [(0,)]
    assert len(fastparquet.ParquetFile(str(tmp_path / "out.parquet")).to_pandas()) == 0
    assert inspect_json(tmp_path / "out.parquet")["num_rows"] == 0


def test_one_row(tmp_path):
    rows = make_rows(1)
    write_dump(tmp_path / "in.txt", COLS, rows)
    convert(tmp_path / "in.txt", tmp_path / "out.parquet")
    got = pq.read_table(tmp_path / "out.parquet").to_pylist()
    assert [[norm(r[c]) for c, _ in COLS] for r in got] == [[norm(v) for v in row] for row in rows]


@pytest.fixture(scope="module")
def grouped(tmp_path_factory):
    d = tmp_path_factory.mktemp("groups")
    rows = make_rows(25_000)
    write_dump(d / "in.txt", COLS, rows)
    convert(d / "in.txt", d / "out.parquet", "--row-group-rows", "4000")
    return d / "out.parquet", rows


def test_several_row_groups(grouped):
    path, rows = grouped
    f = pq.ParquetFile(path)
    assert f.metadata.num_row_groups == 7
    assert [f.metadata.row_group(i).num_rows for i in range(7)] == [4000] * 6 + [1000]
    got = f.read().to_pylist()
    assert [[norm(r[c]) for c, _ in COLS] for r in got] == [[norm(v) for v in row] for row in rows]
    con = duckdb.connect()
    con.execute("SET TimeZone='UTC'")
    assert con.execute(f"SELECT count(*), count(NAME), sum(ID), sum(PRICE) FROM '{path}'").fetchone() == (
        25_000, sum(r[1] is not None for r in rows), sum(r[0] for r in rows), sum(r[3] for r in rows if r[3] is not None))
    # The random doubles are BYTE_STREAM_SPLIT, which fastparquet does not read (see
    # test_encodings.py for `parquet.compatibility: fastparquet`): it reads the ids.
    df = fastparquet.ParquetFile(str(path)).to_pandas(columns=["ID"])
    assert df["ID"].tolist() == [r[0] for r in rows]


def test_statistics_match_each_row_group(grouped):
    path, rows = grouped
    meta = pq.ParquetFile(path).metadata
    for g in range(meta.num_row_groups):
        chunk = rows[g * 4000:(g + 1) * 4000]
        for j, (name, _) in enumerate(COLS):
            vals = [r[j] for r in chunk if r[j] is not None]
            st = meta.row_group(g).column(j).statistics
            assert st.has_min_max and st.null_count == len(chunk) - len(vals), name
            assert norm(st.min) == norm(min(vals)) and norm(st.max) == norm(max(vals)), (name, g)


@pytest.mark.parametrize("where,pred", [
    ("ID BETWEEN 100 AND 4100", lambda r: 100 <= r[0] <= 4100),
    ("NAME >= 'name-09990'", lambda r: r[1] is not None and r[1] >= "name-09990"),
    ("AMOUNT < -999000", lambda r: r[2] is not None and r[2] < -999000),
    ("PRICE > 99990000", lambda r: r[3] is not None and r[3] > Decimal(99990000)),
    ("DAY < DATE '1960-01-10'", lambda r: r[4] < dt.date(1960, 1, 10)),
    ('"AT" >= TIMESTAMPTZ \'1965-12-01 00:00:00+00\'', lambda r: r[5] >= dt.datetime(1965, 12, 1, tzinfo=UTC)),
])
def test_duckdb_filter_pushdown(grouped, where, pred):
    path, rows = grouped
    con = duckdb.connect()
    con.execute("SET TimeZone='UTC'")
    assert con.execute(f"SELECT count(*) FROM '{path}' WHERE {where}").fetchone()[0] == sum(map(pred, rows))


def test_pyarrow_filters(grouped):
    path, rows = grouped
    t = pq.read_table(path, filters=[("ID", ">=", 9000), ("ID", "<", 9100)])
    assert t.column("ID").to_pylist() == [r[0] for r in rows if 9000 <= r[0] < 9100]
    t = pq.read_table(path, filters=[("NAME", "=", "name-00042")])
    assert t.num_rows == sum(r[1] == "name-00042" for r in rows)
    t = pq.read_table(path, filters=pc.field("DAY") < dt.date(1960, 1, 3))
    assert t.num_rows == sum(r[4] < dt.date(1960, 1, 3) for r in rows)


def test_dictionary_fallback(tmp_path):
    # Each value twice: the dictionary pays on the first values (so it is kept), then outgrows the limit.
    rows = [[i // 2, f"distinct-value-{i // 2:08d}-" + "x" * 40, (i // 2) * 1000 if i % 7 else None] for i in range(30_000)]
    write_dump(tmp_path / "in.txt", [("ID", "BIGINT"), ("S", "STRING"), ("V", "BIGINT")], rows)
    convert(tmp_path / "in.txt", tmp_path / "out.parquet", "--dictionary-limit", "65536")
    info = inspect_json(tmp_path / "out.parquet")
    # Past the dictionary, the text falls back to DELTA_BYTE_ARRAY (each value repeats the one before)
    # and the growing integers to DELTA_BINARY_PACKED (each chunk's fallback encoding is chosen by
    # measuring its first page both ways).
    fallback = {"ID": "DELTA_BINARY_PACKED", "S": "DELTA_BYTE_ARRAY", "V": "DELTA_BINARY_PACKED"}
    for c in info["row_groups"][0]["columns"]:
        want = ["RLE_DICTIONARY", "PLAIN"] + ([fallback[c["path"]]] if fallback[c["path"]] else []) + ["RLE"]
        assert c["encodings"] == want and "dictionary_page_offset" in c, (c["path"], c["encodings"])
    want = [tuple(r) for r in rows]
    got = pq.read_table(tmp_path / "out.parquet").to_pylist()
    assert [(r["ID"], r["S"], r["V"]) for r in got] == want
    assert duckdb.sql(f"SELECT * FROM '{tmp_path / 'out.parquet'}'").fetchall() == want
    # fastparquet cannot read BYTE_ARRAY chunks that fall back from dictionary to PLAIN (the same happens
    # with pyarrow's own files), nor DELTA_BYTE_ARRAY, so it checks the integer columns.
    df = fastparquet.ParquetFile(str(tmp_path / "out.parquet")).to_pandas(columns=["ID", "V"])
    assert [(a, norm(b)) for a, b in zip(df["ID"].tolist(), df["V"].tolist())] == [(r[0], r[2]) for r in rows]


def test_unique_values_drop_the_dictionary(tmp_path):
    """Number columns whose first values are all distinct and close together are DELTA_BINARY_PACKED;
    text columns whose first values are all distinct have no dictionary in any row group (fastparquet
    misreads text columns that mix dictionary and PLAIN row groups): DELTA_BYTE_ARRAY, or PLAIN with
    `--compatibility fastparquet`. Every reader reads them, fastparquet the compatible file."""
    rows = [[i, f"tx-{i:09d}", f"user_{i % 50}", 1_700_000_000_000 + i * 1013] for i in range(25_000)]
    cols = [("ID", "BIGINT"), ("TX", "STRING"), ("USER", "STRING"), ("TS", "BIGINT")]
    write_dump(tmp_path / "in.txt", cols, rows)
    convert(tmp_path / "in.txt", tmp_path / "out.parquet", "--row-group-rows", "10000")
    convert(tmp_path / "in.txt", tmp_path / "compat.parquet", "--row-group-rows", "10000", "--compatibility", "fastparquet")
    dictionary, delta = ["RLE_DICTIONARY", "PLAIN", "RLE"], ["DELTA_BINARY_PACKED", "RLE"]
    for name, text in [("out.parquet", ["DELTA_BYTE_ARRAY", "RLE"]), ("compat.parquet", ["PLAIN", "RLE"])]:
        info = inspect_json(tmp_path / name)
        assert len(info["row_groups"]) == 3
        for g, group in enumerate(info["row_groups"]):
            enc = {c["path"]: c["encodings"] for c in group["columns"]}
            # Growing, all-distinct integers drop the dictionary from the first row group on.
            assert enc == {"ID": delta, "TX": text, "USER": dictionary, "TS": delta}, (name, g, enc)
    want = [tuple(r) for r in rows]
    assert [tuple(r.values()) for r in pq.read_table(tmp_path / "out.parquet").to_pylist()] == want
    assert duckdb.sql(f"SELECT * FROM '{tmp_path / 'out.parquet'}'").fetchall() == want
    assert [tuple(r) for r in pd.read_parquet(tmp_path / "out.parquet").itertuples(index=False)] == want
    df = fastparquet.ParquetFile(str(tmp_path / "compat.parquet")).to_pandas()
    assert [tuple(r) for r in df.itertuples(index=False)] == want


@pytest.mark.parametrize("codec", ["snappy", "zstd", "none"])
def test_codecs(tmp_path, codec):
    rows = make_rows(3000)
    write_dump(tmp_path / "in.txt", COLS, rows)
    convert(tmp_path / "in.txt", tmp_path / "out.parquet", "--compression", codec)
    meta = pq.ParquetFile(tmp_path / "out.parquet").metadata
    assert meta.row_group(0).column(0).compression == {"snappy": "SNAPPY", "zstd": "ZSTD", "none": "UNCOMPRESSED"}[codec]
    got = pq.read_table(tmp_path / "out.parquet").to_pylist()
    assert [[norm(r[c]) for c, _ in COLS] for r in got] == [[norm(v) for v in row] for row in rows]
    assert duckdb.sql(f"SELECT count(*) FROM '{tmp_path / 'out.parquet'}'").fetchall() == [(3000,)]


def test_inspect_json(grouped):
    path, rows = grouped
    info = inspect_json(path)
    assert info["num_rows"] == 25_000 and info["num_row_groups"] == 7
    assert info["created_by"].startswith("datalake version ")
    assert info["file_size"] == os.path.getsize(path)
    assert info["key_value_metadata"]["ksqldb.schema"].startswith("`ID` BIGINT, `NAME` STRING")
    assert [c["path"] for c in info["schema"]] == [c for c, _ in COLS]
    assert info["schema"][5]["logical_type"] == "TIMESTAMP(MILLIS,UTC)"
    meta = pq.ParquetFile(path).metadata
    for g, group in enumerate(info["row_groups"]):
        assert group["num_rows"] == meta.row_group(g).num_rows
        for j, c in enumerate(group["columns"]):
            m = meta.row_group(g).column(j)
            assert c["codec"] == "SNAPPY"
            assert c["compressed_size"] == m.total_compressed_size
            assert c["uncompressed_size"] == m.total_uncompressed_size
            assert c["statistics"]["null_count"] == m.statistics.null_count
    first = info["row_groups"][0]["columns"]
    assert first[0]["statistics"]["min"] == str(rows[0][0])
    assert first[4]["statistics"]["min"] == "1960-01-01"


@pytest.mark.parametrize("line,where", [
    ('[1,"a",1.0,1,"2020-01-01","2020-01-01T00:00:00.000"]\n[2,"b",2.0,1.12345,"2020-01-01","2020-01-01T00:00:00.000"]', "3:12: error: column PRICE: value has more than 4 decimal places"),
    ('[1,"a",1.0,1,"2020-13-01","2020-01-01T00:00:00.000"]', "2:14: error: column DAY: invalid DATE"),
    ('[1,"a",1.0,1,"2020-01-01"]', "2:26: error: column AT: expected ','"),
    ('[9223372036854775808,"a",1.0,1,"2020-01-01","2020-01-01T00:00:00.000"]', "2:2: error: column ID: number out of range for BIGINT"),
    ('[1,"a",1.0,1,"2020-01-01","2020-01-01T00:00:00.000"', "2:52: error: expected ']' ending the row"),
])
def test_errors_leave_no_file(tmp_path, line, where):
    src = tmp_path / "in.txt"
    write_dump(src, COLS, [])
    with open(src, "a") as f:
        f.write(line + "\n")
    out = tmp_path / "out.parquet"
    err = convert_fails(src, out)
    assert err.count("\n") == 1 and err.startswith(f"{src}:{where}")
    assert os.listdir(tmp_path) == ["in.txt"]


def test_stdin_and_bad_header(tmp_path):
    import subprocess
    from conftest import datalake_bin
    src = tmp_path / "in.txt"
    write_dump(src, COLS, make_rows(10))
    with open(src) as f:
        p = subprocess.run([datalake_bin(), "convert", "-", "-o", str(tmp_path / "o.parquet")], stdin=f, capture_output=True)
    assert p.returncode == 0 and pq.read_table(tmp_path / "o.parquet").num_rows == 10
    (tmp_path / "bad.txt").write_text('{"queryId":"q","columnNames":["A"],"columnTypes":["NOPE"]}\n')
    err = convert_fails(tmp_path / "bad.txt", tmp_path / "bad.parquet")
    assert err.startswith(f"{tmp_path / 'bad.txt'}:1:1: error: ") and "column A: invalid ksqlDB type" in err, err


def test_long_line_and_crlf(tmp_path):
    # A 6 MB value is longer than the converter's 4 MiB read buffer; CRLF line ends are accepted.
    big = "é" * 3_000_000
    src = tmp_path / "in.txt"
    write_dump(src, [("ID", "BIGINT"), ("S", "STRING")], [[1, big], [2, "x"]])
    src.write_bytes(src.read_bytes().replace(b"\n", b"\r\n"))
    convert(src, tmp_path / "out.parquet")
    assert pq.read_table(tmp_path / "out.parquet").to_pylist() == [{"ID": 1, "S": big}, {"ID": 2, "S": "x"}]


def test_inspect_rejects_non_parquet(tmp_path):
    import subprocess
    from conftest import datalake_bin
    (tmp_path / "x.parquet").write_text("not parquet at all")
    p = subprocess.run([datalake_bin(), "inspect", str(tmp_path / "x.parquet")], capture_output=True, text=True)
    assert p.returncode == 1 and p.stderr == f"{tmp_path / 'x.parquet'}: error: not a Parquet file (missing PAR1 magic)\n"
