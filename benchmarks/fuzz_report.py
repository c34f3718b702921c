"""The reliability contract in figures: mutated inputs by category, and what became of them.

    python -m benchmarks.fuzz_report [--cases 200] [--seed 1] [--full-every 4]

For each category (the mutations of tests/test_fuzz.py, on plan files and on Word, PDF, Excel,
Markdown and text documents) it runs --cases mutants beside a good plan and counts: read (a plan
version), refused with a clear error (exit 2, the file and a place named), and contract failures
(a traceback, an internal error, a lost neighbour, an error of a plan file without a line). Every
--full-every-th case runs the whole check, the others reading only (where inputs break).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import sys
import tempfile
import traceback
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _fuzz_module():  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(REPO / "tests"))
    spec = importlib.util.spec_from_file_location("fuzz_cases", REPO / "tests/test_fuzz.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


CATEGORIES = [(suffix, how) for suffix in (".plan.yaml",) for how in ("truncate", "flip", "insert", "swap", "shuffle", "encoding", "repeat")]
CATEGORIES += [(".plan.yaml", "bytes")]
CATEGORIES += [(suffix, how) for suffix in (".docx", ".pdf", ".xlsx", ".md", ".txt") for how in ("truncate", "flip", "insert")]


def _one(fuzz, suffix: str, how: str, rng: random.Random, full: bool) -> str:  # type: ignore[no-untyped-def]
    if how == "bytes":
        data = rng.randbytes(rng.randint(0, 2000))
    else:
        packages = fuzz.PACKAGES.get(suffix)
        source = rng.choice(packages) if packages else (rng.choice(fuzz.CORPUS) if suffix == ".plan.yaml" else fuzz.CORPUS[-1])
        data = fuzz._mutate(source, rng, how)
    found: Counter = Counter()
    try:
        fuzz._contract(data, suffix, found, full=full)
    except AssertionError:
        return "contract failure"
    except Exception:
        traceback.print_exc(file=sys.stderr)
        return "contract failure"
    if not full:
        return "read only (no failure)"
    return "read" if found["usable"] else "refused with a clear error"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=200, help="cases per category")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--full-every", type=int, default=4)
    args = ap.parse_args()
    fuzz = _fuzz_module()
    rng = random.Random(args.seed)
    table: dict[str, Counter] = {}
    with tempfile.TemporaryDirectory():
        for suffix, how in CATEGORIES:
            counts: Counter = Counter()
            for n in range(args.cases):
                counts[_one(fuzz, suffix, how, rng, full=n % args.full_every == 0)] += 1
            table[f"{suffix} {how}"] = counts
            print(f"{suffix:11} {how:9} {dict(counts)}", flush=True)
    print(json.dumps({k: dict(v) for k, v in table.items()}, ensure_ascii=False))


if __name__ == "__main__":
    main()
