#!/usr/bin/env python3
"""PDF renderings of the Word fixtures, as test fixtures for plankoll's PDF reader.

For each of tests/fixtures/word/{001,004}-{plain,rich}.docx this writes, to tests/fixtures/pdf/,
``S-K-tagged.pdf`` and ``S-K-untagged.pdf``: the document exported by LibreOffice Writer
(``soffice --headless --convert-to pdf``), once with accessibility tags (a structure tree with
Table/TR/TH/TD) and once without. Before the export the Word document is made what a published
plan is:

- tracked changes are accepted (LibreOffice would print the deletions struck through);
- the rich renderings get a page header (organisation and document) and a footer "Sida N av M",
  as published plans have; the plain renderings have neither.

It also writes:
- ``001-rich-borderless-untagged.pdf``: 001-rich with every table border and shading removed
  (borderless tables, read from word positions);
- ``scanned.pdf``: one page that is only an image of text (a scan without a text layer);
- ``encrypted.pdf``: a one-page PDF encrypted with a user password (RC4, 40 bits, written here
  byte by byte, since no PDF library in the venv encrypts).

    python tools/make_pdf_fixtures.py [--words DIR] [--out DIR] [--soffice PATH]
    python tools/make_pdf_fixtures.py --long PAGES --long-out FILE   # a long plan, for measuring speed

LibreOffice runs with a profile of its own in a temporary directory, so that it works headless
and as root. The tests read the PDFs written here and do not need LibreOffice.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import io
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from lxml import etree

REPO = Path(__file__).resolve().parents[1]
WORDS = REPO / "tests" / "fixtures" / "word"
OUT = REPO / "tests" / "fixtures" / "pdf"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TAGGED = 'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}'
UNTAGGED = 'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"false"}}'
HEADERS = {
    "001": "Region Västernorrland · Regionstyrelsen · Verksamhetsplan 2023",
    "004": "Region Norrbotten · Division Länssjukvård 1 · Delårsrapport 2022-04",
}
_CHANGE_MARKS = ("rPrChange", "pPrChange", "tblPrChange", "trPrChange", "tcPrChange", "sectPrChange", "numberingChange")


# --- the Word document as published ----------------------------------------------------------------------

def accept_revisions(root: etree._Element) -> None:
    """Tracked changes accepted: deletions gone (a deleted row with its row), insertions kept."""
    for element in list(root.iter(qn("w:del"), qn("w:moveFrom"))):
        parent = element.getparent()
        if parent is None:
            continue
        if parent.tag == qn("w:trPr"):
            row = parent.getparent()
            row.getparent().remove(row)
        else:
            parent.remove(element)
    for element in list(root.iter(qn("w:ins"), qn("w:moveTo"))):
        parent = element.getparent()
        if parent.tag == qn("w:rPr") or parent.tag == qn("w:trPr"):
            parent.remove(element)
            continue
        index = parent.index(element)
        for child in reversed(list(element)):
            parent.insert(index, child)
        parent.remove(element)
    for name in _CHANGE_MARKS:
        for element in list(root.iter(qn(f"w:{name}"))):
            element.getparent().remove(element)


def add_running_lines(document: docx.document.Document, header: str) -> None:
    """A page header and a footer "Sida N av M" on every page."""
    for section in document.sections:
        section.header.is_linked_to_previous = False
        section.header.paragraphs[0].text = header
        footer = section.footer.paragraphs[0]
        footer.text = ""
        footer._p.append(parse_xml(
            f'<w:r xmlns:w="{W_NS}"><w:t xml:space="preserve">Sida </w:t></w:r>'))
        footer._p.append(parse_xml(
            f'<w:fldSimple xmlns:w="{W_NS}" w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
        footer._p.append(parse_xml(
            f'<w:r xmlns:w="{W_NS}"><w:t xml:space="preserve"> av </w:t></w:r>'))
        footer._p.append(parse_xml(
            f'<w:fldSimple xmlns:w="{W_NS}" w:instr=" NUMPAGES "><w:r><w:t>1</w:t></w:r></w:fldSimple>'))


def remove_borders(root: etree._Element) -> None:
    """Every table without borders and shading (its style's borders overridden by nil ones)."""
    for element in list(root.iter(qn("w:tcBorders"), qn("w:shd"), qn("w:tblBorders"))):
        element.getparent().remove(element)
    sides = "".join(f'<w:{side} w:val="nil"/>' for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    for tbl_pr in root.iter(qn("w:tblPr")):
        tbl_pr.append(parse_xml(f'<w:tblBorders xmlns:w="{W_NS}">{sides}</w:tblBorders>'))


def published(source: Path, header: str | None, borderless: bool = False) -> bytes:
    document = docx.Document(str(source))
    accept_revisions(document.element)
    settings = document.settings.element
    for element in list(settings.iter(qn("w:trackRevisions"))):
        settings.remove(element)
    if borderless:
        remove_borders(document.element)
    if header is not None:
        add_running_lines(document, header)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- LibreOffice --------------------------------------------------------------------------------------------

def convert(soffice: str, docx_path: Path, out_dir: Path, tagged: bool) -> Path:
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        command = [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
                   TAGGED if tagged else UNTAGGED, "--outdir", str(out_dir), str(docx_path)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)  # noqa: S603 (our arguments)
    made = out_dir / (docx_path.stem + ".pdf")
    if done.returncode != 0 or not made.is_file():
        raise SystemExit(f"soffice failed on {docx_path.name}: {done.stderr.strip() or done.stdout.strip()}")
    return made


def render(soffice: str, name: str, content: bytes, out: Path, variants: tuple[bool, ...] = (True, False)) -> None:
    with tempfile.TemporaryDirectory(prefix="plankoll-pdf-") as tmp:
        work = Path(tmp)
        source = work / f"{name}.docx"
        source.write_bytes(content)
        for tagged in variants:
            made = convert(soffice, source, work, tagged)
            target = out / f"{name}-{'tagged' if tagged else 'untagged'}.pdf"
            shutil.move(made, target)
            print(f"wrote {target.relative_to(REPO) if target.is_relative_to(REPO) else target}")


# --- a scan and an encrypted file ------------------------------------------------------------------------

def scanned(path: Path) -> None:
    """One A4 page that is an image of text and nothing else."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (1240, 1754), 255)  # A4 at 150 dpi
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=36)
    lines = ["Verksamhetsplan 2020", "", "Indikator            Utfall 2019     Mål 2020",
             "Andel nöjda patienter      82 %          85 %"]
    for n, line in enumerate(lines):
        draw.text((120, 160 + 60 * n), line, fill=0, font=font)
    image.save(path, "PDF", resolution=150.0)
    print(f"wrote {path.relative_to(REPO) if path.is_relative_to(REPO) else path}")


_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def encrypted(path: Path, user: bytes = b"hemligt", owner: bytes = b"agare") -> None:
    """A one-page PDF under the standard security handler, revision 2 (PDF 1.7, 7.6.3, algorithms 1–4)."""
    file_id = hashlib.md5(b"plankoll encrypted fixture").digest()  # noqa: S324 (the PDF format's own hash)
    permissions = -44
    owner_key = hashlib.md5((owner + _PAD)[:32]).digest()[:5]  # noqa: S324
    o_value = _rc4(owner_key, (user + _PAD)[:32])
    key = hashlib.md5((user + _PAD)[:32] + o_value + struct.pack("<i", permissions) + file_id).digest()[:5]  # noqa: S324
    u_value = _rc4(key, _PAD)
    content = b"BT /F1 24 Tf 72 700 Td (Hemlig verksamhetsplan 2023) Tj ET"
    object_key = hashlib.md5(key + (4).to_bytes(3, "little") + (0).to_bytes(2, "little")).digest()[:10]  # noqa: S324
    stream = _rc4(object_key, content)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>" % (o_value.hex().encode(), u_value.hex().encode(), permissions),
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 6 0 R /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, file_id.hex().encode(), file_id.hex().encode(), xref)
    path.write_bytes(bytes(out))
    print(f"wrote {path.relative_to(REPO) if path.is_relative_to(REPO) else path}")


# --- a long plan, for measuring speed and memory (not a fixture) --------------------------------------------------

def long_plan(words: Path, pages: int) -> bytes:
    """The bodies of 001-rich and 004-rich, repeated until the document runs to about `pages` pages."""
    document = docx.Document(str(words / "001-rich.docx"))
    accept_revisions(document.element)
    body = document.element.body
    other = docx.Document(str(words / "004-rich.docx"))
    accept_revisions(other.element)
    parts = [list(body)[:-1], list(other.element.body)[:-1]]  # (the last child is the section properties)
    sect = body[-1]
    for n in range(max(1, round(pages / 15.5))):  # 001 runs to 17 pages, 004 to 14
        for element in parts[n % 2]:
            sect.addprevious(copy.deepcopy(element))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=Path, default=WORDS)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--soffice", default=shutil.which("soffice") or "/usr/bin/soffice")
    parser.add_argument("--long", type=int, help="write a long tagged plan of about this many pages instead")
    parser.add_argument("--long-out", type=Path, default=Path(tempfile.gettempdir()) / "plankoll-long")
    args = parser.parse_args(argv)
    if args.long:
        args.long_out.mkdir(parents=True, exist_ok=True)
        render(args.soffice, "long", long_plan(args.words, args.long), args.long_out, variants=(True, False))
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    for seed in ("001", "004"):
        for kind in ("plain", "rich"):
            header = HEADERS[seed] if kind == "rich" else None
            render(args.soffice, f"{seed}-{kind}", published(args.words / f"{seed}-{kind}.docx", header), args.out)
    render(args.soffice, "001-rich-borderless", published(args.words / "001-rich.docx", HEADERS["001"], borderless=True),
           args.out, variants=(False,))
    scanned(args.out / "scanned.pdf")
    encrypted(args.out / "encrypted.pdf")
    return 0


if __name__ == "__main__":
    sys.exit(main())
