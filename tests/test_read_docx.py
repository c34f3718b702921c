"""The Word reader (plankoll.readers.docx): each construct built here, in python-docx plus raw XML
for what python-docx cannot make (content controls, merged cells, tracked changes, notes)."""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from plankoll.layout import Heading, Location, Paragraph, ReadError, Table
from plankoll.readers import docx as reader

W_NS = nsdecls("w")


# --- building documents -------------------------------------------------------------------------------

def add_body(document, xml: str) -> None:
    """Append raw body XML (paragraphs, tables, content controls) before the final sectPr."""
    fragment = parse_xml(f"<w:body {W_NS}>{xml}</w:body>")
    body = document.element.body
    for child in list(fragment):
        body.insert(len(body) - 1, child)


def add_styles(document, xml: str) -> None:
    for child in list(parse_xml(f"<w:styles {W_NS}>{xml}</w:styles>")):
        document.styles.element.append(child)


def add_notes(document, kind: str, notes: dict[str, str]) -> None:
    """A footnotes or endnotes part with Word's two separator notes and `notes` (id → text)."""
    tag = kind  # footnote | endnote
    items = [f'<w:{tag} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{tag}>',
             f'<w:{tag} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:{tag}>']
    for note_id, text in notes.items():
        paragraphs = "".join(f'<w:p><w:r><w:{tag}Ref/></w:r><w:r><w:t xml:space="preserve"> {line}</w:t></w:r></w:p>' for line in text.split("|"))
        items.append(f'<w:{tag} w:id="{note_id}">{paragraphs}</w:{tag}>')
    blob = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:{tag}s {W_NS}>{"".join(items)}</w:{tag}s>'.encode()
    content_type, reltype = (CT.WML_FOOTNOTES, RT.FOOTNOTES) if kind == "footnote" else (CT.WML_ENDNOTES, RT.ENDNOTES)
    package = document.part.package
    part = Part(PackURI(f"/word/{kind}s.xml"), content_type, blob, package)
    document.part.relate_to(part, reltype)


def save(document, tmp_path: Path, name: str = "plan.docx") -> Path:
    path = tmp_path / name
    document.save(str(path))
    return path


def read_body(tmp_path: Path, xml: str, styles: str = ""):
    document = docx.Document()
    add_body(document, xml)
    if styles:
        add_styles(document, styles)
    return reader.read(save(document, tmp_path))


def p(text: str, ppr: str = "") -> str:
    return f'<w:p>{f"<w:pPr>{ppr}</w:pPr>" if ppr else ""}<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def tc(text: str, tcpr: str = "", bold: bool = False) -> str:
    rpr = "<w:rPr><w:b/></w:rPr>" if bold else ""
    run = f'<w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r>' if text else ""
    return f'<w:tc>{f"<w:tcPr>{tcpr}</w:tcPr>" if tcpr else ""}<w:p>{run}</w:p></w:tc>'


def tr(*cells: str, trpr: str = "") -> str:
    return f'<w:tr>{f"<w:trPr>{trpr}</w:trPr>" if trpr else ""}{"".join(cells)}</w:tr>'


def tbl(*rows: str) -> str:
    return f"<w:tbl><w:tblPr/>{''.join(rows)}</w:tbl>"


def texts(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row] for row in table.rows]


def tables(layout) -> list[Table]:
    return [b for b in layout.blocks if isinstance(b, Table)]


# --- headings and paragraphs ----------------------------------------------------------------------------

def test_heading_from_heading_2_style_and_paragraph_numbering(tmp_path):
    document = docx.Document()
    document.add_paragraph("Inledning av planen.")
    document.add_paragraph("")  # empty: no block, but it counts as a body paragraph
    document.add_heading("2.2 Mål och mått", level=2)
    document.add_paragraph("Text under rubriken.", style="List Bullet")
    layout = reader.read(save(document, tmp_path))
    assert layout.format == "docx"
    assert [type(b).__name__ for b in layout.blocks] == ["Paragraph", "Heading", "Paragraph"]
    heading = layout.blocks[1]
    assert (heading.text, heading.level, heading.location) == ("2.2 Mål och mått", 2, Location(str(tmp_path / "plan.docx"), paragraph=3))
    assert layout.blocks[2].location.paragraph == 4
    assert layout.blocks[2].style == "List Bullet"
    assert layout.notices == []


