"""Plain text as Word's "save as text" writes it: one paragraph a line, table rows as
tab-separated lines. Every block is located by its line.

What marks a heading in plain text is only its shape: a numbered line ("2.2.1 Mål: …"), a
Markdown '#' line, or a short line standing alone between blank lines. The interpreter decides
what a heading means for the plan; the reader only says what looks like one.
"""

from __future__ import annotations

import re
from pathlib import Path

from plankoll.layout import Cell, Heading, Layout, Location, Paragraph, ReadError, Table

_NUMBERED = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2}){0,4})\.?\s+(?P<text>[A-ZÅÄÖ].{0,160})$")
_HASHES = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.+?)\s*#*\s*$")
_INLINE_TAGS = re.compile(r"</?(?:i|b|em|strong|u|sup|sub|span)(?:\s[^>]*)?>", re.IGNORECASE)
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")


def decode(data: bytes, file: str) -> str:
    """UTF-8 text (a BOM is dropped); an error naming the line of the first byte that is not."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ReadError(f"not UTF-8 text: byte 0x{data[exc.start]:02x} at line {line} (save the file as UTF-8)",
                        Location(file, line=line)) from None


def clean_inline(text: str) -> str:
    """Formatting the extraction left in the text (<i>, <b>, *emphasis*) is not content."""
    text = _INLINE_TAGS.sub("", text)
    return _EMPHASIS.sub(r"\1", text)


def read(path: Path, data: bytes | None = None) -> Layout:
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ReadError(f"cannot read: {exc.strerror}") from None
    return read_text(decode(data, str(path)), str(path))


def read_text(text: str, file: str) -> Layout:
    layout = Layout(file, "text")
    lines = text.splitlines()
    i = 0
    tables = 0
    while i < len(lines):
        raw = lines[i]
        if "\t" in raw:
            end = i
            while end < len(lines) and "\t" in lines[end]:
                end += 1
            tables += 1
            layout.blocks.append(_table(lines[i:end], i + 1, tables, file))
            i = end
            continue
        stripped = raw.strip()
        if stripped:
            layout.blocks.append(_line_block(stripped, lines, i, file))
        i += 1
    return layout


def _alone(lines: list[str], i: int) -> bool:
    before = i == 0 or not lines[i - 1].strip()
    after = i + 1 >= len(lines) or not lines[i + 1].strip()
    return before and after


def _line_block(stripped: str, lines: list[str], i: int, file: str) -> Heading | Paragraph:
    location = Location(file, line=i + 1)
    text = clean_inline(stripped)
    m = _HASHES.match(text)
    if m:
        return Heading(m["text"].strip(), len(m["hashes"]), location)
    m = _NUMBERED.match(text)
    if m and _alone(lines, i) and not text.endswith((".", ":", ";", ",")) and len(text) <= 170:
        return Heading(text, m["num"].count(".") + 1, location)
    return Paragraph(text, location)


def _table(rows: list[str], first_line: int, number: int, file: str) -> Table:
    split = [row.split("\t") for row in rows]
    width = max(len(r) for r in split)
    grid = []
    for r, cells in enumerate(split):
        line = first_line + r
        grid.append([Cell(clean_inline(cells[c]).strip() if c < len(cells) else "", Location(file, line=line, table=number, row=r + 1, column=c + 1))
                     for c in range(width)])
    return Table(grid, Location(file, line=first_line, table=number))
