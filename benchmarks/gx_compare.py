"""Throughput of plankoll's engine against Great Expectations 1.x on the same rules and data.

The rules compared are exactly PK101 (total row = sum of its rows within rounding), PK301 (target
without a baseline) and PK302 (target without a source), as in rules/default.yaml; GX runs them as
expressed in `plankoll.gx`. Plan files are loaded and plankoll's frames built once; then, on those
same frames,
  (a) plankoll: `engine.run` with the three rules (selection, check kinds, messages, waivers);
  (b) GX: `validate_with_gx` — pandas builds each plan version's element frame, then one GX
      validation run per plan version (`gx_pandas_element_frames_s` is the pandas share of it).
Each is run once untimed (imports, GX context) and then `repeat` times; the best time counts.
Both must report the same (plan version, rule, element) findings, or the comparison is void.

    python -m benchmarks.gx_compare REPO [--versions N] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path
from typing import Any

RULES = ("PK101", "PK301", "PK302")


def _best(fn: Any, repeat: int) -> tuple[float, list[float], Any]:
    times, out = [], None
    for _ in range(max(1, repeat)):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return min(times), times, out


def compare_throughput(repo_path: str | Path, n_versions: int | None = None, repeat: int = 3) -> dict[str, Any]:
    """Versions per second of plankoll's engine and of GX on PK101/PK301/PK302, and their ratio."""
    import pandas as pd

    from plankoll import engine
    from plankoll.config import Config, active_rules
    from plankoll.frames import build
    from plankoll.gx import GxValidator, element_frames, validate_with_gx
    from plankoll.loader import discover, load_file
    from plankoll.rules import RuleSet

    files, errors = discover([repo_path])
    if errors:
        raise ValueError("; ".join(f"{e.file}: {e.message}" for e in errors))
    files = files[:n_versions] if n_versions else files
    start = time.perf_counter()
    loaded = []
    for f in files:
        result = load_file(f)
        if isinstance(result, list):
            raise ValueError(f"{f}: {result[0].message}")
        loaded.append(result)
    frames = build(loaded)
    frames_s = time.perf_counter() - start
    versions = len(frames.plans)

    ruleset = RuleSet([r for r in active_rules(Config()).rules if r.id in RULES])
    assert sorted(r.id for r in ruleset.rules) == list(RULES)

    def run_plankoll() -> set[tuple[int, str, str]]:
        v = engine.run(frames, ruleset, lang="en").violations
        return {(int(k), r, e) for k, r, e in zip(v["plan_key"], v["rule"], v["element"], strict=True)}

    start = time.perf_counter()
    validator = GxValidator()
    gx_setup_s = time.perf_counter() - start

    def run_gx() -> set[tuple[int, str, str]]:
        return set(validate_with_gx(frames, validator))

    run_plankoll()  # warm-up: check-kind imports
    run_gx()  # warm-up: GX metric providers
    pk_s, pk_times, pk_found = _best(run_plankoll, repeat)
    gx_s, gx_times, gx_found = _best(run_gx, repeat)
    prep_s, _, _ = _best(lambda: element_frames(frames), repeat)  # the pandas share of (b)

    import great_expectations as gx

    pk_rate, gx_rate = versions / pk_s, versions / gx_s
    return {
        "repo": str(repo_path),
        "versions": versions,
        "indicators": len(frames.indicators),
        "table_cells": len(frames.cells),
        "rules": list(RULES),
        "same_findings": pk_found == gx_found,
        "findings": {rule: sum(1 for _, r, _ in pk_found if r == rule) for rule in RULES},
        "load_and_frames_s": round(frames_s, 3),
        "gx_context_setup_s": round(gx_setup_s, 3),
        "repeat": max(1, repeat),
        "plankoll_s": round(pk_s, 4),
        "gx_s": round(gx_s, 4),
        "plankoll_times_s": [round(t, 4) for t in pk_times],
        "gx_times_s": [round(t, 4) for t in gx_times],
        "gx_pandas_element_frames_s": round(prep_s, 4),
        "plankoll_versions_per_s": round(pk_rate, 1),
        "gx_versions_per_s": round(gx_rate, 2),
        "ratio_plankoll_over_gx": round(pk_rate / gx_rate, 1),
        "great_expectations": gx.__version__,
        "pandas": pd.__version__,
        "python": platform.python_version(),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("repo", type=Path)
    ap.add_argument("--versions", type=int, default=None, help="only the first N plan versions (default: all)")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs of each; the best counts")
    a = ap.parse_args()
    print(json.dumps(compare_throughput(a.repo, a.versions, a.repeat), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
