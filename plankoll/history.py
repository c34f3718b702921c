"""The git history of plan versions: for each commit that changed one, what it made new, changed
or resolved (see `plankoll.states`), with its counts, date and author.

Checking every commit afresh costs a run per commit (about half a second of fixed cost each), so
the history is checked the way the incremental run checks an edit, across commits:
- every distinct version (path, blob, sidecar blob) is read once;
- a commit's versions fall into components of versions that share an indicator of an
  organisation (the only way rules look beyond one version, see `plankoll.incremental`); a
  component's results depend on its members alone, so each distinct component is checked once
  and reused by every commit that holds it;
- the components to check, from all commits, are checked together in a few engine runs of up to
  `batches.BATCH` versions. So that versions of different commits do not meet there, each
  component's organisation is given a marker of its own for the run and taken off afterwards.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from plankoll.gitbase import SIDECAR, Blobs, iter_commits, listing, relative_paths

Version = tuple[str, str, str]  # path, blob, the sidecar's blob ('' without one)
Component = tuple[Version, ...]


def _versions(state: dict[str, str]) -> list[Version]:
    """The plan versions of a commit's listing; a sidecar is part of its document's version."""
    out = []
    for path, blob in state.items():
        if path.endswith(SIDECAR) and path[: -len(SIDECAR)] in state:
            continue
        out.append((path, blob, state.get(path + SIDECAR, "")))
    return sorted(out, key=lambda v: v[0].split("/"))


class _Book:
    """Everything read and checked for a history: parsed versions, components and their results."""

    def __init__(self, mirror: Path, blobs: Blobs):
        self.mirror, self.blobs = mirror, blobs
        self.held: dict[str, str] = {}  # what the mirror holds now: path → blob
        self.parsed: dict[Version, Any] = {}  # fragment, or a list of LoadErrors
        self.keys: dict[Version, bytes] = {}
        self.checked: dict[Component, dict[Version, Any]] = {}  # component → version → batches.Checked
        self.pending: list[Component] = []

    def sync(self, state: dict[str, str]) -> None:
        """Make the mirror hold a commit's files (a document is read by name, its sidecar beside it)."""
        for path in [p for p in self.held if p not in state]:
            self._file(path).unlink(missing_ok=True)
            del self.held[path]
        for path, blob in state.items():
            if self.held.get(path) != blob:
                target = self._file(path)
                if target.is_dir():  # a directory of an earlier commit, emptied above, is a file now
                    shutil.rmtree(target)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(self.blobs.read(blob))
                self.held[path] = blob

    def _file(self, path: str) -> Path:
        return self.mirror.joinpath(*path.split("/"))

    def add(self, state: dict[str, str]) -> list[Component]:
        """Read what is new in a commit's listing; its components (queued for checking when new)."""
        from plankoll import batches, pipeline

        versions = _versions(state)
        if any(v not in self.parsed for v in versions):
            self.sync(state)
        for v in versions:
            if v not in self.parsed:
                file = self._file(v[0])
                _, outcome = pipeline._parse(file, file.read_bytes())
                self.parsed[v] = outcome
                self.keys[v] = b"" if isinstance(outcome, list) else batches.keys_of(outcome)
        readable = [v for v in versions if not isinstance(self.parsed[v], list)]
        number = batches.components({v: self.keys[v] for v in readable})
        groups: dict[int, list[Version]] = {}
        for v in readable:
            groups.setdefault(number[v], []).append(v)
        components = [tuple(g) for g in groups.values()]
        for c in components:
            if c not in self.checked:
                self.checked[c] = {}
                self.pending.append(c)
        return components

    def check_pending(self) -> None:
        """Check the queued components, packed into engine runs of up to batches.BATCH versions."""
        from plankoll import batches

        run: list[Component] = []
        for c in self.pending:
            if run and sum(map(len, run)) + len(c) > batches.BATCH:
                self._check(run)
                run = []
            run.append(c)
        if run:
            self._check(run)
        self.pending = []

    def _check(self, run: list[Component]) -> None:
        try:
            self._check_together(run)
        except Exception as exc:
            if len(run) > 1:
                for c in run:  # a bug met on some version's data costs its own component only
                    self._check([c])
            else:
                self._failed(run[0], exc)

    def _failed(self, c: Component, exc: Exception) -> None:
        import traceback

        from plankoll.batches import Checked
        from plankoll.loader import LoadError

        for v in c:
            file = str(self._file(v[0]))
            error = LoadError(file, None, f"internal error in plankoll while checking this file ({type(exc).__name__}: {str(exc)[:200]})",
                              internal=True, detail="".join(traceback.format_exception(exc)))
            self.checked[c][v] = Checked(file, None, self.keys[v], None, [_clean(error.as_dict(), str(self.mirror))])

    def _check_together(self, run: list[Component]) -> None:
        from plankoll import batches
        from plankoll.frames import COLUMNS

        org = COLUMNS["plans"].index("organisation")
        fragments, items, owners = [], [], []
        for n, c in enumerate(run):
            for v in c:
                fragment = dict(self.parsed[v])  # the engine consumes the columns of its fragments, not the fragment kept here
                fragment["plans"] = [(f"{col[0]}{_marker(n)}",) if i == org else col for i, col in enumerate(fragment["plans"])]
                fragments.append(fragment)
                items.append(batches.Checked(str(self._file(v[0])), None, self.keys[v], None))
                owners.append((c, v))
        batches._check_fragments(fragments, list(range(len(items))), items)
        for (c, v), item in zip(owners, items, strict=True):
            # repository paths and organisations restored once, here, not in every commit that holds it
            item.plan = _clean(item.plan, str(self.mirror))
            item.errors = [_clean(e.as_dict(), str(self.mirror)) for e in item.errors]
            self.checked[c][v] = item

    def result(self, state: dict[str, str], components: list[Component]) -> dict[str, Any]:
        """A commit's plan entries and input errors, with repository paths and organisations restored."""
        plans, errors = [], []
        for v in _versions(state):
            if isinstance(self.parsed[v], list):
                errors += [_clean(e.as_dict(), str(self.mirror)) for e in self.parsed[v]]
        for c in components:
            for v in c:
                item = self.checked[c][v]
                errors += item.errors
                if item.plan is not None:
                    plans.append((v[0].split("/"), item.plan))
        plans.sort(key=lambda p: p[0])
        return {"plans": [p for _, p in plans], "errors": errors}


