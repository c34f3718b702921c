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
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from plankoll.loader import Listing, LoadError, discover

STATE_FORMAT = 3
RACY_NS = 2_000_000_000


@dataclass
class Entry:
    look: tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode
    digest: str  # of the content, the key of the parsed-version cache
    keys: bytes  # uint64 hashes of (organisation, indicator id): what the version shares with others
    plan: dict[str, Any] | None  # the result's entry for this version, with its violations
    errors: list[LoadError] = field(default_factory=list)
    sha256: str | None = None  # of the file's bytes when they were checked (the audit trail names inputs by it)

    # Kept as JSON in the state file, in the very bytes the JSON report prints for it (indented
    # as a plan entry stands in a result): orjson reads it about twice as fast as pickle, a
    # re-check decodes a kept entry only when something reads it (`plan`), and a JSON report
    # splices it in undecoded (see `Kept`). Its counts and failed rules are kept beside it, for
    # the summary and the verdict.
    def __getstate__(self) -> dict[str, Any]:
        state = {k: v for k, v in self.__dict__.items() if k != "_json"}
        state["plan"] = self.__dict__.get("plan")
        if "_json" in self.__dict__:
            state["plan"] = self.__dict__["_json"]
            state["summary"] = self.__dict__["summary"]
        elif state["plan"] is not None:
            try:
                state["plan"] = encode_entry(state["plan"])
                state["summary"] = summary_of(self.__dict__["plan"])
            except TypeError:  # a file name that is not UTF-8 (lone surrogates): pickle keeps it as it is
                pass
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        if isinstance(state.get("plan"), bytes):
            state["_json"] = state.pop("plan")  # decoded on first use (__getattr__)
        self.__dict__.update(state)

    def __getattr__(self, name: str) -> Any:
        # only reached for an attribute not set: the plan of an entry read from a state file
        if name == "plan" and "_json" in self.__dict__:
            import orjson

            plan = orjson.loads(self.__dict__["_json"])
            self.__dict__["plan"] = plan
            return plan
        raise AttributeError(name)

    def kept(self, name: str) -> Any:
        """The plan entry as a run's result holds it: still encoded (`Kept`) when nothing decoded it."""
        if "_json" in self.__dict__ and "plan" not in self.__dict__:
            counts, failed_rules = self.__dict__["summary"]
            return Kept(self.__dict__["_json"], name, counts, failed_rules)
        return self.plan


class Kept:
    """A kept plan entry that no one decoded: its JSON (as the JSON report prints it), the file,
    the counts and the rules that failed on it: all a summary, a verdict and an audit trail need.

    Not a dataclass: orjson would encode a dataclass field by field instead of asking
    `results._json_default`, which splices the JSON in."""

    __slots__ = ("counts", "failed_rules", "file", "json")

    def __init__(self, json: bytes, file: str, counts: dict[str, int], failed_rules: tuple[str, ...]):
        self.json, self.file, self.counts, self.failed_rules = json, file, counts, failed_rules

    def decode(self) -> dict[str, Any]:
        import orjson

        return orjson.loads(self.json)


ENTRY_INDENT = b"\n    "  # a plan entry's lines stand four spaces in, in a result indented by two


def encode_entry(plan: dict[str, Any]) -> bytes:
    """A plan entry's JSON as the JSON report prints it inside a result (raises TypeError for text
    that is not UTF-8)."""
    import orjson

    from plankoll.results import _json_default

    return orjson.dumps(plan, default=_json_default, option=orjson.OPT_INDENT_2).replace(b"\n", ENTRY_INDENT)


def summary_of(plan: dict[str, Any]) -> tuple[dict[str, int], tuple[str, ...]]:
    """(counts, rules that failed on this version) of a plan entry."""
    failed = sorted({n["params"]["rule"] for n in plan.get("notices", []) if n.get("code") == "rule_failed"})
    return dict(plan["counts"]), tuple(failed)


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
    # the directories the run listed (see loader.Listing): path → (look, files, subdirectories)
    directories: dict[str, tuple[tuple[int, int, int], list[str], list[str]]] = field(default_factory=dict)


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
    """The state an earlier run saved; an empty one when there is none, or it is damaged or foreign.

    The file carries a checksum of its bytes: kept results are spliced into a JSON report without
    decoding them (see `Kept`), so a damaged byte anywhere must be caught before they are used."""
    from plankoll.pipeline import read_checked_pickle

    try:
        state = read_checked_pickle(path)
        return state if _valid_state(state) else State()
    except Exception:  # a damaged or foreign state file only costs a full check
        return State()


def _valid_state(state: Any) -> bool:
    """A state whose every entry is what this code writes, and belongs to the file it is kept under
    (a swapped or edited entry would credit results to the wrong file)."""
    if not isinstance(state, State) or not isinstance(state.scanned_ns, int) or not isinstance(state.entries, dict):
        return False
    if not isinstance(state.directories, dict) or not all(
            isinstance(d, str) and isinstance(v, tuple) and len(v) == 3 and isinstance(v[0], tuple) and len(v[0]) == 3
            and isinstance(v[1], list) and isinstance(v[2], list) and all(isinstance(n, str) for n in (*v[1], *v[2]))
            for d, v in state.directories.items()):
        return False
    for name, entry in state.entries.items():
        if not (isinstance(name, str) and isinstance(entry, Entry) and isinstance(entry.digest, str) and isinstance(entry.keys, bytes)
                and isinstance(entry.look, tuple) and len(entry.look) == 4 and isinstance(entry.errors, list)
                and all(isinstance(e, LoadError) and e.file == name for e in entry.errors)):
            return False
        if "_json" in entry.__dict__:
            if not _valid_json_entry(entry, name):
                return False
        elif entry.plan is not None and not (isinstance(entry.plan, dict) and entry.plan.get("file") == name
                                             and isinstance(entry.plan.get("violations"), list)):
            return False
    return True


def _valid_json_entry(entry: Entry, name: str) -> bool:
    """An encoded entry of this file, without decoding it: its own "file" stands before its
    violations (whose locations name the file too), and its summary has the counts' shape."""
    import orjson

    data, summary = entry.__dict__["_json"], entry.__dict__.get("summary")
    if not (isinstance(data, bytes) and isinstance(summary, tuple) and len(summary) == 2 and isinstance(summary[0], dict)
            and all(isinstance(v, int) for v in summary[0].values()) and isinstance(summary[1], tuple)):
        return False
    try:
        own = b'"file": ' + orjson.dumps(name) + b","
    except TypeError:
        return False
    at, violations = data.find(own), data.find(b'"violations": [')
    return data.startswith(b"{") and 0 <= at < violations


def save_state(path: Path, state: State) -> None:
    from plankoll.pipeline import write_pickle

    write_pickle(path, state, checksum=True)


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
    listing: Listing | None = None  # the directories as this scan listed them or kept them


def scan(paths: list[str], state: State | None = None) -> Scan:
    """The files under `paths`; with the `state` of an earlier run, its directory listings are reused
    for the directories that have not changed since."""
    started_ns = time.time_ns()
    stats: dict[str, os.stat_result] = {}
    listing = Listing(state.directories, state.scanned_ns - RACY_NS) if state is not None else None
    files, errors = discover(paths, stats, listing)
    return Scan(started_ns, files, errors, stats, listing)


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