def test_swedish_heading_style_level_only_through_based_on(tmp_path):
    styles = ('<w:style w:type="paragraph" w:styleId="Rubrikbas"><w:name w:val="Rubrikbas"/>'
              '<w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>'
              '<w:style w:type="paragraph" w:styleId="Rubrik1"><w:name w:val="Rubrik 1"/><w:basedOn w:val="Rubrikbas"/></w:style>'
              '<w:style w:type="paragraph" w:styleId="Rubrik2X"><w:name w:val="Egen rubrik"/><w:basedOn w:val="Rubrik1"/>'
              '<w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>')
    layout = read_body(tmp_path, p("Regionplan 2025", '<w:pStyle w:val="Rubrik1"/>') + p("Delmål", '<w:pStyle w:val="Rubrik2X"/>'), styles)
    assert [(type(b), b.text, getattr(b, "level", None)) for b in layout.blocks] == [(Heading, "Regionplan 2025", 1), (Heading, "Delmål", 2)]


def test_heading_from_direct_outline_level_and_body_text_level_9(tmp_path):
    xml = (p("Direkt nivå tre", '<w:outlineLvl w:val="2"/>')
           + p("Brödtext trots rubrikstil", '<w:pStyle w:val="Heading1"/><w:outlineLvl w:val="9"/>'))
    layout = read_body(tmp_path, xml)
    assert isinstance(layout.blocks[0], Heading) and layout.blocks[0].level == 3
    assert isinstance(layout.blocks[1], Paragraph) and layout.blocks[1].text == "Brödtext trots rubrikstil"


def test_heading_from_localized_style_names_without_outline_level(tmp_path):
    styles = ('<w:style w:type="paragraph" w:styleId="Overskrift2"><w:name w:val="Overskrift 2"/></w:style>'
              '<w:style w:type="paragraph" w:styleId="LO3"><w:name w:val="Heading_20_3"/></w:style>'
              '<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style>'
              '<w:style w:type="paragraph" w:styleId="TOCHeading"><w:name w:val="TOC Heading"/><w:basedOn w:val="Heading1"/>'
              '<w:pPr><w:outlineLvl w:val="9"/></w:pPr></w:style>')
    xml = "".join(p(text, f'<w:pStyle w:val="{style}"/>') for text, style in
                  (("Titel", "Title"), ("Norsk", "Overskrift2"), ("LibreOffice", "LO3"), ("Innehåll", "TOCHeading"), ("Okänd", "Rubrik4")))
    layout = read_body(tmp_path, xml, styles)
    assert [(b.text, getattr(b, "level", None)) for b in layout.blocks] == [
        ("Titel", None), ("Norsk", 2), ("LibreOffice", 3), ("Innehåll", None), ("Okänd", 4)]


def test_title_is_a_paragraph_not_a_heading(tmp_path):
    # English Word ("Title"), Swedish Word (id "Rubrik", built-in name "Title"), a style based on the
    # title and a title style with an outline level are all the document's title; a level-1 heading,
    # a title paragraph given an outline level of its own and "Rubrik 1" stay headings.
    styles = ('<w:style w:type="paragraph" w:styleId="Rubrik"><w:name w:val="Title"/></w:style>'
              '<w:style w:type="paragraph" w:styleId="Framsida"><w:name w:val="Framsidans titel"/><w:basedOn w:val="Rubrik"/></w:style>'
              '<w:style w:type="paragraph" w:styleId="Titel2"><w:name w:val="Title"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>'
              '<w:style w:type="paragraph" w:styleId="Rubrik1"><w:name w:val="heading 1"/></w:style>')
    cases = (("Verksamhetsplan 2025", "Title", ""), ("Regionplan 2025–2027", "Rubrik", ""), ("Region Exempel", "Framsida", ""),
             ("Med nivå i stilen", "Titel2", ""), ("Inledning", "Heading1", ""), ("Nivå i stycket", "Title", '<w:outlineLvl w:val="1"/>'),
             ("Mål", "Rubrik1", ""))
    xml = "".join(p(text, f'<w:pStyle w:val="{style}"/>{extra}') for text, style, extra in cases)
    layout = read_body(tmp_path, xml, styles)
    assert [(type(b), b.text, getattr(b, "style", None), getattr(b, "level", None)) for b in layout.blocks] == [
        (Paragraph, "Verksamhetsplan 2025", "Title", None), (Paragraph, "Regionplan 2025–2027", "Title", None),
        (Paragraph, "Region Exempel", "Title", None), (Paragraph, "Med nivå i stilen", "Title", None),
        (Heading, "Inledning", None, 1), (Heading, "Nivå i stycket", None, 2), (Heading, "Mål", None, 1)]


