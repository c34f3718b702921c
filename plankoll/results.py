"""A run's results in the JSON contract every renderer starts from (format version below)."""

from __future__ import annotations

from typing import Any

RESULT_FORMAT = 1


def _json_default(value: Any) -> Any:
    """What orjson cannot encode itself: a numpy scalar, and a kept plan entry (its JSON as encoded,
    indented as a plan entry stands in a result indented by two)."""
    from plankoll.incremental import Kept

    if isinstance(value, Kept):
        import orjson

        return orjson.Fragment(value.json)
    if hasattr(value, "item"):  # a numpy scalar
        return value.item()
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


def _json_decoded(value: Any) -> Any:
    from plankoll.incremental import Kept

    if isinstance(value, Kept):
        return value.decode()
    return _json_default(value)


def dumps(value: Any, indent: bool = False) -> bytes:
    """JSON of (part of) a result, by orjson: the JSON report and the kept results use it."""
    import orjson

    try:
        return orjson.dumps(value, default=_json_default if indent else _json_decoded, option=orjson.OPT_INDENT_2 if indent else 0)
    except TypeError:
        # orjson refuses lone surrogates (file names that are not UTF-8); escaped, they are valid JSON
        import json

        return json.dumps(value, default=_json_decoded, indent=2 if indent else None).encode("ascii")


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _int(value: Any) -> int | None:
    try:
        return None if value is None or value != value else int(value)
    except (TypeError, ValueError):
        return None


def build(plans: Any, violations: Any, errors: list[Any], rules: Any, fail_on: str, lang: str,
          baseline: set[tuple[str, str, str]] | None = None) -> dict[str, Any]:
    """plans/violations are the frames of a run; errors the load errors; rules the active RuleSet.

    With a baseline (the (plan, rule, element) of an earlier run, see `baseline_keys`), every
    violation says whether it is new, and only new ones decide whether the run failed.
    """
    return finish(plan_entries(plans, violations), errors, rules, fail_on, lang, baseline)


def plan_entries(plans: Any, violations: Any) -> list[dict[str, Any]]:
    """One entry per plan version (frame order), with its violations, as the result lists them."""
    by_plan: dict[int, list[dict[str, Any]]] = {}
    for rec in violations.to_dict("records"):
        src_line, src_page = _int(rec.get("src_line")), _int(rec.get("src_page"))
        source: dict[str, Any] = {"document": None}
        if src_line is not None:
            source["line"] = src_line
        if src_page is not None:
            source["page"] = src_page
        if rec.get("printed") not in (None, "") and rec.get("printed") == rec.get("printed"):
            source["printed"] = rec["printed"]
        details = rec.get("params") or {}
        if isinstance(details.get("ocr"), str):
            source["ocr"] = details.pop("ocr")  # the figure is a reading of this OCR text
        by_plan.setdefault(int(rec["plan_key"]), []).append({
            "rule": rec["rule"],
            "severity": rec["severity"],
            "kind": rec["kind"],
            "element": rec["element"],
            "element_name": rec["element_name"],
            "message": rec["message"],
            "expected": rec["expected"],
            "actual": rec["actual"],
            "waived": rec["waived"] if isinstance(rec["waived"], str) else None,
            "location": _location(rec),
            "source": source,
            "details": details,
        })
    out_plans = []
    for p in plans.to_dict("records"):
        found = by_plan.get(int(p["plan_key"]), [])
        for v in found:
            v["location"]["file"] = p["file"]
            v["source"]["document"] = p["source_document"]
        out_plans.append({
            "plan": p["plan_id"],
            "version": p["version_label"],
            "file": p["file"],
            "title": p["title"],
            "organisation": p["organisation"],
            "body": p["body"],
            "document": p["document"],
            "status": p["status"],
            "adopted": p.get("adopted") if isinstance(p.get("adopted"), str) else None,
            "period": [int(p["first_year"]), int(p["last_year"])],
            "source_document": p["source_document"],
            # the document the figures come from, as an auditor can find it
            "source": {"document": p["source_document"], "title": _text(p.get("source_title")), "url": _text(p.get("source_url")),
                       "ocr": bool(p.get("ocr"))},
            "counts": _counts(found),
            "violations": found,
        })
    return out_plans


def attach_evidence(entry: dict[str, Any], evidence: dict[str, dict[str, Any]]) -> None:
    """Give each violation of a document read directly the printed text around its element: the row
    and the heading above it."""
    if not evidence:
        return
    for v in entry["violations"]:
        parts = v["element"].split("/")
        key = parts[0] if parts[0].startswith("indicator:") else "/".join(parts[:2])  # the indicator, or the table row
        if key in evidence:
            v["evidence"] = evidence[key]


