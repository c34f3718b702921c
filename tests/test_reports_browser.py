"""The HTML report in a real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright).

Without chromium or playwright these tests fail when CI is set (CI=true) and skip otherwise.
Screenshots and the printed PDF are written to test-artifacts/ (gitignored).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from helpers import DATASETS, REPO
from plankoll.reports import html as html_report

from plankoll import audit
from plankoll.config import Config
from plankoll.run import check_paths

CHROMIUM = os.environ.get("PLANKOLL_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run"]
ARTIFACTS = REPO / "test-artifacts"
XSS = "<script>alert(1)</script>"
PDF = REPO / "tests/fixtures/pdf/004-rich-tagged.pdf"


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: the browser tests must run in CI (install Debian's chromium, see .ci/run)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        _unavailable(f"{CHROMIUM} not found")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def audited(paths: list[Path], lang: str) -> dict:
    """A result as `plankoll check --html` makes it: with its verdict and its audit trail."""
    result = check_paths(paths, Config(), lang=lang)
    result["verdict"] = audit.verdict(result)
    result["run"] = audit.trail(result, Config(), {"paths": [str(p) for p in paths], "format": "text", "fail_on": "error", "lang": lang})
    return result


def write_report(result: dict, name: str) -> Path:
    """The report written under test-artifacts/, rendered from the checkout's root (paths relative to it)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    cwd = os.getcwd()
    os.chdir(REPO)
    try:
        path.write_text(html_report.render(result), encoding="utf-8")
    finally:
        os.chdir(cwd)
    return path


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> tuple[Path, dict]:
    result = audited([DATASETS], "en")
    return write_report(result, "report.html"), result


def _open(browser, path: Path, **context):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, **context)
    page = ctx.new_page()
    problems: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return ctx, page, problems, requests


def _visible(page, selector: str = "tr.violation") -> int:
    return page.locator(f"{selector}:visible").count()


def test_report_loads_without_errors_or_network(browser, report):
    path, result = report
    ctx, page, problems, requests = _open(browser, path)
    try:
        assert problems == []
        assert requests == [path.as_uri()], "the report loads nothing but itself"
        assert page.title() == "plankoll: audit report · Failed at fail level error"  # the verdict in the tab and the window list
        assert _visible(page) == result["summary"]["violations"]
        assert _visible(page, "tr.waived") == result["summary"]["waived"]
        assert page.locator("#filters").is_visible()
        assert page.locator("#filter-status").inner_text() == f"Showing {result['summary']['violations']} of {result['summary']['violations']} violations."
    finally:
        ctx.close()


def test_filters_change_which_violations_are_visible(browser, report):
    path, result = report
    ctx, page, problems, _ = _open(browser, path)
    try:
        total = _visible(page)
        page.get_by_label("Severity").select_option("warning")
        assert _visible(page) == result["summary"]["warning"] < total
        page.get_by_label("Severity").select_option("")
        assert _visible(page) == total

        counts: dict[str, int] = {}
        for plan in result["plans"]:
            for v in plan["violations"]:
                if v["waived"] is None:
                    counts[v["rule"]] = counts.get(v["rule"], 0) + 1
        page.get_by_label("Rule", exact=True).select_option("PK501")
        assert _visible(page) == counts["PK501"] < total
        assert _visible(page, "tr.waived") == sum(v["rule"] == "PK501" for p in result["plans"] for v in p["violations"] if v["waived"])

        page.get_by_role("button", name="Show all").click()
        page.wait_for_function(f"document.querySelectorAll('tr.violation:not([hidden])').length === {total}")
        assert _visible(page) == total

        vp = next(p for p in result["plans"] if p["plan"] == "rvn-regionstyrelsen-vp")
        page.get_by_label("Plan version").select_option(f"{vp['plan']}@{vp['version']}")
        assert _visible(page) == vp["counts"]["violations"] < total
        assert page.locator("section.version:visible").count() == 1
        page.get_by_label("Severity").select_option("error")  # filters combine
        assert _visible(page) == vp["counts"]["error"]
        assert page.locator("#filter-status").inner_text() == f"Showing {vp['counts']['error']} of {total} violations."
        assert problems == []
    finally:
        ctx.close()


