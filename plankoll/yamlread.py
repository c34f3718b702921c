"""YAML reading that remembers where every key and item stood, so errors and violations can
name the line of the plan file."""

from __future__ import annotations

import re
from typing import Any

import yaml

from plankoll.messages import parser_words, say

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LineDict(dict):
    """A mapping that knows its own line and the line of each key (1-based)."""

    __slots__ = ("line", "lines")


class LineList(list):
    """A sequence that knows its own line and the line of each item (1-based)."""

    __slots__ = ("line", "lines")


class YamlError(ValueError):
    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.line = line


MAX_DEPTH = 64  # nesting a plan version never needs; deeper input is refused before the parser recurses


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    pass


def _refuse_aliases(text: str) -> None:
    """Aliases are refused: the format has no use for them, and an alias bomb expands a few hundred
    bytes into gigabytes. The events come from the (C) parser before anything is constructed."""
    if "*" not in text or not _ANCHOR.search(text):
        return
    for event in yaml.parse(text, Loader=_BaseLoader):
        if isinstance(event, yaml.AliasEvent):
            raise YamlError(say("y_alias"),
                            event.start_mark.line + 1)


def _mapping(loader: Any, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, str):
            raise YamlError(say("y_not_a_key_flow" if node.flow_style else "y_not_a_key", key=_quote(key)), line)
        if key in result:
            raise YamlError(say("y_duplicate_key", key=repr(key), line=result.lines[key]), line)
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = line
    return result


def _sequence(loader: Any, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.lines = [child.start_mark.line + 1 for child in node.value]
    return result


_Loader.add_constructor("tag:yaml.org,2002:map", _mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _sequence)


def _string(loader: Any, node: yaml.ScalarNode) -> str:
    return loader.construct_scalar(node)


# Dates stay text: the model validates them (a date that does not exist, 2022-13-45, is then an
# error with its line, not a crash of the YAML library).
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _string)