def notices(raw: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """What an importer could not interpret, each with its place and a message in the run's language."""
    from plankoll.i18n import notice_text

    return [{**n, "message": notice_text(lang, n["code"], n["params"])} for n in raw]


def _location(rec: dict[str, Any]) -> dict[str, Any]:
    """Where a violation stands in the checked file: its line, and for a document read directly its
    table, row and column."""
    out: dict[str, Any] = {"file": None, "line": _int(rec["file_line"])}
    for key, column in (("table", "doc_table"), ("row", "doc_row"), ("column", "doc_column")):
        value = _int(rec.get(column))
        if value is not None:
            out[key] = value
    for key, column in (("sheet", "doc_sheet"), ("cell", "doc_cell")):
        if isinstance(rec.get(column), str):
            out[key] = rec[column]
    return out


def finish(out_plans: list[dict[str, Any]], errors: list[Any], rules: Any, fail_on: str, lang: str,
           baseline: set[tuple[str, str, str]] | None = None) -> dict[str, Any]:
    """The result of a run from its plan entries (see `plan_entries`) and load errors."""
    from plankoll import __version__
    from plankoll.incremental import Kept

    if baseline is not None:  # every violation is compared with the baseline: decode what was kept encoded
        out_plans = [p.decode() if isinstance(p, Kept) else p for p in out_plans]
    kept = [p for p in out_plans if isinstance(p, Kept)]  # a kept entry brings its counts and failed rules
    all_v = [v for p in out_plans if not isinstance(p, Kept) for v in p["violations"]]
    if baseline is not None:
        for plan in out_plans:
            for v in plan["violations"]:
                v["new"] = (plan["plan"], v["rule"], v["element"]) not in baseline
    counts = _counts(all_v)
    for k in kept:
        for key in counts:
            counts[key] += k.counts.get(key, 0)
    levels = LEVELS.get(fail_on, ())
    summary = {
        "plan_versions": len(out_plans),
        "errors": len(errors),
        **counts,
        "fail_on": fail_on,
        "failed": failed([v for v in all_v if v.get("new", True)], errors, fail_on) or any(k.counts.get(level, 0) for k in kept for level in levels),
    }
    if baseline is not None:
        summary["new"] = sum(1 for v in all_v if v["new"] and v["waived"] is None)
    # a check kind that failed leaves its rule unevaluated: the run cannot vouch for the plans (exit 2)
    summary["rules_failed"] = len({n["params"]["rule"] for p in out_plans if not isinstance(p, Kept) for n in p.get("notices", [])
                                   if n["code"] == "rule_failed"} | {r for k in kept for r in k.failed_rules})
    return {
        "plankoll": RESULT_FORMAT,
        "version": __version__,
        "lang": lang,
        "summary": summary,
        "rules": [
            {"id": r.id, "kind": r.kind, "severity": r.severity, "title": r.spec.title.get(lang),
             "rationale": r.spec.rationale.get(lang), "reference": r.spec.reference,
             "invariant": r.spec.invariant.get(lang) if r.spec.invariant else None}
            for r in rules.rules
        ],
        "plans": out_plans,
        "errors": [e.as_dict() for e in errors],
    }


def _counts(violations: list[dict[str, Any]]) -> dict[str, int]:
    active = [v for v in violations if v["waived"] is None]
    return {
        "violations": len(active),
        "error": sum(v["severity"] == "error" for v in active),
        "warning": sum(v["severity"] == "warning" for v in active),
        "info": sum(v["severity"] == "info" for v in active),
        "waived": len(violations) - len(active),
    }


LEVELS = {"error": ("error",), "warning": ("error", "warning"), "never": ()}  # the severities that fail a run, by fail level


def failed(violations: list[dict[str, Any]], errors: list[Any], fail_on: str) -> bool:
    levels = LEVELS[fail_on]
    return any(v["waived"] is None and v["severity"] in levels for v in violations)


def baseline_keys(result: dict[str, Any]) -> set[tuple[str, str, str]]:
    """(plan, rule, element) of every violation in an earlier result: what a CI gate already knows.

    The plan version's label and file are left out on purpose: a commit edits the version, and a
    violation that merely persists in it is not new.
    """
    if not isinstance(result, dict) or result.get("plankoll") != RESULT_FORMAT or not isinstance(result.get("plans"), list):
        raise ValueError(f"not a plankoll JSON result of format {RESULT_FORMAT} (write one with --format json)")
    keys = set()
    for p in result["plans"]:
        violations = p.get("violations") if isinstance(p, dict) else None
        if not isinstance(violations, list) or not all(isinstance(v, dict) for v in violations):
            raise ValueError("a plan entry without a list of violations")
        keys |= {(str(p.get("plan")), str(v.get("rule")), str(v.get("element"))) for v in violations}
    return keys
