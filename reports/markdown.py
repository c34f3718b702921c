"""Markdown for a pull-request comment: a summary table per plan version, the violations of each,
the notices from reading each document, the waived findings and the declared exceptions (used and
unused, per plan version) in collapsed <details>. All document text is escaped (GitHub renders
HTML inside Markdown, so < > & become entities, and Markdown punctuation is backslash-escaped)."""

from __future__ import annotations

import re
from typing import Any

from plankoll.reports._common import (
    active,
    changes,
    error_text,
    exception_name,
    exception_state,
    exception_uses,
    exception_where,
    exceptions,
    exceptions_count,
    notice_count,
    notice_place,
    notices,
    notices_summary,
    ordered_plans,
    relative_path,
    source_text,
    summary_text,
    version_id,
    waived,
    without_surrogates,
)

from plankoll.i18n import at, t

MAX_ROWS = 100  # violations listed per plan version; GitHub comments hold at most 65 536 characters

_SPECIAL = re.compile(r"([\\`*_\[\]|#~])")


def esc(text: Any) -> str:
    """Text safe inside a Markdown table cell (and anywhere else in the comment)."""
    s = "" if text is None else str(text)
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # after the backslashes are escaped: the escape of a non-UTF-8 file name's byte reads '\\udce4'
    s = without_surrogates(_SPECIAL.sub(r"\\\1", s))
    return re.sub(r"\s*[\r\n]+\s*", " ", s).strip()


def _where(v: dict[str, Any], lang: str) -> str:
    loc = v.get("location") or {}
    file = relative_path(loc.get("file"))
    spot = at(loc, lang, file)
    parts = [esc(spot if spot != file else f"{file}:-")]  # 'file:12', 'file (table 3, row 5, column 2)'
    src = source_text(v, t(lang, "source_line", line="").strip(), t(lang, "source_page", page="").strip())
    if src:
        parts.append(esc(src))
    printed = (v.get("source") or {}).get("printed")
    if printed is not None:
        parts.append(f"{t(lang, 'printed')} «{esc(printed)}»")
    return "<br>".join(parts)


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _overview(result: dict[str, Any], plans: list[dict[str, Any]], diff: dict[str, Any]) -> list[str]:
    """The summary line(s) and a table of the counts per plan version (with changes and notices when there are any)."""
    lang = result["lang"]
    out = [("❌ " if result["summary"]["failed"] else "✅ ") + esc(summary_text(result))]
    with_notices = notice_count(result) > 0
    if with_notices:
        out += ["", esc(notices_summary(result))]
    head = [t(lang, k) for k in ("plan", "version", "status", "errors", "warnings", "infos", "waived_count")]
    head += [t(lang, "notices")] * with_notices + [t(lang, "change")] * bool(diff)
    out += ["", _row(head), "|" + "|".join(["---"] * 3 + ["---:"] * (4 + with_notices) + (["---"] if diff else [])) + "|"]
    for p in plans:
        c = p["counts"]
        row = [esc(p["title"]), esc(p["version"]), esc(p["status"]), str(c["error"]), str(c["warning"]), str(c["info"]), str(c["waived"])]
        row += [str(len(notices(p)))] * with_notices
        if diff:
            ch = diff.get(version_id(p))
            row.append(f"+{len(ch['new'])} / −{len(ch['resolved'])} / ={len(ch['persisting'])}" if ch else "")
        out.append(_row(row))
    if diff:
        out += ["", f"_{esc(t(lang, 'change'))}: + {esc(t(lang, 'change_new').lower())} / − {esc(t(lang, 'change_resolved').lower())}"
                f" / = {esc(t(lang, 'change_persisting').lower())}_"]
    return out


