"""SARIF 2.1.0 for code-scanning tools: one run, the active rules as tool.driver.rules, one result
per violation at the plan file and line; waived violations carry a suppression with the reason.

A Word document has no lines: its results have a physicalLocation without a region (a region needs
a startLine, charOffset or byteOffset, §3.30.2), the location's message says "table 3, row 5,
column 2" and the result's properties carry {"table", "row", "column"}. What the importer could not
interpret (the plan version's notices) are toolExecutionNotifications of level "note", described
by tool.driver.notifications; unreadable files are notifications of level "error". Every exception
the plan files declare, used or not, is listed in the run's properties ("declaredExceptions").

A URI is made from a file name's bytes, percent-encoded: a name that is not UTF-8 gives a valid URI
of that very file.

Every result has partialFingerprints {"plankoll/v1": a hash of plan id, rule and element}: stable
while a commit edits the version label and moves lines. Against a baseline (--baseline,
--baseline-ref) each result has its baselineState: new → "new", changed → "updated" (its properties
give the base's expected and actual under "baseline"), known → "unchanged"; every violation of the
baseline that is gone is one more result with baselineState "absent", kind "pass" and level "none"
(the rule passes there now), at its plan's file without a region."""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

from plankoll.reports._common import (
    error_text,
    exception_uses,
    exceptions,
    has_states,
    notices,
    ordered_plans,
    relative_path,
    resolved,
    resolved_plans,
    rules_by_id,
    state,
    without_surrogates,
)

from plankoll.i18n import place, t

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
_SURROGATE = re.compile("[\ud800-\udfff]")
SRCROOT = "%SRCROOT%"
PLACE_KEYS = ("page", "paragraph", "table", "row", "column", "sheet", "cell")
BASELINE_STATES = {"new": "new", "changed": "updated", "known": "unchanged"}


def _artifact(file: str | None) -> dict[str, Any]:
    """artifactLocation: a URI relative to the current directory (uriBaseId %SRCROOT%) when the file lies below it."""
    if not file:
        return {"uri": ""}
    rel = relative_path(file)
    if rel and not Path(rel).is_absolute() and not rel.startswith("../"):
        return {"uri": quote(os.fsencode(rel)), "uriBaseId": SRCROOT}
    return {"uri": _file_uri(file)}


def _file_uri(path: str) -> str:
    """'file:///…' without following links (Path.resolve raises on a symlink loop); as_uri encodes the path's bytes."""
    return Path(os.path.abspath(path)).as_uri()


def _srcroot() -> str:
    """The current directory as a file URI ending in '/' (a base URI must)."""
    uri = _file_uri(".")
    return uri if uri.endswith("/") else uri + "/"


def _location(loc: dict[str, Any], file: str | None, lang: str) -> dict[str, Any]:
    """A location object: the file (and line, as a region, when there is one); a place in a document as its message and properties."""
    physical: dict[str, Any] = {"artifactLocation": _artifact(loc.get("file") or file)}
    if loc.get("line"):
        physical["region"] = {"startLine": int(loc["line"])}
    out: dict[str, Any] = {"physicalLocation": physical}
    if place(loc, lang):
        out["message"] = {"text": place(loc, lang)}
        out["properties"] = _place(loc)
    return out


def _place(loc: dict[str, Any]) -> dict[str, int | str]:
    """The numbered places as numbers; a sheet's name or a cell's address ('B12') as it is."""
    return {k: _number(loc[k]) for k in PLACE_KEYS if loc.get(k) is not None}


def _number(value: Any) -> int | str:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value)
    return int(text) if text.isdecimal() else without_surrogates(text)


def _notifications(result: dict[str, Any], codes: list[str]) -> list[dict[str, Any]]:
    """Each plan version's notices (level note), then the unreadable files (level error)."""
    lang = result["lang"]
    out = [{
        "level": "note",
        "message": {"text": n["message"]},
        "descriptor": {"id": n["code"], "index": codes.index(n["code"])},
        "locations": [_location(n.get("location") or {}, plan["file"], lang)],
        "properties": {"plan": plan["plan"], "version": plan["version"], "code": n["code"], "params": n.get("params") or {}},
    } for plan in ordered_plans(result) for n in notices(plan)]
    out += [{
        "level": "error",
        "message": {"text": f"{t(lang, 'input_errors_title')}: {error_text(e, lang)}"},
        "locations": [{"physicalLocation": {"artifactLocation": _artifact(e.get("file")),
                                            **({"region": {"startLine": int(e["line"])}} if e.get("line") else {})}}],
    } for e in result["errors"]]
    return out


def _fingerprint(plan: dict[str, Any], v: dict[str, Any]) -> str:
    return hashlib.sha256(f"{plan['plan']}\x00{v['rule']}\x00{v['element']}".encode()).hexdigest()[:32]


def _driver_rule(r: dict[str, Any]) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "id": r["id"],
        "name": r["kind"],
        "shortDescription": {"text": r.get("title") or r["id"]},
        "defaultConfiguration": {"level": LEVELS.get(r["severity"], "warning")},
        "properties": {"kind": r["kind"], "severity": r["severity"], "tags": [r["kind"]]},
    }
    if r.get("rationale"):
        rule["fullDescription"] = {"text": r["rationale"]}
        rule["help"] = {"text": r["rationale"] + (f"\n\n{r['reference']}" if r.get("reference") else "")}
    if r.get("reference"):
        rule["properties"]["reference"] = r["reference"]
    return rule


