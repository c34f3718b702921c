"""Who counts as people (check kind sex_split, rule PK501): a labelled list, a lexicon that is data.

tests/people_labels.yaml labels every indicator name of the datasets and measures written in the
vocabulary of Swedish regional and municipal plans. plankoll must agree with it as a statistician
would, and never call a measure of money a measure of people.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from helpers import DATASETS
from plankoll.checks import sex_split
from plankoll.checks._common import PHRASES

from plankoll.frames import assemble, fragment
from plankoll.loader import load_paths

LABELS = yaml.safe_load((Path(__file__).parent / "people_labels.yaml").read_text(encoding="utf-8"))["labels"]
MONEY_UNIT = re.compile(r"^\s*(?:kr|tkr|mkr|mnkr|mdkr|sek|msek)\b", re.IGNORECASE)


def verdict(item: dict, params: dict | None = None) -> sex_split.Verdict:
    return sex_split.lexicon(params).classify(item["name"], item.get("unit", ""), item.get("source", ""))


@pytest.fixture(scope="module")
def dataset_indicators():
    plans, errors = load_paths(sorted(DATASETS.rglob("*.plan.yaml")))
    assert not errors
    return assemble([fragment(p) for p in plans]).indicators


def test_the_list_holds_every_dataset_indicator_and_its_declaration(dataset_indicators):
    labels = {item["name"]: item for item in LABELS}
    missing = sorted(set(dataset_indicators["name"]) - set(labels))
    assert not missing, f"label these in tests/people_labels.yaml: {missing}"
    declared = dataset_indicators[dataset_indicators["about_people"].notna()]
    wrong = [(n, d) for n, d in zip(declared["name"], declared["about_people"], strict=True) if labels[n]["people"] != bool(d)]
    assert not wrong, f"the label must be the plan's declared about_people: {wrong}"


def test_the_list_has_at_least_80_measures_beyond_the_datasets():
    written = [item for item in LABELS if "dataset" not in item]
    assert len(written) >= 80
    assert all(item["why"].strip() for item in LABELS)
    assert len({item["name"] for item in LABELS}) == len(LABELS), "a name labelled twice"


def test_agreement_with_the_labelled_list_is_at_least_95_percent():
    wrong = [(item["name"], item["people"], verdict(item).text("en")) for item in LABELS if verdict(item).people != item["people"]]
    agreement = 1 - len(wrong) / len(LABELS)
    assert agreement >= 0.95, f"{agreement:.1%} agreement; disagreements:\n" + "\n".join(map(str, wrong))


def test_no_measure_of_money_is_about_people():
    money = [item for item in LABELS if item.get("money") or MONEY_UNIT.match(item.get("unit", ""))]
    assert len(money) >= 20
    assert all(not item["people"] for item in money), "a label calls money people"
    assert [item["name"] for item in money if verdict(item).people] == []


@pytest.mark.parametrize(("name", "unit", "source", "people", "says"), [
    # the head of a compound decides, not a word inside it
    ("Personalkostnader", "mnkr", "", False, "money"),
    ("Andel kostnad inhyrd personal i relation till egna personalkostnader", "%", "", False, "money"),
    ("Antal barnmorskemottagningar", "antal", "", False, "places"),
    ("Chefsavtal tecknade", "antal", "", False, "agreements"),
    ("Utveckling sker i förhållande till handlingsplanen för ökad patientsäkerhet", "", "", False, "activities"),
    ("Antal vårdtillfällen", "antal", "", True, "vårdtillfällen, events that happen to persons"),
    # surveys of people, by the name or the source
    ("Delindex Styrning, HME (regionövergripande, RLF resultat)", "index", "", True, "a staff survey index (HME)"),
    ("Övergripande index", "index", "Hållbart säkerhetsengagemang, HSE-enkät", True, "a staff survey index"),
    ("Dimensionsvärde Kontinuitet & koordinering - Primärvård", "", "Nationell patientenkät", True, "a patient survey measure"),
    ("Brukarbedömning hemtjänst äldreomsorg – helhetssyn", "%", "", True, "a user survey measure"),
    # events that happen to persons
    ("Andel vårdskador, sluten somatisk vård", "%", "", True, "vårdskador"),
    ("Oplanerade återinskrivningar inom 30 dagar", "%", "", True, "återinskrivningar"),
    # the frame: Kolada's trailing ", andel (%)", "Andel som …", whom a measure is for
    ("Elever i åk 9 som är behöriga till yrkesprogram, andel (%)", "%", "", True, "counts elever"),
    ("Andel som deltagit vid hälsosamtal", "%", "", True, "persons («andel som …»)"),
    ("Kontinuitetsindex för patienter med kronisk sjukdom", "%", "", True, "«för patienter»"),
    # people named in the genitive; a genitive that is not people gives way to the head
    ("Elevers resultat på nationella prov i matematik", "%", "", True, "«elevers»"),
    ("Regionens resultat i förhållande till skatteintäkter", "%", "", False, "money (resultat)"),
    ("Antal äldre byggnader", "antal", "", False, "places (byggnader)"),
    # money and densities are not
    ("Nettokostnad äldreomsorg, kr/inv", "", "", False, "money (kr/inv)"),
    ("Kostnad per brukare i hemtjänst", "", "", False, "money"),
    ("Lärartäthet, antal elever per lärare", "antal", "", False, "density"),
    ("Andel förstföderskor med bristning grad 3–4", "%", "", False, "one sex"),
])
def test_the_reason_names_how_the_measure_was_read(name, unit, source, people, says):
    found = verdict({"name": name, "unit": unit, "source": source})
    assert found.people is people
    assert says in found.text("en")
    assert found.text("sv") and found.text("sv") != found.text("en")


def test_every_class_reason_is_worded_in_both_languages():
    data = sex_split.lexicon().data
    keys = {spec["reason"] for spec in data["classes"].values()} | {f"people_survey_{kind}" for kind in data["surveys"]}
    keys |= {"people_implicit", "people_population", "people_survey", "people_survey_index", "people_density", "people_unknown"}
    for lang in ("sv", "en"):
        assert keys <= set(PHRASES[lang]), sorted(keys - set(PHRASES[lang]))


def test_the_rule_extends_the_lexicon():
    item = {"name": "Antal sjöräddare i beredskap", "unit": "antal"}
    assert not verdict(item).people
    extended = {"lexicon": {"classes": {"persons": {"suffixes": ["räddare"]}}}}
    assert sex_split.validate_params(extended) is None
    found = verdict(item, extended)
    assert found.people and "sjöräddare" in found.text("sv")
    # the shipped lexicon is unchanged
    assert not verdict(item).people


@pytest.mark.parametrize(("params", "problem"), [
    ({"words": ["patient\\w*"]}, "params.lexicon"),
    ({"lexicon": ["patient"]}, "mapping"),
    ({"lexicon": {"classes": {"crew": {"people": "yes", "reason": "people_counts"}}}}, "true, false or null"),
    ({"lexicon": {"classes": {"crew": {"people": True, "reason": "no_such_phrase"}}}}, "phrase key"),
    ({"lexicon": {"surveys": {"staff": ["(unclosed"]}}}, "not valid"),
])
def test_a_broken_lexicon_is_a_rulebook_error(params, problem):
    assert problem in (sex_split.validate_params(params) or "")


def test_a_declared_about_people_wins(dataset_indicators):
    ind = dataset_indicators.copy()
    decided = sex_split.about_people(ind, {}, "en")
    declared = ind["about_people"].notna()
    assert (decided["people"][declared] == ind["about_people"][declared].astype(bool)).all()
    assert (decided["reason"][declared] == "declared in the plan").all()
