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
