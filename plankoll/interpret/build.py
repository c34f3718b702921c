"""Walking the blocks of a layout and building the plan version from them."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from plankoll.figures import FigureError, parse
from plankoll.layout import Cell, Heading, Layout, Location, Notice, Paragraph, Table

from . import sums
from .cells import SUPERSCRIPTS, CellValue, cell_values, header_period, name_cell, split_marks, year_of
from .tables import (
    IndicatorLayout,
    NumericLayout,
    indicator_layout,
    indicator_listing,
    is_part_of_above,
    is_total_label,
    numeric_layout,
)
from .vocab import Vocabulary, normalize

_NOTE_LINE = re.compile(rf"^(?P<mark>[{SUPERSCRIPTS}]+|\[\d{{1,2}}\]|\*{{1,3}}|\d{{1,2}}\))\s*(?P<text>\S.*)$")
EVIDENCE_CHARS = 400  # of a row or heading kept as evidence (reports show it beside a finding)
TITLE_LOOKBACK = 6  # blocks before a table searched for its title or the indicator it details


def slug(text: str, limit: int = 60) -> str:
    flat = unicodedata.normalize("NFKD", text.lower())
    flat = "".join(ch for ch in flat if not unicodedata.combining(ch))
    flat = re.sub(r"[^a-z0-9]+", "-", flat).strip("-")
    return (flat[:limit].rstrip("-") or "x")


def _unique_id(base: str, taken: set[str]) -> str:
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


class Builder:
    def __init__(self, layout: Layout, vocab: Vocabulary, plan_meta: dict[str, Any]):
        self.layout, self.vocab, self.meta = layout, vocab, plan_meta
        self.indicators: list[dict[str, Any]] = []
        self.tables: list[dict[str, Any]] = []
        self.locations: dict[tuple[Any, ...], Location] = {}
        self.notices: list[Notice] = []
        self.explain: list[dict[str, Any]] = [{"what": "metadata", "read": {k: v for k, v in plan_meta.items() if v is not None}}]
        self.path: list[tuple[int, str]] = []  # (level, text) of the open goal levels
        self.ids: set[str] = set()
        self.table_ids: set[str] = set()
        self.text_notes = self._text_notes()
        self.pending_detail: list[tuple[int, int]] = []  # (table index, block index) of tables with K/M rows
        self.listings: list[tuple[Table, IndicatorLayout]] = []  # tables of measures without values (appendix lists)
        self.evidence: dict[str, dict[str, Any]] = {}  # element → the printed row and the heading above it
        # pages a PDF reader read by OCR: every figure on them is a reading, marked as such
        self.ocr_pages = {int(p) for p in re.findall(r"\d+", layout.properties.get("ocr_pages", ""))}
        self.last_heading: str | None = None

    def _source_place(self, node: dict[str, Any], location: Location) -> None:
        """The source-document place the model keeps: the line of a text or Markdown document, the
        page of a PDF (a Word document's place is its table, row and column, kept in the locations)."""
        if self.layout.format in ("text", "markdown") and location.line:
            node["line"] = location.line
        elif location.page:
            node["page"] = location.page

    # --- evidence: what the document prints around an element, for the auditor ---------------
    def _evidence(self, element: str, row: list[Cell], location: Location, header: list[Cell] | None = None) -> None:
        """The printed text of the element's row and the heading above it (and, for a PDF, the row's
        page and box, from which a report can show the page region)."""
        cells = [c for c in row if c.origin]
        text = " | ".join(" ".join(c.text.split()) for c in cells).rstrip(" |")
        entry: dict[str, Any] = {"heading": self.last_heading, "row": text[:EVIDENCE_CHARS]}
        if header is not None:
            entry["header"] = " | ".join(" ".join(c.text.split()) for c in header if c.origin)[:EVIDENCE_CHARS]
        boxes = [c.location.box for c in cells if c.location.box]
        if location.page and boxes:
            entry["page"] = location.page
            entry["box"] = [min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)]
        self.evidence[element] = entry

    # --- notes ---------------------------------------------------------------------------------
    def _text_notes(self) -> dict[str, tuple[str, Location]]:
        """Footnote texts printed as paragraphs ("¹ RN måttet delas upp …"), by their mark."""
        found: dict[str, tuple[str, Location]] = {}
        for block in self.layout.blocks:
            if isinstance(block, Paragraph):
                m = _NOTE_LINE.match(block.text)
                if m and not m["mark"].endswith(")"):
                    found.setdefault(m["mark"].strip("[]"), (m["text"], block.location))
        for note in self.layout.notes.values():
            if note.mark:
                found.setdefault(note.mark, (note.text, note.location))
        return found

    def _note_texts(self, marks: list[str], note_ids: list[str]) -> list[str]:
        texts = [self.layout.notes[i].text for i in note_ids if i in self.layout.notes]
        texts += [self.text_notes[m][0] for m in marks if m in self.text_notes]
        return [t for t in texts if t.strip()]

    def _waivers(self, notes: list[str]) -> tuple[dict[str, str], list[str]]:
        """Notes that declare an exception (phrase list in the vocabulary) and the other notes."""
        waivers: dict[str, str] = {}
        rest: list[str] = []
        for text in notes:
            rules = [rule for rule, phrases in self.vocab.group("exceptions").items()
                     if any(re.search(p, text, re.IGNORECASE) for p in phrases)]
            for rule in rules:
                waivers.setdefault(rule, text)
            if not rules:
                rest.append(text)
        return waivers, rest

    # --- the walk ------------------------------------------------------------------------------
    def walk(self) -> None:
        for index, block in enumerate(self.layout.blocks):
            if isinstance(block, Heading):
                self._heading(block.text, block.level)
            elif isinstance(block, Paragraph):
                self._paragraph(block, index)
            elif isinstance(block, Table):
                self._table(block, index)
        self._link_details()
        for table, listing in self.listings:
            self._listing(table, listing)

    def _goal_text(self, text: str) -> str | None:
        flat = normalize(text)
        words = "|".join(self.vocab.words("goal_prefixes"))
        if re.match(rf"^(?:\d+(?:\.\d+)*\.?\s+)?(?:{words})(?:\s+\d+(?:\.\d+)*)?\s*[:.–-]\s*\S", flat):
            return re.sub(r"^\d+(?:\.\d+)*\.?\s+", "", " ".join(text.split()))
        perspective = "|".join(self.vocab.words("perspectives"))
        if self.vocab.pattern("perspectives").match(flat) or re.match(rf"^(?:perspektiv(?:et)?)\s+(?:{perspective})$", flat):
            return " ".join(text.split())
        return None

    def _heading(self, text: str, level: int) -> None:
        self.last_heading = " ".join(text.split())[:EVIDENCE_CHARS]
        while self.path and self.path[-1][0] >= level:
            self.path.pop()
        goal = self._goal_text(text)
        if goal:
            self.path.append((level, goal))

    def _paragraph(self, block: Paragraph, index: int) -> None:
        if "follow_up" not in self.meta and len(block.text) <= 400:
            for pattern in self.vocab.words("follow_up_statement"):
                m = re.search(pattern, block.text, re.IGNORECASE)
                if m:
                    sentence = next(s for s in re.split(r"(?<=\.)\s+", block.text) if m.group(0) in s or s in m.group(0))
                    self.meta["follow_up"] = {"text": sentence.strip(), **({"line": block.location.line} if self.layout.format in ("text", "markdown") else {})}
                    break
        goal = self._goal_text(block.text) if len(block.text) <= 200 else None
        if goal:
            # a goal printed as a paragraph of its own opens a level below the last heading
            level = self._prefix_level(goal)
            self._heading(goal, level)

    def _prefix_level(self, goal: str) -> int:
        order = ["perspektiv", "målområde", "strategiskt mål", "strategiska mål", "kommunfullmäktiges mål", "fullmäktiges mål",
                 "övergripande mål", "inriktningsmål", "nämndmål", "mål", "verksamhetsmål", "effektmål", "delmål", "framgångsfaktor",
                 "fokusområde"]
        flat = normalize(goal)
        for n, word in enumerate(order):
            if flat.startswith(word):
                return 20 + n
        return 20  # a perspective name alone

    def _title_before(self, index: int) -> tuple[str | None, list[str]]:
        """The nearest heading or short paragraph before a table, and the texts before it."""
        texts: list[str] = []
        for block in reversed(self.layout.blocks[max(0, index - TITLE_LOOKBACK):index]):
            if isinstance(block, Table):
                break
            if isinstance(block, Heading | Paragraph) and not _NOTE_LINE.match(block.text):
                texts.append(block.text)
        title = next((t for t in texts if len(t) <= 140), None)
        return title, texts

    def _table(self, table: Table, index: int) -> None:
        report = self.meta.get("document") in self.vocab.words("report_documents")
        year = self._default_target_year(report)
        layout = indicator_layout(table, self.vocab, report, year)
        if layout is not None:
            self._indicator_table(table, layout, report)
            return
        numeric = numeric_layout(table)
        if numeric is not None:
            self._numeric_table(table, numeric, index)
            return
        listing = indicator_listing(table, self.vocab)
        if listing is not None:
            self.listings.append((table, listing))
            return
        if _is_contents(table):
            self.explain.append({"what": "table", "table": table.location.as_dict(), "read_as": "table of contents (skipped)"})
            return
        self.notices.append(Notice(table.location, "table_not_recognised", {"header": " | ".join(c.text for c in table.rows[0])[:160]}))
        self.explain.append({"what": "table", "table": table.location.as_dict(), "read_as": "not recognised"})

    def _default_target_year(self, report: bool) -> str | None:
        period = self.meta.get("period")
        if not period:
            return None
        return str(period["last"])

    # --- indicator tables ---------------------------------------------------------------------
    def _indicator_table(self, table: Table, layout: IndicatorLayout, report: bool) -> None:
        explain = {"what": "table", "table": table.location.as_dict(), "read_as": "indicators", "header_rows": layout.header_rows,
                   "columns": [{"column": c + 1, "header": col.header, "role": col.kind, "period": col.period, "sex": col.sex}
                               for c, col in enumerate(layout.columns)], "indicators": []}
        self.explain.append(explain)
        section: str | None = None
        for row in table.rows[layout.header_rows:]:
            name_text = row[layout.name_column].text
            filled = [c for c in row if c.text.strip() and c.origin]
            if not name_text.strip():
                continue
            if len(filled) == 1 and filled[0] is row[layout.name_column] and table.width > 2:
                section = " ".join(name_text.split())  # a group label across the table
                continue
            sex = _sub_row_sex(name_text, self.vocab)
            if sex and explain["indicators"]:
                self._sex_row(row, layout, sex, report)  # "– flickor | 88 %": the measure above, for one sex
                continue
            ind = self._indicator(row, layout, report, section)
            if ind is not None:
                explain["indicators"].append(ind)

    def _sex_row(self, row: list[Cell], layout: IndicatorLayout, sex: str, report: bool) -> None:
        """Add a row that names a sex to the indicator above it: its figures are that sex's, and
        the indicator's own figures (of the same role and period) become the total."""
        i = len(self.indicators) - 1
        ind = self.indicators[i]
        for value in ind["values"]:
            if "value" in value:
                value["total"] = value.pop("value")
                self.locations[("indicators", i, "values", ind["values"].index(value), "total")] = self.locations.get(
                    ("indicators", i, "values", ind["values"].index(value), "value"), self.locations[("indicators", i)])
        figures = [(col, row[c], part) for c, col in enumerate(layout.columns) if col.kind in ("baseline", "target", "outcome")
                   and row[c].text.strip() for part in cell_values(split_marks(" ".join(row[c].text.split()))[0])]
        for col, cell, part in figures:
            if self._figure(part, cell) is None:
                continue
            period = part.period or col.period or (self._report_period() if col.kind == "outcome" else None)
            target = next((v for v in ind["values"] if v["role"] == col.kind and v.get("period") == period and sex not in v), None)
            if target is None:
                target = {"role": col.kind, "period": period}
                ind["values"].append(target)
            j = ind["values"].index(target)
            target[sex] = part.text
            self.locations[("indicators", i, "values", j, sex)] = cell.location

    def _indicator(self, row: list[Cell], layout: IndicatorLayout, report: bool, section: str | None) -> str | None:
        name_cell_ = row[layout.name_column]
        parsed = name_cell(name_cell_.text, self.vocab)
        if not parsed.name:
            return None
        i = len(self.indicators)
        ind_id = _unique_id(slug(parsed.name, 80), self.ids)
        path = [t for _, t in self.path]
        ind: dict[str, Any] = {"id": ind_id, "name": parsed.name, "path": path, "values": []}
        if section:
            ind["path"] = [*path, section]
        notes = self._note_texts(parsed.marks, list(name_cell_.notes))
        sources, follow = [], []
        figures: list[tuple[Any, Cell, CellValue]] = []  # every figure of the row, grouped into values below
        if parsed.source:
            sources.append(parsed.source)
        for c, col in enumerate(layout.columns):
            cell = row[c]
            if c == layout.name_column or not cell.text.strip():
                continue
            if col.kind == "success_factor":
                ind["path"] = [*ind["path"], f"Framgångsfaktor: {' '.join(cell.text.split())}"]
            elif col.kind == "goal":
                ind["path"] = [*ind["path"], " ".join(cell.text.split())]
            elif col.kind == "source":
                sources.append(" ".join(cell.text.split()))
            elif col.kind == "follow_up":
                follow.append(" ".join(cell.text.split()))
            elif col.kind == "unit":
                ind["unit"] = " ".join(cell.text.split())
            elif col.kind in ("baseline", "target", "outcome"):
                notes += self._note_texts(split_marks(cell.text)[1], list(cell.notes))
                figures += [(col, cell, part) for part in cell_values(split_marks(" ".join(cell.text.split()))[0])]
        self._values(ind, i, figures)
        if sources:
            ind["source"] = "; ".join(sources)
        if follow:
            ind["follow_up"] = "; ".join(follow)
        self._finish_indicator(ind, parsed.qualitative, notes)
        self.locations[("indicators", i)] = name_cell_.location
        self._evidence(f"indicator:{ind_id}", row, name_cell_.location)
        self._source_place(ind, name_cell_.location)
        self.indicators.append(ind)
        return ind_id

    def _values(self, ind: dict[str, Any], i: int, figures: list[tuple[Any, Cell, CellValue]]) -> None:
        """The row's figures as values: one per role, period and series, with K, M and total
        from one cell ("51 % M: 60 % K:45 %") or from sub-columns under a spanned header."""
        groups: dict[tuple[Any, ...], tuple[dict[str, Any], dict[str, Location]]] = {}
        for col, cell, part in figures:
            figure = self._figure(part, cell)
            if figure is None:
                continue
            sex = part.sex if part.sex != "all" else (col.sex or "all")
            series = part.series or col.series
            period = part.period or col.period
            if col.kind == "outcome" and period is None:
                period = self._report_period()
            slot = "value" if sex == "all" else sex
            n = 0
            while (col.kind, period, series, n) in groups and (slot in groups[(col.kind, period, series, n)][0] or slot == "value"
                                                             or "value" in groups[(col.kind, period, series, n)][0]):
                n += 1
            value, places = groups.setdefault((col.kind, period, series, n),
                                              ({"role": col.kind, "period": period, **({"series": series} if series else {})}, {}))
            value[slot] = figure
            places[slot] = cell.location
        values = _series_by_unit([v for v, _ in groups.values()])
        for value, places in zip(values, [p for _, p in groups.values()], strict=True):
            j = len(ind["values"])
            first = next(iter(places.values()))
            self._source_place(value, first)
            ind["values"].append(value)
            self.locations[("indicators", i, "values", j)] = first
            for slot, place in places.items():
                self.locations[("indicators", i, "values", j, slot)] = place

    def _figure(self, part: CellValue, cell: Cell) -> Any:
        try:
            parse(part.text)
        except FigureError as exc:
            self.notices.append(Notice(cell.location, "cell_not_parsed", {"text": part.text[:80], "reason": str(exc)}))
            return None
        return self._as_read(part.text, cell)

    def _as_read(self, text: str, cell: Cell) -> Any:
        """A figure as the model keeps it: a reading marked as OCR when its page was read by OCR."""
        if cell.location.page in self.ocr_pages and text:
            return {"value": text, "ocr": text, "note": "read by OCR (tesseract)"}
        return text

    def _report_period(self) -> str | None:
        period = self.meta.get("report_period")
        if not period:
            return str(self.meta["period"]["last"]) if self.meta.get("period") else None
        year, month = period.split("-")
        return {"04": f"{year}-T1", "08": f"{year}-T2", "12": year}.get(month, period)

    def _finish_indicator(self, ind: dict[str, Any], qualitative: bool, notes: list[str]) -> None:
        levels = [parse(_printed(v.get("value"))).kind == "level" for v in ind["values"] if v["role"] == "target"]
        if qualitative or (levels and all(levels)):
            ind["kind"] = "qualitative"
            ind.setdefault("unit", "ja/delvis/nej")
        elif "unit" not in ind:
            unit = _unit_of(ind)
            if unit:
                ind["unit"] = unit
        waivers, rest = self._waivers(notes)
        if waivers:
            ind["waivers"] = waivers
        if rest:
            ind["note"] = " ".join(dict.fromkeys(rest))

    # --- numeric tables -----------------------------------------------------------------------
    def _numeric_table(self, table: Table, layout: NumericLayout, index: int) -> None:
        title, _ = self._title_before(index)
        t = len(self.tables)
        table_id = _unique_id(slug(title or f"tabell {table.location.table or t + 1}"), self.table_ids)
        columns: list[Any] = [{"name": n, "text": True} if c in layout.text_columns else n for c, n in zip(layout.value_columns, layout.names, strict=True)]
        rows, infos = self._numeric_rows(table, layout, table_id, t)
        if not rows:
            return
        structure = sums.infer(infos)
        for row in rows:
            if row["id"] in structure.sums:
                row["sum_of"] = structure.sums[row["id"]]
        for total in structure.unplaced:
            self.notices.append(Notice(table.location, "total_not_placed", {"row": next(r["label"] for r in rows if r["id"] == total)}))
        out: dict[str, Any] = {"id": table_id, "title": title or f"Tabell {table.location.table or t + 1}", "columns": columns, "rows": rows}
        derived = _derived(layout.names, layout.text_columns, layout.value_columns, self.vocab)
        if derived:
            out["derived"] = derived
        column_sums = _column_sums(layout.names, layout.text_columns, layout.value_columns, derived, self.vocab)
        if column_sums:
            out["column_sums"] = column_sums
        self._source_place(out, table.location)
        self.locations[("tables", t)] = table.location
        self.tables.append(out)
        self.explain.append({"what": "table", "table": table.location.as_dict(), "read_as": "figures", "title": out["title"],
                             "columns": layout.names, "totals": {k: {"parts": v, "found_by": structure.how[k]} for k, v in structure.sums.items()},
                             "derived": derived, "column_sums": column_sums, "unplaced": structure.unplaced})
        if sum(1 for r in rows if _sex_label(r["label"], self.vocab) in ("K", "M")) >= 2:
            self.pending_detail.append((t, index))

    def _numeric_rows(self, table: Table, layout: NumericLayout, table_id: str, t: int) -> tuple[list[dict[str, Any]], list[sums.RowInfo]]:
        rows: list[dict[str, Any]] = []
        infos: list[sums.RowInfo] = []
        taken: set[str] = set()
        for grid_row in table.rows[layout.header_rows:]:
            label = " ".join(" ".join(grid_row[c].text.split()) for c in layout.label_columns if grid_row[c].text.strip())
            cells = [" ".join(grid_row[c].text.split()) if grid_row[c].origin else "" for c in layout.value_columns]
            if not label and not any(cells):
                continue
            label = label or "(utan rubrik)"
            r = len(rows)
            row_id = _unique_id(slug(label, 40), taken)
            section = not any(cells[i] for i, c in enumerate(layout.value_columns) if c not in layout.text_columns)
            values = [] if section and not any(cells) else [self._table_cell(text, grid_row[c]) for text, c in zip(cells, layout.value_columns, strict=True)]
            row: dict[str, Any] = {"id": row_id, "label": label, "values": values}
            self._source_place(row, grid_row[0].location)
            self.locations[("tables", t, "rows", r)] = grid_row[layout.label_columns[0]].location
            self._evidence(f"table:{table_id}/row:{row_id}", grid_row, grid_row[layout.label_columns[0]].location, header=table.rows[0])
            for k, c in enumerate(layout.value_columns):
                self.locations[("tables", t, "rows", r, "values", k)] = grid_row[c].location
            rows.append(row)
            infos.append(sums.RowInfo(row_id, label, is_total_label(label, self.vocab), section, is_part_of_above(label, self.vocab)))
        return rows, infos

    def _table_cell(self, text: str, cell: Cell) -> str:
        try:
            parse(text)
        except FigureError as exc:
            self.notices.append(Notice(cell.location, "cell_not_parsed", {"text": text[:80], "reason": str(exc)}))
            return ""
        return self._as_read(text, cell)

    # --- lists of measures: an appendix naming sources, or measures without figures ----------
    def _listing(self, table: Table, layout: IndicatorLayout) -> None:
        """A table of measures with no value columns. Rows naming a measure already read give it
        what they add (its source, follow-up); other rows are measures of their own, without values."""
        known = {_name_key(ind["name"]): n for n, ind in enumerate(self.indicators)}
        added, completed = [], []
        for row in table.rows[layout.header_rows:]:
            parsed = name_cell(row[layout.name_column].text, self.vocab)
            if not parsed.name:
                continue
            extra = {col.kind: " ".join(row[c].text.split()) for c, col in enumerate(layout.columns)
                     if col.kind in ("source", "follow_up", "unit") and row[c].text.strip()}
            if parsed.source:
                extra.setdefault("source", parsed.source)
            n = known.get(_name_key(parsed.name))
            if n is not None:
                for key, value in extra.items():
                    self.indicators[n].setdefault(key, value)
                completed.append(self.indicators[n]["id"])
                continue
            i = len(self.indicators)
            ind = {"id": _unique_id(slug(parsed.name, 80), self.ids), "name": parsed.name, "path": [t for _, t in self.path], "values": [],
                   **extra}
            notes = self._note_texts(parsed.marks, list(row[layout.name_column].notes))
            self._finish_indicator(ind, parsed.qualitative or _qualitative_listing(table, layout), notes)
            self.locations[("indicators", i)] = row[layout.name_column].location
            self._source_place(ind, row[layout.name_column].location)
            self.indicators.append(ind)
            added.append(ind["id"])
        self.explain.append({"what": "table", "table": table.location.as_dict(), "read_as": "list of measures",
                             "completed": completed, "added": added})

    # --- detail tables behind indicators ------------------------------------------------------
    def _link_details(self) -> None:
        for t, index in self.pending_detail:
            _, texts = self._title_before(index)
            best = _best_indicator(texts, self.indicators)
            if best is None:
                continue
            table, ind = self.tables[t], self.indicators[best]
            table["indicator"] = ind["id"]
            column = _indicator_column(table, ind)
            if column:
                table["indicator_column"] = column
            self.explain.append({"what": "detail", "table": table["id"], "indicator": ind["id"], "column": column})

    # --- metadata that only the content tells --------------------------------------------------
    def infer_missing_meta(self) -> None:
        years = [year_of(v.get("period") or "") for ind in self.indicators for v in ind["values"] if v["role"] == "target"]
        years = [y for y in years if y]
        if not self.meta.get("period") and years:
            self.meta["period"] = {"first": min(years), "last": max(years)}
            self.notices.append(Notice(Location(self.layout.file), "period_from_targets", {"first": min(years), "last": max(years)}))
        if not self.meta.get("document") and any(v["role"] == "target" for ind in self.indicators for v in ind["values"]):
            self.meta["document"] = "verksamhetsplan"
            self.notices.append(Notice(Location(self.layout.file), "document_from_targets", {}))
        if not self.meta.get("version"):
            self.meta["version"] = {"label": "utkast", "status": "utkast"}
            self.notices.append(Notice(Location(self.layout.file), "version_assumed", {}))
        if not self.meta.get("body") and self.meta.get("organisation"):
            self.meta["body"], self.meta["body_kind"] = self.meta["organisation"], "fullmäktige"
            self.notices.append(Notice(Location(self.layout.file), "body_assumed", {"body": self.meta["body"]}))

    def document(self) -> dict[str, Any]:
        m = self.meta
        from pathlib import Path

        plan_id = m.get("id") or slug(f"{m['organisation']} {m['body']} {m['document']} {m['period']['first']}", 100)
        plan: dict[str, Any] = {
            "id": plan_id, "organisation": m["organisation"], "body": m["body"], "body_kind": m.get("body_kind") or "nämnd",
            "document": m["document"], "title": m.get("title") or f"{m['document'].capitalize()} {m['period']['first']}",
            "period": m["period"], "version": {k: v for k, v in m["version"].items() if v is not None},
            "source": {"document": Path(self.layout.file).name, **({"title": m["title"]} if m.get("title") else {}),
                       **({"ocr": True} if self.ocr_pages else {})},
        }
        if m.get("report_period"):
            plan["report_period"] = m["report_period"]
        if m.get("follow_up"):
            plan["follow_up"] = m["follow_up"]
        return {"plankoll": 1, "plan": plan, "indicators": self.indicators, "tables": self.tables}


