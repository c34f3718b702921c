"""What one printed cell of an indicator table says: K/M and series inside a cell, "Källa: X"
inside a name, qualitative marks, footnote marks, periods in headers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from plankoll.figures import FigureError, parse

from .vocab import Vocabulary, normalize

# a figure as Swedish plans print it, in running text (sign, digits with space groups, decimals, unit)
FIGURE = (r"(?:[<>≥≤]\s*)?[-−–+]?\s*\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?\s*%?"
          r"|(?:[<>≥≤]\s*)?[-−–+]?\s*\d+(?:,\d+)?\s*(?:%|st\b|mnkr\b|mkr\b|tkr\b|kr\b|dagar\b)?")
_SEX_TAG = re.compile(r"(?<![\wåäö])(kvinnor|män|flickor|pojkar|totalt|samtliga|k|m)\s*[:=]?\s*(?=[<>≥≤\-−–+]?\s*\d)", re.IGNORECASE)
_SERIES_TAG = re.compile(r"(?<![\wåäö])([A-ZÅÄÖ][\wÅÄÖåäö./-]{0,19})\s*:\s*(?=[<>≥≤\-−–+]?\s*\d)")
_PERIOD_TAG = re.compile(r"^(?:(?P<t>T[1-3])\s+)?(?:(?:helår|utfall|år|mätning)\s+)?(?P<period>(?:19|20)\d{2}(?:-T[1-3]|-\d{2})?)\s*:\s*", re.IGNORECASE)
_YEAR_AFTER = re.compile(r"^(?P<figure>.*?\d.*?)\s*\(\s*(?P<period>(?:19|20)\d{2})\s*\)$")
_YEAR = re.compile(r"(?<![\d])((?:19|20)\d{2})(?:(?:0[1-9]|1[0-2]))?(?![\d])")
SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹⁰"
# a mark ends the text; "m²", "km²", "m³" end in a unit, not a mark
_MARKS = re.compile(rf"(?<!\bm)(?<!\bkm)(?<!\bcm)\s*(\[\d{{1,2}}\]|[{SUPERSCRIPTS}]+|\*{{1,3}})\s*$")
_SEX_NAMES = {"kvinnor": "K", "flickor": "K", "k": "K", "män": "M", "pojkar": "M", "m": "M", "totalt": "total", "samtliga": "total"}


@dataclass
class CellValue:
    """One printed figure of a cell, with what the cell says it is."""

    text: str
    sex: str = "all"  # all | K | M | total
    series: str | None = None
    period: str | None = None


@dataclass
class NameCell:
    name: str
    source: str | None = None
    qualitative: bool = False
    marks: list[str] = field(default_factory=list)


def is_figure(text: str) -> bool:
    """Whether a cell prints one figure (a number, not a word or a marker)."""
    if not text.strip():
        return False
    try:
        return parse(text).kind == "number"
    except FigureError:
        return False


def year_of(text: str) -> int | None:
    m = _YEAR.search(text)
    return int(m.group(1)) if m else None


def split_marks(text: str) -> tuple[str, list[str]]:
    """Footnote marks printed at the end of a text ("… besök ¹", "…vård[4]", "Sjukfrånvaro*")."""
    marks: list[str] = []
    while True:
        m = _MARKS.search(text)
        if not m or m.start() == 0:
            return text, marks[::-1]
        marks.append(m.group(1).strip("[]"))
        text = text[: m.start()].rstrip()


def name_cell(text: str, vocab: Vocabulary) -> NameCell:
    """An indicator's name cell: the name, and what is printed beside it."""
    flat = " ".join(text.split())
    qualitative = bool(re.search(r"kvalitativ|\bja/(?:delvis/)?nej\b", flat, re.IGNORECASE))
    for mark in vocab.words("qualitative_marks"):
        flat = re.sub(mark, " ", flat, flags=re.IGNORECASE)
    source = None
    words = "|".join(vocab.words("source_in_name"))
    m = re.search(rf"\(?\b(?:{words})\s*:\s*(?P<source>[^)]+?)\)?\s*$", flat, re.IGNORECASE)
    if m:
        source = m["source"].strip(" .;")
        flat = flat[: m.start()]
    flat = " ".join(flat.split()).strip(" ,;")
    name, marks = split_marks(flat)
    return NameCell(name.rstrip(" ,;") or flat, source or None, qualitative, marks)


