"""The interpreter's vocabulary (rules/vocabulary.yaml), extendable from plankoll.toml."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

_HYPHEN_BREAK = re.compile(r"(?<=[a-zåäöé])-\s*(?=[a-zåäö])")
_SYMBOLS = re.compile(r"[▲△▼▽□■●○◆◇◊↓↑→←★☆✓✔✗✘]")


def normalize(text: str) -> str:
    """Header text as the vocabulary matches it: lower case, hyphenation breaks joined
    ("Uppfölj-nings-period" → "uppföljningsperiod"), soft hyphens, symbols and spacing removed."""
    text = unicodedata.normalize("NFC", text).replace("\u00ad", "").replace("\u00a0", " ").lower()
    text = _HYPHEN_BREAK.sub("", text)
    text = _SYMBOLS.sub(" ", text)
    return " ".join(text.split()).strip(" :*")


@dataclass(frozen=True)
class Vocabulary:
    data: dict[str, Any]

    def words(self, *keys: str) -> list[str]:
        node: Any = self.data
        for key in keys:
            node = node.get(key, {}) if isinstance(node, dict) else {}
        return list(node) if isinstance(node, list) else []

    def group(self, key: str) -> dict[str, list[str]]:
        node = self.data.get(key, {})
        return {k: list(v) for k, v in node.items()} if isinstance(node, dict) else {}

    def pattern(self, *keys: str, whole: bool = True) -> re.Pattern[str]:
        return _compile(tuple(self.words(*keys)), whole)


@lru_cache(maxsize=512)
def _compile(words: tuple[str, ...], whole: bool) -> re.Pattern[str]:
    body = "|".join(f"(?:{w})" for w in words) or "(?!)"
    return re.compile(rf"^(?:{body})$" if whole else rf"^(?:{body})\b", re.IGNORECASE)


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, list) and isinstance(out.get(key), list):
            out[key] = [*out[key], *value]
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


@lru_cache(maxsize=8)
def _default() -> dict[str, Any]:
    import yaml

    text = resources.files("plankoll.rulebooks").joinpath("vocabulary.yaml").read_text(encoding="utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader (libyaml's when installed)


def load(extra: dict[str, Any] | None = None) -> Vocabulary:
    """The shipped vocabulary, with the lists of `extra` (plankoll.toml's [vocabulary]) added."""
    if not extra:
        return _shipped()
    return Vocabulary(_merge(_default(), extra))


@lru_cache(maxsize=1)
def _shipped() -> Vocabulary:
    return Vocabulary(_default())
