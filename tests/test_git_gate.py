"""The CI gate straight from git: a pull request's plan versions against its target branch, read
from git objects (`plankoll.gitbase.check_base`) and compared in four states (`plankoll.states`).

Every test works on a real repository: a bare remote, a clone that pushes main, and a clone
that makes a pull request's branch, with the real `git` program.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from helpers import DATASETS, RAM_TABLE, plan_text

from plankoll.config import Config
from plankoll.gitbase import GitError, base_files, check_base
from plankoll.run import check_paths
from plankoll.states import apply_states

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs the git program")


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@x", "-c", "init.defaultBranch=main", *args],
                          cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout


def plan(plan_id: str, a: int = 10, total: int = 30, title: str = "Testplan") -> str:
    text = plan_text(RAM_TABLE.format(a=a, total=total))
    return text.replace("id: test-plan", f"id: {plan_id}").replace("title: Testplan", f"title: {title}")


def commit(repo: Path, files: dict[str, str], message: str) -> None:
    for rel, text in files.items():
        target = repo / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message)


@pytest.fixture
def remote(tmp_path: Path):
    """A bare remote whose main holds `plans/` with one clean plan and one with a known error
    (Summa 35 for 10 + 20); returns a function making a pull request's clone with more files."""
    bare = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(bare))
    upstream = tmp_path / "upstream"
    git(tmp_path, "clone", "-q", str(bare), str(upstream))
    commit(upstream, {"plans/clean.plan.yaml": plan("clean"), "plans/known.plan.yaml": plan("known", total=35)}, "main")
    git(upstream, "push", "-q", "origin", "HEAD:main")

    def pull_request(files: dict[str, str], name: str = "pr") -> Path:
        clone = tmp_path / name
        git(tmp_path, "clone", "-q", str(bare), str(clone))
        git(clone, "checkout", "-q", "-b", "feature")
        commit(clone, files, "a pull request")
        return clone

    return pull_request


def gate(clone: Path, ref: str = "origin/main", fail_on_changed: bool = True, paths: list[Path] | None = None) -> dict:
    """What `plankoll check plans/ --baseline-ref REF` decides, without the command line."""
    paths = paths or [clone / "plans"]
    config = Config()
    result = check_paths(paths, config, lang="en")
    base = check_base(ref, paths, config, "en", repo_root=clone)
    return apply_states(result, base, "error", fail_on_changed)


def states(result: dict) -> list[tuple[str, str, str]]:
    return sorted((p["plan"], v["rule"], v["state"]) for p in result["plans"] for v in p["violations"])


def test_a_pull_request_that_adds_a_violation_fails(remote):
    result = gate(remote({"plans/clean.plan.yaml": plan("clean", total=40)}))
    assert result["summary"]["failed"] is True
    assert (result["summary"]["new"], result["summary"]["changed"], result["summary"]["known"]) == (1, 0, 1)
    assert states(result) == [("clean", "PK101", "new"), ("known", "PK101", "known")]


def test_a_pull_request_that_worsens_a_known_violation_fails_as_changed(remote):
    clone = remote({"plans/known.plan.yaml": plan("known", total=535)})
    result = gate(clone)
    assert result["summary"]["failed"] is True and result["summary"]["changed"] == 1 and result["summary"]["new"] == 0
    (v,) = result["plans"][1]["violations"]
    assert v["state"] == "changed" and (v["expected"], v["actual"]) == ("30", "535")
    assert v["base"] == {"expected": "30", "actual": "35"}
    # --no-fail-on-changed lets it pass
    assert gate(clone, fail_on_changed=False)["summary"]["failed"] is False


def test_a_pull_request_that_only_touches_clean_plans_passes(remote):
    result = gate(remote({"plans/clean.plan.yaml": plan("clean", title="Testplan, reviderad"),
                          "plans/more/other.plan.yaml": plan("other", a=11, total=31)}))
    summary = result["summary"]
    assert summary["failed"] is False
    assert (summary["new"], summary["changed"], summary["known"], summary["resolved"]) == (0, 0, 1, 0)
    assert not [v for p in result["plans"] for v in p["violations"] if v["state"] != "known"]


