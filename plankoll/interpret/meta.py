"""A plan version's metadata from what the document prints: its title, first paragraphs,
headings and core properties. What it does not print comes from the caller's overrides (options,
plankoll.toml, a sidecar `plan.docx.meta.yaml`); what is still missing is reported, listed."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from plankoll.layout import Heading, Layout, Paragraph, Table

from .vocab import Vocabulary

TITLE_BLOCKS = 30  # the title page and what follows it: where a document names itself
_DATE = r"((?:19|20)\d{2}-[01]\d-[0-3]\d)"
_RANGE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*(?:\(\s*)?[-–—]\s*((?:19|20)\d{2})(?!\d)"
                    r"|(?<!\d)((?:19|20)\d{2})\s*\(\s*((?:19|20)\d{2})\s*[-–—]\s*((?:19|20)\d{2})\s*\)")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
REQUIRED = ("organisation", "body", "document", "period", "version")
_ORG_WORDS = re.compile(r"region|kommun|stad|landsting", re.IGNORECASE)


def _title_texts(layout: Layout) -> list[str]:
    texts = [layout.properties.get("title", ""), layout.properties.get("subject", "")]
    for block in layout.blocks[:TITLE_BLOCKS]:
        if isinstance(block, Heading | Paragraph):
            texts.append(block.text)
        elif isinstance(block, Table):
            texts.extend(c.text for row in block.rows[:8] for c in row if c.origin)
    return [t for t in texts if t and t.strip()]


def _all_text(layout: Layout) -> str:
    return "\n".join(b.text for b in layout.blocks if isinstance(b, Heading | Paragraph))


def _first(patterns: dict[str, list[str]], texts: list[str]) -> tuple[str, str] | None:
    """(key, matched text) of the earliest text that matches any pattern of a key."""
    for text in texts:
        for key, words in patterns.items():
            for word in words:
                m = re.search(rf"(?<![\wåäö])({word})(?![\wåäö])", text, re.IGNORECASE)
                if m:
                    return key, m.group(1)
    return None


def organisation(layout: Layout, vocab: Vocabulary) -> str | None:
    """The organisation the document names most often (genitive folded: "Region Norrbottens")."""
    counts: Counter[str] = Counter()
    # only lines that can name one: the patterns are costly over a whole document's text
    lines = [*_title_texts(layout), *_all_text(layout).split("\n")]
    text = "\n".join(t for t in lines if _ORG_WORDS.search(t))
    for word in vocab.words("organisations"):
        for m in re.finditer(rf"(?<![\wåäö])({word})(?![\wåäö])", text, re.IGNORECASE):
            name = " ".join(m.group(1).split())
            counts[name[0].upper() + name[1:]] += 1
    if not counts:
        return None
    folded: Counter[str] = Counter()
    for name, n in counts.items():
        base = name[:-1] if name.endswith("s") and name[:-1] in counts else name
        folded[base] += n
    return folded.most_common(1)[0][0]


def _body(texts: list[str], vocab: Vocabulary) -> tuple[str, str] | None:
    found = _first(vocab.group("bodies"), texts)
    if not found:
        return None
    kind, name = found
    name = " ".join(name.split())
    if kind == "direktör":
        name = re.sub(r"s$", "", name)
    return kind, name[0].upper() + name[1:]


def _period(texts: list[str], document: str | None) -> tuple[int, int] | None:
    if texts:  # the title names the document's own period; other early texts may cite another plan's
        own = _period_in(texts[0])
        if own:
            return own
    return _period_in_texts(texts)


def _range(text: str) -> tuple[int, int] | None:
    """A plan period printed as a range: "2023–2025", "2023 (2024–2025)"."""
    m = _RANGE.search(text)
    if not m:
        return None
    if m.group(3):
        return int(m.group(3)), int(m.group(5))
    first, last = int(m.group(1)), int(m.group(2))
    return (first, last) if first <= last <= first + 10 else None


def _period_in(text: str) -> tuple[int, int] | None:
    found = _range(text)
    if found:
        return found
    years = [int(y) for y in _YEAR.findall(text)]
    return (min(years), max(years)) if years else None


def _period_in_texts(texts: list[str]) -> tuple[int, int] | None:
    for text in texts[:12]:
        found = _range(text)
        if found:
            return found
    for text in texts[:6]:
        years = [int(y) for y in _YEAR.findall(text)]
        if years:
            return min(years), max(years)
    return None


def _version(texts: list[str], vocab: Vocabulary) -> dict[str, Any] | None:
    joined = "\n".join(texts)
    status = None
    found = _first(vocab.group("statuses"), [t for t in texts if len(t) <= 200 and "(" not in t[:3]])
    if found:
        status = found[0]
    adopted = re.search(rf"(?:fastställd|antagen|beslutad|godkänd)[^\n]{{0,60}}?{_DATE}", joined, re.IGNORECASE)
    number = re.search(r"\bversion\s*:?\s*(\d+(?:\.\d+)*)", joined, re.IGNORECASE)
    doc_id = re.search(r"(?:dokument-id|dnr|diarienummer)\s*:?\s*([A-ZÅÄÖ]{2,8}\s\d{2,4}[/.-][\w./-]+|[A-Za-z0-9][\w./-]{2,60})", joined,
                       re.IGNORECASE)
    if adopted:
        return {"label": f"Fastställd {adopted.group(1)}", "status": "fastställd", "adopted": adopted.group(1),
                "document_id": doc_id.group(1) if doc_id else None}
    if number:
        draft = number.group(1).startswith("0")  # a version below 1 is a draft, whatever else the text says
        return {"label": number.group(1), "status": "utkast" if draft else (status or "utkast"),
                "document_id": doc_id.group(1) if doc_id else None}
    if status:
        return {"label": status, "status": status, "document_id": doc_id.group(1) if doc_id else None}
    return None


def _title(layout: Layout, texts: list[str], vocab: Vocabulary) -> str | None:
    if layout.properties.get("title"):
        return layout.properties["title"].strip()
    words = [w for ws in vocab.group("documents").values() for w in ws]
    for block in layout.blocks[:TITLE_BLOCKS]:
        if isinstance(block, Paragraph) and block.style == "label-value":
            continue  # "Dokument: Verksamhetsplan" names the kind, not the title
        if isinstance(block, Heading | Paragraph) and len(block.text) <= 160:
            if any(re.search(rf"(?<![\wåäö]){w}", block.text, re.IGNORECASE) for w in words):
                return block.text.strip()
    return None


def _declared(layout: Layout) -> dict[str, Any]:
    """What a reader found declared as metadata (a workbook's label–value sheet): taken as given."""
    props = layout.properties
    out: dict[str, Any] = {k: props[k] for k in ("organisation", "body", "document") if props.get(k)}
    if props.get("document"):
        out["document"] = props["document"].strip().lower()
    period = re.findall(r"(?:19|20)\d{2}", props.get("period", ""))
    if period:
        out["period"] = {"first": int(min(period)), "last": int(max(period))}
    if props.get("version") or props.get("status"):
        status = (props.get("status") or "utkast").strip().lower()
        out["version"] = {"label": props.get("version") or status, "status": status, "adopted": props.get("adopted") or None}
    return out


def read(layout: Layout, vocab: Vocabulary) -> dict[str, Any]:
    """What the document itself says about the plan version (None where it says nothing)."""
    found = _read_texts(layout, vocab)
    found.update(_declared(layout))
    return found


def _read_texts(layout: Layout, vocab: Vocabulary) -> dict[str, Any]:
    texts = _title_texts(layout)
    title = _title(layout, texts, vocab)
    ordered = [t for t in [title, *texts] if t]
    document = _first(vocab.group("documents"), ordered)
    body = _body(ordered, vocab)
    period = _period(ordered, document[0] if document else None)
    report = re.search(r"(?<!\d)((?:19|20)\d{2})[-]?(0[48]|12)(?!\d)", title or "")
    return {
        "title": title,
        "organisation": organisation(layout, vocab),
        "body": body[1] if body else None,
        "body_kind": body[0] if body else None,
        "document": document[0] if document else None,
        "period": {"first": period[0], "last": period[1]} if period else None,
        "report_period": f"{report.group(1)}-{report.group(2)}" if report else None,
        "version": _version(ordered, vocab),
    }
