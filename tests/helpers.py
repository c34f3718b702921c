from __future__ import annotations

import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATASETS = REPO / "datasets"

PLAN_HEADER = """\
plankoll: 1
plan:
  id: test-plan
  organisation: Region Test
  body: Regionstyrelsen
  body_kind: styrelse
  document: {document}
  title: Testplan
  period: {{first: {first}, last: {last}}}
  version: {{label: "1", status: utkast}}
  source: {{document: test.txt}}
"""


def plan_text(body: str, document: str = "verksamhetsplan", first: int = 2023, last: int = 2025) -> str:
    return PLAN_HEADER.format(document=document, first=first, last=last) + textwrap.dedent(body)


def findings(paths, rule_id: str | None = None):
    """Violations (as dicts) of the default rules on the given paths, optionally of one rule."""
    from plankoll import engine
    from plankoll.config import Config, active_rules
    from plankoll.frames import build
    from plankoll.loader import load_paths

    loaded, errors = load_paths(paths)
    assert errors == [], errors
    outcome = engine.run(build(loaded), active_rules(Config()), lang="en")
    rows = outcome.violations.to_dict("records")
    return [r for r in rows if rule_id is None or r["rule"] == rule_id]