def test_keyboard_reaches_the_filters(browser, report):
    path, _ = report
    ctx, page, _, _ = _open(browser, path)
    try:
        page.locator("#f-severity").focus()
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == "f-rule"
    finally:
        ctx.close()


def test_without_javascript_everything_is_shown(browser, report):
    path, result = report
    ctx, page, problems, _ = _open(browser, path, java_script_enabled=False)
    try:
        assert _visible(page) == result["summary"]["violations"]
        assert not page.locator("#filters").is_visible()
        assert problems == []
    finally:
        ctx.close()


def test_screenshot_and_printed_pdf(browser, report):
    path, result = report
    ctx, page, problems, _ = _open(browser, path)
    try:
        shot = ARTIFACTS / "report.png"
        page.screenshot(path=str(shot), full_page=False)
        full = ARTIFACTS / "report-full.png"
        page.screenshot(path=str(full), full_page=True)
        pdf = ARTIFACTS / "report.pdf"
        page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 30_000
        assert full.stat().st_size > shot.stat().st_size
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF-") and len(data) > 30_000
        pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", data))
        assert pages > len(result["plans"])  # each plan version starts on a new page
        page.emulate_media(media="print")
        assert not page.locator("#filters").is_visible()  # the print stylesheet hides the controls
        assert _visible(page) == result["summary"]["violations"]
        assert problems == []
    finally:
        ctx.close()


def test_script_in_document_text_is_shown_not_run(browser, write_plan, tmp_path: Path):
    plan = write_plan(f"""\
        indicators:
          - id: xss
            name: "{XSS}"
            unit: antal patienter
            line: 7
            values:
              - {{role: target, period: "2025", value: "Öka", line: 7}}
        """, name="xss.plan.yaml")
    result = check_paths([plan], Config(), lang="en")
    assert any(v["element_name"] == XSS for p in result["plans"] for v in p["violations"])
    path = tmp_path / "xss.html"
    path.write_text(html_report.render(result), encoding="utf-8")
    ctx, page, problems, _ = _open(browser, path)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        page.reload()
        page.wait_for_timeout(300)
        assert dialogs == []
        assert page.locator("span.element-name", has_text=XSS).first.is_visible()
        assert page.locator("body script").count() == 1
        assert problems == []
    finally:
        ctx.close()


SCROLL = "(sel) => { const s = document.querySelector(sel); return [s.scrollWidth, s.clientWidth]; }"
WIDTHS = (390, 1024, 1400)


@pytest.fixture(scope="module")
def reports_by_lang() -> dict[str, tuple[Path, dict]]:
    """The datasets with the tagged PDF fixture, in both languages."""
    out = {}
    for lang in ("sv", "en"):
        result = audited([DATASETS, PDF], lang)
        out[lang] = write_report(result, f"report-{lang}.html"), result
    return out


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_nothing_overflows_the_page_at_390_1024_and_1400(browser, reports_by_lang, lang):
    path, result = reports_by_lang[lang]
    assert any(p.get("notices") for p in result["plans"])  # the overview has its notices column
    for width in WIDTHS:
        ctx = browser.new_context(viewport={"width": width, "height": 900})
        try:
            page = ctx.new_page()
            page.goto(path.as_uri())
            scroll_width, client_width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            assert scroll_width <= client_width, f"{lang} at {width} px: the page is {scroll_width} px wide"  # tables scroll in their own box
            if width >= 1024:
                scroll_width, client_width = page.evaluate(SCROLL, "#overview .scroll")
                assert scroll_width <= client_width, f"the overview is {scroll_width} px wide in {client_width} px"
            page.screenshot(path=str(ARTIFACTS / f"report-{lang}-{width}.png"))
        finally:
            ctx.close()


#: The printed report of the datasets before issue 15: 142 findings on 43 A4 pages in English, 44 in Swedish.
FINDINGS_PER_PAGE_BEFORE = 142 / 43


