"""Word (.docx) as the layout model: headings by outline level or style, paragraphs, tables as
span-aware grids, footnotes and endnotes, core properties. A paragraph in the Title style is the
document's name, not a heading: it becomes a Paragraph with style "Title".

The body is walked here, element by element, rather than through python-docx's paragraph and
table objects: those lose a table inside a block-level content control, the text of tracked
insertions, hyperlinks and simple fields, and say nothing of merged cells' extent. python-docx
is used to open the package (parts, relationships, core properties) and to parse document.xml
with its hardened parser; the parts it leaves as bytes (footnotes, endnotes, _rels/.rels) are
parsed here with a parser that resolves no entities and fetches nothing.

Tracked changes are read as if accepted; that there were any is said once, as a notice.
Text boxes (w:txbxContent inside drawings and VML shapes) are not read: their place in the
reading order is not defined, and what plans keep in them is decoration.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docx.exceptions import PythonDocxError
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part, XmlPart
from docx.package import Package
from lxml import etree

from plankoll.layout import Block, Cell, Heading, Layout, Location, Note, Notice, Paragraph, ReadError, Table
from plankoll.readers import read_bytes

__all__ = ["MAX_CELLS", "MAX_COMPRESSION_RATIO", "MAX_ENTRIES", "MAX_TABLE_COLUMNS", "MAX_UNCOMPRESSED_BYTES",
           "RATIO_CHECKED_ABOVE", "TITLE_STYLE", "read"]

# Limits on the zip directory, checked before anything is decompressed. A plan of a few hundred
# pages with images stays far below them; a zip bomb does not.
MAX_ENTRIES = 10_000
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200  # uncompressed : compressed, for entries above RATIO_CHECKED_ABOVE
RATIO_CHECKED_ABOVE = 1024 * 1024  # small XML parts compress very well and legitimately
# Limits on what a small document.xml can expand to: w:gridSpan="100000000" costs a few bytes.
MAX_TABLE_COLUMNS = 1_000  # Word itself allows 63
MAX_CELLS = 1_000_000  # grid positions in the whole document

OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")  # the stream an encrypted OOXML file keeps in its OLE container

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


P, R, T, TBL, TR, TC = _w("p"), _w("r"), _w("t"), _w("tbl"), _w("tr"), _w("tc")
PPR, RPR, TRPR, TCPR = _w("pPr"), _w("rPr"), _w("trPr"), _w("tcPr")
SDT, SDT_CONTENT, CUSTOM_XML = _w("sdt"), _w("sdtContent"), _w("customXml")
ALTERNATE, CHOICE = f"{{{MC}}}AlternateContent", f"{{{MC}}}Choice"
VAL, ID = _w("val"), _w("id")
FOOTNOTE_REF, ENDNOTE_REF = _w("footnoteReference"), _w("endnoteReference")

# Run containers whose runs are shown; w:del and w:moveFrom (deleted, moved away) are not in it.
_RUN_CONTAINERS = frozenset(_w(t) for t in ("ins", "moveTo", "hyperlink", "smartTag", "fldSimple", "customXml", "dir", "bdo"))
_RUN_CHARS = {_w("tab"): "\t", _w("ptab"): "\t", _w("noBreakHyphen"): "-", _w("softHyphen"): ""}
_LINE_BREAKS = frozenset((_w("br"), _w("cr")))
_REVISIONS = tuple(_w(t) for t in ("ins", "del", "moveFrom", "moveTo"))
_SEPARATORS = frozenset(("separator", "continuationSeparator", "continuationNotice"))
_FALSE = frozenset(("0", "false", "off"))

_HEADING_NAME = re.compile(r"^(?:heading|rubrik|überschrift|otsikko|overskrift)\s*_?(?:20_)?([1-9])$", re.IGNORECASE)
# Word's built-in Title style: named "Title" whatever the UI language, its id localized ("Rubrik" in Swedish Word)
_TITLE_NAME = re.compile(r"^(?:title|rubrik)$", re.IGNORECASE)
TITLE_STYLE = "Title"  # the style of the Paragraph a document title becomes

_OTHER_KINDS = {  # main-part content types of other Office files, for a message that says what the file is
    "application/vnd.ms-word.document.macroEnabled.main+xml": "a macro-enabled Word document (.docm)",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml": "a Word template (.dotx)",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml": "a macro-enabled Word template (.dotm)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "an Excel workbook",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": "a PowerPoint presentation",
}

# What python-docx, zipfile, zlib and lxml raise for a damaged package; all become ReadError.
_PACKAGE_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, etree.LxmlError, PythonDocxError, KeyError, ValueError,
                   IndexError, AttributeError, TypeError, OSError, EOFError, NotImplementedError, RecursionError)


# --- public ---------------------------------------------------------------------------------------

def read(path: Path, data: bytes | None = None) -> Layout:
    """The layout of a .docx file (`data`, when given, is its content: `path` then only names it)."""
    name = str(path)
    if data is None:
        data = read_bytes(path, MAX_UNCOMPRESSED_BYTES, "a Word document")
    _check_package(name, data)
    try:
        return _layout(name, _open_document(name, data))
    except ReadError:
        raise
    except _PACKAGE_ERRORS as exc:
        raise ReadError(f"damaged Word document (.docx): {_describe(exc)}", Location(name)) from None


# --- the package: safety before parsing ---------------------------------------------------------------



def _check_package(name: str, data: bytes) -> None:
    """Refuse what is not a .docx, or would cost too much to open, from the zip directory alone."""
    if data[:8] == OLE_MAGIC:
        raise ReadError(_ole_message(data), Location(name))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise ReadError("not a Word document (.docx): the file is not a zip package", Location(name)) from None
    with archive:
        _check_limits(name, archive.infolist())
        _check_main_part(name, archive)


def _ole_message(data: bytes) -> str:
    if _ENCRYPTION_STREAM in data:
        return ("the Word document is encrypted (password-protected): remove the password "
                "(File › Info › Protect Document) and save it as .docx")
    return ("not a .docx: an old Word 97–2003 .doc file or an encrypted (password-protected) document; "
            "open it in Word and save it as Word Document (.docx) without a password")


def _check_limits(name: str, entries: list[zipfile.ZipInfo]) -> None:
    where = Location(name)
    if len(entries) > MAX_ENTRIES:
        raise ReadError(f"refused as a possible zip bomb: {len(entries)} entries in the package (at most {MAX_ENTRIES})", where)
    total = sum(e.file_size for e in entries)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise ReadError(f"refused as a possible zip bomb: {total // 2**20} MB uncompressed (at most {MAX_UNCOMPRESSED_BYTES // 2**20} MB)",
                        where)
    for e in entries:
        if e.file_size > RATIO_CHECKED_ABOVE and e.file_size > MAX_COMPRESSION_RATIO * max(e.compress_size, 1):
            ratio = e.file_size // max(e.compress_size, 1)
            raise ReadError(f"refused as a possible zip bomb: {e.filename} is compressed {ratio}:1 (at most {MAX_COMPRESSION_RATIO}:1)",
                            where)


def _check_main_part(name: str, archive: zipfile.ZipFile) -> None:
    """Name what is missing, which python-docx's KeyError would not say in words."""
    where = Location(name)
    names = set(archive.namelist())
    if "[Content_Types].xml" not in names or "_rels/.rels" not in names:
        raise ReadError("not a Word document (.docx): the zip has no [Content_Types].xml or _rels/.rels", where)
    try:
        rels = etree.fromstring(archive.read("_rels/.rels"), _safe_parser())
    except (etree.LxmlError, zipfile.BadZipFile, zlib.error, ValueError, OSError, EOFError, NotImplementedError) as exc:
        raise ReadError(f"damaged Word document (.docx): _rels/.rels cannot be read: {_describe(exc)}", where) from None
    targets = [r.get("Target", "") for r in rels.iter(f"{{{PKG_RELS}}}Relationship") if r.get("Type", "").endswith("/officeDocument")]
    if not targets:
        raise ReadError("not a Word document (.docx): the package names no main document", where)
    if any("purl.oclc.org" in r.get("Type", "") for r in rels.iter(f"{{{PKG_RELS}}}Relationship")):
        raise ReadError("a Strict Open XML document, which cannot be read: save it as Word Document (.docx)", where)
    if targets[0].lstrip("/") not in names:
        raise ReadError(f"damaged Word document (.docx): the main part {targets[0].lstrip('/')} is missing", where)


