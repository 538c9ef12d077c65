"""examples/github-actions.yml and examples/gitlab-ci.yml do what README.md ("In CI and cron") says:
their shell steps (`run:` on GitHub, `script:` on GitLab) run in order with bash, the way each CI
runs them, against the demo emulator, with `datalake` on PATH the binary under test. The steps that
are actions (checkout, artifacts, the comment, the GitHub API lookups) are faked: a checkout is a
copy of the config into a new workspace, an artifact upload/download a copy of the file, the comment
a check that plan.md is markdown. The lake is outside the workspaces (an absolute `root:`), the way
a self-hosted runner sees it, so the push run's checkout applies to the lake the PR run planned."""
import json
import os
import shutil
import subprocess
import tempfile

import pytest
import yaml

from lake_support import Emulator, binaries

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
GITHUB = os.path.join(ROOT, "examples", "github-actions.yml")
GITLAB = os.path.join(ROOT, "examples", "gitlab-ci.yml")
SYSTEM_PATH = "/usr/bin:/bin"


@pytest.fixture(scope="module")
def emulator():
    emu = Emulator("--demo", "--rows", "200", "--days", "2")
    yield emu
    emu.stop()


class Repo:
    """The repository's config (pointed at the emulator and at a lake outside the workspaces), the
    artifact store, and a PATH whose `datalake` is the binary under test unless told otherwise."""

    def __init__(self, emulator):
        self.base = tempfile.mkdtemp(prefix="datalake-ci-")
        self.config = os.path.join(self.base, "repo")
        self.lake = os.path.join(self.base, "lake")
        self.artifacts = os.path.join(self.base, "artifacts")
        os.makedirs(self.artifacts)
        os.makedirs(self.config)
        shutil.copytree(os.path.join(ROOT, "feeds.d"), os.path.join(self.config, "feeds.d"))
        text = open(os.path.join(ROOT, "lake.yaml")).read()
        assert "root: data_lake" in text and "http://127.0.0.1:8088" in text
        text = text.replace("root: data_lake", f"root: {self.lake}").replace("http://127.0.0.1:8088", emulator.url)
        open(os.path.join(self.config, "lake.yaml"), "w").write(text)
        self.bin = os.path.join(self.base, "bin")
        os.makedirs(self.bin)
        os.symlink(os.path.abspath(binaries()[0]), os.path.join(self.bin, "datalake"))
        self.path = f"{self.bin}:{SYSTEM_PATH}"
        self.runs = 0

    def checkout(self):
        self.runs += 1
        ws = os.path.join(self.base, f"workspace{self.runs}")
        shutil.copytree(self.config, ws)
        return ws

    def datalake(self, ws, *args):
        return subprocess.run(["datalake", *args], cwd=ws, env=self.env(), capture_output=True, text=True, timeout=300)

    def env(self, extra=None):
        env = {"PATH": self.path, "HOME": self.base, "LANG": "C.UTF-8"}
        env.update(extra or {})
        return env


class Failed(Exception):
    def __init__(self, step, code, output):
        super().__init__(f"step {step!r} exited {code}:\n{output}")
        self.step, self.code, self.output = step, code, output


def bash(repo, ws, script, name, flags=("-e",), env=None):
    """One shell step the way the runner runs it: GitHub `bash -e {0}`, GitLab `set -eo pipefail`."""
    p = subprocess.run(["bash", *flags, "-c", script], cwd=ws, env=repo.env(env), capture_output=True, text=True,
                       timeout=300)
    if p.returncode != 0:
        raise Failed(name, p.returncode, p.stdout + p.stderr)
    return p.stdout + p.stderr


def is_plan_markdown(path):
    text = open(path).read()
    return text.strip() != "" and text.lstrip().startswith("#")


# GitHub Actions

def github_jobs(event):
    jobs = yaml.safe_load(open(GITHUB))["jobs"]
    return [job for job in jobs.values() if f"github.event_name == '{event}'" in job.get("if", "")]


def github_step_env(step):
    # `${{ secrets.X }}` is empty for the emulator, which needs no credentials.
    return {k: "" if "${{" in str(v) else str(v) for k, v in (step.get("env") or {}).items()}


