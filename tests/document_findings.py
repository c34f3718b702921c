"""Comparing what plankoll finds in a document read directly with the reviewed findings of the
hand-made dataset of the same document (matched by rule and element name, not by id)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from helpers import DATASETS

SEED_DATASETS = {
    "001": DATASETS / "vasternorrland/regionstyrelsen/vp-2023",
    "002": DATASETS / "norrbotten/regiondirektoren/rapport-2018-02-28",
    "004": DATASETS / "norrbotten/lanssjukvard1/delarsrapport-2022-04-v0.29",
}
PLAN_000 = DATASETS / "norrbotten/regionstyrelsen/plan-2020-v0.32.plan.yaml"


def name_key(name: str) -> str:
    flat = re.sub(r"\([^)]*\)", " ", name.lower())
    flat = re.sub(r"[%*¹²³⁴⁵⁶⁷⁸⁹:]|\[\d+\]", " ", flat)
    return " ".join(re.findall(r"[\wåäö>]+", flat))


def element_key(element: str, plan: Any) -> str:
    """An element by the names a reader sees: indicator name, or row label and column."""
    names = {ind.id: ind.name for ind in plan.indicators}
    rows = {(t.id, r.id): r.label for t in plan.tables for r in t.rows}
    m = re.match(r"^indicator:([^/]+)(/.*)?$", element)
    if m:
        return f"indicator:{name_key(names.get(m.group(1), m.group(1)))}{m.group(2) or ''}"
    m = re.match(r"^table:([^/]+)/row:([^/]+)/column:(.*)$", element)
    if m:
        return f"cell:{name_key(rows.get((m.group(1), m.group(2)), m.group(2)))}/{m.group(3)}"
    return element


def expected(seed: str) -> set[tuple[str, str]]:
    from plankoll.loader import load_file

    base = SEED_DATASETS[seed]
    plan = load_file(Path(f"{base}.plan.yaml")).plan
    listed = yaml.safe_load(Path(f"{base}.findings.yaml").read_text(encoding="utf-8"))["findings"]
    return {(f["rule"], element_key(f["element"], plan)) for f in listed}


def found(paths: list[Path], document: Path) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """(all findings, error-level unwaived findings) on `document`, checked together with `paths`."""
    from plankoll import engine
    from plankoll.config import Config, active_rules
    from plankoll.frames import build
    from plankoll.loader import load_paths

    loaded, errors = load_paths([document, *paths])
    assert errors == [], errors
    outcome = engine.run(build(loaded), active_rules(Config()), lang="en")
    plan = next(item.plan for item in loaded if item.file == str(document))
    keys = {item.file: k for k, item in enumerate(loaded)}
    mine = outcome.violations[outcome.violations["plan_key"] == keys[str(document)]]
    every = {(r.rule, element_key(r.element, plan)) for r in mine.itertuples()}
    errors_ = {(r.rule, element_key(r.element, plan)) for r in mine.itertuples() if r.severity == "error" and not isinstance(r.waived, str)}
    return every, errors_
