"""README.md runs as written: every block marked `<!-- runnable -->` runs, in order, in a temp copy
of the project's lake.yaml and feeds.d, the way a user who follows the README would run it: the
README's own blocks start `ksqldb-emulator --demo` and run the demo's steps, the later ones read the
lake that made. The emulator listens on a free loopback port instead of 8088 (the only change made
to the blocks), and `datalake` / `ksqldb-emulator` are the binaries under test, put first on PATH
as `make install` would. scripts/readme_blocks.py extracts and runs the blocks."""
import os
import shutil
import socket
import subprocess
import sys
import tempfile

import pytest

from lake_support import binaries

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import readme_blocks  # noqa: E402

README = os.path.join(ROOT, "README.md")

# The bash and python blocks that are not marked runnable, by the start of their first line, and why.
# (yaml, json and cron blocks, and the diagrams, are not commands: the cron line's command is
# `datalake apply`, which the runnable blocks run.)
NOT_RUNNABLE = {
    "make demo": "builds the package (minutes, in .build) and `make test` would run this very test again; "
                 "the runnable blocks run the demo's steps by hand instead",
    "make install": "builds and installs into /usr/local or ~/.local; test_make_install below runs the "
                    "target into a temp PREFIX, and the blocks get the binaries on PATH the same way",
    "duckdb.sql(\"\"\"SELECT * FROM read_parquet(['data_lake/streams/tx/**/*.parquet', 'cold/":
        "needs a lake.yaml with tier_root and a feed past tier_after_days; Tests/interop/test_tiering.py "
        "runs these two reads on both backends",
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def readme_blocks_list():
    return readme_blocks.blocks(open(README, encoding="utf-8").read())


def block_env(*bin_dirs):
    env = {k: v for k, v in os.environ.items() if k != "DATALAKE_CONFIG"}
    env["PATH"] = os.pathsep.join([*bin_dirs, os.path.dirname(sys.executable), env.get("PATH", "")])
    return env


def describe(results):
    return "\n".join(f"--- README.md:{r.block.line} ({r.block.lang}) exited {r.returncode}\n{r.block.code}\n"
                     f"--- output:\n{r.output}" for r in results)


def test_readme_runs_as_written():
    dl, emu = binaries()
    project = tempfile.mkdtemp(prefix="datalake-readme-")
    shutil.copy(os.path.join(ROOT, "lake.yaml"), project)
    shutil.copytree(os.path.join(ROOT, "feeds.d"), os.path.join(project, "feeds.d"))
    port = free_port()
    cfg = os.path.join(project, "lake.yaml")
    text = open(cfg).read()
    assert "http://127.0.0.1:8088" in text
    open(cfg, "w").write(text.replace("127.0.0.1:8088", f"127.0.0.1:{port}"))

    runnable = [b for b in readme_blocks_list() if b.runnable]
    assert len(runnable) >= 7, "the README lost its runnable markers"
    todo = readme_blocks.substituted(runnable, [("127.0.0.1:8088", f"127.0.0.1:{port}"),
                                                ("--port 8088", f"--port {port}")])
    env = block_env(os.path.dirname(os.path.abspath(dl)), os.path.dirname(os.path.abspath(emu)))
    results = readme_blocks.run(todo, project, python=sys.executable, env=env, timeout=600)
    failed = [r for r in results if r.returncode not in (0, None)]
    assert not failed, "a runnable README block failed:\n" + describe(failed)
    assert len(results) == len(todo)
    # The blocks did what they say: the demo's apply wrote the lake the reading blocks read.
    assert os.path.exists(os.path.join(project, "data_lake", "tables", "user_transaction_summary", "_metadata.json"))
    assert os.path.exists(os.path.join(project, "feeds.d", "payments_30d.yaml"))
    ran = {r.block.line: r.output for r in results}
    assert any("plan exited 2" in out for out in ran.values()), describe(results)


def test_every_command_block_is_runnable_or_says_why():
    unmarked = [b for b in readme_blocks_list() if b.kind and not b.runnable]
    for b in unmarked:
        assert any(b.first_line.startswith(k) for k in NOT_RUNNABLE), (
            f"README.md:{b.line}: a {b.lang} block is neither marked <!-- runnable --> nor listed in "
            f"NOT_RUNNABLE with a reason:\n{b.code}")
    for k in NOT_RUNNABLE:
        assert any(b.first_line.startswith(k) for b in unmarked), f"NOT_RUNNABLE lists {k!r}, which the README no longer has"


def test_a_failing_block_fails_the_run(tmp_path):
    dl, _ = binaries()
    md = tmp_path / "doc.md"
    md.write_text("""
<!-- runnable -->
```bash
echo first > first.txt
```

<!-- runnable -->
```bash
datalake plan --no-such-flag
echo not reached > second.txt
```

<!-- runnable -->
```python
open('third.txt', 'w').write('not reached')
```

<!-- runnable (needs no-such-command-here) -->
```bash
false
```
""")
    env = block_env(os.path.dirname(os.path.abspath(dl)))
    bs = readme_blocks.blocks(md.read_text())
    assert [b.runnable for b in bs] == [True, True, True, True]
    results = readme_blocks.run(bs, str(tmp_path), env=env)
    assert [r.returncode for r in results] == [0, 64]
    assert (tmp_path / "first.txt").exists() and not (tmp_path / "second.txt").exists()
    assert not (tmp_path / "third.txt").exists()
    assert "error: unknown option '--no-such-flag' (see 'datalake plan --help')" in results[1].output
    # A failing python block, and a block skipped for a missing command, through the script itself.
    md.write_text("<!-- runnable (needs no-such-command-here) -->\n```bash\nfalse\n```\n\n"
                  "<!-- runnable -->\n```python\nraise SystemExit('boom')\n```\n")
    p = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "readme_blocks.py"), str(md), "--run", str(tmp_path)],
                       capture_output=True, text=True, env=env, timeout=60)
    assert p.returncode == 1, p.stdout + p.stderr
    assert "skipped: needs no-such-command-here" in p.stdout and "boom" in p.stdout
    assert "the block at" in p.stderr and ":7 failed" in p.stderr


