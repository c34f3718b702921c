"""Guards against mistakes that a review planted and that no other test noticed (issue 11, part 7).

Each test states the behaviour end to end (the command line or `check_paths`) on small plan
versions, so that the mistake named in its docstring makes it fail.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from plankoll import incremental, pipeline
from plankoll.cli import main
from plankoll.config import Config, ConfigWaiver
from plankoll.run import check_paths

# An indicator about people (its name says "patienter") with a baseline, a target, a source and a
# follow-up period: the only rule it can break is PK501, and only through how its baseline is split.
PATIENTS = """\
indicators:
  - id: pat
    name: Antal patienter i vård
    unit: antal
    source: Cognos
    follow_up: ÅR
    line: 910
    values:
      - {{role: baseline, period: "2022", {baseline}, line: 911}}
      - {{role: target, period: "2025", value: "30", line: 912}}
"""

# A new measure: "Ny indikator" as its baseline is PK304, a warning, and nothing else.
NEW_MEASURE = """\
indicators:
  - id: ny
    name: Andel ny mätning
    unit: "%"
    source: Cognos
    follow_up: ÅR
    line: 900
    values:
      - {role: baseline, period: "2022", value: "Ny indikator", line: 901}
      - {role: target, period: "2025", value: "50 %", line: 902}
"""

# A table whose total row does not equal the sum of its rows (PK101 on one cell).
WRONG_TOTAL = """\
indicators: []
tables:
  - id: ram
    title: Ramområde
    line: 700
    columns: [Ram 2023]
    rows:
      - {id: a, label: A, values: ["100"], line: 701}
      - {id: b, label: B, values: ["200"], line: 702}
      - {id: totalt, label: Totalt, values: ["310"], sum_of: [a, b], line: 703}
"""


def invoke(*args: str) -> tuple[int, dict]:
    """`plankoll check ARGS --format json` by the command line; (exit code, JSON result)."""
    result = CliRunner().invoke(main, ["check", *args, "--format", "json", "--no-cache"])
    try:
        return result.exit_code, json.loads(result.stdout)
    except ValueError:
        raise AssertionError(f"no JSON result (exit {result.exit_code}): {result.output}\n{result.exception!r}") from None


def violations(result: dict, rule: str | None = None) -> list[dict]:
    return [v for p in result["plans"] for v in p["violations"] if rule is None or v["rule"] == rule]


def line_of(path: Path, text: str) -> int:
    """The 1-based line of the only line of `path` that holds `text`."""
    lines = [i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line]
    assert len(lines) == 1, (text, lines)
    return lines[0]


# 1 ----------------------------------------------------------------------------------------------

def test_a_value_printed_with_a_total_and_only_k_is_not_split_by_sex(write_plan):
    """Mistake: a value with a total and K but no M counts as split by sex (PK501 must still flag it)."""
    both = write_plan(PATIENTS.format(baseline='K: "10", M: "10", total: "20"'), name="both.plan.yaml")
    only_k = write_plan(PATIENTS.format(baseline='K: "10", total: "20"'), name="only-k.plan.yaml")
    only_m = write_plan(PATIENTS.format(baseline='M: "10", total: "20"'), name="only-m.plan.yaml")
    whole = write_plan(PATIENTS.format(baseline='value: "20"'), name="whole.plan.yaml")
    # the control: K and M beside the total are a split value
    assert violations(invoke(str(both))[1]) == []
    for path in (only_k, only_m, whole):
        code, result = invoke(str(path), "--lang", "en")
        found = violations(result)
        assert [(v["rule"], v["element"]) for v in found] == [("PK501", "indicator:pat")], path.name
        assert code == 1, path.name


# 2 ----------------------------------------------------------------------------------------------

def test_location_line_is_the_line_in_the_plan_file_not_in_the_source_document(write_plan):
    """Mistake: `location.line` takes the line of the source document instead of the plan file's."""
    plan = write_plan(PATIENTS.format(baseline='value: "20"') + WRONG_TOTAL.replace("indicators: []\n", ""))
    _code, result = invoke(str(plan))
    (pk501,) = violations(result, "PK501")
    (pk101,) = violations(result, "PK101")
    # the indicator stands on its "- id: pat" line of the plan file and on line 910 of the source
    assert pk501["location"] == {"file": str(plan), "line": line_of(plan, "- id: pat")}
    assert pk501["source"]["line"] == 910
    # the total cell stands on its row's line of the plan file and on line 703 of the source
    assert pk101["location"] == {"file": str(plan), "line": line_of(plan, "id: totalt")}
    assert pk101["source"]["line"] == 703


