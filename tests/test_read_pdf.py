"""The PDF reader (plankoll.readers.pdf), on LibreOffice exports of the Word fixtures (tagged and
untagged, made by tools/make_pdf_fixtures.py) and on lines built here for what those do not show.

The yardstick at the end: a PDF rendering gives the same findings as the Word document it came from."""

from __future__ import annotations

import functools
import json
import os
import shutil
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from document_findings import PLAN_000, found
from helpers import REPO

from plankoll.cli import main
from plankoll.layout import Heading, Layout, Paragraph, ReadError, Table
from plankoll.readers import docx as word_reader
from plankoll.readers import pdf as reader
from plankoll.readers import read

PDFS = REPO / "tests/fixtures/pdf"
WORDS = REPO / "tests/fixtures/word"
RENDERINGS = [f"{seed}-{kind}-{tags}" for seed in ("001", "004") for kind in ("plain", "rich") for tags in ("tagged", "untagged")]


@functools.cache
def layout(name: str) -> Layout:
    return reader.read(PDFS / f"{name}.pdf")


def tables(lay: Layout) -> list[Table]:
    return [b for b in lay.blocks if isinstance(b, Table)]


def texts(table: Table) -> list[list[str]]:
    return [[" ".join(c.text.split()) for c in row] for row in table.rows]


def table_with(lay: Layout, text: str, exact: bool = False) -> Table:
    found_ = [t for t in tables(lay) if any(c.text == text if exact else c.text.startswith(text) for row in t.rows for c in row)]
    assert len(found_) == 1, f"{len(found_)} tables with a cell starting {text!r}"
    return found_[0]


def all_text(lay: Layout) -> str:
    parts = [b.text for b in lay.blocks if not isinstance(b, Table)]
    parts += [c.text for t in tables(lay) for row in t.rows for c in row]
    return "\n".join(parts)


# --- tables ---------------------------------------------------------------------------------------------

BUDGET = [
    ["Ramområde", "Ram 2022", "Ram 2023", "Ram 2024", "Ram 2025"],
    ["Regionledningsförvaltningen", "459 181", "425 814", "434 170", "446 995"],
    ["Primärvårdsmedel", "1 369 635", "1 473 776", "1 520 592", "1 567 216"],
    ["Tandvårdsersättning", "176 175", "189 568", "195 262", "201 120"],
    ["Tandvårdsstöd", "28 988", "25 712", "26 484", "27 278"],
    ["Regionstyrelsen totalt", "2 033 979", "2 114 870", "2 176 508", "2 242 609"],
]


@pytest.mark.parametrize("name", [r for r in RENDERINGS if r.startswith("001")] + ["001-rich-borderless-untagged"])
def test_the_budget_table_is_one_table_with_each_figure_in_its_own_cell(name: str):
    """Ruled (pdfplumber's lines), tagged (Table/TR/TD) and borderless (word positions) alike."""
    table = table_with(layout(name), "Ramområde")
    assert texts(table) == BUDGET
    assert table.rows[5][0].text == "Regionstyrelsen totalt"


def test_tagged_untagged_and_borderless_give_the_same_budget_grid():
    grids = {name: texts(table_with(layout(name), "Ramområde"))
             for name in ("001-rich-tagged", "001-rich-untagged", "001-plain-tagged", "001-rich-borderless-untagged")}
    assert len({json.dumps(g) for g in grids.values()}) == 1


def test_a_cell_knows_its_page_box_table_row_and_column():
    lay = layout("001-rich-untagged")
    table = table_with(lay, "Ramområde")
    cell = table.rows[2][1]
    assert cell.text == "1 369 635"
    where = cell.location
    assert (where.file, where.page, where.table, where.row, where.column) == (str(PDFS / "001-rich-untagged.pdf"), 16, 7, 3, 2)
    x0, top, x1, bottom = where.box
    tx0, ttop, tx1, tbottom = table.location.box
    assert tx0 <= x0 < x1 <= tx1 and ttop <= top < bottom <= tbottom  # inside its table, in points from the top left
    assert table.rows[2][2].location.box[0] >= x1 - 1  # the next column starts where this one ends
    assert 0 < top < 842 and 0 < x0 < 595  # an A4 page