def _violations(p: dict[str, Any], lang: str, ch: dict[str, Any] | None) -> list[str]:
    """The active violations of one plan version (at most MAX_ROWS)."""
    act = active(p)
    if not act:
        return []
    out = ["", f"### {esc(t(lang, 'md_violations', title=p['title'], version=p['version']))}", ""]
    if ch:
        out += [esc(t(lang, "change_summary", previous=ch["previous"]["version"], new=len(ch["new"]), resolved=len(ch["resolved"]),
                      persisting=len(ch["persisting"]))), ""]
    out.append(_row([t(lang, k) for k in ("rule", "severity", "element", "message", "where", "expected", "actual")]))
    out.append("|---|---|---|---|---|---|---|")
    for v in act[:MAX_ROWS]:
        out.append(_row([esc(v["rule"]), esc(t(lang, v["severity"])), esc(v["element_name"]), esc(v["message"]),
                         _where(v, lang), esc(v["expected"]), esc(v["actual"])]))
    if len(act) > MAX_ROWS:
        out += ["", esc(t(lang, "md_truncated", count=len(act) - MAX_ROWS))]
    return out


def _notices(plan: dict[str, Any], lang: str) -> list[str]:
    """A collapsed list of what the importer could not interpret (at most MAX_ROWS); its summary gives the count."""
    found = notices(plan)
    if not found:
        return []
    summary = esc(t(lang, "md_notices", title=plan["title"], version=plan["version"], count=len(found)))
    out = ["", "<details>", f"<summary>{summary}</summary>", ""]
    out += [f"- {esc(notice_place(n, plan, lang))}: {esc(n['message'])}" for n in found[:MAX_ROWS]]
    if len(found) > MAX_ROWS:
        out += ["", esc(t(lang, "md_truncated", count=len(found) - MAX_ROWS))]
    return [*out, "", "</details>"]


def _waivers(plans: list[dict[str, Any]], lang: str) -> list[str]:
    all_waived = [(p, v) for p in plans for v in waived(p)]
    out = ["", "<details>", f"<summary>{esc(t(lang, 'md_waivers', count=len(all_waived)))}</summary>", ""]
    if all_waived:
        out.append(_row([t(lang, k) for k in ("rule", "filter_version", "element", "reason", "where")]))
        out.append("|---|---|---|---|---|")
        for p, v in all_waived:
            out.append(_row([esc(v["rule"]), f"{esc(p['plan'])} · {esc(p['version'])}", esc(v["element_name"]),
                             esc(v["waived"]), _where(v, lang)]))
    else:
        out.append(esc(t(lang, "no_waivers")))
    return [*out, "", "</details>"]


def _exceptions(plans: list[dict[str, Any]], lang: str) -> list[str]:
    """Every exception the plan files declare, used or not: a table per plan version, collapsed."""
    summary = f"{t(lang, 'exceptions_heading')} ({exceptions_count(plans, lang)})"
    out = ["", "<details>", f"<summary>{esc(summary)}</summary>"]
    for p in (p for p in plans if exceptions(p)):
        out += ["", f"**{esc(t(lang, 'md_exceptions_version', title=p['title'], version=p['version']))}**", ""]
        out.append(_row([t(lang, k) for k in ("rule", "element", "reason", "where", "exception_state")]))
        out.append("|---|---|---|---|---|")
        for e, n in zip(exceptions(p), exception_uses(p), strict=True):
            out.append(_row([esc(e["rule"]), f"{esc(exception_name(e, p))}<br>{esc(e['element'])}", esc(e["reason"]),
                             esc(exception_where(e, p)), esc(exception_state(e, n, lang))]))
    if not any(exceptions(p) for p in plans):
        out += ["", esc(t(lang, "no_exceptions"))]
    return [*out, "", "</details>"]


def render(result: dict[str, Any]) -> str:
    lang = result["lang"]
    diff = changes(result)
    plans = ordered_plans(result)
    out = [f"## {t(lang, 'md_title')}", "", *_overview(result, plans, diff)]
    for p in plans:
        out += _violations(p, lang, diff.get(version_id(p))) + _notices(p, lang)
    out += _waivers(plans, lang) + _exceptions(plans, lang)
    if result["errors"]:
        out += ["", f"### {esc(t(lang, 'errors_heading'))}", ""]
        out += [f"- {esc(relative_path(e.get('file')))}:{e.get('line') or '-'}: {esc(error_text(e, lang))}" for e in result["errors"]]
    return "\n".join(out) + "\n"