def _safe_parser() -> etree.XMLParser:
    # One per parse: lxml parsers are not to be shared between threads.
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)


def _describe(exc: BaseException) -> str:
    text = str(exc).strip("'\" ") or type(exc).__name__
    return text if len(text) < 300 else text[:300] + "…"


def _open_document(name: str, data: bytes) -> Any:
    part = Package.open(io.BytesIO(data)).main_document_part
    if part.content_type != CT.WML_DOCUMENT_MAIN:
        kind = _OTHER_KINDS.get(part.content_type, f"content of type {part.content_type}")
        raise ReadError(f"not a Word document (.docx): the file is {kind}; save it as Word Document (.docx)", Location(name))
    return part.document


# --- the document -----------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Style:
    id: str
    name: str | None
    based_on: str | None
    outline: int | None  # w:outlineLvl of the style's own pPr


@dataclass(slots=True)
class _Context:
    """What the walk keeps from block to block: counters, styles and note numbering."""

    file: str
    styles: dict[str, _Style]
    default_style: str | None
    paragraphs: int = 0
    tables: int = 0
    cells: int = 0
    note_counts: dict[str, int] = field(default_factory=dict)  # kind → auto-numbered references so far
    note_numbers: dict[str, int] = field(default_factory=dict)  # note key → its number
    custom_marks: dict[str, str] = field(default_factory=dict)  # note key → the mark the document prints


