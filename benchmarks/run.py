"""The performance benchmark: wall time, CPU time and peak memory of plankoll on generated plan
repositories, the re-check after one edit, recall of planted violations, and the throughput ratio
against Great Expectations on the same rules.

    python -m benchmarks.run [--work DIR] [--sizes 1000 10000] [--gx-versions 200 1000] [--output results.json]

Every measured command runs in a fresh process (cold: nothing imported, the cache empty unless the
scenario is the re-check). Peak memory is the largest sum of the resident sets of the command and
all its worker processes, sampled every 100 ms (and never less than the largest single process).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
_MEASURE = """
import json, os, resource, subprocess, sys, threading, time

PAGE = os.sysconf("SC_PAGE_SIZE")


def tree_rss(root):
    # resident memory of a process and all its descendants, summed (workers run at the same time)
    children, rss = {}, {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{pid}/statm") as fh:
                rss[int(pid)] = int(fh.read().split()[1]) * PAGE
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(pid))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


start = time.perf_counter()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
peak = 0
def sample():
    global peak
    while proc.poll() is None:
        peak = max(peak, tree_rss(proc.pid))
        time.sleep(0.1)
sampler = threading.Thread(target=sample, daemon=True)
sampler.start()
proc.wait()
wall = time.perf_counter() - start
sampler.join()
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall_s": wall, "cpu_s": r.ru_utime + r.ru_stime, "peak_mib": max(peak / 2**20, r.ru_maxrss / 1024),
                  "largest_process_mib": r.ru_maxrss / 1024, "exit": proc.returncode}))
