"""Issue #16: one JSON convention, validate catching what plan refuses, errors for people. These
run the built binary on a lake whose ksqlDB is down (nothing listens on port 1)."""
import json
import os
import re
import socket
import subprocess
import tempfile
import threading
import time

from lake_support import binaries


def _lake():
    d = tempfile.mkdtemp()
    dl = binaries()[0]
    subprocess.run([dl, "init"], cwd=d, check=True, capture_output=True)
    cfg = os.path.join(d, "lake.yaml")
    text = open(cfg).read().replace("http://127.0.0.1:8088", "http://127.0.0.1:1")
    open(cfg, "w").write(text)
    return d, dl


def _run(d, dl, *args):
    return subprocess.run([dl, *args], cwd=d, capture_output=True, text=True)


def test_validate_json_reports_wrong_types_empty_files_and_protected_archives():
    d, dl = _lake()
    ok = _run(d, dl, "validate", "--format", "json")
    assert ok.returncode == 0 and json.loads(ok.stdout) == {"format_version": 1, "valid": True, "diagnostics": []}
    open(os.path.join(d, "feeds.d", "a.yaml"), "w").write(
        "feed_name: a\nfeed_type: stream\nksqldb_source: A\ndescription: 42\nretention_days: \"x\"\ntimestamp_column: [X]\n")
    open(os.path.join(d, "feeds.d", "b.yaml"), "w").write(
        "feed_name: b\nfeed_type: stream\nksqldb_source: B\nprotect: true\narchived: true\n")
    open(os.path.join(d, "feeds.d", "empty.yaml"), "w").write("# nothing here\n")
    bad = _run(d, dl, "validate", "--format", "json")
    assert bad.returncode == 1
    doc = json.loads(bad.stdout)
    assert doc["format_version"] == 1 and doc["valid"] is False
    got = {(os.path.basename(x["file"]), x["line"], x["column"]) for x in doc["diagnostics"]}
    assert got == {("a.yaml", 4, 14), ("a.yaml", 5, 17), ("a.yaml", 6, 19), ("b.yaml", 5, 1), ("empty.yaml", 1, 1)}
    assert all(x["severity"] == "error" for x in doc["diagnostics"])
    messages = " ".join(x["message"] for x in doc["diagnostics"])
    assert "must be a string, found the number 42" in messages and "protected and cannot be archived" in messages


def test_stats_json_is_versioned_and_the_old_flag_still_works():
    d, dl = _lake()
    new = _run(d, dl, "stats", "--format", "json")
    old = _run(d, dl, "stats", "--json")
    assert new.returncode == 0 and json.loads(new.stdout)["format_version"] == 1
    assert old.stdout == new.stdout
    assert "--json" not in _run(d, dl, "stats", "--help").stdout


def test_a_wrong_flag_is_one_line_and_exit_64():
    d, dl = _lake()
    for args in (["plan", "--bogus"], ["plan", "--format", "xml"]):
        r = _run(d, dl, *args)
        assert r.returncode == 64
        assert r.stderr.count("\n") == 1 and r.stderr.startswith("error: ")
        assert r.stderr.endswith("(see 'datalake plan --help')\n"), r.stderr
    assert _run(d, dl, "--version").returncode == 0
    assert "USAGE:" in _run(d, dl, "plan", "--help").stdout


def test_plan_offline_on_an_uninitialised_lake_and_apply_preflight_create_nothing():
    d, dl = _lake()
    subprocess.run(["rm", "-rf", os.path.join(d, "data_lake")], check=True)
    r = _run(d, dl, "plan", "--offline")
    assert r.returncode == 1 and "never initialised: run `datalake init`" in r.stderr and r.stderr.count("\n") == 1
    cfg = os.path.join(d, "lake.yaml")
    base = open(cfg).read()
    for root, why in (("lake.yaml", "is a file, not a directory"), ("nope/deeper/lake", "nope/deeper is not a directory"),
                      ("data_lake", "cannot reach ksqlDB at 127.0.0.1:1: connection refused; nothing was changed")):
        open(cfg, "w").write("root: " + root + "\n" + "\n".join(l for l in base.splitlines() if not l.startswith("root:")) + "\n")
        r = _run(d, dl, "apply", "--auto-approve")
        assert r.returncode == 1 and why in r.stderr, r.stderr
        assert sorted(os.listdir(d)) == ["feeds.d", "lake.yaml"]