def _layout(name: str, document: Any) -> Layout:
    part = document.part
    styles, default_style = _styles(_related_xml(part, RT.STYLES))
    ctx = _Context(name, styles, default_style)
    body = document.element.body
    layout = Layout(name, "docx")
    layout.blocks = list(_blocks(body, ctx)) if body is not None else []
    note_roots = {kind: _related_xml(part, reltype) for kind, reltype in (("footnote", RT.FOOTNOTES), ("endnote", RT.ENDNOTES))}
    formats = [body.find(_w("sectPr")) if body is not None else None, _related_xml(part, RT.SETTINGS)]
    for kind, root in note_roots.items():
        if root is not None:
            layout.notes.update(_notes(root, kind, ctx, _note_format(kind, formats)))
    layout.properties = _properties(document)
    revisions = _count_revisions([body, *note_roots.values()])
    if revisions:
        layout.notices.append(Notice(Location(name), "unaccepted_revisions", {"count": revisions}))
    return layout


def _related_xml(part: Part, reltype: str) -> Any:
    """The root element of the part `part` relates to by `reltype`, or None."""
    for rel in part.rels.values():
        if rel.reltype == reltype and not rel.is_external:
            target = rel.target_part
            if isinstance(target, XmlPart):
                return target.element
            return etree.fromstring(target.blob, _safe_parser())
    return None


def _count_revisions(roots: list[Any]) -> int:
    return sum(1 for root in roots if root is not None for _ in root.iter(*_REVISIONS))


def _unwrap(parent: Any, wanted: frozenset[str]) -> Iterator[Any]:
    """The children of `parent` with a tag in `wanted`, looking through content controls, custom
    XML and alternate content (the mc:Choice: the mc:Fallback repeats it for older readers)."""
    for child in parent:
        tag = child.tag
        if tag in wanted:
            yield child
        elif tag == SDT:
            content = child.find(SDT_CONTENT)
            if content is not None:
                yield from _unwrap(content, wanted)
        elif tag == CUSTOM_XML:
            yield from _unwrap(child, wanted)
        elif tag == ALTERNATE:
            choice = child.find(CHOICE)
            if choice is not None:
                yield from _unwrap(choice, wanted)


_BLOCK_TAGS = frozenset((P, TBL))
_ROW_TAGS = frozenset((TR,))
_CELL_TAGS = frozenset((TC,))


def _blocks(body: Any, ctx: _Context) -> Iterator[Block]:
    for element in _unwrap(body, _BLOCK_TAGS):
        if element.tag == P:
            ctx.paragraphs += 1
            block = _paragraph(element, ctx)
            if block is not None:
                yield block
        else:
            yield from _table(element, ctx, nested=False)


# --- paragraphs and runs ----------------------------------------------------------------------------

