"""Terminal text: one block per plan version (a table of its violations, its waived findings, its
declared exceptions, the notices from reading its document), the unreadable files, a summary line.

Everything a document or a file name brings is made visible, never obeyed: control characters and
bidi overrides become escapes (`\\x1b`, `\\u202e`), and no line may begin a GitHub workflow command
(stdout is the workflow log in --github mode)."""

from __future__ import annotations

import re
import textwrap
from typing import Any

from plankoll.reports._common import (
    active,
    error_text,
    exception_name,
    exception_state,
    exception_uses,
    exceptions,
    notice_count,
    notice_place,
    notices,
    notices_summary,
    summary_text,
    visible,
    waived,
)
from tabulate import tabulate

from plankoll.i18n import t, where

# The runner reads `::command::` at the start of a line (after leading blanks) and the legacy
# `##[command]` anywhere in it; a wrapped line of document text could place either there.
_COMMAND_START = re.compile(r"^(\s*):(?=:)", re.MULTILINE)
_LEGACY_COMMAND = re.compile(r"##\[")


def _wrap(text: Any, width: int) -> str:
    return "\n".join(textwrap.wrap(visible(text), width)) if text else ""


def _inert(text: str) -> str:
    """No line of the output starts a workflow command: the first colon of '::' at a line's start and
    the bracket of '##[' are written as escapes."""
    return _LEGACY_COMMAND.sub(r"##\\x5b", _COMMAND_START.sub(r"\1\\x3a", text))


def _notices(plan: dict[str, Any], lang: str) -> list[str]:
    """'Anmärkningar (2):' and one wrapped item per notice: '  - tabell 16: …'."""
    found = notices(plan)
    if not found:
        return []
    items = [textwrap.wrap(visible(f"{notice_place(n, plan, lang)}: {n['message']}"), 110, initial_indent="  - ",
                           subsequent_indent="    ") for n in found]
    return [f"{t(lang, 'notices_heading')} ({len(found)}):", *("\n".join(item) for item in items)]


def _violations(plan: dict[str, Any], lang: str) -> list[str]:
    act = active(plan)
    if not act:
        return [t(lang, "no_violations")]
    new = f" ({t(lang, 'new_marker')})"
    rows = [[v["rule"] + (new if v.get("new") else ""), t(lang, v["severity"]),
             _wrap(v["message"], 96) + "\n  ↳ " + visible(where(v, lang))] for v in act]
    return [tabulate(rows, headers=[t(lang, k) for k in ("rule", "severity", "message")], tablefmt="simple")]


def _waived(plan: dict[str, Any], lang: str) -> list[str]:
    found = waived(plan)
    if not found:
        return []
    rows = [[visible(v["rule"]), _wrap(v["element_name"], 40), _wrap(v["waived"], 60)] for v in found]
    return [f"{t(lang, 'waived_heading')}:",
            tabulate(rows, headers=[t(lang, "rule"), t(lang, "element"), t(lang, "waived")], tablefmt="simple")]


def _exceptions(plan: dict[str, Any], lang: str) -> list[str]:
    """Every exception the plan file declares: rule, element, reason, line, and whether it waived anything."""
    declared = exceptions(plan)
    if not declared:
        return []
    # the block stands under the plan line, which names the file: its line is enough
    rows = [[visible(e["rule"]), _wrap(exception_name(e, plan), 40), _wrap(e["reason"], 50),
             t(lang, "source_line", line=e["line"]) if e.get("line") else "-", exception_state(e, n, lang)]
            for e, n in zip(declared, exception_uses(plan), strict=True)]
    heads = [t(lang, k) for k in ("rule", "element", "reason", "where", "exception_state")]
    return [f"{t(lang, 'exceptions_heading')} ({len(declared)}):", tabulate(rows, headers=heads, tablefmt="simple")]


def _plan(plan: dict[str, Any], lang: str) -> list[str]:
    head = t(lang, "plan_line", **{k: visible(plan[k]) for k in ("title", "body", "version", "status", "file")})
    return [head, *_violations(plan, lang), *_waived(plan, lang), *_exceptions(plan, lang), *_notices(plan, lang), ""]


def _errors(result: dict[str, Any]) -> list[str]:
    if not result["errors"]:
        return []
    lang = result["lang"]
    lines = [f"  {visible(e['file'])}:{e['line'] or '-'}: {visible(error_text(e, lang))}" for e in result["errors"]]
    return [f"{t(lang, 'errors_heading')}:", *lines, ""]


def render(result: dict[str, Any]) -> str:
    lang = result["lang"]
    out = [line for plan in result["plans"] for line in _plan(plan, lang)] + _errors(result)
    if notice_count(result):
        out.append(notices_summary(result))
    if "new" in result["summary"]:
        out.append(t(lang, "new_since_baseline", new=result["summary"]["new"]))
    out.append(summary_text(result))
    return _inert("\n".join(out) + "\n")
