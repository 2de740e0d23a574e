"""Indonesian numerals: "1.501" = 1501, "41,07 miliar" = 41 070 000 000, "dua belas" = 12.

A parsed number keeps its value *and* the size of one unit of its last stated digit, because the
checks need the precision a figure was written with ("Rp10,9 miliar" is [10.85, 10.95) miliar).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from .lexicon import lexicon

# Digits with "." thousands groups and "," decimals, and the sloppy forms seen in news text:
# "2.20" (a dot used as decimal mark), "121.253.531,90", ".2.500.000" after "Rp.".
NUMERAL = re.compile(r"^\.?\d{1,3}(?:\.\d{3})+(?:,\d+)?$|^\.?\d+(?:[.,]\d+)?$")
# "3.840,000,000" or "1,250,000": a decimal comma is written once, so two commas that each open a group of
# three digits are thousands separators, whatever mark the other groups use
COMMA_GROUPED = re.compile(r"^\d{1,3}(?:[.,]\d{3})*(?:,\d{3}){2,}$")


# Bounds on what a figure in a news article can be. Rp10^16 is ten thousand trillion rupiah, far above any
# payout ever published (a year of every Indonesian programme is a few hundred trillion); a figure above it
# is a typo, a phone or account number, or hostile input. Refusing it here keeps every later stage (JSON,
# the SQLite INTEGER column, which ends at 2^63) within range.
MAX_VALUE = Decimal(10) ** 16


MAX_DIGITS = 24  # digits of a numeral, checked before any conversion: int("9" * 10000) alone takes time


@dataclass(frozen=True)
class Number:
    value: Decimal  # the stated value, scale applied
    unit: Decimal  # one unit of the last stated digit, scale applied

    @property
    def as_int(self) -> int:
        return int(self.value.to_integral_value())


def parse_numeral(text: str) -> tuple[Decimal, Decimal]:
    """Digits in Indonesian style -> (value, unit of last digit). Raises ValueError if not a numeral."""
    s = text.strip().lstrip(".")
    if sum(ch.isdigit() for ch in s) > MAX_DIGITS:
        raise ValueError(f"not a figure: {len(s)} characters of digits")
    if COMMA_GROUPED.match(s):
        return Decimal(s.replace(",", "").replace(".", "")), Decimal(1)
    if not s or not NUMERAL.match(s):
        raise ValueError(f"not a numeral: {text!r}")
    if "," in s:
        whole, frac = s.split(",", 1)
        whole = whole.replace(".", "")
    elif "." in s:
        groups = s.split(".")
        if all(len(g) == 3 for g in groups[1:]):
            whole, frac = "".join(groups), ""
        elif len(groups) == 2:  # "2.20 miliar": a dot used as the decimal mark
            whole, frac = groups
        else:
            raise ValueError(f"not a numeral: {text!r}")
    else:
        whole, frac = s, ""
    try:
        value = Decimal(f"{whole}.{frac}" if frac else whole)
    except InvalidOperation as exc:
        raise ValueError(f"not a numeral: {text!r}") from exc
    unit = Decimal(1).scaleb(-len(frac)) if frac else Decimal(1)
    return value, unit


def scale_of(word: str | None) -> int:
    if not word:
        return 1
    return int(lexicon().scale.get(word.lower().rstrip("."), 1))


@lru_cache(maxsize=4096)  # the same figures and years come back article after article; Number is immutable
def parse_number(text: str, scale_word: str | None = None) -> Number:
    """"41,07" + "miliar" -> 41 070 000 000 with unit 10 000 000."""
    scale = Decimal(scale_of(scale_word))
    if scale > 1 and COMMA_GROUPED.match(text.strip()):
        # "Rp14,690,221 milyar": before a scale word the first comma is the decimal mark, the rest are typos
        whole, frac = text.strip().split(",", 1)
        text = f"{whole},{frac.replace(',', '')}"
    value, unit = parse_numeral(text)
    return _bounded(Number(value * scale, unit * scale))


class BeyondCeiling(ValueError):
    """A number above any figure an article states: read, but never a claim."""

    def __init__(self, number: Number) -> None:
        super().__init__(f"not a figure: {number.value:.3e} is above the ceiling of {MAX_VALUE:.0e}")
        self.number = number


def _bounded(number: Number) -> Number:
    """The number, or BeyondCeiling when it is beyond any figure an article states (MAX_VALUE)."""
    if number.value > MAX_VALUE:
        raise BeyondCeiling(number)
    return number


def parse_words(words: list[str]) -> Number:
    """Number words: "enam" = 6, "dua belas" = 12, "seratus dua puluh lima" = 125, "tiga ribu" = 3000."""
    lex = lexicon()
    total = segment = pending = 0
    seen = False
    for w in (x.lower() for x in words):
        if w in lex.number_words:
            value = lex.number_words[w]
            if value >= 1000:  # "seribu"
                total += value
            elif value >= 10:  # "sepuluh", "sebelas", "seratus"
                segment += value
            else:
                pending = value
            seen = True
        elif w in lex.word_multipliers and seen:
            mult = lex.word_multipliers[w]
            if w == "belas":
                segment += pending + 10
            elif mult >= 1000:
                total += (segment + pending or 1) * mult
                segment = 0
            else:
                segment += (pending or 1) * mult
            pending = 0
        else:
            raise ValueError(f"not a number word: {w!r}")
    if not seen:
        raise ValueError("no number word")
    return _bounded(Number(Decimal(total + segment + pending), Decimal(1)))


def is_number_word(word: str) -> bool:
    lex = lexicon()
    w = word.lower()
    return w in lex.number_words or w in lex.word_multipliers
