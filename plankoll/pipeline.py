"""Reading many plan versions fast: worker processes, and a cache of parsed versions.

Each file becomes a fragment (see `frames.fragment`). Fragments are cached under the cache
directory, keyed by a digest of the file's path and bytes and of plankoll's own code, so a file
edit, a plankoll upgrade or a change to its parsing code all miss the cache; rules and config are
not part of a parsed version and are applied afresh on every run.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from plankoll.loader import LoadError, discover, load_file

PARALLEL_FROM = 64  # files; below this a pool costs more than it saves
_CODE_FILES = ("__init__.py", "model.py", "figures.py", "yamlread.py", "loader.py", "frames.py")


@lru_cache(maxsize=1)
def code_digest() -> str:
    """What a cached fragment depends on in plankoll itself."""
    import plankoll

    h = hashlib.sha256(plankoll.__version__.encode())
    base = Path(plankoll.__file__).resolve().parent
    for name in _CODE_FILES:
        h.update((base / name).read_bytes())
    return h.hexdigest()[:16]


def _digest(path: Path, data: bytes) -> str:
    h = hashlib.sha256(code_digest().encode())
    h.update(str(path).encode("utf-8", "surrogateescape"))
    h.update(b"\0")
    h.update(data)
    return h.hexdigest()


def _parse(path: Path) -> tuple[str, Any]:
    from plankoll.frames import fragment
    from plankoll.loader import LoadedPlan

    result = load_file(path)
    if isinstance(result, LoadedPlan):
        return str(path), fragment(result)
    return str(path), result


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


def _parse_many(paths: list[Path]) -> list[tuple[str, Any]]:
    with no_gc():
        return [_parse(p) for p in paths]


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


def read_fragments(
    paths: Iterable[str | Path],
    cache_dir: Path | None = None,
    jobs: int | None = None,
    progress: Callable[[int, str], Progress] | None = None,
) -> tuple[list[str], list[Any], list[LoadError], dict[str, int]]:
    """(files, fragments, errors, stats) for every plan version under `paths`, in a stable order."""
    files, errors = discover(paths)
    stats = {"files": len(files), "cached": 0, "parsed": 0}
    fragments: dict[str, Any] = {}
    todo: list[tuple[Path, str | None]] = []
    for path in files:
        digest = None
        if cache_dir is not None:
            try:
                digest = _digest(path, path.read_bytes())
                cached = cache_dir / digest[:2] / f"{digest}.pkl"
                if cached.is_file():
                    with cached.open("rb") as fh:
                        fragments[str(path)] = pickle.load(fh)  # noqa: S301 - our own cache, keyed by content
                    stats["cached"] += 1
                    continue
            except (OSError, pickle.UnpicklingError, EOFError):
                pass
        todo.append((path, digest))
    bar = progress(len(todo), "plankoll: reading") if progress and todo else None
    jobs = jobs or min(os.cpu_count() or 1, 8)
    if len(todo) >= PARALLEL_FROM and jobs > 1:
        chunk = max(8, len(todo) // (jobs * 8))
        batches = [[p for p, _ in todo[i:i + chunk]] for i in range(0, len(todo), chunk)]
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            results: list[tuple[str, Any]] = []
            for batch in pool.map(_parse_many, batches):
                results.extend(batch)
                if bar:
                    bar.advance(len(batch))
    else:
        results = []
        with no_gc():
            for p, _ in todo:
                results.append(_parse(p))
                if bar:
                    bar.advance()
    if bar:
        bar.close()
    digests = {str(p): d for p, d in todo}
    for file, outcome in results:
        stats["parsed"] += 1
        if isinstance(outcome, list):
            errors.extend(outcome)
            continue
        fragments[file] = outcome
        digest = digests.get(file)
        if cache_dir is not None and digest is not None:
            _store(cache_dir, digest, outcome)
    ordered = [str(p) for p in files if str(p) in fragments]
    return ordered, [fragments[f] for f in ordered], errors, stats


def _store(cache_dir: Path, digest: str, fragment: Any) -> None:
    target = cache_dir / digest[:2] / f"{digest}.pkl"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump(fragment, fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(target)
    except OSError:
        pass  # a cache that cannot be written only costs time
