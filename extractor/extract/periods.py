"""Periods as Indonesian news states them -> ISO date ranges.

"Januari sampai Juni 2024" -> 2024-01-01..2024-06-30, "semester I 2018" -> 2018-01-01..2018-06-30,
"triwulan I 2020" -> 2020-01-01..2020-03-31, "tahun 2016" -> the whole year, "hingga Mei 2017" ->
2017-01-01..2017-05-31 (year to date). A period without a year is kept open and resolved against the year
the text is about (resolve()).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Iterator

from .lexicon import lexicon

YEAR = r"((?:19|20)\d{2})"


@dataclass(frozen=True)
class Period:
    start: int  # char offsets in the text searched
    end: int
    text: str
    kind: str  # range | ytd | month | year | part | since | same | that | this_year | last_year
    m1: int | None = None
    m2: int | None = None
    d1: int | None = None
    d2: int | None = None
    y1: int | None = None
    y2: int | None = None
    open_end: bool = False  # "hingga saat ini": the end is not stated
    anchored: bool = False  # "sepanjang tahun lalu": a relative year stated as the period, not compared with

    @property
    def needs_year(self) -> bool:
        return self.y2 is None and self.y1 is None and self.kind not in ("same", "that", "this_year", "last_year")

    def resolve(self, year: int | None) -> "Period":
        """Fill a missing year from context."""
        if year is None or not (self.y1 is None or self.y2 is None):
            return self
        y2 = self.y2 or self.y1 or year
        y1 = self.y1 or y2
        return Period(self.start, self.end, self.text, self.kind, m1=self.m1, m2=self.m2, d1=self.d1, d2=self.d2,
                      y1=y1, y2=y2, open_end=self.open_end, anchored=self.anchored)  # dataclasses.replace, faster

    def dates(self) -> tuple[str | None, str | None]:
        """ISO start and end dates, or (None, None) while the year is unknown."""
        return _iso_dates(self.kind, self.m1, self.m2, self.d1, self.d2, self.y1, self.y2, self.open_end)


@lru_cache(maxsize=4096)  # asked for again and again (every comparison of two periods); a text has a few
def _iso_dates(kind: str, m1: int | None, m2: int | None, d1: int | None, d2: int | None, y1: int | None,
               y2: int | None, open_end: bool) -> tuple[str | None, str | None]:
    y1, y2 = y1 or y2, y2 or y1
    if y1 is None or y2 is None:
        return None, None
    m1 = m1 or 1
    m2 = m2 or (m1 if kind == "month" else 12)
    d1 = d1 or 1
    d2 = d2 or calendar.monthrange(y2, m2)[1]
    try:
        start = date(y1, m1, d1).isoformat()
        end = None if open_end else date(y2, m2, d2).isoformat()
    except ValueError:
        return None, None
    return start, end


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted({str(w).lower() for w in words}, key=len, reverse=True))


@lru_cache(maxsize=8)
def _patterns(typos: frozenset = frozenset()) -> list[tuple[str, tuple[str, ...] | None, str, str]]:
    """(kind, words one of which a text must hold for the kind to be tried, the opening it shares, pattern)."""
    lex = lexicon()
    per = lex.section("periods")
    M = f"({_alternation(set(lex.months) | set(typos))})\\.?"
    J = f"(?:{_alternation(per['range_joiners'])})"
    R = f"({_alternation(per['roman'])})"
    P = f"({_alternation(per['year_parts'])})"
    T = r"(?:tahun\s+)?"
    D = r"(\d{1,2})"
    parts_words = tuple(str(w).lower() for w in per["year_parts"])
    # a kind runs only on texts holding one of its words (None: always); most texts lack most of them
    needs = {"since": ("sejak", "dari"), "part": parts_words, "quarter": ("q",), "first_months": ("pertama",),
             "since_year": ("saat ini", "sekarang", "kini"), "same": ("sama",), "that": ("tersebut", "itu"),
             "this_year": tuple(str(w).lower() for w in per["this_year"]),
             "last_year": tuple(str(w).lower() for w in per["last_year"])}
    # openings that several kinds share: where any kind may start, they are tried once for all of them
    BULAN_M = f"(?:bulan\\s+)?{M}"
    STATED = "(?:(sepanjang|selama|pada|di|sejak)\\s+)?"
    specs = [
        # 1 Januari hingga 31 Desember 2023
        ("fullrange", f"{D}\\s+{M}\\s*{YEAR}?\\s*{J}\\s*{D}\\s+{M}\\s*{T}{YEAR}?"),
        # tanggal 1-15 Januari 2018
        ("dayrange", f"(?:tanggal\\s+)?{D}\\s*{J}\\s*{D}\\s+{M}(?:\\s+{T}{YEAR})?"),
        # sejak (awal tahun) 2018 hingga September 2018 / sejak Januari 2024 hingga saat ini
        ("since", f"(?:sejak|dari)\\s+(?:periode\\s+)?(?:awal\\s+)?(?:tahun\\s+)?(?:(?:bulan\\s+)?{M}\\s+)?{T}{YEAR}\\s*{J}\\s*"
                  f"(?:(?:bulan\\s+)?{M}(?:\\s+{T}{YEAR})?|saat ini|sekarang|kini)"),
        # kuartal III hingga Oktober 2014 / semester I tahun 2021
        ("part", f"{P}\\s+(?:ke-?\\s*)?{R}\\b(?:\\s*[-/]?\\s*{T}{YEAR})?(?:\\s*{J}\\s*(?:bulan\\s+)?{M}(?:\\s+{T}{YEAR})?)?"),
        # enam bulan pertama (tahun 2022 / tahun ini): months 1..N
        ("first_months", f"(\\d{{1,2}}|{_alternation(lex.section('numbers', 'words'))})\\s+bulan\\s+pertama"
                         f"(?:\\s+(?:di\\s+|pada\\s+)?{T}{YEAR})?"),
        # Q1 2024 / Q3-2023
        ("quarter", f"q([1-4])\\s*[-/]?\\s*{YEAR}"),
        # Januari sampai (dengan) Juni 2024 / Januari-Mei 2017
        ("range", f"{BULAN_M}\\s*{J}[,.]?\\s*(?:bulan\\s+)?{M}(?:\\s*,?\\s*{T}{YEAR})?"),
        # hingga Mei 2017 / sampai dengan September 2018 / per 31 Mei / di September 2022
        ("ytd", f"(?:hingga|sampai\\s+dengan|sampai|s/d|s\\.d\\.?|per|di)\\s+(?:akhir\\s+)?(?:bulan\\s+)?(?:{D}\\s+)?{M}(?:\\s+{T}{YEAR})?"),
        # Juli 2020
        ("month", f"{BULAN_M}\\s+{T}{YEAR}"),
        # pada bulan Juli / di bulan Juni: a month of the year the story is in
        ("bare_month", f"(?:pada|di|selama)\\s+bulan\\s+{M}(?!\\s*{J})(?!\\s+{T}{YEAR})"),
        # awal tahun 2016 hingga saat ini
        ("since_year", f"(?:awal\\s+)?tahun\\s+{YEAR}\\s*{J}\\s*(?:saat ini|sekarang|kini)"),
        # (dalam) lima tahun tersebut / periode itu / tahun tersebut: the period just named
        ("that", f"(?:(?:\\d{{1,2}}|{_alternation(lex.section('numbers', 'words'))})\\s+)?(?:tahun|periode|bulan)"
                 f"\\s+(?:tersebut|itu)"),
        # periode yang sama (tahun 2023)
        ("same", f"periode\\s+(?:bulan\\s+)?(?:yang\\s+)?sama(?:\\s+(?:pada\\s+)?{T}{YEAR})?"),
        # dari 2011 hingga 2015 / periode 2019-2023 / tahun 2020 sampai 2022
        ("year_range", f"(?:(?:dari|sejak|periode|tahun|antara)\\s+)?{YEAR}\\s*{J}\\s*{T}{YEAR}"),
        # tahun 2016 / sepanjang 2023 / selama 2020 / (2013)
        ("year", f"(?:(?:tahun|sepanjang|selama|pada|periode|sejak|di)\\s+{T}{YEAR}|\\({YEAR}\\)"
                 f"|(?<=[\\n.] ){YEAR}(?=\\s+[a-z])|(?<=\\n){YEAR}(?=\\s+[a-z]))"),  # "2012 menurun jadi Rp44 M"
        # "sepanjang tahun lalu" states the period; a bare "tahun lalu" is usually a comparison
        ("this_year", f"{STATED}(?:{_alternation(per['this_year'])})"),
        ("last_year", f"{STATED}(?:{_alternation(per['last_year'])})"),
    ]
    # run on the lower-cased text, so written in lower case and without re.I: a third faster
    return [(kind, needs.get(kind), next((lead for lead in (BULAN_M, STATED) if rx.startswith(lead)), ""),
             rf"{rx}(?!\w)") for kind, rx in specs]


@lru_cache(maxsize=64)
def _compiled(typos: frozenset,
              kinds: tuple[str, ...]) -> tuple[re.Pattern, re.Pattern, list[tuple[str, re.Pattern]]]:
    """For the period kinds a text may hold: where any of them starts, and each kind's own pattern.

    Searching the text once for every place where some kind matches, then trying each kind only there, finds
    exactly what searching the text once per kind finds (a kind can only match where some kind matches),
    at a fraction of the cost: a text has a handful of such places and each search walks every character.

    A period starts a word: the search looks for the character before it (not a word character; the text's
    start is tried apart), which the search engine finds by a quick scan. There each kind is tried only
    where the next character can start it: "[ab](?<=(?=kind).)" takes that character (an alternative that
    opens with a class is skipped at once where the character is not in it), then looks back one character
    and ahead for the whole kind.
    """
    wanted = [(kind, lead, rx) for kind, _, lead, rx in _patterns(typos) if kind in kinds]
    starts: dict[str, list[str]] = {}  # kinds that open the same way: the opening once, then the rest of each
    for _, lead, rx in wanted:
        starts.setdefault(lead or rx, []).append(rx[len(lead):] if lead else "")
    together = [lead + ("(?:" + "|".join(rests) + ")" if any(rests) else "") for lead, rests in starts.items()]
    firsts = [_first_chars(rx) for rx in together]
    any_kind = "|".join(f"[{first}](?<=(?={rx}).)" if first else f"(?:{rx})"
                        for first, rx in zip(firsts, together))
    at_start = re.compile(f"(?={any_kind})")
    after_break = re.compile(rf"\W(?={any_kind})")
    return at_start, after_break, [(kind, re.compile(rf"(?<!\w){rx}")) for kind, _, rx in wanted]


def _first_chars(pattern: str) -> str | None:
    """The characters a match of the pattern can start with, as the inside of a [...] class; None when that
    cannot be told (a match may start with anything, or may be empty)."""
    try:
        # re's own parser: private, so anything unexpected means "unknown" (and only costs speed)
        from re import _constants, _parser  # type: ignore[attr-defined]

        chars, can_be_empty = _leading(list(_parser.parse(pattern)), _constants)
    except Exception:
        return None
    return None if chars is None or can_be_empty else "".join(dict.fromkeys(chars))


def _leading(items: list, c) -> tuple[list[str] | None, bool]:
    """What parsed pattern items can start with (pieces of a [...] class), and whether they can match nothing."""
    chars: list[str] = []
    for op, av in items:
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):  # zero-width: what comes next starts the match
            continue
        if op is c.LITERAL:
            return chars + [re.escape(chr(av))], False
        if op is c.IN:
            for inner, arg in av:
                if inner is c.LITERAL:
                    chars.append(re.escape(chr(arg)))
                elif inner is c.RANGE:
                    chars.append(f"{re.escape(chr(arg[0]))}-{re.escape(chr(arg[1]))}")
                elif inner is c.CATEGORY and arg is c.CATEGORY_DIGIT:
                    chars.append(r"\d")
                else:
                    return None, False
            return chars, False
        sub: list[str] | None
        if op is c.SUBPATTERN and not av[1] and not av[2]:  # a group without inline flags
            sub, empty = _leading(list(av[3]), c)
        elif op is c.BRANCH:
            sub, empty = [], False
            for alternative in av[1]:
                alt, alt_empty = _leading(list(alternative), c)
                if alt is None:
                    return None, False
                sub, empty = sub + alt, empty or alt_empty
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
            sub, empty = _leading(list(av[2]), c)
            empty = empty or av[0] == 0
        else:
            return None, False
        if sub is None:
            return None, False
        chars += sub
        if not empty:
            return chars, False
    return chars, True


LONG_MONTHS = 7  # only long names: "Juni" and "Juli" are one letter apart, "Januasri" is plainly "Januari"


def _one_edit(a: str, b: str) -> bool:
    """Whether two words differ by one inserted, deleted, replaced or swapped letter."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def _month_typos(lowered: str) -> dict[str, int]:
    """Misspelt month names in this (lower-cased) text ("januasri", "desmber") and the month each means."""
    found = {}
    for search in _typo_candidates():
        for word in search.findall(lowered):
            month = _typo_month(word)
            if month:
                found[word] = month
    return found


@lru_cache(maxsize=1)
def _typo_candidates() -> list[re.Pattern]:
    """Whole words that could be a misspelt long month name: typos keep the first two letters.

    One search per first two letters: a search that starts with a literal skips ahead to it, where one with
    a choice of starts tries every character. The look-behind, after the two letters, checks that they
    start a word.
    """
    starts = sorted({name[:2] for name in lexicon().months if len(name) >= LONG_MONTHS})
    return [re.compile(rf"{re.escape(start)}(?<!\w..)[a-z]{{4,8}}(?!\w)") for start in starts]


@lru_cache(maxsize=4096)  # the same words come back in every article
def _typo_month(word: str) -> int | None:
    """The month a word misspells (one letter off a long month name), if exactly one."""
    months = lexicon().months
    if word in months:
        return None
    hits = {n for name, n in months.items() if len(name) >= LONG_MONTHS and _one_edit(word, name)}
    return hits.pop() if len(hits) == 1 else None


def _lower_same_length(text: str) -> str:
    """The text in lower case, each character for itself (a few, such as "İ", lower to two characters)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)


DAY_BEFORE = re.compile(r"(?<!\d)\d{1,2}\s+$")  # a day number right before a month: a full date
REGULATION = re.compile(r"(?:nomor|no\.?|nomer)\s*:?\s*[\w/.-]+\s*$", re.I)


@lru_cache(maxsize=1)
def _ordinals() -> tuple[dict[str, int], dict[str, int]]:
    """Roman and word ordinals ("iii", "ketiga" -> 3), and year parts with their count ("semester" -> 2)."""
    lex = lexicon()
    return ({str(k).lower(): v for k, v in lex.section("periods", "roman").items()},
            {str(k).lower(): v for k, v in lex.section("periods", "year_parts").items()})


def kind_matches(lowered: str, typos: frozenset = frozenset()) -> Iterator[tuple[str, re.Match]]:
    """Each period kind's matches in the lower-cased text, kind by kind: what rx.finditer gives per kind."""
    kinds = tuple(kind for kind, needs, _, _ in _patterns(typos)
                  if not needs or any(word in lowered for word in needs))
    at_start, after_break, patterns = _compiled(typos, kinds)
    candidates = [0] if at_start.match(lowered) else []
    candidates += [m.start() + 1 for m in after_break.finditer(lowered)]
    for kind, rx in patterns:
        searched_to = 0  # as finditer does: the next match starts where the last one ended
        for at in candidates:
            m = rx.match(lowered, at) if at >= searched_to else None
            if m is not None:
                searched_to = m.end()
                yield kind, m


def find_periods(text: str) -> list[Period]:
    """Every period mention in text, left to right, without overlaps (earlier rules win)."""
    lex = lexicon()
    lowered = _lower_same_length(text)
    typos = _month_typos(lowered)
    months = {**lex.months, **typos}
    roman, parts = _ordinals()
    taken: list[tuple[int, int]] = []
    found: list[Period] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    def mon(s):
        return months.get(s.lower()) if s else None

    def yr(s):
        return int(s) if s else None

    for kind, m in kind_matches(lowered, frozenset(typos)):
        a, b = m.span()
        if not free(a, b):
            continue
        g = m.groups()
        p = None
        if kind == "fullrange":
            p = Period(a, b, text[a:b], "range", d1=int(g[0]), m1=mon(g[1]), y1=yr(g[2]),
                       d2=int(g[3]), m2=mon(g[4]), y2=yr(g[5]))
        elif kind == "dayrange":
            p = Period(a, b, text[a:b], "range", d1=int(g[0]), d2=int(g[1]), m1=mon(g[2]), m2=mon(g[2]),
                       y1=yr(g[3]), y2=yr(g[3]))
        elif kind == "since":
            open_end = g[3] is None
            p = Period(a, b, text[a:b], "since", m1=mon(g[0]) or 1, y1=yr(g[1]), m2=mon(g[2]),
                       y2=yr(g[3]) or (yr(g[1]) if g[2] else None), open_end=open_end)
        elif kind == "since_year":
            p = Period(a, b, text[a:b], "since", m1=1, y1=yr(g[0]), open_end=True)
        elif kind == "part":
            n_parts = parts[g[0].lower()]
            idx = roman.get(g[1].lower())
            if not idx or idx > n_parts:
                continue
            span = 12 // n_parts
            m1, m2 = (idx - 1) * span + 1, idx * span
            y = yr(g[2])
            if g[3]:  # "kuartal III hingga Oktober 2014"
                m2 = mon(g[3])
                y = y or yr(g[4])
            p = Period(a, b, text[a:b], "part", m1=m1, m2=m2, y1=y, y2=y)
        elif kind == "first_months":
            n = int(g[0]) if g[0].isdigit() else lex.section("numbers", "words").get(g[0])
            if not n or n > 12:
                continue
            p = Period(a, b, text[a:b], "part", m1=1, m2=n, y1=yr(g[1]), y2=yr(g[1]))
        elif kind == "quarter":
            idx = int(g[0])
            p = Period(a, b, text[a:b], "part", m1=3 * idx - 2, m2=3 * idx, y1=yr(g[1]), y2=yr(g[1]))
        elif kind == "range":
            m1, m2 = mon(g[0]), mon(g[1])
            if not m1 or not m2 or m2 < m1:
                continue
            p = Period(a, b, text[a:b], "range", m1=m1, m2=m2, y1=yr(g[2]), y2=yr(g[2]))
        elif kind == "ytd":
            d = int(g[0]) if g[0] else None
            p = Period(a, b, text[a:b], "ytd", m1=1, m2=mon(g[1]), d2=d, y1=yr(g[2]), y2=yr(g[2]))
        elif kind == "bare_month":
            p = Period(a, b, text[a:b], "month", m1=mon(g[0]), m2=mon(g[0]))
        elif kind == "month":
            if DAY_BEFORE.search(text, max(0, a - 4), a):
                continue  # "ujarnya, Rabu 6 Desember 2023": the date something was said, not a period
            p = Period(a, b, text[a:b], "month", m1=mon(g[0]), m2=mon(g[0]), y1=yr(g[1]), y2=yr(g[1]))
        elif kind == "year_range":
            y1, y2 = yr(g[0]), yr(g[1])
            if not (y1 and y2 and y1 < y2):
                continue
            p = Period(a, b, text[a:b], "range", m1=1, m2=12, y1=y1, y2=y2)
        elif kind == "same":
            p = Period(a, b, text[a:b], "same", y1=yr(g[0]), y2=yr(g[0]))
        elif kind == "that":
            p = Period(a, b, text[a:b], "that")
        elif kind == "year":
            y = yr(next((x for x in g if x), None))
            if REGULATION.search(text[max(0, a - 25):a]):
                continue  # "Nomor 2 Tahun 2021": a regulation, not a period
            p = Period(a, b, text[a:b], "year", m1=1, m2=12, y1=y, y2=y)
        elif kind in ("this_year", "last_year"):
            p = Period(a, b, text[a:b], kind, anchored=bool(g[0]))
        if p is not None:
            taken.append((a, b))
            found.append(p)
    found.sort(key=lambda p: p.start)
    return found


def compatible(a: Period | None, b: Period | None) -> bool:
    if a is None or b is None:
        return True
    (a1, a2), (b1, b2) = a.dates(), b.dates()
    if (a1, a2) == (b1, b2):
        return True
    if a1 == b1 and (a2 is None or b2 is None):
        return True
    # one contains the other ("Desember 2017" restating the 2017 figure)
    if a1 and b1 and a2 and b2:
        return (a1 <= b1 and b2 <= a2) or (b1 <= a1 and a2 <= b2)
    return False
