"""Helpers shared by the report renderers: version order, version-to-version changes, paths.

Everything here works on the result dict of plankoll/results.py (the JSON contract); nothing
re-runs a check.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from plankoll.i18n import at, plural, position, t
from plankoll.versions import version_order

SEVERITIES = ("error", "warning", "info")


def active(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return [v for v in plan["violations"] if v["waived"] is None]


def waived(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return [v for v in plan["violations"] if v["waived"] is not None]


def version_key(plan: dict[str, Any]) -> tuple[Any, ...]:
    """Order of the versions of one plan (see `plankoll.versions.version_order`)."""
    return version_order(plan.get("adopted"), str(plan.get("version") or ""), str(plan.get("file") or ""))


def version_id(plan: dict[str, Any]) -> str:
    """A stable identifier of a plan version inside one report (plan id + version label)."""
    return f"{plan['plan']}@{plan['version']}"


def slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-") or "x"


def ordered_plans(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The plan versions grouped by plan id (groups in order of first appearance), each group in version order."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for plan in result["plans"]:
        groups.setdefault(plan["plan"], []).append(plan)
    return [p for group in groups.values() for p in sorted(group, key=version_key)]


def match_key(v: dict[str, Any]) -> tuple[str, str]:
    return (v["rule"], v["element"])


def changes(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """For every plan version that has a previous version of the same plan in the result:
    {version_id: {"previous": plan, "new": [...], "resolved": [...], "persisting": [...], "since": {key: version}}}.

    Active (not waived) violations are matched by (rule, element). `resolved` holds the previous
    version's violations that are gone (or now waived). `since` maps every active violation of a
    version to the first version of the unbroken run of versions it stands in.
    """
    out: dict[str, dict[str, Any]] = {}
    since: dict[tuple[str, str], str] = {}
    previous: dict[str, Any] | None = None
    for plan in ordered_plans(result):
        if previous is None or previous["plan"] != plan["plan"]:
            previous, since = None, {}
        now = {match_key(v): v for v in active(plan)}
        before = {match_key(v): v for v in active(previous)} if previous else {}
        since = {k: since.get(k, plan["version"]) if k in before else plan["version"] for k in now}
        if previous is not None:
            out[version_id(plan)] = {
                "previous": previous,
                "new": [v for k, v in now.items() if k not in before],
                "resolved": [v for k, v in before.items() if k not in now],
                "persisting": [v for k, v in now.items() if k in before],
                "since": dict(since),
            }
        previous = plan
    return out


def relative_path(file: str | None, base: Path | None = None) -> str:
    """The path relative to base (default: the current directory) when it lies below it, POSIX style.

    Never raises: Path.resolve() raises RuntimeError on a symlink loop (Python 3.11), so the path is
    made absolute without following links, and only then compared with links followed (realpath
    stops quietly at a loop)."""
    if not file:
        return ""
    path = Path(file)
    try:
        root = os.path.abspath(base or os.getcwd())
        for candidate, under in ((os.path.abspath(path), root), (os.path.realpath(path), os.path.realpath(root))):
            rel = Path(os.path.relpath(candidate, under))
            if rel.parts[:1] != ("..",):
                return rel.as_posix()
    except (ValueError, OSError, RuntimeError):  # another drive (Windows), a vanished working directory
        pass
    return path.as_posix() if not path.is_absolute() else os.fspath(path)


def error_text(e: dict[str, Any], lang: str) -> str:
    """An unreadable file's message; an internal error says it is plankoll's (its traceback is never shown)."""
    if not e.get("internal"):
        return str(e["message"])
    label = t(lang, "internal_error")
    return e["message"] if str(e["message"]).lower().startswith(label.lower()) else f"{label}: {e['message']}"


def summary_text(result: dict[str, Any]) -> str:
    """'2 planversioner: 1 fel, 0 varningar, 0 info, 1 undantagen, 1 oläslig fil (12 fel).'

    The unreadable files are counted as files: one file may have many error messages."""
    lang, s = result["lang"], result["summary"]
    files = len({e.get("file") for e in result["errors"]})
    unreadable = plural(lang, "n_unreadable_files", files)
    if files:
        unreadable = t(lang, "unreadable_with_errors", files=unreadable, errors=plural(lang, "n_errors", s["errors"]))
    return t(lang, "summary", plans=plural(lang, "n_plan_versions", s["plan_versions"]), error=plural(lang, "n_errors", s["error"]),
             warning=plural(lang, "n_warnings", s["warning"]), info=plural(lang, "n_info", s["info"]),
             waived=plural(lang, "n_waived", s["waived"]), unreadable=unreadable)


def notices_summary(result: dict[str, Any]) -> str:
    lang = result["lang"]
    return t(lang, "notices_summary", count=plural(lang, "n_notices", notice_count(result)))


def source_text(v: dict[str, Any], line_word: str, page_word: str) -> str:
    """'004_….txt line 197' (or page) — where the element stands in the source document.

    Empty when the source document is the checked file itself (a Word document read directly):
    its place is already the plan file's."""
    src = v.get("source") or {}
    doc = src.get("document") or ""
    if src.get("line"):
        return f"{doc} {line_word} {src['line']}".strip()
    if src.get("page"):
        return f"{doc} {page_word} {src['page']}".strip()
    file = (v.get("location") or {}).get("file")
    return "" if file and Path(str(file)).name == doc else doc


