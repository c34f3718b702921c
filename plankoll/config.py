"""A plan repository's configuration: `plankoll.toml`, or `[tool.plankoll]` in `pyproject.toml`.

```toml
rulebooks = ["default", "rules/our-extra.yaml"]   # default: ["default"]
disable = ["PK605"]                                # rule ids
fail_on = "error"                                  # error | warning | never
lang = "sv"

[severity]
PK302 = "warning"

[[waivers]]                                        # rule-level declared exceptions
rule = "PK501"
plan = "nll-.*"                                    # optional regex on the plan id
element = "indicator:nll-sjukfranvaro"             # optional regex on the element
reason = "Sjukfrånvaro redovisas könsuppdelat i personalbokslutet, inte i planen."

[import]                                           # what documents read directly do not print
organisation = "Exempelby kommun"                  # (a sidecar plan.docx.meta.yaml wins over these)
body = "Socialnämnden"
body_kind = "nämnd"

[vocabulary]                                       # words added to rules/vocabulary.yaml's lists
columns = { name = ["mätpunkt"], source = ["uppgiftskälla"] }
exceptions = { PK501 = ["kön registreras inte"] }
```
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plankoll.rules import SEVERITIES, RulebookError, RuleSet, load_rulebooks

CONFIG_NAMES = ("plankoll.toml", "pyproject.toml")
_KEYS = {"rulebooks", "disable", "severity", "waivers", "fail_on", "lang", "import", "vocabulary", "max_file_mb", "select", "ignore"}
_IMPORT_KEYS = {"organisation", "body", "body_kind", "document", "period", "version"}


@dataclass(frozen=True)
class ConfigWaiver:
    rule: str
    reason: str
    plan: str | None = None
    element: str | None = None
    origin: str = ""


@dataclass
class Config:
    path: Path | None = None
    rulebooks: list[str] = field(default_factory=lambda: ["default"])
    disable: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    waivers: list[ConfigWaiver] = field(default_factory=list)
    fail_on: str | None = None
    lang: str | None = None
    max_file_mb: float | None = None  # inputs larger than this are refused (default 20)
    select: list[str] = field(default_factory=list)  # rule ids or prefixes to run (all when empty), as ruff's --select
    ignore: list[str] = field(default_factory=list)  # rule ids or prefixes not to run
    import_defaults: dict[str, Any] = field(default_factory=dict)  # [import]: metadata documents do not print
    vocabulary: dict[str, Any] = field(default_factory=dict)  # [vocabulary]: words added to the interpreter's lists


def find_config(start: Path) -> Path | None:
    for name in CONFIG_NAMES:
        candidate = start / name
        if candidate.is_file():
            # a pyproject.toml is plankoll's only when it has a [tool.plankoll] section; one that is not
            # even readable is somebody else's problem unless it names plankoll
            if name == "pyproject.toml" and not _names_plankoll(candidate):
                continue
            return candidate
    return None


def _names_plankoll(path: Path) -> bool:
    try:
        raw = path.read_bytes()
    except OSError:
        return False
    if b"plankoll" not in raw:
        return False
    return "plankoll" in _read_toml(path).get("tool", {})


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise RulebookError(f"{path}: not valid TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise RulebookError(f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8") from None
    except OSError as exc:
        raise RulebookError(f"{path}: cannot read: {exc.strerror}") from None
    except RecursionError:
        raise RulebookError(f"{path}: nested too deeply") from None


def _typed(data: dict[str, Any], where: str) -> None:
    """Every key of the configuration has the type its documentation gives, or a clear error."""
    expected = {"rulebooks": list, "disable": list, "severity": dict, "waivers": list, "fail_on": str, "lang": str,
                "import": dict, "vocabulary": dict, "max_file_mb": (int, float), "select": list, "ignore": list}
    for key, kind in expected.items():
        if key in data and (not isinstance(data[key], kind) or isinstance(data[key], bool)):
            name = kind.__name__ if isinstance(kind, type) else "number"
            raise RulebookError(f"{where}: {key} must be a {({'list': 'list', 'dict': 'table', 'str': 'string'}).get(name, name)}")
    for key in ("rulebooks", "disable", "select", "ignore"):
        if any(not isinstance(v, str) for v in data.get(key, [])):
            raise RulebookError(f"{where}: {key} must be a list of strings")
    if any(not isinstance(w, dict) for w in data.get("waivers", [])):
        raise RulebookError(f"{where}: each [[waivers]] entry must be a table with rule and reason")
    if "max_file_mb" in data and not 0 < data["max_file_mb"] <= 10_000:
        raise RulebookError(f"{where}: max_file_mb must be between 0 and 10000")


def _pattern(value: Any, what: str) -> str | None:
    import re

    if value is None:
        return None
    if not isinstance(value, str):
        raise RulebookError(f"{what} must be a string (a regular expression)")
    try:
        re.compile(value)
    except re.error as exc:
        raise RulebookError(f"{what} is not a valid regular expression: {exc}") from None
    return value


def load_config(path: Path | None) -> Config:
    if path is None:
        return Config()
    data = _read_toml(path)
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("plankoll", {})
    where = str(path)
    if not isinstance(data, dict):
        raise RulebookError(f"{where}: [tool.plankoll] must be a table")
    _typed(data, where)
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise RulebookError(f"{where}: unknown key(s) {', '.join(unknown)} (known: {', '.join(sorted(_KEYS))})")
    base = path.parent
    books = [b if b == "default" else str(base / b) for b in data.get("rulebooks", ["default"])]
    severity = data.get("severity", {})
    for rule_id, sev in severity.items():
        if not isinstance(sev, str) or sev not in SEVERITIES:
            raise RulebookError(f"{where}: severity of {rule_id} must be one of {', '.join(SEVERITIES)}, not {sev!r}")
    waivers = []
    for i, w in enumerate(data.get("waivers", [])):
        extra = set(w) - {"rule", "reason", "plan", "element"}
        if extra or not isinstance(w.get("rule"), str) or not isinstance(w.get("reason"), str) or not w["reason"].strip():
            raise RulebookError(f"{where}: waivers[{i}] needs 'rule' and a non-empty 'reason' (and optionally 'plan', 'element')")
        plan = _pattern(w.get("plan"), f"{where}: waivers[{i}].plan")
        element = _pattern(w.get("element"), f"{where}: waivers[{i}].element")
        waivers.append(ConfigWaiver(w["rule"], w["reason"], plan, element, f"{where} waivers[{i}]"))
    fail_on = data.get("fail_on")
    if fail_on is not None and fail_on not in ("error", "warning", "never"):
        raise RulebookError(f"{where}: fail_on must be error, warning or never")
    lang = data.get("lang")
    if lang is not None and lang not in ("sv", "en"):
        raise RulebookError(f"{where}: lang must be sv or en")
    return Config(path, books, list(data.get("disable", [])), dict(severity), waivers, fail_on, lang, data.get("max_file_mb"),
                  [s.upper() for s in data.get("select", [])], [s.upper() for s in data.get("ignore", [])],
                  _import_section(data.get("import", {}), where), _vocabulary_section(data.get("vocabulary", {}), where))


def _import_section(section: Any, where: str) -> dict[str, Any]:
    if not isinstance(section, dict) or set(section) - _IMPORT_KEYS:
        raise RulebookError(f"{where}: [import] takes only {', '.join(sorted(_IMPORT_KEYS))}")
    return dict(section)


def _vocabulary_section(section: Any, where: str) -> dict[str, Any]:
    """Lists of words (regular expressions) to add to the shipped vocabulary, by the same keys."""
    import re

    from plankoll.interpret.vocab import load

    known = load().data

    def check(node: Any, base: Any, path: str) -> None:
        if isinstance(node, dict) and isinstance(base, dict):
            for key, value in node.items():
                if key not in base and not (path.endswith("exceptions") and re.fullmatch(r"[A-Z]{2,4}\d{2,4}", str(key))):
                    raise RulebookError(f"{where}: [vocabulary{path}] has no key {key!r} (see rules/vocabulary.yaml)")
                check(value, base.get(key, []), f"{path}.{key}")
        elif isinstance(node, list) and all(isinstance(w, str) for w in node):
            for word in node:
                try:
                    re.compile(word)
                except re.error as exc:
                    raise RulebookError(f"{where}: [vocabulary{path}] {word!r} is not a valid pattern: {exc}") from None
        else:
            raise RulebookError(f"{where}: [vocabulary{path}] must be a list of words, as in rules/vocabulary.yaml")

    if not isinstance(section, dict):
        raise RulebookError(f"{where}: [vocabulary] must be a table")
    check(section, known, "")
    return dict(section)


def active_rules(config: Config) -> RuleSet:
    """The rules of the configured rulebooks, with severities overridden and disabled rules removed."""
    rules = load_rulebooks(config.rulebooks)
    ids = {r.id for r in rules}
    where = str(config.path) if config.path else "configuration"
    for rule_id in [*config.disable, *config.severity, *(w.rule for w in config.waivers)]:
        if rule_id not in ids:
            raise RulebookError(f"{where}: unknown rule id {rule_id} (see `plankoll rules`)")
    ruleset = RuleSet()
    for rule in rules:
        if rule.id in config.disable:
            ruleset.disabled[rule.id] = where
            continue
        if (config.select and not rule.id.startswith(tuple(config.select))) or rule.id.startswith(tuple(config.ignore)):
            ruleset.disabled[rule.id] = "--select/--ignore"
            continue
        if rule.id in config.severity:
            from dataclasses import replace

            rule = replace(rule, severity=config.severity[rule.id])
        ruleset.rules.append(rule)
    return ruleset
