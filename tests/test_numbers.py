"""The Indonesian number parser: example table and property tests."""
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractor.extract.numbers import MAX_VALUE, parse_number, parse_numeral, parse_words

EXAMPLES = [
    # (digits, scale word, value, unit of the last digit)
    ("41,07", "miliar", 41_070_000_000, 10_000_000),
    ("8", "miliar", 8_000_000_000, 1_000_000_000),
    ("419,1", "M", 419_100_000_000, 100_000_000),
    ("3,08", "T", 3_080_000_000_000, 10_000_000_000),
    ("3,08", "triliun", 3_080_000_000_000, 10_000_000_000),
    ("2.500.000", None, 2_500_000, 1),
    ("2,5", "juta", 2_500_000, 100_000),
    ("1.501", None, 1501, 1),
    ("18", "ribu", 18_000, 1000),
    ("3.070", None, 3070, 1),
    ("1,3", "milyar", 1_300_000_000, 100_000_000),
    ("121.253.531,90", None, Decimal("121253531.90"), Decimal("0.01")),
    ("2.20", "miliar", 2_200_000_000, 10_000_000),  # a dot used as the decimal mark
    (".2.500.000", None, 2_500_000, 1),  # "Rp.2.500.000" tokenises with the dot on the number
    ("3.840,000,000", None, 3_840_000_000, 1),  # two commas: thousands separators, not a decimal mark
    ("1,250,000", None, 1_250_000, 1),
    ("14,690,221", "milyar", 14_690_221_000, 1000),  # before a scale word the first comma is the decimal mark
]


@pytest.mark.parametrize("digits,scale,value,unit", EXAMPLES, ids=[f"{d} {s or ''}".strip() for d, s, *_ in EXAMPLES])
def test_examples(digits, scale, value, unit):
    n = parse_number(digits, scale)
    assert n.value == Decimal(value)
    assert n.unit == Decimal(unit)


WORDS = [("enam", 6), ("satu", 1), ("dua belas", 12), ("seratus", 100), ("empat", 4), ("sebelas", 11),
         ("dua puluh lima", 25), ("seratus dua puluh lima", 125), ("tiga ribu", 3000),
         ("seribu lima ratus", 1500), ("dua juta", 2_000_000)]


@pytest.mark.parametrize("words,value", WORDS, ids=[w for w, _ in WORDS])
def test_number_words(words, value):
    assert parse_words(words.split()).value == value


@pytest.mark.parametrize("bad", ["", "abc", "1.2.3", "12,,5", "1.23.456"])
def test_not_numerals(bad):
    with pytest.raises(ValueError):
        parse_numeral(bad)


def indonesian(n: int) -> str:
    """Write an integer the Indonesian way: dots group thousands."""
    return f"{n:,}".replace(",", ".")


@given(st.integers(min_value=0, max_value=10**15))
def test_grouped_integers_round_trip(n):
    assert parse_numeral(indonesian(n)) == (Decimal(n), Decimal(1))


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=99),
       st.sampled_from([("ribu", 10**3), ("juta", 10**6), ("miliar", 10**9), ("triliun", 10**12)]))
def test_decimal_comma_with_scale(whole, frac, scale):
    word, size = scale
    text = f"{indonesian(whole)},{frac:02d}"
    value = (Decimal(whole) + Decimal(frac) / 100) * size
    if value > MAX_VALUE:  # beyond any published figure: refused (tests/test_hostile_input.py)
        with pytest.raises(ValueError):
            parse_number(text, word)
        return
    n = parse_number(text, word)
    assert n.value == value
    assert n.unit == Decimal(size) / 100


@given(st.integers(min_value=1, max_value=999))
def test_words_match_digits_below_a_thousand(n):
    ones = ["", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan"]
    h, rest = divmod(n, 100)
    t, o = divmod(rest, 10)
    words = []
    if h:
        words += ["seratus"] if h == 1 else [ones[h], "ratus"]
    if t == 1:
        words += ["sepuluh"] if o == 0 else ["sebelas"] if o == 1 else [ones[o], "belas"]
    else:
        if t:
            words += [ones[t], "puluh"]
        if o:
            words.append(ones[o])
    assert parse_words(words).value == n
