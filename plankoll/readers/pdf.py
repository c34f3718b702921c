"""PDF as the layout model: headings by font size and weight, paragraphs, tables as span-aware
grids, footnotes at the page foot, metadata — every block and cell located by page and box.

Three libraries, each for what it does well:
- pypdfium2 (PDFium) gives the characters (with their boxes, fonts and marked-content ids) and
  the ruling lines of each page. It reads a page ten times faster than pdfminer's interpreter
  (0.01–0.03 s against 0.15–0.3 s), which decides whether a 300-page plan reads in seconds or
  minutes.
- pdfminer (through pdfplumber, which opens the file) reads the document's objects: the
  metadata and the structure tree of a tagged PDF. The tree is walked here rather than with
  pdfplumber's PDFStructTree, which loses the page of marked content that runs over a page break.
- pdfplumber's TableFinder turns the ruling lines PDFium found into cells (its "lines" strategy).

Tables, in this order: the structure tree's Table/TR/TH/TD (the text of a cell is the characters
of its marked-content ids); ruled tables; borderless tables found in word positions, only where
three or more lines share the same columns of figures. A table that runs over a page break is
one table; page headers, footers and page numbers are not content (in a tagged PDF they are
marked as artifacts; otherwise they are found by repeating at the same place on most pages).

The reader says what the page shows. Strikethrough (as LibreOffice prints tracked deletions) is
not recognised, and text set vertically is left out.
"""

from __future__ import annotations

import bisect
import contextlib
import ctypes
import io
import itertools
import logging
import math
import re
import shutil
import struct
import subprocess
import tempfile
import unicodedata
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as fpdf
from pdfminer.pdfpage import PDFPage
from pdfminer.pdftypes import PDFObjRef, resolve1
from pdfminer.psexceptions import PSException
from pdfminer.psparser import PSLiteral
from pdfplumber.table import TableFinder
from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

from plankoll.layout import Block, Cell, Heading, Layout, Location, Note, Notice, Paragraph, ReadError, Table
from plankoll.readers import read_bytes

__all__ = ["MAX_CHARS_PER_PAGE", "MAX_FILE_BYTES", "MAX_OBJECTS", "MAX_PAGES", "MAX_PATHS_PER_PAGE", "MAX_TAG_ELEMENTS",
           "OCR_DPI", "OCR_HINT", "OCR_TIMEOUT", "TITLE_STYLE", "read"]

# Limits, checked before the pages are read; a plan of a few hundred pages stays far below them.
MAX_FILE_BYTES = 300 * 1024 * 1024
MAX_PAGES = 2000
MAX_OBJECTS = 5_000_000  # objects in the cross-reference tables
MAX_CHARS_PER_PAGE = 200_000
MAX_PATHS_PER_PAGE = 20_000  # a page with more drawing than this is a chart or a map: no ruled tables are looked for on it
MAX_TAG_ELEMENTS = 2_000_000  # structure elements; a larger tree is not used (the page layout still is)

OCR_DPI = 300
OCR_TIMEOUT = 180  # seconds for one page
OCR_LANGUAGE = "swe"
OCR_HINT = "apt-get install tesseract-ocr tesseract-ocr-swe; pip install 'plankoll[ocr]'"
TITLE_STYLE = "Title"  # the style of the Paragraph the document title becomes, as the Word reader names it

# What PDFium, pdfminer and the libraries under them raise for a damaged file: all become ReadError.
_DAMAGE = (pdfium.PdfiumError, PdfminerException, MalformedPDFException, PSException, ValueError, KeyError, TypeError,
           AttributeError, IndexError, AssertionError, RecursionError, OverflowError, ZeroDivisionError, EOFError, OSError,
           struct.error, zlib.error)


# --- public -----------------------------------------------------------------------------------------

def read(path: Path, data: bytes | None = None) -> Layout:
    """The layout of a PDF file (`data`, when given, is its content: `path` then only names it)."""
    name = str(path)
    if data is None:
        data = read_bytes(path, MAX_FILE_BYTES, "a PDF plan")
    _check_bytes(name, data)
    try:
        with _quiet_pdfminer():
            return _read(name, data)
    except ReadError:
        raise
    except MemoryError:
        raise ReadError("refused: the PDF needs more memory than is available", Location(name)) from None
    except _DAMAGE as exc:
        raise ReadError(f"damaged PDF: {_describe(exc)}", Location(name)) from None


# --- the file: safety before parsing ------------------------------------------------------------------

@contextlib.contextmanager
def _quiet_pdfminer() -> Iterator[None]:
    """pdfminer logs what it repairs in a damaged file as warnings; what matters of that reaches
    the user as a ReadError or a notice, not as lines on stderr."""
    logger = logging.getLogger("pdfminer")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)




def _check_bytes(name: str, data: bytes) -> None:
    if len(data) > MAX_FILE_BYTES:
        raise ReadError(f"too large for a PDF plan: over {MAX_FILE_BYTES // 2**20} MB", Location(name))
    if b"%PDF-" not in data[:1024]:  # the header may follow up to 1 KB of other bytes (PDF 1.7, annex H)
        raise ReadError("not a PDF file: no %PDF- header", Location(name))


def _describe(exc: BaseException) -> str:
    text = str(exc).strip("'\" ") or type(exc).__name__
    return text if len(text) < 300 else text[:300] + "…"


def _encrypted(name: str) -> ReadError:
    return ReadError("the PDF is encrypted (password-protected): save or print it again without a password", Location(name))


class _Sources:
    """The file opened by PDFium (pages) and by pdfminer through pdfplumber (objects, tags, metadata)."""

    def __init__(self, name: str, data: bytes):
        self.name = name
        self.pdfium = _open_pdfium(name, data)
        try:
            self.plumber = _open_plumber(name, data)
            self.count = len(self.pdfium)
            _check_size(name, self.count, self.plumber)
        except BaseException:
            self.pdfium.close()
            raise

    def __enter__(self) -> _Sources:
        return self

    def __exit__(self, *_: object) -> None:
        # Not plumber.close(): that makes a pdfplumber Page of every page only to close it. The
        # stream is ours (a BytesIO) and goes with the object.
        self.plumber.flush_cache()
        self.pdfium.close()


def _open_pdfium(name: str, data: bytes) -> Any:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise _encrypted(name) from None
        raise ReadError(f"damaged or truncated PDF: {_describe(exc)}", Location(name)) from None


def _open_plumber(name: str, data: bytes) -> Any:
    try:
        return pdfplumber.open(io.BytesIO(data))
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if "password" in type(cause).__name__.lower() or "password" in str(cause).lower():
            raise _encrypted(name) from None
        raise ReadError(f"damaged or truncated PDF: {_describe(cause)}", Location(name)) from None


def _check_size(name: str, pages: int, plumber: Any) -> None:
    if pages > MAX_PAGES:
        raise ReadError(f"refused: {pages} pages (at most {MAX_PAGES})", Location(name))
    objects = sum(len(list(xref.get_objids())) for xref in plumber.doc.xrefs)
    if objects > MAX_OBJECTS:
        raise ReadError(f"refused: {objects} objects (at most {MAX_OBJECTS})", Location(name))


# --- what a page is made of -----------------------------------------------------------------------------

@dataclass(slots=True)
class _Char:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    base: float  # the baseline, from the top of the page
    size: float
    bold: bool
    mcid: int = -1
    sup: bool = False


@dataclass(slots=True)
class _Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    base: float
    size: float
    bold: bool
    sup: bool = False  # a raised, smaller mark: a footnote reference
    space: str = " "  # the space printed before the word on its line (kept: U+00A0 and U+202F are the figure parser's)
    trail: bool = False  # a space is printed after it (at a line's end: the line wrapped there, no word was broken)


@dataclass(slots=True)
class _Line:
    words: list[_Word]
    page: int  # 0-based
    x0: float = 0.0
    top: float = 0.0
    x1: float = 0.0
    bottom: float = 0.0
    base: float = 0.0
    size: float = 0.0
    bold: bool = False

    def __post_init__(self) -> None:
        self.x0 = min(w.x0 for w in self.words)
        self.x1 = max(w.x1 for w in self.words)
        self.top = min(w.top for w in self.words)
        self.bottom = max(w.bottom for w in self.words)
        body = [w for w in self.words if not w.sup] or self.words
        sizes: Counter[float] = Counter()
        for w in body:
            sizes[round(w.size * 2) / 2] += len(w.text)
        self.size = sizes.most_common(1)[0][0]
        self.base = max(w.base for w in body)
        self.bold = all(w.bold for w in body)

    @property
    def text(self) -> str:
        return _join_words(self.words)


def _join_words(words: list[_Word]) -> str:
    return "".join((w.space if i else "") + w.text for i, w in enumerate(words))


Box = tuple[float, float, float, float]


def _union(boxes: list[Box]) -> Box:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _line_box(line: _Line) -> Box:
    return (line.x0, line.top, line.x1, line.bottom)


def _rounded(box: Box) -> Box:
    return (round(box[0], 1), round(box[1], 1), round(box[2], 1), round(box[3], 1))


# --- the structure tree of a tagged PDF ----------------------------------------------------------------

@dataclass(eq=False, slots=True)
class _TagCell:
    header: bool
    col_span: int = 1
    row_span: int = 1
    parts: dict[int, list[_Line]] = field(default_factory=dict)  # page → the lines of the cell on it


@dataclass(eq=False, slots=True)
class _TagTable:
    rows: list[list[_TagCell]] = field(default_factory=list)
    start: tuple[int, float] | None = None  # (page, top) of its first text: its place in the reading order


@dataclass(slots=True)
class _Tags:
    tables: list[_TagTable] = field(default_factory=list)
    cells: dict[tuple[int, int], tuple[int, _TagCell]] = field(default_factory=dict)  # (page, mcid) → (table, cell)
    pages: set[int] = field(default_factory=set)  # pages with marked content in a table


