"""Shared helpers for the interop checks: build ksqlDB /query-stream delimited dumps from Python
values, run `datalake convert` / `inspect`, and normalize what each reader returns so values can be
compared exactly with what was written."""
import base64
import datetime as dt
import decimal
import json
import math
import os
import shutil
import subprocess
import tempfile

import pytest

UTC = dt.timezone.utc
EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)


def pytest_sessionstart(session):
    """Every temp lake, log and scratch directory of the run under one directory, so that a run
    leaves nothing behind in the machine's temp directory."""
    session.config._datalake_tmp = tempfile.mkdtemp(prefix="datalake-tests-")
    tempfile.tempdir = session.config._datalake_tmp


def pytest_sessionfinish(session, exitstatus):
    """Removes the run's temp directory when every test passed; keeps it (and says where) for a
    failure to be looked at, or when KEEP_TEST_DIRS is set."""
    d = getattr(session.config, "_datalake_tmp", None)
    tempfile.tempdir = None
    if not d:
        return
    if exitstatus == 0 and not os.environ.get("KEEP_TEST_DIRS"):
        shutil.rmtree(d, ignore_errors=True)
    else:
        print(f"\nthe tests' temp directories are kept in {d}")


def datalake_bin():
    path = os.environ.get("DATALAKE_BIN")
    if not path or not os.path.exists(path):
        pytest.skip("DATALAKE_BIN is not set to a built datalake binary")
    return path


def ksql_json(value, ktype):
    """Renders a Python value the way ksqlDB's delimited format does (notes ksqldb-rest.md §7)."""
    if value is None:
        return "null"
    t = ktype.strip()
    u = t.upper()
    if u == "BOOLEAN":
        return "true" if value else "false"
    if u in ("INTEGER", "BIGINT"):
        return str(int(value))
    if u == "DOUBLE":
        if isinstance(value, str):  # a literal form such as 1.0E7
            return value
        if math.isnan(value):
            return '"NaN"'
        return repr(float(value))
    if u.startswith("DECIMAL"):
        return format(decimal.Decimal(value), "f")
    if u == "STRING":
        return json.dumps(value, ensure_ascii=False)
    if u == "BYTES":
        return json.dumps(base64.b64encode(value).decode())
    if u == "DATE":
        return json.dumps(value.isoformat())
    if u == "TIME":
        s = value.strftime("%H:%M") if value.second == 0 else value.strftime("%H:%M:%S")
        return json.dumps(s)
    if u == "TIMESTAMP":
        v = value.astimezone(UTC)
        return json.dumps(v.strftime("%Y-%m-%dT%H:%M:%S.") + f"{v.microsecond // 1000:03d}")
    if u.startswith("ARRAY<"):
        inner = t[6:-1]
        return "[" + ",".join(ksql_json(v, inner) for v in value) + "]"
    if u.startswith("MAP<"):
        k, v = split_top(t[4:-1])
        return "{" + ",".join(json.dumps(str(key)) + ":" + ksql_json(val, v) for key, val in value) + "}"
    if u.startswith("STRUCT<"):
        fields = [f.strip() for f in split_top_all(t[7:-1])]
        parts = []
        for f in fields:
            name, ftype = f[1:].split("`", 1)
            ftype = ftype.strip()
            fv = value.get(name)
            # Inside STRUCTs ksqlDB renders temporal values as numbers (epoch ms, days, ms of day).
            if fv is not None and ftype.upper() == "TIMESTAMP":
                parts.append(json.dumps(name) + ":" + str(round((fv - EPOCH).total_seconds() * 1000)))
            elif fv is not None and ftype.upper() == "DATE":
                parts.append(json.dumps(name) + ":" + str((fv - dt.date(1970, 1, 1)).days))
            else:
                parts.append(json.dumps(name) + ":" + ksql_json(fv, ftype))
        return "{" + ",".join(parts) + "}"
    raise ValueError(t)


def split_top_all(s):
    out, depth, cur = [], 0, ""
    for ch in s:
        if ch in "<(":
            depth += 1
        elif ch in ">)":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    out.append(cur)
    return out


def split_top(s):
    parts = split_top_all(s)
    return parts[0].strip(), ",".join(parts[1:]).strip()


def write_dump(path, columns, rows):
    """columns: [(name, ksql type)]; rows: lists of Python values."""
    header = {"queryId": "transient_TEST_1", "columnNames": [c[0] for c in columns], "columnTypes": [c[1] for c in columns]}
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps(header) + "\n")
        for row in rows:
            f.write("[" + ",".join(ksql_json(v, c[1]) for v, c in zip(row, columns)) + "]\n")


def convert(src, out, *args):
    p = subprocess.run([datalake_bin(), "convert", str(src), "-o", str(out), *args], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    return p


def convert_fails(src, out, *args):
    p = subprocess.run([datalake_bin(), "convert", str(src), "-o", str(out), *args], capture_output=True, text=True)
    assert p.returncode != 0
    return p.stderr


def inspect_json(path):
    p = subprocess.run([datalake_bin(), "inspect", str(path), "--json"], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


def norm(v):
    """A canonical, comparable form of a value as any of the readers returns it."""
    try:
        import numpy as np
        import pandas as pd
    except ImportError:  # pragma: no cover
        np = pd = None
    if v is None:
        return None
    if pd is not None:
        if v is pd.NaT or v is pd.NA:
            return None
        if isinstance(v, pd.Timestamp):
            v = v.to_pydatetime()
        if isinstance(v, pd.Timedelta):
            v = v.to_pytimedelta()
    if np is not None:
        if isinstance(v, np.ndarray):
            return [norm(x) for x in v.tolist()]
        if isinstance(v, np.generic):
            v = v.item()
    if isinstance(v, dt.datetime):
        if v.tzinfo is None:
            v = v.replace(tzinfo=UTC)
        return ("ts", round((v - EPOCH).total_seconds() * 1000))
    if isinstance(v, dt.date):
        return ("date", v.isoformat())
    if isinstance(v, dt.time):
        return ("time", ((v.hour * 60 + v.minute) * 60 + v.second) * 1000 + v.microsecond // 1000)
    if isinstance(v, dt.timedelta):
        return ("time", round(v.total_seconds() * 1000))
    if isinstance(v, decimal.Decimal):
        return ("dec", v.normalize() if v != 0 else decimal.Decimal(0))
    if isinstance(v, (bytes, bytearray, memoryview)):
        return bytes(v)
    if isinstance(v, dict):
        return {k: norm(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [norm(x) for x in v]
    if isinstance(v, float) and math.isnan(v):
        return None  # pandas/fastparquet use NaN for null doubles; tests keep NaN out of those columns
    return v


def norm_map(v):
    """Maps come back as lists of (k, v) (pyarrow), dicts (DuckDB) or lists of dicts; compare as dicts."""
    if v is None:
        return None
    if isinstance(v, dict):
        if set(v.keys()) == {"key", "value"} and isinstance(v["key"], list):
            return {k: norm(x) for k, x in zip(v["key"], v["value"])}
        return {k: norm(x) for k, x in v.items()}
    return {k: norm(x) for k, x in v}
