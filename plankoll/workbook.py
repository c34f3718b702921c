"""The plankoll workbook: a plan version as an Excel workbook a controller can fill in, and back.

Sheets (names and header rows are what `read_template` recognises):
- "Läs mig": how to fill it in (not read back).
- "Plan": one row per field of the plan (fält | värde | beskrivning), keys as in the YAML format
  (`version.status`, `period.first`).
- "Indikatorer": long form, one row per value (role, period, series, value or K/M/total), the
  indicator's own fields repeated on each of its rows; an indicator without values has one row
  with the role left blank.
- "Tabell …": one sheet per table: its fields as fält | värde rows, then its rows as an Excel table
  (id, label, sum_of, one column per table column, line, page, waivers, note).

Figures are text cells, exactly as printed (a number cell would lose "5,0 %" to 0.05). A blank
cell is "no value"; a figure printed empty ("") is the formula ="" (which shows as blank). An OCR
reading is its figure with a cell comment holding `ocr:` and `note:`. Lists (path, sum_of, waivers,
text columns) are written in a readable form (" › ", ", ", "PK501: reason" lines) and, where that
form would not read back exactly, as YAML flow.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from plankoll.layout import Location, ReadError
from plankoll.model import (
    BodyKind,
    Column,
    ColumnSum,
    Derived,
    DocumentKind,
    Indicator,
    Plan,
    PlanVersion,
    Reading,
    Role,
    Row,
    Status,
    Table,
    Value,
    column_name,
)

__all__ = ["INDICATOR_SHEET", "PLAN_SHEET", "TABLE_PREFIX", "example_plan", "export_plan", "import_template", "read_template",
           "write_template"]

README_SHEET, PLAN_SHEET, INDICATOR_SHEET, TABLE_PREFIX = "Läs mig", "Plan", "Indikatorer", "Tabell"
FIELD_HEADER = ("fält", "värde", "beskrivning")
EMPTY = '=""'  # a figure printed empty: shows as blank, reads back as ""
PATH_SEPARATOR = " › "
YES, NO = "ja", "nej"

# --- what each cell holds (Swedish help, shown as header comments and in the Plan sheet) -----------------

_BODY_KINDS = ", ".join(k.value for k in BodyKind)
_DOCUMENTS = ", ".join(k.value for k in DocumentKind)
_STATUSES = ", ".join(k.value for k in Status)
_WAIVER_HELP = "En rad per regel: regel-id, kolon, skälet (gärna citat ur dokumentet), t.ex. «PK501: Uppdelning i kön saknas (fotnot 4)»."

PLAN_FIELDS: tuple[tuple[str, str, str], ...] = (  # key, kind, help
    ("plankoll", "int", "Formatets version: 1."),
    ("id", "text", "Planens identitet över alla versioner, t.ex. rvn-rs-vp (bokstäver, siffror, - _ .)."),
    ("organisation", "text", "Organisationen, t.ex. Region Västernorrland."),
    ("body", "text", "Styrelsen, nämnden eller divisionen som planen tillhör, t.ex. Regionstyrelsen."),
    ("body_kind", "text", f"Slag av organ: {_BODY_KINDS}."),
    ("document", "text", f"Slag av dokument: {_DOCUMENTS}."),
    ("title", "text", "Dokumentets titel som den är tryckt."),
    ("period.first", "int", "Planperiodens första år, t.ex. 2023."),
    ("period.last", "int", "Planperiodens sista år, t.ex. 2025."),
    ("report_period", "text", "För rapporter: perioden som rapporteras, t.ex. 2022-04 (DÅ04). Tomt för planer."),
    ("version.label", "text", "Versionen som dokumentet anger den, t.ex. 0.32 eller Fastställd 2022-10-12."),
    ("version.status", "text", f"Versionens status: {_STATUSES}."),
    ("version.adopted", "date", "Datum då versionen fastställdes (ÅÅÅÅ-MM-DD), annars tomt."),
    ("version.document_id", "text", "Dokumentets eget id (DOKUMENT-ID, diarienummer), om det har ett."),
    ("source.document", "text", "Filnamnet på källdokumentet som rad- och sidnummer hänvisar till."),
    ("source.title", "text", "Källdokumentets titel, om den skiljer sig."),
    ("source.url", "text", "Var källdokumentet är publicerat."),
    ("source.ocr", "bool", "ja om källtexten är OCR-läst (läs då siffrorna med omsorg), annars nej."),
    ("source.note", "text", "Anteckning om källan."),
    ("follow_up.text", "text", "Uppföljning som planen anger en gång för alla indikatorer, som tryckt. Tomt om den saknas."),
    ("follow_up.line", "int", "Raden i källan där uppföljningen står."),
    ("follow_up.page", "int", "Sidan i källan där uppföljningen står."),
    ("waivers", "waivers", "Deklarerade undantag för hela planen. " + _WAIVER_HELP),
    ("note", "text", "Fri anteckning."),
)

# Indikatorer: (column, help). The indicator's own fields come first and last; the value's in between.
INDICATOR_COLUMNS: tuple[tuple[str, str], ...] = (
    ("indicator", "Indikatorns id: samma id för samma mått i alla dokument (bokstäver, siffror, - _ .). "
                  "En rad per värde; indikatorns fält upprepas på varje rad."),
    ("name", "Indikatorn (styrmåttet) som den är tryckt."),
    ("path", f"Målhierarkin uppifrån: målområde/perspektiv{PATH_SEPARATOR}mål{PATH_SEPARATOR}framgångsfaktor."),
    ("unit", "Enhet: %, antal, st, kr, mnkr, index, ja/delvis/nej … Tomt om ingen är tryckt."),
    ("kind", "quantitative (tal) eller qualitative (ja/delvis/nej och liknande)."),
    ("source", "Källa som tryckt (Cognos, Kolada, Nationell patientenkät …). Tomt om ingen är tryckt."),
    ("follow_up", "Uppföljningsperiod som tryckt, t.ex. DÅ04,08, ÅR."),
    ("role", "Värdets roll: baseline (ingångsvärde/utfall före perioden), target (målvärde), outcome (periodens utfall). "
             "Tomt för en indikator utan värden."),
    ("period", "Perioden värdet avser, som tryckt: 2020, 2022-T1, T1 2019."),
    ("series", "Vilken serie, när en cell trycker flera (RVN, Riket); annars tomt."),
    ("value", "Värdet när det inte är uppdelat på kön, exakt som tryckt (5,0 %, 1 369 635, Öka, Ny indikator). "
              "Skriv som text, avrunda aldrig."),
    ("K", "Kvinnor (flickor), exakt som tryckt."),
    ("M", "Män (pojkar), exakt som tryckt."),
    ("total", "Totalt bredvid en uppdelning på kön, exakt som tryckt."),
    ("note", "Anteckning om värdet."),
    ("line", "Raden i källan där värdet står."),
    ("page", "Sidan i källan där värdet står."),
    ("about_people", "ja om måttet gäller personer (ska delas upp på kön), nej om inte, tomt: plankoll avgör av namnet."),
    ("indicator_note", "Anteckning om indikatorn."),
    ("indicator_waivers", "Deklarerade undantag för indikatorn. " + _WAIVER_HELP),
    ("indicator_line", "Raden i källan där indikatorn står."),
    ("indicator_page", "Sidan i källan där indikatorn står."),
)
_INDICATOR_FIELDS = ("indicator", "name", "path", "unit", "kind", "source", "follow_up", "about_people", "indicator_note",
                     "indicator_waivers", "indicator_line", "indicator_page")
_VALUE_FIELDS = ("role", "period", "series", "value", "K", "M", "total", "note", "line", "page")
_FIGURES = ("value", "K", "M", "total")

TABLE_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("table", "text", "Tabellens id (bokstäver, siffror, - _ .)."),
    ("title", "text", "Tabellens rubrik som tryckt."),
    ("unit", "text", "Enhet för talen när tabellen trycker en (mnkr, tkr, antal, %)."),
    ("indicator", "text", "Id för indikatorn som tabellen redovisar i detalj, om någon."),
    ("indicator_column", "text", "Kolumnen med indikatorns värde, när kolumnerna inte bara är dess perioder."),
    ("text_columns", "text", "Textkolumner (t.ex. Metod), en per rad: deras celler är inte siffror."),
    ("column_sums", "text", "Summakolumner, en per rad: {column: Totalt, sum_of: [K, M]}."),
    ("derived", "text", "Härledda kolumner, en per rad: {kind: change_pct, column: Förändring %, new: '2022', old: '2021'} "
                        "(change_pct, share_pct med numerator/denominator, difference)."),
    ("line", "int", "Raden i källan där tabellen står."),
    ("page", "int", "Sidan i källan där tabellen står."),
    ("waivers", "waivers", "Deklarerade undantag för tabellen. " + _WAIVER_HELP),
    ("note", "text", "Anteckning om tabellen."),
)
ROW_HEAD = (("id", "Radens id, unikt i tabellen (bokstäver, siffror, - _ .)."),
            ("label", "Radens rubrik som tryckt."),
            ("sum_of", "För en summa- eller delsummarad: id för raderna den summerar, kommaseparerade (t.ex. rlf, primarvard)."))
ROW_TAIL = (("line", "Raden i källan där raden står."), ("page", "Sidan i källan där raden står."),
            ("waivers", "Deklarerade undantag för raden. " + _WAIVER_HELP), ("note", "Anteckning om raden."))
_COLUMN_HELP = ("Kolumnen «{name}»: cellerna exakt som tryckta, som text (1 369 635, 5,0 %, -). "
                "En rubrikrad utan värden: lämna alla tomma. En tryckt tom cell i en rad med värden: lämna tom.")

# Drop-downs: closed vocabularies refuse other values; suggestions (information style) only propose.
_CHOICES = {"body_kind": [k.value for k in BodyKind], "document": [k.value for k in DocumentKind],
            "version.status": [k.value for k in Status], "source.ocr": [YES, NO], "role": [r.value for r in Role],
            "kind": ["quantitative", "qualitative"], "about_people": [YES, NO]}
_SUGGESTIONS = {"unit": ["%", "antal", "st", "kr", "tkr", "mnkr", "index", "ja/delvis/nej"],
                "follow_up": ["DÅ04", "DÅ08", "ÅR", "T1", "T2", "T3", "DÅ04, DÅ08, ÅR", "Månadsvis"]}
VALIDATED_ROWS = 1000  # rows below the header that get the drop-downs, beyond the rows written

README = """plankoll-arbetsbok: en planversion som controllern kan fylla i.

