"""Every ksqlDB type, nulls everywhere, empty strings, unicode, extremes: read back by pyarrow, pandas,
DuckDB and fastparquet with the values written and the expected Arrow types."""
import datetime as dt
from decimal import Decimal

import duckdb
import fastparquet
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import UTC, convert, norm, norm_map, write_dump

FLAT = [
    ("B", "BOOLEAN", pa.bool_()),
    ("I", "INTEGER", pa.int32()),
    ("L", "BIGINT", pa.int64()),
    ("D", "DOUBLE", pa.float64()),
    ("DEC4", "DECIMAL(4, 2)", pa.decimal128(4, 2)),
    ("DEC18", "DECIMAL(18, 3)", pa.decimal128(18, 3)),
    ("DEC38", "DECIMAL(38, 10)", pa.decimal128(38, 10)),
    ("S", "STRING", pa.string()),
    ("BY", "BYTES", pa.binary()),
    ("DT", "DATE", pa.date32()),
    ("TM", "TIME", pa.time32("ms")),
    ("TS", "TIMESTAMP", pa.timestamp("ms", tz="UTC")),
]

FLAT_ROWS = [
    [True, 2147483647, 9223372036854775807, 1.5, Decimal("99.99"), Decimal("999999999999999.999"),
     Decimal("9999999999999999999999999999.9999999999"), "héllo wörld ✓ 😀", b"\x00\xff\x10",
     dt.date(2024, 2, 29), dt.time(23, 59, 59), dt.datetime(2024, 1, 15, 10, 30, 0, 123000, tzinfo=UTC)],
    [False, -2147483648, -9223372036854775808, -0.0, Decimal("-99.99"), Decimal("-0.001"),
     Decimal("-9999999999999999999999999999.9999999999"), "", b"",
     dt.date(1969, 12, 31), dt.time(0, 0), dt.datetime(1969, 7, 20, 20, 17, 40, tzinfo=UTC)],
    [None] * 12,
    [True, 0, 0, "1.0E7", Decimal("0.10"), Decimal("0"), Decimal("0.0000000001"), 'quote " backslash \\ newline \n tab \t',
     b"{", dt.date(1900, 1, 1), dt.time(12, 0, 1), dt.datetime(1900, 1, 1, 0, 0, 0, 1000, tzinfo=UTC)],
    [None, 7, None, 3.141592653589793, None, Decimal("12.5"), None, "日本語", None, dt.date(2038, 1, 19), None,
     dt.datetime(2038, 1, 19, 3, 14, 7, 999000, tzinfo=UTC)],
]


def expected_flat():
    out = []
    for row in FLAT_ROWS:
        out.append([1.0e7 if v == "1.0E7" else v for v in row])
    return out


@pytest.fixture(scope="module")
def flat_file(tmp_path_factory):
    d = tmp_path_factory.mktemp("flat")
    write_dump(d / "in.txt", [(n, t) for n, t, _ in FLAT], FLAT_ROWS)
    convert(d / "in.txt", d / "out.parquet")
    return d / "out.parquet"


def test_arrow_types(flat_file):
    schema = pq.read_schema(flat_file)
    assert [schema.field(n).type for n, _, _ in FLAT] == [t for _, _, t in FLAT]
    assert schema.metadata[b"ksqldb.schema"].decode().startswith("`B` BOOLEAN, `I` INTEGER")


def test_pyarrow_values(flat_file):
    rows = pq.read_table(flat_file).to_pylist()
    assert len(rows) == len(FLAT_ROWS)
    for got, want in zip(rows, expected_flat()):
        assert [norm(got[n]) for n, _, _ in FLAT] == [norm(v) for v in want]
    # -0.0 keeps its sign bit.
    assert str(rows[1]["D"]) == "-0.0"


def test_duckdb_values(flat_file):
    con = duckdb.connect()
    con.execute("SET TimeZone='UTC'")
    rows = con.execute(f"SELECT * FROM '{flat_file}'").fetchall()
    for got, want in zip(rows, expected_flat()):
        assert [norm(v) for v in got] == [norm(v) for v in want]
    types = [r[1] for r in con.execute(f"DESCRIBE SELECT * FROM '{flat_file}'").fetchall()]
    assert types == ["BOOLEAN", "INTEGER", "BIGINT", "DOUBLE", "DECIMAL(4,2)", "DECIMAL(18,3)", "DECIMAL(38,10)",
                     "VARCHAR", "BLOB", "DATE", "TIME", "TIMESTAMP WITH TIME ZONE"]


def test_pandas_values(flat_file):
    # numpy_nullable keeps BIGINT exact next to nulls (plain numpy would make it float64).
    df = pd.read_parquet(flat_file, dtype_backend="numpy_nullable")
    for i, want in enumerate(expected_flat()):
        assert [norm(df[n].iloc[i]) for n, _, _ in FLAT] == [norm(v) for v in want]


