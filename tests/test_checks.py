"""Every check kind on cases taken from the seeds, and on small plans that isolate one behaviour."""

from __future__ import annotations

import pytest
from helpers import DATASETS, findings
from plankoll.checks.periods import outcome_code, parse_follow_up

RVN = DATASETS / "vasternorrland/regionstyrelsen/vp-2023.plan.yaml"
LS1 = DATASETS / "norrbotten/lanssjukvard1/delarsrapport-2022-04-v0.29.plan.yaml"


# --- sums -------------------------------------------------------------------------------

def test_violence_table_2020_column_is_an_error_the_others_are_not():
    """Seed 004 lines 195–197: Kvinnor 270 + Män 200 printed as Totalt 400."""
    found = [v for v in findings([LS1], "PK101") if v["table_id"] == "nll-ls1-vald-nara-relation"]
    assert len(found) == 1
    (v,) = found
    assert v["element"] == "table:nll-ls1-vald-nara-relation/row:totalt/column:2020"
    assert (v["expected"], v["actual"], v["src_line"]) == ("470", "400", 197)
    assert v["params"]["parts"] == "270 + 200" and v["params"]["difference"] == "−70"


def test_every_column_of_the_ramomrade_table_is_consistent():
    """Seed 001 lines 270–274: the four Ramområde columns add up exactly."""
    assert findings([RVN], "PK101") == []


ECONOMIC_FRAME = """\
tables:
  - id: ram
    title: Preliminär ekonomisk ram 2020, mnkr
    columns: [Ram 2020]
    rows:
      - {id: lsv, label: Länssjukvård, values: ["2195,3"], line: 326}
      - {id: nsv, label: Närsjukvård, values: ["2973,8"], line: 327}
      - {id: ftv, label: Folktandvård, values: ["91,0"], line: 328}
      - {id: ser, label: Service, values: ["328,8"], line: 329}
      - {id: lt, label: Länsteknik, values: ["161,5"], line: 330}
      - {id: summa, label: Summa, values: ["5749,2"], sum_of: [lsv, nsv, ftv, ser, lt], line: 331}
      - {id: hsv, label: Hälso- och sjukvård vårdval, values: ["1142,5"], line: 333}
      - {id: tvv, label: Tandvård vårdval, values: ["79,4"], line: 335}
      - {id: rg, label: Regiongemensamt, values: ["758,8"], line: 336}
      - {id: ff, label: Finansförvaltning, values: ["467,8"], line: 337}
      - {id: summa-rg, label: Summa regiongemensamt, values: ["2448,4"], sum_of: [hsv, tvv, rg, ff], line: 338}
"""


def test_rounding_aware_sums_from_seed_000(write_plan):
    """2448,4 for a sum of 2448,5 is within rounding; 5749,2 for 5750,4 is not (seed 000 lines 326–338)."""
    found = findings([write_plan(ECONOMIC_FRAME)], "PK101")
    assert [v["row_id"] for v in found] == ["summa"]
    (v,) = found
    assert (v["expected"], v["actual"], v["params"]["difference"], v["params"]["tolerance"]) == ("5 750,4", "5749,2", "−1,2", "0,30")


def test_subtotals_totals_above_their_parts_and_column_sums(write_plan):
    plan = write_plan("""\
        tables:
          - id: t
            title: Besök
            columns: [K, M, Totalt]
            column_sums: [{column: Totalt, sum_of: [K, M]}]
            rows:
              - {id: tot, label: Totalt, values: ["30", "21", "51"], sum_of: [a, b]}
              - {id: a, label: A, values: ["10", "11", "21"], sum_of: [a1, a2]}
              - {id: a1, label: A1, values: ["4", "5", "9"]}
              - {id: a2, label: A2, values: ["6", "6", "15"]}
              - {id: b, label: B, values: ["20", "10", "30"]}
        """)
    rows = findings([plan], "PK101")
    cols = findings([plan], "PK102")
    assert [(v["row_id"], v["element"].rsplit(":", 1)[1]) for v in rows] == [("a", "Totalt")]  # 9 + 15 = 24, not 21 (beyond ±1,5)
    assert [v["row_id"] for v in cols] == ["a2"]  # 6 + 6 = 12, not 15


# --- derived ---------------------------------------------------------------------------

def test_every_change_pct_of_the_production_tables_is_consistent():
    """Seed 004 lines 61–74: every Förändring % cell agrees with its two periods within rounding."""
    assert [v for v in findings([LS1], "PK201") if v["table_id"] in ("nll-ls1-besok", "nll-ls1-vardtillfallen")] == []
    assert findings([LS1], "PK202") == []


