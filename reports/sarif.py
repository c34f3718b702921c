"""SARIF 2.1.0 for code-scanning tools: one run, the active rules as tool.driver.rules, one result
per violation at the plan file and line; waived violations carry a suppression with the reason."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from plankoll.reports._common import ordered_plans, relative_path

from plankoll.i18n import t

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
SRCROOT = "%SRCROOT%"


def _artifact(file: str | None) -> dict[str, Any]:
    """artifactLocation: a URI relative to the current directory (uriBaseId %SRCROOT%) when the file lies below it."""
    if not file:
        return {"uri": ""}
    rel = relative_path(file)
    if rel and not Path(rel).is_absolute() and not rel.startswith("../"):
        return {"uri": quote(rel), "uriBaseId": SRCROOT}
    return {"uri": Path(file).resolve().as_uri()}


def _fingerprint(plan: dict[str, Any], v: dict[str, Any]) -> str:
    return hashlib.sha256(f"{plan['plan']}\x00{v['rule']}\x00{v['element']}".encode()).hexdigest()[:32]


def render(result: dict[str, Any]) -> str:
    lang = result["lang"]
    rules = result["rules"]
    index = {r["id"]: i for i, r in enumerate(rules)}
    driver_rules = []
    for r in rules:
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
        driver_rules.append(rule)
    results = []
    for plan in ordered_plans(result):
        for v in plan["violations"]:
            loc = v.get("location") or {}
            physical: dict[str, Any] = {"artifactLocation": _artifact(loc.get("file") or plan["file"])}
            if loc.get("line"):
                physical["region"] = {"startLine": int(loc["line"])}
            item: dict[str, Any] = {
                "ruleId": v["rule"],
                "level": LEVELS.get(v["severity"], "warning"),
                "message": {"text": v["message"]},
                "locations": [{
                    "physicalLocation": physical,
                    "logicalLocations": [{"name": v["element_name"], "fullyQualifiedName": v["element"], "kind": "element"}],
                }],
                "partialFingerprints": {"plankoll/v1": _fingerprint(plan, v)},
                "properties": {
                    "plan": plan["plan"], "version": plan["version"], "kind": v["kind"],
                    "expected": v["expected"], "actual": v["actual"], "source": v.get("source") or {},
                },
            }
            if v["rule"] in index:
                item["ruleIndex"] = index[v["rule"]]
            if v["waived"] is not None:
                # waivers stand in the plan file (element level) or the plan repository's config; both are
                # declared beside the plans, so they are reported as in-source suppressions
                item["suppressions"] = [{"kind": "inSource", "status": "accepted", "justification": v["waived"]}]
            results.append(item)
    notifications = [{
        "level": "error",
        "message": {"text": f"{t(lang, 'input_errors_title')}: {e['message']}"},
        "locations": [{"physicalLocation": {"artifactLocation": _artifact(e.get("file")),
                                            **({"region": {"startLine": int(e["line"])}} if e.get("line") else {})}}],
    } for e in result["errors"]]
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "plankoll",
            "version": result["version"],
            "semanticVersion": result["version"],
            "rules": driver_rules,
        }},
        "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": notifications}],
        "originalUriBaseIds": {SRCROOT: {"uri": Path.cwd().resolve().as_uri() + "/"}},
        "language": lang,
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {"summary": result["summary"]},
    }
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"
