"""What plankoll finds in the real plan versions is a reviewed list: a new or vanished finding is
always a conscious change (update the list and its justification)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from helpers import DATASETS

from plankoll.config import Config
from plankoll.run import check_paths

EXPECTED = sorted(DATASETS.rglob("*.findings.yaml"))


@pytest.fixture(scope="module")
def datasets_result() -> dict:
    """One run over all datasets, as `plankoll check datasets/` does: cross-document rules see every version."""
    return check_paths([DATASETS], Config(), lang="sv")


def test_every_dataset_has_a_reviewed_findings_list():
    plans = {p.name.removesuffix(".plan.yaml") for p in DATASETS.rglob("*.plan.yaml")}
    reviewed = {p.name.removesuffix(".findings.yaml") for p in EXPECTED}
    assert plans == reviewed


@pytest.mark.parametrize("expected_file", EXPECTED, ids=[p.name for p in EXPECTED])
def test_findings_match_the_reviewed_list(expected_file: Path, datasets_result: dict):
    spec = yaml.safe_load(expected_file.read_text(encoding="utf-8"))
    plan_file = expected_file.parent / spec["plan_file"]
    for item in spec["findings"]:
        assert item["why"].strip() and not item["why"].startswith("DRAFT"), f"unreviewed finding {item['rule']} {item['element']}"
    # the figures and the place are part of what was reviewed: a total that changes is a new finding
    expected = sorted((f["rule"], f["element"], bool(f["waived"]), str(f["expected"]), str(f["actual"]), f["line"]) for f in spec["findings"])
    (plan,) = [p for p in datasets_result["plans"] if Path(p["file"]).resolve() == plan_file.resolve()]
    actual = sorted((v["rule"], v["element"], v["waived"] is not None, str(v["expected"]), str(v["actual"]), v["location"]["line"])
                    for v in plan["violations"])
    missing = [e for e in expected if e not in actual]
    new = [a for a in actual if a not in expected]
    assert not missing and not new, f"vanished: {missing}\nnew: {new}"