_TABLE_PARTS = frozenset(("THead", "TBody", "TFoot"))
# elements of running text, which hold no tables (PDF 1.7, 14.8.4): their content is not walked
_LEAVES = frozenset(("P", "H", "H1", "H2", "H3", "H4", "H5", "H6", "Span", "Link", "Lbl", "Figure", "Formula", "Caption",
                     "Quote", "Code", "Reference", "BibEntry", "Annot", "Ruby", "Warichu", "Title", "Note"))


def _name(value: Any) -> str:
    value = resolve1(value)
    if isinstance(value, PSLiteral):
        name = value.name
        return name.decode("latin-1") if isinstance(name, bytes) else str(name)
    return ""


def _tags(plumber: Any, layout: Layout) -> _Tags | None:
    """The tables of the structure tree, or None when the PDF is not tagged or its tree is unusable."""
    root = resolve1(plumber.doc.catalog.get("StructTreeRoot"))
    if not isinstance(root, dict):
        return None
    try:
        pages = {page.pageid: n for n, page in enumerate(PDFPage.create_pages(plumber.doc))}
        walker = _TagWalker(pages, resolve1(root.get("RoleMap")) or {})
        walker.walk(root.get("K"))
    except _TagLimit:
        layout.notices.append(Notice(Location(layout.file), "pdf_tags_not_used", {"reason": f"over {MAX_TAG_ELEMENTS} elements"}))
        return None
    except _DAMAGE as exc:
        layout.notices.append(Notice(Location(layout.file), "pdf_tags_not_used", {"reason": _describe(exc)}))
        return None
    return walker.tags


class _TagLimit(Exception):
    pass


class _TagWalker:
    """Walks the structure tree in document order, keeping the tables: their rows, cells and the
    marked-content ids (with their pages) of each cell. A nested table is a table of its own."""

    def __init__(self, pages: dict[int, int], role_map: dict[str, Any]):
        self.pages, self.role_map = pages, role_map if isinstance(role_map, dict) else {}
        self.tags = _Tags()
        self.seen: set[int] = set()

    def walk(self, root: Any) -> None:
        stack: list[tuple[Any, int | None, Any]] = [(root, None, None)]
        while stack:
            obj, page, owner = stack.pop()
            if isinstance(obj, PDFObjRef):
                if obj.objid in self.seen:
                    continue
                self.seen.add(obj.objid)
                if len(self.seen) > MAX_TAG_ELEMENTS:
                    raise _TagLimit
            obj = resolve1(obj)
            if isinstance(obj, list):
                stack.extend((kid, page, owner) for kid in reversed(obj))
            elif isinstance(obj, int):
                self._mcid(obj, page, owner)
            elif isinstance(obj, dict):
                stack.extend(self._element(obj, page, owner))

    def _page(self, obj: dict[str, Any], page: int | None) -> int | None:
        ref = obj.get("Pg")
        return self.pages.get(ref.objid, page) if isinstance(ref, PDFObjRef) else page

    def _mcid(self, mcid: int, page: int | None, owner: Any) -> None:
        if isinstance(owner, tuple) and owner[0] == "cell" and page is not None:
            self.tags.cells[(page, mcid)] = (owner[1], owner[2])
            self.tags.pages.add(page)

    def _element(self, obj: dict[str, Any], page: int | None, owner: Any) -> list[tuple[Any, int | None, Any]]:
        page = self._page(obj, page)
        kind = _name(obj.get("Type"))
        if kind == "MCR":
            mcid = resolve1(obj.get("MCID"))
            if isinstance(mcid, int):
                self._mcid(mcid, page, owner)
            return []
        if kind == "OBJR":
            return []
        role = self._role(_name(obj.get("S")))
        if owner is None and role in _LEAVES:
            return []  # text outside tables: what it holds is no table, and need not be parsed
        owner = self._owner(role, obj, owner)
        kids = obj.get("K")
        return [] if kids is None else [(kids, page, owner)]

    def _role(self, tag: str) -> str:
        for _ in range(10):  # a role map may chain (custom → custom → standard), or loop
            mapped = _name(self.role_map.get(tag))
            if not mapped or mapped == tag:
                break
            tag = mapped
        return tag

    def _owner(self, tag: str, obj: dict[str, Any], owner: Any) -> Any:
        """What the element's content belongs to: a table, a row or a cell (else the owner above)."""
        if tag == "Table":
            self.tags.tables.append(_TagTable())
            return ("table", len(self.tags.tables) - 1, tag in _TABLE_PARTS)
        if tag in _TABLE_PARTS and isinstance(owner, tuple) and owner[0] == "table":
            return ("table", owner[1], tag == "THead")
        if tag == "TR" and isinstance(owner, tuple) and owner[0] == "table":
            row: list[_TagCell] = []
            self.tags.tables[owner[1]].rows.append(row)
            return ("row", owner[1], row, owner[2])
        if tag in ("TD", "TH") and isinstance(owner, tuple) and owner[0] == "row":
            spans = _spans(obj)
            cell = _TagCell(header=tag == "TH" or owner[3], col_span=spans[0], row_span=spans[1])
            owner[2].append(cell)
            return ("cell", owner[1], cell)
        return owner


def _spans(obj: dict[str, Any]) -> tuple[int, int]:
    """ColSpan and RowSpan of a cell's table attributes (an attribute object or a list of them)."""
    found = {"ColSpan": 1, "RowSpan": 1}
    attributes = resolve1(obj.get("A"))
    for item in attributes if isinstance(attributes, list) else [attributes]:
        item = resolve1(item)
        if isinstance(item, dict):
            for key in found:
                value = resolve1(item.get(key))
                if isinstance(value, int) and 1 <= value <= 1000:
                    found[key] = value
    return found["ColSpan"], found["RowSpan"]


# --- the characters of a page (PDFium) ----------------------------------------------------------------

_BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demibold|demi\b|,b$|-b$", re.IGNORECASE)
_FORCE_BOLD = 1 << 18


class _Geometry:
    """From PDF user space (y up, maybe rotated, cropped) to the page as shown: points from its top left."""

    def __init__(self, page: Any):
        self.left, self.bottom, self.right, self.top = page.get_cropbox()
        self.rotation = page.get_rotation() % 360
        w, h = self.right - self.left, self.top - self.bottom
        self.width, self.height = (h, w) if self.rotation in (90, 270) else (w, h)

    def point(self, x: float, y: float) -> tuple[float, float]:
        x, y = x - self.left, y - self.bottom
        if self.rotation == 90:
            return y, x
        if self.rotation == 180:
            return self.width - x, y
        if self.rotation == 270:
            return self.width - y, self.height - x
        return x, self.height - y

    def box(self, left: float, bottom: float, right: float, top: float) -> Box:
        if self.rotation == 0:  # (the common case, taken once per character)
            return (left - self.left, self.top - top, right - self.left, self.top - bottom)
        (ax, ay), (bx, by) = self.point(left, bottom), self.point(right, top)
        return (min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))


@dataclass(slots=True)
class _RunInfo:
    """What PDFium tells of one text object, asked once for all its characters."""

    mcid: int
    bold: bool
    artifact: bool
    upright: bool
    size: float = 0.0
    base: float = 0.0  # the baseline of the run (one text object keeps one, a raised mark is an object of its own)


def _chars(page: Any, geometry: _Geometry, tagged: bool) -> list[_Char]:
    """The page's characters as shown (artifacts of a tagged PDF left out)."""
    textpage = page.get_textpage()
    try:
        return _read_chars(textpage.raw, geometry, tagged)
    finally:
        textpage.close()


def _c_function(function: Any, restype: Any, *argtypes: Any) -> Any:
    """A PDFium function called with plain addresses and numbers: the per-character calls are the
    hot loop of the reader, and pointer objects would cost more than the calls themselves."""
    return ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(function, ctypes.c_void_p).value)


_GET_UNICODE = _c_function(fpdf.FPDFText_GetUnicode, ctypes.c_uint, ctypes.c_void_p, ctypes.c_int)
_GET_TEXT_OBJECT = _c_function(fpdf.FPDFText_GetTextObject, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)
_GET_BOX = _c_function(fpdf.FPDFText_GetLooseCharBox, ctypes.c_int, ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(fpdf.FS_RECTF))
_PAGE_OBJECT = fpdf.FPDFPageObj_GetMarkedContentID.argtypes[0]
_SKIPPED = frozenset((0, 0xFFFE, 0xFFFF, 0x0D, 0x0A))


def _read_chars(raw: Any, geometry: _Geometry, tagged: bool) -> list[_Char]:
    count = fpdf.FPDFText_CountChars(raw)
    if count > MAX_CHARS_PER_PAGE:
        raise _PageLimit(count)
    page = ctypes.cast(raw, ctypes.c_void_p)
    rect = fpdf.FS_RECTF()
    rect_ref = ctypes.byref(rect)
    runs: dict[int | None, _RunInfo] = {}
    out: list[_Char] = []
    for i in range(count):
        code = _GET_UNICODE(page, i)
        if code == 0x02:  # PDFium's code for a hyphen that ends a line: the printed hyphen
            code = 0x2D
        if code in _SKIPPED or 0xD800 <= code <= 0xDFFF or (code == 0x20 and fpdf.FPDFText_IsGenerated(raw, i)):
            continue
        key = _GET_TEXT_OBJECT(page, i)
        run = runs.get(key)
        if run is None:
            run = runs[key] = _run_info(raw, i, ctypes.cast(key, _PAGE_OBJECT) if key else None, geometry)
        if (tagged and run.artifact) or not run.upright:
            continue
        _GET_BOX(page, i, rect_ref)
        x0, top, x1, bottom = geometry.box(rect.left, rect.bottom, rect.right, rect.top)
        out.append(_Char(chr(code), x0, top, x1, bottom, run.base, run.size, run.bold, run.mcid))
    return out


class _PageLimit(Exception):
    pass


