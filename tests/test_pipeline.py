"""Reading many plan versions: worker processes, the content-keyed cache, the progress line."""

from __future__ import annotations

import io
import pickle
import shutil
from pathlib import Path

from helpers import DATASETS, benchmark_module

from plankoll import pipeline
from plankoll.config import Config
from plankoll.run import check_paths


def violations(result: dict) -> list[tuple[str, str, str]]:
    return sorted((Path(p["file"]).name, v["rule"], v["element"]) for p in result["plans"] for v in p["violations"])


def drop_results(cache: Path) -> None:
    """Forget the kept results (see test_incremental), so that a run reads every file again."""
    shutil.rmtree(cache / "state", ignore_errors=True)


def test_cached_run_equals_fresh_run_and_an_edit_misses_the_cache(tmp_path: Path):
    repo = tmp_path / "repo"
    shutil.copytree(DATASETS, repo)
    cache = tmp_path / "cache"
    timings: dict = {}
    fresh = check_paths([repo], Config(), cache_dir=cache, timings=timings)
    assert timings["parsed"] == timings["files"] == 5 and timings["cached"] == 0
    drop_results(cache)
    again = check_paths([repo], Config(), cache_dir=cache, timings=timings)
    assert timings["cached"] == 5 and timings["parsed"] == 0
    assert violations(again) == violations(fresh)

    plan = repo / "vasternorrland/regionstyrelsen/vp-2023.plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace('"2 033 979"', '"2 033 970"'), encoding="utf-8")
    drop_results(cache)
    edited = check_paths([repo], Config(), cache_dir=cache, timings=timings)
    assert timings["cached"] == 4 and timings["parsed"] == 1
    assert [v for v in violations(edited) if v not in violations(fresh)] == [
        ("vp-2023.plan.yaml", "PK101", "table:rvn-rs-ramomraden/row:totalt/column:Ram 2022")]


def test_a_damaged_cache_entry_is_ignored(tmp_path: Path):
    cache = tmp_path / "cache"
    first = check_paths([DATASETS], Config(), cache_dir=cache)
    drop_results(cache)
    for entry in cache.rglob("*.pkl"):
        entry.write_bytes(b"not a pickle")
    assert violations(check_paths([DATASETS], Config(), cache_dir=cache)) == violations(first)
    assert all(pickle.loads(e.read_bytes()) for e in cache.rglob("*.pkl"))  # noqa: S301 - rewritten by the run


def test_the_cache_key_covers_plankolls_own_code(tmp_path: Path, monkeypatch):
    cache = tmp_path / "cache"
    check_paths([DATASETS], Config(), cache_dir=cache)
    monkeypatch.setattr(pipeline, "code_digest", lambda: "another plankoll")
    drop_results(cache)
    timings: dict = {}
    check_paths([DATASETS], Config(), cache_dir=cache, timings=timings)
    assert timings["cached"] == 0 and timings["parsed"] == 5


def test_worker_processes_give_the_same_result(tmp_path: Path, monkeypatch):
    benchmark_module("generate").generate(tmp_path, versions=12, indicators=10, tables=2, rate=0.2, seed=5)
    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 4)
    timings: dict = {}
    parallel = check_paths([tmp_path], Config(), jobs=2, timings=timings)
    assert timings["workers"] == 2
    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 10_000)
    assert violations(check_paths([tmp_path], Config(), jobs=1)) == violations(parallel)


def test_progress_line_only_on_a_terminal_and_after_a_second(monkeypatch):
    err = io.StringIO()
    monkeypatch.setattr(pipeline.sys, "stderr", err)
    quiet = pipeline.Progress(10, "plankoll: reading", enabled=False)
    quiet.start -= 5
    quiet.advance()
    quiet.close()
    short = pipeline.Progress(10, "plankoll: reading", enabled=True)
    short.advance()
    assert err.getvalue() == ""
    long = pipeline.Progress(10, "plankoll: reading", enabled=True)
    long.start -= 2
    long.advance(5)
    long.close()
    assert "plankoll: reading" in err.getvalue() and "5/10" in err.getvalue()


def test_versions_split_across_batches_are_checked_with_what_they_share(tmp_path: Path, monkeypatch):
    from plankoll import batches, run

    whole = check_paths([DATASETS], Config())
    # one version per batch: the Norrbotten plan and the interim report that quotes its targets
    # (PK702) are first checked apart, then again together
    monkeypatch.setattr(batches, "BATCH", 1)
    assert check_paths([DATASETS], Config()) == whole
    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 2)
    timings: dict = {}
    assert check_paths([DATASETS], Config(), jobs=2, timings=timings) == whole
    assert timings["workers"] == 2
    # the control: without the second check the split loses the report's PK702 findings
    monkeypatch.setattr(run, "_to_check_again", lambda *args: [])
    apart = check_paths([DATASETS], Config())
    assert {v[1] for v in set(violations(whole)) - set(violations(apart))} == {"PK702"}


def test_components_join_versions_that_share_a_key():
    from plankoll.batches import components
    from plankoll.incremental import sharing_keys

    keys = {
        "a": sharing_keys("Region X", ["i1", "i2"]),
        "b": sharing_keys("Region X", ["i2", "i3"]),  # shares i2 with a
        "c": sharing_keys("Region X", ["i3"]),  # shares i3 with b: same component as a
        "d": sharing_keys("Region Y", ["i1"]),  # same id, other organisation: nothing shared
        "e": b"",  # a file that could not be read
    }
    found = components(keys)
    assert found["a"] == found["b"] == found["c"]
    assert len({found["a"], found["d"], found["e"]}) == 3


def test_documents_weigh_more_in_a_batch_than_plan_files():
    from plankoll import batches

    files = [f"p{i}.plan.yaml" for i in range(7)] + [f"d{i}.docx" for i in range(12)] + [f"q{i}.plan.yaml" for i in range(3)]
    split = batches.split(files, 50)
    assert [f for b in split for f in b] == files  # every file once, in order
    assert all(sum(map(batches.weight, b)) <= 50 for b in split)
    assert [len(b) for b in split] == [11, 5, 6]
    assert batches.split([f"p{i}.plan.yaml" for i in range(1200)], 500) == [
        [f"p{i}.plan.yaml" for i in range(k, min(k + 500, 1200))] for k in (0, 500, 1000)]
    assert batches.split(["big.pdf"], 5) == [["big.pdf"]]  # a file heavier than a batch is a batch of its own