@dataclass(slots=True)
class _Runs:
    """The text gathered from runs, with the notes referenced and whether each text run is bold."""

    line_break: str
    parts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    bold: list[bool] = field(default_factory=list)
    pending_mark: str | None = None  # a note whose custom mark is the next text
    run_index: int = 0
    pending_since: int = 0
    leading_mark: str | None = None  # in a note: its custom mark, which the note's first text repeats


def _paragraph(p: Any, ctx: _Context) -> Heading | Paragraph | None:
    runs = _Runs(line_break=" ")
    _collect(p, ctx, runs)
    text = "".join(runs.parts).strip(" \t\r\n")
    if not text.strip() and not runs.notes:
        return None
    location = Location(ctx.file, paragraph=ctx.paragraphs)
    style_id = _style_id(p)
    level = _heading_level(p, style_id, ctx)
    if level == TITLE_STYLE:
        return Paragraph(text, location, style=TITLE_STYLE, notes=runs.notes)
    if level is not None:
        return Heading(text, level, location, runs.notes)
    style = ctx.styles.get(style_id) if style_id else None
    return Paragraph(text, location, style=(style.name or style.id) if style else style_id, notes=runs.notes)


def _collect(parent: Any, ctx: _Context, runs: _Runs) -> None:
    for child in parent:
        tag = child.tag
        if tag == R:
            _run(child, ctx, runs)
        elif tag in _RUN_CONTAINERS:
            _collect(child, ctx, runs)
        elif tag == SDT:
            content = child.find(SDT_CONTENT)
            if content is not None:
                _collect(content, ctx, runs)
        elif tag == ALTERNATE:
            choice = child.find(CHOICE)
            if choice is not None:
                _collect(choice, ctx, runs)
        # w:del, w:moveFrom: read as accepted. m:oMath: formulas are not plan text.


def _run(r: Any, ctx: _Context, runs: _Runs) -> None:
    """Text of one run. Drawings, w:sym, w:delText and w:instrText (field codes) give none."""
    runs.run_index += 1
    if runs.pending_mark is not None and runs.run_index > runs.pending_since + 1:
        runs.pending_mark = None  # a custom mark is in the reference's run or the next one
    has_text = False
    for child in r:
        tag = child.tag
        if tag == T:
            text = child.text or ""
            if runs.pending_mark is not None:
                ctx.custom_marks[runs.pending_mark] = text.strip()
                runs.pending_mark = None
                continue
            if runs.leading_mark is not None and text.strip():
                mark, runs.leading_mark = runs.leading_mark, None
                if text.strip() == mark:
                    continue
            runs.parts.append(text)
            has_text = has_text or bool(text.strip())
        elif tag in _RUN_CHARS:
            runs.parts.append(_RUN_CHARS[tag])
        elif tag in _LINE_BREAKS:
            runs.parts.append(runs.line_break)
        elif tag == FOOTNOTE_REF or tag == ENDNOTE_REF:
            _note_reference(child, ctx, runs)
    if has_text:
        runs.bold.append(_is_bold(r))


def _note_reference(ref: Any, ctx: _Context, runs: _Runs) -> None:
    kind = "footnote" if ref.tag == FOOTNOTE_REF else "endnote"
    key = f"{kind}:{ref.get(ID)}"
    if _on(ref.get(_w("customMarkFollows"))):
        # A custom mark does not take a number (ECMA-376 17.11.14): the count skips it.
        runs.pending_mark, runs.pending_since = key, runs.run_index
    elif key not in ctx.note_numbers:
        ctx.note_counts[kind] = ctx.note_counts.get(kind, 0) + 1
        ctx.note_numbers[key] = ctx.note_counts[kind]
    if key not in runs.notes:
        runs.notes.append(key)


def _on(value: str | None) -> bool:
    return value is not None and value.lower() not in _FALSE


def _is_bold(r: Any) -> bool:
    rpr = r.find(RPR)
    b = rpr.find(_w("b")) if rpr is not None else None
    return b is not None and (b.get(VAL) is None or _on(b.get(VAL)))


# --- heading levels -----------------------------------------------------------------------------------