• Plan: planens uppgifter, en per rad (fält, värde). Håll muspekaren över en rubrik för att se vad som hör dit.
• Indikatorer: en rad per värde (ingångsvärde, målvärde, utfall). Indikatorns fält upprepas på varje rad.
  Lägg till ett värde genom att lägga till en rad med samma indikator-id.
• Tabell …: en flik per tabell (ramar, produktion, detaljtabeller). Överst tabellens uppgifter, under dess rader.
• Siffror skrivs som text, exakt som de är tryckta: 1 369 635, 5,0 %, −11,2, Öka, Ny indikator. Rätta aldrig en siffra:
  ett fel i dokumentet ska hittas av plankoll, inte försvinna.
• Tom cell = inget värde. En tryckt men tom cell skrivs med formeln ="".
• Kontrollera: plankoll check plan.xlsx   Till YAML: plankoll import plan.xlsx -o plan.plan.yaml

Exemplet är en påhittad plan; skriv över det med er egen."""


# --- writing -----------------------------------------------------------------------------------------------

def write_template(path: Path) -> None:
    """A workbook to fill in: every sheet, drop-downs and header comments, and a small example plan."""
    export_plan(example_plan(), path)


def export_plan(plan_version: PlanVersion, path: Path) -> None:
    """Write any plan version into the plankoll workbook (figures as printed text)."""
    from openpyxl import Workbook

    book = Workbook()
    _readme(book.active)
    _plan_sheet(book.create_sheet(PLAN_SHEET), plan_version.plan)
    _indicator_sheet(book.create_sheet(INDICATOR_SHEET), plan_version.indicators)
    names: set[str] = {README_SHEET.lower(), PLAN_SHEET.lower(), INDICATOR_SHEET.lower()}
    for n, table in enumerate(plan_version.tables, start=1):
        _table_sheet(book.create_sheet(_sheet_name(table.id, names)), table, n)
    book.properties.title = plan_version.plan.title
    book.properties.creator = "plankoll"
    try:
        book.save(path)
    except OSError as exc:
        raise ReadError(f"cannot write {path}: {exc.strerror or exc}", Location(str(path))) from None


def _readme(sheet: Any) -> None:
    from openpyxl.styles import Alignment, Font

    sheet.title = README_SHEET
    for r, line in enumerate(README.splitlines(), start=1):
        sheet.cell(r, 1, line).alignment = Alignment(wrap_text=False)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.column_dimensions["A"].width = 120


def _sheet_name(table_id: str, taken: set[str]) -> str:
    """'Tabell <id>' within Excel's 31 characters and without the characters it forbids, unique."""
    base = re.sub(r"[\[\]:*?/\\]", "-", f"{TABLE_PREFIX} {table_id}")[:31]
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def _plan_sheet(sheet: Any, plan: Plan) -> None:
    data = plan.model_dump(mode="python")
    data["plankoll"] = 1
    _field_rows(sheet, [(key, kind, help_, _dotted(data, key)) for key, kind, help_ in PLAN_FIELDS])
    for r, (key, _, _) in enumerate(PLAN_FIELDS, start=2):
        if key in _CHOICES:
            _drop_down(sheet, _CHOICES[key], f"B{r}", strict=True)