def test_fastparquet_values(flat_file):
    df = fastparquet.ParquetFile(str(flat_file)).to_pandas()
    for i, want in enumerate(expected_flat()):
        for n, t, _ in FLAT:
            got, exp = df[n].iloc[i], want[[c[0] for c in FLAT].index(n)]
            if exp is None:
                assert norm(got) is None, n
            elif t.startswith("DECIMAL"):
                # fastparquet turns decimals into float64.
                assert float(got) == pytest.approx(float(exp), rel=1e-15), n
            elif t == "DATE":
                assert pd.Timestamp(got).date() == exp, n
            elif t == "TIME":
                assert norm(got) == norm(exp) or int(got) == norm(exp)[1], n
            else:
                assert norm(got) == norm(exp), n


NESTED = [
    ("TAGS", "ARRAY<STRING>"),
    ("ITEMS", "ARRAY<STRUCT<`SKU` STRING, `QTY` INTEGER, `PRICE` DECIMAL(10, 2)>>"),
    ("ATTRS", "MAP<STRING, DOUBLE>"),
    ("MATRIX", "ARRAY<ARRAY<BIGINT>>"),
    ("ADDR", "STRUCT<`CITY` STRING, `GEO` STRUCT<`LAT` DOUBLE, `LON` DOUBLE>, `SEEN` TIMESTAMP, `BORN` DATE>"),
    ("BY_DAY", "MAP<STRING, ARRAY<DATE>>"),
]

NESTED_ROWS = [
    [["a", "b"], [{"SKU": "x1", "QTY": 2, "PRICE": Decimal("9.99")}, {"SKU": "x2", "QTY": None, "PRICE": None}],
     [("k1", 1.5), ("k2", None)], [[1, 2], [], None, [9223372036854775807]],
     {"CITY": "Paris", "GEO": {"LAT": 48.85, "LON": 2.35}, "SEEN": dt.datetime(2020, 5, 1, 12, 0, tzinfo=UTC), "BORN": dt.date(1950, 3, 4)},
     [("d", [dt.date(2020, 1, 1), None])]],
    [[], [], [], [], {"CITY": None, "GEO": None, "SEEN": None, "BORN": None}, []],
    [None, None, None, None, None, None],
    [["", None, "ü"], [None], [("only", -2.25)], [[-1]], {"CITY": "", "GEO": {"LAT": None, "LON": -0.5}, "SEEN": None, "BORN": None}, None],
]


@pytest.fixture(scope="module")
def nested_file(tmp_path_factory):
    d = tmp_path_factory.mktemp("nested")
    write_dump(d / "in.txt", NESTED, NESTED_ROWS)
    convert(d / "in.txt", d / "out.parquet")
    return d / "out.parquet"


def canon_row(row):
    tags, items, attrs, matrix, addr, by_day = row
    return [norm(tags), norm(items), norm_map(attrs), norm(matrix), norm(addr), norm_map(by_day)]


def test_nested_arrow_types(nested_file):
    s = pq.read_schema(nested_file)
    assert s.field("TAGS").type == pa.list_(pa.field("element", pa.string()))
    assert s.field("ITEMS").type == pa.list_(pa.field("element", pa.struct(
        [("SKU", pa.string()), ("QTY", pa.int32()), ("PRICE", pa.decimal128(10, 2))])))
    assert s.field("ATTRS").type == pa.map_(pa.string(), pa.float64())
    assert s.field("MATRIX").type == pa.list_(pa.field("element", pa.list_(pa.field("element", pa.int64()))))
    assert s.field("ADDR").type == pa.struct([("CITY", pa.string()), ("GEO", pa.struct([("LAT", pa.float64()), ("LON", pa.float64())])),
                                              ("SEEN", pa.timestamp("ms", tz="UTC")), ("BORN", pa.date32())])
    assert s.field("BY_DAY").type == pa.map_(pa.string(), pa.list_(pa.field("element", pa.date32())))


def test_nested_pyarrow(nested_file):
    rows = pq.read_table(nested_file).to_pylist()
    got = [canon_row([r[n] for n, _ in NESTED]) for r in rows]
    assert got == [canon_row(r) for r in NESTED_ROWS]


def test_nested_duckdb(nested_file):
    con = duckdb.connect()
    con.execute("SET TimeZone='UTC'")
    rows = con.execute(f"SELECT * FROM '{nested_file}'").fetchall()
    assert [canon_row(list(r)) for r in rows] == [canon_row(r) for r in NESTED_ROWS]
    assert con.execute(f"SELECT sum(len(ITEMS)), count(ATTRS), max(ADDR.GEO.LON) FROM '{nested_file}'").fetchone() == (3, 3, 2.35)


def test_nested_pandas(nested_file):
    df = pd.read_parquet(nested_file)
    assert norm(df["TAGS"].iloc[0]) == ["a", "b"]
    assert norm(df["TAGS"].iloc[1]) == []
    assert df["TAGS"].iloc[2] is None
    assert norm_map(df["ATTRS"].iloc[0]) == {"k1": 1.5, "k2": None}


def test_nested_fastparquet(nested_file):
    # fastparquet reads simple lists and maps of primitives.
    df = fastparquet.ParquetFile(str(nested_file)).to_pandas(columns=["TAGS"])
    assert [norm(v) for v in df["TAGS"]] == [["a", "b"], [], None, ["", None, "ü"]]
