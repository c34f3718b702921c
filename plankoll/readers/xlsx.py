"""Excel (.xlsx) as the layout model: each sheet a heading, its blocks of cells tables or paragraphs.

Values come from python-calamine (fast, and it resolves shared strings, dates and the 1904 date
system). What calamine does not say — each cell's number format and boldness, which cells hold
formulas, error values, merged ranges, comments — is read here from the package's XML: the sheets
with one streaming expat pass (openpyxl needs about 3 s for 100,000 cells even read-only, this
pass a fraction of that), styles, comments and the workbook with lxml's hardened parser. The same
pass gives each sheet's extent, which is checked before calamine sees the sheet: calamine
allocates the whole rectangle between a sheet's first and last cell, so two cells at A1 and
XFD1048576 would abort the process.

A cell's text is what the sheet prints: numbers formatted with their number format in Swedish
notation (decimal comma, space between thousands, "12,5 %"), so the figure parser keeps the
printed precision. A formula counts with its cached value; one without a cached value prints
nothing and is a notice. A number typed over a formula is a number like any other.

Blocks: a blank row or column separates tables, except a blank column before a column of figures
(a spacer inside one table) and a blank row before a block that starts with figures under the
table's columns (a total set apart from its parts). A one-column block is paragraphs; leading rows
holding one text (a caption, often merged across the table) are paragraphs; a two-column block of
labels such as Organisation, Organ, Planperiod, Version is the document's metadata, as
"Label: value" paragraphs (style LABEL_VALUE_STYLE) and as `Layout.properties`. Header rows are the
first row when it holds no figure, and the rows below it whose first cell is empty or merged from
above (K | M | Totalt). Hidden sheets are not printed, so they are not read (a notice says so).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any
from xml.parsers import expat

from lxml import etree
from python_calamine import CalamineError, CalamineWorkbook

from plankoll.layout import Block, Cell, Heading, Layout, Location, Note, Notice, Paragraph, ReadError, Table
from plankoll.readers import read_bytes
from plankoll.readers.docx import MAX_UNCOMPRESSED_BYTES, OLE_MAGIC, _check_limits

__all__ = ["LABEL_VALUE_STYLE", "MAX_CELLS", "MAX_COLUMNS", "META_LABELS", "Sheet", "Workbook", "address", "open_workbook", "printed", "read"]

# Grid positions (the rectangle from a sheet's first to its last cell, summed over the sheets).
# A budget workbook has a few thousand; a plan's data export a few hundred thousand.
MAX_CELLS = 2_000_000
_LIMIT = f"{MAX_CELLS:,}".replace(",", " ")
MAX_COLUMNS = 16_384  # Excel's own limit (XFD)
MAX_ROWS = 1_048_576
LABEL_VALUE_STYLE = "label-value"  # the style of a Paragraph made from a label–value pair

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_WORKBOOK_TYPES = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                   "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                   "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
                   "application/vnd.ms-excel.template.macroEnabled.main+xml")
_OTHER_KINDS = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "a Word document",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": "a PowerPoint presentation",
    "application/vnd.ms-excel.sheet.binary.macroEnabled.main": "a binary Excel workbook (.xlsb)",
}
_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
_REF = re.compile(r"^\$?([A-Z]{1,3})\$?([0-9]{1,7})$")

# What zipfile, zlib, lxml, expat and calamine raise for a damaged package; all become ReadError.
_DAMAGE = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, etree.LxmlError, expat.ExpatError, CalamineError, KeyError, ValueError,
           IndexError, TypeError, AttributeError, ArithmeticError, OSError, EOFError, NotImplementedError, RecursionError, UnicodeError)


# --- public ---------------------------------------------------------------------------------------

def read(path: Path, data: bytes | None = None) -> Layout:
    """The layout of an .xlsx workbook (`data`, when given, is its content: `path` then only names it)."""
    book = open_workbook(path, data)
    return _guarded(book.file, lambda: _Layouter(book).layout())


def open_workbook(path: Path, data: bytes | None = None) -> Workbook:
    """The checked package, ready for its sheets to be read (ReadError when it cannot be)."""
    name = str(path)
    if data is None:
        data = read_bytes(path, MAX_UNCOMPRESSED_BYTES, "an Excel workbook")
    archive = _check_package(name, data)
    return _guarded(name, lambda: Workbook(name, data, archive))


def _guarded(name: str, work: Callable[[], Any]) -> Any:
    """Run `work`; whatever a damaged workbook makes the parsers raise becomes a ReadError naming the file."""
    try:
        return work()
    except ReadError:
        raise
    except _DAMAGE as exc:
        raise ReadError(f"damaged Excel workbook (.xlsx): {_describe(exc)}", Location(name)) from None
    except BaseException as exc:
        if type(exc).__name__ == "PanicException":  # a Rust panic inside calamine (pyo3 derives it from BaseException)
            raise ReadError(f"damaged Excel workbook (.xlsx): {_describe(exc)}", Location(name)) from None
        raise


def address(row: int, column: int) -> str:
    """'B14' for the 0-based row 13 and column 1."""
    return f"{_letters(column)}{row + 1}"


@lru_cache(maxsize=4096)
def _letters(column: int) -> str:
    out = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        out = chr(65 + rest) + out
    return out


@lru_cache(maxsize=4096)
def _column_of(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


class _ColumnIndex(dict[str, int]):
    """Column letters → 0-based index, filled on first use ('XFD' → 16383); unknown letters raise KeyError."""

    def __missing__(self, letters: str) -> int:
        if not letters.isascii() or not letters.isupper() or not 1 <= len(letters) <= 3:
            raise KeyError(f"not a column: {letters[:10]!r}")
        index = _column_of(letters)
        if index >= MAX_COLUMNS:
            raise KeyError(f"column {letters} out of range")
        self[letters] = index
        return index


_COLUMNS = _ColumnIndex()


def _parse_ref(ref: str) -> tuple[int, int]:
    m = _REF.match(ref)
    if not m:
        raise ValueError(f"not a cell reference: {ref[:20]!r}")
    return int(m.group(2)) - 1, _column_of(m.group(1))


def _describe(exc: BaseException) -> str:
    text = str(exc).strip("'\" ") or type(exc).__name__
    return text if len(text) < 300 else text[:300] + "…"


# --- the package: safety before parsing -------------------------------------------------------------



def _check_package(name: str, data: bytes) -> zipfile.ZipFile:
    """Refuse what is not an .xlsx, or would cost too much to open, from the zip directory alone
    (the limits of the Word reader: entries, total size, compression ratio)."""
    where = Location(name)
    if data[:8] == OLE_MAGIC:
        raise ReadError(_ole_message(data), where)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except _DAMAGE:  # a damaged central directory: BadZipFile, or NotImplementedError for a "zip version 6.5"
        raise ReadError("not an Excel workbook (.xlsx): the file is not a zip package (or it is truncated)", where) from None
    _check_limits(name, entries)
    names = {e.filename for e in entries}
    if "[Content_Types].xml" not in names or "_rels/.rels" not in names:
        raise ReadError("not an Excel workbook (.xlsx): the zip has no [Content_Types].xml or _rels/.rels", where)
    return archive


def _ole_message(data: bytes) -> str:
    if _ENCRYPTION_STREAM in data:
        return ("the Excel workbook is encrypted (password-protected): remove the password "
                "(File › Info › Protect Workbook › Encrypt with Password) and save it as .xlsx")
    return ("not an .xlsx: an old Excel 97–2003 .xls file or an encrypted (password-protected) workbook; "
            "open it in Excel and save it as Excel Workbook (.xlsx) without a password")


def _safe_parser() -> etree.XMLParser:
    # One per parse: lxml parsers are not to be shared between threads.
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)


def _xml(archive: zipfile.ZipFile, part: str) -> Any:
    return etree.fromstring(archive.read(part), _safe_parser())


def _rels(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id → (type, target part) of a part (targets resolved against the part's folder)."""
    path = PurePosixPath(part)
    rels_part = str(path.parent / "_rels" / f"{path.name}.rels").lstrip("/")
    if rels_part not in archive.namelist():
        return {}
    out = {}
    for rel in _xml(archive, rels_part).iter(f"{{{PKG_REL}}}Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "")
        resolved = target.lstrip("/") if target.startswith("/") else _normalise(str(path.parent / target))
        out[rel.get("Id", "")] = (rel.get("Type", ""), resolved)
    return out


def _normalise(part: str) -> str:
    parts: list[str] = []
    for piece in part.split("/"):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece not in ("", "."):
            parts.append(piece)
    return "/".join(parts)


# --- the workbook -----------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _SheetPart:
    name: str
    part: str
    hidden: bool


class Workbook:
    """An opened workbook: its sheets by name, read on demand."""

    def __init__(self, file: str, data: bytes, archive: zipfile.ZipFile):
        self.file, self._data, self._archive = file, data, archive
        self._main = self._main_part()
        self._parts = self._sheet_parts()
        self.sheet_names = [p.name for p in self._parts]
        self._formats = _styles(archive, self._main)
        self._calamine: Any = None
        self._cells = 0
        self._sheets: dict[str, Sheet] = {}

    def _main_part(self) -> str:
        where = Location(self.file)
        targets = [t for kind, t in _rels(self._archive, "").values() if kind.endswith("/officeDocument")]
        if any("purl.oclc.org" in kind for kind, _ in _rels(self._archive, "").values()):
            raise ReadError("a Strict Open XML workbook, which cannot be read: save it as Excel Workbook (.xlsx)", where)
        if not targets or targets[0] not in self._archive.namelist():
            raise ReadError("not an Excel workbook (.xlsx): the package names no workbook part", where)
        kind = _content_type(self._archive, targets[0])
        if kind not in _WORKBOOK_TYPES:
            what = _OTHER_KINDS.get(kind or "", f"content of type {kind}")
            raise ReadError(f"not an Excel workbook (.xlsx): the file is {what}", where)
        return targets[0]

    def _sheet_parts(self) -> list[_SheetPart]:
        rels = _rels(self._archive, self._main)
        out = []
        for sheet in _xml(self._archive, self._main).iter(f"{{{MAIN}}}sheet"):
            kind, target = rels.get(sheet.get(f"{{{REL}}}id", ""), ("", ""))
            if kind.endswith("/worksheet") and target in self._archive.namelist():
                out.append(_SheetPart(sheet.get("name", ""), target, sheet.get("state", "visible") != "visible"))
        return out

    def properties(self) -> dict[str, str]:
        """Core properties (title, subject, creator, …), as the Word reader gives them."""
        return _guarded(self.file, self._core_properties)

    def _core_properties(self) -> dict[str, str]:
        core = [t for kind, t in _rels(self._archive, "").values() if kind.endswith("/core-properties")]
        if not core or core[0] not in self._archive.namelist():
            return {}
        out = {}
        for element in _xml(self._archive, core[0]):
            key = _CORE.get(etree.QName(element).localname)
            if key and element.text and element.text.strip():
                out[key] = element.text.strip()
        return out

    def sheet(self, name: str) -> Sheet:
        """One sheet's cells (ReadError when the workbook's cells would pass MAX_CELLS)."""
        if name not in self._sheets:
            self._sheets[name] = _guarded(self.file, lambda: self._read_sheet(name))
        return self._sheets[name]

    def _read_sheet(self, name: str) -> Sheet:
        part = next(p for p in self._parts if p.name == name)
        scan = _scan(self._archive, part.part, name, self.file)
        self._cells += scan.area()
        if self._cells > MAX_CELLS:
            raise ReadError(f"too large: over {_LIMIT} cells in the workbook (sheet {name!r} reaches {address(scan.bottom, scan.right)})",
                            Location(self.file, sheet=name))
        comments = _comments(self._archive, part.part)
        if scan.count == 0:
            return Sheet(name, part.hidden, scan, 0, 0, [], self._formats, comments)
        if self._calamine is None:
            self._calamine = CalamineWorkbook.from_filelike(io.BytesIO(self._data))
        data = self._calamine.get_sheet_by_name(name)
        top, left = data.start if data.height else (0, 0)
        return Sheet(name, part.hidden, scan, top, left, data.to_python() if data.height else [], self._formats, comments)


_CORE = {"title": "title", "subject": "subject", "creator": "creator", "keywords": "keywords", "description": "description",
         "category": "category", "created": "created", "modified": "modified", "lastModifiedBy": "last_modified_by"}


def _content_type(archive: zipfile.ZipFile, part: str) -> str | None:
    types = _xml(archive, "[Content_Types].xml")
    ns = "{http://schemas.openxmlformats.org/package/2006/content-types}"
    for override in types.iter(f"{ns}Override"):
        if override.get("PartName", "").lstrip("/") == part:
            return override.get("ContentType")
    suffix = part.rsplit(".", 1)[-1]
    for default in types.iter(f"{ns}Default"):
        if default.get("Extension", "").lower() == suffix.lower():
            return default.get("ContentType")
    return None


# --- styles: number format and boldness per cell style ------------------------------------------------

# The built-in number formats a file refers to by id only (the locale-dependent ones print as General).
_BUILTIN = {0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%", 11: "0.00E+00", 12: "# ?/?",
            13: "# ??/??", 37: "#,##0 ;(#,##0)", 38: "#,##0 ;[Red](#,##0)", 39: "#,##0.00;(#,##0.00)", 40: "#,##0.00;[Red](#,##0.00)",
            48: "##0.0E+0", 49: "@"}


def _styles(archive: zipfile.ZipFile, main: str) -> dict[str, tuple[str, bool]]:
    """Cell style index (the `s` attribute, as text) → (number format code, bold)."""
    targets = [t for kind, t in _rels(archive, main).values() if kind.endswith("/styles")]
    if not targets or targets[0] not in archive.namelist():
        return {}
    root = _xml(archive, targets[0])
    codes = {int(f.get("numFmtId", "-1")): f.get("formatCode", "General") for f in root.iter(f"{{{MAIN}}}numFmt")}
    fonts = root.find(f"{{{MAIN}}}fonts")
    bold = [_bold(font) for font in fonts.iter(f"{{{MAIN}}}font")] if fonts is not None else []
    xfs = root.find(f"{{{MAIN}}}cellXfs")
    out = {}
    for n, xf in enumerate(xfs.iter(f"{{{MAIN}}}xf") if xfs is not None else []):
        fmt_id, font_id = int(xf.get("numFmtId", "0")), int(xf.get("fontId", "0"))
        out[str(n)] = (codes.get(fmt_id, _BUILTIN.get(fmt_id, "General")), bold[font_id] if 0 <= font_id < len(bold) else False)
    return out


def _bold(font: Any) -> bool:
    b = font.find(f"{{{MAIN}}}b")
    return b is not None and b.get("val", "1").lower() not in ("0", "false")


def _comments(archive: zipfile.ZipFile, sheet_part: str) -> dict[tuple[int, int], str]:
    """(row, column) → the text of the cell's comment (note)."""
    out: dict[tuple[int, int], str] = {}
    for kind, target in _rels(archive, sheet_part).values():
        if kind.endswith("/comments") and target in archive.namelist():
            for comment in _xml(archive, target).iter(f"{{{MAIN}}}comment"):
                text = "".join(t.text or "" for t in comment.iter(f"{{{MAIN}}}t"))
                if text.strip():
                    out[_parse_ref(comment.get("ref", "").split(":")[0])] = text.strip()
    return out


# --- one pass over a sheet's XML --------------------------------------------------------------------

_C, _ROW, _F, _V, _MERGE = (f"{MAIN} {tag}" for tag in ("c", "row", "f", "v", "mergeCell"))


class _Scan:
    """What calamine does not say about a sheet: each cell's style, formulas, error values, merged
    ranges, and the sheet's extent (checked before calamine allocates it)."""

    def __init__(self) -> None:
        self.styles: dict[tuple[int, int], str] = {}
        self.formulas: set[tuple[int, int]] = set()
        self.texts: set[tuple[int, int]] = set()  # cells whose cached value is text (a formula may cache "")
        self.errors: dict[tuple[int, int], str] = {}
        self.merges: list[tuple[int, int, int, int]] = []  # top, left, bottom, right (inclusive)
        self.count = 0
        self.top = self.left = MAX_COLUMNS * MAX_ROWS
        self.bottom = self.right = -1
        self._row, self._col = -1, -1
        self._cell = (0, 0)
        self._error: list[str] | None = None  # the text of an error cell's value, while inside it
        self._is_error = False
        self.parser: Any = None

    def area(self) -> int:
        return 0 if self.bottom < 0 else (self.bottom - self.top + 1) * (self.right - self.left + 1)

    def start(self, name: str, attrs: dict[str, str]) -> None:
        # called for every element of the sheet: the common cases first, nothing factored out
        if name == _C:
            ref = attrs.get("r")
            if ref:
                letters = ref.rstrip("0123456789")
                r, c = int(ref[len(letters):]) - 1, _COLUMNS[letters]
                if not 0 <= r < MAX_ROWS:
                    raise ValueError(f"cell {ref} out of range")
            else:
                r, c = max(self._row, 0), self._col + 1
                if c >= MAX_COLUMNS:
                    raise ValueError(f"cell {address(r, c)} out of range")
            self._row, self._col, self._cell = r, c, (r, c)
            self.count += 1
            if r < self.top:
                self.top = r
            if r > self.bottom:
                self.bottom = r
            if c < self.left:
                self.left = c
            if c > self.right:
                self.right = c
            s, t = attrs.get("s"), attrs.get("t")
            if s and s != "0":
                self.styles[(r, c)] = s
            if t is not None and t != "n":
                if t in ("s", "str", "inlineStr"):
                    self.texts.add((r, c))
                self._is_error = t == "e"
            else:
                self._is_error = False
        elif name == _V:
            if self._is_error:
                # text and end events only here: a callback per value would cost a third of the pass
                self._error = []
                self.parser.CharacterDataHandler, self.parser.EndElementHandler = self.text, self.end
        elif name == _ROW:
            row = attrs.get("r")
            self._row, self._col = (int(row) - 1 if row else self._row + 1), -1
            if not 0 <= self._row < MAX_ROWS:
                raise ValueError(f"row {self._row + 1} out of range")
        elif name == _F:
            self.formulas.add(self._cell)
        elif name == _MERGE:
            self._merge(attrs.get("ref", ""))

    def _merge(self, ref: str) -> None:
        first, _, last = ref.partition(":")
        (t, left), (b, right) = _parse_ref(first), _parse_ref(last or first)
        self.merges.append((min(t, b), min(left, right), max(t, b), max(left, right)))
        self.top, self.bottom = min(self.top, t, b), max(self.bottom, t, b)
        self.left, self.right = min(self.left, left, right), max(self.right, left, right)

    def text(self, data: str) -> None:
        if self._error is not None:
            self._error.append(data)

    def end(self, name: str) -> None:
        if name == _V and self._error is not None:
            self.errors[self._cell] = "".join(self._error)
            self._error = None
            self.parser.CharacterDataHandler = self.parser.EndElementHandler = None


def _scan(archive: zipfile.ZipFile, part: str, sheet: str, file: str) -> _Scan:
    scan = _Scan()
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.StartElementHandler = scan.start
    scan.parser = parser
    parser.StartDoctypeDeclHandler = _no_doctype  # OOXML parts never declare a DTD; entity tricks start there
    with archive.open(part) as stream:
        parser.ParseFile(stream)
    if scan.area() > MAX_CELLS:
        raise ReadError(f"too large: sheet {sheet!r} spans {address(scan.top, scan.left)}:{address(scan.bottom, scan.right)}, "
                        f"over {_LIMIT} cells", Location(file, sheet=sheet))
    return scan


def _no_doctype(*_args: Any) -> None:
    raise ValueError("a document type declaration in a sheet (refused: OOXML parts have none)")


# --- a sheet's cells ---------------------------------------------------------------------------------

@dataclass
class Sheet:
    """A sheet's cells by absolute 0-based (row, column): calamine's values and the scan's facts."""

    name: str
    hidden: bool
    scan: _Scan
    top: int
    left: int
    values: list[list[Any]]
    formats: dict[str, tuple[str, bool]]
    comments: dict[tuple[int, int], str]

    @property
    def bounds(self) -> tuple[int, int, int, int] | None:
        """(top, left, bottom, right) of everything the sheet holds, merged ranges included."""
        s = self.scan
        return None if s.bottom < 0 else (s.top, s.left, s.bottom, s.right)

    def value(self, r: int, c: int) -> Any:
        """The cell's value ('' when empty); an error cell's value is its code ('#DIV/0!')."""
        i, j = r - self.top, c - self.left
        if 0 <= i < len(self.values) and 0 <= j < len(self.values[i]):
            value = self.values[i][j]
            if value != "" or (r, c) not in self.scan.errors:
                return value
        return self.scan.errors.get((r, c), "")

    def text(self, r: int, c: int) -> str:
        """The cell as printed."""
        value = self.value(r, c)
        if isinstance(value, str):
            return value
        return printed(value, self.number_format(r, c))

    def number_format(self, r: int, c: int) -> str:
        style = self.scan.styles.get((r, c))
        return self.formats.get(style, ("General", False))[0] if style else "General"

    def bold(self, r: int, c: int) -> bool:
        style = self.scan.styles.get((r, c))
        return self.formats.get(style, ("General", False))[1] if style else False

    def is_formula(self, r: int, c: int) -> bool:
        return (r, c) in self.scan.formulas

    def without_value(self, r: int, c: int) -> bool:
        """A formula whose result the file does not hold (the workbook was never recalculated)."""
        return (r, c) in self.scan.formulas and self.value(r, c) == "" and (r, c) not in self.scan.texts

    def comment(self, r: int, c: int) -> str | None:
        return self.comments.get((r, c))


# --- number formats: a value as the sheet prints it ----------------------------------------------------

def printed(value: Any, code: str = "General") -> str:
    """A cell value as printed with its number format, in Swedish notation: `# ##0` → '1 369 635',
    `0.0` → '5,0', `0.0%` → '12,5 %', dates as ISO dates."""
    if value.__class__ is float:  # the common case first: this runs for every figure of a sheet
        return _formatter(code)(value)
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "SANT" if value else "FALSKT"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M") if not value.second else value.strftime("%H:%M:%S")
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, int | float):
        return _formatter(code)(float(value))
    return str(value)


