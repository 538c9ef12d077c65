"""A day's Parquet file past one part (8 MiB) goes up to S3 as a multipart upload (moto's server,
signatures enforced): the object's ETag is the multipart one, made of 8 MiB parts of exactly the
bytes stored, pyarrow reads ksqlDB's exact rows from it, and a second apply changes no object. A
table that large, unchanged, is read into an upload that is aborted: no object, no upload left."""
import collections
import hashlib
import json
import math
import os
import re
import subprocess

import pyarrow.fs as pafs
import pyarrow.parquet as pq

from lake_support import Emulator, Lake
from s3_support import MotoS3

PART = 8 << 20
# transaction_stream written uncompressed is ≈ 30 bytes a row since its ids are DELTA_BYTE_ARRAY (44
# before, 62 before the delta and byte-stream-split encodings), so 340,000 rows of one day make one file
# of ≈ 10 MB: two parts, with few rows (debug binaries are slow).
ROWS = 340_000


def run(lake, moto, *args):
    r = subprocess.run([lake.dl, *args], cwd=lake.dir, capture_output=True, text=True, timeout=600, env=moto.env())
    if r.returncode != 0:
        raise AssertionError(f"datalake {' '.join(args)} exited {r.returncode}:\n{r.stdout}\n{r.stderr}")
    return r


def multipart_etag(data, part=PART):
    """The ETag S3 gives an object uploaded in parts of `part` bytes: MD5 of the parts' MD5s, -N."""
    digests = [hashlib.md5(data[i:i + part]).digest() for i in range(0, len(data), part)]
    return f"{hashlib.md5(b''.join(digests)).hexdigest()}-{len(digests)}"


def on_moto_uncompressed(lake, moto):
    """Points the lake at `s3://demo/lake` on moto, its files written uncompressed (sizes as planned)."""
    cfg = os.path.join(lake.dir, "lake.yaml")
    text = open(cfg).read()
    text, n = re.subn(r"(?m)^root: data_lake$", "root: s3://demo/lake", text)
    text, m = re.subn(r"(?m)^(\s*compression:) snappy\b", r"\1 none", text)
    assert n == 1 and m == 1, "lake.yaml from init changed shape"
    open(cfg, "w").write(text + f"storage:\n  s3:\n    endpoint: {moto.url}\n")


def test_a_file_past_one_part_is_a_multipart_upload_with_exact_rows_and_a_second_apply_changes_nothing():
    moto = MotoS3()
    emu = Emulator("--demo", "--rows", str(ROWS), "--days", "1")
    try:
        lake = Lake(emu, feeds={"transaction_stream"})
        on_moto_uncompressed(lake, moto)
        run(lake, moto, "apply")

        feed = "lake/streams/transaction_stream/"
        objects = moto.objects("lake/")
        parquet = {k: size for k, (size, _, _) in objects.items() if k.startswith(feed) and k.endswith(".parquet")}
        big = {k: size for k, size in parquet.items() if size > PART}
        assert big, f"no data file past one part: {parquet}"
        s3 = moto.client()
        for key, size in big.items():
            etag = s3.head_object(Bucket="demo", Key=key)["ETag"].strip('"')
            assert re.fullmatch(r"[0-9a-f]{32}-\d+", etag), f"{key} ({size} bytes) was not a multipart upload: ETag {etag}"
            assert etag.endswith(f"-{math.ceil(size / PART)}"), (key, size, etag)
            data = s3.get_object(Bucket="demo", Key=key)["Body"].read()
            assert len(data) == size and data[:4] == b"PAR1" and data[-4:] == b"PAR1"
            # The parts are the stored bytes cut at every 8 MiB, in order.
            assert etag == multipart_etag(data), (key, etag)
        assert s3.list_multipart_uploads(Bucket="demo").get("Uploads", []) == [], "no upload left incomplete"

        import json
        meta = json.loads(s3.get_object(Bucket="demo", Key=feed + "_metadata.json")["Body"].read())
        assert {feed + f["path"] for f in meta["files"]} == set(parquet)
        assert meta["total_records"] == ROWS

        fs = pafs.S3FileSystem(endpoint_override=moto.url, access_key=moto.access_key, secret_key=moto.secret_key,
                               region="us-east-1", scheme="http")
        got = collections.Counter()
        for key in parquet:
            table = pq.read_table(f"demo/{key}", filesystem=fs, columns=["ROWTIME", "TRANSACTION_ID"])
            got.update(zip(table.column("ROWTIME").to_pylist(), table.column("TRANSACTION_ID").to_pylist()))
        names, rows = emu.rows("SELECT ROWTIME, * FROM transaction_stream;")
        i, j = names.index("ROWTIME"), names.index("TRANSACTION_ID")
        assert len(rows) == ROWS
        assert got == collections.Counter((r[i], r[j]) for r in rows)

        # Nothing new: no object is written again (same keys, sizes, ETags and times).
        again = run(lake, moto, "apply")
        assert "0 changed the lake" in again.stdout, again.stdout
        assert moto.objects("lake/") == objects
    finally:
        emu.stop()
        moto.stop()


def test_an_unchanged_table_past_one_part_aborts_its_upload_and_changes_nothing(tmp_path):
    rows = 250_000
    # ≈ 41 bytes a row uncompressed (the names DELTA_BYTE_ARRAY): one version file of ≈ 10 MB, two parts.
    dataset = {"sources": [{"name": "BIG", "type": "TABLE",
                            "columns": [{"name": "ID", "type": "BIGINT", "key": True}, {"name": "NAME", "type": "STRING"}],
                            "rows": [{"ROWTIME": 1736899200000, "ID": i, "NAME": hashlib.sha256(str(i).encode()).hexdigest()[:40]}
                                     for i in range(rows)]}]}
    data = tmp_path / "big.json"
    data.write_text(json.dumps(dataset))
    moto = MotoS3()
    emu = Emulator("--data", str(data))
    try:
        lake = Lake(emu, feeds=set())
        open(os.path.join(lake.dir, "feeds.d", "big.yaml"), "w").write("feed_name: big\nfeed_type: table\nksqldb_source: BIG\n")
        on_moto_uncompressed(lake, moto)
        run(lake, moto, "apply")
        s3 = moto.client()
        meta = json.loads(s3.get_object(Bucket="demo", Key="lake/tables/big/_metadata.json")["Body"].read())
        key = "lake/tables/big/" + meta["latest_path"]
        size = s3.head_object(Bucket="demo", Key=key)["ContentLength"]
        assert size > PART, f"the version is not past one part: {size} bytes"

        objects = moto.objects("lake/")
        out = run(lake, moto, "apply").stdout
        assert "unchanged since the latest version" in out
        assert moto.objects("lake/") == objects, "no object written, none left behind"
        assert s3.list_multipart_uploads(Bucket="demo").get("Uploads", []) == [], "the unchanged table's upload was aborted"
    finally:
        emu.stop()
        moto.stop()
