"""Check kind `sex_split`: measures about people report K and M.

Whether a measure is about people is decided as a statistician would, by its unit of observation:
what an "Andel …", "Antal …", "Kostnad per …" or "Index …" counts, not any word anywhere in the name.

1. A declared `about_people: true|false` on the indicator wins.
2. A measure of money (unit kr, tkr, mnkr, mdkr …, printed in the unit or the name) is not about people.
3. The name is cut to its counted phrase — parentheses out, the comma part that holds the measure,
   the frame words (Andel, Antal, Totalt, Följa …) off, the phrase ends at a preposition or relative
   word — and its head is the first word that the lexicon knows, a Swedish compound by its longest
   known ending: "personalkostnader" are costs, "barnmorskemottagningar" clinics, "vårdtillfällen"
   care episodes of patients. "Andel som …" counts persons.
   An adjective ("äldre byggnader") or a genitive ("Regionens resultat") gives way to the word
   after it; persons per persons ("elever per lärare") is a density, not a measure of people.
4. The head's class decides (persons, events that happen to persons, individual records, states
   of persons; or money, places, organisations, agreements, documents, systems, activities …).
   A head that only says how it measures (index, värde), a weak head (resultat, tillgänglighet)
   or none at all leaves it to a survey of people named in the name or the source (patientenkät,
   HME, HSE, brukarbedömning …), then to people named in the genitive ("Elevers resultat") or in a
   complement ("Kontinuitetsindex för patienter").

The lexicon is data: rules/people.yaml, extended by the rule's `params.lexicon` (same shape;
mappings merged, lists added; a [people] section in plankoll.toml can feed the same merge later).
Each finding's `reason` says why the measure is about people. Each distinct (name, unit, source)
is read once per run and the verdict mapped back to the indicator rows.
A value is split when the same printed value has both K and M. Missing values ("Ny indikator",
"-") have nothing to split.

params:
  roles: [baseline, outcome]   which values must be split
  lexicon: {...}               added to rules/people.yaml (classes, surveys, frame words, money units)
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from plankoll.engine import empty_violations
from plankoll.frames import Frames

from ._common import PHRASES, indicator_violations, tr, value_label

_NOT_A_WORD = re.compile(r"[\d\W_]+")
_TOKEN = re.compile(r"[^\s,;.()\[\]«»\"'!?]+")


class Verdict(NamedTuple):
    """Whether a measure is about people, why (a PHRASES key and its arguments), and by which word."""

    people: bool
    reason: str
    word: str = ""
    detail: str = ""

    def text(self, lang: str) -> str:
        detail = tr(lang, self.detail) if self.detail else ""
        return tr(lang, self.reason, word=self.word, survey=detail)


@dataclass(frozen=True)
class _Entry:
    cls: str
    people: bool | None
    reason: str
    weak: bool
    adjectival: bool


def _merge(base: Any, extra: Any) -> Any:
    if isinstance(base, dict) and isinstance(extra, dict):
        out = dict(base)
        for key, value in extra.items():
            out[key] = _merge(base[key], value) if key in base else value
        return out
    if isinstance(base, list) and isinstance(extra, list):
        return base + [x for x in extra if x not in base]
    return extra


@lru_cache(maxsize=1)
def _shipped() -> dict[str, Any]:
    import yaml

    # libyaml's loader when installed: the lexicon is read on every run (PyYAML's own takes 0.1 s)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(resources.files("plankoll.rulebooks").joinpath("people.yaml").read_text(encoding="utf-8"), Loader=loader)  # noqa: S506


class Lexicon:
    """rules/people.yaml, compiled: every listed form with its endings, by class."""

    def __init__(self, data: dict[str, Any]):
        self.data = data
        endings = ["", *data.get("endings", [])]
        frame = data.get("frame", {})
        self.frame = {w.lower() for w in frame.get("words", [])}
        self.boundary = {w.lower() for w in frame.get("boundary", [])}
        self.of = {w.lower() for w in frame.get("of", [])}
        self.implicit = {w.lower() for w in frame.get("implicit", [])}
        self.population = {w.lower() for w in frame.get("population", [])}
        self.coordinators = {w.lower() for w in frame.get("coordinators", [])}
        self.ratio = {w.lower() for w in frame.get("ratio", [])}
        units = "|".join(f"(?:{u})" for u in data.get("money_units", []))
        self.money_unit = re.compile(rf"^\s*(?:{units})\s*$", re.IGNORECASE) if units else None
        self.money_in_name = re.compile(rf"(?<![\w/])(?:{units})(?![\w])", re.IGNORECASE) if units else None
        kinds = {f"k{i}": kind for i, kind in enumerate(data.get("surveys", {}))}
        alternatives = [f"(?P<{key}>{'|'.join(f'(?:{p})' for p in data['surveys'][kind])})" for key, kind in kinds.items()
                        if data["surveys"][kind]]
        self.survey_kinds = kinds
        self.surveys = re.compile("|".join(alternatives), re.IGNORECASE) if alternatives else None
        self._surveyed: dict[str, tuple[str, str] | None] = {}
        self._segments: dict[str, list[tuple[str, str]]] = {}
        self.words: dict[str, tuple[int, _Entry]] = {}
        self.suffixes: dict[str, tuple[int, _Entry]] = {}
        for cls, spec in data.get("classes", {}).items():
            people, reason = spec.get("people"), spec["reason"]
            adjectival = {w.lower() for w in spec.get("adjectival", [])}
            weak = {w.lower() for w in spec.get("weak", [])}
            for kind, table in (("words", self.words), ("suffixes", self.suffixes), ("weak", self.suffixes)):
                for word in spec.get(kind, []):
                    word = word.lower()
                    entry = _Entry(cls, people, reason, word in weak, word in adjectival)
                    for ending in endings:
                        form = word + ending
                        # a longer listed word is the more specific reading of the same form
                        if form not in table or table[form][0] < len(word):
                            table[form] = (len(word), entry)
        self._cache: dict[tuple[str, str, str], Verdict] = {}

    # --- words ---------------------------------------------------------------------------------

    def entry(self, token: str) -> tuple[_Entry, str, str] | None:
        """The class of one word: a whole listed word, else the longest listed ending of the compound;
        with the matched part (to read a compound's prefix) and the inflection ending it carried."""
        hit = self.words.get(token)
        if hit is not None:
            return hit[1], token, token[hit[0]:]
        for i in range(len(token)):
            hit = self.suffixes.get(token[i:])
            if hit is not None:
                return hit[1], token[i:], token[i + hit[0]:]
        return None

    def _head(self, tokens: list[tuple[str, str]]) -> tuple[_Entry, str] | None:
        """The head of a counted phrase: its first word with a deciding class (an adjectival word
        gives way to a known word right after it); else its first word of any known class."""
        first: tuple[_Entry, str] | None = None
        for i, (low, shown) in enumerate(tokens):
            if low in self.frame or low in self.coordinators:
                continue
            found = self.entry(low)
            if found is None:
                continue
            entry, matched, ending = found
            if i + 1 < len(tokens) and self.entry(tokens[i + 1][0]) is not None and (entry.adjectival or ending.endswith("s")):
                continue  # "äldre byggnader", "Regionens resultat": a modifier of the word after it
            if entry.people is not None and not entry.weak:
                return entry, shown
            if first is None:
                first = (entry, shown)
                # a measure word's own prefix may say what it measures: "kostnadsandel"
                if entry.people is None and len(low) - len(matched) >= 3:
                    prefix = low[: len(low) - len(matched)]
                    for p in (prefix, prefix.rstrip("s")):
                        inner = self.entry(p)
                        if inner is not None and inner[0].people is not None and not inner[0].weak:
                            return inner[0], shown
        return first

    def _owner(self, tokens: list[tuple[str, str]]) -> str | None:
        """People named in the genitive before the head: "Elevers resultat", "Patienternas upplevelse"."""
        for i, (low, shown) in enumerate(tokens[:-1]):
            found = self.entry(low)
            if found is not None and found[0].people and found[2].endswith("s") and self.entry(tokens[i + 1][0]) is not None:
                return shown
        return None

    # --- a measure --------------------------------------------------------------------------------

    def _tokens(self, text: str) -> list[tuple[str, str]]:
        out = []
        for raw in _TOKEN.findall(text.replace("/", " / ").replace("&", " & ")):
            low = raw.lower().strip("-–:")
            if raw.endswith("-") and len(raw) > 1 and not _NOT_A_WORD.fullmatch(raw[:-1]):
                continue  # "barn- och ungdomspsykiatri": the first half of a compound
            shown = raw.strip("-–:")
            if raw in ("/", "&"):
                out.append((raw, raw))
            elif low:
                # as printed, but not capitalised: "Elever i åk 9" → «elever»; "SIP", "HME" stay
                out.append((low, shown if shown.isupper() or not shown[:1].isupper() else shown[:1].lower() + shown[1:]))
        return out

    def _segment(self, name: str) -> list[tuple[str, str]]:
        """The words of the part of the name that holds the measure: "SVF cancer, andel vårdförlopp
        inom utsatt tid" → the part that starts with a frame word and names what it counts;
        "Elever i åk 9 …, andel (%)" and "Väntetid till BUP, andel inom 30 dagar" → the first part."""
        text = re.sub(r"\([^()]*\)", " ", name)
        text = re.sub(r"^\s*\w+:\s+", "", text)  # "Aktivitet: …"
        parts = [self._tokens(p) for p in re.split(r",\s|\s[–-]\s", text)]
        parts = [p for p in parts if p]
        if not parts:
            return []
        for part in parts:
            rest = [low for low, _ in part if low not in self.frame and low not in self.of]
            if part[0][0] in self.frame and rest and rest[0] not in self.boundary:
                return part
        return parts[0]

    def classify(self, name: str, unit: str = "", source: str = "") -> Verdict:
        key = (name, unit, source)
        if key not in self._cache:
            self._cache[key] = self._classify(name, unit or "", source or "")
        return self._cache[key]

    def _classify(self, name: str, unit: str, source: str) -> Verdict:
        if self.money_unit is not None and (self.money_unit.match(unit) or self.money_in_name.search(name)):
            return Verdict(False, "people_money", unit.strip() or self.money_in_name.search(name).group(0))
        if name not in self._segments:
            self._segments[name] = self._segment(name)
        tokens = self._segments[name]
        # the frame: "Andel av …", "Följa utvecklingen av andel …"
        i, framed = 0, False
        while i < len(tokens) and (tokens[i][0] in self.frame or (framed and tokens[i][0] in self.of)):
            framed = True
            i += 1
        if framed and i < len(tokens) and tokens[i][0] in self.implicit:
            return Verdict(True, "people_implicit", " ".join(t[1] for t in tokens[max(i - 1, 0): i + 1]))
        j = i
        while j < len(tokens) and tokens[j][0] not in self.boundary:
            j += 1
        head = self._head(tokens[i:j])
        if head is not None and head[0].cls == "persons" and j + 1 < len(tokens) and tokens[j][0] in self.ratio:
            end = j + 1
            while end < len(tokens) and tokens[end][0] not in self.boundary:
                end += 1
            per = self._head(tokens[j + 1:end])
            if per is not None and per[0].cls == "persons":
                return Verdict(False, "people_density", " ".join(t[1] for t in tokens[i:j + 2]))
        if head is not None and head[0].people is not None and not head[0].weak:
            if head[0].people:
                survey = self._survey(name, source)
                return survey or Verdict(True, head[0].reason, head[1])
            return Verdict(False, head[0].reason, head[1])
        survey = self._survey(name, source, unit)
        if survey is not None:
            return survey
        # whom the measure is about: "Elevers resultat", "Kontinuitetsindex för patienter med kronisk sjukdom"
        owner = self._owner(tokens[i:j])
        if owner is not None:
            return Verdict(True, "people_population", owner)
        k = j
        while k < len(tokens):
            if tokens[k][0] in self.population:
                end = k + 1
                while end < len(tokens) and tokens[end][0] not in self.boundary:
                    end += 1
                found = self._head(tokens[k + 1: end])
                if found is not None and found[0].people:
                    return Verdict(True, "people_population", " ".join(t[1] for t in tokens[k:end]))
                k = end
            else:
                k += 1
        if head is not None and head[0].people is not None:
            return Verdict(bool(head[0].people), head[0].reason, head[1])
        return Verdict(False, "people_unknown", " ".join(t[1] for t in tokens[i:j]))

    def _survey_in(self, text: str) -> tuple[str, str] | None:
        """(kind, the words as printed) of the first survey of people that a text names."""
        if text not in self._surveyed:
            hit = self.surveys.search(text) if self.surveys is not None and text else None
            key = next((k for k, v in hit.groupdict().items() if v is not None), None) if hit is not None else None
            self._surveyed[text] = (self.survey_kinds[key], hit.group(0)) if key is not None and hit is not None else None
        return self._surveyed[text]

    def _survey(self, name: str, source: str, unit: str = "") -> Verdict | None:
        found = self._survey_in(name) or self._survey_in(source)
        if found is None:
            return None
        index = "index" in unit.lower() or "index" in name.lower()
        return Verdict(True, "people_survey_index" if index else "people_survey", found[1], f"people_survey_{found[0]}")


@lru_cache(maxsize=16)
def _lexicon(extra: str) -> Lexicon:
    return Lexicon(_merge(_shipped(), json.loads(extra)) if extra != "null" else _shipped())


def lexicon(params: dict | None = None) -> Lexicon:
    """The shipped lexicon, with the rule's `params.lexicon` merged over it."""
    return _lexicon(json.dumps((params or {}).get("lexicon"), sort_keys=True, ensure_ascii=False))


def validate_params(params: dict) -> str | None:
    roles = params.get("roles", ["baseline", "outcome"])
    if not set(roles) <= {"baseline", "target", "outcome"}:
        return "params.roles must list baseline, target and/or outcome"
    if "words" in params:
        return "params.words is replaced by params.lexicon (the shape of rules/people.yaml)"
    extra = params.get("lexicon")
    if extra is not None and not isinstance(extra, dict):
        return "params.lexicon must be a mapping in the shape of rules/people.yaml"
    try:
        lex = lexicon(params)
    except (re.error, KeyError, TypeError, AttributeError) as exc:
        return f"params.lexicon is not valid: {exc}"
    for cls, spec in lex.data.get("classes", {}).items():
        if spec.get("people") not in (True, False, None):
            return f"params.lexicon: class {cls}: people must be true, false or null"
        if any(spec["reason"] not in PHRASES[lang] for lang in PHRASES):
            return f"params.lexicon: class {cls}: reason {spec['reason']!r} is not a phrase key of checks/_common.py"
    return None


def about_people(ind: pd.DataFrame, params: dict | None, lang: str = "sv") -> pd.DataFrame:
    """Per indicator row: `people` (bool) and `reason` (text), each distinct (name, unit, source)
    read once; a declared `about_people` wins."""
    lex = lexicon(params)
    keys = pd.DataFrame({c: ind[c].fillna("").astype(str) for c in ("name", "unit", "source")}, index=ind.index)
    uniq = keys.drop_duplicates()
    verdicts = [lex.classify(*t) for t in uniq.itertuples(index=False, name=None)]
    uniq = uniq.assign(people=[v.people for v in verdicts], reason=[v.text(lang) for v in verdicts])
    found = keys.merge(uniq, how="left", on=["name", "unit", "source"]).set_axis(ind.index)
    declared = ind["about_people"]
    said = declared.notna()
    people = declared.where(said, found["people"]).astype(bool)
    reason = found["reason"].where(~said, tr(lang, "declared"))
    return pd.DataFrame({"people": people, "reason": reason}, index=ind.index)


def run(frames: Frames, params: dict, lang: str = "sv") -> pd.DataFrame:
    ind, v = frames.indicators, frames.values
    if ind.empty or v.empty:
        return empty_violations(("reason",))
    quantitative = ind[ind["kind"] == "quantitative"]
    verdict = about_people(quantitative, params, lang)
    people = quantitative[verdict["people"].to_numpy()]
    why = verdict.loc[people.index, "reason"]
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
