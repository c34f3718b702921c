"""The native plan-version format (one YAML file per plan version), as pydantic models.

The models are the single definition of the format: the loader validates with them and
`plankoll schema` publishes their JSON Schema. Figures stay strings here, exactly as printed;
`plankoll.figures` parses them when the frames are built.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

FORMAT_VERSION = 1

Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$", max_length=120)]
RuleId = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2,4}[0-9]{2,4}$")]
Printed = Annotated[str, Field(description="A figure or marker exactly as printed, e.g. '1 369 635', '5,0 %', 'Öka', 'Ny indikator'.")]


class Reading(BaseModel):
    """A figure whose OCR text is damaged: what the document prints, and what the OCR shows."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    value: Printed = Field(description="The figure as the document prints it, read with care from the OCR.")
    ocr: str = Field(description="The OCR text exactly as it stands in the seed, e.g. '21953' for '2195,3'.")
    note: str | None = Field(None, description="Why this reading: e.g. the decimals of the neighbouring cells.")


Cell = Printed | Reading

Waivers = Annotated[
    dict[RuleId, Annotated[str, StringConstraints(min_length=1)]],
    Field(description="Declared exceptions: rule id → the reason, ideally quoting the document."),
]
# bounded: a line or page number beyond any document is an input error, not an overflow in the frames
SourceLine = Annotated[int, Field(ge=1, le=100_000_000, description="Line in the source document where this stands.")]
SourcePage = Annotated[int, Field(ge=1, le=1_000_000, description="Page in the source document where this stands.")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False, frozen=True)


class DocumentKind(StrEnum):
    regionplan = "regionplan"
    verksamhetsplan = "verksamhetsplan"
    delarsrapport = "delårsrapport"
    tertialrapport = "tertialrapport"
    arsredovisning = "årsredovisning"
    rapport = "rapport"


class BodyKind(StrEnum):
    fullmaktige = "fullmäktige"
    styrelse = "styrelse"
    namnd = "nämnd"
    division = "division"
    forvaltning = "förvaltning"
    direktor = "direktör"


class Status(StrEnum):
    utkast = "utkast"
    faststalld = "fastställd"
    reviderad = "reviderad"


class Period(Strict):
    first: int = Field(ge=1900, le=2200, description="First year of the plan period.")
    last: int = Field(ge=1900, le=2200, description="Last year of the plan period.")

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.last < self.first:
            raise ValueError(f"plan period ends ({self.last}) before it starts ({self.first})")
        return self


class Version(Strict):
    label: str = Field(min_length=1, description="The version as the document names it, e.g. '0.32' or 'Fastställd 2022-10-12'.")
    status: Status
    adopted: dt.date | None = Field(None, description="Date of adoption (fastställd), if adopted.")
    document_id: str | None = Field(None, description="The document's own id (DOKUMENT-ID, diarienummer).")


class SourceDocument(Strict):
    document: str = Field(min_length=1, description="File name of the source text the lines refer to.")
    title: str | None = None
    url: str | None = None
    ocr: bool = Field(False, description="The source text is OCR output: read its figures with care.")
    note: str | None = None


class FollowUp(Strict):
    text: str = Field(min_length=1, description="The follow-up the plan declares for all its indicators, as printed.")
    line: SourceLine | None = None
    page: SourcePage | None = None


class Plan(Strict):
    id: Id = Field(description="Identity of the plan across its versions.")
    organisation: str = Field(min_length=1)
    body: str = Field(min_length=1, description="The styrelse, nämnd or division the plan belongs to.")
    body_kind: BodyKind
    document: DocumentKind
    title: str = Field(min_length=1)
    period: Period
    report_period: str | None = Field(None, description="For reports: the period reported on, e.g. '2022-04' (DÅ04).")
    version: Version
    source: SourceDocument
    follow_up: FollowUp | None = Field(None, description="Follow-up declared once for the whole plan (e.g. 'delårs- och årsrapport').")
    waivers: Waivers = Field(default_factory=dict)
    note: str | None = None


class Role(StrEnum):
    baseline = "baseline"
    target = "target"
    outcome = "outcome"


