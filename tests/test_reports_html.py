"""The auditor's HTML report (issue 15): the verdict and the audit trail first, sources an auditor
can follow (titles, OCR readings, rule references with their invariants), the evidence beside each
finding, baseline states, and one language throughout. The browser and print tests are in
test_reports_browser.py."""

from __future__ import annotations

import copy
import html
import re
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner
from helpers import DATASETS, REPO
from plankoll.reports import html as html_report

from plankoll import wording
from plankoll.cli import main
from plankoll.config import Config
from plankoll.i18n import STRINGS
from plankoll.run import check_paths
from plankoll.states import apply_states

PDF = REPO / "tests/fixtures/pdf/004-rich-tagged.pdf"
EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}  # 2026-01-01 00:00:00 UTC


def cli_report(tmp_path: Path, *args: str, lang: str = "sv", name: str = "r.html", env: dict | None = None) -> tuple[int, str]:
    out = tmp_path / name
    result = CliRunner().invoke(main, ["check", *args, "--lang", lang, "--no-cache", "--html", str(out)], env=env or EPOCH)
    assert result.exit_code in (0, 1, 2), result.output
    return result.exit_code, out.read_text(encoding="utf-8")


def xpath(css: str, root: str = "") -> str:
    """The XPath of a simple CSS selector: tag, #id, .class and [attr=value] steps, descendants, and lists (a, b)."""
    def step(text: str) -> str:
        m = re.fullmatch(r"(?P<tag>[a-z0-9]+)?(?:#(?P<id>[\w-]+))?(?P<classes>(?:\.[\w-]+)*)(?:\[(?P<attr>[\w-]+)=(?P<value>[^\]]+)\])?", text)
        assert m, text
        tests = [f"@id='{m['id']}'"] if m["id"] else []
        tests += [f"contains(concat(' ', @class, ' '), ' {c} ')" for c in m["classes"].split(".")[1:]]
        tests += [f"@{m['attr']}='{m['value']}'"] if m["attr"] else []
        return (m["tag"] or "*") + "".join(f"[{t}]" for t in tests)

    return " | ".join(root + "//" + "//".join(step(s) for s in one.split()) for one in css.split(","))


def select(node, css: str) -> list:
    """The elements below node that a simple CSS selector finds (lxml's cssselect needs a package plankoll does not use)."""
    return node.xpath(xpath(css, "."))


def parse(page: str):
    """The report as a tree; a path's break opportunities (<wbr>) left out, so that it reads as one word."""
    return lxml.html.fromstring(page.replace("<wbr>", ""))


def words(node) -> str:
    """The text of an element, a space between its elements' texts, whitespace collapsed."""
    return " ".join(" ".join(node.itertext()).split())


def text_of(page: str, css: str) -> str:
    """The text of the first element a CSS selector finds."""
    return words(select(parse(page), css)[0])


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, str]:
    """The datasets and the tagged PDF fixture, checked from the repository's root as a user would, in both languages."""
    out = tmp_path_factory.mktemp("html")
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(REPO)
        return {lang: cli_report(out, "datasets", str(PDF.relative_to(REPO)), lang=lang, name=f"{lang}.html")[1] for lang in ("sv", "en")}


# ---------------------------------------------------------------- the verdict and the audit trail

@pytest.mark.parametrize(("lang", "verdict", "why"), [
    ("sv", "Underkänd vid felnivå fel", r"\d+ avvikelser på felnivån fel eller allvarligare bland 6 planversioner\."),
    ("en", "Failed at fail level error", r"\d+ findings at fail level error or above in 6 plan versions\."),
])
def test_the_verdict_stands_first_in_words_with_its_counts(reports, lang, verdict, why):
    page = reports[lang]
    assert text_of(page, "#verdict .verdict-title") == verdict
    assert re.fullmatch(why, text_of(page, "#verdict .verdict-why"))
    counts = text_of(page, "#verdict .verdict-counts")
    label = {"sv": "Oläsliga filer 0", "en": "Unreadable files 0"}[lang]
    assert label in counts
    assert page.index('id="verdict"') < page.index('id="trail"') < page.index('id="overview"')


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_trail_names_time_version_digests_every_input_and_the_command(tmp_path: Path, monkeypatch, lang):
    monkeypatch.chdir(REPO)
    _code, page = cli_report(tmp_path, "datasets/vasternorrland", "--fail-on", "warning", lang=lang)
    s = STRINGS[lang]
    trail = text_of(page, "#trail")
    assert f"{s['trail_date']} 2026-01-01 00:00:00 UTC" in trail
    assert f"{s['trail_plankoll']} 0.1.0" in trail or s["trail_plankoll"] in trail
    assert f"{s['trail_rulebook']} {s['trail_rulebook_default']} SHA-256 " in trail
    assert s["trail_no_config"] in trail
    inputs = sorted(p for p in (REPO / "datasets/vasternorrland").rglob("*") if p.name.endswith((".plan.yaml", ".docx")))
    rows = select(parse(page), "table.inputs tbody tr")
    assert len(rows) == len(inputs) == 2
    import hashlib

    for row, path in zip(rows, inputs, strict=True):
        cells = [words(c) for c in row]
        assert cells[0] == path.relative_to(REPO).as_posix()
        assert re.sub(r"[\s,]", "", cells[1]) == str(path.stat().st_size)  # 14 835 / 14,835
        assert cells[2] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert s["trail_verify_heading"] in trail
    command = text_of(page, "#trail .command code")
    assert command.startswith("plankoll check datasets/vasternorrland --no-cache ")
    assert f"--fail-on warning --lang {lang}" in command and f"--html {tmp_path / 'r.html'}" in command


