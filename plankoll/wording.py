"""Names of plankoll's codes in words, in Swedish and English: rule families (check kinds),
severities, version statuses, document kinds, and the sources rules refer to.

One table per kind of code, each `{code: {"sv": …, "en": …}}`; `name(table, code, lang)` looks a
code up and falls back to the code itself for one the table does not know (a check kind of a
custom rulebook, a document kind added later). `plankoll explain` uses these tables, and reports
are meant to use the same ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

Table = Mapping[str, Mapping[str, str]]

#: Rule families: one per check kind (a module in checks/).
KIND_NAMES: Table = {
    "sums": {"sv": "Summor", "en": "Sums"},
    "derived": {"sv": "Härledda tal", "en": "Derived figures"},
    "completeness": {"sv": "Fullständighet", "en": "Completeness"},
    "sex_split": {"sv": "Könsuppdelning", "en": "Split by sex"},
    "periods": {"sv": "Perioder", "en": "Periods"},
    "values": {"sv": "Värden", "en": "Values"},
    "consistency": {"sv": "Samstämmighet", "en": "Consistency"},
    "parts": {"sv": "Delar och totaler", "en": "Parts and totals"},
    "unused_exceptions": {"sv": "Deklarerade undantag", "en": "Declared exceptions"},
}

#: What each check kind does, in one line (the module docstrings are the English reference).
KIND_SUMMARIES: Table = {
    "sums": {
        "sv": "Summa- och delsummarader (eller summakolumner) jämförs med summan av sina delar, med hänsyn till avrundningen av de tryckta talen.",
        "en": "Total and subtotal rows (or total columns) are compared with the sum of their parts, allowing for the rounding of the printed figures.",
    },
    "derived": {
        "sv": "Härledda tal (förändring i procent, andel, differens, totalen av K och M) räknas om från sina delar, med hänsyn till avrundningen.",
        "en": "Derived figures (change in per cent, share, difference, the total of K and M) are recomputed from their parts, allowing for rounding.",
    },
    "completeness": {
        "sv": "Varje mål har det som behövs för att följas upp: ingångsvärde med period, källa, uppföljningsperiod och målvärden.",
        "en": "Every target has what it needs to be followed up: a baseline with its period, a source, a follow-up period and target values.",
    },
    "sex_split": {
        "sv": "Mått om personer avgörs av vad måttet räknar, som en statistiker gör, och deras värden ska redovisas för kvinnor och män.",
        "en": "Whether a measure is about people is decided by what it counts, as a statistician would, and its values must be given for women and men.",
    },
    "periods": {
        "sv": "Uppföljningsperioder hör till styrmodellens ordförråd, mål ligger i planperioden och ingångsvärden före den.",
        "en": "Follow-up periods are from the governance model's vocabulary, targets fall in the plan period and baselines before it.",
    },
    "values": {
        "sv": "Värden har den typ måttet utlovar: andelar 0–100 %, antal som inte är negativa, "
              "kvalitativa mål på sin skala, en enhet, inga förklaringar i värdeceller.",
        "en": "Values have the type the measure promises: shares within 0–100 %, non-negative counts, "
              "qualitative targets on their scale, one unit, no prose in value cells.",
    },
    "consistency": {
        "sv": "Samma tal säger samma sak överallt: i måttet och i tabellen bakom det, i planen och i rapporten, i en tidigare och en senare version.",
        "en": "The same figure says the same everywhere: in the measure and in the table behind it, "
              "in the plan and in the report, in an earlier and a later version.",
    },
    "parts": {
        "sv": "En del är aldrig större än den total den ingår i och trycks i samma enhet; belopp räknas om mellan kr, tkr, mkr och mdkr.",
        "en": "A part is never larger than the total it belongs to and is printed in its unit; amounts are converted between kr, tkr, mkr and mdkr.",
    },
    "unused_exceptions": {
        "sv": "Ett deklarerat undantag som inget fynd av sin regel på sitt element behövde rapporteras.",
        "en": "A declared exception that no finding of its rule on its element needed is reported.",
    },
}

SEVERITY_NAMES: Table = {
    "error": {"sv": "fel", "en": "error"},
    "warning": {"sv": "varning", "en": "warning"},
    "info": {"sv": "info", "en": "info"},
}

#: The status of a plan version (the codes are Swedish, as the plan files write them).
STATUS_NAMES: Table = {
    "utkast": {"sv": "utkast", "en": "draft"},
    "fastställd": {"sv": "fastställd", "en": "adopted"},
    "reviderad": {"sv": "reviderad", "en": "revised"},
}

#: Document kinds, one document.
DOCUMENT_NAMES: Table = {
    "regionplan": {"sv": "regionplan", "en": "regional plan"},
    "verksamhetsplan": {"sv": "verksamhetsplan", "en": "operational plan"},
    "delårsrapport": {"sv": "delårsrapport", "en": "interim report"},
    "tertialrapport": {"sv": "tertialrapport", "en": "tertial report"},
    "årsredovisning": {"sv": "årsredovisning", "en": "annual report"},
    "rapport": {"sv": "rapport", "en": "report"},
}

#: Document kinds, several documents ("applies to operational plans and regional plans").
DOCUMENT_PLURALS: Table = {
    "regionplan": {"sv": "regionplaner", "en": "regional plans"},
    "verksamhetsplan": {"sv": "verksamhetsplaner", "en": "operational plans"},
    "delårsrapport": {"sv": "delårsrapporter", "en": "interim reports"},
    "tertialrapport": {"sv": "tertialrapporter", "en": "tertial reports"},
    "årsredovisning": {"sv": "årsredovisningar", "en": "annual reports"},
    "rapport": {"sv": "rapporter", "en": "reports"},
}

#: The order document kinds are named in: the plans of the bodies first, then the regional plan,
#: then the reports that follow them up.
DOCUMENT_ORDER = ("verksamhetsplan", "regionplan", "delårsrapport", "tertialrapport", "årsredovisning", "rapport")

#: The sources of the default rules (their `reference`), as each language cites them. A Swedish
#: statute keeps its Swedish title in English, quoted, with the English name after it.
REFERENCES: Table = {
    "ruff RUF100 (unused noqa)": {
        "sv": "ruff RUF100 (oanvänd noqa)",
        "en": "ruff RUF100 (unused noqa)",
    },
    "XBRL Calculations 1.1 (round-to-nearest consistency)": {
        "sv": "XBRL Calculations 1.1 (konsistens vid avrundning till närmaste)",
        "en": "XBRL Calculations 1.1 (round-to-nearest consistency)",
    },
    "XBRL Calculations 1.1 (summation-item consistency, round-to-nearest)": {
        "sv": "XBRL Calculations 1.1 (summeringskonsistens, avrundning till närmaste)",
        "en": "XBRL Calculations 1.1 (summation-item consistency, round-to-nearest)",
    },
    "XBRL Calculations 1.1 (round-to-nearest, applied to the formula of the derived figure)": {
        "sv": "XBRL Calculations 1.1 (avrundning till närmaste, tillämpad på det härledda talets formel)",
        "en": "XBRL Calculations 1.1 (round-to-nearest, applied to the formula of the derived figure)",
    },
    "Kommunallag (2017:725) 11 kap. 5–6 §§ (budgeten med mål och riktlinjer för verksamheten)": {
        "sv": "Kommunallag (2017:725) 11 kap. 5–6 §§ (budgeten med mål och riktlinjer för verksamheten)",
        "en": "«Kommunallag (2017:725)» (the Local Government Act), chapter 11, sections 5–6 (the budget, with goals and guidelines for the operations)",
    },
    "Lag (2018:597) om kommunal bokföring och redovisning, 11 kap. (förvaltningsberättelse) och 13 kap. (delårsrapport)": {
        "sv": "Lag (2018:597) om kommunal bokföring och redovisning, 11 kap. (förvaltningsberättelse) och 13 kap. (delårsrapport)",
        "en": "«Lag (2018:597) om kommunal bokföring och redovisning» (the Municipal Accounting Act), chapter 11 (the management report) "
              "and chapter 13 (the interim report)",
    },
    "Lag (2018:597) om kommunal bokföring och redovisning, 11 kap. och 13 kap. (uppföljning av planens mål)": {
        "sv": "Lag (2018:597) om kommunal bokföring och redovisning, 11 kap. och 13 kap. (uppföljning av planens mål)",
        "en": "«Lag (2018:597) om kommunal bokföring och redovisning» (the Municipal Accounting Act), chapters 11 and 13 "
              "(the follow-up of the plan's goals)",
    },
    "Förordning (2001:100) om den officiella statistiken, 14 § (individbaserad statistik ska vara uppdelad efter kön)": {
        "sv": "Förordning (2001:100) om den officiella statistiken, 14 § (individbaserad statistik ska vara uppdelad efter kön)",
        "en": "«Förordning (2001:100) om den officiella statistiken» (the Official Statistics Ordinance), section 14 "
              "(individual-based statistics shall be split by sex)",
    },
}

_AND = {"sv": "och", "en": "and"}


def name(table: Table, key: str, lang: str) -> str:
    """The name of `key` in `lang` from one of the tables above; the key itself when unknown."""
    names = table.get(key)
    if not names:
        return key
    return names.get(lang) or names.get("en") or key


def join(items: Iterable[str], lang: str) -> str:
    """"a, b och c" / "a, b and c"."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {_AND.get(lang, 'and')} {items[-1]}"


def documents(kinds: Iterable[str], lang: str) -> str:
    """Document kinds in the plural, in the usual order: "verksamhetsplaner och regionplaner"."""
    kinds = list(dict.fromkeys(kinds))
    rank = {k: i for i, k in enumerate(DOCUMENT_ORDER)}
    ordered = sorted(kinds, key=lambda k: (rank.get(k, len(rank)), kinds.index(k)))
    return join((name(DOCUMENT_PLURALS, k, lang) for k in ordered), lang)
