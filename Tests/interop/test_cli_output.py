"""Output that works in cron and CI: a redirected apply writes each line as it prints it, so a
log file shows progress while the apply runs (and keeps what was said if it is killed)."""
import os
import subprocess
import time

from lake_support import Emulator, Lake


def test_a_redirected_apply_writes_its_lines_while_it_runs():
    # Slow rows (5 ms each): the exports take seconds, the plan is printed at once.
    emu = Emulator("--demo", "--rows", "400", "--days", "2", "--row-delay-ms", "5")
    try:
        lake = Lake(emu, feeds={"transaction_stream", "transaction_flattened"})
        out_path = os.path.join(lake.dir, "apply.out")
        with open(out_path, "wb") as out:
            p = subprocess.Popen([lake.dl, "apply"], cwd=lake.dir, stdout=out, stderr=subprocess.STDOUT)
            deadline = time.time() + 20
            while time.time() < deadline and os.path.getsize(out_path) == 0 and p.poll() is None:
                time.sleep(0.05)
            running = p.poll() is None
            size = os.path.getsize(out_path)
            p.wait(timeout=120)
        assert size > 0 and running, f"nothing written while running (size {size}, running {running})"
        assert "datalake will perform the following actions" in open(out_path).read()
        assert p.returncode == 0
    finally:
        emu.stop()


def _apply_on_a_terminal(lake, answer, *args):
    """Runs `datalake apply ARGS` on a pseudo-terminal, answers the question (if it comes), returns
    (exit code, output)."""
    import pty
    import select
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(lake.dir)
        os.execv(lake.dl, [lake.dl, "apply", "--no-color", *args])
    out = b""
    sent = False
    deadline = time.time() + 60
    while time.time() < deadline:
        r, _, _ = select.select([fd], [], [], 0.2)
        if r:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
        if not sent and b"Enter a value:" in out:
            os.write(fd, answer.encode() + b"\n")
            sent = True
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), out.decode(errors="replace")


def test_on_a_terminal_apply_asks_and_only_yes_applies():
    emu = Emulator("--demo", "--rows", "50", "--days", "1")
    try:
        lake = Lake(emu, feeds={"transaction_stream"})
        code, out = _apply_on_a_terminal(lake, "no")
        assert "Do you want to perform these actions?" in out and code == 1, out
        assert "apply cancelled: nothing was changed" in out
        assert not os.path.exists(lake.path("feeds", "active", "transaction_stream.json"))
        code, out = _apply_on_a_terminal(lake, "yes")
        assert code == 0 and "Apply complete" in out, out
        assert os.path.exists(lake.path("feeds", "active", "transaction_stream.json"))
        # Without a terminal (cron, CI) it never asks; --auto-approve skips the question on one.
        r = subprocess.run([lake.dl, "apply"], cwd=lake.dir, capture_output=True, text=True, stdin=subprocess.DEVNULL)
        assert r.returncode == 0 and "Enter a value" not in r.stdout
    finally:
        emu.stop()


def _json_lines(text):
    import json
    docs = [json.loads(line) for line in text.splitlines()]
    assert docs and all(d["format_version"] == 1 for d in docs), text
    return docs


def test_apply_format_json_is_one_object_per_action_then_a_summary():
    import pyarrow.parquet as pq
    emu = Emulator("--demo", "--rows", "300", "--days", "2")
    try:
        lake = Lake(emu, feeds={"transaction_stream", "transaction_flattened", "payment_method_totals"})
        r = subprocess.run([lake.dl, "apply", "--format", "json"], cwd=lake.dir, capture_output=True, text=True,
                           stdin=subprocess.DEVNULL)
        assert r.returncode == 0, r.stderr
        docs = _json_lines(r.stdout)
        plan, actions, summary = docs[0], docs[1:-1], docs[-1]
        assert plan["type"] == "plan" and summary["type"] == "summary"
        assert all(a["type"] == "action" for a in actions)
        # Every planned action once, in plan order, whatever order the parallel feeds finished in.
        assert [a["index"] for a in actions] == list(range(len(plan["actions"])))
        assert [(a["action"], a["feed"]) for a in actions] == [(p["action"], p["feed"]) for p in plan["actions"]]
        exports = [a for a in actions if a["action"] in ("export", "snapshot")]
        assert {a["feed"] for a in exports} == {"transaction_stream", "transaction_flattened", "payment_method_totals"}
        for a in exports:
            assert a["status"] == "changed" and a["files"], a
            files = [lake.path(a["feed_type"] + "s", a["feed"], f) for f in a["files"]]
            assert sum(pq.ParquetFile(f).metadata.num_rows for f in files) == a["rows"], a
            assert sum(os.path.getsize(f) for f in files) == a["bytes"], a
            assert not a["message"].endswith("s)"), "the timing is in seconds, not in the message"
        assert summary["status"] == "complete" and summary["actions"] == len(actions) == summary["done"]
        assert summary["changed"] == sum(a["changed"] for a in actions) >= len(exports) + 3
        assert summary["failed"] == [] and os.path.exists(os.path.join(lake.dir, summary["log"]))

        # Nothing new: the routine exports and the snapshot run and change nothing.
        again = subprocess.run([lake.dl, "apply", "--format", "json"], cwd=lake.dir, capture_output=True, text=True,
                               stdin=subprocess.DEVNULL)
        assert again.returncode == 0, again.stderr
        docs = _json_lines(again.stdout)
        assert docs[0]["type"] == "plan" and docs[-1]["type"] == "summary" and docs[-1]["changed"] == 0
        assert docs[1:-1] and {(d["type"], d["status"]) for d in docs[1:-1]} == {("action", "unchanged")}
    finally:
        emu.stop()


def test_apply_format_json_reports_each_failed_feed_and_exits_1():
    emu = Emulator("--demo", "--rows", "100", "--days", "1")
    try:
        lake = Lake(emu, feeds={"transaction_stream", "transaction_flattened"})
        lake.run("plan", "--out", "p.json")
        emu.post("/emulator/faults", {"failStatus": 500})
        r = subprocess.run([lake.dl, "apply", "p.json", "--format", "json"], cwd=lake.dir, capture_output=True, text=True)
        assert r.returncode == 1, r.stderr
        docs = _json_lines(r.stdout)
        actions, summary = docs[1:-1], docs[-1]
        by_kind = {}
        for a in actions:
            by_kind.setdefault(a["action"], set()).add(a["status"])
        assert by_kind == {"register": {"changed"}, "export": {"failed"}}, by_kind
        assert summary["status"] == "failed"
        assert sorted(f["feed"] for f in summary["failed"]) == ["transaction_flattened", "transaction_stream"]
        assert all(f["error"] and f["action"] == "export" for f in summary["failed"])
        # The errors still reach a person reading stderr.
        assert r.stderr.count("error: export ") == 2, r.stderr
    finally:
        emu.post("/emulator/faults", {})
        emu.stop()


def test_apply_format_json_on_a_terminal_needs_auto_approve():
    emu = Emulator("--demo", "--rows", "10", "--days", "1")
    try:
        lake = Lake(emu, feeds={"transaction_stream"})
        code, out = _apply_on_a_terminal(lake, "yes", "--format", "json")
        assert code == 64, out
        assert "--format json cannot ask for approval: pass --auto-approve" in out and "Enter a value" not in out
        assert not os.path.exists(lake.path("feeds", "active", "transaction_stream.json"))
    finally:
        emu.stop()
