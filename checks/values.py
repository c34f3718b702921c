"""Check kind `values`: values have the type their indicator or column promises.

params:
  check: percent_range   values of an indicator in % (or printed with %) lie within 0–100
         non_negative    counts (antal, st) are not negative
         qualitative     targets of a qualitative indicator are from its vocabulary (ja/delvis/nej)
         one_unit        all numeric values of an indicator (of one series) print the same unit
         prose           no prose or frequency where a value belongs (indicator values and
                         figure cells of tables)
"""

from __future__ import annotations

import pandas as pd

from plankoll.engine import empty_violations
from plankoll.frames import Frames

from ._common import cell_violations, choice, indicator_violations, lookup, tr

OPTIONS = ("percent_range", "non_negative", "qualitative", "one_unit", "prose")
COUNT_UNITS = ("antal", "st", "st.", "stycken", "personer")
UNIT_CLASS = {"st": "", "st.": "", "stycken": "", "antal": "", "procent": "%", "mnkr": "mkr", "miljoner kronor": "mkr"}


def unit_class(unit: str) -> str:
    """Units that print the same quantity: '511 mkr/år' and '976 mkr' are both mkr; '90 st' is a count."""
    u = unit.strip().lower().removesuffix("/år").removesuffix(" per år").strip()
    return UNIT_CLASS.get(u, u)


def validate_params(params: dict) -> str | None:
    return choice(params, "check", OPTIONS)


def _with_indicator(frames: Frames) -> pd.DataFrame:
    """Values with their indicator's unit and kind (shared by the rules of this kind)."""
    if "values" not in frames.memo:
        v, pair = frames.values, ["plan_key", "indicator_id"]
        frames.memo["values"] = v.assign(ind_unit=lookup(frames.indicators, v, "ind_key", pair, "unit"),
                                         ind_kind=lookup(frames.indicators, v, "ind_key", pair, "kind"))
    return frames.memo["values"]


def run(frames: Frames, params: dict, lang: str = "sv") -> pd.DataFrame:
    check = params["check"]
    v = _with_indicator(frames)
    if check == "percent_range":
        pct = v[(v["kind"] == "number") & ((v["unit"] == "%") | ((v["ind_unit"] == "%") & v["unit"].isna()))]
        rows = pct[(pct["number"] < 0) | (pct["number"] > 100)]
        return indicator_violations(frames, rows, expected="0–100 %", actual=rows["text"], at_values=True, lang=lang)
    if check == "non_negative":
        counts = v[(v["kind"] == "number") & (v["unit"].isin(COUNT_UNITS) | v["ind_unit"].isin(COUNT_UNITS))]
        rows = counts[counts["number"] < 0]
        return indicator_violations(frames, rows, expected="≥ 0", actual=rows["text"], at_values=True, lang=lang)
    if check == "qualitative":
        rows = v[(v["ind_kind"] == "qualitative") & (v["role"] == "target") & ~v["kind"].isin(["level", "missing"])]
        return indicator_violations(frames, rows, expected="ja/delvis/nej", actual=rows["text"], at_values=True, lang=lang)
    if check == "one_unit":
        nums = v[v["kind"] == "number"].copy()
        if nums.empty:
            return empty_violations()
        # A figure printed without a unit in a cell that prints one ("63 % (K 63, M 64)") carries the
        # cell's unit; counts with or without "st" are the same unit.
        raw = nums["unit"].fillna("")
        unit = raw.map({u: unit_class(u) for u in raw.unique()})
        cell = ["ind_key", "value_pos"]
        cell_unit = unit.where(unit != "").groupby([nums[c] for c in cell]).transform("first")
        nums["printed_unit"] = unit.where(unit != "", cell_unit.fillna(""))
        nums["series_key"] = nums["series"].fillna("")
        group = ["ind_key", "series_key"]
        n_units = nums.groupby(group)["printed_unit"].transform("nunique")
        mixed = nums[n_units > 1]
        if mixed.empty:
            return empty_violations()
        # The odd ones out: values whose unit differs from the indicator's declared unit when some
        # values print it, else from the unit most of its values print.
        usual = mixed.groupby(group)["printed_unit"].agg(lambda u: u.value_counts().index[0])
        key = pd.MultiIndex.from_frame(mixed[group])
        raw_declared = mixed["ind_unit"].fillna("")
        declared = raw_declared.map({u: unit_class(u) for u in raw_declared.unique()})
        printed_sets = mixed.groupby(group)["printed_unit"].agg(set)
        has_declared = [d != "" and d in units for d, units in zip(declared, key.map(printed_sets.to_dict()), strict=True)]
        mixed["usual"] = declared.where(pd.Series(has_declared, index=mixed.index), list(key.map(usual.to_dict())))
        rows = mixed[mixed["printed_unit"] != mixed["usual"]]
        expected = pd.Series([tr(lang, "unit", unit=u) if u else tr(lang, "no_unit") for u in rows["usual"]], index=rows.index, dtype="object")
        return indicator_violations(frames, rows, expected=expected, actual=rows["text"], at_values=True, lang=lang)
    # prose
    prose_values = v[v["kind"] == "text"]
    found = [indicator_violations(frames, prose_values, expected=tr(lang, "a_value"), actual=prose_values["text"], at_values=True, lang=lang)]
    cells = frames.cells[(~frames.cells["text_column"]) & (frames.cells["kind"] == "text")]
    if not cells.empty:
        found.append(cell_violations(frames, cells, expected=tr(lang, "a_figure"), actual=cells["text"]))
    return pd.concat(found, ignore_index=True)
