"""Text -> claims: the extract stage's steps run over one article, sentence by sentence.

How it reads a text:
1. It is tokenised (tokenizer.py, spaCy's rules); token patterns (patterns/extract/figures.jsonl) find money
   and numbers, phrase lists (patterns/extract/lexicon.yaml) find programs, qualifiers, units, cue words,
   segments and institutions (mentions.py, quantities.py).
2. Each sentence is cut into clauses at separators ("," "dan" "kemudian" ...), each clause into frames at
   program names: a frame holds one program and the figures stated for it (linking.py).
3. Frames become claims; claims stated twice (headline, quote, repeated paragraph) are merged, an amount and
   its case count stated in two sentences about the same program and period are joined (merge.py).
4. Period, segment and branch stated once govern what follows.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from decimal import Decimal

from ..models import Claim, Figure
from .context import Context, Sentence, Slot, choose_program
from .dating import doc_year, sentence_period, year_before
from .labels import Label
from .lexicon import coding, lexicon, program_codes, totals
from .linking import Frame, classify, frames_of, institution_of, pair_figures, program_of
from .mentions import Mention, Rules, find_mentions, rules
from .merge import Raw, merge_claims
from .offices import area_before, find_offices, first_region, region_of
from .periods import Period, find_periods
from .quantities import Quantity, drop_restatements, find_figures
from .sentences import is_boilerplate_sentence, opens_with_dateline, quote_open_after, sentences_of, unglue, unwrap
from .tokenizer import Doc


@dataclass
class Result:
    claims: list[Claim]
    figures: list[Figure]
    institution: str | None
    title: str | None
    warnings: list[str]
    explain: list[dict] | None = None
    raws: list[Raw] = field(default_factory=list)  # for validate: qualifiers and precision of each figure
    named_parts: list[Raw] = field(default_factory=list)  # for validate: parts named without a figure
    conflicts: list = field(default_factory=list)  # (headline claim, body claim) that disagree


def extract(text: str, published: str | None = None, explain: bool = False) -> Result:
    return _extract(rules(), text, published, explain)


def _extract(r: Rules, text: str, published: str | None, explain: bool) -> Result:
    original, text = text, unglue(unwrap(text, r.boilerplate))  # same length: offsets hold in both
    doc = r.tokenize(text)
    mentions = find_mentions(r, doc)
    figs = drop_restatements(doc, find_figures(r, doc, mentions))
    institution = institution_of(mentions)
    codes = coding(institution)
    if not codes.victim_types:  # "meninggal", "cacat" name santunan programs only where the lexicon says so
        mentions = _benefit_words(doc, mentions, institution)
    total_code = codes.total
    # sentences as token ranges, with their text cut from the string (cheaper than Span.text)
    sents = [(a, b, head) for a, b, head in sentences_of(doc)]
    sent_text = [text[doc.starts[a]:doc.end_char(b - 1)] for a, b, _ in sents]
    keep = [i for i, t in enumerate(sent_text) if not is_boilerplate_sentence(r, t)]
    sents, sent_text = [sents[i] for i in keep], [sent_text[i] for i in keep]
    periods = [(p, doc.char_span(p.start, p.end)) for p in find_periods(text)]
    context_year = doc_year(published, text, periods)

    raws: list[Raw] = []
    named_parts: list[Raw] = []  # programs a breakdown names with no figure ("terbagi klaim JKP, JKM, ...")
    figures: list[Figure] = []
    ctx = Context()
    offices = find_offices(r, doc, mentions, codes.provincial_branches)
    mention_starts = [m.start for m in mentions]
    total_cue_ends = {m.end for m in mentions if m.label == Label.TOTALCUE}
    fig_starts = [f.start for f in figs]
    for si, (s, e, headline) in enumerate(sents):
        # a quotation left open (a missing closing mark) ends with its paragraph
        new_paragraph = si > 0 and "\n" in text[doc.end_char(sents[si - 1][1] - 1):doc.starts[s]]
        ctx.in_quote = ctx.in_quote and si > 0 and not headline and not new_paragraph
        if opens_with_dateline(sent_text[si]):
            ctx.start_body()
        sm = mentions[bisect_left(mention_starts, s):bisect_left(mention_starts, e)]
        sf = figs[bisect_left(fig_starts, s):bisect_left(fig_starts, e)]
        labels = {m.label for m in sm}  # what kinds of words the sentence has
        sentence = Sentence(index=si, headline=headline, mentions=sm, labels=labels, figures=sf,
                            institution=institution)
        sp = [(p, span.start) for p, span in periods if span is not None and s <= span.start < e]
        if any(p.kind == "that" for p, _ in sp):  # "dalam lima tahun tersebut": the period named last
            sp = [(ctx.named_last if p.kind == "that" else p, at) for p, at in sp
                  if p.kind != "that" or ctx.named_last is not None]
        anchored = [span for p, span in periods if p.anchored and span is not None and s <= span.start < e]
        cmp_at = min((m.start for m in sm if _opens_comparison(m, sm)
                      and not any(a.start <= m.start < a.end for a in anchored)), default=None) \
            if Label.COMPARE in labels or Label.FROM in labels else None
        whole = _whole_breakdown().search(sent_text[si].lower()) is not None
        own = sentence_period([p for p, _ in sp], ctx.period, context_year)
        ctx.named_last = own or ctx.named_last
        if cmp_at is None:
            side_periods = {"before": own, "then": own, "now": own}
            level_at = min((m.start for m in sm if m.label == Label.LEVEL), default=e)
            if any(at < level_at for _, at in sp) and any(at > level_at for _, at in sp):
                # "pada bulan Juni 2.801 kasus dan meningkat menjadi 3.368 kasus pada bulan Juli": each level
                # has the period on its side of "menjadi"
                side_periods = {"before": sentence_period([p for p, at in sp if at < level_at], ctx.period,
                                                          context_year),
                                "then": own,
                                "now": sentence_period([p for p, at in sp if at > level_at], ctx.period, context_year)}
            else:
                level_at = e
        else:  # a comparison: periods after the cue belong to the figures after it, up to "menjadi"
            before = sentence_period([p for p, at in sp if at < cmp_at], ctx.period, context_year)
            level_at = min((m.start for m in sm if m.label == Label.LEVEL and m.start > cmp_at), default=e)
            # "triwulan I 2020 ..., periode yang sama pada tahun 2019": the same as the side before the cue
            then = sentence_period([p for p, at in sp if cmp_at <= at < level_at], before or ctx.period,
                                   context_year)
            if then is None and level_at < e and (before or ctx.period) is not None \
                    and not _steps_from_before(doc.lowers[cmp_at:level_at]):
                # "naik 30 persen dari Rp652 miliar menjadi Rp848 miliar": from last year's level to this
                # year's ("dari sebelumnya 11 menjadi 28 kasus" steps from the item before, not a year)
                then = year_before(before or ctx.period)
            # "... dari Rp1,3 triliun pada 2020 menjadi Rp3,1 triliun pada akhir tahun lalu": the new level
            now = sentence_period([p for p, at in sp if at >= level_at], ctx.period, context_year) or before
            side_periods = {"before": before, "then": then, "now": now}
        has_cue = Label.CUE in labels
        frames = frames_of(r, doc, s, e, sm, sf, institution)
        calm = ctx.claim_cue and not any(m.label == Label.NOTCLAIM and m.value != "change" for m in sm)
        sent_raws = []
        for fr in frames:
            for fig in fr.money + fr.counts:  # money first: a count beside a claimed amount is claimed too
                frame_paid = any(f.role is None for f in fr.money)
                classify(fig, sm, sf, fr, calm, has_cue or frame_paid, frame_paid)
            claim_money = [f for f in fr.money if f.role is None]
            claim_counts = [f for f in fr.counts if f.role is None]
            for f in fr.figures:
                date_part = f.unit_kind == "none" and "/" in text[max(0, f.char_start - 1):f.char_end + 1]
                if f.role is not None and f.kind != "percent" and not date_part:  # "(8/11/2016)" is a date
                    figures.append(Figure(text=f.text, value=_plain(f.number.value), role=f.role,
                                          span=(f.char_start, f.char_end)))
            if not claim_money and not claim_counts:
                continue
            choice, program_rule = choose_program(Slot(fr, claim_money, claim_counts, sentence, ctx))
            program, detail, explicit = choice if choice is not None else (None, None, False)
            if program is None and not codes.own_codes:
                # other institutions (BPJS Kesehatan, insurers): the line of business is the detail
                # the line named in this clause before the figure, else the first named in the sentence
                first_fig = min(f.start for f in claim_money + claim_counts)
                in_clause = [m.value for m in sm if m.label == Label.LOB and fr.chunk_start <= m.start < first_fig]
                detail = in_clause[-1] if in_clause else next((m.value for m in sm if m.label == Label.LOB), None)
            program = program or total_code
            for money, count, generic in pair_figures(claim_money, claim_counts, total_cue_ends):
                pats = _fired(doc, fr, money, count, program) if explain else []
                start = min(x.start if x.qualifier_start is None else x.qualifier_start
                            for x in (money, count) if x is not None)
                if fr.program_at is not None and fr.program_at < start and not generic:
                    start = fr.program_at
                end = max(x.end for x in (money, count) if x is not None)
                first_fig = min(x.start for x in (money, count) if x is not None)
                compared = cmp_at is not None and cmp_at <= first_fig < level_at
                side = "then" if compared else "now" if first_fig >= level_at else "before"
                period = side_periods[side] or ctx.period
                if compared:
                    period = _compared_period(sp, cmp_at, first_fig, side_periods, ctx, context_year) or period
                # an office named in this clause ("Cabang Malang Rp500 miliar"), else the article's office
                # the nearest "Cabang X" before the figure with no other figure between them
                heads = [m.start for m in sm if m.label == Label.BRANCH and m.start in offices.at_head
                         and m.start < first_fig and not any(m.start < f.start < first_fig for f in sf)]
                office = offices.at_head[heads[-1]] if heads else offices.main
                raw = Raw(program=total_code if generic else program, detail=None if generic else detail,
                          branch=office, office_named=bool(heads),
                          money=money, count=count, sent=si, headline=headline, period=period,
                          segment=None, start=start, end=end, patterns=pats,
                          explicit=explicit or generic, anaphoric=Label.ANAPHORA in labels,
                          partial=Label.PARTIAL in labels)
                raw.complete = whole
                raw.area = area_before(doc, max((f.end for f in sf if f.end <= first_fig), default=s), first_fig, sm)
                raw.why = {"partner": "same clause" if money and count else "stated alone",
                           "program": "a second amount after a total word" if generic else program_rule,
                           "period": _period_rule(period, side_periods[side], compared),
                           "branch": "named in the clause" if heads else "the article's office" if office
                           else "none stated"}
                sent_raws.append(raw)
        if whole and Label.PROG in labels:
            named_parts += _named_without_figures(sm, sent_raws, institution, si, own or ctx.period, offices.main)
        segs = {m.value for m in sm if m.label == Label.SEG} if Label.SEG in labels else set()
        if sent_raws:
            if len(segs) == 1:
                ctx.segment = next(iter(segs))
            elif len(segs) > 1:
                ctx.segment = None
            for raw in sent_raws:
                # several segments in one sentence: each claim has the one named in its own clause, if any
                # ("JKK penerima upah (PU) Rp3,9 miliar, JKK bukan penerima upah (BPU) Rp37,6 juta")
                own_seg = [m.value for m in sm if m.label == Label.SEG and raw.start <= m.start < raw.end]
                raw.segment = ctx.segment if len(segs) <= 1 else (own_seg[-1] if own_seg else None)
        raws.extend(sent_raws)
        speech = ctx.in_quote or doc.words[s] in ("“", '"')
        ctx.advance(sentence, sent_raws, own, compares=cmp_at is not None, speech=speech)
        ctx.in_quote = quote_open_after(sent_text[si], ctx.in_quote)

    if len({r.branch for r in raws if r.office_named}) >= 2:
        # figures given office by office: a regional story. A figure right after a place name continues the
        # list ("disusul Jambi Rp301,8 miliar"); the others are the region's
        for raw in raws:
            if not raw.office_named:
                place = _place_before(doc, raw)
                raw.branch, raw.office_named = (place, True) if place else (None, False)
                raw.why["branch"] = "the place named before it in a list of offices" if place \
                    else "none: figures are given office by office"
    _keep_area_lists(raws)
    claims_raw, conflicts = merge_claims(raws)
    claims = []
    explain_rows: list[dict] | None = [] if explain else None
    region = first_region(mentions)
    for raw in claims_raw:
        claims.append(_to_claim(raw, original, doc, raw.branch, raw.area or region_of(raw.branch, region)))
        if explain_rows is not None:
            also = [sent_text[i] for i in sorted(set(raw.sources)) if i != raw.sent]
            explain_rows.append({"program": raw.program, "sentence": sent_text[raw.sent], "also_stated_in": also,
                                 "spans": [[f.char_start, f.char_end, f.text] for f in (raw.money, raw.count) if f],
                                 "patterns": raw.patterns, "rules": dict(raw.why)})
    # the headline: the first line above the body that reads as one (a kicker like "Metropolis" does not)
    title = next((t for (_, _, head), t in zip(sents, sent_text) if head and len(t.split()) >= 4), None)
    return Result(claims=claims, figures=figures, institution=institution, title=title, warnings=[],
                  explain=explain_rows, raws=claims_raw, conflicts=conflicts, named_parts=named_parts)


def _opens_comparison(m, sm) -> bool:
    """A comparison cue, or "dari" a few words after a change word ("naik 3,0% dari tahun 2019")."""
    return m.label == Label.COMPARE or m.label == Label.FROM and any(
        c.label == Label.NOTCLAIM and c.value == "change" and m.start - 4 <= c.end <= m.start for c in sm)


def _named_without_figures(sm: list, sent_raws: list[Raw], institution: str | None, si: int,
                           period: Period | None, office: str | None) -> list[Raw]:
    """The programs a whole breakdown names that got no figure of their own in its sentence ("93.468 klaim,
    terbagi klaim JKP, JKM, JKK, JHT dan JP"): parts of the total whose figures the article does not give."""
    claimed = {r.program for r in sent_raws}
    out: list[Raw] = []
    for m in sm:
        if m.label == Label.PROG:
            code, detail = program_of(m, institution)
            if detail is None and code not in claimed and code not in totals() \
                    and code not in program_codes().never_parts:  # scholarships: paid out of JKK/JKM
                claimed.add(code)
                out.append(Raw(program=code, detail=None, money=None, count=None, sent=si, headline=False,
                               period=period, segment=None, start=m.start, end=m.end, branch=office))
    return out


def _compared_period(sp: list, cmp_at: int, first_fig: int, side_periods: dict, ctx: Context,
                     context_year: int | None) -> Period | None:
    """A figure on the comparison's side has the period named there before it, the nearest of equally
    specific ones ("naik 15% dari tahun 2021, dan naik 3% dari tahun 2019, yang tercatat Rp1,24 triliun": 2019)."""
    near = [p for p, at in sp if cmp_at <= at < first_fig]
    return sentence_period(near[::-1], side_periods["before"] or ctx.period, context_year) if near else None


def _keep_area_lists(raws: list[Raw]) -> None:
    """A place named before one figure is where the office is; places named figure by figure, in one sentence
    or the next ("Kabupaten Kudus Rp105,49 miliar, disusul Kabupaten Pati Rp24,39 miliar"), split its figures."""
    areas: dict[int, set[str]] = {}
    for raw in raws:
        if raw.area:
            areas.setdefault(raw.sent, set()).add(raw.area)
    for raw in raws:
        if raw.area and not any(areas.get(i, set()) - {raw.area} for i in (raw.sent - 1, raw.sent, raw.sent + 1)):
            raw.area = None


@lru_cache(maxsize=16)
def _own_benefit_words(institution: str | None) -> dict[str, str]:
    words = lexicon().section("benefit_words").get(institution or "") or {}
    return {str(k).lower(): str(v) for k, v in words.items()}


def _benefit_words(doc: Doc, mentions: list, institution: str | None) -> list:
    """Victim words dropped, but those the institution's own programs pay ("santunan kematian": JKM)."""
    own = _own_benefit_words(institution)
    out = []
    for m in mentions:
        if m.label != Label.SANT:
            out.append(m)
        elif (code := own.get(" ".join(doc.lowers[m.start:m.end]))) is not None:
            out.append(Mention(Label.PROG, code, m.start, m.end))
    return out


@lru_cache(maxsize=1)
def _step_words() -> frozenset[str]:
    return frozenset(str(w).lower() for w in lexicon().section("cues", "step_from_before"))


def _steps_from_before(words: list[str]) -> bool:
    return not _step_words().isdisjoint(words)


@lru_cache(maxsize=1)
def _whole_breakdown() -> re.Pattern:
    words = sorted((re.escape(str(w).lower()) for w in lexicon().section("complete")), key=len, reverse=True)
    return re.compile(rf"\b(?:{'|'.join(words)})\b")


def _period_rule(period: Period | None, own: Period | None, compared: bool) -> str:
    if period is None:
        return "none stated"
    if period is own:
        return "the comparison's side of the sentence" if compared else "stated in the sentence"
    return "stated before (running period)"


def _place_before(doc: Doc, raw: Raw) -> str | None:
    """The capitalised name right before a generic figure in a list of offices ("Bengkulu Rp176,3 miliar")."""
    fig = raw.money or raw.count
    if raw.program not in totals() or fig is None:
        return None
    words: list[str] = []
    i = (fig.qualifier_start if fig.qualifier_start is not None else fig.start) - 1
    while i >= 0 and len(words) < 3 and doc[i].is_alpha and doc[i].text[:1].isupper():
        words.insert(0, doc[i].text)
        i -= 1
    return " ".join(words) if words and (i < 0 or not doc[i].is_alpha or doc[i].is_lower) else None


def _fired(doc: Doc, fr: Frame, money: Quantity | None, count: Quantity | None, program: str) -> list[str]:
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


def _plain(value: Decimal):
    return int(value) if value == value.to_integral_value() else float(value)


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
