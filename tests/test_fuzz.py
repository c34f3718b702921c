"""The reliability contract under fuzzing: mutated plan files beside a good one.

Whatever a mutant holds, the run never raises, never reports an internal error (a bug, exit 3),
names the mutant with a place for every error it reports about it, and still checks the good plan
beside it. The mutations are those of a fuzz run that broke the contract before: truncation, byte
flips, structure and type swaps, extreme values, encodings, YAML attacks and Word packages.

CI runs PLANKOLL_FUZZ_EXAMPLES cases per test (default 300, four tests: 1,200 in all),
derandomized so that a failure reproduces; a longer run:

    PLANKOLL_FUZZ_EXAMPLES=20000 PLANKOLL_FUZZ_SEED=7 pytest tests/test_fuzz.py
"""

from __future__ import annotations

import os
import random
import tempfile
from collections import Counter
from pathlib import Path

from helpers import DATASETS, REPO, plan_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plankoll.cli import _exit_code
from plankoll.config import Config
from plankoll.run import check_paths

EXAMPLES = int(os.environ.get("PLANKOLL_FUZZ_EXAMPLES", "300"))
SEED = os.environ.get("PLANKOLL_FUZZ_SEED")
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=SEED is None, database=None,
                    suppress_health_check=list(HealthCheck))
CORPUS = [p.read_bytes() for p in sorted(DATASETS.rglob("*.plan.yaml"))] + [plan_text("""\
    indicators:
      - id: a
        name: Andel patienter nöjda
        source: NPE
        follow_up: ÅR
        waivers: {PK501: "Uppdelning i kön saknas"}
        values:
          - {role: baseline, period: "2022", K: "5 %", M: "6 %", line: 3}
          - {role: target, period: "2025", value: "7 %", page: 2}
    tables:
      - id: t
        title: Ramar
        columns: [Ram 2024, Ram 2025]
        rows:
          - {id: a, label: A, values: ["1 369 635", "5,0"]}
          - {id: s, label: Summa, values: ["1 369 635", "5,0"], sum_of: [a]}
    """).encode("utf-8")]
WORD = [p.read_bytes() for p in sorted((REPO / "tests/fixtures/word").glob("*.docx"))]
PACKAGES = {".docx": WORD, ".pdf": [p.read_bytes() for p in sorted((REPO / "tests/fixtures/pdf").glob("00?-plain-*.pdf"))],
            ".xlsx": [p.read_bytes() for p in sorted((REPO / "tests/fixtures/xlsx").glob("*.xlsx"))]}
GOOD = plan_text("""\
    indicators:
      - id: g
        name: Antal vårdplatser
        source: X
        follow_up: ÅR
        values:
          - {role: baseline, period: "2022", value: "5"}
          - {role: target, period: "2025", value: "6"}
    """).replace("id: test-plan", "id: good-neighbour")
ATTACKS = [
    b"&a [x, x]\n", b"*a\n", b"!!python/object:os.system ['ls']\n", b"{" * 300, b"[" * 300, b"- " * 400 + b"x\n",
    b"\x00", b"\x07\x1b[2J", b"\xff\xfe", b"\xc3\x28", "\u202eRTL".encode(), b"2022-13-45", b"2022-02-30",
    b"99999999999999999999999", b"-1", b"1e309", b".nan", b"~", b"null", b"[]", b"{}", b"'unterminated", b'"\\x"',
    b"? complex\n: key\n", b"<<: *a\n", b"%YAML 9.9\n", b"---\n---\n", b"\t", b"line: 0", b"page: -3",
    b"value: 1 234,5", b"role: nonsense", b"sum_of: [missing]", b"indicator: nope", b"waivers: {PK999: x}",
]
SCALARS = [b'"1 369 635"', b"12", b"[1, 2]", b"{a: 1}", b"''", b"null", b"true", b'"' + b"x" * 5000 + b'"']


