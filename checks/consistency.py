"""Check kind `consistency`: the same figure says the same thing everywhere.

params:
  check: detail_table   an indicator's values equal the detail table behind it (a table that
                        declares `indicator:`). The table's rows are matched to K / M / total by
                        their labels (Kvinnor, K, flickor; Män, M, pojkar; Totalt, Summa); the
                        column is the table's `indicator_column`, else the one column whose label
                        is the value's period or holds its year. Values that match no single cell
                        are not compared.
         plan_target    a report's target for a year equals the target the plan of the same
                        organisation sets for that indicator (same indicator id) and year
         past_figures   a figure for a past period (baseline or outcome) that another document of
                        the same organisation printed for the same indicator, period, series and
                        sex is printed the same: a later version or next year's plan does not
                        silently change an earlier outcome. Reported on the later document
                        (later plan period, then adopted date, version label, file), against the
                        latest earlier one
  roles: [outcome]      (detail_table) which values to compare

Figures printed with the same precision agree when they are equal (one value rounded the same
way prints the same figure); printed with different precision, when their intervals (± half a
unit of the last decimal) meet. Words (Öka, Minska, Ja) agree when they mean the same.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from plankoll.engine import empty_violations
from plankoll.frames import Frames

from ._common import choice, half_unit, indicator_violations, tr

EXTRA = ("other", "where")
REPORTS = ("delårsrapport", "tertialrapport", "årsredovisning", "rapport")
PLANS = ("regionplan", "verksamhetsplan")
_SEX_LABELS = (
    (re.compile(r"^\s*(kvinnor|kvinna|k|flickor)\W*$", re.IGNORECASE), "K"),
    (re.compile(r"^\s*(män|man|m|pojkar)\W*$", re.IGNORECASE), "M"),
    (re.compile(r"^\s*(totalt|total|summa|alla|samtliga)\W*$", re.IGNORECASE), "total"),
)


def validate_params(params: dict) -> str | None:
    return choice(params, "check", ("detail_table", "plan_target", "past_figures"))


def scope(params: dict) -> str:
    """detail_table looks inside one version; plan_target and past_figures compare versions that
    share (organisation, indicator id)."""
    return "version" if params["check"] == "detail_table" else "indicator"


def not_compared(frames: Frames, params: dict) -> list[tuple[int, str]]:
    """(plan_key, reason) of the versions this rule had nothing to compare with in the run."""
    # Defined through shared (organisation, indicator id), the only way versions reach each other:
    # a re-check after an edit then knows whose notices may have changed (see plankoll.incremental).
    plans = frames.plans
    ind = frames.indicators[["plan_key", "indicator_id"]].merge(plans[["plan_key", "organisation", "document"]], on="plan_key")
    if params["check"] == "plan_target":
        targets = frames.values.loc[(frames.values["role"] == "target") & frames.values["year"].notna(), ["plan_key", "indicator_id"]]
        reports = ind[ind["document"].isin(REPORTS)].merge(targets.drop_duplicates(), on=["plan_key", "indicator_id"])
        planned = ind[ind["document"].isin(PLANS)][["organisation", "indicator_id"]].drop_duplicates()
        compared = reports.merge(planned, on=["organisation", "indicator_id"])["plan_key"]
        with_targets = set(reports["plan_key"].tolist())
        return [(k, "no_plan") for k in sorted(with_targets - set(compared.tolist()))]
    if params["check"] == "past_figures":
        shared = ind.groupby(["organisation", "indicator_id"], observed=True)["plan_key"].transform("nunique") > 1
        alone = set(plans["plan_key"].tolist()) - set(ind.loc[shared, "plan_key"].tolist())
        return [(k, "no_other_version") for k in sorted(alone)]
    return []


def row_sex(label: str) -> str | None:
    for pattern, sex in _SEX_LABELS:
        if pattern.match(label):
            return sex
    return None


def _line_note(lines: pd.Series, lang: str, inside: bool = False) -> pd.Series:
    """' (rad 12)' — or ' rad 12' inside a parenthesis — where a line is known; nothing where it is not
    (a Word document read directly has tables, not lines)."""
    out = []
    for value in lines.astype("Int64").tolist():
        text = "" if value is pd.NA or value is None else tr(lang, "line", line=value)
        out.append((f" {text}" if inside else f" ({text})") if text else "")
    return pd.Series(out, index=lines.index, dtype="object")


def _agree(a: pd.DataFrame, b: pd.DataFrame) -> np.ndarray:
    """Row-wise: do the figures of a and b (aligned) say the same?"""
    both_numbers = (a["kind"].to_numpy() == "number") & (b["kind"].to_numpy() == "number")
    gap = np.abs(a["number"].to_numpy(dtype=float) - b["number"].to_numpy(dtype=float))
    tol = half_unit(a["decimals"]).to_numpy() + half_unit(b["decimals"]).to_numpy()
    # One true value rounded to the same precision prints the same figure; only figures printed
    # with different precision may differ, by as much as their intervals allow.
    same_precision = a["decimals"].fillna(0).to_numpy() == b["decimals"].fillna(0).to_numpy()
    numbers_agree = np.where(same_precision, gap <= 1e-9 * (1 + np.abs(a["number"].to_numpy(dtype=float))), gap <= tol + 1e-9)
    same_words = (a["kind"].to_numpy() == b["kind"].to_numpy()) & (a["word"].fillna("").to_numpy() == b["word"].fillna("").to_numpy())
    return np.where(both_numbers, numbers_agree, same_words)


def _detail_table(frames: Frames, roles: list[str], lang: str) -> pd.DataFrame:
    tabs = frames.tables[frames.tables["indicator_id"].notna()]
    if tabs.empty or frames.values.empty:
        return empty_violations(EXTRA)
    cells = frames.cells.merge(tabs[["plan_key", "table_id", "indicator_id", "indicator_column", "title"]], on=["plan_key", "table_id"])
    cells["sex"] = cells["row_label"].map(row_sex)
    cells = cells[cells["sex"].notna() & ~cells["text_column"]]
    vals = frames.values[frames.values["role"].isin(roles) & frames.values["kind"].isin(["number", "direction", "level"])]
    vals = vals.assign(match_sex=vals["sex"].replace({"all": "total"}))
    pairs = vals.merge(cells, left_on=["plan_key", "indicator_id", "match_sex"], right_on=["plan_key", "indicator_id", "sex"],
                       suffixes=("", "_cell"))
    if pairs.empty:
        return empty_violations(EXTRA)
    period = pairs["period"].fillna("")
    year = pairs["year"].astype("Int64").astype(str)
    column = pairs["column"]
    chosen = pairs["indicator_column"].notna()
    by_name = chosen & (column == pairs["indicator_column"])
    exact = ~chosen & (column == period)
    by_year = ~chosen & pd.Series([bool(re.search(rf"(?<!\d){y}(?!\d)", c)) for y, c in zip(year, column, strict=True)], index=pairs.index)
    pairs = pairs.assign(by_name=by_name, exact=exact, by_year=by_year)
    keys = ["plan_key", "indicator_id", "value_pos", "sex", "table_id"]
    n_exact = pairs.groupby(keys)["exact"].transform("sum")
    n_year = pairs.groupby(keys)["by_year"].transform("sum")
    pick = pairs["by_name"] | pairs["exact"] | (pairs["by_year"] & (n_exact == 0) & (n_year == 1))
    pairs = pairs[pick].reset_index(drop=True)
    if pairs.empty:
        return empty_violations(EXTRA)
    a = pairs[["kind", "number", "decimals", "word"]]
    b = pairs[["kind_cell", "number_cell", "decimals_cell", "word_cell"]].set_axis(a.columns, axis=1)
    bad = pairs[~_agree(a, b)]
    if bad.empty:
        return empty_violations(EXTRA)
    where = bad["title"] + " › " + bad["row_label"] + " › " + bad["column"] + _line_note(bad["src_line_cell"], lang)
    return indicator_violations(frames, bad, expected=bad["text_cell"], actual=bad["text"], at_values=True, lang=lang,
                                other=bad["text_cell"], where=where)


def _plan_target(frames: Frames, lang: str) -> pd.DataFrame:
    plans = frames.plans
    v = frames.values[(frames.values["role"] == "target") & frames.values["year"].notna()]
    v = v.merge(plans[["plan_key", "organisation", "document", "title", "version_label", "source_document"]], on="plan_key")
    reports, planned = v[v["document"].isin(REPORTS)], v[v["document"].isin(PLANS)]
    if reports.empty or planned.empty:
        return empty_violations(EXTRA)
    keys = ["organisation", "indicator_id", "year", "sex"]
    pairs = reports.merge(planned, on=keys, suffixes=("", "_plan"))
    if pairs.empty:
        return empty_violations(EXTRA)
    a = pairs[["kind", "number", "decimals", "word"]]
    b = pairs[["kind_plan", "number_plan", "decimals_plan", "word_plan"]].set_axis(a.columns, axis=1)
    comparable = (a["kind"].to_numpy() == b["kind"].to_numpy()) | ((a["kind"] == "number") & (b["kind"] == "number")).to_numpy()
    bad = pairs[comparable & ~_agree(a, b)]
    if bad.empty:
        return empty_violations(EXTRA)
    where = (bad["title_plan"] + ", version " + bad["version_label_plan"] + " (" + bad["source_document_plan"]
             + _line_note(bad["src_line_plan"], lang, inside=True) + ")")
    return indicator_violations(frames, bad, expected=bad["text_plan"], actual=bad["text"], at_values=True, lang=lang,
                                other=bad["text_plan"], where=where)


def _past_figures(frames: Frames, lang: str) -> pd.DataFrame:
    from plankoll.versions import version_order

    plans = frames.plans
    if len(plans) < 2:
        return empty_violations(EXTRA)
    order = sorted(plans.itertuples(), key=lambda p: (p.first_year, *version_order(p.adopted if isinstance(p.adopted, str) else None,
                                                                                      p.version_label, p.file)))
    rank = {p.plan_key: i for i, p in enumerate(order)}
    # only indicators that more than one document of an organisation prints can have changed
    ind = frames.indicators[["plan_key", "indicator_id"]].merge(plans[["plan_key", "organisation"]], on="plan_key")
    documents = ind.groupby(["organisation", "indicator_id"], observed=True)["plan_key"].nunique()
    shared = documents[documents > 1].reset_index()[["organisation", "indicator_id"]]
    if shared.empty:
        return empty_violations(EXTRA)
    shared_keys = shared.merge(ind, on=["organisation", "indicator_id"])[["plan_key", "indicator_id"]]
    v = frames.values.merge(shared_keys, on=["plan_key", "indicator_id"])
    v = v[v["role"].isin(["baseline", "outcome"]) & v["kind"].isin(["number", "direction", "level"]) & v["period"].notna()]
    v = v.merge(plans[["plan_key", "organisation", "title", "version_label", "source_document"]], on="plan_key")
    if v.empty:
        return empty_violations(EXTRA)
    v = v.assign(rank=v["plan_key"].map(rank), norm_period=v["period"].str.upper().str.replace(r"\s+", "", regex=True),
                 series_key=v["series"].fillna(""))
    keys = ["organisation", "indicator_id", "norm_period", "series_key", "sex"]
    # each figure against the one before it in document order: the latest earlier document (linear, not all pairs)
    v = v.sort_values([*keys, "rank"], kind="stable").reset_index(drop=True)
    carried = ["plan_key", "rank", "kind", "number", "decimals", "word", "text", "src_line", "title", "version_label", "source_document"]
    before = v.groupby(keys, sort=False, observed=True)[carried].shift(1).add_suffix("_before")
    pairs = pd.concat([v, before], axis=1)
    pairs = pairs[pairs["rank_before"].notna() & (pairs["rank_before"] < pairs["rank"])].reset_index(drop=True)
    if pairs.empty:
        return empty_violations(EXTRA)
    a = pairs[["kind", "number", "decimals", "word"]]
    b = pairs[["kind_before", "number_before", "decimals_before", "word_before"]].set_axis(a.columns, axis=1)
    bad = pairs[~_agree(a, b)]
    if bad.empty:
        return empty_violations(EXTRA)
    where = (bad["title_before"] + ", version " + bad["version_label_before"] + " (" + bad["source_document_before"]
             + _line_note(bad["src_line_before"], lang, inside=True) + ")")
    return indicator_violations(frames, bad, expected=bad["text_before"], actual=bad["text"], at_values=True, lang=lang,
                                other=bad["text_before"], where=where)


def run(frames: Frames, params: dict, lang: str = "sv") -> pd.DataFrame:
    if params["check"] == "past_figures":
        return _past_figures(frames, lang)
    if params["check"] == "plan_target":
        return _plan_target(frames, lang)
    return _detail_table(frames, params.get("roles", ["outcome"]), lang)
