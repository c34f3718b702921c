"""One check run: find the plan versions, check what is not known yet, build the result.

With a cache directory the run is incremental (see `plankoll.incremental`): results of plan
versions that cannot have changed since the last run are reused. Whatever must be checked is
checked in batches (see `plankoll.batches`), in worker processes when there is much of it.
"""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import Any

from plankoll import pipeline
from plankoll.config import Config, active_rules

UNKNOWN = (0, 0, 0, 0)  # the look of a file that could not be examined


def check_paths(paths: list[Path], config: Config, fail_on: str = "error", lang: str = "sv", **options: Any) -> dict[str, Any]:
    """The result of checking every plan version under `paths`, input errors said in `lang` (see _check_paths)."""
    from plankoll.messages import language

    with language(lang):
        return _check_paths(paths, config, fail_on, lang, **options)


def _check_paths(paths: list[Path], config: Config, fail_on: str = "error", lang: str = "sv",
                cache_dir: Path | None = None, jobs: int | None = None, progress: bool = False,
                timings: dict[str, float] | None = None, baseline: set[tuple[str, str, str]] | None = None,
                inputs: dict[str, dict[str, Any]] | None = None, encoded: bool = False) -> dict[str, Any]:
    """The result of checking every plan version under `paths` (see `plankoll.results`).

    `timings` receives the wall time of the run, the CPU time of reading and of rules summed over
    all processes, and counts: files, reused (results kept from the last run), rechecked, cached
    (read from the parsed-version cache) and parsed. `inputs` receives the size and SHA-256 of
    each file whose bytes the run (or the run that kept its result) checked. With `encoded`, the
    result may hold kept plan entries undecoded (`incremental.Kept`): for a caller that only
    writes the JSON report (see `results.finish`).
    """
    from plankoll import batches, importer, incremental, results

    clock = time.perf_counter()
    importer.configure(config)  # the digests below and the batches read documents with these settings
    names = [str(p) for p in paths]
    ruleset = active_rules(config)
    jobs = jobs or batches.default_jobs()
    state_file = None
    state = incremental.State()
    if cache_dir is not None:
        state_file = cache_dir / "state" / f"{incremental.state_key(names, ruleset, config.waivers, lang)}.pkl"
        state = incremental.load_state(state_file)
    found = incremental.scan(names, state if cache_dir is not None else None)
    plan = incremental.plan_run(found, state, pipeline._digest)
    stats = {"files": len(plan.files), "cached": 0, "parsed": 0, "read_cpu": 0.0, "rules_cpu": 0.0, "workers": 0}
    checked: dict[str, batches.Checked] = {}
    batch_of: dict[str, int] = {}

    def check(groups: list[list[str]]) -> None:
        bar = pipeline.Progress(sum(map(len, groups)), "plankoll: checking") if progress and groups else None
        items = [[(f, plan.digests.get(f)) for f in g] for g in groups]
        outcomes, workers = batches.run_batches(items, ruleset, config, lang, cache_dir, jobs, bar.advance if bar else None)
        stats["workers"] = max(stats["workers"], workers)
        for i, outcome in enumerate(outcomes):
            for c in outcome.checked:
                checked[c.file] = c
                batch_of[c.file] = i
            stats["cached"] += outcome.cached
            stats["parsed"] += outcome.parsed
            stats["read_cpu"] += outcome.read_s
            stats["rules_cpu"] += outcome.rules_s
        if bar:
            bar.close()

    changed = plan.changed
    work = sum(map(batches.weight, changed))
    parallel = work >= pipeline.PARALLEL_FROM and jobs > 1
    check(batches.split(changed, min(batches.BATCH, math.ceil(work / jobs)) if parallel else batches.BATCH))
    # Versions that share an indicator with a changed one (old or new content), and theirs
    keep_new = set(changed)
    seeds = [state.entries[n].keys for n in (*plan.removed, *changed) if n in state.entries]
    seeds += [checked[f].keys for f in changed]
    neighbours = incremental.sharing(plan.kept, seeds) if plan.kept else []
    near = set(neighbours)
    ring = incremental.sharing({n: e for n, e in plan.kept.items() if n not in near},
                               [plan.kept[n].keys for n in neighbours]) if neighbours else []
    keep_new.update(neighbours)
    again = _to_check_again(plan, checked, batch_of, neighbours + ring)
    if again:
        check(again)
    entries = {n: e for n, e in plan.kept.items() if n not in keep_new}
    for name in keep_new:
        c = checked[name]
        before = state.entries.get(name)
        sha256 = c.sha256 or (before.sha256 if before is not None and c.digest and before.digest == c.digest else None)
        entries[name] = incremental.Entry(plan.looks.get(name, UNKNOWN), c.digest or "", c.keys, c.plan, c.errors, sha256)
    directories = found.listing.now if found.listing is not None else {}
    if state_file is not None and (keep_new or plan.removed or plan.refreshed or (found.listing is not None and found.listing.listed)):
        # an entry whose look or content is unknown is read again next time
        keep = {n: e for n, e in entries.items() if e.digest and e.look != UNKNOWN}
        incremental.save_state(state_file, incremental.State(plan.scanned_ns, keep, directories))
    errors = list(plan.errors)
    out_plans = []
    for path in plan.files:
        name = str(path)
        entry = entries.get(name)
        if entry is None:
            continue
        errors.extend(entry.errors)
        kept = entry.kept(name) if encoded else entry.plan
        if kept is not None:
            out_plans.append(kept)
        if inputs is not None and entry.sha256:
            inputs[name] = {"size": entry.look[0], "sha256": entry.sha256}
    result = results.finish(out_plans, errors, ruleset, fail_on, lang, baseline)
    if timings is not None:
        timings.update(wall=time.perf_counter() - clock, reused=len(entries) - len(keep_new), rechecked=len(keep_new),
                       directories_listed=found.listing.listed if found.listing is not None else None, **stats)
    return result


def _to_check_again(plan: Any, checked: dict[str, Any], batch_of: dict[str, int], kept_around: list[str]) -> list[list[str]]:
    """Batches of whole components for the versions whose first check did not see all they share keys with.

    A component needs checking again when it spans batches of the first check, or holds versions
    whose results were kept (neighbours of a changed version, and their neighbours).
    """
    from plankoll import batches

    keys = {f: c.keys for f, c in checked.items()}
    keys.update((n, plan.kept[n].keys) for n in kept_around)
    component = batches.components(keys)
    members: dict[int, list[str]] = {}
    order = {str(p): i for i, p in enumerate(plan.files)}
    for f in sorted(keys, key=lambda f: order.get(f, -1)):
        members.setdefault(component[f], []).append(f)
    dirty = [fs for fs in members.values() if any(f not in batch_of for f in fs) or len({batch_of[f] for f in fs}) > 1]
    groups: list[list[str]] = []
    for fs in dirty:  # whole components, packed up to the batch size (a larger component is one batch)
        if groups and len(groups[-1]) + len(fs) <= batches.BATCH:
            groups[-1].extend(fs)
        else:
            groups.append(list(fs))
    return groups