"""


def measure(cmd: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    # run outside the checkout, so that `python -m plankoll` is the installed plankoll
    out = subprocess.run([sys.executable, "-c", _MEASURE, *cmd], capture_output=True, text=True, env=env, check=True,
                         cwd=tempfile.gettempdir())
    return json.loads(out.stdout)


def plankoll(*args: str) -> list[str]:
    return [sys.executable, "-m", "plankoll", *args]


def generate(repo: Path, versions: int, seed: int = 1) -> None:
    import hashlib

    marker = repo / "generator.txt"
    stamp = f"{versions} {seed} {hashlib.sha256((HERE / 'generate.py').read_bytes()).hexdigest()}"
    if marker.is_file() and marker.read_text() == stamp:
        return
    shutil.rmtree(repo, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "benchmarks.generate", str(repo), "--versions", str(versions), "--indicators", "100",
                    "--tables", "5", "--rate", "0.02", "--seed", str(seed)], check=True, cwd=HERE.parent)
    marker.write_text(stamp)


def check_repo(repo: Path, work: Path) -> dict[str, Any]:
    from benchmarks.recall import compare

    cache = work / f"cache-{repo.name}"
    shutil.rmtree(cache, ignore_errors=True)
    result_file, timings_file = work / f"{repo.name}.json", work / f"{repo.name}-timings.json"
    cold = measure(plankoll("check", str(repo), "--format", "json", "-o", str(result_file), "--cache-dir", str(cache),
                            "--timings", str(timings_file)))
    cold["timings"] = json.loads(timings_file.read_text())
    result = json.loads(result_file.read_text())
    recall = compare(result, repo)
    # re-check after one changed file: same cache; one figure of one plan version edited, so that
    # the re-check has a new violation to find (a budget row no longer adds up to its total)
    victim = sorted(repo.rglob("*.plan.yaml"))[len(result["plans"]) // 2]
    original = victim.read_text(encoding="utf-8")
    edited, element = edit_one_figure(original)
    rel = victim.relative_to(repo).as_posix()
    # three re-checks, each after one edit: the figure changed, restored, changed again (the median counts)
    rechecks = []
    try:
        for text, expect_edit in ((edited, True), (original, False), (edited, True)):
            victim.write_text(text, encoding="utf-8")
            recheck = measure(plankoll("check", str(repo), "--format", "json", "-o", str(result_file), "--cache-dir", str(cache),
                                       "--timings", str(timings_file)))
            recheck["timings"] = json.loads(timings_file.read_text())
            after = compare(json.loads(result_file.read_text()), repo)
            recheck["found_edit"] = after["extra"] == ([(rel, "PK101", element)] if expect_edit else []) and not after["missed"]
            rechecks.append(recheck)
    finally:
        victim.write_text(original, encoding="utf-8")
    recheck = sorted(rechecks, key=lambda m: m["wall_s"])[1]
    recheck["found_edit"] = all(r["found_edit"] for r in rechecks)
    recheck["walls_s"] = [round(r["wall_s"], 3) for r in rechecks]
    return {"versions": len(result["plans"]), "cold": cold, "recheck": recheck,
            "recall": recall["recall"], "planted": recall["planted"], "missed": len(recall["missed"]), "extra": len(recall["extra"])}


def edit_one_figure(text: str) -> tuple[str, str]:
    """Add 7 to the first figure (Ram 2023) of the first budget table; planted sum errors are all in Ram 2024."""
    import re

    for table in re.finditer(r"  - id: (tab-\d+)\n    title: \"Ekonomiska ramar[^\n]*\n(?:    [^\n]*\n)*?      - \{id: r0, [^\n]*values: \[\"([^\"]+)\"", text):
        number = int(table.group(2).replace(" ", ""))
        start = table.start(2)
        new = f"{number + 7:,}".replace(",", " ")
        return text[:start] + new + text[table.end(2):], f"table:{table.group(1)}/row:totalt/column:Ram 2023"
    raise ValueError("no budget table to edit")


def import_profile(cmd: list[str]) -> dict[str, float]:
    """Cumulative import time (s) of each module a command imports at the top level, from
    `python -X importtime`, largest first: what a cold start spends before it works."""
    out = subprocess.run([sys.executable, "-X", "importtime", *cmd[1:]], capture_output=True, text=True, cwd=tempfile.gettempdir())
    top: dict[str, float] = {}
    for line in out.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = line.split("|", 2)
        if cumulative.strip().isdigit() and not name.startswith("  "):  # a module imported at the top level
            top[name.strip()] = top.get(name.strip(), 0.0) + int(cumulative) / 1e6
    return dict(sorted(top.items(), key=lambda kv: -kv[1])[:12])


def run(work: Path, sizes: list[int], gx_versions: list[int], documents: int = 0) -> dict[str, Any]:
    work.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    report: dict[str, Any] = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()}}
    helps = [measure(plankoll("--help"), env) for _ in range(5)]
    report["help"] = sorted(helps, key=lambda m: m["wall_s"])[2]
    # the yardstick of a cold start on this machine, in this run: importing pandas alone
    pandas = [measure([sys.executable, "-c", "import pandas"], env) for _ in range(5)]
    report["import_pandas"] = sorted(pandas, key=lambda m: m["wall_s"])[2]
    one_repo = work / "repo-1"
    generate(one_repo, 1)
    one = sorted(one_repo.rglob("*.plan.yaml"))[0]
    ones = [measure(plankoll("check", str(one), "--no-cache", "-o", os.devnull), env) for _ in range(5)]
    report["one_version"] = sorted(ones, key=lambda m: m["wall_s"])[2]
    report["one_version_imports"] = import_profile(plankoll("check", str(one), "--no-cache", "-o", os.devnull))
    report["repos"] = {}
    for n in sizes:
        repo = work / f"repo-{n}"
        generate(repo, n)
        report["repos"][str(n)] = check_repo(repo, work)
    if gx_versions:
        from benchmarks.gx_compare import compare_throughput

        # on the first repository's versions, the same data the cold check reads
        report["gx"] = [compare_throughput(work / f"repo-{sizes[0]}", n, repeat=3) for n in gx_versions if n]
    if documents:
        from benchmarks.documents import run_documents

        report["documents"] = run_documents(work, mixed=documents, jobs=os.cpu_count() or 2, repeat=3)
    return report


def table(report: dict[str, Any]) -> str:
    rows = ["| scenario | wall | CPU | peak memory | target | notes |", "|---|---:|---:|---:|---|---|"]

    def add(name: str, m: dict[str, Any], target: str, notes: str = "") -> None:
        rows.append(f"| {name} | {m['wall_s']:.2f} s | {m['cpu_s']:.2f} s | {m['peak_mib']:.0f} MiB | {target} | {notes} |")

    def met(ok: bool) -> str:
        return "met" if ok else "**missed**"

    pandas_s = report["import_pandas"]["wall_s"]
    add("`plankoll --help`, cold", report["help"], "≤ 0.3 s", met(report["help"]["wall_s"] <= 0.3))
    add("`python -c \"import pandas\"` (the yardstick)", report["import_pandas"], "")
    one = report["one_version"]["wall_s"]
    add("check 1 plan version, cold", report["one_version"], f"≤ 2 × pandas = {2 * pandas_s:.2f} s",
        f"{one / pandas_s:.1f} × pandas: {met(one <= 2 * pandas_s)}")
    for n, r in report["repos"].items():
        t = r["cold"]["timings"]
        share = t["rules_cpu"] / (t["read_cpu"] + t["rules_cpu"])
        big = n == "10000"
        ok = r["cold"]["wall_s"] <= 30 and r["cold"]["peak_mib"] <= 1536
        add(f"check {int(n):,} versions (100 indicators, 5 tables), cold", r["cold"], "≤ 30 s, ≤ 1.5 GiB" if big else "",
            (f"{met(ok)}. " if big else "") + f"CPU: reading {t['read_cpu']:.0f} s ({1000 * t['read_cpu'] / int(n):.1f} ms a version), "
            f"rules {t['rules_cpu']:.0f} s ({share:.0%}), {t['workers']} workers; "
            f"found {r['planted'] - r['missed']} of {r['planted']} planted, {r['extra']} extra")
        rt = r["recheck"]["timings"]
        add(f"re-check {int(n):,} versions after one edit (median of 3)", r["recheck"], "≤ 1.0 s" if big else "",
            (f"{met(r['recheck']['wall_s'] <= 1.0)}. " if big else "") +
            f"{rt['reused']} results reused, {rt['rechecked']} checked again ({rt['parsed']} parsed), "
            f"{rt.get('directories_listed', '?')} directories listed; "
            f"the edits' violations {'found' if r['recheck'].get('found_edit') else '**not found**'}")
    for g in report.get("gx", []):
        goal = 150 if g["versions"] >= 1000 else 100
        rows.append(f"| PK101 + PK301 + PK302 on {g['versions']:,} versions: plankoll vs Great Expectations {g.get('great_expectations', '')} | "
                    f"{g['plankoll_s']:.2f} s vs {g['gx_s']:.1f} s | | | ≥ {goal}× | "
                    f"plankoll {g['plankoll_versions_per_s']:.0f} versions/s, GX {g['gx_versions_per_s']:.1f} versions/s: "
                    f"**{g['ratio_plankoll_over_gx']:.0f}×** ({met(g['ratio_plankoll_over_gx'] >= goal)}); "
                    f"same findings: {'yes' if g['same_findings'] else '**no**'} |")
    documents = report.get("documents")
    if documents:
        from benchmarks.documents import table_rows

        rows.extend(table_rows(documents))
    return "\n".join(rows) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--work", type=Path, default=Path("bench-work"), help="generated repositories and outputs (default: ./bench-work)")
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--gx-versions", type=int, nargs="+", default=[200, 1000],
                    help="versions for the Great Expectations comparison, one comparison per number (0: skip)")
    ap.add_argument("--documents", type=int, default=1000,
                    help="mixed Word, PDF and Excel documents for the importers' throughput (0: skip; see benchmarks/documents.py)")
    ap.add_argument("--output", type=Path)
    a = ap.parse_args()
    started = time.perf_counter()
    report = run(a.work.resolve(), a.sizes, a.gx_versions, a.documents)
    report["benchmark_s"] = time.perf_counter() - started
    if a.output:
        a.output.write_text(json.dumps(report, indent=1), encoding="utf-8")
    sys.stdout.write(table(report))


if __name__ == "__main__":
    main()