def _mutate(data: bytes, rng: random.Random, how: str) -> bytes:
    if how == "truncate":
        return data[: rng.randrange(len(data) + 1)]
    if how == "flip":
        out = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            if out:
                out[rng.randrange(len(out))] = rng.randrange(256)
        return bytes(out)
    if how == "insert":
        at = rng.randrange(len(data) + 1)
        return data[:at] + rng.choice(ATTACKS) + data[at:]
    if how == "swap":  # a value of another type where a quoted figure or a name stood
        lines = data.split(b"\n")
        i = rng.randrange(len(lines))
        head, sep, _rest = lines[i].partition(b": ")
        lines[i] = head + b": " + rng.choice(SCALARS) if sep else lines[i] + b" " + rng.choice(SCALARS)
        return b"\n".join(lines)
    if how == "shuffle":  # structure: lines moved, indentation lost
        lines = data.split(b"\n")
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[i], lines[j] = lines[j].lstrip(), lines[i]
        return b"\n".join(lines)
    if how == "encoding":
        text = data.decode("utf-8", "replace")
        return text.encode(rng.choice(["utf-16", "latin-1", "cp1252", "utf-8-sig"]), "replace")
    if how == "repeat":  # extreme sizes: many items, long lines
        return data + b"\n" + b"  - {id: x, name: x}\n" * rng.randint(1, 3000)
    return data


def _contract(mutant: bytes, suffix: str, found: Counter, full: bool = True) -> None:
    """The contract on one mutant; `full` runs the whole check beside a good plan, else only reading
    (where most inputs break: a quarter of the cases are enough to exercise the rules on what reads)."""
    with tempfile.TemporaryDirectory() as tmp:
        bad, good = Path(tmp) / f"mutant{suffix}", Path(tmp) / "good.plan.yaml"
        bad.write_bytes(mutant)
        good.write_text(GOOD, encoding="utf-8")
        if not full:
            _read_only(bad)
            return
        result = check_paths([bad, good], Config(), lang="en", jobs=1)
    assert str(good) in [p["file"] for p in result["plans"]], "the good neighbour was lost"
    assert not any(e.get("internal") for e in result["errors"]), [e["message"] for e in result["errors"]]
    assert result["summary"]["rules_failed"] == 0, [n for p in result["plans"] for n in p["notices"] if n["code"] == "rule_failed"]
    code = _exit_code(result)
    assert code in (0, 1, 2)
    mine = [e for e in result["errors"] if e["file"] == str(bad)]
    assert all(e["message"].strip() and len(e["message"]) < 2000 for e in mine)
    if suffix == ".plan.yaml":
        # a plan file's errors name their line, except for a file that cannot be read at all
        assert all(e["line"] is not None or "UTF-8" in e["message"] or "more than plankoll reads" in e["message"] for e in mine), mine
    if mine:
        assert code == 2
    found["unusable" if mine else "usable"] += 1


def _read_only(bad: Path) -> None:
    from plankoll.loader import LoadError
    from plankoll.pipeline import _parse

    _, outcome = _parse(bad)
    if isinstance(outcome, list):
        assert all(isinstance(e, LoadError) and not e.internal and e.message.strip() for e in outcome), outcome
        if bad.suffix == ".yaml":
            assert all(e.line is not None or "UTF-8" in e.message or "more than plankoll reads" in e.message for e in outcome), outcome
    else:
        from plankoll.frames import assemble

        assemble([outcome])  # what reads must make valid frames


FOUND: Counter = Counter()


@SETTINGS
@given(st.integers(0, len(CORPUS) - 1), st.sampled_from(["truncate", "flip", "insert", "swap", "shuffle", "encoding", "repeat"]),
       st.integers(0, 2**32))
def test_mutated_plan_files(source: int, how: str, seed: int):
    _contract(_mutate(CORPUS[source], random.Random(seed), how), ".plan.yaml", FOUND, full=seed % 4 == 0)


@SETTINGS
@given(st.integers(0, len(CORPUS) - 1), st.lists(st.sampled_from(["flip", "insert", "swap", "shuffle"]), min_size=2, max_size=5),
       st.integers(0, 2**32))
def test_plan_files_mutated_several_times(source: int, hows: list[str], seed: int):
    rng = random.Random(seed)
    data = CORPUS[source]
    for how in hows:
        data = _mutate(data, rng, how)
    _contract(data, ".plan.yaml", FOUND, full=seed % 4 == 0)


@SETTINGS
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_as_a_plan_file(data: bytes):
    _contract(data, ".plan.yaml", FOUND, full=len(data) % 4 == 0)


@SETTINGS
@given(st.integers(0, 3), st.sampled_from(["truncate", "flip", "insert"]), st.integers(0, 2**32),
       st.sampled_from([".docx", ".pdf", ".xlsx", ".md", ".txt"]))
def test_mutated_documents(source: int, how: str, seed: int, suffix: str):
    packages = PACKAGES.get(suffix)
    data = packages[source % len(packages)] if packages else CORPUS[-1]
    _contract(_mutate(data, random.Random(seed), how), suffix, FOUND, full=seed % 4 == 0)
