"""What every run promises about its rules: a rule that fails or cannot look is said so, declared
exceptions always reach the result, and measures without targets or with impossible parts are found."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from helpers import DATASETS, findings

from plankoll.cli import main
from plankoll.config import Config, active_rules
from plankoll.run import check_paths

REPORT = DATASETS / "norrbotten/lanssjukvard1/delarsrapport-2022-04-v0.29.plan.yaml"
PLAN = DATASETS / "norrbotten/regionstyrelsen/plan-2020-v0.32.plan.yaml"


def _notices(result: dict, code: str) -> list[dict]:
    return [n for p in result["plans"] for n in p["notices"] if n["code"] == code]


def test_a_failing_check_kind_is_contained_and_exits_2(monkeypatch, tmp_path: Path):
    import plankoll.checks.values as values

    def broken(*_args, **_kwargs):
        raise ZeroDivisionError("a bug in a check kind")

    monkeypatch.setattr(values, "run", broken)
    result = check_paths([REPORT], Config(), lang="en", jobs=1)
    failed = _notices(result, "rule_failed")
    assert {n["params"]["rule"] for n in failed} == {"PK601", "PK602", "PK603", "PK604", "PK605"}
    assert "ZeroDivisionError" in failed[0]["params"]["error"] and result["summary"]["rules_failed"] == 5
    assert any(v["rule"] == "PK101" for p in result["plans"] for v in p["violations"])  # the other rules still ran
    cli = CliRunner().invoke(main, ["check", str(REPORT), "--no-cache", "--jobs", "1"])
    assert cli.exit_code == 2


def test_a_cross_document_rule_says_when_it_had_nothing_to_compare():
    alone = check_paths([REPORT], Config(), lang="en")
    assert [n["params"] for n in _notices(alone, "rule_not_compared") if n["params"]["rule"] == "PK702"] == [
        {"rule": "PK702", "reason": "no_plan"}]
    assert "PK702" in alone["plans"][0]["notices"][-1]["message"] or any("PK702" in n["message"] for n in _notices(alone, "rule_not_compared"))
    together = check_paths([REPORT, PLAN], Config(), lang="en")
    assert not [n for n in _notices(together, "rule_not_compared") if n["params"]["rule"] == "PK702"]
    assert sum(v["rule"] == "PK702" for p in together["plans"] for v in p["violations"]) == 4


def test_scope_is_declared_by_the_check_kinds():
    from plankoll.engine import crosses_versions, scope

    ruleset = active_rules(Config())
    assert {r.id for r in ruleset.rules if scope(r) != "version"} == {"PK702", "PK703"}
    assert crosses_versions(ruleset)
    assert not crosses_versions(active_rules(Config(disable=["PK702", "PK703"])))


WAIVED = """\
indicators:
  - id: a
    name: Andel patienter nöjda
    source: NPE
    follow_up: ÅR
    waivers: {{PK501: "Uppdelning i kön saknas", {other}: "skäl"}}
    values:
      - {{role: baseline, period: "2022", value: "5 %"}}
      - {{role: target, period: "2025", value: "7 %"}}
