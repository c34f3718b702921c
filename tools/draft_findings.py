"""Draft or update the expected-findings file of a plan version.

    python tools/draft_findings.py datasets/…/x.plan.yaml > datasets/…/x.findings.yaml
    python tools/draft_findings.py --update datasets/…/x.plan.yaml     # rewrites x.findings.yaml in place

A draft lists every current finding with its message as a draft justification; each `why` must
then be checked by hand against the source document and rewritten with the printed numbers and
lines. `--update` keeps every reviewed `why` of a finding that is still there, refreshes its
expected, actual and plan-file line, and adds the new findings as drafts (tests/test_expected_findings.py
refuses drafts and compares rule, element, waived, expected, actual and line exactly).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

from plankoll.config import Config
from plankoll.run import check_paths


def _current(plan_file: Path, datasets: Path) -> list[dict[str, Any]]:
    # Run over all datasets, as the test does, so cross-document findings are included.
    result = check_paths([datasets], Config(), lang="sv")
    (plan,) = [p for p in result["plans"] if Path(p["file"]).resolve() == plan_file.resolve()]
    return plan["violations"]


def _entry(v: dict[str, Any], why: str) -> dict[str, Any]:
    return {"rule": v["rule"], "element": v["element"], "waived": v["waived"] is not None,
            "expected": v["expected"], "actual": v["actual"], "line": v["location"]["line"], "why": why}


def draft(plan_file: Path, datasets: Path = Path("datasets"), reviewed: list[dict[str, Any]] | None = None) -> str:
    known = {(f["rule"], f["element"], bool(f["waived"])): f["why"] for f in reviewed or []}
    findings = []
    for v in _current(plan_file, datasets):
        why = known.get((v["rule"], v["element"], v["waived"] is not None))
        findings.append(_entry(v, why or f"DRAFT (check by hand): {v['message']} [källa rad {v['source'].get('line')}]"))
    header = f"# Expected findings of plankoll on {plan_file.name}, each checked by hand against the source document.\n"
    return header + yaml.safe_dump({"plan_file": plan_file.name, "findings": findings}, allow_unicode=True, sort_keys=False, width=200)


if __name__ == "__main__":
    if sys.argv[1] == "--update":
        plan = Path(sys.argv[2])
        target = plan.with_name(plan.name.removesuffix(".plan.yaml") + ".findings.yaml")
        old = yaml.safe_load(target.read_text(encoding="utf-8"))["findings"] if target.exists() else []
        target.write_text(draft(plan, reviewed=old), encoding="utf-8")
    else:
        sys.stdout.write(draft(Path(sys.argv[1])))
