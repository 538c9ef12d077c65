"""issue 15 benchmark (tables read once): `datalake apply` of one 1M-row table, a first snapshot
(the table changed: a new version) and then an unchanged one, alternating fresh lakes, best of 3;
counts the table's `SELECT *` queries by the emulator's `GET /emulator/queries`. DATALAKE_OTHER: a
second datalake binary (e.g. a build before the change) measured alongside. Run by `make bench`
(bench/run_table.sh)."""
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from export_bench import DL, EMU, measure  # noqa: E402

SQL = "SELECT * FROM BIG;"


def dataset(rows, path):
    """A TABLE BIG(ID BIGINT key, NAME STRING of 40 characters, AMOUNT DOUBLE), in `--data` form."""
    with open(path, "w") as f:
        f.write('{"sources": [{"name": "BIG", "type": "TABLE", "columns": [{"name": "ID", "type": "BIGINT", "key": true}, '
                '{"name": "NAME", "type": "STRING"}, {"name": "AMOUNT", "type": "DOUBLE"}], "rows": [')
        for i in range(rows):
            name = hashlib.sha256(str(i).encode()).hexdigest()[:40]
            f.write(("," if i else "") + f'{{"ROWTIME": 1736899200000, "ID": {i}, "NAME": "{name}", "AMOUNT": {i % 10000}.25}}')
        f.write("]}]}")


def request(url, method, path):
    with urllib.request.urlopen(urllib.request.Request(url + path, method=method), timeout=600) as r:
        return json.loads(r.read())


def table_lake(dl, url):
    d = tempfile.mkdtemp(prefix="bench-table-")
    subprocess.run([dl, "init"], cwd=d, check=True, stdout=subprocess.DEVNULL)
    for name in os.listdir(os.path.join(d, "feeds.d")):
        os.remove(os.path.join(d, "feeds.d", name))
    with open(os.path.join(d, "feeds.d", "big.yaml"), "w") as f:
        f.write("feed_name: big\nfeed_type: table\nksqldb_source: BIG\n")
    cfg = os.path.join(d, "lake.yaml")
    text = open(cfg).read().replace("http://127.0.0.1:8088", url)
    open(cfg, "w").write(text)
    return d


def snapshot(dl, d, url):
    """(seconds, peak RSS MB, table queries) of one apply."""
    request(url, "DELETE", "/emulator/queries")
    wall, rss = measure(d, dl, "apply")
    return wall, rss, sum(1 for q in request(url, "GET", "/emulator/queries")["queries"] if q["sql"].upper() == SQL)


def main(rows=1_000_000, rounds=3):
    binaries = [DL] + ([os.environ["DATALAKE_OTHER"]] if os.environ.get("DATALAKE_OTHER") else [])
    work = tempfile.mkdtemp(prefix="bench-table-data-")
    dataset(rows, os.path.join(work, "big.json"))
    log = open(os.path.join(work, "emulator.log"), "w")
    emu = subprocess.Popen([EMU, "--data", os.path.join(work, "big.json"), "--port", "0"], stdout=log, stderr=subprocess.STDOUT)
    try:
        url = None
        for _ in range(1200):
            m = re.search(r"listening on (http://\S+)", open(log.name).read())
            if m:
                url = m.group(1)
                break
            time.sleep(0.05)
        if not url:
            raise SystemExit("emulator did not start")
        best = {}
        for _ in range(rounds):
            for dl in binaries:
                d = table_lake(dl, url)
                for case in ("changed", "unchanged"):
                    got = snapshot(dl, d, url)
                    key = (dl, case)
                    best[key] = min(best.get(key, got), got)
                    assert got[2] == best[key][2], "the query count is the same every round"
                shutil.rmtree(d)
        print("| snapshot | binary | rows | seconds | table queries | peak RSS MB |\n|---|---|---:|---:|---:|---:|")
        for (dl, case), (wall, rss, queries) in best.items():
            print(f"| {case} | {dl} | {rows:,} | {wall:.2f} | {queries} | {rss:.0f} |")
    finally:
        emu.terminate()
        emu.wait()
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
