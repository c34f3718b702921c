"""Re-checking a plan repository after a few files changed.

A run with a cache directory keeps its results per plan version in a state file. The next run
with the same paths, rules, configuration, language and plankoll code reuses them: it looks at
every file's size, modification and change time and inode (as git does for its index), reads and
hashes only the files whose look changed, and checks again only what can have changed.

What can have changed: the results of a changed (or added, or removed) version X, and of every
version that shares an indicator with X, because the only rules that look beyond one version
(consistency: plan_target, past_figures) compare figures of the same indicator id within the same
organisation. To check such a neighbour A again correctly, A's own neighbours must be in the run
too, so the run reads X, its neighbours and theirs, and keeps the new results of X and its
neighbours only. Sharing is tested on 64-bit hashes of (organisation, indicator id); a collision
would only make the run check a few versions more than needed.

A file changed within `RACY_NS` of the previous run's scan is hashed again even if it looks
unchanged: file systems with coarse timestamps could otherwise hide an edit made just after that
scan (git's "racy clean" problem).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from plankoll.loader import LoadError, discover

STATE_FORMAT = 2
RACY_NS = 2_000_000_000


@dataclass
class Entry:
    look: tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode
    digest: str  # of the content, the key of the parsed-version cache
    keys: bytes  # uint64 hashes of (organisation, indicator id): what the version shares with others
    plan: dict[str, Any] | None  # the result's entry for this version, with its violations
    errors: list[LoadError] = field(default_factory=list)

    # Kept as JSON in the state file: orjson reads tens of thousands of violations about twice as
    # fast as pickle does, and writes them ten times as fast.
    # An entry read from the state keeps its JSON, and is written back without encoding it again
    # (a run never changes the plan entry of a kept version before saving the state).
    def __getstate__(self) -> dict[str, Any]:
        import orjson

        from plankoll.results import _json_default

        state = {k: v for k, v in self.__dict__.items() if k != "_json"}
        if state["plan"] is not None:
            try:
                state["plan"] = self.__dict__.get("_json") or orjson.dumps(state["plan"], default=_json_default)
            except TypeError:  # a file name that is not UTF-8 (lone surrogates): pickle keeps it as it is
                pass
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        import orjson

        if isinstance(state.get("plan"), bytes):
            state["_json"] = state["plan"]
            state["plan"] = orjson.loads(state["plan"])
        self.__dict__.update(state)


def sharing_keys(organisation: str, indicator_ids: Any) -> bytes:
    """The keys through which a version's results can depend on other versions: 64-bit hashes of
    (organisation, indicator id), so that a collision between different ids is practically never."""
    from array import array
    from hashlib import blake2b

    prefix = organisation.encode("utf-8", "surrogateescape") + b"\0"
    return array("Q", sorted({int.from_bytes(blake2b(prefix + i.encode("utf-8", "surrogateescape"), digest_size=8).digest(), "little")
                              for i in indicator_ids})).tobytes()


def sharing(entries: dict[str, Entry], keys: list[bytes]) -> list[str]:
    """The entries that share at least one of `keys`."""
    import numpy as np

    wanted = np.unique(np.frombuffer(b"".join(keys), dtype=np.uint64))
    names = [n for n, e in entries.items() if e.keys]
    if not len(wanted) or not names:
        return []
    arrays = [np.frombuffer(entries[n].keys, dtype=np.uint64) for n in names]
    owner = np.repeat(np.arange(len(names)), [len(a) for a in arrays])
    hit = np.unique(owner[np.isin(np.concatenate(arrays), wanted)])
    return [names[i] for i in hit]


@dataclass
class State:
    scanned_ns: int = 0
    entries: dict[str, Entry] = field(default_factory=dict)


def package_files() -> Iterator[tuple[str, Path]]:
    """Every file of plankoll that a result depends on: its code, checks and rulebooks, as
    (package/relative name, path).

    The packages are found where Python finds them: in a checkout installed for development,
    plankoll.checks and plankoll.rulebooks live outside the plankoll directory.
    """
    from importlib.util import find_spec

    for package in ("plankoll", "plankoll.checks", "plankoll.rulebooks"):
        spec = find_spec(package)
        for base in (spec.submodule_search_locations or []) if spec else []:
            root = Path(base)
            if not (root / "__init__.py").is_file():
                continue  # the checkout root, which a source checkout adds to plankoll's path
            for path in sorted(p for p in root.rglob("*") if p.suffix in (".py", ".yaml", ".yml") and "__pycache__" not in p.parts):
                yield f"{package}/{path.relative_to(root).as_posix()}", path


@lru_cache(maxsize=1)
def package_digest() -> str:
    from plankoll.pipeline import dependency_versions

    h = hashlib.sha256(dependency_versions().encode())
    for name, path in package_files():
        h.update(f"{name}\0".encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def state_key(paths: list[str], ruleset: Any, config_waivers: list[Any], lang: str) -> str:
    """What the state of a run is valid for. The paths are taken as given (the result names files
    as given) and with the working directory, which relative paths depend on."""
    from plankoll.importer import settings_digest

    h = hashlib.sha256(f"{STATE_FORMAT}\0{package_digest()}\0{lang}\0{os.getcwd()}\0".encode())
    # documents read with other [import] or [vocabulary] settings are other plan versions
    h.update(settings_digest().encode())
    for p in paths:
        h.update(f"path {p}\0".encode("utf-8", "surrogateescape"))
    for rule in ruleset.rules:
        h.update(f"rule {rule.severity} {rule.spec.model_dump_json()}\0".encode())
    h.update(f"disabled {sorted(ruleset.disabled)}\0".encode())
    for w in config_waivers:
        h.update(f"waiver {w!r}\0".encode())
    return h.hexdigest()[:32]


def _look(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def load_state(path: Path) -> State:
    try:
        with path.open("rb") as fh:
            state = pickle.load(fh)  # noqa: S301 - our own cache file, checked below
        return state if _valid_state(state) else State()
    except Exception:  # a damaged or foreign state file only costs a full check
        return State()


def _valid_state(state: Any) -> bool:
    """A state whose every entry is what this code writes, and belongs to the file it is kept under
    (a swapped or edited entry would credit results to the wrong file)."""
    if not isinstance(state, State) or not isinstance(state.scanned_ns, int) or not isinstance(state.entries, dict):
        return False
    for name, entry in state.entries.items():
        if not (isinstance(name, str) and isinstance(entry, Entry) and isinstance(entry.digest, str) and isinstance(entry.keys, bytes)
                and isinstance(entry.look, tuple) and len(entry.look) == 4 and isinstance(entry.errors, list)
                and all(isinstance(e, LoadError) and e.file == name for e in entry.errors)):
            return False
        if entry.plan is not None and not (isinstance(entry.plan, dict) and entry.plan.get("file") == name
                                           and isinstance(entry.plan.get("violations"), list)):
            return False
    return True


def save_state(path: Path, state: State) -> None:
    from plankoll.pipeline import write_pickle

    write_pickle(path, state)


@dataclass
class Plan:
    """What a run must do: read `changed` again; reuse `kept`; `removed` are gone since the last run."""

    files: list[Path]
    errors: list[LoadError]
    kept: dict[str, Entry]
    changed: list[str]
    removed: dict[str, Entry]
    digests: dict[str, str]
    looks: dict[str, tuple[int, int, int, int]]
    scanned_ns: int
    refreshed: int = 0  # entries whose look changed but not their content


@dataclass
class Scan:
    """The plan-version files under a run's paths, and their stat, as found at `started_ns`."""

    started_ns: int
    files: list[Path]
    errors: list[LoadError]
    stats: dict[str, os.stat_result]