@pytest.mark.parametrize("name", ["004-rich-tagged", "004-rich-untagged", "004-plain-tagged", "004-plain-untagged"])
def test_a_table_continued_over_a_page_break_is_one_table(name: str):
    """Måluppfyllelse (seed 004 lines 178–182) runs from page 5 to 6: one table, its repeated
    header left out, and the row (or the merged cell) the break cut joined."""
    table = table_with(layout(name), "Antal patienter som fått fråga om våld")
    rows = texts(table)
    styrmatt = [r for r, row in enumerate(rows) if "Styrmått" in row]
    assert styrmatt == list(range(len(styrmatt))) and len(styrmatt) == (table.header_rows or 1)
    names = [row[1] for row in rows]
    assert "Andel patienter med misstänkt depression eller ångestsyndrom som genomgått en strukturerad suicidbedömning" in names
    assert names[-1].startswith("Andel patienter med misstänkt depression")
    pages = {c.location.page for row in table.rows for c in row}
    assert pages == {5, 6} if "rich" in name else 6 in pages
    assert any("Jämlik och jämställd hälsa genom främjande och förebyggande åtgärder" == t for t in rows[-1])


def test_merged_header_cells_span_like_in_word():
    table = table_with(layout("004-rich-untagged"), "Antal patienter som fått fråga om våld")
    top, second = table.rows[0], table.rows[1]
    periodens = [c for c in top if c.text == "Periodens utfall"]
    assert len(periodens) == 3 and periodens[0].origin and periodens[0].col_span == 3 and not periodens[1].origin
    assert [c.text for c in second[4:7]] == ["Totalt", "K", "M"]
    assert second[1].text == "Styrmått" and not second[1].origin and top[1].row_span == 2


def test_words_broken_by_a_narrow_column_are_joined():
    rows = texts(table_with(layout("004-rich-untagged"), "Andel digitala vårdbesök"))
    first_column = {row[0] for row in rows}
    assert "Förflyttning mot öppna vårdformer" in first_column  # printed "Förflytt|ning mot öppna vårdfor|mer"
    assert "En sammanhållen och samordnad vård utifrån individens behov" in first_column  # "samma|nhållen", "individe|ns"
    assert "Den nära vården utformas med primärvården som nav" in first_column  # "vården" ends a line: two words
    assert "Minska" in {row[2] for row in rows}  # "Min|ska"
    besok = texts(table_with(layout("004-rich-untagged"), "Besök", exact=True))
    assert besok[0][1:3] == ["202204", "202104"] and besok[1][:2] == ["Läkarbesök", "31180"]  # "202|204", "311|80"


# --- running text ----------------------------------------------------------------------------------------

def test_headings_have_the_levels_of_the_word_document():
    def numbered(lay: Layout) -> list[tuple[str, int]]:
        return [(" ".join(b.text.split()), b.level) for b in lay.blocks if isinstance(b, Heading) and b.text[:1].isdigit()]

    word = word_reader.read(WORDS / "001-rich.docx")
    for name in ("001-rich-untagged", "001-rich-tagged"):
        assert numbered(layout(name)) == numbered(word)
    levels = dict(numbered(layout("001-rich-untagged")))
    assert levels["2.2 Målområde 2: Region Västernorrland utvecklar arbetet för en god, jämlik och nära vård"] == 2
    assert levels["2.2.1 Mål: Vi erbjuder vård som utgår från individens behov och är tillgänglig"] == 3
    assert levels["3 Ekonomi"] == 1


def test_the_title_is_a_paragraph_in_the_title_style_and_the_metadata_properties():
    lay = layout("004-rich-untagged")
    first = lay.blocks[0]
    assert isinstance(first, Paragraph) and first.style == reader.TITLE_STYLE
    assert first.text == "Delårsrapport 2022-04, Division Länssjukvård 1, Bilaga produktion och måluppfyllelse"
    assert lay.properties["title"] == first.text
    assert lay.properties["created"][:4] == "2026" and "T" in lay.properties["created"]
    assert lay.format == "pdf"


