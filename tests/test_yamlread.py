"""The fast YAML path (yaml-rs + a line scanner) gives the same data and lines as the exact path."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import DATASETS, benchmark_module, plan_text

from plankoll import yamlread


def same(a, b, path=()):
    if isinstance(a, dict):
        assert isinstance(b, dict) and list(a) == list(b), path
        for k in a:
            assert a.lines[k] == b.lines[k], (path, k)
            same(a[k], b[k], (*path, k))
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            assert a.lines[i] == b.lines[i], (path, i)
            same(x, y, (*path, i))
    else:
        assert a == b or str(a) == str(b), (path, a, b)


def documents(tmp: Path) -> list[Path]:
    benchmark_module("generate").generate(tmp, versions=5, indicators=30, tables=4, rate=0.2, seed=11)
    return sorted(DATASETS.rglob("*.plan.yaml")) + sorted(tmp.rglob("*.plan.yaml"))


def test_fast_path_equals_exact_path_on_real_and_generated_plans(tmp_path: Path):
    for path in documents(tmp_path):
        text = path.read_text(encoding="utf-8")
        try:
            fast = yamlread.fast_load(text)
        except yamlread.FastPathError:
            continue  # the loader then uses the exact path; equality is all that matters when it does not
        same(yamlread.load(text), fast)


def test_real_plans_mostly_take_the_fast_path():
    fast = 0
    for path in DATASETS.rglob("*.plan.yaml"):
        try:
            yamlread.fast_load(path.read_text(encoding="utf-8"))
            fast += 1
        except yamlread.FastPathError:
            pass
    assert fast >= 3


@pytest.mark.parametrize(
    "body",
    [
        "indicators: &a []\ntables: *a\n",                    # anchors and aliases
        "indicators: []\nindicators: []\n",                   # duplicate keys (exact path names the line)
        "indicators:\n  - {id: a, name: \"two\n    lines\"}\n",  # a quoted scalar across lines
    ],
)
def test_fast_path_declines_what_it_cannot_vouch_for(body):
    with pytest.raises(yamlread.FastPathError):
        yamlread.fast_load(plan_text(body))
