"""The contract of the normalized frames, which every check kind relies on: each frame's columns,
their dtypes, what may be missing, the allowed values and the keys that are unique.

The contract is data (`CONTRACT`), and two backends hold a frame to it, as pandera keeps a schema
apart from the backends that run it:

- `pandera_schemas()`: the contract as pandera `DataFrameSchema`s, the reference. The tests
  validate every frame they build with it (`PLANKOLL_PANDERA=1`, set by tox), and
  `tests/test_schemas.py` shows that both backends accept and reject the same frames.
- `violations()`: the same checks in a few vectorized numpy operations per column, which every
  run uses. Importing pandera and registering its backends takes longer than checking a
  one-version plan (issue 16), and its per-column machinery costs more than the checks on a small
  frame; the contract is the same.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from plankoll.figures import KINDS

_S = "string"  # Arrow-backed (pyarrow is a dependency): a third of the memory, comparisons in native code
# A file's name may hold bytes that are not UTF-8 (as lone surrogates), which Arrow refuses:
# the columns that name files keep Python's strings (one value a plan version)
_P = "string[python]"
_I = "Int64"
_F = "float64"
_B = "boolean"
_K = "int64"  # ind_key / tab_key: the row of the indicator or table in its frame (see frames.assemble)


@dataclass(frozen=True)
class Col:
    dtype: str
    nullable: bool = False
    isin: tuple[str, ...] | None = None  # the only values allowed
    ge: int | None = None  # the least value allowed


@dataclass(frozen=True)
class FrameContract:
    columns: dict[str, Col]
    unique: tuple[str, ...] = ()  # these columns together identify a row
    unique_each: tuple[str, ...] = ()  # each of these columns is unique on its own
    ordered: tuple[str, str] | None = None  # first <= second on every row


def _figure_columns() -> dict[str, Col]:
    return {
        "text": Col(_S),
        "ocr": Col(_S, nullable=True),
        "kind": Col(_S, isin=KINDS),
        "number": Col(_F, nullable=True),
        "decimals": Col(_I, nullable=True, ge=0),
        "unit": Col(_S, nullable=True),
        "comparator": Col(_S, nullable=True, isin=(">", "<", ">=", "<=")),
        "word": Col(_S, nullable=True),
    }


def _location() -> dict[str, Col]:
    return {
        "file_line": Col(_I, nullable=True, ge=1),
        "src_line": Col(_I, nullable=True, ge=1),
        "src_page": Col(_I, nullable=True, ge=1),
        # where a document read directly places it: its table, row and column (1-based)
        "doc_table": Col(_I, nullable=True, ge=1),
        "doc_row": Col(_I, nullable=True, ge=1),
        "doc_column": Col(_I, nullable=True, ge=1),
        # read from a workbook directly: its sheet and cell ("Budget", "B14")
        "doc_sheet": Col(_S, nullable=True),
        "doc_cell": Col(_S, nullable=True),
    }


CONTRACT: dict[str, FrameContract] = {
    "plans": FrameContract(
        {
            "plan_key": Col(_I), "file": Col(_P), "plan_id": Col(_S), "organisation": Col(_S),
            "body": Col(_S), "body_kind": Col(_S), "document": Col(_S), "title": Col(_S),
            "first_year": Col(_I), "last_year": Col(_I), "report_period": Col(_S, True),
            "version_label": Col(_S), "status": Col(_S), "adopted": Col(_S, True),
            "document_id": Col(_S, True), "source_document": Col(_P), "ocr": Col(_B), "follow_up": Col(_S, True),
            "source_title": Col(_S, True), "source_url": Col(_S, True),
        },
        unique=("plan_key",), ordered=("first_year", "last_year"),  # a plan period cannot end before it starts
    ),
    "indicators": FrameContract(
        {
            "plan_key": Col(_I), "ind_key": Col(_K), "indicator_id": Col(_S), "name": Col(_S), "path": Col(_S),
            "unit": Col(_S, True), "kind": Col(_S, isin=("quantitative", "qualitative")),
            "about_people": Col(_B, True), "source": Col(_S, True), "follow_up": Col(_S, True),
            "n_values": Col(_I, ge=0),
            **_location(),
        },
        unique=("plan_key", "indicator_id"), unique_each=("ind_key",),
    ),
    "values": FrameContract(
        {
            "plan_key": Col(_I), "ind_key": Col(_K, ge=0), "indicator_id": Col(_S), "value_pos": Col(_I),
            "role": Col(_S, isin=("baseline", "target", "outcome")),
            "period": Col(_S, True), "year": Col(_I, True), "series": Col(_S, True),
            "sex": Col(_S, isin=("all", "K", "M", "total")),
            **_figure_columns(), **_location(),
        },
        unique=("plan_key", "indicator_id", "value_pos", "sex"),
    ),
    "tables": FrameContract(
        {
            "plan_key": Col(_I), "tab_key": Col(_K), "table_id": Col(_S), "title": Col(_S), "unit": Col(_S, True),
            "indicator_id": Col(_S, True), "indicator_column": Col(_S, True), "n_rows": Col(_I), "n_columns": Col(_I), **_location(),
        },
        unique=("plan_key", "table_id"), unique_each=("tab_key",),
    ),
    "cells": FrameContract(
        {
            "plan_key": Col(_I), "tab_key": Col(_K, ge=0), "table_id": Col(_S), "row_id": Col(_S), "row_label": Col(_S),
            "row_pos": Col(_I), "column": Col(_S), "col_pos": Col(_I), "text_column": Col(_B),
            **_figure_columns(), **_location(),
        },
        unique=("plan_key", "table_id", "row_id", "column"),
    ),
    "row_sums": FrameContract(
        {"plan_key": Col(_I), "tab_key": Col(_K, ge=0), "table_id": Col(_S), "total_row": Col(_S), "part_row": Col(_S)},
    ),
    "column_sums": FrameContract(
        {"plan_key": Col(_I), "tab_key": Col(_K, ge=0), "table_id": Col(_S), "total_column": Col(_S), "part_column": Col(_S)},
    ),
    "derived": FrameContract(
        {
            "plan_key": Col(_I), "tab_key": Col(_K, ge=0), "table_id": Col(_S),
            "kind": Col(_S, isin=("change_pct", "share_pct", "difference")),
            "column": Col(_S), "new": Col(_S, True), "old": Col(_S, True),
            "numerator": Col(_S, True), "denominator": Col(_S, True),
        },
    ),
    "waivers": FrameContract(
        {
            "plan_key": Col(_I), "scope": Col(_S, isin=("plan", "indicator", "table", "row", "config")),
            "indicator_id": Col(_S, True), "table_id": Col(_S, True), "row_id": Col(_S, True),
            "rule": Col(_S), "reason": Col(_S), "file_line": Col(_I, True),
        },
    ),
}


class ContractError(ValueError):
    """A frame that breaks its contract: a bug in plankoll, never a fault of the input."""


# --- the reference backend: pandera -------------------------------------------------------------

@lru_cache(maxsize=1)
def pandera_schemas() -> dict[str, Any]:
    """The contract as pandera DataFrameSchemas (strict: exactly these columns, in this order)."""
    import pandera.pandas as pa

    def column(spec: Col) -> Any:
        checks = []
        if spec.isin is not None:
            checks.append(pa.Check.isin(list(spec.isin)))
        if spec.ge is not None:
            checks.append(pa.Check.ge(spec.ge))
        # no coercion: `frame` builds every column in its dtype, and pandera checks that it is
        return pa.Column(spec.dtype, nullable=spec.nullable, checks=checks or None, coerce=False)

    def frame_checks(contract: FrameContract) -> list[Any]:
        checks = [pa.Check(lambda df, c=c: df[c].is_unique, error=f"{c} is not unique") for c in contract.unique_each]
        if contract.ordered:
            first, second = contract.ordered
            checks.append(pa.Check(lambda df: df[first] <= df[second], error=f"{second} before {first}"))
        return checks

    return {name: pa.DataFrameSchema({c: column(s) for c, s in contract.columns.items()}, strict=True,
                                     unique=list(contract.unique) or None, checks=frame_checks(contract) or None)
            for name, contract in CONTRACT.items()}


def __getattr__(name: str) -> Any:
    if name == "SCHEMAS":  # the pandera schemas by their former name (tests and the GX extra read them)
        return pandera_schemas()
    raise AttributeError(name)


# --- the run's backend: vectorized checks -------------------------------------------------------

def violations(name: str, df: Any) -> list[str]:
    """What breaks the contract in a frame (empty when it keeps it): the checks pandera makes."""
    contract = CONTRACT[name]
    if list(df.columns) != list(contract.columns):
        return [f"columns {list(df.columns)} are not {list(contract.columns)}"]
    problems = []
    for column, spec in contract.columns.items():
        problems += [f"{column}: {p}" for p in _column_problems(df[column], spec)]
    if contract.unique and len(df) and df.duplicated(list(contract.unique)).any():
        problems.append(f"{', '.join(contract.unique)} not unique together")
    problems += [f"{c} is not unique" for c in contract.unique_each if not df[c].is_unique]
    if contract.ordered and len(df):
        first, second = contract.ordered
        if not (df[first] <= df[second]).fillna(True).all():
            problems.append(f"{second} before {first}")
    return problems


def _column_problems(series: Any, spec: Col) -> list[str]:
    if series.dtype != _dtype(spec.dtype):
        return [f"dtype {series.dtype!r}, not {spec.dtype}"]
    missing = series.isna()
    problems = []
    if not spec.nullable and missing.any():
        problems.append("missing values")
    present = series[~missing] if missing.any() else series
    if spec.isin is not None and not present.isin(spec.isin).all():
        problems.append(f"values outside {list(spec.isin)}")
    if spec.ge is not None and len(present) and not (present >= spec.ge).all():
        problems.append(f"values below {spec.ge}")
    return problems


@lru_cache(maxsize=16)
def _dtype(name: str) -> Any:
    import pandas as pd

    return pd.api.types.pandas_dtype(name)


def frame(name: str, columns: dict[str, Any]) -> Any:
    """Build a frame from column sequences (empty ones get every column) and hold it to its contract."""
    import numpy as np
    import pandas as pd

    data = {}
    for col, spec in CONTRACT[name].columns.items():
        values = columns.get(col, [])
        if len(values) and _all_missing(values):
            # all missing (ocr, comparator, src_page are mostly): much faster than element-wise conversion
            data[col] = pd.array(np.full(len(values), None, dtype=object), dtype=spec.dtype) if spec.dtype in (_S, _P, _B) else pd.array(
                np.full(len(values), np.nan), dtype=spec.dtype)
        else:
            data[col] = pd.array(values, dtype=spec.dtype)
    df = pd.DataFrame(data)
    problems = violations(name, df)
    if problems:
        raise ContractError(f"the {name} frame breaks its contract: {'; '.join(problems)}")
    if os.environ.get("PLANKOLL_PANDERA") == "1":
        pandera_schemas()[name].validate(df, lazy=True)  # the reference backend as well (the tests)
    return df


def _all_missing(values: Any) -> bool:
    if isinstance(values, list):
        return values.count(None) == len(values)  # counted in C
    return all(v is None for v in values)
