"""Extract stage: article text -> claim figures (and the figures that are not claims).

How it reads a text:
1. spaCy tokenises it; token patterns (patterns/figures.jsonl) find money and numbers, phrase lists
   (patterns/lexicon.yaml) find programs, qualifiers, units, cue words, segments and institutions.
2. Each sentence is cut into clauses at separators ("," "dan" "kemudian" ...), each clause into frames at
   program names: a frame holds one program and the figures stated for it.
3. Frames become claims; claims stated twice (headline, quote, repeated paragraph) are merged, an amount and
   its case count stated in two sentences about the same program and period are joined.
4. Period, segment and branch stated once govern what follows.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from .lexicon import lexicon, token_patterns
from .models import Claim, Figure
from .numbers import Number, parse_number, parse_numeral, parse_words
from .periods import Period, find_periods, text_year

GENERIC = {"TOTAL", "SANTUNAN"}
OWN_PROGRAMS = {"BPJS Ketenagakerjaan", "Jasa Raharja", "Taspen", "Asabri"}  # institutions with program codes


# ----------------------------------------------------------------------------------------------- rules
class Rules:
    """The tokenizer and matchers, built once per process."""

    def __init__(self):
        from spacy.matcher import Matcher, PhraseMatcher

        from .nlp import blank_pipeline

        lex = lexicon()
        self.nlp = blank_pipeline()
        self.matcher = Matcher(self.nlp.vocab, validate=True)
        for entry in token_patterns("figures.jsonl"):
            try:
                self.matcher.add(f"{entry['label']}|{entry['id']}", [entry["pattern"]], greedy="LONGEST")
            except Exception as exc:  # spaCy's validation error: name the file and line
                from .errors import PatternError

                raise PatternError(f"{entry['where']}: {str(exc).splitlines()[0]}") from exc
        self.phrases = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        raw = lex.raw

        def add(label: str, words) -> None:
            docs = [self.nlp.make_doc(str(w)) for w in words]
            self.phrases.add(label, [d for d in docs if len(d)])

        for q, words in _invert(raw["qualifiers"]["before"]).items():
            add(f"QB|{q}", words)
        for q, words in _invert(raw["qualifiers"]["after"]).items():
            add(f"QA|{q}", words)
        for kind in ("claim", "person", "other"):
            for w in raw["units"][kind]:
                add(f"UNIT_{kind.upper()}|{w}", [w])
        for name, words in raw["institutions"].items():
            add(f"INST|{name}", words)
        for code, words in raw["programs"].items():
            add(f"PROG|{code}", words)
        for code, words in raw["santunan"].items():
            add(f"SANT|{code}", words)
        for phrase, detail in raw["jht_reasons"].items():
            add(f"REASON|{detail}", [phrase])
        for code, words in raw["segments"].items():
            add(f"SEG|{code}", words)
        add("CUE|claim", raw["cues"]["claim"])
        add("CUE|strong", raw["cues"]["claim_strong"])
        for phrase, role in raw["cues"]["not_claim"].items():
            add(f"NOTCLAIM|{role}", [phrase])
        add("RATE|rate", raw["cues"]["rate_after"])
        add("COMPARE|x", raw["cues"]["comparison"])
        add("NIL|x", raw["cues"]["nil"])
        add("SEP|x", raw["clauses"]["separators"])
        add("BLOCK|x", raw["clauses"]["count_program_blockers"])
        add("MONEYCUE|x", raw["money_cues"])
        add("COUNTCUE|x", raw["count_cues"])
        add("BRANCH|head", raw["branch"]["heads"])
        add("ANAPHORA|x", raw["anaphora"])
        add("ASIDE|x", raw["aside"])
        add("TOTALCUE|x", raw["total_cues"])
        add("DISTRIB|x", raw["distributive"])
        add("COPULA|x", raw["copulas"])
        for phrase, detail in raw["lines_of_business"].items():
            add(f"LOB|{detail}", [phrase])
        for name, words in raw["regions"].items():
            add(f"REGION|{name}", words)
        self.percent = lex.percent
        self.money_only_q = set(raw["qualifiers"]["money_only"])
        self.comparatives = set(raw["comparatives"])
        self.branch_stop = {w.lower() for w in raw["branch"]["stop"]} | {w.lower() for w in raw["branch"]["heads"]}
        self.total_program = raw["total_program"]
        self.currency = lex.currency
        self.boilerplate = tuple(str(x).lower() for x in raw["boilerplate_lines"])


def _invert(mapping: dict) -> dict:
    out: dict = {}
    for phrase, value in mapping.items():
        out.setdefault(value, []).append(phrase)
    return out


@lru_cache(maxsize=1)
def rules() -> Rules:
    return Rules()


# ------------------------------------------------------------------------------------------ mentions
@dataclass
class Fig:
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


@dataclass
class Mention:
    label: str
    value: str
    start: int
    end: int


@dataclass
class Frame:
    program: str | None = None
    detail: str | None = None
    program_at: int | None = None
    money: list[Fig] = field(default_factory=list)
    counts: list[Fig] = field(default_factory=list)
    start: int = 0
    end: int = 0
    chunk: int = 0
    chunk_start: int = 0
    program_end: int | None = None

    @property
    def figures(self):
        return self.money + self.counts


@dataclass
class Raw:
    """A claim before merging: what one frame states."""

    program: str
    detail: str | None
    money: Fig | None
    count: Fig | None
    sent: int
    headline: bool
    period: Period | None
    segment: str | None
    start: int
    end: int
    patterns: list[str] = field(default_factory=list)
    sources: list[int] = field(default_factory=list)
    branch: str | None = None
    office_named: bool = False  # the office is named in the claim's own clause
    explicit: bool = True  # the program is named, not defaulted to the total
    anaphoric: bool = False  # the sentence points back ("Klaim itu ...")


@dataclass
class Result:
    claims: list[Claim]
    figures: list[Figure]
    institution: str | None
    title: str | None
    warnings: list[str]
    explain: list[dict] | None = None
    raws: list[Raw] = field(default_factory=list)  # for validate: qualifiers and precision of each figure
    conflicts: list = field(default_factory=list)  # (headline claim, body claim) that disagree


# ------------------------------------------------------------------------------------------ sentences
HEADLINE_MAX = 160


def _sentences(doc) -> list[tuple[int, int, bool]]:
    """Token ranges of sentences, and whether each is a headline line (short, no final stop).

    A line break ends a sentence unless the text is hard-wrapped: the line ends with a comma or the next
    line goes on in lower case or with a bracket.
    """
    # plain lists: creating spaCy Token objects one by one is the slow part of a loop over a Doc
    texts = [t.text for t in doc]
    space = [t.is_space for t in doc]
    gap = [bool(t.whitespace_) for t in doc]
    scale_abbr = {w for w in lexicon().scale if w.endswith(".")}
    n = len(texts)
    bounds = []
    start = 0
    first_body = None
    for i, text in enumerate(texts):
        end_here = False
        if space[i] and "\n" in text:
            prev = texts[i - 1] if i > 0 else None
            nxt = texts[i + 1] if i + 1 < n else None
            blank_line = text.count("\n") > 1
            wrapped = (prev is not None and nxt is not None and not blank_line
                       and prev not in (".", "!", "?", "”", "\"", ":")
                       and (prev == "," or nxt[:1].islower() or nxt[:1] in "(-"))
            end_here = not wrapped
        elif (text in (".", "!", "?") or text.lower() in scale_abbr) and i + 1 < n:
            nxt = texts[i + 1]
            end_here = space[i + 1] and "\n" in nxt or (
                gap[i] and (nxt[:1].isupper() or nxt[:1] in "\"“”'(" or nxt[:1].isdigit()))
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
        while s < e and space[s]:
            s += 1
        while e > s and space[e - 1]:
            e -= 1
        if e <= s:
            continue
        length = doc[e - 1].idx + len(texts[e - 1]) - doc[s].idx
        headline = s < first_body and length <= HEADLINE_MAX and texts[e - 1] not in (".", "!", "?", ",", ":", "”", "\"")
        result.append((s, e, headline))
    return result


# ------------------------------------------------------------------------------------------ extraction
def extract(text: str, published: str | None = None, explain: bool = False) -> Result:
    r = rules()
    doc = r.nlp(text)
    mentions = _phrase_mentions(r, doc)
    figs = _figures(r, doc, mentions)
    institution = _institution(mentions)
    total_code = r.total_program.get(institution or "", r.total_program["default"])
    sents = [x for x in _sentences(doc) if not _boilerplate(r, doc[x[0]:x[1]].text)]
    periods = [(p, doc.char_span(p.start, p.end, alignment_mode="expand")) for p in find_periods(text)]
    doc_year = _doc_year(published, text, periods)

    raws: list[Raw] = []
    figures: list[Figure] = []
    running: Period | None = None
    running_segment: str | None = None
    prev_claim_cue = False
    prev_program: tuple[str, str | None] | None = None
    pending_backfill: list[Raw] = []
    seen_period = False
    offices = _offices(r, doc, mentions)
    mention_starts = [m.start for m in mentions]
    fig_starts = [f.start for f in figs]
    in_quote = False
    for si, (s, e, headline) in enumerate(sents):
        in_quote = in_quote and si > 0 and not headline
        sm = mentions[bisect_left(mention_starts, s):bisect_left(mention_starts, e)]
        sf = figs[bisect_left(fig_starts, s):bisect_left(fig_starts, e)]
        sp = [(p, span.start) for p, span in periods if span is not None and s <= span.start < e]
        cmp_at = min((m.start for m in sm if m.label == "COMPARE"), default=None)
        own = _sentence_period([p for p, _ in sp], running, doc_year)
        if cmp_at is None:
            side_periods = {False: own, True: own}
        else:  # a comparison: periods after the cue belong to the figures after it
            side_periods = {False: _sentence_period([p for p, at in sp if at < cmp_at], running, doc_year),
                            True: _sentence_period([p for p, at in sp if at >= cmp_at], running, doc_year)}
        has_cue = any(m.label == "CUE" for m in sm)
        has_claim_cue = has_cue or any(m.label in ("PROG", "SANT") for m in sm)
        frames = _frames(r, doc, s, e, sm, sf, institution)
        anaphoric = any(m.label == "ANAPHORA" for m in sm)
        sent_raws = []
        for fr in frames:
            for fig in fr.money + fr.counts:  # money first: a count beside a claimed amount is claimed too
                paid = has_cue or any(f.role is None for f in fr.money)
                _classify(fig, sm, fr, prev_claim_cue and not any(m.label == "NOTCLAIM" for m in sm), paid)
            claim_money = [f for f in fr.money if f.role is None]
            claim_counts = [f for f in fr.counts if f.role is None]
            for f in fr.figures:
                if f.role is not None and f.kind != "percent":
                    figures.append(Figure(text=f.text, value=_plain(f.number.value), role=f.role,
                                          span=(f.char_start, f.char_end)))
            if not claim_money and not claim_counts:
                continue
            program, detail, explicit = fr.program, fr.detail, fr.program is not None
            if program is None and prev_program and not has_cue \
                    and not any(m.label in ("PROG", "SANT", "REASON") for m in sm):
                program, detail, explicit = prev_program[0], prev_program[1], False
            if program is None and institution not in OWN_PROGRAMS:
                # other institutions (BPJS Kesehatan, insurers): the line of business is the detail
                detail = next((m.value for m in sm if m.label == "LOB"), None)
            program = program or total_code
            for money, count, generic in _pair(doc, claim_money, claim_counts, mentions):
                pats = _fired(doc, fr, money, count, program)
                start = min(x.start if x.qualifier_start is None else x.qualifier_start
                            for x in (money, count) if x is not None)
                if fr.program_at is not None and fr.program_at < start and not generic:
                    start = fr.program_at
                end = max(x.end for x in (money, count) if x is not None)
                first_fig = min(x.start for x in (money, count) if x is not None)
                period = side_periods[cmp_at is not None and first_fig >= cmp_at] or running
                # an office named in this clause ("Cabang Malang Rp500 miliar"), else the article's office
                heads = [m.start for m in sm if m.label == "BRANCH" and m.start in offices.at_head
                         and fr.chunk_start <= m.start < first_fig]
                office = offices.at_head[heads[-1]] if heads else offices.main
                sent_raws.append(Raw(program=total_code if generic else program, detail=None if generic else detail,
                                     branch=office, office_named=bool(heads),
                                     money=money, count=count, sent=si, headline=headline, period=period,
                                     segment=None, start=start, end=end, patterns=pats,
                                     explicit=explicit or generic, anaphoric=anaphoric))
        segs = {m.value for m in sm if m.label == "SEG"}
        if sent_raws:
            if len(segs) == 1:
                running_segment = next(iter(segs))
            elif len(segs) > 1:
                running_segment = None
            for raw in sent_raws:
                raw.segment = running_segment if len(segs) <= 1 else None
            if own is None and not seen_period:
                pending_backfill.extend(sent_raws)
        raws.extend(sent_raws)
        if own is not None:
            if not seen_period and pending_backfill and si - pending_backfill[-1].sent <= 2 and not sent_raws:
                for raw in pending_backfill:  # "... Rp419,1 miliar. ... pemberian klaim itu untuk tahun 2016."
                    raw.period = own
            seen_period = True
            pending_backfill = []
            # what a sentence states about its own period carries on, unless it compares, quotes someone,
            # says only "tahun ini", or is about something else (iuran, participants)
            speech = in_quote or doc[s].text in ("“", '"')
            off_topic = not sent_raws and any(m.label == "NOTCLAIM" for m in sm)
            if cmp_at is None and own.kind not in ("same", "relative") and not speech and not off_topic:
                running = own
        prev_claim_cue = has_claim_cue
        in_quote = _quote_open_after(doc[s:e].text, in_quote)
        progs = [m for m in sm if m.label in ("PROG", "SANT", "REASON")]
        prev_program = _program_of(progs[-1], institution) if progs and not sent_raws and not sf else None

    if len({r.branch for r in raws if r.office_named}) >= 2:
        # figures given office by office: a regional story, whose unattributed figures are the region's
        for raw in raws:
            if not raw.office_named:
                raw.branch = None
    raws = _drop_nil(raws)
    claims_raw, conflicts = _merge(raws)
    claims = []
    explain_rows = [] if explain else None
    for raw in claims_raw:
        claims.append(_to_claim(raw, text, doc, raw.branch, _region(mentions, raw.branch)))
        if explain_rows is not None:
            s, e, _ = sents[raw.sent]
            also = [doc[sents[i][0]:sents[i][1]].text for i in sorted(set(raw.sources)) if i != raw.sent]
            explain_rows.append({"program": raw.program, "sentence": doc[s:e].text, "also_stated_in": also,
                                 "spans": [[f.char_start, f.char_end, f.text] for f in (raw.money, raw.count) if f],
                                 "patterns": raw.patterns})
    # the headline: the first line above the body that reads as one (a kicker like "Metropolis" does not)
    title = next((doc[s:e].text for s, e, head in sents if head and len(doc[s:e].text.split()) >= 4), None)
    return Result(claims=claims, figures=figures, institution=institution, title=title, warnings=[],
                  explain=explain_rows, raws=claims_raw, conflicts=conflicts)


def _quote_open_after(sentence: str, open_before: bool) -> bool:
    """Whether a quotation is still open after this sentence (speech spans sentences)."""
    state = open_before
    for ch in sentence:
        if ch == "“":
            state = True
        elif ch == "”":
            state = False
        elif ch == '"':
            state = not state
    return state


def _fired(doc, fr: Frame, money: Fig | None, count: Fig | None, program: str) -> list[str]:
    """Which rules made this claim, for --explain: token patterns and lexicon entries."""
    out = []
    for f in (money, count):
        if f is None:
            continue
        out.append(f"figures.jsonl#{f.pattern}")
        if f.qualifier_text:
            out.append(f"lexicon qualifiers: '{f.qualifier_text}' -> {f.qualifier}")
        if f.unit:
            out.append(f"lexicon units.{f.unit_kind}: '{f.unit}'")
    if fr.program_at is not None:
        out.append(f"lexicon programs: '{doc[fr.program_at:fr.program_end].text}' -> {program}")
    else:
        out.append(f"no program named -> {program}")
    return out


def _boilerplate(r: Rules, sentence: str) -> bool:
    head = sentence.lstrip(" \t\"“*-").lower()
    return any(head.startswith(p) for p in r.boilerplate)


def _plain(value: Decimal):
    return int(value) if value == value.to_integral_value() else float(value)


# ------------------------------------------------------------------------------------------ mentions
def _phrase_mentions(r: Rules, doc) -> list[Mention]:
    found: dict[str, list[Mention]] = {}
    for match_id, start, end in r.phrases(doc):
        label, _, value = doc.vocab.strings[match_id].partition("|")
        found.setdefault(label, []).append(Mention(label, value, start, end))
    out: list[Mention] = []
    for label, items in found.items():
        # keep the longest of overlapping matches within a category ("lebih dari" over "lebih")
        items.sort(key=lambda m: (m.start, -(m.end - m.start)))
        kept: list[Mention] = []
        for m in items:
            if kept and m.start < kept[-1].end:
                if (m.end - m.start) > (kept[-1].end - kept[-1].start):
                    kept[-1] = m
                continue
            kept.append(m)
        out.extend(kept)
    # program names nested in segment or cue phrases are not program mentions ("bukan penerima upah")
    out.sort(key=lambda m: (m.start, -(m.end - m.start)))
    return out


def _figures(r: Rules, doc, mentions: list[Mention]) -> list[Fig]:
    raw = []
    for match_id, start, end in r.matcher(doc):
        label, _, pid = doc.vocab.strings[match_id].partition("|")
        raw.append((start, end, label, pid))
    # money wins over a number inside it; longer wins over shorter
    raw.sort(key=lambda x: (x[0], -(x[1] - x[0]), x[2] != "MONEY"))
    chosen = []
    for item in raw:
        if any(item[0] < c[1] and c[0] < item[1] for c in chosen):
            continue
        chosen.append(item)
    chosen.sort()
    by_start = {}
    for m in mentions:
        by_start.setdefault(m.start, []).append(m)
    by_end = {}
    for m in mentions:
        by_end.setdefault(m.end, []).append(m)
    figs = []
    for start, end, label, pid in chosen:
        span = doc[start:end]
        try:
            number = _number_of(span, label)
        except ValueError:
            continue
        if number is None:
            continue
        kind = "money" if label == "MONEY" else "number"
        fig = Fig(kind=kind, number=number, start=start, end=end, char_start=span.start_char,
                  char_end=span.end_char, text=span.text, pattern=pid)
        nxt = _next_word(doc, end)
        if kind == "number":
            if nxt is not None and doc[nxt].lower_ in r.percent:
                fig.kind = "percent"
            else:
                units = [m for m in by_start.get(nxt, []) if m.label.startswith("UNIT_")] if nxt is not None else []
                if units:
                    u = max(units, key=lambda m: m.end - m.start)
                    fig.kind = "count"
                    written = doc[u.start:u.end].text
                    fig.unit = written if written.isupper() and len(written) > 1 else written.lower()  # ASN, PNS
                    fig.unit_kind = u.label[5:].lower()
                    fig.end = u.end
                    fig.char_end = doc[u.end - 1].idx + len(doc[u.end - 1].text)
                    fig.text = doc[start:u.end].text
                elif _scale_word(span) and _prev_has(doc, start, by_end, "MONEYCUE") and number.value >= 10**6:
                    fig.kind = "money"
                elif re.fullmatch(r"(?:19|20)\d\d", span.text) or not any(ch.isdigit() for ch in span.text):
                    continue  # a year, or number words with nothing counted
                elif _prev_has(doc, start, by_end, "COUNTCUE", gap=3) and not _scale_word(span):
                    fig.kind = "count"
                    fig.unit = None
                    fig.unit_kind = "bare"
                else:
                    fig.kind = "count"
                    fig.unit_kind = "none"
        _qualify(r, doc, fig, by_start, by_end)
        figs.append(fig)
    return figs


def _scale_word(span) -> str | None:
    last = span[-1].lower_
    return last if last in lexicon().scale else None


def _number_of(span, label: str) -> Number | None:
    toks = [t for t in span if not t.is_space]
    lex = lexicon()
    words = [t.text for t in toks]
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
    if label != "MONEY" and scale and scale.lower() in lex.money_only_scale:
        return None
    if len(words) == 3 and words[1] == ",":  # "Rp 488, 6 Miliar"
        words = [f"{words[0]},{words[2]}"]
    if len(words) == 1 and any(ch.isdigit() for ch in words[0]):
        num = words[0].rstrip(".,")
        parse_numeral(num)
        return parse_number(num, scale)
    if all(not any(ch.isdigit() for ch in w) for w in words):
        n = parse_words(words + ([scale] if scale else []))
        return n
    raise ValueError("unparsed")


def _next_word(doc, i: int) -> int | None:
    while i < len(doc) and doc[i].is_space:
        i += 1
    return i if i < len(doc) else None


def _prev_has(doc, start: int, by_end: dict, label: str, gap: int = 1) -> bool:
    for i in range(start, max(start - gap - 1, -1), -1):
        if any(m.label == label for m in by_end.get(i, [])):
            return True
    return False


def _qualify(r: Rules, doc, fig: Fig, by_start: dict, by_end: dict) -> None:
    before = [m for m in by_end.get(fig.start, []) if m.label == "QB"]
    if before:
        m = max(before, key=lambda m: m.end - m.start)
        phrase = doc[m.start:m.end].text.lower()
        if fig.kind == "money" or phrase not in r.money_only_q:
            fig.qualifier, fig.qualifier_text, fig.qualifier_start = m.value, doc[m.start:m.end].text, m.start
            return
    nxt = _next_word(doc, fig.end)
    if nxt is None:
        return
    after = [m for m in by_start.get(nxt, []) if m.label == "QA"]
    if after:
        m = max(after, key=lambda m: m.end - m.start)
        follow = _next_word(doc, m.end)
        if follow is not None and doc[follow].lower_ in r.comparatives:
            return  # "Rp5 miliar lebih besar dari ...": a comparison
        fig.qualifier, fig.qualifier_text = m.value, doc[m.start:m.end].text


def _institution(mentions: list[Mention]) -> str | None:
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    for m in mentions:
        if m.label == "INST":
            counts[m.value] = counts.get(m.value, 0) + 1
            first.setdefault(m.value, m.start)
    if not counts:
        return None
    return max(counts, key=lambda k: (counts[k], -first[k]))


def _program_of(m: Mention, institution: str | None) -> tuple[str, str | None]:
    if m.label == "REASON":
        return "JHT", m.value
    return m.value, None


# ------------------------------------------------------------------------------------------ frames
def _frames(r: Rules, doc, s: int, e: int, sm: list[Mention], sf: list[Fig], institution) -> list[Frame]:
    # a separator word inside a longer phrase ("lalu" in "tahun lalu") does not split
    longer = [m for m in sm if m.label not in ("SEP", "BLOCK") and m.end - m.start > 1]
    seps = sorted({m.start for m in sm if m.label == "SEP"
                   and not any(o.start <= m.start and m.end <= o.end for o in longer)})
    blockers = [m for m in sm if m.label == "BLOCK"]
    asides = [m for m in sm if m.label == "ASIDE"]
    progs = [m for m in sm if m.label in ("PROG", "REASON") or (m.label == "SANT" and institution == "Jasa Raharja")]
    # a program name inside a segment phrase is not a program ("pekerja penerima upah (PU)" has no JP)
    segs = [m for m in sm if m.label in ("SEG", "INST")]
    progs = [p for p in progs if not any(g.start <= p.start and p.end <= g.end and (g.end - g.start) > (p.end - p.start)
                                         for g in segs)]
    sf = [f for f in sf if f.kind != "percent"]
    bounds = [s] + [x for x in seps if s < x < e] + [e]
    frames: list[Frame] = []
    for chunk, (a, b) in enumerate(zip(bounds, bounds[1:])):
        chunk_frames = [Frame(start=a, end=b, chunk=chunk, chunk_start=a + 1 if a in seps else a)]
        aside = any(a <= m.start < a + 2 for m in asides)
        for p in sorted((p for p in progs if a <= p.start < b and not aside), key=lambda m: m.start):
            code, detail = _program_of(p, institution)
            cur = chunk_frames[-1]
            figs_since = any(max(cur.start, cur.program_at or cur.start) <= f.start < p.start for f in sf)
            if cur.program is not None and not figs_since and (p.start - cur.end <= 3 or cur.program == code):
                # "Jaminan Hari Tua (JHT)" or "santunan bagi korban ... cacat": one mention, the specific wins
                if cur.program == code or cur.program in GENERIC or cur.program == "JHT" and detail:
                    cur.program, cur.detail, cur.program_end = code, detail, p.end
                cur.end = p.end
                continue
            if cur.program is None and not any(cur.start <= f.start < p.start for f in sf):
                cur.program, cur.detail, cur.program_at, cur.program_end, cur.end = code, detail, p.start, p.end, p.end
                continue
            chunk_frames.append(Frame(program=code, detail=detail, program_at=p.start, program_end=p.end,
                                      start=p.start, end=p.end,
                                      chunk=chunk, chunk_start=chunk_frames[0].chunk_start))
        for f in (f for f in sf if a <= f.start < b):
            target = chunk_frames[0]
            for fr in chunk_frames:
                if fr.program_at is None or fr.program_at <= f.start:
                    target = fr
            (target.money if f.kind == "money" else target.counts).append(f)
        # "4.107 klaim jaminan pensiun (JP) sejumlah Rp4,5 miliar": a count right before a name is the program's
        for cur, nxt in zip(chunk_frames, chunk_frames[1:]):
            if cur.counts and not cur.money and not nxt.counts and nxt.program_at is not None:
                last = cur.counts[-1]
                if last.start < nxt.program_at and not any(last.end <= bl.start < nxt.program_at for bl in blockers):
                    cur.counts.pop()
                    nxt.counts.insert(0, last)
        frames.extend(chunk_frames)
    frames = [fr for fr in frames if fr.program is not None or fr.figures]
    frames = _distribute(frames, [m for m in sm if m.label == "DISTRIB"])
    copulas = {m.start for m in sm if m.label == "COPULA"}
    merged: list[Frame] = []
    for fr in frames:
        if merged:
            prev = merged[-1]
            if prev.program is not None and not prev.figures and fr.program is None and fr.figures:
                fr.program, fr.detail, fr.program_at, fr.program_end = prev.program, prev.detail, prev.program_at, prev.program_end
                merged[-1] = fr
                continue
            if prev.figures and fr.figures and fr.program is None and prev.chunk != fr.chunk \
                    and _complementary(prev, fr):
                prev.money += fr.money
                prev.counts += fr.counts
                continue
            if prev.program is None and prev.figures and fr.program is not None and not fr.figures \
                    and fr.program_at - max(f.end for f in prev.figures) <= 6 \
                    and (prev.chunk == fr.chunk or _opens_with(fr, copulas)):
                # "Rp4,5 miliar klaim program JKM": a program named right after a figure that had none
                prev.program, prev.detail = fr.program, fr.detail
                continue
        merged.append(fr)
    return [fr for fr in merged if fr.figures]


def _opens_with(fr: Frame, starts: set[int]) -> bool:
    """Whether the clause of this frame opens with one of the given words (after its separator)."""
    return any(fr.chunk_start <= i <= fr.chunk_start + 1 for i in starts)


def _distribute(frames: list[Frame], distrib: list[Mention]) -> list[Frame]:
    """ "JHT dan JKM masing-masing Rp5 miliar dan Rp3 miliar": the n-th figure belongs to the n-th program."""
    if not distrib:
        return frames
    at = distrib[0].start
    named = [fr for fr in frames if fr.program is not None and fr.program_at is not None and fr.program_at < at
             and not any(f.start < at for f in fr.figures)]
    after = [f for fr in frames for f in fr.figures if f.start > at]
    money = sorted((f for f in after if f.kind == "money"), key=lambda f: f.start)
    counts = sorted((f for f in after if f.kind == "count"), key=lambda f: f.start)
    if len(named) < 2 or len(money) not in (0, len(named)) or len(counts) not in (0, len(named)) \
            or not (money or counts):
        return frames
    out = [fr for fr in frames if fr not in named and not any(f.start > at for f in fr.figures)]
    for i, fr in enumerate(named):
        out.append(Frame(program=fr.program, detail=fr.detail, program_at=fr.program_at, program_end=fr.program_end,
                         start=fr.start,
                         end=fr.end, chunk=fr.chunk, money=[money[i]] if money else [],
                         counts=[counts[i]] if counts else []))
    return sorted(out, key=lambda fr: fr.start)


def _complementary(a: Frame, b: Frame) -> bool:
    """One clause has only the amount, the other only the case count, of the same program."""
    only_money = lambda f: f.money and not f.counts  # noqa: E731
    only_count = lambda f: f.counts and not f.money  # noqa: E731
    if not ((only_money(a) and only_count(b)) or (only_count(a) and only_money(b))):
        return False
    if a.program and b.program and (a.program, a.detail) != (b.program, b.detail):
        return False
    return len(a.money) <= 1 and len(b.money) <= 1


def _classify(fig: Fig, sm: list[Mention], fr: Frame, prev_claim: bool, has_cue: bool) -> None:
    """Decide whether a figure is a claim; if not, set its role (why it is not)."""
    if fig.unit_kind == "other":
        fig.role = fig.unit or "other"
        return
    if fig.kind == "count" and fig.unit_kind == "none":
        fig.role = "number"
        return
    cues = [m for m in sm if m.label in ("CUE", "PROG", "SANT", "REASON")
            or m.label == "NOTCLAIM" and (m.value != "change" or 0 <= fig.start - m.end <= 2)]
    left = [m for m in cues if m.end <= fig.start]
    if fr.program_at is not None and fr.program_at <= fig.start:
        left.append(Mention("PROG", fr.program or "", fr.program_at, fr.program_at + 1))
    nearest = max(left, key=lambda m: m.end) if left else None
    if nearest is None:
        right = [m for m in cues if m.start >= fig.end]
        nearest = min(right, key=lambda m: m.start) if right else None
    topic = next((m for m in sm if m.label == "NOTCLAIM" and m.value != "change"), None)
    strong = any(m.label in ("PROG", "SANT", "REASON") or m.label == "CUE" and m.value == "strong" for m in sm)
    if nearest is not None and nearest.label == "NOTCLAIM":
        fig.role = nearest.value
    elif nearest is not None and nearest.label == "CUE" and nearest.value == "claim" and topic and not strong:
        fig.role = topic.value  # a paying verb, but the sentence is about iuran, BSU, loans ...
    elif any(m.label == "RATE" and 0 <= m.start - fig.end <= 1 for m in sm):
        fig.role = "rate"  # "Rp64.800 per bulan": a rate, never a total paid
    elif nearest is None and not prev_claim:
        fig.role = "other"
    elif fig.kind == "count" and fig.unit_kind != "claim" and not has_cue \
            and not (fig.unit_kind == "bare" and fr.program is not None):  # "JP sebanyak 977 ..."
        fig.role = "count"  # people counted with no word of paying or claiming: participants, workers
    elif fig.kind == "count" and fig.unit_kind == "person" and not any(ch.isdigit() for ch in fig.text):
        fig.role = "count"  # "satu peserta bisa mengikuti empat program"


def _pair(doc, money: list[Fig], counts: list[Fig], mentions: list[Mention]) -> list[tuple[Fig | None, Fig | None, bool]]:
    """Pair each amount with a case count of the same frame; the rest stand alone.

    A second amount introduced by "total klaim" is the total of everything, not this program's (generic=True).
    """
    total_cue_ends = {m.end for m in mentions if m.label == "TOTALCUE"}
    pairs: list[tuple[Fig | None, Fig | None, bool]] = []
    counts = list(counts)
    for i, m in enumerate(money):
        generic = i > 0 and any(m.start - 3 <= end <= m.start for end in total_cue_ends)
        c = counts.pop(0) if counts and not generic else None
        pairs.append((m, c, generic))
    for c in counts:
        pairs.append((None, c, False))
    return pairs


# ------------------------------------------------------------------------------------------ periods
def _doc_year(published: str | None, text: str, periods) -> int | None:
    if published and re.match(r"\d{4}", published):
        return int(published[:4])
    y = text_year(text)
    if y:
        return y
    for p, _span in periods:
        if p.y2 or p.y1:
            return p.y2 or p.y1
    return None


def _sentence_period(mentions: list[Period], running: Period | None, doc_year: int | None) -> Period | None:
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
        elif "last_year" in kinds and context_year:
            year_hint = context_year - 1
        elif "this_year" in kinds:
            year_hint = doc_year
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
    if year_hint:  # only "tahun ini" / "tahun lalu"
        return Period(mentions[0].start, mentions[0].end, mentions[0].text, "relative", m1=1, m2=12,
                      y1=year_hint, y2=year_hint)
    return None


def _compatible(a: Period | None, b: Period | None) -> bool:
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


# ------------------------------------------------------------------------------------------ merging
def _drop_nil(raws: list[Raw]) -> list[Raw]:
    return [r for r in raws if not (r.money and r.money.number.value == 0) and not (r.count and r.count.number.value == 0 and not r.money)]


def _merge(raws: list[Raw]) -> tuple[list[Raw], list[tuple[Raw, Raw]]]:
    """One claim per figure: repeats merged, amount and count from two sentences joined."""
    from .validate import figures_agree

    conflicts: list[tuple[Raw, Raw]] = []
    out: list[Raw] = []
    for raw in (r for r in raws if not r.headline):
        target = next((prev for prev in out if prev.sent != raw.sent and _same_claim(prev, raw)
                       and _same_figure(prev, raw, figures_agree)), None)
        if target is None:
            clash = next((prev for prev in out if _restated_differently(prev, raw, figures_agree)), None)
            if clash is not None:
                conflicts.append((clash, raw))
            out.append(raw)
        else:
            _absorb(target, raw)
    joined: list[Raw] = []
    for raw in out:
        partner = _join_partner(raw, joined)
        if partner is None:
            joined.append(raw)
        else:
            _absorb(partner, raw)
    for head in (r for r in raws if r.headline):
        same = [p for p in joined if p.program == head.program and p.branch == head.branch
                and _compatible(p.period, head.period)]
        agree = [p for p in same if _same_figure(p, head, figures_agree)]
        if agree:
            _absorb(agree[0], head)
        elif same and head.money and any(p.money for p in same):
            conflicts.append((head, next(p for p in same if p.money)))
        else:
            joined.append(head)
    joined.sort(key=lambda r: (r.sent, r.start))
    return joined, conflicts


def _restated_differently(a: Raw, b: Raw, agree) -> bool:
    """The same program, period and segment stated twice in the body with amounts that cannot agree."""
    if not (a.money and b.money) or a.sent == b.sent \
            or (a.program, a.detail, a.segment, a.branch) != (b.program, b.detail, b.segment, b.branch):
        return False
    if a.period is None or b.period is None or a.period.dates() != b.period.dates() or None in a.period.dates():
        return False
    return not agree(a.money, b.money)


def _same_claim(a: Raw, b: Raw) -> bool:
    return (a.program, a.detail, a.branch) == (b.program, b.detail, b.branch) and _compatible(a.period, b.period)


def _join_partner(raw: Raw, joined: list[Raw]) -> Raw | None:
    """An amount-only and a count-only statement of one claim, in different sentences.

    Beyond the next sentence the count must point back ("Klaim itu untuk 1.501 kasus"); a count whose
    sentence names no program joins the amount before it whatever its program.
    """
    if (raw.money is None) == (raw.count is None):
        return None
    cands = []
    for p in joined:
        if (p.money is None) == (raw.money is None) or (p.count is None) == (raw.count is None):
            continue
        if p.money is not None and p.count is not None:
            continue
        if not _compatible(p.period, raw.period) or p.branch != raw.branch:
            continue
        later = raw if raw.sent > p.sent else p
        same_program = (p.program, p.detail) == (raw.program, raw.detail)
        named = same_program and p.explicit and raw.explicit and p.program not in GENERIC
        if abs(raw.sent - p.sent) > 1 and not later.anaphoric and not named:
            continue
        count_side = raw if raw.count is not None else p
        amount_side = p if count_side is raw else raw
        loose = (not count_side.explicit and count_side.sent > amount_side.sent
                 and sum(1 for x in joined if x.sent == amount_side.sent) == 1  # one antecedent, no guessing
                 and not any(x.sent == count_side.sent and x.explicit for x in joined + [raw]))
        if same_program or loose:
            cands.append(p)
    # the same program first, then the nearest statement
    return min(cands, key=lambda p: ((p.program, p.detail) != (raw.program, raw.detail), abs(raw.sent - p.sent))) \
        if cands else None


def _same_figure(a: Raw, b: Raw, agree) -> bool:
    """Two statements of the same figure: amounts agree within rounding, counts are equal."""
    counts_ok = a.count is None or b.count is None or a.count.number.value == b.count.number.value
    if a.money and b.money:
        return agree(a.money, b.money) and counts_ok
    if a.count and b.count:
        return a.count.number.value == b.count.number.value
    return False


def _absorb(target: Raw, other: Raw, prefer_existing: bool = True) -> None:
    """Fold a restatement into the claim it restates, keeping the more precise figure."""
    if other.money is not None:
        if target.money is None:
            target.money = other.money
        elif other.money.number.unit < target.money.number.unit and not target.headline:
            target.money = other.money
        elif target.headline and not other.headline:
            target.money = other.money
    if other.count is not None and target.count is None:
        target.count = other.count
    if target.period is None or (other.period is not None and target.period.dates()[1] is None
                                 and other.period.dates()[1] is not None):
        target.period = other.period
    target.segment = target.segment or other.segment
    target.headline = target.headline and other.headline
    target.sources.append(other.sent)
    target.patterns = sorted(set(target.patterns) | set(other.patterns))


# ------------------------------------------------------------------------------------------ places
def _name_after(r: Rules, doc, i: int, inst_spans: list[tuple[int, int]]) -> tuple[str, ...]:
    """The capitalised words naming an office, after "Cabang" or the institution's name."""
    words: list[str] = []
    while i < len(doc) and len(words) < 3:
        tok = doc[i]
        if tok.is_space:
            i += 1
            continue
        if not words:
            span = next((sp for sp in inst_spans if sp[0] == i), None)
            if span:  # "Kantor Cabang BPJS Ketenagakerjaan Kudus": skip the institution's name
                i = span[1]
                continue
            if tok.text in (")",) or tok.lower_ in ("kota", "kabupaten", "kab", "pt", "persero", "(", "bpjs"):
                i += 1
                continue
        if not (tok.text[:1].isupper()) or tok.lower_ in r.branch_stop or not tok.is_alpha \
                or tok.lower_ in r.currency:
            break
        words.append(tok.text)
        i += 1
    return tuple(words)


