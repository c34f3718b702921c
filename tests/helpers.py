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


def benchmark_module(name: str):
    """A module of benchmarks/ (not installed with plankoll), loaded from the checkout by path."""
    import importlib.util
    import sys

    full = f"benchmarks.{name}"
    if full not in sys.modules:
        if "benchmarks" not in sys.modules:
            pkg = importlib.util.spec_from_file_location("benchmarks", REPO / "benchmarks" / "__init__.py",
                                                         submodule_search_locations=[str(REPO / "benchmarks")])
            sys.modules["benchmarks"] = importlib.util.module_from_spec(pkg)
            pkg.loader.exec_module(sys.modules["benchmarks"])
        spec = importlib.util.spec_from_file_location(full, REPO / "benchmarks" / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[full] = module
        spec.loader.exec_module(module)
    return sys.modules[full]


# A budget table whose total row sums a and b (20): the git-gate and history tests edit a and the total.
RAM_TABLE = """\
tables:
  - id: ram
    title: Ram
    columns: [Ram 2023]
    rows:
      - {{id: a, label: A, values: ["{a}"]}}
      - {{id: b, label: B, values: ["20"]}}
      - {{id: summa, label: Summa, values: ["{total}"], sum_of: [a, b]}}
"""
