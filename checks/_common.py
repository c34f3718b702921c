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
        # sex_split: why a measure is (not) about people (rules/people.yaml names these keys)
        "people_counts": "måttet räknar {word}", "people_events": "måttet räknar {word}, något som händer personer",
        "people_records": "måttet räknar {word}, en per person", "people_conditions": "måttet är en egenskap hos personer ({word})",
        "people_implicit": "måttet räknar personer («{word} …»)", "people_population": "måttet gäller personer («{word}»)",
        "people_survey": "ett mått ur en {survey} ({word})", "people_survey_index": "ett index ur en {survey} ({word})",
        "people_survey_patient": "enkät till patienter", "people_survey_staff": "enkät till medarbetare",
        "people_survey_user": "enkät till brukare", "people_survey_pupil": "enkät till elever eller vårdnadshavare",
        "people_survey_population": "enkät till befolkningen",
        "people_one_sex": "måttet gäller ett kön ({word})", "people_money": "ett mått i pengar ({word})",
        "people_places": "måttet räknar platser eller lokaler ({word})", "people_organisations": "måttet räknar enheter eller organisationer ({word})",
        "people_agreements": "måttet räknar avtal ({word})", "people_documents": "måttet räknar dokument eller ärenden ({word})",
        "people_systems": "måttet gäller system eller tjänster ({word})", "people_activities": "måttet räknar aktiviteter ({word})",
        "people_goods": "måttet räknar varor, resurser eller utsläpp ({word})", "people_time": "måttet mäter tid ({word})",
        "people_qualities": "måttet gäller en egenskap hos verksamheten ({word})",
        "people_unknown": "ingen observationsenhet som är personer ({word})",
        "people_density": "personer per person är en täthet, inget mått på personer ({word})",
        # unused_exceptions
        "a_finding_to_waive": "en avvikelse mot {rule} att undanta", "no_such_finding": "ingen sådan avvikelse",
        # completeness without targets
        "a_target": "ett mål", "no_values": "inga värden alls", "only_roles": "bara {roles}",
        "targets_printed": "där målet står: {targets}",
        # parts
        "at_most": "högst {total}",
        "ocr_review": "behöver granskas manuellt: alla tal i jämförelsen är lästa med OCR",
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
        # sex_split: why a measure is (not) about people (rules/people.yaml names these keys)
        "people_counts": "the measure counts {word}", "people_events": "the measure counts {word}, events that happen to persons",
        "people_records": "the measure counts {word}, one per person", "people_conditions": "the measure is a property of persons ({word})",
        "people_implicit": "the measure counts persons («{word} …»)", "people_population": "the measure is about persons («{word}»)",
        "people_survey": "a {survey} measure ({word})", "people_survey_index": "a {survey} index ({word})",
        "people_survey_patient": "patient survey", "people_survey_staff": "staff survey", "people_survey_user": "user survey",
        "people_survey_pupil": "pupil or parent survey", "people_survey_population": "population survey",
        "people_one_sex": "the measure is about one sex ({word})", "people_money": "a measure of money ({word})",
        "people_places": "the measure counts places ({word})", "people_organisations": "the measure counts units or organisations ({word})",
        "people_agreements": "the measure counts agreements ({word})", "people_documents": "the measure counts documents or cases ({word})",
        "people_systems": "the measure is about systems or services ({word})", "people_activities": "the measure counts activities ({word})",
        "people_goods": "the measure counts goods, resources or emissions ({word})", "people_time": "the measure is of time ({word})",
        "people_qualities": "the measure is a property of the organisation ({word})",
        "people_unknown": "no unit of observation that is persons ({word})",
        "people_density": "persons per person is a density, not a measure of people ({word})",
        # unused_exceptions
        "a_finding_to_waive": "a finding of {rule} to waive", "no_such_finding": "no such finding",
        # completeness without targets
        "a_target": "a target", "no_values": "no values at all", "only_roles": "only {roles}",
        "targets_printed": "where the target belongs: {targets}",
        # parts
        "at_most": "at most {total}",
        "ocr_review": "needs manual review: every figure compared was read by OCR",
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
    if "ocr" in cells.columns and cells["ocr"].notna().any():
        out["ocr"] = cells["ocr"]  # the OCR text the printed figure was read from, where it was
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
        if "ocr" in rows.columns and rows["ocr"].notna().any():
            extra = {"ocr": rows["ocr"], **extra}
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