@lru_cache(maxsize=512)
def _formatter(code: str) -> Callable[[float], str]:
    """A function printing numbers in one format: for the common one-section fixed formats
    (`# ##0`, `0.0`) a direct `format` call, for all others the general path."""
    sections = _sections(code)
    first = sections[0]
    if len(sections) > 1 or first.general or not first.has_digits or first.exponent_digits is not None or first.scale \
            or first.integer_zeros != 1 or first.min_decimals != first.max_decimals:
        return lambda x: _format_number(x, code)
    spec = f"{',' if first.grouping else ''}.{first.max_decimals}f"
    places, prefix, suffix = first.max_decimals, first.prefix, first.suffix

    def fixed(x: float) -> str:
        if x != x or x in (_INF, -_INF) or _decimal_tie(x, places):
            return _format_number(x, code)
        text = format(-x if x < 0 else x, spec).replace(",", " ").replace(".", ",")
        return ("-" if x < 0 else "") + prefix + text + suffix

    return fixed


_INF = float("inf")


def _format_number(x: float, code: str) -> str:
    if x != x or x in (float("inf"), float("-inf")):
        return "#NUM!"
    sections = _sections(code)
    if len(sections) >= 2 and x < 0:
        section, x, signed = sections[1], -x, False
    elif len(sections) >= 3 and x == 0:
        section, signed = sections[2], False
    else:
        section, signed = sections[0], True
    return _apply(section, x, signed)