def test_the_command_is_rebuilt_from_the_options():
    run = {"options": {"paths": ["plans dir", "b.docx"], "format": "json", "fail_on": "error", "select": ["PK1", "PK5"], "ignore": [],
                       "github": True, "cache": True, "html_path": "r.html", "baseline_ref": "origin/main"},
           "config": {"file": "plankoll.toml", "sha256": "0" * 64}}
    assert html_report.command_line(run) == ("plankoll check 'plans dir' b.docx --config plankoll.toml --format json --fail-on error "
                                             "--select PK1,PK5 --github --html r.html --baseline-ref origin/main")


@pytest.mark.parametrize(("lang", "title", "why"), [
    ("sv", "Ofullständig", "1 oläslig fil: rapporten täcker inte allt"),
    ("en", "Incomplete", "1 unreadable file: the report does not cover everything"),
])
def test_a_run_whose_only_file_is_unreadable_is_incomplete_not_a_calm_zero(tmp_path: Path, lang, title, why):
    broken = tmp_path / "broken.plan.yaml"
    broken.write_text("plankoll: 1\nplan: [\n", encoding="utf-8")
    code, page = cli_report(tmp_path, str(broken), lang=lang)
    assert code == 2
    assert text_of(page, "#verdict .verdict-title") == title
    assert text_of(page, "#verdict .verdict-why").startswith(why)
    assert 'class="verdict verdict-incomplete"' in page


def test_a_clean_run_passes(tmp_path: Path):
    _code, page = cli_report(tmp_path, str(DATASETS / "vasternorrland/regionstyrelsen/vp-2023.plan.yaml"), "--fail-on", "never", lang="en")
    assert text_of(page, "#verdict .verdict-title") == "Passed"
    assert text_of(page, "#verdict .verdict-why").startswith("The fail level is never: no finding fails the run")


