"""Excel: the generic workbook reader (plankoll.readers.xlsx) and the plankoll workbook
(plankoll.workbook: template, export, reading back). Fixtures in tests/fixtures/xlsx are made by
tools/make_xlsx_fixtures.py (budget.xlsx recalculated by LibreOffice); the rest is built here."""

from __future__ import annotations

import inspect
import io
import json
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from document_findings import PLAN_000, expected, found
from helpers import DATASETS, REPO
from openpyxl.comments import Comment

from plankoll import importer
from plankoll.cli import main
from plankoll.layout import Heading, Layout, Location, Paragraph, ReadError, Table
from plankoll.loader import LoadedPlan, load_file
from plankoll.model import PlanVersion
from plankoll.readers import xlsx as reader
from plankoll.readers.docx import MAX_ENTRIES, OLE_MAGIC
from plankoll.workbook import (
    INDICATOR_SHEET,
    PLAN_SHEET,
    decode_path,
    decode_waivers,
    encode_path,
    encode_waivers,
    example_plan,
    export_plan,
    import_template,
    read_template,
    write_template,
)

FIXTURES = REPO / "tests/fixtures/xlsx"
PLAN_FILES = sorted(DATASETS.glob("**/*.plan.yaml"))


# --- helpers ---------------------------------------------------------------------------------------

def save(book: openpyxl.Workbook, tmp_path: Path, name: str = "bok.xlsx") -> Path:
    path = tmp_path / name
    book.save(path)
    return path


def sheet_book(rows: list[list[object]], title: str = "Blad", formats: dict[str, str] | None = None) -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(r, c, value)
    for ref, code in (formats or {}).items():
        sheet[ref].number_format = code
    return book


def tables(layout: Layout) -> list[Table]:
    return [b for b in layout.blocks if isinstance(b, Table)]


def texts(table: Table) -> list[list[str]]:
    return [[c.text for c in row] for row in table.rows]


def check_json(*paths: Path) -> dict:
    result = CliRunner().invoke(main, ["check", *map(str, paths), "--format", "json", "--no-cache"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


# --- printed precision ------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "code", "text"), [
    (1369635, "# ##0", "1 369 635"),
    (1369635, "#\\ ##0", "1 369 635"),  # LibreOffice saves `# ##0` so
    (1369635.4, "#,##0", "1 369 635"),
    (5, "0.0", "5,0"),
    (2.675, "0.00", "2,68"),  # half up on the decimal value, as Excel prints it (Python's float rounding gives 2,67)
    (101.25, "0.0", "101,3"),
    (0.125, "0.0%", "12,5 %"),
    (0.125, "0%", "13 %"),
    (-0.112, "0.0%", "-11,2 %"),
    (-1234.5, "#,##0;(#,##0)", "(1 235)"),
    (0, '#,##0;-#,##0;"-"', "-"),
    (1369635, "#,##0,", "1 370"),  # a trailing comma prints thousands
    (12345.678, "# ##0.0", "12 345,7"),
    (12.5, '#,##0 "kr"', "13 kr"),
    (0.3, "General", "0,3"),
    (1 / 3, "General", "0,3333333333"),
    (42.0, "General", "42"),
    (123456, "0.00E+00", "1,23E+05"),
    (7, "000", "007"),
    (3.0, "@", "3"),
    (True, "General", "SANT"),
])
def test_printed_with_the_number_format_in_swedish_notation(value, code, text):
    assert reader.printed(value, code) == text


def test_cells_print_as_their_number_format_says(tmp_path):
    book = sheet_book([["Mått", "2023", "2024"], ["Andel", 0.0512, 0.235], ["Kostnad", 12345.678, 99.95], ["Antal", 1369635, 7]],
                      formats={"B2": "0.0%", "C2": "0.0%", "B3": "# ##0.0", "C3": "0.0", "B4": "# ##0", "C4": "0"})
    table = tables(reader.read(save(book, tmp_path)))[0]
    assert texts(table)[1:] == [["Andel", "5,1 %", "23,5 %"], ["Kostnad", "12 345,7", "100,0"], ["Antal", "1 369 635", "7"]]


