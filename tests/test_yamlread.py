"""The fast YAML path (yaml-rs + a line scanner) gives the same data and lines as the exact path."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import DATASETS, benchmark_module, plan_text

from plankoll import yamlread


def paths(node, path=()):
    """Every key and item path of a document from the exact path."""
    yield path
    if isinstance(node, dict):
        for k, v in node.items():
            yield from paths(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from paths(v, (*path, i))


def same(exact, fast, one_line_flows=True):
    """The same data, and every element the fast path locates on the exact path's line.

    Inside a flow collection ({…}, […]) the fast path gives the line the collection opens on,
    the exact path each key's own line: the same when the collection stands on one line."""
    data, lines = fast
    assert exact == data
    checked = 0
    for path in paths(exact):
        if not path:
            continue  # the document itself: nothing cites its line
        located = path
        while located not in lines:
            located = located[:-1]
        assert lines[located] == yamlread.line_of(exact, located), path
        if one_line_flows:
            assert yamlread.line_in(lines, path) == yamlread.line_of(exact, path), path
        checked += 1
    assert checked > 10


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


ROWS = """\
tables:
  - id: t
    title: "Budget"
    columns: [A, B]
    rows:
{rows}
"""


@pytest.mark.parametrize(
    "rows",
    [
        # one flow item a line: item k on the block's first line + k
        '      - {id: a, label: "A", values: ["1", "2"]}\n      - {id: b, label: "B", values: ["3", "4"]}',
        # a comment and a blank line between items
        '      - {id: a, label: "A", values: ["1", "2"]}\n      # note\n\n      - {id: b, label: "B", values: ["3", "4"]}',
        # an item over two lines, then one on a line
        '      - {id: a, label: "A",\n         values: ["1", "2"]}\n      - {id: b, label: "B", values: ["3", "4"]}',
        # the last item over two lines
        '      - {id: a, label: "A", values: ["1", "2"]}\n      - {id: b, label: "B",\n         values: ["3", "4"]}',
        # block items among flow items
        '      - {id: a, label: "A", values: ["1", "2"]}\n      - id: b\n        label: "B"\n        values: ["3", "4"]',
        # a bracket closing a line inside a quoted label
        '      - {id: a, label: "A [1]", values: ["1", "2"]}\n      - {id: b, label: "B {x}", values: ["3", "4"]}',
    ],
)
def test_fast_path_lines_of_flow_items_agree_with_the_exact_path(rows):
    text = plan_text(ROWS.format(rows=rows))
    try:
        fast = yamlread.fast_load(text)
    except yamlread.FastPathError:
        return
    same(yamlread.load(text), fast, one_line_flows="{id: a, label: \"A\",\n" not in text and "{id: b, label: \"B\",\n" not in text)
    # the second row's line is where its dash stands, whatever the layout above it
    _, lines = fast
    dash = [i for i, line in enumerate(text.split("\n"), start=1) if line.strip().startswith("- ") and "id: b" in line]
    assert yamlread.line_in(lines, ("tables", 0, "rows", 1)) == dash[0]


def test_deep_block_nesting_goes_to_the_exact_path_and_is_refused_with_its_line():
    from plankoll.loader import load_text

    deep = "".join(" " * i + "b:\n" for i in range(1, 1500))
    result = load_text(plan_text("indicators:\n  - id: a\n    name: x\n    note:\n" + "\n".join("    " + line for line in deep.split("\n"))), "f.plan.yaml")
    assert isinstance(result, list) and result[0].line is not None
    assert "64" in result[0].message


def test_the_quick_depth_proof_agrees_with_counting_every_character():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    brackets = st.text(alphabet="[]{}a \n\"", max_size=300)
    deep = st.integers(min_value=0, max_value=80).map(lambda n: "x: " + "[{" * (n // 2) + "a" + "}]" * (n // 2))

    @settings(max_examples=300, derandomize=True, deadline=None)
    @given(st.one_of(brackets, deep, st.tuples(deep, brackets).map("".join)))
    def agree(text):
        assert yamlread._too_deep(text) == yamlread._too_deep_exactly(text)

    agree()
    assert yamlread._too_deep("a: " + "[" * 65 + "]" * 65) == 1
    assert yamlread._too_deep("a:\n" + " " * 130 + "b: 1\n") == 2