@dataclass(frozen=True, slots=True)
class _Section:
    general: bool = False
    prefix: str = ""
    suffix: str = ""
    integer_zeros: int = 0  # '0' placeholders before the decimal point: the least digits printed
    has_digits: bool = False
    grouping: bool = False
    min_decimals: int = 0
    max_decimals: int = 0
    scale: int = 0  # powers of ten: +2 per '%', -3 per trailing ','
    exponent_digits: int | None = None


@lru_cache(maxsize=512)
def _sections(code: str) -> tuple[_Section, ...]:
    if code.strip().lower() in ("general", "standard", "@", ""):
        return (_Section(general=True),)
    return tuple(_section(_tokens(part)) for part in _split_sections(code)[:3])


def _split_sections(code: str) -> list[str]:
    parts, current, quoted, i = [], "", False, 0
    while i < len(code):
        ch = code[i]
        if ch == '"':
            quoted = not quoted
        elif ch == "\\" and not quoted and i + 1 < len(code):
            current += code[i:i + 2]
            i += 2
            continue
        elif ch == ";" and not quoted:
            parts.append(current)
            current = ""
            i += 1
            continue
        current += ch
        i += 1
    return [*parts, current]


_TOKEN = re.compile(r'"(?P<quoted>[^"]*)"?|\\(?P<escaped>.)|_.|\*.|\[(?P<bracket>[^\]]*)\]|(?P<exp>[Ee][+-])|(?P<other>.)', re.DOTALL)


