"""Rule documentation generated from rule metadata: `plankoll explain` and the README's rule list.

`explain_rule(rule, lang)` writes a rule's documentation wholly in one language: what it is (id,
title, severity and rule family in words), what it applies to, what it checks and why (invariant,
rationale, source), an example of a violation and of its fix, an example message (the template
filled with plausible figures, never the raw template), and how to declare an exception — in the
plan file, in plankoll.toml and, through the exception phrases of rules/vocabulary.yaml, in a Word
document. Code (parameters, `waivers:`, TOML) is shown as code, between backticks or indented.
"""

from __future__ import annotations

import re
import string
import textwrap
from dataclasses import dataclass
from typing import Any

from plankoll import wording
from plankoll.rules import Rule, check_module

LABELS = {
    "sv": {
        "severity": "Nivå", "family": "Regelfamilj", "selector": "Gäller", "params": "Parametrar", "none": "inga",
        "checks": "Vad regeln kontrollerar", "why": "Varför", "reference": "Källa", "example": "Exempel på avvikelse",
        "fix": "Så rättar du", "message": "Exempel på meddelande", "waivers": "Undantag",
        "waivers_intro": "Går en avvikelse inte att rätta, deklarera ett undantag med skäl. Undantagna avvikelser räknas för sig och "
                         "listas med sitt skäl i varje rapport; ett undantag som inte undantar något rapporteras som PK001.",
        "in_plan_indicator": "I planfilen, på måttet (eller på en tabell, en rad eller hela planen):",
        "in_plan_table": "I planfilen, på tabellen (eller på en av dess rader, eller på hela planen):",
        "in_config": "I plankoll.toml, för flera planer på en gång (`plan` och `element` är reguljära uttryck, båda valfria):",
        "in_word": "I ett Word-dokument: en fotnot till måttet vars text innehåller en av fraserna (stora eller små bokstäver):",
        "no_phrases": "I ett Word-dokument: en fotnot till måttet är ett undantag när dess text innehåller en undantagsfras för {rule}. "
                      "rules/vocabulary.yaml har inga sådana fraser; lägg till egna i plankoll.toml:",
        "own_phrases": "Egna fraser läggs till i plankoll.toml:",
        "table_word": "I ett Word-dokument: fotnoter i tabeller läses inte som undantag; deklarera undantaget i plankoll.toml.",
        "all": "alla planversioner", "kind_details": "",
        "plan": "planer vars id matchar {value}", "indicator_sel": "mått vars id matchar {value}",
        "name": "mått vars namn matchar {value}", "path": "mått under mål som matchar {value}",
        "unit": "mått i enheten {value}", "units": "mått i enheterna {value}",
        "quantitative": "kvantitativa mått", "qualitative": "kvalitativa mått",
        "table_sel": "tabeller vars id matchar {value}", "title": "tabeller vars rubrik matchar {value}",
    },
    "en": {
        "severity": "Severity", "family": "Rule family", "selector": "Applies to", "params": "Parameters", "none": "none",
        "checks": "What it checks", "why": "Why", "reference": "Source", "example": "Example of a violation",
        "fix": "How to fix it", "message": "Example message", "waivers": "Exceptions",
        "waivers_intro": "When a violation cannot be fixed, declare an exception with its reason. Waived violations are counted "
                         "separately and listed with their reason in every report; an exception that waives nothing is reported as PK001.",
        "in_plan_indicator": "In the plan file, on the measure (or on a table, a row or the whole plan):",
        "in_plan_table": "In the plan file, on the table (or on one of its rows, or on the whole plan):",
        "in_config": "In plankoll.toml, for several plans at once (`plan` and `element` are regular expressions, both optional):",
        "in_word": "In a Word document: a footnote on the measure whose text contains one of these phrases (in any case):",
        "no_phrases": "In a Word document: a footnote on the measure is an exception when its text contains an exception phrase "
                      "of {rule}. rules/vocabulary.yaml has no such phrases; add your own in plankoll.toml:",
        "own_phrases": "Phrases of your own are added in plankoll.toml:",
        "table_word": "In a Word document: footnotes in tables are not read as exceptions; declare the exception in plankoll.toml.",
        "all": "all plan versions", "kind_details": "The check kind `{kind}` in detail:",
        "plan": "plans whose id matches {value}", "indicator_sel": "measures whose id matches {value}",
        "name": "measures whose name matches {value}", "path": "measures under goals matching {value}",
        "unit": "measures in the unit {value}", "units": "measures in the units {value}",
        "quantitative": "quantitative measures", "qualitative": "qualitative measures",
        "table_sel": "tables whose id matches {value}", "title": "tables whose title matches {value}",
    },
}


