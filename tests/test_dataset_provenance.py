"""The datasets say what the documents print: every figure stands in the seed at (or just after)
the line it cites. Figures must appear as printed (or as the OCR text of a reading); text values
that OCR split across lines must have each of their words there."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from helpers import DATASETS, REPO

from plankoll.frames import build
from plankoll.loader import load_paths

SEEDS = Path(os.environ.get("PLANKOLL_SEEDS", REPO.parent / "shared" / "seeds"))
BEFORE, AFTER = 2, 8  # OCR rows of one table row span several lines below the one cited


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def word_in(word: str, window: str) -> bool:
    """A word of a cell in the OCR window, also when the OCR hyphenated it across lines ("utveckling-" … "en")."""
    word = squash(word.strip(".,:;()"))
    return word in window or any(word[:i] + "-" in window and word[i:] in window for i in range(3, len(word) - 1))


@pytest.fixture(scope="module")
def frames():
    if not SEEDS.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"the seed documents are missing: {SEEDS} (CI must run the provenance tests; set PLANKOLL_SEEDS)")
        pytest.skip(f"the seed texts are not at {SEEDS}: set PLANKOLL_SEEDS to the folder of the seed texts (../shared/seeds "
                    "beside a checkout of the project) to run the provenance tests")
    plans, errors = load_paths([DATASETS])
    assert errors == []
    # the transcriptions cite lines of the seed texts; a Word rendering is located by its own tables
    return build([p for p in plans if p.file.endswith(".plan.yaml")])


def not_in_seed(frames, frame_name: str) -> list[tuple[str, int, str]]:
    rows = getattr(frames, frame_name).merge(frames.plans[["plan_key", "source_document"]], on="plan_key")
    seeds: dict[str, list[str]] = {}
    missing = []
    for r in rows.itertuples():
        printed = r.ocr if isinstance(r.ocr, str) else r.text
        if r.src_line is None or r.src_line != r.src_line or printed in ("", "-"):
            continue
        lines = seeds.setdefault(r.source_document, (SEEDS / r.source_document).read_text(encoding="utf-8").split("\n"))
        line = int(r.src_line)
        window = squash(" ".join(lines[max(0, line - 1 - BEFORE): line - 1 + AFTER]))
        words = printed.split()
        if r.kind == "number":
            # the figure itself exactly as printed; a unit of several words may continue on the next line
            number = re.match(r"[^A-Za-zÅÄÖåäö%]*%?", printed).group(0)
            found = squash(number) in window and all(word_in(w, window) for w in words)
        else:
            found = all(word_in(w, window) for w in words)
        if not found:
            missing.append((r.source_document, line, printed))
    return missing


def test_every_value_stands_in_its_seed_near_its_line(frames):
    assert not_in_seed(frames, "values") == []


def test_every_table_cell_stands_in_its_seed_near_its_line(frames):
    assert not_in_seed(frames, "cells") == []
