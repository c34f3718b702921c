"""The audit trail of a run and its verdict: what an auditor needs to trust and repeat a report.

- when the run was made (SOURCE_DATE_EPOCH honoured, so that a build of the report is reproducible),
  by which plankoll;
- the digest of every rulebook and of the configuration;
- every input file with its size and SHA-256;
- the options of the command;
- the verdict: passed, failed at the fail level, or incomplete (files that could not be read, or
  rules that could not be evaluated), with the counts that decide it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path
from typing import Any


def run_time() -> str:
    """The run's date and time in UTC; SOURCE_DATE_EPOCH (reproducible builds) wins when set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    try:
        moment = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
    except (ValueError, OverflowError, OSError):
        moment = dt.datetime.now(dt.UTC)
    return moment.replace(microsecond=0).isoformat()


def file_digest(path: str | Path) -> dict[str, Any] | None:
    """Size and SHA-256 of a file, or None when it cannot be read (the run's errors say why)."""
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            size = 0
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
                size += len(block)
    except OSError:
        return None
    return {"size": size, "sha256": h.hexdigest()}


def _rulebooks(config: Any) -> list[dict[str, Any]]:
    from plankoll.rules import default_rulebook_path

    out = []
    for book in config.rulebooks:
        if book == "default":
            data = default_rulebook_path().read_bytes()
            out.append({"rulebook": "default", "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)})
        else:
            out.append({"rulebook": book, **(file_digest(book) or {"sha256": None})})
    return out


def trail(result: dict[str, Any], config: Any, options: dict[str, Any], known: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """The audit trail of a run. `known`: the size and SHA-256 of inputs as the run checked them
    (a run with a cache knows them); any other input is hashed here."""
    from plankoll import __version__
    from plankoll.incremental import Kept

    known = known or {}
    files = sorted({p.file if isinstance(p, Kept) else p["file"] for p in result["plans"]} | {e["file"] for e in result["errors"]})
    inputs = []
    for name in files:
        if name in known:
            inputs.append({"file": name, **known[name]})
        elif os.path.isfile(name):
            inputs.append({"file": name, **(file_digest(name) or {"size": None, "sha256": None})})
    return {
        "date": run_time(),
        "plankoll": __version__,
        "rulebooks": _rulebooks(config),
        "config": {"file": str(config.path), **(file_digest(config.path) or {})} if config.path else None,
        "inputs": inputs,
        "options": {k: (str(v) if isinstance(v, Path) else v) for k, v in options.items() if v not in (None, False, ())},
    }


def verdict(result: dict[str, Any]) -> dict[str, Any]:
    """passed / failed / incomplete, with the counts that decide it."""
    summary = result["summary"]
    unreadable = len({e["file"] for e in result["errors"]})
    failed_rules = summary.get("rules_failed", 0)
    if unreadable or failed_rules:
        status = "incomplete"
    elif summary["failed"]:
        status = "failed"
    else:
        status = "passed"
    from plankoll.incremental import Kept
    from plankoll.results import LEVELS

    levels = LEVELS[summary["fail_on"]]
    states = ("new", "changed") if summary.get("fail_on_changed", True) else ("new",)
    deciding = sum(1 for p in result["plans"] if not isinstance(p, Kept) for v in p["violations"]
                   if v["waived"] is None and v["severity"] in levels and v.get("state", "new") in states)
    # a kept entry has no states (no baseline): its active violations at the fail level decide
    deciding += sum(p.counts.get(level, 0) for p in result["plans"] if isinstance(p, Kept) for level in levels)
    return {"status": status, "fail_on": summary["fail_on"], "unreadable_files": unreadable, "rules_failed": failed_rules,
            "deciding_violations": deciding, "plan_versions": summary["plan_versions"]}