def _tokens(section: str) -> list[tuple[str, str]]:
    """(kind, text): kind is 'digit' (0 # ?), 'point', 'comma', 'percent', 'exp', 'text' (@), 'date' or 'literal'."""
    out = []
    for m in _TOKEN.finditer(section):
        if m.group("quoted") is not None:
            out.append(("literal", m.group("quoted")))
        elif m.group("escaped") is not None:
            out.append(("literal", m.group("escaped")))
        elif m.group("bracket") is not None:
            inner = m.group("bracket")
            if inner.startswith("$"):  # [$kr-41D]: a currency symbol and a locale
                out.append(("literal", inner[1:].split("-")[0]))
        elif m.group("exp"):
            out.append(("exp", m.group("exp")))
        elif m.group("other") is not None:
            out.append(_kind(m.group("other")))
    return out


def _kind(ch: str) -> tuple[str, str]:
    kinds = {"0": "digit", "#": "digit", "?": "digit", ".": "point", ",": "comma", "%": "percent", "@": "text", "/": "fraction"}
    if ch in kinds:
        return kinds[ch], ch
    if ch.lower() in "dmyhs":
        return "date", ch
    return "literal", ch


def _section(tokens: list[tuple[str, str]]) -> _Section:
    kinds = [k for k, _ in tokens]
    if "fraction" in kinds or "date" in kinds or "text" in kinds:
        return _Section(general=True)
    digits = [i for i, k in enumerate(kinds) if k == "digit"]
    if not digits:
        return _Section(prefix="".join(t for k, t in tokens if k in ("literal", "percent")))
    first, last = digits[0], digits[-1]
    point = next((i for i in range(first, last + 1) if kinds[i] == "point"), None)
    exp = next((i for i in range(first, len(kinds)) if kinds[i] == "exp"), None)
    int_end = point if point is not None else (exp if exp is not None else last + 1)
    dec_end = exp if exp is not None else last + 1
    integer = [tokens[i][1] for i in range(first, int_end) if kinds[i] == "digit"]
    decimals = [tokens[i][1] for i in range(int_end, dec_end) if kinds[i] == "digit"]
    trailing = 0
    i = last + 1
    while i < len(kinds) and kinds[i] == "comma":
        trailing, i = trailing + 1, i + 1
    percents = kinds.count("percent")
    return _Section(
        prefix="".join(t for k, t in tokens[:first] if k in ("literal", "percent")),
        suffix=_suffix(tokens[i:]),
        integer_zeros=integer.count("0"),
        has_digits=True,
        grouping=_grouped(tokens[first:int_end]),
        min_decimals=decimals.count("0"),
        max_decimals=len(decimals),
        scale=2 * percents - 3 * trailing,
        exponent_digits=sum(1 for k, _ in tokens[exp:] if k == "digit") if exp is not None else None,
    )


