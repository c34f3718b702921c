"""The Great Expectations expression of PK101, PK301 and PK302 (plankoll.gx, the `gx` extra) finds
exactly what plankoll's own engine finds for those rules, offline, one validation per plan version.

Without great_expectations these tests fail when CI is set (CI=true) and skip otherwise; the
import-hygiene test runs either way.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import DATASETS, REPO, benchmark_module

RULES = ("PK101", "PK301", "PK302")


@pytest.fixture(scope="module")
def validator():
    """One ephemeral GX context for the module (building it costs seconds)."""
    try:
        from plankoll.gx import GxValidator

        return GxValidator()
    except ImportError as exc:
        reason = f"great_expectations is not importable ({exc})"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}: CI must install the gx extra (tox: extras = test, gx)")
        pytest.skip(f"{reason}; install it with pip install '.[gx]' (this fails in CI)")


def _frames(paths):
    from plankoll.frames import build
    from plankoll.loader import load_paths

    loaded, errors = load_paths(paths)
    assert errors == [], errors
    return build(loaded)


def _plankoll(paths) -> set[tuple[str, str, str]]:
    """What `plankoll check` reports for the three rules (waived ones included), as (file, rule, element)."""
    from plankoll.config import Config
    from plankoll.run import check_paths

    result = check_paths([Path(p) for p in paths], Config(), lang="en")
    assert result["errors"] == []
    return {(str(Path(plan["file"]).resolve()), v["rule"], v["element"])
            for plan in result["plans"] for v in plan["violations"] if v["rule"] in RULES}


def _gx(frames, validator) -> set[tuple[str, str, str]]:
    from plankoll.gx import validate_with_gx

    files = {int(k): str(Path(f).resolve()) for k, f in zip(frames.plans["plan_key"], frames.plans["file"], strict=True)}
    found = validate_with_gx(frames, validator)
    assert len(found) == len(set(found)), "a finding reported twice"
    return {(files[k], rule, element) for k, rule, element in found}


def test_the_gx_rules_mirror_the_default_rulebook():
    from plankoll.config import Config, active_rules
    from plankoll.gx import RULES as GX_RULES
    from plankoll.gx import SCOPED_DOCUMENTS

    rules = {r.id: r.spec for r in active_rules(Config()).rules}
    assert set(GX_RULES) == set(RULES)
    assert (rules["PK101"].kind, rules["PK101"].params, rules["PK101"].selector.model_dump(exclude_none=True)) == ("sums", {"axis": "rows"}, {})
    for rule_id, require in (("PK301", "baseline"), ("PK302", "source")):
        spec = rules[rule_id]
        assert (spec.kind, spec.params) == ("completeness", {"require": require})
        assert spec.selector.model_dump(exclude_none=True) == {"document": list(SCOPED_DOCUMENTS)}


def test_generated_repository_same_findings_one_validation_per_plan_version(tmp_path: Path, validator, monkeypatch):
    gen = benchmark_module("generate")
    gen.generate(tmp_path, versions=12, indicators=30, tables=4, rate=0.2, seed=11)
    frames = _frames([tmp_path])
    runs = []
    real = validator.validate
    monkeypatch.setattr(validator, "validate", lambda df: runs.append(len(df)) or real(df))
    found = _gx(frames, validator)
    assert len(runs) == len(frames.plans) == 12
    expected = _plankoll([tmp_path])
    assert found == expected
    assert {rule for _, rule, _ in expected} == set(RULES)  # every rule is exercised
    # and what was planted for these rules is among them
    import json

    planted = {(str((tmp_path / p["file"]).resolve()), p["rule"], p["element"])
               for p in json.loads((tmp_path / "planted.json").read_text(encoding="utf-8")) if p["rule"] in RULES}
    assert planted and planted <= found


def test_bundled_datasets_same_findings(validator):
    found = _gx(_frames([DATASETS]), validator)
    expected = _plankoll([DATASETS])
    assert found == expected
    assert {rule for _, rule, _ in expected} == set(RULES)


PLAN_BODY = """\
indicators:
  - {id: ok, name: Med ingångsvärde, unit: antal, source: Kolada, line: 10,
     values: [{role: baseline, period: "2021", value: "5"}, {role: target, period: "2025", value: "7"}]}
  - {id: no-baseline, name: Utan ingångsvärde, unit: antal, line: 11,
     values: [{role: target, period: "2025", value: "7"}]}
  - {id: new, name: Nytt mått, unit: antal, source: SCB, line: 12,
     values: [{role: baseline, period: "2022", value: "Nytt mått"}, {role: target, period: "2025", value: "7"}]}
  - {id: no-period, name: Utan period, unit: antal, line: 13,
     values: [{role: baseline, value: "5"}, {role: target, period: "2025", value: "Öka"}]}
  - {id: text-baseline, name: Text som ingångsvärde, unit: antal, source: SCB, line: 14,
     values: [{role: baseline, period: "2021", value: "Vartannat år"}, {role: target, period: "2025", value: "Öka"}]}
  - {id: no-target, name: Inget mål, unit: antal, line: 15,
     values: [{role: baseline, period: "2021", value: "5"}]}
  - {id: dash-target, name: Streck som mål, unit: antal, line: 16,
     values: [{role: target, period: "2025", value: "-"}]}