def test_plan_out_to_a_missing_directory_names_the_file_not_a_temporary():
    d, dl = _lake()
    r = _run(d, dl, "plan", "--offline", "--out", "/missing/dir/p.json")
    assert r.returncode == 1
    assert r.stderr == "error: cannot save the plan to /missing/dir/p.json: no such directory\n"


def _silent_server(backlog=16, accept=True):
    """A TCP listener that never answers: accepting, it lets a request hang until the read timeout;
    with a full backlog and no accept, a new connection's SYN goes unanswered (connect timeout)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(backlog)
    held = []
    if accept:
        def loop():
            while True:
                try:
                    c, _ = s.accept()
                except OSError:
                    return
                held.append(c)
        threading.Thread(target=loop, daemon=True).start()
    return s, held


def _with_ksqldb(d, url, **settings):
    cfg = os.path.join(d, "lake.yaml")
    text = open(cfg).read().replace("http://127.0.0.1:1", url)
    for key, value in settings.items():
        text, n = re.subn(rf"(?m)^(  {key}:) .*$", rf"\g<1> {value}", text)
        assert n == 1, key
    open(cfg, "w").write(text)


def _assert_words(r, expected):
    assert r.returncode == 1, r.stderr
    assert r.stderr.startswith("error: ") and r.stderr.count("\n") == 1, r.stderr
    assert expected in r.stderr, r.stderr
    for swift in ("NIO", "Error(", "errno", "handshakeFailed", "HTTPClientError", "connectTimeout"):
        assert swift not in r.stderr, r.stderr


def test_unknown_host_is_said_in_words():
    d, dl = _lake()
    _with_ksqldb(d, "http://no-such-host.invalid:8088")
    _assert_words(_run(d, dl, "plan"), "cannot reach ksqlDB at no-such-host.invalid:8088: cannot resolve the host name")


def test_connect_timeout_is_said_in_words():
    d, dl = _lake()
    s, _ = _silent_server(backlog=0, accept=False)
    port = s.getsockname()[1]
    # Fill the accept queue so that the binary's SYN is dropped rather than answered.
    fillers = []
    for _ in range(4):
        c = socket.socket()
        c.setblocking(False)
        try:
            c.connect(("127.0.0.1", port))
        except BlockingIOError:
            pass
        fillers.append(c)
    time.sleep(0.2)
    _with_ksqldb(d, f"http://127.0.0.1:{port}", connect_timeout_seconds=1)
    start = time.monotonic()
    r = _run(d, dl, "plan")
    _assert_words(r, f"cannot reach ksqlDB at 127.0.0.1:{port}: connection timed out")
    assert time.monotonic() - start < 20
    s.close()


def test_a_silent_server_names_the_wait_and_the_settings():
    d, dl = _lake()
    s, held = _silent_server()
    port = s.getsockname()[1]
    _with_ksqldb(d, f"http://127.0.0.1:{port}", timeout_seconds=1, connect_timeout_seconds=1)
    r = _run(d, dl, "plan")
    _assert_words(r, f"ksqlDB at 127.0.0.1:{port} did not answer POST /ksql within 2 s (ksqldb.connect_timeout_seconds + ksqldb.timeout_seconds)")
    s.close()


def test_tls_to_a_plain_server_is_said_in_words():
    d, dl = _lake()
    s, held = _silent_server()
    port = s.getsockname()[1]

    def answer_plain():
        # A plain HTTP answer to the ClientHello: the handshake reads it as a wrong record.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            for c in list(held):
                try:
                    c.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
                    held.remove(c)
                except OSError:
                    pass
            time.sleep(0.05)
    threading.Thread(target=answer_plain, daemon=True).start()
    _with_ksqldb(d, f"https://127.0.0.1:{port}")
    _assert_words(_run(d, dl, "plan"), f"TLS handshake with 127.0.0.1:{port} failed: ")
    s.close()


def test_refused_connection_is_said_in_words():
    d, dl = _lake()
    _assert_words(_run(d, dl, "plan"), "cannot reach ksqlDB at 127.0.0.1:1: connection refused")
