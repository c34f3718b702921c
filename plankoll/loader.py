"""Finding plan-version files and reading each into a validated `PlanVersion`.

A file that cannot be used yields `LoadError`s naming the file, the line and what was expected;
the other files are still read.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from plankoll import yamlread
from plankoll.figures import FigureError, parse
from plankoll.layout import Location, Notice
from plankoll.messages import say, validation
from plankoll.model import FORMAT_VERSION, PlanVersion, cell_text, column_name

SUFFIXES = (".plan.yaml", ".plan.yml")


DEFAULT_MAX_FILE_BYTES = 20 * 1024 * 1024  # an input larger than this is refused (plankoll.toml: max_file_mb)
MAX_FILE_BYTES = DEFAULT_MAX_FILE_BYTES


@dataclass(frozen=True, slots=True)
class LoadError:
    file: str
    line: int | None
    message: str
    internal: bool = False  # a bug in plankoll met on this file, not a fault of the file (exit 3)
    detail: str = field(default="", compare=False)  # the traceback of an internal error (written to a file, not shown)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"file": self.file, "line": self.line, "message": self.message}
        if self.internal:
            out["internal"] = True
            out["detail"] = self.detail
        return out


class _ByLine:
    """A locator of a plan-version file: each element's place is its line."""

    __slots__ = ("file",)

    def line(self, path: tuple[Any, ...]) -> int | None:
        raise NotImplementedError

    def get(self, path: tuple[Any, ...]) -> Location:
        return Location(self.file, line=self.line(path))

    def place(self, path: tuple[Any, ...]) -> tuple[Any, ...]:
        """(line, table, row, column, sheet, cell): what the frames record of an element's place."""
        return self.line(path), None, None, None, None, None


class YamlLocator(_ByLine):
    """Lines from the YAML's line maps (the exact path)."""

    __slots__ = ("document",)

    def __init__(self, document: Any, file: str):
        self.document, self.file = document, file

    def line(self, path: tuple[Any, ...]) -> int | None:
        return yamlread.line_of(self.document, path)


class LineLocator(_ByLine):
    """Lines from the fast path's flat map."""

    __slots__ = ("lines",)

    def __init__(self, lines: dict[tuple[Any, ...], int], file: str):
        self.lines, self.file = lines, file

    def line(self, path: tuple[Any, ...]) -> int | None:
        return yamlread.line_in(self.lines, path)


class MapLocator:
    """Locations an importer recorded per model path; a path without its own falls back to its parent's."""

    __slots__ = ("file", "places")

    def __init__(self, places: dict[tuple[Any, ...], Location], file: str):
        self.places, self.file = places, file

    def get(self, path: tuple[Any, ...]) -> Location:
        while path:
            found = self.places.get(path)
            if found is not None:
                return found
            path = path[:-1]
        return Location(self.file)

    def place(self, path: tuple[Any, ...]) -> tuple[Any, ...]:
        loc = self.get(path)
        return loc.line, loc.table, loc.row, loc.column, loc.sheet, loc.cell


@dataclass(frozen=True, slots=True)
class LoadedPlan:
    file: str
    plan: PlanVersion
    locate: Any  # LineLocator | YamlLocator | MapLocator: model path → Location (get) or frame columns (place)
    notices: tuple[Notice, ...] = ()
    evidence: dict[str, dict[str, Any]] = field(default_factory=dict)  # element → printed row and heading (documents)


def is_plan_file(path: Path) -> bool:
    return path.name.endswith(SUFFIXES)