def test_paragraph_lines_are_joined_and_located():
    lay = layout("001-rich-untagged")
    para = next(b for b in lay.blocks if isinstance(b, Paragraph) and b.text.startswith("Region Västernorrlands finansiella mål"))
    assert "\n" not in para.text and "i snitt kring två procent av intäkter" in para.text  # joined over four lines
    assert "resultatnivå på cirka 180 miljoner kronor" in para.text
    assert para.location.page == 15 and para.location.box[3] - para.location.box[1] > 40


@pytest.mark.parametrize("name", ["001-rich-untagged", "001-rich-tagged", "004-rich-untagged", "004-rich-tagged",
                                  "001-rich-borderless-untagged"])
def test_page_headers_footers_and_numbers_are_not_content(name: str):
    text = all_text(layout(name))
    assert "Sida " not in text and " · " not in text


@pytest.mark.parametrize("name", ["004-rich-untagged", "004-rich-tagged"])
def test_a_footnote_is_linked_to_its_mark(name: str):
    lay = layout(name)
    notes = {n.mark: n for n in lay.notes.values()}
    note = notes["1"]
    assert note.text == "RN måttet delas upp på primärvård, somatisk vård och psykiatrisk vård" and note.kind == "footnote"
    assert note.location.page == 7 and note.location.box is not None
    cell = next(c for t in tables(lay) for row in t.rows for c in row if c.origin and c.text.startswith("Andel digitala vårdbesök"))
    assert cell.notes == [note.id]
    assert cell.text == "Andel digitala vårdbesök, nybesök respektive återbesök av totala besök"  # the mark is no text
    custom = notes["4"]  # Word's custom mark "4" (seed: "[4]"), with the text the rendering gives it
    assert custom.text == "(Fotnotstexten saknas i källtexten.)"
    assert any(custom.id in c.notes for t in tables(lay) for row in t.rows for c in row)


def test_a_footnote_in_running_text_is_linked():
    lay = layout("001-rich-untagged")
    para = next(b for b in lay.blocks if isinstance(b, Paragraph) and b.text.startswith("Uppsiktsplikten regleras"))
    assert len(para.notes) == 1
    note = lay.notes[para.notes[0]]
    assert note.mark == "1" and note.text.startswith("(Regionfullmäktige) Policy; RVN som ägare i bolag")
    assert "styrdokument." in para.text or "styrdokument " in para.text  # the mark "¹" is not left in the text


# --- lines built here ---------------------------------------------------------------------------------------

def word(text: str, x0: float, x1: float, top: float = 100.0, size: float = 9.0, space: str = " ", **kw) -> reader._Word:
    return reader._Word(text, x0, top, x1, top + size * 1.2, top + size, size, False, space=space, **kw)


def line(*words: reader._Word, page: int = 0) -> reader._Line:
    ws = list(words)
    ws[0].space = ""
    return reader._Line(ws, page)


def figure_row(label: str, first: list[str], second: list[str], third: list[str], top: float) -> reader._Line:
    """A row with a label and three right-aligned figures; the thousands groups a space (2.5 pt)
    apart, the columns as close as 4 pt (less than half an em: no column gap by itself)."""
    words = [word(label, 70, 70 + 6 * len(label), top)]
    for right, groups in ((300, first), (344, second), (380, third)):
        x = right - sum(5.0 * len(g) for g in groups) - 2.5 * (len(groups) - 1)
        for g in groups:
            words.append(word(g, x, x + 5.0 * len(g), top))
            x += 5.0 * len(g) + 2.5
    return line(*words)