def _grouped(tokens: list[tuple[str, str]]) -> bool:
    """A comma, or a (no-break) space, between two digit placeholders: thousands are grouped.
    Swedish users write `# ##0`, which LibreOffice saves as `#\\ ##0`."""
    inner = [(k, t) for k, t in tokens]
    for n in range(1, len(inner) - 1):
        kind, text = inner[n]
        if (kind == "comma" or (kind == "literal" and text in (" ", "\u00a0"))) and any(
                k == "digit" for k, _ in inner[:n]) and any(k == "digit" for k, _ in inner[n + 1:]):
            return True
    return False


def _suffix(tokens: list[tuple[str, str]]) -> str:
    text = "".join(t for k, t in tokens if k in ("literal", "percent"))
    # Swedish prints a space before the per cent sign: "12,5 %"
    return re.sub(r"(?<! )%", " %", text, count=1) if text.startswith("%") else text


def _apply(section: _Section, x: float, signed: bool) -> str:
    if section.general:
        return _general(x)
    if not section.has_digits:
        return section.prefix
    negative = signed and x < 0
    if section.exponent_digits is not None:
        body = _scientific(Decimal(repr(abs(x))).scaleb(section.scale), section)
    else:
        body = _fixed(abs(x), section)
    return ("-" if negative else "") + section.prefix + body + section.suffix