def _styles(root: Any) -> tuple[dict[str, _Style], str | None]:
    """The paragraph styles by id, and the default paragraph style's id."""
    styles: dict[str, _Style] = {}
    default = None
    if root is None:
        return styles, None
    for element in root.iterchildren(_w("style")):
        if element.get(_w("type"), "paragraph") != "paragraph" or not element.get(_w("styleId")):
            continue
        style_id = element.get(_w("styleId"))
        name, based_on = element.find(_w("name")), element.find(_w("basedOn"))
        styles[style_id] = _Style(style_id, name.get(VAL) if name is not None else None,
                                  based_on.get(VAL) if based_on is not None else None, _outline(element.find(PPR)))
        if _on(element.get(_w("default"))) and default is None:
            default = style_id
    return styles, default


def _outline(ppr: Any) -> int | None:
    level = ppr.find(_w("outlineLvl")) if ppr is not None else None
    if level is None:
        return None
    try:
        return int(level.get(VAL, ""))
    except ValueError:
        return None


def _style_id(p: Any) -> str | None:
    ppr = p.find(PPR)
    style = ppr.find(_w("pStyle")) if ppr is not None else None
    return style.get(VAL) if style is not None else None


def _style_chain(style_id: str | None, ctx: _Context) -> list[_Style]:
    chain: list[_Style] = []
    current = style_id or ctx.default_style
    while current is not None and current in ctx.styles and all(s.id != current for s in chain):
        chain.append(ctx.styles[current])
        current = chain[-1].based_on
    return chain


def _heading_level(p: Any, style_id: str | None, ctx: _Context) -> int | str | None:
    """The heading level of a paragraph, TITLE_STYLE for a document title, or None for body text.

    The paragraph's own outline level decides first. Then its style and the styles that one is
    based on, nearest first: a title style makes a title (the document's name, not a level of its
    headings), an outline level a heading. Then a heading style's name. Outline level 9 is body
    text; built-in names are English whatever the UI language, while ids are localized ("Rubrik1",
    and "Rubrik" for Title), so both are tried."""
    own = _outline(p.find(PPR))
    if own is not None:
        return own + 1 if 0 <= own <= 8 else None
    chain = _style_chain(style_id, ctx)
    for style in chain:
        if _TITLE_NAME.match((style.name or style.id).strip()):
            return TITLE_STYLE
        if style.outline is not None:
            return style.outline + 1 if 0 <= style.outline <= 8 else None
    if not chain and style_id and _TITLE_NAME.match(style_id.strip()):
        return TITLE_STYLE  # a style the styles part does not define: its id is all there is
    for name in [n for s in chain for n in (s.name, s.id)] or [style_id]:
        if name and (match := _HEADING_NAME.match(name.strip())):
            return int(match.group(1))
    return None


# --- tables -----------------------------------------------------------------------------------------

@dataclass(slots=True)
class _Grid:
    """A table being built: its cells by grid position, and the merged cell covering each."""

    file: str
    table: int
    rows: list[list[Cell]] = field(default_factory=list)
    origins: list[list[Cell]] = field(default_factory=list)

    def at(self, row: int, column: int) -> Location:
        return Location(self.file, table=self.table, row=row + 1, column=column + 1)


def _table(tbl: Any, ctx: _Context, nested: bool) -> list[Table]:
    """The table, then the tables nested in its cells (numbered after it, in document order)."""
    ctx.tables += 1
    grid = _Grid(ctx.file, ctx.tables)
    inner: list[Table] = []
    rows = [tr for tr in _unwrap(tbl, _ROW_TAGS) if not _deleted_row(tr)]
    headers = _header_rows(rows)
    for index, tr in enumerate(rows):
        _fill_row(tr, grid, ctx, inner, header=index < headers)
    _pad(grid, ctx, headers)
    table = Table(grid.rows, Location(ctx.file, table=grid.table), header_rows=headers or None, nested=nested)
    return [table, *inner]


def _deleted_row(tr: Any) -> bool:
    trpr = tr.find(TRPR)
    return trpr is not None and trpr.find(_w("del")) is not None


def _header_rows(rows: list[Any]) -> int:
    count = 0
    for tr in rows:
        trpr = tr.find(TRPR)
        mark = trpr.find(_w("tblHeader")) if trpr is not None else None
        if mark is None or not (mark.get(VAL) is None or _on(mark.get(VAL))):
            break
        count += 1
    return count


