"""HTML: one self-contained audit report (inline CSS and JS, no network), Swedish or English.

Rendered with Jinja2 and autoescape on, so every text of the documents and rulebooks is escaped.
The page's Content-Security-Policy allows no network at all and only the report's own inline
script and style (by their SHA-256), so even an injected script could not run.
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path
from typing import Any

from plankoll.reports._common import (
    SEVERITIES,
    active,
    changes,
    error_text,
    exception_name,
    exception_state,
    exception_uses,
    exception_where,
    exceptions,
    exceptions_count,
    kinds,
    notice_count,
    notice_place,
    notices,
    notices_summary,
    ordered_plans,
    relative_path,
    rules_by_id,
    slug,
    source_text,
    summary_text,
    version_id,
    waived,
    without_surrogates,
)

from plankoll.i18n import place, strings

TEMPLATES = Path(__file__).resolve().parent / "templates"


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def _row(v: dict[str, Any], plan: dict[str, Any], rules: dict[str, dict[str, Any]], lang: str,
         change: dict[str, Any] | None) -> dict[str, Any]:
    s = strings(lang)
    rule = rules.get(v["rule"], {})
    loc = v.get("location") or {}
    file = relative_path(loc.get("file") or plan["file"])
    badge = None
    if change is not None and v["waived"] is None:
        first = change["since"].get((v["rule"], v["element"]))
        badge = ("new", s["badge_new"]) if first == plan["version"] else ("since", s["badge_since"].format(version=first))
    return {
        "v": v,
        "vid": version_id(plan),
        "version_label": f"{plan['plan']} · {plan['version']}",
        "title": rule.get("title") or v["rule"],
        "rationale": rule.get("rationale") or "",
        "plan_where": f"{file}:{loc['line']}" if loc.get("line") else file,
        "place": place(loc, lang),
        "source_where": source_text(v, s["source_line"].split()[0], s["source_page"].split()[0]),
        "printed": (v.get("source") or {}).get("printed"),
        "badge": badge,
    }


def _exceptions(plan: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """Every exception the plan file declares, with its element's name, line and whether (and how much) it waived."""
    return [{**e, "name": exception_name(e, plan), "where": exception_where(e, plan), "state": exception_state(e, n, lang)}
            for e, n in zip(exceptions(plan), exception_uses(plan), strict=True)]


def _version(plan: dict[str, Any], plans: list[dict[str, Any]], change: dict[str, Any] | None, rules: dict[str, dict[str, Any]],
             kind_list: list[str], lang: str) -> dict[str, Any]:
    """What the report shows of one plan version: its violations, waived findings, notices and declared exceptions."""
    vid = version_id(plan)
    act = active(plan)
    return {
        "plan": plan,
        "vid": vid,
        "anchor": "v-" + slug(vid),
        "by_kind": {k: sum(v["kind"] == k for v in act) for k in kind_list},
        "rows": [_row(v, plan, rules, lang, change) for v in act],
        "waived": [_row(v, plan, rules, lang, None) for v in waived(plan)],
        "notices": [{"code": n["code"], "place": notice_place(n, plan, lang), "message": n["message"]} for n in notices(plan)],
        "exceptions": _exceptions(plan, lang),
        "exceptions_count": exceptions_count([plan], lang),
        "change": change,
        "file": relative_path(plan["file"]),
        "has_history": any(p["plan"] == plan["plan"] and p is not plan for p in plans),
    }


def context(result: dict[str, Any]) -> dict[str, Any]:
    lang = result["lang"]
    rules = rules_by_id(result)
    plans = ordered_plans(result)
    diff = changes(result)
    kind_list = kinds(result)
    versions = [_version(plan, plans, diff.get(version_id(plan)), rules, kind_list, lang) for plan in plans]
    used_rules = {v["rule"] for p in plans for v in p["violations"]}
    return {
        "lang": lang,
        "s": strings(lang),
        "result": result,
        "summary": result["summary"],
        "summary_text": summary_text(result),
        "notices_summary": notices_summary(result),
        "severities": SEVERITIES,
        "kinds": kind_list,
        "kind_totals": {k: sum(x["by_kind"][k] for x in versions) for k in kind_list},
        "notice_total": notice_count(result),
        "versions": versions,
        "diffs": [x for x in versions if x["change"] is not None],
        "all_waived": [row for x in versions for row in x["waived"]],
        "rules": result["rules"],
        "filter_rules": [r for r in result["rules"] if r["id"] in used_rules]
        + [{"id": rid, "title": rid} for rid in sorted(used_rules - set(rules))],
        "errors": [{"file": relative_path(e.get("file")), "line": e.get("line"), "message": error_text(e, lang)} for e in result["errors"]],
    }


def render(result: dict[str, Any]) -> str:
    import jinja2  # lazily: `plankoll --help` and the other formats do not need it
    import markupsafe

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    js = (TEMPLATES / "report.js").read_text(encoding="utf-8")
    csp = (f"default-src 'none'; style-src '{_sha256(css)}'; script-src '{_sha256(js)}'; "
           "img-src data:; base-uri 'none'; form-action 'none'")
    ctx = context(result)
    # the report's own stylesheet and script from templates/, never document text
    ctx.update(css=markupsafe.Markup(css), js=markupsafe.Markup(js), csp=csp)  # noqa: S704
    # a byte of a file name that is not UTF-8 (a surrogate) as its visible escape: the page is UTF-8
    return without_surrogates(env.get_template("report.html.j2").render(**ctx))
