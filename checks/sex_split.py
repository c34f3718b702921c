"""Check kind `sex_split`: measures about people report K and M.

An indicator is about people when it says so (`about_people: true`) or, when it does not say,
when its name contains a word for people (patienter, invånare, medarbetare, chefer, barn,
personer, …); the message then names the word. `about_people: false` declares it is not.
A value is split when the same printed value has both K and M. Missing values ("Ny indikator",
"-") have nothing to split.

params:
  roles: [baseline, outcome]   which values must be split
  words: [...]                 the words that make an indicator about people (regex, case-insensitive)
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from plankoll.engine import empty_violations
from plankoll.frames import Frames

from ._common import indicator_violations, tr, value_label

DEFAULT_WORDS = (
    r"patient\w*", r"invånar\w*", r"medarbetar\w*", r"anställd\w*", r"chef\w*", r"barn\w*", r"person(?:er|erna|ers)?",
    r"elev\w*", r"ungdom\w*", r"kvinnor", r"män", r"individ\w*", r"brukar\w*", r"befolkning\w*",
    r"\d+\s*år och äldre", r"äldre", r"sjukfrånvaro", r"besökare", r"norrbottning\w*", r"deltagare",
)


def validate_params(params: dict) -> str | None:
    roles = params.get("roles", ["baseline", "outcome"])
    if not set(roles) <= {"baseline", "target", "outcome"}:
        return "params.roles must list baseline, target and/or outcome"
    try:
        re.compile("|".join(params.get("words", DEFAULT_WORDS)))
    except re.error as exc:
        return f"params.words is not a valid regex list: {exc}"
    return None


def run(frames: Frames, params: dict, lang: str = "sv") -> pd.DataFrame:
    ind, v = frames.indicators, frames.values
    if ind.empty or v.empty:
        return empty_violations(("reason",))
    pattern = r"\b(" + "|".join(params.get("words", DEFAULT_WORDS)) + r")\b"
    names = pd.Series(ind["name"].unique())
    found = dict(zip(names, names.str.extract(pattern, flags=re.IGNORECASE, expand=False), strict=True))
    word = ind["name"].map(found)
    declared = ind["about_people"].fillna(False).astype(bool)
    inferred = ind["about_people"].isna() & word.notna()
    people = ind[(declared | inferred) & (ind["kind"] == "quantitative")]
    why = pd.Series(
        [tr(lang, "declared") if d else tr(lang, "inferred", word=w) for d, w in
         zip(declared[people.index], word[people.index], strict=True)],
        index=people.index, dtype="object",
    )
    roles = params.get("roles", ["baseline", "outcome"])
    vals = v[v["role"].isin(roles) & (v["kind"] == "number")]
    # one integer per printed value (indicator × position), whatever its sex
    at = vals["ind_key"].to_numpy(np.int64) * (int(vals["value_pos"].max()) + 1 if len(vals) else 1) + vals["value_pos"].to_numpy(np.int64)
    sex = vals["sex"].to_numpy(dtype=object)
    split_both = np.intersect1d(at[sex == "K"], at[sex == "M"])
    whole = (sex == "all") | (sex == "total")
    unsplit, at = vals[whole], at[whole]
    first = ~pd.Series(at).duplicated().to_numpy()
    unsplit, at = unsplit[first], at[first]
    unsplit = unsplit[~np.isin(at, split_both) & np.isin(unsplit["ind_key"].to_numpy(), people["ind_key"].to_numpy())]
    if unsplit.empty:
        return empty_violations(("reason",))
    labels = value_label(unsplit.assign(sex="all"), lang)
    listing = labels.groupby(unsplit["ind_key"].to_numpy()).agg(", ".join)
    rows = people.set_index("ind_key").loc[listing.index].reset_index()
    reason = why.set_axis(people["ind_key"].to_numpy()).loc[listing.index]
    return indicator_violations(
        frames, rows, expected=tr(lang, "k_and_m"),
        actual=pd.Series([tr(lang, "without_km", values=x) for x in listing.to_numpy()], index=rows.index, dtype="object"),
        reason=pd.Series(reason.to_numpy(), index=rows.index),
    )