def test_title_from_python_docx_and_undefined_swedish_title_id(tmp_path):
    document = docx.Document()
    document.add_heading("Verksamhetsplan 2025–2027", 0)  # the template's "Title" style
    document.add_heading("Målområde 1: Hälsa", 1)
    add_body(document, p("Delårsrapport", '<w:pStyle w:val="Rubrik"/>'))  # Swedish id, not in the styles part
    layout = reader.read(save(document, tmp_path))
    assert [(type(b).__name__, b.text, getattr(b, "style", None)) for b in layout.blocks] == [
        ("Paragraph", "Verksamhetsplan 2025–2027", "Title"), ("Heading", "Målområde 1: Hälsa", None), ("Paragraph", "Delårsrapport", "Title")]


def test_run_text_tabs_breaks_hyphens_hyperlinks_fields_and_sdt(tmp_path):
    xml = ('<w:p><w:r><w:t>2.1</w:t><w:tab/><w:t xml:space="preserve">Mål </w:t></w:r>'
           '<w:hyperlink w:anchor="x"><w:r><w:t>länk</w:t></w:r></w:hyperlink>'
           '<w:r><w:br/><w:t>rad\u00a0två</w:t><w:noBreakHyphen/><w:t>x</w:t><w:softHyphen/><w:t>y</w:t>'
           '<w:sym w:font="Symbol" w:char="F0B7"/></w:r>'
           '<w:fldSimple w:instr=" PAGE "><w:r><w:t>7</w:t></w:r></w:fldSimple>'
           '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> REF x </w:instrText></w:r>'
           '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>resultat</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
           '<w:sdt><w:sdtPr/><w:sdtContent><w:r><w:t>-kontroll</w:t></w:r></w:sdtContent></w:sdt>'
           '<w:smartTag w:uri="u" w:element="e"><w:r><w:t>!</w:t></w:r></w:smartTag></w:p>')
    layout = read_body(tmp_path, xml)
    assert layout.blocks[0].text == "2.1\tMål länk rad\u00a0två-xy7resultat-kontroll!"


def test_alternate_content_read_once_and_text_boxes_ignored(tmp_path):
    mc = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
    xml = (f'<w:p><w:r><w:t>Före</w:t></w:r><mc:AlternateContent {mc}><mc:Choice Requires="wps"><w:r><w:t>-val</w:t></w:r></mc:Choice>'
           '<mc:Fallback><w:r><w:t>-reserv</w:t></w:r></mc:Fallback></mc:AlternateContent>'
           '<w:r><w:pict><w:txbxContent><w:p><w:r><w:t>TEXTRUTA</w:t></w:r></w:p></w:txbxContent></w:pict></w:r></w:p>')
    layout = read_body(tmp_path, xml)
    assert [b.text for b in layout.blocks] == ["Före-val"]


# --- tracked changes -----------------------------------------------------------------------------------

def test_tracked_changes_read_as_accepted_with_one_notice(tmp_path):
    change = 'w:author="A" w:date="2025-01-01T00:00:00Z"'
    xml = (f'<w:p><w:r><w:t>Andel: 6,</w:t></w:r><w:del w:id="1" {change}><w:r><w:delText>7</w:delText></w:r></w:del>'
           f'<w:ins w:id="2" {change}><w:r><w:t>8</w:t></w:r></w:ins><w:r><w:t xml:space="preserve"> %</w:t></w:r></w:p>'
           f'<w:p><w:moveFrom w:id="3" {change}><w:r><w:t>flyttad </w:t></w:r></w:moveFrom><w:r><w:t>kvar</w:t></w:r>'
           f'<w:moveTo w:id="4" {change}><w:r><w:t xml:space="preserve"> hit</w:t></w:r></w:moveTo></w:p>')
    layout = read_body(tmp_path, xml)
    assert [b.text for b in layout.blocks] == ["Andel: 6,8 %", "kvar hit"]
    assert len(layout.notices) == 1
    notice = layout.notices[0]
    assert (notice.code, notice.params, notice.location) == ("unaccepted_revisions", {"count": 4}, Location(layout.file))


