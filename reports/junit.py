"""JUnit XML for CI systems: a testsuite per plan version, a testcase per rule and element.

- every violation is a testcase `RULE element` (classname `plan-id.version`): active violations
  carry a <failure> (type = severity), waived ones a <skipped> whose message is the declared reason;
- every active rule without a violation in that version is one passing testcase `RULE`, so a clean
  plan version still shows what was checked;
- what the importer could not interpret in a document (its notices) and every exception the plan
  file declares (used or not) are the <system-out> of the plan version's testsuite, with properties
  "notices", "exceptions" and "exceptions_unused" giving their numbers; neither is a failure (an
  unused exception is a failure of its own rule, PK001, when that rule is active);
- files that could not be read form a last testsuite "plankoll.input" with one <error> each.

Against a baseline (--baseline, --baseline-ref) only new and changed violations are failures, their
message marked "(ny)" or "(ändrad: var 470 / 400)"; a known one is <skipped> whose message says it
is known since the baseline (the file, or the ref and commit), since it does not decide the outcome.
Each plan version's <system-out> then also lists what was resolved since the baseline, and its
properties give the counts of new, changed, known and resolved.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from plankoll.reports._common import (
    STATES,
    active,
    baseline_text,
    error_text,
    exception_state,
    exception_uses,
    exception_where,
    exceptions,
    exceptions_count,
    has_states,
    notices,
    ordered_plans,
    relative_path,
    resolved,
    rules_by_id,
    source_text,
    state,
    state_text,
    without_surrogates,
)

from plankoll.i18n import at, t

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: Any) -> str:
    return _INVALID_XML.sub("\ufffd", without_surrogates(text))


def _details(v: dict[str, Any], lang: str) -> str:
    loc = v.get("location") or {}
    lines = [
        v["message"],
        f"{t(lang, 'element')}: {v['element_name']} ({v['element']})",
        f"{t(lang, 'expected')}: {v['expected']}",
        f"{t(lang, 'actual')}: {v['actual']}",
        f"{t(lang, 'plan_file')}: {_at(loc, lang)}",
    ]
    src = source_text(v, t(lang, "source_line", line="").strip(), t(lang, "source_page", page="").strip())
    if src:
        printed = (v.get("source") or {}).get("printed")
        lines.append(f"{t(lang, 'source')}: {src}" + (f" ({t(lang, 'printed')} «{printed}»)" if printed is not None else ""))
    if state(v) is not None:
        lines.append(f"{t(lang, 'against_baseline')}: {state_text(v, lang)}")
    return "\n".join(_clean(line) for line in lines)


def _at(loc: dict[str, Any], lang: str) -> str:
    """'file:12', 'file (table 3, row 5, column 2)', or 'file:-' when the location has neither."""
    file = relative_path(loc.get("file"))
    spot = at(loc, lang, file)
    return spot if spot != file else f"{file}:-"


def _notice_lines(plan: dict[str, Any], lang: str) -> list[str]:
    """A heading line, then '- file (table 16): message' per notice."""
    found = notices(plan)
    if not found:
        return []
    lines = [f"{t(lang, 'notices_heading')} ({len(found)}):"]
    for n in found:
        loc = n.get("location") or {}
        lines.append(f"- {at(loc, lang, relative_path(loc.get('file') or plan['file']))}: {n['message']}")
    return lines


def _exception_lines(plan: dict[str, Any], lang: str) -> list[str]:
    """A heading line, then '- PK501 indicator:x (file:277): reason — used: waives 1 finding' per declared exception."""
    declared = exceptions(plan)
    if not declared:
        return []
    lines = [f"{t(lang, 'exceptions_heading')} ({exceptions_count([plan], lang)}):"]
    for e, n in zip(declared, exception_uses(plan), strict=True):
        lines.append(f"- {e['rule']} {e['element']} ({exception_where(e, plan)}): {e['reason']} — {exception_state(e, n, lang)}")
    return lines


def _resolved_lines(plan: dict[str, Any], lang: str, rules: dict[str, dict[str, Any]]) -> list[str]:
    """A heading line, then '- PK101 Title: element — expected X, actual Y' per violation of the
    baseline that is gone (the base's message is left out: its language is the base run's)."""
    found = resolved(plan)
    if not found:
        return []
    lines = [f"{t(lang, 'resolved_heading')} ({len(found)}):"]
    for v in found:
        title = rules.get(str(v.get("rule")), {}).get("title") or ""
        lines.append(f"- {v.get('rule')} {title}: {v.get('element_name') or v.get('element')} — "
                     f"{t(lang, 'expected').lower()} {v.get('expected')}, {t(lang, 'actual').lower()} {v.get('actual')}")
    return lines


def _system_out(suite: ET.Element, plan: dict[str, Any], lang: str, rules: dict[str, dict[str, Any]] | None = None) -> None:
    """The plan version's notices, declared exceptions and resolved violations as the testsuite's <system-out>."""
    blocks = [b for b in (_notice_lines(plan, lang), _exception_lines(plan, lang), _resolved_lines(plan, lang, rules or {})) if b]
    if blocks:
        ET.SubElement(suite, "system-out").text = "\n\n".join("\n".join(_clean(line) for line in b) for b in blocks)


def _element(parent: ET.Element, tag: str, **attrs: Any) -> ET.Element:
    return ET.SubElement(parent, tag, {k: _clean(v) for k, v in attrs.items() if v is not None})


def _properties(suite: ET.Element, plan: dict[str, Any], baseline: str | None = None) -> None:
    props = ET.SubElement(suite, "properties")
    for key in ("plan", "version", "title", "organisation", "body", "document", "status", "source_document"):
        _element(props, "property", name=key, value=plan.get(key) or "")
    _element(props, "property", name="notices", value=len(notices(plan)))
    _element(props, "property", name="exceptions", value=len(exceptions(plan)))
    _element(props, "property", name="exceptions_unused", value=sum(not e.get("used") for e in exceptions(plan)))
    if baseline is not None:  # against a baseline: what it was, and the states of the active violations
        _element(props, "property", name="baseline", value=baseline)
        found = [state(v) for v in active(plan)]
        for name in STATES:
            _element(props, "property", name=name, value=found.count(name))
        _element(props, "property", name="resolved", value=len(resolved(plan)))


def _violation_cases(suite: ET.Element, plan: dict[str, Any], classname: str, lang: str, baseline: str = "") -> dict[str, int]:
    """A testcase per violation: a failure when active (new or changed against a baseline), skipped
    (with the reason) when waived or known since the baseline."""
    counts = {"tests": 0, "failures": 0, "skipped": 0, "errors": 0}
    seen: dict[str, int] = {}
    for v in plan["violations"]:
        name = f"{v['rule']} {v['element']}"
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:  # one rule may flag one element more than once (e.g. two periods)
            name = f"{name} #{seen[name]}"
        loc = v.get("location") or {}
        case = _element(suite, "testcase", classname=classname, name=name, file=relative_path(loc.get("file")), line=loc.get("line"))
        counts["tests"] += 1
        if v["waived"] is None and state(v) == "known":
            _element(case, "skipped", message=t(lang, "known_since", baseline=baseline)).text = _details(v, lang)
            counts["skipped"] += 1
        elif v["waived"] is None:
            message = f"({state_text(v, lang)}) {v['message']}" if state(v) else v["message"]
            _element(case, "failure", message=message, type=v["severity"]).text = _details(v, lang)
            counts["failures"] += 1
        else:
            _element(case, "skipped", message=t(lang, "waived_for", reason=v["waived"]))
            counts["skipped"] += 1
    return counts


def _plan_suite(root: ET.Element, plan: dict[str, Any], rule_ids: list[str], lang: str,
                baseline: str | None = None, rules: dict[str, dict[str, Any]] | None = None) -> dict[str, int]:
    suite = _element(root, "testsuite", name=f"{plan['plan']} {plan['version']}", file=relative_path(plan["file"]))
    _properties(suite, plan, baseline)
    classname = f"{plan['plan']}.{plan['version']}"
    counts = _violation_cases(suite, plan, classname, lang, f" ({baseline})" if baseline else "")
    flagged = {v["rule"] for v in plan["violations"]}
    for rule_id in rule_ids:
        if rule_id not in flagged:
            _element(suite, "testcase", classname=classname, name=rule_id)
            counts["tests"] += 1
    _system_out(suite, plan, lang, rules)  # after the testcases, as the JUnit schema orders a testsuite
    suite.attrib.update({k: str(n) for k, n in counts.items()})
    return counts


def _input_suite(root: ET.Element, errors: list[dict[str, Any]], lang: str) -> dict[str, int]:
    """The unreadable files: one testcase with an <error> each (an internal error says it is plankoll's)."""
    suite = _element(root, "testsuite", name="plankoll.input")
    for e in errors:
        file = relative_path(e.get("file"))
        case = _element(suite, "testcase", classname="plankoll.input", name=file, file=file, line=e.get("line"))
        error = _element(case, "error", message=error_text(e, lang), type=t(lang, "input_errors_title"))
        error.text = _clean(f"{file}:{e.get('line') or '-'}: {error_text(e, lang)}")
    counts = {"tests": len(errors), "failures": 0, "skipped": 0, "errors": len(errors)}
    suite.attrib.update({k: str(n) for k, n in counts.items()})
    return counts


def render(result: dict[str, Any]) -> str:
    lang = result["lang"]
    rule_ids = [r["id"] for r in result["rules"]]
    root = ET.Element("testsuites", {"name": "plankoll"})
    baseline = baseline_text(result, lang) if has_states(result) else None
    rules = rules_by_id(result)
    counted = [_plan_suite(root, plan, rule_ids, lang, baseline, rules) for plan in ordered_plans(result)]
    if result["errors"]:
        counted.append(_input_suite(root, result["errors"], lang))
    root.attrib.update({k: str(sum(c[k] for c in counted)) for k in ("tests", "failures", "skipped", "errors")})
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