@dataclass
class Offices:
    """Office names in an article: the one it is about, and the name written after each "Cabang"."""

    main: str | None
    at_head: dict[int, str]  # token index of a "Cabang" head -> the office it names


def _offices(r: Rules, doc, mentions: list[Mention]) -> Offices:
    inst_spans = [(m.start, m.end) for m in mentions if m.label == "INST"]
    heads = {}
    candidates: list[tuple[tuple[str, ...], int]] = []
    for h in (m for m in mentions if m.label == "BRANCH"):
        if doc[h.start].text[:1].isupper() or doc[h.start].lower_ in ("kc", "kacab"):
            name = _name_after(r, doc, h.end, inst_spans)
            if name:
                heads[h.start] = name
                candidates.append((name, 2))
    for a, b in inst_spans:
        name = _name_after(r, doc, b, inst_spans)
        if name:
            candidates.append((name, 1))
    scores: dict[tuple[str, ...], int] = {}
    for name, weight in candidates:
        for k in range(1, len(name) + 1):
            scores[name[:k]] = scores.get(name[:k], 0) + weight

    def trimmed(name: tuple[str, ...]) -> str:
        """Drop what follows the part of a name that other mentions share ("Bali Denpasar Cep Nandi")."""
        top = max(scores[name[:k]] for k in range(1, len(name) + 1))
        return " ".join(max((name[:k] for k in range(1, len(name) + 1) if scores[name[:k]] == top), key=len))

    main = None
    if scores:
        best = max(scores, key=lambda k: (scores[k], len(k)))
        if scores[best] >= 2:
            main = " ".join(best)
    at_head = {}
    for i, name in heads.items():
        office = trimmed(name)
        # "Pekanbaru Cabang Panam" and "Cabang Pekanbaru Panam" name one office: the article's
        family = [set(n) for n, _ in candidates if main and n[0] == main.split()[0]]
        if main and any(set(office.split()) <= words for words in family):
            office = main
        at_head[i] = office
    return Offices(main=main, at_head=at_head)


