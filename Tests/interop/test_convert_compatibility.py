"""`datalake convert --compatibility fastparquet` keeps a converted file to what fastparquet reads, as
`parquet.compatibility: fastparquet` does for the lake: without it the doubles are BYTE_STREAM_SPLIT and
fastparquet cannot read the file; with it fastparquet reads every value."""
import fastparquet
import pandas as pd
import pytest

from conftest import convert, convert_fails, write_dump
from test_encodings import COLS, dump_value, file_encodings, make_rows


def test_convert_compatibility_fastparquet(tmp_path):
    rows = make_rows(12_000)
    write_dump(tmp_path / "in.txt", COLS, [[dump_value(v) for v in r] for r in rows])
    default, compat = tmp_path / "default.parquet", tmp_path / "compat.parquet"
    convert(tmp_path / "in.txt", default, "--row-group-rows", "10000")
    convert(tmp_path / "in.txt", compat, "--row-group-rows", "10000", "--compatibility", "fastparquet")

    assert "BYTE_STREAM_SPLIT" in file_encodings([default])["X"]
    with pytest.raises(Exception):
        fastparquet.ParquetFile(str(default)).to_pandas()

    encs = file_encodings([compat])
    assert "BYTE_STREAM_SPLIT" not in encs["X"] and "BYTE_STREAM_SPLIT" not in encs["Y"]
    assert "DELTA_BINARY_PACKED" in encs["TS"]
    got = fastparquet.ParquetFile(str(compat)).to_pandas()
    assert len(got) == len(rows)
    for rec, want in zip(got.itertuples(index=False), rows):
        assert (None if pd.isna(rec.TS) else int(rec.TS)) == want[0]
        assert (rec.N, rec.EXT) == (want[2], want[3])
        assert (None if pd.isna(rec.X) else rec.X) == want[6]


def test_convert_refuses_an_unknown_compatibility(tmp_path):
    write_dump(tmp_path / "in.txt", COLS[:1], [[1]])
    err = convert_fails(tmp_path / "in.txt", tmp_path / "x.parquet", "--compatibility", "spark")
    assert "compatibility" in err
    assert not (tmp_path / "x.parquet").exists()