tables:
  - id: t1
    title: Besök
    line: 20
    columns: ["2022", "2021", "Förändring %", {name: Not, text: true}, Andel]
    derived: [{kind: change_pct, column: "Förändring %", new: "2022", old: "2021"}]
    rows:
      - {id: p1, label: Somatik, values: ["1,2", "10", "5,0", "a", "10 %"], line: 21}
      - {id: p2, label: Psykiatri, values: ["2,3", "-", "", "b", "20 %"], line: 22}
      - {id: tot, label: Totalt, values: ["3,6", "11", "99", "c", "50 %"], sum_of: [p1, p2], line: 23}
  - id: t2
    title: Ram
    line: 30
    columns: [X]
    rows:
      - {id: a, label: A, values: ["1,25"], line: 31}
      - {id: b, label: B, values: ["2,5"], line: 32}
      - {id: c, label: C, values: ["-"], line: 33}
      - {id: d, label: D, values: [""], line: 34}
      - {id: tot, label: Totalt, values: ["3,8"], sum_of: [a, b], line: 35}
      - {id: tot2, label: Totalt 2, values: ["3,9"], sum_of: [a, b], line: 36}
      - {id: tot3, label: Totalt 3, values: ["Öka"], sum_of: [a, b], line: 37}
      - {id: tot4, label: Totalt 4, values: ["10"], sum_of: [c, d], line: 38}
      - {id: tot5, label: Totalt 5, values: ["4,75"], sum_of: [a, b, c], line: 39}
      - {id: tot6, label: Totalt 6, values: ["4"], sum_of: [a, b, c, d], line: 40}
"""


def test_edge_cases_of_rounding_scope_and_baselines(write_plan, validator):
    """Boundaries: |difference| equal to the tolerance passes; dash/blank parts count 0; derived,
    text and % columns are not summed; a text baseline counts, "Nytt mått" is left to PK304, a
    figured baseline without a period does not count; a delårsrapport is outside PK301/PK302."""
    vp = write_plan(PLAN_BODY, name="vp.plan.yaml")
    report = write_plan(PLAN_BODY, name="report.plan.yaml", document="delårsrapport")
    found = _gx(_frames([vp, report]), validator)
    assert found == _plankoll([vp, report])
    short = {(Path(f).name, rule, element) for f, rule, element in found}
    sums = {"table:t2/row:tot2/column:X", "table:t2/row:tot5/column:X"}
    assert short == {
        *(("vp.plan.yaml", "PK101", e) for e in sums),
        *(("report.plan.yaml", "PK101", e) for e in sums),
        ("vp.plan.yaml", "PK301", "indicator:no-baseline"),
        ("vp.plan.yaml", "PK301", "indicator:no-period"),
        ("vp.plan.yaml", "PK302", "indicator:no-baseline"),
        ("vp.plan.yaml", "PK302", "indicator:no-period"),
    }


def test_offline_and_telemetry_off(validator, monkeypatch):
    """No socket is opened while validating (not even a PyPI version check), and analytics are off."""
    from plankoll.gx import GxValidator, validate_with_gx

    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    fresh = GxValidator()
    assert validate_with_gx(_frames([DATASETS]), fresh)
    assert attempts == []
    assert os.environ["GX_ANALYTICS_ENABLED"] == "False"
    assert fresh.context.variables.analytics_enabled is False


@pytest.mark.parametrize("args", [["--help"], ["check", str(DATASETS)]])
def test_the_cli_never_imports_great_expectations(args):
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "plankoll", *args],
                          capture_output=True, text=True, cwd=REPO, check=False)
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    imported = {line.split("|")[-1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")}
    assert "plankoll.gx" not in imported
    assert not any(name.split(".")[0] == "great_expectations" for name in imported)