"""


def test_declared_exceptions_are_all_listed_and_unused_ones_reported(write_plan):
    path = write_plan(WAIVED.format(other="PK302"))
    result = check_paths([path], Config(), lang="en")
    plan = result["plans"][0]
    assert {(e["rule"], e["used"]) for e in plan["exceptions"]} == {("PK501", True), ("PK302", False)}
    unused = [v for v in plan["violations"] if v["rule"] == "PK001"]
    assert len(unused) == 1 and unused[0]["severity"] == "info" and "PK302" in unused[0]["message"]
    assert unused[0]["element_name"] == "Andel patienter nöjda" and unused[0]["location"]["line"] == 17


def test_an_exception_of_an_unknown_rule_is_an_input_error_with_its_line(write_plan, tmp_path: Path):
    path = write_plan(WAIVED.format(other="PK999"))
    good = tmp_path / "good.plan.yaml"
    good.write_text(REPORT.read_text(encoding="utf-8"), encoding="utf-8")
    cli = CliRunner().invoke(main, ["check", str(path), str(good), "--format", "json", "--no-cache"])
    assert cli.exit_code == 2
    result = json.loads(cli.stdout)
    assert result["errors"] == [{"file": str(path), "line": 17, "message": "waivers: unknown rule id PK999 (see `plankoll rules`)"}]
    assert len(result["plans"]) == 2  # both versions are still checked
    assert not any(v["rule"] == "PK001" for p in result["plans"] for v in p["violations"])


def test_measures_without_any_target(write_plan):
    path = write_plan("""\
        indicators:
          - id: outcomes-only
            name: Antal besök
            source: X
            follow_up: ÅR
            values:
              - {role: baseline, period: "2021", value: "5"}
              - {role: baseline, period: "2022", value: "6"}
          - id: target-outside-period
            name: Antal vårdplatser
            source: X
            follow_up: ÅR
            values:
              - {role: target, period: "2030", value: "6"}
          - id: qualitative-empty
            name: Samverkan har utvecklats
            kind: qualitative
            follow_up: ÅR
          - id: qualitative-with-statement
            name: Metodbank
            kind: qualitative
            follow_up: ÅR
            values:
              - {role: target, period: "2024", value: "En samlad metodbank finns"}
        """)
    assert {v["indicator_id"] for v in findings([path], "PK306")} == {"outcomes-only", "target-outside-period"}
    assert {v["indicator_id"] for v in findings([path], "PK307")} == {"qualitative-empty"}


def test_a_part_larger_than_its_total(write_plan):
    path = write_plan("""\
        indicators:
          - id: grant
            name: Statsbidrag psykisk hälsa
            unit: mkr
            values:
              - {role: outcome, period: "2018", series: Staten totalt, value: "1,4 mkr"}
              - {role: outcome, period: "2018", series: Ökning jämfört med 2017, value: "529 mkr"}
              - {role: outcome, period: "2018", series: Region Norrbotten, value: "22 mkr"}
              - {role: outcome, period: "2019", series: Staten totalt, value: "2 mdkr"}
              - {role: outcome, period: "2019", series: Region Norrbotten, value: "45 mkr"}
        tables:
          - id: t
            title: Ramar
            columns: [Ram]
            rows:
              - {id: a, label: A, values: ["30"]}
              - {id: b, label: B, values: [""]}
              - {id: s, label: Summa, values: ["20"], sum_of: [a, b]}
        """)
    exceeds = {v["element"] for v in findings([path], "PK103")}
    assert exceeds == {"indicator:grant/outcome:2018[Region Norrbotten]", "table:t/row:a/column:Ram"}
    assert {v["element"] for v in findings([path], "PK104")} == {"indicator:grant/outcome:2019[Region Norrbotten]"}


def test_a_sum_that_fails_only_on_ocr_readings_is_a_warning_for_review(write_plan):
    path = write_plan("""\
        tables:
          - id: t
            title: Ram
            columns: [Ram]
            rows:
              - {id: a, label: A, values: [{value: "10,0", ocr: "100"}]}
              - {id: b, label: B, values: [{value: "5,0", ocr: "50"}]}
              - {id: s, label: Summa, values: [{value: "16,0", ocr: "160"}], sum_of: [a, b]}
          - id: u
            title: Ram 2
            columns: [Ram]
            rows:
              - {id: a, label: A, values: [{value: "10,0", ocr: "100"}]}
              - {id: b, label: B, values: ["5,0"]}
              - {id: s, label: Summa, values: [{value: "16,0", ocr: "160"}], sum_of: [a, b]}
        """)
    found = {v["table_id"]: v for v in findings([path], "PK101")}
    assert found["t"]["severity"] == "warning" and "needs manual review" in found["t"]["message"]
    assert "(OCR «100»)" in found["t"]["message"]
    assert found["u"]["severity"] == "error"  # a part printed in the text layer: the error stands


def test_figures_on_pages_read_by_ocr_are_readings(tmp_path):
    from plankoll.interpret import interpret
    from plankoll.layout import Cell, Heading, Layout, Location, Table
    from plankoll.model import PlanVersion

    def cell(text: str, row: int, column: int, page: int) -> Cell:
        return Cell(text, Location("plan.pdf", page=page, table=1, row=row, column=column))

    rows = [[cell("Ramområde", 1, 1, 2), cell("Ram 2025", 1, 2, 2)], [cell("A", 2, 1, 2), cell("10", 2, 2, 2)],
            [cell("Summa", 3, 1, 2), cell("11", 3, 2, 2)]]
    layout = Layout("plan.pdf", "pdf", [Heading("Verksamhetsplan 2025 Regionstyrelsen Region Test", 1, Location("plan.pdf", page=1)),
                                        Table(rows, Location("plan.pdf", page=2, table=1))], properties={"ocr_pages": "2"})
    plan = PlanVersion.model_validate(interpret(layout, given={"version": {"label": "1", "status": "utkast"}}).document)
    assert plan.plan.source.ocr and plan.tables[0].rows[0].values[0].ocr == "10" and plan.tables[0].rows[0].page == 2