def _dotted(data: dict[str, Any], key: str) -> Any:
    for part in key.split("."):
        data = data.get(part) if isinstance(data, dict) else None
    return data


def _field_rows(sheet: Any, rows: list[tuple[str, str, str, Any]]) -> None:
    """fält | värde | beskrivning rows under a header."""
    from openpyxl.styles import Alignment, Font

    _header(sheet, 1, [(h, "") for h in FIELD_HEADER], with_comments=False)
    sheet["A1"].comment = _comment("Fältets namn, som i plankolls YAML-format. Ändra inte.")
    sheet["B1"].comment = _comment("Värdet. Beskrivningen till höger säger vad som hör hit.")
    sheet["C1"].comment = _comment("Vad fältet betyder. Läses inte av plankoll.")
    for r, (key, kind, help_, value) in enumerate(rows, start=2):
        sheet.cell(r, 1, key).font = Font(bold=True)
        _put(sheet.cell(r, 2), _encode(kind, value))
        sheet.cell(r, 3, help_).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 60
    sheet.column_dimensions["C"].width = 80


def _encode(kind: str, value: Any) -> Any:
    """A field's value as the cell holds it (None: blank)."""
    if value is None:
        return None
    if kind == "bool":
        return YES if value else NO
    if kind == "date":
        return value.isoformat()
    if kind == "int":
        return int(value)
    if kind == "waivers":
        return encode_waivers(value) if value else None
    return value.value if hasattr(value, "value") and not isinstance(value, str) else value


def _indicator_sheet(sheet: Any, indicators: list[Indicator]) -> None:
    columns = [name for name, _ in INDICATOR_COLUMNS]
    _header(sheet, 1, list(INDICATOR_COLUMNS))
    r = 2
    for ind in indicators:
        for value in ind.values or [None]:
            for c, item in enumerate(_indicator_row(ind, value, columns), start=1):
                _put(sheet.cell(r, c), item)
            r += 1
    _excel_table(sheet, "Indikatorer", len(columns), max(r - 1, 2))
    for c, name in enumerate(columns, start=1):
        if name in _CHOICES or name in _SUGGESTIONS:
            letter = sheet.cell(1, c).column_letter
            _drop_down(sheet, _CHOICES.get(name) or _SUGGESTIONS[name], f"{letter}2:{letter}{r + VALIDATED_ROWS}",
                       strict=name in _CHOICES)
    _widths(sheet, 1, {"indicator": 28, "name": 50, "path": 50, "value": 14, "K": 10, "M": 10, "total": 10, "note": 30})
    sheet.freeze_panes = "C2"