def notices(plan: dict[str, Any]) -> list[dict[str, Any]]:
    """What the importer could not interpret in a plan version's document (none for a plan file)."""
    return plan.get("notices") or []


def notice_count(result: dict[str, Any]) -> int:
    return sum(len(notices(p)) for p in result["plans"])


def notice_place(n: dict[str, Any], plan: dict[str, Any], lang: str) -> str:
    """'tabell 16' or 'rad 12' inside the plan version's document; the file too when it is another;
    'hela dokumentet' for a notice about the whole document."""
    loc = n.get("location") or {}
    inside = position(loc, lang)
    file = loc.get("file")
    if file and file != plan.get("file"):
        return at(loc, lang, relative_path(file))
    return inside or t(lang, "whole_document")


def rules_by_id(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in result["rules"]}


def kinds(result: dict[str, Any]) -> list[str]:
    """Rule families (check kinds) in rulebook order, plus any kind that only violations name."""
    seen: dict[str, None] = {}
    for r in result["rules"]:
        seen.setdefault(r["kind"], None)
    for p in result["plans"]:
        for v in p["violations"]:
            seen.setdefault(v["kind"], None)
    return list(seen)


# ---------------------------------------------------------------- declared exceptions

def exceptions(plan: dict[str, Any]) -> list[dict[str, Any]]:
    """Every exception the plan file declares, used or not (config-file waivers are not among them)."""
    return plan.get("exceptions") or []


def _covers(exception_element: str, element: str) -> bool:
    """Whether an exception on an element (the plan, an indicator, a table, a row) reaches a finding's element."""
    return exception_element == "plan" or element == exception_element or element.startswith(exception_element + "/")


def exception_uses(plan: dict[str, Any]) -> list[int]:
    """How many findings each declared exception waives (in the order of `exceptions`).

    A waived finding carries its exception's reason, so it is matched by rule and reason; when two
    exceptions of one rule give the same reason, the most specific one that reaches the element
    takes it, as the engine applies them."""
    declared = exceptions(plan)
    uses = [0] * len(declared)
    for v in waived(plan):
        mine = [i for i, e in enumerate(declared) if e["rule"] == v["rule"] and e["reason"] == v["waived"]]
        if len(mine) > 1:
            mine = sorted((i for i in mine if _covers(declared[i]["element"], v["element"])),
                          key=lambda i: -len(declared[i]["element"]))
        if mine:
            uses[mine[0]] += 1
    return uses


def exception_state(exception: dict[str, Any], uses: int, lang: str) -> str:
    """'används: undantar 2 avvikelser' or 'oanvänt'."""
    if not exception.get("used") and not uses:
        return t(lang, "exception_unused")
    return t(lang, "exception_used", findings=plural(lang, "n_findings", uses))


def exception_where(exception: dict[str, Any], plan: dict[str, Any]) -> str:
    """'plans/vp.plan.yaml:277': where the plan file declares it."""
    file = relative_path(plan.get("file"))
    return f"{file}:{exception['line']}" if exception.get("line") else file


def exceptions_count(plans: list[dict[str, Any]], lang: str) -> str:
    """'3, varav 1 oanvänt': how many exceptions the plan versions declare, and how many of them waive nothing."""
    found = [e for p in plans for e in exceptions(p)]
    if not found:
        return "0"
    return t(lang, "exceptions_count", count=len(found), unused=plural(lang, "n_unused", sum(not e.get("used") for e in found)))


# ---------------------------------------------------------------- text from documents and file names

_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape_char(m: re.Match[str]) -> str:
    """A visible escape, as Python writes it: '\\x1b', '\\u202e'; a byte of a file name that is not
    UTF-8 (os.fsdecode's surrogate) as '\\udce4', as the JSON report and the written files have it."""
    code = ord(m.group())
    return {"\n": "\\n", "\r": "\\r"}.get(m.group()) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def without_surrogates(text: Any) -> str:
    """Text that encodes as UTF-8: a byte of a file name that is not UTF-8 becomes a visible escape ('\\udce4')."""
    return _SURROGATE.sub(_escape_char, "" if text is None else str(text))


