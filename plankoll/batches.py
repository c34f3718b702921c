"""Checking plan versions a batch at a time, in worker processes when there are many.

A batch is read (from the parsed-version cache, or parsed and cached), assembled into frames and
checked on its own, so memory stays bounded by the batch size, and reading and rules both run
in parallel. That is exact for a batch that holds, with each of its versions, every version that
shares an indicator with it (see `plankoll.incremental`); `components` finds the versions for which
that does not hold, and the caller checks those again in batches of whole components.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plankoll.loader import SUFFIXES, LoadError

BATCH = 400  # versions per batch in worker processes: about 0.5 GiB a worker at 100 indicators (issue 16: ≤ 1.5 GiB for two workers and the results)


@dataclass
class Checked:
    """One plan version after a batch run: what the state keeps for it."""

    file: str
    digest: str | None
    keys: bytes
    plan: dict[str, Any] | None
    errors: list[LoadError] = field(default_factory=list)
    sha256: str | None = None  # of the bytes checked, when this run read them


@dataclass
class BatchOutcome:
    checked: list[Checked]
    read_s: float
    rules_s: float
    cached: int
    parsed: int


_setup: dict[str, Any] = {}


def _init(ruleset: Any, config: Any, lang: str, cache_dir: Path | None) -> None:
    from plankoll import importer
    from plankoll.engine import crosses_versions

    # whether any rule compares versions: asked once per run, not once per version read
    _setup.update(ruleset=ruleset, config=config, lang=lang, cache_dir=cache_dir, crosses=crosses_versions(ruleset))
    importer.configure(config)


def _init_worker(ruleset: Any, config: Any, lang: str, cache_dir: Path | None) -> None:
    """A worker process: set up as in-process, and say input errors in the run's language (in-process,
    check_paths sets it and restores it afterwards)."""
    from plankoll import messages

    _init(ruleset, config, lang, cache_dir)
    messages.use(lang)


def keys_of(fragment: dict[str, Any]) -> bytes:
    """What a version shares with others: nothing when no active rule compares versions."""
    from plankoll.frames import COLUMNS
    from plankoll.incremental import sharing_keys

    if not _setup.get("crosses", True):
        return b""
    organisation = fragment["plans"][COLUMNS["plans"].index("organisation")][0]
    return sharing_keys(organisation, fragment["indicators"][COLUMNS["indicators"].index("indicator_id")])


def check_batch(items: list[tuple[str, str | None]]) -> BatchOutcome:
    """Read and check (file, known digest) items together; in a worker after `_init`, or in-process.

    When checking the batch fails (a bug met on some version's data), each version is checked
    alone, so that the bug costs the versions that meet it and no others."""
    from plankoll.pipeline import fragment_of, no_gc

    started = time.process_time()
    checked: list[Checked] = []
    fragments, names = [], []
    cached = parsed = 0
    with no_gc():
        for file, known in items:
            digest, outcome, hit, sha256 = fragment_of(Path(file), _setup["cache_dir"], known)
            cached, parsed = cached + hit, parsed + (not hit)
            if isinstance(outcome, list):
                checked.append(Checked(file, digest, b"", None, outcome, sha256))
            else:
                checked.append(Checked(file, digest, keys_of(outcome), None, sha256=sha256))
                fragments.append(outcome)
                names.append(len(checked) - 1)
    read_s = time.process_time() - started
    try:
        _check_fragments(fragments, names, checked)
    except Exception:
        for i in names:
            _check_alone(checked[i])
    _release_arrow_memory()
    return BatchOutcome(checked, read_s, time.process_time() - started - read_s, cached, parsed)


def _release_arrow_memory() -> None:
    """Give the batch's Arrow buffers back: Arrow's allocator keeps freed memory for reuse, and a
    worker would otherwise hold its largest batch's frames for the rest of the run."""
    pyarrow = sys.modules.get("pyarrow")
    if pyarrow is not None:
        pyarrow.default_memory_pool().release_unused()


def _check_fragments(fragments: list[dict[str, Any]], names: list[int], checked: list[Checked]) -> None:
    from plankoll import engine, results
    from plankoll.frames import assemble
    from plankoll.pipeline import no_gc

    if not fragments:
        return
    ruleset, config, lang = _setup["ruleset"], _setup["config"], _setup["lang"]
    with no_gc():
        frames = assemble(fragments)
    _unknown_waivers(frames, ruleset, checked, names)
    outcome = engine.run(frames, ruleset, lang=lang, config_waivers=config.waivers)
    keys = frames.plans["plan_key"].tolist()
    declared = _declared(frames, outcome.violations)
    for i, fragment, key, entry in zip(names, fragments, keys, results.plan_entries(frames.plans, outcome.violations), strict=True):
        entry["notices"] = results.notices([*(fragment.get("notices") or []), *outcome.not_evaluated.get(int(key), [])], lang)
        results.attach_evidence(entry, fragment.get("evidence") or {})
        entry["exceptions"] = declared.get(int(key), [])
        checked[i].plan = entry


def _check_alone(item: Checked) -> None:
    """Check one version on its own (read again: checking consumed its fragment)."""
    import traceback

    from plankoll.pipeline import fragment_of

    item.errors = [e for e in item.errors if not e.message.startswith("waivers: unknown rule id")]
    try:
        _, fragment, _, _ = fragment_of(Path(item.file), _setup["cache_dir"], item.digest)
        if isinstance(fragment, list):
            item.errors.extend(fragment)
            return
        _check_fragments([fragment], [0], [item])
    except Exception as exc:
        item.plan = None
        item.errors.append(LoadError(item.file, None, f"internal error in plankoll while checking this file ({type(exc).__name__}: "
                                                      f"{str(exc)[:200]})", internal=True, detail="".join(traceback.format_exception(exc))))


def _declared(frames: Any, violations: Any) -> dict[int, list[dict[str, Any]]]:
    """Every exception each plan version declares, used or not (reports list them all)."""
    import pandas as pd

    from plankoll.checks.unused_exceptions import element, used

    w = frames.waivers
    if w.empty:
        return {}
    flags, names = used(w, violations), element(w)
    out: dict[int, list[dict[str, Any]]] = {}
    for rec, flag, name in zip(w.itertuples(), flags.tolist(), names.tolist(), strict=True):
        out.setdefault(int(rec.plan_key), []).append({
            "rule": rec.rule, "element": name, "reason": rec.reason, "used": bool(flag),
            "line": None if pd.isna(rec.file_line) else int(rec.file_line)})
    return out


def _unknown_waivers(frames: Any, ruleset: Any, checked: list[Checked], names: list[int]) -> None:
    """A declared exception of a rule that does not exist is an input error, with its line (as in plankoll.toml)."""
    import pandas as pd

    known = {r.id for r in ruleset.rules} | set(ruleset.disabled)
    bad = frames.waivers[~frames.waivers["rule"].isin(known)]
    for rec in bad.itertuples():
        item = checked[names[int(rec.plan_key)]]
        line = None if pd.isna(rec.file_line) else int(rec.file_line)
        item.errors.append(LoadError(item.file, line, f"waivers: unknown rule id {rec.rule} (see `plankoll rules`)"))


def run_batches(batches: list[list[tuple[str, str | None]]], ruleset: Any, config: Any, lang: str, cache_dir: Path | None,
                jobs: int, advance: Callable[[int], None] | None = None) -> tuple[list[BatchOutcome], int]:
    """Check every batch; in `jobs` worker processes when there is more than one batch.

    Returns the outcomes and the number of worker processes (0: in this process)."""
    if len(batches) <= 1 or jobs <= 1:
        _init(ruleset, config, lang, cache_dir)
        out = []
        for b in batches:
            out.append(check_batch(b))
            if advance:
                advance(len(b))
        return out, 0
    from concurrent.futures import ProcessPoolExecutor

    out = []
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(ruleset, config, lang, cache_dir)) as pool:
        for b, done in zip(batches, pool.map(check_batch, batches), strict=True):
            out.append(done)
            if advance:
                advance(len(b))
    return out, jobs