def _indicator_row(ind: Indicator, value: Value | None, columns: list[str]) -> list[Any]:
    own = {"indicator": ind.id, "name": ind.name, "path": encode_path(ind.path), "unit": ind.unit, "kind": ind.kind,
           "source": ind.source, "follow_up": ind.follow_up, "about_people": _encode("bool", ind.about_people),
           "indicator_note": ind.note, "indicator_waivers": _encode("waivers", ind.waivers), "indicator_line": ind.line,
           "indicator_page": ind.page}
    if value is not None:
        own.update({"role": value.role.value, "period": value.period, "series": value.series, "note": value.note,
                    "line": value.line, "page": value.page, **{k: getattr(value, k) for k in _FIGURES}})
    return [own.get(name) for name in columns]


def _table_sheet(sheet: Any, table: Table, n: int) -> None:
    data = table.model_dump(mode="python")
    data["table"] = table.id
    special = {"text_columns": encode_text_columns(table.columns), "column_sums": encode_models(table.column_sums),
               "derived": encode_models(table.derived)}
    _field_rows(sheet, [(key, kind, help_, special.get(key, data.get(key))) for key, kind, help_ in TABLE_FIELDS])
    top = len(TABLE_FIELDS) + 3  # a blank row between the table's fields and its rows
    names = [column_name(c) for c in table.columns]
    head = [*ROW_HEAD, *((name, _COLUMN_HELP.format(name=name)) for name in names), *ROW_TAIL]
    _header(sheet, top, head)
    for i, row in enumerate(table.rows, start=1):
        for c, item in enumerate(_row_cells(row, len(names)), start=1):
            _put(sheet.cell(top + i, c), item)
    heads = [h for h, _ in head]
    if len(set(heads)) == len(heads):  # Excel tables need unique header names; a table without one still reads back
        _excel_table(sheet, f"Tabell{n}", len(head), top + max(len(table.rows), 1), top)
    _widths(sheet, top, {"id": 22, "label": 40})


def _row_cells(row: Row, width: int) -> list[Any]:
    """id, label, sum_of, the cells, line, page, waivers, note. A row whose cells are all printed
    empty writes them as ="" so that it does not read back as a heading row (no cells)."""
    values: list[Any] = list(row.values) + [None] * (width - len(row.values)) if row.values else [None] * width
    if row.values and all(isinstance(v, str) and v == "" for v in row.values):
        values = [""] * width
    elif row.values:
        values = [None if isinstance(v, str) and v == "" else v for v in values]
    return [row.id, row.label, ", ".join(row.sum_of) or None, *values, row.line, row.page, _encode("waivers", row.waivers), row.note]


def _put(cell: Any, value: Any) -> None:
    """A value into a cell: text stays text (never a number or a formula), "" is ="", a reading
    is its figure with a comment."""
    if value is None:
        return
    if isinstance(value, Reading):
        cell.comment = _comment(encode_reading(value), width=320, height=110)
        value = value.value
    if isinstance(value, str):
        if value == "":
            cell.value = EMPTY
            return
        try:
            cell.value = value
        except ValueError as exc:  # openpyxl's IllegalCharacterError for control characters
            raise ValueError(f"{cell.coordinate}: {value[:40]!r} cannot be written to a workbook: {exc}") from None
        cell.data_type = "s"
        cell.number_format = "@"
        return
    cell.value = value


def _header(sheet: Any, row: int, heads: list[tuple[str, str]], with_comments: bool = True) -> None:
    from openpyxl.styles import Font, PatternFill

    fill = PatternFill("solid", start_color="FFDDEBF7")
    for c, (name, help_) in enumerate(heads, start=1):
        cell = sheet.cell(row, c, name)
        cell.data_type = "s"
        cell.font = Font(bold=True)
        cell.fill = fill
        if with_comments and help_:
            cell.comment = _comment(help_)


def _comment(text: str, width: int = 300, height: int = 120) -> Any:
    from openpyxl.comments import Comment

    comment = Comment(text, "plankoll")
    comment.width, comment.height = width, height
    return comment


def _excel_table(sheet: Any, name: str, width: int, bottom: int, top: int = 1) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.table import Table as ExcelTable
    from openpyxl.worksheet.table import TableStyleInfo

    table = ExcelTable(displayName=name, ref=f"A{top}:{get_column_letter(width)}{max(bottom, top + 1)}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    sheet.add_table(table)


def _drop_down(sheet: Any, choices: list[str], cells: str, strict: bool) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    rule = DataValidation(type="list", formula1='"' + ",".join(c.replace(",", " ") for c in choices) + '"', allow_blank=True,
                          showErrorMessage=True, errorStyle="stop" if strict else "information",
                          error="Välj ett av värdena i listan." if strict else "Inte ett av de vanliga värdena; skriv som tryckt.")
    rule.add(cells)
    sheet.add_data_validation(rule)


def _widths(sheet: Any, row: int, widths: dict[str, int]) -> None:
    for cell in sheet[row]:
        width = widths.get(str(cell.value), 14)
        sheet.column_dimensions[cell.column_letter].width = width


# --- lists and readings in one cell: readable when that reads back exactly, else YAML flow ----------------

def _flow(value: Any) -> str:
    """YAML flow on one line; JSON (which YAML reads too) where YAML would fold a multi-line text."""
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10**9, sort_keys=False).strip()
    return text if "\n" not in text else json.dumps(value, ensure_ascii=False)


