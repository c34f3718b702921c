"""Markdown for a pull-request comment: a summary table per plan version, the violations of each,
the notices from reading each document, the waived findings and the declared exceptions (used and
unused, per plan version) in collapsed <details>. All document text is escaped (GitHub renders
HTML inside Markdown, so < > & become entities, and Markdown punctuation is backslash-escaped).

Against a baseline (--baseline, --baseline-ref) each plan version lists its new and changed
violations in full, its known ones collapsed in <details>, and what was resolved since; the plans of
the base that are gone are listed at the end.

A comment on GitHub holds at most 65,536 characters: the Markdown is at most CAP (65,000). When the
whole would be longer, it is cut at plan-version boundaries: first the known violations are left
out, from the last plan version backwards, then whole plan versions from the last one backwards;
the overview table keeps every plan version, and a line under it says what was left out and that
the full result is in the HTML or JSON report."""

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
    has_states,
    notice_count,
    notice_place,
    notices,
    notices_summary,
    ordered_plans,
    relative_path,
    resolved,
    resolved_plans,
    rules_by_id,
    source_text,
    state,
    state_counts,
    state_text,
    states_line,
    summary_text,
    version_id,
    waived,
    without_surrogates,
)

from plankoll.i18n import at, plural, t

MAX_ROWS = 100  # violations listed per plan version (and per state); GitHub comments hold at most 65 536 characters
CAP = 65_000  # characters of the whole comment (GitHub's limit is 65 536)

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


def _overview(result: dict[str, Any], plans: list[dict[str, Any]], diff: dict[str, Any], left_out: str = "") -> list[str]:
    """The summary line(s) and a table of the counts per plan version (with changes, notices and the
    states against a baseline when there are any); under it, what a capped comment left out."""
    lang = result["lang"]
    out = [("❌ " if result["summary"]["failed"] else "✅ ") + esc(summary_text(result))]
    with_states = has_states(result)
    if with_states:
        out += ["", esc(states_line(result))]
    with_notices = notice_count(result) > 0
    if with_notices:
        out += ["", esc(notices_summary(result))]
    head = [t(lang, k) for k in ("plan", "version", "status", "errors", "warnings", "infos", "waived_count")]
    head += [t(lang, "notices")] * with_notices + [t(lang, "change")] * bool(diff) + [t(lang, "against_baseline")] * with_states
    out += ["", _row(head), "|" + "|".join(["---"] * 3 + ["---:"] * (4 + with_notices) + (["---"] if diff else [])
                                           + (["---"] if with_states else [])) + "|"]
    for p in plans:
        c = p["counts"]
        row = [esc(p["title"]), esc(p["version"]), esc(p["status"]), str(c["error"]), str(c["warning"]), str(c["info"]), str(c["waived"])]
        row += [str(len(notices(p)))] * with_notices
        if diff:
            ch = diff.get(version_id(p))
            row.append(f"+{len(ch['new'])} / −{len(ch['resolved'])} / ={len(ch['persisting'])}" if ch else "")
        if with_states:
            row.append(esc(state_counts(p, lang)))
        out.append(_row(row))
    if diff:
        out += ["", f"_{esc(t(lang, 'change'))}: + {esc(t(lang, 'change_new').lower())} / − {esc(t(lang, 'change_resolved').lower())}"
                f" / = {esc(t(lang, 'change_persisting').lower())}_"]
    if left_out:
        out += ["", f"**{esc(left_out)}**"]
    return out


def _table(found: list[dict[str, Any]], lang: str, with_state: bool = False) -> list[str]:
    """A table of violations (at most MAX_ROWS), with a column of their state against the baseline when asked."""
    head = ["rule", "severity", *(["mark_column"] if with_state else []), "element", "message", "where", "expected", "actual"]
    out = [_row([t(lang, k) for k in head]), "|" + "---|" * len(head)]
    for v in found[:MAX_ROWS]:
        out.append(_row([esc(v["rule"]), esc(t(lang, v["severity"])), *([esc(state_text(v, lang))] if with_state else []),
                         esc(v["element_name"]), esc(v["message"]), _where(v, lang), esc(v["expected"]), esc(v["actual"])]))
    if len(found) > MAX_ROWS:
        out += ["", esc(t(lang, "md_truncated", count=len(found) - MAX_ROWS))]
    return out


def _heading(p: dict[str, Any], lang: str, ch: dict[str, Any] | None) -> list[str]:
    out = ["", f"### {esc(t(lang, 'md_violations', title=p['title'], version=p['version']))}", ""]
    if ch:
        out += [esc(t(lang, "change_summary", previous=ch["previous"]["version"], new=len(ch["new"]), resolved=len(ch["resolved"]),
                      persisting=len(ch["persisting"]))), ""]
    return out


def _violations(p: dict[str, Any], lang: str, ch: dict[str, Any] | None) -> list[str]:
    """The active violations of one plan version (at most MAX_ROWS)."""
    act = active(p)
    if not act:
        return []
    return _heading(p, lang, ch) + _table(act, lang)


