"""Reading plan versions: parsing each into a fragment, and a cache of parsed versions.

Each file becomes a fragment (see `frames.fragment`). Fragments are cached under the cache
directory, keyed by a digest of the file's path and bytes and of plankoll's own code, so a file
edit, a plankoll upgrade or a change to its parsing code all miss the cache; rules and config are
not part of a parsed version (kept results are: see `plankoll.incremental`).
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from plankoll.loader import load_file

PARALLEL_FROM = 64  # files; below this a pool costs more than it saves
_DEPENDENCIES = ("pandas", "numpy", "pandera", "pydantic", "pydantic_core", "yaml", "yaml_rs", "orjson",  # import names
                 "docx", "lxml", "markdown_it", "pdfplumber", "pdfminer", "pypdfium2", "python_calamine", "openpyxl")
_CODE_FILES = ("__init__.py", "model.py", "figures.py", "yamlread.py", "loader.py", "frames.py", "layout.py", "importer.py", "workbook.py",
               "readers/*.py", "interpret/*.py")  # what shapes a parsed version (globs: every reader and the interpreter)


@lru_cache(maxsize=1)
@lru_cache(maxsize=1)
def dependency_versions() -> str:
    """Python's version and the installed files of the libraries that shape parsed versions and
    results: an upgrade of any of them invalidates what the cache keeps.

    Each library is named by its package file's path, size and modification time, which an
    upgrade rewrites; found without importing it and without reading package metadata (which
    costs a third of a second).
    """
    import platform
    from importlib.util import find_spec

    found = [f"python {platform.python_version()} {sys.prefix}"]
    for name in _DEPENDENCIES:
        spec = find_spec(name)
        origin = spec.origin if spec else None
        if origin and os.path.isfile(origin):
            st = os.stat(origin)
            found.append(f"{name} {origin} {st.st_size} {st.st_mtime_ns}")
        else:
            found.append(f"{name} -")
    return "; ".join(found)


@lru_cache(maxsize=1)
def code_digest() -> str:
    """What a cached fragment depends on in plankoll itself and its parsing libraries."""
    import plankoll

    h = hashlib.sha256(f"{plankoll.__version__}; {dependency_versions()}".encode())
    base = Path(plankoll.__file__).resolve().parent
    for pattern in _CODE_FILES:
        for path in sorted(base.glob(pattern)):
            h.update(path.name.encode())
            h.update(path.read_bytes())
    from importlib import resources

    # the interpreter's vocabulary is data, and what it reads from a document depends on it
    h.update(resources.files("plankoll.rulebooks").joinpath("vocabulary.yaml").read_bytes())
    return h.hexdigest()[:16]


def _digest(path: Path, data: bytes) -> str:
    from plankoll.importer import settings_digest

    h = hashlib.sha256(code_digest().encode())
    h.update(settings_digest().encode())
    h.update(str(path).encode("utf-8", "surrogateescape"))
    h.update(b"\0")
    h.update(data)
    return h.hexdigest()


def _parse(path: Path, data: bytes | None = None) -> tuple[str, Any]:
    import traceback

    from plankoll.frames import fragment
    from plankoll.loader import LoadedPlan, LoadError

    result = load_file(path, data)
    if not isinstance(result, LoadedPlan):
        return str(path), result
    try:
        return str(path), fragment(result)
    except Exception as exc:  # a bug met on this version costs this version only
        return str(path), [LoadError(str(path), None, f"internal error in plankoll while reading this file ({type(exc).__name__}: "
                                                      f"{str(exc)[:200]})", internal=True, detail="".join(traceback.format_exception(exc)))]


@contextmanager
def no_gc() -> Iterator[None]:
    """Parsing makes millions of small acyclic objects; the cyclic collector only slows that down (about 30 %)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class Progress:
    """A progress line on stderr, only on a terminal and only for runs longer than about a second."""

    def __init__(self, total: int, label: str, enabled: bool | None = None):
        import time

        self.total, self.label, self.done = total, label, 0
        self.start = time.monotonic()
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.shown = False

    def advance(self, n: int = 1) -> None:
        import time

        self.done += n
        if not self.enabled:
            return
        elapsed = time.monotonic() - self.start
        if elapsed < 1.0 and not self.shown:
            return
        self.shown = True
        width = 30
        filled = int(width * self.done / max(self.total, 1))
        sys.stderr.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} {elapsed:5.1f} s")
        sys.stderr.flush()

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\n")
            sys.stderr.flush()


