"""The one parser of printed Swedish figures."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plankoll.figures import DIRECTION, LEVEL, MISSING, NUMBER, TEXT, FigureError, format_number, parse


@pytest.mark.parametrize(
    ("text", "value", "decimals", "unit", "comparator"),
    [
        ("1 369 635", 1369635, 0, None, None),
        ("1\u00a0369\u00a0635", 1369635, 0, None, None),
        ("1\u202f369\u202f635", 1369635, 0, None, None),
        ("5,0 %", 5.0, 1, "%", None),
        ("5,0%", 5.0, 1, "%", None),
        ("−11,2", -11.2, 1, None, None),
        ("-11,2 %", -11.2, 1, "%", None),
        ("–3,1%", -3.1, 1, "%", None),
        ("2195,3", 2195.3, 1, None, None),
        ("18,26%", 18.26, 2, "%", None),
        ("+19 mnkr", 19, 0, "mnkr", None),
        ("90st", 90, 0, "st", None),
        (">75", 75, 0, None, ">"),
        ("< 5 %", 5, 0, "%", "<"),
        ("Under 6,5 %", 6.5, 1, "%", "<"),
        ("Över 80 %", 80, 0, "%", ">"),
        ("minst 70 %", 70, 0, "%", ">="),
    ],
)
def test_numbers_keep_value_decimals_unit(text, value, decimals, unit, comparator):
    fig = parse(text)
    assert fig.kind == NUMBER
    assert fig.value == pytest.approx(value)
    assert (fig.decimals, fig.unit, fig.comparator, fig.text) == (decimals, unit, comparator, text)


@pytest.mark.parametrize(
    ("text", "kind", "word"),
    [
        ("Öka", DIRECTION, "increase"),
        ("Minska med 50 % jmf med 2020", DIRECTION, "decrease"),
        ("Oka", DIRECTION, "increase"),
        ("Ja", LEVEL, "ja"),
        ("Delvis", LEVEL, "delvis"),
        ("Ja (4/4)", LEVEL, "ja"),
        ("Ny indikator", MISSING, "new"),
        ("Nytt mått", MISSING, "new"),
        ("-", MISSING, "dash"),
        ("", MISSING, "blank"),
        ("Minskad skillnad jmf 2018", DIRECTION, "decrease"),
        ("I niva med riket", DIRECTION, "match"),
        ("Finns ej", LEVEL, "nej"),
        ("Vartannat år", TEXT, None),
        ("Under utredning", TEXT, None),
    ],
)
def test_words_and_markers(text, kind, word):
    fig = parse(text)
    assert (fig.kind, fig.word) == (kind, word)


@pytest.mark.parametrize("text", ["12 34", "5,0,0", "2018: 7,1 %", "4/4", "1 2345"])
def test_text_that_looks_numeric_but_is_not_a_figure_is_an_error(text):
    with pytest.raises(FigureError, match="starts like a number"):
        parse(text)


def test_figure_in_parentheses_is_the_figure_not_a_negative():
    """Seed 000 line 738: "K: (701)" beside the total 1232 is a breakdown, not −701."""
    fig = parse("(701)")
    assert (fig.kind, fig.value, fig.text) == (NUMBER, 701, "(701)")
    assert parse("(-172,3 mnkr)").value == pytest.approx(-172.3)


def test_half_unit_follows_printed_decimals():
    assert parse("2448,4").half_unit == pytest.approx(0.05)
    assert parse("400").half_unit == pytest.approx(0.5)
    assert parse("18,26%").half_unit == pytest.approx(0.005)


SEPARATORS = st.sampled_from([" ", "\u00a0", "\u202f"])
MINUSES = st.sampled_from(["-", "−", "–"])


@given(st.integers(min_value=-10**9, max_value=10**9), st.integers(min_value=0, max_value=4))
def test_format_then_parse_round_trips(units, decimals):
    value = units / 10**decimals
    text = format_number(value, decimals)
    fig = parse(text)
    assert fig.kind == NUMBER
    assert fig.decimals == decimals
    assert fig.value == pytest.approx(value, abs=10**-decimals / 2)


@given(st.integers(min_value=1000, max_value=10**12), SEPARATORS, MINUSES, st.booleans(), st.sampled_from(["", " %", "%", " mnkr"]))
def test_grouped_thousands_any_separator_and_minus(n, sep, minus, negative, unit):
    digits = f"{n:,}".replace(",", sep)
    text = (minus if negative else "") + digits + unit
    fig = parse(text)
    assert fig.value == (-n if negative else n)
    assert fig.decimals == 0
    assert fig.unit == (unit.strip() or None)
    assert fig.text == text


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_parse_never_crashes_otherwise(text):
    try:
        fig = parse(text)
    except FigureError:
        return
    assert fig.kind in {NUMBER, DIRECTION, LEVEL, MISSING, TEXT}
    assert fig.text == text
