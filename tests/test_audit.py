"""The audit trail and the verdict an auditor reads first (issue 15)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from click.testing import CliRunner
from helpers import DATASETS

from plankoll.cli import main

VP = DATASETS / "vasternorrland/regionstyrelsen/vp-2023.plan.yaml"


def _json(*args: str, env: dict | None = None) -> tuple[int, dict]:
    result = CliRunner().invoke(main, ["check", *args, "--format", "json", "--no-cache"], env=env)
    return result.exit_code, json.loads(result.stdout)


def test_the_trail_names_time_version_digests_inputs_and_options():
    _code, result = _json(str(VP), "--lang", "en", env={"SOURCE_DATE_EPOCH": "1767225600"})
    run = result["run"]
    assert run["date"] == "2026-01-01T00:00:00+00:00"  # reproducible: SOURCE_DATE_EPOCH wins
    assert run["plankoll"] == result["version"]
    (book,) = run["rulebooks"]
    assert book["rulebook"] == "default" and len(book["sha256"]) == 64
    (source,) = run["inputs"]
    assert source == {"file": str(VP), "size": VP.stat().st_size, "sha256": hashlib.sha256(VP.read_bytes()).hexdigest()}
    assert run["options"]["lang"] == "en" and run["options"]["paths"] == [str(VP)]


def test_the_configuration_is_in_the_trail(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plankoll.toml").write_text('lang = "en"\n', encoding="utf-8")
    _code, result = _json(str(VP))
    assert result["run"]["config"]["sha256"] == hashlib.sha256(b'lang = "en"\n').hexdigest()


def test_the_verdict_passed_failed_and_incomplete(tmp_path: Path):
    code, result = _json(str(VP))
    assert code == 1 and result["verdict"]["status"] == "failed" and result["verdict"]["deciding_violations"] == result["summary"]["error"]
    code, result = _json(str(VP), "--fail-on", "never")
    assert code == 0 and result["verdict"]["status"] == "passed"
    broken = tmp_path / "broken.plan.yaml"
    broken.write_text("plankoll: 1\nplan: [\n", encoding="utf-8")
    code, result = _json(str(broken))
    # a run whose only file was unreadable is not a calm "0 errors"
    assert code == 2 and result["verdict"]["status"] == "incomplete" and result["verdict"]["unreadable_files"] == 1
