"""One check run: read plan versions, build frames, run the active rules, build the result."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from plankoll import engine, results
from plankoll.config import Config, active_rules
from plankoll.frames import assemble
from plankoll.pipeline import Progress, no_gc, read_fragments


def check_paths(paths: list[Path], config: Config, fail_on: str = "error", lang: str = "sv",
                cache_dir: Path | None = None, jobs: int | None = None, progress: bool = False,
                timings: dict[str, float] | None = None, baseline: set[tuple[str, str, str]] | None = None) -> dict[str, Any]:
    clock = time.perf_counter()
    ruleset = active_rules(config)
    _files, fragments, errors, stats = read_fragments(paths, cache_dir=cache_dir, jobs=jobs,
                                                      progress=Progress if progress else None)
    with no_gc():
        frames = assemble(fragments)
    read_done = time.perf_counter()
    outcome = engine.run(frames, ruleset, lang=lang, config_waivers=config.waivers)
    rules_done = time.perf_counter()
    result = results.build(frames.plans, outcome.violations, errors, ruleset, fail_on, lang, baseline=baseline)
    if timings is not None:
        timings.update(read=read_done - clock, rules=rules_done - read_done, report=time.perf_counter() - rules_done, **stats)
    return result
