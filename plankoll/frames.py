"""Plan versions → a few normalized pandas frames that every check works on at once.

- plans:       one row per plan version (plan_key is its position in the run)
- indicators:  one row per indicator
- values:      long form, one row per printed value (role × period × series × sex)
- tables, cells, row_sums, column_sums, derived: tables in long form and their declared structure
- waivers:     declared exceptions, one row per (element, rule)

Every printed figure keeps its text, parsed number, printed decimals and unit; every element
keeps its line in the plan file and its line or page in the source document.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import pandas as pd

from plankoll.figures import parse
from plankoll.loader import LoadedPlan
from plankoll.model import Cell, Column, cell_ocr, cell_text

# A year alone ("2020", "2022-T1") or with its month as the seeds print it ("201808").
_YEAR = re.compile(r"(?<!\d)(19\d{2}|20\d{2}|21\d{2})(?:0[1-9]|1[0-2])?(?!\d)")

FIGURE_COLUMNS = ("text", "ocr", "kind", "number", "decimals", "unit", "comparator", "word")


@dataclass
class Frames:
    plans: pd.DataFrame
    indicators: pd.DataFrame
    values: pd.DataFrame
    tables: pd.DataFrame
    cells: pd.DataFrame
    row_sums: pd.DataFrame
    column_sums: pd.DataFrame
    derived: pd.DataFrame
    waivers: pd.DataFrame


def year_of(period: str | None) -> int | None:
    if not period:
        return None
    m = _YEAR.search(period)
    return int(m.group(1)) if m else None


def _lines(node: Any, key: Any) -> int | None:
    try:
        return node.lines[key]
    except (AttributeError, KeyError, IndexError, TypeError):
        return None


def _figure(cols: dict[str, list[Any]], cell: Cell) -> None:
    text = cell_text(cell)
    fig = parse(text)
    cols["text"].append(text)
    cols["ocr"].append(cell_ocr(cell))
    cols["kind"].append(fig.kind)
    cols["number"].append(fig.value)
    cols["decimals"].append(fig.decimals)
    cols["unit"].append(fig.unit)
    cols["comparator"].append(fig.comparator)
    cols["word"].append(fig.word)


def build(loaded: list[LoadedPlan], first_key: int = 0) -> Frames:
    plans: dict[str, list[Any]] = defaultdict(list)
    inds: dict[str, list[Any]] = defaultdict(list)
    vals: dict[str, list[Any]] = defaultdict(list)
    tabs: dict[str, list[Any]] = defaultdict(list)
    cells: dict[str, list[Any]] = defaultdict(list)
    rsums: dict[str, list[Any]] = defaultdict(list)
    csums: dict[str, list[Any]] = defaultdict(list)
    ders: dict[str, list[Any]] = defaultdict(list)
    waivs: dict[str, list[Any]] = defaultdict(list)

    def waivers(key: int, scope: str, indicator: str | None, table: str | None, row: str | None,
                declared: dict[str, str], node: Any) -> None:
        wnode = node.get("waivers") if isinstance(node, dict) else None
        for rule, reason in declared.items():
            waivs["plan_key"].append(key)
            waivs["scope"].append(scope)
            waivs["indicator_id"].append(indicator)
            waivs["table_id"].append(table)
            waivs["row_id"].append(row)
            waivs["rule"].append(rule)
            waivs["reason"].append(reason)
            waivs["file_line"].append(_lines(wnode, rule))

    for offset, item in enumerate(loaded):
        key = first_key + offset
        pv, doc = item.plan, item.document
        p = pv.plan
        plans["plan_key"].append(key)
        plans["file"].append(item.file)
        plans["plan_id"].append(p.id)
        plans["organisation"].append(p.organisation)
        plans["body"].append(p.body)
        plans["body_kind"].append(p.body_kind.value)
        plans["document"].append(p.document.value)
        plans["title"].append(p.title)
        plans["first_year"].append(p.period.first)
        plans["last_year"].append(p.period.last)
        plans["report_period"].append(p.report_period)
        plans["version_label"].append(p.version.label)
        plans["status"].append(p.version.status.value)
        plans["adopted"].append(p.version.adopted.isoformat() if p.version.adopted else None)
        plans["document_id"].append(p.version.document_id)
        plans["source_document"].append(p.source.document)
        plans["ocr"].append(p.source.ocr)
        plans["follow_up"].append(p.follow_up.text if p.follow_up else None)
        waivers(key, "plan", None, None, None, p.waivers, doc.get("plan"))

        ind_nodes = doc.get("indicators") or []
        for i, ind in enumerate(pv.indicators):
            node = ind_nodes[i]
            inds["plan_key"].append(key)
            inds["indicator_id"].append(ind.id)
            inds["name"].append(ind.name)
            inds["path"].append(" › ".join(ind.path))
            inds["unit"].append(ind.unit)
            inds["kind"].append(ind.kind)
            inds["about_people"].append(ind.about_people)
            inds["source"].append(ind.source)
            inds["follow_up"].append(ind.follow_up)
            inds["n_values"].append(len(ind.values))
            inds["file_line"].append(_lines(ind_nodes, i))
            inds["src_line"].append(ind.line)
            inds["src_page"].append(ind.page)
            waivers(key, "indicator", ind.id, None, None, ind.waivers, node)
            val_nodes = node.get("values") or []
            for j, val in enumerate(ind.values):
                vnode = val_nodes[j]
                for sex in ("value", "K", "M", "total"):
                    cell = getattr(val, sex)
                    if cell is None:
                        continue
                    vals["plan_key"].append(key)
                    vals["indicator_id"].append(ind.id)
                    vals["value_pos"].append(j)
                    vals["role"].append(val.role.value)
                    vals["period"].append(val.period)
                    vals["year"].append(year_of(val.period))
                    vals["series"].append(val.series)
                    vals["sex"].append("all" if sex == "value" else sex)
                    _figure(vals, cell)
                    vals["file_line"].append(_lines(vnode, sex) or _lines(val_nodes, j))
                    vals["src_line"].append(val.line if val.line is not None else (ind.line if val.page is None else None))
                    vals["src_page"].append(val.page if val.page is not None else (ind.page if val.line is None else None))

        tab_nodes = doc.get("tables") or []
        for t, table in enumerate(pv.tables):
            node = tab_nodes[t]
            names = [c if isinstance(c, str) else c.name for c in table.columns]
            text_cols = {c.name for c in table.columns if isinstance(c, Column) and c.text}
            tabs["plan_key"].append(key)
            tabs["table_id"].append(table.id)
            tabs["title"].append(table.title)
            tabs["unit"].append(table.unit)
            tabs["indicator_id"].append(table.indicator)
            tabs["indicator_column"].append(table.indicator_column)
            tabs["n_rows"].append(len(table.rows))
            tabs["n_columns"].append(len(names))
            tabs["file_line"].append(_lines(tab_nodes, t))
            tabs["src_line"].append(table.line)
            tabs["src_page"].append(table.page)
            waivers(key, "table", None, table.id, None, table.waivers, node)
            row_nodes = node.get("rows") or []
            for r, row in enumerate(table.rows):
                rnode = row_nodes[r]
                waivers(key, "row", None, table.id, row.id, row.waivers, rnode)
                cell_nodes = rnode.get("values") or []
                for c, cell in enumerate(row.values):
                    column = names[c]
                    cells["plan_key"].append(key)
                    cells["table_id"].append(table.id)
                    cells["row_id"].append(row.id)
                    cells["row_label"].append(row.label)
                    cells["row_pos"].append(r)
                    cells["column"].append(column)
                    cells["col_pos"].append(c)
                    cells["text_column"].append(column in text_cols)
                    if column in text_cols:
                        plain = (cell_text(cell), cell_ocr(cell), "text", None, None, None, None, None)
                        for name, v in zip(FIGURE_COLUMNS, plain, strict=True):
                            cells[name].append(v)
                    else:
                        _figure(cells, cell)
                    cells["file_line"].append(_lines(cell_nodes, c) or _lines(row_nodes, r))
                    cells["src_line"].append(row.line if row.line is not None else (table.line if row.page is None else None))
                    cells["src_page"].append(row.page if row.page is not None else (table.page if row.line is None else None))
                for part in row.sum_of:
                    rsums["plan_key"].append(key)
                    rsums["table_id"].append(table.id)
                    rsums["total_row"].append(row.id)
                    rsums["part_row"].append(part)
            for colsum in table.column_sums:
                for part in colsum.sum_of:
                    csums["plan_key"].append(key)
                    csums["table_id"].append(table.id)
                    csums["total_column"].append(colsum.column)
                    csums["part_column"].append(part)
            for d in table.derived:
                ders["plan_key"].append(key)
                ders["table_id"].append(table.id)
                ders["kind"].append(d.kind)
                ders["column"].append(d.column)
                ders["new"].append(d.new)
                ders["old"].append(d.old)
                ders["numerator"].append(d.numerator)
                ders["denominator"].append(d.denominator)

    from plankoll import schemas

    return Frames(
        plans=schemas.frame("plans", plans),
        indicators=schemas.frame("indicators", inds),
        values=schemas.frame("values", vals),
        tables=schemas.frame("tables", tabs),
        cells=schemas.frame("cells", cells),
        row_sums=schemas.frame("row_sums", rsums),
        column_sums=schemas.frame("column_sums", csums),
        derived=schemas.frame("derived", ders),
        waivers=schemas.frame("waivers", waivs),
    )
