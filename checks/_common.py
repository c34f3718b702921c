"""What the check kinds share: turning selected cells or values into violation rows."""

from __future__ import annotations

import numpy as np
import pandas as pd

from plankoll.frames import LOCATION, Frames

ROLE_NAMES = {
    "sv": {"baseline": "ingångsvärde", "target": "mål", "outcome": "utfall"},
    "en": {"baseline": "baseline", "target": "target", "outcome": "outcome"},
}

# The words check kinds put into expected/actual and details, in both languages.
PHRASES: dict[str, dict[str, str]] = {
    "sv": {
        "baseline_with_period": "ingångsvärde med värde och period", "baseline_no_period": "ingångsvärde utan period",
        "no_baseline": "inget ingångsvärde", "baseline": "ingångsvärde", "source": "källa", "no_source": "ingen källa angiven",
        "follow_up": "uppföljningsperiod", "no_follow_up": "ingen uppföljningsperiod angiven", "no_target": "inget mål",
        "target_for": "mål för {year}", "between": "mellan {a} och {b}",
        "vocabulary": "DÅ04, DÅ08, ÅR, T1–T3, månad, kvartal …", "years": "år {first}–{last}", "before": "före {first}",
        "declared": "angivet i planen", "inferred": "härlett ur ordet «{word}» i namnet", "k_and_m": "K och M",
        "without_km": "{values} utan K/M", "unit": "enhet {unit}", "no_unit": "utan enhet", "a_value": "ett värde",
        "a_figure": "en siffra", "line": "rad {line}",
    },
    "en": {
        "baseline_with_period": "a baseline with value and period", "baseline_no_period": "a baseline without a period",
        "no_baseline": "no baseline", "baseline": "a baseline", "source": "a source", "no_source": "no source given",
        "follow_up": "a follow-up period", "no_follow_up": "no follow-up period given", "no_target": "no target",
        "target_for": "a target for {year}", "between": "between {a} and {b}",
        "vocabulary": "DÅ04, DÅ08, ÅR, T1–T3, monthly, quarterly …", "years": "years {first}–{last}", "before": "before {first}",
        "declared": "declared in the plan", "inferred": "inferred from the word «{word}» in the name", "k_and_m": "K and M",
        "without_km": "{values} without K/M", "unit": "unit {unit}", "no_unit": "no unit", "a_value": "a value",
        "a_figure": "a figure", "line": "line {line}",
    },
}


def tr(lang: str, key: str, **kwargs: object) -> str:
    text = PHRASES.get(lang, PHRASES["en"])[key]
    return text.format(**kwargs) if kwargs else text


def half_unit(decimals: pd.Series) -> pd.Series:
    """± half a unit of the last printed decimal, per figure."""
    return 0.5 * np.power(10.0, -decimals.fillna(0).astype("float64"))


def fmt(values: pd.Series, decimals: pd.Series | int) -> pd.Series:
    """Numbers in Swedish print notation, vectorised over a column."""
    from plankoll.figures import format_number

    dec = decimals if isinstance(decimals, pd.Series) else pd.Series(decimals, index=values.index)
    return pd.Series(
        [format_number(v, int(d)) if pd.notna(v) else "" for v, d in zip(values, dec.fillna(0), strict=True)],
        index=values.index, dtype="object",
    )


def lookup(owners: pd.DataFrame, rows: pd.DataFrame, key: str, pair: list[str], column: str) -> pd.Series:
    """owners[column] for each of rows: by the integer key when rows carry it (they do when they
    come straight from a frame), else by the (plan_key, id) pair."""
    if key in rows.columns:
        found = owners.set_index(key)[column].reindex(rows[key].to_numpy())
    else:
        found = owners.set_index(pair)[column].reindex(pd.MultiIndex.from_frame(rows[pair]))
    return pd.Series(found.to_numpy(), index=rows.index)


def cell_violations(frames: Frames, cells: pd.DataFrame, expected: pd.Series, actual: pd.Series,
                    **extra: pd.Series | str) -> pd.DataFrame:
    """Violation rows located at table cells (`cells` carries the cell columns)."""
    title = lookup(frames.tables, cells, "tab_key", ["plan_key", "table_id"], "title")
    out = pd.DataFrame({
        "plan_key": cells["plan_key"],
        "element": "table:" + cells["table_id"] + "/row:" + cells["row_id"] + "/column:" + cells["column"],
        "element_name": title.fillna("") + " › " + cells["row_label"] + " › " + cells["column"],
        "indicator_id": None,
        "table_id": cells["table_id"],
        "row_id": cells["row_id"],
        "expected": expected,
        "actual": actual,
        **{c: cells[c] for c in LOCATION},
        "printed": cells["text"],
    }, index=cells.index)
    for name, value in extra.items():
        out[name] = value
    return out.reset_index(drop=True)


def value_label(values: pd.DataFrame, lang: str = "sv") -> pd.Series:
    role = values["role"].map(ROLE_NAMES.get(lang, ROLE_NAMES["en"])).fillna(values["role"])
    period = values["period"].fillna("")
    series = values["series"].fillna("")
    sex = values["sex"].where(values["sex"] != "all", "")
    label = role + " " + period
    label = label.where(series == "", label + " (" + series + ")")
    return label.where(sex == "", label + " " + sex).str.strip()


def indicator_violations(frames: Frames, rows: pd.DataFrame, expected: pd.Series | str, actual: pd.Series | str,
                         at_values: bool = False, lang: str = "sv", **extra: pd.Series | str) -> pd.DataFrame:
    """Violation rows located at indicators, or at their values when `at_values`."""
    name = lookup(frames.indicators, rows, "ind_key", ["plan_key", "indicator_id"], "name")
    element = "indicator:" + rows["indicator_id"]
    element_name = name.fillna(rows["indicator_id"])
    if at_values:
        element = element + "/" + rows["role"] + ":" + rows["period"].fillna("-")
        element = element.where(rows["series"].isna(), element + "[" + rows["series"].fillna("") + "]")
        element = element.where(rows["sex"] == "all", element + "/" + rows["sex"])
        element_name = element_name + " › " + value_label(rows, lang)
        printed = rows["text"]
    else:
        printed = pd.Series([None] * len(rows), index=rows.index, dtype="object")
    out = pd.DataFrame({
        "plan_key": rows["plan_key"],
        "element": element,
        "element_name": element_name,
        "indicator_id": rows["indicator_id"],
        "table_id": None,
        "row_id": None,
        "expected": expected,
        "actual": actual,
        **{c: rows[c] for c in LOCATION},
        "printed": printed,
    }, index=rows.index)
    for name_, value in extra.items():
        out[name_] = value
    return out.reset_index(drop=True)


def choice(params: dict, key: str, options: tuple[str, ...]) -> str | None:
    """validate_params helper: the problem with params[key], or None."""
    value = params.get(key)
    if value not in options:
        return f"params.{key} must be one of {', '.join(options)} (got {value!r})"
    return None