def _number(parent: Any, tag: str, default: int) -> int:
    element = parent.find(_w(tag)) if parent is not None else None
    try:
        return int(element.get(VAL)) if element is not None else default
    except (TypeError, ValueError):
        return default


def _fill_row(tr: Any, grid: _Grid, ctx: _Context, inner: list[Table], header: bool) -> None:
    r = len(grid.rows)
    row: list[Cell] = []
    origins: list[Cell] = []
    grid.rows.append(row)
    grid.origins.append(origins)
    trpr = tr.find(TRPR)
    _add_empty(grid, r, _number(trpr, "gridBefore", 0), header, ctx)
    for tc in _unwrap(tr, _CELL_TAGS):
        tcpr = tc.find(TCPR)
        span = max(1, _number(tcpr, "gridSpan", 1))
        _check_width(grid, r, len(row) + span)
        above = _continued(tcpr, grid, r, len(row))
        text, notes, bold = _cell_content(tc, ctx, inner)
        if above is not None:
            # Word shows only the merged cell's content; the continuation's was still read above so that
            # note numbering and nested tables stay as in the document.
            above.row_span += 1
            origin = above
            cells = [_copy(origin, grid.at(r, c), header) for c in range(len(row), len(row) + span)]
        else:
            origin = Cell(text, grid.at(r, len(row)), notes, col_span=span, bold=bold, header=header)
            cells = [origin, *(_copy(origin, grid.at(r, c), header) for c in range(len(row) + 1, len(row) + span))]
        row.extend(cells)
        origins.extend([origin] * span)
        _charge(ctx, span)
    _add_empty(grid, r, _number(trpr, "gridAfter", 0), header, ctx)


def _continued(tcpr: Any, grid: _Grid, r: int, column: int) -> Cell | None:
    """The merged cell above that this cell continues (w:vMerge without val="restart"), or None."""
    merge = tcpr.find(_w("vMerge")) if tcpr is not None else None
    if merge is None or merge.get(VAL, "continue") != "continue" or r == 0:
        return None
    above = grid.origins[r - 1]
    return above[column] if column < len(above) else None


def _copy(origin: Cell, location: Location, header: bool) -> Cell:
    # The copies repeat the text and notes: a spanned header applies to every column under it.
    return Cell(origin.text, location, list(origin.notes), origin=False, bold=origin.bold, header=header)


def _add_empty(grid: _Grid, r: int, count: int, header: bool, ctx: _Context) -> None:
    row, origins = grid.rows[r], grid.origins[r]
    _check_width(grid, r, len(row) + max(count, 0))
    for _ in range(max(count, 0)):
        cell = Cell("", grid.at(r, len(row)), header=header)
        row.append(cell)
        origins.append(cell)
    _charge(ctx, max(count, 0))


def _pad(grid: _Grid, ctx: _Context, headers: int) -> None:
    width = max((len(row) for row in grid.rows), default=0)
    for r, row in enumerate(grid.rows):
        _add_empty(grid, r, width - len(row), r < headers, ctx)


def _check_width(grid: _Grid, r: int, width: int) -> None:
    if width > MAX_TABLE_COLUMNS:
        raise ReadError(f"damaged Word document (.docx): row {r + 1} of table {grid.table} is over {MAX_TABLE_COLUMNS} columns wide",
                        Location(grid.file, table=grid.table, row=r + 1))


def _charge(ctx: _Context, cells: int) -> None:
    ctx.cells += cells
    if ctx.cells > MAX_CELLS:
        raise ReadError(f"refused: the tables have over {MAX_CELLS} cells in all", Location(ctx.file))


def _cell_content(tc: Any, ctx: _Context, inner: list[Table]) -> tuple[str, list[str], bool]:
    """A cell's paragraphs joined by newlines, its notes, and whether all its text is bold.
    A nested table's text stays out: the table is a block of its own, after this one."""
    runs = _Runs(line_break="\n")
    lines: list[str] = []
    for element in _unwrap(tc, _BLOCK_TAGS):
        if element.tag == TBL:
            inner.extend(_table(element, ctx, nested=True))
            continue
        start = len(runs.parts)
        _collect(element, ctx, runs)
        line = "".join(runs.parts[start:]).strip(" \t\r\n")
        if line:
            lines.append(line)
    return "\n".join(lines), runs.notes, bool(runs.bold) and all(runs.bold)


