"""`plankoll explain RULE`: a rule's documentation wholly in one language, with an example of a
violation and of its fix, an example message instead of the raw template, and how to declare an
exception in the plan file, in plankoll.toml and in a Word document."""

from __future__ import annotations

import re
import textwrap
import tomllib
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from helpers import findings

from plankoll import wording
from plankoll.cli import main
from plankoll.docs import LABELS, _readable_phrase, example_message, exception_phrases, explain_rule
from plankoll.rules import check_module, known_kinds, load_rulebook, load_rulebooks

RULES = {r.id: r for r in load_rulebooks(None)}
SAMPLE_RULES = ["PK001", "PK101", "PK204", "PK301", "PK501", "PK603", "PK702"]

# Function words and labels of one language that never belong in the other's output. Document
# text («…»), code (`…`, the indented YAML and TOML) and quoted strings ("…") are left out first:
# a measure's name or a statute's title stays Swedish in English.
SWEDISH = {"och", "inte", "ska", "för", "med", "som", "eller", "att", "är", "på", "av", "utan", "när", "det", "ett",
           "Varför", "Exempel", "Undantag", "Gäller", "Nivå", "Parametrar", "Källa", "fel", "varning"}
ENGLISH = {"the", "and", "must", "with", "Why", "Example", "of", "is", "not", "when", "which", "should",
           "Severity", "Parameters", "Applies", "Source", "error", "warning", "exception"}
OTHER = {"sv": ENGLISH, "en": SWEDISH}


def explain(rule_id: str, lang: str) -> str:
    result = CliRunner().invoke(main, ["explain", rule_id, "--lang", lang], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def prose(text: str) -> str:
    """The text without quoted document text, code spans, quoted strings and code blocks."""
    text = re.sub(r"«[^»]*»", " ", text)
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r'"[^"\n]*"', " ", text)
    return "\n".join(line for line in text.splitlines() if not line.startswith("      "))


def flat(text: str) -> str:
    """Wrapped lines joined again."""
    return " ".join(text.split())


def code_block(text: str, first: str) -> str:
    """The indented code block that starts with the line `first`."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == first)
    block = []
    for line in lines[start:]:
        if not line.startswith("      "):
            break
        block.append(line)
    return textwrap.dedent("\n".join(block))


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("rule_id", SAMPLE_RULES)
def test_sections_are_present_in_the_chosen_language(rule_id: str, lang: str):
    out = explain(rule_id, lang)
    rule = RULES[rule_id]
    label = LABELS[lang]
    assert out.startswith(f"{rule_id} — {rule.spec.title.get(lang)}\n")
    for key in ("severity", "family", "selector", "params", "checks", "why", "example", "fix", "message", "waivers"):
        assert re.search(rf"^{re.escape(label[key])}\b", out, re.MULTILINE), (key, out)
    assert f"{label['family']}: {wording.name(wording.KIND_NAMES, rule.kind, lang)} (`{rule.kind}`)" in out
    assert flat(rule.spec.rationale.get(lang)) in flat(out)
    if rule.spec.invariant:
        assert flat(rule.spec.invariant.get(lang)) in flat(out)


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_no_word_of_the_other_language(rule_id: str, lang: str):
    words = set(re.findall(r"[A-Za-zÅÄÖåäöéÉ]+", prose(explain_rule(RULES[rule_id], lang))))
    assert not words & OTHER[lang], f"{rule_id} --lang {lang}: {sorted(words & OTHER[lang])}"


def test_severity_and_family_in_words():
    sv, en = explain("PK501", "sv"), explain("PK501", "en")
    assert "Nivå: fel\n" in sv and "error" not in sv
    assert "Regelfamilj: Könsuppdelning (`sex_split`)" in sv
    assert "Severity: error\n" in en and "Rule family: Split by sex (`sex_split`)" in en
    assert "Nivå: varning\n" in explain("PK304", "sv") and "Nivå: info\n" in explain("PK001", "sv")


def test_what_a_rule_applies_to_in_words():
    assert "Gäller: verksamhetsplaner och regionplaner\n" in explain("PK301", "sv")
    assert "Applies to: operational plans and regional plans\n" in explain("PK301", "en")
    assert "Gäller: alla planversioner\n" in explain("PK501", "sv")
    assert "Applies to: all plan versions\n" in explain("PK501", "en")
    assert "Parametrar: `roles: [baseline, outcome]`\n" in explain("PK501", "sv")
    assert "Parameters: `what: sex_total`, `allow_unknown: false`\n" in explain("PK204", "en")
    assert "Parametrar: inga\n" in explain("PK001", "sv")


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("rule_id", SAMPLE_RULES)
def test_example_and_fix_are_shown(rule_id: str, lang: str):
    out, spec = flat(explain(rule_id, lang)), RULES[rule_id].spec
    label = LABELS[lang]
    assert f"{label['example']} {flat(spec.example.get(lang))}" in out
    assert f"{label['fix']} {flat(spec.fix.get(lang))}" in out


def test_every_default_rule_has_an_example_and_a_fix_in_both_languages():
    for rule in RULES.values():
        for field in ("example", "fix"):
            text = getattr(rule.spec, field)
            assert text is not None, (rule.id, field)
            assert text.sv != text.en, f"{rule.id}.{field} is not translated"


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_message_is_an_example_never_the_raw_template(lang: str):
    for rule in RULES.values():
        message = example_message(rule, lang)
        assert message, f"{rule.id}: no example message"
        out = explain_rule(rule, lang)
        assert flat(message) in flat(out)
        assert not re.search(r"\{[a-z_]+\}", out), rule.id
    assert "«Hållbart medarbetarengagemang (HME)»: utfall 2024-T1 utan K/M" in explain("PK501", "sv")


def test_a_rule_without_a_sample_shows_no_message(tmp_path: Path):
    book = """rulebook: extra