def test_fixture_key_figures_keep_their_decimals():
    layout = reader.read(FIXTURES / "budget.xlsx")
    key = next(t for t in tables(layout) if t.location.sheet == "Nyckeltal")
    assert texts(key)[1:] == [["Sjukfrånvaro", "5,1 %", "5,0 %"], ["Kostnad per invånare (kr)", "12 345,7", "12 789,0"],
                              ["Andel digitala besök", "20 %", "23,5 %"], ["Index nöjdhet", "101,3", "100,0"]]


# --- the budget fixture: merges, formulas, the typed-over total -----------------------------------------

def test_merged_header_spans_the_columns_under_it():
    budget = next(t for t in tables(reader.read(FIXTURES / "budget.xlsx")) if t.location.sheet == "Budget")
    origin, copy = budget.rows[0][1], budget.rows[0][2]
    assert (origin.text, origin.col_span, origin.origin) == ("Ram (tkr)", 2, True)
    assert (copy.text, copy.origin) == ("Ram (tkr)", False)
    assert budget.header_rows == 2
    assert origin.location == Location(str(FIXTURES / "budget.xlsx"), table=1, row=1, column=2, sheet="Budget", cell="B3")


def test_formulas_count_with_their_cached_values():
    budget = next(t for t in tables(reader.read(FIXTURES / "budget.xlsx")) if t.location.sheet == "Budget")
    rows = {row[0].text: [c.text for c in row[1:]] for row in budget.rows}
    assert rows["Summa hälso- och sjukvård"] == ["1 650 215", "1 682 600"]  # =SUM(B5:B7), =SUM(C5:C7)
    assert rows["Summa regional utveckling"] == ["81 650", "84 000"]  # C11 typed over its formula
    assert rows["Totalt"] == ["1 731 865", "1 766 600"]  # after a blank row: still the table's row


def test_typed_over_total_is_caught_with_sheet_and_cell(tmp_path):
    path = tmp_path / "budget.xlsx"
    shutil.copy(FIXTURES / "budget.xlsx", path)
    result = check_json(path)
    [plan] = result["plans"]
    [violation] = [v for v in plan["violations"] if v["rule"] == "PK101"]
    assert violation["location"]["sheet"] == "Budget" and violation["location"]["cell"] == "C11"
    assert "Summa regional utveckling" in violation["message"]
    assert (plan["organisation"], plan["body"], plan["period"]) == ("Region Exempel", "Regionstyrelsen", [2024, 2026])


def test_formula_without_a_cached_value_is_a_notice_and_prints_nothing():
    layout = reader.read(FIXTURES / "budget-uncalculated.xlsx")
    missing = [n.location.cell for n in layout.notices if n.code == "formula_without_value"]
    assert missing == ["B8", "C8", "B11", "B13", "C13"]  # C11 is a number typed over its formula
    budget = next(t for t in tables(layout) if t.location.sheet == "Budget")
    rows = {row[0].text: [c.text for c in row[1:]] for row in budget.rows}
    assert rows["Summa hälso- och sjukvård"] == ["", ""] and rows["Totalt"] == ["", ""]


def test_label_value_sheet_gives_paragraphs_and_properties():
    layout = reader.read(FIXTURES / "budget.xlsx")
    assert layout.blocks[0] == Heading("Dokument", 1, Location(str(FIXTURES / "budget.xlsx"), sheet="Dokument"))
    paragraphs = [b for b in layout.blocks[1:8] if isinstance(b, Paragraph)]
    assert [p.text for p in paragraphs][:2] == ["Organisation: Region Exempel", "Organ: Regionstyrelsen"]
    assert all(p.style == reader.LABEL_VALUE_STYLE for p in paragraphs)
    assert {k: layout.properties[k] for k in ("organisation", "body", "document", "period", "version", "status")} == {
        "organisation": "Region Exempel", "body": "Regionstyrelsen", "document": "Verksamhetsplan", "period": "2024–2026",
        "version": "0.3", "status": "Utkast"}


