"""Rulebooks: declarative rules (YAML) that bind a check kind to plan elements.

A rule is data: id, check kind, selector, params, severity, Swedish and English title and
message, rationale, reference, and an example of a violation with its fix. The default rulebook
ships with the package.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from plankoll import yamlread

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


class RulebookError(ValueError):
    """A rulebook or config that cannot be used; the message names the file and line."""


class Text(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    sv: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        return self.sv if lang == "sv" else self.en


def _regex(value: str | None) -> str | None:
    import re

    if value is not None:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a valid regular expression: {exc}") from None
    return value


class Selector(BaseModel):
    """Which elements a rule applies to. Every given key must match (regexes match anywhere)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    document: list[str] | None = Field(None, description="Plan document kinds, e.g. [verksamhetsplan, regionplan].")
    plan: str | None = Field(None, description="Regex on the plan id.")
    indicator: str | None = Field(None, description="Regex on the indicator id.")
    name: str | None = Field(None, description="Regex on the indicator name (case-insensitive).")
    path: str | None = Field(None, description="Regex on the goal path (case-insensitive).")
    unit: list[str] | None = Field(None, description="Indicator units, e.g. ['%'].")
    kind: Literal["quantitative", "qualitative"] | None = None
    table: str | None = Field(None, description="Regex on the table id.")
    title: str | None = Field(None, description="Regex on the table title (case-insensitive).")

    @field_validator("plan", "indicator", "name", "path", "table", "title")
    @classmethod
    def _valid_regex(cls, value: str | None) -> str | None:
        return _regex(value)


class RuleSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=r"^[A-Z]{2,4}[0-9]{2,4}$")
    kind: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="The check kind (a module in plankoll.checks).")
    severity: Literal["error", "warning", "info"]
    title: Text
    message: Text
    rationale: Text
    reference: str | None = Field(None, description="The source the rule rests on (a statute, a standard).")
    invariant: Text | None = Field(None, description="The invariant of the plan the rule checks, in words.")
    selector: Selector = Field(default_factory=Selector)
    params: dict[str, Any] = Field(default_factory=dict)
    example: Text | None = Field(None, description="A violation of the rule, concretely. A plain string (older rulebooks) stands for both languages.")
    fix: Text | None = Field(None, description="What to change in the plan or document to resolve a violation. A plain string stands for both languages.")

    @field_validator("example", "fix", mode="before")
    @classmethod
    def _text_in_both_languages(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {"sv": value, "en": value} if value.strip() else None
        return value


class RulebookSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    rulebook: str = Field(min_length=1, description="Name of the rulebook.")
    version: int = 1
    description: Text | None = None
    rules: list[RuleSpec] = Field(min_length=1)


@dataclass(frozen=True)
class Rule:
    spec: RuleSpec
    severity: str
    rulebook: str
    origin: str  # file and line where the rule is defined

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def kind(self) -> str:
        return self.spec.kind


@dataclass
class RuleSet:
    rules: list[Rule] = field(default_factory=list)
    disabled: dict[str, str] = field(default_factory=dict)  # id -> where it was disabled

    def get(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)


def check_module(kind: str) -> Any:
    """Import the module of a check kind; a clear error for an unknown kind."""
    name = f"plankoll.checks.{kind}"
    if importlib.util.find_spec(name) is None:
        raise RulebookError(f"unknown check kind {kind!r} (known: {', '.join(known_kinds())})")
    return importlib.import_module(name)


def known_kinds() -> list[str]:
    import pkgutil

    import plankoll.checks

    return sorted(m.name for m in pkgutil.iter_modules(plankoll.checks.__path__) if not m.name.startswith("_"))


def default_rulebook_path() -> Any:
    return resources.files("plankoll.rulebooks").joinpath("default.yaml")


def load_rulebook(text: str, origin: str) -> list[Rule]:
    try:
        doc = yamlread.load(text)
    except yamlread.YamlError as exc:
        raise RulebookError(f"{origin}:{exc.line}: not valid YAML: {exc}") from None
    try:
        book = RulebookSpec.model_validate(doc)
    except ValidationError as exc:
        lines = []
        for e in exc.errors():
            loc = ".".join(str(p) for p in e["loc"])
            lines.append(f"{origin}:{yamlread.line_of(doc, tuple(e['loc']))}: {loc}: {e['msg']}")
        raise RulebookError("\n".join(lines)) from None
    rules: list[Rule] = []
    seen: set[str] = set()
    for i, spec in enumerate(book.rules):
        line = yamlread.line_of(doc, ("rules", i))
        if spec.id in seen:
            raise RulebookError(f"{origin}:{line}: duplicate rule id {spec.id}")
        seen.add(spec.id)
        problem = _template_problem(spec)
        if problem:
            raise RulebookError(f"{origin}:{line}: rule {spec.id}: {problem}")
        module = check_module(spec.kind)
        validate = getattr(module, "validate_params", None)
        if validate is not None:
            problem = validate(spec.params)
            if problem:
                raise RulebookError(f"{origin}:{line}: rule {spec.id}: {problem}")
        rules.append(Rule(spec, spec.severity, book.rulebook, f"{origin}:{line}"))
    return rules


def _template_problem(spec: RuleSpec) -> str | None:
    """A message template that cannot be filled ("{", "{0}", "{x.y}") is an error of the rulebook, not a crash later."""

    class Blank(dict):
        def __missing__(self, key: str) -> str:
            return ""

    for lang in ("sv", "en"):
        try:
            spec.message.get(lang).format_map(Blank())
        except (ValueError, IndexError, AttributeError, KeyError, TypeError) as exc:
            return f"message.{lang} is not a valid template ({exc}); write figures as {{name}} and braces as {{{{ }}}}"
    return None


def load_rulebooks(paths: list[str | Path] | None = None) -> list[Rule]:
    """The default rulebook (when `paths` is None) or the given rulebook files, in order."""
    if paths is None:
        ref = default_rulebook_path()
        return load_rulebook(ref.read_text(encoding="utf-8"), "plankoll:rules/default.yaml")
    rules: list[Rule] = []
    for path in paths:
        if str(path) == "default":
            rules.extend(load_rulebooks(None))
            continue
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise RulebookError(f"{p}: not UTF-8 text (byte {exc.start}); save the rulebook as UTF-8") from None
        except OSError as exc:
            raise RulebookError(f"{p}: cannot read rulebook: {exc.strerror}") from None
        rules.extend(load_rulebook(text, str(p)))
    ids = [r.id for r in rules]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise RulebookError(f"rule ids defined in more than one rulebook: {', '.join(dupes)}")
    return rules