def discover(paths: Iterable[str | Path], stats: dict[str, os.stat_result] | None = None,
             listing: Listing | None = None) -> tuple[list[Path], list[LoadError]]:
    """Plan-version files under the given files and directories (recursively), in a stable order.

    A file reached twice (the same path given twice, or a symbolic link to it) is read once.
    `stats`, when given, receives each file's stat. `listing`, when given, holds the directories
    listed by an earlier run (see `Listing`) and receives this run's.
    """
    files: list[Path] = []
    errors: list[LoadError] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            unreadable: list[LoadError] = []
            found = _walk(path, unreadable, listing)
            errors.extend(unreadable)
            if not found and not unreadable:
                errors.append(LoadError(str(path), None, say("no_plans_here", suffixes=", ".join([*SUFFIXES, ".docx", ".pdf", ".xlsx"]))))
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            errors.append(LoadError(str(path), None, say("no_such_path")))
    seen: set[tuple[int, int]] = set()
    unique = []
    for f in files:
        # identity by device and inode: one stat per file, where resolve() costs one per path component
        try:
            st = os.stat(f)
        except OSError as exc:
            errors.append(LoadError(str(f), None, say("cannot_read", reason=exc.strerror)))
            continue
        if not stat.S_ISREG(st.st_mode):
            continue
        if (st.st_dev, st.st_ino) not in seen:
            seen.add((st.st_dev, st.st_ino))
            unique.append(f)
            if stats is not None:
                stats[str(f)] = st
    return unique, errors


@dataclass
class Listing:
    """Directories as an earlier run listed them: path → ((mtime_ns, ctime_ns, inode), files, subdirectories).

    A directory's modification time changes whenever an entry is added, removed or renamed in it,
    so an unchanged directory needs one stat instead of a listing. As for files (see
    `incremental.RACY_NS`), a listing is trusted only when the directory had not changed for
    `racy_ns` before the run that listed it.
    """

    before: dict[str, tuple[tuple[int, int, int], list[str], list[str]]] = field(default_factory=dict)
    trusted_before_ns: int = 0  # a directory modified at or after this is listed again
    now: dict[str, tuple[tuple[int, int, int], list[str], list[str]]] = field(default_factory=dict)
    listed: int = 0  # directories listed by this run (the rest came from `before`)


def _walk(root: Path, unreadable: list[LoadError], listing: Listing | None = None) -> list[Path]:
    """Plan-version files under a directory, in the order of their path components (as Paths sort).

    Symbolic links to directories are not followed (as in os.walk); scandir's entry types spare the
    stat per directory that os.walk makes.
    """
    found: list[str] = []
    todo = [str(root)]
    while todo:
        directory = todo.pop()
        entry = _listed(directory, listing, unreadable)
        if entry is not None:
            _, files, subdirectories = entry
            found.extend(os.path.join(directory, name) for name in files)
            todo.extend(os.path.join(directory, name) for name in subdirectories)
    found.sort(key=lambda p: p.split(os.sep))
    return [Path(p) for p in found]


