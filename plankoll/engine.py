"""The engine: select the elements each rule applies to, run its check kind over all plan
versions at once, attach declared exceptions and render messages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

import pandas as pd

from plankoll.config import ConfigWaiver
from plankoll.frames import Frames
from plankoll.rules import Rule, RuleSet, Selector, check_module

# What every check kind returns: one row per violation.
VIOLATION_COLUMNS = (
    "plan_key", "element", "element_name", "indicator_id", "table_id", "row_id",
    "expected", "actual", "file_line", "src_line", "src_page", "doc_table", "doc_row", "doc_column", "doc_sheet", "doc_cell", "printed",
)


def empty_violations(extra: tuple[str, ...] = ()) -> pd.DataFrame:
    return _empty(tuple(extra)).copy()  # built once per shape: most rules find nothing in a small plan


@lru_cache(maxsize=32)
def _empty(extra: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in (*VIOLATION_COLUMNS, *extra)})


def _match(series: pd.Series, pattern: str, ignore_case: bool = False) -> pd.Series:
    flags = re.IGNORECASE if ignore_case else 0
    return series.fillna("").astype(str).str.contains(pattern, flags=flags, regex=True)


def select(frames: Frames, selector: Selector) -> Frames:
    """The part of the frames a selector chooses; the frames themselves when it chooses all."""
    if selector == Selector():
        return frames
    plans = frames.plans
    if selector.document:
        plans = plans[plans["document"].isin(selector.document)]
    if selector.plan:
        plans = plans[_match(plans["plan_id"], selector.plan)]
    keys = plans["plan_key"]
    ind = frames.indicators[frames.indicators["plan_key"].isin(keys)]
    if selector.indicator:
        ind = ind[_match(ind["indicator_id"], selector.indicator)]
    if selector.name:
        ind = ind[_match(ind["name"], selector.name, True)]
    if selector.path:
        ind = ind[_match(ind["path"], selector.path, True)]
    if selector.unit:
        ind = ind[ind["unit"].isin(selector.unit)]
    if selector.kind:
        ind = ind[ind["kind"] == selector.kind]
    tab = frames.tables[frames.tables["plan_key"].isin(keys)]
    if selector.table:
        tab = tab[_match(tab["table_id"], selector.table)]
    if selector.title:
        tab = tab[_match(tab["title"], selector.title, True)]
    indicator_only = any(getattr(selector, k) for k in ("indicator", "name", "path", "unit", "kind"))
    table_only = any(getattr(selector, k) for k in ("table", "title"))
    if indicator_only and not table_only:
        tab = tab.iloc[0:0]
    if table_only and not indicator_only:
        ind = ind.iloc[0:0]

    def on(df: pd.DataFrame, owners: pd.DataFrame, full: pd.DataFrame, key: str) -> pd.DataFrame:
        if len(owners) == len(full):
            return df
        return df[df[key].isin(owners[key])] if len(df) else df

    return replace(
        frames,
        memo={},
        plans=plans,
        indicators=ind,
        values=on(frames.values, ind, frames.indicators, "ind_key"),
        tables=tab,
        cells=on(frames.cells, tab, frames.tables, "tab_key"),
        row_sums=on(frames.row_sums, tab, frames.tables, "tab_key"),
        column_sums=on(frames.column_sums, tab, frames.tables, "tab_key"),
        derived=on(frames.derived, tab, frames.tables, "tab_key"),
    )


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _clean(value: Any) -> Any:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and value != value:
        return None
    return value


@dataclass
class Outcome:
    violations: pd.DataFrame  # one row per violation, with rule, severity, message, waived
    rules: RuleSet
    # per plan_key: rules that were not evaluated for it, each {"code", "params"} (a notice)
    not_evaluated: dict[int, list[dict[str, Any]]] = field(default_factory=dict)


def _element_waivers(v: pd.DataFrame, waivers: pd.DataFrame) -> pd.Series:
    """The reason of the most specific declared exception for each violation, or None."""
    reason = pd.Series([None] * len(v), index=v.index, dtype="object")
    if waivers.empty or v.empty:
        return reason
    levels = [("row", ["table_id", "row_id"]), ("table", ["table_id"]), ("indicator", ["indicator_id"]), ("plan", [])]
    for scope, cols in levels:
        w = waivers[waivers["scope"] == scope][["plan_key", "rule", *cols, "reason"]]
        if w.empty:
            continue
        keys = ["plan_key", "rule", *cols]
        left = v[keys].astype({"plan_key": "Int64"}).astype({c: "object" for c in keys if c != "plan_key"})
        right = w.astype({c: "object" for c in keys if c != "plan_key"}).drop_duplicates(keys)
        merged = left.merge(right, on=keys, how="left")
        merged.index = v.index
        found = merged["reason"].where(merged["reason"].notna(), None)
        reason = reason.where(reason.notna(), found)
    return reason


def _config_waivers(v: pd.DataFrame, plans: pd.DataFrame, waivers: list[ConfigWaiver]) -> pd.Series:
    reason = pd.Series([None] * len(v), index=v.index, dtype="object")
    if not waivers or v.empty:
        return reason
    plan_ids = v["plan_key"].map(plans.set_index("plan_key")["plan_id"])
    for w in waivers:
        hit = v["rule"] == w.rule
        if w.plan:
            hit &= _match(plan_ids, w.plan)
        if w.element:
            hit &= _match(v["element"], w.element)
        reason = reason.where(~(hit & reason.isna()), f"{w.reason} [{w.origin}]")
    return reason


def run(frames: Frames, ruleset: RuleSet, lang: str = "en", config_waivers: list[ConfigWaiver] | None = None) -> Outcome:
    parts: list[pd.DataFrame] = []
    selections: dict[str, Frames] = {}  # rules with the same selector share the selection and its memo
    skipped: dict[int, list[dict[str, Any]]] = {}
    later = [r for r in ruleset.rules if getattr(check_module(r.kind), "PHASE", None) == "after"]
    for rule in [r for r in ruleset.rules if r not in later]:
        key = rule.spec.selector.model_dump_json()
        if key not in selections:
            selections[key] = select(frames, rule.spec.selector)
        try:
            found = run_rule(selections[key], rule, selected=True, lang=lang)
            _not_compared(selections[key], rule, skipped)
        except Exception as exc:
            _failed(frames, rule, exc, skipped)
            continue
        if not found.empty:
            parts.append(render(found, rule, lang))
    if parts:
        v = pd.concat(parts, ignore_index=True)
    else:
        v = empty_violations(("rule", "severity", "kind", "message", "params"))
    v["waived"] = _element_waivers(v, frames.waivers)
    by_config = _config_waivers(v, frames.plans, config_waivers or [])
    v["waived"] = v["waived"].where(v["waived"].notna(), by_config)
    v = _after(frames, later, v, lang, skipped, ruleset)
    v = v.sort_values(["plan_key", "rule", "file_line", "element"], kind="stable", na_position="last").reset_index(drop=True)
    return Outcome(v, ruleset, skipped)


def _after(frames: Frames, rules: list[Rule], v: pd.DataFrame, lang: str, skipped: dict[int, list[dict[str, Any]]],
           ruleset: RuleSet) -> pd.DataFrame:
    """Rules whose check kind looks at what the other rules found (e.g. unused declared exceptions)."""
    found = [v]
    for rule in rules:
        try:
            rows = check_module(rule.kind).run(select(frames, rule.spec.selector), rule.spec.params, lang, violations=v,
                                               rules={r.id for r in ruleset.rules})
        except Exception as exc:
            _failed(frames, rule, exc, skipped)
            continue
        if not rows.empty:
            out = render(rows, rule, lang)
            out["waived"] = None
            found.append(out)
    return pd.concat(found, ignore_index=True) if len(found) > 1 else v


def _not_compared(frames: Frames, rule: Rule, skipped: dict[int, list[dict[str, Any]]]) -> None:
    """Plan versions a cross-document rule had nothing to compare with (the check kind says which)."""
    module = check_module(rule.kind)
    uncovered = getattr(module, "not_compared", None)
    if uncovered is None:
        return
    for plan_key, reason in uncovered(frames, rule.spec.params):
        skipped.setdefault(int(plan_key), []).append({"code": "rule_not_compared", "params": {"rule": rule.id, "reason": reason}})


def _failed(frames: Frames, rule: Rule, exc: Exception, skipped: dict[int, list[dict[str, Any]]]) -> None:
    import traceback

    where = traceback.extract_tb(exc.__traceback__)[-1]
    error = f"{type(exc).__name__}: {exc}"[:300] + f" ({where.filename.rsplit('/', 1)[-1]}:{where.lineno})"
    for plan_key in frames.plans["plan_key"].tolist():
        skipped.setdefault(int(plan_key), []).append({"code": "rule_failed", "params": {"rule": rule.id, "error": error}})


def scope(rule: Rule) -> str:
    """'version' when the rule looks at one plan version at a time; 'indicator' when it compares
    versions that share (organisation, indicator id). The check kind declares it."""
    module = check_module(rule.kind)
    declared = getattr(module, "scope", "version")
    return declared(rule.spec.params) if callable(declared) else declared


def crosses_versions(ruleset: RuleSet) -> bool:
    return any(scope(rule) != "version" for rule in ruleset.rules)


def run_rule(frames: Frames, rule: Rule, selected: bool = False, lang: str = "sv") -> pd.DataFrame:
    module = check_module(rule.kind)
    chosen = frames if selected else select(frames, rule.spec.selector)
    found = module.run(chosen, rule.spec.params, lang)
    missing = [c for c in VIOLATION_COLUMNS if c not in found.columns]
    if missing:
        raise RuntimeError(f"check kind {rule.kind} returned no {', '.join(missing)}")
    return found


def render(found: pd.DataFrame, rule: Rule, lang: str) -> pd.DataFrame:
    template = rule.spec.message.get(lang)
    records = found.to_dict("records")
    messages, params = [], []
    for rec in records:
        clean = {k: _clean(v) for k, v in rec.items()}
        messages.append(template.format_map(_Blank({k: ("" if v is None else v) for k, v in clean.items()})))
        params.append({k: v for k, v in clean.items() if k not in VIOLATION_COLUMNS})
    out = found[list(VIOLATION_COLUMNS)].copy()
    out["rule"] = rule.id
    out["severity"] = rule.severity
    if "review" in found.columns:
        # a finding that rests only on OCR readings is a warning that asks for a person's review
        review = found["review"].fillna("").astype(str).to_numpy() != ""
        if review.any():
            out.loc[review, "severity"] = "warning" if rule.severity == "error" else rule.severity
            messages = [f"{m} ({r})" if r else m for m, r in zip(messages, found["review"].fillna("").astype(str), strict=True)]
    out["kind"] = rule.kind
    out["message"] = messages
    out["params"] = params
    return out