def _result(plan: dict[str, Any], v: dict[str, Any], index: dict[str, int], lang: str) -> dict[str, Any]:
    loc = v.get("location") or {}
    item: dict[str, Any] = {
        "ruleId": v["rule"],
        "level": LEVELS.get(v["severity"], "warning"),
        "message": {"text": v["message"]},
        "locations": [{
            **_location(loc, plan["file"], lang),
            "logicalLocations": [{"name": v["element_name"], "fullyQualifiedName": v["element"], "kind": "element"}],
        }],
        "partialFingerprints": {"plankoll/v1": _fingerprint(plan, v)},
        "properties": {
            "plan": plan["plan"], "version": plan["version"], "kind": v["kind"],
            "expected": v["expected"], "actual": v["actual"], "source": v.get("source") or {},
        },
    }
    if _place(loc):
        item["properties"]["place"] = _place(loc)
    if v["rule"] in index:
        item["ruleIndex"] = index[v["rule"]]
    if v["waived"] is not None:
        # waivers stand in the plan file (element level) or the plan repository's config; both are
        # declared beside the plans, so they are reported as in-source suppressions
        item["suppressions"] = [{"kind": "inSource", "status": "accepted", "justification": v["waived"]}]
    found = state(v)
    if found is not None:
        item["baselineState"] = BASELINE_STATES[found]
        if found == "changed" and isinstance(v.get("base"), dict):
            item["properties"]["baseline"] = {"expected": v["base"].get("expected"), "actual": v["base"].get("actual")}
    return item


def _absent(plan: dict[str, Any], v: dict[str, Any], file: str | None, index: dict[str, int], lang: str,
            rules: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """A violation of the baseline that is gone: kind "pass", level "none", baselineState "absent",
    the same fingerprint as when it stood. Its message names the rule and the element (the base's
    message is in the base run's language); it points at its plan's file, without a line."""
    title = rules.get(str(v.get("rule")), {}).get("title") or ""
    text = (f"{t(lang, 'resolved_heading')}: {v.get('rule')} {title}: {v.get('element_name') or v.get('element')} "
            f"({t(lang, 'expected').lower()} {v.get('expected')}, {t(lang, 'actual').lower()} {v.get('actual')})")
    item: dict[str, Any] = {
        "ruleId": str(v.get("rule")),
        "kind": "pass",
        "level": "none",
        "baselineState": "absent",
        "message": {"text": text},
        "locations": [{
            "physicalLocation": {"artifactLocation": _artifact(file)},
            "logicalLocations": [{"name": str(v.get("element_name") or v.get("element")), "fullyQualifiedName": str(v.get("element")),
                                  "kind": "element"}],
        }],
        "partialFingerprints": {"plankoll/v1": _fingerprint(plan, v)},
        "properties": {"plan": plan["plan"], "version": v.get("version"), "kind": v.get("kind"),
                       "expected": v.get("expected"), "actual": v.get("actual")},
    }
    if v.get("rule") in index:
        item["ruleIndex"] = index[str(v["rule"])]
    return item


def _absent_results(result: dict[str, Any], index: dict[str, int], lang: str) -> list[dict[str, Any]]:
    """The resolved violations: under the plans of the run (at the plan version's file), then those of plans gone from it."""
    rules = rules_by_id(result)
    out = [_absent(plan, v, plan["file"], index, lang, rules) for plan in ordered_plans(result) for v in resolved(plan)]
    out += [_absent(plan, v, plan.get("file"), index, lang, rules) for plan in resolved_plans(result) for v in plan["resolved"]]
    return out


def render(result: dict[str, Any]) -> str:
    lang = result["lang"]
    index = {r["id"]: i for i, r in enumerate(result["rules"])}
    results = [_result(plan, v, index, lang) for plan in ordered_plans(result) for v in plan["violations"]]
    if has_states(result):
        results += _absent_results(result, index, lang)
    codes = list(dict.fromkeys(n["code"] for plan in result["plans"] for n in notices(plan)))
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "plankoll",
            "version": result["version"],
            "semanticVersion": result["version"],
            "rules": [_driver_rule(r) for r in result["rules"]],
            "notifications": [{"id": code, "defaultConfiguration": {"level": "note"}} for code in codes],
        }},
        "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": _notifications(result, codes)}],
        "originalUriBaseIds": {SRCROOT: {"uri": _srcroot()}},
        "language": lang,
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {"summary": result["summary"], "declaredExceptions": _declared(result)},
    }
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    text = json.dumps(log, ensure_ascii=False, indent=2)
    # a lone surrogate (a byte of a file name that is not UTF-8, quoted in a message) as its visible
    # escape, '\\udce4', JSON-encoded: the log must be UTF-8
    return _SURROGATE.sub(lambda m: json.dumps(without_surrogates(m.group()))[1:-1], text) + "\n"


def _declared(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Every exception the plan files declare: where, and how many findings it waives (0: unused, see PK001)."""
    out = []
    for plan in ordered_plans(result):
        for e, n in zip(exceptions(plan), exception_uses(plan), strict=True):
            where: dict[str, Any] = {"artifactLocation": _artifact(plan["file"])}
            if e.get("line"):
                where["region"] = {"startLine": int(e["line"])}
            out.append({"plan": plan["plan"], "version": plan["version"], "ruleId": e["rule"], "element": e["element"],
                        "reason": e["reason"], "used": bool(e.get("used")), "waives": n, "physicalLocation": where})
    return out
