"""Every rule runs on sparse plans (no indicators, no values, no tables) without failing."""

from __future__ import annotations

import pytest
from helpers import plan_text

from plankoll import engine
from plankoll.config import Config, active_rules
from plankoll.frames import build
from plankoll.loader import LoadedPlan, load_text

SPARSE = {
    "empty": "indicators: []\n",
    "indicator without values": "indicators:\n  - {id: a, name: Andel patienter, unit: '%'}\n",
    "only outcomes": "indicators:\n  - id: a\n    name: Antal invånare\n    follow_up: ÅR\n    values:\n      - {role: outcome, period: '2023', value: '5'}\n",
    "only text table": (
        "tables:\n  - id: t\n    title: T\n    columns: [{name: Metod, text: true}]\n"
        "    rows:\n      - {id: r, label: R, values: [Stickprov]}\n"
    ),
    "heading rows only": "tables:\n  - id: t\n    title: T\n    columns: [A]\n    rows:\n      - {id: r, label: R}\n",
}


@pytest.mark.parametrize("body", SPARSE.values(), ids=SPARSE.keys())
def test_all_rules_on_sparse_plans(body):
    loaded = load_text(plan_text(body), "sparse.plan.yaml")
    assert isinstance(loaded, LoadedPlan), loaded
    outcome = engine.run(build([loaded]), active_rules(Config()))
    assert set(outcome.violations.columns) >= set(engine.VIOLATION_COLUMNS) | {"rule", "severity", "message", "waived"}


def test_no_plans_at_all():
    outcome = engine.run(build([]), active_rules(Config()))
    assert outcome.violations.empty