def test_wrong_change_and_share_are_found(write_plan):
    plan = write_plan("""\
        tables:
          - id: t
            title: T
            columns: ["202204", "202104", "Förändring %", "Andel"]
            derived:
              - {kind: change_pct, column: "Förändring %", new: "202204", old: "202104"}
              - {kind: share_pct, column: Andel, numerator: "202204", denominator: "202104"}
            rows:
              - {id: ok, label: OK, values: ["31180", "29685", "5,0%", "105,0%"]}
              - {id: bad, label: Bad, values: ["31180", "29685", "5,2%", "104,9%"]}
        """)
    assert [(v["row_id"], v["expected"]) for v in findings([plan], "PK201")] == [("bad", "5,0 %")]
    assert [(v["row_id"], v["expected"]) for v in findings([plan], "PK202")] == [("bad", "105,0 %")]


def test_sex_total_counts_and_shares(write_plan):
    plan = write_plan("""\
        indicators:
          - id: count
            name: Antal patienter
            unit: antal
            values:
              - {role: outcome, period: "2022-T1", K: "203", M: "135", total: "338"}
              - {role: outcome, period: "2021-T1", K: "176", M: "139", total: "320"}
          - id: share
            name: Andel patienter
            unit: "%"
            values:
              - {role: outcome, period: "2022-T1", K: "45 %", M: "60 %", total: "51 %"}
              - {role: outcome, period: "2021-T1", K: "45 %", M: "60 %", total: "62 %"}
        """)
    found = findings([plan], "PK204")
    assert [(v["indicator_id"], v["actual"]) for v in found] == [("count", "320"), ("share", "62 %")]
    assert found[0]["expected"] == "315"


# --- completeness ------------------------------------------------------------------------

def test_completeness_on_the_vasternorrland_plan():
    no_source = {v["indicator_id"] for v in findings([RVN], "PK302")}
    assert "rvn-rs-chefer-sam-arshjul" in no_source and "rvn-undvikbar-slutenvard" not in no_source
    new = {v["indicator_id"] for v in findings([RVN], "PK304")}
    assert "rvn-kontinuitetsindex-kronisk" in new and all(v["severity"] == "warning" for v in findings([RVN], "PK304"))
    # "Delvis" 2021 is a baseline value: not a new measure
    assert "rvn-rs-vardforlopp" not in new
    no_last = {v["indicator_id"]: v["actual"] for v in findings([RVN], "PK305")}
    assert no_last == {"rvn-kontinuitetsindex-kronisk": "«-»", "rvn-hse-overgripande-index": "«-»", "rvn-rs-chefer-sam-arshjul": "«-»"}
    assert findings([RVN], "PK301") == [] and findings([RVN], "PK303") == []


def test_target_without_any_baseline_is_an_error_but_a_report_needs_none(write_plan):
    body = """\
        indicators:
          - id: a
            name: Väntetid
            source: Datalager
            follow_up: ÅR
            values:
              - {role: target, period: "2025", value: "80 %"}
          - id: b
            name: Väntetid B
            source: Datalager
            follow_up: ÅR
            values:
              - {role: baseline, value: "70 %"}
              - {role: target, period: "2025", value: "80 %"}
        """
    found = findings([write_plan(body)], "PK301")
    assert [(v["indicator_id"], v["actual"]) for v in found] == [("a", "no baseline"), ("b", "a baseline without a period")]
    assert findings([write_plan(body, name="r.plan.yaml", document="delårsrapport")], "PK301") == []


# --- sex split ---------------------------------------------------------------------------

def test_people_measure_inferred_from_name_without_split():
    found = {v["indicator_id"]: v["params"]["reason"] for v in findings([RVN], "PK501")}
    # the head of the measure (slutenvård: care episodes of persons), and surveys of people (NPE, HSE, HME)
    assert found["rvn-undvikbar-slutenvard"] == "the measure counts slutenvård, events that happen to persons"
    assert found["rvn-npe-kontinuitet-koordinering"] == "a patient survey measure (Nationell patientenkät)"
    assert found["rvn-hme-totalindex"] == "a staff survey index (HME)"
    assert set(found) == {"rvn-undvikbar-slutenvard", "rvn-npe-kontinuitet-koordinering", "rvn-hse-overgripande-index",
                          "rvn-hme-totalindex", "rvn-hme-motivation", "rvn-hme-styrning", "rvn-hme-ledarskap"}


