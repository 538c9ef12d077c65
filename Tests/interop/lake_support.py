"""Helpers for the lake-level interop checks: start the real ksqldb-emulator binary on a free
loopback port, run datalake against it in a temp directory, and read back what ksqlDB serves."""
import json
import os
import re
import subprocess
import tempfile
import time
import urllib.request

import pytest


def binaries():
    dl, emu = os.environ.get("DATALAKE_BIN"), os.environ.get("EMULATOR_BIN")
    if not dl or not emu or not os.path.exists(dl) or not os.path.exists(emu):
        pytest.skip("DATALAKE_BIN and EMULATOR_BIN must point at built binaries")
    return dl, emu


class Emulator:
    def __init__(self, *args):
        _, emu = binaries()
        # Output goes to a file: a pipe nobody drains would block the server once full.
        self.log = tempfile.NamedTemporaryFile(prefix="emulator-", suffix=".log", delete=False)
        self.proc = subprocess.Popen([emu, "--port", "0", *args], stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        m = None
        while time.time() < deadline and self.proc.poll() is None:
            with open(self.log.name) as f:
                m = re.search(r"listening on (http://[\d.]+:(\d+))", f.read())
            if m:
                break
            time.sleep(0.05)
        if not m:
            self.proc.kill()
            raise RuntimeError(f"emulator did not start: {open(self.log.name).read()!r}")
        self.url, self.port = m.group(1), int(m.group(2))

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()

    def post(self, path, body, accept=None):
        req = urllib.request.Request(self.url + path, data=json.dumps(body).encode(), method="POST")
        if accept:
            req.add_header("Accept", accept)
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.read().decode()

    def request(self, method, path):
        """The JSON answer of a body-less request (`GET /emulator/queries`, `DELETE` to clear it)."""
        with urllib.request.urlopen(urllib.request.Request(self.url + path, method=method), timeout=60) as r:
            return json.loads(r.read().decode())

    def ksql(self, statement):
        return self.post("/ksql", {"ksql": statement})

    def rows(self, sql):
        """(column names, rows) of a pull query, rows parsed with exact decimals."""
        import decimal
        body = self.post("/query-stream", {"sql": sql, "properties": {}})
        lines = [l for l in body.split("\n") if l.strip()]
        header = json.loads(lines[0])
        return header["columnNames"], [json.loads(l, parse_float=decimal.Decimal) for l in lines[1:]]


class Lake:
    """A temp project made by `datalake init`, pointed at `emulator`."""

    def __init__(self, emulator, feeds=None):
        self.dl, _ = binaries()
        self.dir = tempfile.mkdtemp(prefix="datalake-interop-")
        self.run("init")
        cfg = os.path.join(self.dir, "lake.yaml")
        text = open(cfg).read().replace("http://127.0.0.1:8088", emulator.url)
        open(cfg, "w").write(text)
        if feeds is not None:
            for name in os.listdir(os.path.join(self.dir, "feeds.d")):
                if name.replace(".yaml", "") not in feeds:
                    os.remove(os.path.join(self.dir, "feeds.d", name))

    def run(self, *args, check=True):
        r = subprocess.run([self.dl, *args], cwd=self.dir, capture_output=True, text=True, timeout=600)
        if check and r.returncode != 0:
            raise AssertionError(f"datalake {' '.join(args)} exited {r.returncode}:\n{r.stdout}\n{r.stderr}")
        return r

    def path(self, *parts):
        return os.path.join(self.dir, "data_lake", *parts)

    def metadata(self, kind, feed):
        with open(self.path(kind, feed, "_metadata.json")) as f:
            return json.load(f)
