"""Compare what plankoll reports on a generated repository with what was planted there."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any


def compare(result: dict[str, Any], repo: Path) -> dict[str, Any]:
    planted = {(p["file"], p["rule"], p["element"]) for p in json.loads((repo / "planted.json").read_text(encoding="utf-8"))}
    found = set()
    for plan in result["plans"]:
        rel = Path(plan["file"]).resolve().relative_to(repo.resolve()).as_posix()
        found |= {(rel, v["rule"], v["element"]) for v in plan["violations"] if v["waived"] is None}
    missed, extra = planted - found, found - planted
    return {
        "planted": len(planted),
        "found": len(found),
        "recall": (len(planted) - len(missed)) / len(planted) if planted else 1.0,
        "missed": sorted(missed),
        "extra": sorted(extra),
        "planted_by_rule": dict(Counter(r for _, r, _ in planted)),
    }