def scan(paths: list[str]) -> Scan:
    started_ns = time.time_ns()
    stats: dict[str, os.stat_result] = {}
    files, errors = discover(paths, stats)
    return Scan(started_ns, files, errors, stats)


def plan_run(found: Scan, state: State, digest_of: Any) -> Plan:
    """Compare the files found with the state; `digest_of(path, bytes)` is the content key."""
    scanned_ns, files, errors, stats = found.started_ns, found.files, found.errors, found.stats
    old = state.entries
    kept: dict[str, Entry] = {}
    digests: dict[str, str] = {}
    looks: dict[str, tuple[int, int, int, int]] = {}
    changed: list[str] = []
    refreshed = 0
    for path in files:
        name = str(path)
        look = _look(stats[name])
        looks[name] = look
        entry = old.get(name)
        if entry is not None and entry.look == look and look[1] < state.scanned_ns - RACY_NS:
            kept[name] = entry
            digests[name] = entry.digest
            continue
        if entry is not None:
            try:
                digest = digest_of(path, path.read_bytes())
            except OSError:
                changed.append(name)
                continue
            digests[name] = digest
            if digest == entry.digest:
                entry.look = look
                kept[name] = entry
                refreshed += 1
                continue
        changed.append(name)
    present = {str(p) for p in files}
    removed = {n: e for n, e in old.items() if n not in present}
    return Plan(files, errors, kept, changed, removed, digests, looks, scanned_ns, refreshed)