def test_two_columns_with_one_metadata_word_are_a_table(tmp_path):
    layout = reader.read(save(sheet_book([["Status", "Kommentar"], ["Klar", "Enligt plan"]]), tmp_path))
    assert texts(tables(layout)[0]) == [["Status", "Kommentar"], ["Klar", "Enligt plan"]] and "status" not in layout.properties
    layout = reader.read(save(sheet_book([["Organisation:", "Region Exempel"], ["Nämnd:", "Kulturnämnden"], ["Kontakt", "x"]]), tmp_path))
    assert [b.text for b in layout.blocks[1:]] == ["Organisation: Region Exempel", "Nämnd: Kulturnämnden", "Kontakt: x"]
    assert layout.properties["body"] == "Kulturnämnden"


def test_comments_hidden_sheets_and_title_rows():
    layout = reader.read(FIXTURES / "budget.xlsx")
    note = layout.notes["comment:Budget!A10"]
    assert (note.text, note.kind, note.location.cell) == ("Inklusive regional biblioteksverksamhet.", "note", "A10")
    budget = next(t for t in tables(layout) if t.location.sheet == "Budget")
    assert next(row[0] for row in budget.rows if row[0].text == "Kultur").notes == ["comment:Budget!A10"]
    assert [n.params for n in layout.notices if n.code == "hidden_sheet"] == [{"sheet": "Underlag"}]
    title = layout.blocks[layout.blocks.index(Heading("Budget", 1, Location(str(FIXTURES / "budget.xlsx"), sheet="Budget"))) + 1]
    assert isinstance(title, Paragraph) and title.text == "Driftbudget per verksamhet (tkr)"


# --- blocks ----------------------------------------------------------------------------------------

def test_blank_column_separates_tables_but_a_spacer_does_not(tmp_path):
    rows = [["Verksamhet", None, "2024", "2025", None, "Mått", "Värde"],
            ["Vård", None, 10, 20, None, "Andel", "5 %"],
            ["Tandvård", None, 1, 2, None, "Antal", "7"]]
    layout = reader.read(save(sheet_book(rows), tmp_path))
    left, right = tables(layout)
    assert texts(left) == [["Verksamhet", "2024", "2025"], ["Vård", "10", "20"], ["Tandvård", "1", "2"]]
    assert [c.location.cell for c in left.rows[1]] == ["A2", "C2", "D2"]
    assert texts(right)[0] == ["Mått", "Värde"] and right.location.cell == "F1"


def test_blank_row_separates_tables_and_one_column_is_paragraphs(tmp_path):
    rows = [["Rubrik över allt"], [None], ["A", "B"], ["x", 1], [None], ["C", "D"], ["y", "z"], [None], ["Fri text"], ["Mer text"]]
    layout = reader.read(save(sheet_book(rows), tmp_path))
    kinds = [(type(b).__name__, b.text if not isinstance(b, Table) else texts(b)) for b in layout.blocks]
    assert kinds == [("Heading", "Blad"), ("Paragraph", "Rubrik över allt"), ("Table", [["A", "B"], ["x", "1"]]),
                     ("Table", [["C", "D"], ["y", "z"]]), ("Paragraph", "Fri text"), ("Paragraph", "Mer text")]


def test_caption_row_above_a_table_is_a_paragraph(tmp_path):
    book = sheet_book([["Ram per år (mnkr)"], ["Område", "2024"], ["Vård", 5]])
    book.active.merge_cells("A1:B1")
    layout = reader.read(save(book, tmp_path))
    assert isinstance(layout.blocks[1], Paragraph) and layout.blocks[1].text == "Ram per år (mnkr)"
    assert texts(tables(layout)[0]) == [["Område", "2024"], ["Vård", "5"]]