def _quote(value: Any, limit: int = 80) -> str:
    """Input quoted in a message, cut short: a message never repeats a whole document."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


_INDENTED = re.compile(rf"^ {{{2 * MAX_DEPTH + 2}}}", re.MULTILINE)
_INNERMOST = re.compile(r"\[[^\[\]{}]*\]|\{[^\[\]{}]*\}")
_BRACKET = re.compile(r"[\[\]{}]")


def _too_deep(text: str) -> int | None:
    """The line where flow or block nesting passes MAX_DEPTH, if it does.

    Most documents are proved shallow in a few regex passes, each removing one level of balanced
    flow nesting; a document they cannot prove so is counted character by character."""
    if not _INDENTED.search(text):
        rest = text
        for _ in range(MAX_DEPTH):
            if not _BRACKET.search(rest):
                return None
            rest, removed = _INNERMOST.subn("", rest)
            if not removed:
                break
    return _too_deep_exactly(text)


def _too_deep_exactly(text: str) -> int | None:
    depth = 0
    for number, line in enumerate(text.split("\n"), start=1):
        indent = len(line) - len(line.lstrip(" "))
        if indent // 2 > MAX_DEPTH:
            return number
        for ch in line:
            depth += (ch in "[{") - (ch in "]}")
            if depth > MAX_DEPTH:
                return number
    return None


def load(text: str) -> Any:
    """Parse one YAML document; raise YamlError with the line on any syntax problem."""
    deep = _too_deep(text)
    if deep is not None:
        raise YamlError(say("y_too_deep", limit=MAX_DEPTH), deep)
    try:
        _refuse_aliases(text)
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader with two constructors
    except YamlError:
        raise
    except RecursionError:
        raise YamlError(say("y_too_deep", limit=MAX_DEPTH), None) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        code = ord(exc.character) if isinstance(exc.character, str) else int(exc.character)
        raise YamlError(say("y_control", code=f"{code:04X}"), line) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        message = " ".join(p for p in (exc.context, exc.problem) if p) or str(exc)
        if exc.context_mark is not None and exc.problem_mark is not None and exc.context_mark.line != exc.problem_mark.line:
            message += f" (the construct started on line {exc.context_mark.line + 1})"  # said in Swedish by parser_words
        raise YamlError(parser_words(message), line) from None
    except yaml.YAMLError as exc:
        raise YamlError(parser_words(str(exc)), None) from None


def line_of(document: Any, loc: tuple[Any, ...]) -> int | None:
    """The line of the deepest element of `loc` that exists in the parsed document."""
    node, line = document, getattr(document, "line", None)
    for part in loc:
        if isinstance(node, LineDict) and part in node:
            line, node = node.lines[part], node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            line, node = node.lines[part], node[part]
        else:
            break
    return line


# --- the fast path ------------------------------------------------------------------------------
# PyYAML's constructors in Python cost ~70 ms for a 60 kB plan file. The fast path parses with
# yaml-rs (Rust) and recovers the line of every block key and item from the text with a small
# scanner that follows the document in order; a flow collection ({…} or […]) is not scanned, its
# keys and items take the line it opens on. The lines come back as one flat map, path → line.
# Anything the scanner is unsure of raises FastPathError, and the caller falls back to the exact
# PyYAML path (which also gives the error messages).
#
# rapidyaml was measured as the parser that reports positions itself (issue 16): it parses a
# 66 kB plan in about 1 ms, but its Python binding exposes no node positions and walking its tree
# through SWIG costs about 24 ms per plan, more than yaml-rs and this scanner together.

_QUOTED = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^']|'')*'")
_key_patterns: dict[str, re.Pattern[str]] = {}
# an anchor, alias or tag where a value starts (after "key:", "- ", "[", "{" or ",")
_ANCHOR = re.compile(r"(?:^|[:\-\[{,])[ \t]*[&*!][A-Za-z0-9_<!-]", re.MULTILINE)
_DASH = re.compile(r" *-(?: +|$)")

KeyPath = tuple[Any, ...]  # keys and item indexes from the document's root


class FastPathError(ValueError):
    """The fast path cannot vouch for this document; use the exact path."""


def _key_pattern(key: str) -> re.Pattern[str]:
    pattern = _key_patterns.get(key)
    if pattern is None:
        k = re.escape(key)
        pattern = re.compile(rf"^(\s*(?:-\s+)*)(?:{k}|\"{k}\"|'{k}')\s*:(?:\s|$)")
        _key_patterns[key] = pattern
    return pattern


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


class _Scanner:
    def __init__(self, text: str):
        self.lines = text.split("\n")
        self.cursor = 0
        self.lines_of: dict[KeyPath, int] = {(): 1}

    def _skip(self, i: int) -> bool:
        s = self.lines[i].strip()
        return not s or s[0] == "#" or s in ("---", "...")

    def find_key(self, key: str) -> tuple[int, int, str]:
        """(line index, key column, rest of the line after the colon) of the next occurrence of key."""
        pattern = _key_pattern(str(key))
        lines = self.lines
        for i in range(self.cursor, len(lines)):
            m = pattern.match(lines[i])
            if m:
                return i, len(m.group(1)), lines[i][m.end():]
            if not self._skip(i):
                break  # the next key stands on the next line that is not blank or a comment
        raise FastPathError(f"key {key!r} not found at line {self.cursor + 1}")

    def find_dash(self) -> tuple[int, str]:
        lines = self.lines
        for i in range(self.cursor, len(lines)):
            m = _DASH.match(lines[i])
            if m:
                return i, lines[i][m.end():]
            if not self._skip(i):
                raise FastPathError(f"expected a sequence item at line {i + 1}")
        raise FastPathError("sequence item not found")

    def flow_end(self, i: int) -> int:
        """The line where the flow collection opened on line i closes."""
        line = self.lines[i].rstrip()
        if line[-1:] in ("}", "]") and "#" not in line:
            return i
        depth = 0
        for j in range(i, len(self.lines)):
            bare = _QUOTED.sub("", self.lines[j].split(" #", 1)[0])
            if '"' in bare:
                raise FastPathError(f"a quoted string spans lines at line {j + 1}")
            depth += bare.count("{") + bare.count("[") - bare.count("}") - bare.count("]")
            if depth <= 0:
                return j
        raise FastPathError(f"unclosed flow collection from line {i + 1}")

    def skip_deeper(self, i: int, column: int) -> None:
        """Move past continuation lines of a scalar (more indented than its key)."""
        lines = self.lines
        j = i + 1
        while j < len(lines) and (_indent(lines[j]) > column or self._skip(j)):
            j += 1
        self.cursor = j

    def value(self, value: Any, i: int, rest: str, path: KeyPath, column: int, item: bool) -> None:
        """Follow the value that starts on line i after a key (or a dash, when `item`) at `column`;
        `rest` is the line after the key's colon or the dash."""
        if not isinstance(value, dict | list):
            self.skip_deeper(i, column)
        elif rest.lstrip()[:1] in ("{", "["):
            self.cursor = self.flow_end(i) + 1  # its keys and items take this line
        elif not value or (item and isinstance(value, list)):
            raise FastPathError(f"an empty or nested block collection at line {i + 1}")
        elif isinstance(value, dict):
            self.cursor = i if item else i + 1  # an item's first key stands on its dash line
            self.mapping(value, path)
        else:
            self.cursor = i + 1
            self.sequence(value, path)

    def _one_flow_item_a_line(self, node: list[Any]) -> bool:
        """Whether the sequence is written one flow collection a line from the cursor on (rows,
        values: the bulk of a plan file), so that item k stands on the cursor's line + k."""
        first, count = self.cursor, len(node)
        block = self.lines[first:first + count]
        if len(block) < count or count < 2 or not all(isinstance(item, dict | list) for item in node):
            return False
        indent = _indent(block[0])
        for line in block:
            bare = line.strip()
            if bare[:3] not in ("- {", "- [") or bare[-1:] not in ("}", "]") or "#" in bare or _indent(line) != indent:
                return False
        after = first + count
        # the line after the block must not continue its last item
        return after >= len(self.lines) or self._skip(after) or _indent(self.lines[after]) <= indent

    def mapping(self, node: dict[Any, Any], path: KeyPath) -> None:
        lines, lines_of = self.lines, self.lines_of
        for key, value in node.items():
            i = self.cursor
            line = lines[i] if i < len(lines) else ""
            bare = line.lstrip(" ")
            end = len(key) + 1 if type(key) is str else 0
            if end and bare.startswith(key) and bare[end - 1:end] == ":" and bare[end:end + 1] in ("", " ", "\t"):
                # the common case, which find_key's pattern also matches: the plain key first on the cursor's line
                column, rest = len(line) - len(bare), bare[end:]
            else:
                i, column, rest = self.find_key(key)
            here = (*path, key)
            lines_of[here] = i + 1
            if not isinstance(value, dict | list):
                following = lines[i + 1] if i + 1 < len(lines) else None
                if following is None or (following[:column + 1].strip() and following.lstrip()[:1] != "#"):
                    self.cursor = i + 1  # the next line starts at or left of the key: no continuation to skip
                    continue
            self.value(value, i, rest, here, column, False)

    def sequence(self, node: list[Any], path: KeyPath) -> None:
        lines_of = self.lines_of
        if self._one_flow_item_a_line(node):
            first = self.cursor
            lines_of.update(((*path, index), first + index + 1) for index in range(len(node)))
            self.cursor = first + len(node)
            return
        for index, item in enumerate(node):
            i, rest = self.find_dash()
            here = (*path, index)
            lines_of[here] = i + 1
            self.value(item, i, rest, here, _indent(self.lines[i]), True)


def fast_load(text: str) -> tuple[dict[str, Any], dict[KeyPath, int]]:
    """Parse with yaml-rs; (the document, path → line of every block key and item). Raises
    FastPathError when unsure (use `load` then)."""
    try:
        import yaml_rs
    except ImportError as exc:
        raise FastPathError("yaml-rs is not installed") from exc
    if ("&" in text or "*" in text or "!" in text) and _ANCHOR.search(text):
        raise FastPathError("anchors, aliases or tags: use the exact path")
    try:
        data = yaml_rs.loads(text, parse_datetime=False)
    except Exception as exc:
        raise FastPathError(str(exc)) from exc
    if not isinstance(data, dict):
        raise FastPathError("not a mapping")
    scanner = _Scanner(text)
    scanner.mapping(data, ())
    return data, scanner.lines_of


def line_in(lines_of: dict[KeyPath, int], path: KeyPath) -> int:
    """The line of the deepest element of `path` that the fast path located."""
    while path not in lines_of:
        path = path[:-1]
    return lines_of[path]
