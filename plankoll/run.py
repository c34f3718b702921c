"""One check run: load plan versions, build frames, run the active rules, build the result."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from plankoll import engine, results
from plankoll.config import Config, active_rules
from plankoll.frames import build
from plankoll.loader import load_paths


def check_paths(paths: list[Path], config: Config, fail_on: str = "error", lang: str = "sv") -> dict[str, Any]:
    ruleset = active_rules(config)
    loaded, errors = load_paths(paths)
    frames = build(loaded)
    outcome = engine.run(frames, ruleset, lang=lang, config_waivers=config.waivers)
    return results.build(frames.plans, outcome.violations, errors, ruleset, fail_on, lang)
