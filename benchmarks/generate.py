"""A seeded generator of synthetic plan repositories with planted violations.

Shapes follow the real datasets: Swedish printed figures ("1 369 635", "5,0 %"), K/M splits for
measures about people, budget tables with a total row, production tables with subtotals and a
Förändring % column, follow-up periods in the seeds' spellings, declared exceptions. Violations of
every check kind are planted at a known rate and recorded in `planted.json` beside the plans, as
(file, rule, element) — the exact elements plankoll must report, and nothing else.

    python -m benchmarks.generate OUT --versions 1000 --indicators 100 --tables 5 --rate 0.02 --seed 1
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

REGIONS = ["Norrbotten", "Västerbotten", "Jämtland Härjedalen", "Västernorrland", "Gävleborg", "Dalarna", "Värmland",
           "Örebro län", "Västmanland", "Uppsala", "Stockholm", "Sörmland", "Östergötland", "Jönköpings län", "Kronoberg",
           "Kalmar län", "Gotland", "Blekinge", "Skåne", "Halland", "Västra Götalandsregionen"]
BODIES = ["Regionstyrelsen", "Hälso- och sjukvårdsnämnden", "Regionala utvecklingsnämnden", "Kulturnämnden", "Patientnämnden",
          "Division Länssjukvård", "Division Närsjukvård", "Division Service", "Kollektivtrafiknämnden", "Tandvårdsnämnden",
          "Servicenämnden", "Miljönämnden"]
PEOPLE = ["Andel patienter som fått behandling inom 90 dagar", "Andel invånare som har fast läkarkontakt",
          "Andel medarbetare med medarbetarsamtal", "Antal patienter som fått fråga om våld i nära relation",
          "Andel chefer som genomgått ledarutbildning", "Andel barn som vaccinerats enligt programmet",
          "Andel personer med kronisk sjukdom som har vårdplan", "Andel patienter med palliativ diagnos med behandlingsstrategi"]
THINGS = ["Verksamhetsyta", "Energianvändning i regionens fastigheter", "Andel förnybart bränsle i kollektivtrafiken",
          "Kostnad per DRG-poäng", "Antal digitala tjänster i 1177", "Andel fakturor som hanteras automatiskt",
          "Antal upphandlingar med miljökrav", "Index för tillgänglighet i länets kollektivtrafik"]
SOURCES = ["Datalager", "Cognos", "Kolada", "SCB", "Nationell patientenkät", "Väntetidsdatabasen", "Heroma", "Raindance"]
FOLLOW_UPS = ["DÅ04,08, ÅR", "DA 04,08, AR", "DÅ 04,08 ÅR", "DA04, 08, AR", "ÅR", "DÅ08, ÅR", "T1, T2, T3"]
PERSPECTIVES = ["Medborgare", "Verksamhet", "Medarbetare", "Ekonomi", "Samhälle"]
BUDGET_ROWS = ["Regionledningsförvaltningen", "Primärvårdsmedel", "Tandvårdsersättning", "Tandvårdsstöd", "Kollektivtrafik", "Kultur"]

# rule → what is planted; every kind of check has at least one
INDICATOR_PLANTS = ("PK204", "PK301", "PK302", "PK401", "PK402", "PK501", "PK601", "PK604", "PK605")
PLANTS = ("PK001", "PK101", "PK201", *INDICATOR_PLANTS, "PK701")


def sv(value: float, decimals: int = 0) -> str:
    """A number as Swedish documents print it."""
    text = f"{abs(value):,.{decimals}f}".replace(",", " ").replace(".", ",")
    return ("−" if value < 0 and text.strip("0, ") else "") + text


@dataclass
class Version:
    path: str
    prefix: str = ""  # indicator ids are unique per organisation and body, as in a real plan repository
    lines: list[str] = field(default_factory=list)
    planted: list[tuple[str, str]] = field(default_factory=list)  # (rule, element)


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _indicator(rng: random.Random, v: Version, i: int, first: int, last: int, plant: str | None) -> None:
    people = rng.random() < 0.5
    name = rng.choice(PEOPLE if people else THINGS) + f" ({i})"
    iid = f"{v.prefix}ind-{i:03d}"
    unit = "%" if name.startswith("Andel") else ("antal" if name.startswith("Antal") else "index")
    source = rng.choice(SOURCES)
    if not people and source == "Nationell patientenkät":
        source = "Datalager"  # a survey of patients measures people (PK501); a thing comes from a register
    follow = rng.choice(FOLLOW_UPS)
    if plant == "PK401":
        follow = "Löpande"
    out = v.lines
    out.append(f"  - id: {iid}")
    out.append(f"    name: {_q(name)}")
    out.append(f"    path: [{_q(rng.choice(PERSPECTIVES))}, {_q('Strategiskt mål ' + str(i % 7))}]")
    out.append(f"    unit: {_q(unit)}")
    if plant != "PK302":
        out.append(f"    source: {_q(source)}")
    out.append(f"    follow_up: {_q(follow)}")
    out.append(f"    line: {100 + i}")
    out.append("    values:")
    pct = unit == "%"
    dec = 1 if pct else 0
    base = rng.uniform(20, 80) if pct else rng.uniform(100, 5000)

    def fig(x: float) -> str:
        return sv(x, dec) + (" %" if pct else "")

    element = f"indicator:{iid}"
    split = people and plant != "PK501"
    if plant == "NEW":  # a declared new measure: PK304, waived by the plan's declared exception
        out.append(f"      - {{role: baseline, period: \"{first - 1}\", value: \"Nytt mått\", line: {100 + i}}}")
    elif plant != "PK301":
        for year in (first - 2, first - 1):
            b = base * rng.uniform(0.9, 1.1)
            if split:
                k, m = b * rng.uniform(0.9, 1.1), b * rng.uniform(0.9, 1.1)
                kf, mf = round(k, dec), round(m, dec)
                if pct:
                    lo, hi = min(kf, mf), max(kf, mf)
                    total = round((lo + hi) / 2, dec)
                else:
                    total = kf + mf
                if plant == "PK204" and year == first - 1:
                    total = (hi + 5) if pct else total + 7
                    v.planted.append(("PK204", f"{element}/baseline:{year}/total"))
                out.append(f"      - {{role: baseline, period: \"{year}\", K: {_q(fig(kf))}, M: {_q(fig(mf))}, total: {_q(fig(total))}, line: {100 + i}}}")
            else:
                text = fig(b)
                if plant == "PK604" and year == first - 1:
                    # printed without the unit its other values carry, or with one they do not
                    text = sv(b, dec) if pct else sv(b, dec) + " mnkr"
                    v.planted.append(("PK604", f"{element}/baseline:{year}"))
                if plant == "PK605" and year == first - 2:
                    text = "Vartannat år"
                    v.planted.append(("PK605", f"{element}/baseline:{year}"))
                if plant == "PK601" and year == first - 1 and pct:
                    text = "104,0 %"
                    v.planted.append(("PK601", f"{element}/baseline:{year}"))
                out.append(f"      - {{role: baseline, period: \"{year}\", value: {_q(text)}, line: {100 + i}}}")
    for year in range(first, last + 1):
        target_year = last + 3 if (plant == "PK402" and year == first) else year
        t = base * rng.uniform(1.0, 1.2)
        if pct:
            t = min(t, 99.0)
        out.append(f"      - {{role: target, period: \"{target_year}\", value: {_q(fig(t))}, line: {100 + i}}}")
        if target_year != year:
            v.planted.append(("PK402", f"{element}/target:{target_year}"))
    if plant in ("PK302", "PK401", "PK301") or (plant == "PK501" and people):
        v.planted.append((plant, element))


def _tables(rng: random.Random, v: Version, n: int, plant_for: dict[int, str]) -> None:
    out = v.lines
    for t in range(n):
        plant = plant_for.get(t)
        tid = f"tab-{t:02d}"
        if t % 2 == 0:  # budget frame: rows + total, in tkr
            out += [f"  - id: {tid}", f"    title: {_q('Ekonomiska ramar ' + str(t))}", "    unit: tkr", f"    line: {500 + t * 10}",
                    "    columns: [Ram 2023, Ram 2024, Ram 2025]", "    rows:"]
            rows = rng.sample(BUDGET_ROWS, 4)
            sums = [0, 0, 0]
            for r, label in enumerate(rows):
                vals = [rng.randint(10_000, 2_000_000) for _ in range(3)]
                sums = [a + b for a, b in zip(sums, vals, strict=True)]
                out.append(f"      - {{id: r{r}, label: {_q(label)}, values: [{', '.join(_q(sv(x)) for x in vals)}], line: {501 + t * 10 + r}}}")
            if plant == "PK101":
                sums[1] += rng.choice([-1, 1]) * rng.randint(5, 500)
                v.planted.append(("PK101", f"table:{tid}/row:totalt/column:Ram 2024"))
            out.append(f"      - {{id: totalt, label: Totalt, values: [{', '.join(_q(sv(x)) for x in sums)}], sum_of: [r0, r1, r2, r3], "
                       f"line: {505 + t * 10}}}")
        else:  # production table: subtotals and a change column
            out += [f"  - id: {tid}", f"    title: {_q('Produktion ' + str(t))}", f"    line: {500 + t * 10}",
                    "    columns: [\"202204\", \"202104\", \"Förändring %\"]",
                    "    derived: [{kind: change_pct, column: \"Förändring %\", new: \"202204\", old: \"202104\"}]", "    rows:"]
            parts = {}
            for r, label in enumerate(["Somatik", "Psykiatri"]):
                new, old = rng.randint(500, 30_000), rng.randint(500, 30_000)
                parts[r] = (new, old)
                change = (new - old) / old * 100
                text = sv(change, 1) + "%"
                if plant == "PK201" and r == 0:
                    # beyond what rounding new and old (± 0.5) can explain: wide when old is small
                    slack = 100 * (0.5 * new / old**2 + 0.5 / old)
                    text = sv(change + rng.choice([-1, 1]) * (3 + 2 * slack), 1) + "%"
                    v.planted.append(("PK201", f"table:{tid}/row:p{r}/column:Förändring %"))
                out.append(f"      - {{id: p{r}, label: {_q(label)}, values: [{_q(sv(new))}, {_q(sv(old))}, {_q(text)}], line: {501 + t * 10 + r}}}")
            new, old = parts[0][0] + parts[1][0], parts[0][1] + parts[1][1]
            out.append(f"      - {{id: totalt, label: Totalt antal besök, values: [{_q(sv(new))}, {_q(sv(old))}, {_q(sv((new - old) / old * 100, 1) + '%')}], "
                       f"sum_of: [p0, p1], line: {503 + t * 10}}}")


def _detail(rng: random.Random, v: Version, plant: bool) -> None:
    """An indicator with outcomes split by sex and the detail table behind it."""
    k, m = rng.randint(100, 400), rng.randint(100, 400)
    shown_k = k + (2 if plant else 0)
    v.lines += [f"  - id: {v.prefix}detail", "    name: \"Antal patienter som fått fråga om levnadsvanor\"", "    unit: antal", "    source: Datalager",
                "    follow_up: \"DÅ04,08, ÅR\"", "    line: 90", "    values:",
                f"      - {{role: baseline, period: \"2021\", K: \"{k - 5}\", M: \"{m - 5}\", line: 90}}",
                "      - {role: target, period: \"2023\", value: \"Öka\", line: 90}",
                "      - {role: target, period: \"2024\", value: \"Öka\", line: 90}",
                "      - {role: target, period: \"2025\", value: \"Öka\", line: 90}",
                f"      - {{role: outcome, period: \"2023-T1\", K: \"{shown_k}\", M: \"{m}\", line: 91}}"]
    if plant:
        v.planted.append(("PK701", f"indicator:{v.prefix}detail/outcome:2023-T1/K"))
    v.table_detail = (k, m)  # type: ignore[attr-defined]


def generate(out: Path, versions: int, indicators: int, tables: int, rate: float, seed: int) -> list[Version]:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    made: list[Version] = []
    for n in range(versions):
        region = REGIONS[n % len(REGIONS)]
        body = BODIES[(n // len(REGIONS)) % len(BODIES)]
        first = 2023
        rel = f"{region.split()[0].lower()}/{body.split()[0].lower()}-{n:06d}/vp-{first}-v{n % 3 + 1}.plan.yaml"
        v = Version(rel, prefix=f"s{n}-")
        plant_ind = {i: rng.choice(INDICATOR_PLANTS) for i in range(indicators) if rng.random() < rate}
        if indicators and 0 not in plant_ind and rng.random() < 0.5:
            plant_ind[0] = "NEW"
        plant_tab = {t: ("PK101" if t % 2 == 0 else "PK201") for t in range(tables) if rng.random() < rate}
        plant_detail = rng.random() < rate
        v.lines += ["plankoll: 1", "plan:", f"  id: {_q('syn-' + str(n))}", f"  organisation: {_q('Region ' + region)}", f"  body: {_q(body)}",
                    "  body_kind: nämnd", "  document: verksamhetsplan", f"  title: {_q('Verksamhetsplan ' + str(first))}",
                    f"  period: {{first: {first}, last: {first + 2}}}", f"  version: {{label: \"{n % 3 + 1}\", status: utkast}}",
                    "  source: {document: syntetisk.txt}",
                    "  waivers: {PK304: \"Syntetisk plan: nya mått saknar ingångsvärde\"}", "indicators:"]
        if "NEW" not in plant_ind.values():
            # the plan declares an exception from PK304 but plants no new measure: it waives nothing
            v.planted.append(("PK001", "plan/waiver:PK304"))
        _detail(rng, v, plant_detail)
        for i in range(indicators):
            _indicator(rng, v, i, first, first + 2, plant_ind.get(i))
        v.lines.append("tables:")
        k, m = v.table_detail  # type: ignore[attr-defined]
        v.lines += ["  - id: detail-table", "    title: Levnadsvanor per kön", f"    indicator: {v.prefix}detail", "    line: 95",
                    "    columns: [\"2022\", \"2023\"]", "    rows:",
                    f"      - {{id: k, label: Kvinnor, values: [\"{k - 3}\", \"{k}\"], line: 96}}",
                    f"      - {{id: m, label: Män, values: [\"{m - 3}\", \"{m}\"], line: 97}}"]
        _tables(rng, v, tables, plant_tab)
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(v.lines) + "\n", encoding="utf-8")
        made.append(v)
    planted = [{"file": v.path, "rule": r, "element": e} for v in made for r, e in v.planted]
    (out / "planted.json").write_text(json.dumps(planted, ensure_ascii=False, indent=1), encoding="utf-8")
    return made


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--versions", type=int, default=100)
    ap.add_argument("--indicators", type=int, default=100)
    ap.add_argument("--tables", type=int, default=5)
    ap.add_argument("--rate", type=float, default=0.02, help="share of indicators and tables that get a planted violation")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    made = generate(a.out, a.versions, a.indicators, a.tables, a.rate, a.seed)
    print(f"{len(made)} plan versions, {sum(len(v.planted) for v in made)} planted violations in {a.out}")


if __name__ == "__main__":
    main()
