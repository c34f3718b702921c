#!/usr/bin/env python3
"""Word (.docx) renderings of three seed documents, as test fixtures for plankoll's Word reader.

For each seed S in 001, 002, 004 this writes two documents to tests/fixtures/word/:

- ``S-plain.docx``: the simplest faithful rendering. Every non-empty line is a paragraph, headings
  use the built-in styles "Heading 1/2/3", each run of consecutive tab-separated lines is one table
  (one row per line, cells split on tabs, rows padded to the widest), the table of contents stays as
  paragraphs with their tabs, footnote marks and footnote texts stay printed text.
- ``S-rich.docx``: how such a document really looks in Word: Swedish styles (Rubrik1/2/3 with
  their own outline levels, a custom "Min rubrik" that inherits its level), real footnotes, content
  controls (w:sdt) around a table, a row and a cell, tracked changes, spanned and merged header cells,
  repeated header rows, a table-of-contents field, bullets from a numbering definition.

Every figure and word stays as the seed prints it (the documents' own errors are what is tested);
what each rendering changes is said in tests/fixtures/word/README.md.

The rich 001 rendering is also copied to datasets/vasternorrland/regionstyrelsen/word/vp-2023.docx.

    python tools/make_word_fixtures.py [--seeds DIR] [--out DIR] [--verify] [--verify-only]

The output is deterministic: fixed core-property dates and fixed zip timestamps, so a rerun gives the
same bytes with the same python-docx/lxml/zlib.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import re
import sys
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

import docx
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm
from lxml import etree

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SEEDS = REPO.parent / "shared" / "seeds"
DEFAULT_OUT = REPO / "tests" / "fixtures" / "word"
DATASET_COPY = REPO / "datasets" / "vasternorrland" / "regionstyrelsen" / "word" / "vp-2023.docx"

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NSDECL = f'xmlns:w="{W_NS}" xmlns:r="{R_NS}"'
FIXED_TIME = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
FIXED_DATE = "2026-01-01T00:00:00Z"
ZIP_TIME = (2026, 1, 1, 0, 0, 0)
REVISION_AUTHOR = "make_word_fixtures.py"  # w:author of the tracked changes: the tool, not a person or an office
TEXT_WIDTH = 9070  # twips: A4 (11906) minus two 25 mm margins
FIGURE = re.compile(r"\d[\d \u00a0]*(,\d+)?\s*%?")


# ---------------------------------------------------------------------------------------------------
# What each seed is: which lines are title, table of contents, headings, footnotes, and which
# constructs the rich rendering puts where. Line numbers are 1-based lines of the seed (cat -n).


@dataclass
class Seed:
    key: str
    file: str
    title: str  # core property title (the document's own title, as printed)
    title_lines: list[int]  # the title block; the first is the title paragraph
    toc_heading: int  # the "Innehållsförteckning" line
    toc: tuple[int, int]  # first and last line of the table of contents entries
    toc_levels: dict[int, int]
    headings: dict[int, int]  # line -> level 1..3 (rich: Rubrik1..3, plain: Heading 1..3)
    plain_title: int | None = None  # a line set in the built-in "Title" style in the plain rendering
    # rich rendering only
    min_rubrik: int | None = None  # a level-2 heading set in the custom style "Min rubrik"
    footnote_lines: dict[int, str] = field(default_factory=dict)  # seed line of a footnote text -> its mark
    marks: dict[str, tuple[int, str | None]] = field(default_factory=dict)  # printed mark -> (footnote id, custom mark)
    missing_footnotes: dict[str, str] = field(default_factory=dict)  # printed mark -> text for a mark with no text
    joins: list[tuple[int, int]] = field(default_factory=list)  # (a, b): line b continues line a's paragraph
    blocks: dict[int, int] = field(default_factory=dict)  # first line -> last line of a table over blank lines
    tables: dict[int, dict] = field(default_factory=dict)  # first line of a table -> handler and constructs
    changes: dict[int, tuple[str, str | None]] = field(default_factory=dict)  # paragraph line -> (text, deleted)
    placeholders: dict[int, str] = field(default_factory=dict)  # line -> alias of an inline content control
    words_not_kept: Counter = field(default_factory=Counter)  # words the rich rendering drops on purpose


def _toc_levels_by_number(first: int, last: int, lines: list[str]) -> dict[int, int]:
    levels = {}
    for n in range(first, last + 1):
        m = re.match(r"(\d+(?:\.\d+)*)", lines[n])
        if m:
            levels[n] = m.group(1).count(".") + 1
    return levels


def seeds_spec(seeds_dir: Path) -> dict[str, Seed]:
    s001 = Seed(
        key="001",
        file="001_27a24ce34aab683d.txt",
        title="Verksamhetsplan 2023 (2024–2025)",
        title_lines=[3, 5, 7, 9],
        toc_heading=11,
        toc=(13, 30),
        toc_levels={},  # from the entries' numbering, below
        headings={32: 1, 42: 2, 72: 2, 95: 2, 105: 1, 107: 2, 113: 3, 129: 3, 149: 2, 155: 3, 173: 3, 186: 2,
                  190: 3, 211: 3, 245: 1, 251: 2, 259: 2, 286: 1},
        min_rubrik=149,
        footnote_lines={84: "¹", 171: "²", 237: "³", 239: "⁴"},
        marks={"¹": (1, None), "²": (2, None), "³": (3, None), "⁴": (4, None)},
        joins=[(221, 223), (235, 241)],
        tables={
            88: {"kind": "generic"},
            131: {"kind": "ind001"},
            157: {"kind": "ind001", "change": {(159, 1): ("6,8 %", "6,9 %")}},
            175: {"kind": "ind001", "row_sdt": 178},
            192: {"kind": "ind001", "block_sdt": "Indikatorer 2.3.1"},
            213: {"kind": "ind001", "cell_sdt": (214, 1)},
            269: {"kind": "generic"},
        },
        changes={249: ("180", "200")},
    )
    s002 = Seed(
        key="002",
        file="002_53cb80a50044d88b.txt",
        title="Regiondirektörens rapport till styrelsen 28 februari dnr 5-2018",
        title_lines=[3],
        toc_heading=5,
        toc=(7, 60),
        toc_levels={},  # bold entries level 1, the others level 2, below
        headings={},  # from the Markdown '#' marks, below
        plain_title=3,
        min_rubrik=249,
        joins=[(140, 142), (152, 156), (197, 199), (217, 219), (405, 407), (423, 425)],
        blocks={221: 243},
        tables={221: {"kind": "internkontroll", "change": {(230, 2): ("Månadsvis", None)}}},
        changes={290: ("50,3 mkr", None)},
        words_not_kept=Counter({"Kontrollmoment": 1, "Kontrollutförare": 1, "Kontrollmetod": 1}),
    )
    s004 = Seed(
        key="004",
        file="004_701fa82297f3b774.txt",
        title="Delårsrapport 2022-04, Division Länssjukvård 1, Bilaga produktion och måluppfyllelse",
        title_lines=[3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27],
        toc_heading=29,
        toc=(31, 51),
        toc_levels={31: 1, 32: 1, 33: 2, 34: 2, 35: 1, 36: 2, 37: 3, 38: 3, 39: 3, 40: 2, 41: 3, 42: 3, 43: 3, 44: 3,
                    45: 3, 46: 3, 47: 3, 48: 3, 49: 2, 50: 2, 51: 1},
        headings={53: 1, 57: 1, 59: 2, 81: 2, 130: 1, 168: 2, 184: 3, 188: 3, 199: 3, 212: 2, 233: 3, 246: 3, 252: 3,
                  256: 3, 268: 3, 272: 3, 287: 3, 304: 3, 335: 2, 353: 2, 364: 1, 366: 2, 384: 2, 398: 2, 415: 2},
        min_rubrik=353,
        footnote_lines={226: "¹"},
        marks={"[4]": (1, "4"), "¹": (2, None)},
        missing_footnotes={"[4]": "(Fotnotstexten saknas i källtexten.)"},
        joins=[(242, 244), (337, 339)],
        tables={
            61: {"kind": "generic", "change": {(62, 3): ("5,0%", "5,1%")}},
            174: {"kind": "ind004"},
            178: {"kind": "ind004"},
            218: {"kind": "ind004", "block_sdt": "Styrmått Verksamhet"},
            228: {"kind": "ind004", "row_sdt": 229},
            347: {"kind": "ind004", "cell_sdt": (348, 4)},
            359: {"kind": "ind004"},
        },
        changes={351: ("6,9", "7,2")},
        placeholders={11: "Publiceringsdatum"},
    )
    for s in (s001, s002, s004):
        lines = read_seed(seeds_dir / s.file)
        if s.key == "001":
            s.toc_levels = _toc_levels_by_number(*s.toc, lines)
        if s.key == "002":
            s.toc_levels = {n: 1 if lines[n].startswith("<b>") else 2 for n in range(s.toc[0], s.toc[1] + 1) if lines[n].strip()}
            for n, line in enumerate(lines):
                m = re.match(r"(#+)\s", line)
                if m and n != s.plain_title:
                    s.headings[n] = len(m.group(1)) - 1  # '#' is the title, '##' level 1, '###' 2, '####' 3
    return {s.key: s for s in (s001, s002, s004)}


def read_seed(path: Path) -> list[str]:
    """Lines of a seed, 1-based: lines[n] is line n (lines[0] is unused)."""
    return ["", *path.read_text(encoding="utf-8").split("\n")]


# ---------------------------------------------------------------------------------------------------
# Inline markup of the extracted text: <i>x</i>, <b>x</b>, *x* (italic), **x** (bold).

INLINE = re.compile(r"(</?[ib]>|\*\*|\*)")


def parse_inline(text: str) -> list[tuple[str, bool, bool]]:
    """(text, bold, italic) segments of a line with the extraction's inline markup."""
    if text.count("*") - 2 * text.count("**") not in (0, 2, 4, 6, 8) or text.count("**") % 2:
        return [(text, False, False)]
    segs: list[tuple[str, bool, bool]] = []
    b = i = False
    for tok in INLINE.split(text):
        if tok in ("<b>", "</b>"):
            b = tok == "<b>"
        elif tok in ("<i>", "</i>"):
            i = tok == "<i>"
        elif tok == "**":
            b = not b
        elif tok == "*":
            i = not i
        elif tok:
            if segs and segs[-1][1:] == (b, i):
                segs[-1] = (segs[-1][0] + tok, b, i)
            else:
                segs.append((tok, b, i))
    return segs