def test_deleted_table_row_is_dropped(tmp_path):
    layout = read_body(tmp_path, tbl(tr(tc("a")), tr(tc("borttagen"), trpr='<w:del w:id="9" w:author="A"/>'), tr(tc("b"))))
    assert texts(tables(layout)[0]) == [["a"], ["b"]]
    assert layout.notices[0].params == {"count": 1}


# --- tables ------------------------------------------------------------------------------------------------

def test_spanned_header_repeats_over_sub_header(tmp_path):
    xml = tbl(tr(tc("Indikator"), tc("Utfall 2024", '<w:gridSpan w:val="3"/>', bold=True), trpr="<w:tblHeader/>"),
              tr(tc(""), tc("K"), tc("M"), tc("Totalt"), trpr="<w:tblHeader/>"),
              tr(tc("Andel"), tc("61"), tc("59"), tc("60")))
    table = tables(read_body(tmp_path, xml))[0]
    assert texts(table) == [["Indikator", "Utfall 2024", "Utfall 2024", "Utfall 2024"],
                            ["", "K", "M", "Totalt"], ["Andel", "61", "59", "60"]]
    span = table.rows[0][1:]
    assert [(c.origin, c.col_span, c.bold) for c in span] == [(True, 3, True), (False, 1, True), (False, 1, True)]
    assert [c.location.column for c in span] == [2, 3, 4]
    assert table.header_rows == 2
    assert all(c.header for c in table.rows[1]) and not any(c.header for c in table.rows[2])
    assert table.rows[2][3].location == Location(table.location.file, table=1, row=3, column=4)
    assert table.location == Location(table.location.file, table=1)


def test_vertical_merge_fills_the_cells_below(tmp_path):
    xml = tbl(tr(tc("Område", '<w:vMerge w:val="restart"/>'), tc("a")),
              tr(tc("", "<w:vMerge/>"), tc("b")),
              tr(tc("", '<w:vMerge w:val="continue"/>'), tc("c")),
              tr(tc("Nytt"), tc("d")))
    table = tables(read_body(tmp_path, xml))[0]
    assert texts(table) == [["Område", "a"], ["Område", "b"], ["Område", "c"], ["Nytt", "d"]]
    assert table.rows[0][0].row_span == 3 and table.rows[0][0].origin
    assert [table.rows[r][0].origin for r in (1, 2)] == [False, False]
    assert table.header_rows is None


def test_grid_before_after_and_short_rows_are_padded(tmp_path):
    xml = tbl(tr(tc("a"), tc("b"), tc("c")),
              tr(tc("x"), trpr='<w:gridBefore w:val="1"/><w:gridAfter w:val="1"/>'),
              tr(tc("kort")))
    table = tables(read_body(tmp_path, xml))[0]
    assert texts(table) == [["a", "b", "c"], ["", "x", ""], ["kort", "", ""]]
    assert all(cell.origin for row in table.rows for cell in row)
    assert table.width == 3


def test_table_in_block_level_content_control(tmp_path):
    document = docx.Document()
    add_body(document, p("Före") + f"<w:sdt><w:sdtPr/><w:sdtContent>{p('I kontroll')}{tbl(tr(tc('dold'), tc('tabell')))}</w:sdtContent></w:sdt>")
    assert document.tables == []  # python-docx alone misses it
    layout = reader.read(save(document, tmp_path))
    assert [b.text for b in layout.blocks if isinstance(b, Paragraph)] == ["Före", "I kontroll"]
    assert layout.blocks[1].location.paragraph == 2
    assert texts(tables(layout)[0]) == [["dold", "tabell"]]