def _print(browser, path: Path, pdf: Path) -> list[str]:
    """The report printed by Chromium (its own @page size and margins), the text of each page."""
    import pdfplumber

    ctx = browser.new_context()
    try:
        page = ctx.new_page()
        page.goto(path.as_uri())
        page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    finally:
        ctx.close()
    with pdfplumber.open(pdf) as doc:
        assert {(round(p.width), round(p.height)) for p in doc.pages} == {(595, 842)}  # A4
        return [p.extract_text() or "" for p in doc.pages]


def _pictures(pdf: Path, pages: int) -> None:
    """The first pages of a printed PDF as PNG, to look at."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        for i in range(min(pages, len(doc))):
            doc[i].render(scale=1.5).to_pil().save(pdf.with_name(f"{pdf.stem}-page{i + 1}.png"))
    finally:
        doc.close()


@pytest.mark.parametrize(("lang", "numbering", "verdict"), [("sv", "sida {} av {}", "Underkänd vid felnivå fel"),
                                                            ("en", "page {} of {}", "Failed at fail level error")])
def test_the_printed_report_is_a_numbered_a4_document(browser, reports_by_lang, lang, numbering, verdict):
    path, result = reports_by_lang[lang]
    pdf = ARTIFACTS / f"report-{lang}.pdf"
    pages = _print(browser, path, pdf)
    _pictures(pdf, 4)
    for n, text in enumerate(pages, 1):
        assert numbering.format(n, len(pages)) in text, f"page {n} has no page number"
        assert verdict in text  # in the margin of every page
    assert "SHA-256" in pages[0] and verdict in pages[0].split("\n", 3)[-1]  # the verdict and the trail on page 1
    # at least twice the findings a page of the report before issue 15
    assert result["summary"]["violations"] / len(pages) >= 2 * FINDINGS_PER_PAGE_BEFORE, len(pages)


def test_a_plan_version_is_named_on_every_page_its_findings_continue_on(browser, reports_by_lang):
    path, result = reports_by_lang["en"]
    pages = _print(browser, path, ARTIFACTS / "report-en.pdf")
    labels = [f"{p['title']} · version {p['version']}" for p in result["plans"]]
    rule = re.compile(r"^PK\d{3}\b", re.MULTILINE)
    # the pages of plan versions: not the waived findings nor the rules, whose tables repeat their own headers
    with_findings = [text for text in pages if rule.search(text) and "Rule family" not in text and "Waived findings" not in text]
    assert len(with_findings) > len(result["plans"])  # findings continue over pages
    for text in with_findings:
        assert any(label in " ".join(text.split()) for label in labels), text[:300]


def test_a_pdf_finding_shows_its_page_region(browser, reports_by_lang):
    path, _ = reports_by_lang["en"]
    ctx, page, problems, _ = _open(browser, path)
    try:
        section = page.locator("section.version", has_text="004-rich-tagged.pdf")
        images = section.locator('tr.evidence img[src^="data:image/png"]')
        assert images.count() == section.locator("tr.violation").count() > 0
        first = images.first
        first.scroll_into_view_if_needed()
        assert first.is_visible()
        assert first.evaluate("img => img.complete && img.naturalWidth > 100")  # decoded: the policy allows data: images
        first.screenshot(path=str(ARTIFACTS / "evidence-pdf.png"))
        assert problems == []
    finally:
        ctx.close()


def test_notices_are_listed_under_their_plan_version_and_follow_the_version_filter(browser, report):
    path, result = report
    with_notices = [p for p in result["plans"] if p.get("notices")]
    ctx, page, problems, _ = _open(browser, path)
    try:
        assert _visible(page, "tr.notice") == sum(len(p["notices"]) for p in result["plans"]) > 0
        plan = with_notices[-1]
        page.get_by_label("Plan version").select_option(f"{plan['plan']}@{plan['version']}")
        assert _visible(page, "tr.notice") == len(plan["notices"])
        page.get_by_label("Severity").select_option("warning")  # notices are not violations: no severity hides them
        assert _visible(page, "tr.notice") == len(plan["notices"])
        assert problems == []
    finally:
        ctx.close()
