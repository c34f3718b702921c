"""The command line end to end: formats, exit codes, schema, fast start."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from helpers import DATASETS

from plankoll.cli import main


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_help_imports_no_pandas_pandera_or_gx():
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "plankoll", "--help"], capture_output=True, text=True, check=True)
    imported = {line.split("|")[-1].strip().split(".")[0] for line in proc.stderr.splitlines() if "|" in line}
    assert "click" in imported
    assert not imported & {"pandas", "pandera", "great_expectations", "numpy", "pydantic"}
    assert "plankoll check" in proc.stdout or "check" in proc.stdout


def test_version():
    code, out = run("--version")
    assert code == 0 and "plankoll, version" in out


def test_check_datasets_text_is_grouped_per_version_with_summary():
    code, out = run("check", str(DATASETS), "--lang", "en")
    assert code == 1
    assert "Verksamhetsplan 2023 (2024–2025) · Regionstyrelsen · version Fastställd 2022-10-12" in out
    assert out.rstrip().splitlines()[-1].startswith(tuple(f"{n} plan versions" for n in range(3, 50)))
    assert "PK101" in out and "400" in out


def test_json_contract(tmp_path: Path):
    target = tmp_path / "r.json"
    code, _ = run("check", str(DATASETS), "--format", "json", "--output", str(target))
    assert code == 1
    result = json.loads(target.read_text(encoding="utf-8"))
    assert result["plankoll"] == 1
    assert {"summary", "plans", "errors"} <= set(result)
    assert result["summary"]["plan_versions"] == len(result["plans"])
    for plan in result["plans"]:
        assert {"plan", "version", "file", "violations"} <= set(plan)
        for v in plan["violations"]:
            assert {"rule", "severity", "element", "message", "expected", "actual", "waived", "location", "source"} <= set(v)
            assert v["severity"] in ("error", "warning", "info")
            assert v["location"]["file"] == plan["file"]
            if plan["file"].endswith(".docx"):  # read directly: the place is the document's table, row and column
                assert {"table", "row", "column"} <= set(v["location"])
                continue
            assert isinstance(v["location"]["line"], int)
            assert v["source"]["document"] and ("line" in v["source"] or "page" in v["source"])


def test_exit_codes(tmp_path: Path, write_plan):
    clean = write_plan("indicators: []\n", name="clean.plan.yaml")
    assert run("check", str(clean))[0] == 0
    assert run("check", str(DATASETS), "--fail-on", "never")[0] == 0
    assert run("check", str(DATASETS), "--fail-on", "warning")[0] == 1
    assert run("check", str(tmp_path / "missing.plan.yaml"))[0] == 2
    assert run("check")[0] == 2  # usage


def test_malformed_file_next_to_good_one(tmp_path: Path):
    good = tmp_path / "good.plan.yaml"
    good.write_text((DATASETS / "vasternorrland/regionstyrelsen/vp-2023.plan.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "bad.plan.yaml").write_text("plankoll: 1\nplan:\n  id: [x\n", encoding="utf-8")
    code, out = run("check", str(tmp_path), "--lang", "en")
    assert code == 2
    assert "Verksamhetsplan 2023" in out and "PK101" not in out.split("Files that could not be read")[1]
    assert "bad.plan.yaml:3: not valid YAML" in out or "bad.plan.yaml:4: not valid YAML" in out
    assert "Traceback" not in out


def test_schema_is_json_schema_of_the_format():
    code, out = run("schema")
    schema = json.loads(out)
    assert code == 0
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert {"plankoll", "plan", "indicators", "tables"} <= set(schema["properties"])
    assert schema["additionalProperties"] is False


def test_rules_and_explain_come_from_the_rulebook():
    code, out = run("rules", "--lang", "en")
    assert code == 0 and "PK101" in out and "PK501" in out
    code, out = run("explain", "PK501", "--lang", "sv")
    assert code == 0
    assert "Förordning (2001:100)" in out and "sex_split" in out
    assert run("explain", "PK999")[0] == 2


def test_every_report_is_written_for_a_file_name_that_is_not_utf8(tmp_path: Path):
    import os
    import shutil

    repo = tmp_path / "repo"
    odd = repo / os.fsdecode(b"n\xe4mnd")  # a Latin-1 directory name
    odd.mkdir(parents=True)
    shutil.copy(DATASETS / "vasternorrland/regionstyrelsen/vp-2023.plan.yaml", odd / "vp-2023.plan.yaml")
    out = {name: tmp_path / f"report.{name}" for name in ("json", "html", "sarif", "junit", "markdown")}
    for cache in (["--no-cache"], ["--cache-dir", str(tmp_path / "cache")], ["--cache-dir", str(tmp_path / "cache")]):
        result = CliRunner().invoke(main, ["check", str(repo), "--format", "json", "-o", str(out["json"]), "--html", str(out["html"]),
                                           "--sarif", str(out["sarif"]), "--junit", str(out["junit"]), "--markdown", str(out["markdown"]),
                                           *cache])
        assert result.exit_code == 1, result.output
        for name, path in out.items():
            # SARIF names files by URI: the original byte, percent-encoded
            assert ("n%E4mnd" if name == "sarif" else "n\\udce4mnd") in path.read_text(encoding="utf-8")