def _checked(readable: str, decode: Callable[[str], Any], value: Any) -> str:
    """The readable form when it decodes back to the value, otherwise YAML flow."""
    try:
        exact = not readable.startswith(("[", "{")) and decode(readable) == value
    except ValueError:
        exact = False
    return readable if exact else _flow(value)


def encode_path(path: list[str]) -> str | None:
    return _checked(PATH_SEPARATOR.join(path), decode_path, path) if path else None


def decode_path(text: str | None) -> list[str]:
    if text is None:
        return []
    if text.startswith("["):
        return _yaml(text, list)
    return text.split(PATH_SEPARATOR)


def encode_waivers(waivers: dict[str, str]) -> str:
    return _checked("\n".join(f"{rule}: {reason}" for rule, reason in waivers.items()), decode_waivers, waivers)


def decode_waivers(text: str | None) -> dict[str, str]:
    if text is None or not text.strip():
        return {}
    if text.lstrip().startswith("{"):
        return _yaml(text, dict)
    out = {}
    for line in text.splitlines():
        rule, colon, reason = line.partition(": ")
        if not colon:
            raise ValueError(f"a declared exception is «RULE: reason», not {line[:60]!r}")
        out[rule.strip()] = reason
    return out


def encode_text_columns(columns: list[str | Column]) -> str | None:
    objects = [c for c in columns if isinstance(c, Column)]
    if not objects:
        return None
    if all(c.text and "\n" not in c.name and c.name.strip() == c.name and not c.name.startswith("[") for c in objects):
        return "\n".join(c.name for c in objects)
    return _flow([c.model_dump() for c in objects])


def decode_text_columns(text: str | None) -> dict[str, Column]:
    if text is None or not text.strip():
        return {}
    if text.startswith("["):
        return {c.name: c for c in (Column.model_validate(item) for item in _yaml(text, list))}
    return {name: Column(name=name, text=True) for name in text.splitlines() if name}


def encode_models(items: list[BaseModel]) -> str | None:
    return "\n".join(_flow(item.model_dump(exclude_none=True)) for item in items) or None


def encode_reading(reading: Reading) -> str:
    return yaml.safe_dump({"ocr": reading.ocr, "note": reading.note}, allow_unicode=True, sort_keys=False, width=10**9).strip()


def _reading(text: str | None, value: str) -> Reading | None:
    if not text or not text.startswith("ocr:"):
        return None
    data = _yaml(text, dict)
    return Reading(value=value, ocr=str(data.get("ocr")), note=data.get("note"))


def _yaml(text: str, kind: type) -> Any:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ValueError(f"cannot read {text[:60]!r}: {exc}") from None
    if not isinstance(data, kind):
        raise ValueError(f"expected a YAML {'list' if kind is list else 'mapping'}, not {text[:60]!r}")
    return data


# --- reading ---------------------------------------------------------------------------------------------------

def read_template(path: Path, data: bytes | None = None) -> PlanVersion | None:
    """The plan version of a plankoll workbook; None when the workbook is not one (ReadError when
    it cannot be read at all, ValueError naming the cell when what it holds is not a plan version)."""
    found = import_template(path, data)
    return found[0] if found else None


def import_template(path: Path, data: bytes | None = None) -> Any:
    """(PlanVersion, Interpretation) of a plankoll workbook, each element located at its sheet and
    cell; None when `path` is not a plankoll workbook (then read it as any workbook)."""
    if path.suffix.lower() != ".xlsx":
        return None
    from plankoll.interpret import Interpretation
    from plankoll.readers.xlsx import open_workbook

    book = open_workbook(path, data)
    if not _is_template(book):
        return None
    reader = _TemplateReader(book)
    plan = reader.plan_version()
    explain = [{"what": "template", "table": {"file": book.file, "sheet": INDICATOR_SHEET},
                "read_as": f"plankoll workbook: {len(plan.indicators)} indicators, {len(plan.tables)} tables"}]
    document = plan.model_dump(mode="json", exclude_none=True)
    return plan, Interpretation(document, reader.locations, [], explain)


def _is_template(book: Any) -> bool:
    """Recognised by its sheets and their header rows, without reading anything else."""
    if PLAN_SHEET not in book.sheet_names or INDICATOR_SHEET not in book.sheet_names:
        return False
    plan, indicators = book.sheet(PLAN_SHEET), book.sheet(INDICATOR_SHEET)
    if plan.bounds is None or indicators.bounds is None:
        return False
    top, left = plan.bounds[0], plan.bounds[1]
    return ([plan.text(top, left + c).strip().lower() for c in range(2)] == list(FIELD_HEADER[:2])
            and [indicators.text(indicators.bounds[0], indicators.bounds[1] + c).strip() for c in range(2)] == ["indicator", "name"])