def _run_info(raw: Any, i: int, obj: Any, geometry: _Geometry) -> _RunInfo:
    """What a text object tells of its characters, asked at its first character `i`."""
    ox, oy = ctypes.c_double(), ctypes.c_double()
    fpdf.FPDFText_GetCharOrigin(raw, i, ox, oy)
    size, base = fpdf.FPDFText_GetFontSize(raw, i), geometry.point(ox.value, oy.value)[1]
    if not obj:
        return _RunInfo(-1, False, False, True, size, base)
    font = fpdf.FPDFTextObj_GetFont(obj)
    buffer = ctypes.create_string_buffer(256)
    length = fpdf.FPDFFont_GetBaseFontName(font, buffer, 256) if font else 0
    name = buffer.value.decode("latin-1", "replace") if length else ""
    weight = fpdf.FPDFFont_GetWeight(font) if font else -1
    flags = fpdf.FPDFFont_GetFlags(font) if font else 0
    bold = bool(_BOLD_NAME.search(name)) or weight >= 600 or bool(flags & _FORCE_BOLD)
    matrix = fpdf.FS_MATRIX()
    fpdf.FPDFPageObj_GetMatrix(obj, matrix)
    angle = (math.degrees(math.atan2(matrix.b, matrix.a)) - geometry.rotation) % 360  # as shown: the page turns clockwise
    upright = min(angle, 360 - angle) < 5
    return _RunInfo(fpdf.FPDFPageObj_GetMarkedContentID(obj), bold, _is_artifact(obj), upright, size, base)


def _is_artifact(obj: Any) -> bool:
    buffer = (ctypes.c_ushort * 32)()
    length = ctypes.c_ulong()
    for j in range(max(0, fpdf.FPDFPageObj_CountMarks(obj))):
        mark = fpdf.FPDFPageObj_GetMark(obj, j)
        if mark and fpdf.FPDFPageObjMark_GetName(mark, buffer, ctypes.sizeof(buffer), ctypes.byref(length)):
            if bytes(buffer)[: max(0, length.value - 2)].decode("utf-16-le", "replace") == "Artifact":
                return True
    return False


# --- the ruling lines of a page (PDFium) → ruled tables (pdfplumber's TableFinder) ----------------------

def _edges(page: Any, geometry: _Geometry) -> list[dict[str, Any]]:
    """Horizontal and vertical strokes and the sides of filled rectangles, as pdfplumber's edges.
    Rectangles filled white and not stroked are backgrounds nobody sees: they are no edges."""
    edges: list[dict[str, Any]] = []
    count = fpdf.FPDFPage_CountObjects(page.raw)
    if count > MAX_PATHS_PER_PAGE:
        return edges
    for i in range(count):
        _object_edges(fpdf.FPDFPage_GetObject(page.raw, i), (1, 0, 0, 1, 0, 0), geometry, edges, 0)
        if len(edges) > MAX_PATHS_PER_PAGE:
            return []
    return edges


Matrix = tuple[float, float, float, float, float, float]


def _compose(m: Matrix, n: Matrix) -> Matrix:
    """m, then n."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


def _object_edges(obj: Any, outer: Matrix, geometry: _Geometry, edges: list[dict[str, Any]], depth: int) -> None:
    kind = fpdf.FPDFPageObj_GetType(obj)
    if kind not in (fpdf.FPDF_PAGEOBJ_PATH, fpdf.FPDF_PAGEOBJ_FORM) or depth > 4:
        return
    raw = fpdf.FS_MATRIX()
    fpdf.FPDFPageObj_GetMatrix(obj, raw)
    matrix = _compose((raw.a, raw.b, raw.c, raw.d, raw.e, raw.f), outer)
    if kind == fpdf.FPDF_PAGEOBJ_FORM:
        for j in range(min(fpdf.FPDFFormObj_CountObjects(obj), MAX_PATHS_PER_PAGE)):
            _object_edges(fpdf.FPDFFormObj_GetObject(obj, j), matrix, geometry, edges, depth + 1)
        return
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    fpdf.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke))
    if not stroke.value and (not fill.value or _white_fill(obj)):
        return
    for (x0, y0), (x1, y1) in _segments(obj, matrix):
        a, b = geometry.point(x0, y0), geometry.point(x1, y1)
        _add_edge(a, b, edges)


def _white_fill(obj: Any) -> bool:
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not fpdf.FPDFPageObj_GetFillColor(obj, r, g, b, a):
        return False
    return a.value == 0 or min(r.value, g.value, b.value) >= 250


def _segments(obj: Any, m: Matrix) -> Iterator[tuple[tuple[float, float], tuple[float, float]]]:
    """The straight segments of a path (curves are no table rules)."""
    x, y = ctypes.c_float(), ctypes.c_float()
    start = current = None
    for s in range(fpdf.FPDFPath_CountSegments(obj)):
        segment = fpdf.FPDFPath_GetPathSegment(obj, s)
        fpdf.FPDFPathSegment_GetPoint(segment, x, y)
        point = (m[0] * x.value + m[2] * y.value + m[4], m[1] * x.value + m[3] * y.value + m[5])
        kind = fpdf.FPDFPathSegment_GetType(segment)
        if kind == fpdf.FPDF_SEGMENT_LINETO and current is not None:
            yield current, point
        if kind == fpdf.FPDF_SEGMENT_MOVETO:
            start = point
        current = point
        if fpdf.FPDFPathSegment_GetClose(segment) and start is not None and current != start:
            yield current, start
            current = start


def _add_edge(a: tuple[float, float], b: tuple[float, float], edges: list[dict[str, Any]]) -> None:
    x0, x1, top, bottom = min(a[0], b[0]), max(a[0], b[0]), min(a[1], b[1]), max(a[1], b[1])
    if bottom - top <= 1.0 and x1 - x0 >= 2:
        y = (top + bottom) / 2
        edges.append({"x0": x0, "x1": x1, "top": y, "bottom": y, "doctop": y, "width": x1 - x0, "height": 0.0,
                      "orientation": "h", "object_type": "line"})
    elif x1 - x0 <= 1.0 and bottom - top >= 2:
        x = (x0 + x1) / 2
        edges.append({"x0": x, "x1": x, "top": top, "bottom": bottom, "doctop": top, "width": 0.0, "height": bottom - top,
                      "orientation": "v", "object_type": "line"})


class _EdgePage:
    """What pdfplumber's TableFinder reads of a page: its edges and its box."""

    def __init__(self, edges: list[dict[str, Any]], bbox: Box):
        self.edges, self.bbox = edges, bbox


_LINES = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}


def _ruled_cells(edges: list[dict[str, Any]], geometry: _Geometry) -> list[list[Box]]:
    """The cells of each ruled table on the page (at least two rows and two columns)."""
    if len(edges) < 4:
        return []
    try:
        found = TableFinder(_EdgePage(edges, (0, 0, geometry.width, geometry.height)), _LINES).tables  # type: ignore[arg-type]
    except (ValueError, AssertionError, KeyError, IndexError, ZeroDivisionError):
        return []  # drawing pdfplumber cannot make cells of: the page is read without ruled tables
    tables = []
    for table in found:
        cells = [tuple(c) for c in table.cells]
        xs, ys = _axis([c[0] for c in cells] + [c[2] for c in cells]), _axis([c[1] for c in cells] + [c[3] for c in cells])
        if len(xs) >= 3 and len(ys) >= 2:  # (one row may be the part of a table a page break left)
            tables.append(cells)
    return tables


