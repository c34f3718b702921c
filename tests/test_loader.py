"""Bad input gives a clear error naming the file and the line; good files are still read."""

from __future__ import annotations

from pathlib import Path

from helpers import DATASETS, plan_text

from plankoll.frames import build
from plankoll.loader import LoadedPlan, load_paths, load_text


def errors_of(text: str) -> list:
    result = load_text(text, "x.plan.yaml")
    assert not isinstance(result, LoadedPlan), "expected the file to be rejected"
    return result


def test_malformed_yaml_names_the_line():
    text = plan_text("indicators:\n  - id: a\n    name: [unclosed\n")
    (err,) = errors_of(text)
    assert err.file == "x.plan.yaml"
    assert err.line == len(text.splitlines()) + 1 or err.line == len(text.splitlines())
    assert "not valid YAML" in err.message


def test_unknown_key_is_named_with_its_line():
    text = plan_text("indicators:\n  - id: a\n    name: A\n    colour: red\n")
    (err,) = errors_of(text)
    assert err.line == text.splitlines().index("    colour: red") + 1
    assert "indicators.0.colour" in err.message and "unknown key" in err.message


def test_unquoted_number_asks_for_printed_text():
    text = plan_text("indicators:\n  - id: a\n    name: A\n    values:\n      - {role: target, period: '2023', value: 6.5}\n")
    (err,) = errors_of(text)
    assert err.line == len(text.splitlines())
    assert "quoted text exactly as printed" in err.message


def test_unparseable_figure_is_an_error_at_its_line():
    text = plan_text("indicators:\n  - id: a\n    name: A\n    values:\n      - role: target\n        period: '2023'\n        value: '5,0,0 %'\n")
    (err,) = errors_of(text)
    assert err.line == len(text.splitlines())
    assert "5,0,0 %" in err.message


def test_duplicate_ids_and_dangling_references():
    text = plan_text("""\
        indicators:
          - {id: a, name: A}
          - {id: a, name: B}
        tables:
          - id: t
            title: T
            columns: [X]
            rows:
              - {id: r1, label: R1, values: ["1"]}
              - {id: r1, label: R2, values: ["1", "2"]}
              - {id: tot, label: Summa, values: ["2"], sum_of: [r1, nope]}
        """)
    errors = errors_of(text)
    messages = " | ".join(e.message for e in errors)
    assert "duplicate indicator id 'a'" in messages
    assert "duplicate row id 'r1'" in messages
    assert "has 2 cells but the table has 1 columns" in messages
    assert "no row 'nope'" in messages
    assert all(e.line for e in errors)


def test_duplicate_yaml_key():
    text = plan_text("indicators: []\nindicators: []\n")
    (err,) = errors_of(text)
    assert "duplicate key 'indicators'" in err.message
    assert err.line == len(text.splitlines())


def test_wrong_format_version():
    (err,) = errors_of(plan_text("").replace("plankoll: 1", "plankoll: 7"))
    assert err.line == 1 and "plankoll: 1" in err.message


def test_bad_file_beside_good_one_both_reported(tmp_path: Path, write_plan):
    write_plan("indicators: []\n", name="good.plan.yaml")
    (tmp_path / "bad.plan.yaml").write_text("plankoll: 1\nplan: {id: x\n", encoding="utf-8")
    plans, errors = load_paths([tmp_path])
    assert [Path(p.file).name for p in plans] == ["good.plan.yaml"]
    assert len(errors) == 1 and errors[0].file.endswith("bad.plan.yaml") and errors[0].line == 3
    assert "started on line 2" in errors[0].message


def test_missing_path_and_empty_directory(tmp_path: Path):
    plans, errors = load_paths([tmp_path / "nope", tmp_path])
    assert plans == []
    assert {e.message.split(" (")[0] for e in errors} == {"no such file or directory", "no plan versions"}


def test_datasets_load_into_valid_frames_with_provenance():
    plans, errors = load_paths([DATASETS])
    assert errors == []
    assert len(plans) >= 3
    frames = build(plans)
    assert frames.plans["plan_key"].is_unique
    # every value and every cell says where it stands in the source document: its line or page, or,
    # read from Word directly, its table, row and column
    assert frames.values[["src_line", "src_page", "doc_table"]].notna().any(axis=1).all()
    assert frames.cells[["src_line", "src_page", "doc_table"]].notna().any(axis=1).all()
    assert frames.cells.loc[frames.cells["doc_table"].notna(), ["doc_row", "doc_column"]].notna().all().all()
    # printed precision is kept
    ram = frames.cells[(frames.cells["table_id"] == "rvn-rs-ramomraden") & (frames.cells["row_id"] == "primarvard")]
    assert ram["text"].tolist()[0] == "1 369 635" and ram["number"].tolist()[0] == 1369635 and ram["decimals"].tolist()[0] == 0
