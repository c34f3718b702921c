"""The sentences of input errors, in Swedish and English: what a plan file says wrong, said in the
run's language (a report is wholly in one language, validation errors included).

Readers and the loader call `say(key, **params)`; the run sets the language with `use(lang)` before
any file is read (in every worker too). Used as a library without a run, the language is English.
The errors of the format's schema come from pydantic by error type and are said here in our own
words (`validation`), never in pydantic's English.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_state = {"lang": "en"}

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "no_plans_here": "no plan versions ({suffixes}) under this directory",
        "no_such_path": "no such file or directory",
        "cannot_read": "cannot read: {reason}",
        "cannot_read_directory": "cannot read this directory: {reason}",
        "not_yaml": "not valid YAML: {problem}",
        "not_mapping": "a plan version is a YAML mapping with the keys plankoll, plan, indicators, tables",
        "format_version": "expected 'plankoll: {version}' (the format version) at the top of a plan version, got {got}",
        "not_utf8": "not UTF-8 text (byte 0x{byte}); save the file as UTF-8",
        "too_large": "{size} MB is more than plankoll reads ({limit} MB; raise max_file_mb in plankoll.toml if this is really one plan)",
        "internal": "internal error in plankoll while reading this file ({error})",
        "duplicate_indicator": "duplicate indicator id {id} (also indicators.{other})",
        "duplicate_table": "duplicate table id {id} (also tables.{other})",
        "no_indicator": "no indicator with id {id} in this plan version",
        "duplicate_column": "duplicate column {name}",
        "duplicate_row": "duplicate row id {id} in table {table}",
        "ragged_row": "row {id} has {cells} cells but the table has {columns} columns",
        "no_row": "no row {id} in table {table}",
        "row_sums_itself": "row {id} cannot sum itself",
        "no_column": "no column {name} in table {table}",
        # pydantic's error types, in our words
        "v_missing": "required, but missing",
        "v_extra_forbidden": "unknown key (see `plankoll schema` for the keys this format has)",
        "v_string_type": "expected text",
        "v_string_figure": "expected text (write figures as quoted text exactly as printed, e.g. '6,5 %')",
        "v_int": "expected a whole number",
        "v_bool": "expected true or false",
        "v_list": "expected a list",
        "v_dict": "expected a mapping of keys",
        "v_choice": "expected one of {expected}",
        "v_pattern": "does not have the form of an id (letters, digits, . _ -) or rule id (PK101)",
        "v_too_small": "must be at least {limit}",
        "v_too_large": "must be at most {limit}",
        "v_too_short": "must not be empty",
        "v_date": "not a valid date (YYYY-MM-DD)",
        "v_value": "{detail}",
        "v_other": "not valid here ({type})",
        # YAML
        "y_alias": "anchors and aliases (*name) are not part of the plan-version format; write the value out",
        "y_not_a_key": "{key} is not a key: a key is a plain name",
        "y_not_a_key_flow": "{key} is not a key: a key is a plain name — a figure with a comma in {{…}} must be quoted, "
                            "e.g. value: \"1 234,5\"",
        "y_duplicate_key": "duplicate key {key} (first given on line {line})",
        "y_too_deep": "nested deeper than {limit} levels; a plan version needs a few",
        "y_control": "a control character (U+{code}) that YAML does not allow; remove it",
        "reader_other": "{detail}",
        "metadata_missing": "cannot tell {missing} from the document: write them in {sidecar} beside it ({how}), or give them to "
                            "`plankoll import`",
    },
    "sv": {
        "no_plans_here": "inga planversioner ({suffixes}) i den här mappen",
        "no_such_path": "filen eller mappen finns inte",
        "cannot_read": "kan inte läsas: {reason}",
        "cannot_read_directory": "mappen kan inte läsas: {reason}",
        "not_yaml": "inte giltig YAML: {problem}",
        "not_mapping": "en planversion är en YAML-mappning med nycklarna plankoll, plan, indicators, tables",
        "format_version": "förväntade 'plankoll: {version}' (formatets version) överst i en planversion, fick {got}",
        "not_utf8": "inte UTF-8-text (byte 0x{byte}); spara filen som UTF-8",
        "too_large": "{size} MB är mer än plankoll läser ({limit} MB; höj max_file_mb i plankoll.toml om det verkligen är en plan)",
        "internal": "internt fel i plankoll när filen lästes ({error})",
        "duplicate_indicator": "måttets id {id} finns redan (även indicators.{other})",
        "duplicate_table": "tabellens id {id} finns redan (även tables.{other})",
        "no_indicator": "inget mått med id {id} i den här planversionen",
        "duplicate_column": "kolumnen {name} finns två gånger",
        "duplicate_row": "radens id {id} finns redan i tabellen {table}",
        "ragged_row": "raden {id} har {cells} celler men tabellen har {columns} kolumner",
        "no_row": "ingen rad {id} i tabellen {table}",
        "row_sums_itself": "raden {id} kan inte summera sig själv",
        "no_column": "ingen kolumn {name} i tabellen {table}",
        "v_missing": "krävs, men saknas",
        "v_extra_forbidden": "okänd nyckel (`plankoll schema` visar formatets nycklar)",
        "v_string_type": "förväntade text",
        "v_string_figure": "förväntade text (skriv tal som citerad text exakt som de är tryckta, t.ex. '6,5 %')",
        "v_int": "förväntade ett heltal",
        "v_bool": "förväntade true eller false",
        "v_list": "förväntade en lista",
        "v_dict": "förväntade en mappning av nycklar",
        "v_choice": "förväntade ett av {expected}",
        "v_pattern": "har inte formen av ett id (bokstäver, siffror, . _ -) eller regel-id (PK101)",
        "v_too_small": "måste vara minst {limit}",
        "v_too_large": "får vara högst {limit}",
        "v_too_short": "får inte vara tomt",
        "v_date": "inget giltigt datum (ÅÅÅÅ-MM-DD)",
        "v_value": "{detail}",
        "v_other": "inte giltigt här ({type})",
        "y_alias": "ankare och alias (*namn) hör inte till planversionsformatet; skriv ut värdet",
        "y_not_a_key": "{key} är ingen nyckel: en nyckel är ett enkelt namn",
        "y_not_a_key_flow": "{key} är ingen nyckel: en nyckel är ett enkelt namn — ett tal med kommatecken inom {{…}} ska "
                            "citeras, t.ex. value: \"1 234,5\"",
        "y_duplicate_key": "nyckeln {key} finns två gånger (först på rad {line})",
        "y_too_deep": "nästlad djupare än {limit} nivåer; en planversion behöver några få",
        "y_control": "ett styrtecken (U+{code}) som YAML inte tillåter; ta bort det",
        "reader_other": "dokumentet kan inte läsas («{detail}»)",
        "metadata_missing": "dokumentet anger inte {missing}: skriv dem i {sidecar} bredvid det ({how}), eller ange dem för "
                            "`plankoll import`",
    },
}
_TYPES = {
    "missing": "v_missing", "extra_forbidden": "v_extra_forbidden", "string_type": "v_string_type", "int_type": "v_int",
    "int_parsing": "v_int", "int_from_float": "v_int", "bool_type": "v_bool", "bool_parsing": "v_bool", "list_type": "v_list",
    "dict_type": "v_dict", "model_type": "v_dict", "model_attributes_type": "v_dict", "literal_error": "v_choice",
    "enum": "v_choice", "string_pattern_mismatch": "v_pattern", "greater_than_equal": "v_too_small", "greater_than": "v_too_small",
    "less_than_equal": "v_too_large", "less_than": "v_too_large", "too_short": "v_too_short", "string_too_short": "v_too_short",
    "date_parsing": "v_date", "date_from_datetime_parsing": "v_date", "date_from_datetime_inexact": "v_date", "date_type": "v_date",
    "value_error": "v_value",
}


# The YAML parser's own words (PyYAML), said in Swedish phrase by phrase; what is not here stays as
# the parser wrote it, quoted, so that a Swedish report never pretends it is Swedish.
_PARSER_SV = (
    ("while parsing a block mapping", "i en blockmappning"), ("while parsing a flow mapping", "i en inbäddad mappning"),
    ("while parsing a block collection", "i en blocklista"), ("while parsing a flow sequence", "i en inbäddad lista"),
    ("while scanning a simple key", "i en nyckel"), ("while scanning a quoted scalar", "i en citerad text"),
    ("while scanning a plain scalar", "i ett värde"), ("while parsing a flow node", "i ett inbäddat värde"),
    ("mapping values are not allowed in this context", "ett mappningsvärde får inte stå här (fel indrag, eller saknas citattecken?)"),
    ("mapping values are not allowed here", "ett mappningsvärde får inte stå här (saknas citattecken eller ett radbyte?)"),
    ("could not find expected ':'", "hittade inte väntat ':'"), ("did not find expected key", "hittade inte väntad nyckel"),
    ("did not find expected node content", "hittade inte väntat värde"),
    ("did not find expected ',' or '}'", "hittade inte väntat ',' eller '}'"), ("did not find expected ',' or ']'", "hittade inte väntat ',' eller ']'"),
    ("found unexpected end of stream", "filen tar slut oväntat"), ("found character that cannot start any token", "ett tecken som inget värde kan börja med"),
    ("found unknown escape character", "okänt escape-tecken"), ("expected <block end>, but found", "väntade slutet på blocket, men fann"),
    ("found unexpected ':'", "oväntat ':'"), ("the construct started on line", "konstruktionen började på rad"),
)


# A document reader's errors (Word, PDF, Excel, text), sentence by sentence in Swedish; a library's
# own diagnostic inside one (after "damaged …: ") is quoted as that library's words.
_READER_SV: tuple[tuple[str, str], ...] = (
    (r"^damaged Word document \(\.docx\): (.+)$", "skadat Word-dokument (.docx): «{0}»"),
    (r"^too large for a Word document: over (\d+) MB$", "för stort för ett Word-dokument: över {0} MB"),
    (r"^cannot read: (.+)$", "kan inte läsas: {0}"),
    (r"^the Word document is encrypted \(password-protected\).*$",
     "Word-dokumentet är krypterat (lösenordsskyddat): ta bort lösenordet (Arkiv › Info › Skydda dokument) och spara som .docx"),
    (r"^not a \.docx: an old Word 97–2003 \.doc file.*$",
     "inte en .docx: en gammal Word 97–2003-fil (.doc) eller ett krypterat dokument; öppna den i Word och spara som Word-dokument "
     "(.docx) utan lösenord"),
    (r"^not a Word document \(\.docx\): the file is not a zip package$", "inte ett Word-dokument (.docx): filen är inget zip-paket"),
    (r"^refused as a possible zip bomb: (\d+) entries in the package \(at most (\d+)\)$",
     "avvisad som möjlig zip-bomb: {0} poster i paketet (högst {1})"),
    (r"^refused as a possible zip bomb: (\d+) MB uncompressed \(at most (\d+) MB\)$",
     "avvisad som möjlig zip-bomb: {0} MB okomprimerat (högst {1} MB)"),
    (r"^refused as a possible zip bomb: (.+) is compressed (\d+):1 \(at most (\d+):1\)$",
     "avvisad som möjlig zip-bomb: {0} är komprimerad {1}:1 (högst {2}:1)"),
    (r"^not a Word document \(\.docx\): the zip has no \[Content_Types\]\.xml or _rels/\.rels$",
     "inte ett Word-dokument (.docx): zip-paketet saknar [Content_Types].xml eller _rels/.rels"),
    (r"^not a Word document \(\.docx\): the package names no main document$", "inte ett Word-dokument (.docx): paketet anger inget huvuddokument"),
    (r"^a Strict Open XML document.*$", "ett Strict Open XML-dokument, som inte kan läsas: spara det som Word-dokument (.docx)"),
    (r"^not a Word document \(\.docx\): the file is (.+); save it as Word Document \(\.docx\)$",
     "inte ett Word-dokument (.docx): filen är «{0}»; spara den som Word-dokument (.docx)"),
    (r"^refused: the tables have over (\d+) cells in all$", "avvisad: tabellerna har sammanlagt över {0} celler"),
    (r"^refused: the PDF needs more memory than is available$", "avvisad: PDF:en kräver mer minne än som finns"),
    (r"^damaged or truncated PDF: (.+)$", "skadad eller avkortad PDF: «{0}»"),
    (r"^damaged PDF: (.+)$", "skadad PDF: «{0}»"),
    (r"^too large for a PDF plan: over (\d+) MB$", "för stor för en PDF-plan: över {0} MB"),
    (r"^not a PDF file: no %PDF- header$", "inte en PDF-fil: %PDF-huvudet saknas"),
    (r"^the PDF is encrypted \(password-protected\).*$", "PDF:en är krypterad (lösenordsskyddad): spara eller skriv ut den igen utan lösenord"),
    (r"^refused: (\d+) pages \(at most (\d+)\)$", "avvisad: {0} sidor (högst {1})"),
    (r"^refused: (\d+) objects \(at most (\d+)\)$", "avvisad: {0} objekt (högst {1})"),
    (r"^refused: page (\d+) has (\d+) characters \(at most (\d+)\)$", "avvisad: sidan {0} har {1} tecken (högst {2})"),
    (r"^not UTF-8 text: byte (0x[0-9a-f]+) at line (\d+) \(save (?:the file|it) as UTF-8\)$", "inte UTF-8-text: byte {0} på rad {1} (spara filen som UTF-8)"),
    (r"^damaged Excel workbook \(\.xlsx\): (.+)$", "skadad Excel-arbetsbok (.xlsx): «{0}»"),
    (r"^too large for an Excel workbook: over (\d+) MB$", "för stor för en Excel-arbetsbok: över {0} MB"),
    (r"^the Excel workbook is encrypted \(password-protected\).*$",
     "Excel-arbetsboken är krypterad (lösenordsskyddad): ta bort lösenordet och spara den som .xlsx"),
    (r"^not an \.xlsx: an old Excel 97–2003 \.xls file.*$",
     "inte en .xlsx: en gammal Excel 97–2003-fil (.xls) eller en krypterad arbetsbok; öppna den i Excel och spara som Excel-arbetsbok "
     "(.xlsx) utan lösenord"),
    (r"^not an Excel workbook \(\.xlsx\): the file is not a zip package.*$", "inte en Excel-arbetsbok (.xlsx): filen är inget zip-paket (eller avkortad)"),
    (r"^not an Excel workbook \(\.xlsx\): the zip has no .*$", "inte en Excel-arbetsbok (.xlsx): zip-paketet saknar [Content_Types].xml eller _rels/.rels"),
    (r"^a Strict Open XML workbook.*$", "en Strict Open XML-arbetsbok, som inte kan läsas: spara den som Excel-arbetsbok (.xlsx)"),
    (r"^not an Excel workbook \(\.xlsx\): the package names no workbook part$", "inte en Excel-arbetsbok (.xlsx): paketet anger ingen arbetsbok"),
    (r"^not an Excel workbook \(\.xlsx\): the file is (.+)$", "inte en Excel-arbetsbok (.xlsx): filen är «{0}»"),
    (r"^too large: over (\d+) cells in the workbook \(sheet (.+) reaches (.+)\)$", "för stor: över {0} celler i arbetsboken (bladet {1} når {2})"),
    (r"^too large: sheet (.+?) spans (.+)$", "för stor: bladet {0} spänner över «{1}»"),
)


def reader_words(message: str) -> str:
    """A reader's error in the run's language (readers write English; this says it in Swedish)."""
    import re

    if _state["lang"] != "sv":
        return message
    for pattern, swedish in _READER_SV:
        m = re.match(pattern, message, re.DOTALL)
        if m:
            return swedish.format(*m.groups())
    return say("reader_other", detail=message)


def parser_words(message: str) -> str:
    if _state["lang"] != "sv":
        return message
    for english, swedish in _PARSER_SV:
        message = message.replace(english, swedish)
    return message


def use(lang: str) -> None:
    _state["lang"] = lang if lang in TEXT else "en"


@contextmanager
def language(lang: str) -> Iterator[None]:
    """Input errors in `lang` for the duration of a run, and as before after it (a library caller's
    later reading is not left in another run's language)."""
    before = _state["lang"]
    use(lang)
    try:
        yield
    finally:
        _state["lang"] = before


def say(name: str, /, **params: Any) -> str:
    template = TEXT[_state["lang"]].get(name) or TEXT["en"][name]
    return template.format(**params)


def validation(error: dict[str, Any]) -> str:
    """One pydantic validation error in our words, in the run's language."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "string_type" and isinstance(error.get("input"), int | float):
        return say("v_string_figure")
    key = _TYPES.get(kind, "v_other")
    params = {"expected": ctx.get("expected", ""), "limit": ctx.get("ge", ctx.get("gt", ctx.get("le", ctx.get("lt", "")))),
              "type": kind, "detail": str(ctx.get("error", error.get("msg", "")))[:200]}
    return say(key, **params)
