"""GitHub Actions workflow annotations: one `::error`/`::warning`/`::notice` command per violation.

Escaping as the GitHub Actions toolkit does it (@actions/core, command.ts): in the message
`%` `\\r` `\\n` become `%25` `%0D` `%0A`; in a property value (file, line, title) also `:` and `,`
become `%3A` and `%2C`. Waived violations are notices whose title says so and whose message gives
the declared reason; unreadable files are errors. A place in a Word document (table, row, column)
has no `line=`: it stands in the message. What the importer could not interpret in a document (the
plan version's notices) are `::notice` commands titled so.

Against a baseline (--baseline, --baseline-ref) only new and changed violations are `::error` or
`::warning` (by severity), titled so ("ny", "ändrad: var 470 / 400"); known ones are `::notice`,
titled "känd", since they do not decide the outcome. Resolved ones have no place in the files and
get no command. Without a baseline every active violation is a command of its severity.
"""

from __future__ import annotations

from typing import Any

from plankoll.reports._common import (
    baseline_suffix,
    error_text,
    notices,
    ordered_plans,
    relative_path,
    rules_by_id,
    state,
    state_text,
    without_surrogates,
)

from plankoll.i18n import place, t

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: Any) -> str:
    """A command's message: no line break survives, so nothing in it can start a command of its own
    (a byte of a non-UTF-8 file name becomes '\\udce4': stdout need not take surrogates)."""
    return without_surrogates(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: Any) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **props: Any) -> str:
    attrs = ",".join(f"{k}={escape_property(v)}" for k, v in props.items() if v not in (None, ""))
    return f"::{name}{' ' + attrs if attrs else ''}::{escape_data(message)}"


def _violation(v: dict[str, Any], plan: dict[str, Any], rules: dict[str, dict[str, Any]], lang: str, baseline: str = "") -> str:
    loc = v.get("location") or {}
    title = f"{v['rule']} {rules.get(v['rule'], {}).get('title') or ''}".strip()
    message = f"{v['message']}\n{t(lang, 'expected')}: {v['expected']} · {t(lang, 'actual')}: {v['actual']}"
    if place(loc, lang):
        message += f"\n{t(lang, 'where')}: {place(loc, lang)}"
    if v["waived"] is None:
        name = COMMANDS.get(v["severity"], "warning")
        if state(v) is not None:
            title = f"{title} ({state_text(v, lang)})"
        if state(v) == "known":
            name = "notice"  # in the baseline with the same figures: it does not decide the outcome
            known = t(lang, "known_since", baseline=baseline)
            message = f"{known[:1].upper()}{known[1:]}.\n{message}"
    else:
        name = "notice"
        title = f"{title} ({t(lang, 'waived_count').lower()})"
        message = f"{t(lang, 'waived_for', reason=v['waived'])}\n{message}"
    return command(name, message, file=relative_path(loc.get("file") or plan["file"]), line=loc.get("line"), title=title)


def _notice(n: dict[str, Any], plan: dict[str, Any], lang: str) -> str:
    loc = n.get("location") or {}
    message = n["message"] + (f"\n{t(lang, 'where')}: {place(loc, lang)}" if place(loc, lang) else "")
    return command("notice", message, file=relative_path(loc.get("file") or plan["file"]), line=loc.get("line"),
                   title=t(lang, "notice_title"))


def render(result: dict[str, Any]) -> str:
    lang = result["lang"]
    rules = rules_by_id(result)
    baseline = baseline_suffix(result, lang)
    lines = []
    for plan in ordered_plans(result):
        lines += [_violation(v, plan, rules, lang, baseline) for v in plan["violations"]]
        lines += [_notice(n, plan, lang) for n in notices(plan)]
    for e in result["errors"]:
        lines.append(command("error", error_text(e, lang), file=relative_path(e.get("file")), line=e.get("line"),
                             title=f"plankoll: {t(lang, 'input_errors_title')}"))
    return "".join(line + "\n" for line in lines)
