"""Ready set-ups: `plankoll init`'s files (the GitHub workflow against GitHub's workflow schema),
the GitLab Code Quality report against the documented format, and the pre-commit hook of this
repository on a real commit."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from helpers import DATASETS, REPO, plan_text

from plankoll.setup_files import GITLAB_SNIPPET, LEFT_ALONE, WRITTEN, init

SCHEMAS = Path(__file__).parent / "fixtures" / "schemas"
SET_UP = ["plankoll.toml", ".github/workflows/plankoll.yml", ".gitlab-ci.yml", ".pre-commit-config.yaml"]


class Yaml12Loader(yaml.SafeLoader):
    """YAML as GitHub reads it: `on:` is a key, not the boolean YAML 1.1 makes of it."""


Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Yaml12Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))


def load(path: Path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=Yaml12Loader)  # noqa: S506 - a SafeLoader


def test_init_writes_every_file_and_then_leaves_them_alone(tmp_path: Path):
    assert [(p.relative_to(tmp_path).as_posix(), s) for p, s in init(tmp_path)] == [(f, WRITTEN) for f in SET_UP]
    (tmp_path / "plankoll.toml").write_text("lang = 'en'\n", encoding="utf-8")
    again = init(tmp_path)
    included = f"{WRITTEN} (include it from .gitlab-ci.yml: include: [{{local: {GITLAB_SNIPPET}}}])"
    assert [s for _, s in again] == [LEFT_ALONE] * 3 + [included, LEFT_ALONE]
    assert [p.relative_to(tmp_path).as_posix() for p, _ in again] == [*SET_UP[:3], GITLAB_SNIPPET, SET_UP[3]]
    assert (tmp_path / "plankoll.toml").read_text(encoding="utf-8") == "lang = 'en'\n"
    assert (tmp_path / GITLAB_SNIPPET).read_text(encoding="utf-8") == (tmp_path / ".gitlab-ci.yml").read_text(encoding="utf-8")
    assert [s for _, s in init(tmp_path)] == [LEFT_ALONE] * 5


def test_the_configuration_loads_with_its_defaults(tmp_path: Path):
    from plankoll.config import Config, load_config

    init(tmp_path)
    config = load_config(tmp_path / "plankoll.toml")
    assert (config.rulebooks, config.disable, config.severity, config.fail_on, config.lang) == (["default"], [], {}, "error", "sv")
    assert config.waivers == Config().waivers


def test_the_workflow_validates_against_githubs_workflow_schema(tmp_path: Path):
    init(tmp_path)
    workflow = load(tmp_path / ".github/workflows/plankoll.yml")
    schema = json.loads((SCHEMAS / "github-workflow.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema).validate(workflow)
    assert list(workflow["on"]) == ["pull_request"] and workflow["permissions"]["security-events"] == "write"
    steps = workflow["jobs"]["plankoll"]["steps"]
    assert steps[0] == {"uses": "actions/checkout@v4", "with": {"fetch-depth": 0}}
    command = " ".join(s.get("run", "") for s in steps)
    assert ("plankoll check plans/ --baseline-ref origin/${{ github.base_ref }} --github --sarif plankoll.sarif "
            '--markdown "$GITHUB_STEP_SUMMARY"') in command
    upload = steps[-1]
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@") and upload["with"]["sarif_file"] == "plankoll.sarif"
    assert upload["if"].startswith("always()")
    # a workflow the schema refuses is refused: the validation is not vacuous
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(schema).validate({**workflow, "permissions": {"security-events": "admin"}})


def test_the_gitlab_job_publishes_code_quality_and_junit(tmp_path: Path):
    init(tmp_path)
    job = load(tmp_path / ".gitlab-ci.yml")["plankoll"]
    assert job["artifacts"]["reports"] == {"codequality": "gl-code-quality.json", "junit": "plankoll-junit.xml"}
    assert job["artifacts"]["when"] == "always"
    (command,) = job["script"]
    assert "--baseline-ref \"origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME\"" in command
    assert "--codequality gl-code-quality.json" in command and "--junit plankoll-junit.xml" in command


def _pre_commit() -> str | None:
    beside = Path(sys.executable).parent / "pre-commit"
    return shutil.which("pre-commit") or (str(beside) if beside.exists() else None)


NO_PRE_COMMIT = "pre-commit is not installed (pip install pre-commit; the test extra has it)"


def test_the_pre_commit_configuration_uses_this_repositorys_hook(tmp_path: Path):
    init(tmp_path)
    (repo,) = load(tmp_path / ".pre-commit-config.yaml")["repos"]
    hooks = {h["id"]: h for h in load(REPO / ".pre-commit-hooks.yaml")}
    assert [h["id"] for h in repo["hooks"]] == ["plankoll"]
    assert hooks["plankoll"]["entry"] == "plankoll check" and hooks["plankoll"]["language"] == "python"
    files = re.compile(hooks["plankoll"]["files"])
    assert [bool(files.search(n)) for n in ("a/vp.plan.yaml", "vp.plan.yml", "vp.docx", "b.pdf", "c.xlsx", "vp.yaml", "x.md")] == \
        [True] * 5 + [False] * 2
    if _pre_commit():  # pre-commit's own validators, where it is installed
        for command, path in (("validate-config", tmp_path / ".pre-commit-config.yaml"), ("validate-manifest", REPO / ".pre-commit-hooks.yaml")):
            done = subprocess.run([_pre_commit(), command, str(path)], capture_output=True, text=True, check=False)
            assert done.returncode == 0, done.stdout + done.stderr


# --------------------------------------------------------------- GitLab Code Quality


def _codequality(paths: list[Path], base: dict | None = None) -> list[dict]:
    from plankoll.reports.codequality import render

    from plankoll.config import Config
    from plankoll.run import check_paths
    from plankoll.states import apply_states

    result = check_paths(paths, Config(), lang="en")
    if base is not None:
        apply_states(result, base)
    return json.loads(render(result))


def test_the_code_quality_report_validates_against_the_documented_format(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(REPO)  # paths in the report are relative to the project, as in CI
    broken = tmp_path / "broken.plan.yaml"
    broken.write_text("plankoll: 1\nplan: [\n", encoding="utf-8")
    issues = _codequality([DATASETS.relative_to(REPO), broken])
    schema = json.loads((SCHEMAS / "gitlab-codequality.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema).validate([i for i in issues if i["check_name"] != "plankoll-unreadable"])
    assert len({i["fingerprint"] for i in issues}) == len(issues)  # GitLab shows one issue per fingerprint
    assert {i["severity"] for i in issues} == {"major", "minor", "info", "critical"}
    word = [i for i in issues if i["location"]["path"].endswith(".docx")]
    assert word and all(i["location"]["lines"]["begin"] == 1 and "table" in i["description"] for i in word)


def test_fingerprints_are_stable_while_a_commit_edits_the_version(tmp_path: Path):
    def plan(version: str, extra_lines: int) -> str:
        body = "tables:\n  - id: ram\n    title: Ram\n    columns: [R]\n    rows:\n" + "\n" * extra_lines
        body += '      - {id: a, label: A, values: ["10"]}\n      - {id: b, label: B, values: ["20"]}\n'
        body += '      - {id: summa, label: Summa, values: ["40"], sum_of: [a, b]}\n'
        return plan_text(body).replace('label: "1"', f'label: "{version}"')

    path = tmp_path / "p.plan.yaml"
    path.write_text(plan("1", 0), encoding="utf-8")
    first = _codequality([path])
    path.write_text(plan("2", 5), encoding="utf-8")
    second = _codequality([path])
    assert [i["fingerprint"] for i in first] == [i["fingerprint"] for i in second]
    assert first[0]["location"]["lines"]["begin"] != second[0]["location"]["lines"]["begin"]


def test_known_violations_are_information_only(tmp_path: Path):
    from plankoll.config import Config
    from plankoll.run import check_paths

    base = check_paths([DATASETS], Config(), lang="en")
    issues = _codequality([DATASETS], base)
    assert issues and {i["severity"] for i in issues if i["check_name"] != "plankoll-unreadable"} == {"info"}
    assert all(i["description"].startswith("(known) ") for i in issues)


# --------------------------------------------------------------- the pre-commit hook


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@x", "-c", "init.defaultBranch=main", *args],
                          cwd=cwd, capture_output=True, text=True, check=False)


def _hook_repository(tmp_path: Path) -> tuple[Path, str]:
    """This repository's working tree as it stands (committed or not) as a throwaway git repository:
    what pre-commit clones and installs the hook from."""
    hooks = tmp_path / "plankoll-hooks"
    listed = subprocess.run(["git", "ls-files", "-z", "-co", "--exclude-standard", "--", "plankoll", "checks", "reports", "rules",
                             "pyproject.toml", "README.md", ".pre-commit-hooks.yaml"], cwd=REPO, capture_output=True, check=True)
    for rel in filter(None, listed.stdout.decode().split("\0")):
        if (REPO / rel).is_file():
            (hooks / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / rel, hooks / rel)
    _git(hooks, "init", "-q")
    _git(hooks, "add", "-A")
    assert _git(hooks, "commit", "-q", "-m", "hooks").returncode == 0
    return hooks, _git(hooks, "rev-parse", "HEAD").stdout.strip()


@pytest.mark.skipif(_pre_commit() is None, reason=NO_PRE_COMMIT)
@pytest.mark.skipif(shutil.which("git") is None, reason="needs the git program")
def test_the_hook_refuses_a_commit_that_adds_a_violation(tmp_path: Path, monkeypatch):
    """pre-commit clones this repository's hook, installs plankoll into its own environment (from
    PyPI: the test needs the network) and runs it on real commits."""
    pre_commit = _pre_commit()
    hooks, rev = _hook_repository(tmp_path)
    monkeypatch.setenv("PRE_COMMIT_HOME", str(tmp_path / "pre-commit-home"))  # never the user's environments
    plans = tmp_path / "plans"
    plans.mkdir()
    _git(plans, "init", "-q")
    (plans / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hooks}\n    rev: {rev}\n    hooks:\n      - id: plankoll\n", encoding="utf-8")
    installed = subprocess.run([pre_commit, "install"], cwd=plans, capture_output=True, text=True, check=False)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    table = 'tables:\n  - id: ram\n    title: Ram\n    columns: [R]\n    rows:\n      - {{id: a, label: A, values: ["10"]}}\n' \
            '      - {{id: b, label: B, values: ["20"]}}\n      - {{id: summa, label: Summa, values: ["{total}"], sum_of: [a, b]}}\n'
    (plans / "vp.plan.yaml").write_text(plan_text(table.format(total=40)), encoding="utf-8")
    _git(plans, "add", "-A")
    refused = _git(plans, "commit", "-m", "a broken total")
    assert refused.returncode != 0 and "PK101" in refused.stdout + refused.stderr, refused.stdout + refused.stderr
    (plans / "vp.plan.yaml").write_text(plan_text(table.format(total=30)), encoding="utf-8")
    _git(plans, "add", "-A")
    accepted = _git(plans, "commit", "-m", "the total mended")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    (plans / "notes.txt").write_text("not a plan\n", encoding="utf-8")
    _git(plans, "add", "-A")
    skipped = _git(plans, "commit", "-m", "notes")
    assert skipped.returncode == 0 and "(no files to check)" in skipped.stdout + skipped.stderr
