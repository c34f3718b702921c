"""Plan versions → a few normalized pandas frames that every check works on at once.

- plans:       one row per plan version (plan_key is its position in the run)
- indicators:  one row per indicator
- values:      long form, one row per printed value (role × period × series × sex)
- tables, cells, row_sums, column_sums, derived: tables in long form and their declared structure
- waivers:     declared exceptions, one row per (element, rule)

Every printed figure keeps its text, parsed number, printed decimals and unit; every element
keeps its line in the plan file and its line or page in the source document.

Each plan version first becomes a `Fragment` (row tuples per frame, without plan_key): cheap to
make in a worker process and to cache by file content. `assemble` turns fragments into frames.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from plankoll.figures import parse
from plankoll.loader import LoadedPlan
from plankoll.model import Cell, Column, cell_ocr, cell_text

_YEAR = re.compile(r"(?<!\d)(19\d{2}|20\d{2}|21\d{2})(?:0[1-9]|1[0-2])?(?!\d)")

FIGURE_COLUMNS = ("text", "ocr", "kind", "number", "decimals", "unit", "comparator", "word")
LOCATION = ("file_line", "src_line", "src_page", "doc_table", "doc_row", "doc_column", "doc_sheet", "doc_cell")

# Column order of each frame's rows in a fragment (plan_key comes first in every frame).
COLUMNS: dict[str, tuple[str, ...]] = {
    "plans": ("file", "plan_id", "organisation", "body", "body_kind", "document", "title", "first_year", "last_year",
              "report_period", "version_label", "status", "adopted", "document_id", "source_document", "ocr", "follow_up",
              "source_title", "source_url"),
    "indicators": ("indicator_id", "name", "path", "unit", "kind", "about_people", "source", "follow_up", "n_values", *LOCATION),
    "values": ("indicator_id", "value_pos", "role", "period", "year", "series", "sex", *FIGURE_COLUMNS, *LOCATION),
    "tables": ("table_id", "title", "unit", "indicator_id", "indicator_column", "n_rows", "n_columns", *LOCATION),
    "cells": ("table_id", "row_id", "row_label", "row_pos", "column", "col_pos", "text_column", *FIGURE_COLUMNS, *LOCATION),
    "row_sums": ("table_id", "total_row", "part_row"),
    "column_sums": ("table_id", "total_column", "part_column"),
    "derived": ("table_id", "kind", "column", "new", "old", "numerator", "denominator"),
    "waivers": ("scope", "indicator_id", "table_id", "row_id", "rule", "reason", "file_line"),
}

# frame name → its columns (in COLUMNS order), each a tuple of the version's values
Fragment = dict[str, list[tuple[Any, ...]]]


@dataclass
class Frames:
    plans: Any
    indicators: Any
    values: Any
    tables: Any
    cells: Any
    row_sums: Any
    column_sums: Any
    derived: Any
    waivers: Any
    # what several rules derive from the same frames (check kinds memoise here; a selection gets its own)
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


def year_of(period: str | None) -> int | None:
    if not period:
        return None
    m = _YEAR.search(period)
    return int(m.group(1)) if m else None


@lru_cache(maxsize=65536)
def _figure(text: str) -> tuple[Any, ...]:
    fig = parse(text)
    return (fig.kind, fig.value, fig.decimals, fig.unit, fig.comparator, fig.word)


def _cell(cell: Cell) -> tuple[Any, ...]:
    text = cell_text(cell)
    return (text, cell_ocr(cell), *_figure(text))


_TEXT_CELL = ("text", None, None, None, None, None)


def fragment(item: LoadedPlan) -> Fragment:
    """The rows one plan version contributes to each frame."""
    pv, locate = item.plan, item.locate
    p = pv.plan
    out: Fragment = {name: [] for name in COLUMNS}
    plans, inds, vals, waivs = out["plans"], out["indicators"], out["values"], out["waivers"]

    def waivers(scope: str, indicator: str | None, table: str | None, row: str | None, declared: dict[str, str], at: tuple[Any, ...]) -> None:
        for rule, reason in declared.items():
            waivs.append((scope, indicator, table, row, rule, reason, locate.get((*at, "waivers", rule)).line))

    plans.append((item.file, p.id, p.organisation, p.body, p.body_kind.value, p.document.value, p.title, p.period.first,
                  p.period.last, p.report_period, p.version.label, p.version.status.value,
                  p.version.adopted.isoformat() if p.version.adopted else None, p.version.document_id, p.source.document,
                  p.source.ocr, p.follow_up.text if p.follow_up else None, p.source.title, p.source.url))
    waivers("plan", None, None, None, p.waivers, ("plan",))
    for i, ind in enumerate(pv.indicators):
        _indicator_rows(ind, ("indicators", i), locate, inds, vals)
        if ind.waivers:
            waivers("indicator", ind.id, None, None, ind.waivers, ("indicators", i))
    for t, table in enumerate(pv.tables):
        _table_rows(table, ("tables", t), locate, out, waivers)
    # column-major, so that assembling many versions only concatenates
    columns: Fragment = {name: (list(zip(*rows, strict=True)) if rows else [()] * len(COLUMNS[name])) for name, rows in out.items()}
    # what an importer could not interpret travels with the version (and its cache entry)
    columns["notices"] = [_notice(n) for n in item.notices]  # type: ignore[assignment]
    columns["evidence"] = dict(item.evidence)  # type: ignore[assignment]
    return columns


def _notice(notice: Any) -> dict[str, Any]:
    return {"code": notice.code, "params": dict(notice.params), "location": notice.location.as_dict()}


def _indicator_rows(ind: Any, at: tuple[Any, ...], locate: Any, inds: list[tuple[Any, ...]], vals: list[tuple[Any, ...]]) -> None:
    line, *doc = locate.place(at)
    inds.append((ind.id, ind.name, " › ".join(ind.path), ind.unit, ind.kind, ind.about_people, ind.source, ind.follow_up,
                 len(ind.values), line, ind.line, ind.page, *doc))
    for j, val in enumerate(ind.values):
        src_line = val.line if val.line is not None else (ind.line if val.page is None else None)
        src_page = val.page if val.page is not None else (ind.page if val.line is None else None)
        # periods and series repeat across thousands of rows: one string object each saves memory
        role, year = val.role.value, year_of(val.period)
        period = sys.intern(val.period) if val.period is not None else None
        series = sys.intern(val.series) if val.series is not None else None
        for sex, cell in (("all", val.value), ("K", val.K), ("M", val.M), ("total", val.total)):
            if cell is not None:
                place = locate.place((*at, "values", j, "value" if sex == "all" else sex))
                vals.append((ind.id, j, role, period, year, series, sex, *_cell(cell), place[0], src_line, src_page, *place[1:]))


def _table_rows(table: Any, at: tuple[Any, ...], locate: Any, out: Fragment, waivers: Any) -> None:
    names = [c if isinstance(c, str) else c.name for c in table.columns]
    text_cols = {c.name for c in table.columns if isinstance(c, Column) and c.text}
    line, *doc = locate.place(at)
    out["tables"].append((table.id, table.title, table.unit, table.indicator, table.indicator_column, len(table.rows), len(names),
                          line, table.line, table.page, *doc))
    if table.waivers:
        waivers("table", None, table.id, None, table.waivers, at)
    cells = out["cells"]
    for r, row in enumerate(table.rows):
        if row.waivers:
            waivers("row", None, table.id, row.id, row.waivers, (*at, "rows", r))
        src_line = row.line if row.line is not None else (table.line if row.page is None else None)
        src_page = row.page if row.page is not None else (table.page if row.line is None else None)
        for c, cell in enumerate(row.values):
            column = names[c]
            is_text = column in text_cols
            figure = (cell_text(cell), cell_ocr(cell), *_TEXT_CELL) if is_text else _cell(cell)
            place = locate.place((*at, "rows", r, "values", c))
            cells.append((table.id, row.id, row.label, r, column, c, is_text, *figure, place[0], src_line, src_page, *place[1:]))
        out["row_sums"].extend((table.id, row.id, part) for part in row.sum_of)
    out["column_sums"].extend((table.id, s.column, part) for s in table.column_sums for part in s.sum_of)
    out["derived"].extend((table.id, d.kind, d.column, d.new, d.old, d.numerator, d.denominator) for d in table.derived)


def assemble(fragments: list[Fragment], first_key: int = 0) -> Frames:
    """One frame per kind from the fragments of all plan versions, held to the frames' contract (`plankoll.schemas`).

    Besides plan_key, every indicator gets an integer `ind_key` (unique in the run) that its
    values carry too, and every table a `tab_key` that its cells and declared structure carry:
    joins on integers instead of (plan_key, id string) pairs are what keeps the checks fast.

    The fragments are consumed: their rows are released as each frame is built.
    """
    from itertools import chain

    import numpy as np

    from plankoll import schemas

    built = {}
    keys = np.arange(first_key, first_key + len(fragments))
    owners: dict[str, Any] = {}  # "indicator_id" / "table_id" → index of (plan_key, id) → key
    for name, columns in COLUMNS.items():
        counts = [len(f[name][0]) for f in fragments]
        data: dict[str, Any] = {"plan_key": np.repeat(keys, counts)}
        for c, column in enumerate(columns):
            data[column] = list(chain.from_iterable(f[name][c] for f in fragments))
        for f in fragments:
            f[name] = None  # the frame now holds these rows; free them before building the next
        if name in ("indicators", "tables"):
            id_col, key_col = ("indicator_id", "ind_key") if name == "indicators" else ("table_id", "tab_key")
            data[key_col] = np.arange(len(data["plan_key"]), dtype=np.int64)
            owners[id_col] = _pair_index(data["plan_key"], data[id_col])
        elif name in ("values", "cells", "row_sums", "column_sums", "derived"):
            id_col, key_col = ("indicator_id", "ind_key") if name == "values" else ("table_id", "tab_key")
            data[key_col] = _pair_keys(owners[id_col], data["plan_key"], data[id_col])
        built[name] = schemas.frame(name, data)
        del data
    return Frames(**built)


def _pair_index(plan_keys: Any, ids: list[str]) -> tuple[Any, Any]:
    """What `_pair_keys` needs to find the row of (plan_key, id) among these rows."""
    import pandas as pd

    codes, uniques = pd.factorize(pd.Index(ids, dtype=object), sort=False)
    width = max(len(uniques), 1)
    return pd.Index(uniques), pd.Index(plan_keys.astype("int64") * width + codes), width


def _pair_keys(owner: tuple[Any, Any, int], plan_keys: Any, ids: list[str]) -> Any:
    """The key of the owning row (indicator or table) of each (plan_key, id); -1 where there is none."""
    import numpy as np

    uniques, combined, width = owner
    codes = uniques.get_indexer(ids) if len(ids) else np.zeros(0, dtype=np.int64)
    pos = combined.get_indexer(plan_keys.astype("int64") * width + codes)
    return np.where(codes < 0, -1, pos).astype(np.int64)


def build(loaded: list[LoadedPlan], first_key: int = 0) -> Frames:
    return assemble([fragment(item) for item in loaded], first_key)