def _listed(directory: str, listing: Listing | None, unreadable: list[LoadError]) -> tuple[Any, list[str], list[str]] | None:
    """(look, plan-version files, subdirectories) of a directory: kept from an earlier run when it
    has not changed since, else listed; None when it cannot be read (named in `unreadable`)."""
    from plankoll.readers import found_in_directory

    look = None
    if listing is not None:
        try:
            st = os.stat(directory)  # before listing: a change while listing shows next time
            look = (st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
        except OSError:
            look = None
        kept = listing.before.get(directory)
        if kept is not None and look is not None and kept[0] == look and look[0] < listing.trusted_before_ns:
            listing.now[directory] = kept
            return kept
    files: list[str] = []
    subdirectories: list[str] = []
    try:
        with os.scandir(directory) as entries:
            for item in entries:
                if item.is_dir(follow_symlinks=False):
                    subdirectories.append(item.name)
                elif item.name.endswith(SUFFIXES) or found_in_directory(item.name):
                    files.append(item.name)
    except OSError as exc:
        # an unreadable folder is named, and the search goes on in the others
        unreadable.append(LoadError(directory, None, say("cannot_read_directory", reason=exc.strerror or exc)))
        return None
    if listing is not None:
        listing.listed += 1
        if look is not None:
            listing.now[directory] = (look, files, subdirectories)
    return look, files, subdirectories


def _describe(error: dict[str, Any]) -> str:
    loc = ".".join(str(p) for p in error["loc"] if not (isinstance(p, str) and p in {"str", "Column", "Reading"}))
    message = validation(error)  # pydantic's error type, said in our words in the run's language
    return f"{loc}: {message}" if loc else message


_BRANCHES = ("Reading", "Column", "str")


def _node(doc: Any, loc: tuple[Any, ...]) -> Any:
    for part in loc:
        try:
            doc = doc[part]
        except (KeyError, IndexError, TypeError):
            return None
    return doc


def _relevant(errors: list[Any], doc: Any) -> list[Any]:
    """Of the branches of a `text | object` union, keep the error of the branch the input was written for."""
    kept = []
    for e in errors:
        loc = tuple(e["loc"])
        cut = next((i for i, p in enumerate(loc) if p in _BRANCHES), None)
        if cut is None or (loc[cut] == "str") != isinstance(_node(doc, loc[:cut]), dict):
            kept.append(e)
    return kept


def _structure_errors(plan: PlanVersion, doc: Any) -> Iterator[tuple[tuple[Any, ...], str]]:
    """What the schema alone cannot say: duplicate ids, dangling references, ragged rows, bad figures."""
    seen_ind: dict[str, int] = {}
    for i, ind in enumerate(plan.indicators):
        if ind.id in seen_ind:
            yield ("indicators", i, "id"), say("duplicate_indicator", id=repr(ind.id), other=seen_ind[ind.id])
        seen_ind.setdefault(ind.id, i)
        for j, val in enumerate(ind.values):
            for key in ("value", "K", "M", "total"):
                cell = getattr(val, key)
                if cell is not None:
                    try:
                        parse(cell_text(cell))
                    except FigureError as exc:
                        yield ("indicators", i, "values", j, key), str(exc)
    seen_tab: dict[str, int] = {}
    for t, table in enumerate(plan.tables):
        if table.id in seen_tab:
            yield ("tables", t, "id"), say("duplicate_table", id=repr(table.id), other=seen_tab[table.id])
        seen_tab.setdefault(table.id, t)
        if table.indicator is not None and table.indicator not in seen_ind:
            yield ("tables", t, "indicator"), say("no_indicator", id=repr(table.indicator))
        names = [column_name(c) for c in table.columns]
        text_cols = {i for i, c in enumerate(table.columns) if not isinstance(c, str) and c.text}
        for c, name in enumerate(names):
            if name in names[:c]:
                yield ("tables", t, "columns", c), say("duplicate_column", name=repr(name))
        rows: dict[str, int] = {}
        for r, row in enumerate(table.rows):
            if row.id in rows:
                yield ("tables", t, "rows", r, "id"), say("duplicate_row", id=repr(row.id), table=repr(table.id))
            rows.setdefault(row.id, r)
            if row.values and len(row.values) != len(names):
                yield ("tables", t, "rows", r, "values"), say("ragged_row", id=repr(row.id), cells=len(row.values), columns=len(names))
            for c, cell in enumerate(row.values):
                if c not in text_cols:
                    try:
                        parse(cell_text(cell))
                    except FigureError as exc:
                        yield ("tables", t, "rows", r, "values", c), str(exc)
        for r, row in enumerate(table.rows):
            for k, part in enumerate(row.sum_of):
                if part not in rows:
                    yield ("tables", t, "rows", r, "sum_of", k), say("no_row", id=repr(part), table=repr(table.id))
                elif part == row.id:
                    yield ("tables", t, "rows", r, "sum_of", k), say("row_sums_itself", id=repr(row.id))
        for s, colsum in enumerate(table.column_sums):
            for name in (colsum.column, *colsum.sum_of):
                if name not in names:
                    yield ("tables", t, "column_sums", s), say("no_column", name=repr(name), table=repr(table.id))
        if table.indicator_column is not None and table.indicator_column not in names:
            yield ("tables", t, "indicator_column"), say("no_column", name=repr(table.indicator_column), table=repr(table.id))
        for d, derived in enumerate(table.derived):
            for name in (derived.column, derived.new, derived.old, derived.numerator, derived.denominator):
                if name is not None and name not in names:
                    yield ("tables", t, "derived", d), say("no_column", name=repr(name), table=repr(table.id))


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def load_text(text: str, file: str) -> LoadedPlan | list[LoadError]:
    if _CONTROL.search(text):
        return _load_exact(text, file)  # the exact path names the line and the character
    # Deep nesting needs no check here: yaml-rs refuses flow nesting past 256 levels, and the line
    # scanner's recursion ends in RecursionError; both send the text to the exact path, where
    # nesting past MAX_DEPTH is refused with its line.
    try:
        doc, lines = yamlread.fast_load(text)
        plan = PlanVersion.model_validate(doc)
        if next(_structure_errors(plan, doc), None) is None:
            return LoadedPlan(file, plan, LineLocator(lines, file))
    except (yamlread.FastPathError, ValidationError, RecursionError):
        pass
    # The exact path: PyYAML with marks, for documents the fast path cannot vouch for and for
    # every error message (with its line).
    return _load_exact(text, file)


def _load_exact(text: str, file: str) -> LoadedPlan | list[LoadError]:
    try:
        doc = yamlread.load(text)
    except yamlread.YamlError as exc:
        return [LoadError(file, exc.line, say("not_yaml", problem=exc))]
    if not isinstance(doc, dict):
        return [LoadError(file, getattr(doc, "line", 1), say("not_mapping"))]
    if doc.get("plankoll") != FORMAT_VERSION:
        line = yamlread.line_of(doc, ("plankoll",)) or 1
        got = yamlread._quote(doc.get("plankoll"))
        return [LoadError(file, line, say("format_version", version=FORMAT_VERSION, got=got))]
    try:
        plan = PlanVersion.model_validate(doc)
    except ValidationError as exc:
        return [LoadError(file, yamlread.line_of(doc, tuple(e["loc"])), _describe(e)) for e in _relevant(exc.errors(), doc)]
    problems = [LoadError(file, yamlread.line_of(doc, loc), f"{'.'.join(map(str, loc))}: {msg}") for loc, msg in _structure_errors(plan, doc)]
    return problems or LoadedPlan(file, plan, YamlLocator(doc, file))


def load_file(path: Path, data: bytes | None = None) -> LoadedPlan | list[LoadError]:
    """Read one plan version; from `data` when given (the bytes a caller already read and hashed).

    Whatever the input, the answer is a plan version or errors naming the file: a failure of
    plankoll itself on this file is an internal error of this file, and the other files are read."""
    try:
        return _load_file(path, data)
    except Exception as exc:
        import traceback

        return [LoadError(str(path), None, say("internal", error=f"{type(exc).__name__}: {yamlread._quote(str(exc), 200)}"), internal=True,
                          detail="".join(traceback.format_exception(exc)))]


def _load_file(path: Path, data: bytes | None) -> LoadedPlan | list[LoadError]:
    from plankoll.readers import is_document

    try:
        size = len(data) if data is not None else path.stat().st_size
    except OSError as exc:
        return [LoadError(str(path), None, say("cannot_read", reason=exc.strerror or exc))]
    if size > MAX_FILE_BYTES:
        return [LoadError(str(path), None, say("too_large", size=f"{size / 1048576:.1f}", limit=MAX_FILE_BYTES // 1048576))]
    if is_document(path) and not is_plan_file(path):
        from plankoll.importer import load_document

        return load_document(path, data)
    try:
        raw = path.read_bytes() if data is None else data
    except OSError as exc:
        return [LoadError(str(path), None, say("cannot_read", reason=exc.strerror or exc))]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return [LoadError(str(path), line, say("not_utf8", byte=f"{raw[exc.start]:02x}"))]
    return load_text(text, str(path))


def load_paths(paths: Iterable[str | Path]) -> tuple[list[LoadedPlan], list[LoadError]]:
    files, errors = discover(paths)
    plans: list[LoadedPlan] = []
    for path in files:
        result = load_file(path)
        if isinstance(result, LoadedPlan):
            plans.append(result)
        else:
            errors.extend(result)
    return plans, errors