def test_source_date_epoch_gives_a_reproducible_report(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(REPO)
    args = ("datasets", str(PDF.relative_to(REPO)))
    first = cli_report(tmp_path, *args, name="a.html")[1]
    second = cli_report(tmp_path, *args, name="a.html")[1]  # the same command: the same options, the same report
    assert first == second
    assert "2026-01-01 00:00:00 UTC" in first and "data:image/png" in first


# ---------------------------------------------------------------- sources an auditor can follow

def test_the_source_document_is_named_with_its_title_and_ocr(reports):
    doc = parse(reports["sv"])
    sources = [words(n) for n in select(doc, "section.version .facts .source dd")]
    assert any(s.startswith("Regionstyrelsens plan 2020 (2020–2022), Region Norrbotten 000_b27752394386a01f.txt OCR tolkat med OCR")
               for s in sources), sources
    assert sum("OCR" in s for s in sources) == 1  # only the OCR document says so


@pytest.mark.parametrize(("lang", "reading"), [("sv", "2195,3 — läst ur OCR-texten «21953»"), ("en", "2195,3 — read from the OCR text «21953»")])
def test_every_figure_read_from_ocr_is_shown_as_a_reading(reports, lang, reading):
    doc = parse(reports[lang])
    readings = [words(n) for n in select(doc, "p.ocr-readings")]
    assert any(reading in r for r in readings), readings
    assert select(doc, "span.ocr")[0].text_content().startswith("2195,3")


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_rules_cite_their_sources_and_state_their_invariants(reports, lang):
    doc = parse(reports[lang])
    result = check_paths([DATASETS / "vasternorrland/regionstyrelsen/vp-2023.plan.yaml"], Config(), lang=lang)
    rules = {r["id"]: r for r in result["rules"]}
    row = doc.get_element_by_id("rule-PK501")
    text = words(row)
    assert " ".join(rules["PK501"]["invariant"].split()) in text
    assert wording.name(wording.REFERENCES, rules["PK501"]["reference"], lang) in text
    assert wording.name(wording.KIND_NAMES, "sex_split", lang) in text
    assert "DOMAIN" not in reports[lang] and "sex_split</" not in reports[lang]


def test_document_kinds_statuses_and_families_are_in_the_reports_language(reports):
    assert "interim report (draft)" in reports["en"] and "delårsrapport (utkast)" not in reports["en"]
    assert "delårsrapport (utkast)" in reports["sv"]
    assert "Split by sex" in reports["en"] and "Könsuppdelning" in reports["sv"]


def test_the_legend_explains_the_signs_used(reports):
    legend = text_of(reports["sv"], "#legend")
    assert "∅ en tom del i en summa" in legend and "OCR ett tal läst ur OCR-text" in legend
    assert "∅ an empty part of a sum" in text_of(reports["en"], "#legend")


# ---------------------------------------------------------------- evidence beside each finding

def test_a_word_finding_shows_the_heading_and_the_printed_row(reports):
    doc = parse(reports["en"])
    rows = select(doc, "tr.evidence")
    assert rows
    first = rows[0]
    assert select(first, ".heading") and select(first, "table.row-text td")
    assert first.getprevious().get("class") == "violation"


def test_a_pdf_finding_shows_its_page_region_inline(reports):
    doc = parse(reports["sv"])
    section = next(s for s in select(doc, "section.version") if "004-rich-tagged.pdf" in s.text_content())
    images = select(section, "tr.evidence img")
    assert len(images) == len(select(section, "tr.violation")) > 0  # every finding of the PDF has its page beside it
    assert all(i.get("src").startswith("data:image/png;base64,") and i.get("alt").startswith("Sida ") for i in images)


def test_images_are_capped_with_a_note(monkeypatch, tmp_path: Path):
    monkeypatch.setattr(html_report, "MAX_IMAGES", 2)
    result = check_paths([PDF], Config(), lang="en")
    page = html_report.render(result)
    assert page.count("<img ") == 2
    assert page.count("The page image is left out: the report has reached its limit for images (2 images") == len(
        [v for p in result["plans"] for v in p["violations"] if v.get("evidence") and v["waived"] is None]) - 2


# ---------------------------------------------------------------- baseline states and history

def test_states_and_since_are_shown(tmp_path: Path):
    vp = DATASETS / "vasternorrland/regionstyrelsen/vp-2023.plan.yaml"
    result = check_paths([vp], Config(), lang="sv")
    base = copy.deepcopy(result)
    active = [v for v in base["plans"][0]["violations"] if v["waived"] is None]
    changed = next(v for v in active if re.search(r"\d", str(v["actual"])))
    changed["actual"] = "1"  # the base printed another figure
    base["plans"][0]["violations"].remove(active[0] if active[0] is not changed else active[1])  # one is new
    gone = {**copy.deepcopy(changed), "element": "indicator:gone", "element_name": "Ett mått som strukits", "expected": "7", "actual": "8"}
    base["plans"][0]["violations"].append(gone)  # one is resolved
    other = {**copy.deepcopy(base["plans"][0]), "plan": "a-plan-no-longer-checked", "violations": [gone]}
    base["plans"].append(other)  # and a whole plan is gone
    apply_states(result, base)
    first = result["plans"][0]["violations"][0]
    first["since"] = {"commit": "abc1234def", "date": "2024-05-01T10:00:00+02:00", "author": "Anna Andersson", "subject": "VP"}
    page = html_report.render(result)
    badges = re.findall(r'<span class="badge state-(new|changed|known)">([^<]+)</span>', page)
    assert {"new", "changed", "known"} <= {b[0] for b in badges}
    assert {"ny", "ändrad", "känd"} <= {b[1] for b in badges}
    assert '<span class="was">förut 1</span>' in page
    assert "sedan commit abc1234 (2024-05-01, Anna Andersson)" in page
    assert "finns inte i baslinjen" in text_of(page, "#legend")
    assert f"{gone['rule']} · Ett mått som strukits var 7 / 8" in words(parse(page))  # resolved, under its plan version
    assert "a-plan-no-longer-checked" in text_of(page, "#resolved-plans")


def test_a_run_with_only_known_findings_passes_and_says_they_were_known():
    result = check_paths([DATASETS / "vasternorrland/regionstyrelsen/vp-2023.plan.yaml"], Config(), lang="sv")
    apply_states(result, copy.deepcopy(result))
    page = html_report.render(result)
    assert text_of(page, "#verdict .verdict-title") == "Godkänd"
    n = result["summary"]["violations"]
    assert text_of(page, "#verdict .verdict-why") == (
        f"Ingen ny eller ändrad avvikelse sedan baslinjen på felnivån fel eller allvarligare ({n} avvikelser bland 1 planversion, redan kända).")


# ---------------------------------------------------------------- one language per report

# Words of one language that never belong in the other's report (its labels, its function words).
# Left out first: document text (marked translate="no", «quoted», or a name from the result), code,
# file names and the printed text.
SWEDISH = {"och", "inte", "ska", "för", "med", "som", "eller", "att", "är", "på", "av", "utan", "det", "ett", "sida", "sid", "rad",
           "tabell", "kolumn", "fil", "filer", "planfil", "tryckt", "avvikelse", "avvikelser", "regel", "Regel", "Nivå", "fel",
           "varning", "varningar", "utkast", "fastställd", "delårsrapport", "verksamhetsplan", "Utfall", "Underkänd", "Godkänd",
           "Ofullständig", "Översikt", "Revisionsspår", "Teckenförklaring", "Anmärkningar", "Undantagna", "Summor", "Värden", "Totalt",
           "undantag", "anmärkningar", "läst", "förut", "sedan", "Förväntat", "Faktiskt", "Källdokument", "Planperiod", "Indata"}
ENGLISH = {"the", "and", "must", "with", "of", "is", "not", "when", "which", "should", "page", "line", "table", "row", "column", "file",
           "files", "plan file", "source", "printed", "finding", "findings", "rule", "Rule", "Severity", "error", "errors", "warning",
           "warnings", "draft", "adopted", "interim", "report", "Verdict", "Failed", "Passed", "Incomplete", "Overview", "Audit", "trail",
           "Legend", "Notices", "Waived", "Sums", "Values", "Total", "exceptions", "notices", "read", "was", "since", "Expected",
           "Actual", "Inputs", "Source", "document"}
OTHER = {"sv": ENGLISH, "en": SWEDISH}


def document_strings(page_lang: str) -> list[str]:
    """Names that are document text in either report: element names and their parts, titles, labels."""
    found: set[str] = set()
    for path in (DATASETS, PDF):
        result = check_paths([path], Config(), lang=page_lang)
        for p in result["plans"]:
            found |= {str(p[k]) for k in ("title", "organisation", "body", "version", "plan") if p.get(k)}
            found |= {str((p.get("source") or {}).get("title") or "")}
            for v in p["violations"]:
                # the element's name, and the names of the tables and rows a message quotes from details
                for name in (str(v["element_name"]), *(str(d) for d in (v.get("details") or {}).values())):
                    name = re.sub(r" \((line|rad) \d+\)$", "", name)
                    found |= {name, *name.split(" › ")}
    return sorted((s for s in found if s), key=len, reverse=True)


def prose(page: str, lang: str) -> str:
    doc = parse(page)
    for node in select(doc, "script, style, code, q, cite, [translate=no], title"):
        node.drop_tree()
    text = words(doc)
    text = re.sub(r"«[^»]*»", " ", text)
    text = text.replace("(källa)", " ")  # PK302's English message names the plan's Swedish column: «no source (källa) is given»
    for name in document_strings(lang):
        text = text.replace(" ".join(name.split()), " ")
    return re.sub(r"\S+\.(txt|yaml|docx|pdf)\b", " ", text)


def fragments(lang: str) -> set[str]:
    """Every fixed piece of the report's wording in one language (the text between its placeholders) that
    the other language does not also use: a label, a sentence, a family, a status, a document kind."""
    other = "en" if lang == "sv" else "sv"
    tables = [(STRINGS[lang], STRINGS[other]), *(({k: v[lang] for k, v in t.items()}, {k: v[other] for k, v in t.items()})
                                                  for t in (wording.KIND_NAMES, wording.SEVERITY_NAMES, wording.STATUS_NAMES,
                                                            wording.DOCUMENT_NAMES))]
    mine = " ".join(v for table in tables for v in table[1].values())
    found = set()
    for table, theirs in tables:
        for key, value in table.items():
            if value == theirs.get(key):
                continue
            for piece in re.split(r"\{[^}]*\}|\|", value):
                piece = piece.strip(" .,:;·()—–-")
                if len(piece) >= 3 and not re.search(rf"(?<!\w){re.escape(piece)}(?!\w)", mine):
                    found.add(piece)
    return found


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_no_phrase_of_the_other_language(reports, lang):
    text = prose(reports[lang], lang)
    words = set(re.findall(r"\w+", text))
    other = "en" if lang == "sv" else "sv"
    phrases = {f for f in fragments(other) if re.search(rf"(?<!\w){re.escape(f)}(?!\w)", text)}
    assert not (words & OTHER[lang]) | phrases, sorted((words & OTHER[lang]) | phrases)


def test_the_document_text_stays_as_printed(reports):
    """A Swedish measure's name stays Swedish in the English report, marked as document text."""
    doc = parse(reports["en"])
    names = [n.text_content() for n in select(doc, "[translate=no]")]
    assert any("Antal patienter som fått fråga om våld i nära relationer" in n for n in names)
    assert html.escape("Antal patienter som fått fråga om våld i nära relationer") in reports["en"]