def _axis(values: list[float], tolerance: float = 2.0) -> list[float]:
    """Distinct positions (within the tolerance) in order."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tolerance:
            out.append(v)
    return out


def _index(axis: list[float], value: float) -> int:
    return min(range(len(axis)), key=lambda i: abs(axis[i] - value))


# --- characters → words → lines -----------------------------------------------------------------------

def _lines(chars: list[_Char], page: int) -> list[_Line]:
    """Lines by baseline, top to bottom; a smaller raised mark joins the line it stands on."""
    rows = _attach_raised(_rows(chars))
    lines = []
    for row in rows:
        words = _words(row)
        if words:
            lines.append(_Line(words, page))
    return lines


def _rows(chars: list[_Char]) -> list[list[_Char]]:
    rows: list[list[_Char]] = []
    anchor = -1e9
    for ch in sorted(chars, key=lambda c: (c.base, c.x0)):
        if rows and ch.base - anchor <= 0.25 * max(ch.size, 1.0):
            rows[-1].append(ch)
        else:
            rows.append([ch])
            anchor = ch.base
    return rows


def _attach_raised(rows: list[list[_Char]]) -> list[list[_Char]]:
    """A row of small characters raised above a row of larger ones (a footnote mark on its own
    baseline) belongs to that row."""
    out: list[list[_Char]] = []
    for i, row in enumerate(rows):
        size = max(c.size for c in row)
        below = rows[i + 1] if i + 1 < len(rows) else None
        if below is not None and _raised_over(row, size, below):
            for ch in row:
                ch.sup = True
            below.extend(row)
            continue
        out.append(row)
    return out


def _raised_over(row: list[_Char], size: float, below: list[_Char]) -> bool:
    big = max(c.size for c in below)
    base = max(c.base for c in below)
    top = min(c.top for c in below)
    return size <= 0.8 * big and row[0].base < base and row[0].base > top and len(row) <= 4 and all(
        c.text.isalnum() or c.text in "*†‡§)" for c in row)


def _words(row: list[_Char]) -> list[_Word]:
    row.sort(key=lambda c: c.x0)
    size = Counter(round(c.size, 1) for c in row if not c.sup).most_common(1)
    body_size = size[0][0] if size else max(c.size for c in row)
    base = max((c.base for c in row if not c.sup), default=row[0].base)
    words: list[_Word] = []
    current: list[_Char] = []
    space = ""
    for ch in row:
        ch.sup = ch.sup or (ch.size <= 0.8 * body_size and ch.base < base - 0.15 * body_size and not ch.text.isspace())
        if ch.text.isspace():
            if current:
                words.append(_word(current, space))
                current, space = [], ""
            space = space if space not in ("", " ") else ch.text
            continue
        if current and _breaks(current[-1], ch):
            words.append(_word(current, space))
            current, space = [], " "
        if not (current and _overprinted(current[-1], ch)):
            current.append(ch)
    if current:
        words.append(_word(current, space))
        space = ""
    if words:
        words[0].space = ""
        words[-1].trail = bool(space)
    return words


def _overprinted(prev: _Char, ch: _Char) -> bool:
    """The same character printed again a little aside: fake bold, to be read once. (The letters of a
    ligature, "ﬀ" read as "f" "f", share one box exactly: both are kept.)"""
    shift = abs(ch.x0 - prev.x0)
    return ch.text == prev.text and 0.01 < shift < 0.1 * ch.size and abs(ch.base - prev.base) < 0.1 * ch.size


def _breaks(prev: _Char, ch: _Char) -> bool:
    return ch.x0 - prev.x1 > 0.2 * max(prev.size, ch.size) or ch.sup != prev.sup


def _word(chars: list[_Char], space: str) -> _Word:
    return _Word("".join(c.text for c in chars), min(c.x0 for c in chars), min(c.top for c in chars), max(c.x1 for c in chars),
                 max(c.bottom for c in chars), max(c.base for c in chars), max(c.size for c in chars), all(c.bold for c in chars),
                 all(c.sup for c in chars), space or " ")


# --- a page -------------------------------------------------------------------------------------------

@dataclass(slots=True)
class _Draft:
    """A cell of a table found on the page, before it becomes a layout Cell."""

    row: int
    column: int
    lines: list[_Line]
    box: Box | None
    row_span: int = 1
    col_span: int = 1
    header: bool = False
    page: int = 0


@dataclass(slots=True)
class _Fragment:
    """A table found on one page (ruled or borderless), or a tagged table with the parts on all its pages."""

    page: int
    box: Box
    rows: int
    columns: int
    drafts: list[_Draft]
    xs: list[float]  # column boundaries, to tell a continuation on the next page
    kind: str  # ruled | words | tags
    header_rows: int | None = None
    last_page: int = -1  # the last page it runs on, once continuations are merged into it


@dataclass(slots=True)
class _Page:
    index: int
    width: float
    height: float
    lines: list[_Line] = field(default_factory=list)  # the running text, top to bottom
    fragments: list[_Fragment] = field(default_factory=list)
    tag_tables: list[tuple[int, float]] = field(default_factory=list)  # (table, top) of tagged tables starting here
    notes: dict[str, str] = field(default_factory=dict)  # footnote mark → note id, filled in later
    ocr: bool = False


def _read_page(src: _Sources, index: int, tags: _Tags | None, layout: Layout) -> _Page:
    page = src.pdfium[index]
    try:
        geometry = _Geometry(page)
        out = _Page(index, geometry.width, geometry.height)
        try:
            chars = _chars(page, geometry, tags is not None)
        except _PageLimit as limit:
            raise ReadError(f"refused: page {index + 1} has {limit.args[0]} characters (at most {MAX_CHARS_PER_PAGE})",
                            Location(src.name, page=index + 1)) from None
        if not any(not c.text.isspace() for c in chars):
            if _has_images(page):  # a scan (a header or footer may still be text: it is an artifact or left out below)
                _scanned(page, out, layout)
            return out
        flow = _tagged_cells(chars, index, tags, out) if tags is not None and index in tags.pages else chars
        flow = _ruled(flow, _edges(page, geometry), geometry, out)
        out.lines, fragments = _borderless(_lines(flow, index), index)
        out.fragments.extend(fragments)
        return out
    finally:
        page.close()


def _has_images(page: Any) -> bool:
    objects = [fpdf.FPDFPage_GetObject(page.raw, i) for i in range(min(fpdf.FPDFPage_CountObjects(page.raw), MAX_PATHS_PER_PAGE))]
    return any(_holds_image(obj, 0) for obj in objects)


def _holds_image(obj: Any, depth: int) -> bool:
    kind = fpdf.FPDFPageObj_GetType(obj)
    if kind == fpdf.FPDF_PAGEOBJ_IMAGE:
        return True
    if kind != fpdf.FPDF_PAGEOBJ_FORM or depth > 3:
        return False
    return any(_holds_image(fpdf.FPDFFormObj_GetObject(obj, j), depth + 1) for j in range(min(fpdf.FPDFFormObj_CountObjects(obj), 1000)))


def _tagged_cells(chars: list[_Char], index: int, tags: _Tags, page: _Page) -> list[_Char]:
    """Characters of tagged table cells go to their cells; the rest is returned."""
    flow: list[_Char] = []
    owned: dict[int, tuple[int, _TagCell, list[_Char]]] = {}
    for ch in chars:
        hit = tags.cells.get((index, ch.mcid)) if ch.mcid >= 0 else None
        if hit is None:
            flow.append(ch)
            continue
        owned.setdefault(id(hit[1]), (hit[0], hit[1], []))[2].append(ch)
    starts: dict[int, float] = {}
    for table, cell, own in owned.values():
        lines = _lines(own, index)
        if lines:
            cell.parts[index] = lines
            starts[table] = min(starts.get(table, 1e9), lines[0].top)
    for table, top in starts.items():
        if tags.tables[table].start is None:
            tags.tables[table].start = (index, top)
            page.tag_tables.append((table, top))
    return flow


def _ruled(chars: list[_Char], edges: list[dict[str, Any]], geometry: _Geometry, page: _Page) -> list[_Char]:
    """Characters inside the cells of ruled tables go to those cells; the rest is returned."""
    for cells in _ruled_cells(edges, geometry):
        inside, rest = _inside(chars, _union(cells))
        if not inside:
            continue
        fragment, outside = _ruled_fragment(cells, inside, page.index)
        if fragment is None:
            continue
        page.fragments.append(fragment)
        chars = rest + outside
    return chars


def _inside(chars: list[_Char], box: Box) -> tuple[list[_Char], list[_Char]]:
    inside, rest = [], []
    for ch in chars:
        cx, cy = (ch.x0 + ch.x1) / 2, (ch.top + ch.bottom) / 2
        (inside if box[0] <= cx <= box[2] and box[1] <= cy <= box[3] else rest).append(ch)
    return inside, rest


def _ruled_fragment(cells: list[Box], chars: list[_Char], page: int) -> tuple[_Fragment | None, list[_Char]]:
    """The drafts of a ruled table: each cell at its place on the grid of the rules, with the
    characters whose middle falls in it (found by the grid, not by trying every cell)."""
    xs = _axis([c[0] for c in cells] + [c[2] for c in cells])
    ys = _axis([c[1] for c in cells] + [c[3] for c in cells])
    drafts: list[_Draft] = []
    at: dict[tuple[int, int], int] = {}
    for cell in sorted(cells, key=lambda c: (c[1], c[0])):
        r0, r1, c0, c1 = _index(ys, cell[1]), _index(ys, cell[3]), _index(xs, cell[0]), _index(xs, cell[2])
        if r1 > r0 and c1 > c0:
            at.update(((r, c), len(drafts)) for r in range(r0, r1) for c in range(c0, c1) if (r, c) not in at)
            drafts.append(_Draft(r0, c0, [], cell, r1 - r0, c1 - c0, page=page))
    owned: dict[int, list[_Char]] = {}
    for ch in chars:
        r = bisect.bisect(ys, (ch.top + ch.bottom) / 2) - 1
        c = bisect.bisect(xs, (ch.x0 + ch.x1) / 2) - 1
        owned.setdefault(at.get((r, c), -1), []).append(ch)
    outside = owned.pop(-1, [])  # inside the table's box but in no cell of it: running text
    for n, own in owned.items():
        drafts[n].lines = _lines(own, page)
    if not owned:
        return None, chars
    return _Fragment(page, _union(cells), len(ys) - 1, len(xs) - 1, drafts, xs, "ruled"), outside


# --- borderless tables from word positions -----------------------------------------------------------------

_FIGURE = re.compile(r"^(?:[<>≥≤]\s?)?[-−–+]?\s?\d[\d \u00a0\u202f]*(?:[,.]\d+)?\s?(?:%|‰)?$|^[-−–]$|^\.\.$")
_LEADER = re.compile(r"\.{4,}|…{2,}|(?:\. ){3,}")
COLUMN_GAP = 0.8  # a gap of this many ems or more between words on a line separates columns
ALIGN = 3.0  # points within which right edges of figures count as one column


def _segments_of(line: _Line) -> list[list[_Word]]:
    """The words of a line, in groups parted by column gaps."""
    groups: list[list[_Word]] = [[line.words[0]]]
    for prev, word in zip(line.words, line.words[1:], strict=False):
        if word.x0 - prev.x1 >= COLUMN_GAP * line.size:
            groups.append([word])
        else:
            groups[-1].append(word)
    return groups


_GROUP = re.compile(r"[-−–+]?\d{1,3}")  # the first digits of a figure printed in groups
_NEXT_GROUP = re.compile(r"\d{3}(?:[,.]\d+)?")  # a following group: three digits (and the decimals)


def _split_figures(words: list[_Word]) -> list[list[_Word]]:
    """Figures that stand close together, one per column: "1 369 635 1 402 118" is two. A group of
    three digits goes on with the figure before it when the gap is a thousands space (no wider than
    the narrowest gap between the groups, and a little); any other group starts a new figure."""
    if len(words) < 2 or not all(_GROUP.fullmatch(w.text) or _NEXT_GROUP.fullmatch(w.text) or w.text in ("%", "‰") for w in words):
        return [words]
    gaps = [b.x0 - a.x1 for a, b in itertools.pairwise(words)]
    narrow = min(gaps) * 1.5 + 0.5
    out = [[words[0]]]
    for word, gap in zip(words[1:], gaps, strict=True):
        prev = out[-1][-1]
        if word.text in ("%", "‰") or (_NEXT_GROUP.fullmatch(word.text) and _digits_go_on(prev.text) and gap <= narrow):
            out[-1].append(word)
        else:
            out.append([word])
    return out


def _digits_go_on(text: str) -> bool:
    return bool(_GROUP.fullmatch(text) or re.fullmatch(r"\d{3}", text))


def _is_figure(text: str) -> bool:
    return bool(_FIGURE.match(text.strip()))


def _figure_row(line: _Line) -> list[list[_Word]] | None:
    """The segments of a line that reads as a table row: three or more segments, all after the first
    of them figures (or missing-value marks). None for any other line."""
    if _LEADER.search(line.text):
        return None
    groups = [part for group in _segments_of(line) for part in _split_figures(group)]
    if len(groups) < 3:
        return None
    rest = groups[1:] if not _is_figure(_join_words(groups[0])) else groups
    if len(rest) < 2 or not all(_is_figure(_join_words(g)) for g in rest):
        return None
    return groups


def _borderless(lines: list[_Line], page: int) -> tuple[list[_Line], list[_Fragment]]:
    """Tables printed without rules: three or more consecutive lines sharing two or more
    columns of figures, right-aligned. Everything else stays running text."""
    rows = [_figure_row(line) for line in lines]
    kept: list[_Line] = []
    fragments: list[_Fragment] = []
    i = 0
    while i < len(lines):
        end = _run_end(lines, rows, i)
        fragment = _words_table(lines, rows, i, end, page, kept) if end - i >= 3 else None
        if fragment is None:
            kept.append(lines[i])
            i += 1
            continue
        fragments.append(fragment)
        i = end
    return kept, fragments


def _run_end(lines: list[_Line], rows: list[Any], start: int) -> int:
    """The end of a run of figure rows from `start` (label-only lines may stand between them)."""
    if rows[start] is None:
        return start
    end, i = start + 1, start + 1
    while i < len(lines) and lines[i].top - lines[i - 1].bottom < 2.0 * lines[i - 1].size:
        if rows[i] is not None:
            end = i + 1
        elif len(_segments_of(lines[i])) > 1:
            break
        i += 1
    return end


def _columns(rows: list[list[list[_Word]]]) -> list[float]:
    """Right edges of the figure columns: edges where figures of at least two rows end."""
    edges = [g[-1].x1 for row in rows for g in row[1:] if _is_figure(_join_words(g))]
    clusters: list[list[float]] = []
    for x in sorted(edges):
        if clusters and x - clusters[-1][-1] <= ALIGN:
            clusters[-1].append(x)
        else:
            clusters.append([x])
    return [max(c) for c in clusters if len(c) >= 2]


@dataclass(slots=True)
class _Columns:
    """The columns of a borderless table: labels up to `label_right`, then figures ending at `rights`."""

    label_right: float
    rights: list[float]
    spans: list[tuple[float, float]]  # (left, right) of each column, labels first, as far as its text goes


def _words_table(lines: list[_Line], rows: list[Any], start: int, end: int, page: int, kept: list[_Line]) -> _Fragment | None:
    body = [rows[i] for i in range(start, end) if rows[i] is not None]
    rights = _columns(body)
    aligned = sum(1 for row in body for g in row[1:] if any(abs(g[-1].x1 - r) <= ALIGN for r in rights))
    total = sum(len(row) - 1 for row in body)
    if len(rights) < 2 or aligned < 0.8 * total:
        return None
    label_right = min(g[0].x0 for row in body for g in row[1:] if abs(g[-1].x1 - rights[0]) <= ALIGN) - 1
    lefts = [min((g[0].x0 for row in body for g in row[1:] if abs(g[-1].x1 - r) <= ALIGN), default=r) for r in rights]
    left = min(line.x0 for line in lines[start:end])
    cols = _Columns(label_right, rights, [(left, label_right), *zip(lefts, rights, strict=True)])
    header = _header_lines(lines, start, kept, cols)
    drafts = [d for r, line in enumerate(header) for d in _row_drafts(line, r, cols, page, header=True)]
    drafts += [d for r, line in enumerate(lines[start:end], start=len(header)) for d in _row_drafts(line, r, cols, page)]
    grid_lines = header + lines[start:end]
    box = _union([_line_box(line) for line in grid_lines])
    return _Fragment(page, box, len(grid_lines), len(rights) + 1, drafts, [left, label_right, *rights], "words",
                     header_rows=len(header) or None)


def _header_lines(lines: list[_Line], start: int, kept: list[_Line], cols: _Columns) -> list[_Line]:
    """Up to two lines right above the figures whose words stand over two or more of the columns
    (running text runs over the gaps between them too): the header."""
    header: list[_Line] = []
    i = start - 1
    while i >= 0 and len(header) < 2 and kept and kept[-1] is lines[i]:
        line, below = lines[i], (header[0] if header else lines[start])
        if below.top - line.bottom > 1.5 * line.size or _LEADER.search(line.text):
            break
        placed = [_over(w, cols) for w in line.words]
        outer = cols.spans[-1][1]  # (a header may reach out past the last column; not into the gaps between them)
        if len({c for c, _ in placed}) < 2 or any(share < 0.5 and w.x1 <= outer for w, (_, share) in zip(line.words, placed, strict=True)):
            break
        header.insert(0, kept.pop())
        i -= 1
    return header


def _over(word: _Word, cols: _Columns) -> tuple[int, float]:
    """The column a header word stands over (the one it overlaps most, or the nearest) and the
    share of the word that stands over it."""
    overlaps = [min(word.x1, right) - max(word.x0, left) for left, right in cols.spans]
    best = max(range(len(overlaps)), key=lambda k: overlaps[k])
    if overlaps[best] > 0:
        return best, overlaps[best] / max(word.x1 - word.x0, 0.1)
    middle = (word.x0 + word.x1) / 2
    return min(range(len(cols.spans)), key=lambda k: abs(middle - (cols.spans[k][0] + cols.spans[k][1]) / 2)), 0.0


def _column_of(word: _Word, cols: _Columns) -> int:
    """The column a figure or label stands in: the label column left of the figures, else the
    figure column whose right edge is the first at or after the word's (figures are aligned on
    their right edge, so a narrow gap between two figures still parts them)."""
    if word.x1 <= cols.label_right + 1:
        return 0
    for k, right in enumerate(cols.rights):
        if word.x1 <= right + ALIGN:
            return k + 1
    return len(cols.rights)


def _row_drafts(line: _Line, r: int, cols: _Columns, page: int, header: bool = False) -> list[_Draft]:
    by_column: dict[int, list[_Word]] = {}
    for word in line.words:
        by_column.setdefault(_over(word, cols)[0] if header else _column_of(word, cols), []).append(word)
    drafts = []
    for c, words in sorted(by_column.items()):
        cell_line = _Line(words, page)
        drafts.append(_Draft(r, c, [cell_line], _line_box(cell_line), page=page, header=header))
    return drafts


# --- scanned pages and OCR -----------------------------------------------------------------------------

def _ocr_available() -> bool:
    exe = shutil.which("tesseract")
    if exe is None:
        return False
    try:
        listed = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30, check=False)  # noqa: S603 (our arguments)
    except (OSError, subprocess.SubprocessError):
        return False
    return OCR_LANGUAGE in (listed.stdout + listed.stderr).split()


def _scanned(page: Any, out: _Page, layout: Layout) -> None:
    """A page with images and no text layer: said, and read by OCR when tesseract is there."""
    number = out.index + 1
    where = Location(layout.file, page=number)
    layout.notices.append(Notice(where, "page_without_text", {"page": number}))
    if not _ocr_available():
        layout.notices.append(Notice(where, "ocr_unavailable", {"page": number, "hint": OCR_HINT}))
        return
    words = _ocr_words(page)
    if words is None:
        layout.notices.append(Notice(where, "ocr_failed", {"page": number}))
        return
    out.lines = [_Line(ws, out.index) for ws in words if ws]
    out.ocr = True
    layout.notices.append(Notice(where, "ocr_page", {"page": number}))


def _ocr_words(page: Any) -> list[list[_Word]] | None:
    """The page's words as tesseract reads them (Swedish), grouped by its lines; None when it fails."""
    scale = OCR_DPI / 72
    image = page.render(scale=scale).to_pil()
    with tempfile.TemporaryDirectory(prefix="plankoll-ocr-") as tmp:
        png = Path(tmp) / "page.png"
        image.save(png)
        try:
            done = subprocess.run([shutil.which("tesseract") or "tesseract", str(png), "stdout", "-l", OCR_LANGUAGE, "tsv"],  # noqa: S603
                                  capture_output=True, text=True, timeout=OCR_TIMEOUT, check=False)
        except (OSError, subprocess.SubprocessError):
            return None
    if done.returncode != 0:
        return None
    return _tsv_lines(done.stdout, scale)


