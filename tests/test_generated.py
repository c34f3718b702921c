"""Correctness at scale: on a generated repository every planted violation is found, and nothing else."""

from __future__ import annotations

from pathlib import Path

from helpers import benchmark_module

from plankoll.config import Config
from plankoll.run import check_paths


def test_every_planted_violation_is_found_and_nothing_else(tmp_path: Path):
    gen, recall = benchmark_module("generate"), benchmark_module("recall")
    gen.generate(tmp_path, versions=30, indicators=40, tables=4, rate=0.15, seed=7)
    result = check_paths([tmp_path], Config(), lang="en")
    assert result["errors"] == []
    report = recall.compare(result, tmp_path)
    assert report["missed"] == [] and report["extra"] == []
    # every planted kind occurs, so the test covers every check kind
    assert set(report["planted_by_rule"]) == set(gen.PLANTS)
    # the plan-level declared exception is reported as waived, never dropped
    pk304 = [v for p in result["plans"] for v in p["violations"] if v["rule"] == "PK304"]
    assert pk304 and all(v["waived"] for v in pk304)
