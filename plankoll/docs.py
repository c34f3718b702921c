"""Rule documentation generated from rule metadata: `plankoll explain` and the README's rule list."""

from __future__ import annotations

from plankoll.rules import Rule, check_module

LABELS = {
    "sv": {"kind": "Kontrolltyp", "severity": "Nivå", "selector": "Gäller", "params": "Parametrar",
           "why": "Varför", "reference": "Referens", "example": "Exempel", "message": "Meddelande", "all": "alla element"},
    "en": {"kind": "Check kind", "severity": "Severity", "selector": "Applies to", "params": "Parameters",
           "why": "Why", "reference": "Reference", "example": "Example", "message": "Message", "all": "all elements"},
}


def _selector(rule: Rule, lang: str) -> str:
    given = rule.spec.selector.model_dump(exclude_none=True)
    return ", ".join(f"{k}={v}" for k, v in given.items()) or LABELS[lang]["all"]


def explain_rule(rule: Rule, lang: str) -> str:
    label = LABELS[lang]
    spec = rule.spec
    lines = [
        f"{spec.id} — {spec.title.get(lang)}",
        "",
        f"{label['kind']}: {spec.kind}    {label['severity']}: {rule.severity}",
        f"{label['selector']}: {_selector(rule, lang)}",
        f"{label['params']}: {spec.params or '-'}",
        "",
        f"{label['why']}: {spec.rationale.get(lang)}",
    ]
    if spec.reference:
        lines.append(f"{label['reference']}: {spec.reference}")
    if spec.example:
        lines.append(f"{label['example']}: {spec.example}")
    lines += ["", f"{label['message']}: {spec.message.get(lang)}", ""]
    doc = (check_module(spec.kind).__doc__ or "").strip()
    if doc:
        lines += [f"{spec.kind}:", *("  " + line for line in doc.splitlines()), ""]
    return "\n".join(lines)


def rules_markdown(rules: list[Rule], lang: str = "en") -> str:
    """The README's table of default rules, generated from the rulebook."""
    rows = ["| id | kind | severity | applies to | rule |", "|---|---|---|---|---|"]
    for r in rules:
        rows.append(f"| {r.id} | {r.kind} | {r.severity} | {_selector(r, lang)} | {r.spec.title.get(lang)} |")
    return "\n".join(rows) + "\n"