def test_error_cells_print_their_code_and_empty_sheets_are_skipped(tmp_path):
    book = sheet_book([["Mått", "Värde"], ["Kvot", "#DIV/0!"]])
    book.active["B2"].data_type = "e"
    book.create_sheet("Tomt")
    layout = reader.read(save(book, tmp_path))
    assert texts(tables(layout)[0])[1] == ["Kvot", "#DIV/0!"]
    assert [b.text for b in layout.blocks if isinstance(b, Heading)] == ["Blad"]


def test_data_argument_and_core_properties(tmp_path):
    book = sheet_book([["a", "b"], ["c", 1]])
    book.properties.title = "Verksamhetsplan 2025"
    path = save(book, tmp_path)
    layout = reader.read(Path("namngiven.xlsx"), path.read_bytes())
    assert layout.file == "namngiven.xlsx" and layout.format == "xlsx"
    assert layout.properties["title"] == "Verksamhetsplan 2025"


def test_large_workbook_reads(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Rad", *(f"Kolumn {c}" for c in range(1, 10))])
    for r in range(2000):
        sheet.append([f"Rad {r}", *(r * 10 + c + 0.25 for c in range(9))])
    layout = reader.read(save(book, tmp_path))
    [table] = tables(layout)
    assert len(table.rows) == 2001 and table.rows[-1][1].text == "19990,25" and table.rows[-1][9].location.cell == "J2001"


# --- bad input: ReadError, never anything else ---------------------------------------------------------

def _zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return path


def _entries(book: openpyxl.Workbook) -> dict[str, bytes]:
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as source:
        return {n: source.read(n) for n in source.namelist()}


def test_zip_bomb_refused(tmp_path):
    path = tmp_path / "bomb.xlsx"
    chunk = bytes(1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
        for _ in range(20):
            out.write(chunk)
    with pytest.raises(ReadError, match=r"zip bomb: xl/worksheets/sheet1.xml is compressed \d+:1"):
        reader.read(path)


def test_too_many_entries_refused(tmp_path):
    path = _zip(tmp_path / "many.xlsx", {f"x/{i}.xml": b"" for i in range(MAX_ENTRIES + 1)})
    with pytest.raises(ReadError, match="entries"):
        reader.read(path)


def test_not_a_zip_names_the_file(tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_text("Det här är ingen arbetsbok.", encoding="utf-8")
    with pytest.raises(ReadError, match=r"not an Excel workbook \(\.xlsx\)") as info:
        reader.read(path)
    assert info.value.location == Location(str(path))


@pytest.mark.parametrize(("extra", "message"), [(b"", r"old Excel 97–2003 \.xls"), ("EncryptionInfo".encode("utf-16-le"), "encrypted")])
def test_ole_file_encrypted_or_xls(tmp_path, extra, message):
    path = tmp_path / "skyddad.xlsx"
    path.write_bytes(OLE_MAGIC + bytes(504) + extra + bytes(1024))
    with pytest.raises(ReadError, match=message):
        reader.read(path)


def test_word_document_named_xlsx(tmp_path):
    path = tmp_path / "plan.xlsx"
    shutil.copy(REPO / "tests/fixtures/word/001-plain.docx", path)
    with pytest.raises(ReadError, match="Word document"):
        reader.read(path)


def test_sheet_spanning_the_whole_grid_is_refused_before_calamine_sees_it(tmp_path):
    """calamine allocates the rectangle from the first to the last cell: A1 and XFD1048576 would abort the process."""
    entries = _entries(sheet_book([["a"]]))
    entries["xl/worksheets/sheet1.xml"] = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="n"><v>1</v></c></row><row r="1048576"><c r="XFD1048576" t="n"><v>2</v></c></row>'
        b'</sheetData></worksheet>')
    with pytest.raises(ReadError, match="too large"):
        reader.read(_zip(tmp_path / "vid.xlsx", entries))


def test_doctype_in_a_sheet_is_refused_and_entities_in_comments_not_resolved(tmp_path):
    secret = tmp_path / "hemligt.txt"
    secret.write_text("HEMLIGT", encoding="utf-8")
    entries = _entries(sheet_book([["a", "b"]]))
    sheet = entries["xl/worksheets/sheet1.xml"]
    entries["xl/worksheets/sheet1.xml"] = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' + sheet.split(b"?>", 1)[-1]
    with pytest.raises(ReadError, match="document type declaration"):
        reader.read(_zip(tmp_path / "dtd.xlsx", entries))
    book = sheet_book([["a", "b"], ["c", 1]])
    book.active["A2"].comment = Comment("x", "y")
    entries = _entries(book)
    name = next(n for n in entries if "comments" in n and n.endswith(".xml"))
    entries[name] = (f'<?xml version="1.0"?><!DOCTYPE c [<!ENTITY x SYSTEM "file://{secret}">]>'
                     '<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><authors><author>y</author></authors>'
                     '<commentList><comment ref="A2" authorId="0"><text><t>&x;</t></text></comment></commentList></comments>').encode()
    layout = reader.read(_zip(tmp_path / "entitet.xlsx", entries))
    assert all("HEMLIGT" not in note.text for note in layout.notes.values())


def test_missing_file(tmp_path):
    with pytest.raises(ReadError, match="cannot read"):
        reader.read(tmp_path / "finns-inte.xlsx")


def test_damaged_workbooks_raise_only_read_error(tmp_path):
    """Truncations and damaged bytes anywhere in a real workbook: read, or ReadError naming the file, nothing else."""
    data = (FIXTURES / "budget.xlsx").read_bytes()
    variants = [data[:cut] for cut in range(0, len(data), max(1, len(data) // 40))]
    variants += [data[:at] + bytes([data[at] ^ 0x55]) + data[at + 1:] for at in range(30, len(data), max(1, len(data) // 60))]
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        entries = {n: source.read(n) for n in source.namelist()}
    for name, content in entries.items():
        if name.endswith((".xml", ".rels")):
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w") as archive:
                for entry, blob in dict(entries, **{name: content[: len(content) // 2]}).items():
                    archive.writestr(entry, blob)
            variants.append(out.getvalue())
    for n, variant in enumerate(variants):
        try:
            reader.read(Path(f"trasig-{n}.xlsx"), variant)
        except ReadError as exc:
            assert exc.location is not None and exc.location.file == f"trasig-{n}.xlsx"


def test_damaged_templates_raise_only_read_or_value_errors(tmp_path):
    path = tmp_path / "mall.xlsx"
    write_template(path)
    data = path.read_bytes()
    variants = [data[:cut] for cut in range(0, len(data), max(1, len(data) // 30))]
    variants += [data[:at] + bytes([data[at] ^ 0x55]) + data[at + 1:] for at in range(30, len(data), max(1, len(data) // 60))]
    for n, variant in enumerate(variants):
        try:
            import_template(Path(f"trasig-{n}.xlsx"), variant)
        except ValueError:  # ReadError is one
            pass


def test_a_broken_workbook_is_named_and_the_others_still_checked(tmp_path):
    (tmp_path / "trasig.xlsx").write_bytes(b"PK\x03\x04 inte en arbetsbok")
    shutil.copy(FIXTURES / "budget.xlsx", tmp_path / "budget.xlsx")
    result = CliRunner().invoke(main, ["check", str(tmp_path), "--format", "json", "--no-cache"])
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert [p["file"] for p in data["plans"]] == [str(tmp_path / "budget.xlsx")]
    assert any("trasig.xlsx" in e["file"] for e in data["errors"])


# --- workbook renderings of the seeds ---------------------------------------------------------------------

@pytest.mark.parametrize("seed", ["001", "004"])
def test_workbook_renderings_find_what_the_word_renderings_find(seed: str, tmp_path: Path):
    results = {}
    for fixture in (FIXTURES / f"{seed}-rich.xlsx", REPO / f"tests/fixtures/word/{seed}-rich.docx"):
        doc = tmp_path / fixture.name
        shutil.copy(fixture, doc)
        others = []
        if seed == "004":  # the interim report is compared with the plan it quotes (as in test_documents)
            (tmp_path / f"{doc.name}.meta.yaml").write_text(f"ids_from: {PLAN_000}\n", encoding="utf-8")
            others = [PLAN_000]
        results[fixture.suffix] = found(others, doc)
    every, errors = results[".xlsx"]
    assert results[".xlsx"] == results[".docx"]
    wanted = expected(seed)
    assert wanted <= every and errors - wanted == set()


# --- the plankoll workbook ----------------------------------------------------------------------------------

def test_template_has_tables_drop_downs_comments_and_an_example(tmp_path):
    path = tmp_path / "mall.xlsx"
    write_template(path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[:3] == ["Läs mig", PLAN_SHEET, INDICATOR_SHEET] and book.sheetnames[3].startswith("Tabell ")
    indicators = book[INDICATOR_SHEET]
    assert list(indicators.tables) == ["Indikatorer"] and list(book[book.sheetnames[3]].tables) == ["Tabell1"]
    lists = {v.formula1 for s in book.worksheets for v in s.data_validations.dataValidation}
    assert '"baseline,target,outcome"' in lists and '"quantitative,qualitative"' in lists
    assert '"utkast,fastställd,reviderad"' in lists and any("delårsrapport" in f for f in lists) and any("nämnd" in f for f in lists)
    headers = list(indicators[1])
    assert all(c.comment is not None and c.comment.text for c in headers)
    assert all(isinstance(c.value, str) for row in indicators.iter_rows(min_row=2, min_col=11, max_col=14) for c in row if c.value)
    assert read_template(path) == example_plan()


def test_template_example_checks_clean(tmp_path):
    path = tmp_path / "plan.xlsx"
    write_template(path)
    plan, result = import_template(path)
    assert plan == example_plan() and result.locations[("indicators", 0, "values", 0, "K")].cell == "L2"


@pytest.mark.parametrize("plan_file", PLAN_FILES, ids=lambda p: p.name)
def test_every_dataset_round_trips_exactly(plan_file: Path, tmp_path: Path):
    loaded = load_file(plan_file)
    assert isinstance(loaded, LoadedPlan)
    path = tmp_path / "plan.xlsx"
    export_plan(loaded.plan, path)
    assert read_template(path) == loaded.plan


def test_figures_are_text_and_empty_figures_and_readings_survive(tmp_path):
    plan = load_file(DATASETS / "norrbotten/regionstyrelsen/plan-2020-v0.32.plan.yaml").plan
    path = tmp_path / "plan.xlsx"
    export_plan(plan, path)
    book = openpyxl.load_workbook(path)
    sheet = next(book[n] for n in book.sheetnames if n.startswith("Tabell") and any(
        c.comment is not None and c.comment.text.startswith("ocr:") for row in book[n].iter_rows() for c in row))
    cell = next(c for row in sheet.iter_rows() for c in row if c.comment is not None and c.comment.text.startswith("ocr:"))
    assert isinstance(cell.value, str) and cell.number_format == "@"


def test_typed_numbers_in_a_template_print_with_their_format(tmp_path):
    path = tmp_path / "plan.xlsx"
    write_template(path)
    book = openpyxl.load_workbook(path)
    sheet = book[INDICATOR_SHEET]
    sheet["K3"], sheet["L3"], sheet["M3"], sheet["N3"] = 0.875, None, None, None
    sheet["K3"].number_format = "0.0%"
    sheet["I3"] = 2025  # a year typed as a number
    book.save(path)
    value = read_template(path).indicators[0].values[1]
    assert (value.period, value.value, value.K) == ("2025", "87,5 %", None)


@pytest.mark.parametrize(("sheet", "cell", "value", "message"), [
    (PLAN_SHEET, "A26", "okänt_fält", r"Plan!A26: unknown field 'okänt_fält'"),  # directly below the last field
    (PLAN_SHEET, "B9", "tjugo", r"Plan!B9: expected a whole number"),  # period.first
    (INDICATOR_SHEET, "A3", None, r"Indikatorer!A3: the indicator id is missing"),
    (INDICATOR_SHEET, "D3", "st", r"Indikatorer!D3: unit differs from the indicator's first row \(D2\)"),
    (INDICATOR_SHEET, "H3", "mål", r"Indikatorer!H3: not a valid plan version: role"),
    (INDICATOR_SHEET, "L3", "5,0,0", r"Indikatorer!L3: .*5,0,0"),  # looks like a figure but is none
    ("Tabell exempel-ramar", "A17", "primarvard", r"Tabell exempel-ramar!B17: duplicate row id 'primarvard'"),
])
def test_template_errors_name_the_cell(tmp_path, sheet, cell, value, message):
    path = tmp_path / "plan.xlsx"
    write_template(path)
    book = openpyxl.load_workbook(path)
    book[sheet][cell] = value
    book.save(path)
    with pytest.raises(ValueError, match=message):
        read_template(path)


def test_other_workbooks_are_not_templates(tmp_path):
    assert read_template(FIXTURES / "budget.xlsx") is None
    assert import_template(tmp_path / "plan.docx") is None


@pytest.mark.parametrize(("value", "text"), [
    (["Målområde 2: x", "Mål: y"], "Målområde 2: x › Mål: y"), ([""], ""), (["a › b", "c"], '[a › b, c]'), (["[1] Mål"], "['[1] Mål']")])
def test_paths_are_readable_unless_that_would_not_read_back(value, text):
    assert encode_path(value) == text and decode_path(text) == value


@pytest.mark.parametrize(("value", "text"), [
    ({"PK501": "Uppdelning i kön saknas (fotnot 4)"}, "PK501: Uppdelning i kön saknas (fotnot 4)"),
    ({"PK501": "två\nrader"}, '{"PK501": "två\\nrader"}')])
def test_waivers_are_readable_unless_that_would_not_read_back(value, text):
    assert encode_waivers(value) == text and decode_waivers(text) == value


HOOKED = "import_template" in inspect.getsource(importer.import_document)


@pytest.mark.skipif(not HOOKED, reason="plankoll/importer.py import_document does not call plankoll.workbook.import_template yet")
def test_check_and_import_read_a_template_with_sheet_and_cell(tmp_path):
    plan = example_plan()
    broken = plan.model_copy(update={"tables": [plan.tables[0].model_copy(update={"rows": [
        *plan.tables[0].rows[:3], plan.tables[0].rows[3].model_copy(update={"values": ["5 062,5", "5 185,5", "5 300,0"]})]})]})
    path = tmp_path / "plan.xlsx"
    export_plan(broken, path)
    [entry] = check_json(path)["plans"]
    [violation] = [v for v in entry["violations"] if v["rule"] == "PK101"]
    assert violation["location"]["sheet"] == "Tabell exempel-ramar" and violation["location"]["cell"] == "F19"
    out = tmp_path / "plan.plan.yaml"
    result = CliRunner().invoke(main, ["import", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert load_file(out).plan == broken


def test_cli_template_and_export(tmp_path):
    runner = CliRunner()
    path = tmp_path / "mall.xlsx"
    assert runner.invoke(main, ["template", str(path)]).exit_code == 0
    again = runner.invoke(main, ["template", str(path)])
    assert again.exit_code == 2 and "--force" in again.output
    assert runner.invoke(main, ["template", str(path), "--force"]).exit_code == 0
    assert runner.invoke(main, ["template", str(tmp_path / "mall.xls")]).exit_code == 2
    source = DATASETS / "vasternorrland/regionstyrelsen/vp-2023.plan.yaml"
    out = tmp_path / "vp.xlsx"
    result = runner.invoke(main, ["export", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert read_template(out) == load_file(source).plan
    bad = tmp_path / "trasig.plan.yaml"
    bad.write_text("plankoll: 1\nplan: {}\n", encoding="utf-8")
    failed = runner.invoke(main, ["export", str(bad), "-o", str(tmp_path / "x.xlsx")])
    assert failed.exit_code == 2 and "trasig.plan.yaml" in failed.output


def test_example_is_a_valid_plan_version():
    assert isinstance(example_plan(), PlanVersion) and example_plan().tables[0].rows[-1].sum_of