def _printed(figure: Any) -> str:
    """The printed text of a figure, plain or a reading ({"value", "ocr"})."""
    return figure.get("value", "") if isinstance(figure, dict) else (figure or "")


def _sub_row_sex(name: str, vocab: Vocabulary) -> str | None:
    """'– flickor', '- Kvinnor', '• män': a row that is one sex of the measure above it."""
    stripped = re.sub(r"^[\s\-–—•·*]+", "", name).strip().rstrip(":")
    if stripped == name.strip().rstrip(":") and not re.match(r"^(?:kvinnor|män|flickor|pojkar)$", stripped, re.IGNORECASE):
        return None
    sex = _sex_label(stripped, vocab)
    return sex if sex in ("K", "M", "total") else None


def _name_key(name: str) -> str:
    """A measure's name as two documents print it alike: no parentheses, units, marks or case."""
    flat = re.sub(r"\([^)]*\)", " ", name.lower())
    return " ".join(re.findall(r"[a-zåäöé0-9>]+", flat))


def _qualitative_listing(table: Table, layout: IndicatorLayout) -> bool:
    header = " ".join(c.text for c in table.rows[0]).lower()
    return "kvalitativ" in header or "ja/nej" in header


def _is_contents(table: Table) -> bool:
    """A table of contents: text, then a page number, on every row."""
    last = [row[-1].text.strip() for row in table.rows if any(c.text.strip() for c in row)]
    return bool(last) and sum(bool(re.fullmatch(r"(?:<b>)?\d{1,3}(?:</b>)?", t)) for t in last) >= 0.8 * len(last)


