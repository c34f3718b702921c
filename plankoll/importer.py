"""A document (Word, Markdown, text) → a plan version: reader, then interpreter, then the model.

`load_document` is what `plankoll check` uses for documents; `import_document` also returns
what `plankoll import` writes (the native YAML) and explains.

Metadata a document does not print comes from a sidecar beside it (`plan.docx.meta.yaml`, the
keys of the format's `plan:` section) or from the caller (`plankoll import --organisation …`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from plankoll.layout import Location, ReadError
from plankoll.loader import LoadedPlan, LoadError, MapLocator
from plankoll.model import PlanVersion

SIDECAR = ".meta.yaml"
# what the run's configuration adds to every document: [import] defaults and [vocabulary] words
_settings: dict[str, Any] = {"defaults": {}, "vocabulary": {}}


def configure(config: Any) -> None:
    """Take the configuration's [import] and [vocabulary] sections for the documents this process reads."""
    from plankoll import loader

    _settings["defaults"] = dict(getattr(config, "import_defaults", {}) or {})
    _settings["vocabulary"] = dict(getattr(config, "vocabulary", {}) or {})
    limit = getattr(config, "max_file_mb", None)
    _settings["max_file_mb"] = limit
    loader.MAX_FILE_BYTES = int(limit * 1024 * 1024) if limit else loader.DEFAULT_MAX_FILE_BYTES


def settings_digest() -> str:
    """What of the configuration shapes a document's reading (part of every cache key)."""
    import json

    return json.dumps(_settings, sort_keys=True, ensure_ascii=False, default=str)
_HOW_TO = {
    "organisation": "organisation: Region X",
    "body": "body: Regionstyrelsen (and body_kind: styrelse)",
    "document": "document: verksamhetsplan (regionplan, delårsrapport, tertialrapport, årsredovisning, rapport)",
    "period": "period: {first: 2024, last: 2026}",
    "version": "version: {label: '1.0', status: utkast}",
}


def sidecar_of(path: Path) -> Path:
    return path.with_name(path.name + SIDECAR)


def _given(path: Path, extra: dict[str, Any] | None) -> dict[str, Any]:
    import yaml

    given: dict[str, Any] = dict(_settings["defaults"])
    side = sidecar_of(path)
    if side.is_file():
        try:
            data = yaml.safe_load(side.read_text(encoding="utf-8")) or {}
        except (yaml.YAMLError, UnicodeDecodeError, OSError) as exc:
            raise ReadError(f"{side.name}: cannot use as metadata: {exc}") from None
        if not isinstance(data, dict):
            raise ReadError(f"{side.name}: metadata must be a mapping of the plan's keys (organisation, body, …)")
        given.update(data.get("plan", data))
    given.update({k: v for k, v in (extra or {}).items() if v is not None})
    return given


def import_document(path: Path, data: bytes | None = None, given: dict[str, Any] | None = None) -> Any:
    """Read and interpret a document: (PlanVersion, Interpretation). Raises ReadError,
    MetadataMissing or ValueError (with a message naming the place) when it cannot."""
    from plankoll import readers
    from plankoll.interpret import interpret, load
    from plankoll.workbook import import_template

    if (template := import_template(path, data)) is not None:  # a plankoll workbook: read back exactly, not interpreted
        return template
    layout = readers.read(path, data)
    meta = _given(path, given)
    ids_from = meta.pop("ids_from", None)
    result = interpret(layout, vocab=load(_settings["vocabulary"] or None), given=meta)
    if ids_from:
        renamed = _reuse_ids(result.document, sidecar_of(path).parent / str(ids_from))
        result.evidence = {_renamed_key(key, renamed): value for key, value in result.evidence.items()}
    try:
        plan = PlanVersion.model_validate(result.document)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:5])
        raise ValueError(f"the document was read, but what it says does not make a valid plan version: {problems}") from None
    return plan, result


def _name_key(name: str) -> str:
    """A measure's name without what varies between documents: parentheses, units, marks, case."""
    import re

    flat = re.sub(r"\([^)]*\)", " ", name.lower())
    flat = re.sub(r"[%*¹²³⁴⁵⁶⁷⁸⁹]|\[\d+\]", " ", flat)
    return " ".join(re.findall(r"[\wåäö>]+", flat))


def _renamed_key(key: str, renamed: dict[str, str]) -> str:
    if key.startswith("indicator:") and key[len("indicator:"):] in renamed:
        return f"indicator:{renamed[key[len('indicator:'):]]}"
    return key


def _reuse_ids(document: dict[str, Any], other: Path) -> dict[str, str]:
    """Give the indicators the ids that another plan version (a *.plan.yaml) uses for the same
    measure, matched by name: the ids by which plans and reports of one organisation compare figures."""
    from plankoll.loader import load_file

    loaded = load_file(other)
    if not isinstance(loaded, LoadedPlan):
        raise ReadError(f"ids_from: {other} cannot be read: {loaded[0].message if loaded else 'no plan version'}")
    ids = {_name_key(ind.name): ind.id for ind in loaded.plan.indicators}
    renamed: dict[str, str] = {}
    taken = {ind["id"] for ind in document["indicators"]}
    for ind in document["indicators"]:
        new = ids.get(_name_key(ind["name"]))
        if new and new not in taken:
            renamed[ind["id"]] = new
            taken.add(new)
            ind["id"] = new
    for table in document["tables"]:
        if table.get("indicator") in renamed:
            table["indicator"] = renamed[table["indicator"]]
    return renamed


