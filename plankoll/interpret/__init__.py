"""The interpreter: blocks of a document (any format) → the `PlanVersion` model.

It knows plans and nothing of file formats: what a heading, a table or a footnote is comes from
the layout (`plankoll.layout`); what the words mean comes from the vocabulary
(rules/vocabulary.yaml). Whatever it cannot interpret — a table it does not recognise, a cell it
cannot parse, a total whose parts it cannot place — becomes a notice with its location.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from plankoll.layout import Layout, Location, Notice

from . import meta
from .build import Builder
from .vocab import Vocabulary, load

__all__ = ["Interpretation", "MetadataMissing", "interpret", "load"]


class MetadataMissing(ValueError):
    """Required metadata that the document does not print and no option supplied."""

    def __init__(self, file: str, missing: list[str]):
        self.file, self.missing = file, missing
        super().__init__(f"cannot tell {', '.join(missing)} from the document")


@dataclass
class Interpretation:
    document: dict[str, Any]  # the plan version in the native format's structure (validate with PlanVersion)
    locations: dict[tuple[Any, ...], Location]  # model path → where it stands in the input
    notices: list[Notice] = field(default_factory=list)
    explain: list[dict[str, Any]] = field(default_factory=list)  # per table: how it was read
    evidence: dict[str, dict[str, Any]] = field(default_factory=dict)  # element → printed row and heading above it


def _plan_meta(layout: Layout, vocab: Vocabulary, given: dict[str, Any]) -> tuple[dict[str, Any], list[Notice]]:
    found = meta.read(layout, vocab)
    notices = []
    merged = {k: v for k, v in found.items() if v is not None}
    merged.update({k: v for k, v in given.items() if v is not None})
    return merged, notices


def interpret(layout: Layout, vocab: Vocabulary | None = None, given: dict[str, Any] | None = None) -> Interpretation:
    """Interpret a layout. `given` holds metadata supplied from outside the document (it wins).

    Raises MetadataMissing when organisation, body, document kind, period or version can neither
    be read nor inferred from the content."""
    vocab = vocab or load()
    plan_meta, notices = _plan_meta(layout, vocab, given or {})
    builder = Builder(layout, vocab, plan_meta)
    builder.walk()
    builder.infer_missing_meta()
    missing = [k for k in meta.REQUIRED if not builder.meta.get(k)]
    if missing:
        raise MetadataMissing(layout.file, missing)
    document = builder.document()
    return Interpretation(document, builder.locations, [*notices, *layout.notices, *builder.notices], builder.explain,
                          builder.evidence)