def _tsv_lines(tsv: str, scale: float) -> list[list[_Word]]:
    """Tesseract's TSV (level 5 rows are words) as words in points, by (block, paragraph, line)."""
    lines: dict[tuple[str, ...], list[_Word]] = {}
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        try:
            left, top, width, height = (float(v) / scale for v in cols[6:10])
        except ValueError:
            continue
        word = _Word(cols[11].strip(), left, top, left + width, top + height, top + height, max(height, 1.0), False)
        lines.setdefault(tuple(cols[2:5]), []).append(word)
    out = []
    for words in lines.values():
        words.sort(key=lambda w: w.x0)
        words[0].space = ""
        size = sorted(w.size for w in words)[len(words) // 2]
        for w in words:
            w.size = size
        out.append(words)
    return out


# --- reading the document ---------------------------------------------------------------------------

def _read(name: str, data: bytes) -> Layout:
    layout = Layout(name, "pdf")
    with _Sources(name, data) as src:
        layout.properties = _properties(src.plumber.metadata)
        tags = _tags(src.plumber, layout)
        if tags is not None and not tags.tables:
            tags = _Tags()  # tagged, without tables: artifacts are still left out
        pages = [_read_page(src, n, tags, layout) for n in range(src.count)]
    ocr = [str(p.index + 1) for p in pages if p.ocr]
    if ocr:
        layout.properties["ocr_pages"] = ",".join(ocr)
    _Assembly(layout, pages, tags).run()
    return layout


_DATE = re.compile(r"^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz+\-])?(\d{2})?'?(\d{2})?")


def _pdf_date(text: str) -> str:
    """A PDF date ("D:20221012143000+02'00'") in ISO 8601; the text itself when it is not one."""
    m = _DATE.match(text.strip())
    if not m:
        return text.strip()
    y, mo, d, h, mi, s = (m.group(i) for i in range(1, 7))
    out = f"{y}-{mo or '01'}-{d or '01'}T{h or '00'}:{mi or '00'}:{s or '00'}"
    if m.group(7) in ("Z", "z"):
        return out + "+00:00"
    if m.group(7) in ("+", "-") and m.group(8):
        return out + f"{m.group(7)}{m.group(8)}:{m.group(9) or '00'}"
    return out


_PROPERTIES = (("Title", "title"), ("Subject", "subject"), ("Author", "creator"), ("Keywords", "keywords"),
               ("CreationDate", "created"), ("ModDate", "modified"), ("Creator", "application"), ("Producer", "producer"))


def _properties(metadata: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, name in _PROPERTIES:
        value = metadata.get(key)
        if isinstance(value, bytes):
            value = value.decode("latin-1", "replace")
        if isinstance(value, str) and value.strip():
            out[name] = _pdf_date(value) if key.endswith("Date") else " ".join(value.split())
    return out


# --- the document: from pages to blocks -------------------------------------------------------------------

RUNNING_ZONE = 0.12  # the top and bottom of a page, as a share of its height, where headers and footers stand
_PAGE_NUMBER = re.compile(r"^(?:(?:sida|page|s\.)\s*)?[-–]?\s*\d{1,4}\s*[-–]?(?:\s*(?:av|/|of)\s*\d{1,4}|\s*\(\s*\d{1,4}\s*\))?$",
                          re.IGNORECASE)
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_FROM_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_BULLETS = "•◦▪▫‣⁃●○■□➢►–"
_KEEP_SPACE_AFTER_HYPHEN = frozenset(("och", "eller", "samt", "respektive", "resp.", "som", "till", "&", "el.", "o."))


def _running_key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def _drop_running(pages: list[_Page]) -> None:
    """Page headers, footers and page numbers: lines near the top or bottom edge that repeat (digits
    aside) at the same height on at least half the pages, and page numbers there on any page."""
    texted = [p for p in pages if p.lines or p.fragments or p.tag_tables]
    seen: dict[tuple[str, str], list[float]] = {}
    for page in texted:
        for zone, line in _zone_lines(page):
            seen.setdefault((zone, _running_key(line.text)), []).append(line.top)
    needed = max(2, math.ceil(0.5 * len(texted)))
    running = {key for key, tops in seen.items() if _same_place(tops) >= needed}
    for page in texted:
        drop = {id(line) for zone, line in _zone_lines(page)
                if (zone, _running_key(line.text)) in running or _PAGE_NUMBER.match(line.text.strip())}
        page.lines = [line for line in page.lines if id(line) not in drop]


def _zone_lines(page: _Page) -> Iterator[tuple[str, _Line]]:
    """The three lines nearest the top and the bottom edge, when they stand in the running zones."""
    lines = page.lines
    limit = RUNNING_ZONE * page.height
    firsts = [line for line in lines[:3] if line.bottom <= limit and not _above_table(page, line, below=False)]
    lasts = [line for line in lines[-3:] if line.top >= page.height - limit and not _above_table(page, line, below=True)]
    yield from (("top", line) for line in firsts)
    yield from (("bottom", line) for line in lasts if line not in firsts)


def _above_table(page: _Page, line: _Line, below: bool) -> bool:
    """Whether a table stands between the line and the page edge (then the line is not a header or footer)."""
    tops = [f.box[1] for f in page.fragments] + [top for _, top in page.tag_tables]
    return any(top > line.bottom for top in tops) if below else any(top < line.top for top in tops)


def _same_place(tops: list[float]) -> int:
    middle = sorted(tops)[len(tops) // 2]
    return sum(1 for top in tops if abs(top - middle) <= 4.0)


def _body_size(pages: list[_Page]) -> float:
    """The size of the running text: the most common size, counted in characters."""
    sizes: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            sizes[line.size] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _pitch(pages: list[_Page], body: float) -> float:
    """The usual distance between baselines of body lines, in ems."""
    steps: Counter[float] = Counter()
    for page in pages:
        for prev, line in zip(page.lines, page.lines[1:], strict=False):
            if prev.size == line.size == body and 0 < line.base - prev.base < 3 * body:
                steps[round((line.base - prev.base) / body, 2)] += 1
    return steps.most_common(1)[0][0] if steps else 1.2


# --- footnotes ---------------------------------------------------------------------------------------------

def _note_mark(line: _Line) -> str | None:
    """The mark a footnote line begins with: a raised mark, a superscript digit, or a number."""
    first = line.words[0]
    text = first.text.translate(_FROM_SUPERSCRIPT)
    if first.sup and re.fullmatch(r"[\w*†‡§]{1,3}", text):
        return text
    if first.text != text and text.isdigit():
        return text
    if len(line.words) > 1 and (re.fullmatch(r"\d{1,3}\)?", text) or text in ("*", "**", "†")):
        return text.rstrip(")")
    return None


def _footnote_lines(page: _Page, body: float) -> list[_Line]:
    """The small lines at the foot of the page, below the running text, when the first begins with a mark."""
    lines = page.lines
    i = len(lines)
    while i > 0 and lines[i - 1].size <= 0.92 * body and lines[i - 1].top > 0.45 * page.height:
        i -= 1
    foot = lines[i:]
    if not foot or _note_mark(foot[0]) is None or _above_table(page, foot[0], below=True):
        return []
    page.lines = lines[:i]
    return foot


class _Notes:
    """The footnotes of the document, and the marks of each page that refer to them."""

    def __init__(self, layout: Layout):
        self.layout = layout

    def collect(self, page: _Page, body: float) -> None:
        groups: list[tuple[str, list[_Line]]] = []
        for line in _footnote_lines(page, body):
            mark = _note_mark(line)
            if mark is not None:
                groups.append((mark, [_Line(line.words[1:], page.index)] if len(line.words) > 1 else []))
            elif groups:
                groups[-1][1].append(line)
        for mark, lines in groups:
            if not lines:
                continue
            note_id = f"footnote:{len(self.layout.notes) + 1}"
            box = _rounded(_union([_line_box(line) for line in lines]))
            text = _text(lines, None)[0]
            self.layout.notes[note_id] = Note(note_id, text, "footnote", Location(self.layout.file, page=page.index + 1, box=box), mark)
            page.notes.setdefault(mark, note_id)


# --- text of lines: marks, hyphens, words broken in narrow columns -----------------------------------------------

Limits = tuple[float, float]  # where the text of a cell may start and reach, on its first page


def _text(lines: list[_Line], marks: dict[int, dict[str, str]] | None, limits: Limits | None = None,
          words: set[str] | None = None) -> tuple[str, list[str]]:
    """The text of consecutive lines and the notes their marks refer to. `marks` holds each page's
    footnote marks; a raised mark that is none of them stays in the text, as a superscript.
    `limits` (of a table cell) and `words` (the document's words) tell a word that the cell broke."""
    notes: list[str] = []
    out = ""
    prev: _Line | None = None
    for line in lines:
        kept = []
        for w in line.words:
            note = (marks or {}).get(line.page, {}).get(w.text) if w.sup else None
            if note is None:
                kept.append(w)
            elif note not in notes:
                notes.append(note)
        text = _marked(kept)
        if not text:
            continue
        if prev is None:
            out = text
        else:
            drop, joint = _joint(out, text, _Break(prev, line, limits, words))
            out = out[: len(out) - drop] + joint + text
        prev = line
    return out.strip(), notes


def _marked(words: list[_Word]) -> str:
    """Words as printed, a raised mark written as superscript and set against the word before it."""
    out = ""
    for w in words:
        if w.sup:
            out += w.text.translate(_SUPERSCRIPT) if w.text.isdigit() else w.text
        else:
            out += (w.space if out else "") + w.text
    return out.strip()


@dataclass(slots=True)
class _Break:
    """A line break between two lines of one paragraph or cell, and what tells how to join them."""

    prev: _Line
    line: _Line
    limits: Limits | None
    words: set[str] | None


_DASHES = ("-", "−", "–")
_CLOSING = tuple(",.;:)!?/")  # no word starts with these: a line that does goes on with the one before


def _joint(before: str, after: str, brk: _Break) -> tuple[int, str]:
    """How two lines join: (characters to drop from the end of the first, what goes between).
    A space; nothing inside a word a narrow column broke ("Förflytt|ning", "202|204"); after a
    printed hyphen nothing ("Uppfölj-|ningsperiod") unless a conjunction follows ("barn- och"),
    and the hyphen goes too when the document writes the word without it; a soft hyphen goes;
    a minus sign parted from its figure joins it."""
    first = after.split(" ", 1)[0]
    last = before.rsplit(" ", 1)[-1]
    if before.endswith("\u00ad"):
        return 1, ""
    if (last in _DASHES and first[:1].isdigit()) or first[:1] in _CLOSING or (last.endswith("/") and not brk.prev.words[-1].trail):
        return 0, ""
    if last.endswith("-") and len(last) > 1 and last[-2].isdigit():  # "2022-|T1"
        return 0, ""
    if last.endswith("-") and len(last) > 1 and first[:1].islower() and first.lower() not in _KEEP_SPACE_AFTER_HYPHEN:
        plain = (last[:-1] + first).lower().strip(".,;:()")
        known = brk.words is not None and plain in brk.words and (last + first).lower() not in brk.words
        return (1 if known else 0), ""
    if brk.limits is not None and _broken(brk) and _continues_word(last, first, brk.words):
        return 0, ""
    return 0, " "


def _broken(brk: _Break) -> bool:
    """A word broken by a column too narrow for it: the line holds that one word, no space is
    printed after it, and it fills the cell's width but for less than the width of the next line's
    first character."""
    words = [w for w in brk.prev.words if not w.sup]
    if len(words) != 1 or words[0].trail or brk.limits is None:
        return False
    left, right = brk.limits
    nxt = brk.line.words[0]
    char = (nxt.x1 - nxt.x0) / max(len(nxt.text), 1)
    return (right - words[0].x1) + max(0.0, words[0].x0 - left) < char + 2.5


def _continues_word(last: str, first: str, words: set[str] | None) -> bool:
    """Whether the next line's first word goes on with the broken one: digits after digits; a word
    in lower case (or a hyphen) after letters, unless the document knows that next word as a word
    of its own (a word of one or two letters only from its running text) and not the two together:
    a column that breaks a word where it does not fit breaks it at any letter, seldom just where a
    known word begins ("Förflytt|ning", "Min|ska", "Läkarbesö|k" are one word; "Vårdrelaterade|
    fallskador", "patienter|i" two)."""
    if re.search(r"\d[,.]?$", last) and first[:1].isdigit():
        return True
    if not (last[-1:].isalpha() and (first[:1].islower() or first[:1] == "-")):
        return False
    if words is None:
        return True
    a, b = last.lower(), _bare(first)
    joined = a + b
    return joined in words or joined.replace("-", "") in words or b not in words or (len(b) < 3 and f" {b}" not in words)


def _bare(word: str) -> str:
    return word.lower().strip(".,;:()\"'”’")


def _vocabulary(pages: list[_Page], tags: _Tags) -> set[str]:
    """The words of the document, where no column may have broken them: all but the only word of a
    line that ends without a space and is followed by a line in lower case, and that line's first word."""
    found: set[str] = set()
    groups: list[list[_Line]] = [p.lines for p in pages]
    groups += [d.lines for p in pages for f in p.fragments for d in f.drafts]
    groups += [lines for t in tags.tables for row in t.rows for cell in row for lines in cell.parts.values()]
    for page in pages:  # short words of the running text, marked as such (" i", " av")
        found.update(f" {_bare(w.text)}" for line in page.lines for w in line.words if len(_bare(w.text)) < 3)
    for lines in groups:
        fragment = False  # whether the line before ends in a piece of a broken word
        for i, line in enumerate(lines):
            words = [w for w in line.words if not w.sup]
            after = lines[i + 1].words[0].text if i + 1 < len(lines) else ""
            piece = len(words) == 1 and not words[0].trail and after[:1].islower()
            for n, w in enumerate(words):
                if not (piece or (fragment and n == 0)):
                    found.add(_bare(w.text))
                    found.add(_bare(w.text).replace("-", ""))
            fragment = piece
    return found


# --- tables over page breaks --------------------------------------------------------------------------------

def _cell_text(draft: _Draft) -> str:
    return " ".join(line.text for line in draft.lines).strip()


def _row_key(fragment: _Fragment, r: int) -> tuple[tuple[int, str], ...]:
    return tuple(sorted((d.column, _cell_text(d)) for d in fragment.drafts if d.row == r))


def _continues_on(prev: _Fragment, fragment: _Fragment) -> bool:
    """Whether a fragment at the top of a page continues the one that ended the page before: the
    same columns, at the same places."""
    if fragment.page != max(prev.page, prev.last_page) + 1 or fragment.columns != prev.columns or fragment.kind != prev.kind:
        return False
    if fragment.kind == "tags":  # the structure tree says what is one table
        return False
    ours, theirs = (fragment.xs[1:], prev.xs[1:]) if fragment.kind == "words" else (fragment.xs, prev.xs)
    if len(ours) != len(theirs) or any(abs(a - b) > 4.0 for a, b in zip(ours, theirs, strict=True)):
        return False
    # a header of its own, not the one repeated, starts another table
    return _repeated_header(prev, fragment) > 0 or not (_header_like(prev, 0) and _header_like(fragment, 0))


def _header_like(fragment: _Fragment, r: int) -> bool:
    """A row printed as a header: every cell that has text is bold, and most have."""
    drafts = [d for d in fragment.drafts if d.row == r]
    filled = [d for d in drafts if d.lines]
    return len(filled) * 2 >= fragment.columns and all(line.bold for d in filled for line in d.lines)


def _repeated_header(prev: _Fragment, fragment: _Fragment) -> int:
    """How many rows at the top of the continuation repeat the table's first rows (a repeated header)."""
    for k in (3, 2, 1):
        if k < prev.rows and k < fragment.rows and all(_row_key(prev, r) == _row_key(fragment, r) for r in range(k)):
            if any(text for r in range(k) for _, text in _row_key(prev, r)):
                return k
    return 0


def _merge(prev: _Fragment, fragment: _Fragment) -> None:
    """Append a continuation to the fragment it continues: without its repeated header, and with
    the row (or the merged cell) the page break cut joined to its first part."""
    k = _repeated_header(prev, fragment)
    first = prev.rows
    for d in fragment.drafts:
        if d.row >= k:
            d.row += first - k
            prev.drafts.append(d)
    prev.rows += fragment.rows - k
    prev.last_page = fragment.page
    if k and prev.header_rows is None:
        prev.header_rows = k
    _join_cut(prev, first)


def _covering(fragment: _Fragment, r: int) -> dict[int, _Draft]:
    return {c: d for d in fragment.drafts if d.row <= r < d.row + d.row_span for c in range(d.column, d.column + d.col_span)}


def _starts_lower(draft: _Draft) -> bool:
    return _cell_text(draft)[:1].islower()


def _open_end(draft: _Draft) -> bool:
    text = _cell_text(draft)
    return bool(text) and not text.endswith((".", "!", "?", ":"))


def _join_cut(fragment: _Fragment, r: int) -> None:
    above = _covering(fragment, r - 1)
    here = [d for d in fragment.drafts if d.row == r]
    filled = [d for d in here if d.lines]
    if not filled:
        return
    conts = [d for d in filled if _starts_lower(d) and d.column in above and _open_end(above[d.column])]
    if len(conts) == len(filled) or _cut_row(above, here, r):  # the row was cut by the break: its second part goes on
        for d in filled:
            above[d.column].lines.extend(d.lines)
        fragment.drafts = [d for d in fragment.drafts if d.row != r]
        for d in fragment.drafts:
            d.row -= 1 if d.row > r else 0
        fragment.rows -= 1
        return
    for d in here:  # a merged cell that runs on over the break, beside cells of a new row
        top = above.get(d.column)
        if top is None or top.column != d.column or top.col_span != d.col_span:
            continue
        if (d in conts and _wraps(top, d)) or (not d.lines and top.row_span > 1):
            top.lines.extend(d.lines)
            top.row_span = r - top.row + d.row_span
            fragment.drafts.remove(d)


def _cut_row(above: dict[int, _Draft], here: list[_Draft], r: int) -> bool:
    """A row the page break cut, by its second part: nothing in the first column (where the last
    row of the page has its own text, a number or a label), and in every other cell text that goes
    on from an unfinished cell above it."""
    first = next((d for d in here if d.column == 0), None)
    top = above.get(0)
    if (first is not None and first.lines) or top is None or not top.lines or top.row != r - 1:
        return False
    filled = [d for d in here if d.lines]
    return bool(filled) and all(d.column in above and _open_end(above[d.column]) and not _is_figure(_cell_text(d)) for d in filled)


def _wraps(top: _Draft, below: _Draft) -> bool:
    """Whether the text of a cell goes on in the cell below, on the next page: it does not end a
    sentence, and the first word below would not have fit on its last line (the padding of the
    cell taken as the same on both sides)."""
    text = _cell_text(below)
    if top.box is None or not top.lines or not below.lines or _is_figure(text) or len(text.split()) < 2:
        return False  # (one word under one word is a value of its own: "minska" under "Minska")
    last, word = top.lines[-1], below.lines[0].words[0]
    right = top.box[2] - max(0.0, last.x0 - top.box[0])
    return last.x1 + 0.3 * last.size + (word.x1 - word.x0) > right


def _header_rows(fragment: _Fragment) -> int | None:
    """Rows at the top printed as a header (bold, over a body that is not), when the format does
    not mark them: a ruled or borderless table. A row under a header cell that spans down to it
    is a header row too."""
    count = 0
    while count + 1 < fragment.rows:
        origins = [d for d in fragment.drafts if d.row == count and d.lines]
        spanned = any(d.row < count < d.row + d.row_span for d in fragment.drafts)
        if not origins or not all(line.bold for d in origins for line in d.lines) or (count and not spanned):
            break
        count += 1
    if not count or _header_like(fragment, count):
        return None
    return count


# --- tagged tables → drafts ------------------------------------------------------------------------------------

def _tag_fragment(table: _TagTable) -> _Fragment | None:
    """A tagged table as drafts on a grid: cells placed as HTML places them (spans taken)."""
    taken: set[tuple[int, int]] = set()
    drafts: list[_Draft] = []
    ends: Counter[int] = Counter()
    for r, row in enumerate(table.rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            drafts.append(_tag_draft(cell, r, c))
            taken.update((rr, cc) for rr in range(r, r + cell.row_span) for cc in range(c, c + cell.col_span))
            c += cell.col_span
        ends[c] += 1
    if table.start is None or not drafts:
        return None
    width = max([ends.most_common(1)[0][0], *(d.column + d.col_span for d in drafts if d.lines)])
    drafts = [d for d in drafts if d.column < width]
    for d in drafts:
        d.col_span = min(d.col_span, width - d.column)
        d.row_span = min(d.row_span, len(table.rows) - d.row)
    page = table.start[0]
    boxes = [_line_box(line) for d in drafts for line in d.lines if line.page == page]
    return _Fragment(page, _union(boxes), len(table.rows), width, drafts, [], "tags", _tag_header_rows(drafts))


def _tag_draft(cell: _TagCell, r: int, c: int) -> _Draft:
    lines = [line for page in sorted(cell.parts) for line in cell.parts[page]]
    page = min(cell.parts) if cell.parts else -1
    box = _union([_line_box(line) for line in lines if line.page == page]) if lines else None
    return _Draft(r, c, lines, box, cell.row_span, cell.col_span, cell.header, page)


def _tag_header_rows(drafts: list[_Draft]) -> int | None:
    rows = max(d.row for d in drafts) + 1
    count = 0
    while count < rows and all(d.header for d in drafts if d.row == count) and any(d.row == count for d in drafts):
        count += 1
    return count or None


# --- blocks ----------------------------------------------------------------------------------------------------

def _bullet(text: str) -> bool:
    first = text[:1]
    return bool(first) and (first in _BULLETS or "\ue000" <= first <= "\uf8ff")


def _unbulleted(text: str) -> str:
    """A list item's text without its bullet glyph (a printed dash stays: it may be the text's own)."""
    if text[:1] in _BULLETS.replace("–", "") or "\ue000" <= text[:1] <= "\uf8ff":
        return text[1:].lstrip()
    return text


def _heading_kind(run: list[_Line], body: float) -> tuple[float, bool] | None:
    """(size, bold) of a run of lines that looks like a heading: larger than the body text, or bold
    and short; never a list item, a line of the table of contents, or a run without letters."""
    text = " ".join(line.text for line in run)
    if len(run) > 3 or len(text) > 200 or _bullet(text) or _LEADER.search(text) or not any(ch.isalpha() for ch in text):
        return None
    size, bold = run[0].size, all(line.bold for line in run)
    if size >= 1.08 * body:
        return size, bold
    if bold and size >= body - 0.6 and len(run) <= 2 and len(text) <= 120 and not text.endswith((".", ",", ";")):
        return size, True
    return None


class _Styles:
    """The heading styles of the document ranked by size, then weight: level 1 is the largest.
    The largest size, when only the first page uses it, is the document's title."""

    def __init__(self, runs: list[list[_Line]], body: float):
        self.body = body
        kinds: Counter[tuple[float, bool]] = Counter()
        pages: dict[float, set[int]] = {}
        for run in runs:
            kind = _heading_kind(run, body)
            if kind is not None:
                kinds[kind] += 1
                pages.setdefault(kind[0], set()).add(run[0].page)
        largest = max((size for size, _ in kinds), default=0.0)
        first = min((run[0].page for run in runs), default=0)
        self.title = largest if largest >= 1.3 * body and pages.get(largest) == {first} and len(pages) > 1 else None
        ranked = sorted({k for k in kinds if k[0] != self.title}, key=lambda k: (-k[0], not k[1]))
        self.levels = {kind: n + 1 for n, kind in enumerate(ranked)}

    def level(self, run: list[_Line]) -> int | str | None:
        kind = _heading_kind(run, self.body)
        if kind is None:
            return None
        return TITLE_STYLE if kind[0] == self.title else self.levels.get(kind)


class _Assembly:
    """The pages as blocks: running text cleared of headers, footers and footnotes, then grouped
    into headings and paragraphs; table fragments joined over page breaks; all in reading order."""

    def __init__(self, layout: Layout, pages: list[_Page], tags: _Tags | None):
        self.layout, self.pages, self.tags = layout, pages, tags or _Tags()
        self.marks: dict[int, dict[str, str]] = {}
        self.body, self.pitch, self.tables = 10.0, 1.2, 0
        self.words: set[str] = set()

    def run(self) -> None:
        _drop_running(self.pages)
        self.body = _body_size(self.pages)
        self.pitch = _pitch(self.pages, self.body)
        notes = _Notes(self.layout)
        for page in self.pages:
            notes.collect(page, self.body)
        self.marks = {page.index: page.notes for page in self.pages}
        self.words = _vocabulary(self.pages, self.tags)
        items = self._items()
        styles = _Styles([item for item in items if isinstance(item, list)], self.body)
        self.layout.blocks = [self._block(item, styles) for item in items]

    def _items(self) -> list[Any]:
        """Runs of lines and table fragments in reading order, continuations merged."""
        out: list[Any] = []
        for page in self.pages:
            first = True
            for obj in self._page_items(page):
                if isinstance(obj, _Line):
                    self._add_line(out, obj)
                elif first and out and isinstance(out[-1], _Fragment) and _continues_on(out[-1], obj):
                    _merge(out[-1], obj)
                else:
                    out.append(obj)
                first = False
        return out

    def _page_items(self, page: _Page) -> list[Any]:
        entries: list[tuple[float, int, Any]] = [(line.top, 0, line) for line in page.lines]
        entries += [(f.box[1], 1, f) for f in page.fragments]
        for table, top in page.tag_tables:
            fragment = _tag_fragment(self.tags.tables[table])
            if fragment is not None:
                entries.append((top, 1, fragment))
        entries.sort(key=lambda e: (e[0], e[1]))
        return [obj for _, _, obj in entries]

    def _add_line(self, out: list[Any], line: _Line) -> None:
        if out and isinstance(out[-1], list) and self._continues(out[-1][-1], line):
            out[-1].append(line)
        else:
            out.append([line])

    def _continues(self, prev: _Line, line: _Line) -> bool:
        """Whether a line goes on with the paragraph of the line before it (over a page break: when
        that one stops mid-sentence and this one starts in lower case)."""
        if line.page != prev.page:
            return (line.size == prev.size and not (line.bold or prev.bold) and line.text[:1].islower()
                    and not prev.text.endswith((".", "!", "?", ":")))
        if abs(line.size - prev.size) > 0.6 or line.bold != prev.bold or _bullet(line.text):
            return False
        step = line.base - prev.base
        return 0 < step <= 1.3 * self.pitch * max(line.size, prev.size) + 0.5

    def _block(self, item: Any, styles: _Styles) -> Block:
        if isinstance(item, _Fragment):
            return self._table(item)
        text, notes = _text(item, self.marks, None, self.words)
        text = _unbulleted(text)
        page = item[0].page
        box = _rounded(_union([_line_box(line) for line in item if line.page == page]))
        where = Location(self.layout.file, page=page + 1, box=box)
        level = styles.level(item)
        if level == TITLE_STYLE:
            return Paragraph(text, where, style=TITLE_STYLE, notes=notes)
        if isinstance(level, int):
            return Heading(text, level, where, notes)
        return Paragraph(text, where, notes=notes)

    def _table(self, fragment: _Fragment) -> Table:
        self.tables += 1
        if fragment.header_rows is None and fragment.kind == "ruled":
            fragment.header_rows = _header_rows(fragment)
        limits = _limits(fragment)
        texts = {id(d): _text(d.lines, self.marks, limits.get(id(d)), self.words) for d in fragment.drafts}
        grid = _Grid(self.layout.file, self.tables, fragment, texts).cells()
        where = Location(self.layout.file, page=fragment.page + 1, box=_rounded(fragment.box), table=self.tables)
        return Table(grid, where, header_rows=fragment.header_rows)


def _limits(fragment: _Fragment) -> dict[int, Limits]:
    """Where the text of each cell may start and reach: the cell's rules less the padding of its
    column (the least any text there keeps from the rule), or, without rules, as far as any line
    of its column goes on that page."""
    drafts = fragment.drafts
    if fragment.kind == "ruled":
        pads: dict[int, float] = {}
        for d in drafts:
            if d.lines and d.box and d.col_span == 1:
                pads[d.column] = min(pads.get(d.column, 99.0), d.lines[0].x0 - d.box[0])
        least = max(0.5, min(pads.values(), default=2.0))
        return {id(d): (d.box[0] + pads.get(d.column, least), d.box[2] - pads.get(d.column, least)) for d in drafts if d.box}
    reach: dict[tuple[int, int], Limits] = {}
    for d in drafts:
        if d.col_span == 1:
            for line in d.lines:
                key = (d.column, line.page)
                left, right = reach.get(key, (line.x0, line.x1))
                reach[key] = (min(left, line.x0), max(right, line.x1))
    return {id(d): reach[(d.column, d.page)] for d in drafts if (d.column, d.page) in reach}


class _Grid:
    """A fragment's drafts as the layout's rectangular grid: a merged cell fills every position it
    covers (copies repeat its text), and an empty position is an empty cell, all located."""

    def __init__(self, file: str, number: int, fragment: _Fragment, texts: dict[int, tuple[str, list[str]]]):
        self.file, self.number, self.fragment, self.texts = file, number, fragment, texts
        self.rows: dict[int, tuple[int, float, float]] = {}
        self.columns: dict[int, tuple[float, float]] = {}
        for d in fragment.drafts:
            if d.box is not None and d.row_span == 1 and d.row not in self.rows:
                self.rows[d.row] = (d.page, d.box[1], d.box[3])
            if d.box is not None and d.col_span == 1 and d.column not in self.columns:
                self.columns[d.column] = (d.box[0], d.box[2])

    def place(self, r: int, c: int) -> Location:
        page, top, bottom = self.rows.get(r, (self.fragment.page, self.fragment.box[1], self.fragment.box[3]))
        x0, x1 = self.columns.get(c, (self.fragment.box[0], self.fragment.box[2]))
        return Location(self.file, page=page + 1, box=_rounded((x0, top, x1, bottom)), table=self.number, row=r + 1, column=c + 1)

    def cells(self) -> list[list[Cell]]:
        f = self.fragment
        grid: list[list[Cell | None]] = [[None] * f.columns for _ in range(f.rows)]
        heads = f.header_rows or 0
        for d in sorted(f.drafts, key=lambda d: (d.row, d.column)):
            if d.row >= f.rows or d.column >= f.columns or grid[d.row][d.column] is not None:
                continue
            text, notes = self.texts[id(d)]
            bold = bool(d.lines) and all(line.bold for line in d.lines)
            where = self.place(d.row, d.column)
            if d.box is not None and d.page >= 0:
                where = where.at(page=d.page + 1, box=_rounded(d.box))
            origin = Cell(_clean_cell(text), where, notes, d.col_span, d.row_span, True, bold, d.header or d.row < heads)
            for r in range(d.row, min(f.rows, d.row + d.row_span)):
                for c in range(d.column, min(f.columns, d.column + d.col_span)):
                    if grid[r][c] is None:
                        grid[r][c] = origin if (r, c) == (d.row, d.column) else Cell(
                            origin.text, self.place(r, c), list(notes), origin=False, bold=bold, header=origin.header or r < heads)
        return [[cell or Cell("", self.place(r, c), header=r < heads) for c, cell in enumerate(row)] for r, row in enumerate(grid)]


def _clean_cell(text: str) -> str:
    return unicodedata.normalize("NFC", text)
