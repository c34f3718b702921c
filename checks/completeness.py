"""Check kind `completeness`: every target has what it needs to be followed up.

params:
  require: baseline          an indicator with a target has a baseline with a value and a period
                             (a baseline declared new — "Nytt mått", "Ny indikator" — is left to
                             `new_measure`)
           new_measure       an indicator whose baseline is declared new (reported, usually as a warning)
           source            an indicator with a target names its source (källa)
           follow_up         an indicator names its follow-up period, or the plan declares one for all
           last_year_target  a quantitative indicator has a target for the last year of the plan period
           any_target        a quantitative indicator has a target for at least one year of the plan
                             period (whether or not it has outcomes; a direction or level counts)
           qualitative_target  a qualitative indicator has a target or an assessment (a level, a
                             direction, a figure or a statement as target or outcome)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from plankoll.engine import empty_violations
from plankoll.frames import Frames

from ._common import choice, indicator_violations, tr

OPTIONS = ("baseline", "new_measure", "source", "follow_up", "last_year_target", "any_target", "qualitative_target")
PRESENT = ("number", "direction", "level")


def validate_params(params: dict) -> str | None:
    return choice(params, "require", OPTIONS)


def _flag(values: pd.DataFrame, mask: pd.Series) -> np.ndarray:
    """The ind_key of every indicator with at least one value where mask holds."""
    return np.unique(values.loc[mask, "ind_key"].to_numpy())


def _indicator_flags(frames: Frames) -> dict:
    """Per indicator: has a target, has a baseline value, declares a new measure (shared by the rules of this kind)."""
    if "completeness" not in frames.memo:
        ind, v = frames.indicators, frames.values
        idx = ind["ind_key"].to_numpy()
        # the columns the flags and the messages read: a mask over the whole frame copies every column
        base = v.loc[v["role"] == "baseline", ["plan_key", "ind_key", "kind", "word", "year", "text"]]
        frames.memo["completeness"] = {
            "idx": idx,
            "base": base,
            "with_target": np.isin(idx, _flag(v, (v["role"] == "target") & v["kind"].isin(PRESENT))),
            "has_base_value": np.isin(idx, _flag(base, base["kind"].isin([*PRESENT, "text"]))),
            "declared_new": np.isin(idx, _flag(base, (base["kind"] == "missing") & (base["word"] == "new"))),
        }
    return frames.memo["completeness"]


def _text_by_indicator(rows: pd.DataFrame, values: pd.DataFrame) -> list:
    """The printed text of the first of `values` for each indicator of `rows` (None where there is none)."""
    first = values.drop_duplicates("ind_key").set_index("ind_key")["text"]
    return list(first.reindex(rows["ind_key"].to_numpy()).astype(object).where(lambda s: s.notna(), None))


def _no_target(frames: Frames, require: str, lang: str) -> pd.DataFrame:
    """Indicators with nothing to follow up against: no target in the plan period (quantitative),
    or neither a target nor an assessment (qualitative)."""
    ind, v = frames.indicators, frames.values
    plans = frames.plans.set_index("plan_key")
    first, last = v["plan_key"].map(plans["first_year"]), v["plan_key"].map(plans["last_year"])
    present = v["kind"].isin(PRESENT)
    if require == "any_target":
        in_period = (v["year"] >= first) & (v["year"] <= last)
        has = _flag(v, (v["role"] == "target") & present & in_period.fillna(False))
        rows = ind[(ind["kind"] == "quantitative") & ~np.isin(ind["ind_key"].to_numpy(), has)]
    else:
        # a qualitative target is often a statement ("En samlad metodbank finns etablerad"): any printed text counts
        has = _flag(v, v["role"].isin(["target", "outcome"]) & (present | (v["kind"] == "text")))
        rows = ind[(ind["kind"] == "qualitative") & ~np.isin(ind["ind_key"].to_numpy(), has)]
    # what the flagged indicators print (few of them: the wording is built for those alone)
    v = v[v["ind_key"].isin(rows["ind_key"].to_numpy())]
    counts = v[["ind_key", "role"]].drop_duplicates().sort_values(["ind_key", "role"]).groupby("ind_key")["role"].agg(list)
    roles = [counts.get(k, []) for k in rows["ind_key"].tolist()]
    # what stands where a target belongs, when something does ("Efter behov", a year outside the period)
    printed = v[v["role"] == "target"].assign(shown="«" + v["text"] + "» (" + v["period"].fillna("–") + ")")
    targets = printed.groupby("ind_key")["shown"].agg(", ".join)
    actual = pd.Series([tr(lang, "targets_printed", targets=targets[k]) if k in targets.index else _printed_roles(r, lang)
                        for k, r in zip(rows["ind_key"].tolist(), roles, strict=True)], index=rows.index, dtype="object")
    years = rows["plan_key"].map(plans["first_year"]).astype(str) + "–" + rows["plan_key"].map(plans["last_year"]).astype(str)
    return indicator_violations(frames, rows, expected=tr(lang, "a_target"), actual=actual, years=years)


def _printed_roles(roles: list[str], lang: str) -> str:
    from ._common import ROLE_NAMES

    if not roles:
        return tr(lang, "no_values")
    names = ROLE_NAMES.get(lang, ROLE_NAMES["en"])
    return tr(lang, "only_roles", roles=", ".join(names.get(r, r) for r in roles))


def run(frames: Frames, params: dict, lang: str = "sv") -> pd.DataFrame:
    ind, v = frames.indicators, frames.values
    if ind.empty:
        return empty_violations()
    flags = _indicator_flags(frames)
    idx, base = flags["idx"], flags["base"]
    with_target, has_base_value, declared_new = flags["with_target"], flags["has_base_value"], flags["declared_new"]
    require = params["require"]

    if require == "baseline":
        no_period = np.isin(idx, _flag(base, base["kind"].isin(PRESENT) & base["year"].isna()))
        bad = with_target & ((~has_base_value & ~declared_new) | no_period)
        rows = ind[bad]
        actual = pd.Series([tr(lang, "baseline_no_period") if p else tr(lang, "no_baseline") for p in no_period[bad]],
                           index=rows.index, dtype="object")
        return indicator_violations(frames, rows, expected=tr(lang, "baseline_with_period"), actual=actual)
    if require == "new_measure":
        rows = ind[declared_new & ~has_base_value]
        printed = _text_by_indicator(rows, base[(base["kind"] == "missing") & (base["word"] == "new")])
        return indicator_violations(frames, rows, expected=tr(lang, "baseline"), actual=pd.Series(printed, index=rows.index, dtype="object"))
    if require == "source":
        rows = ind[with_target & ind["source"].isna()]
        return indicator_violations(frames, rows, expected=tr(lang, "source"), actual=tr(lang, "no_source"))
    if require == "follow_up":
        plan_follow = ind["plan_key"].map(frames.plans.set_index("plan_key")["follow_up"])
        rows = ind[ind["follow_up"].isna() & plan_follow.isna()]
        return indicator_violations(frames, rows, expected=tr(lang, "follow_up"), actual=tr(lang, "no_follow_up"))
    if require in ("any_target", "qualitative_target"):
        return _no_target(frames, require, lang)
    # last_year_target
    last = v["plan_key"].map(frames.plans.set_index("plan_key")["last_year"])
    has_last = np.isin(idx, _flag(v, (v["role"] == "target") & v["kind"].isin(PRESENT) & (v["year"] == last)))
    first = v["plan_key"].map(frames.plans.set_index("plan_key")["first_year"])
    # an indicator with no target in the plan period at all is any_target's (PK306), not this rule's
    in_period = np.isin(idx, _flag(v, (v["role"] == "target") & v["kind"].isin(PRESENT) & (v["year"] >= first) & (v["year"] <= last)))
    rows = ind[(ind["kind"] == "quantitative") & with_target & in_period & ~has_last]
    last_year = rows["plan_key"].map(frames.plans.set_index("plan_key")["last_year"]).astype(str)
    shown = _text_by_indicator(rows, v[(v["role"] == "target") & (v["year"] == last)])
    actual = pd.Series([f"«{s}»" if isinstance(s, str) else tr(lang, "no_target") for s in shown], index=rows.index, dtype="object")
    expected = pd.Series([tr(lang, "target_for", year=y) for y in last_year], index=rows.index, dtype="object")
    return indicator_violations(frames, rows, expected=expected, actual=actual, year=last_year)
