"""What plankoll finds in the real plan versions is a reviewed list: a new or vanished finding is
always a conscious change (update the list and its justification)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from helpers import DATASETS, findings

EXPECTED = sorted(DATASETS.rglob("*.findings.yaml"))


def test_every_dataset_has_a_reviewed_findings_list():
    plans = {p.name.removesuffix(".plan.yaml") for p in DATASETS.rglob("*.plan.yaml")}
    reviewed = {p.name.removesuffix(".findings.yaml") for p in EXPECTED}
    assert plans == reviewed


@pytest.mark.parametrize("expected_file", EXPECTED, ids=[p.name for p in EXPECTED])
def test_findings_match_the_reviewed_list(expected_file: Path):
    spec = yaml.safe_load(expected_file.read_text(encoding="utf-8"))
    plan_file = expected_file.parent / spec["plan_file"]
    for item in spec["findings"]:
        assert item["why"].strip() and not item["why"].startswith("DRAFT"), f"unreviewed finding {item['rule']} {item['element']}"
    expected = sorted((f["rule"], f["element"], bool(f["waived"])) for f in spec["findings"])
    actual = sorted((v["rule"], v["element"], v["waived"] is not None) for v in findings([plan_file]))
    missing = [e for e in expected if e not in actual]
    new = [a for a in actual if a not in expected]
    assert not missing and not new, f"vanished: {missing}\nnew: {new}"