# C0 and C1 controls (ESC, BEL, CR, NEL…), line and paragraph separators, the bidi marks, embeddings,
# overrides and isolates, and lone surrogates. A newline inside a document's value is escaped too:
# in the terminal every value stands on its own line, and a line break would let a document start a
# line of its own (a GitHub workflow command in --github mode). Tab is harmless and kept.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def visible(text: Any) -> str:
    """Text from a document or a file name made safe for a terminal: each control character as an escape, '\\x1b', '\\u202e'."""
    return _CONTROL.sub(_escape_char, "" if text is None else str(text))


def exception_name(exception: dict[str, Any], plan: dict[str, Any]) -> str:
    """What a reader calls the exception's element (the indicator's name, the table's title), from a
    finding on it: the waived finding, or the unused-exception finding (element '…/waiver:RULE')."""
    element = exception["element"]
    for v in plan["violations"]:
        if v["element"] in (element, f"{element}/waiver:{exception['rule']}") and v.get("element_name"):
            return str(v["element_name"])
    return str(element)


# ---------------------------------------------------------------- baseline states (see plankoll.states)

STATES = ("new", "changed", "known")


def state(v: dict[str, Any]) -> str | None:
    """'new', 'changed' or 'known' against the baseline, None without one. A result of older code
    marks only `new` (true|false): then false is known."""
    found = v.get("state")
    if found in STATES:
        return str(found)
    if isinstance(v.get("new"), bool):
        return "new" if v["new"] else "known"
    return None


def has_states(result: dict[str, Any]) -> bool:
    """Whether the run was compared with a baseline (--baseline, --baseline-ref)."""
    summary = result.get("summary") or {}
    return "known" in summary or "new" in summary or any(state(v) for p in result["plans"] for v in p["violations"])


def state_text(v: dict[str, Any], lang: str) -> str:
    """'ny', 'ändrad: var 470 / 400', 'känd' (the figures the base had); '' without a baseline."""
    found = state(v)
    if found is None:
        return ""
    if found == "changed" and isinstance(v.get("base"), dict):
        return t(lang, "mark_was", expected=v["base"].get("expected"), actual=v["base"].get("actual"))
    return t(lang, f"mark_{found}")


def baseline_text(result: dict[str, Any], lang: str) -> str:
    """What the run was compared with: 'base.json', 'origin/main, incheckning 1a2b3c4d5e6f', or ''."""
    base = (result.get("summary") or {}).get("baseline") or {}
    if base.get("ref") or base.get("commit"):
        return t(lang, "baseline_ref", ref=base.get("ref") or "", commit=str(base.get("commit") or "")[:12])
    return relative_path(base["file"]) if base.get("file") else ""


def baseline_suffix(result: dict[str, Any], lang: str) -> str:
    """' (base.json)' or ' (origin/main, commit 1a2b3c4d5e6f)' after 'the baseline'; '' when unknown."""
    text = baseline_text(result, lang)
    return f" ({text})" if text else ""


def states_line(result: dict[str, Any]) -> str:
    """'1 ny sedan baslinjen (base.json), 1 ändrad, 39 kända, 10 åtgärdade; nya och ändrade avvikelser avgör utfallet.'"""
    lang, s = result["lang"], result["summary"]
    found = [state(v) for p in result["plans"] for v in active(p)]
    # the summary's counts; a result of older code has only "new" in it: the others from its violations
    counted = {**{k: found.count(k) for k in STATES}, "resolved": resolved_count(result)}
    counts = {k: plural(lang, f"n_{k}", int(s[k] if k in s else counted[k])) for k in ("new", "changed", "known", "resolved")}
    decides = t(lang, "decides_new_changed" if s.get("fail_on_changed", True) else "decides_new")
    return t(lang, "states_line", baseline=baseline_suffix(result, lang), decides=decides, **counts)


def state_counts(plan: dict[str, Any], lang: str) -> str:
    """'1 ny, 2 ändrade, 39 kända, 1 åtgärdad' for one plan version (active violations; its resolved ones)."""
    found = [state(v) for v in active(plan)]
    counts = [plural(lang, f"n_{k}", found.count(k)) for k in STATES]
    return ", ".join([*counts, plural(lang, "n_resolved", len(resolved(plan)))])


def resolved(plan: dict[str, Any]) -> list[dict[str, Any]]:
    """The base's violations of this plan that are gone (listed under the plan's first version)."""
    return plan.get("resolved") or []


def resolved_plans(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Plans of the base that are gone from the run, each with its resolved violations."""
    return [p for p in result.get("resolved_plans") or [] if p.get("resolved")]


def resolved_count(result: dict[str, Any]) -> int:
    return sum(len(resolved(p)) for p in result["plans"]) + sum(len(p["resolved"]) for p in resolved_plans(result))


def resolved_was(v: dict[str, Any], lang: str) -> str:
    """'var 2 114 870 / 2 114 780': the figures the base had."""
    return t(lang, "resolved_was", expected=v.get("expected"), actual=v.get("actual"))
