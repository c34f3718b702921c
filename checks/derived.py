"""Check kind `derived`: derived figures agree with their parts, within printed rounding.

params:
  what: change_pct      table columns declared `derived: change_pct`: (new − old) / old × 100
        share_pct       table columns declared `derived: share_pct`: numerator / denominator × 100
        difference      table columns declared `derived: difference`: new − old
        sex_total       indicator values split by sex: a count total equals K + M; a share
                        (unit %) total lies between the K and M shares
  allow_unknown: bool   (sex_total, counts) a total may exceed K + M by people of unknown sex

Each operand is an interval (printed figure ± half a unit of its last decimal); the derived
figure is consistent when its own interval meets the interval the operands allow.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from plankoll.engine import empty_violations
from plankoll.frames import LOCATION, Frames

from ._common import cell_violations, choice, fmt, half_unit, indicator_violations, lookup, tr

EXTRA = ("operands", "tolerance")


def validate_params(params: dict) -> str | None:
    return choice(params, "what", ("change_pct", "share_pct", "difference", "sex_total"))


def _cell(cells: pd.DataFrame, decl: pd.DataFrame, column_key: str, prefix: str) -> pd.DataFrame:
    picked = decl[["plan_key", "table_id", column_key, "decl"]].merge(
        cells[["plan_key", "table_id", "column", "row_id", "number", "decimals", "text", "kind", "ocr"]],
        left_on=["plan_key", "table_id", column_key], right_on=["plan_key", "table_id", "column"],
    )
    picked = picked.drop(columns=["column", column_key])
    return picked.rename(columns={c: f"{prefix}_{c}" for c in ("number", "decimals", "text", "kind", "ocr")})


def _table_derived(frames: Frames, what: str, lang: str = "sv") -> pd.DataFrame:
    decl = frames.derived[frames.derived["kind"] == what].reset_index(drop=True)
    cells = frames.cells[~frames.cells["text_column"]]
    if decl.empty or cells.empty:
        return empty_violations(EXTRA)
    decl["decl"] = decl.index
    a_col, b_col = ("new", "old") if what != "share_pct" else ("numerator", "denominator")
    target = decl[["plan_key", "table_id", "column", "decl"]].merge(cells, on=["plan_key", "table_id", "column"])
    a = _cell(cells, decl, a_col, "a")
    b = _cell(cells, decl, b_col, "b")
    m = target.merge(a, on=["plan_key", "table_id", "decl", "row_id"]).merge(b, on=["plan_key", "table_id", "decl", "row_id"])
    m = m[(m["kind"] == "number") & (m["a_kind"] == "number") & (m["b_kind"] == "number")].copy()
    if m.empty:
        return empty_violations(EXTRA)
    av, ah = m["a_number"].to_numpy(), half_unit(m["a_decimals"]).to_numpy()
    bv, bh = m["b_number"].to_numpy(), half_unit(m["b_decimals"]).to_numpy()
    pv, ph = m["number"].to_numpy(), half_unit(m["decimals"]).to_numpy()
    if what == "difference":
        point, lo, hi = av - bv, (av - ah) - (bv + bh), (av + ah) - (bv - bh)
        symbol = "−"
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            if what == "change_pct":
                point = (av - bv) / bv * 100
                corners = [((av + s1 * ah) - (bv + s2 * bh)) / (bv + s2 * bh) * 100 for s1 in (-1, 1) for s2 in (-1, 1)]
                symbol = "→"
            else:
                point = av / bv * 100
                corners = [(av + s1 * ah) / (bv + s2 * bh) * 100 for s1 in (-1, 1) for s2 in (-1, 1)]
                symbol = "/"
        lo, hi = np.minimum.reduce(corners), np.maximum.reduce(corners)
    valid = np.isfinite(point) & (bv != 0 if what != "difference" else True)
    consistent = (pv + ph >= lo - 1e-9) & (pv - ph <= hi + 1e-9)
    bad = m[valid & ~consistent]
    if bad.empty:
        return empty_violations(EXTRA)
    idx = np.flatnonzero(valid & ~consistent)
    point_s = pd.Series(point[idx], index=bad.index)
    dec = bad["decimals"]
    unit = bad["unit"].fillna("")
    return cell_violations(
        frames, bad,
        expected=fmt(point_s, dec) + unit.where(unit == "", " " + unit),
        actual=bad["text"],
        operands=bad["a_text"] + f" {symbol} " + bad["b_text"],
        tolerance=fmt(pd.Series(hi[idx] - lo[idx], index=bad.index) / 2 + half_unit(dec), dec + 1),
        # every figure of the comparison read by OCR: a warning for a person's review (see engine.render)
        review=(bad["ocr"].notna() & bad["a_ocr"].notna() & bad["b_ocr"].notna()).map({True: tr(lang, "ocr_review"), False: ""}),
    )


def _sex_total(frames: Frames, allow_unknown: bool, lang: str) -> pd.DataFrame:
    v = frames.values[frames.values["kind"] == "number"]
    if v.empty:
        return empty_violations(EXTRA)
    keys = ["plan_key", "indicator_id", "value_pos"]
    # one row per printed value that has K, M and a total (a join, not a pivot: pivot_table is slow at scale)
    cols = ["ind_key", "number", "decimals", "text", "unit", *LOCATION, "role", "period", "series", "sex"]
    part = {sex: v.loc[v["sex"] == sex, [*keys, *cols]].set_index(keys) for sex in ("K", "M", "total")}
    if any(p.empty for p in part.values()):
        return empty_violations(EXTRA)
    totals = part["total"].join(part["K"][["number", "decimals", "text"]].add_suffix("_K"), how="inner")
    totals = totals.join(part["M"][["number", "decimals", "text"]].add_suffix("_M"), how="inner")
    if totals.empty:
        return empty_violations(EXTRA)
    k, mm, t = (totals[c].astype(float) for c in ("number_K", "number_M", "number"))
    hk, hm, ht = (half_unit(totals[c].astype("Int64")) for c in ("decimals_K", "decimals_M", "decimals"))
    ind_unit = lookup(frames.indicators, totals, "ind_key", ["plan_key", "indicator_id"], "unit")
    share = (totals["unit"].fillna("").to_numpy() == "%") | (ind_unit.fillna("").to_numpy() == "%")
    lo_share = np.minimum(k - hk, mm - hm)
    hi_share = np.maximum(k + hk, mm + hm)
    ok_share = (t + ht >= lo_share - 1e-9) & (t - ht <= hi_share + 1e-9)
    s, hs = k + mm, hk + hm
    ok_sum = ((t + ht >= s - hs - 1e-9) & (t - ht <= s + hs + 1e-9)) | (allow_unknown & (t + ht >= s - hs))
    bad_mask = np.where(share, ~ok_share, ~ok_sum)
    if not bad_mask.any():
        return empty_violations(EXTRA)
    rows = totals[bad_mask].reset_index()
    dec = rows["decimals"]
    kk, mv = k[bad_mask].to_numpy(), mm[bad_mask].to_numpy()
    is_share = share[bad_mask]
    expected = pd.Series(
        [tr(lang, "between", a=f"{min(a, b):g}".replace(".", ","), b=f"{max(a, b):g}".replace(".", ",")) if sh else ""
         for a, b, sh in zip(kk, mv, is_share, strict=True)],
        index=rows.index, dtype="object",
    )
    expected = expected.where(pd.Series(is_share, index=rows.index), fmt(pd.Series(kk + mv, index=rows.index), dec))
    k_text, m_text = rows["text_K"].to_numpy(), rows["text_M"].to_numpy()
    return indicator_violations(
        frames, rows, expected=expected, actual=rows["text"], at_values=True, lang=lang,
        operands=pd.Series([f"K {a} · M {b}" for a, b in zip(k_text, m_text, strict=True)], index=rows.index),
        tolerance=fmt(pd.Series((hk + hm + ht)[bad_mask].to_numpy(), index=rows.index), dec + 1),
    )


def run(frames: Frames, params: dict, lang: str = "sv") -> pd.DataFrame:
    if params["what"] == "sex_total":
        return _sex_total(frames, bool(params.get("allow_unknown", False)), lang)
    return _table_derived(frames, params["what"], lang)