def cell_values(text: str) -> list[CellValue]:
    """The figures of a value cell: "51 % M: 60 % K:45 %" → total 51 %, M 60 %, K 45 %;
    "RVN: 68 Riket: 72" → two series; "2023: K 84 %, M 86 %" → a period and K/M.
    A cell that is one figure or word is that value (sex all)."""
    flat = " ".join(text.replace("\u00a0", " ").split())
    if not flat:
        return []
    period = None
    m = _PERIOD_TAG.match(flat)
    if m:
        period, flat = m["period"] + (f"-{m['t'].upper()}" if m["t"] else ""), flat[m.end():]
    else:
        m = _YEAR_AFTER.match(flat)
        if m:
            period, flat = m["period"], m["figure"]
    tags = list(_SEX_TAG.finditer(flat))
    if tags:
        return _tagged(flat, tags, period, sex=True)
    series = list(_SERIES_TAG.finditer(flat))
    if len(series) >= 2 or (series and series[0].start() == 0):
        return _tagged(flat, series, period, sex=False)
    return [CellValue(flat, period=period)]


def _tagged(flat: str, tags: list[re.Match[str]], period: str | None, sex: bool) -> list[CellValue]:
    out: list[CellValue] = []
    lead = flat[: tags[0].start()].strip(" ,;")
    if lead:
        out.append(CellValue(lead, sex="total" if sex else "all", period=period))
    for i, tag in enumerate(tags):
        end = tags[i + 1].start() if i + 1 < len(tags) else len(flat)
        figure = flat[tag.end():end].strip(" ,;")
        if sex:
            out.append(CellValue(figure, sex=_SEX_NAMES[tag.group(1).lower()], period=period))
        else:
            out.append(CellValue(figure, series=tag.group(1), period=period))
    return out


def header_sex(text: str, vocab: Vocabulary) -> str | None:
    flat = normalize(text)
    for sex in ("K", "M", "total"):
        if vocab.pattern("sex", sex).match(flat):
            return sex
    return None


_PERIOD_WORDS = (r"(?<![\wåäö])(?:helår|delår|tertial\s*[1-3]?|(?:per|t\.?\s?o\.?\s?m\.?)\s+(?:\d{1,2}\s+)?[a-zåäö]+"
                 r"|(?:jan(?:uari)?|feb(?:ruari)?|mar(?:s)?|apr(?:il)?|maj|jun(?:i)?|jul(?:i)?|aug(?:usti)?|sep(?:tember)?|okt(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
                 r"(?:\s*[-–]\s*[a-zåäö]+)?|(?:19|20)\d{2}-\d{2}-\d{2})(?![\wåäö])")


def header_role(text: str, vocab: Vocabulary) -> tuple[str | None, str]:
    """(column kind, the header without its period) for an indicator-table header."""
    flat = normalize(text)
    flat = re.sub(_PERIOD_WORDS, " ", flat)
    bare = normalize(_YEAR.sub(" ", re.sub(r"\b(?:t[1-3]|då\s?0?[48]|q[1-4])\b", " ", flat)))
    bare = re.sub(r"(?:\s*\(.*\)|\s*%|\s+år)$", "", bare).strip(" ,")
    for kind in ("name", "success_factor", "goal", "source", "follow_up", "unit", "assessment"):
        if vocab.pattern("columns", kind).match(bare) or vocab.pattern("columns", kind).match(flat):
            return kind, bare
    for kind in ("outcome", "target", "baseline"):
        if vocab.pattern("columns", kind).match(bare):
            return kind, bare
    return None, bare


def header_period(text: str) -> str | None:
    """The period a header names: "Utfall 2021" → "2021", "Mål 2022-T1", "202204" → "2022-04", "T1 2022" → "2022-T1"."""
    flat = " ".join(text.split())
    m = re.search(r"(?<!\d)((?:19|20)\d{2})(0[1-9]|1[0-2])(?!\d)", flat)
    if m:
        return f"{m.group(1)}-{m.group(2)}"
    year = year_of(flat)
    if year is None:
        return None
    tertial = re.search(r"\bT([1-3])\b", flat)
    if tertial:
        return f"{year}-T{tertial.group(1)}"
    return str(year)
