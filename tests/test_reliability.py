"""The reliability contract (issue 13): bad input is a clear error naming the file and the place,
the other plan versions are still checked, exit 2 means unusable input, 3 a bug, 130 interrupted,
and a report is written whole or not at all. Each test is one failure a fuzz run found."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import DATASETS, plan_text

from plankoll.cli import entry, main

GOOD = DATASETS / "vasternorrland/regionstyrelsen/vp-2023.plan.yaml"
GOOD_TEXT = GOOD.read_text(encoding="utf-8")


def run_json(*paths: Path, args: tuple[str, ...] = ()) -> tuple[int, dict]:
    result = CliRunner().invoke(main, ["check", *map(str, paths), "--format", "json", "--no-cache", "--lang", "en", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, json.loads(result.stdout)


def bad_beside_good(tmp_path: Path, text: str | bytes) -> tuple[int, dict, Path]:
    bad = tmp_path / "bad.plan.yaml"
    bad.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    good = tmp_path / "good.plan.yaml"
    good.write_text(GOOD_TEXT, encoding="utf-8")
    code, result = run_json(bad, good)
    assert [p["file"] for p in result["plans"]] == [str(good)], "the good plan beside the bad one is still checked"
    return code, result, bad


def only_error(result: dict, bad: Path) -> dict:
    (error,) = [e for e in result["errors"] if e["file"] == str(bad)]
    return error


@pytest.mark.parametrize("date", ["2022-13-45", "2022-02-30"])
def test_an_impossible_date_is_an_error_with_its_line(tmp_path: Path, date: str):
    text = plan_text("").replace('status: utkast}', f'status: utkast, adopted: {date}}}') + f"note_not_in_format: {date}\n"
    code, result, _bad = bad_beside_good(tmp_path, text)
    assert code == 2
    lines = {e["line"] for e in result["errors"]}
    assert 10 in lines and all(isinstance(line, int) for line in lines)


def test_a_huge_line_number_is_an_error_not_an_overflow(tmp_path: Path):
    text = plan_text("""\
        indicators:
          - id: a
            name: A
            line: 12345678901234567890
        """)
    code, result, bad = bad_beside_good(tmp_path, text)
    assert code == 2 and only_error(result, bad)["line"] == 15


@pytest.mark.parametrize("nesting", ["flow", "block"])
def test_deep_nesting_is_refused_with_a_line(tmp_path: Path, nesting: str):
    if nesting == "flow":
        text = plan_text("") + "x: " + "[" * 250 + "]" * 250 + "\n"
    else:
        text = plan_text("") + "".join(" " * (2 * i) + f"k{i}:\n" for i in range(1000)) + " " * 2000 + "v: 1\n"
    code, result, bad = bad_beside_good(tmp_path, text)
    error = only_error(result, bad)
    assert code == 2 and "nested deeper" in error["message"] and error["line"] >= 12


def test_an_alias_bomb_is_refused_without_expanding_it(tmp_path: Path):
    bomb = "plankoll: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"l{i}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
    code, result, bad = bad_beside_good(tmp_path, bomb)
    error = only_error(result, bad)
    assert code == 2 and "aliases" in error["message"] and error["line"] == 2
    assert len(json.dumps(result)) < 200_000


def test_an_unreadable_directory_is_named_and_the_rest_is_checked(tmp_path: Path, monkeypatch):
    (tmp_path / "locked").mkdir()
    (tmp_path / "open").mkdir()
    (tmp_path / "open" / "vp.plan.yaml").write_text(GOOD_TEXT, encoding="utf-8")
    real = os.scandir

    def scandir(path):  # as an unprivileged user would meet a directory without read permission
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    code, result = run_json(tmp_path)
    assert code == 2 and len(result["plans"]) == 1
    assert result["errors"] == [{"file": str(tmp_path / "locked"), "line": None, "message": "cannot read this directory: Permission denied"}]


def test_an_unreadable_file_named_on_the_command_line_does_not_stop_the_run(tmp_path: Path, monkeypatch):
    locked = tmp_path / "locked.plan.yaml"
    locked.write_text(GOOD_TEXT, encoding="utf-8")
    good = tmp_path / "good.plan.yaml"
    good.write_text(GOOD_TEXT.replace("rvn-regionstyrelsen-vp", "other-vp"), encoding="utf-8")
    real = Path.read_bytes

    def read_bytes(self):
        if self.name == "locked.plan.yaml":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    code, result = run_json(locked, good)
    assert code == 2 and [p["file"] for p in result["plans"]] == [str(good)]
    assert "Permission denied" in only_error(result, locked)["message"]


def test_not_utf8_names_the_line_and_says_what_to_do(tmp_path: Path):
    text = plan_text("").encode("utf-8") + b"note: V\xe4sternorrland\n"
    code, result, bad = bad_beside_good(tmp_path, text)
    error = only_error(result, bad)
    assert code == 2 and error["line"] == 12 and "save the file as UTF-8" in error["message"]


def test_a_control_character_is_named_with_its_line(tmp_path: Path):
    text = plan_text("").replace("title: Testplan", "title: Test\x01plan")
    code, result, bad = bad_beside_good(tmp_path, text)
    error = only_error(result, bad)
    assert code == 2 and error["line"] == 8 and "U+0001" in error["message"]


def test_an_unquoted_figure_with_a_comma_in_braces_says_to_quote_it(tmp_path: Path):
    text = plan_text("""\
        indicators:
          - id: a
            name: A
            values:
              - {role: target, period: "2025", value: 1 234,5}
        """)
    code, result, bad = bad_beside_good(tmp_path, text)
    error = only_error(result, bad)
    assert code == 2 and error["line"] == 16 and 'must be quoted, e.g. value: "1 234,5"' in error["message"]


def test_a_file_larger_than_the_limit_is_refused(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plankoll.toml").write_text("max_file_mb = 0.001\n", encoding="utf-8")  # about 1 kB
    bad = tmp_path / "big.plan.yaml"
    bad.write_text(plan_text("") + "# " + "x" * 2000 + "\n", encoding="utf-8")
    small = tmp_path / "small.plan.yaml"
    small.write_text(plan_text(""), encoding="utf-8")
    code, result = run_json(bad, small)
    assert code == 2 and [p["file"] for p in result["plans"]] == [str(small)]
    assert "more than plankoll reads" in only_error(result, bad)["message"]


def test_a_bug_met_on_one_file_is_exit_3_and_the_others_are_checked(tmp_path: Path, monkeypatch):
    from plankoll import frames

    real = frames.fragment

    def fragment(item):
        if item.file.endswith("trigger.plan.yaml"):
            raise ArithmeticError("a bug in plankoll")
        return real(item)

    monkeypatch.setattr(frames, "fragment", fragment)
    trigger = tmp_path / "trigger.plan.yaml"
    trigger.write_text(plan_text(""), encoding="utf-8")
    good = tmp_path / "good.plan.yaml"
    good.write_text(GOOD_TEXT, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(trigger), str(good), "--format", "json", "--no-cache"])
    assert result.exit_code == 3
    report = json.loads(result.stdout)
    assert [p["file"] for p in report["plans"]] == [str(good)]
    (error,) = report["errors"]
    assert error["internal"] and "ArithmeticError" in error["message"]
    crash = result.stderr.split("the traceback is in ", 1)[1].split(" ", 1)[0]
    assert "ArithmeticError: a bug in plankoll" in Path(crash).read_text(encoding="utf-8")


def test_interrupted_exits_130_and_a_crash_exits_3(monkeypatch, capsys):
    from plankoll import run

    def interrupted(*_a, **_k):
        raise KeyboardInterrupt

    monkeypatch.setattr(run, "check_paths", interrupted)
    monkeypatch.setattr(sys, "argv", ["plankoll", "check", str(GOOD), "--no-cache"])
    with pytest.raises(SystemExit) as exit_:
        entry()
    assert exit_.value.code == 130 and "interrupted" in capsys.readouterr().err

    def crash(*_a, **_k):
        raise RuntimeError("boom")

    monkeypatch.setattr(run, "check_paths", crash)
    with pytest.raises(SystemExit) as exit_:
        entry()
    err = capsys.readouterr().err
    assert exit_.value.code == 3 and "internal error (RuntimeError: boom)" in err and "Traceback" not in err


def test_reports_are_written_whole_or_left_as_they_were(tmp_path: Path, monkeypatch):
    html, junit = tmp_path / "r.html", tmp_path / "r.xml"
    html.write_text("previous html", encoding="utf-8")
    junit.write_text("previous junit", encoding="utf-8")
    from plankoll.reports import junit as junit_report

    def fails(_result):
        raise KeyboardInterrupt  # stopped while rendering the second report

    monkeypatch.setattr(junit_report, "render", fails)
    CliRunner().invoke(main, ["check", str(GOOD), "--no-cache", "--html", str(html), "--junit", str(junit)])
    assert html.read_text(encoding="utf-8") == "previous html" and junit.read_text(encoding="utf-8") == "previous junit"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html", "r.xml"]  # no temporary file left behind


@pytest.mark.parametrize(("toml", "says"), [
    ('disable = "PK101"\n', "disable must be a list"),
    ('fail_on = 1\n', "fail_on must be a string"),
    ('severity = ["PK101"]\n', "severity must be a table"),
    ('[[waivers]]\nrule = "PK501"\nreason = "x"\nplan = "(unclosed"\n', "not a valid regular expression"),
    ('waivers = [1]\n', "must be a table with rule and reason"),
    ('max_file_mb = "big"\n', "max_file_mb must be a number"),
])
def test_a_wrongly_typed_configuration_is_a_clear_error(tmp_path: Path, monkeypatch, toml: str, says: str):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plankoll.toml").write_text(toml, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(GOOD), "--no-cache"])
    assert (result.exit_code == 2 and says in result.output and result.exception is None) or isinstance(result.exception, SystemExit)


def test_configuration_files_that_are_not_utf8(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_bytes(b'[project]\nname = "n\xe4mnd"\n')  # somebody else's, without plankoll
    assert CliRunner().invoke(main, ["check", str(GOOD), "--no-cache"]).exit_code == 1  # read as if absent
    (tmp_path / "plankoll.toml").write_bytes(b'lang = "sv"\n# n\xe4mnd\n')
    result = CliRunner().invoke(main, ["check", str(GOOD), "--no-cache"])
    assert result.exit_code == 2 and "not UTF-8" in result.output


@pytest.mark.parametrize(("rule_text", "says"), [
    ("selector: {plan: '(unclosed'}", "not a valid regular expression"),
    ("message: {sv: 'a } b', en: 'x'}", "not a valid template"),
    ("message: {sv: '{0}', en: 'x'}", "not a valid template"),
])
def test_a_broken_rulebook_is_a_clear_error(tmp_path: Path, monkeypatch, rule_text: str, says: str):
    monkeypatch.chdir(tmp_path)
    book = (f"rulebook: mine\nrules:\n  - id: XX101\n    kind: sums\n    severity: error\n    params: {{axis: rows}}\n    {rule_text}\n"
            "    title: {sv: t, en: t}\n    rationale: {sv: r, en: r}\n")
    if "message" not in rule_text:
        book += "    message: {sv: m, en: m}\n"
    (tmp_path / "mine.yaml").write_text(book, encoding="utf-8")
    (tmp_path / "plankoll.toml").write_text('rulebooks = ["mine.yaml"]\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(GOOD), "--no-cache"])
    import re

    assert result.exit_code == 2 and says in result.output and re.search(r"mine\.yaml:\d+: ", result.output)


@pytest.mark.parametrize("content", ["[]", '{"plankoll": 1, "plans": [[]]}', "[" * 100_000 + "]" * 100_000, '{"plankoll": 1}'])
def test_a_baseline_that_is_not_a_result_is_a_clear_error(tmp_path: Path, content: str):
    baseline = tmp_path / "base.json"
    baseline.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(GOOD), "--no-cache", "--baseline", str(baseline)])
    assert result.exit_code == 2 and "cannot use as a baseline" in result.output


def test_the_cache_believes_only_its_own_entries(tmp_path: Path):
    import pickle

    from plankoll.config import Config
    from plankoll.run import check_paths

    repo = tmp_path / "repo"
    repo.mkdir()
    a, b = repo / "a.plan.yaml", repo / "b.plan.yaml"
    a.write_text(GOOD_TEXT, encoding="utf-8")
    b.write_text(plan_text(""), encoding="utf-8")
    cache = tmp_path / "cache"
    fresh = check_paths([repo], Config(), cache_dir=cache)
    entries = sorted(cache.glob("??/*.pkl"))
    assert len(entries) == 2
    first, second = (e.read_bytes() for e in entries)
    entries[0].write_bytes(second)  # swapped: each claims the other's digest
    entries[1].write_bytes(first)
    for state in (cache / "state").glob("*.pkl"):
        state.unlink()
    assert check_paths([repo], Config(), cache_dir=cache) == fresh
    for kept in cache.glob("??/*.pkl"):
        kept.write_bytes(pickle.dumps([]))  # unpickles, but is no fragment
    for state in (cache / "state").glob("*.pkl"):
        state.write_bytes(pickle.dumps([]))
    assert check_paths([repo], Config(), cache_dir=cache) == fresh
