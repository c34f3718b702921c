"""CI in a plan repository: with a baseline, only violations a commit adds make the run fail."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner
from helpers import DATASETS

from plankoll.cli import main


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_only_new_violations_fail_the_run(tmp_path: Path):
    repo = tmp_path / "plans"
    shutil.copytree(DATASETS, repo)
    base = tmp_path / "base.json"
    assert run("check", str(repo), "--format", "json", "-o", str(base)).exit_code == 1

    # the same plans against their own baseline: nothing new, the gate passes
    same = run("check", str(repo), "--baseline", str(base), "--format", "json", "-o", str(tmp_path / "same.json"), "--lang", "en")
    assert same.exit_code == 0
    result = json.loads((tmp_path / "same.json").read_text(encoding="utf-8"))
    assert result["summary"]["new"] == 0 and result["summary"]["violations"] > 0
    assert not any(v["new"] for p in result["plans"] for v in p["violations"])

    # a commit that breaks one total adds exactly one new violation, and the gate fails
    plan = repo / "vasternorrland/regionstyrelsen/vp-2023.plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace('"2 114 870"', '"2 114 780"'), encoding="utf-8")
    text = run("check", str(repo), "--baseline", str(base), "--lang", "en")
    assert text.exit_code == 1
    assert "PK101 (new)" in text.output and "1 new since the baseline" in text.output
    assert text.output.count("(new)") == 1


def test_a_file_that_is_not_a_result_is_a_usage_error(tmp_path: Path):
    bogus = tmp_path / "bogus.json"
    bogus.write_text('{"something": 1}', encoding="utf-8")
    out = run("check", str(DATASETS), "--baseline", str(bogus))
    assert out.exit_code == 2 and "cannot use as a baseline" in out.output
