"""issue 15 benchmark: `datalake apply` of all 8 demo feeds at once (max_parallel_feeds, default: the
cores) against the sum of the eight single-feed applies, and against the same 8 feeds with
max_parallel_feeds: 1, on one release emulator serving --rows N per stream. Each apply starts on a
fresh lake (`datalake init`), so each one registers its feeds and exports everything. Prints wall
seconds, peak RSS and the ratios. Run by `make bench` (bench/run_parallel.sh); ROWS to change N."""
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export_bench import DL, measure, start_emulator  # noqa: E402

ROWS = int(os.environ.get("ROWS", "1000000"))
ROUNDS = int(os.environ.get("ROUNDS", "2"))


def lake(url, feeds=None, parallel=None):
    d = tempfile.mkdtemp(prefix="bench-parallel-")
    subprocess.run([DL, "init"], cwd=d, check=True, stdout=subprocess.DEVNULL)
    names = sorted(n[:-5] for n in os.listdir(os.path.join(d, "feeds.d")) if n.endswith(".yaml"))
    for name in names:
        if feeds is not None and name not in feeds:
            os.remove(os.path.join(d, "feeds.d", name + ".yaml"))
    cfg = os.path.join(d, "lake.yaml")
    text = open(cfg).read().replace("http://127.0.0.1:8088", url)
    if parallel is not None:
        text += f"\nmax_parallel_feeds: {parallel}\n"
    open(cfg, "w").write(text)
    return d, names


def apply(d):
    wall, rss = measure(d, DL, "apply", "--auto-approve")
    shutil.rmtree(d)
    return wall, rss


def main():
    emu, url = start_emulator(ROWS)
    try:
        _, feeds = lake(url)
        print(f"{len(feeds)} feeds, {ROWS:,} rows per stream, {os.cpu_count()} cores, best of {ROUNDS}")
        single = {f: (float("inf"), 0.0) for f in feeds}
        together = serial = (float("inf"), 0.0)
        for _ in range(ROUNDS):
            # Interleaved, so that a busy moment of the machine falls on every variant alike.
            for f in feeds:
                w, r = apply(lake(url, {f})[0])
                single[f] = (min(single[f][0], w), max(single[f][1], r))
            w, r = apply(lake(url)[0])
            together = (min(together[0], w), max(together[1], r))
            w, r = apply(lake(url, parallel=1)[0])
            serial = (min(serial[0], w), max(serial[1], r))
        print("| apply | wall s | peak RSS MB |")
        print("|---|---:|---:|")
        for f in feeds:
            print(f"| {f} alone | {single[f][0]:.2f} | {single[f][1]:.0f} |")
        total = sum(w for w, _ in single.values())
        print(f"| sum of the {len(feeds)} single-feed applies | {total:.2f} | |")
        print(f"| all {len(feeds)}, max_parallel_feeds: 1 | {serial[0]:.2f} | {serial[1]:.0f} |")
        print(f"| all {len(feeds)}, max_parallel_feeds: default ({os.cpu_count()}) | {together[0]:.2f} | {together[1]:.0f} |")
        print(f"parallel / sum of singles = {together[0] / total:.2f} (target <= 0.6); "
              f"parallel / serial = {together[0] / serial[0]:.2f}; peak RSS {together[1]:.0f} MB (target <= 400)")
    finally:
        emu.terminate()
        emu.wait()


if __name__ == "__main__":
    main()