def test_a_background_process_is_stopped_when_the_run_ends(tmp_path):
    md = "<!-- runnable -->\n```bash\nsleep 300 &\necho $! > pid\n```\n"
    results = readme_blocks.run(readme_blocks.blocks(md), str(tmp_path))
    assert results[0].returncode == 0
    pid = int((tmp_path / "pid").read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_make_install(tmp_path):
    """`make install` / `make uninstall` into a temp PREFIX, from the binaries under test."""
    dl, _ = binaries()
    if shutil.which("make") is None:
        pytest.skip("no make")
    bindir = os.path.dirname(os.path.abspath(dl))
    if not os.path.exists(os.path.join(bindir, "ksqldb-emulator")):
        pytest.skip("datalake and ksqldb-emulator are not in one build directory")
    prefix = tmp_path / "prefix"
    args = ["make", "-s", "-C", ROOT, f"PREFIX={prefix}", f"BIN={bindir}", f"RELBIN={tmp_path / 'no-release'}"]
    p = subprocess.run([*args, "install"], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stdout + p.stderr
    assert f"into {prefix}/bin" in p.stdout and "is not on PATH" in p.stdout
    for name in ("datalake", "ksqldb-emulator"):
        assert os.access(prefix / "bin" / name, os.X_OK)
    v = subprocess.run([str(prefix / "bin" / "datalake"), "--version"], capture_output=True, text=True)
    assert v.returncode == 0 and v.stdout.strip()
    p = subprocess.run([*args, "uninstall"], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stdout + p.stderr
    assert sorted(os.listdir(prefix / "bin")) == []