def plain_text(text: str) -> str:
    return "".join(t for t, _, _ in parse_inline(text))


def heading_text(line: str) -> str:
    return re.sub(r"^#+\s+", "", line)


# ---------------------------------------------------------------------------------------------------
# Line structure shared by both renderings.


@dataclass
class Block:
    kind: str  # "title", "toc", "heading", "table", "para"
    lines: list[int]


def blocks_of(seed: Seed, lines: list[str], rich: bool) -> list[Block]:
    out: list[Block] = []
    n = 1
    skip: set[int] = set()
    joins = dict(seed.joins) if rich else {}
    while n < len(lines):
        line = lines[n]
        if not line.strip() or n in skip or (rich and n in seed.footnote_lines):
            n += 1
            continue
        if n == seed.toc_heading:
            if rich:
                entries = [k for k in range(seed.toc[0], seed.toc[1] + 1) if lines[k].strip()]
                out.append(Block("toc", [n, *entries]))
                n = seed.toc[1] + 1
            else:
                kind = "heading" if n in seed.headings else "para"
                out.append(Block(kind, [n]))
                n += 1
            continue
        if seed.toc[0] <= n <= seed.toc[1]:
            out.append(Block("para", [n]))  # plain: a table-of-contents line stays a paragraph with its tab
            n += 1
            continue
        if n in seed.title_lines or n == seed.plain_title:
            out.append(Block("title", [n]))
        elif n in seed.headings:
            out.append(Block("heading", [n]))
        elif "\t" in line:
            last = seed.blocks.get(n) if rich else None
            if last is None:
                last = n
                while last + 1 < len(lines) and "\t" in lines[last + 1]:
                    last += 1
            out.append(Block("table", [k for k in range(n, last + 1) if lines[k].strip()]))
            n = last + 1
            continue
        elif n in joins:
            out.append(Block("para", [n, joins[n]]))
            skip.add(joins[n])
        else:
            out.append(Block("para", [n]))
        n += 1
    return out


def cells_of(line: str) -> list[str]:
    return line.split("\t")


# ---------------------------------------------------------------------------------------------------
# Plain rendering: python-docx API only.


def new_document(title: str) -> docx.document.Document:
    doc = docx.Document()
    cp = doc.core_properties
    cp.title = title
    cp.author = ""
    cp.last_modified_by = ""
    cp.comments = ""
    cp.created = FIXED_TIME
    cp.modified = FIXED_TIME
    cp.revision = 1
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.left_margin = sec.right_margin = Mm(25)
    sec.top_margin = sec.bottom_margin = Mm(25)
    return doc


def add_runs(paragraph, text: str) -> None:
    for t, b, i in parse_inline(text):
        run = paragraph.add_run(t)
        if b:
            run.bold = True
        if i:
            run.italic = True


