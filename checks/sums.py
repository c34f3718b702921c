"""Check kind `sums`: total and subtotal rows (or total columns) equal the sum of their parts.

Rounding-aware, as XBRL Calculations 1.1 round-to-nearest: every printed figure stands for the
interval of ± half a unit of its last printed decimal. A total is consistent when the interval
of the sum of its parts meets the total's interval, i.e. when
|total − Σ parts| ≤ Σ half-units of the parts + the half-unit of the total.
Blank or dashed parts count as zero. Totals that are not numbers are left to the `values` kind.
Derived columns (declared `derived:` change or share columns) and figures printed in per cent are
not additive, so a total row is not checked in them; the `derived` kind checks them instead.

params:
  axis: rows | columns   rows: `sum_of` on rows; columns: `column_sums` of the table
"""

from __future__ import annotations

import pandas as pd

from plankoll.engine import empty_violations
from plankoll.frames import Frames

from ._common import cell_violations, choice, fmt, half_unit

EXTRA = ("parts", "difference", "tolerance")


def validate_params(params: dict) -> str | None:
    return choice(params, "axis", ("rows", "columns"))


def run(frames: Frames, params: dict, lang: str = "sv") -> pd.DataFrame:
    cells = frames.cells[~frames.cells["text_column"] & (frames.cells["unit"].fillna("") != "%")]
    if len(frames.derived) and len(cells):
        derived = frames.derived[["tab_key", "column"]].drop_duplicates()
        found = cells[["tab_key", "column"]].merge(derived, how="left", indicator=True)["_merge"]
        cells = cells[(found == "left_only").to_numpy()]
    if params["axis"] == "rows":
        links = frames.row_sums[["tab_key", "total_row", "part_row"]].rename(columns={"total_row": "total", "part_row": "part"})
        fixed, moving = "column", "row_id"
    else:
        links = frames.column_sums[["tab_key", "total_column", "part_column"]].rename(columns={"total_column": "total", "part_column": "part"})
        fixed, moving = "row_id", "column"
    if links.empty or cells.empty:
        return empty_violations(EXTRA)

    parts = cells.merge(links, left_on=["tab_key", moving], right_on=["tab_key", "part"])
    parts = parts[parts["kind"].isin(["number", "missing"])].copy()
    parts["number"] = parts["number"].fillna(0.0)
    parts["half"] = half_unit(parts["decimals"]).where(parts["kind"] == "number", 0.0)
    parts["is_number"] = parts["kind"] == "number"
    keys = ["tab_key", "total", fixed]
    grouped = parts.groupby(keys, sort=False).agg(
        total_sum=("number", "sum"), tolerance=("half", "sum"), decimals=("decimals", "max"), numbers=("is_number", "sum"),
    ).reset_index()
    grouped = grouped[grouped["numbers"] > 0]

    totals = cells[cells["kind"] == "number"].merge(
        grouped, left_on=["tab_key", moving, fixed], right_on=keys
    )
    if totals.empty:
        return empty_violations(EXTRA)
    tol = totals["tolerance"] + half_unit(totals["decimals_x"])
    diff = totals["number"] - totals["total_sum"]
    bad = totals[diff.abs() > tol + 1e-9 * (1 + totals["number"].abs())]
    if bad.empty:
        return empty_violations(EXTRA)
    tol, diff = tol[bad.index], diff[bad.index]
    dec = pd.concat([bad["decimals_x"], bad["decimals_y"]], axis=1).max(axis=1)
    # the printed parts, in document order, only for the totals that are off
    order = "row_pos" if moving == "row_id" else "col_pos"
    shown = parts.merge(bad[["tab_key", moving, fixed]].rename(columns={moving: "total"}), on=["tab_key", "total", fixed])
    shown = shown.sort_values(order, kind="stable")
    texts = shown["text"].where(shown["text"] != "", "∅")
    joined = texts.groupby([shown["tab_key"], shown["total"], shown[fixed]], sort=False).agg(" + ".join)
    bad = bad.assign(parts=[joined.get((k, r, f), "") for k, r, f in zip(bad["tab_key"], bad[moving], bad[fixed], strict=True)])
    return cell_violations(
        frames, bad,
        expected=fmt(bad["total_sum"], dec),
        actual=bad["text"],
        parts=bad["parts"],
        difference=fmt(diff, dec),
        tolerance=fmt(tol, dec + 1),
    )
