"""Markdown reader: a Markdown file (CommonMark with GFM pipe tables, inline and block HTML,
footnotes and front matter) as a `plankoll.layout.Layout`.

The reader knows Markdown and nothing of plans. Each block carries the 1-based line where it
starts; each table cell the line of its row and its grid position. Footnotes (`[^4]` with a
definition `[^4]: text`) become notes linked from the blocks and cells that mark them; any other
printed mark ("¹", "*", "[4]") stays in the text for the interpreter to link.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from plankoll.layout import Cell, Heading, Layout, Location, Note, Paragraph, ReadError, Table

__all__ = ["read", "read_text"]

_BOM = b"\xef\xbb\xbf"
_NEWLINE = re.compile(r"\r\n?")  # markdown-it normalises line ends the same way: our line numbers must match its maps
_BYTE_NEWLINE = re.compile(rb"\r\n?|\n")
_FRONT_KEY = re.compile(r"([A-Za-z_][\w.-]*):[ \t]+(\S.*?)[ \t]*$")
_QUOTED = re.compile(r"""(["'])(.*)\1(?:[ \t]+#.*)?$""")
_DEFINITION = re.compile(r" {0,3}\[\^([^\]\s]+)\]:[ \t]?(.*)$")
_MARK = re.compile(r"\[\^([^\]\s]+)\]")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})(.*)$")
# Lines that start a block of their own, so they cannot be a lazy continuation of a footnote definition.
_BLOCK_START = re.compile(r" {0,3}(?:[#>|<]|```|~~~|[-*+](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$)|\[\^[^\]\s]+\]:|(?:[-_*][ \t]*){3,}$)")
_SPACES = re.compile(r"[ \t\n\r\f]+")  # ASCII whitespace only: a no-break space inside "1 369 635" is part of the figure
_HTML_BREAKS = frozenset("br p div li tr td th caption h1 h2 h3 h4 h5 h6 ul ol dl dt dd blockquote pre hr section article header footer".split())


def read(path: str | Path, data: bytes | None = None) -> Layout:
    """Read a Markdown file (or its bytes, when the caller already has them) as UTF-8."""
    file = str(path)
    return read_text(_decode(Path(path).read_bytes() if data is None else data, file), file)


def read_text(text: str, file: str) -> Layout:
    """Read Markdown text; `file` names it in every location."""
    source = _prepare(text)
    reader = _Reader(file, source)
    reader.walk(_markdown().parse("\n".join(source.lines)))
    return reader.layout


def _decode(data: bytes, file: str) -> str:
    body = data.removeprefix(_BOM)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        line = len(_BYTE_NEWLINE.findall(body[: error.start])) + 1
        message = f"not UTF-8 text: byte 0x{body[error.start]:02x} at line {line} (save it as UTF-8)"
        raise ReadError(message, Location(file, line=line)) from None


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    # Without text_join, escapes and entities stay `text_special` tokens, so that `\[^4]` is not taken for a footnote mark.
    return md.disable("text_join")


# --- Before parsing: front matter and footnote definitions ------------------------------------


@dataclass
class _Definition:
    label: str
    line: int  # 1-based
    text: str  # the definition's Markdown, continuation lines joined


@dataclass
class _Source:
    lines: list[str]  # the text with front matter and definitions blanked (not removed: lines keep their numbers)
    properties: dict[str, str] = field(default_factory=dict)
    definitions: list[_Definition] = field(default_factory=list)


def _prepare(text: str) -> _Source:
    lines = _NEWLINE.sub("\n", text).split("\n") if text else []
    end, properties = _front_matter(lines)
    lines[:end] = [""] * end
    source = _Source(lines, properties)
    fence: str | None = None
    i = end
    while i < len(lines):
        in_code = fence is not None or _FENCE.match(lines[i]) is not None
        fence = _fence_state(lines[i], fence)
        match = None if in_code else _DEFINITION.match(lines[i])
        if match is None:
            i += 1
            continue
        stop = _definition_end(lines, i)
        body = [match.group(2), *(line.strip() for line in lines[i + 1 : stop] if line.strip())]
        source.definitions.append(_Definition(match.group(1), i + 1, "\n".join(body)))
        lines[i:stop] = [""] * (stop - i)
        i = stop
    return source


