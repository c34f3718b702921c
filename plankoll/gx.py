"""PK101, PK301 and PK302 expressed as Great Expectations 1.x expectations (the `plankoll[gx]` extra).

A second, independent expression of three core rules, for cross-checking plankoll's engine and
for measuring it against Great Expectations on the same data. Never imported by the CLI or by
`plankoll check`; import it explicitly (`from plankoll.gx import validate_with_gx`).

For each plan version, pandas turns plankoll's normalized frames into one element frame — one row
per indicator and one row per total cell of a table — and Great Expectations validates it with
one suite, in one validation run per plan version:

PK301  target without a baseline (`completeness`, `require: baseline`; plans whose document is
       regionplan or verksamhetsplan). Column `baseline`, set only for indicators with a target
       (a number, a direction or a level): `value` (a baseline with a value — a figure, direction,
       level or text — and every figured baseline with a period), `new` (the baseline is declared
       new, "Nytt mått"), `no period` (a figured baseline without a period), `none`.
       ExpectColumnValuesToBeInSet(baseline, {value, new}); null rows are not checked.
PK302  target without a source (`completeness`, `require: source`; same documents). Column
       `source`, set only for indicators with a target: `named` or `none`.
       ExpectColumnValuesToBeInSet(source, {named}).
PK101  total row equals the sum of its rows (`sums`, `axis: rows`; every plan). Per total cell
       (a number, in a column that is neither a text column nor a declared derived column, not
       printed in %), with its parts the same cells of the rows in `sum_of` (blank or dash counts
       0; other non-numbers are not parts; at least one part a number):
       `difference` = total − Σ parts, `tolerance` = Σ half-units of the numeric parts + the
       half-unit of the total (XBRL Calculations 1.1 round-to-nearest), `bound` = tolerance plus
       plankoll's float slack 1e-9·(1 + |total|), `abs_difference` = |difference|.
       ExpectColumnPairValuesAToBeGreaterThanB(bound, abs_difference, or_equal=True), i.e.
       |total − Σ parts| − tolerance ≤ 0; rows without a total cell are not checked.

Findings are (plan_key, rule, element) with plankoll's element ids (`indicator:ID`,
`table:ID/row:ID/column:NAME`). They are the rules' raw violations: declared exceptions
(waivers) are a reporting layer of plankoll and are not applied here.

Telemetry is off and nothing goes to the network: GX_ANALYTICS_ENABLED=False is set before
great_expectations is imported, the context is ephemeral (in memory) with analytics disabled in
its configuration, and the PyPI version check some 1.x releases make is answered from the
installed version.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from plankoll.frames import Frames

RULES = ("PK101", "PK301", "PK302")
# The selector of PK301 and PK302 in rules/default.yaml (tests/test_gx.py keeps them in step).
SCOPED_DOCUMENTS = ("regionplan", "verksamhetsplan")
PRESENT = ("number", "direction", "level")
COLUMNS = ("element", "baseline", "source", "difference", "tolerance", "bound", "abs_difference")

Finding = tuple[int, str, str]


def _import_gx() -> Any:
    """great_expectations, imported with telemetry off and its PyPI version check disarmed."""
    os.environ["GX_ANALYTICS_ENABLED"] = "False"
    try:
        import great_expectations as gx
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("plankoll.gx needs Great Expectations: pip install 'plankoll[gx]'") from exc
    try:
        from great_expectations.data_context._version_checker import _VersionChecker
        from packaging.version import Version

        # A cached "latest version" equal to the installed one: the checker never asks PyPI.
        _VersionChecker._LATEST_GX_VERSION_CACHE = Version(gx.__version__)
    except (ImportError, AttributeError, ValueError):
        pass
    return gx


# --- pandas: plankoll's frames → one element frame per plan version ---------------------------


def _any_per_indicator(values: pd.DataFrame, mask: pd.Series, index: pd.MultiIndex) -> np.ndarray:
    hit = mask.groupby([values["plan_key"], values["indicator_id"]]).any()
    return hit.reindex(index, fill_value=False).to_numpy(dtype=bool)


def indicator_rows(frames: Frames) -> pd.DataFrame:
    """One row per indicator: its element id and the PK301/PK302 status columns."""
    ind, v = frames.indicators, frames.values
    if ind.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in ("plan_key", "element", "baseline", "source")})
    index = pd.MultiIndex.from_arrays([ind["plan_key"], ind["indicator_id"]])
    role, kind = v["role"], v["kind"]
    baseline = role.isin(["baseline"])
    target = _any_per_indicator(v, role.isin(["target"]) & kind.isin(PRESENT), index)
    has_value = _any_per_indicator(v, baseline & kind.isin([*PRESENT, "text"]), index)
    declared_new = _any_per_indicator(v, baseline & kind.isin(["missing"]) & v["word"].isin(["new"]), index)
    no_period = _any_per_indicator(v, baseline & kind.isin(PRESENT) & v["year"].isna(), index)
    documents = frames.plans.set_index("plan_key")["document"]
    in_scope = ind["plan_key"].map(documents).isin(SCOPED_DOCUMENTS).to_numpy(dtype=bool)
    applies = in_scope & target
    status = np.select([no_period, has_value, declared_new], ["no period", "value", "new"], "none")
    source = np.where(ind["source"].notna().to_numpy(dtype=bool), "named", "none")
    return pd.DataFrame({
        "plan_key": ind["plan_key"].astype("int64").to_numpy(),
        "element": ("indicator:" + ind["indicator_id"].astype(str)).to_numpy(dtype=object),
        "baseline": pd.Series(status, dtype=object).where(applies, None).to_numpy(dtype=object),
        "source": pd.Series(source, dtype=object).where(applies, None).to_numpy(dtype=object),
    })


def total_cell_rows(frames: Frames) -> pd.DataFrame:
    """One row per checked total cell of a `sum_of` row: difference, tolerance and bound."""
    empty = pd.DataFrame({"plan_key": pd.Series(dtype="int64"), "element": pd.Series(dtype="object"),
                          **{c: pd.Series(dtype="float64") for c in ("difference", "tolerance", "bound", "abs_difference")}})
    c = frames.cells
    additive = ~c["text_column"].astype(bool) & ~c["unit"].isin(["%"])
    derived = frames.derived[["plan_key", "table_id", "column"]].drop_duplicates().assign(_derived=True)
    c = c[additive.to_numpy(dtype=bool)].merge(derived, on=["plan_key", "table_id", "column"], how="left")
    c = c[c["_derived"].isna()]
    links = frames.row_sums
    if c.empty or links.empty:
        return empty
    cols = ["plan_key", "table_id", "row_id", "column", "kind", "number", "decimals", "row_pos"]
    parts = links.merge(c[cols], left_on=["plan_key", "table_id", "part_row"], right_on=["plan_key", "table_id", "row_id"])
    parts = parts[parts["kind"].isin(["number", "missing"])]
    is_number = parts["kind"].isin(["number"]).to_numpy(dtype=bool)
    parts = parts.assign(
        amount=np.where(is_number, parts["number"].astype("float64").fillna(0.0).to_numpy(), 0.0),
        half=np.where(is_number, 0.5 * np.power(10.0, -parts["decimals"].astype("float64").fillna(0.0).to_numpy()), 0.0),
        numeric=is_number,
    ).sort_values("row_pos", kind="stable")
    sums = parts.groupby(["plan_key", "table_id", "total_row", "column"], sort=False).agg(
        parts_sum=("amount", "sum"), parts_half=("half", "sum"), numeric=("numeric", "sum"),
    ).reset_index()
    sums = sums[sums["numeric"] > 0]
    totals = c[c["kind"].isin(["number"])][["plan_key", "table_id", "row_id", "column", "number", "decimals"]]
    totals = totals.merge(sums, left_on=["plan_key", "table_id", "row_id", "column"],
                          right_on=["plan_key", "table_id", "total_row", "column"])
    if totals.empty:
        return empty
    total = totals["number"].astype("float64")
    difference = total - totals["parts_sum"]
    tolerance = totals["parts_half"] + 0.5 * np.power(10.0, -totals["decimals"].astype("float64").fillna(0.0))
    return pd.DataFrame({
        "plan_key": totals["plan_key"].astype("int64").to_numpy(),
        "element": ("table:" + totals["table_id"].astype(str) + "/row:" + totals["row_id"].astype(str)
                    + "/column:" + totals["column"].astype(str)).to_numpy(dtype=object),
        "difference": difference.to_numpy(dtype="float64"),
        "tolerance": tolerance.to_numpy(dtype="float64"),
        "bound": (tolerance + 1e-9 * (1 + total.abs())).to_numpy(dtype="float64"),
        "abs_difference": difference.abs().to_numpy(dtype="float64"),
    })


def element_frames(frames: Frames) -> dict[int, pd.DataFrame]:
    """The frame Great Expectations validates, per plan version (every plan version, even empty)."""
    rows = pd.concat([indicator_rows(frames), total_cell_rows(frames)], ignore_index=True, sort=False)
    rows = rows.astype({"element": object, "baseline": object, "source": object,
                        "difference": "float64", "tolerance": "float64", "bound": "float64", "abs_difference": "float64"})
    by_plan = {int(k): g[list(COLUMNS)].reset_index(drop=True) for k, g in rows.groupby("plan_key", sort=True)}
    blank = rows.iloc[0:0][list(COLUMNS)].reset_index(drop=True)
    return {int(k): by_plan.get(int(k), blank) for k in frames.plans["plan_key"]}


# --- Great Expectations: one suite, one validation run per plan version ------------------------


class GxValidator:
    """An ephemeral GX context with the suite of the three rules, ready to validate element frames."""

    def __init__(self) -> None:
        gx = _import_gx()
        from great_expectations.data_context.types.base import (
            DataContextConfig,
            InMemoryStoreBackendDefaults,
            ProgressBarsConfig,
        )

        config = DataContextConfig(
            store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
            analytics_enabled=False,
            progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
        )
        self.gx = gx
        self.context = gx.get_context(project_config=config, mode="ephemeral")
        asset = self.context.data_sources.add_pandas(name="plankoll").add_dataframe_asset(name="plan_version")
        batch_definition = asset.add_batch_definition_whole_dataframe("whole plan version")
        suite = gx.ExpectationSuite(name="plankoll-core")
        E = gx.expectations
        suite.add_expectation(E.ExpectColumnValuesToBeInSet(column="baseline", value_set=["value", "new"], meta={"rule": "PK301"}))
        suite.add_expectation(E.ExpectColumnValuesToBeInSet(column="source", value_set=["named"], meta={"rule": "PK302"}))
        suite.add_expectation(E.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="bound", column_B="abs_difference", or_equal=True,
            ignore_row_if="either_value_is_missing", meta={"rule": "PK101"},
        ))
        suite = self.context.suites.add(suite)
        self.validation = self.context.validation_definitions.add(
            gx.ValidationDefinition(name="plankoll-core per plan version", data=batch_definition, suite=suite)
        )
        self.result_format = {"result_format": "COMPLETE", "unexpected_index_column_names": ["element"]}

    def validate(self, df: pd.DataFrame) -> list[tuple[str, str]]:
        """One GX validation run over one plan version's element frame: its (rule, element) findings."""
        result = self.validation.run(batch_parameters={"dataframe": df}, result_format=self.result_format)
        found: list[tuple[str, str]] = []
        for r in result.results:
            rule = r.expectation_config.meta["rule"]
            problem = _raised(r.exception_info)
            if problem:
                raise RuntimeError(f"Great Expectations could not evaluate {rule}: {problem}")
            if r.success:
                continue
            rows = r.result.get("unexpected_index_list") or []
            if len(rows) != r.result.get("unexpected_count", len(rows)):
                raise RuntimeError(f"Great Expectations did not list every unexpected element of {rule}")
            found.extend((rule, row["element"]) for row in rows)
        return found


def _raised(info: dict | None) -> str | None:
    """The message of an exception GX caught while validating (flat, or keyed by metric), or None."""
    if not info:
        return None
    if info.get("raised_exception"):
        return str(info.get("exception_message"))
    for value in info.values():
        if isinstance(value, dict) and value.get("raised_exception"):
            return str(value.get("exception_message"))
    return None


def validate_with_gx(frames: Frames, validator: GxValidator | None = None) -> list[Finding]:
    """PK101, PK301 and PK302 findings as (plan_key, rule, element), one GX validation per plan version."""
    validator = validator or GxValidator()
    findings: list[Finding] = []
    for plan_key, df in element_frames(frames).items():
        findings.extend((plan_key, rule, element) for rule, element in validator.validate(df))
    return findings