def fragment_of(path: Path, cache_dir: Path | None, digest: str | None = None) -> tuple[str | None, Any, bool, str | None]:
    """(content digest, fragment or load errors, whether it came from the cache, SHA-256 of the bytes
    read) of one plan version.

    Without a cache directory nothing is hashed and the digest is None. The SHA-256 is of the
    bytes this call read (None when it read none: a cache hit by a known digest); the audit trail
    names each input by it, so a run does not read its inputs a second time to hash them.
    """
    data = None
    if cache_dir is not None:
        try:
            if digest is None:
                data = path.read_bytes()
                digest = _digest(path, data)
            with (cache_dir / digest[:2] / f"{digest}.pkl").open("rb") as fh:
                kept = _valid_entry(pickle.load(fh), digest)  # noqa: S301 - our own cache, keyed by content and checked
            if kept is not None:
                return digest, kept, True, _sha256(data)
        except Exception:  # noqa: S110 - not cached, damaged, or unreadable (parsing reports that)
            pass
        if data is None:
            # The digest came from an earlier read; the file may have changed since. Parse what
            # is there now and key it by exactly those bytes, so that a digest never stands for
            # another content's results.
            try:
                data = path.read_bytes()
                digest = _digest(path, data)
            except OSError:
                digest = None
    _, outcome = _parse(path, data)
    if cache_dir is not None and digest is not None and not isinstance(outcome, list):
        _store(cache_dir, digest, outcome)
    return digest, outcome, False, _sha256(data)


def _sha256(data: bytes | None) -> str | None:
    return hashlib.sha256(data).hexdigest() if data is not None else None


CACHE_FORMAT = 2


def _store(cache_dir: Path, digest: str, fragment: Any) -> None:
    # the entry names its own format and digest: a file moved, swapped or damaged in the cache is not believed
    write_pickle(cache_dir / digest[:2] / f"{digest}.pkl", (CACHE_FORMAT, digest, fragment))


def _valid_entry(entry: Any, digest: str) -> Any:
    """The fragment of a cache entry when it is one of ours, for this digest and of the right shape; else None."""
    from plankoll.frames import COLUMNS

    if not (isinstance(entry, tuple) and len(entry) == 3 and entry[0] == CACHE_FORMAT and entry[1] == digest):
        return None
    fragment = entry[2]
    if not isinstance(fragment, dict) or any(not isinstance(fragment.get(name), list) or len(fragment[name]) != len(columns)
                                             for name, columns in COLUMNS.items()):
        return None
    plans = fragment["plans"]
    if any(len(column) != 1 for column in plans):  # one plan version per fragment
        return None
    return fragment


def write_pickle(target: Path, value: Any, checksum: bool = False) -> None:
    """Write a cache file whole or not at all (other runs may read it meanwhile); with `checksum`,
    followed by the SHA-256 of its pickle, which `read_checked_pickle` verifies."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        with tmp.open("wb") as fh:
            fh.write(data)
            if checksum:
                fh.write(hashlib.sha256(data).digest())
        tmp.replace(target)
    except OSError:
        pass  # a cache that cannot be written only costs time on the next run


def read_checked_pickle(source: Path) -> Any:
    """A cache file written with a checksum; ValueError when its bytes are not the ones written."""
    data = source.read_bytes()
    body, digest = data[:-32], data[-32:]
    if len(data) < 33 or hashlib.sha256(body).digest() != digest:
        raise ValueError(f"{source}: damaged (checksum)")
    return pickle.loads(body)  # noqa: S301 - our own cache file, its checksum verified
