"""The CI gate as a pull request meets it: `plankoll check --baseline-ref origin/main` in a clone with
a remote, with real git; and the command-line habits of linters (issue 14)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import DATASETS

from plankoll.cli import main
from plankoll.formats import FILE_FORMATS, FORMATS, STDOUT_FORMATS

VP = DATASETS / "vasternorrland/regionstyrelsen/vp-2023.plan.yaml"
REPORT = DATASETS / "norrbotten/lanssjukvard1/delarsrapport-2022-04-v0.29.plan.yaml"
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.invalid", "GIT_CONFIG_NOSYSTEM": "1", "HOME": "/nonexistent"}


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True, env={**os.environ, **GIT_ENV}).stdout


@pytest.fixture
def clone(tmp_path: Path, monkeypatch) -> Path:
    """A clone of a remote whose main holds two plans; the working directory is the clone."""
    origin, work = tmp_path / "origin.git", tmp_path / "work"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(origin))
    git(tmp_path, "clone", "-q", str(origin), str(work))
    (work / "plans").mkdir()
    shutil.copy(VP, work / "plans" / "vp.plan.yaml")
    shutil.copy(REPORT, work / "plans" / "report.plan.yaml")
    git(work, "checkout", "-q", "-b", "main")
    git(work, "add", ".")
    git(work, "commit", "-q", "-m", "plans")
    git(work, "push", "-q", "origin", "main")
    git(work, "checkout", "-q", "-b", "pr")
    monkeypatch.chdir(work)
    return work


def gate(*extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", "plans", "--baseline-ref", "origin/main", "--no-cache", "--lang", "en", "--github", *extra])
    return result.exit_code, result.stdout


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_pull_request_that_adds_a_violation_fails(clone: Path):
    edit(clone / "plans/vp.plan.yaml", '"2 114 870"', '"2 114 780"')
    code, out = gate()
    errors = [line for line in out.splitlines() if line.startswith("::error ")]
    assert code == 1 and len(errors) == 1 and "PK101" in errors[0]


def test_a_pull_request_that_worsens_a_known_violation_fails(clone: Path):
    # the report's Totalt 400 for Kvinnor 270 + Män 200 is a known PK101; 380 makes it worse
    edit(clone / "plans/report.plan.yaml", 'values: ["400", "315", "339"]', 'values: ["380", "315", "339"]')
    code, _out = gate()
    assert code == 1
    code, _out = gate("--no-fail-on-changed")
    assert code == 0


def test_a_pull_request_that_touches_only_clean_plans_passes_without_errors(clone: Path):
    edit(clone / "plans/vp.plan.yaml", "title: Verksamhetsplan 2023 (2024–2025)", "title: Verksamhetsplan 2023 (2024-2025)")
    code, out = gate()
    assert code == 0 and not [line for line in out.splitlines() if line.startswith(("::error ", "::warning "))]


def test_the_first_pull_request_into_an_empty_base_stands_on_its_own_merits(tmp_path: Path, monkeypatch):
    origin, work = tmp_path / "origin.git", tmp_path / "work"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(origin))
    git(tmp_path, "clone", "-q", str(origin), str(work))
    git(work, "checkout", "-q", "-b", "main")
    (work / "README").write_text("plans go here\n", encoding="utf-8")
    git(work, "add", ".")
    git(work, "commit", "-q", "-m", "start")
    git(work, "push", "-q", "origin", "main")
    git(work, "checkout", "-q", "-b", "pr")
    (work / "plans").mkdir()
    shutil.copy(VP, work / "plans" / "vp.plan.yaml")
    monkeypatch.chdir(work)
    code, out = gate()
    assert code == 1 and sum(line.startswith("::error ") for line in out.splitlines()) > 0  # every violation is new


def test_a_ref_that_is_not_there_says_to_fetch_it(clone: Path):
    result = CliRunner().invoke(main, ["check", "plans", "--baseline-ref", "origin/nope", "--no-cache"])
    assert result.exit_code == 2 and "fetch" in result.output


def test_only_one_format_writes_to_stdout():
    result = CliRunner().invoke(main, ["check", str(VP), "--format", "json", "--github", "--no-cache"])
    assert result.exit_code == 2 and "--output" in result.output
    assert CliRunner().invoke(main, ["check", str(VP), "--github", "--no-cache"]).exit_code == 1  # text and annotations share it


def test_the_registry_drives_the_command_line():
    help_text = CliRunner().invoke(main, ["check", "--help"]).output
    assert all(f.file_option in help_text for f in FILE_FORMATS)
    assert set(STDOUT_FORMATS) == {f.name for f in FORMATS if f.stdout == "format"}
    assert "--codequality" in help_text


def test_every_file_format_is_written(tmp_path: Path):
    args = ["check", str(VP), "--no-cache"]
    for fmt in FILE_FORMATS:
        args += [fmt.file_option, str(tmp_path / f"out.{fmt.name}")]
    assert CliRunner().invoke(main, args).exit_code == 1
    assert all((tmp_path / f"out.{fmt.name}").stat().st_size > 0 for fmt in FILE_FORMATS)
    assert json.loads((tmp_path / "out.codequality").read_text(encoding="utf-8"))


def test_select_ignore_quiet_and_statistics(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(VP.parent)
    result = CliRunner().invoke(main, ["check", "--select", "PK3,PK501", "--ignore", "PK305", "--quiet", "--statistics", "--no-cache",
                                       "--lang", "en", "--format", "text"])
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("2 plan versions")  # no path: the current directory (a YAML plan and its Word rendering)
    rules = {line.split()[1] for line in lines[1:]}
    assert rules and rules <= {"PK301", "PK302", "PK303", "PK304", "PK306", "PK307", "PK501"} and "PK305" not in rules
