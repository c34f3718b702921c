"""Check kind `unused_exceptions`: a declared exception that waives nothing in the run.

Like ruff's unused `noqa` (RUF100): an exception declared in a plan file (a `waivers:` entry, or
a footnote the importer read as one) that no finding of its rule on its element needed is either
stale — the problem it excused is gone — or aimed at the wrong element. Either way the auditor
should see it. It runs after the other rules (PHASE), over what they found.

params: none
"""

from __future__ import annotations

import pandas as pd

from plankoll.engine import empty_violations
from plankoll.frames import Frames

from ._common import tr

PHASE = "after"
SCOPES = {"row": ["table_id", "row_id"], "table": ["table_id"], "indicator": ["indicator_id"], "plan": []}


def used(waivers: pd.DataFrame, violations: pd.DataFrame) -> pd.Series:
    """Per declared exception: whether a finding of its rule on its element was waived by it."""
    out = pd.Series(False, index=waivers.index)
    if waivers.empty or violations.empty:
        return out
    hit = violations[violations["waived"].notna()]
    for scope, cols in SCOPES.items():
        mine = waivers[waivers["scope"] == scope]
        if mine.empty:
            continue
        keys = ["plan_key", "rule", *cols]
        found = hit[keys].astype(object).drop_duplicates().assign(_used=True)
        merged = mine[keys].astype(object).merge(found, on=keys, how="left")
        out.loc[mine.index] = merged["_used"].fillna(False).astype(bool).to_numpy()
    return out


def element(waivers: pd.DataFrame) -> pd.Series:
    indicator = "indicator:" + waivers["indicator_id"].fillna("")
    table = "table:" + waivers["table_id"].fillna("")
    row = table + "/row:" + waivers["row_id"].fillna("")
    scope = waivers["scope"]
    return indicator.where(scope == "indicator", table.where(scope == "table", row.where(scope == "row", "plan")))


def _names(frames: Frames, waivers: pd.DataFrame, elements: pd.Series) -> pd.Series:
    """What a reader calls the element: the indicator's name or the table's title (and row)."""
    ind = frames.indicators.set_index(["plan_key", "indicator_id"])["name"]
    tab = frames.tables.set_index(["plan_key", "table_id"])["title"]
    names = []
    for rec, fallback in zip(waivers.itertuples(), elements.tolist(), strict=True):
        if rec.scope == "indicator":
            names.append(ind.get((rec.plan_key, rec.indicator_id), fallback))
        elif rec.scope in ("table", "row"):
            title = tab.get((rec.plan_key, rec.table_id), fallback)
            names.append(title if rec.scope == "table" else f"{title} › {rec.row_id}")
        else:
            names.append(fallback)
    return pd.Series(names, index=waivers.index, dtype="object")


def run(frames: Frames, params: dict, lang: str = "sv", violations: pd.DataFrame | None = None,
        rules: set[str] | None = None) -> pd.DataFrame:
    """`rules`: the active rule ids; an exception of another rule is an input error, not unused."""
    waivers = frames.waivers
    if waivers.empty or violations is None:
        return empty_violations(("waived_rule",))
    unused = waivers[~used(waivers, violations)]
    if rules is not None:
        unused = unused[unused["rule"].isin(rules)]
    if unused.empty:
        return empty_violations(("waived_rule",))
    elements = element(unused)
    return pd.DataFrame({
        "plan_key": unused["plan_key"], "element": elements + "/waiver:" + unused["rule"], "element_name": _names(frames, unused, elements),
        "indicator_id": unused["indicator_id"], "table_id": unused["table_id"], "row_id": unused["row_id"],
        "expected": [tr(lang, "a_finding_to_waive", rule=r) for r in unused["rule"]], "actual": tr(lang, "no_such_finding"),
        "file_line": unused["file_line"], "src_line": None, "src_page": None,
        "doc_table": None, "doc_row": None, "doc_column": None, "doc_sheet": None, "doc_cell": None,
        "printed": unused["reason"], "waived_rule": unused["rule"],
    }).reset_index(drop=True)