def _series_by_unit(values: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Two figures per sex in one cell ("M:7 308 K:7 040 M: 16 % K: 20 %") are two series: name them by unit."""
    by_key: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for v in values:
        by_key.setdefault((v["role"], v.get("period"), v.get("series")), []).append(v)
    for group in by_key.values():
        if len(group) > 1:
            for n, v in enumerate(group):
                texts = [_printed(v.get(k)) for k in ("value", "K", "M", "total") if v.get(k)]
                unit = "andel" if texts and all("%" in t for t in texts) else ("antal" if n == 0 else f"serie {n + 1}")
                v["series"] = unit if v.get("series") is None else f"{v['series']} {unit}"
    return values


def _unit_of(ind: dict[str, Any]) -> str | None:
    flat = normalize(ind["name"])
    texts = [_printed(v.get(k)) for v in ind["values"] for k in ("value", "K", "M", "total") if v.get(k)]
    units = set()
    for text in texts:
        try:
            fig = parse(text)
        except FigureError:
            continue
        if fig.kind == "number":
            units.add(fig.unit or "")
    if flat.startswith("andel") or "(%)" in flat or flat.endswith(" %") or units == {"%"}:
        return "%"
    if flat.startswith("antal"):
        return "antal"
    if "index" in flat.split(" ")[0] or flat.startswith(("index", "totalindex", "delindex", "övergripande index")):
        return "index"
    # a unit only when every figure prints it: "7 308" beside "16 %" are two measures, not per cent
    return units.pop() or None if len(units) == 1 else None


def _sex_label(label: str, vocab: Vocabulary) -> str | None:
    flat = normalize(label).rstrip(":")
    for sex in ("K", "M", "total"):
        if vocab.pattern("sex", sex).match(flat):
            return sex
    return None


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-zåäö0-9]{3,}", normalize(text)) if w not in {"och", "med", "som", "för", "till", "inom", "av", "har"}}


def _best_indicator(texts: list[str], indicators: list[dict[str, Any]]) -> int | None:
    """The indicator whose name the nearest title before a table repeats (at least 70 % of the name's words)."""
    best, score = None, 0.0
    for text in texts:
        if len(text) > 200:
            continue  # prose mentions many measures; a title names one
        words = _words(text)
        for i, ind in enumerate(indicators):
            name = _words(ind["name"])
            if not name:
                continue
            common = len(words & name)
            shared = common / len(name)
            if shared >= 0.7 and common >= min(3, len(name)) and shared > score:
                best, score = i, shared
        if best is not None:
            return best  # the nearest title above the table that names a measure is the one it details
    return best


def _indicator_column(table: dict[str, Any], ind: dict[str, Any]) -> str | None:
    """The column holding the indicator's figure when the columns are not simply its periods."""
    names = [c if isinstance(c, str) else c["name"] for c in table["columns"]]
    outcomes = [v.get("period") for v in ind["values"] if v["role"] == "outcome" and v.get("period")]
    for period in outcomes:
        exact = [n for n in names if period in n]
        if len(exact) > 1:
            return exact[0]  # a report prints its own unit's figures first (e.g. "LS1 2022-T1" before "RN 2022-T1")
        if exact or any(header_period(n) and year_of(n) == year_of(period) for n in names):
            return None
    if ind.get("unit") == "%":
        shares = [n for n in names if normalize(n).startswith("andel") or "%" in n]
        if len(shares) == 1:
            return shares[0]
    return None


def _derived(names: list[str], text_columns: set[int], value_columns: list[int], vocab: Vocabulary) -> list[dict[str, Any]]:
    """Change and share columns declared by their headers, with the columns they derive from."""
    out: list[dict[str, Any]] = []
    numeric = [i for i, c in enumerate(value_columns) if c not in text_columns]
    derived_at: set[int] = set()
    for i in numeric:
        flat = normalize(names[i])
        if any(re.search(p, flat) for p in vocab.words("derived_columns", "change_pct")):
            left = [j for j in numeric if j < i and j not in derived_at][-2:]
            if len(left) == 2 and header_period(names[left[0]]) and header_period(names[left[1]]) != header_period(names[left[0]]):
                new, old = sorted(left, key=lambda j: header_period(names[j]) or "", reverse=True)
                out.append({"kind": "change_pct", "column": names[i], "new": names[new], "old": names[old]})
                derived_at.add(i)
        elif re.match(r"^andel\b", flat) or re.search(r"%\s*av\b|procent av", flat):
            share = _share_operands(i, names, [j for j in numeric if j < i and j not in derived_at])
            if share:
                out.append({"kind": "share_pct", "column": names[i], "numerator": names[share[0]], "denominator": names[share[1]]})
                derived_at.add(i)
        elif any(re.fullmatch(p, flat) for p in vocab.words("derived_columns", "difference")):
            difference = _difference_operands([j for j in numeric if j < i and j not in derived_at][-2:], names)
            if difference:
                out.append({"kind": "difference", "column": names[i], "new": names[difference[0]], "old": names[difference[1]]})
                derived_at.add(i)
    return out


_PLANNED = re.compile(r"\b(?:budget|plan|ram|mål|prognos)", re.IGNORECASE)


def _difference_operands(left: list[int], names: list[str]) -> tuple[int, int] | None:
    """(new, old) of a difference column: the outcome minus the budget (or plan, ram) beside it.
    Which is which is read from the headers; without a budget-like header the sign is unknown."""
    if len(left) != 2:
        return None
    planned = [j for j in left if _PLANNED.search(names[j])]
    if len(planned) != 1:
        return None
    old = planned[0]
    new = next(j for j in left if j != old)
    return new, old


def _column_sums(names: list[str], text_columns: set[int], value_columns: list[int], derived: list[dict[str, Any]],
                 vocab: Vocabulary) -> list[dict[str, Any]]:
    """A column headed as a total ("Totalt", "Summa", "Utfall 2024 Totalt") sums the figure columns
    since the previous total column — under a spanned header, the columns beside it under that header."""
    from .tables import is_total_label

    skip = {d["column"] for d in derived}
    numeric = [i for i, c in enumerate(value_columns) if c not in text_columns and names[i] not in skip]
    out, start = [], 0
    for i in numeric:
        if not is_total_label(names[i], vocab):
            continue
        parts = [names[j] for j in numeric if start <= j < i and not is_total_label(names[j], vocab)]
        prefix = names[i].rsplit(" ", 1)[0] if " " in names[i] else ""
        if prefix and any(p.startswith(prefix) for p in parts):
            parts = [p for p in parts if p.startswith(prefix)]  # spanned header: the siblings under it
        if len(parts) >= 2:
            out.append({"column": names[i], "sum_of": parts})
        start = i + 1
    return out


def _share_operands(i: int, names: list[str], left: list[int]) -> tuple[int, int] | None:
    period = header_period(names[i])
    if period:
        same = [j for j in left if header_period(names[j]) == period]
        left = same if len(same) >= 2 else left
    words = _words(re.sub(r"\b(?:andel|antal|procent|av|totalen)\b", " ", normalize(names[i]))) - {period or ""}
    scored = sorted(((len(words & _words(names[j])), j) for j in left), reverse=True)
    if len(left) < 2 or not scored or scored[0][0] == 0:
        return None
    numerator = scored[0][1]
    denominator = next(j for j in left if j != numerator)
    return numerator, denominator
