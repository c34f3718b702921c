"""The document importers in the performance benchmark: cold `plankoll check` of one long Word plan,
PDF and workbook, a cold check of many mixed documents with --jobs, and from it an estimate of how
long a national collection of plans would take on this machine.

    python -m benchmarks.documents [--work DIR] [--mixed 1000] [--jobs 2] [--repeat 3] [--output FILE]

What is measured (every command in a fresh process outside the checkout, by `benchmarks.run.measure`:
wall time, CPU time including worker processes, peak memory as the summed resident sets of the
command and its workers):

1. One document of each format, `plankoll check DOC --no-cache -o /dev/null`, best of --repeat by
   wall time, then once more with `--format json -o FILE` to count findings and notices:
   - Word: the 100-page plan that `benchmarks/import_docx.py` writes (python-docx, seed 1);
   - PDF: the Word fixtures 001-rich and 004-rich repeated to about 100 pages and exported by
     LibreOffice (`benchmarks/import_formats.py` `long_pdfs`), tagged and untagged;
   - workbook: the workbook rendering of the 100-page Word plan (`tools/make_xlsx_fixtures.py`
     `from_word`: a sheet per top-level heading, tables as blocks of cells), and the committed
     fixture `tests/fixtures/xlsx/001-rich.xlsx`.
2. `plankoll check DIR --no-cache --jobs J --format json -o FILE` on a directory of --mixed documents,
   one per organisation (`org-NNNN/plan-v1.EXT`), in the ratio Word : PDF : workbook = 2 : 2 : 1,
   copied from the committed fixtures (`tests/fixtures/word/*.docx`, `tests/fixtures/pdf/*-tagged.pdf`
   and `*-untagged.pdf`, `tests/fixtures/xlsx/*-rich.xlsx`) and the long documents of 1., cycling
   through each format's sources. Each copy has a sidecar `plan-v1.EXT.meta.yaml` giving it its own
   plan id and organisation (`Organisation NNNN`), so that the copies are unrelated plans, as a
   collection of different organisations' plans is: plankoll checks versions that share an
   organisation and indicator ids together, and copies of one document under one organisation would
   all be one such group. The run must read every document: exit 0 or 1, one plan per document in
   the JSON result and no input errors.
3. From the pages per second of 2., the time to check 10,000 documents of 50 pages (500,000 pages)
   on this machine with the same --jobs.

How pages are counted: a PDF has its real page count (pypdfium2). A Word document has the page count
of its LibreOffice export to PDF (done once and kept with the documents); without LibreOffice, its
words (table cells included) / 350, as `benchmarks/import_docx.py` estimates. A workbook counts as
the pages of the Word document it renders (the fixtures `NNN-rich.xlsx` render `NNN-rich.docx`, the
long one renders the 100-page Word plan): the same content, while a workbook's own print-out depends
on column widths and print areas (LibreOffice prints 001-rich.xlsx on 47 pages where the document
has 17). The result also gives the total with every workbook counted as one page.

Built documents are kept under WORK/documents/ and rebuilt only when missing (or when the scripts
that make them change), so a second run needs no LibreOffice time. Without `soffice` the long PDFs
are skipped, with a note in the result, and Word pages are estimated.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from benchmarks.run import measure

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
FIXTURES = REPO / "tests" / "fixtures"
WORDS_PER_PAGE = 350  # as benchmarks/import_docx.py estimates pages without a word processor
LONG_PAGES = 100
NATIONAL_DOCUMENTS = 10_000
NATIONAL_PAGES_PER_DOCUMENT = 50
MIX = ("docx", "pdf", "docx", "pdf", "xlsx")  # Word : PDF : workbook = 40 % : 40 % : 20 %
SOFFICE_MISSING = "soffice (Debian's libreoffice-writer-nogui) is not installed"
# what the built documents come from: a change to any of these rebuilds them
MAKERS = (HERE / "import_docx.py", HERE / "import_formats.py", REPO / "tools" / "make_pdf_fixtures.py",
          REPO / "tools" / "make_xlsx_fixtures.py")


@dataclass
class Source:
    """A document that the benchmark checks, or copies into the mixed set."""

    name: str
    kind: str  # docx, pdf, xlsx
    path: Path
    pages: int
    pages_how: str

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "path": str(self.path), "bytes": self.path.stat().st_size}


# --- the documents ------------------------------------------------------------------------------------

def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def pdf_pages(pdf: Path) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    try:
        return len(document)
    finally:
        document.close()


def _soffice_pdfs(docs: list[Path], soffice: str) -> dict[Path, int]:
    """Export documents to PDF with LibreOffice in one run (a profile of its own); their page counts."""
    with tempfile.TemporaryDirectory(prefix="plankoll-pages-") as tmp:
        work = Path(tmp)
        names = {}
        for i, doc in enumerate(docs):  # numbered copies: two sources may share a file name
            copy = work / f"d{i}{doc.suffix}"
            shutil.copyfile(doc, copy)
            names[doc] = copy
        command = [soffice, f"-env:UserInstallation=file://{work / 'profile'}", "--headless", "--convert-to", "pdf",
                   "--outdir", str(work / "out"), *map(str, names.values())]
        done = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
        out = {}
        for doc, copy in names.items():
            pdf = work / "out" / (copy.stem + ".pdf")
            if not pdf.is_file():
                raise RuntimeError(f"soffice did not export {doc} to PDF (exit {done.returncode}): {done.stderr.strip() or done.stdout.strip()}")
            out[doc] = pdf_pages(pdf)
        return out


def _words_pages(docx: Path) -> int:
    from benchmarks.import_docx import _count_words

    return max(1, round(_count_words(docx) / WORDS_PER_PAGE))


def build_documents(work: Path) -> dict[str, Any]:
    """The long documents and the page counts of every source, built once under WORK/documents/.

    Returns {"long": {name: Source}, "fixtures": {kind: [Source]}, "built": what was built and how
    long it took, "notes": what was skipped and why}."""
    directory = work / "documents"
    directory.mkdir(parents=True, exist_ok=True)
    manifest_file = directory / "manifest.json"
    stamp = hashlib.sha256(b"".join(p.read_bytes() for p in MAKERS) + str(LONG_PAGES).encode()).hexdigest()
    manifest: dict[str, Any] = {}
    if manifest_file.is_file():
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    if manifest.get("stamp") != stamp:
        manifest = {"stamp": stamp, "built": {}, "pages": {}}
    soffice = shutil.which("soffice")
    notes: list[str] = []
    built: dict[str, Any] = manifest["built"]

    # the 100-page Word plan, and its workbook rendering
    word = directory / "plan-100.docx"
    if not word.is_file() or "docx" not in built:
        from benchmarks.import_docx import generate

        started = time.perf_counter()
        built["docx"] = {**generate(word, LONG_PAGES, seed=1), "build_s": round(time.perf_counter() - started, 2)}
    book = directory / "plan-100.xlsx"
    if not book.is_file() or "xlsx" not in built:
        started = time.perf_counter()
        sys.path.insert(0, str(REPO / "tools"))
        import make_xlsx_fixtures

        from plankoll import readers

        workbook = make_xlsx_fixtures.from_word(readers.read(word))
        make_xlsx_fixtures.save(workbook, book)
        built["xlsx"] = {"sheets": len(workbook.sheetnames), "build_s": round(time.perf_counter() - started, 2)}

    # the long PDFs (LibreOffice)
    long_dir = directory / "long"
    pdfs = {"tagged": long_dir / "tagged" / "long.pdf", "untagged": long_dir / "untagged" / "long.pdf"}
    if all(p.is_file() for p in pdfs.values()) and "pdf" in built:
        pass  # built by an earlier run
    elif soffice:
        from benchmarks.import_formats import long_pdfs

        long_dir.mkdir(exist_ok=True)
        started = time.perf_counter()
        pdfs = long_pdfs(long_dir, LONG_PAGES)
        built["pdf"] = {"build_s": round(time.perf_counter() - started, 2)}
    else:
        notes.append(f"the long PDFs are skipped: {SOFFICE_MISSING}")
        pdfs = {}
    if not soffice:
        notes.append(f"Word pages are estimated as words / {WORDS_PER_PAGE}: {SOFFICE_MISSING}")

    # page counts, by content (kept in the manifest)
    fixtures: dict[str, list[Path]] = {
        "docx": sorted((FIXTURES / "word").glob("*.docx")),
        "pdf": sorted(p for p in (FIXTURES / "pdf").glob("*.pdf") if p.stem.endswith(("-tagged", "-untagged"))),
        "xlsx": sorted((FIXTURES / "xlsx").glob("*-rich.xlsx")),
    }
    words = [word, *fixtures["docx"]]
    key = "soffice" if soffice else "words"
    todo = [d for d in words if f"{key}:{_sha(d)}" not in manifest["pages"]]
    if todo:
        started = time.perf_counter()
        counted = _soffice_pdfs(todo, soffice) if soffice else {d: _words_pages(d) for d in todo}
        for d, n in counted.items():
            manifest["pages"][f"{key}:{_sha(d)}"] = n
        built[f"pages_{key}_s"] = round(time.perf_counter() - started, 2)
    how_word = "LibreOffice's PDF export of it" if soffice else f"words / {WORDS_PER_PAGE}"

    def word_pages(d: Path) -> int:
        return int(manifest["pages"][f"{key}:{_sha(d)}"])

    long: dict[str, Source] = {"docx": Source("plan-100.docx", "docx", word, word_pages(word), how_word)}
    for variant, pdf in pdfs.items():
        long[f"pdf-{variant}"] = Source(f"long-{variant}.pdf", "pdf", pdf, pdf_pages(pdf), "real pages")
    long["xlsx"] = Source("plan-100.xlsx", "xlsx", book, word_pages(word), f"the Word plan it renders ({how_word})")
    fixture_sources: dict[str, list[Source]] = {
        "docx": [Source(d.name, "docx", d, word_pages(d), how_word) for d in fixtures["docx"]],
        "pdf": [Source(p.name, "pdf", p, pdf_pages(p), "real pages") for p in fixtures["pdf"]],
        "xlsx": [Source(x.name, "xlsx", x, word_pages(FIXTURES / "word" / f"{x.stem}.docx"), f"the Word fixture it renders ({how_word})")
                 for x in fixtures["xlsx"]],
    }
    manifest_file.write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return {"long": long, "fixtures": fixture_sources, "built": built, "notes": notes, "soffice": soffice}


# --- one document, cold --------------------------------------------------------------------------------

def check_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "plankoll", "check", *args]


def measure_check(cmd: list[str], stderr_file: Path, outputs: tuple[Path, ...] = ()) -> dict[str, Any]:
    """`measure(cmd)`, with plankoll's stderr kept in `stderr_file` (`sh -c 'exec …'`: the same process).

    Exit 0 (no violation) or 1 (violations) is a measurement; anything else, or an output file that
    the run did not write (Python's exit code of an uncaught exception is 1 too), stops the benchmark
    with the stderr."""
    for output in outputs:
        output.unlink(missing_ok=True)
    run = measure([shutil.which("sh") or "/bin/sh", "-c", 'exec "$@" 2>"$0"', str(stderr_file), *cmd])
    stderr = stderr_file.read_text(encoding="utf-8", errors="replace").strip() if stderr_file.is_file() else ""
    missing = [str(o) for o in outputs if not o.is_file()]
    if run["exit"] not in (0, 1) or missing:
        what = f"exited {run['exit']}" + (f" without writing {', '.join(missing)}" if missing else "")
        said = [_errors_of(o) for o in outputs if o.is_file()]
        if os.devnull in cmd:  # what it printed: run it again with the output on stdout
            i = cmd.index(os.devnull)
            again = subprocess.run([*cmd[:i - 1], *cmd[i + 1:]], capture_output=True, text=True, check=False, cwd=tempfile.gettempdir())
            said.append(again.stdout[-4000:])
        raise RuntimeError(f"{' '.join(cmd[1:])} {what}:\n{stderr[-4000:] or '(no stderr)'}\n" + "\n".join(said))
    if stderr:
        run["stderr"] = stderr[-2000:]
    return run


def _errors_of(output: Path) -> str:
    """The input errors of a JSON result, else the end of the file."""
    text = output.read_text(encoding="utf-8", errors="replace")
    try:
        return "input errors: " + json.dumps(json.loads(text).get("errors", [])[:10], ensure_ascii=False)
    except (ValueError, AttributeError):
        return text[-4000:]


def check_one(source: Source, out: Path, repeat: int) -> dict[str, Any]:
    """Cold `plankoll check DOC --no-cache -o /dev/null`, best of `repeat` by wall time, then one
    more cold run with `--format json -o FILE` for the findings."""
    cmd = check_command(str(source.path), "--no-cache", "-o", os.devnull)
    err = out / f"{source.name}.stderr"
    runs = [measure_check(cmd, err) for _ in range(repeat)]
    best = min(runs, key=lambda r: r["wall_s"])
    result_file = out / f"{source.name}.json"
    json_cmd = check_command(str(source.path), "--no-cache", "--format", "json", "-o", str(result_file))
    json_run = measure_check(json_cmd, err, (result_file,))
    result = json.loads(result_file.read_text(encoding="utf-8"))
    if result["errors"] or len(result["plans"]) != 1:
        raise RuntimeError(f"{source.path}: expected one plan and no input errors, got {len(result['plans'])} plans and {result['errors']}")
    plan = result["plans"][0]
    return {**source.as_dict(), **best, "all_wall_s": [round(r["wall_s"], 3) for r in runs], "s_per_page": best["wall_s"] / source.pages,
            "findings": result["summary"]["violations"], "notices": len(plan.get("notices") or []),
            "json_run": {k: json_run[k] for k in ("wall_s", "cpu_s", "peak_mib", "exit")},
            "stderr": next((r["stderr"] for r in (*runs, json_run) if "stderr" in r), "")}


# --- many documents, with --jobs -----------------------------------------------------------------------

def mixed_sources(docs: dict[str, Any]) -> dict[str, list[Source]]:
    """Each format's sources for the mixed set: the fixtures, then the long documents."""
    long = docs["long"]
    return {"docx": [*docs["fixtures"]["docx"], long["docx"]],
            "pdf": [*docs["fixtures"]["pdf"], *(long[k] for k in ("pdf-tagged", "pdf-untagged") if k in long)],
            "xlsx": [*docs["fixtures"]["xlsx"], long["xlsx"]]}


def make_mixed(directory: Path, sources: dict[str, list[Source]], n: int) -> list[tuple[Path, Source]]:
    """`n` documents, org-NNNN/plan-v1.EXT, the formats in the order of MIX, each format cycling
    through its sources; each with a sidecar that gives it its own plan id and organisation.
    Kept when the same set is already there."""
    taken = dict.fromkeys(sources, 0)
    chosen: list[tuple[Path, Source]] = []
    for i in range(n):
        kind = MIX[i % len(MIX)]
        source = sources[kind][taken[kind] % len(sources[kind])]
        taken[kind] += 1
        chosen.append((directory / f"org-{i + 1:04d}" / f"plan-v1.{kind}", source))
    stamp = hashlib.sha256(json.dumps([(str(p), s.name, _sha(s.path)) for p, s in chosen]).encode()).hexdigest()
    marker = directory / "mixed.txt"
    if marker.is_file() and marker.read_text() == stamp:
        return chosen
    shutil.rmtree(directory, ignore_errors=True)
    for i, (path, source) in enumerate(chosen, 1):
        path.parent.mkdir(parents=True)
        shutil.copyfile(source.path, path)  # a copy, not a link: a file reached twice is read once
        path.with_name(path.name + ".meta.yaml").write_text(f"id: org-{i:04d}-plan-v1\norganisation: Organisation {i:04d}\n", encoding="utf-8")
    marker.write_text(stamp)
    return chosen


def check_mixed(work: Path, docs: dict[str, Any], n: int, jobs: int) -> dict[str, Any]:
    """One cold check of `n` mixed documents with --jobs; every document must have been read."""
    directory = work / f"mixed-{n}"
    started = time.perf_counter()
    chosen = make_mixed(directory, mixed_sources(docs), n)
    prepare_s = time.perf_counter() - started
    result_file, timings_file = work / f"mixed-{n}.json", work / f"mixed-{n}-timings.json"
    cmd = check_command(str(directory), "--no-cache", "--jobs", str(jobs), "--format", "json", "-o", str(result_file),
                        "--timings", str(timings_file))
    run = measure_check(cmd, work / f"mixed-{n}.stderr", (result_file, timings_file))
    result = json.loads(result_file.read_text(encoding="utf-8"))
    timings = json.loads(timings_file.read_text(encoding="utf-8"))
    source_of = {str(path): source for path, source in chosen}
    read = {p["file"] for p in result["plans"]}
    unread = sorted(set(source_of) - read)
    if result["errors"] or unread or len(result["plans"]) != n:
        raise RuntimeError(f"{n} documents, {len(result['plans'])} plans read; errors: {result['errors'][:5]}; not read: {unread[:5]}")
    # every copy of a source should find what the others find
    per_source: dict[str, dict[str, Any]] = {}
    for plan in result["plans"]:
        s = source_of[plan["file"]]
        entry = per_source.setdefault(s.name, {"kind": s.kind, "pages": s.pages, "copies": 0, "findings": set(), "notices": set()})
        entry["copies"] += 1
        entry["findings"].add(plan["counts"]["violations"])
        entry["notices"].add(len(plan.get("notices") or []))
    for entry in per_source.values():
        entry["findings"], entry["notices"] = sorted(entry["findings"]), sorted(entry["notices"])
    pages = sum(s.pages for _, s in chosen)
    pages_one_per_book = sum(1 if s.kind == "xlsx" else s.pages for _, s in chosen)
    kinds = {k: sum(1 for _, s in chosen if s.kind == k) for k in ("docx", "pdf", "xlsx")}
    return {
        "documents": n, "jobs": jobs, "by_format": kinds,
        "pages": pages, "pages_by_format": {k: sum(s.pages for _, s in chosen if s.kind == k) for k in kinds},
        "pages_workbooks_as_1": pages_one_per_book, "bytes": sum(s.path.stat().st_size for _, s in chosen),
        **run, "docs_per_s": n / run["wall_s"], "pages_per_s": pages / run["wall_s"],
        "pages_per_s_workbooks_as_1": pages_one_per_book / run["wall_s"], "cpu_s_per_page": run["cpu_s"] / pages,
        "findings": result["summary"]["violations"], "notices": sum(len(p.get("notices") or []) for p in result["plans"]),
        "plans_read": len(result["plans"]), "input_errors": len(result["errors"]),
        "timings": timings, "per_source": per_source, "prepare_s": prepare_s, "directory": str(directory),
        "consistent": all(len(e["findings"]) == 1 for e in per_source.values()),
    }


# --- the national collection ----------------------------------------------------------------------------

def national(mixed: dict[str, Any], single: dict[str, Any]) -> dict[str, Any]:
    """10,000 documents of 50 pages at the mixed set's pages per second (same machine, same --jobs).

    Cross-checks: the same at the mixed set's documents per second (for documents of the mixed set's
    average length); at the mixed set's CPU time per page spread over min(--jobs, CPUs) processes
    (what the machine would do with nothing else running: wall time suffers from other work, CPU
    time much less); and a collection of PDFs only, at the CPU time per page of the cold checks of
    the long PDFs (start-up included, so an upper bound) over the same processes."""
    pages = NATIONAL_DOCUMENTS * NATIONAL_PAGES_PER_DOCUMENT
    seconds = pages / mixed["pages_per_s"]
    by_documents = NATIONAL_DOCUMENTS / mixed["docs_per_s"]
    workers = max(1, min(mixed["jobs"], os.cpu_count() or 1))
    out: dict[str, Any] = {
        "documents": NATIONAL_DOCUMENTS, "pages_per_document": NATIONAL_PAGES_PER_DOCUMENT, "pages": pages,
        "pages_per_s": mixed["pages_per_s"], "jobs": mixed["jobs"], "cpus": os.cpu_count(), "seconds": seconds, "hours": seconds / 3600,
        "arithmetic": (f"{pages:,} pages / {mixed['pages_per_s']:.1f} pages/s = {seconds:,.0f} s ≈ {_hm(seconds)} "
                       f"(--jobs {mixed['jobs']}, {os.cpu_count()} CPUs, the mixed set's formats)"),
        "by_documents": {
            "seconds": by_documents,
            "arithmetic": (f"{NATIONAL_DOCUMENTS:,} documents / {mixed['docs_per_s']:.2f} documents/s = {by_documents:,.0f} s ≈ {_hm(by_documents)}, "
                           f"for documents of the mixed set's average length ({mixed['pages'] / mixed['documents']:.0f} pages)"),
        },
    }
    cpu_s = pages * mixed["cpu_s_per_page"] / workers
    out["from_cpu"] = {
        "seconds": cpu_s, "cpu_s_per_page": mixed["cpu_s_per_page"],
        "arithmetic": (f"{pages:,} pages × {mixed['cpu_s_per_page'] * 1000:.1f} ms CPU/page (the mixed set's) / {workers} processes "
                       f"= {cpu_s:,.0f} s ≈ {_hm(cpu_s)}, if nothing else ran on the machine"),
    }
    pdfs = [m for k, m in single.items() if k.startswith("pdf") and "skipped" not in m]
    if pdfs:
        per_page = max(m["cpu_s"] / m["pages"] for m in pdfs)
        pdf_s = pages * per_page / workers
        out["pdf_only"] = {
            "seconds": pdf_s, "cpu_s_per_page": per_page,
            "arithmetic": (f"{pages:,} pages × {per_page * 1000:.0f} ms CPU/page (the slower long PDF, start-up included) / {workers} processes "
                           f"= {pdf_s:,.0f} s ≈ {_hm(pdf_s)}, if every document were a PDF"),
        }
    return out


def _parallel_from() -> int | str:
    try:
        from plankoll.pipeline import PARALLEL_FROM
    except ImportError:
        return "?"
    return int(PARALLEL_FROM)


def _hm(seconds: float) -> str:
    hours, rest = divmod(round(seconds), 3600)
    return f"{hours} h {rest // 60:02d} min"


# --- the benchmark -----------------------------------------------------------------------------------------

def run_documents(work: Path, mixed: int = 1000, jobs: int = 2, repeat: int = 3) -> dict[str, Any]:
    """Build (or reuse) the documents under WORK/documents/, then measure 1. one document of each
    format, cold, 2. `mixed` documents with --jobs `jobs`, and 3. estimate the national collection."""
    started = time.perf_counter()
    work = work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    out = work / "documents-out"
    out.mkdir(exist_ok=True)
    report: dict[str, Any] = {"date": dt.date.today().isoformat(),
                              "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
                              "load_before": os.getloadavg(), "repeat": repeat}
    t0 = time.perf_counter()
    docs = build_documents(work)
    report["documents"] = {"build_s": time.perf_counter() - t0, "built": docs["built"], "soffice": docs["soffice"]}
    report["notes"] = list(docs["notes"])
    single: dict[str, Any] = {}
    long = docs["long"]
    for name in ("docx", "pdf-tagged", "pdf-untagged", "xlsx"):
        if name in long:
            single[name] = check_one(long[name], out, repeat)
        else:
            single[name] = {"skipped": SOFFICE_MISSING}
    fixture = next(s for s in docs["fixtures"]["xlsx"] if s.name == "001-rich.xlsx")
    single["xlsx-fixture"] = check_one(fixture, out, repeat)
    report["single"] = single
    report["mixed"] = check_mixed(work, docs, mixed, jobs)
    if not report["mixed"]["timings"].get("workers"):
        report["notes"].append(f"the mixed check ran in one process: plankoll starts worker processes from {_parallel_from()} documents")
    if not report["mixed"]["consistent"]:
        report["notes"].append("copies of one source document gave different numbers of findings: see mixed.per_source")
    report["national"] = national(report["mixed"], single)
    report["load_after"] = os.getloadavg()
    x = report["mixed"]
    x["cpu_per_wall"] = x["cpu_s"] / x["wall_s"]
    workers = min(jobs, os.cpu_count() or 1) if x["timings"].get("workers") else 1
    if x["cpu_per_wall"] < 0.8 * workers:
        report["notes"].append(f"the mixed check used {x['cpu_per_wall']:.2f} CPUs of the {workers} it could (load average "
                               f"{report['load_after'][0]:.1f} at the end): other work on the machine, or uneven batches, "
                               "lengthened its wall time; the CPU-based estimate is the steadier figure")
    report["benchmark_s"] = time.perf_counter() - started
    return report


def table(report: dict[str, Any]) -> str:
    """The rows of the main benchmark's table, the national estimate with its cross-checks, and the notes."""
    rows = ["| scenario | wall | CPU | peak memory | target | notes |", "|---|---:|---:|---:|---|---|", *table_rows(report)]
    n = report["national"]
    text = "\n".join(rows) + "\n\n"
    text += (f"Cross-checks: {n['by_documents']['arithmetic']}; {n['from_cpu']['arithmetic']}"
             + (f"; {n['pdf_only']['arithmetic']}" if "pdf_only" in n else "") + ".\n")
    for note in report.get("notes", []):
        text += f"Note: {note}.\n"
    return text


def table_rows(report: dict[str, Any]) -> list[str]:
    """Rows of the main benchmark table (`benchmarks/run.py`: scenario | wall | CPU | peak memory | target | notes)."""
    labels = {"docx": "a 116-page Word plan", "pdf-tagged": "a 109-page tagged PDF", "pdf-untagged": "a 109-page untagged PDF",
              "xlsx": "a workbook (the Word plan as cells)", "xlsx-fixture": "the workbook fixture 001-rich.xlsx"}
    rows = []
    for name, m in report["single"].items():
        if "skipped" in m:
            rows.append(f"| check {labels[name]}, cold | | | | | skipped: {m['skipped']} |")
            continue
        rows.append(f"| check {labels[name]}, cold | {m['wall_s']:.2f} s | {m['cpu_s']:.2f} s | {m['peak_mib']:.0f} MiB | | "
                    f"{m['pages']} pages, {m['s_per_page'] * 1000:.0f} ms a page; {m['findings']} findings |")
    x = report["mixed"]
    f = x["by_format"]
    rows.append(f"| check {x['documents']:,} documents ({f['docx']} Word, {f['pdf']} PDF, {f['xlsx']} workbooks), `--jobs {x['jobs']}`, cold | "
                f"{x['wall_s']:.0f} s | {x['cpu_s']:.0f} s | {x['peak_mib']:.0f} MiB | | "
                f"{x['pages']:,} pages: **{x['pages_per_s']:.0f} pages/s**, {x['docs_per_s']:.1f} documents/s; {x['plans_read']:,} read, "
                f"{x['input_errors']} input errors |")
    n = report["national"]
    rows.append(f"| a national collection: {n['documents']:,} documents of {n['pages_per_document']} pages, estimated | "
                f"{_hm(n['seconds'])} | | | | {n['arithmetic']} |")
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--work", type=Path, default=Path("bench-work"), help="documents and outputs (default: ./bench-work)")
    ap.add_argument("--mixed", type=int, default=1000, help="documents in the mixed set (default: 1000)")
    ap.add_argument("--jobs", type=int, default=2, help="--jobs of the mixed check (default: 2)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per single document; the fastest counts (default: 3)")
    ap.add_argument("--output", type=Path, help="results JSON (default: WORK/results-documents.json)")
    a = ap.parse_args()
    report = run_documents(a.work, a.mixed, a.jobs, a.repeat)
    output = a.output or a.work / "results-documents.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    sys.stdout.write(table(report))
    sys.stdout.write(f"benchmark: {report['benchmark_s']:.0f} s; written: {output}\n")


if __name__ == "__main__":
    main()
