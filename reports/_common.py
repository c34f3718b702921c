"""Helpers shared by the report renderers: version order, version-to-version changes, paths.

Everything here works on the result dict of plankoll/results.py (the JSON contract); nothing
re-runs a check.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from plankoll.i18n import at, position, t
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
    """The path relative to base (default: the current directory) when it lies below it, POSIX style."""
    if not file:
        return ""
    path = Path(file)
    base = (base or Path.cwd()).resolve()
    try:
        resolved = path.resolve()
        return resolved.relative_to(base).as_posix()
    except (ValueError, OSError):
        return path.as_posix() if not path.is_absolute() else os.fspath(path)


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
