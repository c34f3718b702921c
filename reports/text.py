"""Terminal text: one block per plan version (a table of its violations, its declared exceptions,
the notices from reading its document), a summary line."""

from __future__ import annotations

import textwrap
from typing import Any

from plankoll.reports._common import notice_count, notice_place, notices
from tabulate import tabulate

from plankoll.i18n import t, where


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width)) if text else ""


def _notices(plan: dict[str, Any], lang: str) -> list[str]:
    """'Anmärkningar från inläsningen (2):' and one wrapped item per notice: '  - tabell 16: …'."""
    found = notices(plan)
    if not found:
        return []
    items = [textwrap.wrap(f"{notice_place(n, plan, lang)}: {n['message']}", 110, initial_indent="  - ", subsequent_indent="    ")
             for n in found]
    return [f"{t(lang, 'notices_heading')} ({len(found)}):", *("\n".join(item) for item in items)]


def render(result: dict[str, Any]) -> str:
    lang = result["lang"]
    out: list[str] = []
    for plan in result["plans"]:
        out.append(t(lang, "plan_line", title=plan["title"], body=plan["body"], version=plan["version"],
                     status=plan["status"], file=plan["file"]))
        active = [v for v in plan["violations"] if v["waived"] is None]
        waived = [v for v in plan["violations"] if v["waived"] is not None]
        if active:
            new = f" ({t(lang, 'new_marker')})"
            rows = [[v["rule"] + (new if v.get("new") else ""), t(lang, v["severity"]), _wrap(v["message"], 96) + "\n  ↳ " + where(v, lang)]
                    for v in active]
            out.append(tabulate(rows, headers=[t(lang, k) for k in ("rule", "severity", "message")], tablefmt="simple"))
        else:
            out.append(t(lang, "no_violations"))
        if waived:
            out.append(f"{t(lang, 'waived_heading')}:")
            rows = [[v["rule"], _wrap(v["element_name"], 40), _wrap(v["waived"], 60)] for v in waived]
            out.append(tabulate(rows, headers=[t(lang, "rule"), t(lang, "element"), t(lang, "waived")], tablefmt="simple"))
        out += _notices(plan, lang)
        out.append("")
    if result["errors"]:
        out.append(f"{t(lang, 'errors_heading')}:")
        for e in result["errors"]:
            out.append(f"  {e['file']}:{e['line'] or '-'}: {e['message']}")
        out.append("")
    s = result["summary"]
    if notice_count(result):
        out.append(t(lang, "notices_summary", count=notice_count(result)))
    if "new" in s:
        out.append(t(lang, "new_since_baseline", new=s["new"]))
    out.append(t(lang, "summary", plans=s["plan_versions"], error=s["error"], warning=s["warning"], info=s["info"],
                 waived=s["waived"], errors=s["errors"]))
    return "\n".join(out) + "\n"
