"""Terminal text: one block per plan version, a table of its violations, a summary line."""

from __future__ import annotations

import textwrap
from typing import Any

from tabulate import tabulate

from plankoll.i18n import t, where


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width)) if text else ""


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
        out.append("")
    if result["errors"]:
        out.append(f"{t(lang, 'errors_heading')}:")
        for e in result["errors"]:
            out.append(f"  {e['file']}:{e['line'] or '-'}: {e['message']}")
        out.append("")
    s = result["summary"]
    if "new" in s:
        out.append(t(lang, "new_since_baseline", new=s["new"]))
    out.append(t(lang, "summary", plans=s["plan_versions"], error=s["error"], warning=s["warning"], info=s["info"],
                 waived=s["waived"], errors=s["errors"]))
    return "\n".join(out) + "\n"