# --- samples: plausible figures for a rule's message and its exception ---------------------------------
@dataclass(frozen=True)
class Sample:
    """Plausible values for the fields of a check's message, and an exception a plan might declare.

    Document text (a measure's name, a table's title) is quoted «…»: it stays Swedish in English."""

    fields: dict[str, dict[str, str]]  # lang -> field -> value
    scope: str  # "indicator" or "table": where the exception stands in the plan file
    element: str  # the element's id, e.g. "nll-sjukfranvaro"
    reason: dict[str, str]  # lang -> the reason written in the exception


def _both(**fields: str) -> dict[str, dict[str, str]]:
    return {"sv": dict(fields), "en": dict(fields)}


def _per_lang(common: dict[str, str], sv: dict[str, str], en: dict[str, str]) -> dict[str, dict[str, str]]:
    return {"sv": {**common, **sv}, "en": {**common, **en}}


# Keyed by (check kind, the parameter that selects what it checks); a rule of another rulebook
# with the same kind and parameter borrows the sample of the default rule.
SAMPLES: dict[tuple[str, str | None], Sample] = {
    ("unused_exceptions", None): Sample(
        _both(element_name="«Andel patienter nöjda med vården»", waived_rule="PK501", printed="Uppdelning i kön saknas"),
        "indicator", "nll-npe-nojdhet",
        {"sv": "Undantaget behövs igen i nästa version av planen.", "en": "The exception is needed again in the plan's next version."}),
    ("sums", "rows"): Sample(
        _both(element_name="«Antal patienter som fått fråga om våld i nära relationer › Totalt › 2020»", parts="270 + 200",
              expected="470", actual="400", difference="−70", tolerance="1,5"),
        "table", "nll-vald-nara-relation",
        {"sv": "Summaraden i källan innehåller poster som tabellen inte visar.", "en": "The source's total row includes items the table does not show."}),
    ("sums", "columns"): Sample(
        _both(element_name="«Investeringsram 2024, mnkr › Primärvård › Summa»", parts="412,0 + 18,5", expected="430,5", actual="420,5",
              difference="−10,0", tolerance="0,15"),
        "table", "nll-investeringsram-2024",
        {"sv": "Summakolumnen i källan innehåller anslag som tabellen inte visar.",
         "en": "The source's total column includes grants the table does not show."}),
    ("parts", "exceeds"): Sample(
        _per_lang({"actual": "22 mkr", "total": "1,4 mkr"},
                  {"element_name": "«Statsbidrag, psykisk hälsa» › utfall 2018 («Region Norrbotten»)"},
                  {"element_name": "«Statsbidrag, psykisk hälsa» › outcome 2018 («Region Norrbotten»)"}),
        "indicator", "nll-psykisk-halsa-statsbidrag",
        {"sv": "Delen och totalen avser olika år i källan.", "en": "The part and the total refer to different years in the source."}),
    ("parts", "unit"): Sample(
        _per_lang({"actual": "500 mkr", "part_unit": "mkr", "total": "1,44 mdkr", "total_unit": "mdkr"},
                  {"element_name": "«Statsbidrag, rehabilitering» › utfall 2018 («Stimulansmedel»)"},
                  {"element_name": "«Statsbidrag, rehabilitering» › outcome 2018 («Stimulansmedel»)"}),
        "indicator", "nll-rehabilitering-statsbidrag",
        {"sv": "Enheterna följer källans tabell.", "en": "The units follow the source's table."}),
    ("derived", "change_pct"): Sample(
        _both(element_name="«Antal besök › Primärvård › Förändring %»", operands="1 300 → 1 250", expected="4,0", actual="6,0",
              tolerance="0,13"),
        "table", "nll-besok",
        {"sv": "Förändringen är beräknad på oavrundade tal i källan.", "en": "The change is computed from unrounded figures in the source."}),
    ("derived", "share_pct"): Sample(
        _both(element_name="«Utskrivna inom 2 dygn › Medicin › Andel %»", operands="450 / 800", expected="56", actual="62", tolerance="0,6"),
        "table", "nll-utskrivna",
        {"sv": "Andelen är beräknad på oavrundade tal i källan.", "en": "The share is computed from unrounded figures in the source."}),
    ("derived", "difference"): Sample(
        _both(element_name="«Driftsbudget 2023, mnkr › Hälso- och sjukvård › Differens»", operands="398 − 412", expected="−14", actual="−4"),
        "table", "nll-driftsbudget-2023",
        {"sv": "Differensen avser justerad budget, som tabellen inte visar.",
         "en": "The difference is against the revised budget, which the table does not show."}),
    ("derived", "sex_total"): Sample(
        _per_lang({"operands": "K 1 204 · M 987", "expected": "2 191", "actual": "2 391"},
                  {"element_name": "«Antal besök» › utfall 2023"}, {"element_name": "«Antal besök» › outcome 2023"}),
        "indicator", "nll-besok",
        {"sv": "Totalen innehåller personer med okänt kön.", "en": "The total includes people of unknown sex."}),
    ("completeness", "baseline"): Sample(
        _per_lang({"element_name": "«Andel patienter som får vård inom 90 dagar»"},
                  {"actual": "inget ingångsvärde", "expected": "ingångsvärde med värde och period"},
                  {"actual": "no baseline", "expected": "a baseline with value and period"}),
        "indicator", "nll-vard-90-dagar",
        {"sv": "Ingångsvärde tas fram under 2025.", "en": "The baseline is being produced during 2025."}),
    ("completeness", "source"): Sample(
        _per_lang({"element_name": "«Kostnad för ytterfall»"}, {"actual": "ingen källa angiven"}, {"actual": "no source given"}),
        "indicator", "nll-kostnad-ytterfall",
        {"sv": "Källa tas fram i samband med första mätningen.", "en": "The source is chosen with the first measurement."}),
    ("completeness", "follow_up"): Sample(
        _per_lang({"element_name": "«Antal laddstolpar»"}, {"actual": "ingen uppföljningsperiod angiven"}, {"actual": "no follow-up period given"}),
        "indicator", "nll-laddstolpar",
        {"sv": "Måttet följs upp i den särskilda miljöredovisningen.", "en": "The measure is followed up in the separate environmental report."}),
    ("completeness", "new_measure"): Sample(
        _both(element_name="«Genomsnittligt utsläpp av personbilsparken»", actual="Nytt mått"),
        "indicator", "nll-utslapp-personbilsparken",
        {"sv": "Nytt mått från 2024; första utfallet kommer i årsredovisningen.",
         "en": "New measure from 2024; the first outcome comes in the annual report."}),
    ("completeness", "last_year_target"): Sample(
        _per_lang({"element_name": "«Total sjukfrånvaro»", "year": "2026"}, {"actual": "inget mål"}, {"actual": "no target"}),
        "indicator", "nll-sjukfranvaro",
        {"sv": "Målvärde för 2026 fastställs i nästa plan.", "en": "The target for 2026 is set in the next plan."}),
    ("completeness", "any_target"): Sample(
        _per_lang({"element_name": "«Antal vårdplatser per 1 000 invånare»", "years": "2024–2026"},
                  {"actual": "bara utfall"}, {"actual": "only outcome"}),
        "indicator", "nll-vardplatser",
        {"sv": "Måttet följs för kännedom; målvärde går inte att sätta.", "en": "The measure is followed for information; no target can be set."}),
    ("completeness", "qualitative_target"): Sample(
        _per_lang({"element_name": "«Digitaliseringsstrategins handlingsplan genomförs»"},
                  {"actual": "bara ingångsvärde"}, {"actual": "only baseline"}),
        "indicator", "nll-digitaliseringsstrategi",
        {"sv": "Bedömningen görs i årsredovisningen.", "en": "The assessment is made in the annual report."}),
    ("periods", "follow_up_vocabulary"): Sample(
        _per_lang({"element_name": "«Påverkbar slutenvård vid kronisk sjukdom»", "actual": "«Under utredning»"},
                  {"expected": "DÅ04, DÅ08, ÅR, T1–T3, månad, kvartal …"}, {"expected": "DÅ04, DÅ08, ÅR, T1–T3, monthly, quarterly …"}),
        "indicator", "nll-paverkbar-slutenvard",
        {"sv": "Uppföljningen bestäms när utredningen är klar.", "en": "The follow-up is decided when the review is done."}),
    ("periods", "target_years"): Sample(
        _per_lang({"actual": "«2030»"}, {"element_name": "«Utsläpp av växthusgaser» › mål 2030", "expected": "år 2024–2026"},
                  {"element_name": "«Utsläpp av växthusgaser» › target 2030", "expected": "years 2024–2026"}),
        "indicator", "nll-vaxthusgaser",
        {"sv": "Målet för 2030 kommer ur den regionala utvecklingsstrategin.", "en": "The 2030 target comes from the regional development strategy."}),
    ("periods", "baseline_before_start"): Sample(
        _per_lang({"actual": "«2024»"}, {"element_name": "«Antal vårdplatser» › ingångsvärde 2024", "expected": "före 2024"},
                  {"element_name": "«Antal vårdplatser» › baseline 2024", "expected": "before 2024"}),
        "indicator", "nll-vardplatser",
        {"sv": "Det finns inget utfall från före planperioden.", "en": "No outcome from before the plan period exists."}),
    ("periods", "outcome_periods"): Sample(
        _per_lang({"actual": "«2024-T1»", "expected": "«ÅR»"}, {"element_name": "«Antal vårdplatser» › utfall 2024-T1"},
                  {"element_name": "«Antal vårdplatser» › outcome 2024-T1"}),
        "indicator", "nll-vardplatser",
        {"sv": "Utfallet för DÅ04 redovisas för kännedom.", "en": "The DÅ04 outcome is given for information."}),
    ("sex_split", None): Sample(
        _per_lang({"element_name": "«Hållbart medarbetarengagemang (HME)»"},
                  {"actual": "utfall 2024-T1 utan K/M", "reason": "ett index ur en enkät till medarbetare (HME)"},
                  {"actual": "outcome 2024-T1 without K/M", "reason": "a staff survey index (HME)"}),
        "indicator", "nll-hme",
        {"sv": "HME-enkäten redovisas inte uppdelad på kön.", "en": "The HME survey is not reported split by sex."}),
    ("values", "percent_range"): Sample(
        _per_lang({"actual": "112 %", "expected": "0–100 %"}, {"element_name": "«Andel nöjda patienter» › utfall 2023"},
                  {"element_name": "«Andel nöjda patienter» › outcome 2023"}),
        "indicator", "nll-nojda-patienter",
        {"sv": "Värdet är en förändring i procentenheter.", "en": "The value is a change in percentage points."}),
    ("values", "non_negative"): Sample(
        _per_lang({"actual": "−12", "expected": "≥ 0"}, {"element_name": "«Antal vårdplatser» › utfall 2023"},
                  {"element_name": "«Antal vårdplatser» › outcome 2023"}),
        "indicator", "nll-vardplatser",
        {"sv": "Talet är en nettoförändring.", "en": "The figure is a net change."}),
    ("values", "qualitative"): Sample(
        _per_lang({"actual": "Följa utvecklingen", "expected": "ja/delvis/nej"},
                  {"element_name": "«Samverkan med kommunerna har utvecklats» › mål 2025"},
                  {"element_name": "«Samverkan med kommunerna har utvecklats» › target 2025"}),
        "indicator", "nll-samverkan-kommuner",
        {"sv": "Målet sattes innan skalan Ja/Delvis/Nej infördes.", "en": "The target was set before the Ja/Delvis/Nej scale was introduced."}),
    ("values", "one_unit"): Sample(
        _per_lang({"actual": "87,3"}, {"element_name": "«Andel medicinsk bedömning inom 3 dagar» › ingångsvärde 2023 K", "expected": "enhet %"},
                  {"element_name": "«Andel medicinsk bedömning inom 3 dagar» › baseline 2023 K", "expected": "unit %"}),
        "indicator", "nll-medicinsk-bedomning-3-dagar",
        {"sv": "Källan trycker ingångsvärdet utan enhet.", "en": "The source prints the baseline without a unit."}),
    ("values", "prose"): Sample(
        _per_lang({"actual": "Expertgrupper idag"}, {"element_name": "«Antal lokala programområden» › ingångsvärde", "expected": "ett värde"},
                  {"element_name": "«Antal lokala programområden» › baseline", "expected": "a value"}),
        "indicator", "nll-lokala-programomraden",
        {"sv": "Källan anger ingen siffra för ingångsvärdet.", "en": "The source gives no figure for the baseline."}),
    ("consistency", "detail_table"): Sample(
        _per_lang({"actual": "203", "other": "205", "expected": "205"},
                  {"element_name": "«Antal patienter som fått fråga om våld i nära relation» › utfall 2022-T1 K",
                   "where": "«Antal patienter som fått fråga om våld i nära relationer › Kvinnor › 2022» (rad 195)"},
                  {"element_name": "«Antal patienter som fått fråga om våld i nära relation» › outcome 2022-T1 K",
                   "where": "«Antal patienter som fått fråga om våld i nära relationer › Kvinnor › 2022» (line 195)"}),
        "indicator", "nll-vald-nara-relation-fraga",
        {"sv": "Tabellen visar utfallet efter att registret rättats.", "en": "The table shows the outcome after the register was corrected."}),
    ("consistency", "plan_target"): Sample(
        _per_lang({"actual": "7 %", "other": "6 %", "expected": "6 %"},
                  {"element_name": "«Andel utskrivningsklara över 1 dygn» › mål 2022",
                   "where": "«Regionstyrelsens plan 2020», version 0.32 (plan-2020.docx rad 622)"},
                  {"element_name": "«Andel utskrivningsklara över 1 dygn» › target 2022",
                   "where": "«Regionstyrelsens plan 2020», version 0.32 (plan-2020.docx line 622)"}),
        "indicator", "nll-utskrivningsklara-1-dygn",
        {"sv": "Målet ändrades genom regionstyrelsens beslut 2022-03-15.", "en": "The target was changed by the regional board's decision of 2022-03-15."}),
    ("consistency", "past_figures"): Sample(
        _per_lang({"actual": "412", "other": "398", "expected": "398"},
                  {"element_name": "«Antal vårdplatser» › utfall 2023", "where": "«Verksamhetsplan 2024», version 1.0 (vp-2024.docx rad 88)"},
                  {"element_name": "«Antal vårdplatser» › outcome 2023", "where": "«Verksamhetsplan 2024», version 1.0 (vp-2024.docx line 88)"}),
        "indicator", "nll-vardplatser",
        {"sv": "Utfallet är omräknat efter en ny definition 2024.", "en": "The outcome was recalculated after a new definition in 2024."}),
}