def _region(mentions: list[Mention], branch: str | None) -> str | None:
    regions = [m for m in mentions if m.label == "REGION"]
    if branch:
        lex = lexicon().section("regions")
        first = branch.lower()
        for name, words in lex.items():
            if any(first.startswith(str(w).lower()) for w in words):
                return name
    return regions[0].value if regions else None


# ------------------------------------------------------------------------------------------ output
def _to_claim(raw: Raw, text: str, doc, branch: str | None, region: str | None) -> Claim:
    start_char = doc[raw.start].idx
    end_tok = doc[raw.end - 1]
    end_char = end_tok.idx + len(end_tok.text)
    money, count = raw.money, raw.count
    p_start, p_end = raw.period.dates() if raw.period else (None, None)
    amount_text = None
    if money:
        amount_text = text[money.char_start:money.char_end]
        if money.qualifier_text:
            q = money.qualifier_text
            before = text[max(0, money.char_start - len(q) - 1):money.char_start].lower()
            amount_text = f"{q} {amount_text}" if q.lower() in before else f"{amount_text} {q}"
    return Claim(
        program=raw.program, detail=raw.detail,
        amount=money.number.as_int if money else None,
        amount_qualifier=money.qualifier if money else None,
        amount_text=amount_text,
        cases=count.number.as_int if count else None,
        cases_qualifier=count.qualifier if count else None,
        unit=(count.unit or "kasus") if count else None,
        segment=raw.segment,
        period_start=p_start, period_end=p_end, period_text=raw.period.text if raw.period else None,
        branch=branch, region=region,
        evidence=text[start_char:end_char], span=(start_char, end_char),
    )
