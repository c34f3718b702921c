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

import numpy as np
import pandas as pd

from plankoll.engine import empty_violations
from plankoll.frames import LOCATION, Frames

from ._common import cell_violations, choice, fmt, half_unit, tr

EXTRA = ("parts", "difference", "tolerance")


_USED = ["plan_key", "tab_key", "table_id", "row_id", "row_label", "row_pos", "column", "col_pos", "text", "ocr", "kind", "number",
         "decimals", *LOCATION]


def _share_label(labels: pd.Series) -> pd.Series:
    unique = pd.Series(labels.unique())
    found = unique.str.contains(r"%|\bandel(?:en)?\b|\bprocent\b", case=False, regex=True).to_numpy()
    return labels.map(dict(zip(unique, found, strict=True))).astype(bool)


def validate_params(params: dict) -> str | None:
    return choice(params, "axis", ("rows", "columns"))


def run(frames: Frames, params: dict, lang: str = "sv") -> pd.DataFrame:
    all_cells = frames.cells
    # only the columns the sums and their messages use: every merge below carries them along
    # shares do not add up: a figure printed with %, or in a row or column whose label says it holds
    # per cent ("Sjukfrånvaro, %", "Andel …"), is not part of a sum
    share_labels = _share_label(all_cells["row_label"]) | _share_label(all_cells["column"])
    cells = all_cells.loc[~all_cells["text_column"] & (all_cells["unit"].fillna("") != "%") & ~share_labels, _USED]
    if params["axis"] == "rows":
        links = frames.row_sums[["tab_key", "total_row", "part_row"]].rename(columns={"total_row": "total", "part_row": "part"})
        fixed, moving = "column", "row_id"
    else:
        links = frames.column_sums[["tab_key", "total_column", "part_column"]].rename(columns={"total_column": "total", "part_column": "part"})
        fixed, moving = "row_id", "column"
    if links.empty or cells.empty:
        return empty_violations(EXTRA)
    # Row ids and column names as integer codes, and cells, links and groups as one int64 key
    # each: merging and grouping on integers is several times faster than on strings.
    names = pd.Index(pd.unique(np.concatenate([
        cells["row_id"].to_numpy(object), cells["column"].to_numpy(object), links["total"].to_numpy(object),
        links["part"].to_numpy(object), frames.derived["column"].to_numpy(object)])))
    n = len(names)

    def code(series: pd.Series) -> np.ndarray:
        return names.get_indexer(series.to_numpy(object)).astype(np.int64)

    tab = cells["tab_key"].to_numpy(np.int64)
    if len(frames.derived):
        derived = frames.derived["tab_key"].to_numpy(np.int64) * n + code(frames.derived["column"])
        keep = ~np.isin(tab * n + code(cells["column"]), derived)
        cells, tab = cells[keep], tab[keep]
    moving_code, fixed_code = code(cells[moving]), code(cells[fixed])
    cells = cells.assign(_at=tab * n + moving_code, _group=(tab * n + moving_code) * n + fixed_code, _fixed=fixed_code)
    links = pd.DataFrame({"_at": links["tab_key"].to_numpy(np.int64) * n + code(links["part"]),
                          "_total": links["tab_key"].to_numpy(np.int64) * n + code(links["total"])})

    parts = cells.merge(links, on="_at")
    parts = parts[parts["kind"].isin(["number", "missing"])]
    is_number = parts["kind"] == "number"
    parts = parts.assign(number=parts["number"].fillna(0.0), half=half_unit(parts["decimals"]).where(is_number, 0.0),
                         is_number=is_number, _group=parts["_total"] * n + parts["_fixed"],
                         ocr_number=is_number & parts["ocr"].notna())
    grouped = parts.groupby("_group", sort=False).agg(
        total_sum=("number", "sum"), tolerance=("half", "sum"), decimals=("decimals", "max"), numbers=("is_number", "sum"),
        ocr_numbers=("ocr_number", "sum"),
    ).reset_index()
    grouped = grouped[grouped["numbers"] > 0]

    totals = cells[cells["kind"] == "number"].merge(grouped, on="_group")
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
    shown = parts[parts["_group"].isin(bad["_group"])].sort_values(order, kind="stable")
    texts = shown["text"].where(shown["text"] != "", "∅")
    # a part read from damaged OCR text says so: the finding rests on that reading
    texts = texts.where(shown["ocr"].isna(), texts + " (OCR «" + shown["ocr"].fillna("") + "»)")
    joined = texts.groupby(shown["_group"].to_numpy(), sort=False).agg(" + ".join)
    bad = bad.assign(parts=joined.reindex(bad["_group"].to_numpy()).fillna("").to_numpy())
    # a sum that fails only on figures read by OCR (the total and every part) needs a person's
    # reading before it is an error: the check says so and the engine makes it a warning
    ocr_only = bad["ocr"].notna() & (bad["ocr_numbers"] == bad["numbers"])
    return cell_violations(
        frames, bad,
        expected=fmt(bad["total_sum"], dec),
        actual=bad["text"],
        parts=bad["parts"],
        difference=fmt(diff, dec),
        tolerance=fmt(tol, dec + 1),
        review=ocr_only.map({True: tr(lang, "ocr_review"), False: ""}),
    )
