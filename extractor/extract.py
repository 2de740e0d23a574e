"""Extract stage: article text -> claim figures (and the figures that are not claims).

How it reads a text:
1. It is tokenised (by spaCy's rules, see tokens.py); token patterns (patterns/figures.jsonl) find money and
   numbers, phrase lists
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

from .figures import Fig, find_figures
from .lexicon import GENERIC_PROGRAMS as GENERIC
from .lexicon import lexicon
from .merge import Raw, merge_claims
from .models import Claim, Figure
from .offices import find_offices, region_of
from .periods import Period, doc_year, find_periods, sentence_period
from .rules import Mention, Rules, find_mentions, rules
from .tokens import Doc

OWN_PROGRAMS = {"BPJS Ketenagakerjaan", "Jasa Raharja", "Taspen", "Asabri"}  # institutions with program codes

HEADLINE_MAX = 160


@dataclass(slots=True)
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

    def __init__(self, program: str | None = None, detail: str | None = None, program_at: int | None = None,
                 money: list[Fig] | None = None, counts: list[Fig] | None = None, start: int = 0, end: int = 0,
                 chunk: int = 0, chunk_start: int = 0, program_end: int | None = None) -> None:
        # written out for mypyc (see rules.Mention)
        self.program, self.detail, self.program_at, self.program_end = program, detail, program_at, program_end
        self.money = money if money is not None else []
        self.counts = counts if counts is not None else []
        self.start, self.end, self.chunk, self.chunk_start = start, end, chunk, chunk_start

    @property
    def figures(self) -> list[Fig]:
        return self.money + self.counts


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


def _sentences(doc: Doc) -> list[tuple[int, int, bool]]:
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


def extract(text: str, published: str | None = None, explain: bool = False) -> Result:
    return _extract(rules(), text, published, explain)


def _extract(r: Rules, text: str, published: str | None, explain: bool) -> Result:
    original, text = text, unwrap(text)  # same length: offsets hold in both
    doc = r.tokenize(text)
    mentions = find_mentions(r, doc)
    figs = find_figures(r, doc, mentions)
    institution = _institution(mentions)
    if institution != "Jasa Raharja":  # victim types name santunan programs only in Jasa Raharja news
        mentions = [m for m in mentions if m.label != "SANT"]
    total_code = r.total_program.get(institution or "", r.total_program["default"])
    # sentences as token ranges, with their text cut from the string (cheaper than Span.text)
    sents = [(a, b, head) for a, b, head in _sentences(doc)]
    sent_text = [text[doc.starts[a]:doc.end_char(b - 1)] for a, b, _ in sents]
    keep = [i for i, t in enumerate(sent_text) if not _boilerplate(r, t)]
    sents, sent_text = [sents[i] for i in keep], [sent_text[i] for i in keep]
    periods = [(p, doc.char_span(p.start, p.end)) for p in find_periods(text)]
    context_year = doc_year(published, text, periods)

    raws: list[Raw] = []
    figures: list[Figure] = []
    running: Period | None = None
    running_segment: str | None = None
    prev_claim_cue = False
    prev_program: tuple[str, str | None] | None = None
    prev_claimed: str | None = None
    pending_backfill: list[Raw] = []
    seen_period = False
    offices = find_offices(r, doc, mentions)
    mention_starts = [m.start for m in mentions]
    total_cue_ends = {m.end for m in mentions if m.label == "TOTALCUE"}
    fig_starts = [f.start for f in figs]
    in_quote = False
    for si, (s, e, headline) in enumerate(sents):
        in_quote = in_quote and si > 0 and not headline
        sm = mentions[bisect_left(mention_starts, s):bisect_left(mention_starts, e)]
        sf = figs[bisect_left(fig_starts, s):bisect_left(fig_starts, e)]
        labels = {m.label for m in sm}  # what kinds of words the sentence has
        sp = [(p, span.start) for p, span in periods if span is not None and s <= span.start < e]
        anchored = [span for p, span in periods if p.anchored and span is not None and s <= span.start < e]
        cmp_at = min((m.start for m in sm if m.label == "COMPARE"
                      and not any(a.start <= m.start < a.end for a in anchored)), default=None) \
            if "COMPARE" in labels else None
        own = sentence_period([p for p, _ in sp], running, context_year)
        if cmp_at is None:
            side_periods = {False: own, True: own}
        else:  # a comparison: periods after the cue belong to the figures after it
            side_periods = {False: sentence_period([p for p, at in sp if at < cmp_at], running, context_year),
                            True: sentence_period([p for p, at in sp if at >= cmp_at], running, context_year)}
        has_cue = "CUE" in labels
        has_claim_cue = has_cue or "PROG" in labels or "SANT" in labels
        frames = _frames(r, doc, s, e, sm, sf, institution)
        anaphoric = "ANAPHORA" in labels
        named_here = "PROG" in labels or "SANT" in labels or "REASON" in labels
        calm = prev_claim_cue and not any(m.label == "NOTCLAIM" and m.value != "change" for m in sm)
        sent_raws = []
        for fr in frames:
            for fig in fr.money + fr.counts:  # money first: a count beside a claimed amount is claimed too
                frame_paid = any(f.role is None for f in fr.money)
                _classify(fig, sm, sf, fr, calm, has_cue or frame_paid, frame_paid)
            claim_money = [f for f in fr.money if f.role is None]
            claim_counts = [f for f in fr.counts if f.role is None]
            for f in fr.figures:
                date_part = f.unit_kind == "none" and "/" in text[max(0, f.char_start - 1):f.char_end + 1]
                if f.role is not None and f.kind != "percent" and not date_part:  # "(8/11/2016)" is a date
                    figures.append(Figure(text=f.text, value=_plain(f.number.value), role=f.role,
                                          span=(f.char_start, f.char_end)))
            if not claim_money and not claim_counts:
                continue
            program, detail, explicit = fr.program, fr.detail, fr.program is not None
            if program is None and prev_program and not has_cue and not named_here:
                program, detail, explicit = prev_program[0], prev_program[1], False
            elif program is None and prev_claimed and anaphoric and not named_here and claim_counts \
                    and not claim_money:
                # "Dari jumlah itu, 14 kasus ... meninggal dunia dan 23 kasus cacat": a split of the program
                # the sentence before was about, by how the cases ended
                outcome = [m.value for m in sm if m.label == "OUTCOME" and m.start > claim_counts[0].start
                           and m.start >= fr.chunk_start]
                if outcome:
                    program, detail, explicit = prev_claimed, outcome[0], False
            if program is None and institution not in OWN_PROGRAMS:
                # other institutions (BPJS Kesehatan, insurers): the line of business is the detail
                # the line named in this clause before the figure, else the first named in the sentence
                first_fig = min(f.start for f in claim_money + claim_counts)
                in_clause = [m.value for m in sm if m.label == "LOB" and fr.chunk_start <= m.start < first_fig]
                detail = in_clause[-1] if in_clause else next((m.value for m in sm if m.label == "LOB"), None)
            program = program or total_code
            for money, count, generic in _pair(claim_money, claim_counts, total_cue_ends):
                pats = _fired(doc, fr, money, count, program) if explain else []
                start = min(x.start if x.qualifier_start is None else x.qualifier_start
                            for x in (money, count) if x is not None)
                if fr.program_at is not None and fr.program_at < start and not generic:
                    start = fr.program_at
                end = max(x.end for x in (money, count) if x is not None)
                first_fig = min(x.start for x in (money, count) if x is not None)
                period = side_periods[cmp_at is not None and first_fig >= cmp_at] or running
                # an office named in this clause ("Cabang Malang Rp500 miliar"), else the article's office
                # the nearest "Cabang X" before the figure with no other figure between them
                heads = [m.start for m in sm if m.label == "BRANCH" and m.start in offices.at_head
                         and m.start < first_fig and not any(m.start < f.start < first_fig for f in sf)]
                office = offices.at_head[heads[-1]] if heads else offices.main
                sent_raws.append(Raw(program=total_code if generic else program, detail=None if generic else detail,
                                     branch=office, office_named=bool(heads),
                                     money=money, count=count, sent=si, headline=headline, period=period,
                                     segment=None, start=start, end=end, patterns=pats,
                                     explicit=explicit or generic, anaphoric=anaphoric,
                                     partial="PARTIAL" in labels))
        segs = {m.value for m in sm if m.label == "SEG"} if "SEG" in labels else set()
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
            speech = in_quote or doc.words[s] in ("“", '"')
            off_topic = not sent_raws and "NOTCLAIM" in labels
            if cmp_at is None and own.kind not in ("same", "relative") and not speech and not off_topic:
                running = own
        prev_claim_cue = has_claim_cue
        in_quote = _quote_open_after(sent_text[si], in_quote)
        progs = [m for m in sm if m.label in ("PROG", "SANT", "REASON")] \
            if named_here and not sent_raws and not sf else []
        prev_program = _program_of(progs[-1], institution) if progs else None
        # the one named program the sentence's claims were about, for a split stated next
        named = {r.program for r in sent_raws if r.explicit and r.program not in GENERIC and r.detail is None}
        prev_claimed = next(iter(named)) if len(named) == 1 else None

    if len({r.branch for r in raws if r.office_named}) >= 2:
        # figures given office by office: a regional story. A figure right after a place name continues the
        # list ("disusul Jambi Rp301,8 miliar"); the others are the region's
        for raw in raws:
            if not raw.office_named:
                place = _place_before(doc, raw)
                raw.branch, raw.office_named = (place, True) if place else (None, False)
    claims_raw, conflicts = merge_claims(raws)
    claims = []
    explain_rows: list[dict] | None = [] if explain else None
    for raw in claims_raw:
        claims.append(_to_claim(raw, original, doc, raw.branch, region_of(mentions, raw.branch)))
        if explain_rows is not None:
            also = [sent_text[i] for i in sorted(set(raw.sources)) if i != raw.sent]
            explain_rows.append({"program": raw.program, "sentence": sent_text[raw.sent], "also_stated_in": also,
                                 "spans": [[f.char_start, f.char_end, f.text] for f in (raw.money, raw.count) if f],
                                 "patterns": raw.patterns})
    # the headline: the first line above the body that reads as one (a kicker like "Metropolis" does not)
    title = next((t for (_, _, head), t in zip(sents, sent_text) if head and len(t.split()) >= 4), None)
    return Result(claims=claims, figures=figures, institution=institution, title=title, warnings=[],
                  explain=explain_rows, raws=claims_raw, conflicts=conflicts)


# a line break after a character that does not end a sentence, before more text; the look-behind comes after
# the "\n" so that the search skips from line break to line break instead of trying every character
WRAP = re.compile(r"\n(?<=[^\s.!?:\"”]\n)(?=[ \t]*[^\s])")


def _place_before(doc: Doc, raw: Raw) -> str | None:
    """The capitalised name right before a generic figure in a list of offices ("Bengkulu Rp176,3 miliar")."""
    fig = raw.money or raw.count
    if raw.program not in GENERIC or fig is None:
        return None
    words: list[str] = []
    i = (fig.qualifier_start if fig.qualifier_start is not None else fig.start) - 1
    while i >= 0 and len(words) < 3 and doc[i].is_alpha and doc[i].text[:1].isupper():
        words.insert(0, doc[i].text)
        i -= 1
    return " ".join(words) if words and (i < 0 or not doc[i].is_alpha or doc[i].is_lower) else None


def unwrap(text: str) -> str:
    """Join hard-wrapped lines ("mencapai Rp1,2\ntriliun") with a space, keeping every offset the same.

    A single line break is a wrap when the line before does not end a sentence and either the next line
    goes on in lower case, with a digit or a bracket, or the line before ends in a lower-case word or a comma
    and is not a headline (mostly capitalised words).
    """
    def joined(m: re.Match) -> str:
        start = text.rfind("\n", 0, m.start()) + 1
        before = text[start:m.start()]
        after = text[m.end():m.end() + 40].lstrip()
        if text[m.start() - 1:m.start()] == "\n" or after.startswith("\n"):
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


def _quote_open_after(sentence: str, open_before: bool) -> bool:
    """Whether a quotation is still open after this sentence (speech spans sentences)."""
    if '"' not in sentence and "“" not in sentence and "”" not in sentence:
        return open_before  # most sentences quote no one: three substring tests instead of a search
    state = open_before
    for mark in QUOTES.findall(sentence):
        state = True if mark == "“" else False if mark == "”" else not state
    return state


def _fired(doc: Doc, fr: Frame, money: Fig | None, count: Fig | None, program: str) -> list[str]:
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


def _frames(r: Rules, doc: Doc, s: int, e: int, sm: list[Mention], sf: list[Fig],
            institution: str | None) -> list[Frame]:
    sf = [f for f in sf if f.kind != "percent"]
    if not sf:
        return []  # frames are kept only for their figures
    by_label: dict[str, list[Mention]] = {}
    for m in sm:
        by_label.setdefault(m.label, []).append(m)
    # a separator word inside a longer phrase ("lalu" in "tahun lalu") does not split
    longer = [m for m in sm if m.end - m.start > 1 and m.label not in ("SEP", "BLOCK")]
    seps = sorted({m.start for m in by_label.get("SEP", ())
                   if not any(o.start <= m.start and m.end <= o.end for o in longer)})
    blockers = by_label.get("BLOCK", [])
    asides = by_label.get("ASIDE", [])
    progs = [m for m in sm if m.label in ("PROG", "REASON") or (m.label == "SANT" and institution == "Jasa Raharja")]
    # a program name inside a segment phrase is not a program ("pekerja penerima upah (PU)" has no JP)
    segs = by_label.get("SEG", []) + by_label.get("INST", [])
    progs = [p for p in progs if not any(g.start <= p.start and p.end <= g.end and (g.end - g.start) > (p.end - p.start)
                                         for g in segs)]
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
    frames = _distribute(frames, by_label.get("DISTRIB", []))
    copulas = {m.start for m in by_label.get("COPULA", ())}
    merged: list[Frame] = []
    for fr in frames:
        if merged:
            prev = merged[-1]
            if prev.program is not None and not prev.figures and fr.program is None and fr.figures:
                fr.program, fr.detail, fr.program_at, fr.program_end = prev.program, prev.detail, prev.program_at, prev.program_end
                merged[-1] = fr
                continue
            # "Untuk korban meninggal dunia sebanyak 1.026 orang, santunan yang kami serahkan Rp51,3 miliar":
            # the next clause's generic word refers back to the specific program
            refers_back = fr.program is None or (fr.program in GENERIC and prev.program is not None
                                                 and prev.program not in GENERIC)
            if prev.figures and fr.figures and refers_back and prev.chunk != fr.chunk and _complementary(prev, fr):
                prev.money += fr.money
                prev.counts += fr.counts
                continue
            if prev.program is None and prev.figures and fr.program is not None and not fr.figures \
                    and fr.program_at is not None and fr.program_at - max(f.end for f in prev.figures) <= 6 \
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
    if a.program and b.program and b.program not in GENERIC and (a.program, a.detail) != (b.program, b.detail):
        return False
    return len(a.money) <= 1 and len(b.money) <= 1


# Roles that say what a figure is whatever the clause says next: a benefit level, a cap, a forecast, a rate
# ("berhak atas santunan JKM sebesar Rp42 juta", "memproyeksikan pembayaran klaim akan mencapai Rp400 miliar").
MODAL_ROLES = {"per_person", "per_person_cap", "balance", "target", "rate"}


def _classify(fig: Fig, sm: list[Mention], sf: list[Fig], fr: Frame, prev_claim: bool, has_cue: bool,
              frame_paid: bool) -> None:
    """Decide whether a figure is a claim; if not, set its role (why it is not)."""
    if fig.unit_kind == "other":
        fig.role = fig.unit or "other"
        return
    if fig.kind == "count" and fig.unit_kind == "none":
        fig.role = "number"
        return
    if fig.kind == "money" and fig.number.value < 1000:
        fig.role = "other"  # "Rp1" is a parsing accident or a symbolic sum, never a payout total
        return
    not_claims = [m for m in sm if m.label == "NOTCLAIM" and m.value != "change" and m.end <= fig.start]
    modal = [m for m in not_claims if m.value in MODAL_ROLES and m.start >= fr.chunk_start]
    if modal:
        fig.role = modal[-1].value
        return
    if not_claims:
        # a topic word (iuran, dana kelolaan ...) names the figure unless a claim word or another figure
        # comes between them: programs are named in those sentences too ("dana kelolaan program JHT")
        topic = not_claims[-1]
        between = range(topic.end, fig.start)
        if not any(m.label == "CUE" and m.value == "strong" and m.start in between for m in sm) \
                and not any(f.start in between for f in sf):
            fig.role = topic.value
            return
    if fig.kind == "money" and not any(f.kind == "count" and f.unit_kind != "none" for f in sf) and any(
            m.label == "RATE" or m.label == "NOTCLAIM" and m.value in MODAL_ROLES for m in sm):
        fig.role = "per_person"  # a sentence listing benefit levels: "biaya perawatan maksimal ..., penguburan Rp4 juta"
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
    subject = next((m for m in sm if m.label == "NOTCLAIM" and m.value != "change"), None)
    strong = any(m.label in ("PROG", "SANT", "REASON") or m.label == "CUE" and m.value == "strong" for m in sm)
    if nearest is not None and nearest.label == "NOTCLAIM":
        fig.role = nearest.value
    elif nearest is not None and nearest.label == "CUE" and nearest.value == "claim" and subject and not strong:
        fig.role = subject.value  # a paying verb, but the sentence is about iuran, BSU, loans ...
    elif any(m.label == "RATE" and 0 <= m.start - fig.end <= 1 for m in sm):
        fig.role = "rate"  # "Rp64.800 per bulan": a rate, never a total paid
    elif nearest is None and not prev_claim:
        fig.role = "other"
    elif fig.kind == "count" and fig.unit_kind != "claim" and not has_cue \
            and not (fig.unit_kind == "bare" and fr.program is not None):  # "JP sebanyak 977 ..."
        fig.role = "count"  # people counted with no word of paying or claiming: participants, workers
    elif fig.kind == "count" and fig.unit_kind == "person" and not frame_paid \
            and not any(ch.isdigit() for ch in fig.text):
        fig.role = "count"  # "satu peserta bisa mengikuti empat program"


def _pair(money: list[Fig], counts: list[Fig], total_cue_ends: set[int]) -> list[tuple[Fig | None, Fig | None, bool]]:
    """Pair each amount with a case count of the same frame; the rest stand alone.

    A second amount introduced by "total klaim" is the total of everything, not this program's (generic=True).
    """
    pairs: list[tuple[Fig | None, Fig | None, bool]] = []
    counts = list(counts)
    for i, m in enumerate(money):
        generic = i > 0 and any(m.start - 3 <= end <= m.start for end in total_cue_ends)
        c = counts.pop(0) if counts and not generic else None
        pairs.append((m, c, generic))
    for c in counts:
        pairs.append((None, c, False))
    return pairs


def _to_claim(raw: Raw, text: str, doc: Doc, branch: str | None, region: str | None) -> Claim:
    start_char, end_char = doc.starts[raw.start], doc.end_char(raw.end - 1)
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