class _TemplateReader:
    def __init__(self, book: Any):
        self.book, self.file = book, book.file
        self.locations: dict[tuple[Any, ...], Location] = {}

    def plan_version(self) -> PlanVersion:
        plan = self._plan()
        indicators = self._indicators()
        tables = [self._table(self.book.sheet(name), t) for t, name in enumerate(self._table_sheets())]
        try:
            version = PlanVersion(plankoll=1, plan=plan, indicators=indicators, tables=tables)
        except ValidationError as exc:
            raise ValueError(_problems(exc, f"{INDICATOR_SHEET}")) from None
        self._check_structure(version)
        return version

    def _check_structure(self, version: PlanVersion) -> None:
        """What the YAML loader refuses the workbook may not hold either: duplicate ids, rows that
        sum rows the table lacks, ragged rows, text that looks like a figure but is none."""
        from plankoll.loader import _structure_errors  # the one definition of these checks

        problems = []
        for path, message in _structure_errors(version, None):
            where = next((self.locations[path[:n]] for n in range(len(path), 0, -1) if path[:n] in self.locations), None)
            problems.append(f"{where.sheet}!{where.cell}: {message}" if where else message)
        if problems:
            raise ValueError("; ".join(problems[:5]) + (f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""))

    def _table_sheets(self) -> list[str]:
        out = []
        for name in self.book.sheet_names:
            if name.startswith(TABLE_PREFIX):
                sheet = self.book.sheet(name)
                if sheet.bounds and sheet.text(sheet.bounds[0], sheet.bounds[1]).strip().lower() == FIELD_HEADER[0]:
                    out.append(name)
        return out

    def _where(self, sheet: Any, r: int, c: int) -> Location:
        from plankoll.readers.xlsx import address

        return Location(self.file, sheet=sheet.name, cell=address(r, c))

    # --- fält | värde sheets ---
    def _fields(self, sheet: Any, known: tuple[tuple[str, str, str], ...]) -> tuple[dict[str, Any], dict[str, tuple[int, int]]]:
        """key → the value as its kind reads it, and key → its cell; the rows below the fields end at a blank row."""
        kinds = {key: kind for key, kind, _ in known}
        top, left = sheet.bounds[0], sheet.bounds[1]
        values: dict[str, Any] = {}
        cells: dict[str, tuple[int, int]] = {}
        for r in range(top + 1, sheet.bounds[2] + 1):
            key = sheet.text(r, left).strip()
            if not key:
                break
            if key not in kinds:
                raise ValueError(f"{sheet.name}!{self._where(sheet, r, left).cell}: unknown field {key!r} "
                                 f"(the fields are {', '.join(kinds)})")
            values[key] = _typed(sheet, r, left + 1, kinds[key])
            cells[key] = (r, left + 1)
        return values, cells

    def _plan(self) -> Plan:
        sheet = self.book.sheet(PLAN_SHEET)
        values, cells = self._fields(sheet, PLAN_FIELDS)
        nested: dict[str, Any] = {}
        for key, value in values.items():
            if value is not None and key != "plankoll" and not (key == "waivers" and not value):
                parent = nested
                *heads, last = key.split(".")
                for head in heads:
                    parent = parent.setdefault(head, {})
                parent[last] = value
        self.locations[("plan",)] = self._where(sheet, *cells.get("id", (sheet.bounds[0], sheet.bounds[1])))
        return _validated(Plan, nested, sheet.name, self._where(sheet, sheet.bounds[0], sheet.bounds[1]).cell or "A1")

    # --- Indikatorer ---
    def _indicators(self) -> list[Indicator]:
        sheet = self.book.sheet(INDICATOR_SHEET)
        columns = _head(sheet, sheet.bounds[0], sheet.bounds[1])
        groups: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        for r in range(sheet.bounds[0] + 1, sheet.bounds[2] + 1):
            row = {name: _typed(sheet, r, c, _INDICATOR_KINDS.get(name, "text")) for name, c in columns.items()}
            if all(v is None for v in row.values()):
                continue
            if not row.get("indicator"):
                raise ValueError(f"{sheet.name}!{self._where(sheet, r, columns['indicator']).cell}: the indicator id is missing")
            groups.setdefault(row["indicator"], []).append((r, row))
        return [self._indicator(sheet, columns, i, rows) for i, rows in enumerate(groups.values())]

    def _indicator(self, sheet: Any, columns: dict[str, int], i: int, rows: list[tuple[int, dict[str, Any]]]) -> Indicator:
        first_row, first = rows[0]
        for r, row in rows[1:]:
            for name in _INDICATOR_FIELDS:
                if row.get(name) is not None and row.get(name) != first.get(name):
                    raise ValueError(f"{sheet.name}!{self._where(sheet, r, columns[name]).cell}: {name} differs from the "
                                     f"indicator's first row ({self._where(sheet, first_row, columns[name]).cell})")
        self.locations[("indicators", i)] = self._where(sheet, first_row, columns.get("name", columns["indicator"]))
        with_values = [(r, row) for r, row in rows if row.get("role") is not None or any(row.get(k) is not None for k in _VALUE_FIELDS)]
        values = [self._value(sheet, columns, i, j, r, row) for j, (r, row) in enumerate(with_values)]
        data = {"id": first["indicator"], "name": first.get("name"), "path": decode_path(first.get("path")), "unit": first.get("unit"),
                "kind": first.get("kind"), "about_people": first.get("about_people"), "source": first.get("source"),
                "follow_up": first.get("follow_up"), "values": values, "line": first.get("indicator_line"),
                "page": first.get("indicator_page"), "waivers": first.get("indicator_waivers") or {}, "note": first.get("indicator_note")}
        return _validated(Indicator, data, sheet.name, self.locations[("indicators", i)].cell or "")

    def _value(self, sheet: Any, columns: dict[str, int], i: int, j: int, r: int, row: dict[str, Any]) -> Value:
        at = ("indicators", i, "values", j)
        self.locations[at] = self._where(sheet, r, columns["role"])
        for slot in _FIGURES:
            if row.get(slot) is not None:
                self.locations[(*at, slot)] = self._where(sheet, r, columns[slot])
        data = {k: row.get(k) for k in _VALUE_FIELDS}
        if all(data[k] is None for k in _FIGURES):
            data["value"] = ""  # a value row without a figure: printed empty
        return _validated(Value, data, sheet.name, self.locations[at].cell or "")

    # --- Tabell … ---
    def _table(self, sheet: Any, t: int) -> Table:
        values, cells = self._fields(sheet, TABLE_FIELDS)
        head_row = _row_head(sheet)
        head = _head_list(sheet, head_row)
        names = head[len(ROW_HEAD):len(head) - len(ROW_TAIL)]
        if [h for h, _ in ROW_HEAD] != head[:len(ROW_HEAD)] or [h for h, _ in ROW_TAIL] != head[len(head) - len(ROW_TAIL):] or not names:
            raise ValueError(f"{sheet.name}: the header of the rows must be id, label, sum_of, the columns, line, page, waivers, note")
        self.locations[("tables", t)] = self._where(sheet, *cells.get("table", (sheet.bounds[0], sheet.bounds[1])))
        objects = decode_text_columns(values.get("text_columns"))
        rows = [self._row(sheet, t, n, r, len(names)) for n, r in enumerate(_filled_rows(sheet, head_row))]
        data = {"id": values.get("table"), "title": values.get("title"), "unit": values.get("unit"),
                "columns": [objects.get(name, name) for name in names], "rows": rows,
                "column_sums": [ColumnSum.model_validate(_yaml(line, dict)) for line in _lines(values.get("column_sums"))],
                "derived": [Derived.model_validate(_yaml(line, dict)) for line in _lines(values.get("derived"))],
                "indicator": values.get("indicator"), "indicator_column": values.get("indicator_column"), "line": values.get("line"),
                "page": values.get("page"), "waivers": values.get("waivers") or {}, "note": values.get("note")}
        return _validated(Table, data, sheet.name, self.locations[("tables", t)].cell or "")

    def _row(self, sheet: Any, t: int, r_index: int, r: int, width: int) -> Row:
        left = sheet.bounds[1]
        at = ("tables", t, "rows", r_index)
        self.locations[at] = self._where(sheet, r, left + 1)
        cells = [_figure(sheet, r, left + len(ROW_HEAD) + k) for k in range(width)]
        if any(cell is not None for cell in cells):
            for k in range(width):
                self.locations[(*at, "values", k)] = self._where(sheet, r, left + len(ROW_HEAD) + k)
            values = ["" if cell is None else cell for cell in cells]
        else:
            values = []
        tail = left + len(ROW_HEAD) + width
        data = {"id": _typed(sheet, r, left, "text"), "label": _typed(sheet, r, left + 1, "text") or "",
                "values": values, "sum_of": [s.strip() for s in (_typed(sheet, r, left + 2, "text") or "").split(",") if s.strip()],
                "line": _typed(sheet, r, tail, "int"), "page": _typed(sheet, r, tail + 1, "int"),
                "waivers": _typed(sheet, r, tail + 2, "waivers") or {}, "note": _typed(sheet, r, tail + 3, "text")}
        return _validated(Row, data, sheet.name, self.locations[at].cell or "")