def _marker(n: int) -> str:
    # closed at both ends, so that the marker of component 1 never matches inside that of 12
    return f"\x1f{n}\x1f"


def _clean(value: Any, mirror: str) -> Any:
    import re

    marker = re.compile("\x1f[0-9]+\x1f")

    def walk(v: Any) -> Any:
        if isinstance(v, dict):
            return {k: walk(x) for k, x in v.items()}
        if isinstance(v, list):
            return [walk(x) for x in v]
        if isinstance(v, str):
            return marker.sub("", v.replace(mirror + os.sep, ""))
        return v

    return walk(value)


def _counts(result: dict[str, Any]) -> dict[str, int]:
    active = [v for p in result["plans"] for v in p["violations"] if v["waived"] is None]
    every = sum(len(p["violations"]) for p in result["plans"])
    return {"plan_versions": len(result["plans"]), "violations": len(active),
            **{s: sum(v["severity"] == s for v in active) for s in ("error", "warning", "info")},
            "waived": every - len(active), "input_errors": len(result["errors"])}


def _item(plan: dict[str, Any], v: dict[str, Any]) -> dict[str, Any]:
    return {"plan": plan["plan"], "version": plan.get("version"), "file": plan.get("file"), "rule": v["rule"],
            "severity": v["severity"], "element": v["element"], "element_name": v.get("element_name"),
            "expected": v.get("expected"), "actual": v.get("actual"), "message": v.get("message")}


def _entry(commit: dict[str, Any], after: dict[str, Any], before: dict[str, Any]) -> dict[str, Any]:
    from plankoll.states import active_index, compare, key

    pairs = compare(after["plans"], before["plans"])
    base = active_index(before["plans"])
    changed = []
    for plan, v in pairs["changed"]:
        if v["waived"] is None:
            b = base[key(plan["plan"], v)][0]
            changed.append({**_item(plan, v), "base": {"expected": b.get("expected"), "actual": b.get("actual")}})
    return {**commit, "counts": _counts(after),
            "new": [_item(p, v) for p, v in pairs["new"] if v["waived"] is None],
            "changed": changed,
            "resolved": [_item(p, v) for p, v in pairs["resolved"]]}


def history(paths: list[Path], repo_root: Path, config: Any, lang: str = "sv") -> list[dict[str, Any]]:
    """For each commit that changed a plan version under `paths`, oldest first: commit, parents,
    date, author, subject, counts (of the versions at that commit), and the new, changed and
    resolved violations against its first parent."""
    from plankoll import batches, importer
    from plankoll.config import active_rules

    rels = relative_paths(paths, repo_root)
    commits = list(iter_commits(rels, repo_root))
    importer.configure(config)
    batches._init(active_rules(config), config, lang, None)
    listings: dict[str, dict[str, str]] = {}
    with tempfile.TemporaryDirectory(prefix="plankoll-history-") as tmp, Blobs(repo_root) as blobs:
        book = _Book(Path(tmp), blobs)
        parts: dict[str, list[Component]] = {}
        for c in commits:
            for sha in (*c["parents"][:1], c["commit"]):
                if sha not in listings:
                    listings[sha] = listing(sha, rels, repo_root)
                    parts[sha] = book.add(listings[sha])
        book.check_pending()
        results = {sha: book.result(listings[sha], parts[sha]) for sha in listings}
    empty: dict[str, Any] = {"plans": [], "errors": []}
    # `git log -- .` lists every commit; only those that changed a plan version (or its sidecar) count
    changed = [c for c in commits if listings[c["commit"]] != (listings[c["parents"][0]] if c["parents"] else {})]
    return [_entry(c, results[c["commit"]], results[c["parents"][0]] if c["parents"] else empty) for c in changed]


def since(entries: list[dict[str, Any]]) -> dict[tuple[str, str, str], dict[str, Any]]:
    """(plan, rule, element) → the commit (commit, date, author, subject) since which each violation
    of the last commit has stood: where it last became new (a violation resolved and back again
    stands since its return; one whose figures changed since it first appeared)."""
    out: dict[tuple[str, str, str], dict[str, Any]] = {}
    for e in entries:
        at = {k: e[k] for k in ("commit", "date", "author", "subject")}
        for item in e["resolved"]:
            out.pop((item["plan"], item["rule"], item["element"]), None)
        for item in e["new"]:
            out[(item["plan"], item["rule"], item["element"])] = at
    return out


def mark_since(result: dict[str, Any], stood: dict[tuple[str, str, str], dict[str, Any]]) -> dict[str, Any]:
    """Give every violation of a check's result the commit since which it has stood (v["since"]: commit,
    date, author, subject; see `since`). One the history does not hold (not committed yet) gets none.
    Updates `result` in place and returns it."""
    for plan in result["plans"]:
        for v in plan["violations"]:
            found = stood.get((str(plan["plan"]), str(v["rule"]), str(v["element"])))
            if found is not None:
                v["since"] = dict(found)
    return result
