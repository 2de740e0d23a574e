"""Which period a sentence states, and which year an article is about.

A sentence may state several periods ("semester I tahun ini, naik dibanding semester I 2022"); the most
specific is the sentence's own, its missing year taken from the running period or the article's year.
The article's year: its published date, else a dateline "(29/1/2018)", else the latest year it names.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .periods import Period

DATELINE = re.compile(r"\(\s*(?:\d{1,2})\s*/\s*(\d{1,2})\s*/\s*((?:19|20)?\d{2})\s*\)")


# a publishing stamp: a date with the time and zone it went out ("Rabu, 07 Mar 2018 08:21 WIB",
# "07/03/2018, 08:21 WIB"); a date with a clock time is when the page was written, not a period it reports
STAMP = re.compile(r"\b(?:\d{1,2}\s+[A-Za-z]{3,9}\.?|\d{1,2}\s*[/-]\s*\d{1,2}\s*[/-])\s*((?:19|20)\d{2})\s*,?\s*"
                   r"(?:pukul\s+)?\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?:WIB|WITA|WIT)\b")


def text_year(text: str) -> int | None:
    """The year of a dateline such as "Senin (29/1/2018)" or a publishing stamp, if the text has one."""
    m = DATELINE.search(text)
    if m:
        y = int(m.group(2))
        return y + 2000 if y < 100 else y
    stamp = STAMP.search(text)
    return int(stamp.group(1)) if stamp else None


def doc_year(published: str | None, text: str, periods) -> int | None:
    if published and re.match(r"\d{4}", published):
        return int(published[:4])
    y = text_year(text)
    if y:
        return y
    # news reports the present against past years: the latest year it names is the one it was written in
    return max((p.y2 or p.y1 for p, _span in periods if p.y2 or p.y1), default=None)


def sentence_period(mentions: list[Period], running: Period | None, doc_year: int | None) -> Period | None:
    if not mentions:
        return None
    kinds = {p.kind for p in mentions}
    explicit = [p for p in mentions if p.kind not in ("same", "this_year", "last_year")]
    context_year = (running.y2 or running.y1) if running is not None and (running.y2 or running.y1) else doc_year
    year_hint = next((p.y2 or p.y1 for p in explicit if p.y2 or p.y1), None)
    same = next((p for p in mentions if p.kind == "same"), None)
    if year_hint is None:
        if same is not None and same.y1:
            year_hint = same.y1
        elif "last_year" in kinds and (base := doc_year or context_year):
            # the year before the article's, not before the running period's: else each "tahun lalu" in
            # turn would step one more year back
            year_hint = base - 1
        elif "this_year" in kinds:
            year_hint = doc_year
    if same is not None and explicit and all(p.kind == "year" for p in explicit):
        same = replace(same, y1=same.y1 or year_hint)  # "tahun sebelumnya yakni 2020 pada periode yang sama"
        explicit = []
    if explicit:
        # the most specific statement wins: a range with months over a bare year
        main = max(explicit, key=lambda p: (p.kind != "year", p.m1 is not None and p.m2 is not None))
        main = main.resolve(year_hint or context_year)
        return main if main.dates()[0] else None
    if same is not None:
        if running is None:
            return None
        y = same.y1 or ((running.y1 - 1) if "last_year" in kinds and running.y1 else running.y1)
        shift = (y - running.y1) if (y and running.y1) else 0
        return Period(same.start, same.end, same.text, "same", m1=running.m1, m2=running.m2, d1=running.d1,
                      d2=running.d2, y1=(running.y1 or 0) + shift or None, y2=(running.y2 or 0) + shift or None,
                      open_end=running.open_end)
    if year_hint:  # only "tahun ini" / "tahun lalu": a period of its own when stated as one ("sepanjang tahun lalu")
        kind = "year" if any(p.anchored for p in mentions) else "relative"
        if kind == "relative" and kinds == {"this_year"} and running is not None and running.m1 \
                and running.y1 == running.y2 == year_hint:
            # "klaim tahun ini terdiri dari ..." in a story of semester I: this year's figures so far, the
            # story's own period
            return replace(running, start=mentions[0].start, end=mentions[0].end, text=mentions[0].text,
                           kind="same")
        return Period(mentions[0].start, mentions[0].end, mentions[0].text, kind, m1=1, m2=12,
                      y1=year_hint, y2=year_hint)
    return None


def year_before(p: Period) -> Period:
    """The same months a year earlier: what a comparison with no period of its own compares with."""
    return replace(p, kind="same", y1=p.y1 - 1 if p.y1 else None, y2=p.y2 - 1 if p.y2 else None)