def _known(p: dict[str, Any], lang: str) -> list[str]:
    """The known violations of a plan version, collapsed."""
    known = [v for v in active(p) if state(v) == "known"]
    if not known:
        return []
    return ["", "<details>", f"<summary>{esc(t(lang, 'md_known', count=len(known)))}</summary>", "", *_table(known, lang), "", "</details>"]


def _resolved_list(found: list[dict[str, Any]], lang: str, rules: dict[str, dict[str, Any]]) -> list[str]:
    """'- PK101 Title: element — expected X, actual Y' per resolved violation (at most MAX_ROWS); the
    base's message is left out, as its language is the base run's."""
    out = []
    for v in found[:MAX_ROWS]:
        title = rules.get(str(v.get("rule")), {}).get("title") or ""
        out.append(f"- {esc(v.get('rule'))} {esc(title)}: {esc(v.get('element_name') or v.get('element'))} — "
                   f"{esc(t(lang, 'expected').lower())} {esc(v.get('expected'))}, {esc(t(lang, 'actual').lower())} {esc(v.get('actual'))}")
    if len(found) > MAX_ROWS:
        out += ["", esc(t(lang, "md_truncated", count=len(found) - MAX_ROWS))]
    return out


def _resolved(p: dict[str, Any], lang: str, rules: dict[str, dict[str, Any]]) -> list[str]:
    found = resolved(p)
    if not found:
        return []
    return ["", f"**{esc(t(lang, 'resolved_heading'))} ({len(found)})**", "", *_resolved_list(found, lang, rules)]


def _stated(p: dict[str, Any], lang: str, ch: dict[str, Any] | None, rules: dict[str, dict[str, Any]]) -> tuple[list[str], list[str]]:
    """Against a baseline: (the plan version's new and changed violations in full and its resolved
    ones, its known ones collapsed) — the second part is what a capped comment leaves out first."""
    act = active(p)
    if not act and not resolved(p):
        return [], []
    fresh = [v for v in act if state(v) != "known"]
    main = _heading(p, lang, ch)
    if fresh:
        main += [f"**{esc(t(lang, 'md_new_changed', count=len(fresh)))}**", "", *_table(fresh, lang, with_state=True)]
    else:
        main.append(esc(t(lang, "md_no_new_changed")))
    return main, _known(p, lang) + _resolved(p, lang, rules)


def _resolved_plans(result: dict[str, Any], lang: str, rules: dict[str, dict[str, Any]]) -> list[str]:
    """The plans of the base that are gone from the run, with their resolved violations."""
    gone = resolved_plans(result)
    if not gone:
        return []
    out = ["", f"### {esc(t(lang, 'resolved_plans_heading'))}"]
    for p in gone[:MAX_ROWS]:
        out += ["", f"**{esc(p['plan'])} · {esc(p.get('version'))}** · {esc(relative_path(p.get('file')))} · "
                f"{esc(plural(lang, 'n_resolved', len(p['resolved'])))}", "",
                *_resolved_list(p["resolved"], lang, rules)]
    if len(gone) > MAX_ROWS:
        out += ["", esc(t(lang, "md_truncated", count=len(gone) - MAX_ROWS))]
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


def _waiver_rows(p: dict[str, Any], lang: str) -> list[str]:
    return [_row([esc(v["rule"]), f"{esc(p['plan'])} · {esc(p['version'])}", esc(v["element_name"]), esc(v["waived"]), _where(v, lang)])
            for v in waived(p)]


def _waivers(plans: list[dict[str, Any]], lang: str) -> list[str]:
    all_waived = [v for p in plans for v in waived(p)]
    out = ["", "<details>", f"<summary>{esc(t(lang, 'md_waivers', count=len(all_waived)))}</summary>", ""]
    if all_waived:
        out.append(_row([t(lang, k) for k in ("rule", "filter_version", "element", "reason", "where")]))
        out.append("|---|---|---|---|---|")
        for p in plans:
            out += _waiver_rows(p, lang)
    else:
        out.append(esc(t(lang, "no_waivers")))
    return [*out, "", "</details>"]


def _exception_table(p: dict[str, Any], lang: str) -> list[str]:
    if not exceptions(p):
        return []
    out = ["", f"**{esc(t(lang, 'md_exceptions_version', title=p['title'], version=p['version']))}**", ""]
    out.append(_row([t(lang, k) for k in ("rule", "element", "reason", "where", "exception_state")]))
    out.append("|---|---|---|---|---|")
    for e, n in zip(exceptions(p), exception_uses(p), strict=True):
        out.append(_row([esc(e["rule"]), f"{esc(exception_name(e, p))}<br>{esc(e['element'])}", esc(e["reason"]),
                         esc(exception_where(e, p)), esc(exception_state(e, n, lang))]))
    return out