def build_plain(seed: Seed, lines: list[str]) -> docx.document.Document:
    doc = new_document(seed.title)
    previous = None
    for block in blocks_of(seed, lines, rich=False):
        n = block.lines[0]
        if block.kind == "table" and previous == "table":
            doc.add_paragraph()  # Word keeps two tables apart only with a paragraph between them
        previous = block.kind
        if block.kind == "title":
            p = doc.add_paragraph(style="Title" if n == seed.plain_title else None)
            add_runs(p, heading_text(lines[n]))
        elif block.kind == "heading":
            p = doc.add_paragraph(style=f"Heading {seed.headings[n]}")
            add_runs(p, heading_text(lines[n]))
        elif block.kind == "para":
            add_runs(doc.add_paragraph(), lines[n])
        elif block.kind == "table":
            rows = [cells_of(lines[k]) for k in block.lines]
            width = max(len(r) for r in rows)
            table = doc.add_table(rows=len(rows), cols=width)
            table.style = "Table Grid"
            for r, cells in enumerate(rows):
                for c in range(width):
                    add_runs(table.cell(r, c).paragraphs[0], cells[c] if c < len(cells) else "")
    if previous == "table":
        doc.add_paragraph()  # a Word document ends with a paragraph
    return doc


# ---------------------------------------------------------------------------------------------------
# Rich rendering: raw WordprocessingML where python-docx has no API.


class Ids:
    """Unique w:id values for tracked changes and content controls."""

    def __init__(self) -> None:
        self.n = 100

    def next(self) -> int:
        self.n += 1
        return self.n


def attr(value: str) -> str:
    return escape(value, {'"': "&quot;"})


def run_xml(text: str, b: bool = False, i: bool = False, rstyle: str | None = None, deleted: bool = False) -> str:
    rpr = (f'<w:rStyle w:val="{rstyle}"/>' if rstyle else "") + ("<w:b/><w:bCs/>" if b else "") + ("<w:i/><w:iCs/>" if i else "")
    tag = "w:delText" if deleted else "w:t"
    body = []
    for k, chunk in enumerate(text.split("\t")):
        if k:
            body.append("<w:tab/>")
        if chunk:
            body.append(f'<{tag} xml:space="preserve">{escape(chunk)}</{tag}>')
    return f"<w:r>{f'<w:rPr>{rpr}</w:rPr>' if rpr else ''}{''.join(body)}</w:r>"


def fnref_xml(fid: int, custom: str | None) -> str:
    style = '<w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
    if custom:
        return (f'<w:r>{style}<w:footnoteReference w:customMarkFollows="1" w:id="{fid}"/></w:r>'
                f"<w:r>{style}<w:t>{escape(custom)}</w:t></w:r>")
    return f'<w:r>{style}<w:footnoteReference w:id="{fid}"/></w:r>'


