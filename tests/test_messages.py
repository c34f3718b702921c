"""Input errors in the run's language: pydantic's error types in our own words (issue 15)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import plan_text

from plankoll.cli import main

BROKEN = plan_text("""\
    indicators:
      - id: a
        colour: blue
        values:
          - {role: target, period: "2025", value: 7}
    """).replace("  body_kind: styrelse\n", "")


@pytest.mark.parametrize(("lang", "words", "foreign"), [
    ("sv", ["krävs, men saknas", "okänd nyckel", "förväntade text (skriv tal som citerad text"], ["Field required", "expected", "unknown"]),
    ("en", ["required, but missing", "unknown key", "expected text (write figures as quoted text"], ["krävs", "okänd", "förväntade"]),
])
def test_validation_errors_are_said_in_the_run_language(tmp_path: Path, lang: str, words: list[str], foreign: list[str]):
    bad = tmp_path / "bad.plan.yaml"
    bad.write_text(BROKEN, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(bad), "--format", "json", "--no-cache", "--lang", lang])
    messages = " ".join(e["message"] for e in json.loads(result.stdout)["errors"])
    assert result.exit_code == 2
    assert all(w in messages for w in words), messages
    assert not any(f in messages for f in foreign), messages


def test_yaml_problems_are_said_in_swedish(tmp_path: Path):
    bad = tmp_path / "bad.plan.yaml"
    bad.write_text("plankoll: 1\nplan:\n  id: x\n   title: y\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(bad), "--format", "json", "--no-cache", "--lang", "sv"])
    (error,) = json.loads(result.stdout)["errors"]
    assert error["message"].startswith("inte giltig YAML: ") and "mapping values are not allowed" not in error["message"]


@pytest.mark.parametrize(("name", "data", "swedish"), [
    ("plan.docx", b"not a zip at all", "inte ett Word-dokument (.docx): filen är inget zip-paket"),
    ("plan.pdf", b"no header here", "inte en PDF-fil: %PDF-huvudet saknas"),
    ("plan.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "inte en .xlsx: en gammal Excel 97–2003-fil"),
])
def test_document_errors_are_said_in_swedish(tmp_path: Path, name: str, data: bytes, swedish: str):
    bad = tmp_path / name
    bad.write_bytes(data)
    sv = json.loads(CliRunner().invoke(main, ["check", str(bad), "--format", "json", "--no-cache", "--lang", "sv"]).stdout)
    en = json.loads(CliRunner().invoke(main, ["check", str(bad), "--format", "json", "--no-cache", "--lang", "en"]).stdout)
    assert sv["errors"][0]["message"].startswith(swedish), sv["errors"][0]["message"]
    assert not en["errors"][0]["message"].startswith(swedish[:10])