def run_github(repo, event):
    """Runs the event's jobs; returns the workspace and the names of the steps that ran."""
    jobs = github_jobs(event)
    assert len(jobs) == 1, f"one job runs on {event}"
    ws, ran = None, []
    for step in jobs[0]["steps"]:
        name = step.get("name") or step.get("uses")
        uses = step.get("uses", "")
        if uses.startswith("actions/checkout@"):
            ws = repo.checkout()
        elif uses.startswith("actions/upload-artifact@"):
            shutil.copy(os.path.join(ws, step["with"]["path"]), repo.artifacts)
        elif uses.startswith("dawidd6/action-download-artifact@"):
            assert step["with"]["workflow_conclusion"] == "success" and "pr" in step["with"]
            shutil.copy(os.path.join(repo.artifacts, "plan.json"), ws)
        elif uses.startswith("marocchino/sticky-pull-request-comment@"):
            assert is_plan_markdown(os.path.join(ws, step["with"]["path"])), "the comment would be empty"
        elif uses.startswith("actions/github-script@"):
            pass  # the merged PR's number, for the download step
        elif uses:
            raise AssertionError(f"no fake for the action {uses}")
        else:
            bash(repo, ws, step["run"], name, env=github_step_env(step))
        ran.append(name)
    return ws, ran


def github_plan_step():
    return next(s for s in github_jobs("pull_request")[0]["steps"] if "datalake plan" in s.get("run", ""))


# GitLab CI

def gitlab_jobs(pipeline):
    """The jobs of a merge request pipeline ("merge_request_event") or a default-branch one, in stage order."""
    doc = yaml.safe_load(open(GITLAB))
    stages = doc["stages"]
    jobs = []
    for name, job in doc.items():
        if not isinstance(job, dict) or "script" not in job:
            continue
        rules = job.get("rules") or doc.get(job.get("extends", ""), {}).get("rules", [])
        conditions = " ".join(r.get("if", "") for r in rules)
        if (pipeline == "merge_request") == ("merge_request_event" in conditions):
            jobs.append((stages.index(job["stage"]), name, job))
    return [(name, job) for _, name, job in sorted(jobs, key=lambda j: j[0])]


def run_gitlab(repo, pipeline, env=None):
    jobs = gitlab_jobs(pipeline)
    ws, ran = None, []
    for name, job in jobs:
        ws = repo.checkout()  # every GitLab job starts from a fresh clone
        if "before_script" in job:
            # The download of the MR pipeline's plan.json through the jobs artifacts API.
            assert "artifacts/plan.json" in "\n".join(job["before_script"])
            shutil.copy(os.path.join(repo.artifacts, "plan.json"), ws)
        for i, line in enumerate(job["script"]):
            bash(repo, ws, line, f"{name}[{i}]", flags=("-e", "-o", "pipefail"), env=env)
        for path in (job.get("artifacts") or {}).get("paths", []):
            shutil.copy(os.path.join(ws, path), repo.artifacts)
        ran.append(name)
    return ws, ran


def gitlab_plan_script():
    return next(line for name, job in gitlab_jobs("merge_request") for line in job["script"] if "datalake plan" in line)


# The flows

RUNNERS = {"github": (run_github, "pull_request", "push"), "gitlab": (run_gitlab, "merge_request", "default_branch")}


def assert_pr_outputs(repo, ws):
    assert is_plan_markdown(os.path.join(ws, "plan.md"))
    plan = json.load(open(os.path.join(repo.artifacts, "plan.json")))
    assert plan["actions"], "the demo's first plan has changes"
    return plan


def assert_applied(repo, ws, plan):
    """The lake holds what the saved plan says, at the plan's own time (a plan computed at apply time
    would have a later window and stamp), and nothing of it is left to do."""
    exports = [a for a in plan["actions"] if a["action"] == "export"]
    snapshots = [a for a in plan["actions"] if a["action"] == "snapshot"]
    assert exports and snapshots
    for a in exports:
        meta = json.load(open(os.path.join(repo.lake, "streams", a["feed"], "_metadata.json")))
        assert meta["watermark"] == a["window"]["to"], a["feed"]
        files = [f for _, _, fs in os.walk(os.path.join(repo.lake, "streams", a["feed"])) for f in fs]
        assert f"data_{a['window']['stamp']}.parquet" in files, a["feed"]
    for a in snapshots:
        meta = json.load(open(os.path.join(repo.lake, "tables", a["feed"], "_metadata.json")))
        assert a["window"]["stamp"] in meta["latest_path"], a["feed"]
    again = repo.datalake(ws, "plan", "--detailed-exitcode", "--format", "json")
    assert again.returncode in (0, 2), again.stderr
    left = [(a["action"], a["feed"]) for a in json.loads(again.stdout)["actions"] if a["action"] not in ROUTINE]
    assert not left, f"the saved plan left work undone: {left}"