def _fixed(x: float, section: _Section) -> str:
    """The digits of a non-negative number with the section's decimals, rounded half up on the
    decimal value as Excel does (2,675 → 2,68 where Python's float rounding gives 2,67)."""
    places = section.max_decimals
    if section.scale == 0 and section.integer_zeros == 1 and not _decimal_tie(x, places):
        text = f"{x:,.{places}f}" if section.grouping else f"{x:.{places}f}"  # the common case, fast
        whole, _, frac = text.replace(",", " ").partition(".")
    else:
        number = Decimal(repr(x)).scaleb(section.scale).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        whole, _, frac = f"{number:f}".partition(".")
        whole = whole.lstrip("0").rjust(section.integer_zeros, "0")
        if section.grouping and len(whole) > 3:
            whole = f"{int(whole):,}".replace(",", " ")
    while len(frac) > section.min_decimals and frac.endswith("0"):
        frac = frac[:-1]
    return whole + ("," + frac if frac else "")


def _decimal_tie(x: float, places: int) -> bool:
    """Whether the shortest decimal form of x ends in a 5 just past `places` (or is not plain):
    only then can rounding the float and rounding its decimal form differ."""
    text = repr(x)
    if "e" in text or "n" in text:
        return True
    frac = text.partition(".")[2]
    return len(frac) == places + 1 and frac[-1] == "5"


def _scientific(number: Decimal, section: _Section) -> str:
    power = 0 if number == 0 else number.adjusted()
    text = _fixed(float(number.scaleb(-power)), replace(section, scale=0, integer_zeros=1))
    if text.startswith("10"):  # 9,995 rounded up to 10,00: one more power of ten
        power, text = power + 1, _fixed(float(number.scaleb(-power - 1)), replace(section, scale=0, integer_zeros=1))
    sign = "-" if power < 0 else "+"
    return f"{text}E{sign}{str(abs(power)).rjust(section.exponent_digits or 1, '0')}"


def _general(x: float) -> str:
    """Excel's General: whole numbers in full, others to ten significant digits, very large or
    small ones in scientific notation."""
    if x == int(x) and abs(x) < 1e11:
        return str(int(x))
    if 1e-9 <= abs(x) < 1e11:
        try:
            text = f"{Decimal(f'{x:.10g}'):f}"
        except InvalidOperation:
            return str(x)
        return (text.rstrip("0").rstrip(".") if "." in text else text).replace(".", ",")
    mantissa, _, power = f"{x:.5E}".partition("E")
    mantissa = mantissa.rstrip("0").rstrip(".").replace(".", ",")
    return f"{mantissa}E{power[0]}{power[1:].lstrip('0').rjust(2, '0')}"


# --- the layout ---------------------------------------------------------------------------------------

_FIGURE_TEXT = re.compile(r"^[-−–+]?\s*\d[\d \u00a0]*(?:[,.]\d+)?\s*%?$")
_YEARISH = re.compile(r"^(?:19|20)\d{2}(?:0[1-9]|1[0-2])?$|^(?:19|20)\d{2}\s*[-–]\s*(?:T[1-3]|\d{2}|(?:19|20)\d{2})$")

# Labels of a metadata sheet (label–value pairs), normalised: lower case, no trailing colon.
META_LABELS = {
    "organisation": ("organisation", "organization", "region", "kommun", "myndighet"),
    "body": ("organ", "nämnd", "styrelse", "förvaltning", "division", "beslutande organ", "ansvarig nämnd", "body"),
    "document": ("dokument", "dokumenttyp", "dokumentslag", "typ av dokument", "document"),
    "title": ("titel", "rubrik", "dokumentnamn", "title"),
    "period": ("planperiod", "period", "planeringsperiod", "budgetperiod", "plan period"),
    "version": ("version", "versionsnummer"),
    "status": ("status",),
    "adopted": ("fastställd", "fastställd datum", "fastställd den", "fastställt", "beslutsdatum", "beslutad", "antagen", "adopted"),
    "document_id": ("dokument-id", "dokumentid", "diarienummer", "dnr", "document id"),
    "report_period": ("rapportperiod", "avser period", "report period"),
}
_META_KEY = {label: key for key, labels in META_LABELS.items() for label in labels}


@dataclass(slots=True)
class _Block:
    top: int
    bottom: int  # inclusive
    columns: list[int]