# 3 ----------------------------------------------------------------------------------------------

def test_fail_on_warning_fails_a_run_with_only_warnings(write_plan):
    """Mistake: `--fail-on warning` ignores warnings (exit 1 is due when only warnings exist)."""
    plan = write_plan(NEW_MEASURE)
    code, result = invoke(str(plan), "--fail-on", "warning")
    assert [(v["rule"], v["severity"]) for v in violations(result)] == [("PK304", "warning")]
    assert result["summary"]["error"] == 0 and result["summary"]["warning"] == 1
    assert result["summary"]["failed"] is True
    assert code == 1
    # the controls: the default level and `never` pass the same run
    assert invoke(str(plan))[0] == 0
    assert invoke(str(plan), "--fail-on", "never")[0] == 0
    # and `fail_on = "warning"` in the configuration means the same
    config = plan.parent / "plankoll.toml"
    config.write_text('fail_on = "warning"\n', encoding="utf-8")
    assert invoke(str(plan), "--config", str(config))[0] == 1


# 4 ----------------------------------------------------------------------------------------------

def test_a_config_waiver_applies_only_to_the_plans_its_pattern_names(write_plan):
    """Mistake: a config waiver's `plan` pattern is ignored, so it waives findings of every plan."""
    plan = write_plan(PATIENTS.format(baseline='value: "20"'))
    plan.write_text(plan.read_text(encoding="utf-8").replace("id: test-plan", "id: rvn-test-plan", 1), encoding="utf-8")
    config = plan.parent / "plankoll.toml"

    def run_with(pattern: str) -> tuple[int, dict]:
        config.write_text(f'[[waivers]]\nrule = "PK501"\nplan = "{pattern}"\nreason = "Könsuppdelat i personalbokslutet."\n',
                          encoding="utf-8")
        return invoke(str(plan), "--config", str(config))

    code, other = run_with("other-.*")
    (v,) = violations(other, "PK501")
    assert v["waived"] is None
    assert other["summary"]["waived"] == 0 and other["summary"]["error"] == 1 and code == 1
    # the control: a pattern that matches the plan id waives the finding (still listed, as waived)
    code, own = run_with("rvn-.*")
    (v,) = violations(own, "PK501")
    assert v["waived"] and "personalbokslutet" in v["waived"]
    assert own["summary"]["waived"] == 1 and own["summary"]["error"] == 0 and code == 0


# 5 ----------------------------------------------------------------------------------------------

def test_kept_results_are_not_reused_when_only_the_config_waivers_change(write_plan, tmp_path: Path):
    """Mistake: config waivers are left out of the key of the kept results, so a re-run with the
    cache keeps the results of the previous waivers."""
    plan = write_plan(PATIENTS.format(baseline='value: "20"'))
    old = time.time_ns() - 1000 * 10**9  # far outside the racy window: only the key can make it recheck
    os.utime(plan, ns=(old, old))
    cache = tmp_path / "cache"
    waiver = ConfigWaiver("PK501", "Könsuppdelat i personalbokslutet.", origin="plankoll.toml waivers[0]")
    first = check_paths([plan], Config(), cache_dir=cache)
    assert [v["waived"] for v in violations(first, "PK501")] == [None]
    timings: dict = {}
    waived = check_paths([plan], Config(waivers=[waiver]), cache_dir=cache, timings=timings)
    assert waived == check_paths([plan], Config(waivers=[waiver]))
    assert [bool(v["waived"]) for v in violations(waived, "PK501")] == [True]
    assert timings["reused"] == 0
    # and back: the run without the waiver does not reuse the waived results either
    again = check_paths([plan], Config(), cache_dir=cache)
    assert again == first
    # another waiver (another reason) is another configuration too
    other = ConfigWaiver("PK501", "Redovisas i bilaga 3.", origin="plankoll.toml waivers[0]")
    changed = check_paths([plan], Config(waivers=[other]), cache_dir=cache)
    assert changed == check_paths([plan], Config(waivers=[other]))
    assert "bilaga 3" in violations(changed, "PK501")[0]["waived"]


