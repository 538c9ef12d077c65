"""Interleaved A/B of two datalake release binaries: the same 1M-row exports (nested and flat) from one
emulator, the binaries alternating in each round (A then B, then B then A), each on a fresh lake.
Prints best and median wall, median CPU (user + sys of the export), MB and peak RSS per binary: the
shared two cores make single runs vary, and CPU varies less than wall.

    RELBIN=<dir with ksqldb-emulator> .venv/bin/python bench/export_ab.py OLD/datalake NEW/datalake [ROUNDS]
"""
import json
import os
import shutil
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import export_bench as eb  # noqa: E402  (RELBIN must be set first: it names the emulator)


def main():
    bins = {"A": sys.argv[1], "B": sys.argv[2]}
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    rows = int(os.environ.get("BENCH_ROWS", "1000000"))
    emu, url = eb.start_emulator(rows)
    try:
        for stream in ["transaction_stream", "transaction_flattened"]:
            runs = {k: [] for k in bins}
            for r in range(rounds):
                order = list(bins.items()) if r % 2 == 0 else list(reversed(bins.items()))
                for name, dl in order:
                    d = eb.lake(url, stream)
                    wall, rss, cpu = eb.measure_cpu(d, dl, "apply")
                    meta = json.load(open(os.path.join(d, f"data_lake/streams/{stream}/_metadata.json")))
                    assert meta["total_records"] == rows, meta["total_records"]
                    runs[name].append((wall, cpu, meta["total_bytes"] / 1e6, rss))
                    shutil.rmtree(d)
            for name, rs in runs.items():
                print(f"{stream} {name} ({bins[name]}): best wall {min(r[0] for r in rs):.2f} s, "
                      f"median wall {statistics.median(r[0] for r in rs):.2f} s, median CPU {statistics.median(r[1] for r in rs):.2f} s, "
                      f"{rs[0][2]:.2f} MB, peak RSS {max(r[3] for r in rs):.0f} MB", flush=True)
    finally:
        emu.terminate()
        emu.wait()


if __name__ == "__main__":
    main()
