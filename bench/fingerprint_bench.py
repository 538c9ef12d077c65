"""The cost of exactly-once fingerprints: the same 1M-row export by datalake (release), once with
lateness_minutes 0 (no row needs a fingerprint) and once with lateness_minutes 10080 (every row of
the three days is fingerprinted with the feed's SipHash key and kept in the overlap set). Best of
3 on fresh lakes; prints the seconds and the ratio. Run by `make bench` (bench/run_fingerprint.sh)."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from export_bench import DL, lake, measure, start_emulator  # noqa: E402

ROWS = int(os.environ.get("ROWS", "1000000"))
STREAM = "transaction_stream"


def run(url, lateness):
    best = None
    for _ in range(3):
        d = lake(url, STREAM)
        path = os.path.join(d, "feeds.d", STREAM + ".yaml")
        text = open(path).read()
        open(path, "w").write(text + f"\nlateness_minutes: {lateness}\n" if "lateness_minutes" not in text
                              else text.replace("lateness_minutes: 60", f"lateness_minutes: {lateness}"))
        wall, rss = measure(d, DL, "apply")
        meta = json.load(open(os.path.join(d, f"data_lake/streams/{STREAM}/_metadata.json")))
        assert meta["total_records"] == ROWS, meta["total_records"]
        overlap = os.path.getsize(os.path.join(d, f"data_lake/streams/{STREAM}", meta["overlap_file"]))
        if best is None or wall < best[0]:
            best = (wall, rss, overlap // 16)
    return best


emu, url = start_emulator(ROWS)
try:
    plain = run(url, 0)
    keyed = run(url, 10080)
finally:
    emu.terminate()
print("| lateness_minutes | fingerprinted rows | seconds (best of 3) | peak RSS MB |")
print("|---:|---:|---:|---:|")
print(f"| 0 | {plain[2]:,} | {plain[0]:.2f} | {plain[1]:.0f} |")
print(f"| 10080 | {keyed[2]:,} | {keyed[0]:.2f} | {keyed[1]:.0f} |")
print(f"fingerprinting every row costs {100 * (keyed[0] / plain[0] - 1):.1f}% of the export's wall time")