# A document read directly (Word, PDF, Excel, Markdown) weighs as much in a batch as this many plan
# files: its reader's working memory and its fragment (cells with evidence and places) come to
# about 4 MiB in a batch, where a plan version of 100 indicators takes 0.8 MiB (benchmarks/documents.py:
# 2 GiB a worker for 500 documents, 0.4 GiB for 500 plan files). Reading one also takes seconds, so
# that a few documents are worth the worker processes.
DOCUMENT_WEIGHT = 10


def weight(file: str) -> int:
    return 1 if file.endswith(SUFFIXES) else DOCUMENT_WEIGHT


def split(files: list[str], size: int) -> list[list[str]]:
    """Consecutive batches of at most `size` in weight (see `weight`), each at least one file."""
    out: list[list[str]] = []
    current: list[str] = []
    load = 0
    for file in files:
        w = weight(file)
        if current and load + w > size:
            out.append(current)
            current, load = [], 0
        current.append(file)
        load += w
    if current:
        out.append(current)
    return out


def components(keys: dict[str, bytes]) -> dict[str, int]:
    """Versions connected through shared keys: file → component number."""
    import numpy as np

    names = list(keys)
    parent = list(range(len(names)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    arrays = [np.frombuffer(keys[n], dtype=np.uint64) for n in names]
    if arrays:
        flat = np.concatenate(arrays)
        owner = np.repeat(np.arange(len(names)), [len(a) for a in arrays])
        order = np.argsort(flat, kind="stable")
        flat, owner = flat[order], owner[order]
        same = np.flatnonzero(flat[1:] == flat[:-1])  # owner[i] and owner[i + 1] share a key
        for i in same.tolist():
            a, b = find(int(owner[i])), find(int(owner[i + 1]))
            if a != b:
                parent[max(a, b)] = min(a, b)
    return {n: find(i) for i, n in enumerate(names)}


def default_jobs() -> int:
    return min(os.cpu_count() or 1, 8)