def test_kept_results_follow_the_config_waivers_through_the_command_line(write_plan, tmp_path: Path):
    """The same mistake, as a plan repository meets it: plankoll.toml gains a waiver between two runs."""
    plan = write_plan(PATIENTS.format(baseline='value: "20"'))
    old = time.time_ns() - 1000 * 10**9
    os.utime(plan, ns=(old, old))
    config = tmp_path / "plankoll.toml"
    config.write_text("", encoding="utf-8")
    cache = tmp_path / "cache"

    def run() -> tuple[int, dict]:
        result = CliRunner().invoke(main, ["check", str(plan), "--config", str(config), "--format", "json", "--cache-dir", str(cache)])
        return result.exit_code, json.loads(result.stdout)

    code, before = run()
    assert code == 1 and before["summary"]["waived"] == 0
    config.write_text('[[waivers]]\nrule = "PK501"\nreason = "Könsuppdelat i personalbokslutet."\n', encoding="utf-8")
    code, after = run()
    assert after["summary"]["waived"] == 1 and after["summary"]["error"] == 0 and code == 0


# 6 ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("cached", [False, True], ids=["no-cache", "cache"])
def test_a_file_named_twice_is_checked_once(write_plan, tmp_path: Path, monkeypatch, cached: bool):
    """Mistake: a file named twice on the command line is checked (and reported) twice."""
    plan = write_plan(WRONG_TOTAL)
    monkeypatch.chdir(plan.parent)
    cache = ["--cache-dir", str(tmp_path / "cache")] if cached else ["--no-cache"]
    for names in ([str(plan), str(plan)], [plan.name, f"./{plan.name}", str(plan)], [str(plan.parent), str(plan)]):
        result = CliRunner().invoke(main, ["check", *names, "--format", "json", *cache])
        out = json.loads(result.stdout)
        assert len(out["plans"]) == 1, names
        assert out["summary"]["plan_versions"] == 1 and out["summary"]["error"] == 1, names
        assert [(v["rule"], v["element"]) for v in violations(out)] == [("PK101", "table:ram/row:totalt/column:Ram 2023")], names
        assert result.exit_code == 1


# 7 ----------------------------------------------------------------------------------------------

def test_a_table_naming_a_missing_indicator_is_an_input_error(write_plan):
    """Mistake: `indicator: nope` on a table (no such indicator in the version) is no longer an input error."""
    good = write_plan(NEW_MEASURE, name="good.plan.yaml")
    bad = write_plan(WRONG_TOTAL.replace("    line: 700\n", "    line: 700\n    indicator: nope\n"), name="bad.plan.yaml")
    result = CliRunner().invoke(main, ["check", str(good), str(bad), "--format", "json", "--no-cache", "--lang", "en"])
    out = json.loads(result.stdout)
    assert result.exit_code == 2
    assert out["errors"] == [{"file": str(bad), "line": line_of(bad, "indicator: nope"),
                              "message": "tables.0.indicator: no indicator with id 'nope' in this plan version"}]
    # the unusable file is not checked; the other one still is
    assert [p["file"] for p in out["plans"]] == [str(good)]
    # the control: naming an indicator the version has is fine
    fine = write_plan(NEW_MEASURE + WRONG_TOTAL.replace("indicators: []\n", "").replace("    line: 700\n", "    line: 700\n    indicator: ny\n"),
                      name="fine.plan.yaml")
    code, ok = invoke(str(fine))
    assert ok["errors"] == [] and code == 1


# 8 ----------------------------------------------------------------------------------------------

@pytest.fixture
def package_copy(tmp_path: Path, monkeypatch):
    """plankoll's package directory copied to a temporary place, with `code_digest` reading the copy."""
    import plankoll

    source = Path(plankoll.__file__).resolve().parent
    copy = tmp_path / "copy" / "plankoll"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(plankoll, "__file__", str(copy / "__init__.py"))
    pipeline.code_digest.cache_clear()
    yield copy
    monkeypatch.undo()
    pipeline.code_digest.cache_clear()