class Value(Strict):
    role: Role = Field(description="baseline (ingångsvärde), target (målvärde) or outcome (utfall).")
    period: str | None = Field(None, description="The period it refers to as printed: '2020', '2022-T1', 'T1 2019', 'DÅ04 2022'.")
    series: str | None = Field(None, description="Which series, where one cell prints several (e.g. 'RVN', 'RLF', 'Riket').")
    value: Cell | None = Field(None, description="The value when it is not split by sex.")
    K: Cell | None = Field(None, description="Kvinnor (or flickor).")
    M: Cell | None = Field(None, description="Män (or pojkar).")
    total: Cell | None = Field(None, description="Total beside a K/M split.")
    line: SourceLine | None = None
    page: SourcePage | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _one_shape(self) -> Value:
        split = any(v is not None for v in (self.K, self.M, self.total))
        if self.value is None and not split:
            raise ValueError("a value needs 'value' or a split 'K'/'M'/'total'")
        if self.value is not None and split:
            raise ValueError("give either 'value' or 'K'/'M'/'total', not both (use 'total' beside a split)")
        return self


class Indicator(Strict):
    id: Id
    name: str = Field(min_length=1, description="The indicator (styrmått) as printed.")
    path: list[str] = Field(default_factory=list, description="Goal hierarchy: målområde/perspektiv → mål → framgångsfaktor.")
    unit: str | None = Field(None, description="'%', 'antal', 'st', 'kr', 'mnkr', 'index', 'ja/delvis/nej', …")
    kind: Literal["quantitative", "qualitative"] = "quantitative"
    about_people: bool | None = Field(None, description="Whether it measures people; null lets plankoll infer it from the name.")
    source: str | None = Field(None, description="Källa as printed; null when none is printed.")
    follow_up: str | None = Field(None, description="Uppföljningsperiod as printed, e.g. 'DÅ04,08, ÅR'.")
    values: list[Value] = Field(default_factory=list)
    line: SourceLine | None = None
    page: SourcePage | None = None
    waivers: Waivers = Field(default_factory=dict)
    note: str | None = None


class Column(Strict):
    name: str = Field(min_length=1)
    text: bool = Field(False, description="A text column (e.g. 'Metod'): its cells are not figures.")


class Row(Strict):
    id: Id
    label: str = Field(description="Row label as printed.")
    values: list[Cell] = Field(default_factory=list, description="Cells as printed, one per column; empty for a heading row.")
    sum_of: list[Id] = Field(default_factory=list, description="Ids of the rows this total or subtotal row sums.")
    line: SourceLine | None = None
    page: SourcePage | None = None
    waivers: Waivers = Field(default_factory=dict)
    note: str | None = None


class ColumnSum(Strict):
    column: str = Field(description="The total column.")
    sum_of: list[str] = Field(min_length=1, description="The columns it sums.")


class Derived(Strict):
    kind: Literal["change_pct", "share_pct", "difference"] = Field(
        description="change_pct: (new − old) / old × 100; share_pct: numerator / denominator × 100; difference: new − old."
    )
    column: str = Field(description="The column holding the derived figure.")
    new: str | None = Field(None, description="change_pct/difference: the later period's column.")
    old: str | None = Field(None, description="change_pct/difference: the earlier period's column.")
    numerator: str | None = None
    denominator: str | None = None

    @model_validator(mode="after")
    def _operands(self) -> Derived:
        need = ("numerator", "denominator") if self.kind == "share_pct" else ("new", "old")
        missing = [n for n in need if getattr(self, n) is None]
        if missing:
            raise ValueError(f"derived {self.kind} needs {', '.join(missing)}")
        return self


class Table(Strict):
    id: Id
    title: str = Field(min_length=1)
    unit: str | None = Field(None, description="Unit of the figures when the table prints one (mnkr, tkr, antal, %).")
    columns: list[str | Column] = Field(min_length=1)
    rows: list[Row] = Field(min_length=1)
    column_sums: list[ColumnSum] = Field(default_factory=list)
    derived: list[Derived] = Field(default_factory=list)
    indicator: Id | None = Field(None, description="The indicator this table details, if any.")
    indicator_column: str | None = Field(
        None, description="The column holding the indicator's figure, when the columns are not simply its periods (e.g. 'LS1 2022-T1', 'Andel').")
    line: SourceLine | None = None
    page: SourcePage | None = None
    waivers: Waivers = Field(default_factory=dict)
    note: str | None = None


class PlanVersion(Strict):
    """One plan version: a `.plan.yaml` file."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        title="plankoll plan version",
        json_schema_extra={"$id": "https://plankoll.invalid/schema/plan-version-1.json"},
    )

    plankoll: Literal[1] = Field(description="Format version of this file.")
    plan: Plan
    indicators: list[Indicator] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)


def cell_text(cell: Cell) -> str:
    return cell if isinstance(cell, str) else cell.value


def cell_ocr(cell: Cell) -> str | None:
    return None if isinstance(cell, str) else cell.ocr


def column_name(column: str | Column) -> str:
    return column if isinstance(column, str) else column.name


def json_schema() -> dict:
    schema = PlanVersion.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema
