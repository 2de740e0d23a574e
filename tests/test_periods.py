"""Period phrases -> ISO date ranges: example table and property tests."""
import calendar

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractor.extract.dating import text_year
from extractor.extract.periods import find_periods

MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember"]

EXAMPLES = [
    ("Pada Januari sampai Juni 2024, klaim", ("2024-01-01", "2024-06-30")),
    ("selama Januari sampai dengan April 2023.", ("2023-01-01", "2023-04-30")),
    ("yakni Januari-Mei 2017 nilainya", ("2017-01-01", "2017-05-31")),
    ("semester I 2018", ("2018-01-01", "2018-06-30")),
    ("sepanjang semester I tahun 2021.", ("2021-01-01", "2021-06-30")),
    ("semester kedua 2019", ("2019-07-01", "2019-12-31")),
    ("triwulan I 2020", ("2020-01-01", "2020-03-31")),
    ("kuartal III 2022", ("2022-07-01", "2022-09-30")),
    ("pada kuartal III hingga Oktober 2014 telah", ("2014-07-01", "2014-10-31")),
    ("tahun 2016", ("2016-01-01", "2016-12-31")),
    ("sepanjang 2023", ("2023-01-01", "2023-12-31")),
    ("hingga Mei 2017", ("2017-01-01", "2017-05-31")),
    ("sampai dengan September 2018", ("2018-01-01", "2018-09-30")),
    ("Untuk klaim selama tanggal 1-15 Januari 2018, klaim", ("2018-01-01", "2018-01-15")),
    ("periode 1 Januari hingga 31 Desember 2023 senilai", ("2023-01-01", "2023-12-31")),
    ("sejak awal tahun 2018 hingga September 2018 mencapai", ("2018-01-01", "2018-09-30")),
    ("sejak Januari 2024 hingga saat ini", ("2024-01-01", None)),
    ("pada Juli 2020 yakni", ("2020-07-01", "2020-07-31")),
    ("Sedangkan tahun sebelumnya (2013), lanjut", ("2013-01-01", "2013-12-31")),
    ("pada Semester I-2023", ("2023-01-01", "2023-06-30")),
    ("Triwulan II/2022", ("2022-04-01", "2022-06-30")),
    ("TW I 2024", ("2024-01-01", "2024-03-31")),
    ("hingga Q3 2023", ("2023-07-01", "2023-09-30")),
    ("paruh pertama 2023", ("2023-01-01", "2023-06-30")),
    ("Dari 2011 hingga 2015, jumlah santunan", ("2011-01-01", "2015-12-31")),
    ("selama periode 2019-2023 naik", ("2019-01-01", "2023-12-31")),
    ("Rp44,5 miliar. 2012 menurun jadi Rp44 miliar.", ("2012-01-01", "2012-12-31")),
    ("dalam enam bulan pertama tahun 2022", ("2022-01-01", "2022-06-30")),
    ("selama 9 bulan pertama 2021", ("2021-01-01", "2021-09-30")),
    ("pada semester 1-2022", ("2022-01-01", "2022-06-30")),
    ("triwulan 3 2020", ("2020-07-01", "2020-09-30")),
    ("Jan-Jun 2023", ("2023-01-01", "2023-06-30")),
    ("Januari–Maret 2024", ("2024-01-01", "2024-03-31")),
    ("per 30 Juni 2023", ("2023-01-01", "2023-06-30")),
]


@pytest.mark.parametrize("text,dates", EXAMPLES, ids=[t for t, _ in EXAMPLES])
def test_examples(text, dates):
    found = [p for p in find_periods(text) if p.kind not in ("this_year", "last_year")]
    assert found, text
    assert found[0].dates() == dates


def test_regulation_year_is_not_a_period():
    assert find_periods("Instruksi Presiden Nomor 2 Tahun 2021 tentang Optimalisasi") == []


def test_period_without_year_waits_for_context():
    (p,) = find_periods("dari Januari hingga September sebanyak 22.537 orang")
    assert p.needs_year and p.dates() == (None, None)
    assert p.resolve(2020).dates() == ("2020-01-01", "2020-09-30")


def test_dateline_year():
    assert text_year("kata dia di Kudus, Senin (29/1/2018).") == 2018
    assert text_year("tanpa tanggal") is None


@given(st.integers(min_value=1990, max_value=2035), st.integers(min_value=1, max_value=12),
       st.integers(min_value=1, max_value=12), st.sampled_from(["sampai", "hingga", "sampai dengan", "-"]))
def test_month_ranges(year, a, b, joiner):
    a, b = min(a, b), max(a, b)
    sep = joiner if joiner == "-" else f" {joiner} "
    (p,) = find_periods(f"klaim {MONTHS[a - 1]}{sep}{MONTHS[b - 1]} {year} mencapai")
    last = calendar.monthrange(year, b)[1]
    assert p.dates() == (f"{year}-{a:02d}-01", f"{year}-{b:02d}-{last:02d}")


@given(st.integers(min_value=1990, max_value=2035), st.sampled_from([("triwulan", 4), ("kuartal", 4), ("semester", 2)]),
       st.integers(min_value=1, max_value=4))
def test_parts_of_a_year(year, part, idx):
    word, n = part
    idx = min(idx, n)
    roman = ["I", "II", "III", "IV"][idx - 1]
    (p,) = find_periods(f"pada {word} {roman} {year}")
    span = 12 // n
    m1, m2 = (idx - 1) * span + 1, idx * span
    assert p.dates() == (f"{year}-{m1:02d}-01", f"{year}-{m2:02d}-{calendar.monthrange(year, m2)[1]:02d}")


@given(st.integers(min_value=1990, max_value=2035), st.integers(min_value=1, max_value=12))
def test_year_to_date(year, month):
    (p,) = find_periods(f"hingga {MONTHS[month - 1]} {year}")
    assert p.dates() == (f"{year}-01-01", f"{year}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}")


@pytest.mark.parametrize("text,dates", [
    ("Januasri -,November 2015 Jaminan", ("2015-01-01", "2015-11-30")),
    ("Periode Januar-Februari 2015", ("2015-01-01", "2015-02-28")),
    ("hingga Desmber 2020", ("2020-01-01", "2020-12-31")),
], ids=["inserted-letter", "dropped-letter", "ytd-misspelt"])
def test_misspelt_long_month_names(text, dates):
    (p,) = find_periods(text)
    assert p.dates() == dates


def test_short_month_names_are_not_guessed():
    assert find_periods("Juna 2020 dan Juko 2021") == []


def test_periods_in_any_case_keep_their_offsets():
    """Periods are searched in the lower-cased text; capitals and characters that lower to two keep offsets."""
    text = "İzmir: KLAIM JANUARI SAMPAI JUNI 2024 dan Q3-2023"
    found = find_periods(text)
    assert [(p.text, p.dates()) for p in found] == [
        ("JANUARI SAMPAI JUNI 2024", ("2024-01-01", "2024-06-30")), ("Q3-2023", ("2023-07-01", "2023-09-30"))]
    assert all(text[p.start:p.end] == p.text for p in found)


# The period search looks only where some kind can start, behind a test of each kind's first characters
# (periods.kind_matches): it must find exactly what searching the text once per kind finds.
FRAGMENTS = MONTHS + ["1", "15", "31", "2018", "2024", "(2013)", "-", "hingga", "sampai", "dengan", "s/d", "s.d.",
                      "sejak", "dari", "awal", "tahun", "ini", "lalu", "bulan", "tanggal", "semester", "triwulan",
                      "kuartal", "I", "II", "ke-3", "q2", "periode", "yang", "sama", "pada", "per", "di", "akhir",
                      "saat", "kini", "sepanjang", "selama", "Januasri", "Desmber", "klaim", "Rp5", ",", ".", "(",
                      ")", "\n", "nomor"]


@given(st.lists(st.sampled_from(FRAGMENTS), max_size=14), st.lists(st.sampled_from(["", " ", "  ", "\n", "-"]),
                                                               min_size=14, max_size=14))
def test_period_search_finds_what_one_search_per_kind_finds(words, gaps):
    import re

    from extractor.extract.periods import _lower_same_length, _month_typos, _patterns, kind_matches

    lowered = _lower_same_length("".join(w + g for w, g in zip(words, gaps)))
    typos = frozenset(_month_typos(lowered))
    found = {}
    for kind, m in kind_matches(lowered, typos):
        found.setdefault(kind, []).append(m.span())
    for kind, _, _, rx in _patterns(typos):
        expected = [m.span() for m in re.compile(rf"(?<!\w){rx}").finditer(lowered)]
        assert found.get(kind, []) == expected, kind


def test_first_characters_of_a_pattern():
    from extractor.extract.periods import _first_chars

    assert _first_chars(r"(?:bulan\s+)?(mei|juni)\s+\d") == "bmj"
    assert _first_chars(r"q([1-4])") == "q"
    assert _first_chars(r"(\d{1,2})\s+x") == r"\d"
    assert _first_chars(r"\({2}|tahun") == r"\(t"
    assert _first_chars(r"(?:a)?") is None  # can match nothing: no character to test
    assert _first_chars(r".x") is None  # any character


@given(st.text(alphabet="jaJAnuarisDeSmbrFfebOkto _-.,0129()\né", max_size=40),
       st.sampled_from(["", "Januasri", "Desmber", "Septmber", "Agusuts", "Novmber", "Febuari"]))
def test_month_typos_are_whole_words_one_letter_off(noise, typo):
    import re

    from extractor.extract.lexicon import lexicon
    from extractor.extract.periods import LONG_MONTHS, _lower_same_length, _month_typos, _typo_month

    text = f"{noise}{typo}{noise[::-1]}"
    starts = sorted({name[:2] for name in lexicon().months if len(name) >= LONG_MONTHS})
    words = re.findall(rf"\b(?:{'|'.join(starts)})[A-Za-z]{{4,8}}\b", text, re.I)
    expected = {w.lower(): _typo_month(w.lower()) for w in words if _typo_month(w.lower())}
    assert _month_typos(_lower_same_length(text)) == expected


def test_a_full_date_is_when_something_was_said_not_a_period():
    assert find_periods("telah disalurkan kepada 369 peserta, ujarnya, Rabu 6 Desember 2023.") == []
    # a day in a range or after "hingga" still makes a period
    assert [p.dates() for p in find_periods("sejak Januari hingga 13 Desember 2018 telah")] == [("2018-01-01", "2018-12-13")]
