"""issue 14 benchmark: the same 1M-row export with five quality checks next to none, best of 3 each,
interleaved (target: with checks at most 15% slower). Run by `make bench` (bench/run_checks.sh)."""
import json
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(__file__))
from export_bench import DL, lake, measure, start_emulator  # noqa: E402

CHECKS = """checks:
  - not_null: [USER_ID, AMOUNT]
  - unique: [TRANSACTION_ID]
  - accepted_values: {column: PAYMENT_METHOD, values: [credit_card, debit_card, paypal, apple_pay, bank_transfer]}
  - range: {column: AMOUNT, min: -100000, max: 100000}
  - row_count: {min: 1}
"""


def main(rows, stream="transaction_flattened", rounds=3):
    emu, url = start_emulator(rows)
    try:
        best = {}
        for _ in range(rounds):
            for mode in ("none", "five"):
                d = lake(url, stream)
                if mode == "five":
                    with open(os.path.join(d, "feeds.d", stream + ".yaml"), "a") as f:
                        f.write(CHECKS)
                wall, rss = measure(d, DL, "apply")
                meta = json.load(open(os.path.join(d, f"data_lake/streams/{stream}/_metadata.json")))
                assert meta["total_records"] == rows
                assert len(meta.get("last_checks", [])) == (5 if mode == "five" else 0)
                best[mode] = min(best.get(mode, (1e9, 0)), (wall, rss))
                shutil.rmtree(d)
        print("| export | stream | rows | seconds | rows/s | peak RSS MB |\n|---|---|---:|---:|---:|---:|")
        for mode in ("none", "five"):
            wall, rss = best[mode]
            print(f"| datalake apply, {mode} checks | {stream} | {rows:,} | {wall:.2f} | {rows / wall:,.0f} | {rss:.0f} |")
        print(f"\nfive checks / none = {best['five'][0] / best['none'][0]:.3f} (target <= 1.15)")
    finally:
        emu.terminate()
        emu.wait()


if __name__ == "__main__":
    main(int(os.environ.get("BENCH_ROWS", "1000000")))