def test_row_and_cell_level_content_controls(tmp_path):
    xml = tbl(tr(tc("a"), tc("b")),
              f"<w:sdt><w:sdtPr/><w:sdtContent>{tr(tc('rad'), tc('i sdt'))}</w:sdtContent></w:sdt>",
              f"<w:tr>{tc('c')}<w:sdt><w:sdtPr/><w:sdtContent>{tc('cell i sdt')}</w:sdtContent></w:sdt></w:tr>")
    assert texts(tables(read_body(tmp_path, xml))[0]) == [["a", "b"], ["rad", "i sdt"], ["c", "cell i sdt"]]


def test_nested_table_is_its_own_block_after_the_outer_one(tmp_path):
    inner = tbl(tr(tc("i1"), tc("i2")))
    xml = (tbl(tr(f"<w:tc>{p('ytter')}{inner}{p('efter')}</w:tc>", tc("b")))
           + tbl(tr(tc("nästa"))))
    found = tables(read_body(tmp_path, xml))
    assert [(t.location.table, t.nested) for t in found] == [(1, False), (2, True), (3, False)]
    assert texts(found[0]) == [["ytter\nefter", "b"]]
    assert texts(found[1]) == [["i1", "i2"]]
    assert found[1].rows[0][1].location.table == 2


def test_cell_bold_only_when_all_text_runs_are(tmp_path):
    mixed = '<w:tc><w:p><w:r><w:rPr><w:b/></w:rPr><w:t>fet</w:t></w:r><w:r><w:t xml:space="preserve"> mager</w:t></w:r></w:p></w:tc>'
    off = '<w:tc><w:p><w:r><w:rPr><w:b w:val="0"/></w:rPr><w:t>av</w:t></w:r></w:p></w:tc>'
    row = tables(read_body(tmp_path, tbl(tr(tc("Fet", bold=True), f"{mixed}{off}", tc("")))))[0].rows[0]
    assert [c.bold for c in row] == [True, False, False, False]


def test_cell_paragraphs_and_line_breaks(tmp_path):
    cell = '<w:tc><w:p><w:r><w:t xml:space="preserve"> rad 1 </w:t><w:br/><w:t>rad 2</w:t></w:r></w:p><w:p/><w:p><w:r><w:t>rad 3</w:t></w:r></w:p></w:tc>'
    assert texts(tables(read_body(tmp_path, tbl(tr(cell))))[0]) == [["rad 1 \nrad 2\nrad 3"]]


# --- notes ---------------------------------------------------------------------------------------------

def test_footnote_from_table_cell_and_paragraph(tmp_path):
    document = docx.Document()
    ref = '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="{}"/></w:r>'
    cell = f'<w:tc><w:p><w:r><w:t>Andel (%)</w:t></w:r>{ref.format(2)}</w:p></w:tc>'
    add_body(document, f'<w:p><w:r><w:t>Inledning</w:t></w:r>{ref.format(1)}</w:p>' + tbl(tr(cell, tc("x")), tr(tc("60"), tc("y"))))
    add_notes(document, "footnote", {"1": "Första noten.", "2": "Källa: SCB.|Andra stycket."})
    layout = reader.read(save(document, tmp_path))
    assert layout.blocks[0].text == "Inledning" and layout.blocks[0].notes == ["footnote:1"]
    cell0 = tables(layout)[0].rows[0][0]
    assert (cell0.text, cell0.notes) == ("Andel (%)", ["footnote:2"])
    note = layout.notes["footnote:2"]
    assert (note.text, note.kind, note.mark, note.location) == ("Källa: SCB. Andra stycket.", "footnote", "2", Location(layout.file))
    assert layout.notes["footnote:1"].mark == "1"
    assert set(layout.notes) == {"footnote:1", "footnote:2"}  # separators skipped