def test_declared_and_not_about_people(write_plan):
    plan = write_plan("""\
        indicators:
          - id: declared
            name: Sjuktal
            about_people: true
            values: [{role: outcome, period: "2022", value: "8,17 %"}]
          - id: denied
            name: Andel patienter med e-tjänst
            about_people: false
            values: [{role: outcome, period: "2022", value: "8 %"}]
          - id: split
            name: Andel patienter
            values: [{role: outcome, period: "2022", K: "8 %", M: "9 %"}]
          - id: waived
            name: Antal invånare
            waivers: {PK501: "Uppdelning i kön saknas (fotnot 4)"}
            values: [{role: outcome, period: "2022", value: "8"}]
        """)
    found = {v["indicator_id"]: v for v in findings([plan], "PK501")}
    assert set(found) == {"declared", "waived"}
    assert found["declared"]["params"]["reason"] == "declared in the plan"
    assert found["waived"]["waived"] == "Uppdelning i kön saknas (fotnot 4)"


# --- periods -----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("DA 04,08, AR", {"DA04", "DA08", "AR"}),
        ("DÅ04,08, ÅR", {"DA04", "DA08", "AR"}),
        ("DÅ 04,08 ÅR", {"DA04", "DA08", "AR"}),
        ("DA04, 08, AR", {"DA04", "DA08", "AR"}),
        ("DA 08, AR", {"DA08", "AR"}),
        ("AR", {"AR"}),
        ("T1, T2, T3", {"DA04", "DA08", "AR"}),
        ("Vart fjärde år", {"AR"}),
        ("månadsvis", {"MONTH"}),
        ("DA 4,8 AR", {"DA04", "DA08", "AR"}),
    ],
)
def test_follow_up_spellings_of_the_seeds(text, codes):
    assert parse_follow_up(text) == (codes, None)


@pytest.mark.parametrize("text", ["Under utredning", "Löpande", "DÅ13", "DA 48, AR"])
def test_follow_up_outside_the_vocabulary(text):
    assert parse_follow_up(text)[1] == text


def test_under_utredning_is_found_in_the_division_report():
    (v,) = findings([LS1], "PK401")
    assert v["indicator_id"] == "nll-paverkbar-slutenvard" and v["actual"] == "«Under utredning»" and v["src_line"] == 220


def test_target_years_baselines_and_outcome_periods(write_plan):
    plan = write_plan("""\
        indicators:
          - id: a
            name: Mått
            source: X
            follow_up: DÅ08, ÅR
            values:
              - {role: baseline, period: "2023", value: "5"}
              - {role: baseline, period: "2021", value: "5"}
              - {role: target, period: "2026", value: "6"}
              - {role: target, period: "2025", value: "6"}
              - {role: outcome, period: "2023-T1", value: "5"}
              - {role: outcome, period: "2023-T2", value: "5"}
        """)
    assert [v["actual"] for v in findings([plan], "PK402")] == ["«2026»"]
    assert [v["actual"] for v in findings([plan], "PK403")] == ["«2023»"]
    assert [v["actual"] for v in findings([plan], "PK404")] == ["«2023-T1»"]
    assert outcome_code("2022-T1") == "DA04" and outcome_code("DÅ08 2022") == "DA08" and outcome_code("2021") == "AR"


# --- values ------------------------------------------------------------------------------

def test_unit_and_prose_findings_in_the_vasternorrland_plan():
    (unit,) = findings([RVN], "PK604")
    assert unit["indicator_id"] == "rvn-undvikbar-slutenvard" and unit["actual"] == "6" and unit["expected"] == "unit %"
    prose = {v["actual"] for v in findings([RVN], "PK605")}
    assert prose == {"Vartannat år", "Pilotmätning (ej jämförbara utfall)"}


def test_ranges_counts_and_qualitative_scale(write_plan):
    plan = write_plan("""\
        indicators:
          - id: pct
            name: Andel
            unit: "%"
            values: [{role: outcome, period: "2022", value: "104 %"}, {role: outcome, period: "2021", value: "-3"}]
          - id: cnt
            name: Antal
            unit: antal
            values: [{role: outcome, period: "2022", value: "-2"}]
          - id: q
            name: Kvalitativ
            kind: qualitative
            unit: ja/delvis/nej
            values: [{role: target, period: "2024", value: "Ja"}, {role: target, period: "2025", value: "80 %"}]
        tables:
          - id: t
            title: T
            columns: [A]
            rows: [{id: r, label: R, values: ["se bilaga"]}]
        """)
    assert sorted(v["actual"] for v in findings([plan], "PK601")) == ["-3", "104 %"]
    assert [v["actual"] for v in findings([plan], "PK602")] == ["-2"]
    assert [v["actual"] for v in findings([plan], "PK603")] == ["80 %"]
    assert [v["actual"] for v in findings([plan], "PK605")] == ["se bilaga"]


# --- consistency -------------------------------------------------------------------------

