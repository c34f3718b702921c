"""JUnit XML for CI systems: a testsuite per plan version, a testcase per rule and element.

- every violation is a testcase `RULE element` (classname `plan-id.version`): active violations
  carry a <failure> (type = severity), waived ones a <skipped> whose message is the declared reason;
- every active rule without a violation in that version is one passing testcase `RULE`, so a clean
  plan version still shows what was checked;
- what the importer could not interpret in a document (its notices) is the <system-out> of the
  plan version's testsuite, with a property "notices" giving their number; notices are not failures;
- files that could not be read form a last testsuite "plankoll.input" with one <error> each.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from plankoll.reports._common import notices, ordered_plans, relative_path, source_text

from plankoll.i18n import at, t

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: Any) -> str:
    return _INVALID_XML.sub("\ufffd", "" if text is None else str(text))


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
    return "\n".join(_clean(line) for line in lines)


def _at(loc: dict[str, Any], lang: str) -> str:
    """'file:12', 'file (table 3, row 5, column 2)', or 'file:-' when the location has neither."""
    file = relative_path(loc.get("file"))
    spot = at(loc, lang, file)
    return spot if spot != file else f"{file}:-"


def _notices_out(suite: ET.Element, plan: dict[str, Any], lang: str) -> None:
    """The plan version's notices as the testsuite's <system-out>: a heading line, then '- file (table 16): message'."""
    found = notices(plan)
    if not found:
        return
    lines = [f"{t(lang, 'notices_heading')} ({len(found)}):"]
    for n in found:
        loc = n.get("location") or {}
        lines.append(f"- {at(loc, lang, relative_path(loc.get('file') or plan['file']))}: {n['message']}")
    ET.SubElement(suite, "system-out").text = "\n".join(_clean(line) for line in lines)


def _element(parent: ET.Element, tag: str, **attrs: Any) -> ET.Element:
    return ET.SubElement(parent, tag, {k: _clean(v) for k, v in attrs.items() if v is not None})


def render(result: dict[str, Any]) -> str:
    lang = result["lang"]
    rule_ids = [r["id"] for r in result["rules"]]
    root = ET.Element("testsuites", {"name": "plankoll"})
    totals = {"tests": 0, "failures": 0, "skipped": 0, "errors": 0}
    for plan in ordered_plans(result):
        suite = _element(root, "testsuite", name=f"{plan['plan']} {plan['version']}", file=relative_path(plan["file"]))
        props = ET.SubElement(suite, "properties")
        for key in ("plan", "version", "title", "organisation", "body", "document", "status", "source_document"):
            _element(props, "property", name=key, value=plan.get(key) or "")
        _element(props, "property", name="notices", value=len(notices(plan)))
        classname = f"{plan['plan']}.{plan['version']}"
        counts = {"tests": 0, "failures": 0, "skipped": 0, "errors": 0}
        seen: dict[str, int] = {}
        for v in plan["violations"]:
            name = f"{v['rule']} {v['element']}"
            seen[name] = seen.get(name, 0) + 1
            if seen[name] > 1:  # one rule may flag one element more than once (e.g. two periods)
                name = f"{name} #{seen[name]}"
            case = _element(suite, "testcase", classname=classname, name=name,
                            file=relative_path((v.get("location") or {}).get("file")), line=(v.get("location") or {}).get("line"))
            counts["tests"] += 1
            if v["waived"] is None:
                failure = _element(case, "failure", message=v["message"], type=v["severity"])
                failure.text = _details(v, lang)
                counts["failures"] += 1
            else:
                _element(case, "skipped", message=t(lang, "waived_for", reason=v["waived"]))
                counts["skipped"] += 1
        flagged = {v["rule"] for v in plan["violations"]}
        for rule_id in rule_ids:
            if rule_id not in flagged:
                _element(suite, "testcase", classname=classname, name=rule_id)
                counts["tests"] += 1
        _notices_out(suite, plan, lang)  # after the testcases, as the JUnit schema orders a testsuite
        suite.attrib.update({k: str(n) for k, n in counts.items()})
        for k in totals:
            totals[k] += counts[k]
    if result["errors"]:
        suite = _element(root, "testsuite", name="plankoll.input")
        for e in result["errors"]:
            case = _element(suite, "testcase", classname="plankoll.input", name=relative_path(e.get("file")),
                            file=relative_path(e.get("file")), line=e.get("line"))
            error = _element(case, "error", message=e["message"], type=t(lang, "input_errors_title"))
            error.text = _clean(f"{relative_path(e.get('file'))}:{e.get('line') or '-'}: {e['message']}")
        n = len(result["errors"])
        suite.attrib.update({"tests": str(n), "failures": "0", "skipped": "0", "errors": str(n)})
        totals["tests"] += n
        totals["errors"] += n
    root.attrib.update({k: str(n) for k, n in totals.items()})
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
