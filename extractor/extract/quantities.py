"""Figures in a document: money ("Rp41,07 miliar lebih") and counts ("1.501 kasus"), each with its value, the
precision it was written with, its qualifier and the unit counted."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .labels import UNITS, Label, unit_kind
from .lexicon import lexicon
from .mentions import Mention, Rules
from .numbers import BeyondCeiling, Number, parse_number, parse_words
from .tokenizer import Doc

COUNT_SCALES = {"", "ribu", "rb", "juta", "jt"}  # "jumlah kasus hampir 19 ribu"; never "miliar" cases


YEAR = re.compile(r"(?:19|20)\d\d")


BEFORE_FIGURE = {Label.QB, Label.MONEYCUE, Label.COUNTCUE, Label.COUNTHEAD}
ENGLISH_GROUPING = re.compile(r"\d{1,3}(?:,\d{3})+")


@dataclass(slots=True)
class Quantity:
    """A figure found in the text: money or a count, with its qualifier and where it is."""

    kind: str  # money | count | number | percent
    number: Number
    start: int  # token indices [start, end)
    end: int
    char_start: int
    char_end: int
    text: str
    pattern: str
    qualifier: str = "exact"
    qualifier_text: str = ""
    qualifier_start: int | None = None  # token where a qualifier before the figure starts
    unit: str | None = None
    unit_kind: str | None = None
    role: str | None = None  # set when the figure is not a claim

    def __init__(self, kind: str, number: Number, start: int, end: int, char_start: int, char_end: int,
                 text: str, pattern: str) -> None:  # written out for mypyc (see mentions.Mention)
        self.kind, self.number, self.start, self.end = kind, number, start, end
        self.char_start, self.char_end, self.text, self.pattern = char_start, char_end, text, pattern
        self.qualifier, self.qualifier_text, self.qualifier_start = "exact", "", None
        self.unit, self.unit_kind, self.role = None, None, None


def find_figures(r: Rules, doc: Doc, mentions: list[Mention]) -> list[Quantity]:
    raw = []
    for key, start, end in r.matcher(doc):
        label, _, pid = key.partition("|")
        raw.append((start, end, label, pid))
    # money wins over a number inside it; longer wins over shorter
    raw.sort(key=lambda x: (x[0], -(x[1] - x[0]), x[2] != Label.MONEY))
    # by start, none overlapping: an item overlaps a chosen one only if it starts before the last ends
    chosen: list[tuple[int, int, str, str]] = []
    for item in raw:
        if not chosen or item[0] >= chosen[-1][1]:
            chosen.append(item)
    # what is read around a figure: units and qualifiers after it, qualifiers and cue words before it
    by_start: dict[int, list[Mention]] = {}
    by_end: dict[int, list[Mention]] = {}
    for m in mentions:
        if m.label == Label.QA or m.label in UNITS:
            by_start.setdefault(m.start, []).append(m)
            by_end.setdefault(m.end, []).append(m)  # a unit may also come before its number
        elif m.label in BEFORE_FIGURE:
            by_end.setdefault(m.end, []).append(m)
    figs = []
    words, lowers, text = doc.words, doc.lowers, doc.text
    scales = lexicon().scale
    for start, end, label, pid in chosen:
        implausible = False
        try:
            number = _number_of(words[start:end], label)
        except BeyondCeiling as too_big:  # kept as a figure that says why it is not a claim
            number, implausible = too_big.number, True
        except ValueError:
            continue
        if number is None:
            continue
        kind = "money" if label == Label.MONEY else "number"
        char_start, char_end = doc.starts[start], doc.end_char(end - 1)
        span_text = text[char_start:char_end]
        fig = Quantity(kind=kind, number=number, start=start, end=end, char_start=char_start,
                  char_end=char_end, text=span_text, pattern=pid)
        if implausible:
            fig.role = "implausible"
        nxt = _next_word(words, end)
        if kind == "number":
            if _dated_year(lowers, start, span_text):
                continue  # "pada Juni 2020 total klaim ...", "pada 2022 klaim ...": a year, not a count
            if nxt is not None and lowers[nxt] in r.percent:
                fig.kind = "percent"
            else:
                units = [m for m in by_start.get(nxt, []) if m.label in UNITS] if nxt is not None else []
                after_q = [m for m in by_start.get(nxt, []) if m.label == Label.QA] if nxt is not None else []
                if not units and nxt is not None and any(m.label == Label.COUNTHEAD for m in by_end.get(nxt + 1, [])):
                    # "31.832 total klaim": a word of how many between the number and its noun
                    beyond = _next_word(words, nxt + 1)
                    units = [m for m in by_start.get(beyond, []) if m.label in UNITS] \
                        if beyond is not None else []
                if not units and after_q:  # "187 ribu lebih peserta": the qualifier sits before the noun
                    q = max(after_q, key=lambda m: m.end - m.start)
                    beyond = _next_word(words, q.end)
                    units = [m for m in by_start.get(beyond, []) if m.label in UNITS] \
                        if beyond is not None else []
                    if units:
                        fig.qualifier, fig.qualifier_text = q.value, doc[q.start:q.end].text
                if units:
                    u = max(units, key=lambda m: m.end - m.start)
                    fig.kind = "count"
                    written = doc[u.start:u.end].text
                    fig.unit = written if written.isupper() and len(written) > 1 else written.lower()  # ASN, PNS
                    fig.unit_kind = unit_kind(u.label)
                    fig.end = u.end
                    fig.char_end = doc.end_char(u.end - 1)
                    fig.text = text[char_start:fig.char_end]
                elif lowers[end - 1] in scales and _prev_has(start, by_end, Label.MONEYCUE) and number.value >= 10**6:
                    fig.kind = "money"
                elif YEAR.fullmatch(span_text) or not any(ch.isdigit() for ch in span_text):
                    continue  # a year, or number words with nothing counted
                elif (before := _unit_named_before(start, by_end)) is not None \
                        and (lowers[end - 1] if lowers[end - 1] in scales else "") in COUNT_SCALES:
                    # "dengan jumlah klaim 7.693", "total peserta 1.204": the noun counted precedes the number
                    fig.kind = "count"
                    written = doc[before.start:before.end].text
                    fig.unit, fig.unit_kind = written.lower(), unit_kind(before.label)
                elif _prev_has(start, by_end, Label.COUNTCUE, gap=3) and (lowers[end - 1] if lowers[end - 1] in scales else "") in COUNT_SCALES:
                    fig.kind = "count"
                    fig.unit = None
                    fig.unit_kind = "bare"
                    # "Total kasusnya mencapai 253.290": the word of cases before the number is its unit
                    if any(m.label == Label.UNIT_CLAIM for i in range(max(start - 3, 0), start)
                           for m in by_start.get(i, [])):
                        fig.unit, fig.unit_kind = "kasus", "claim"
                else:
                    fig.kind = "count"
                    fig.unit_kind = "none"
        if not fig.qualifier_text:
            _qualify(r, doc, fig, by_start, by_end)
        figs.append(fig)
    return figs


def _number_of(tokens: list[str], label: str) -> Number | None:
    lex = lexicon()
    words = [t for t in tokens if not t.isspace()]
    if words and words[0].lower() in lex.currency:
        words = words[1:]
    if words and words[-1].lower() == "rupiah":
        words = words[:-1]
    if words and words[0] == ".":
        words = words[1:]
    scale = words[-1] if words and words[-1].lower() in lex.scale else None
    if scale and len(words) > 1:
        words = words[:-1]
    elif scale:  # a scale word alone
        return None
    if label != Label.MONEY and scale and scale.lower() in lex.money_only_scale:
        return None
    if len(words) == 3 and words[1] == ",":  # "Rp 488, 6 Miliar"
        words = [f"{words[0]},{words[2]}"]
    if len(words) == 1 and label != Label.MONEY and not scale and ENGLISH_GROUPING.fullmatch(words[0].rstrip(".,")):
        # a count is whole: "27,703 kasus" groups thousands the English way, it is not 27.7 cases
        return parse_number(words[0].rstrip(".,").replace(",", "."), None)
    if len(words) == 1 and any(ch.isdigit() for ch in words[0]):
        return parse_number(words[0].rstrip(".,"), scale)
    if all(not any(ch.isdigit() for ch in w) for w in words):
        n = parse_words(words + ([scale] if scale else []))
        return n
    raise ValueError("unparsed")


def _dated_year(lowers: list[str], start: int, span_text: str) -> bool:
    """A year written after a month name or a word that opens a year ("tahun", "pada", "sejak" ...)."""
    if not YEAR.fullmatch(span_text):
        return False
    i = start - 1
    while i >= 0 and lowers[i].isspace():
        i -= 1
    lex = lexicon()
    return i >= 0 and (lowers[i] in lex.months or lowers[i] in lex.section("periods", "year_openers"))


def _next_word(words: list[str], i: int) -> int | None:
    while i < len(words) and words[i].isspace():
        i += 1
    return i if i < len(words) else None


def _unit_named_before(start: int, by_end: dict[int, list[Mention]]) -> Mention | None:
    """The unit noun right before a number when a word of how many opens them ("jumlah klaim 7.693")."""
    units = [m for m in by_end.get(start, []) if m.label in UNITS]
    if not units:
        return None
    unit = max(units, key=lambda m: m.end - m.start)
    return unit if any(m.label == Label.COUNTHEAD for m in by_end.get(unit.start, [])) else None


def _prev_has(start: int, by_end: dict[int, list[Mention]], label: str, gap: int = 1) -> bool:
    for i in range(start, max(start - gap - 1, -1), -1):
        if any(m.label == label for m in by_end.get(i, [])):
            return True
    return False


def _qualify(r: Rules, doc: Doc, fig: Quantity, by_start: dict[int, list[Mention]],
             by_end: dict[int, list[Mention]]) -> None:
    before = [m for m in by_end.get(fig.start, []) if m.label == Label.QB]
    if before:
        m = max(before, key=lambda m: m.end - m.start)
        phrase = doc[m.start:m.end].text.lower()
        if fig.kind == "money" or phrase not in r.money_only_q:
            fig.qualifier, fig.qualifier_text, fig.qualifier_start = m.value, doc[m.start:m.end].text, m.start
            return
    nxt = _next_word(doc.words, fig.end)
    if nxt is None:
        return
    after = [m for m in by_start.get(nxt, []) if m.label == Label.QA]
    if after:
        m = max(after, key=lambda m: m.end - m.start)
        follow = _next_word(doc.words, m.end)
        if follow is not None and doc.lowers[follow] in r.comparatives:
            return  # "Rp5 miliar lebih besar dari ...": a comparison
        fig.qualifier, fig.qualifier_text = m.value, doc[m.start:m.end].text


def drop_restatements(doc: Doc, figs: list[Quantity]) -> list[Quantity]:
    """ "Rp242,5 miliar lebih (Rp242.584.481.258)", "Rp0,5 triliun lebih atau tepatnya Rp535,9 miliar": the second
    figure states the same amount more precisely; one figure, the precise one, stands for both."""
    from ..validate.checks import figures_agree

    words = lexicon().restatement
    drop: set[int] = set()
    for i, (a, b) in enumerate(zip(figs, figs[1:])):
        between = [w.lower() for w in doc.words[a.end:b.start]]
        # (a qualifier may stand between: "Rp242,5 miliar lebih (", "Rp0,5 triliun lebih atau tepatnya")
        if a.kind == b.kind == "money" and 1 <= len(between) <= 4 and between[-1] in words \
                and b.number.unit < a.number.unit and figures_agree(a, b):
            drop.add(i)
    return [f for i, f in enumerate(figs) if i not in drop] if drop else figs