def _exceptions(plans: list[dict[str, Any]], lang: str) -> list[str]:
    """Every exception the plan files declare, used or not: a table per plan version, collapsed."""
    summary = f"{t(lang, 'exceptions_heading')} ({exceptions_count(plans, lang)})"
    out = ["", "<details>", f"<summary>{esc(summary)}</summary>"]
    for p in plans:
        out += _exception_table(p, lang)
    if not any(exceptions(p) for p in plans):
        out += ["", esc(t(lang, "no_exceptions"))]
    return [*out, "", "</details>"]


def _errors(result: dict[str, Any], lang: str) -> list[str]:
    if not result["errors"]:
        return []
    return ["", f"### {esc(t(lang, 'errors_heading'))}", "",
            *(f"- {esc(relative_path(e.get('file')))}:{e.get('line') or '-'}: {esc(error_text(e, lang))}" for e in result["errors"])]


def _size(lines: list[str]) -> int:
    """Characters the lines take in the comment (each with its line break)."""
    return sum(len(line) + 1 for line in lines)


def _left_out(plans: list[dict[str, Any]], without_known: list[int], kept: int, lang: str) -> str:
    """The line saying what a capped comment left out and where the full result is ('' when nothing)."""
    parts = []
    known = [i for i in without_known if i < kept]
    if known:
        count = sum(1 for i in known for v in active(plans[i]) if state(v) == "known")
        parts.append(t(lang, "md_left_out_known", versions=plural(lang, "n_plan_versions", len(known)), findings=plural(lang, "n_findings", count)))
    if kept < len(plans):
        first = plans[kept]
        count = sum(len(active(p)) for p in plans[kept:])
        parts.append(t(lang, "md_left_out_versions", versions=plural(lang, "n_plan_versions", len(plans) - kept), title=first["title"],
                       version=first["version"], findings=plural(lang, "n_findings", count)))
    return t(lang, "md_left_out", parts=t(lang, "md_and").join(parts)) if parts else ""


def _known_left_out(p: dict[str, Any], lang: str, rules: dict[str, dict[str, Any]]) -> list[str]:
    """In place of a plan version's known violations when a cap leaves them out: a line saying so, then its resolved ones."""
    count = sum(1 for v in active(p) if state(v) == "known")
    return ["", f"_{esc(plural(lang, 'n_known_left_out', count))}_", *_resolved(p, lang, rules)]


def render(result: dict[str, Any]) -> str:
    lang = result["lang"]
    diff = changes(result)
    plans = ordered_plans(result)
    rules = rules_by_id(result)
    stated = has_states(result)
    # per plan version: what is always shown, what a cap leaves out first (the known ones, with the
    # resolved ones after them), what stands in its place then, its notices, and its rows among the
    # waived findings and the declared exceptions
    units = []
    for p in plans:
        ch = diff.get(version_id(p))
        main, known = _stated(p, lang, ch, rules) if stated else (_violations(p, lang, ch), [])
        instead = _known_left_out(p, lang, rules) if known and any(state(v) == "known" for v in active(p)) else known
        units.append((main, known, instead, _notices(p, lang), _waiver_rows(p, lang) + _exception_table(p, lang)))

    def document(without_known: list[int], kept: int) -> str:
        out = [f"## {t(lang, 'md_title')}", "", *_overview(result, plans, diff, _left_out(plans, without_known, kept, lang))]
        for i, (main, known, instead, notes, _) in enumerate(units[:kept]):
            out += main + (instead if i in without_known else known) + notes
        out += _waivers(plans[:kept], lang) + _exceptions(plans[:kept], lang) + _resolved_plans(result, lang, rules) + _errors(result, lang)
        return "\n".join(out) + "\n"

    text = document([], len(units))
    if len(text) <= CAP:
        return text
    # Cut at plan-version boundaries. The sizes are added up first (one render, not one per step),
    # leaving room for the line that says what was left out; then the cut text is checked.
    budget, total = CAP - 1_000, len(text)
    without_known: list[int] = []
    for i in reversed(range(len(units))):
        if total <= budget:
            break
        main, known, instead, _, _ = units[i]
        if known and instead != known:
            without_known.append(i)
            total -= _size(known) - _size(instead)
    kept = len(units)
    while total > budget and kept > 0:
        kept -= 1
        main, known, instead, notes, rows = units[kept]
        total -= _size(main) + _size(instead if kept in without_known else known) + _size(notes) + _size(rows)
    text = document(without_known, kept)
    while len(text) > CAP:  # the estimate fell short (the line saying what was left out is long): one more step
        more = [i for i in reversed(range(kept)) if i not in without_known and units[i][1] and units[i][2] != units[i][1]]
        if more:
            without_known.append(more[0])
        elif kept > 0:
            kept -= 1
        else:  # the overview alone is too long: cut at a line, and say so
            note = f"\n\n**{esc(t(lang, 'md_left_out', parts=t(lang, 'md_left_out_rest')))}**\n"
            return text[:text.rindex("\n", 0, CAP - len(note))] + note
        text = document(without_known, kept)
    return text
