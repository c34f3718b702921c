"""User-interface strings of the reports in Swedish and English (rule texts live in the rulebooks)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "sv": {
        "rule": "Regel", "severity": "Nivå", "element": "Element", "where": "Var", "message": "Meddelande",
        "expected": "Förväntat", "actual": "Faktiskt", "waived": "Undantag (skäl)",
        "no_violations": "Inga avvikelser.", "waived_heading": "Deklarerade undantag",
        "errors_heading": "Filer som inte kunde läsas",
        "summary": "{plans} planversioner: {error} fel, {warning} varningar, {info} info, {waived} undantagna, {errors} oläsbara filer.",
        "error": "fel", "warning": "varning", "info": "info",
        "plan_line": "{title} · {body} · version {version} ({status}) · {file}",
        "source_line": "rad {line}", "source_page": "sid {page}",
    },
    "en": {
        "rule": "Rule", "severity": "Severity", "element": "Element", "where": "Where", "message": "Message",
        "expected": "Expected", "actual": "Actual", "waived": "Waiver (reason)",
        "no_violations": "No violations.", "waived_heading": "Declared exceptions",
        "errors_heading": "Files that could not be read",
        "summary": "{plans} plan versions: {error} errors, {warning} warnings, {info} info, {waived} waived, {errors} unreadable files.",
        "error": "error", "warning": "warning", "info": "info",
        "plan_line": "{title} · {body} · version {version} ({status}) · {file}",
        "source_line": "line {line}", "source_page": "page {page}",
    },
}


def t(lang: str, key: str, **kwargs: object) -> str:
    text = STRINGS.get(lang, STRINGS["en"])[key]
    return text.format(**kwargs) if kwargs else text


def where(violation: dict, lang: str) -> str:
    """'file:12 · source line 159' for a violation."""
    loc = violation["location"]
    parts = [f"{loc['file']}:{loc['line']}" if loc.get("line") else str(loc["file"])]
    src = violation["source"]
    if src.get("line"):
        parts.append(f"{src['document']} {t(lang, 'source_line', line=src['line'])}")
    elif src.get("page"):
        parts.append(f"{src['document']} {t(lang, 'source_page', page=src['page'])}")
    return " · ".join(parts)
