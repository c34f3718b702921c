"""Re-checking after edits: an incremental run must give exactly what a full run gives."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from helpers import DATASETS, benchmark_module

from plankoll import incremental
from plankoll.config import Config
from plankoll.run import check_paths

PLAN = "norrbotten/regionstyrelsen/plan-2020-v0.32.plan.yaml"
REPORT = "norrbotten/lanssjukvard1/delarsrapport-2022-04-v0.29.plan.yaml"


def same_as_full_run(repo: Path, cache: Path, config: Config | None = None) -> dict:
    """Run incrementally, then in full without any cache; the two results must be identical."""
    timings: dict = {}
    again = check_paths([repo], config or Config(), cache_dir=cache, timings=timings)
    full = check_paths([repo], config or Config())
    assert again == full
    return timings


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    # the plan-version files only: the counts below are of the four transcribed documents
    shutil.copytree(DATASETS, tmp_path / "repo", ignore=shutil.ignore_patterns("*.docx"))
    return tmp_path / "repo"


def test_unchanged_repository_reuses_every_result(repo: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    first = same_as_full_run(repo, cache)
    assert first["rechecked"] == first["files"] == 4 and first["reused"] == 0
    again = same_as_full_run(repo, cache)
    assert again["reused"] == 4 and again["rechecked"] == 0 and again["parsed"] == 0


def test_an_edit_in_a_plan_rechecks_the_report_that_quotes_its_target(repo: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    before = check_paths([repo], Config(), cache_dir=cache)
    # the plan now sets 90 % for 2022; the interim report quotes 100 %: a PK702 finding in another file
    edit(repo / PLAN, '{role: target, period: "2022", value: "100 %", line: 663}', '{role: target, period: "2022", value: "90 %", line: 663}')
    timings = same_as_full_run(repo, cache)
    assert timings["parsed"] == 1
    # the plan and the interim report, which shares 12 indicators with it; the director's report
    # (no shared indicator) and Västernorrland are reused
    assert timings["reused"] == 2 and timings["rechecked"] == 2
    after = check_paths([repo], Config(), cache_dir=cache)
    report = next(p for p in after["plans"] if p["file"].endswith(REPORT))
    report_before = next(p for p in before["plans"] if p["file"].endswith(REPORT))
    new = [v for v in report["violations"] if v not in report_before["violations"]]
    assert [(v["rule"], v["element"]) for v in new] == [("PK702", "indicator:nll-bup-forsta-bedomning-30d/target:2022")]


def test_added_removed_broken_and_moved_files(repo: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    same_as_full_run(repo, cache)
    copy = repo / "norrbotten/regionstyrelsen/plan-2020-v0.33.plan.yaml"
    edit_text = (repo / PLAN).read_text(encoding="utf-8").replace('label: "0.32"', 'label: "0.33"', 1)
    copy.write_text(edit_text, encoding="utf-8")
    assert same_as_full_run(repo, cache)["parsed"] == 1  # a new version of the plan: PK703 may compare the two
    edit(copy, "indicators:\n", "indicators:\n  - broken: [\n")
    same_as_full_run(repo, cache)  # the broken file is reported, the others are still checked
    copy.unlink()
    same_as_full_run(repo, cache)
    plan = repo / PLAN
    edit(plan, "organisation: Region Norrbotten", "organisation: Region Västernorrland")
    same_as_full_run(repo, cache)
    edit(plan, "organisation: Region Västernorrland", "organisation: Region Norrbotten")
    assert same_as_full_run(repo, cache)["rechecked"] == 2


def test_rules_configuration_and_language_have_their_own_state(repo: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    same_as_full_run(repo, cache)
    timings = same_as_full_run(repo, cache, Config(disable=["PK101"]))
    assert timings["reused"] == 0
    again: dict = {}
    en = check_paths([repo], Config(), lang="en", cache_dir=cache, timings=again)
    assert again["reused"] == 0 and en == check_paths([repo], Config(), lang="en")


@pytest.mark.parametrize("racy_ns", [incremental.RACY_NS, 0])
def test_an_edit_in_the_second_of_the_scan_is_seen_on_a_coarse_file_system(repo: Path, tmp_path: Path, monkeypatch, racy_ns):
    # a file system that keeps whole seconds and no change time: an edit right after a scan keeps the
    # file's look; only the racy-clean rule (hash again what changed close to the scan) sees it
    monkeypatch.setattr(incremental, "_look", lambda st: (st.st_size, st.st_mtime_ns // 10**9 * 10**9, 0, st.st_ino))
    monkeypatch.setattr(incremental, "RACY_NS", racy_ns)
    scan = 1_900_000_000 * 10**9
    monkeypatch.setattr(incremental.time, "time_ns", lambda: scan)
    plan = repo / "vasternorrland/regionstyrelsen/vp-2023.plan.yaml"
    os.utime(plan, ns=(scan - 5 * 10**8, scan - 5 * 10**8))
    cache = tmp_path / "cache"
    check_paths([repo], Config(), cache_dir=cache)
    edit(plan, '"2 033 979"', '"2 033 970"')
    os.utime(plan, ns=(scan - 4 * 10**8, scan - 4 * 10**8))
    timings: dict = {}
    again = check_paths([repo], Config(), cache_dir=cache, timings=timings)
    if racy_ns:
        assert again == check_paths([repo], Config()) and timings["rechecked"] == 1
    else:  # the control: without the rule the edit goes unseen
        assert timings["rechecked"] == 0


def test_a_damaged_state_is_ignored(repo: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    same_as_full_run(repo, cache)
    for state in (cache / "state").glob("*.pkl"):
        state.write_bytes(b"not a pickle")
    assert same_as_full_run(repo, cache)["reused"] == 0


def test_generated_repository_edits_recheck_only_what_they_touch(tmp_path: Path):
    repo, cache = tmp_path / "gen", tmp_path / "cache"
    made = benchmark_module("generate").generate(repo, versions=30, indicators=12, tables=3, rate=0.2, seed=11)
    same_as_full_run(repo, cache)
    run = benchmark_module("run")
    victim = repo / made[7].path
    edited, _element = run.edit_one_figure(victim.read_text(encoding="utf-8"))
    victim.write_text(edited, encoding="utf-8")
    timings = same_as_full_run(repo, cache)
    # indicator ids are unique per version here, so no other version can be affected
    assert timings["rechecked"] == 1 and timings["reused"] == 29


def test_kept_results_depend_on_plankolls_code(repo: Path, tmp_path: Path, monkeypatch):
    cache = tmp_path / "cache"
    same_as_full_run(repo, cache)
    monkeypatch.setattr(incremental, "package_digest", lambda: "another plankoll")
    assert same_as_full_run(repo, cache)["reused"] == 0


def test_kept_results_are_keyed_by_every_file_a_result_depends_on():
    names = {name for name, _path in incremental.package_files()}
    assert {"plankoll/engine.py", "plankoll.checks/sums.py", "plankoll.checks/consistency.py",
            "plankoll.rulebooks/default.yaml"} <= names


def test_a_state_with_damaged_contents_is_ignored(repo: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    same_as_full_run(repo, cache)
    (state_file,) = (cache / "state").glob("*.pkl")
    data = state_file.read_bytes()
    at = data.index(b'"violations": [')  # inside a kept result's JSON
    state_file.write_bytes(data[:at] + b"}" + data[at + 1:])
    assert same_as_full_run(repo, cache)["reused"] == 0
    data = state_file.read_bytes()
    at = data.index(b'"message": "') + len(b'"message": "')  # a damaged byte inside a message: not valid JSON
    state_file.write_bytes(data[:at] + b'"' + data[at + 1:])
    assert same_as_full_run(repo, cache)["reused"] == 0
    state_file.write_bytes(data[:1] + bytes([9]) + data[2:])  # an unknown pickle protocol
    assert same_as_full_run(repo, cache)["reused"] == 0


def test_file_names_that_are_not_utf8(repo: Path, tmp_path: Path):
    odd = repo / os.fsdecode(b"n\xe4mnd")  # Latin-1 "nämnd": a name Python holds with a lone surrogate
    odd.mkdir()
    shutil.copy(repo / "vasternorrland/regionstyrelsen/vp-2023.plan.yaml", odd / "vp-2023.plan.yaml")
    cache = tmp_path / "cache"
    same_as_full_run(repo, cache)
    assert same_as_full_run(repo, cache)["reused"] == 5
    from plankoll.reports import json_report

    assert "n\\udce4mnd" in json_report.render(check_paths([repo], Config(), cache_dir=cache))


def test_a_file_that_changes_after_it_was_hashed_is_cached_under_what_was_parsed(tmp_path: Path):
    from plankoll import pipeline

    plan = tmp_path / "vp.plan.yaml"
    source = (DATASETS / "vasternorrland/regionstyrelsen/vp-2023.plan.yaml").read_text(encoding="utf-8")
    plan.write_text(source, encoding="utf-8")
    hashed = pipeline._digest(plan, plan.read_bytes())
    edited = source.replace('"2 033 979"', '"2 033 970"')
    plan.write_text(edited, encoding="utf-8")  # edited between the scan and the parse
    cache = tmp_path / "cache"
    digest, fragment, from_cache, _ = pipeline.fragment_of(plan, cache, hashed)
    assert not from_cache and digest == pipeline._digest(plan, edited.encode("utf-8")) != hashed
    assert not (cache / hashed[:2] / f"{hashed}.pkl").exists()
    assert pipeline.fragment_of(plan, cache, digest)[1] == fragment


def _cli_json(args: list[str], env_extra: dict[str, str] | None = None) -> tuple[bytes, dict]:
    import json
    import subprocess
    import sys
    import tempfile

    with tempfile.TemporaryDirectory() as out:
        result, timings = Path(out) / "r.json", Path(out) / "t.json"
        env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", **(env_extra or {})}
        subprocess.run([sys.executable, "-m", "plankoll", "check", *args, "--format", "json", "-o", str(result), "--timings", str(timings)],
                       env=env, check=False, capture_output=True)
        return result.read_bytes(), json.loads(timings.read_text())


def test_a_recheck_writes_the_same_json_report_from_kept_results_it_never_decodes(repo: Path, tmp_path: Path):
    import hashlib
    import json

    cache = tmp_path / "cache"
    cold, first = _cli_json([str(repo), "--cache-dir", str(cache)])
    again, second = _cli_json([str(repo), "--cache-dir", str(cache)])
    assert first["rechecked"] == 4 and second["reused"] == 4 and second["rechecked"] == 0
    assert again == cold  # byte for byte: the kept entries are spliced in as the JSON report prints them
    # the audit trail names each input by the SHA-256 of the bytes that were checked
    inputs = json.loads(again)["run"]["inputs"]
    assert len(inputs) == 4
    for item in inputs:
        data = Path(item["file"]).read_bytes()
        assert item["sha256"] == hashlib.sha256(data).hexdigest() and item["size"] == len(data)
    # a kept entry decoded (another format) gives the same result as a run that never kept it
    decoded = check_paths([repo], Config(), cache_dir=cache)
    assert decoded["plans"] == json.loads(cold)["plans"]


def test_kept_entries_count_in_the_summary_and_the_verdict_as_decoded_ones(repo: Path, tmp_path: Path):
    from plankoll import audit, results

    cache = tmp_path / "cache"
    full = check_paths([repo], Config(), cache_dir=cache)
    kept = check_paths([repo], Config(), cache_dir=cache, encoded=True)
    assert any(isinstance(p, incremental.Kept) for p in kept["plans"])
    assert kept["summary"] == full["summary"]
    assert audit.verdict(kept) == audit.verdict(full)
    for fail_on in ("warning", "never"):
        again = check_paths([repo], Config(), fail_on=fail_on, cache_dir=cache, encoded=True)
        assert again["summary"] == check_paths([repo], Config(), fail_on=fail_on)["summary"]
    assert results.dumps(kept, indent=False) == results.dumps(full, indent=False)


def test_directory_listings_are_kept_while_the_directories_do_not_change(repo: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setattr(incremental, "RACY_NS", 0)  # no coarse timestamps here: trust a listing at once
    cache = tmp_path / "cache"
    first = same_as_full_run(repo, cache)
    assert first["directories_listed"] > 0
    second = same_as_full_run(repo, cache)
    assert second["directories_listed"] == 0 and second["reused"] == 4
    # a new plan version in an existing directory, then a new directory: listed again, found
    shutil.copy(repo / PLAN, repo / "norrbotten/regionstyrelsen/plan-2020-v0.33.plan.yaml")
    third = same_as_full_run(repo, cache)
    assert third["files"] == 5 and third["directories_listed"] == 1
    (repo / "ny").mkdir()
    shutil.copy(repo / PLAN, repo / "ny/plan.plan.yaml")
    fourth = same_as_full_run(repo, cache)
    assert fourth["files"] == 6 and fourth["directories_listed"] == 2  # the new directory and its parent
    shutil.rmtree(repo / "ny")
    assert same_as_full_run(repo, cache)["files"] == 5