def _front_matter(lines: list[str]) -> tuple[int, dict[str, str]]:
    """Lines taken by a `---` block at the very top, and its simple `key: value` lines (never evaluated)."""
    # Like pandoc, an opening `---` followed by a blank line is a thematic break, not front matter.
    if len(lines) < 2 or lines[0].rstrip() != "---" or not lines[1].strip():
        return 0, {}
    for end in range(1, len(lines)):
        if lines[end].rstrip() in ("---", "..."):
            properties: dict[str, str] = {}
            for line in lines[1:end]:
                match = _FRONT_KEY.match(line)
                value = _scalar(match.group(2)) if match else None
                if match and value is not None:
                    properties.setdefault(match.group(1), value)
            return end + 1, properties
    return 0, {}


def _scalar(value: str) -> str | None:
    """A plain or quoted YAML scalar as a string; None for anything richer (block scalars, anchors, tags, collections)."""
    quoted = _QUOTED.match(value)
    if quoted:
        return quoted.group(2).replace("''", "'") if quoted.group(1) == "'" else quoted.group(2)
    if value[0] in "|>&*!{[#":
        return None
    return re.sub(r"[ \t]+#.*$", "", value)


def _fence_state(line: str, fence: str | None) -> str | None:
    """The open code fence after `line` (definitions inside fenced code are code, not definitions)."""
    match = _FENCE.match(line)
    if fence is None:
        if match and not (match.group(1)[0] == "`" and "`" in match.group(2)):
            return match.group(1)
        return None
    if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence) and not match.group(2).strip():
        return None
    return fence


def _definition_end(lines: list[str], start: int) -> int:
    """Index after the last line of the definition starting at `start`: indented lines, and (as in GFM)
    lazy lines straight after it that start no block of their own."""
    end = i = start + 1
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        indented = line.startswith(("    ", "\t"))
        lazy = i == end and not _BLOCK_START.match(line)
        if not (indented or lazy):
            break
        i = end = i + 1
    return end


# --- Inline text -------------------------------------------------------------------------------


@dataclass
class _Inline:
    text: str
    notes: list[str]
    bold: bool  # all of the visible text is strong


def _squash(text: str) -> str:
    return _SPACES.sub(" ", text).strip(" ")


def _unmark(text: str, marks: dict[str, str], notes: list[str]) -> str:
    """`text` without the marks of defined footnotes, whose note ids go to `notes`; unknown marks stay."""

    def drop(match: re.Match[str]) -> str:
        note = marks.get(match.group(1).casefold())
        if note is None:
            return match.group(0)
        if note not in notes:
            notes.append(note)
        return ""

    return _MARK.sub(drop, text)


def _flatten(tokens: list[Token], marks: dict[str, str]) -> _Inline:
    """Plain text of inline tokens: markup dropped, code and link text kept, breaks as spaces."""
    parts: list[str] = []
    run: list[str] = []  # consecutive text tokens: a footnote mark may be split over several
    notes: list[str] = []
    strong, plain, bold = 0, False, False
    for token in tokens:
        if token.type == "text":
            run.append(token.content)
        else:
            parts.append(_unmark("".join(run), marks, notes))
            run.clear()
            parts.append(_inline_text(token))
        strong += {"strong_open": 1, "strong_close": -1}.get(token.type, 0)
        if token.type in ("text", "text_special", "code_inline") and token.content.strip():
            bold, plain = bold or strong > 0, plain or strong == 0
    parts.append(_unmark("".join(run), marks, notes))
    return _Inline(_squash("".join(parts)), notes, bold and not plain)


def _inline_text(token: Token) -> str:
    if token.type in ("text_special", "code_inline"):
        return token.content
    if token.type in ("softbreak", "hardbreak"):
        return " "
    if token.type == "html_inline":  # the tag goes, its text (separate tokens) stays; a <br> still separates words
        return " " if token.content[1:3].lower() == "br" else ""
    if token.type == "image":  # its alt text
        return _flatten(token.children or [], {}).text
    return ""