rules:
  - id: XX101
    kind: values
    severity: warning
    params: {check: percent_range}
    title: {sv: Andel över 100 %, en: Share above 100 %}
    message: {sv: "{element_name}: {actual} och {nothing}.", en: "{element_name}: {actual} and {nothing}."}
    rationale: {sv: En andel är högst 100., en: A share is at most 100.}
    example: "Andel 112 %"
"""
    rule = load_rulebook(book, "extra.yaml")[0]
    assert rule.spec.example.sv == rule.spec.example.en == "Andel 112 %" and rule.spec.fix is None
    out = explain_rule(rule, "en")
    assert "{nothing}" not in out and LABELS["en"]["message"] not in out
    assert "Andel 112 %" in out and "`check: percent_range`" in out


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("rule_id", SAMPLE_RULES)
def test_the_exception_snippets_name_the_rule(rule_id: str, lang: str):
    out = explain(rule_id, lang)
    plan_key = "tables" if rule_id == "PK101" else "indicators"
    snippet = yaml.safe_load(code_block(out, f"{plan_key}:"))
    assert len(code_block(out, f"{plan_key}:").splitlines()) == 3
    assert rule_id in snippet[plan_key][0]["waivers"]
    toml = tomllib.loads(code_block(out, "[[waivers]]"))["waivers"][0]
    assert toml["rule"] == rule_id and toml["reason"] and re.compile(toml["element"]) and re.compile(toml["plan"])


def test_word_document_exception_phrases():
    sv, en = explain("PK501", "sv"), explain("PK501", "en")
    for out in (sv, en):
        assert "«uppdelning i kön saknas»" in out and "«fr.o.m. 2025 könsuppdelat»" in out
    assert "fotnot" in sv and "footnote" in en
    assert "«målvärde går inte att sätta»" in explain("PK306", "sv") and "«mål sätts senare»" in explain("PK306", "sv")
    none = explain("PK303", "sv")
    assert "inga sådana fraser" in none and "exceptions = { PK303 = [" in none
    assert "fotnoter i tabeller läses inte som undantag" in explain("PK101", "sv")


def test_every_exception_phrase_is_written_as_its_pattern_matches():
    from plankoll.interpret import vocab

    for rule_id, patterns in vocab.load().group("exceptions").items():
        for pattern in patterns:
            readable = _readable_phrase(pattern)
            assert readable is not None, (rule_id, pattern)
            assert re.search(pattern, readable, re.IGNORECASE)
        assert len(exception_phrases(rule_id)) == len(set(map(_readable_phrase, patterns)))
    assert "kön registreras inte" in exception_phrases("PK501", {"exceptions": {"PK501": ["kön registreras inte"]}})


def test_the_kind_docstring_is_english_only():
    doc = check_module("sex_split").__doc__.strip().splitlines()[0]
    assert doc not in explain("PK501", "sv")
    assert doc in explain("PK501", "en")


def test_the_shown_exceptions_waive_the_finding(write_plan, tmp_path: Path):
    """The plan-file snippet and the plankoll.toml snippet of `explain PK501` both waive PK501."""
    from plankoll.config import load_config
    from plankoll.run import check_paths

    out = explain("PK501", "sv")
    shown = yaml.safe_load(code_block(out, "indicators:"))["indicators"][0]
    indicator = {"id": shown["id"], "name": "Hållbart medarbetarengagemang (HME)", "source": "Medarbetarenkät", "follow_up": "ÅR",
                 "values": [{"role": "baseline", "period": "2022", "value": "78"}, {"role": "target", "period": "2025", "value": "80"}]}
    bare = write_plan(yaml.safe_dump({"indicators": [indicator]}, allow_unicode=True), name="bare.plan.yaml")
    assert [f["waived"] for f in findings([bare], "PK501")] == [None]
    waived = write_plan(yaml.safe_dump({"indicators": [{**indicator, "waivers": shown["waivers"]}]}, allow_unicode=True),
                        name="waived.plan.yaml")
    assert [f["waived"] for f in findings([waived], "PK501")] == [shown["waivers"]["PK501"]]

    toml = tmp_path / "plankoll.toml"
    toml.write_text(code_block(out, "[[waivers]]").replace('plan = "nll-.*"', 'plan = "test-.*"') + "\n", encoding="utf-8")
    result = check_paths([bare], load_config(toml), lang="sv")
    found = [v for p in result["plans"] for v in p["violations"] if v["rule"] == "PK501"]
    assert len(found) == 1 and found[0]["waived"]


def test_wording_tables():
    assert set(known_kinds()) <= set(wording.KIND_NAMES) and set(known_kinds()) <= set(wording.KIND_SUMMARIES)
    assert wording.name(wording.KIND_NAMES, "sums", "sv") == "Summor" and wording.name(wording.KIND_NAMES, "parts", "en") == "Parts and totals"
    assert wording.name(wording.SEVERITY_NAMES, "warning", "sv") == "varning"
    assert wording.name(wording.STATUS_NAMES, "fastställd", "en") == "adopted"
    assert wording.name(wording.DOCUMENT_NAMES, "tertialrapport", "en") == "tertial report"
    assert wording.name(wording.KIND_NAMES, "custom_kind", "sv") == "custom_kind"
    from plankoll.interpret import vocab

    assert set(vocab.load().group("documents")) == set(wording.DOCUMENT_NAMES) == set(wording.DOCUMENT_PLURALS)
    assert wording.documents(["regionplan", "verksamhetsplan"], "sv") == "verksamhetsplaner och regionplaner"
    assert wording.documents(["årsredovisning", "delårsrapport", "verksamhetsplan"], "en") == "operational plans, interim reports and annual reports"


def test_every_default_reference_is_cited_in_both_languages():
    for rule in RULES.values():
        if rule.spec.reference:
            assert rule.spec.reference in wording.REFERENCES, rule.id
    assert "«Förordning (2001:100) om den officiella statistiken» (the Official Statistics Ordinance)" in explain("PK501", "en")
    assert "XBRL Calculations 1.1 (konsistens vid avrundning till närmaste)" in explain("PK101", "sv")
