"""The export of today's binary against an older one (a baseline: the binary an issue measured) and
the `curl | duckdb` pipeline, in interleaved rounds from one emulator: how much of a ratio's change is
the export's and how much its peer's. Each round runs the three in a rotating order, each on a fresh
lake; ratios are taken within a round and their median printed with their range.

    git worktree add /tmp/base e29caa2 && (cd /tmp/base && swift build -c release --scratch-path .build-rel --product datalake)
    RELBIN=.build-rel/release BASELINE=/tmp/base/.build-rel/release/datalake .venv/bin/python bench/export_baseline.py [ROUNDS]
"""
import os
import shutil
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import export_bench as eb  # noqa: E402  (RELBIN must be set first: it names the emulator and datalake)


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 6
    rows = int(os.environ.get("BENCH_ROWS", "1000000"))
    binaries = {"today": eb.DL, "baseline": os.environ["BASELINE"]}
    emu, url = eb.start_emulator(rows)
    try:
        for stream in ["transaction_stream", "transaction_flattened"]:
            work = tempfile.mkdtemp(prefix="bench-base-")
            response = os.path.join(work, "response.txt")
            eb.save_response(url, stream, response)
            select = eb.duckdb_partitioned(response, work)[4]
            walls = {"today": [], "baseline": [], "pipe": []}

            def apply(name):
                eb.DL = binaries[name]
                walls[name].append(eb.datalake_apply(url, stream, rows)[0])

            runs = [lambda: apply("today"), lambda: apply("baseline"),
                    lambda: walls["pipe"].append(eb.curl_pipe_duckdb_seconds(url, stream, work, select))]
            for r in range(rounds):
                for k in range(3):
                    runs[(r + k) % 3]()
            eb.DL = binaries["today"]
            shutil.rmtree(work)
            med = {k: statistics.median(v) for k, v in walls.items()}
            print(f"{stream}: median wall today {med['today']:.2f} s, baseline {med['baseline']:.2f} s, "
                  f"curl | duckdb {med['pipe']:.2f} s ({rounds} rounds)")
            for label, num, den in [("pipe / today", "pipe", "today"), ("pipe / baseline", "pipe", "baseline"),
                                    ("baseline / today", "baseline", "today")]:
                rs = [a / b for a, b in zip(walls[num], walls[den])]
                print(f"  {label}: {statistics.median(rs):.2f}x (rounds {min(rs):.2f}x to {max(rs):.2f}x)", flush=True)
    finally:
        emu.terminate()
        emu.wait()


if __name__ == "__main__":
    main()