# --- HTML blocks ---------------------------------------------------------------------------------


@dataclass
class _RawCell:
    pieces: list[tuple[str, bool]]  # text and whether it stands inside <b>/<strong>
    header: bool
    rows: int  # rowspan; 0 = to the end of the table
    cols: int


@dataclass
class _RawRow:
    line: int  # 1-based within the HTML fed to the parser
    head: bool  # inside <thead>
    cells: list[_RawCell] = field(default_factory=list)


@dataclass
class _RawTable:
    line: int
    nested: bool
    rows: list[_RawRow] = field(default_factory=list)
    caption: list[str] = field(default_factory=list)


@dataclass
class _RawText:
    line: int
    text: str


@dataclass
class _OpenTable:
    raw: _RawTable
    row: _RawRow | None = None
    cell: _RawCell | None = None
    head: bool = False
    caption: bool = False


def _span(value: str | None, limit: int) -> int:
    # The limits are HTML's own (colspan ≤ 1000, rowspan ≤ 65534); they keep a hostile span from filling memory.
    try:
        return max(0, min(int(value or "1"), limit))
    except ValueError:
        return 1


class _HtmlReader(HTMLParser):
    """Tables (outer first, nested ones after them, in the order they open) and the text around them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[_RawTable | _RawText] = []
        self.open: list[_OpenTable] = []
        self.text: list[str] = []
        self.text_line: int | None = None
        self.bold = 0
        self.skip = 0  # inside <script>/<style>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skip += 1
        elif tag in ("b", "strong"):
            self.bold += 1
        elif tag == "table":
            self._open_table()
        elif self.open:
            self._table_tag(tag, dict(attrs))
        if tag in _HTML_BREAKS:
            self._data(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag in ("b", "strong"):
            self.bold = max(0, self.bold - 1)
        if tag in _HTML_BREAKS:
            self._data(" ")
        if not self.open:
            return
        top = self.open[-1]
        if tag == "table":
            self.open.pop()
        elif tag in ("td", "th"):
            top.cell = None
        elif tag == "tr":
            top.row = top.cell = None
        elif tag == "thead":
            top.head = False
        elif tag == "caption":
            top.caption = False

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self._data(data)

    def close(self) -> None:
        super().close()
        self._flush_text()

    def _data(self, data: str) -> None:
        if not self.open:
            if self.text_line is None and data.strip():
                self.text_line = self.getpos()[0]
            self.text.append(data)
            return
        top = self.open[-1]
        if top.cell is not None:
            top.cell.pieces.append((data, self.bold > 0))
        elif top.caption:
            top.raw.caption.append(data)

    def _flush_text(self) -> None:
        text = _squash("".join(self.text))
        if text:
            self.items.append(_RawText(self.text_line or 1, text))
        self.text, self.text_line = [], None

    def _open_table(self) -> None:
        if not self.open:
            self._flush_text()
        raw = _RawTable(self.getpos()[0], nested=bool(self.open))
        self.items.append(raw)
        self.open.append(_OpenTable(raw))

    def _table_tag(self, tag: str, attrs: dict[str, str | None]) -> None:
        top = self.open[-1]
        if tag in ("thead", "tbody", "tfoot"):
            top.head = tag == "thead"
        elif tag == "caption":
            top.caption = True
        elif tag == "tr" or (tag in ("td", "th") and top.row is None):  # a cell outside any <tr> opens a row
            top.row, top.cell = _RawRow(self.getpos()[0], top.head), None
            top.raw.rows.append(top.row)
        if tag in ("td", "th") and top.row is not None:
            top.cell = _RawCell([], tag == "th", _span(attrs.get("rowspan"), 65534), max(1, _span(attrs.get("colspan"), 1000)))
            top.row.cells.append(top.cell)


def _header_rows(raw: _RawTable) -> int:
    """Leading rows inside <thead> or made only of <th> cells."""
    count = 0
    for row in raw.rows:
        if not (row.head or (row.cells and all(cell.header for cell in row.cells))):
            break
        count += 1
    return count


def _grid(raw: _RawTable, where: Location, lines: list[int], marks: dict[str, str]) -> list[list[Cell]]:
    """The span-aware grid: a merged cell fills every position it covers, as copies after the first."""
    taken: dict[tuple[int, int], Cell] = {}
    for r, row in enumerate(raw.rows):
        c = 0
        for cell in row.cells:
            while (r, c) in taken:  # positions covered by a rowspan from above
                c += 1
            _place(taken, cell, (r, c), where, lines, marks)
            c += cell.cols
    width = max((c for _, c in taken), default=-1) + 1
    return [[taken.get((r, c)) or Cell("", where.at(line=lines[r], row=r + 1, column=c + 1)) for c in range(width)] for r in range(len(lines))]


def _place(taken: dict[tuple[int, int], Cell], raw: _RawCell, at: tuple[int, int], where: Location, lines: list[int], marks: dict[str, str]) -> None:
    r, c = at
    notes: list[str] = []
    text = _squash(_unmark("".join(piece for piece, _ in raw.pieces), marks, notes))
    visible = [bold for piece, bold in raw.pieces if piece.strip()]
    rows = min(raw.rows or len(lines), len(lines) - r)  # a span past the last row ends there
    for dr in range(rows):
        for dc in range(raw.cols):
            # A position already taken (overlapping spans in bad HTML) keeps its first cell.
            taken.setdefault(
                (r + dr, c + dc),
                Cell(
                    text,
                    where.at(line=lines[r + dr], row=r + dr + 1, column=c + dc + 1),
                    list(notes),
                    col_span=raw.cols,
                    row_span=rows,
                    origin=dr == dc == 0,
                    bold=bool(visible) and all(visible),
                    header=raw.header,
                ),
            )


# --- Blocks --------------------------------------------------------------------------------------


class _Reader:
    """Walks markdown-it's block tokens, appending blocks to `layout`."""

    def __init__(self, file: str, source: _Source) -> None:
        self.file = file
        self.lines = source.lines
        self.layout = Layout(file, "markdown", properties=source.properties)
        self.marks: dict[str, str] = {}
        self.items: list[Paragraph] = []  # open list items, innermost last
        self.quotes = 0
        self.tables = 0
        md = _markdown()
        for definition in source.definitions:
            self._note(definition, md)

    def _note(self, definition: _Definition, md: MarkdownIt) -> None:
        key = definition.label.casefold()
        if key in self.marks:  # as in GFM, the first definition of a label wins
            return
        note = f"footnote:{definition.label}"
        self.marks[key] = note
        text = _flatten(md.parseInline(definition.text)[0].children or [], {}).text
        self.layout.notes[note] = Note(note, text, "footnote", Location(self.file, line=definition.line), mark=definition.label)

    def walk(self, tokens: list[Token]) -> None:
        i = 0
        while i < len(tokens):
            i = self._step(tokens, i)

    def _step(self, tokens: list[Token], i: int) -> int:
        token = tokens[i]
        match token.type:
            case "heading_open":
                self._heading(token, tokens[i + 1])
            case "paragraph_open":
                self._paragraph(token, tokens[i + 1])
            case "list_item_open":
                self._item(token)
            case "list_item_close":
                self._close_item()
            case "blockquote_open" | "blockquote_close":
                self.quotes = max(0, self.quotes + token.nesting)
            case "fence" | "code_block":
                self.layout.blocks.append(Paragraph(token.content.rstrip("\n"), self._at(token), style="code"))
            case "table_open":
                return self._pipe_table(tokens, i)
            case "html_block":
                return self._html(tokens, i)
        return i + 1

    def _at(self, token: Token) -> Location:
        return Location(self.file, line=(token.map or [0])[0] + 1)

    def _heading(self, token: Token, inline: Token) -> None:
        text = _flatten(inline.children or [], self.marks)
        self.layout.blocks.append(Heading(text.text, int(token.tag[1:]), self._at(token), text.notes))

    def _paragraph(self, token: Token, inline: Token) -> None:
        text = _flatten(inline.children or [], self.marks)
        if self.items:  # a list item's paragraphs make one paragraph, the item's
            item = self.items[-1]
            item.text = f"{item.text} {text.text}".strip(" ")
            item.notes.extend(note for note in text.notes if note not in item.notes)
            return
        style = "quote" if self.quotes else None
        self.layout.blocks.append(Paragraph(text.text, self._at(token), style=style, notes=text.notes))

    def _item(self, token: Token) -> None:
        # Appended now, filled by the paragraphs inside: the item comes before the items of a list nested in it.
        item = Paragraph("", self._at(token), style="list")
        self.layout.blocks.append(item)
        self.items.append(item)

    def _close_item(self) -> None:
        item = self.items.pop() if self.items else None
        if item is not None and not item.text and not item.notes:
            self.layout.blocks.remove(item)

    def _pipe_table(self, tokens: list[Token], i: int) -> int:
        self.tables += 1
        where = Location(self.file, table=self.tables)
        table = Table([], self._at(tokens[i]).at(table=self.tables), header_rows=1)
        line, header = 0, False
        j = i + 1
        for j in range(i + 1, len(tokens)):
            token = tokens[j]
            if token.type == "table_close":
                break
            if token.type == "tr_open":
                line = self._at(token).line or 0
                table.rows.append([])
            elif token.type in ("th_open", "td_open"):
                header = token.type == "th_open"
            elif token.type == "inline" and table.rows:
                row = table.rows[-1]
                text = _flatten(token.children or [], self.marks)
                cell_at = where.at(line=line, row=len(table.rows), column=len(row) + 1)
                row.append(Cell(text.text, cell_at, text.notes, bold=text.bold, header=header))
        _pad(table, where)
        self.layout.blocks.append(table)
        return j + 1

    def _html(self, tokens: list[Token], i: int) -> int:
        token = tokens[i]
        parser = _HtmlReader()
        parser.feed(token.content)
        end = (token.map or [0, 0])[1]
        # An HTML table with blank lines in it ends markdown-it's HTML block early: read on until it closes.
        while parser.open and end < len(self.lines):
            parser.feed(self.lines[end] + "\n")
            end += 1
        parser.close()
        base = self._at(token).line or 1
        for item in parser.items:
            if isinstance(item, _RawText):
                self._html_text(item, base)
            else:
                self._html_table(item, base)
        return _skip_to(tokens, i, end) if end > (token.map or [0, 0])[1] else i + 1

    def _html_text(self, item: _RawText, base: int) -> None:
        notes: list[str] = []
        text = _squash(_unmark(item.text, self.marks, notes))
        if text:
            self.layout.blocks.append(Paragraph(text, Location(self.file, line=base + item.line - 1), notes=notes))

    def _html_table(self, raw: _RawTable, base: int) -> None:
        self.tables += 1
        line = base + raw.line - 1
        caption = _squash("".join(raw.caption))
        if caption:
            self.layout.blocks.append(Paragraph(caption, Location(self.file, line=line), style="caption"))
        lines = [base + row.line - 1 for row in raw.rows]
        rows = _grid(raw, Location(self.file, table=self.tables), lines, self.marks)
        location = Location(self.file, line=line, table=self.tables)
        self.layout.blocks.append(Table(rows, location, header_rows=_header_rows(raw) or None, nested=raw.nested))


def _pad(table: Table, where: Location) -> None:
    """Make the grid rectangular (markdown-it already does for pipe tables; this keeps the promise anyway)."""
    width = table.width
    for r, row in enumerate(table.rows, start=1):
        line = row[0].location.line if row else table.location.line
        row.extend(Cell("", where.at(line=line, row=r, column=c)) for c in range(len(row) + 1, width + 1))


def _skip_to(tokens: list[Token], i: int, end: int) -> int:
    """Index of the first token after `tokens[i]` that starts at line index `end` or later, within its container."""
    level = tokens[i].level
    j = i + 1
    while j < len(tokens) and tokens[j].level >= level and (tokens[j].map is None or tokens[j].map[0] < end):
        j += 1
    return j