def test_custom_footnote_mark_and_endnotes(tmp_path):
    document = docx.Document()
    add_body(document, '<w:p><w:r><w:t>A</w:t></w:r><w:r><w:footnoteReference w:customMarkFollows="1" w:id="5"/></w:r>'
                       '<w:r><w:t>*</w:t></w:r><w:r><w:t xml:space="preserve"> B</w:t></w:r><w:r><w:footnoteReference w:id="6"/></w:r>'
                       '<w:r><w:endnoteReference w:id="1"/></w:r><w:r><w:endnoteReference w:id="2"/></w:r></w:p>')
    add_notes(document, "footnote", {"5": "Egen.", "6": "Numrerad."})
    add_notes(document, "endnote", {"1": "Slut ett.", "2": "Slut två."})
    layout = reader.read(save(document, tmp_path))
    assert layout.blocks[0].text == "A B"
    assert layout.blocks[0].notes == ["footnote:5", "footnote:6", "endnote:1", "endnote:2"]
    assert layout.notes["footnote:5"].mark == "*"
    assert layout.notes["footnote:6"].mark == "1"  # a custom mark does not take a number
    assert [(layout.notes[k].kind, layout.notes[k].mark) for k in ("endnote:1", "endnote:2")] == [("endnote", "i"), ("endnote", "ii")]


def test_custom_mark_printed_in_the_note_is_not_its_text(tmp_path):
    # With w:customMarkFollows, Word writes the mark as text at the start of the note (no w:footnoteRef).
    document = docx.Document()
    ref = '<w:r><w:footnoteReference w:customMarkFollows="1" w:id="{}"/></w:r><w:r><w:t>{}</w:t></w:r>'
    add_body(document, f'<w:p><w:r><w:t>Andel</w:t></w:r>{ref.format(1, "4")}<w:r><w:t xml:space="preserve"> och</w:t></w:r>'
                       f'{ref.format(2, "*")}<w:r><w:t xml:space="preserve"> samt</w:t></w:r>{ref.format(3, "a")}</w:p>')
    mark = '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:t>{}</w:t></w:r>'
    add_notes(document, "footnote", {})
    part = next(r.target_part for r in document.part.rels.values() if r.reltype == RT.FOOTNOTES)
    notes = (f'<w:footnote w:id="1"><w:p>{mark.format("4")}<w:r><w:t xml:space="preserve"> </w:t></w:r>'
             f'<w:r><w:t xml:space="preserve">(Fotnotstexten saknas.)</w:t></w:r></w:p></w:footnote>'
             f'<w:footnote w:id="2"><w:p/><w:p><w:r><w:t xml:space="preserve">  </w:t></w:r>{mark.format("*")}'
             '<w:r><w:t xml:space="preserve"> Källa: SCB.</w:t></w:r></w:p><w:p><w:r><w:t>*</w:t></w:r></w:p></w:footnote>'
             '<w:footnote w:id="3"><w:p><w:r><w:t xml:space="preserve">a är en bokstav.</w:t></w:r></w:p></w:footnote>')
    part._blob = part.blob.replace(b"</w:footnotes>", notes.encode() + b"</w:footnotes>")
    layout = reader.read(save(document, tmp_path))
    assert layout.blocks[0].text == "Andel och samt"
    assert [(layout.notes[k].mark, layout.notes[k].text) for k in ("footnote:1", "footnote:2", "footnote:3")] == [
        ("4", "(Fotnotstexten saknas.)"), ("*", "Källa: SCB. *"), ("a", "a är en bokstav.")]


def test_custom_mark_of_the_word_fixture(tmp_path):
    layout = reader.read(Path(__file__).parent / "fixtures/word/004-rich.docx")
    note = layout.notes["footnote:1"]
    assert (note.mark, note.text) == ("4", "(Fotnotstexten saknas i källtexten.)")
    cells = [c for t in tables(layout) for row in t.rows for c in row if "footnote:1" in c.notes and c.origin]
    assert [c.text for c in cells] == ["Andel av patienter som står på väntelista, som väntat 90 dagar eller kortare till första besök "
                                       "i specialiserad vård"]


# --- properties and tolerance -----------------------------------------------------------------------------

def test_core_properties(tmp_path):
    document = docx.Document()
    props = document.core_properties
    props.title, props.subject, props.author, props.keywords = "Regional utvecklingsstrategi", "Plan", "Region Exempel", "RUS; mål"
    props.comments, props.category, props.last_modified_by = "Beslutad", "Styrdokument", "Handläggare"
    props.created = dt.datetime(2025, 3, 1, 9, 30, tzinfo=dt.UTC)
    props.modified = dt.datetime(2025, 4, 2, tzinfo=dt.UTC)
    props.revision = 3
    layout = reader.read(save(document, tmp_path))
    assert layout.properties == {
        "title": "Regional utvecklingsstrategi", "subject": "Plan", "creator": "Region Exempel", "keywords": "RUS; mål",
        "description": "Beslutad", "category": "Styrdokument", "created": "2025-03-01T09:30:00+00:00",
        "modified": "2025-04-02T00:00:00+00:00", "last_modified_by": "Handläggare"}