class Rich:
    def __init__(self, seed: Seed, lines: list[str]) -> None:
        self.seed = seed
        self.lines = lines
        self.ids = Ids()
        self.used_marks: list[str] = []
        self.merged_away: Counter = Counter()  # words of cells emptied by a vertical merge (the text stands in the cell above)
        self.applied_changes: list[tuple] = []
        mark_alts = sorted(seed.marks, key=len, reverse=True)
        self.mark_re = re.compile("(" + "|".join(re.escape(m) for m in mark_alts) + ")") if mark_alts else None

    # -- runs -----------------------------------------------------------------------------------
    def tracked(self, new: str, old: str | None, b: bool, i: bool) -> str:
        x = ""
        if old is not None:
            x += (f'<w:del w:id="{self.ids.next()}" w:author="{REVISION_AUTHOR}" w:date="{FIXED_DATE}">'
                  f"{run_xml(old, b, i, deleted=True)}</w:del>")
        x += f'<w:ins w:id="{self.ids.next()}" w:author="{REVISION_AUTHOR}" w:date="{FIXED_DATE}">{run_xml(new, b, i)}</w:ins>'
        return x

    def runs(self, text: str, change: tuple[str, str | None] | None = None, italic: bool = False, bold: bool = False, where=None) -> str:
        out = []
        applied = False
        for seg, b, i in parse_inline(text):
            i = i or italic
            b = b or bold
            pieces: list[tuple[str, bool]] = [(seg, False)]
            if change and not applied and change[0] in seg:
                pre, post = seg.split(change[0], 1)
                pieces = [(pre, False), (change[0], True), (post, False)]
                applied = True
            for piece, is_change in pieces:
                if is_change:
                    out.append(self.tracked(piece, change[1], b, i))
                    continue
                parts = self.mark_re.split(piece) if self.mark_re else [piece]
                for part in parts:
                    if part in self.seed.marks:
                        fid, custom = self.seed.marks[part]
                        out.append(fnref_xml(fid, custom))
                        self.used_marks.append(part)
                    elif part:
                        out.append(run_xml(part, b, i))
        if change:
            assert applied, f"{self.seed.key}: tracked change {change} not found at {where}"
            self.applied_changes.append((where, change))
        return "".join(out)

    @staticmethod
    def p(runs: str, style: str | None = None, jc: str | None = None) -> str:
        ppr = (f'<w:pStyle w:val="{style}"/>' if style else "") + (f'<w:jc w:val="{jc}"/>' if jc else "")
        return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{runs}</w:p>"

    def sdt_pr(self, alias: str, tag: str, extra: str = "") -> str:
        return f'<w:sdtPr><w:alias w:val="{attr(alias)}"/><w:tag w:val="{attr(tag)}"/><w:id w:val="{self.ids.next()}"/>{extra}</w:sdtPr>'

    # -- blocks ---------------------------------------------------------------------------------
    def title(self, n: int) -> str:
        text = heading_text(self.lines[n])
        if n == self.seed.title_lines[0]:
            return self.p(self.runs(text), "Rubrik")
        if n in self.seed.placeholders:  # an unfilled Quick Part: a content control showing its placeholder
            alias = self.seed.placeholders[n]
            kind = ('<w:showingPlcHdr/><w:date><w:dateFormat w:val="yyyy-MM-dd"/><w:lid w:val="sv-SE"/>'
                    '<w:storeMappedDataAs w:val="dateTime"/><w:calendar w:val="gregorian"/></w:date>')
            sdt = f'<w:sdt>{self.sdt_pr(alias, alias, kind)}<w:sdtContent>{run_xml(text, rstyle="Platshllartext")}</w:sdtContent></w:sdt>'
            return self.p(sdt)
        return self.p(self.runs(text))

    def heading(self, n: int) -> str:
        level = self.seed.headings[n]
        style = "Minrubrik" if n == self.seed.min_rubrik else f"Rubrik{level}"
        return self.p(self.runs(heading_text(self.lines[n])), style)

    def toc(self, block: Block) -> str:
        """The table of contents as Word writes it: a content control (docPartGallery "Table of Contents")
        holding a TOC field whose result is the printed entries."""
        head, *entries = block.lines
        paras = [self.p(self.runs(heading_text(self.lines[head])), "Innehllsfrteckningsrubrik")]
        for k, n in enumerate(entries):
            runs = self.runs(self.lines[n])
            if k == 0:
                runs = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> TOC \\o "1-3" \\h \\z \\u </w:instrText></w:r>'
                        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>') + runs
            if k == len(entries) - 1:
                runs += '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
            paras.append(self.p(runs, f"Innehll{self.seed.toc_levels.get(n, 2)}"))
        pr = f'<w:sdtPr><w:id w:val="{self.ids.next()}"/><w:docPartObj><w:docPartGallery w:val="Table of Contents"/><w:docPartUnique/></w:docPartObj></w:sdtPr>'
        return f"<w:sdt>{pr}<w:sdtEndPr/><w:sdtContent>{''.join(paras)}</w:sdtContent></w:sdt>"

    def para(self, block: Block) -> str:
        text = " ".join(self.lines[k] for k in block.lines)
        n = block.lines[0]
        change = self.seed.changes.get(n)
        if text.startswith("- "):
            return self.p(self.runs(text[2:], change, where=n), "Punktlista")
        return self.p(self.runs(text, change, where=n))

    # -- tables ---------------------------------------------------------------------------------
    def table(self, block: Block) -> str:
        first = block.lines[0]
        cfg = self.seed.tables.get(first, {"kind": "generic"})
        rows = [(k, [c.strip() for c in cells_of(self.lines[k])]) for k in block.lines]
        model = getattr(self, "model_" + cfg["kind"])(rows)
        return self.emit_table(model, cfg)

    @staticmethod
    def cell(text: str = "", *, paras: list[tuple[str, bool]] | None = None, span: int = 1, vmerge: str | None = None) -> dict:
        return {"paras": paras if paras is not None else [(text, False)], "span": span, "vmerge": vmerge}

    def model_generic(self, rows) -> list[dict]:
        width = max(len(c) for _, c in rows)
        model = []
        for k, (n, cells) in enumerate(rows):
            cells = cells + [""] * (width - len(cells))
            total = k > 0 and any(re.match(r"(Totalt|Summa)\b", c) or re.search(r"\btotalt$", c) for c in cells)
            model.append({"line": n, "header": k == 0, "bold": total, "cells": [self.cell(c) for c in cells]})
        return model

    def model_ind001(self, rows) -> list[dict]:
        """001 indicator table: the indicator cell's trailing italic part ("Källa: …", "Kvalitativ indikator …")
        is a second paragraph of the cell, in italics."""
        model = self.model_generic(rows)
        for row in model[1:]:
            name = row["cells"][0]["paras"][0][0]
            m = re.fullmatch(r"(.*?)\s*<i>(.*)</i>\s*", name) or re.fullmatch(r"(.*?)\s+(Källa: .*)", name)
            if m:
                row["cells"][0]["paras"] = [(m.group(1), False), (m.group(2), True)]
        return model

    @staticmethod
    def split_outcome(text: str) -> tuple[str, str, str]:
        """'51 % M: 60 % K:45 %' -> ('51 %', K '45 %', M '60 %'); text with two figures per sex stays whole."""
        if text.count("M:") != 1 or text.count("K:") != 1:
            return text, "", ""
        m = re.fullmatch(r"(.*?)\s*M:\s*(.*?)\s*K:\s*(.*?)", text)
        if not m:
            return text, "", ""
        return m.group(1), m.group(3), m.group(2)

    def model_ind004(self, rows) -> list[dict]:
        """004 måluppfyllelse table: 'Periodens utfall' spans Totalt | K | M on a second header row, the other
        header cells are merged down over both header rows, equal Framgångsfaktor cells are merged down."""
        (hn, header), data = rows[0], rows[1:]
        ui = next(j for j, h in enumerate(header) if h.startswith("Periodens utfall"))
        top, sub = [], []
        for j, h in enumerate(header):
            if j == ui:
                top.append(self.cell(h, span=3))
                sub += [self.cell("Totalt"), self.cell("K"), self.cell("M")]
            else:
                top.append(self.cell(h, vmerge="restart"))
                sub.append(self.cell("", vmerge="continue-explicit"))
        model = [{"line": hn, "header": True, "bold": False, "cells": top},
                 {"line": None, "header": True, "bold": False, "cells": sub}]
        factors = [c[0] for _, c in data]
        for k, (n, cells) in enumerate(data):
            cells = cells + [""] * (len(header) - len(cells))
            out = []
            for j, c in enumerate(cells):
                if j == 0:
                    same_prev = k > 0 and factors[k - 1] == c
                    same_next = k + 1 < len(factors) and factors[k + 1] == c
                    out.append(self.cell("" if same_prev else c, vmerge="continue" if same_prev else "restart" if same_next else None))
                    if same_prev:
                        self.merged_away.update(WORD.findall(plain_text(c)))
                elif j == ui:
                    out += [self.cell(x) for x in self.split_outcome(c)]
                else:
                    out.append(self.cell(c))
            model.append({"line": n, "header": False, "bold": False, "cells": out})
        return model

    def model_internkontroll(self, rows) -> list[dict]:
        """002 Internkontroll: one table over the page break. The header printed again after the break
        (line 232) is the repeated header row; the row whose cells wrap over the break (lines 235 + 237) is
        one row; the blank Kontrollmoment cells under "Fakturering utländska patienter" are merged down."""
        header = rows[0][1]
        kept: list[tuple[int, list[str]]] = []
        for n, cells in rows:
            if kept and cells == header:
                continue
            if n == 237:  # continuation of line 235 over the page break
                prev_n, prev = kept[-1]
                kept[-1] = (prev_n, [" ".join(x for x in (a, b) if x) for a, b in zip(prev, cells, strict=True)])
                continue
            kept.append((n, cells))
        model = self.model_generic(kept)
        for k in range(1, len(model)):
            here = model[k]["cells"][0]
            if here["paras"][0][0] == "" and k > 1:
                here["vmerge"] = "continue"
                above = k - 1
                while model[above]["cells"][0]["vmerge"] == "continue":
                    above -= 1
                model[above]["cells"][0]["vmerge"] = "restart"
        return model

    def emit_table(self, model: list[dict], cfg: dict) -> str:
        ncols = sum(c["span"] for c in model[-1]["cells"])
        widths = self.widths(model, ncols)
        changes = cfg.get("change", {})
        trs = []
        for row in model:
            tcs, col, grid = [], 0, 0
            for cell in row["cells"]:
                w = sum(widths[grid: grid + cell["span"]])
                paras = []
                for text, italic in cell["paras"]:
                    numeric = bool(re.fullmatch(r"[-+−]?\d[\d \u00a0]*(,\d+)?\s*%?", plain_text(text)))
                    change = changes.get((row["line"], col))
                    if change and change[0] not in plain_text(text):
                        change = None
                    runs = self.runs(text, change, italic=italic, bold=row["header"] or row["bold"], where=(row["line"], col))
                    paras.append(self.p(runs, "Tabelltext", "right" if numeric and not row["header"] else None))
                tcpr = f'<w:tcW w:w="{w}" w:type="dxa"/>'
                if cell["span"] > 1:
                    tcpr += f'<w:gridSpan w:val="{cell["span"]}"/>'
                if cell["vmerge"] == "restart":
                    tcpr += '<w:vMerge w:val="restart"/>'
                elif cell["vmerge"] == "continue-explicit":
                    tcpr += '<w:vMerge w:val="continue"/>'
                elif cell["vmerge"] == "continue":
                    tcpr += "<w:vMerge/>"  # as Word writes it: no w:val means continue
                if row["header"]:
                    tcpr += '<w:shd w:val="clear" w:color="auto" w:fill="D9E2F3"/>'
                tc = f"<w:tc><w:tcPr>{tcpr}</w:tcPr>{''.join(paras) or '<w:p/>'}</w:tc>"
                if cfg.get("cell_sdt") == (row["line"], col):
                    tc = f'<w:sdt>{self.sdt_pr("Utfall", "utfall-" + str(row["line"]))}<w:sdtContent>{tc}</w:sdtContent></w:sdt>'
                tcs.append(tc)
                col += 1
                grid += cell["span"]
            trpr = "<w:trPr><w:cantSplit/>" + ("<w:tblHeader/>" if row["header"] else "") + "</w:trPr>"
            tr = f"<w:tr>{trpr}{''.join(tcs)}</w:tr>"
            if cfg.get("row_sdt") == row["line"] and row["line"] is not None:
                tr = f'<w:sdt>{self.sdt_pr("Indikatorrad", "rad-" + str(row["line"]))}<w:sdtContent>{tr}</w:sdtContent></w:sdt>'
            trs.append(tr)
        for key in changes:
            assert any(w == key for w, _ in self.applied_changes), f"{self.seed.key}: change {key} not applied"
        tblpr = ('<w:tblPr><w:tblStyle w:val="Tabellrutnt"/><w:tblW w:w="0" w:type="auto"/>'
                 '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr>')
        grid_xml = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
        tbl = f"<w:tbl>{tblpr}<w:tblGrid>{grid_xml}</w:tblGrid>{''.join(trs)}</w:tbl>"
        if cfg.get("block_sdt"):
            alias = cfg["block_sdt"]
            tbl = f'<w:sdt>{self.sdt_pr(alias, "tabell-" + str(model[0]["line"]))}<w:sdtContent>{tbl}</w:sdtContent></w:sdt>'
        return tbl

    @staticmethod
    def widths(model: list[dict], ncols: int) -> list[int]:
        """Column widths from the text: the longest word, or up to 30 characters of the text."""
        lens = [5] * ncols
        for row in model:
            grid = 0
            for c in row["cells"]:
                if c["span"] == 1:
                    text = " ".join(plain_text(t) for t, _ in c["paras"])
                    longest = max((len(w) for w in text.split()), default=0)
                    lens[grid] = max(lens[grid], min(len(text), 30), longest)
                grid += c["span"]
        widths = [max(600, TEXT_WIDTH * v // sum(lens)) for v in lens]
        widest = widths.index(max(widths))
        widths[widest] += TEXT_WIDTH - sum(widths)
        return widths

    # -- footnotes ------------------------------------------------------------------------------
    def footnotes_xml(self, link_rid) -> str:
        seed = self.seed
        notes: dict[int, str] = {}
        for n, mark in seed.footnote_lines.items():
            fid, custom = seed.marks[mark]
            text = self.lines[n][len(mark):].strip()
            m_auto = re.fullmatch(r"<(https?://[^>]+)>", text)
            m_md = re.fullmatch(r"\[(.*)\]\((.*)\)", text)
            if m_auto:  # an autolink: a real hyperlink to the printed address
                runs = f'<w:hyperlink r:id="{link_rid(m_auto.group(1))}" w:history="1">{run_xml(m_auto.group(1), rstyle="Hyperlnk")}</w:hyperlink>'
            elif m_md:  # a link whose address the extraction lost ("#"): the link text, styled as a link, no target
                runs = f'<w:hyperlink w:history="1">{run_xml(m_md.group(1), rstyle="Hyperlnk")}</w:hyperlink>'
            else:
                runs = "".join(run_xml(t, b, i) for t, b, i in parse_inline(text))
            notes[fid] = self.footnote(fid, custom, runs)
        for mark, text in seed.missing_footnotes.items():
            fid, custom = seed.marks[mark]
            notes[fid] = self.footnote(fid, custom, run_xml(text))
        sep = ('<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
               '<w:r><w:separator/></w:r></w:p></w:footnote>'
               '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
               '<w:r><w:continuationSeparator/></w:r></w:p></w:footnote>')
        return f"<w:footnotes {NSDECL}>{sep}{''.join(notes[k] for k in sorted(notes))}</w:footnotes>"

    @staticmethod
    def footnote(fid: int, custom: str | None, runs: str) -> str:
        style = '<w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
        ref = f"<w:r>{style}<w:t>{escape(custom)}</w:t></w:r>" if custom else f"<w:r>{style}<w:footnoteRef/></w:r>"
        return (f'<w:footnote w:id="{fid}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>{ref}'
                f'<w:r><w:t xml:space="preserve"> </w:t></w:r>{runs}</w:p></w:footnote>')


RICH_STYLES = """
<w:style w:type="paragraph" w:styleId="Rubrik"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/>
  <w:uiPriority w:val="10"/><w:qFormat/><w:pPr><w:spacing w:after="300" w:line="240" w:lineRule="auto"/><w:contextualSpacing/></w:pPr>
  <w:rPr><w:rFonts w:asciiTheme="majorHAnsi" w:hAnsiTheme="majorHAnsi"/><w:kern w:val="28"/><w:sz w:val="48"/><w:szCs w:val="48"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Rubrik1"><w:name w:val="Rubrik 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/>
  <w:uiPriority w:val="9"/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="360" w:after="120"/><w:outlineLvl w:val="0"/></w:pPr>
  <w:rPr><w:rFonts w:asciiTheme="majorHAnsi" w:hAnsiTheme="majorHAnsi"/><w:b/><w:bCs/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Rubrik2"><w:name w:val="Rubrik 2"/><w:basedOn w:val="Rubrik1"/><w:next w:val="Normal"/>
  <w:uiPriority w:val="9"/><w:unhideWhenUsed/><w:qFormat/><w:pPr><w:spacing w:before="240" w:after="80"/><w:outlineLvl w:val="1"/></w:pPr>
  <w:rPr><w:sz w:val="26"/><w:szCs w:val="26"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Rubrik3"><w:name w:val="Rubrik 3"/><w:basedOn w:val="Rubrik1"/><w:next w:val="Normal"/>
  <w:uiPriority w:val="9"/><w:unhideWhenUsed/><w:qFormat/><w:pPr><w:spacing w:before="200" w:after="60"/><w:outlineLvl w:val="2"/></w:pPr>
  <w:rPr><w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="Minrubrik"><w:name w:val="Min rubrik"/><w:basedOn w:val="Rubrik2"/><w:next w:val="Normal"/>
  <w:qFormat/><w:rPr><w:color w:val="1F4E79"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Innehllsfrteckningsrubrik"><w:name w:val="TOC Heading"/><w:basedOn w:val="Rubrik1"/><w:next w:val="Normal"/>
  <w:uiPriority w:val="39"/><w:unhideWhenUsed/><w:qFormat/><w:pPr><w:outlineLvl w:val="9"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Innehll1"><w:name w:val="toc 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="39"/>
  <w:unhideWhenUsed/><w:pPr><w:tabs><w:tab w:val="right" w:leader="dot" w:pos="9060"/></w:tabs><w:spacing w:after="100"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Innehll2"><w:name w:val="toc 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="39"/>
  <w:unhideWhenUsed/><w:pPr><w:tabs><w:tab w:val="right" w:leader="dot" w:pos="9060"/></w:tabs><w:spacing w:after="100"/><w:ind w:left="220"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Innehll3"><w:name w:val="toc 3"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="39"/>
  <w:unhideWhenUsed/><w:pPr><w:tabs><w:tab w:val="right" w:leader="dot" w:pos="9060"/></w:tabs><w:spacing w:after="100"/><w:ind w:left="440"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Punktlista"><w:name w:val="List Bullet"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>
  <w:pPr><w:numPr><w:numId w:val="50"/></w:numPr><w:contextualSpacing/></w:pPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="Tabelltext"><w:name w:val="Tabelltext"/><w:basedOn w:val="Normal"/><w:qFormat/>
  <w:pPr><w:spacing w:before="20" w:after="20" w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="FootnoteText"><w:name w:val="footnote text"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/>
  <w:unhideWhenUsed/><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style>
<w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/><w:basedOn w:val="DefaultParagraphFont"/>
  <w:uiPriority w:val="99"/><w:unhideWhenUsed/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>
<w:style w:type="character" w:styleId="Hyperlnk"><w:name w:val="Hyperlink"/><w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="99"/>
  <w:unhideWhenUsed/><w:rPr><w:color w:val="0563C1"/><w:u w:val="single"/></w:rPr></w:style>
<w:style w:type="character" w:styleId="Platshllartext"><w:name w:val="Placeholder Text"/><w:basedOn w:val="DefaultParagraphFont"/>
  <w:uiPriority w:val="99"/><w:semiHidden/><w:rPr><w:color w:val="808080"/></w:rPr></w:style>
<w:style w:type="table" w:styleId="Tabellrutnt"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/>
  <w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:tblPr><w:tblBorders>
  <w:top w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:left w:val="single" w:sz="4" w:space="0" w:color="auto"/>
  <w:bottom w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:right w:val="single" w:sz="4" w:space="0" w:color="auto"/>
  <w:insideH w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="auto"/>
  </w:tblBorders></w:tblPr></w:style>
"""

BULLETS = """
<w:abstractNum {ns} w:abstractNumId="50"><w:nsid w:val="5A1C0F50"/><w:multiLevelType w:val="hybridMultilevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="\u2022"/><w:lvlJc w:val="left"/>
  <w:pPr><w:ind w:left="360" w:hanging="360"/></w:pPr><w:rPr><w:rFonts w:ascii="Symbol" w:hAnsi="Symbol" w:hint="default"/></w:rPr></w:lvl>
</w:abstractNum>
"""


RICH_STYLE_IDS = set(re.findall(r'w:styleId="([^"]+)"', RICH_STYLES))


def drop_english_twins(styles) -> list[str]:
    """Remove the template's styles that a Swedish Word document would not have beside ours: those with the
    same name as one of ours (Title, TOC Heading, toc 1-3, List Bullet, footnote text, Table Grid, …), the
    English heading styles Heading1-9 and their linked character styles, and whatever is based on them."""
    ours_names = {el.get(qn("w:val")).lower() for st in styles.findall(qn("w:style")) if st.get(qn("w:styleId")) in RICH_STYLE_IDS
                  for el in st.findall(qn("w:name"))}
    dropped: set[str] = set()
    changed = True
    while changed:
        changed = False
        for st in list(styles.findall(qn("w:style"))):
            sid = st.get(qn("w:styleId"))
            if sid in RICH_STYLE_IDS:
                continue
            name = st.find(qn("w:name")).get(qn("w:val")).lower()
            refs = {el.get(qn("w:val")) for el in st if el.tag in (qn("w:basedOn"), qn("w:link"), qn("w:next"))}
            if name in ours_names or re.fullmatch(r"(Heading\d|Title)(Char)?", sid) or refs & dropped:
                styles.remove(st)
                dropped.add(sid)
                changed = True
    return sorted(dropped)


def build_rich(seed: Seed, lines: list[str]) -> tuple[docx.document.Document, Rich]:
    doc = new_document(seed.title)
    # Swedish styles, language and number format
    styles = doc.styles.element
    for el in parse_xml(f"<w:styles {NSDECL}>{RICH_STYLES}</w:styles>"):
        styles.append(el)
    drop_english_twins(styles)
    lang = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    lang.set(qn("w:val"), "sv-SE")
    lang.set(qn("w:eastAsia"), "sv-SE")
    numbering = doc.part.numbering_part.element
    first_num = numbering.find(qn("w:num"))
    first_num.addprevious(parse_xml(BULLETS.format(ns=NSDECL)))
    numbering.append(parse_xml(f'<w:num {NSDECL} w:numId="50"><w:abstractNumId w:val="50"/></w:num>'))
    settings = doc.settings.element
    settings.find(qn("w:defaultTabStop")).addprevious(parse_xml(f"<w:trackRevisions {NSDECL}/>"))
    if seed.marks:  # the separator notes, as Word lists them; only where there is a footnotes part
        settings.find(qn("w:compat")).addprevious(
            parse_xml(f'<w:footnotePr {NSDECL}><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>'))
    settings.find(qn("w:decimalSymbol")).set(qn("w:val"), ",")
    settings.find(qn("w:listSeparator")).set(qn("w:val"), ";")
    settings.find(qn("w:themeFontLang")).set(qn("w:val"), "sv-SE")

    rich = Rich(seed, lines)
    body = doc.element.body
    sect = body.sectPr
    previous = None
    for block in blocks_of(seed, lines, rich=True):
        n = block.lines[0]
        if block.kind == "table" and previous == "table":
            sect.addprevious(parse_xml(f"<w:p {NSDECL}/>"))  # Word keeps two tables apart only with a paragraph between them
        previous = block.kind
        if block.kind == "title":
            xml = rich.title(n)
        elif block.kind == "heading":
            xml = rich.heading(n)
        elif block.kind == "toc":
            xml = rich.toc(block)
        elif block.kind == "table":
            xml = rich.table(block)
        else:
            xml = rich.para(block)
        sect.addprevious(parse_xml(_with_ns(xml)))
    if previous == "table":
        sect.addprevious(parse_xml(f"<w:p {NSDECL}/>"))  # a Word document ends with a paragraph
    for n in seed.changes:
        assert any(w == n for w, _ in rich.applied_changes), f"{seed.key}: paragraph change at line {n} not applied"
    expected_marks = sorted(seed.marks)
    assert sorted(set(rich.used_marks)) == expected_marks and len(rich.used_marks) == len(seed.marks), \
        f"{seed.key}: footnote marks used {rich.used_marks}, expected each of {expected_marks} once"

    if seed.marks:
        part = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES,
                       parse_xml(f"<w:footnotes {NSDECL}/>"), doc.part.package)
        doc.part.relate_to(part, RT.FOOTNOTES)
        xml = rich.footnotes_xml(lambda url: part.relate_to(url, RT.HYPERLINK, is_external=True))
        part._element = parse_xml(xml)
    return doc, rich


def _with_ns(xml: str) -> str:
    """Declare the namespaces on the first element of a fragment."""
    m = re.match(r"<([\w:]+)", xml)
    return xml[: m.end()] + " " + NSDECL + xml[m.end():]


# ---------------------------------------------------------------------------------------------------
# Writing (deterministic bytes) and verifying.


def docx_bytes(doc) -> bytes:
    raw = io.BytesIO()
    doc.save(raw)
    zin = zipfile.ZipFile(io.BytesIO(raw.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zout.writestr(zi, data)
    return out.getvalue()


def accepted_paragraphs(path: Path) -> list[tuple[str, str]]:
    """(part, text) of every paragraph in document.xml and footnotes.xml, in the accepted reading of tracked
    changes: w:t inside and outside w:ins, never w:delText or anything inside w:del / w:moveFrom; field
    instructions (w:instrText) are not text, and the text of a custom footnote mark is set apart by spaces."""
    z = zipfile.ZipFile(path)
    out = []
    for name in ("word/document.xml", "word/footnotes.xml"):
        if name not in z.namelist():
            continue
        root = etree.fromstring(z.read(name))
        for p in root.iter(qn("w:p")):
            buf = []
            for el in p.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:delText")):
                if any(a.tag in (qn("w:del"), qn("w:moveFrom")) for a in el.iterancestors()):
                    continue
                assert el.tag != qn("w:delText"), f"{path.name}: w:delText outside w:del"
                if el.tag == qn("w:t"):
                    rstyle = el.getparent().find(f"{qn('w:rPr')}/{qn('w:rStyle')}")
                    mark = rstyle is not None and rstyle.get(qn("w:val")) == "FootnoteReference"
                    buf.append(f" {el.text} " if mark else el.text or "")  # a custom footnote mark stands apart
                elif el.tag == qn("w:tab") and el.getparent().tag == qn("w:r"):
                    buf.append("\t")
                elif el.tag == qn("w:br"):
                    buf.append("\n")
            out.append((name, "".join(buf)))
    return out


def figures(text: str) -> Counter:
    tokens = Counter()
    for part in re.split(r"[\t\n]", text):
        for m in FIGURE.finditer(part):
            tokens[re.sub(r"\s+", " ", m.group(0).replace("\u00a0", " ")).strip()] += 1
    return tokens


WORD = re.compile(r"[^\W_]+")


def verify(seed: Seed, lines: list[str], plain: Path, rich: Path) -> list[str]:
    problems = []
    table_lines = [k for k in range(1, len(lines)) if "\t" in lines[k]]
    prose_lines = [k for k in range(1, len(lines)) if lines[k].strip() and "\t" not in lines[k]]
    seed_table_figs = sum((figures(plain_text(lines[k])) for k in table_lines), Counter())
    seed_prose_figs = sum((figures(plain_text(heading_text(lines[k]))) for k in prose_lines), Counter())
    for path in (plain, rich):
        d = docx.Document(str(path))  # (a) opens with python-docx
        if d.core_properties.title != seed.title:
            problems.append(f"{path.name}: core title {d.core_properties.title!r}")
        if d.core_properties.author:
            problems.append(f"{path.name}: core author {d.core_properties.author!r}")
        paras = accepted_paragraphs(path)
        doc_figs = sum((figures(t) for _, t in paras), Counter())
        for what, seed_figs in (("table", seed_table_figs), ("all", seed_table_figs + seed_prose_figs)):
            missing = seed_figs - doc_figs
            if missing:
                problems.append(f"{path.name}: figures of the seed's {what} lines missing: {dict(missing)}")
        seed_text = [plain_text(heading_text(lines[k])) for k in range(1, len(lines))]
        if path == rich:  # footnote marks are footnote references there, not text
            seed_text = [re.sub("|".join(re.escape(m) for m in seed.marks) or "$^", " ", t) for t in seed_text]
        seed_words = Counter(w for t in seed_text for w in WORD.findall(t))
        doc_words = Counter(w for _, t in paras for w in WORD.findall(t))
        lost = seed_words - doc_words
        if path == rich:
            lost -= seed.words_not_kept
            lost -= build_rich(seed, lines)[1].merged_away
            if seed.key == "004":  # the M:/K: labels of the split outcome cells; the sub-header prints K and M once
                lost -= Counter({"M": lost["M"], "K": lost["K"]})
        if lost:
            problems.append(f"{path.name}: words of the seed missing: {dict(lost)}")
    problems += verify_plain_text(seed, lines, plain)
    problems += verify_rich_structure(seed, rich)
    return problems


def verify_plain_text(seed: Seed, lines: list[str], plain: Path) -> list[str]:
    """The plain rendering holds every non-empty line in order, as text (markup removed)."""
    d = docx.Document(str(plain))
    got = []
    for el in d.element.body:
        if el.tag == qn("w:p"):
            text = docx.text.paragraph.Paragraph(el, d).text
            if text:  # (the empty paragraph between two adjacent tables)
                got.append(text)
        elif el.tag == qn("w:tbl"):
            t = docx.table.Table(el, d)
            for row in t.rows:
                got.append("\t".join(c.text for c in row.cells))
    want = []
    k = 1
    while k < len(lines):
        if not lines[k].strip():
            k += 1
            continue
        if "\t" in lines[k] and not seed.toc[0] <= k <= seed.toc[1]:
            run = []
            while k < len(lines) and "\t" in lines[k]:
                run.append(cells_of(plain_text(lines[k])))
                k += 1
            width = max(len(r) for r in run)
            want += ["\t".join(r + [""] * (width - len(r))) for r in run]
            continue
        want.append(plain_text(heading_text(lines[k])))
        k += 1
    if got != want:
        for i, (g, w) in enumerate(zip(got, want, strict=False)):
            if g != w:
                return [f"{plain.name}: block {i} is {g[:80]!r}, expected {w[:80]!r}"]
        return [f"{plain.name}: {len(got)} blocks, expected {len(want)}"]
    return []


def verify_rich_structure(seed: Seed, rich: Path) -> list[str]:
    z = zipfile.ZipFile(rich)
    doc = etree.fromstring(z.read("word/document.xml"))
    styles = etree.fromstring(z.read("word/styles.xml"))
    ns = {"w": W_NS}
    problems = []

    def check(cond: bool, what: str) -> None:
        if not cond:
            problems.append(f"{rich.name}: {what}")

    def style(sid):
        found = styles.xpath(f'w:style[@w:styleId="{sid}"]', namespaces=ns)
        return found[0] if found else None

    def outline(sid):
        v = style(sid).xpath("w:pPr/w:outlineLvl/@w:val", namespaces=ns)
        return v[0] if v else None

    def based(sid):
        v = style(sid).xpath("w:basedOn/@w:val", namespaces=ns)
        return v[0] if v else None

    check(outline("Rubrik1") == "0" and outline("Rubrik2") == "1" and outline("Rubrik3") == "2", "Rubrik1/2/3 outline levels")
    check(based("Rubrik2") == "Rubrik1" and based("Rubrik3") == "Rubrik1", "Rubrik2/3 basedOn Rubrik1")
    check(based("Minrubrik") == "Rubrik2" and outline("Minrubrik") is None, "Min rubrik basedOn Rubrik2 without outlineLvl")
    used = set(doc.xpath("//w:pStyle/@w:val", namespaces=ns))
    want = {"Rubrik", "Rubrik1", "Rubrik2", "Rubrik3", "Minrubrik", "Tabelltext"} | ({"Punktlista"} if seed.key != "004" else set())
    check(want <= used, f"styles used: {sorted(used)}")
    check(bool(doc.xpath("//w:tblHeader", namespaces=ns)), "a header row marked w:tblHeader")
    check(bool(doc.xpath('//w:sdt/w:sdtPr/w:docPartObj/w:docPartGallery[@w:val="Table of Contents"]', namespaces=ns)), "TOC content control")
    if seed.key in ("001", "004"):
        check(bool(doc.xpath("//w:body/w:sdt/w:sdtContent/w:tbl", namespaces=ns)), "block-level sdt around a table")
        check(bool(doc.xpath("//w:tbl/w:sdt/w:sdtContent/w:tr", namespaces=ns)), "row-level sdt")
        check(bool(doc.xpath("//w:tr/w:sdt/w:sdtContent/w:tc", namespaces=ns)), "cell-level sdt")
        check(bool(doc.xpath("//w:tc//w:del//w:delText", namespaces=ns)), "a tracked deletion in a table cell")
        check(bool(doc.xpath("//w:body/w:p//w:del//w:delText", namespaces=ns)), "a tracked deletion in a paragraph")
    check(bool(doc.xpath("//w:tc//w:ins//w:t", namespaces=ns)) and bool(doc.xpath("//w:body/w:p//w:ins//w:t", namespaces=ns)),
          "tracked insertions in a cell and in a paragraph")
    if seed.key == "004":
        check(bool(doc.xpath('//w:gridSpan[@w:val="3"]', namespaces=ns)), "gridSpan=3")
        check(bool(doc.xpath('//w:vMerge[@w:val="restart"]', namespaces=ns)) and bool(doc.xpath("//w:vMerge[not(@w:val)]", namespaces=ns)),
              "vMerge restart and continue")
    refs = doc.xpath("//w:footnoteReference/@w:id", namespaces=ns)
    check(len(refs) == len(seed.marks), f"{len(refs)} footnote references, expected {len(seed.marks)}")
    if seed.marks:
        fn = etree.fromstring(z.read("word/footnotes.xml"))
        ids = fn.xpath("w:footnote/@w:id", namespaces=ns)
        check(ids[:2] == ["-1", "0"] and sorted(refs) == sorted(ids[2:]), f"footnote ids {ids} for references {refs}")
        for fid, _ in seed.marks.values():
            check(bool(doc.xpath(f'//w:footnoteReference[@w:id="{fid}"]/../w:rPr/w:rStyle[@w:val="FootnoteReference"]', namespaces=ns)),
                  f"footnote {fid} reference styled FootnoteReference")
        for mark, text in seed.missing_footnotes.items():
            fid = seed.marks[mark][0]
            body = "".join(fn.xpath(f'w:footnote[@w:id="{fid}"]//w:t/text()', namespaces=ns))
            check(body.endswith(" " + text), f"footnote {fid} text {body!r}")
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS, help="directory of the seed texts (default ../shared/seeds)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory (default tests/fixtures/word)")
    ap.add_argument("--no-dataset-copy", action="store_true", help="do not copy 001-rich.docx into datasets/")
    ap.add_argument("--verify", action="store_true", help="verify the documents after writing them")
    ap.add_argument("--verify-only", action="store_true", help="verify the documents in --out without writing")
    args = ap.parse_args(argv)

    specs = seeds_spec(args.seeds)
    problems = []
    for key, seed in specs.items():
        lines = read_seed(args.seeds / seed.file)
        plain, rich = args.out / f"{key}-plain.docx", args.out / f"{key}-rich.docx"
        if not args.verify_only:
            args.out.mkdir(parents=True, exist_ok=True)
            plain.write_bytes(docx_bytes(build_plain(seed, lines)))
            data = docx_bytes(build_rich(seed, lines)[0])
            rich.write_bytes(data)
            if key == "001" and not args.no_dataset_copy:
                DATASET_COPY.parent.mkdir(parents=True, exist_ok=True)
                DATASET_COPY.write_bytes(data)
            print(f"wrote {plain} and {rich}")
        if args.verify or args.verify_only:
            found = verify(seed, lines, plain, rich)
            problems += found
            print(f"{key}: {'ok' if not found else f'{len(found)} problem(s)'}")
    for p in problems:
        print("PROBLEM", p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
