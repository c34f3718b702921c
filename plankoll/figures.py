"""The one parser for figures as Swedish plans print them.

`parse("1 369 635")`, `parse("5,0 %")`, `parse("−11,2")`, `parse("Under 6,5 %")`, `parse("Öka")`,
`parse("Ny indikator")` → a `Figure` that keeps the value, the printed decimals, the unit and the
original text. Sums that respect rounding need the decimals: a figure printed with one decimal
stands for an interval of ± 0.05.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

NUMBER = "number"
DIRECTION = "direction"
LEVEL = "level"
MISSING = "missing"
TEXT = "text"
KINDS = (NUMBER, DIRECTION, LEVEL, MISSING, TEXT)


class FigureError(ValueError):
    """Text that looks like a figure but is not one."""


@dataclass(frozen=True, slots=True)
class Figure:
    text: str
    kind: str
    value: float | None = None
    decimals: int | None = None
    unit: str | None = None
    comparator: str | None = None
    word: str | None = None  # direction (increase/decrease/keep), level (ja/delvis/nej), missing reason

    @property
    def half_unit(self) -> float:
        """Half a unit of the last printed decimal: the rounding a printed figure may carry."""
        return 0.5 * 10.0 ** -(self.decimals or 0)


_SPACES = "\u0020\u00a0\u202f\u2009\u2007"
_MINUS = "\\-\u2212\u2013\u2012"  # escaped: inside a character class
_COMPARATOR_WORDS = {
    "under": "<", "över": ">", "mindre än": "<", "högst": "<=", "minst": ">=", "max": "<=", "min": ">=",
}
_COMPARATOR_SIGNS = {">": ">", "<": "<", "≥": ">=", "≤": "<=", ">=": ">=", "<=": "<="}
_DIRECTIONS = {
    "öka": "increase", "ökning": "increase", "ökande": "increase", "öka/bibehålla": "increase",
    "högre": "increase", "förbättring": "increase", "förbättra": "increase",
    "minska": "decrease", "minskad": "decrease", "ökad": "increase", "okad": "increase", "minskning": "decrease", "minskande": "decrease", "lägre": "decrease",
    "bibehålla": "keep", "behålla": "keep", "oförändrat": "keep", "följa": "follow",
    # OCR loses diacritics (DOMAIN.md): the seeds print "Oka" for "Öka", "Folja" for "Följa".
    "oka": "increase", "okning": "increase", "okande": "increase", "forbattring": "increase",
    "folja": "follow",
}
_LEVELS = {"ja": "ja", "delvis": "delvis", "nej": "nej"}
_LEVEL_PHRASES = {"finns ej": "nej", "finns inte": "nej", "finns": "ja"}
_MATCH_PHRASES = ("i nivå med", "i niva med", "samma nivå som", "i paritet med")
_NEW = ("nytt mått", "ny indikator", "nytt styrmått", "nytt kontrollmått", "ny", "nytt", "nytt matt", "nytt métt")
_NONE = ("saknas", "uppgift saknas", "ej tillgängligt", "ej mätbart", "ingen uppgift")
_DASHES = {"-", "–", "—", "−", "--"}

_number_re = re.compile(
    rf"""^
    (?P<cmp>(?:>=|<=|[<>≥≤])\s*|(?:under|över|mindre\s+än|högst|minst|max|min)\s+)?
    (?P<sign>[+{_MINUS}])?\s*
    (?P<int>\d{{1,3}}(?:[{_SPACES}]\d{{3}})+|\d+)
    (?:,(?P<dec>\d+))?
    \s*(?P<unit>%|‰|[a-zåäö][a-zåäö0-9./ ]*?)?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
_looks_numeric_re = re.compile(rf"^(?:>=|<=|[<>≥≤+{_MINUS}])?\s*\d")


def _normalise(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


@lru_cache(maxsize=65536)
def parse(text: str | None) -> Figure:
    """Parse one printed cell. Raises FigureError for text that starts like a number but is not one."""
    original = "" if text is None else str(text)
    flat = _normalise(original)
    low = flat.lower()
    if flat == "" or flat in _DASHES:
        return Figure(original, MISSING, word="blank" if flat == "" else "dash")
    if low in _NEW:
        return Figure(original, MISSING, word="new")
    if low in _NONE:
        return Figure(original, MISSING, word="none")
    if flat.startswith("(") and flat.endswith(")") and flat.count("(") == 1:
        # Swedish plans print a breakdown or comparison figure in parentheses ("K: (701)"), not a negative.
        inner = parse(flat[1:-1])
        return Figure(original, inner.kind, inner.value, inner.decimals, inner.unit, inner.comparator, inner.word)
    m = _number_re.match(flat)
    if m:
        digits = re.sub(rf"[{_SPACES}]", "", m["int"])
        dec = m["dec"] or ""
        value = float(f"{digits}.{dec}" if dec else digits)
        if m["sign"] and m["sign"] != "+":
            value = -value
        cmp_text = (m["cmp"] or "").strip().lower()
        comparator = _COMPARATOR_SIGNS.get(cmp_text) or _COMPARATOR_WORDS.get(" ".join(cmp_text.split()))
        unit = (m["unit"] or "").strip() or None
        return Figure(original, NUMBER, value=value, decimals=len(dec), unit=unit, comparator=comparator)
    if _looks_numeric_re.match(flat):
        raise FigureError(f"{original!r} starts like a number but is not a figure as Swedish plans print them")
    first = low.split(" ", 1)[0].rstrip(".,:;")
    for phrase in (low, first):
        if phrase in _DIRECTIONS:
            return Figure(original, DIRECTION, word=_DIRECTIONS[phrase])
    if first in _LEVELS:
        return Figure(original, LEVEL, word=_LEVELS[first])
    if low in _LEVEL_PHRASES:
        return Figure(original, LEVEL, word=_LEVEL_PHRASES[low])
    if low.startswith(_MATCH_PHRASES):
        return Figure(original, DIRECTION, word="match")
    return Figure(original, TEXT)


def format_number(value: float, decimals: int = 0) -> str:
    """A number in the notation Swedish plans print: '5 750,4', '−1,2'."""
    text = f"{abs(value):,.{max(decimals, 0)}f}".replace(",", " ").replace(".", ",")
    return ("−" if value < 0 and float(text.replace(" ", "").replace(",", ".")) != 0 else "") + text
