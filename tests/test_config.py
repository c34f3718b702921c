"""A plan repository disables rules, changes severities and waives elements."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from helpers import DATASETS

from plankoll.cli import main

RVN = DATASETS / "vasternorrland/regionstyrelsen/vp-2023.plan.yaml"


def check_json(tmp_path: Path, config: str, plan: Path = RVN) -> tuple[int, dict]:
    cfg = tmp_path / "plankoll.toml"
    cfg.write_text(config, encoding="utf-8")
    out = tmp_path / "out.json"
    result = CliRunner().invoke(main, ["check", str(plan), "--config", str(cfg), "--format", "json", "-o", str(out)])
    return result.exit_code, json.loads(out.read_text(encoding="utf-8")) if out.exists() else {"output": result.output}


def rules_of(result: dict) -> list[str]:
    return [v["rule"] for p in result["plans"] for v in p["violations"]]


def test_disable_severity_and_rule_level_waiver(tmp_path: Path):
    _, base = check_json(tmp_path, "")
    assert "PK302" in rules_of(base) and "PK501" in rules_of(base)
    _code, result = check_json(tmp_path, """
disable = ["PK302"]
[severity]
PK501 = "warning"
[[waivers]]
rule = "PK605"
element = "kontinuitet"
reason = "Nationell patientenkät görs vartannat år; cellen förklarar varför 2020 saknas."
""")
    assert "PK302" not in rules_of(result)
    sev = {v["rule"]: v["severity"] for p in result["plans"] for v in p["violations"]}
    assert sev["PK501"] == "warning"
    waived = [v for p in result["plans"] for v in p["violations"] if v["waived"]]
    assert len(waived) == 1 and waived[0]["rule"] == "PK605" and "vartannat år" in waived[0]["waived"]
    assert result["summary"]["waived"] == 1
    # the waived violation is still listed, never dropped
    assert len(rules_of(result)) == len(rules_of(base)) - rules_of(base).count("PK302")


def test_element_waiver_in_plan_file_is_reported_as_waived(tmp_path: Path):
    plan = tmp_path / "p.plan.yaml"
    text = RVN.read_text(encoding="utf-8").replace(
        "    source: Cognos\n", "    source: Cognos\n    waivers: {PK501: \"Uppdelning i kön saknas i Cognos-uttaget\"}\n")
    plan.write_text(text, encoding="utf-8")
    _code, result = check_json(tmp_path, "", plan)
    found = {v["element"]: v["waived"] for p in result["plans"] for v in p["violations"] if v["rule"] == "PK501"}
    # the waiver stands on the one indicator with source Cognos; the survey measures are not waived
    assert found.pop("indicator:rvn-undvikbar-slutenvard") == "Uppdelning i kön saknas i Cognos-uttaget"
    assert found and not any(found.values())


def test_unknown_rule_or_kind_is_a_clear_error(tmp_path: Path):
    code, result = check_json(tmp_path, 'disable = ["PK999"]\n')
    assert code == 2 and "unknown rule id PK999" in result["output"]
    book = tmp_path / "book.yaml"
    book.write_text("""rulebook: x
rules:
  - id: XX100
    kind: nosuchkind
    severity: error
    title: {sv: a, en: a}
    message: {sv: a, en: a}
    rationale: {sv: a, en: a}
""", encoding="utf-8")
    code, result = check_json(tmp_path, f'rulebooks = ["{book}"]\n')
    assert code == 2 and "unknown check kind 'nosuchkind'" in result["output"]


def test_pyproject_tool_section_is_found(tmp_path: Path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text('[tool.plankoll]\ndisable = ["PK302", "PK304"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["rules"])
    assert result.exit_code == 0
    disabled = [line.split()[0] for line in result.output.splitlines() if "disabled" in line]
    assert disabled == ["PK302", "PK304"]
