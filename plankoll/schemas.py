"""pandera schemas of the normalized frames: the contract every check kind relies on."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa

from plankoll.figures import KINDS

_S = "string"
_I = "Int64"
_F = "float64"
_B = "boolean"
_K = "int64"  # ind_key / tab_key: the row of the indicator or table in its frame (see frames.assemble)


def _col(dtype: str, nullable: bool = False, checks: list[pa.Check] | None = None) -> pa.Column:
    # no coercion: `frame` builds every column in its schema dtype, and pandera checks that it is
    return pa.Column(dtype, nullable=nullable, checks=checks, coerce=False)


def _figure_columns() -> dict[str, pa.Column]:
    return {
        "text": _col(_S),
        "ocr": _col(_S, nullable=True),
        "kind": _col(_S, checks=[pa.Check.isin(KINDS)]),
        "number": _col(_F, nullable=True),
        "decimals": _col(_I, nullable=True, checks=[pa.Check.ge(0)]),
        "unit": _col(_S, nullable=True),
        "comparator": _col(_S, nullable=True, checks=[pa.Check.isin([">", "<", ">=", "<="])]),
        "word": _col(_S, nullable=True),
    }


def _location() -> dict[str, pa.Column]:
    return {
        "file_line": _col(_I, nullable=True, checks=[pa.Check.ge(1)]),
        "src_line": _col(_I, nullable=True, checks=[pa.Check.ge(1)]),
        "src_page": _col(_I, nullable=True, checks=[pa.Check.ge(1)]),
        # where a document read directly places it: its table, row and column (1-based)
        "doc_table": _col(_I, nullable=True, checks=[pa.Check.ge(1)]),
        "doc_row": _col(_I, nullable=True, checks=[pa.Check.ge(1)]),
        "doc_column": _col(_I, nullable=True, checks=[pa.Check.ge(1)]),
        # read from a workbook directly: its sheet and cell ("Budget", "B14")
        "doc_sheet": _col(_S, nullable=True),
        "doc_cell": _col(_S, nullable=True),
    }


SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "plans": pa.DataFrameSchema(
        {
            "plan_key": _col(_I), "file": _col(_S), "plan_id": _col(_S), "organisation": _col(_S),
            "body": _col(_S), "body_kind": _col(_S), "document": _col(_S), "title": _col(_S),
            "first_year": _col(_I), "last_year": _col(_I), "report_period": _col(_S, True),
            "version_label": _col(_S), "status": _col(_S), "adopted": _col(_S, True),
            "document_id": _col(_S, True), "source_document": _col(_S), "ocr": _col(_B), "follow_up": _col(_S, True),
            "source_title": _col(_S, True), "source_url": _col(_S, True),
        },
        checks=[pa.Check(lambda df: df["first_year"] <= df["last_year"], error="plan period ends before it starts")],
        strict=True, unique=["plan_key"],
    ),
    "indicators": pa.DataFrameSchema(
        {
            "plan_key": _col(_I), "ind_key": _col(_K), "indicator_id": _col(_S), "name": _col(_S), "path": _col(_S),
            "unit": _col(_S, True), "kind": _col(_S, checks=[pa.Check.isin(["quantitative", "qualitative"])]),
            "about_people": _col(_B, True), "source": _col(_S, True), "follow_up": _col(_S, True),
            "n_values": _col(_I, checks=[pa.Check.ge(0)]),
            **_location(),
        },
        strict=True, unique=["plan_key", "indicator_id"],
        checks=[pa.Check(lambda df: df["ind_key"].is_unique, error="ind_key is not unique")],
    ),
    "values": pa.DataFrameSchema(
        {
            "plan_key": _col(_I), "ind_key": _col(_K, checks=[pa.Check.ge(0)]), "indicator_id": _col(_S), "value_pos": _col(_I),
            "role": _col(_S, checks=[pa.Check.isin(["baseline", "target", "outcome"])]),
            "period": _col(_S, True), "year": _col(_I, True), "series": _col(_S, True),
            "sex": _col(_S, checks=[pa.Check.isin(["all", "K", "M", "total"])]),
            **_figure_columns(), **_location(),
        },
        strict=True, unique=["plan_key", "indicator_id", "value_pos", "sex"],
    ),
    "tables": pa.DataFrameSchema(
        {
            "plan_key": _col(_I), "tab_key": _col(_K), "table_id": _col(_S), "title": _col(_S), "unit": _col(_S, True),
            "indicator_id": _col(_S, True), "indicator_column": _col(_S, True), "n_rows": _col(_I), "n_columns": _col(_I), **_location(),
        },
        strict=True, unique=["plan_key", "table_id"],
        checks=[pa.Check(lambda df: df["tab_key"].is_unique, error="tab_key is not unique")],
    ),
    "cells": pa.DataFrameSchema(
        {
            "plan_key": _col(_I), "tab_key": _col(_K, checks=[pa.Check.ge(0)]), "table_id": _col(_S), "row_id": _col(_S), "row_label": _col(_S),
            "row_pos": _col(_I), "column": _col(_S), "col_pos": _col(_I), "text_column": _col(_B),
            **_figure_columns(), **_location(),
        },
        strict=True, unique=["plan_key", "table_id", "row_id", "column"],
    ),
    "row_sums": pa.DataFrameSchema(
        {"plan_key": _col(_I), "tab_key": _col(_K, checks=[pa.Check.ge(0)]), "table_id": _col(_S), "total_row": _col(_S),
         "part_row": _col(_S)}, strict=True
    ),
    "column_sums": pa.DataFrameSchema(
        {"plan_key": _col(_I), "tab_key": _col(_K, checks=[pa.Check.ge(0)]), "table_id": _col(_S), "total_column": _col(_S),
         "part_column": _col(_S)}, strict=True
    ),
    "derived": pa.DataFrameSchema(
        {
            "plan_key": _col(_I), "tab_key": _col(_K, checks=[pa.Check.ge(0)]), "table_id": _col(_S),
            "kind": _col(_S, checks=[pa.Check.isin(["change_pct", "share_pct", "difference"])]),
            "column": _col(_S), "new": _col(_S, True), "old": _col(_S, True),
            "numerator": _col(_S, True), "denominator": _col(_S, True),
        },
        strict=True,
    ),
    "waivers": pa.DataFrameSchema(
        {
            "plan_key": _col(_I), "scope": _col(_S, checks=[pa.Check.isin(["plan", "indicator", "table", "row", "config"])]),
            "indicator_id": _col(_S, True), "table_id": _col(_S, True), "row_id": _col(_S, True),
            "rule": _col(_S), "reason": _col(_S), "file_line": _col(_I, True),
        },
        strict=True,
    ),
}


def _all_missing(values: Any) -> bool:
    if isinstance(values, list):
        return values.count(None) == len(values)  # counted in C
    return all(v is None for v in values)


def frame(name: str, columns: dict[str, Any]) -> pd.DataFrame:
    """Build a frame from column sequences (empty ones get every column) and validate it."""
    schema = SCHEMAS[name]
    data = {}
    for col, spec in schema.columns.items():
        values = columns.get(col, [])
        dtype = spec.dtype.type if spec.dtype else None
        if len(values) and _all_missing(values):
            # all missing (ocr, comparator, src_page are mostly): much faster than element-wise conversion
            data[col] = pd.array(np.full(len(values), None, dtype=object), dtype=dtype) if dtype in ("string", "boolean") else pd.array(
                np.full(len(values), np.nan), dtype=dtype)
        else:
            data[col] = pd.array(values, dtype=dtype)
    df = pd.DataFrame(data)
    return schema.validate(df, lazy=True)