_INDICATOR_KINDS = {"about_people": "bool", "indicator_waivers": "waivers", "indicator_line": "int", "indicator_page": "int",
                    "line": "int", "page": "int", **dict.fromkeys(_FIGURES, "figure")}


def _filled_rows(sheet: Any, head_row: int) -> list[int]:
    left, right = sheet.bounds[1], sheet.bounds[3]
    return [r for r in range(head_row + 1, sheet.bounds[2] + 1) if any(_present(sheet, r, c) for c in range(left, right + 1))]


def _lines(text: str | None) -> list[str]:
    return [line for line in (text or "").splitlines() if line.strip()]


def _head(sheet: Any, row: int, left: int) -> dict[str, int]:
    """Header name → column, for the names the sheet must have."""
    found = {sheet.text(row, c).strip(): c for c in range(left, sheet.bounds[3] + 1) if sheet.text(row, c).strip()}
    missing = [name for name, _ in INDICATOR_COLUMNS if name not in found]
    if missing:
        raise ValueError(f"{sheet.name}: the header row lacks {', '.join(missing)}")
    return {name: found[name] for name, _ in INDICATOR_COLUMNS}


def _head_list(sheet: Any, row: int) -> list[str]:
    texts = [sheet.text(row, c).strip() for c in range(sheet.bounds[1], sheet.bounds[3] + 1)]
    while texts and not texts[-1]:
        texts.pop()
    return texts


def _row_head(sheet: Any) -> int:
    left = sheet.bounds[1]
    for r in range(sheet.bounds[0] + 1, sheet.bounds[2] + 1):
        if [sheet.text(r, left + c).strip() for c in range(len(ROW_HEAD))] == [h for h, _ in ROW_HEAD]:
            return r
    raise ValueError(f"{sheet.name}: no header row id | label | sum_of | … for the table's rows")


def _present(sheet: Any, r: int, c: int) -> bool:
    value = sheet.value(r, c)
    return (value is not None and value != "") or sheet.is_formula(r, c)


def _figure(sheet: Any, r: int, c: int) -> str | Reading | None:
    """A figure cell: None when blank, "" for ="", the printed text otherwise (a number typed by
    hand prints with its number format), a Reading when a comment holds `ocr:`."""
    if not _present(sheet, r, c):
        return None
    value = sheet.value(r, c)
    text = "" if value is None or value == "" else sheet.text(r, c)
    return _reading(sheet.comment(r, c), text) or text