def test_a_borderless_table_keeps_adjacent_figures_apart():
    """"1 369 635 1 402 118": the gap between the two figures is wider than the thousands space
    but narrower than most column gaps; the right edges the figures share part them."""
    header = line(word("Ramområde", 70, 120, 87), word("Utfall", 250, 280, 87), word("2021", 283, 303, 87),
                  word("Ram", 310, 325, 87), word("2022", 328, 348, 87), word("Plan", 356, 372, 87), word("2023", 375, 395, 87))
    rows = [
        header,
        figure_row("Primärvårdsmedel", ["1", "369", "635"], ["1", "402", "118"], ["5", "000"], 100),
        figure_row("Tandvård", ["176", "175"], ["189", "568"], ["4", "100"], 113),
        figure_row("Summa", ["1", "545", "810"], ["1", "591", "686"], ["9", "100"], 126),
    ]
    kept, fragments = reader._borderless(rows, 0)
    assert kept == [] and len(fragments) == 1
    fragment = fragments[0]
    cells = {(d.row, d.column): reader._text(d.lines, None)[0] for d in fragment.drafts}
    assert [cells[(0, c)] for c in range(4)] == ["Ramområde", "Utfall 2021", "Ram 2022", "Plan 2023"]  # placed by overlap
    assert cells[(1, 1)] == "1 369 635" and cells[(1, 2)] == "1 402 118" and cells[(3, 0)] == "Summa"
    assert fragment.columns == 4 and fragment.header_rows == 1


def test_running_text_with_figures_is_not_a_table():
    rows = [line(word("Under", 70, 100, top), word("2023", 104, 124, top), word("ökade", 128, 158, top), word("antalet", 162, 200, top),
                 word("med", 204, 224, top), word("1 200", 228, 255, top)) for top in (100, 113, 126)]
    kept, fragments = reader._borderless(rows, 0)
    assert fragments == [] and len(kept) == 3


def test_text_of_lines_joins_broken_words_and_keeps_hyphens_and_spaces_as_printed():
    def joined(a: str, b: str, limits=None, words=None) -> str:
        first = line(word(a, 70, 70 + 5 * len(a)))
        second = line(word(b, 70, 70 + 5 * len(b), top=111))
        return reader._text([first, second], None, limits, words)[0]

    assert joined("Förflytt", "ning", limits=(70, 111)) == "Förflyttning"  # fills the cell: broken by it
    assert joined("Förflytt", "ning", limits=(70, 160)) == "Förflytt ning"  # room to spare: two words
    assert joined("barn-", "och") == "barn- och"
    assert joined("Uppfölj-", "ningsperiod") == "Uppfölj-ningsperiod"
    assert joined("2022-", "T1") == "2022-T1"
    assert joined("hälso-", "sjukvård", words={"hälsosjukvård"}) == "hälsosjukvård"
    assert joined("Vårdrelaterade", "fallskador", limits=(70, 141), words={"fallskador"}) == "Vårdrelaterade fallskador"


def test_spaces_and_minus_signs_are_kept_as_printed():
    chars = [reader._Char(ch, 70 + 5 * i, 100, 75 + 5 * i, 110, 108, 9.0, False) for i, ch in enumerate("−1\u00a0369\u202f635")]
    words = reader._words(chars)
    assert reader._join_words(words) == "−1\u00a0369\u202f635"


def test_a_raised_small_mark_is_a_footnote_mark():
    chars = [reader._Char(ch, 70 + 5 * i, 100, 75 + 5 * i, 111, 109, 9.0, False) for i, ch in enumerate("besök")]
    chars.append(reader._Char("1", 96, 98, 99, 104, 104, 5.2, False))
    lines = reader._lines(chars, 0)
    assert len(lines) == 1 and lines[0].words[-1].sup
    assert reader._text(lines, {0: {"1": "footnote:1"}}) == ("besök", ["footnote:1"])
    assert reader._text(lines, {0: {}})[0] == "besök¹"  # no footnote on the page: a superscript in the text


