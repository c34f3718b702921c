"""The Word import benchmark: how long `plankoll import` and `plankoll check` take on a generated
100-page Word plan, and how that time splits between the reader and the interpreter.

    python -m benchmarks.import_docx [--pages 100] [--seed 1] [--repeat 3] [--keep DIR] [--output results.json]

The plan is written with python-docx (raw WordprocessingML where python-docx has no API: cells
spanning columns and rows, repeated header rows, footnotes) into a temporary directory. It has a
title page, goal areas and goals as "Heading 1" and "Heading 2", prose, indicator tables (some with
a two-row header whose "Utfall 2023" spans Totalt | K | M), budget tables with a "Summa" row and a
few footnotes. Pages are estimated as words / 350, since there is no word processor here to lay
the document out; the prose is extended until the estimate reaches --pages.

Each command runs in a fresh process, outside the checkout (as in benchmarks/run.py), best of
--repeat by wall time. Reading (`plankoll.readers.read`) and interpreting (`plankoll.interpret.interpret`)
are also timed in this process, after the imports, best of --repeat.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.run import measure, plankoll

HERE = Path(__file__).resolve().parent
WORDS_PER_PAGE = 350
TARGET_S = 2.0  # the target: importing a 100-page Word plan takes at most 2 s

# --- the document -----------------------------------------------------------------------------------

AREAS = ["Hälsa och vård", "Tillgänglighet", "Attraktiv arbetsgivare", "Hållbar utveckling", "Ekonomi i balans", "Regional utveckling"]
GOALS = ["God och jämlik hälsa", "Vård i rätt tid", "Hög patientsäkerhet", "Stärkt primärvård", "Trygg och säker vård",
         "Kompetensförsörjning", "Hållbart arbetsliv", "Minskad klimatpåverkan", "Effektiv resursanvändning", "Digitala tjänster",
         "Goda livsvillkor för barn och unga", "Ett starkt näringsliv", "Kollektivtrafik i hela länet", "Kultur för alla",
         "Jämställd verksamhet", "Ökad delaktighet"]
# measures about people (a K/M split is expected of them) and measures of other things
PEOPLE = ["Andel invånare som har förtroende för hälso- och sjukvården", "Antal besök i primärvården per invånare",
          "Andel patienter som fått besök inom 90 dagar", "Andel medarbetare som rekommenderar regionen som arbetsgivare",
          "Sjukfrånvaro bland medarbetare", "Andel invånare med fast läkarkontakt", "Antal invånare i länet",
          "Andel elever som fullföljer gymnasieutbildning", "Andel chefer som är kvinnor", "Andel återbesök inom 30 dagar",
          "Personalomsättning", "Antal utskrivningsklara patienter", "Väntetid till första besök i specialiserad vård",
          "Andel digitala vårdbesök", "Nöjd medarbetarindex", "Andel hyrpersonal av total personalkostnad"]
THINGS = ["Antal resor med kollektivtrafik", "Utsläpp av växthusgaser från regionens verksamhet", "Andel förnybar energi",
          "Antal vårdplatser per 100 000 invånare", "Kostnad per vårdtillfälle", "Antal nystartade företag",
          "Energianvändning i regionens lokaler", "Andel ekologiska livsmedel", "Antal laddplatser för elfordon",
          "Andel fossilfria fordon i regionens fordonsflotta", "Ekonomiskt resultat", "Soliditet"]
SOURCES = {True: ["SCB", "Nationella patientenkäten", "Väntetider i vården", "Regionens personalsystem", "Folkhälsomyndigheten"],
           False: ["Kolada", "Egen mätning", "Trafikverket", "Regionens ekonomisystem", "Regionens fastighetssystem"]}  # about people?
BUDGET_ROWS = ["Hälso- och sjukvård", "Tandvård", "Kollektivtrafik", "Kultur", "Regional utveckling", "Gemensamma kostnader",
               "Fastigheter", "Politisk verksamhet", "Utbildning", "Folkhälsa"]
WORDS = ("regionen arbetar för att stärka vården och skapa goda förutsättningar för invånarna i hela länet genom samverkan "
         "med kommuner näringsliv och civilsamhälle målet är en jämlik och tillgänglig hälso- och sjukvård som utgår från "
         "patientens behov verksamheten ska utvecklas med stöd av digitala lösningar och ett systematiskt kvalitetsarbete "
         "medarbetarnas kompetens är avgörande för att nå målen därför prioriteras kompetensförsörjning ledarskap och en god "
         "arbetsmiljö ekonomin ska vara i balans och resurserna användas där de gör mest nytta för invånarna uppföljningen sker "
         "löpande och redovisas i delårsrapport och årsredovisning insatserna under planperioden omfattar bland annat "
         "förebyggande arbete tidiga insatser och en sammanhållen vårdkedja").split()

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _sentence(rng: random.Random) -> str:
    n = rng.randint(9, 18)
    start = rng.randrange(len(WORDS) - n)
    words = WORDS[start:start + n]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def _prose(rng: random.Random, words: int = 80) -> str:
    out: list[str] = []
    while sum(len(s.split()) for s in out) < words:
        out.append(_sentence(rng))
    return " ".join(out)


def _figure(rng: random.Random, kind: str, percent: bool) -> str:
    if kind == "text":
        return rng.choice(["Ny indikator", "Öka", "Minska", "Bibehålla", "Ej mätt"])
    if percent:
        return f"{rng.uniform(2, 98):.1f}".replace(".", ",") + " %"
    return f"{rng.randint(100, 2_000_000):,}".replace(",", " ")


def _split(rng: random.Random, percent: bool) -> list[str]:
    """Totalt, K, M that agree: the total of two shares lies between them, the total of two counts is their sum."""
    if percent:
        k, m = rng.uniform(2, 98), rng.uniform(2, 98)
        total = k + (m - k) * rng.uniform(0.3, 0.7)
        return [f"{x:.1f}".replace(".", ",") + " %" for x in (total, k, m)]
    k, m = rng.randint(100, 1_000_000), rng.randint(100, 1_000_000)
    return [f"{x:,}".replace(",", " ") for x in (k + m, k, m)]


def _cell(text: str, span: int = 1, vmerge: str | None = None, bold: bool = False) -> str:
    props = (f'<w:gridSpan w:val="{span}"/>' if span > 1 else "") + (f'<w:vMerge w:val="{vmerge}"/>' if vmerge == "restart" else
                                                                     "<w:vMerge/>" if vmerge else "")
    run = ""
    if text:
        run = f'<w:r>{"<w:rPr><w:b/></w:rPr>" if bold else ""}<w:t xml:space="preserve">{_esc(text)}</w:t></w:r>'
    return f'<w:tc><w:tcPr>{props}</w:tcPr><w:p>{run}</w:p></w:tc>'


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _row(cells: list[str], header: bool = False) -> str:
    return f'<w:tr>{"<w:trPr><w:tblHeader/></w:trPr>" if header else ""}{"".join(cells)}</w:tr>'


def _table(rows: list[str], columns: int) -> str:
    grid = "".join('<w:gridCol w:w="1500"/>' for _ in range(columns))
    return (f'<w:tbl {W_NS}><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/></w:tblPr>'
            f'<w:tblGrid>{grid}</w:tblGrid>{"".join(rows)}</w:tbl>')


def _indicator_table(rng: random.Random, split: bool, note: int | None) -> str:
    rows: list[str] = []
    if split:  # "Utfall 2023" spans Totalt | K | M; the other headers span both header rows
        rows.append(_row([_cell("Indikator", vmerge="restart", bold=True), _cell("Utfall 2022", vmerge="restart", bold=True),
                          _cell("Utfall 2023", span=3, bold=True), _cell("Målnivå 2025", vmerge="restart", bold=True),
                          _cell("Källa", vmerge="restart", bold=True)], header=True))
        rows.append(_row([_cell("", vmerge="continue"), _cell("", vmerge="continue"), _cell("Totalt", bold=True), _cell("K", bold=True),
                          _cell("M", bold=True), _cell("", vmerge="continue"), _cell("", vmerge="continue")], header=True))
    else:
        rows.append(_row([_cell(h, bold=True) for h in ("Indikator", "Utfall 2022", "Utfall 2023", "Målnivå 2025", "Källa")], header=True))
    for r in range(rng.randint(3, 8)):
        name = rng.choice(PEOPLE if split else THINGS)
        percent = name.startswith("Andel")
        new = rng.random() < 0.1
        first = "Ny indikator" if new else _figure(rng, "number", percent)
        outcomes = _split(rng, percent) if split else [_figure(rng, "number", percent)]
        target = rng.choice(["Öka", "Minska", _figure(rng, "number", percent), _figure(rng, "number", percent)])
        name_cell = _cell(name)
        if note is not None and r == 0:
            name_cell = name_cell.replace("</w:t></w:r></w:p>", f'</w:t></w:r><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                                                             f'<w:footnoteReference w:id="{note}"/></w:r></w:p>')
        rows.append(_row([name_cell, _cell(first), *(_cell(o) for o in outcomes), _cell(target), _cell(rng.choice(SOURCES[split]))]))
    return _table(rows, 7 if split else 5)


def _budget_table(rng: random.Random) -> str:
    labels = rng.sample(BUDGET_ROWS, rng.randint(4, 7))
    figures = [[rng.randint(5_000, 900_000) for _ in range(3)] for _ in labels]
    sums = [sum(col) for col in zip(*figures, strict=True)]

    def fmt(n: int) -> str:
        return f"{n:,}".replace(",", " ")

    rows = [_row([_cell(h, bold=True) for h in ("Verksamhet (tkr)", "Budget 2024", "Budget 2025", "Plan 2026")], header=True)]
    rows += [_row([_cell(label), *(_cell(fmt(n)) for n in row)]) for label, row in zip(labels, figures, strict=True)]
    rows.append(_row([_cell("Summa", bold=True), *(_cell(fmt(n), bold=True) for n in sums)]))
    return _table(rows, 4)


def _add_xml(document: Any, xml: str) -> None:
    from docx.oxml import parse_xml

    body = document.element.body
    body.insert(len(body) - 1, parse_xml(xml))


def _add_footnotes(document: Any, notes: dict[int, str]) -> None:
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    items = ['<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>',
             '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>']
    items += [f'<w:footnote w:id="{i}"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {_esc(t)}</w:t></w:r></w:p></w:footnote>'
              for i, t in notes.items()]
    blob = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes {W_NS}>{"".join(items)}</w:footnotes>'.encode()
    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, blob, document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)


def generate(path: Path, pages: int = 100, seed: int = 1) -> dict[str, Any]:
    """Write the plan with enough prose for `pages` (words / 350); return what it holds."""
    prose = max(0, (pages * WORDS_PER_PAGE - 6_500) // 80)  # the tables print about 6,500 words
    for _ in range(4):
        found = write_plan(path, prose, seed)
        missing = pages * WORDS_PER_PAGE - found["words"]
        if abs(missing) < WORDS_PER_PAGE / 2:
            break
        prose = max(0, prose + round(missing / 82))  # a prose paragraph has 80 words and a few more; the tables alone are ~19 pages
    return found


def write_plan(path: Path, prose_paragraphs: int, seed: int = 1, indicator_tables: int = 60, budget_tables: int = 10) -> dict[str, Any]:
    """Write the plan; return what it holds (words, estimated pages, paragraphs, tables)."""
    import docx

    rng = random.Random(seed)
    document = docx.Document()
    document.core_properties.title = "Verksamhetsplan 2025"
    document.add_heading("Verksamhetsplan 2025", 0)  # the "Title" style; the targets are for 2025
    for line in ("Region Exempel", "Regionstyrelsen", "Version 1.0, fastställd av regionstyrelsen 2024-11-20", "Dnr RS 2024/123"):
        document.add_paragraph(line)
    goals = [(a, g) for a in range(len(AREAS)) for g in range(5)]  # 6 goal areas × 5 goals
    per_goal = [indicator_tables // len(goals) + (1 if i < indicator_tables % len(goals) else 0) for i in range(len(goals))]
    notes: dict[int, str] = {}
    counts = {"prose_paragraphs": 0, "indicator_tables": 0, "split_header_tables": 0, "budget_tables": 0, "footnotes": 0}
    # the prose is spread evenly over the goals
    prose_per_goal = [prose_paragraphs // len(goals) + (1 if i < prose_paragraphs % len(goals) else 0) for i in range(len(goals))]
    budget_after = set(rng.sample(range(len(goals)), budget_tables))
    document.add_heading("Inledning", 1)
    document.add_paragraph("Verksamhetsplanen följs upp i form av delårsrapport per augusti och årsredovisning.")
    for i, (a, g) in enumerate(goals):
        if g == 0:
            document.add_heading(f"Målområde {a + 1}: {AREAS[a]}", 1)
        document.add_heading(f"Mål {a + 1}.{g + 1}: {GOALS[(a * 5 + g) % len(GOALS)]}", 2)
        for _ in range(prose_per_goal[i]):
            document.add_paragraph(_prose(rng))
            counts["prose_paragraphs"] += 1
        for t in range(per_goal[i]):
            split = (i + t) % 4 == 1
            note = None
            if (i + t) % 6 == 0:
                note = len(notes) + 1
                notes[note] = rng.choice(["Källa: SCB, senaste tillgängliga år.", "Mätningen görs vartannat år."]
                                         + (["Uppdelning på kön saknas för 2022."] if split else []))
            document.add_paragraph(f"Indikatorer för mål {a + 1}.{g + 1}")
            _add_xml(document, _indicator_table(rng, split, note))
            counts["indicator_tables"] += 1
            counts["split_header_tables"] += split
        if i in budget_after:
            document.add_paragraph(f"Ekonomiska ramar för mål {a + 1}.{g + 1}, tkr")
            _add_xml(document, _budget_table(rng))
            counts["budget_tables"] += 1
    _add_footnotes(document, notes)
    counts["footnotes"] = len(notes)
    document.save(path)
    words = _count_words(path)
    return {**counts, "words": words, "pages_estimated": round(words / WORDS_PER_PAGE, 1), "bytes": path.stat().st_size}


def _count_words(path: Path) -> int:
    import docx

    document = docx.Document(str(path))
    words = sum(len(p.text.split()) for p in document.paragraphs)
    for table in document.tables:
        seen: set[Any] = set()  # the elements themselves: kept alive, lxml gives each the same proxy again
        for row in table.rows:
            for cell in row.cells:
                if cell._tc not in seen:  # a merged cell is one cell however many grid columns it spans
                    seen.add(cell._tc)
                    words += len(cell.text.split())
    return words


# --- measuring --------------------------------------------------------------------------------------

def _best(samples: list[dict[str, Any]]) -> dict[str, Any]:
    best = min(samples, key=lambda m: m["wall_s"])
    return {**best, "all_wall_s": [round(m["wall_s"], 3) for m in samples]}


def in_process(path: Path, repeat: int) -> dict[str, Any]:
    """Reader and interpreter, timed after their imports, best of `repeat` (and the first call)."""
    started = time.perf_counter()
    from plankoll import readers
    from plankoll.importer import to_yaml
    from plankoll.interpret import interpret, load
    from plankoll.model import PlanVersion
    from plankoll.readers import docx  # noqa: F401  (imported by readers.read on first use)

    imports_s = time.perf_counter() - started  # 0 when this process has imported them already
    load()  # the vocabulary: read once per process
    timings: dict[str, list[float]] = {"read_s": [], "interpret_s": [], "validate_s": [], "yaml_s": []}
    for _ in range(repeat):
        t0 = time.perf_counter()
        layout = readers.read(path)
        t1 = time.perf_counter()
        result = interpret(layout)
        t2 = time.perf_counter()
        plan = PlanVersion.model_validate(result.document)
        t3 = time.perf_counter()
        to_yaml(plan, result.locations, str(path))
        t4 = time.perf_counter()
        for key, value in zip(timings, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
            timings[key].append(value)
    out: dict[str, Any] = {k: min(v) for k, v in timings.items()}
    out["first"] = {k: v[0] for k, v in timings.items()}  # the first call in the process, as in a CLI run
    out["imports_s"] = imports_s
    out["blocks"] = len(layout.blocks)
    out["tables"] = sum(1 for b in layout.blocks if type(b).__name__ == "Table")
    out["indicators"] = len(plan.indicators)
    out["plan_tables"] = len(plan.tables)
    out["notices"] = len(result.notices)
    return out


def _fresh_in_process(path: Path, repeat: int) -> dict[str, Any]:
    """in_process() in a fresh process outside the checkout: nothing imported yet, the installed plankoll."""
    code = (f"import json, sys; sys.path.append({str(HERE.parent)!r}); from benchmarks.import_docx import in_process; "
            f"print(json.dumps(in_process(__import__('pathlib').Path({str(path)!r}), {repeat})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tempfile.gettempdir())
    return json.loads(out.stdout)


def run(directory: Path, pages: int, seed: int, repeat: int) -> dict[str, Any]:
    doc = directory / "plan.docx"
    report: dict[str, Any] = {"date": dt.date.today().isoformat(),
                              "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
                              "document": generate(doc, pages, seed), "target_s": TARGET_S,
                              "load_before": os.getloadavg()}  # other work on the machine makes wall time vary
    out = directory / "out.plan.yaml"
    report["help"] = _best([measure(plankoll("--help")) for _ in range(repeat)])
    report["import"] = _best([measure(plankoll("import", str(doc), "-o", str(out))) for _ in range(repeat)])
    report["check"] = _best([measure(plankoll("check", str(doc), "--no-cache", "--format", "json")) for _ in range(repeat)])
    report["in_process"] = _fresh_in_process(doc, repeat)
    report["load_after"] = os.getloadavg()
    for name, ok in (("import", (0,)), ("check", (0, 1))):  # 1: findings; anything else did not measure what it says
        if report[name]["exit"] not in ok:
            raise SystemExit(f"plankoll {name} exited {report[name]['exit']}: run it by hand to see why")
    return report


def table(report: dict[str, Any]) -> str:
    d, p = report["document"], report["in_process"]
    rows = ["| what | wall | CPU | peak memory | target | notes |", "|---|---:|---:|---:|---|---|"]

    def add(name: str, m: dict[str, Any], target: str = "", notes: str = "") -> None:
        rows.append(f"| {name} | {m['wall_s']:.2f} s | {m['cpu_s']:.2f} s | {m['peak_mib']:.0f} MiB | {target} | {notes} |")

    add("`plankoll --help`, cold", report["help"], "", "interpreter start and the CLI's imports")
    add(f"`plankoll import` of a {d['pages_estimated']:.0f}-page Word plan, cold", report["import"], f"≤ {report['target_s']:g} s",
        f"exit {report['import']['exit']}; {p['indicators']} indicators, {p['plan_tables']} tables")
    add("`plankoll check` of the same file (`--no-cache --format json`), cold", report["check"], "",
        f"exit {report['check']['exit']} (1: findings)")
    f = p["first"]

    def part(name: str, key: str, notes: str = "") -> None:
        rows.append(f"| in process: {name} | {p[key]:.3f} s | | | | first call {f[key]:.3f} s{'; ' + notes if notes else ''} |")

    rows.append(f"| in process: imports (reader, interpreter, model) | {p['imports_s']:.3f} s | | | | |")
    part("read (`plankoll.readers.read`)", "read_s", f"{p['blocks']} blocks, {p['tables']} tables")
    part("interpret (`plankoll.interpret.interpret`)", "interpret_s", f"{p['notices']} notices")
    part("validate (`PlanVersion.model_validate`)", "validate_s")
    part("YAML (`importer.to_yaml`)", "yaml_s")
    return "\n".join(rows) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=100, help="pages, estimated as words / 350 (default: 100)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3, help="runs per measurement; the fastest counts (default: 3)")
    ap.add_argument("--keep", type=Path, help="write the document and outputs here instead of a temporary directory")
    ap.add_argument("--output", type=Path, help=f"results JSON (default: {HERE.name}/results-import-DATE.json)")
    a = ap.parse_args()
    if a.keep:
        a.keep.mkdir(parents=True, exist_ok=True)
        report = run(a.keep.resolve(), a.pages, a.seed, a.repeat)
    else:
        with tempfile.TemporaryDirectory(prefix="plankoll-import-") as tmp:
            report = run(Path(tmp), a.pages, a.seed, a.repeat)
    output = a.output or HERE / f"results-import-{report['date']}.json"
    output.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    d = report["document"]
    sys.stdout.write(f"document: {d['words']:,} words ≈ {d['pages_estimated']:.0f} pages at {WORDS_PER_PAGE} words a page, "
                     f"{d['prose_paragraphs']} prose paragraphs, {d['indicator_tables']} indicator tables "
                     f"({d['split_header_tables']} with a K/M header), {d['budget_tables']} budget tables, {d['footnotes']} footnotes, "
                     f"{d['bytes'] / 1024:.0f} kB\n")
    sys.stdout.write(table(report))
    sys.stdout.write(f"written: {output}\n")


if __name__ == "__main__":
    main()
