"""Markdown for a pull-request comment: a summary table per plan version, the violations of each,
the declared exceptions in a collapsed <details>. All document text is escaped (GitHub renders
HTML inside Markdown, so < > & become entities, and Markdown punctuation is backslash-escaped)."""

from __future__ import annotations

import re
from typing import Any

from plankoll.reports._common import active, changes, ordered_plans, relative_path, source_text, version_id, waived

from plankoll.i18n import t

MAX_ROWS = 100  # violations listed per plan version; GitHub comments hold at most 65 536 characters

_SPECIAL = re.compile(r"([\\`*_\[\]|#~])")


def esc(text: Any) -> str:
    """Text safe inside a Markdown table cell (and anywhere else in the comment)."""
    s = "" if text is None else str(text)
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = _SPECIAL.sub(r"\\\1", s)
    return re.sub(r"\s*[\r\n]+\s*", " ", s).strip()


def _where(v: dict[str, Any], lang: str) -> str:
    loc = v.get("location") or {}
    parts = [f"{esc(relative_path(loc.get('file')))}:{loc.get('line') or '-'}"]
    src = source_text(v, t(lang, "source_line", line="").strip(), t(lang, "source_page", page="").strip())
    if src:
        parts.append(esc(src))
    printed = (v.get("source") or {}).get("printed")
    if printed is not None:
        parts.append(f"{t(lang, 'printed')} «{esc(printed)}»")
    return "<br>".join(parts)


def render(result: dict[str, Any]) -> str:
    lang = result["lang"]
    s = result["summary"]
    diff = changes(result)
    plans = ordered_plans(result)
    out = [f"## {t(lang, 'md_title')}", ""]
    out.append(("❌ " if s["failed"] else "✅ ") + esc(t(lang, "summary", plans=s["plan_versions"], error=s["error"], warning=s["warning"],
                                                      info=s["info"], waived=s["waived"], errors=s["errors"])))
    out.append("")
    head = [t(lang, k) for k in ("plan", "version", "status", "errors", "warnings", "infos", "waived_count")]
    if diff:
        head.append(t(lang, "change"))
    out.append("| " + " | ".join(head) + " |")
    out.append("|" + "|".join(["---"] * 3 + ["---:"] * 4 + (["---"] if diff else [])) + "|")
    for p in plans:
        c = p["counts"]
        row = [esc(p["title"]), esc(p["version"]), esc(p["status"]), str(c["error"]), str(c["warning"]), str(c["info"]), str(c["waived"])]
        if diff:
            ch = diff.get(version_id(p))
            row.append(f"+{len(ch['new'])} / −{len(ch['resolved'])} / ={len(ch['persisting'])}" if ch else "")
        out.append("| " + " | ".join(row) + " |")
    if diff:
        out += ["", f"_{esc(t(lang, 'change'))}: + {esc(t(lang, 'change_new').lower())} / − {esc(t(lang, 'change_resolved').lower())}"
                f" / = {esc(t(lang, 'change_persisting').lower())}_"]
    for p in plans:
        act = active(p)
        if not act:
            continue
        out += ["", f"### {esc(t(lang, 'md_violations', title=p['title'], version=p['version']))}", ""]
        ch = diff.get(version_id(p))
        if ch:
            out += [esc(t(lang, "change_summary", previous=ch["previous"]["version"], new=len(ch["new"]), resolved=len(ch["resolved"]),
                          persisting=len(ch["persisting"]))), ""]
        out.append("| " + " | ".join(t(lang, k) for k in ("rule", "severity", "element", "message", "where", "expected", "actual")) + " |")
        out.append("|---|---|---|---|---|---|---|")
        for v in act[:MAX_ROWS]:
            out.append("| " + " | ".join([esc(v["rule"]), esc(t(lang, v["severity"])), esc(v["element_name"]), esc(v["message"]),
                                          _where(v, lang), esc(v["expected"]), esc(v["actual"])]) + " |")
        if len(act) > MAX_ROWS:
            out += ["", esc(t(lang, "md_truncated", count=len(act) - MAX_ROWS))]
    all_waived = [(p, v) for p in plans for v in waived(p)]
    out += ["", "<details>", f"<summary>{esc(t(lang, 'md_waivers', count=len(all_waived)))}</summary>", ""]
    if all_waived:
        out.append("| " + " | ".join(t(lang, k) for k in ("rule", "filter_version", "element", "reason", "where")) + " |")
        out.append("|---|---|---|---|---|")
        for p, v in all_waived:
            out.append("| " + " | ".join([esc(v["rule"]), f"{esc(p['plan'])} · {esc(p['version'])}", esc(v["element_name"]),
                                          esc(v["waived"]), _where(v, lang)]) + " |")
    else:
        out.append(esc(t(lang, "no_waivers")))
    out += ["", "</details>"]
    if result["errors"]:
        out += ["", f"### {esc(t(lang, 'errors_heading'))}", ""]
        out += [f"- {esc(relative_path(e.get('file')))}:{e.get('line') or '-'}: {esc(e['message'])}" for e in result["errors"]]
    return "\n".join(out) + "\n"