def load_document(path: Path, data: bytes | None = None) -> LoadedPlan | list[LoadError]:
    from plankoll.interpret import MetadataMissing
    from plankoll.messages import reader_words, say

    try:
        plan, result = import_document(path, data)
    except ReadError as exc:
        line = exc.location.line if exc.location else None
        return [LoadError(str(path), line, reader_words(str(exc)))]
    except MetadataMissing as exc:
        how = "; ".join(_HOW_TO[m] for m in exc.missing)
        return [LoadError(str(path), None, say("metadata_missing", missing=", ".join(exc.missing), sidecar=sidecar_of(path).name, how=how))]
    except ValueError as exc:
        return [LoadError(str(path), None, str(exc))]
    return LoadedPlan(str(path), plan, MapLocator(result.locations, str(path)), tuple(result.notices), result.evidence)


def location_text(location: Location) -> str:
    """'table 3, row 5, column 2' / 'line 12' (English; reports translate through i18n)."""
    parts = []
    for name in ("page", "line", "paragraph", "table", "row", "column", "sheet", "cell"):
        value = getattr(location, name)
        if value is not None:
            parts.append(f"{name} {value}")
    return ", ".join(parts)


def to_yaml(plan: PlanVersion, locations: dict[tuple[Any, ...], Location], file: str) -> str:
    """The native format of an imported plan: figures as printed, each indicator, table and row
    preceded by a comment naming its place in the document (lines are in the model itself)."""
    import yaml

    data = plan.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    data["plankoll"] = 1

    def dump(value: Any, indent: int) -> str:
        # libyaml's emitter (when installed) writes the same text six times as fast as PyYAML's own
        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
        text = yaml.dump(value, Dumper=dumper, allow_unicode=True, sort_keys=False, width=120, default_flow_style=None)
        return "".join(" " * indent + line + "\n" for line in text.splitlines())

    def place(path: tuple[Any, ...]) -> str:
        loc = locations.get(path)
        text = location_text(loc) if loc else ""
        return f"# {Path(file).name}: {text}\n" if text else ""

    out = [f"# Imported by plankoll from {Path(file).name}; figures as printed.\n", dump({"plankoll": 1, "plan": data["plan"]}, 0)]
    out.append("indicators:\n" if data.get("indicators") else "indicators: []\n")
    for i, ind in enumerate(data.get("indicators", [])):
        out.append("  " + place(("indicators", i)) if place(("indicators", i)) else "")
        out.append(dump([ind], 2))
    out.append("tables:\n" if data.get("tables") else "tables: []\n")
    for t, table in enumerate(data.get("tables", [])):
        out.append("  " + place(("tables", t)) if place(("tables", t)) else "")
        out.append(dump([table], 2))
    return "".join(out)


def explain_text(result: Any, lang: str = "en") -> str:
    """How each table was read, for `plankoll import --explain`."""
    from plankoll.i18n import notice_text

    lines: list[str] = []
    for item in result.explain:
        where = location_text(Location(**item["table"])) if "table" in item and isinstance(item["table"], dict) else item.get("table", "")
        if item["what"] == "metadata":
            lines.append("metadata: " + "; ".join(f"{k}: {v}" for k, v in item["read"].items()))
        elif item["what"] == "detail":
            lines.append(f"table {item['table']}: details indicator {item['indicator']}" + (f" (column {item['column']!r})" if item["column"] else ""))
        elif item.get("read_as") == "indicators":
            lines.append(f"{where}: indicators ({item['header_rows']} header row(s))")
            for col in item["columns"]:
                extra = ", ".join(f"{k} {col[k]}" for k in ("period", "sex") if col.get(k))
                lines.append(f"  column {col['column']} «{col['header']}» → {col['role']}" + (f" ({extra})" if extra else ""))
            lines.append(f"  {len(item['indicators'])} indicators: {', '.join(item['indicators'])}")
        elif item.get("read_as") == "figures":
            lines.append(f"{where}: figures «{item['title']}», columns {', '.join(item['columns'])}")
            for total, how in item["totals"].items():
                lines.append(f"  row {total} = {' + '.join(how['parts'])} ({how['found_by']})")
            for d in item["derived"]:
                operands = (d.get("new"), d.get("old")) if d["kind"] != "share_pct" else (d.get("numerator"), d.get("denominator"))
                lines.append(f"  column «{d['column']}» = {d['kind']} of «{operands[0]}» and «{operands[1]}»")
        else:
            lines.append(f"{where}: {item.get('read_as')}")
    for notice in result.notices:
        lines.append(f"notice ({location_text(notice.location) or notice.location.file}): {notice_text(lang, notice.code, notice.params)}")
    return "\n".join(lines) + "\n"