def test_a_resolved_violation_is_listed_under_its_plan(remote):
    result = gate(remote({"plans/known.plan.yaml": plan("known")}))
    assert result["summary"]["failed"] is False and result["summary"]["resolved"] == 1
    known = next(p for p in result["plans"] if p["plan"] == "known")
    assert [(v["rule"], v["state"], v["actual"]) for v in known["resolved"]] == [("PK101", "resolved", "35")]
    assert result["resolved_plans"] == []


def test_a_removed_plan_resolves_its_violations_under_resolved_plans(remote):
    clone = remote({})
    (clone / "plans/known.plan.yaml").unlink()
    git(clone, "commit", "-q", "-am", "remove")
    result = gate(clone)
    assert result["summary"]["resolved"] == 1
    assert [(p["plan"], len(p["resolved"])) for p in result["resolved_plans"]] == [("known", 1)]
    assert result["resolved_plans"][0]["file"] == str(clone / "plans/known.plan.yaml")


@pytest.mark.parametrize(("total", "fails"), [(30, False), (40, True)])
def test_the_first_pull_request_into_an_empty_base_stands_on_its_own_merits(tmp_path: Path, total: int, fails: bool):
    bare = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(bare))
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(bare), str(clone))
    commit(clone, {"README.md": "plans to come\n"}, "empty main")
    git(clone, "push", "-q", "origin", "HEAD:main")
    git(clone, "fetch", "-q")
    git(clone, "checkout", "-q", "-b", "feature")
    commit(clone, {"plans/first.plan.yaml": plan("first", total=total)}, "first plan")
    assert base_files("origin/main", [clone / "plans"], clone) == {}
    result = gate(clone)
    assert result["summary"]["failed"] is fails
    assert result["summary"]["new"] == int(fails) and result["summary"]["known"] == 0


def test_a_missing_ref_says_to_fetch_it(remote):
    clone = remote({})
    with pytest.raises(GitError, match=r"origin/nope is not a commit.*git fetch origin main.*fetch-depth: 0"):
        gate(clone, ref="origin/nope")
    with pytest.raises(GitError, match="not a revision"):
        gate(clone, ref="--output=x")


def test_a_shallow_clone_without_the_base_says_to_fetch_it(remote, tmp_path: Path):
    pushed = remote({"plans/clean.plan.yaml": plan("clean", total=40)})
    git(pushed, "push", "-q", "origin", "feature")
    shallow = tmp_path / "shallow"
    # what actions/checkout does by default: one commit of the pull request's branch, nothing else
    git(tmp_path, "clone", "-q", "--depth", "1", "--single-branch", "-b", "feature", f"file://{tmp_path / 'remote.git'}", str(shallow))
    with pytest.raises(GitError, match=r"origin/main is not in this repository, which is a shallow clone.*fetch-depth: 0"):
        gate(shallow)
    git(shallow, "fetch", "-q", "origin", "main:refs/remotes/origin/main")
    assert gate(shallow)["summary"]["new"] == 1  # fetched, the base is there (its history need not be)


def test_the_base_is_read_from_git_objects_and_leaves_nothing_behind(remote):
    clone = remote({"plans/clean.plan.yaml": plan("clean", total=40)})
    (clone / "plans/untracked.plan.yaml").write_text(plan("untracked", total=99), encoding="utf-8")
    status, worktrees = git(clone, "status", "--porcelain"), git(clone, "worktree", "list")
    before = set(Path(tempfile.gettempdir()).glob("plankoll-base-*"))
    base = check_base("origin/main", [clone / "plans"], Config(), "en", repo_root=clone)
    assert [(p["plan"], p["file"]) for p in base["plans"]] == [("clean", str(clone / "plans/clean.plan.yaml")),
                                                             ("known", str(clone / "plans/known.plan.yaml"))]
    assert base["summary"]["violations"] == 1  # main's clean plan, not the worktree's edit nor the untracked file
    assert base["baseline_ref"]["ref"] == "origin/main" and len(base["baseline_ref"]["commit"]) == 40
    assert (git(clone, "status", "--porcelain"), git(clone, "worktree", "list")) == (status, worktrees)
    assert set(Path(tempfile.gettempdir()).glob("plankoll-base-*")) == before