def test_no_core_properties_part_gives_none(tmp_path):
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    with zipfile.ZipFile(buffer) as source:
        entries = {n: source.read(n) for n in source.namelist() if n != "docProps/core.xml"}
    entries["_rels/.rels"] = re.sub(rb"<Relationship [^>]*core-properties[^>]*/>", b"", entries["_rels/.rels"])
    layout = reader.read(_zip(tmp_path / "utan.docx", entries))
    assert layout.properties == {}  # not python-docx's invented "Word Document"


def test_empty_document_and_data_argument(tmp_path):
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    layout = reader.read(Path("tom.docx"), buffer.getvalue())
    assert (layout.file, layout.blocks, layout.notes, layout.notices) == ("tom.docx", [], {}, [])


def _png() -> bytes:
    """A 1×1 grey PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x80")) + chunk(b"IEND", b"")


def test_only_tables_images_and_section_breaks(tmp_path):
    document = docx.Document()
    document.add_table(rows=2, cols=2).cell(0, 0).text = "bara tabell"
    document.add_section()
    document.add_picture(io.BytesIO(_png()))
    layout = reader.read(save(document, tmp_path))
    assert [type(b).__name__ for b in layout.blocks] == ["Table"]
    assert texts(layout.blocks[0]) == [["bara tabell", ""], ["", ""]]


def test_large_document_reads(tmp_path):
    document = docx.Document()
    for t in range(100):
        document.add_heading(f"Avsnitt {t + 1}", level=2)
        for i in range(20):
            document.add_paragraph(f"Stycke {i} i avsnitt {t}: regionen ska arbeta för hållbar utveckling.")
        body_rows = "".join(tr(tc(f"Indikator {r}"), tc(str(r)), tc(f"{r},5 %")) for r in range(20))
        add_body(document, tbl(body_rows))
    layout = reader.read(save(document, tmp_path))
    assert len(tables(layout)) == 100
    assert sum(isinstance(b, Paragraph) for b in layout.blocks) == 2000
    assert tables(layout)[-1].rows[19][2].text == "19,5 %"


# --- refusals --------------------------------------------------------------------------------------------

def _zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return path


def _zeros_entry(path: Path, megabytes: int) -> Path:
    """A zip with one entry of `megabytes` MB of zeros, written in chunks (a few hundred kB on disk)."""
    chunk = bytes(1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("word/document.xml", "w", force_zip64=True) as out:
        for _ in range(megabytes):
            out.write(chunk)
    return path


def test_zip_bomb_total_size_refused(tmp_path):
    with pytest.raises(ReadError, match=r"zip bomb: 300 MB uncompressed"):
        reader.read(_zeros_entry(tmp_path / "bomb.docx", 300))


def test_zip_bomb_compression_ratio_refused(tmp_path):
    with pytest.raises(ReadError, match=r"zip bomb: word/document.xml is compressed \d+:1"):
        reader.read(_zeros_entry(tmp_path / "ratio.docx", 20))


def test_too_many_entries_refused(tmp_path):
    path = _zip(tmp_path / "many.docx", {f"x/{i}.xml": b"" for i in range(reader.MAX_ENTRIES + 1)})
    with pytest.raises(ReadError, match="entries"):
        reader.read(path)


def test_not_a_zip(tmp_path):
    path = tmp_path / "fake.docx"
    path.write_text("Det här är ingen Word-fil.", encoding="utf-8")
    with pytest.raises(ReadError, match=r"not a Word document \(\.docx\)") as info:
        reader.read(path)
    assert info.value.location == Location(str(path))


@pytest.mark.parametrize(("extra", "expected"), [(b"", r"old Word 97–2003 \.doc"), ("EncryptionInfo".encode("utf-16-le"), "password-protected")])
def test_ole_file_encrypted_or_doc(tmp_path, extra, expected):
    path = tmp_path / "skyddad.docx"
    path.write_bytes(reader.OLE_MAGIC + bytes(504) + extra + bytes(1024))
    with pytest.raises(ReadError, match=expected):
        reader.read(path)


def test_zip_without_document_xml(tmp_path):
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    with zipfile.ZipFile(buffer) as source:
        entries = {n: source.read(n) for n in source.namelist() if n != "word/document.xml"}
    with pytest.raises(ReadError, match=r"word/document\.xml is missing"):
        reader.read(_zip(tmp_path / "trasig.docx", entries))


def test_other_zip_and_other_office_file(tmp_path):
    with pytest.raises(ReadError, match=r"no \[Content_Types\]\.xml"):
        reader.read(_zip(tmp_path / "annan.docx", {"a.txt": b"hej"}))
    rels = (b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            b'Target="xl/workbook.xml"/></Relationships>')
    types = (b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
             b'</Types>')
    workbook = b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'
    path = _zip(tmp_path / "bok.docx", {"[Content_Types].xml": types, "_rels/.rels": rels, "xl/workbook.xml": workbook})
    with pytest.raises(ReadError, match="Excel workbook"):
        reader.read(path)


def test_bad_xml_in_document_part(tmp_path):
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    with zipfile.ZipFile(buffer) as source:
        entries = {n: source.read(n) for n in source.namelist()}
    entries["word/document.xml"] = entries["word/document.xml"][:200]
    with pytest.raises(ReadError, match="damaged Word document"):
        reader.read(_zip(tmp_path / "avklippt.docx", entries))


def test_external_entities_are_not_resolved(tmp_path):
    secret = tmp_path / "hemligt.txt"
    secret.write_text("HEMLIGT", encoding="utf-8")
    document = docx.Document()
    add_body(document, p("Text"))
    add_notes(document, "footnote", {"1": "x"})
    path = save(document, tmp_path)
    with zipfile.ZipFile(path) as source:
        entries = {n: source.read(n) for n in source.namelist()}
    entries["word/footnotes.xml"] = (f'<?xml version="1.0"?><!DOCTYPE w:footnotes [<!ENTITY x SYSTEM "file://{secret}">]>'
                                     f'<w:footnotes {W_NS}><w:footnote w:id="1"><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:footnote>'
                                     '</w:footnotes>').encode()
    layout = reader.read(_zip(tmp_path / "entitet.docx", entries))
    assert "HEMLIGT" not in layout.notes["footnote:1"].text


def test_missing_file(tmp_path):
    with pytest.raises(ReadError, match="cannot read"):
        reader.read(tmp_path / "finns-inte.docx")


def test_huge_grid_span_refused(tmp_path):
    with pytest.raises(ReadError, match="over 1000 columns"):
        read_body(tmp_path, tbl(tr(tc("x", '<w:gridSpan w:val="100000000"/>'))))


def test_damaged_packages_raise_only_read_error(tmp_path):
    """Truncations and damaged bytes anywhere in a real document: read, or ReadError, nothing else."""
    document = docx.Document()
    document.add_heading("Rubrik", 1)
    add_body(document, tbl(tr(tc("a", '<w:vMerge w:val="restart"/>'), tc("b")), tr(tc("", "<w:vMerge/>"), tc("c"))))
    add_notes(document, "footnote", {"1": "not"})
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()
    with zipfile.ZipFile(buffer) as source:
        entries = {n: source.read(n) for n in source.namelist()}
    variants = [data[:cut] for cut in range(0, len(data), max(1, len(data) // 40))]
    variants += [data[:at] + bytes([data[at] ^ 0x55]) + data[at + 1:] for at in range(30, len(data), max(1, len(data) // 60))]
    for name, content in entries.items():
        if name.endswith(".xml") or name.endswith(".rels"):
            damaged = dict(entries, **{name: content[: len(content) // 2]})
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w") as archive:
                for entry, blob in damaged.items():
                    archive.writestr(entry, blob)
            variants.append(out.getvalue())
    for variant in variants:
        try:
            reader.read(Path("skadad.docx"), variant)
        except ReadError:
            pass
