"""Plans read as their users have them: Word documents and text, through one interpreter.

The reviewed findings of the hand-made datasets are the yardstick: plankoll must find them in the
documents themselves (matched by rule and element name), with no error the datasets do not list.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from document_findings import PLAN_000, expected, found
from helpers import REPO

from plankoll.cli import main
from plankoll.interpret import cells, sums
from plankoll.interpret.vocab import load
from plankoll.readers import text

FIXTURES = REPO / "tests/fixtures/word"
SEEDS = Path(os.environ.get("PLANKOLL_SEEDS") or REPO.parent / "shared" / "seeds")
SEED_FILES = {"001": "001_27a24ce34aab683d.txt", "002": "002_53cb80a50044d88b.txt", "004": "004_701fa82297f3b774.txt"}


def _prepared(source: Path, seed: str, tmp_path: Path) -> tuple[Path, list[Path]]:
    """The document in a folder of its own; the interim report (004) is compared with the
    Regionstyrelsen plan it quotes, whose indicator ids a sidecar asks it to reuse."""
    doc = tmp_path / source.name
    shutil.copy(source, doc)
    if seed != "004":
        return doc, []
    (tmp_path / f"{doc.name}.meta.yaml").write_text(f"ids_from: {PLAN_000}\n", encoding="utf-8")
    return doc, [PLAN_000]


def _assert_like_dataset(seed: str, doc: Path, others: list[Path]) -> None:
    wanted = expected(seed)
    every, errors = found(others, doc)
    recall = len(wanted & every) / len(wanted)
    assert recall >= 0.9, sorted(wanted - every)
    assert errors - wanted == set(), "error-level findings the reviewed dataset does not list"


@pytest.mark.parametrize("name", ["001-plain", "001-rich", "004-plain", "004-rich"])
def test_word_renderings_find_what_the_datasets_list(name: str, tmp_path: Path):
    seed = name.split("-")[0]
    doc, others = _prepared(FIXTURES / f"{name}.docx", seed, tmp_path)
    _assert_like_dataset(seed, doc, others)


@pytest.mark.parametrize("seed", ["001", "004"])
def test_seed_texts_read_directly_find_what_the_datasets_list(seed: str, tmp_path: Path):
    source = SEEDS / SEED_FILES[seed]
    if not source.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"the seed texts must be available in CI ({SEEDS}; set PLANKOLL_SEEDS)")
        pytest.skip(f"seed texts not found at {SEEDS} (set PLANKOLL_SEEDS to ../shared/seeds)")
    doc, others = _prepared(source, seed, tmp_path)
    _assert_like_dataset(seed, doc, others)


def _outcome(paths: list[Path]) -> set[tuple[str, str, str, str]]:
    from plankoll import engine
    from plankoll.config import Config, active_rules
    from plankoll.frames import build
    from plankoll.loader import load_paths

    loaded, errors = load_paths(paths)
    assert errors == []
    v = engine.run(build(loaded), active_rules(Config()), lang="en").violations
    return {(r.rule, r.element, str(r.expected), str(r.actual)) for r in v.itertuples()}


@pytest.mark.parametrize("name", ["001-rich", "004-rich"])
def test_import_writes_a_plan_version_with_the_same_findings(name: str, tmp_path: Path):
    doc = tmp_path / f"{name}.docx"
    shutil.copy(FIXTURES / f"{name}.docx", doc)
    out = tmp_path / f"{name}.plan.yaml"
    result = CliRunner().invoke(main, ["import", str(doc), "-o", str(out), "--explain"])
    assert result.exit_code == 0, result.output
    assert "indicators" in result.stderr and "→ name" in result.stderr
    assert "table " in out.read_text(encoding="utf-8")  # each element names its place in the document
    assert _outcome([doc]) == _outcome([out])


def test_a_directory_picks_up_word_documents_but_not_lock_files(tmp_path: Path):
    shutil.copy(FIXTURES / "001-rich.docx", tmp_path / "vp.docx")
    (tmp_path / "~$vp.docx").write_bytes(b"lock")
    result = CliRunner().invoke(main, ["check", str(tmp_path), "--format", "json", "--no-cache"])
    assert result.exit_code == 1, result.output
    import json

    report = json.loads(result.stdout)
    assert [p["file"] for p in report["plans"]] == [str(tmp_path / "vp.docx")] and report["errors"] == []
    where = report["plans"][0]["violations"][0]["location"]
    assert {"table", "row", "column"} <= set(where)


def test_a_broken_word_file_is_named_and_the_others_still_checked(tmp_path: Path):
    shutil.copy(FIXTURES / "001-plain.docx", tmp_path / "good.docx")
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    result = CliRunner().invoke(main, ["check", str(tmp_path), "--format", "json", "--no-cache"])
    assert result.exit_code == 2
    import json

    report = json.loads(result.stdout)
    assert [p["file"] for p in report["plans"]] == [str(tmp_path / "good.docx")]
    assert report["errors"][0]["file"] == str(tmp_path / "broken.docx") and "Word" in report["errors"][0]["message"]


def test_missing_metadata_is_one_error_that_says_how_to_supply_it(tmp_path: Path):
    doc = tmp_path / "plan.md"
    doc.write_text("| Indikator | Mål 2025 |\n|---|---|\n| Andel nöjda | 80 % |\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(doc), "--format", "json", "--no-cache"])
    assert result.exit_code == 2
    assert "organisation" in result.stdout and "plan.md.meta.yaml" in result.stdout
    (tmp_path / "plan.md.meta.yaml").write_text("organisation: Exempel kommun\nbody: Socialnämnden\nbody_kind: nämnd\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(doc), "--format", "json", "--no-cache"])
    assert result.exit_code == 1, result.output  # the target has no baseline and no source
    assert "PK301" in result.stdout and "PK302" in result.stdout


def test_text_reader_tables_headings_and_lines():
    layout = text.read_text("Titel\n\n2.1 Mål: Vi gör\n\nIndikator\tMål 2025\nAndel <i>Källa: X</i>\t5 %\n\nslut.\n", "t.txt")
    kinds = [type(b).__name__ for b in layout.blocks]
    assert kinds == ["Paragraph", "Heading", "Table", "Paragraph"]
    table = layout.blocks[2]
    assert table.rows[1][0].text == "Andel Källa: X" and table.rows[1][1].location.line == 6 and table.rows[1][1].location.column == 2


def test_cell_values_split_sex_series_and_periods():
    got = [(v.text, v.sex, v.series) for v in cells.cell_values("51 % M: 60 % K:45 %")]
    assert got == [("51 %", "total", None), ("60 %", "M", None), ("45 %", "K", None)]
    assert [(v.text, v.series) for v in cells.cell_values("RVN: 68 Riket: 72")] == [("68", "RVN"), ("72", "Riket")]
    assert [(v.text, v.sex, v.period) for v in cells.cell_values("2023: K 84 %, M 86 %")] == [("84 %", "K", "2023"), ("86 %", "M", "2023")]
    name = cells.name_cell("Andel undvikbar slutenvård ¹ <i>Källa: Cognos</i>".replace("<i>", "").replace("</i>", ""), load())
    assert (name.name, name.source, name.marks) == ("Andel undvikbar slutenvård", "Cognos", ["¹"])
    assert cells.split_marks("Andel digitala vårdbesök ¹") == ("Andel digitala vårdbesök", ["¹"])


def _rows(*specs: str) -> list[sums.RowInfo]:
    vocab = load()
    from plankoll.interpret.tables import is_part_of_above, is_total_label

    out = []
    for n, spec in enumerate(specs):
        label, _, flag = spec.partition("|")
        row_id = label.lower() if sum(s.partition("|")[0] == label for s in specs) == 1 else f"{label.lower()}-{n}"
        out.append(sums.RowInfo(row_id, label, is_total_label(label, vocab), flag == "section", is_part_of_above(label, vocab)))
    return out


def test_totals_are_placed_by_layout():
    grouped = sums.infer(_rows("Läkarbesök", "Somatik", "Psykiatri", "Övriga besök", "Somatik", "Psykiatri", "Totalt antal besök"))
    assert grouped.sums["läkarbesök"] == ["somatik-1", "psykiatri-2"] and grouped.sums["övriga besök"] == ["somatik-4", "psykiatri-5"]
    assert grouped.sums["totalt antal besök"] == ["läkarbesök", "övriga besök"]
    top = sums.infer(_rows("Totalt", "Primärvård|section", "Somatik", "Psykiatri"))
    assert top.sums == {"totalt": ["somatik", "psykiatri"]}
    subtotals = sums.infer(_rows("A", "B", "Summa X", "C", "varav D", "Summa Y", "Totalt"))
    assert subtotals.sums == {"summa x": ["a", "b"], "summa y": ["c"], "totalt": ["summa x", "summa y"]}
    ambiguous = sums.infer(_rows("Somatik", "Somatik", "Totalt"))
    assert ambiguous.unplaced == ["totalt"] and ambiguous.sums == {}  # a repeated label with no group row above it


MUNICIPAL_PLAN = """# Nämndplan 2025–2027 för Socialnämnden