# --- notes --------------------------------------------------------------------------------------------

_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"),
          (5, "v"), (4, "iv"), (1, "i"))
_CHICAGO = "*†‡§"


def _note_format(kind: str, roots: list[Any]) -> tuple[str, int]:
    """The numbering format and first number of footnotes or endnotes: the body's section first,
    then the settings; Word's defaults are 1, 2, 3 for footnotes and i, ii, iii for endnotes."""
    fmt, start = ("decimal" if kind == "footnote" else "lowerRoman"), 1
    for root in reversed([r for r in roots if r is not None]):
        props = root.find(_w(f"{kind}Pr"))
        if props is not None:
            found = props.find(_w("numFmt"))
            fmt = found.get(VAL, fmt) if found is not None else fmt
            start = _number(props, "numStart", start)
    return fmt, start


def _format_number(n: int, fmt: str) -> str:
    if n < 1:
        return str(n)
    if fmt in ("lowerRoman", "upperRoman"):
        out, rest = "", n
        for value, letters in _ROMAN:
            count, rest = divmod(rest, value)
            out += letters * count
        return out if fmt == "lowerRoman" else out.upper()
    if fmt in ("lowerLetter", "upperLetter"):  # Word repeats the letter: a … z, aa … zz
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "lowerLetter" else letter.upper()
    if fmt == "chicago":
        return _CHICAGO[(n - 1) % 4] * ((n - 1) // 4 + 1)
    return str(n)


def _notes(root: Any, kind: str, ctx: _Context, numbering: tuple[str, int]) -> dict[str, Note]:
    fmt, start = numbering
    notes: dict[str, Note] = {}
    for element in root.iterchildren(_w(kind)):
        if element.get(_w("type")) in _SEPARATORS or element.get(ID) is None:
            continue
        key = f"{kind}:{element.get(ID)}"
        mark = ctx.custom_marks.get(key)
        if mark is None and key in ctx.note_numbers:
            mark = _format_number(ctx.note_numbers[key] + start - 1, fmt)
        # A note with a custom mark has no w:footnoteRef: Word prints the mark as text at its start.
        leading = [ctx.custom_marks.get(key)]
        notes[key] = Note(key, " ".join(_plain_lines(element, ctx, leading)), kind, Location(ctx.file), mark=mark)
    return notes


def _plain_lines(container: Any, ctx: _Context, leading: list[str | None]) -> list[str]:
    """The non-empty paragraphs of a note, tables' cells included, in order. `leading` holds
    the note's custom mark until its first text is met; that text is left out if it is the mark."""
    lines: list[str] = []
    for element in _unwrap(container, _BLOCK_TAGS):
        if element.tag == P:
            runs = _Runs(line_break=" ", leading_mark=leading[0])
            _collect(element, ctx, runs)
            leading[0] = runs.leading_mark
            line = "".join(runs.parts).strip(" \t\r\n")
            if line:
                lines.append(line)
            continue
        for tr in _unwrap(element, _ROW_TAGS):
            for tc in _unwrap(tr, _CELL_TAGS):
                lines.extend(_plain_lines(tc, ctx, leading))
    return lines


# --- core properties ------------------------------------------------------------------------------------

_PROPERTIES = (("title", "title"), ("subject", "subject"), ("creator", "author"), ("keywords", "keywords"), ("description", "comments"),
               ("category", "category"), ("created", "created"), ("modified", "modified"), ("last_modified_by", "last_modified_by"))


def _properties(document: Any) -> dict[str, str]:
    try:
        document.part.package.part_related_by(RT.CORE_PROPERTIES)
    except (KeyError, ValueError):
        return {}  # python-docx would invent a default part ("Word Document") that the file does not have
    core = document.core_properties
    out: dict[str, str] = {}
    for key, attribute in _PROPERTIES:
        try:
            value = getattr(core, attribute)
        except (TypeError, ValueError, AttributeError):
            continue  # an empty or malformed date element: python-docx cannot parse it
        if isinstance(value, dt.datetime):
            value = value.isoformat()
        if isinstance(value, str) and value.strip():
            out[key] = value.strip()
    return out