def _typed(sheet: Any, r: int, c: int, kind: str) -> Any:
    """A cell as its field's kind reads it (None when blank)."""
    if kind == "figure":
        return _figure(sheet, r, c)
    if not _present(sheet, r, c):
        return None
    value = sheet.value(r, c)
    if value is None or value == "":
        return ""
    try:
        return _READ[kind](value, sheet.text(r, c))
    except (ValueError, TypeError) as exc:
        from plankoll.readers.xlsx import address

        raise ValueError(f"{sheet.name}!{address(r, c)}: {exc}") from None


def _int(value: Any, text: str) -> int:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and re.fullmatch(r"\s*\d+\s*", value):
        return int(value)
    raise ValueError(f"expected a whole number, not {text!r}")


def _bool(value: Any, text: str) -> bool:
    if isinstance(value, bool):
        return value
    flat = text.strip().lower()
    if flat in (YES, "true", "sant", "1"):
        return True
    if flat in (NO, "false", "falskt", "0"):
        return False
    raise ValueError(f"expected ja or nej, not {text!r}")


def _date(value: Any, text: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"expected a date ÅÅÅÅ-MM-DD, not {text!r}") from None


_READ: dict[str, Callable[[Any, str], Any]] = {
    "text": lambda value, text: text, "int": _int, "bool": _bool, "date": _date,
    "waivers": lambda value, text: decode_waivers(text),
}


def _validated(model: type[BaseModel], data: dict[str, Any], sheet: str, cell: str) -> Any:
    try:
        return model.model_validate({k: v for k, v in data.items() if v is not None})
    except ValidationError as exc:
        raise ValueError(_problems(exc, f"{sheet}!{cell}")) from None


def _problems(exc: ValidationError, where: str) -> str:
    problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:5])
    return f"{where}: not a valid plan version: {problems}"


# --- the example ----------------------------------------------------------------------------------------------

def example_plan() -> PlanVersion:
    """A small, made-up plan: what the template shows filled in."""
    people = ["Medborgare", "Mål: Vården är tillgänglig och jämlik"]
    staff = ["Medarbetare", "Mål: En hållbar arbetsmiljö"]
    return PlanVersion.model_validate({
        "plankoll": 1,
        "plan": {"id": "exempel-hsn-vp", "organisation": "Region Exempel", "body": "Hälso- och sjukvårdsnämnden", "body_kind": "nämnd",
                 "document": "verksamhetsplan", "title": "Verksamhetsplan 2025 (2026–2027)", "period": {"first": 2025, "last": 2027},
                 "version": {"label": "0.3", "status": "utkast"}, "source": {"document": "verksamhetsplan-2025.docx"},
                 "follow_up": {"text": "Indikatorerna följs upp i delårsrapporterna och i årsredovisningen."}},
        "indicators": [
            {"id": "exempel-vantetid-90d", "name": "Andel patienter som väntat högst 90 dagar till första besök", "path": people,
             "unit": "%", "source": "Väntetider i vården", "follow_up": "DÅ04, DÅ08, ÅR",
             "values": [{"role": "baseline", "period": "2024", "K": "78 %", "M": "81 %", "total": "79 %"},
                        {"role": "target", "period": "2025", "K": "85 %", "M": "85 %", "total": "85 %"},
                        {"role": "target", "period": "2027", "K": "90 %", "M": "90 %", "total": "90 %"}]},
            {"id": "exempel-undvikbar-slutenvard", "name": "Andel undvikbar slutenvård hos personer med kroniska tillstånd",
             "path": people, "unit": "%", "source": "Cognos", "follow_up": "ÅR",
             "waivers": {"PK501": "Uppdelning i kön saknas i källan (fotnot 1)"},
             "values": [{"role": "baseline", "period": "2024", "value": "6,8 %"}, {"role": "target", "period": "2027", "value": "6,0 %"}]},
            {"id": "exempel-patientsakerhetsplan", "name": "Patientsäkerhetsplanen är fastställd", "path": people, "kind": "qualitative",
             "unit": "ja/delvis/nej", "about_people": False, "source": "Nämndens protokoll", "follow_up": "ÅR",
             "values": [{"role": "baseline", "period": "2024", "value": "Delvis"}, {"role": "target", "period": "2025", "value": "Ja"}]},
            {"id": "exempel-sjukfranvaro", "name": "Sjukfrånvaro", "path": staff, "unit": "%", "about_people": True,
             "source": "Personalsystemet", "follow_up": "DÅ08, ÅR",
             "values": [{"role": "baseline", "period": "2024", "K": "7,9 %", "M": "4,1 %", "total": "7,1 %"},
                        {"role": "target", "period": "2027", "K": "Minska", "M": "Minska", "total": "Minska"}]},
        ],
        "tables": [
            {"id": "exempel-ramar", "title": "Ekonomiska ramar", "unit": "mnkr", "columns": ["Ram 2025", "Ram 2026", "Ram 2027"],
             "rows": [{"id": "primarvard", "label": "Primärvård", "values": ["1 250,0", "1 280,5", "1 310,0"]},
                      {"id": "specialistvard", "label": "Specialiserad vård", "values": ["3 410,2", "3 495,0", "3 560,8"]},
                      {"id": "tandvard", "label": "Tandvård", "values": ["402,3", "410,0", "418,2"]},
                      {"id": "totalt", "label": "Hälso- och sjukvårdsnämnden totalt", "values": ["5 062,5", "5 185,5", "5 289,0"],
                       "sum_of": ["primarvard", "specialistvard", "tandvard"]}]},
        ],
    })
