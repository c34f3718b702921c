"""The layout model: what a reader makes of a document, before anything is known about plans.

A reader (Word, Markdown, text; later PDF and Excel) turns a file into a `Layout`: a sequence of
blocks — headings with their level, paragraphs, tables as span-aware grids of cells — plus the
document's notes (footnotes, endnotes) and properties. Every block and cell carries a `Location`,
a value naming where it stands in the file. Readers know formats and nothing of plans; the
interpreter (`plankoll.interpret`) knows plans and nothing of formats.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Location:
    """Where something stands in an input file. Only the fields that apply are set.

    - YAML, Markdown, text: `line` (1-based).
    - Word: `table`, `row`, `column` (1-based, in document order; a nested table counts in that
      order too) or `paragraph` (1-based among the body's paragraphs), and `page` where known.
    - PDF: `page` and `box` (x0, top, x1, bottom in points); Excel: `sheet` and `cell` ("B14").
    """

    file: str
    line: int | None = None
    page: int | None = None
    paragraph: int | None = None
    table: int | None = None
    row: int | None = None
    column: int | None = None
    sheet: str | None = None
    cell: str | None = None
    box: tuple[float, float, float, float] | None = None

    def at(self, **changes: Any) -> Location:
        """A copy with some fields changed (e.g. the cell of a table: `loc.at(row=3, column=2)`)."""
        values = {name: getattr(self, name) for name in self.__slots__}
        values.update(changes)
        return Location(**values)

    def as_dict(self) -> dict[str, Any]:
        """The fields that are set, for JSON (file first)."""
        out: dict[str, Any] = {"file": self.file}
        for name in self.__slots__[1:]:
            value = getattr(self, name)
            if value is not None:
                out[name] = list(value) if name == "box" else value
        return out


@dataclass(slots=True)
class Cell:
    """One grid position of a table. A merged cell fills every position it covers: the copies
    (`origin=False`) repeat its text, so that a spanned header applies to every column under it."""

    text: str
    location: Location
    notes: list[str] = field(default_factory=list)  # ids of the notes whose marks stand in this cell
    col_span: int = 1
    row_span: int = 1
    origin: bool = True  # False for the positions a merged cell covers beyond its first
    bold: bool = False
    header: bool = False  # marked as a header cell by the format (w:tblHeader, <th>)


@dataclass(slots=True)
class Heading:
    text: str
    level: int  # 1 = top
    location: Location
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Paragraph:
    text: str
    location: Location
    style: str | None = None
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Table:
    rows: list[list[Cell]]  # a rectangular grid (short rows are padded with empty cells)
    location: Location
    header_rows: int | None = None  # rows the format marks as repeated headers, when it says
    nested: bool = False  # a table inside a cell of another table

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


@dataclass(slots=True)
class Note:
    """A footnote, endnote or comment; `mark` is what the document prints at the reference ("4", "¹", "*")."""

    id: str
    text: str
    kind: str  # footnote | endnote | note
    location: Location
    mark: str | None = None


@dataclass(slots=True)
class Notice:
    """Something a reader or the interpreter could not take as it stands, with its place."""

    location: Location
    code: str  # a stable key of the translation table (e.g. "unaccepted_revisions")
    params: dict[str, Any] = field(default_factory=dict)


Block = Heading | Paragraph | Table


@dataclass(slots=True)
class Layout:
    file: str
    format: str  # docx | markdown | text | pdf | xlsx
    blocks: list[Block] = field(default_factory=list)
    notes: dict[str, Note] = field(default_factory=dict)
    properties: dict[str, str] = field(default_factory=dict)  # title, subject, creator, created, … (core properties)
    notices: list[Notice] = field(default_factory=list)


class ReadError(ValueError):
    """A document that cannot be read at all (corrupt, encrypted, not what its name says, too large)."""

    def __init__(self, message: str, location: Location | None = None):
        super().__init__(message)
        self.location = location
