"""GitLab Code Quality (`artifacts: reports: codequality:`): a JSON list of issues, the subset of the
Code Climate format GitLab reads — description, check_name, fingerprint, severity and location
{path, lines: {begin}}.

GitLab matches the issues of a merge request with those of its target branch by fingerprint, so a
fingerprint is a sha256 of (plan id, rule, element): stable while a commit edits the version and
moves lines. GitLab shows one issue per fingerprint; where one key stands in several files (two
versions of a plan), the file is part of the fingerprint of each.

Severities: error → major, warning → minor, info → info; an unreadable file is critical (the run
exits 2). Against a baseline (--baseline, --baseline-ref), known violations are info, as the GitHub
annotations make them notices: only new and changed ones count. Each description then starts with
the state in the run's language: "(ny)", "(ändrad: var 470 / 400)", "(känd)". Resolved ones (in the
base, gone now) are left out: GitLab finds them itself, as the target branch's issues that the merge
request no longer has. Waived violations are left out: every other report lists them with their
reasons.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import Any

from plankoll.reports._common import error_text, relative_path, rules_by_id, state, state_text, without_surrogates

from plankoll.i18n import place, t

SEVERITY = {"error": "major", "warning": "minor", "info": "info"}


def fingerprint(*parts: Any) -> str:
    return hashlib.sha256("\0".join(without_surrogates(p) for p in parts).encode("utf-8")).hexdigest()


def _description(v: dict[str, Any], rules: dict[str, dict[str, Any]], lang: str) -> str:
    title = rules.get(v["rule"], {}).get("title") or ""
    text = f"{v['rule']} {title}: {v['message']} ({t(lang, 'expected')}: {v['expected']}, {t(lang, 'actual')}: {v['actual']})"
    where = place(v.get("location") or {}, lang)
    if where:
        text += f" [{where}]"
    if state(v) is not None:
        text = f"({state_text(v, lang)}) {text}"
    return without_surrogates(text)


def _issue(plan: dict[str, Any], v: dict[str, Any], rules: dict[str, dict[str, Any]], lang: str, shared: bool) -> dict[str, Any]:
    loc = v.get("location") or {}
    file = loc.get("file") or plan["file"]
    parts = (plan["plan"], v["rule"], v["element"], *((file,) if shared else ()))
    return {
        "description": _description(v, rules, lang),
        "check_name": v["rule"],
        "fingerprint": fingerprint(*parts),
        "severity": "info" if state(v) == "known" else SEVERITY.get(v["severity"], "minor"),
        "location": {"path": without_surrogates(relative_path(file)), "lines": {"begin": int(loc.get("line") or 1)}},
    }


def _error(e: dict[str, Any], lang: str) -> dict[str, Any]:
    return {
        "description": without_surrogates(error_text(e, lang)),
        "check_name": "plankoll-unreadable",
        "fingerprint": fingerprint("unreadable", e.get("file") or "", e.get("line") or "", e.get("message") or ""),
        "severity": "critical",
        "location": {"path": without_surrogates(relative_path(e.get("file"))), "lines": {"begin": int(e.get("line") or 1)}},
    }


def render(result: dict[str, Any]) -> str:
    lang, rules = result["lang"], rules_by_id(result)
    active = [(p, v) for p in result["plans"] for v in p["violations"] if v["waived"] is None]
    keys = Counter((p["plan"], v["rule"], v["element"]) for p, v in active)
    issues = [_issue(p, v, rules, lang, keys[(p["plan"], v["rule"], v["element"])] > 1) for p, v in active]
    issues += [_error(e, lang) for e in result["errors"]]
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"