class _Layouter:
    """The layout of a workbook: a heading per sheet, then its blocks."""

    def __init__(self, book: Workbook):
        self.book = book
        self.out = Layout(book.file, "xlsx")
        self.tables = 0

    def layout(self) -> Layout:
        self.out.properties = self.book.properties()
        for name in self.book.sheet_names:
            sheet = self.book.sheet(name)
            if sheet.bounds is None:
                continue
            if sheet.hidden:  # not printed: what the sheet shows is what is checked
                self.out.notices.append(Notice(Location(self.book.file, sheet=name), "hidden_sheet", {"sheet": name}))
                continue
            self._sheet(sheet)
        return self.out

    def _sheet(self, sheet: Sheet) -> None:
        grid = _Grid(sheet, self.book.file)
        self.out.notices.extend(grid.notices)
        blocks = _blocks(grid)
        if not blocks:
            return
        self.out.blocks.append(Heading(sheet.name, 1, Location(self.book.file, sheet=sheet.name)))
        for block in blocks:
            self.out.blocks.extend(self._block(grid, block))
        for (r, c), text in sheet.comments.items():
            note_id = _note_id(sheet.name, r, c)
            self.out.notes[note_id] = Note(note_id, text, "note", Location(self.book.file, sheet=sheet.name, cell=address(r, c)))

    def _block(self, grid: _Grid, block: _Block) -> Iterator[Block]:
        rows = [r for r in range(block.top, block.bottom + 1) if grid.row_filled(r, block.columns)]
        if len(block.columns) == 1:
            yield from (grid.paragraph(r, block.columns[0]) for r in rows)
            return
        if len(block.columns) == 2 and _label_values(grid, rows, block.columns):
            yield from self._label_values(grid, rows, block.columns)
            return
        while len(rows) > 1 and _title_row(grid, rows[0], block.columns):
            yield grid.paragraph(rows[0], next(c for c in block.columns if grid.filled(rows[0], c)))
            rows = rows[1:]
        self.tables += 1
        yield grid.table(rows, block.columns, self.tables)

    def _label_values(self, grid: _Grid, rows: list[int], columns: list[int]) -> Iterator[Paragraph]:
        for r in rows:
            label = _label(grid.text(r, columns[0]))
            value = " ".join(grid.text(r, columns[1]).split())
            key = _META_KEY.get(label.lower())
            if key and value:
                self.out.properties[key] = value
            text = f"{label}: {value}" if value else label
            yield Paragraph(text, grid.location(r, columns[0]), style=LABEL_VALUE_STYLE, notes=grid.notes(r, columns[0]))


def _note_id(sheet: str, r: int, c: int) -> str:
    return f"comment:{sheet}!{address(r, c)}"


def _label(text: str) -> str:
    return " ".join(text.split()).rstrip(":").strip()


def _label_values(grid: _Grid, rows: list[int], columns: list[int]) -> bool:
    """A two-column block whose left cells are text labels, at least half of them (and two) metadata labels."""
    if any(not isinstance(grid.sheet.value(*grid.origin(r, columns[0])), str) or not grid.filled(r, columns[0]) for r in rows):
        return False
    known = sum(_label(grid.text(r, columns[0])).lower() in _META_KEY for r in rows)
    # two known labels at least: "Status | Kommentar" over one row is a table, not metadata
    return known * 2 >= len(rows) and (known >= 2 or len(rows) == 1)


def _title_row(grid: _Grid, r: int, columns: list[int]) -> bool:
    """A row that holds one text only (a single cell, or one merged across the table): a caption."""
    origins = {grid.origin(r, c) for c in columns if grid.filled(r, c)}
    return len(origins) == 1 and isinstance(grid.sheet.value(*next(iter(origins))), str)


class _Grid:
    """A sheet's printed texts with merged ranges filled in, which positions hold something, and
    the cells of the layout. Positions are absolute 0-based (row, column)."""

    def __init__(self, sheet: Sheet, file: str):
        self.sheet, self.file = sheet, file
        self.top, self.left, self.bottom, self.right = sheet.bounds or (0, 0, -1, -1)
        self.notices: list[Notice] = []
        self._merged: dict[tuple[int, int], tuple[int, int, int, int]] = {}
        for merge in sheet.scan.merges:
            for r in range(merge[0], merge[2] + 1):
                for c in range(merge[1], merge[3] + 1):
                    self._merged[(r, c)] = merge
        self._texts = self._read_texts()
        self._mask = [[bool(t.strip()) for t in row] for row in self._texts]
        for r, c in sheet.scan.formulas:  # a formula without its value still stands where a figure would
            self._mask[r - self.top][c - self.left] = True
        for (r, c), (top, left, _, _) in self._merged.items():
            self._mask[r - self.top][c - self.left] = self._mask[top - self.top][left - self.left]

    def _read_texts(self) -> list[list[str]]:
        """Printed text per position, from calamine's values (offset) and the scan's formats."""
        sheet, width = self.sheet, self.right - self.left + 1
        texts = [[""] * width for _ in range(self.bottom - self.top + 1)]
        styles, formats, offset = sheet.scan.styles, sheet.formats, sheet.left - self.left
        for i, row in enumerate(sheet.values):
            r = sheet.top + i
            line = texts[r - self.top]
            for j, value in enumerate(row):
                if value.__class__ is str:
                    line[offset + j] = value
                elif value != "":
                    style = styles.get((r, sheet.left + j))
                    line[offset + j] = printed(value, formats.get(style, _GENERAL)[0] if style else "General")
        for (r, c), code in sheet.scan.errors.items():
            texts[r - self.top][c - self.left] = code
        for r, c in sorted(sheet.scan.formulas):
            if sheet.without_value(r, c):
                self.notices.append(Notice(self.location(r, c), "formula_without_value", {"sheet": sheet.name, "cell": address(r, c)}))
        return texts

    def text(self, r: int, c: int) -> str:
        """The printed text at a position; a merged range's text at each of its positions."""
        merge = self._merged.get((r, c))
        if merge:
            r, c = merge[0], merge[1]
        return self._texts[r - self.top][c - self.left]

    def filled(self, r: int, c: int) -> bool:
        return self._mask[r - self.top][c - self.left]

    def row_filled(self, r: int, columns: list[int]) -> bool:
        line = self._mask[r - self.top]
        return any(line[c - self.left] for c in columns)

    def columns_filled(self, top: int, bottom: int) -> list[int]:
        """The columns with something between rows top and bottom."""
        rows = self._mask[top - self.top:bottom - self.top + 1]
        return [self.left + j for j, column in enumerate(zip(*rows, strict=True)) if any(column)]

    def origin(self, r: int, c: int) -> tuple[int, int]:
        merge = self._merged.get((r, c))
        return (merge[0], merge[1]) if merge else (r, c)

    def location(self, r: int, c: int, **table: int) -> Location:
        return Location(self.file, sheet=self.sheet.name, cell=address(r, c), **table)

    def notes(self, r: int, c: int) -> list[str]:
        return [_note_id(self.sheet.name, r, c)] if (r, c) in self.sheet.comments else []

    def paragraph(self, r: int, c: int) -> Paragraph:
        r, c = self.origin(r, c)
        return Paragraph(self.text(r, c), self.location(r, c), notes=self.notes(r, c))

    def table(self, rows: list[int], columns: list[int], number: int) -> Table:
        letters = [_letters(c) for c in columns]
        grid = [[self._cell(r, c, f"{letters[j]}{r + 1}", number, i + 1, j + 1, columns) for j, c in enumerate(columns)]
                for i, r in enumerate(rows)]
        return Table(grid, self.location(rows[0], columns[0], table=number), header_rows=_header_rows(self, rows, columns))

    def _cell(self, r: int, c: int, ref: str, number: int, row: int, column: int, columns: list[int]) -> Cell:
        location = Location(self.file, None, None, None, number, row, column, self.sheet.name, ref)
        merge = self._merged.get((r, c)) if self._merged else None
        if merge is None:
            notes = [_note_id(self.sheet.name, r, c)] if (r, c) in self.sheet.comments else []
            style = self.sheet.scan.styles.get((r, c))
            bold = self.sheet.formats.get(style, _GENERAL)[1] if style else False
            return Cell(self._texts[r - self.top][c - self.left], location, notes, bold=bold)
        top, left, bottom, right = merge
        if (r, c) != (top, left):
            return Cell(self.text(r, c), location, origin=False, bold=self.sheet.bold(top, left))
        span = sum(1 for col in columns if left <= col <= right)
        return Cell(self.text(r, c), location, self.notes(r, c), col_span=span, row_span=bottom - top + 1, bold=self.sheet.bold(r, c))


