"""Sentences of an article: where they start and end, hard-wrapped lines joined, quotes followed, and the
boilerplate sentences (bylines, captions) skipped."""
from __future__ import annotations

import re

from .lexicon import lexicon
from .mentions import Rules
from .tokenizer import Doc

HEADLINE_MAX = 160


def sentences_of(doc: Doc) -> list[tuple[int, int, bool]]:
    """Token ranges of sentences, and whether each is a headline line (short, no final stop).

    A line break ends a sentence unless the text is hard-wrapped: the line ends with a comma or the next
    line goes on in lower case or with a bracket.
    """
    texts = doc.words
    scale_abbr = {w for w in lexicon().scale if w.endswith(".")}
    n = len(texts)
    bounds = []
    start = 0
    first_body = None
    for i, text in enumerate(texts):
        end_here = False
        if "\n" in text:  # only a whitespace token holds a line break
            prev = texts[i - 1] if i > 0 else None
            nxt = texts[i + 1] if i + 1 < n else None
            blank_line = text.count("\n") > 1
            wrapped = (prev is not None and nxt is not None and not blank_line
                       and prev not in (".", "!", "?", "”", "\"", ":")
                       and (prev == "," or nxt[:1].islower() or nxt[:1] in "(-"))
            end_here = not wrapped
        elif text[-1] == "." and (text == "." or text.lower() in scale_abbr) or text in ("!", "?"):
            if i + 1 == n:
                continue
            nxt = texts[i + 1]
            spaced = doc.text[doc.end_char(i):doc.end_char(i) + 1] == " "
            end_here = "\n" in nxt or (spaced and (nxt[:1].isupper() or nxt[:1] in "\"“”'(" or nxt[:1].isdigit()))
            if end_here and first_body is None:
                first_body = start  # headlines sit above the first sentence that ends with a stop
        if end_here:
            if i + 1 > start:
                bounds.append((start, i + 1))
            start = i + 1
    if start < n:
        bounds.append((start, n))
    first_body = n if first_body is None else first_body
    result = []
    for s, e in bounds:
        while s < e and texts[s].isspace():
            s += 1
        while e > s and texts[e - 1].isspace():
            e -= 1
        if e <= s:
            continue
        length = doc.end_char(e - 1) - doc.starts[s]
        headline = s < first_body and length <= HEADLINE_MAX and texts[e - 1] not in (".", "!", "?", ",", ":", "”", "\"")
        result.append((s, e, headline))
    return result


# a line break after a character that does not end a sentence, before more text; the look-behind comes after
# the "\n" so that the search skips from line break to line break instead of trying every character
WRAP = re.compile(r"\n(?<=[^\s.!?:\"”]\n)(?=[ \t]*[^\s])")


GLUED_SENTENCE = re.compile(r"(?<=[a-z]{2})\.(?=[A-Z][a-z])")
# "menyalurkan.dana santunan.sebesar": a dot typed for a space between two words (not a web address's)
GLUED_WORDS = re.compile(r"(?<=[a-z]{3})(?<!www)\.(?=[a-z]{3,}\b)(?!(?:com|net|org|info|news|html?|php|co|go|ac|or)\b)")


def unglue(text: str) -> str:
    """Sentences and words run together by a dot, parted again keeping every offset the same (a space cannot be
    inserted; the tokenizer reads "lalu.Dari" or "santunan.sebesar" as a web address, one token).
    "sama tahun lalu.Dari data ...": the full stop becomes a line break; "dana santunan.sebesar": a space."""
    if "." not in text:
        return text
    return GLUED_WORDS.sub(" ", GLUED_SENTENCE.sub("\n", text))


def unwrap(text: str, boilerplate: tuple[str, ...] = ()) -> str:
    """Join hard-wrapped lines ("mencapai Rp1,2\ntriliun") with a space, keeping every offset the same.

    A single line break is a wrap when the line before does not end a sentence and either the next line
    goes on in lower case, with a digit or a bracket, or the line before ends in a lower-case word or a comma
    and is not a headline (mostly capitalised words). A boilerplate line ("Baca juga: ...") is never joined
    to the next: it would take the next line's sentence with it when it is dropped.
    """
    def joined(m: re.Match) -> str:
        start = text.rfind("\n", 0, m.start()) + 1
        before = text[start:m.start()]
        after = text[m.end():m.end() + 40].lstrip()
        if text[m.start() - 1:m.start()] == "\n" or after.startswith("\n"):
            return "\n"
        if before.lstrip(" \t\"“*-").lower().startswith(boilerplate):
            return "\n"
        words = before.split()
        headline = words and sum(w[:1].isupper() or not w[:1].isalpha() for w in words) >= 0.6 * len(words)
        if after[:1].islower() or after[:1].isdigit() or after[:1] in "(-":
            return " "
        if not headline and (before.rstrip()[-1:].islower() or before.rstrip().endswith(",")):
            return " "
        return "\n"

    return WRAP.sub(joined, text) if "\n" in text else text


QUOTES = re.compile(r'[“”"]')

# The lead of a news story opens with a dateline: "PEKANBARU -", "Cikarang, Bekasi (ANTARA) -",
# "Bisnis.com, DENPASAR -", "MEDAN, SUMUTPOS.CO –". What came before it is a headline, a kicker or a caption.
DATELINE = re.compile(r"^([^\W\d][\w.,'’ ]{1,40}?)\s*(\([\w .]{2,30}\))?\s*[-–—]{1,2}\s+\S")


def opens_with_dateline(sentence: str) -> bool:
    """A place in capitals, an outlet's name or an agency in brackets, then a dash: at most four words."""
    m = DATELINE.match(sentence[:90])
    if m is None or len(m.group(1).split()) > 4:
        return False
    place = m.group(1)
    return bool(m.group(2)) or place.split()[0].rstrip(",").isupper() or ".co" in place.lower()


def quote_open_after(sentence: str, open_before: bool) -> bool:
    """Whether a quotation is still open after this sentence (speech spans sentences)."""
    if '"' not in sentence and "“" not in sentence and "”" not in sentence:
        return open_before  # most sentences quote no one: three substring tests instead of a search
    state = open_before
    for mark in QUOTES.findall(sentence):
        state = True if mark == "“" else False if mark == "”" else not state
    return state


def is_boilerplate_sentence(r: Rules, sentence: str) -> bool:
    head = sentence.lstrip(" \t\"“*-").lower()
    return any(head.startswith(p) for p in r.boilerplate)
