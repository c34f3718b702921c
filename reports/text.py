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
    resolved,
    resolved_plans,
    rules_by_id,
    state_text,
    states_line,
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


def _marked(v: dict[str, Any], lang: str) -> str:
    """'PK101', or against a baseline 'PK101 (ny)', 'PK101 (känd)', 'PK101 (ändrad: var 470 / 400)' (wrapped)."""
    marker = state_text(v, lang)
    if not marker:
        return visible(v["rule"])
    return "\n".join(textwrap.wrap(visible(f"{v['rule']} ({marker})"), 30, break_on_hyphens=False))


def _violations(plan: dict[str, Any], lang: str) -> list[str]:
    act = active(plan)
    if not act:
        return [t(lang, "no_violations")]
    rows = [[_marked(v, lang), t(lang, v["severity"]),
             _wrap(v["message"], 96) + "\n  ↳ " + visible(where(v, lang))] for v in act]
    return [tabulate(rows, headers=[t(lang, k) for k in ("rule", "severity", "message")], tablefmt="simple")]


def _resolved_rows(found: list[dict[str, Any]], lang: str, rules: dict[str, dict[str, Any]]) -> str:
    """Rule, its title, the element and what the base expected and found; the base's message is left
    out (its language is the base run's)."""
    rows = [[visible(v.get("rule")), _wrap(rules.get(str(v.get("rule")), {}).get("title") or "", 40),
             _wrap(v.get("element_name") or v.get("element"), 40), _wrap(v.get("expected"), 30), _wrap(v.get("actual"), 30)]
            for v in found]
    return tabulate(rows, headers=[t(lang, k) for k in ("rule", "title", "element", "expected", "actual")], tablefmt="simple")


def _resolved(plan: dict[str, Any], lang: str, rules: dict[str, dict[str, Any]]) -> list[str]:
    """'Åtgärdade sedan baslinjen (1):' and a table of the base's violations that are gone."""
    found = resolved(plan)
    if not found:
        return []
    return [f"{t(lang, 'resolved_heading')} ({len(found)}):", _resolved_rows(found, lang, rules)]


def _resolved_plans(result: dict[str, Any], lang: str) -> list[str]:
    """The plans of the base that are gone from the run: their resolved violations, per plan."""
    gone = resolved_plans(result)
    if not gone:
        return []
    rules = rules_by_id(result)
    out = [f"{t(lang, 'resolved_plans_heading')}:"]
    for p in gone:
        out += [f"{visible(p['plan'])} · version {visible(p.get('version'))} · {visible(p.get('file'))} ({len(p['resolved'])}):",
                _resolved_rows(p["resolved"], lang, rules)]
    return [*out, ""]


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


def _plan(plan: dict[str, Any], lang: str, rules: dict[str, dict[str, Any]]) -> list[str]:
    head = t(lang, "plan_line", **{k: visible(plan[k]) for k in ("title", "body", "version", "status", "file")})
    return [head, *_violations(plan, lang), *_resolved(plan, lang, rules), *_waived(plan, lang), *_exceptions(plan, lang),
            *_notices(plan, lang), ""]


def _errors(result: dict[str, Any]) -> list[str]:
    if not result["errors"]:
        return []
    lang = result["lang"]
    lines = [f"  {visible(e['file'])}:{e['line'] or '-'}: {visible(error_text(e, lang))}" for e in result["errors"]]
    return [f"{t(lang, 'errors_heading')}:", *lines, ""]


def render(result: dict[str, Any]) -> str:
    lang = result["lang"]
    rules = rules_by_id(result)
    out = [line for plan in result["plans"] for line in _plan(plan, lang, rules)] + _resolved_plans(result, lang) + _errors(result)
    if notice_count(result):
        out.append(notices_summary(result))
    summary = result["summary"]
    if "known" in summary or "changed" in summary:
        out.append(visible(states_line(result)))
    elif "new" in summary:  # a result of older code: only new ones are marked
        out.append(t(lang, "new_since_baseline", new=summary["new"]))
    out.append(summary_text(result))
    return _inert("\n".join(out) + "\n")
