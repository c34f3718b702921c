"""Check kind `periods`: follow-up periods and the years values refer to.

params:
  check: follow_up_vocabulary   the follow-up period is from the vocabulary (DÅ04, DÅ08, ÅR,
                                T1–T3, månad, kvartal, vart fjärde år, …), in any of the spellings
                                the documents use ("DA 04,08, AR", "DÅ04,08, ÅR", "DÅ 04,08 ÅR")
         target_years           every target year lies inside the plan period
         baseline_before_start  every baseline refers to a period before the plan starts
         outcome_periods        outcomes are reported only for declared follow-up periods
"""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from plankoll.engine import empty_violations
from plankoll.frames import Frames

from ._common import choice, indicator_violations, tr

OPTIONS = ("follow_up_vocabulary", "target_years", "baseline_before_start", "outcome_periods")

# Tertial and delår are the same cut-offs: T1 = DÅ04 (per April), T2 = DÅ08, T3 = ÅR.
_TOKEN = re.compile(
    r"(?P<every>VART(?:FJARDE|TREDJE|ANNAT)AR|ARLIGEN|ARSVIS)|(?P<delar>DELAR(?:SRAPPORT|SBOKSLUT|SREDOVISNING|SUPPFOLJNING)?(?:EN)?)"
    r"|(?P<tertial>(?:VARJE|PER)?TERTIAL(?:VIS|RAPPORT(?:ER)?|ET)?)|(?P<fill>VARJE|PER|I)"
    r"|(?P<da>DA(?P<months>(?:0[1-9]|1[0-2]|[1-9](?![0-9]))(?:,(?:0[1-9]|1[0-2]|[1-9](?![0-9])))*))|(?P<ar>AR(?:SREDOVISNING|SRAPPORT|SBOKSLUT)?(?:EN|ET)?|HELAR)|(?P<t>T[1-3])"
    r"|(?P<month>MANAD(?:SVIS|SRAPPORT(?:ER)?)?|MANATLIG(?:EN)?)|(?P<q>KVARTAL(?:SVIS)?|Q[1-4])"
    r"|(?P<sep>[,/&]|OCH)"
)


def _fold(text: str) -> str:
    table = str.maketrans({"Å": "A", "Ä": "A", "Ö": "O", "É": "E"})
    return re.sub(r"\s+", "", text.upper().translate(table))


@lru_cache(maxsize=4096)
def parse_follow_up(text: str) -> tuple[frozenset[str], str | None]:
    """The period codes a follow-up text declares, and the part that is not in the vocabulary."""
    folded = _fold(text)
    codes: set[str] = set()
    pos = 0
    while pos < len(folded):
        m = _TOKEN.match(folded, pos)
        if not m:
            return frozenset(codes), text
        if m["da"]:
            codes.update({"DA" + mo.zfill(2) for mo in m["months"].split(",")})
        elif m["delar"]:
            codes.update({"DA04", "DA08"})
        elif m["tertial"]:
            codes.update({"DA04", "DA08", "AR"})
        elif m["ar"]:
            codes.add("AR")
        elif m["t"]:
            codes.add({"T1": "DA04", "T2": "DA08", "T3": "AR"}[m["t"]])
        elif m["month"]:
            codes.add("MONTH")
        elif m["q"]:
            codes.add("QUARTER")
        elif m["every"]:
            codes.add("AR")
        pos = m.end()
    return frozenset(codes), None if codes else text


@lru_cache(maxsize=4096)
def outcome_code(period: str | None) -> str | None:
    if not period:
        return None
    folded = _fold(period)
    for pattern, code in ((r"T1|DA0?4|APRIL|-04$", "DA04"), (r"T2|DA0?8|AUGUSTI|-08$", "DA08"), (r"T3|AR|DEC|-12$", "AR")):
        if re.search(pattern, folded):
            return code
    return "AR" if re.fullmatch(r"\d{4}", folded) else None


def validate_params(params: dict) -> str | None:
    return choice(params, "check", OPTIONS)


def run(frames: Frames, params: dict, lang: str = "sv") -> pd.DataFrame:
    ind, v = frames.indicators, frames.values
    if ind.empty:
        return empty_violations()
    plans = frames.plans.set_index("plan_key")
    check = params["check"]
    if check == "follow_up_vocabulary":
        given = ind[ind["follow_up"].notna()]
        unknown = given["follow_up"].map(lambda t: parse_follow_up(t)[1])
        rows = given[unknown.notna()]
        if rows.empty:
            return empty_violations()
        return indicator_violations(frames, rows, expected=tr(lang, "vocabulary"), actual="«" + rows["follow_up"] + "»")
    if check in ("target_years", "baseline_before_start"):
        role = "target" if check == "target_years" else "baseline"
        vals = v[(v["role"] == role) & v["year"].notna() & (v["sex"].isin(["all", "total"]) | ~v.duplicated(["plan_key", "indicator_id", "value_pos"]))]
        vals = vals.drop_duplicates(["plan_key", "indicator_id", "value_pos"])
        first = vals["plan_key"].map(plans["first_year"])
        last = vals["plan_key"].map(plans["last_year"])
        if check == "target_years":
            rows = vals[(vals["year"] < first) | (vals["year"] > last)]
            expected = pd.Series([tr(lang, "years", first=f, last=la) for f, la in zip(first[rows.index], last[rows.index], strict=True)],
                                 index=rows.index, dtype="object")
        else:
            rows = vals[vals["year"] >= first]
            expected = pd.Series([tr(lang, "before", first=f) for f in first[rows.index]], index=rows.index, dtype="object")
        if rows.empty:
            return empty_violations()
        return indicator_violations(frames, rows, expected=expected, actual="«" + rows["period"] + "»", at_values=True, lang=lang)
    # outcome_periods
    follow = ind.set_index(["plan_key", "indicator_id"])["follow_up"]
    outs = v[(v["role"] == "outcome")].drop_duplicates(["plan_key", "indicator_id", "value_pos"])
    if outs.empty:
        return empty_violations()
    declared = pd.MultiIndex.from_frame(outs[["plan_key", "indicator_id"]]).map(follow.to_dict())
    outs = outs.assign(declared=list(declared))
    outs = outs[outs["declared"].notna()]
    codes = outs["declared"].map(lambda t: parse_follow_up(t)[0])
    code = outs["period"].map(outcome_code)
    bad = pd.Series([c is not None and bool(cs) and c not in cs for c, cs in zip(code, codes, strict=True)], index=outs.index, dtype=bool)
    rows = outs[bad]
    if rows.empty:
        return empty_violations()
    return indicator_violations(frames, rows, expected="«" + rows["declared"] + "»", actual="«" + rows["period"] + "»", at_values=True,
                                lang=lang)
