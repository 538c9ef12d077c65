"""Issue #16: one JSON convention, validate catching what plan refuses, errors for people. These
run the built binary on a lake whose ksqlDB is down (nothing listens on port 1)."""
import json
import os
import subprocess
import tempfile

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
