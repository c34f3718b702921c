"""Reading a layout table as the plan means it: an indicator table (one measure a row, its
baseline, targets, outcomes, source and follow-up by column) or a numeric table (rows of figures
with totals, subtotals and derived columns)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from plankoll.figures import FigureError, parse
from plankoll.layout import Cell, Location, Table

from .cells import FIGURE, header_period, header_role, header_sex, is_figure
from .vocab import Vocabulary, normalize

_YEARLIKE = re.compile(r"^(?:(?:19|20)\d{2}(?:0[1-9]|1[0-2])?|(?:19|20)\d{2}-(?:T[1-3]|\d{2}))$")
_ONE_FIGURE = re.compile(rf"^\s*(?:{FIGURE})\s*$")


@dataclass
class ColumnRole:
    """How an indicator-table column was read."""

    kind: str  # name | success_factor | goal | source | follow_up | unit | assessment | baseline | target | outcome | ignored
    header: str
    period: str | None = None
    sex: str | None = None
    series: str | None = None


@dataclass
class IndicatorLayout:
    header_rows: int
    columns: list[ColumnRole]
    name_column: int


def header_texts(table: Table, rows: int) -> list[str]:
    """Per column, its header text over the header rows, each spanned text once ("Periodens utfall K")."""
    out = []
    for c in range(table.width):
        parts: list[str] = []
        for r in range(rows):
            text = " ".join(table.rows[r][c].text.split())
            if text and (not parts or parts[-1] != text):
                parts.append(text)
        out.append(" ".join(parts))
    return out


def _is_sub_header(row: list[Cell], vocab: Vocabulary) -> bool:
    """A second header row: only sex words, periods or blanks (K | M | Totalt, 2023 | 2024)."""
    texts = [c.text.strip() for c in row if c.text.strip()]
    if not texts:
        return False
    return all(header_sex(t, vocab) or _YEARLIKE.match(t.replace(" ", "")) or header_role(t, vocab)[0] for t in texts) and any(
        c.origin for c in row if c.text.strip())


def indicator_layout(table: Table, vocab: Vocabulary, report: bool, year_default: str | None) -> IndicatorLayout | None:
    """The column roles of an indicator table, or None when the table is not one."""
    if len(table.rows) < 2 or table.width < 2:
        return None
    rows = table.header_rows or 1
    while rows < min(3, len(table.rows) - 1) and _is_sub_header(table.rows[rows], vocab):
        rows += 1
    tops = [" ".join(table.rows[0][c].text.split()) for c in range(table.width)]
    columns = [_column(tops[c], table, rows, c, vocab, report) for c in range(table.width)]
    names = [i for i, col in enumerate(columns) if col.kind == "name"]
    if not any(col.kind in ("baseline", "target", "outcome") for col in columns):
        return None
    if not names:
        names = _unnamed_name_column(table, columns, rows, vocab)
        if not names:
            return None
    for c, col in enumerate(columns):
        if col.kind == "target" and col.period is None and _all_text(table, rows, c):
            col.kind = "goal"  # "Mål | Styrmått | …" with goal statements in the column: the goal, not a target
        if col.kind == "target" and col.period is None:
            col.period = year_default
    if not any(col.kind in ("baseline", "target", "outcome") for col in columns):
        return None
    return IndicatorLayout(rows, columns, names[0])


def _all_text(table: Table, rows: int, c: int) -> bool:
    """Every printed cell of a column is prose (no figure, direction, level or marker) and most are long."""
    texts = [" ".join(row[c].text.split()) for row in table.rows[rows:] if row[c].text.strip()]
    if not texts:
        return False
    kinds = []
    for text in texts:
        try:
            kinds.append(parse(text).kind)
        except FigureError:
            kinds.append("number")
    return all(k == "text" for k in kinds) and sum(len(t) > 25 for t in texts) * 2 >= len(texts)


def _unnamed_name_column(table: Table, columns: list[ColumnRole], rows: int, vocab: Vocabulary) -> list[int]:
    """A table with target columns whose first column's header is no name word ("Mätpunkt",
    "Aktivitet", blank) still lists measures in that column — unless its rows are a budget's,
    with totals (then it is a table of figures)."""
    first = columns[0]
    if first.kind not in (None, "ignored") or not any(col.kind == "target" for col in columns):
        return []
    labels = [row[0].text for row in table.rows[rows:]]
    if any(is_total_label(label, vocab) for label in labels) or not any(label.strip() and not is_figure(label) for label in labels):
        return []
    first.kind = "name"
    return [0]


def _column(top: str, table: Table, rows: int, c: int, vocab: Vocabulary, report: bool) -> ColumnRole:
    subs = [" ".join(table.rows[r][c].text.split()) for r in range(1, rows)]
    kind, _bare = header_role(top, vocab)
    if kind is None and not top:
        kind = "ignored"
    sex = next((s for s in (header_sex(t, vocab) for t in subs) if s), None) or header_sex(top, vocab)
    period = header_period(top) or next((p for p in (header_period(t) for t in subs) if p), None)
    if kind == "baseline" and report and re.match(r"^(?:periodens\s+)?utfall|^resultat", normalize(top)):
        kind = "outcome"
    if kind in ("outcome",) and not report and not re.match(r"^periodens", normalize(top)):
        kind = "baseline"  # a plan prints past outcomes as where the measure starts from
    if kind is None:
        series = top
        parent = _spanning_parent(table, c)
        if parent is not None:
            kind, _ = header_role(parent, vocab)
            if kind in ("baseline", "target", "outcome"):
                return ColumnRole(kind, f"{parent} {top}", header_period(parent) or header_period(top), sex, None if sex else series)
        return ColumnRole("ignored", top)
    return ColumnRole(kind, " ".join(dict.fromkeys(t for t in [top, *subs] if t)), period, sex)


def _spanning_parent(table: Table, c: int) -> str | None:
    """A header above this one in an earlier row that spans it (when the first row is not the role row)."""
    for r in range(len(table.rows)):
        cell = table.rows[r][c]
        if not cell.origin and cell.text.strip():
            return cell.text
    return None


def indicator_listing(table: Table, vocab: Vocabulary) -> IndicatorLayout | None:
    """A table that names measures but prints no figures for them: an appendix of indicators and
    their sources, or a one-column list of (qualitative) measures under a name header."""
    if len(table.rows) < 2:
        return None
    columns = [_column(" ".join(table.rows[0][c].text.split()), table, 1, c, vocab, False) for c in range(table.width)]
    names = [i for i, col in enumerate(columns) if col.kind == "name"]
    if not names or any(col.kind in ("baseline", "target", "outcome") for col in columns):
        return None
    rest = [col.kind for i, col in enumerate(columns) if i != names[0]]
    if rest and not any(kind in ("source", "follow_up", "unit") for kind in rest):
        return None
    return IndicatorLayout(1, columns, names[0])


# --- numeric tables -------------------------------------------------------------------------------

@dataclass
class NumericLayout:
    header_rows: int
    label_columns: list[int]
    value_columns: list[int]
    names: list[str]  # header of each value column
    text_columns: set[int] = field(default_factory=set)


def _figure_or_missing(text: str) -> bool | None:
    """True for a figure, None for blank or a missing marker, False for anything else."""
    if not text.strip():
        return None
    try:
        kind = parse(text).kind
    except FigureError:
        return False
    return True if kind == "number" else (None if kind == "missing" else False)


def _header_row(row: list[Cell]) -> bool:
    rest = [c.text.strip() for c in row[1:] if c.text.strip()]
    if not rest:
        return False
    return all(not is_figure(t) or _YEARLIKE.match(t.replace(" ", "")) for t in rest)


def numeric_layout(table: Table) -> NumericLayout | None:
    """Where the labels, the figures and the header are, or None when the table holds no figures."""
    if len(table.rows) < 2 or table.width < 2:
        return None
    rows = table.header_rows or (1 if _header_row(table.rows[0]) else 0)
    while rows and rows < len(table.rows) - 1 and _header_row(table.rows[rows]) and not any(is_figure(c.text) and not _YEARLIKE.match(
            c.text.replace(" ", "")) for c in table.rows[rows][1:]) and not any(c.text.strip() and c.origin for c in table.rows[rows][:1]):
        rows += 1
    if rows == 0:
        return None
    body = table.rows[rows:]
    kinds = [[_figure_or_missing(row[c].text) if row[c].origin or c == 0 else None for row in body] for c in range(table.width)]
    numeric = [c for c in range(table.width) if any(k is True for k in kinds[c]) and sum(k is False for k in kinds[c]) <= len(body) // 10]
    while numeric and numeric[0] == 0 and _years_only(body, 0):
        # a leading column of years labels its rows (a time series), it is not a figure to add
        numeric = [c for c in numeric[1:] if not (c == numeric[0] + 1 and _years_only(body, c) and False)]
        kinds[0] = [False] * len(body)
        numeric = [c for c in numeric if c != 0]
        break
    if not numeric:
        return None
    labels = [c for c in range(table.width) if c < numeric[0]]
    values = [c for c in range(table.width) if c >= (numeric[0] if labels else 1) and c not in labels]
    if not labels:
        labels, values = [0], [c for c in range(1, table.width)]
        if 0 in numeric:
            return None
    names = _unique(header_texts(table, rows)[c] or f"kolumn {c + 1}" for c in values)
    headers = header_texts(table, rows)
    # a note-reference column ("Not 3") beside the figures of an annual report is no figure
    text_columns = {c for c in values if c not in numeric or re.fullmatch(r"(?i)not(?:er)?|nr|ref", headers[c].strip())}
    return NumericLayout(rows, labels, values, names, text_columns)


def _years_only(body: list[list[Cell]], c: int) -> bool:
    texts = [row[c].text.strip() for row in body if row[c].text.strip()]
    return bool(texts) and all(_YEARLIKE.match(t.replace(" ", "")) for t in texts)


def _unique(names: object) -> list[str]:
    out: list[str] = []
    for name in names:  # type: ignore[attr-defined]
        candidate, n = name, 2
        while candidate in out:
            candidate, n = f"{name} ({n})", n + 1
        out.append(candidate)
    return out


def is_total_label(label: str, vocab: Vocabulary) -> bool:
    words = "|".join(vocab.words("total_labels"))
    flat = normalize(label)
    return bool(re.match(rf"^(?:{words})\b", flat) or re.search(rf"\b(?:{words})$", flat))


def is_part_of_above(label: str, vocab: Vocabulary) -> bool:
    words = "|".join(vocab.words("part_of_above"))
    return bool(re.match(rf"^(?:{words})\b", normalize(label)))


def location_of(cell: Cell) -> Location:
    return cell.location
