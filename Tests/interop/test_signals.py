"""apply in cron, CI and pipes: SIGTERM and SIGINT stop it at the next safe point (exit 143 and
130, what was done and not run printed and logged, the interrupted export rolled back, the lock
released, the next apply exact), a second signal exits at once, and progress off a terminal is one
line per interval on stderr."""
import glob
import os
import pty
import re
import signal
import subprocess
import tempfile
import threading
import time

import pytest

from lake_support import Emulator, Lake
from test_lake import lake_rows, source_rows

FEED = "transaction_stream"


def staged(lake):
    return glob.glob(lake.path("streams", FEED, "**", ".data_*"), recursive=True)


def visible(lake):
    return sorted(glob.glob(lake.path("streams", FEED, "year=*", "**", "*.parquet"), recursive=True))


def insert_recent(emu, n, tag):
    now_ms = int(time.time() * 1000)
    for i in range(n):
        emu.ksql(f"INSERT INTO {FEED} (ROWTIME, TRANSACTION_ID, USER_ID, AMOUNT, CURRENCY) "
                 f"VALUES ({now_ms - 1000 - i * 5000}, '{tag}-{i}', 'user_0001', 1.25, 'EUR');")


def start_apply(lake, command=("apply",), env=None):
    """apply (or export) with stdout and stderr to files (nobody drains a pipe while it runs)."""
    out = tempfile.NamedTemporaryFile(prefix="apply-out-", delete=False)
    err = tempfile.NamedTemporaryFile(prefix="apply-err-", delete=False)
    p = subprocess.Popen([lake.dl, *command], cwd=lake.dir, stdout=out, stderr=err, env={**os.environ, **(env or {})})
    return p, out.name, err.name


