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


def _apply_on_a_terminal(lake, answer):
    """Runs `datalake apply` on a pseudo-terminal, answers the question, returns (exit code, output)."""
    import pty
    import select
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(lake.dir)
        os.execv(lake.dl, [lake.dl, "apply", "--no-color"])
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
