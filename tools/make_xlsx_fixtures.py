#!/usr/bin/env python3
"""Excel (.xlsx) test fixtures for plankoll's workbook reader, written to tests/fixtures/xlsx/.

- ``budget-uncalculated.xlsx``: a generic budget workbook as openpyxl writes it: a sheet of
  label–value metadata (Dokument), a budget (Budget) with a merged header, subtotal formulas
  (=SUM(B5:B7)), a grand total formula after a blank row, one subtotal typed over its formula with
  a wrong number (C11: 84 000 where the parts give 83 050), number formats `# ##0`; key figures
  (Nyckeltal) in `0.0`, `0.0%`, `0%`, `# ##0.0`; a cell comment; a hidden sheet. Its formulas
  hold no cached values.
- ``budget.xlsx``: the same workbook recalculated by LibreOffice Calc, so that every formula
  carries its cached value (as a workbook saved by Excel does).
- ``004-rich.xlsx`` (and ``001-rich.xlsx``): workbook renderings of the Word fixtures of seeds 004
  and 001 (tests/fixtures/word/), made from what plankoll's Word reader reads in them: a sheet per
  top-level heading, headings and paragraphs one cell a row, each table a block of cells with its
  merged cells merged, footnotes as cell comments, and the figures of the table bodies as numbers
  with the number format that prints them as the document does ("9 847" → 9847 in `#,##0`,
  "18,26%" → 0.1826 in `0.00%`).

    python tools/make_xlsx_fixtures.py [--out DIR] [--no-recalc]

LibreOffice (`soffice`, Debian's libreoffice-calc-nogui) is needed only for ``budget.xlsx``; with
--no-recalc, or without soffice, that file is left as it is. Tests never need LibreOffice. Zip
entries get a fixed timestamp and the core properties fixed dates, so reruns differ only where
LibreOffice itself writes something new.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from plankoll.layout import Heading, Layout, Table  # noqa: E402
from plankoll.readers import docx  # noqa: E402

DEFAULT_OUT = REPO / "tests" / "fixtures" / "xlsx"
WORD = REPO / "tests" / "fixtures" / "word"
FIXED = dt.datetime(2026, 1, 1)
ZIP_TIME = (2026, 1, 1, 0, 0, 0)
THOUSANDS = "# ##0"


# --- the budget workbook --------------------------------------------------------------------------------

BUDGET_ROWS = [  # label, 2024, 2025 (a str is a formula)
    ("Primärvård", 412345, 420100),
    ("Specialiserad somatisk vård", 982760, 1001200),
    ("Psykiatri", 255110, 261300),
    ("Summa hälso- och sjukvård", "=SUM(B5:B7)", "=SUM(C5:C7)"),
    ("Kollektivtrafik", 61200, 62000),
    ("Kultur", 20450, 21050),
    ("Summa regional utveckling", "=SUM(B9:B10)", 84000),  # typed over =SUM(C9:C10), which gives 83 050
]
TYPED_OVER = "C11"


def budget() -> Workbook:
    book = Workbook()
    _metadata(book.active)
    _budget_sheet(book.create_sheet("Budget"))
    _key_figures(book.create_sheet("Nyckeltal"))
    hidden = book.create_sheet("Underlag")
    hidden.append(["Hjälptal", 1.5])
    hidden.sheet_state = "hidden"
    _fix_properties(book)
    return book


def _metadata(sheet: Any) -> None:
    sheet.title = "Dokument"
    for label, value in [("Organisation", "Region Exempel"), ("Organ", "Regionstyrelsen"), ("Dokument", "Verksamhetsplan"),
                         ("Titel", "Verksamhetsplan med budget 2024–2026"), ("Planperiod", "2024–2026"), ("Version", "0.3"),
                         ("Status", "Utkast")]:
        sheet.append([label, value])
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 40


def _budget_sheet(sheet: Any) -> None:
    sheet["A1"] = "Driftbudget per verksamhet (tkr)"
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A3"], sheet["B3"] = "Verksamhet", "Ram (tkr)"
    sheet.merge_cells("B3:C3")
    sheet["B4"], sheet["C4"] = "2024", "2025"
    for r, (label, *values) in enumerate(BUDGET_ROWS, start=5):
        sheet.cell(r, 1, label).font = Font(bold=label.startswith("Summa"))
        for c, value in enumerate(values, start=2):
            sheet.cell(r, c, value).number_format = THOUSANDS
    # a blank row, then the grand total: a total set apart from its parts
    sheet["A13"] = "Totalt"
    sheet["A13"].font = Font(bold=True)
    for column in "BC":
        sheet[f"{column}13"] = f"={column}8+{column}11"
        sheet[f"{column}13"].number_format = THOUSANDS
    sheet["A10"].comment = Comment("Inklusive regional biblioteksverksamhet.", "Controller")
    for cell in ("A3", "B3", "B4", "C4"):
        sheet[cell].font = Font(bold=True)
    sheet.column_dimensions["A"].width = 32


def _key_figures(sheet: Any) -> None:
    sheet.append(["Mått", "2023", "2024"])
    rows = [("Sjukfrånvaro", 0.0512, 0.0498, "0.0%"), ("Kostnad per invånare (kr)", 12345.678, 12789.04, "# ##0.0"),
            ("Andel digitala besök", 0.2, 0.235, None), ("Index nöjdhet", 101.25, 99.95, "0.0")]
    for r, (label, a, b, code) in enumerate(rows, start=2):
        sheet.cell(r, 1, label)
        sheet.cell(r, 2, a).number_format = code or "0%"
        sheet.cell(r, 3, b).number_format = code or "0.0%"


def _fix_properties(book: Workbook) -> None:
    book.properties.creator = "make_xlsx_fixtures.py"
    book.properties.created = book.properties.modified = FIXED
    book.properties.lastModifiedBy = None


# --- a Word fixture as a workbook ---------------------------------------------------------------------------

_INT = re.compile(r"^[-−]?\d{1,3}(?: \d{3})+$|^[-−]?\d+$")
_DECIMAL = re.compile(r"^[-−]?\d+,(\d+)$")
_PERCENT = re.compile(r"^([-−]?\d+)(?:,(\d+))?\s?%$")


def from_word(layout: Layout) -> Workbook:
    """The layout of a Word document written as a workbook: a sheet per top-level heading."""
    book = Workbook()
    sheet, row, taken = book.active, 1, set()
    sheet.title = "Försättsblad"
    taken.add(sheet.title.lower())
    after_table = False
    for block in layout.blocks:
        if isinstance(block, Heading) and block.level == 1:
            sheet, row, after_table = book.create_sheet(_sheet_name(block.text, taken)), 1, False
            continue
        if isinstance(block, Table):
            row = _table(sheet, block, row + (1 if row > 1 and not after_table else 0), layout) + 1  # blank rows around it
            after_table = True
            continue
        cell = sheet.cell(row, 1, block.text)
        cell.data_type = "s"
        if isinstance(block, Heading):
            cell.font = Font(bold=True)
        _comment(cell, block.notes, layout)
        row, after_table = row + 1, False
    book.properties.title = layout.properties.get("title")
    _fix_properties(book)
    return book


def _sheet_name(text: str, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "-", text)[:31].strip()
    name, n = base, 2
    while name.lower() in taken:
        name, n = f"{base[:27]} ({n})", n + 1
    taken.add(name.lower())
    return name


def _table(sheet: Any, table: Table, top: int, layout: Layout) -> int:
    header_rows = table.header_rows or 1
    for i, cells in enumerate(table.rows):
        for j, cell in enumerate(cells):
            if not cell.origin:
                continue
            target = sheet.cell(top + i, j + 1)
            _value(target, cell.text, body=i >= header_rows and j > 0)
            _comment(target, cell.notes, layout)
            if cell.col_span > 1 or cell.row_span > 1:
                sheet.merge_cells(start_row=top + i, start_column=j + 1, end_row=top + i + cell.row_span - 1,
                                  end_column=j + cell.col_span)
    return top + len(table.rows)


def _value(cell: Any, text: str, body: bool) -> None:
    """A body figure as a number with the format that prints it as the document does; all else text."""
    flat = text.replace("\u2212", "-")
    if body and _INT.match(flat):
        cell.value = int(flat.replace(" ", ""))
        cell.number_format = "#,##0" if " " in flat else "0"
    elif body and (m := _DECIMAL.match(flat)):
        cell.value = float(flat.replace(",", "."))
        cell.number_format = "0." + "0" * len(m.group(1))
    elif body and (m := _PERCENT.match(flat)):
        decimals = len(m.group(2) or "")
        cell.value = round(float(f"{m.group(1)}.{m.group(2) or 0}") / 100, decimals + 4)
        cell.number_format = "0" + ("." + "0" * decimals if decimals else "") + "%"
    else:
        cell.value = text
        cell.data_type = "s"


def _comment(cell: Any, notes: list[str], layout: Layout) -> None:
    texts = [layout.notes[n].text for n in notes if n in layout.notes]
    if texts:
        cell.comment = Comment("\n".join(texts), "Fotnot")


# --- writing: fixed timestamps, LibreOffice recalculation ---------------------------------------------------

def save(book: Workbook, path: Path) -> None:
    buffer = io.BytesIO()
    book.save(buffer)
    _fixed_zip(buffer.getvalue(), path)


def _fixed_zip(data: bytes, path: Path) -> None:
    """The package with every entry at a fixed time and the core properties' dates fixed."""
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>2026-01-01T00:00:00Z", content)
            entry = zipfile.ZipInfo(info.filename, ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            out.writestr(entry, content)


def recalculate(source: Path, target: Path) -> bool:
    """`target`: `source` opened, recalculated and saved by LibreOffice Calc (False when soffice is missing)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        return False
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp) / "profile"
        _always_recalculate(profile)
        out = Path(tmp) / "out"
        command = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "xlsx", "--outdir", str(out), str(source)]
        subprocess.run(command, check=True, capture_output=True, timeout=180, env={**os.environ, "HOME": tmp})  # noqa: S603 (our arguments)
        _fixed_zip((out / source.name).read_bytes(), target)
    return True


def _always_recalculate(profile: Path) -> None:
    """A LibreOffice profile that recalculates every OOXML workbook on load (its default asks, or never)."""
    user = profile / "user"
    user.mkdir(parents=True)
    (user / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        '<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">'
        "<value>0</value></prop></item>\n</oor:items>\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--no-recalc", action="store_true", help="do not run LibreOffice (budget.xlsx is left as it is)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    raw = args.out / "budget-uncalculated.xlsx"
    save(budget(), raw)
    if not args.no_recalc and not recalculate(raw, args.out / "budget.xlsx"):
        print("soffice not found: budget.xlsx not written", file=sys.stderr)
    for seed in ("001", "004"):
        save(from_word(docx.read(WORD / f"{seed}-rich.docx")), args.out / f"{seed}-rich.xlsx")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
