"""PDF and Excel import benchmark: seconds per PDF page and peak memory on a long plan, and the time
to read a workbook of 100,000 cells.

    python -m benchmarks.import_formats [--pages 300] [--cells 100000] [--repeat 3] [--output results.json]

The long PDF is the Word fixtures 001-rich and 004-rich repeated to about --pages pages and exported
with LibreOffice (tagged and untagged; `soffice` must be installed for this benchmark, never for the
tests). The workbook is --cells numbers in `# ##0` format, written with openpyxl. Each read runs in a
fresh process outside the checkout (benchmarks.run.measure: wall time, CPU time and the peak memory
of the process), best of --repeat.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.run import measure

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
READ = "import sys; from pathlib import Path; from plankoll import readers; readers.read(Path(sys.argv[1]))"


def long_pdfs(directory: Path, pages: int) -> dict[str, Path]:
    """A long tagged and untagged PDF (LibreOffice export of the repeated Word fixtures)."""
    sys.path.insert(0, str(REPO / "tools"))
    import make_pdf_fixtures

    docx = directory / "long.docx"
    docx.write_bytes(make_pdf_fixtures.long_plan(REPO / "tests/fixtures/word", pages))
    out = {}
    for tagged in (True, False):
        target = directory / ("tagged" if tagged else "untagged")
        target.mkdir(exist_ok=True)
        out["tagged" if tagged else "untagged"] = make_pdf_fixtures.convert(shutil.which("soffice") or "soffice", docx, target, tagged)
    return out


def workbook(path: Path, cells: int) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Budget"
    columns = 20
    sheet.append(["Verksamhet", *(f"Ram {2000 + c}" for c in range(columns - 1))])
    for r in range(cells // columns):
        sheet.append([f"Enhet {r}", *(1000 + r * c for c in range(1, columns))])
    for row in sheet.iter_rows(min_row=2, min_col=2):
        for cell in row:
            cell.number_format = "# ##0"
    book.save(path)
    return path


def best(cmd: list[str], repeat: int) -> dict[str, Any]:
    runs = [measure(cmd) for _ in range(repeat)]
    return min(runs, key=lambda r: r["wall_s"])


def pages_of(pdf: Path) -> int:
    import pypdfium2

    return len(pypdfium2.PdfDocument(str(pdf)))


def run(directory: Path, pages: int, cells: int, repeat: int) -> dict[str, Any]:
    report: dict[str, Any] = {"date": dt.date.today().isoformat(), "python": platform.python_version(), "cpus": os.cpu_count(),
                              "load": os.getloadavg()[0], "pdf": {}, "xlsx": {}}
    if shutil.which("soffice"):
        for name, pdf in long_pdfs(directory, pages).items():
            n = pages_of(pdf)
            got = best([sys.executable, "-c", READ, str(pdf)], repeat)
            report["pdf"][name] = {"pages": n, **got, "s_per_page": got["wall_s"] / n, "cpu_s_per_page": got.get("cpu_s", 0) / n}
    else:
        report["pdf"] = {"skipped": "soffice (libreoffice-writer-nogui) is not installed"}
    book = workbook(directory / "big.xlsx", cells)
    report["xlsx"] = {"cells": cells, **best([sys.executable, "-c", READ, str(book)], repeat)}
    return report


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--cells", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--output", type=Path)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        report = run(Path(tmp), args.pages, args.cells, args.repeat)
    text = json.dumps(report, indent=1)
    (args.output or HERE / f"results-formats-{report['date']}.json").write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