ROUTINE = {"export", "snapshot"}  # every plan reads a stream's next window and re-hashes each table


@pytest.mark.parametrize("ci", ["github", "gitlab"])
def test_pr_plans_and_merge_applies_that_plan(emulator, ci):
    run, pr, merge = RUNNERS[ci]
    repo = Repo(emulator)
    ws, ran = run(repo, pr)
    plan = assert_pr_outputs(repo, ws)
    assert not os.path.exists(repo.lake) or not os.listdir(repo.lake), "a PR run must not touch the lake"
    ws, ran = run(repo, merge)
    assert_applied(repo, ws, plan)


@pytest.mark.parametrize("ci", ["github", "gitlab"])
@pytest.mark.parametrize("broken,code", [("exit 64", 64), (None, 127)])
def test_a_broken_plan_fails_the_step(emulator, ci, broken, code):
    repo = Repo(emulator)
    os.remove(os.path.join(repo.bin, "datalake"))
    if broken:  # a datalake that rejects its flags, as an upgrade that renamed one would
        with open(os.path.join(repo.bin, "datalake"), "w") as f:
            f.write(f"#!/bin/sh\n{broken}\n")
        os.chmod(os.path.join(repo.bin, "datalake"), 0o755)
    else:
        assert shutil.which("datalake", path=repo.path) is None
    ws = repo.checkout()
    with pytest.raises(Failed) as failed:
        if ci == "github":
            step = github_plan_step()
            bash(repo, ws, step["run"], "plan", env=github_step_env(step))
        else:
            bash(repo, ws, gitlab_plan_script(), "plan", flags=("-e", "-o", "pipefail"))
    assert failed.value.code == code
    # And the whole run stops there: no comment, no artifact.
    run, pr, _ = RUNNERS[ci]
    with pytest.raises(Failed):
        run(repo, pr)
    assert os.listdir(repo.artifacts) == []


def lake_files(repo):
    """The lake's files and their bytes; `.locks/` holds the flock(2) files apply takes first."""
    out = {}
    for d, _, fs in os.walk(repo.lake):
        for f in fs:
            if os.path.basename(d) != ".locks":
                out[os.path.join(d, f)] = open(os.path.join(d, f), "rb").read()
    return out


def change_a_feed(repo):
    path = os.path.join(repo.config, "feeds.d", "transaction_stream.yaml")
    text = open(path).read()
    assert "retention_days: 365" in text
    open(path, "w").write(text.replace("retention_days: 365", "retention_days: 400"))


def apply_in_between(repo):
    ws = repo.checkout()
    r = repo.datalake(ws, "apply", "--auto-approve")
    assert r.returncode == 0, r.stderr


@pytest.mark.parametrize("ci", ["github", "gitlab"])
@pytest.mark.parametrize("between,what", [(change_a_feed, "the configuration"),
                                          (apply_in_between, "the lake's registry or data")])
def test_a_stale_plan_fails_the_apply(emulator, ci, between, what):
    run, pr, merge = RUNNERS[ci]
    repo = Repo(emulator)
    run(repo, pr)
    between(repo)
    before = lake_files(repo)
    with pytest.raises(Failed) as failed:
        run(repo, merge)
    assert failed.value.code == 1
    assert f"stale plan: {what} changed since it was made" in failed.value.output
    assert lake_files(repo) == before, "a refused plan writes nothing"


def test_github_declares_the_comment_permissions():
    job = github_jobs("pull_request")[0]
    assert job["permissions"]["pull-requests"] == "write"
    assert job["permissions"]["contents"] == "read"
    doc = yaml.safe_load(open(GITHUB))
    assert github_jobs("push")[0]["concurrency"]
    assert doc.get("permissions") is None or "write" not in str(doc["permissions"])


def test_gitlab_keeps_one_apply_at_a_time():
    apply = dict(gitlab_jobs("default_branch"))["apply"]
    assert apply["resource_group"]
    plan = dict(gitlab_jobs("merge_request"))["plan"]
    assert set(plan["artifacts"]["paths"]) == {"plan.json", "plan.md"}
