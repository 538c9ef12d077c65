#!/usr/bin/env python3
"""The README's code blocks, and a runner for those marked runnable.

A block is runnable when the line just before its opening fence is the HTML comment
`<!-- runnable -->` (GitHub does not render it), or `<!-- runnable (needs java) -->` for a block
that runs only where those commands are on PATH (it is skipped elsewhere). Runnable blocks run in order, in one directory:
`bash`/`sh`/`shell` blocks with `bash -euo pipefail`, `python` blocks with the given Python. Each
block is a process of its own (so a `cd` or a variable does not carry over) in a session of its
own: what a block leaves running in the background (`ksqldb-emulator … &`) stays up for the
blocks after it, and is stopped when the run ends. The first block that exits non-zero ends the
run.

    python3 scripts/readme_blocks.py README.md --list
    python3 scripts/readme_blocks.py README.md --run DIR [--python PY] [--substitute OLD=NEW ...]

Tests/interop/test_readme.py runs the README this way against the demo lake.
"""
import argparse
import dataclasses
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile

MARKER = re.compile(r"^<!-- runnable(?: \(needs (?P<needs>[\w, .-]+)\))? -->$")
SHELLS = {"bash", "sh", "shell"}
PYTHONS = {"python", "python3", "py"}
FENCE = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,})(?P<info>[^`]*)$")


@dataclasses.dataclass
class Block:
    line: int          # 1-based line of the opening fence
    lang: str          # the info string's first word, lowercased ("" when none)
    code: str          # dedented by the fence's indentation
    runnable: bool
    needs: tuple = ()  # commands the block needs on PATH

    @property
    def kind(self):
        return "shell" if self.lang in SHELLS else "python" if self.lang in PYTHONS else None

    @property
    def first_line(self):
        return next((l.strip() for l in self.code.splitlines() if l.strip()), "")


def blocks(text):
    """Every fenced code block of a Markdown text, in order."""
    lines = text.splitlines()
    out, i = [], 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, fence = len(m["indent"]), m["fence"]
        info = m["info"].strip().split()
        prev = lines[i - 1].strip() if i > 0 else ""
        body, j = [], i + 1
        while j < len(lines):
            close = FENCE.match(lines[j])
            if close and close["fence"][0] == fence[0] and len(close["fence"]) >= len(fence) and not close["info"].strip():
                break
            line = lines[j]
            body.append(line[indent:] if line[:indent].strip() == "" else line.lstrip())
            j += 1
        marker = MARKER.match(prev)
        needs = tuple(n.strip() for n in (marker["needs"] or "").split(",") if n.strip()) if marker else ()
        out.append(Block(i + 1, info[0].lower() if info else "", "\n".join(body) + "\n", bool(marker), needs))
        i = j + 1
    return out


@dataclasses.dataclass
class Result:
    block: Block
    returncode: int   # None: skipped (a command it needs is missing)
    output: str


def run(blocks_to_run, cwd, python=sys.executable, env=None, timeout=600, on_result=None):
    """Runs the blocks in order in `cwd`; returns the results, the last one the failure if any."""
    results, groups = [], []
    try:
        for b in blocks_to_run:
            if b.kind is None:
                raise ValueError(f"README line {b.line}: a runnable block must be bash or python, not {b.lang!r}")
            missing = [n for n in b.needs if shutil.which(n, path=(env or os.environ).get("PATH")) is None]
            if missing:
                r = Result(b, None, f"skipped: needs {', '.join(missing)} on PATH\n")
                results.append(r)
                if on_result:
                    on_result(r)
                continue
            suffix = ".sh" if b.kind == "shell" else ".py"
            with tempfile.NamedTemporaryFile("w", suffix=suffix, prefix=f"readme-{b.line}-", delete=False) as f:
                f.write(b.code)
            argv = ["bash", "-euo", "pipefail", f.name] if b.kind == "shell" else [python, f.name]
            # Output to a file, not a pipe: a background process would hold a pipe open forever.
            with tempfile.TemporaryFile("w+") as log:
                proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
                groups.append(proc.pid)
                try:
                    code = proc.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    code = proc.wait()
                    log.write(f"\n[timed out after {timeout}s]\n")
                log.seek(0)
                output = log.read()
            os.unlink(f.name)
            r = Result(b, code, output)
            results.append(r)
            if on_result:
                on_result(r)
            if code != 0:
                break
    finally:
        stop(groups)
    return results


def stop(groups):
    """Stops what the blocks left running: SIGTERM to each block's process group, then SIGKILL."""
    import time
    for pgid in groups:
        try:
            os.killpg(pgid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.time() + 10
    for pgid in groups:
        while time.time() < deadline:
            try:
                os.killpg(pgid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        else:
            try:
                os.killpg(pgid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def substituted(bs, pairs):
    out = []
    for b in bs:
        code = b.code
        for old, new in pairs:
            code = code.replace(old, new)
        out.append(dataclasses.replace(b, code=code))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("markdown")
    ap.add_argument("--list", action="store_true", help="list the blocks and whether each is runnable")
    ap.add_argument("--run", metavar="DIR", help="run the runnable blocks in DIR")
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--substitute", action="append", default=[], metavar="OLD=NEW",
                    help="replace OLD by NEW in every block before running it (a port, say)")
    a = ap.parse_args(argv)
    bs = blocks(open(a.markdown, encoding="utf-8").read())
    if a.list or not a.run:
        for b in bs:
            print(f"{a.markdown}:{b.line}: {b.lang or '-'}{' runnable' if b.runnable else ''}: {b.first_line[:70]}")
        return 0
    pairs = [tuple(s.split("=", 1)) for s in a.substitute]
    todo = substituted([b for b in bs if b.runnable], pairs)

    def report(r):
        print(f"== {a.markdown}:{r.block.line} ({r.block.lang}) exited {r.returncode}")
        print(r.output, end="" if r.output.endswith("\n") or not r.output else "\n")

    results = run(todo, a.run, python=a.python, on_result=report)
    failed = [r for r in results if r.returncode not in (0, None)]
    if failed:
        print(f"error: the block at {a.markdown}:{failed[0].block.line} failed (exit {failed[0].returncode})", file=sys.stderr)
        return 1
    print(f"{len(results)} runnable blocks ran")
    return 0


if __name__ == "__main__":
    sys.exit(main())
