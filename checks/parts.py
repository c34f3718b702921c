"""Check kind `parts`: a part never exceeds the total it belongs to, and is printed in its unit.

A part and its total are:
- in a table, a row and the total row whose `sum_of` lists it (same column);
- in an indicator's values, the series of one printed value (same role, period and sex) beside a
  series named as a total ("Staten totalt", "Totalt", "Summa"); series that name a change
  ("Ökning jämfört med 2017", "Förändring") are not parts.

params:
  check: exceeds   a non-negative part larger than its total (same unit), whatever the other
                   parts print — a sum check cannot see this when the other parts are blank or
                   the parts are not declared as a sum (seed 002: "1,4 mkr" for a whole of which
                   the region alone receives 22 mkr)
         unit      a part printed in another unit than its total (mkr beside mdkr, % beside a count);
                   amounts of money are compared after conversion by `exceeds`, so this is for
                   the reader (info), while units that do not convert make the comparison void
  total_words: [...]   (series) names of a total series (regex, case-insensitive)
  change_words: [...]  (series) names of a series that is a change, not a part
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from plankoll.engine import empty_violations
from plankoll.frames import Frames

from ._common import cell_violations, choice, half_unit, indicator_violations, tr
from .values import unit_class

EXTRA = ("total", "total_unit", "part_unit")
MONEY = {"kr": 1.0, "tkr": 1e3, "mkr": 1e6, "mdkr": 1e9, "miljarder kronor": 1e9}
TOTAL_WORDS = (r"totalt?", r"summa", r"samtliga", r"sammanlagt", r"hela", r"\w+ totalt", r"totalt \w+")
CHANGE_WORDS = (r"ökning", r"minskning", r"förändring", r"jämfört", r"skillnad", r"differens", r"avvikelse")


def validate_params(params: dict) -> str | None:
    problem = choice(params, "check", ("exceeds", "unit"))
    if problem:
        return problem
    try:
        for key in ("total_words", "change_words"):
            re.compile("|".join(params.get(key, ["x"])))
    except re.error as exc:
        return f"params: not a valid regex list: {exc}"
    return None


def _unit(units: pd.Series) -> pd.Series:
    raw = units.fillna("")
    return raw.map({u: unit_class(u) for u in raw.unique()})


def _table_pairs(frames: Frames) -> pd.DataFrame:
    """(part cell, total cell) pairs of declared sums, same column; figures only."""
    cells = frames.cells[~frames.cells["text_column"] & (frames.cells["kind"] == "number")]
    links = frames.row_sums[["tab_key", "total_row", "part_row"]]
    if links.empty or cells.empty:
        return pd.DataFrame()
    # derived columns (change, share) are not additive: their rows are no parts of a total row
    derived = frames.derived[["tab_key", "column"]].drop_duplicates().assign(_derived=True)
    cells = cells.merge(derived, on=["tab_key", "column"], how="left")
    cells = cells[cells["_derived"].isna()].drop(columns="_derived")
    parts = cells.merge(links, left_on=["tab_key", "row_id"], right_on=["tab_key", "part_row"])
    parts = parts.assign(_group=parts["tab_key"].astype(str) + "\0" + parts["total_row"] + "\0" + parts["column"])
    totals = cells[["tab_key", "row_id", "column", "number", "decimals", "unit", "text"]].rename(
        columns={"row_id": "total_row", "number": "t_number", "decimals": "t_decimals", "unit": "t_unit", "text": "t_text"})
    return parts.merge(totals, on=["tab_key", "total_row", "column"])


def _series_pairs(frames: Frames, params: dict) -> pd.DataFrame:
    v = frames.values[frames.values["series"].notna() & (frames.values["kind"] == "number")]
    if v.empty:
        return pd.DataFrame()
    names = v["series"].str.strip()
    is_total = names.str.fullmatch("|".join(params.get("total_words", TOTAL_WORDS)), case=False)
    is_change = names.str.contains("|".join(params.get("change_words", CHANGE_WORDS)), case=False, regex=True)
    key = ["ind_key", "role", "period", "sex"]
    totals = v[is_total][[*key, "number", "decimals", "unit", "text"]].rename(
        columns={"number": "t_number", "decimals": "t_decimals", "unit": "t_unit", "text": "t_text"})
    parts = v[~is_total & ~is_change]
    parts = parts.assign(_group=parts["ind_key"].astype(str) + "\0" + parts["role"] + "\0" + parts["period"].fillna("") + "\0" + parts["sex"])
    return parts.assign(period=parts["period"].fillna("")).merge(totals.assign(period=totals["period"].fillna("")), on=key)


def _scale(units: pd.Series) -> np.ndarray:
    """Kronor per printed unit for money (mkr beside mdkr compare after conversion), else NaN."""
    return _unit(units).map(MONEY).astype(float).to_numpy()


def _bad(pairs: pd.DataFrame, check: str) -> pd.DataFrame:
    part_unit, total_unit = _unit(pairs["unit"]).to_numpy(), _unit(pairs["t_unit"]).to_numpy()
    same = part_unit == total_unit
    if check == "unit":
        return pairs[~same]
    # a share (%) is no part of a percentage total: shares do not add up to it
    keep = part_unit != "%"
    pairs, same = pairs[keep], same[keep]
    part_scale, total_scale = _scale(pairs["unit"]), _scale(pairs["t_unit"])
    money = ~np.isnan(part_scale) & ~np.isnan(total_scale)
    factor = np.where(money, part_scale / np.where(money, total_scale, 1.0), 1.0)  # the part in the total's unit
    # only where every part is non-negative: with a negative part (a redistribution) one part may
    # rightly exceed the total
    all_positive = (pairs.groupby("_group")["number"].transform("min") >= 0).to_numpy()
    part = pairs["number"].to_numpy() * factor
    tolerance = half_unit(pairs["decimals"]).to_numpy() * factor + half_unit(pairs["t_decimals"]).to_numpy()
    exceeds = (part >= 0) & (part - pairs["t_number"].to_numpy() > tolerance + 1e-9)
    return pairs[(same | money) & exceeds & all_positive & (pairs["t_number"].to_numpy() >= 0)]


def run(frames: Frames, params: dict, lang: str = "sv") -> pd.DataFrame:
    found = []
    check = params["check"]
    table = _table_pairs(frames)
    if not table.empty:
        bad = _bad(table, check)
        if not bad.empty:
            found.append(cell_violations(frames, bad, expected=_expected(bad, check, lang), actual=bad["text"],
                                         total=bad["t_text"], total_unit=bad["t_unit"].fillna(""), part_unit=bad["unit"].fillna("")))
    series = _series_pairs(frames, params)
    if not series.empty:
        bad = _bad(series, check).reset_index(drop=True)
        if not bad.empty:
            found.append(indicator_violations(frames, bad, expected=_expected(bad, check, lang), actual=bad["text"], at_values=True,
                                              lang=lang, total=bad["t_text"], total_unit=bad["t_unit"].fillna(""),
                                              part_unit=bad["unit"].fillna("")))
    return pd.concat(found, ignore_index=True) if found else empty_violations(EXTRA)


def _expected(bad: pd.DataFrame, check: str, lang: str) -> pd.Series:
    if check == "unit":
        units = [u or tr(lang, "no_unit") for u in bad["t_unit"].fillna("")]
        return pd.Series([tr(lang, "unit", unit=u) for u in units], index=bad.index, dtype="object")
    return pd.Series([tr(lang, "at_most", total=t) for t in bad["t_text"]], index=bad.index, dtype="object")


__all__ = ["np", "run", "validate_params"]
