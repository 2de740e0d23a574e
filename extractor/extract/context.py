"""The linking model: what one sentence leaves for the next, and the named rules that fill a claim's slots.

An article is read sentence by sentence. `Context` is everything carried from one sentence to the next (the
running period and segment, the period named last, the program a sentence named without figures, the program
the last claims were about, the program the passage is about, whether a quotation is open);
`Context.advance(sentence, claims)` moves it past one sentence, and each carry-over states there when it lapses.

A figure's program is chosen by the first rule of `PROGRAM_RULES` that applies, in this precedence:
the figure names the whole a program's share is of ("40 persen dari total dana ..., yakni Rp85 miliar") >
the clause names it > the figure points back to one stated before > the sentence names it before the figure >
the sentence before named it (and stated no figure) > a split of the program the sentence before was about
("Dari jumlah itu ...") > the program the passage is about > the institution's total.
Its period: on a comparison's side, the period named there nearest before it, else a year before the story's
when the sentence goes "dari Rp A menjadi Rp B" > after "menjadi", the new level's period > the sentence's own
("tahun tersebut": the period named last; "tahun ini" inside a story of part of this year: the story's period)
> the running period > a period stated in the next sentences (back-filled). Its place: the office named in its
clause > the article's office; a district or province named before each figure of a list is its area.
The rule that chose each slot is kept on the claim (`Raw.why`) and shown by `--explain`; tests/test_linking.py
has one row per rule, with the phrasing it covers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from .labels import Label
from .lexicon import coding, totals
from .linking import Frame, program_of
from .mentions import Mention
from .merge import Raw
from .periods import Period
from .quantities import Quantity

ProgramChoice = tuple[str, "str | None", bool]  # program, detail, named in the text (not carried or defaulted)


@dataclass
class Sentence:
    """The facts of one sentence the rules read."""

    index: int
    headline: bool
    mentions: list[Mention]
    labels: set[str]
    figures: list[Quantity]
    institution: str | None

    @property
    def names_program(self) -> bool:
        return bool(self.labels & {Label.PROG, Label.SANT, Label.SPLIT})

    @property
    def programs(self) -> set[tuple[str, str | None]]:
        """The specific programs it names (not a total)."""
        found = {program_of(m, self.institution) for m in self.mentions if m.label in (Label.PROG, Label.SANT, Label.SPLIT)}
        return {p for p in found if p[0] not in totals()}

    @property
    def names_total(self) -> bool:
        """It names a total code ("santunan" alone): the passage is back to the whole."""
        return any(m.label in (Label.PROG, Label.SANT) and m.value in totals() for m in self.mentions)

    @property
    def topic_programs(self) -> set[tuple[str, str | None]]:
        """The programs it names that can set the passage's topic: a reason for claiming JHT ("PHK") is
        named in too many other contexts (layoffs, the economy) to say the passage is about JHT."""
        found = {program_of(m, self.institution) for m in self.mentions if m.label in (Label.PROG, Label.SANT)}
        return {p for p in found if p[0] not in totals()}


def one_program(named: set[tuple[str, str | None]]) -> tuple[str, str | None]:
    """One program named (perhaps with several splits): its code, and its split if only one was named."""
    codes = sorted({code for code, _ in named})
    details = {detail for _, detail in named}
    return codes[0], (next(iter(details)) if len(details) == 1 else None)


def _ends_before(a: Period, b: Period) -> bool:
    """Period a ends before period b starts."""
    a_end, b_start = a.dates()[1], b.dates()[0]
    return a_end is not None and b_start is not None and a_end < b_start


@dataclass
class Context:
    """Every carry-over from the sentences read so far."""

    period: Period | None = None  # the running period: stated once, it governs what follows
    segment: str | None = None  # the running segment (BPU, PU ...)
    claim_cue: bool = False  # the sentence before spoke of claims or programs, or stated claims
    named_program: tuple[str, str | None] | None = None  # named by the sentence before, which had no figure
    claimed_program: str | None = None  # the one named program the sentence before's claims were about
    topic: tuple[str, str | None] | None = None  # the program the passage is about
    in_quote: bool = False  # a quotation opened in an earlier sentence is still open
    named_last: Period | None = None  # the period the last sentence naming one named, for "tahun tersebut"
    seen_period: bool = False
    backfill: list[Raw] = field(default_factory=list)  # claims before any period, waiting for one
    stated: list[Raw] = field(default_factory=list)  # every claim so far, for figures that point back to one

    def start_body(self) -> None:
        """The lead (its dateline) begins the story: programs named in a headline or caption lapse."""
        self.topic = self.named_program = None

    def advance(self, s: Sentence, claims: list[Raw], own_period: Period | None, compares: bool,
                speech: bool) -> None:
        """Move past sentence `s`, whose claims are `claims` and whose own period is `own_period`."""
        if own_period is not None:
            if not self.seen_period and self.backfill and s.index - self.backfill[-1].sent <= 2 and not claims:
                for raw in self.backfill:  # "... Rp419,1 miliar. ... pemberian klaim itu untuk tahun 2016."
                    raw.period = own_period
                    raw.why["period"] = "stated in a sentence after it"
            self.seen_period = True
            self.backfill = []
            # lapses: a comparison, a quotation, "tahun ini", or a sentence about something else (iuran ...)
            off_topic = not claims and Label.NOTCLAIM in s.labels
            # and a step back to an earlier period ("Pada 2022, santunan tercatat Rp219 miliar" after the
            # article's 2023) is a look back for that sentence: the story stays in its own period
            back = self.period is not None and _ends_before(own_period, self.period)
            if not compares and own_period.kind not in ("same", "relative") and not speech and not off_topic \
                    and not back:
                self.period = own_period
        elif claims and not self.seen_period:
            self.backfill.extend(claims)
        # lapses after one sentence: a sentence that spoke of claims, or stated some, lets the next one list
        # figures with no word of claiming ("Antara lain, Juni (Rp195,9 miliar, 19.040 tenaga kerja), ...")
        self.claim_cue = Label.CUE in s.labels or Label.PROG in s.labels or Label.SANT in s.labels or bool(claims)
        # lapses after one sentence: only a sentence that names a program and states no figure carries it
        named = [m for m in s.mentions if m.label in (Label.PROG, Label.SANT, Label.SPLIT)] \
            if s.names_program and not claims and not s.figures else []
        self.named_program = program_of(named[-1], s.institution) if named else None
        # lapses at a word of "all together", a total's name ("santunan" alone) or when another program is
        # named; a headline's program is its own figure's, not the passage's
        programs = s.topic_programs
        if Label.AGGREGATE in s.labels or len({code for code, _ in programs}) > 1 or s.names_total:
            self.topic = None
        elif programs and not s.headline:
            topic = one_program(programs)
            # sentence after sentence, each with another program's figures ("... JKM Rp14 miliar. Selanjutnya
            # JP Rp6 miliar."): a list of programs, which no figure after it continues
            listed = bool(claims) and self.claimed_program is not None and topic[0] != self.claimed_program
            self.topic = None if listed else topic
        self.stated.extend(claims)
        claimed = {r.program for r in claims if r.explicit and r.program not in totals() and r.detail is None}
        self.claimed_program = next(iter(claimed)) if len(claimed) == 1 else None


@dataclass
class Slot:
    """What a program rule may look at: the frame, its claim figures, the sentence and the context."""

    frame: Frame
    money: list[Quantity]
    counts: list[Quantity]
    sentence: Sentence
    context: Context


@dataclass(frozen=True)
class Rule:
    name: str
    choose: Callable[[Slot], "ProgramChoice | None"]  # None: the rule does not apply


def _named_in_clause(q: Slot) -> ProgramChoice | None:
    fr = q.frame
    return (fr.program, fr.detail, True) if fr.program is not None else None


def _named_before(q: Slot) -> ProgramChoice | None:
    # "Klaim JKK juga meningkat. Tercatat 1.204 kasus senilai Rp12 miliar."
    named, s = q.context.named_program, q.sentence
    if named and Label.CUE not in s.labels and not s.names_program:
        return named[0], named[1], False
    return None


def _share_of_a_total(q: Slot) -> ProgramChoice | None:
    # "santunan korban meninggal dunia tercatat 57,07 persen dari total dana yang dikucurkan, yakni Rp1,98
    # triliun": the amount naming the whole a program's share is of is the total
    fr, s = q.frame, q.sentence
    if fr.program is None or fr.program_at is None or not q.money:
        return None
    first = q.money[0].start
    # a share "N persen dari total ...", not an item's own sum ("120 kasus dengan total pembayaran Rp633 juta"),
    # and the total then named ("yakni"), not the share restated ("91% dari total klaim, atau Rp58,78 miliar")
    shares = [f.end for f in s.figures if f.kind == "percent" and fr.program_at < f.start < first]
    cues = [m.start for m in s.mentions if m.label == Label.TOTALCUE and shares and shares[0] < m.start < first
            and any(x.label == Label.FROM and x.end == m.start for x in s.mentions)]
    if cues and any(m.label == Label.COPULA and cues[0] < m.start < first for m in s.mentions):
        return coding(s.institution).total, None, True
    return None


def _restates_earlier_figure(q: Slot) -> ProgramChoice | None:
    # "Ia merinci, dari jumlah Rp56,39 miliar itu, ...": an amount pointed at with itu/tersebut is one stated
    # before; it keeps that claim's program
    from ..validate.checks import figures_agree

    s = q.sentence
    for money in q.money:
        if any(m.label == Label.ANAPHORA and m.start == money.end for m in s.mentions):
            earlier = [r for r in q.context.stated if r.money is not None and figures_agree(r.money, money)]
            if earlier:
                return earlier[-1].program, earlier[-1].detail, earlier[-1].explicit
    return None


def _named_earlier_in_sentence(q: Slot) -> ProgramChoice | None:
    # "beasiswa bagi 30 pelajar SMP Rp60 juta, 26 pelajar SMA Rp78 juta, dan 14 mahasiswa Rp168 juta": the
    # items after the first of a list are the program the sentence named before them
    before = _programs_before(q, q.frame.chunk_start)
    if len({code for code, _ in before}) != 1 or _aggregate_in_clause(q):
        return None
    code, detail = one_program(before)
    return code, detail, False


def _programs_before(q: Slot, at: int) -> set[tuple[str, str | None]]:
    s = q.sentence
    found = {program_of(m, s.institution) for m in s.mentions if m.label in (Label.PROG, Label.SANT, Label.SPLIT)
             and m.start < at}
    return {p for p in found if p[0] not in totals()}


def _aggregate_in_clause(q: Slot) -> bool:
    first = min(f.start for f in q.money + q.counts)
    return any(m.label == Label.AGGREGATE and q.frame.chunk_start <= m.start < first for m in q.sentence.mentions)


def _outcome_split(q: Slot) -> ProgramChoice | None:
    # "Dari jumlah itu, 14 kasus ... meninggal dunia dan 23 kasus cacat": a split of the program the sentence
    # before was about, by how the cases ended
    s, claimed = q.sentence, q.context.claimed_program
    if not claimed or Label.ANAPHORA not in s.labels or s.names_program or not q.counts or q.money:
        return None
    outcome = [m.value for m in s.mentions if m.label == Label.OUTCOME and m.start > q.counts[0].start
               and m.start >= q.frame.chunk_start]
    return (claimed, outcome[0], False) if outcome else None


def _passage_topic(q: Slot) -> ProgramChoice | None:
    # "Klaim JHT meningkat sejak Januari. Pada Januari klaim mencapai Rp120,1 miliar ..."
    topic, s = q.context.topic, q.sentence
    first = min(f.start for f in q.money + q.counts)
    # (a program named after the figure, "... dibanding klaim JHT tahun lalu", is about something else)
    if topic and not _programs_before(q, first) and Label.AGGREGATE not in s.labels:
        return topic[0], topic[1], False
    return None


PROGRAM_RULES = (
    Rule("a total word after the program named", _share_of_a_total),
    Rule("named in the clause", _named_in_clause),
    Rule("restates a figure stated before (itu, tersebut)", _restates_earlier_figure),
    Rule("named earlier in the sentence", _named_earlier_in_sentence),
    Rule("named by the sentence before", _named_before),
    Rule("split of the program just stated", _outcome_split),
    Rule("program the passage is about", _passage_topic),
)
TOTAL_RULE = "no program named: the institution's total"


def choose_program(q: Slot) -> tuple[ProgramChoice | None, str]:
    """The first rule that applies, and its name; (None, TOTAL_RULE) when none does."""
    for rule in PROGRAM_RULES:
        choice = rule.choose(q)
        if choice is not None:
            return choice, rule.name
    return None, TOTAL_RULE