@pytest.mark.parametrize("name", ["frames.py", "loader.py", "model.py", "figures.py", "yamlread.py"])
def test_the_parsed_file_cache_key_covers_the_code_that_makes_a_fragment(package_copy: Path, name: str):
    """Mistake: frames.py (which turns a parsed version into the cached fragment) is left out of
    the parsed-file cache key, so a changed frames.py reuses fragments it did not make."""
    before = pipeline.code_digest()
    assert pipeline.code_digest() == before  # the control: the same files give the same key
    with (package_copy / name).open("a", encoding="utf-8") as fh:
        fh.write("\n# another version of this file\n")
    pipeline.code_digest.cache_clear()
    assert pipeline.code_digest() != before


def test_a_changed_frames_module_misses_the_parsed_file_cache(package_copy: Path, tmp_path: Path, write_plan):
    """The same mistake end to end: after frames.py changed, a run parses again instead of taking
    the cached fragments."""
    plan = write_plan(WRONG_TOTAL)
    cache = tmp_path / "cache"
    check_paths([plan], Config(), cache_dir=cache)
    shutil.rmtree(cache / "state", ignore_errors=True)  # forget the kept results: read every file again
    timings: dict = {}
    check_paths([plan], Config(), cache_dir=cache, timings=timings)
    assert timings["cached"] == 1 and timings["parsed"] == 0  # the control: unchanged code hits the cache
    with (package_copy / "frames.py").open("a", encoding="utf-8") as fh:
        fh.write("\n# another version of frames.py\n")
    pipeline.code_digest.cache_clear()
    shutil.rmtree(cache / "state", ignore_errors=True)
    check_paths([plan], Config(), cache_dir=cache, timings=timings)
    assert timings["cached"] == 0 and timings["parsed"] == 1


# 9 ----------------------------------------------------------------------------------------------

class _NoCtime:
    """A stat result as a file system without a change time gives it (ctime always 0)."""

    def __init__(self, st: os.stat_result):
        self._st = st

    def __getattr__(self, name: str):
        if name in ("st_ctime_ns", "st_ctime"):
            return 0
        return getattr(self._st, name)


@pytest.mark.parametrize("ctime", ["real", "none"])
def test_a_same_size_edit_outside_the_racy_window_is_read_again(write_plan, tmp_path: Path, monkeypatch, ctime: str):
    """Mistake: an edit that keeps the file's size, made long after the previous scan (outside the
    2-second racy window), is reused although its modification time changed."""
    if ctime == "none":  # only size and modification time can tell the edit
        look = incremental._look
        monkeypatch.setattr(incremental, "_look", lambda st: look(_NoCtime(st)))
    plan = write_plan(WRONG_TOTAL)
    now = time.time_ns()
    os.utime(plan, ns=(now - 1000 * 10**9, now - 1000 * 10**9))
    cache = tmp_path / "cache"
    first = check_paths([plan], Config(), cache_dir=cache)
    assert [v["rule"] for v in violations(first)] == ["PK101"]
    timings: dict = {}
    assert check_paths([plan], Config(), cache_dir=cache, timings=timings) == first
    assert timings["reused"] == 1 and timings["rechecked"] == 0  # the control: an untouched file is reused
    inode = plan.stat().st_ino
    text = plan.read_text(encoding="utf-8")
    fixed = text.replace('values: ["310"]', 'values: ["300"]')
    assert len(fixed.encode()) == len(text.encode()) and fixed != text
    plan.write_text(fixed, encoding="utf-8")
    os.utime(plan, ns=(now - 500 * 10**9, now - 500 * 10**9))  # later than before, still far from any scan
    assert plan.stat().st_ino == inode and plan.stat().st_size == len(text.encode())
    again = check_paths([plan], Config(), cache_dir=cache, timings=timings)
    assert timings["rechecked"] == 1 and timings["reused"] == 0
    assert again == check_paths([plan], Config())
    assert violations(again) == []