def test_a_rotated_page_reads_as_it_is_shown(tmp_path: Path):
    """The budget page turned a quarter (its content turned back, /Rotate 90): the same table,
    the same boxes on the page as shown."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as fpdf

    source = pdfium.PdfDocument(PDFS / "001-rich-untagged.pdf")
    turned = pdfium.PdfDocument.new()
    turned.import_pages(source, [15])
    page = turned[0]
    width, height = page.get_width(), page.get_height()
    for i in range(fpdf.FPDFPage_CountObjects(page.raw)):
        fpdf.FPDFPageObj_Transform(fpdf.FPDFPage_GetObject(page.raw, i), 0, 1, -1, 0, height, 0)
    fpdf.FPDFPage_SetMediaBox(page.raw, 0, 0, height, width)
    page.set_rotation(90)
    fpdf.FPDFPage_GenerateContent(page.raw)
    path = tmp_path / "turned.pdf"
    turned.save(path)
    table = table_with(reader.read(path), "Ramområde")
    assert texts(table) == BUDGET
    original = table_with(layout("001-rich-untagged"), "Ramområde")
    assert table.rows[2][1].location.box == pytest.approx(original.rows[2][1].location.box, abs=0.2)


# --- bad input --------------------------------------------------------------------------------------------

def test_not_a_pdf_is_a_read_error(tmp_path: Path):
    bad = tmp_path / "plan.pdf"
    bad.write_bytes(b"PK\x03\x04 this is a zip, not a PDF")
    with pytest.raises(ReadError, match="not a PDF"):
        read(bad)
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(ReadError, match="not a PDF"):
        read(empty)


@pytest.mark.parametrize("share", [0.1, 0.5, 0.9, 0.999])
def test_a_truncated_pdf_is_a_read_error_naming_the_file(tmp_path: Path, share: float):
    data = (PDFS / "004-rich-tagged.pdf").read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: int(len(data) * share)])
    with pytest.raises(ReadError) as caught:
        read(cut)
    assert caught.value.location is not None and caught.value.location.file == str(cut)
    assert "damaged" in str(caught.value) or "truncated" in str(caught.value)


def test_garbage_after_the_header_is_a_read_error(tmp_path: Path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 50)
    with pytest.raises(ReadError):
        read(bad)


@pytest.mark.parametrize("seed", range(4))
def test_damaged_bytes_give_a_layout_or_a_read_error(seed: int):
    """Bytes of a fixture overwritten at random: never another exception."""
    import random

    rng = random.Random(seed)
    data = bytearray((PDFS / ("001-rich-untagged.pdf" if seed % 2 else "004-rich-tagged.pdf")).read_bytes())
    for _ in range(5):
        for _ in range(rng.choice([3, 30, 300])):
            data[rng.randrange(len(data))] = rng.randrange(256)
        try:
            reader.read(Path("damaged.pdf"), bytes(data))
        except ReadError as exc:
            assert exc.location is not None and exc.location.file == "damaged.pdf"


def test_an_encrypted_pdf_is_a_read_error():
    with pytest.raises(ReadError, match="encrypted"):
        read(PDFS / "encrypted.pdf")


def test_limits_are_module_constants(monkeypatch):
    monkeypatch.setattr(reader, "MAX_PAGES", 3)
    with pytest.raises(ReadError, match="pages"):
        reader.read(PDFS / "001-rich-untagged.pdf")
    monkeypatch.setattr(reader, "MAX_PAGES", 2000)
    monkeypatch.setattr(reader, "MAX_FILE_BYTES", 1000)
    with pytest.raises(ReadError, match="too large"):
        reader.read(PDFS / "001-rich-untagged.pdf")


def test_a_broken_pdf_is_named_and_the_other_documents_still_checked(tmp_path: Path):
    shutil.copy(PDFS / "001-plain-untagged.pdf", tmp_path / "good.pdf")
    (tmp_path / "broken.pdf").write_bytes((PDFS / "001-plain-untagged.pdf").read_bytes()[:5000])
    result = CliRunner().invoke(main, ["check", str(tmp_path), "--format", "json", "--no-cache"])
    assert result.exit_code == 2, result.output
    report = json.loads(result.stdout)
    assert [p["file"] for p in report["plans"]] == [str(tmp_path / "good.pdf")]
    assert report["errors"][0]["file"] == str(tmp_path / "broken.pdf") and "PDF" in report["errors"][0]["message"]
    where = report["plans"][0]["violations"][0]["location"]
    assert {"table", "row", "column"} <= set(where)


# --- scanned pages ----------------------------------------------------------------------------------------

def test_a_page_without_text_says_so_and_how_to_get_ocr(monkeypatch):
    monkeypatch.setattr(reader.shutil, "which", lambda _name: None)
    lay = reader.read(PDFS / "scanned.pdf")
    codes = [(n.code, n.params.get("page"), n.location.page) for n in lay.notices]
    assert codes == [("page_without_text", 1, 1), ("ocr_unavailable", 1, 1)]
    assert "tesseract-ocr-swe" in lay.notices[1].params["hint"]
    assert lay.blocks == [] and "ocr_pages" not in lay.properties


FAKE_TESSERACT = """#!/bin/sh
if [ "$1" = "--list-langs" ]; then printf 'List of available languages (2):\\neng\\nswe\\n'; exit 0; fi
printf 'level\\tpage_num\\tblock_num\\tpar_num\\tline_num\\tword_num\\tleft\\ttop\\twidth\\theight\\tconf\\ttext\\n'
printf '5\\t1\\t1\\t1\\t1\\t1\\t500\\t500\\t600\\t60\\t96\\tVerksamhetsplan\\n'
printf '5\\t1\\t1\\t1\\t1\\t2\\t1140\\t500\\t160\\t60\\t95\\t2020\\n'
printf '5\\t1\\t1\\t2\\t1\\t1\\t500\\t700\\t300\\t45\\t91\\tAndel\\n'
printf '5\\t1\\t1\\t2\\t1\\t2\\t820\\t700\\t300\\t45\\t90\\tnöjda\\n'
"""


@pytest.mark.skipif(os.name != "posix", reason="the stand-in for tesseract is a shell script")
def test_ocr_reads_a_page_without_text_when_tesseract_is_there(tmp_path: Path, monkeypatch):
    """A stand-in for tesseract (the real one is optional and may not be installed): the reader
    renders the page, runs `tesseract … -l swe tsv` and reads the words it prints."""
    fake = tmp_path / "tesseract"
    fake.write_text(FAKE_TESSERACT, encoding="utf-8")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ.get('PATH', '')}")
    lay = reader.read(PDFS / "scanned.pdf")
    assert [n.code for n in lay.notices] == ["page_without_text", "ocr_page"]
    assert lay.properties["ocr_pages"] == "1"
    assert [b.text for b in lay.blocks] == ["Verksamhetsplan 2020", "Andel nöjda"]
    assert lay.blocks[0].location.page == 1 and lay.blocks[0].location.box[0] == pytest.approx(120.0)  # 500 px at 300 dpi


# --- the yardstick: the same findings as the Word document ------------------------------------------------------

def _prepared(source: Path, tmp_path: Path) -> tuple[Path, list[Path]]:
    """As tests/test_documents.py: the interim report (004) is checked with the plan it quotes."""
    doc = tmp_path / source.name
    shutil.copy(source, doc)
    if not source.name.startswith("004"):
        return doc, []
    (tmp_path / f"{doc.name}.meta.yaml").write_text(f"ids_from: {PLAN_000}\n", encoding="utf-8")
    return doc, [PLAN_000]


@pytest.fixture(scope="module")
def word_findings(tmp_path_factory):
    """The findings of each Word fixture, checked once for the module."""
    cache: dict[str, tuple[set, set]] = {}

    def get(name: str) -> tuple[set, set]:
        if name not in cache:
            doc, others = _prepared(WORDS / f"{name}.docx", tmp_path_factory.mktemp(name))
            cache[name] = found(others, doc)
        return cache[name]

    return get


@pytest.mark.parametrize("name", RENDERINGS)
def test_a_pdf_rendering_gives_the_findings_of_its_word_document(name: str, tmp_path: Path, word_findings):
    word_every, word_errors = word_findings(name.rsplit("-", 1)[0])
    doc, others = _prepared(PDFS / f"{name}.pdf", tmp_path)
    every, errors = found(others, doc)
    assert sorted(every - word_every) == [] and sorted(word_every - every) == []
    assert errors == word_errors
