"""Draft an expected-findings file for a plan version: every current finding with its message as a
draft justification. Each `why` must then be checked by hand against the source document and
rewritten with the printed numbers and lines; tests/test_expected_findings.py compares exactly.

    python tools/draft_findings.py datasets/…/x.plan.yaml > datasets/…/x.findings.yaml
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from plankoll.config import Config
from plankoll.run import check_paths


def draft(plan_file: Path, datasets: Path = Path("datasets")) -> str:
    # Run over all datasets, as the test does, so cross-document findings are included.
    result = check_paths([datasets], Config(), lang="sv")
    (plan,) = [p for p in result["plans"] if Path(p["file"]).resolve() == plan_file.resolve()]
    findings = [
        {"rule": v["rule"], "element": v["element"], "waived": v["waived"] is not None,
         "why": f"DRAFT (check by hand): {v['message']} [källa rad {v['source'].get('line')}]"}
        for v in plan["violations"]
    ]
    header = f"# Expected findings of plankoll on {plan_file.name}, each checked by hand against the source document.\n"
    return header + yaml.safe_dump({"plan_file": plan_file.name, "findings": findings}, allow_unicode=True, sort_keys=False, width=200)


if __name__ == "__main__":
    sys.stdout.write(draft(Path(sys.argv[1])))