def wait_for(predicate, p, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline and p.poll() is None:
        if predicate():
            return True
        time.sleep(0.01)
    return False


def pending(lake):
    """The committed files the feed's metadata lists as not yet published."""
    try:
        return lake.metadata("streams", FEED).get("pending", [])
    except (OSError, ValueError):
        return []


def interrupt(lake, ready, signals, code, command=("apply",), env=None):
    """Starts apply, sends `signals` 0.3 s apart once `ready()` holds, checks the exit code, and
    returns the seconds from the last signal to the exit, stdout and stderr."""
    p, out, err = start_apply(lake, command, env)
    try:
        assert wait_for(ready, p), "the apply never got there"
        for i, sig in enumerate(signals):
            if i:
                time.sleep(0.3)
            sent = time.time()
            p.send_signal(sig)
        assert p.wait(timeout=20) == code
        return time.time() - sent, open(out).read(), open(err).read()
    finally:
        if p.poll() is None:
            p.kill()


def assert_next_apply_exact(emu, lake):
    emu.post("/emulator/faults", {})
    lake.run("apply")
    assert pending(lake) == []
    assert lake_rows(lake, FEED) == source_rows(emu, FEED)
    assert staged(lake) == []


@pytest.fixture
def slow_lake():
    """A lake with everything exported once; then new events, which ksqlDB serves slowly."""
    emu = Emulator("--demo", "--rows", "1500", "--days", "2")
    try:
        lake = Lake(emu, feeds={FEED, "user_transaction_summary"})
        lake.run("apply")
        insert_recent(emu, 150, "late")
        yield emu, lake
    finally:
        emu.stop()


@pytest.mark.parametrize("sig,name,code,command", [(signal.SIGTERM, "SIGTERM", 143, ("apply",)),
                                                   (signal.SIGINT, "SIGINT", 130, ("export", "--all"))])
def test_a_signal_mid_export_stops_before_the_commit_then_apply_ends_exact(slow_lake, sig, name, code, command):
    emu, lake = slow_lake
    before_meta = lake.metadata("streams", FEED)
    before_files = visible(lake)
    emu.post("/emulator/faults", {"rowDelay": 20})
    _, stdout, stderr = interrupt(lake, lambda: staged(lake), [sig], code, command)
    assert f"{name}: stopping at the next safe point" in stderr
    assert f"export stream {FEED}: interrupted ({name}) before its commit: nothing of it was written" in stdout
    summary = re.search(rf"^Interrupted \({name}\): (\d+) of (\d+) actions done; not run: (.*)\. Log: (.*)$", stdout, re.M)
    assert summary, stdout
    assert summary.group(3).startswith(f"export {FEED}"), summary.group(3)
    assert "Apply complete" not in stdout and "Apply failed" not in stdout
    assert summary.group(0).split(". Log: ")[0] in open(os.path.join(lake.dir, summary.group(4))).read()
    # Rolled back through the storage seam: nothing staged left, no new visible file, watermark as it was.
    assert staged(lake) == []
    assert visible(lake) == before_files
    after_meta = lake.metadata("streams", FEED)
    assert after_meta["watermark"] == before_meta["watermark"]
    assert after_meta["files"] == before_meta["files"]
    # The lock is free at once, and the next apply ends exact.
    assert_next_apply_exact(emu, lake)


def test_a_signal_stops_a_query_waiting_on_a_silent_server(slow_lake):
    emu, lake = slow_lake
    # A row every 5 s: the stop cannot wait for the next batch; it cancels the query.
    emu.post("/emulator/faults", {"rowDelay": 5000})
    seconds, stdout, _ = interrupt(lake, lambda: staged(lake), [signal.SIGTERM], 143)
    assert seconds < 2
    assert re.search(rf"^Interrupted \(SIGTERM\): \d+ of \d+ actions done; not run: export {FEED}", stdout, re.M)
    assert staged(lake) == []
    assert_next_apply_exact(emu, lake)


def test_a_second_signal_exits_at_once(slow_lake):
    emu, lake = slow_lake
    # Held 4 s just after the export's commit point: the first signal waits for the action to end
    # (it is committed, so it finishes), the second does not.
    seconds, stdout, stderr = interrupt(lake, lambda: pending(lake), [signal.SIGTERM, signal.SIGTERM], 143,
                                        env={"DATALAKE_FAILPOINTS": "after-commit=4000"})
    assert seconds < 1.5
    assert "SIGTERM again: exiting at once" in stderr
    assert "Interrupted (" not in stdout
    # Committed but not published: the next apply rolls it forward and ends exact.
    assert pending(lake) and staged(lake)
    assert_next_apply_exact(emu, lake)


PROGRESS = re.compile(rf"^  export {FEED}: (\d{{1,3}}(?:,\d{{3}})*) rows, (\d{{1,3}}(?:,\d{{3}})*) rows/s, (\d+\.\d) MB$")


def test_progress_off_a_terminal_is_one_line_per_interval_on_stderr():
    emu = Emulator("--demo", "--rows", "400", "--days", "2")
    try:
        lake = Lake(emu, feeds={FEED})
        emu.post("/emulator/faults", {"rowDelay": 5})
        r = subprocess.run([lake.dl, "apply"], cwd=lake.dir, capture_output=True, text=True, timeout=120,
                           env={**os.environ, "DATALAKE_PROGRESS_INTERVAL": "0.3"})
        assert r.returncode == 0, r.stderr
        lines = [l for l in r.stderr.splitlines() if "rows/s" in l]
        assert len(lines) >= 3, r.stderr
        counts = []
        for line in lines:
            m = PROGRESS.match(line)
            assert m, repr(line)
            counts.append(int(m.group(1).replace(",", "")))
        assert counts == sorted(counts) and counts[-1] > counts[0]
        assert float(PROGRESS.match(lines[-1]).group(3)) > 0
        assert "\r" not in r.stderr and "\x1b" not in r.stderr
        assert "rows/s" not in r.stdout
        # At the default interval (10 s) an export that ends sooner prints no progress at all.
        emu.post("/emulator/faults", {})
        insert_recent(emu, 3, "quick")
        r = subprocess.run([lake.dl, "apply"], cwd=lake.dir, capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stderr
        assert f"export stream {FEED}: ok, 3 rows" in r.stdout
        assert r.stderr == ""
    finally:
        emu.stop()


def test_progress_on_a_terminal_is_one_line_redrawn_with_the_action_count():
    emu = Emulator("--demo", "--rows", "400", "--days", "2")
    try:
        lake = Lake(emu, feeds={FEED})
        emu.post("/emulator/faults", {"rowDelay": 5})
        master, slave = pty.openpty()
        chunks = []

        def drain():
            while True:
                try:
                    data = os.read(master, 4096)
                except OSError:
                    return
                if not data:
                    return
                chunks.append(data)

        reader = threading.Thread(target=drain, daemon=True)
        reader.start()
        r = subprocess.run([lake.dl, "apply"], cwd=lake.dir, stdout=subprocess.PIPE, stderr=slave, text=True, timeout=120,
                           env={**os.environ, "TERM": "xterm"})
        os.close(slave)
        reader.join(timeout=10)
        os.close(master)
        assert r.returncode == 0
        tty = b"".join(chunks).decode()
        draws = re.findall(rf"\r\x1b\[K  export {FEED}: [\d,]+ rows \([\d,]+ rows/s\) (\d+)/(\d+) actions", tty)
        assert draws, repr(tty[:500])
        total = int(draws[0][1])
        assert total >= 2 and all(int(t) == total and int(done) < total for done, t in draws)
        assert "rows/s" not in r.stdout
    finally:
        emu.stop()