_GENERAL = ("General", False)


def _header_rows(grid: _Grid, rows: list[int], columns: list[int]) -> int | None:
    """The leading rows of text: the first when it holds no figure (years allowed), and up to two
    more below it whose first cell is empty or merged from above (K | M | Totalt, 2024 | 2025).
    None when the first row holds a figure: the interpreter decides."""
    def is_header(r: int) -> bool:
        texts = [grid.text(r, c).strip() for c in columns if grid.filled(r, c)]
        return bool(texts) and all(not _FIGURE_TEXT.match(t) or _YEARISH.match(t.replace(" ", "")) for t in texts)

    if len(rows) < 2 or not is_header(rows[0]):
        return None
    count = 1
    while count < min(3, len(rows) - 1):
        r = rows[count]
        first_empty = not grid.filled(r, columns[0]) or grid.origin(r, columns[0]) != (r, columns[0])
        if not (first_empty and is_header(r)):
            break
        count += 1
    return count


# --- blocks: where the tables are ---------------------------------------------------------------------

def _blocks(grid: _Grid) -> list[_Block]:
    """Blocks of a sheet in reading order (top to bottom, then left to right), continuations joined."""
    found: list[_Block] = []
    for top, bottom in _bands(grid, grid.top, grid.bottom, None):
        for columns in _column_groups(grid, top, bottom):
            for sub_top, sub_bottom in _bands(grid, top, bottom, columns):
                block = _Block(sub_top, sub_bottom, [c for c in grid.columns_filled(sub_top, sub_bottom) if c in set(columns)])
                if not _continues(grid, found, block):
                    found.append(block)
    found.sort(key=lambda b: (b.top, b.columns[0]))
    return found


def _bands(grid: _Grid, top: int, bottom: int, columns: list[int] | None) -> Iterator[tuple[int, int]]:
    """Runs of rows with something (in `columns`, or anywhere), separated by blank rows."""
    start = None
    for r in range(top, bottom + 1):
        if any(grid._mask[r - grid.top]) if columns is None else grid.row_filled(r, columns):
            start = r if start is None else start
        elif start is not None:
            yield start, r - 1
            start = None
    if start is not None:
        yield start, bottom


def _column_groups(grid: _Grid, top: int, bottom: int) -> Iterator[list[int]]:
    """Columns of a band split at blank columns — but a blank column before a column without
    labels of its own (figures only below its header) is a spacer inside one table."""
    group: list[int] = []
    for c in grid.columns_filled(top, bottom):
        if group and c > group[-1] + 1 and _has_labels(grid, c, top, bottom):
            yield group
            group = []
        group.append(c)
    if group:
        yield group


def _has_labels(grid: _Grid, c: int, top: int, bottom: int) -> bool:
    if top == bottom:
        return True
    return any(grid.filled(r, c) and not _FIGURE_TEXT.match(grid.text(r, c).strip()) for r in range(top + 1, bottom + 1))


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _continues(grid: _Grid, found: list[_Block], block: _Block) -> bool:
    """Join a block to the one above it when it starts with figures under that block's columns:
    a total row set apart by a blank row is still the table's row."""
    columns = set(block.columns)
    above = [b for b in found if b.bottom < block.top and b.columns[0] == block.columns[0] and columns <= set(b.columns)]
    if not above:
        return False
    target = max(above, key=lambda b: b.bottom)
    if len(target.columns) < 2 or any(target.bottom < b.bottom < block.top and columns & set(b.columns) for b in found):
        return False
    sheet = grid.sheet
    if not any(sheet.is_formula(block.top, c) or _is_number(sheet.value(block.top, c)) for c in block.columns[1:]):
        return False
    target.bottom = block.bottom
    return True