Fastställd av socialnämnden 2024-11-20.

## Nämndmål: Invånarna får god service

| Mätpunkt | Utgångsvärde 2023 | Målvärde 2027 | Uppgiftskälla |
|---|---|---|---|
| Antal platser i särskilt boende | 120 | 130 | Verksamhetssystemet |

| Kvalitativa mått |
|---|
| Samverkan med regionen har utvecklats |

Målen följs upp i delårsrapport och årsredovisning.

## Bilaga: indikatorer och källor

| Indikator | Källa |
|---|---|
| Samverkan med regionen har utvecklats | Nämndens uppföljning |
"""


def _import(doc: Path, *args: str) -> dict:
    import yaml

    result = CliRunner().invoke(main, ["import", str(doc), *args])
    assert result.exit_code == 0, result.output
    return yaml.safe_load(result.stdout)


def test_configuration_supplies_metadata_and_vocabulary(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    doc = tmp_path / "plan.md"
    doc.write_text(MUNICIPAL_PLAN, encoding="utf-8")
    assert CliRunner().invoke(main, ["import", str(doc)]).exit_code == 2  # the organisation is printed nowhere
    (tmp_path / "plankoll.toml").write_text('[import]\norganisation = "Exempelby kommun"\n', encoding="utf-8")
    plan = _import(doc)
    assert plan["plan"]["organisation"] == "Exempelby kommun" and plan["plan"]["follow_up"]["line"] == 15
    # a measure column under an unknown header word ("Mätpunkt") is still read, beside target columns
    places, together = plan["indicators"]
    assert places["name"] == "Antal platser i särskilt boende" and len(places["values"]) == 2 and places["path"] == [
        "Nämndmål: Invånarna får god service"]
    # "Uppgiftskälla" is no word of the shipped vocabulary …
    assert "source" not in places
    # … a one-column list of qualitative measures, whose source an appendix gives
    assert together["kind"] == "qualitative" and together.get("values", []) == [] and together["source"] == "Nämndens uppföljning"
    (tmp_path / "plankoll.toml").write_text('[import]\norganisation = "Exempelby kommun"\n[vocabulary]\ncolumns = {source = ["uppgiftskälla"]}\n',
                                            encoding="utf-8")
    assert _import(doc)["indicators"][0]["source"] == "Verksamhetssystemet"  # … until the configuration adds it


def test_vocabulary_in_the_configuration_is_part_of_the_cache_key(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    doc = tmp_path / "plan.md"
    doc.write_text(MUNICIPAL_PLAN, encoding="utf-8")
    cache = tmp_path / "cache"
    (tmp_path / "plankoll.toml").write_text('[import]\norganisation = "Exempelby kommun"\n', encoding="utf-8")
    args = ["check", str(doc), "--format", "json", "--cache-dir", str(cache)]
    before = CliRunner().invoke(main, args).stdout
    (tmp_path / "plankoll.toml").write_text('[import]\norganisation = "Exempelby kommun"\n[vocabulary]\ncolumns = {source = ["uppgiftskälla"]}\n',
                                            encoding="utf-8")
    after = CliRunner().invoke(main, args).stdout
    assert '"rule": "PK302"' in before and '"rule": "PK302"' not in after


def test_a_bad_vocabulary_entry_is_a_configuration_error(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plankoll.toml").write_text('[vocabulary]\ncolumns = {nmae = ["x"]}\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert result.exit_code == 2 and "nmae" in result.output
