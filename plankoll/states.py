"""New, changed, known and resolved: one vocabulary for a run compared with a base.

The base is the result of the target branch (`plankoll.gitbase.check_base`), a JSON result of an
earlier run (`--baseline FILE`), or, in `plankoll history`, the parent commit. Violations match by
(plan id, rule, element); the version label and the file are left out, because a commit edits the
version.

- new: its key is not among the base's active violations;
- changed: the key is there, but expected or actual differs (a total that got worse is not known);
- known: the key and both figures are there;
- resolved: an active violation of the base whose key has no active violation now (gone, or now
  waived, as the HTML report's version-to-version changes count it).

Every current violation gets a state, waived ones too (for information: a waived violation never
fails a run). Only active violations are counted in the summary.
"""

from __future__ import annotations

import re
from typing import Any

STATES = ("new", "changed", "known")
Key = tuple[str, str, str]


def key(plan_id: Any, v: dict[str, Any]) -> Key:
    return (str(plan_id), str(v.get("rule")), str(v.get("element")))


_NUMBER = re.compile(r"[-−–]?\d[\d \u00a0]*(?:,\d+)?")


def figures(v: dict[str, Any]) -> tuple[Any, ...]:
    """What must stay the same for a violation to be known: the figures of expected and actual and
    the printed text — not their words, which depend on the language of the run (a baseline made
    in Swedish compares with a run in English)."""
    def numbers(text: Any) -> tuple[str, ...]:
        return tuple(" ".join(m.split()) for m in _NUMBER.findall(str(text or "")))

    return (numbers(v.get("expected")), numbers(v.get("actual")), (v.get("source") or {}).get("printed"))


def active_index(plans: list[dict[str, Any]]) -> dict[Key, list[dict[str, Any]]]:
    """The active violations of a set of plan entries by key (several versions of a plan may hold one)."""
    index: dict[Key, list[dict[str, Any]]] = {}
    for plan in plans:
        for v in plan.get("violations") or []:
            if v.get("waived") is None:
                index.setdefault(key(plan.get("plan"), v), []).append(v)
    return index


def state_of(k: Key, v: dict[str, Any], base: dict[Key, list[dict[str, Any]]]) -> str:
    before = base.get(k)
    if not before:
        return "new"
    return "known" if any(figures(b) == figures(v) for b in before) else "changed"


def compare(plans: list[dict[str, Any]], base_plans: list[dict[str, Any]]) -> dict[str, list[tuple[dict[str, Any], dict[str, Any]]]]:
    """(plan entry, violation) pairs by state: new, changed, known (every current violation) and
    resolved (base plan entry, base violation)."""
    base = active_index(base_plans)
    waived_before = {key(p.get("plan"), v) for p in base_plans for v in p.get("violations") or [] if v.get("waived") is not None}
    out: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]] = {s: [] for s in (*STATES, "resolved")}
    for plan in plans:
        for v in plan["violations"]:
            k = key(plan["plan"], v)
            # waived then and waived now: known (a waiver removed since makes it new, an added one resolves it)
            state = "known" if v.get("waived") is not None and k in waived_before else state_of(k, v, base)
            out[state].append((plan, v))
    now = active_index(plans)
    seen: set[Key] = set()
    for plan in base_plans:
        for v in plan.get("violations") or []:
            k = key(plan.get("plan"), v)
            if v.get("waived") is None and k not in now and k not in seen:
                seen.add(k)  # one resolved violation per key, however many base versions held it
                out["resolved"].append((plan, v))
    return out


def _mark(pairs: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]], base: dict[Key, list[dict[str, Any]]]) -> None:
    for state in STATES:
        for plan, v in pairs[state]:
            v["state"] = state
            v["new"] = state == "new"  # the --baseline flag of format 1, kept for readers of it
            if state == "changed":
                # the base's figures, so that a report can say "was 5, now 505"
                b = base[key(plan["plan"], v)][0]
                v["base"] = {"expected": b.get("expected"), "actual": b.get("actual")}


def _resolved(result: dict[str, Any], pairs: list[tuple[dict[str, Any], dict[str, Any]]]) -> None:
    """Resolved violations under the first current entry of their plan; those of plans gone from
    the run under result["resolved_plans"]."""
    first: dict[str, dict[str, Any]] = {}
    for plan in result["plans"]:
        plan["resolved"] = []
        first.setdefault(plan["plan"], plan)
    gone: dict[str, dict[str, Any]] = {}
    for base_plan, v in pairs:
        entry = {**v, "state": "resolved", "version": base_plan.get("version"), "file": base_plan.get("file")}
        plan_id = str(base_plan.get("plan"))
        if plan_id in first:
            first[plan_id]["resolved"].append(entry)
        else:
            gone.setdefault(plan_id, {"plan": plan_id, "version": base_plan.get("version"), "file": base_plan.get("file"),
                                      "resolved": []})["resolved"].append(entry)
    result["resolved_plans"] = list(gone.values())


def apply_states(result: dict[str, Any], base: dict[str, Any], fail_on: str | None = None, fail_on_changed: bool = True) -> dict[str, Any]:
    """Mark every violation of `result` with its state against `base` (a result, e.g. from
    `check_base` or a JSON file), list the resolved ones, and decide `failed` by new violations and,
    unless fail_on_changed is False, changed ones, at or above `fail_on` (default: the run's).
    Updates `result` in place and returns it.

    A `base` that is not a plankoll result raises ValueError (as `--baseline` has always done)."""
    from plankoll.results import baseline_keys, failed

    baseline_keys(base)  # validates the shape of a result read from a file
    pairs = compare(result["plans"], base["plans"])
    _mark(pairs, active_index(base["plans"]))
    _resolved(result, pairs["resolved"])
    counts = {s: sum(1 for _, v in pairs[s] if v["waived"] is None) for s in STATES}
    failing = ("new", "changed") if fail_on_changed else ("new",)
    summary = result["summary"]
    summary.update(counts, resolved=len(pairs["resolved"]), fail_on_changed=fail_on_changed)
    summary["failed"] = failed([v for s in failing for _, v in pairs[s]], result["errors"], fail_on or summary["fail_on"])
    if base.get("baseline_ref"):
        summary["baseline"] = dict(base["baseline_ref"])
    return result
