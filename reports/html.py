"""HTML: one self-contained audit report (inline CSS, JS and images, no network), Swedish or English.

Rendered with Jinja2 and autoescape on, so every text of the documents and rulebooks is escaped.
The page's Content-Security-Policy allows no network at all and only the report's own inline
script and style (by their SHA-256), so even an injected script could not run.

What an auditor reads first: the verdict, then the audit trail (when, with which plankoll, rules,
configuration and inputs, and how to repeat the run). Printed (Chromium's print to PDF) it is an A4
document: page numbers and the verdict in the page margins (CSS margin boxes, Chromium ≥ 131),
the plan version named again at the top of every page its findings continue on (a repeated
table header), and each finding kept whole on one page.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
import shlex
from pathlib import Path
from typing import Any

import markupsafe
from plankoll.reports._common import (
    SEVERITIES,
    active,
    changes,
    error_text,
    exception_name,
    exception_state,
    exception_uses,
    exception_where,
    exceptions,
    exceptions_count,
    kinds,
    notice_count,
    notice_place,
    notices,
    notices_summary,
    ordered_plans,
    relative_path,
    rules_by_id,
    slug,
    summary_text,
    version_id,
    waived,
    without_surrogates,
)

from plankoll import wording
from plankoll.i18n import plural, position, strings

TEMPLATES = Path(__file__).resolve().parent / "templates"

#: The images of page regions one report may carry: beyond these it is no longer a file one mails.
MAX_IMAGES = 200
MAX_IMAGE_BYTES = 5_000_000
#: Pixels per PDF point of a page region (2: sharp when printed and on a high-density screen).
IMAGE_SCALE = 2
#: Points of the page shown above and beside a row, so that the row is seen in its table.
CONTEXT_ABOVE, CONTEXT_AROUND = 34, 6

_OCR = re.compile(r"(?P<value>[−–-]?\d[\d\u00a0\u202f ]*(?:[,.]\d+)?) \(OCR «(?P<ocr>[^»]*)»\)")


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


# ---------------------------------------------------------------- small formatters

def breakable(path: Any) -> markupsafe.Markup:
    """A file path (or an element's id) that wraps only at its separators (a <wbr> after each /, _ and :),
    never mid-name."""
    parts = re.split(r"(?<=[/_:])", without_surrogates(path))
    return markupsafe.Markup("<wbr>").join(markupsafe.escape(p) for p in parts)


def _number(n: int, lang: str) -> str:
    """34 250 (a narrow no-break space, Swedish) or 34,250."""
    return f"{n:,}".replace(",", "\u202f") if lang == "sv" else f"{n:,}"


def _when(iso: str) -> str:
    """'2026-12-01 15:50:25 UTC' from the trail's ISO date (the same in both languages)."""
    try:
        moment = dt.datetime.fromisoformat(iso).astimezone(dt.UTC)
    except (TypeError, ValueError):
        return str(iso)
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


def _level(level: str, lang: str) -> str:
    """The fail level in words: 'fel', 'varning', 'aldrig'."""
    return strings(lang)["fail_level_never"] if level == "never" else wording.name(wording.SEVERITY_NAMES, level, lang)


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


# ---------------------------------------------------------------- the verdict

def _verdict(result: dict[str, Any], lang: str) -> dict[str, Any]:
    """Passed / failed at the fail level / incomplete, in words, with the counts that decide it."""
    from plankoll.audit import verdict as decide

    s = strings(lang)
    v = result.get("verdict") or decide(result)
    level = _level(v["fail_on"], lang)
    findings = plural(lang, "n_findings", v["deciding_violations"])
    plans = plural(lang, "n_plan_versions", v["plan_versions"])
    titles = {"passed": s["verdict_passed"], "failed": s["verdict_failed"].format(level=level), "incomplete": s["verdict_incomplete"]}
    return {
        "status": v["status"],
        "title": titles.get(v["status"], v["status"]),
        "why": _why(v, result, lang, level, findings, plans),
        "counts": [(s["fail_level"], level), (s["verdict_count_deciding"], v["deciding_violations"]),
                   (s["verdict_count_unreadable"], v["unreadable_files"]), (s["verdict_count_rules_failed"], v["rules_failed"]),
                   (s["verdict_count_plans"], v["plan_versions"])],
    }


def _why(v: dict[str, Any], result: dict[str, Any], lang: str, level: str, findings: str, plans: str) -> str:
    s = strings(lang)
    if v["status"] == "incomplete":
        reasons = [plural(lang, key, v[field]) for key, field in (("n_unreadable_files", "unreadable_files"), ("n_rules_failed", "rules_failed"))
                   if v[field]]
        text = s["verdict_why_incomplete"].format(reasons=wording.join(reasons, lang))
        text = text[:1].upper() + text[1:]
        return f"{text} {s['verdict_also_failed'].format(findings=findings, level=level)}" if v["deciding_violations"] else text
    if v["status"] == "failed":
        key = "verdict_why_failed_new" if "new" in result["summary"] else "verdict_why_failed"
        return s[key].format(findings=findings, level=level, plans=plans)
    everything = plural(lang, "n_findings", result["summary"]["violations"])
    if v["fail_on"] == "never":
        return s["verdict_why_never"].format(level=level, findings=everything, plans=plans)
    if "new" in result["summary"] and result["summary"]["violations"]:  # passed against a baseline: what stands was known
        return s["verdict_why_passed_new"].format(level=level, findings=everything, plans=plans)
    return s["verdict_why_passed"].format(level=level, plans=plans)


# ---------------------------------------------------------------- the audit trail

def command_line(run: dict[str, Any]) -> str:
    """The command of the run, rebuilt from its options (and the configuration file it used)."""
    options = dict(run.get("options") or {})
    words = ["plankoll", "check", *[str(p) for p in options.pop("paths", [])]]
    if run.get("config"):
        words += ["--config", str(run["config"]["file"])]
    if "cache" not in options:  # the trail keeps only options that are set: no "cache" is --no-cache
        words.append("--no-cache")
    options.pop("cache", None)
    for key, value in options.items():
        words += _option(key, value)
    return " ".join(shlex.quote(w) for w in words)


def _option(key: str, value: Any) -> list[str]:
    flag = _file_options().get(key) or "--" + key.removesuffix("_path").replace("_", "-")
    if value is True:
        return [flag]
    if isinstance(value, list | tuple):
        return [flag, ",".join(map(str, value))] if value else []
    return [flag, str(value)]


def _file_options() -> dict[str, str]:
    """'html_path' → '--html', from the registry of formats (the command line's own)."""
    try:
        from plankoll.formats import FILE_FORMATS
    except ImportError:  # an older registry: the option is its name
        return {}
    return {f"{f.name}_path": str(f.file_option) for f in FILE_FORMATS}


def _trail(result: dict[str, Any], lang: str) -> dict[str, Any] | None:
    run = result.get("run")
    if not run:
        return None
    s = strings(lang)
    inputs = [{"file": relative_path(i.get("file")), "size": _number(i["size"], lang) if i.get("size") is not None else s["trail_not_read"],
               "sha256": i.get("sha256") or ""} for i in run.get("inputs") or []]
    return {
        "date": _when(run.get("date", "")),
        "plankoll": run.get("plankoll", ""),
        "rulebooks": [{"name": s["trail_rulebook_default"] if b.get("rulebook") == "default" else relative_path(b.get("rulebook")),
                       "sha256": b.get("sha256") or s["trail_not_read"]} for b in run.get("rulebooks") or []],
        "config": run.get("config") and {"file": relative_path(run["config"].get("file")), "sha256": run["config"].get("sha256") or ""},
        "inputs": inputs,
        "inputs_label": plural(lang, "n_input_files", len(inputs)),
        "options": [" ".join(words) for k, v in (run.get("options") or {}).items() if k != "paths" and (words := _option(k, v))],
        "command": command_line(run),
        "verify": s["trail_verify"].format(version=run.get("plankoll", "")),
    }


# ---------------------------------------------------------------- a finding

def _message(v: dict[str, Any]) -> markupsafe.Markup:
    """The message, escaped; the element's name it opens with and every OCR reading marked."""
    text, name = str(v.get("message") or ""), str(v.get("element_name") or "")
    head = ""
    if name and text.startswith(name):  # document text: the report's language does not apply to it
        head, text = f'<span class="element-name doc" translate="no">{markupsafe.escape(name)}</span>', text[len(name):]
    body = _OCR.sub(lambda m: f'<span class="ocr">{m["value"]}<span class="ocr-text"> (OCR «{m["ocr"]}»)</span></span>',
                    str(markupsafe.escape(text)))
    return markupsafe.Markup(head + body)  # noqa: S704 (every part escaped above)


def _ocr_readings(v: dict[str, Any], lang: str) -> list[str]:
    """'2195,3 — läst ur OCR-texten «21953»' for every figure of the finding read from OCR text."""
    s = strings(lang)
    found = [(m["value"], m["ocr"]) for m in _OCR.finditer(str(v.get("message") or ""))]
    src = v.get("source") or {}
    if src.get("ocr") and src.get("printed") is not None:
        found.append((str(src["printed"]), str(src["ocr"])))
    return [s["ocr_reading"].format(value=value, ocr=ocr) for value, ocr in dict.fromkeys(found)]


def _source_place(v: dict[str, Any], lang: str) -> str:
    """'rad 230' or 'sida 6' in the version's source document (named once, in the version's header)."""
    src = v.get("source") or {}
    s = strings(lang)
    if src.get("line"):
        return s["source_line"].format(line=src["line"])
    if src.get("page"):
        return s["source_page"].format(page=src["page"])
    return ""


def _state(v: dict[str, Any], lang: str) -> dict[str, Any] | None:
    """The finding's state against a baseline: badge, and for a changed one the figures it had."""
    state = v.get("state")
    if state not in ("new", "changed", "known"):
        return None
    s = strings(lang)
    base = v.get("base") or {}
    was = {k: s["state_was"].format(value=base.get(k)) for k in ("expected", "actual")
           if state == "changed" and base.get(k) is not None and base.get(k) != v.get(k)}
    return {"code": state, "label": s[f"state_{state}"], "was": was}


def _since(v: dict[str, Any], lang: str) -> str:
    since = v.get("since")
    if not since or not since.get("commit"):
        return ""
    return strings(lang)["since_commit"].format(commit=str(since["commit"])[:7], date=str(since.get("date") or "")[:10],
                                                author=since.get("author") or "")


def _row(v: dict[str, Any], plan: dict[str, Any], rules: dict[str, dict[str, Any]], lang: str,
         change: dict[str, Any] | None, images: PageImages | None = None) -> dict[str, Any]:
    s = strings(lang)
    rule = rules.get(v["rule"], {})
    badge = None
    if change is not None and v["waived"] is None:
        first = change["since"].get((v["rule"], v["element"]))
        badge = ("new", s["badge_new"]) if first == plan["version"] else ("since", s["badge_since"].format(version=first))
    return {
        "v": v,
        "vid": version_id(plan),
        "version_label": f"{plan['plan']} · {plan['version']}",
        "title": rule.get("title") or v["rule"],
        # the message names the element when it opens with its name; otherwise the place column does
        "named": str(v.get("message") or "").startswith(str(v.get("element_name") or "")) and bool(v.get("element_name")),
        "rationale": rule.get("rationale") or "",
        "message": _message(v),
        "ocr": _ocr_readings(v, lang),
        "place": position(v.get("location") or {}, lang),
        "source_where": _source_place(v, lang),
        "printed": (v.get("source") or {}).get("printed"),
        "badge": badge,
        "state": _state(v, lang),
        "since": _since(v, lang),
        "evidence": _evidence(v, plan, lang, images),
    }


# ---------------------------------------------------------------- evidence beside a finding

def _cells(text: Any) -> list[str]:
    return [c.strip() for c in str(text).split(" | ")] if text else []


def _evidence(v: dict[str, Any], plan: dict[str, Any], lang: str, images: PageImages | None) -> dict[str, Any] | None:
    """The printed row (and its header) under the heading above it; for a PDF, the page region too."""
    ev = v.get("evidence")
    if not ev or not ev.get("row"):
        return None
    column = (v.get("location") or {}).get("column")
    out = {"heading": ev.get("heading"), "header": _cells(ev.get("header")), "row": _cells(ev["row"]),
           "column": column if isinstance(column, int) else None, "page": ev.get("page"), "image": None, "capped": False}
    file = str(plan.get("file") or "")
    if images is not None and file.lower().endswith(".pdf") and ev.get("page") and ev.get("box"):
        alt = strings(lang)["evidence_alt"].format(page=ev["page"], document=Path(file).name)
        image = images.region(file, int(ev["page"]), ev["box"])
        out["image"] = image and {**image, "alt": alt}
        out["capped"] = images.capped and image is None
    return out


class PageImages:
    """Regions of PDF pages as inline PNGs (data: URIs): each region rendered once, and all of them
    within MAX_IMAGES and MAX_IMAGE_BYTES, so the report stays one file of a sensible size."""

    def __init__(self, max_images: int | None = None, max_bytes: int | None = None) -> None:
        self.left = MAX_IMAGES if max_images is None else max_images
        self.bytes_left = MAX_IMAGE_BYTES if max_bytes is None else max_bytes
        self.capped = False
        self._done: dict[tuple[str, int, tuple[float, ...]], dict[str, Any] | None] = {}
        self._docs: dict[str, Any] = {}

    def region(self, file: str, page: int, box: list[float]) -> dict[str, Any] | None:
        key = (file, page, tuple(float(b) for b in box))
        if key not in self._done:
            self._done[key] = self._render(*key)
        return self._done[key]

    def _render(self, file: str, page: int, box: tuple[float, ...]) -> dict[str, Any] | None:
        if self.left <= 0:
            self.capped = True
            return None
        png, width, height = _region_png(self._document(file), page, box)
        if png is None:
            return None
        uri = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
        if len(uri) > self.bytes_left:
            self.capped = True
            return None
        self.left, self.bytes_left = self.left - 1, self.bytes_left - len(uri)
        return {"uri": uri, "width": width, "height": height}

    def _document(self, file: str) -> Any:
        if file not in self._docs:
            import pypdfium2 as pdfium  # lazily: only a report on a PDF needs it

            try:
                self._docs[file] = pdfium.PdfDocument(file)
            except (pdfium.PdfiumError, OSError, ValueError):  # moved or damaged since it was read: the text excerpt stays
                self._docs[file] = None
        return self._docs[file]

    def close(self) -> None:
        for doc in self._docs.values():
            if doc is not None:
                doc.close()
        self._docs.clear()


def _region_png(doc: Any, page_no: int, box: tuple[float, ...]) -> tuple[bytes | None, int, int]:
    """The row's box with a little of the page around it, the row outlined; (png, css width, css height)."""
    import pypdfium2 as pdfium

    if doc is None or not 1 <= page_no <= len(doc) or len(box) != 4:
        return None, 0, 0
    try:
        page = doc[page_no - 1]
        try:
            frame = _frame(page, box)
            if frame is None:
                return None, 0, 0
            left, up, right, down = frame
            width, height = page.get_size()
            # crop is what is cut off each side (left, bottom, right, top), in points from the page's edges
            image = page.render(scale=IMAGE_SCALE, crop=(left, height - down, width - right, up)).to_pil().convert("RGB")
        finally:
            page.close()
    except (pdfium.PdfiumError, ValueError, OSError):
        return None, 0, 0
    return _png(image, box, left, up), round((right - left) * 96 / 72), round((down - up) * 96 / 72)


def _frame(page: Any, box: tuple[float, ...]) -> tuple[float, float, float, float] | None:
    """(left, top, right, bottom) of the region shown, in points from the page's top left: the row and
    some of the table above it, its upper and lower edge moved off any line of text they would cut."""
    width, height = page.get_size()
    x0, top, x1, bottom = box
    left, right = max(0.0, x0 - CONTEXT_AROUND), min(width, x1 + CONTEXT_AROUND)
    if right - left < 1 or bottom <= top:
        return None
    textpage = page.get_textpage()
    try:
        lines = [(height - r[3], height - r[1]) for r in map(textpage.get_rect, range(textpage.count_rects()))
                 if r[0] < right and r[2] > left]
    finally:
        textpage.close()
    up = _clear(max(0.0, top - CONTEXT_ABOVE), lines, -1)
    down = _clear(min(height, bottom + CONTEXT_AROUND), lines, 1)
    return left, max(0.0, up), right, min(height, down)


def _clear(y: float, lines: list[tuple[float, float]], direction: int) -> float:
    """A horizontal cut at y moved up (direction -1) or down (1) until it crosses no line of text."""
    for _ in range(4):
        crossed = [(a, b) for a, b in lines if a < y < b]
        if not crossed:
            break
        y = min(a for a, _ in crossed) - 1 if direction < 0 else max(b for _, b in crossed) + 1
    return y


def _png(image: Any, box: tuple[float, ...], left: float, up: float) -> bytes:
    import io

    from PIL import ImageDraw

    k = IMAGE_SCALE
    x0, top, x1, bottom = box
    ImageDraw.Draw(image).rectangle(((x0 - left) * k - 2, (top - up) * k - 2, (x1 - left) * k + 2, (bottom - up) * k + 2),
                                    outline=(200, 0, 30), width=3)
    buffer = io.BytesIO()
    # a palette of 64 colours keeps text sharp at a fraction of the size of full colour
    image.quantize(colors=64).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


# ---------------------------------------------------------------- a plan version

def _exceptions(plan: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """Every exception the plan file declares, with its element's name, line and whether (and how much) it waived."""
    return [{**e, "name": exception_name(e, plan), "where": exception_where(e, plan), "state": exception_state(e, n, lang)}
            for e, n in zip(exceptions(plan), exception_uses(plan), strict=True)]


def _source(plan: dict[str, Any], lang: str) -> dict[str, Any]:
    """The document the figures come from: its title, its place (a link, or the file name) and whether it is OCR."""
    src = plan.get("source") or {}
    url = src.get("url") or ""
    return {"title": src.get("title") or "", "url": url if re.match(r"https?://", url) else "",
            "document": src.get("document") or plan.get("source_document") or "", "ocr": bool(src.get("ocr")),
            "ocr_note": strings(lang)["source_ocr_note"]}


def _counts_text(plan: dict[str, Any], lang: str) -> str:
    c = plan["counts"]
    return ", ".join(plural(lang, key, c[field]) for key, field in
                     (("n_errors", "error"), ("n_warnings", "warning"), ("n_info", "info"), ("n_waived", "waived")))


def _version(plan: dict[str, Any], plans: list[dict[str, Any]], change: dict[str, Any] | None, rules: dict[str, dict[str, Any]],
             kind_list: list[str], lang: str, images: PageImages) -> dict[str, Any]:
    """What the report shows of one plan version: its violations, waived findings, notices and declared exceptions."""
    vid = version_id(plan)
    act = active(plan)
    return {
        "plan": plan,
        "vid": vid,
        "anchor": "v-" + slug(vid),
        "running": strings(lang)["running_version"].format(title=plan["title"], version=plan["version"]),
        "document": wording.name(wording.DOCUMENT_NAMES, plan["document"], lang),
        "status": wording.name(wording.STATUS_NAMES, plan["status"], lang),
        "source": _source(plan, lang),
        "counts_text": _counts_text(plan, lang),
        "by_kind": {k: sum(v["kind"] == k for v in act) for k in kind_list},
        "rows": [_row(v, plan, rules, lang, change, images) for v in act],
        "waived": [_row(v, plan, rules, lang, None) for v in waived(plan)],
        "resolved": plan.get("resolved") or [],
        "notices": [{"code": n["code"], "place": notice_place(n, plan, lang), "message": n["message"]} for n in notices(plan)],
        "exceptions": _exceptions(plan, lang),
        "exceptions_count": exceptions_count([plan], lang),
        "change": change,
        "file": relative_path(plan["file"]),
        "has_history": any(p["plan"] == plan["plan"] and p is not plan for p in plans),
    }


# ---------------------------------------------------------------- the whole report

def _rule(r: dict[str, Any], lang: str) -> dict[str, Any]:
    """A rule as the rules section shows it: its family in words, its source as the language cites it, its invariant."""
    return {**r, "kind_name": wording.name(wording.KIND_NAMES, r["kind"], lang),
            "reference": wording.name(wording.REFERENCES, r["reference"], lang) if r.get("reference") else "",
            "invariant": r.get("invariant") or ""}


def _legend(versions: list[dict[str, Any]], lang: str) -> list[tuple[str, str]]:
    """The signs the report uses, each explained (only those that occur)."""
    s = strings(lang)
    rows = [row for x in versions for row in (*x["rows"], *x["waived"])]
    texts = " ".join(str(r["v"].get("message")) + str(r["v"].get("expected")) + str(r["v"].get("actual")) for r in rows)
    states = {r["state"]["code"] for r in rows if r["state"]}
    signs = [("∅", s["legend_empty"], "∅" in texts), ("OCR", s["legend_ocr"], bool(_OCR.search(texts)) or any(r["ocr"] for r in rows)),
             ("›", s["legend_path"], "›" in texts), ("«…»", s["legend_quote"], "«" in texts)]
    signs += [(s[f"state_{k}"], s[f"legend_state_{k}"], k in states) for k in ("new", "changed", "known")]
    return [(sign, text) for sign, text, used in signs if used]


def _print_css(lang: str, verdict: dict[str, Any], trail: dict[str, Any] | None) -> str:
    """The page margins of the printed report: title and date, the verdict, 'sida 3 av 12'."""
    s = strings(lang)
    page = _css_string(s["print_page"]).replace("{pages}", '" counter(pages) "').replace("{page}", '" counter(page) "')
    title = s["report_title"] + (f" · {trail['date']}" if trail else "")
    return (f"@page{{@top-left{{content:{_css_string(title)}}}@top-right{{content:{_css_string(verdict['title'])}}}"
            f"@bottom-right{{content:{page}}}}}\n")


def context(result: dict[str, Any]) -> dict[str, Any]:
    lang = result["lang"]
    rules = rules_by_id(result)
    plans = ordered_plans(result)
    diff = changes(result)
    kind_list = kinds(result)
    images = PageImages()
    try:
        versions = [_version(plan, plans, diff.get(version_id(plan)), rules, kind_list, lang, images) for plan in plans]
    finally:
        images.close()
    used_rules = {v["rule"] for p in plans for v in p["violations"]}
    verdict = _verdict(result, lang)
    trail = _trail(result, lang)
    return {
        "lang": lang,
        "s": strings(lang),
        "result": result,
        "summary": result["summary"],
        "summary_text": summary_text(result),
        "notices_summary": notices_summary(result),
        "generated_by": strings(lang)["html_generated_by"].format(version=result["version"], level=_level(result["summary"]["fail_on"], lang)),
        "verdict": verdict,
        "trail": trail,
        "legend": _legend(versions, lang),
        "print_css": _print_css(lang, verdict, trail),
        "image_limits": {"count": MAX_IMAGES, "size": f"{MAX_IMAGE_BYTES / 1_000_000:g}"},
        "severities": SEVERITIES,
        "severity_name": lambda sev: wording.name(wording.SEVERITY_NAMES, sev, lang),
        "kinds": [(k, wording.name(wording.KIND_NAMES, k, lang)) for k in kind_list],
        "kind_totals": {k: sum(x["by_kind"][k] for x in versions) for k in kind_list},
        "notice_total": notice_count(result),
        "versions": versions,
        "diffs": [x for x in versions if x["change"] is not None],
        "resolved_plans": [{**p, "file": relative_path(p.get("file"))} for p in result.get("resolved_plans") or []],
        "all_waived": [row for x in versions for row in x["waived"]],
        "rules": [_rule(r, lang) for r in result["rules"]],
        "filter_rules": [r for r in result["rules"] if r["id"] in used_rules]
        + [{"id": rid, "title": rid} for rid in sorted(used_rules - set(rules))],
        "errors": [{"file": relative_path(e.get("file")), "line": e.get("line"), "message": error_text(e, lang)} for e in result["errors"]],
    }


def render(result: dict[str, Any]) -> str:
    import jinja2  # lazily: `plankoll --help` and the other formats do not need it

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["path"] = breakable
    ctx = context(result)
    # the page margins name the verdict and the page in the report's language: part of its stylesheet
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8") + ctx["print_css"]
    js = (TEMPLATES / "report.js").read_text(encoding="utf-8")
    csp = (f"default-src 'none'; style-src '{_sha256(css)}'; script-src '{_sha256(js)}'; "
           "img-src data:; base-uri 'none'; form-action 'none'")
    # the report's own stylesheet and script from templates/, never document text
    ctx.update(css=markupsafe.Markup(css), js=markupsafe.Markup(js), csp=csp)  # noqa: S704
    # a byte of a file name that is not UTF-8 (a surrogate) as its visible escape: the page is UTF-8
    return without_surrogates(env.get_template("report.html.j2").render(**ctx))