def test_summary_against_detail_tables_of_the_division_report():
    """Seed 004: the styrmått table against the tables behind it (lines 181/195–196, 182/206–207, 231/311–312)."""
    found = {(v["indicator_id"], v["element"].rsplit("/", 1)[1]): (v["actual"], v["expected"]) for v in findings([LS1], "PK701")}
    assert found == {
        ("nll-vald-nara-relation-fraga", "K"): ("203", "205"),
        ("nll-vald-nara-relation-fraga", "M"): ("135", "134"),
        ("nll-suicidbedomning", "K"): ("7 %", "17 %"),
        ("nll-suicidbedomning", "M"): ("17 %", "8 %"),
        ("nll-lakemedelsberattelse-75", "K"): ("78 %", "79%"),
        ("nll-lakemedelsberattelse-75", "M"): ("76 %", "78%"),
    }


def test_detail_table_column_choice(write_plan):
    plan = write_plan("""\
        indicators:
          - id: a
            name: Antal
            values:
              - {role: outcome, period: "2022-T1", K: "10", M: "20,0"}
          - id: b
            name: Andel
            values:
              - {role: outcome, period: "2022-T1", K: "5 %"}
        tables:
          - id: ta
            title: A
            indicator: a
            columns: ["2021", "2022"]
            rows:
              - {id: k, label: Kvinnor, values: ["9", "11"]}
              - {id: m, label: Män, values: ["19", "20"]}
          - id: tb
            title: B
            indicator: b
            columns: ["X 2022-T1", "Y 2022-T1"]
            rows:
              - {id: k, label: K, values: ["6 %", "5 %"]}
        """)
    found = [(v["indicator_id"], v["actual"], v["expected"]) for v in findings([plan], "PK701")]
    # K 10 vs 11 differs; M "20,0" vs "20" agrees within the rounding of "20"; b's column is ambiguous: not compared
    assert found == [("a", "10", "11")]


def test_report_target_against_the_plan_target():
    found = {v["element"]: (v["actual"], v["expected"]) for v in findings([DATASETS], "PK702")}
    assert found["indicator:nll-aterinskrivningar-65/target:2022/K"] == ("16 %", "15,0")
    # the same 100 % target in the report and the plan is not a finding
    assert not any("nll-vantetid-forsta-besok-90d" in e for e in found)


def test_check_texts_follow_the_language():
    """--lang en shows no Swedish phrases of the check kinds and --lang sv no English ones (document text aside)."""
    from plankoll.checks._common import PHRASES, ROLE_NAMES

    from plankoll.config import Config
    from plankoll.run import check_paths

    for lang, other in (("en", "sv"), ("sv", "en")):
        result = check_paths([DATASETS], Config(), lang=lang)
        shown = " | ".join(f"{v['message']} {v['expected']} {v['actual']} {v['element_name']} {v['details']}"
                           for p in result["plans"] for v in p["violations"])
        foreign = [phrase.split("{")[0].strip() for key, phrase in PHRASES[other].items() if phrase != PHRASES[lang][key]]
        assert not [f for f in foreign if len(f) > 10 and f in shown]
        assert f" › {ROLE_NAMES[other]['outcome']} " not in shown and f" › {ROLE_NAMES[lang]['outcome']} " in shown


def test_a_later_document_that_changes_a_past_figure(tmp_path):
    from helpers import plan_text

    body = """\
        indicators:
          - id: slutenvard
            name: Andel undvikbar slutenvård
            source: Cognos
            follow_up: ÅR
            values:
              - {{role: baseline, period: "2020", value: "{v2020}"}}
              - {{role: baseline, period: "2021", value: "{v2021}"}}
              - {{role: target, period: "2025", value: "6 %"}}
        """
    early = plan_text(body.format(v2020="6,8 %", v2021="6,6 %")).replace('version: {label: "1", status: utkast}', 'version: {label: "0.9", status: utkast}')
    adopted = plan_text(body.format(v2020="6,8 %", v2021="6,4 %")).replace(
        'version: {label: "1", status: utkast}', 'version: {label: "1.0", status: fastställd, adopted: 2022-10-12}')
    next_year = plan_text(body.format(v2020="6,80 %", v2021="6,4 %"), first=2024, last=2026).replace("test-plan", "test-plan-2024")
    for name, text in (("a.plan.yaml", adopted), ("b.plan.yaml", early), ("c.plan.yaml", next_year)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    found = findings([tmp_path], "PK703")
    # the adopted version changed 2021 from the draft's 6,6 % to 6,4 %; next year's plan agrees with the
    # adopted version (6,80 % is 6,8 % printed with one more decimal)
    assert [(v["element"], v["actual"], v["expected"]) for v in found] == [("indicator:slutenvard/baseline:2021", "6,4 %", "6,6 %")]
    assert "version 0.9" in found[0]["params"]["where"]
