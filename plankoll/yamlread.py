"""YAML reading that remembers where every key and item stood, so errors and violations can
name the line of the plan file."""

from __future__ import annotations

from typing import Any

import yaml

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


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    pass


def _mapping(loader: Any, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, str | int):
            raise YamlError(f"a key must be a plain name, not {type(key).__name__}", line)
        if key in result:
            raise YamlError(f"duplicate key {key!r} (first given on line {result.lines[key]})", line)
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


def load(text: str) -> Any:
    """Parse one YAML document; raise YamlError with the line on any syntax problem."""
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader with two constructors
    except YamlError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        message = " ".join(p for p in (exc.context, exc.problem) if p) or str(exc)
        if exc.context_mark is not None and exc.problem_mark is not None and exc.context_mark.line != exc.problem_mark.line:
            message += f" (the construct started on line {exc.context_mark.line + 1})"
        raise YamlError(message, line) from None
    except yaml.YAMLError as exc:
        raise YamlError(str(exc), None) from None


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