def test_files_are_named_as_the_paths_were_given(remote, monkeypatch):
    clone = remote({})
    monkeypatch.chdir(clone)
    base = check_base("origin/main", [Path("plans")], Config(), "en")
    assert [p["file"] for p in base["plans"]] == ["plans/clean.plan.yaml", "plans/known.plan.yaml"]
    assert base["plans"][1]["violations"][0]["location"]["file"] == "plans/known.plan.yaml"
    named = check_base("origin/main", [Path("plans/known.plan.yaml"), Path("missing")], Config(), "en")
    assert [p["file"] for p in named["plans"]] == ["plans/known.plan.yaml"]
    whole = check_base("origin/main", [Path(".")], Config(), "en")
    assert [p["file"] for p in whole["plans"]] == ["./plans/clean.plan.yaml", "./plans/known.plan.yaml"]
    with pytest.raises(GitError, match="outside the git repository"):
        check_base("origin/main", [clone.parent], Config(), "en", repo_root=clone)
    with pytest.raises(GitError, match="not inside a git repository"):
        check_base("origin/main", [clone.parent], Config(), "en")


def test_a_document_at_the_base_is_read_with_its_sidecar(remote):
    docx = DATASETS / "vasternorrland/regionstyrelsen/word/vp-2023.docx"
    clone = remote({"plans/vp.docx.meta.yaml": 'plan:\n  version: {label: "Sidecar 7", status: utkast}\n'})
    shutil.copy(docx, clone / "plans/vp.docx")
    git(clone, "add", "-A")
    git(clone, "commit", "-q", "-m", "a Word document")
    git(clone, "push", "-q", "origin", "HEAD:main")
    git(clone, "fetch", "-q")
    base = check_base("origin/main", [clone / "plans"], Config(), "en", repo_root=clone)
    now = check_paths([clone / "plans"], Config(), lang="en")
    document = next(p for p in base["plans"] if p["file"].endswith("vp.docx"))
    assert document["version"] == "Sidecar 7" and document["counts"]["violations"] > 0
    assert json.dumps(base["plans"]) == json.dumps(now["plans"])
    assert apply_states(now, base)["summary"]["failed"] is False


def test_a_baseline_file_uses_the_same_states(remote, tmp_path: Path):
    clone = remote({"plans/known.plan.yaml": plan("known", total=535), "plans/clean.plan.yaml": plan("clean", total=40)})
    base = json.loads(json.dumps(check_base("origin/main", [clone / "plans"], Config(), "en", repo_root=clone)))
    del base["baseline_ref"]  # as a JSON file of an earlier run (--baseline FILE) has it
    result = apply_states(check_paths([clone / "plans"], Config(), lang="en"), base)
    assert (result["summary"]["new"], result["summary"]["changed"]) == (1, 1) and "baseline" not in result["summary"]
    with pytest.raises(ValueError, match="not a plankoll JSON result"):
        apply_states(check_paths([clone / "plans"], Config(), lang="en"), {"something": 1})


def test_waivers_and_duplicate_keys(write_plan):
    """A waiver removed makes a violation new; a waiver added resolves it without failing; several
    versions of one plan with one key are one key."""
    from plankoll.states import compare

    def entry(version: str, *violations: dict) -> dict:
        return {"plan": "p", "version": version, "file": f"{version}.plan.yaml", "violations": list(violations)}

    def v(actual: str, waived: str | None = None) -> dict:
        return {"rule": "PK101", "element": "e", "expected": "30", "actual": actual, "waived": waived, "severity": "error"}

    base = [entry("1", v("35", "reason")), entry("2", v("35"))]
    pairs = compare([entry("3", v("35"))], base)
    assert [x[1]["actual"] for x in pairs["known"]] == ["35"] and pairs["resolved"] == []
    assert [len(pairs[s]) for s in ("new", "changed", "known", "resolved")] == [0, 0, 1, 0]
    pairs = compare([entry("3", v("35", "now waived"))], [entry("2", v("35"))])
    assert len(pairs["known"]) == 1 and len(pairs["resolved"]) == 1  # waived now: resolved, and never failing
    pairs = compare([entry("3", v("35"))], [entry("2", v("35", "was waived"))])
    assert len(pairs["new"]) == 1