_SELECTING_PARAMS = ("check", "what", "require", "axis")
_TABLE_KINDS = {"sums", "derived"}
_GENERIC_REASON = {"sv": "Skälet till undantaget.", "en": "The reason for the exception."}


def _sample(rule: Rule) -> Sample | None:
    params = rule.spec.params
    key = next((str(params[p]) for p in _SELECTING_PARAMS if p in params), None)
    return SAMPLES.get((rule.kind, key))


# --- pieces -------------------------------------------------------------------------------------------
def _code(value: Any) -> str:
    """A parameter value as YAML flow text: {axis: rows}, [baseline, outcome], true."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_code(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_code(v) for v in value) + "]"
    return "null" if value is None else str(value)


def _params(rule: Rule, lang: str) -> str:
    params = rule.spec.params
    if not params:
        return LABELS[lang]["none"]
    return ", ".join(f"`{k}: {_code(v)}`" for k, v in params.items())


def applies_to(rule: Rule, lang: str) -> str:
    """The selector in words: "verksamhetsplaner och regionplaner" / "all plan versions"."""
    label = LABELS.get(lang, LABELS["en"])
    sel = rule.spec.selector
    base = wording.documents(sel.document, lang) if sel.document else label["all"]
    narrower = []
    for key, field in (("plan", "plan"), ("indicator_sel", "indicator"), ("name", "name"), ("path", "path"),
                       ("table_sel", "table"), ("title", "title")):
        value = getattr(sel, field)
        if value is not None:
            narrower.append(label[key].format(value=f"`{value}`"))
    if sel.unit:
        narrower.append(label["unit" if len(sel.unit) == 1 else "units"].format(value=wording.join((f"`{u}`" for u in sel.unit), lang)))
    if sel.kind:
        narrower.append(label[sel.kind])
    return f"{base}: {', '.join(narrower)}" if narrower else base


def reference(rule: Rule, lang: str) -> str | None:
    ref = rule.spec.reference
    return wording.name(wording.REFERENCES, ref, lang) if ref else None


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        raise KeyError(key)


def example_message(rule: Rule, lang: str) -> str | None:
    """The rule's message template filled with plausible figures; None when there is no sample for
    every field of the template (a raw template is never shown)."""
    sample = _sample(rule)
    if sample is None:
        return None
    template = rule.spec.message.get(lang)
    fields = {f for _, f, _, _ in string.Formatter().parse(template) if f}
    values = sample.fields.get(lang, sample.fields["en"])
    if not fields <= set(values):
        return None
    return template.format_map(_Blank(values))


def _readable_phrase(pattern: str) -> str | None:
    """An exception phrase of the vocabulary (a regular expression) as a reader would write it,
    or None when it cannot be written out: "fr\\.?\\s?o\\.?\\s?m\\.? \\d{4} könsuppdelat" → "fr.o.m. 2025 könsuppdelat"."""
    text = pattern
    text = re.sub(r"\(\?:([^()|]*)(?:\|[^()]*)?\)\?", "", text)  # optional group: left out
    text = re.sub(r"\(\?:([^()|]*)(?:\|[^()]*)?\)", r"\1", text)  # group of alternatives: the first
    text = text.replace("\\d{4}", "2025").replace("\\d+", "3").replace("\\d", "3")
    text = re.sub(r"\\s[?*]", "", text).replace("\\s+", " ").replace("\\s", " ")
    text = re.sub(r"\\(.)\?", r"\1", text)  # an optional escaped character: written
    text = re.sub(r"\\(.)", r"\1", text)
    text = " ".join(text.split())
    if re.search(r"[\\()\[\]{}|*+?^$]", text):
        return None
    try:
        return text if re.search(pattern, text, re.IGNORECASE) else None
    except re.error:
        return None


def exception_phrases(rule_id: str, extra: dict[str, Any] | None = None) -> list[str]:
    """The exception phrases of `rule_id` in rules/vocabulary.yaml (with plankoll.toml's
    [vocabulary] lists when given), written out as a footnote would say them."""
    from plankoll.interpret import vocab

    phrases = vocab.load(extra).group("exceptions").get(rule_id, [])
    return [p for p in dict.fromkeys(_readable_phrase(p) or f"`{p}`" for p in phrases)]


def _scope(rule: Rule, sample: Sample | None) -> str:
    if sample is not None:
        return sample.scope
    if rule.kind in _TABLE_KINDS and rule.spec.params.get("what") != "sex_total":
        return "table"
    return "indicator"


def _waivers(rule: Rule, lang: str, extra_vocabulary: dict[str, Any] | None) -> list[str]:
    label = LABELS.get(lang, LABELS["en"])
    sample = _sample(rule)
    scope = _scope(rule, sample)
    element = sample.element if sample else ("exempel" if lang == "sv" else "example")
    reason = (sample.reason if sample else _GENERIC_REASON).get(lang) or _GENERIC_REASON["en"]
    key = "indicators" if scope == "indicator" else "tables"
    lines = [_paragraph(label["waivers_intro"]), "", _paragraph(label[f"in_plan_{scope}"]), "",
             f"      {key}:",
             f"        - id: {element}",
             f"          waivers: {{{rule.id}: \"{reason}\"}}",
             "", _paragraph(label["in_config"]), "",
             "      [[waivers]]",
             f"      rule = \"{rule.id}\"",
             "      plan = \"nll-.*\"",
             f"      element = \"{scope}:{element}\"",
             f"      reason = \"{reason}\"",
             ""]
    if scope == "table":
        lines.append(_paragraph(label["table_word"]))
        return lines
    phrases = exception_phrases(rule.id, extra_vocabulary)
    if phrases:
        lines.append(_paragraph(label["in_word"]))
        lines.append(_paragraph(", ".join(p if p.startswith("`") else f"«{p}»" for p in phrases), "    "))
        lines.append(_paragraph(label["own_phrases"]))
    else:
        lines.append(_paragraph(label["no_phrases"].format(rule=rule.id)))
    lines += ["", "      [vocabulary]", f"      exceptions = {{ {rule.id} = [\"…\"] }}"]
    return lines


WIDTH = 100


def _paragraph(text: str, indent: str = "  ") -> str:
    """Prose wrapped to WIDTH, indented; code between backticks and quoted «text» are never split."""
    words = re.findall(r"(?:«[^»]*»|`[^`]*`)\S*|\S+", text)
    return textwrap.fill(" ".join(w.replace(" ", "\0") for w in words), WIDTH, initial_indent=indent, subsequent_indent=indent,
                         break_long_words=False, break_on_hyphens=False).replace("\0", " ")


def explain_rule(rule: Rule, lang: str, extra_vocabulary: dict[str, Any] | None = None) -> str:
    """The documentation of `rule`, wholly in `lang` (sv or en)."""
    lang = lang if lang in LABELS else "en"
    label = LABELS[lang]
    spec = rule.spec
    family = wording.name(wording.KIND_NAMES, spec.kind, lang)
    lines = [
        f"{spec.id} — {spec.title.get(lang)}",
        "",
        f"{label['severity']}: {wording.name(wording.SEVERITY_NAMES, rule.severity, lang)}",
        f"{label['family']}: {family} (`{spec.kind}`)",
        f"{label['selector']}: {applies_to(rule, lang)}",
        f"{label['params']}: {_params(rule, lang)}",
        "",
        label["checks"],
    ]
    if spec.invariant:
        lines.append(_paragraph(spec.invariant.get(lang)))
    summary = wording.KIND_SUMMARIES.get(spec.kind, {}).get(lang)
    if summary:
        lines.append(_paragraph(summary))
    lines += ["", label["why"], _paragraph(spec.rationale.get(lang))]
    ref = reference(rule, lang)
    if ref:
        lines.append(_paragraph(f"{label['reference']}: {ref}"))
    if spec.example:
        lines += ["", label["example"], _paragraph(spec.example.get(lang))]
    if spec.fix:
        lines += ["", label["fix"], _paragraph(spec.fix.get(lang))]
    message = example_message(rule, lang)
    if message:
        lines += ["", label["message"], _paragraph(message)]
    lines += ["", label["waivers"], *_waivers(rule, lang, extra_vocabulary), ""]
    if lang == "en":  # the check kind's own documentation is English; never shown in Swedish
        doc = (check_module(spec.kind).__doc__ or "").strip()
        if doc:
            lines += [label["kind_details"].format(kind=spec.kind), "", *(f"    {line}".rstrip() for line in doc.splitlines()), ""]
    return "\n".join(lines)


# --- the README's table ---------------------------------------------------------------------------------
def _selector(rule: Rule, lang: str) -> str:
    """The selector as code, for the README's table ("all elements" when there is none)."""
    given = rule.spec.selector.model_dump(exclude_none=True)
    return ", ".join(f"{k}={v}" for k, v in given.items()) or {"sv": "alla element", "en": "all elements"}.get(lang, "all elements")


def rules_markdown(rules: list[Rule], lang: str = "en") -> str:
    """The README's table of default rules, generated from the rulebook."""
    rows = ["| id | kind | severity | applies to | rule |", "|---|---|---|---|---|"]
    for r in rules:
        rows.append(f"| {r.id} | {r.kind} | {r.severity} | {_selector(r, lang)} | {r.spec.title.get(lang)} |")
    return "\n".join(rows) + "\n"


BEGIN, END = "<!-- rules:begin (generated by `python -m plankoll.docs`) -->", "<!-- rules:end -->"


def readme_with_rules(readme: str, rules: list[Rule]) -> str:
    """The README with its default-rule table regenerated from the rulebook."""
    head, rest = readme.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{rules_markdown(rules)}{END}{tail}"


if __name__ == "__main__":
    from pathlib import Path

    from plankoll.rules import load_rulebooks

    path = Path("README.md")
    path.write_text(readme_with_rules(path.read_text(encoding="utf-8"), load_rulebooks(None)), encoding="utf-8")
