"""Linking: a sentence's figures into frames (one program each), money and counts paired, and each figure
classified as a claim or not (iuran, target, per-person benefit ...)."""
from __future__ import annotations

from dataclasses import dataclass, field

from .labels import Label
from .lexicon import coding, lexicon, totals
from .mentions import Mention, Rules
from .quantities import Quantity
from .tokenizer import Doc


@dataclass(slots=True)
class Frame:
    program: str | None = None
    detail: str | None = None
    program_at: int | None = None
    money: list[Quantity] = field(default_factory=list)
    counts: list[Quantity] = field(default_factory=list)
    start: int = 0
    end: int = 0
    chunk: int = 0
    chunk_start: int = 0
    program_end: int | None = None

    def __init__(self, program: str | None = None, detail: str | None = None, program_at: int | None = None,
                 money: list[Quantity] | None = None, counts: list[Quantity] | None = None, start: int = 0, end: int = 0,
                 chunk: int = 0, chunk_start: int = 0, program_end: int | None = None) -> None:
        # written out for mypyc (see mentions.Mention)
        self.program, self.detail, self.program_at, self.program_end = program, detail, program_at, program_end
        self.money = money if money is not None else []
        self.counts = counts if counts is not None else []
        self.start, self.end, self.chunk, self.chunk_start = start, end, chunk, chunk_start

    @property
    def figures(self) -> list[Quantity]:
        return self.money + self.counts


def institution_of(mentions: list[Mention]) -> str | None:
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    for m in mentions:
        if m.label == Label.INST:
            counts[m.value] = counts.get(m.value, 0) + 1
            first.setdefault(m.value, m.start)
    if not counts:
        return None
    return max(counts, key=lambda k: (counts[k], -first[k]))


def program_of(m: Mention, institution: str | None) -> tuple[str, str | None]:
    if m.label == Label.SPLIT:  # "karena PHK": the program (JHT) and the split (sebab PHK) in one phrase
        code, _, detail = m.value.partition("|")
        return code, detail
    return m.value, None


def frames_of(r: Rules, doc: Doc, s: int, e: int, sm: list[Mention], sf: list[Quantity],
            institution: str | None) -> list[Frame]:
    sf = [f for f in sf if f.kind != "percent"]
    if not sf:
        return []  # frames are kept only for their figures
    by_label: dict[str, list[Mention]] = {}
    for m in sm:
        by_label.setdefault(m.label, []).append(m)
    # a separator word inside a longer phrase ("lalu" in "tahun lalu") does not split
    longer = [m for m in sm if m.end - m.start > 1 and m.label not in (Label.SEP, Label.BLOCK)]
    # nor does one inside brackets: "Juni (Rp195,9 miliar, 19.040 tenaga kerja)" is one item of a list
    bracketed = _bracketed(doc, s, e)
    seps = sorted({m.start for m in by_label.get(Label.SEP, ())
                   if not any(o.start <= m.start and m.end <= o.end for o in longer) and m.start not in bracketed})
    blockers = by_label.get(Label.BLOCK, [])
    asides = by_label.get(Label.ASIDE, [])
    progs = [m for m in sm if m.label in (Label.PROG, Label.SPLIT) or (m.label == Label.SANT and coding(institution).victim_types)]
    # a program name inside a segment phrase is not a program ("pekerja penerima upah (PU)" has no JP)
    segs = by_label.get(Label.SEG, []) + by_label.get(Label.INST, [])
    progs = [p for p in progs if not any(g.start <= p.start and p.end <= g.end and (g.end - g.start) > (p.end - p.start)
                                         for g in segs)]
    bounds = [s] + [x for x in seps if s < x < e] + [e]
    frames: list[Frame] = []
    for chunk, (a, b) in enumerate(zip(bounds, bounds[1:])):
        chunk_frames = [Frame(start=a, end=b, chunk=chunk, chunk_start=a + 1 if a in seps else a)]
        # "Selain JHT, ..." names something beside the subject; "Selain itu, ..." only moves on
        aside = any(a <= m.start < a + 2 and not any(n.label == Label.ANAPHORA and n.start == m.end for n in sm)
                    for m in asides)
        for p in sorted((p for p in progs if a <= p.start < b and not aside), key=lambda m: m.start):
            code, detail = program_of(p, institution)
            cur = chunk_frames[-1]
            figs_since = any(max(cur.start, cur.program_at or cur.start) <= f.start < p.start for f in sf)
            if cur.program is not None and not figs_since and (p.start - cur.end <= 3 or cur.program == code):
                # "Jaminan Hari Tua (JHT)" or "santunan bagi korban ... cacat": one mention, the specific wins
                if cur.program == code or cur.program in totals():
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
    frames = _distribute(frames, by_label.get(Label.DISTRIB, []))
    copulas = {m.start for m in by_label.get(Label.COPULA, ())}
    aggregates = by_label.get(Label.AGGREGATE, [])
    merged: list[Frame] = []
    for i, fr in enumerate(frames):
        if merged:
            prev = merged[-1]
            if prev.program is not None and not prev.figures and fr.program is None and fr.figures \
                    and not _aggregate_before(fr, aggregates) and not (merged[:-1] and merged[-2].program is not None
                                                                        and not merged[-2].figures):
                fr.program, fr.detail, fr.program_at, fr.program_end = prev.program, prev.detail, prev.program_at, prev.program_end
                merged[-1] = fr
                continue
            if _joint_naming(prev, fr):
                # "santunan kematian dan biaya pengobatan sebesar Rp4 miliar": one figure for the two programs
                fr.counts = prev.counts + fr.counts
                if prev.program == fr.program:  # two splits of one program: "TK dan SD"
                    fr.detail = f"{prev.detail} dan {fr.detail}"
                else:
                    fr.detail = f"{prev.program} dan {fr.program}"
                    fr.program = coding(institution).total
                fr.program_at = prev.program_at
                merged[-1] = fr
                while len(merged) >= 2 and _named_just_before(merged[-2], fr):  # "THT, JKK, dan JKM Rp16 T"
                    earlier = merged.pop(-2)
                    fr.detail = f"{earlier.detail if earlier.program == prev.program == fr.program else earlier.program}" \
                                f", {fr.detail}"
                    fr.program_at = earlier.program_at
                continue
            # "Untuk korban meninggal dunia sebanyak 1.026 orang, santunan yang kami serahkan Rp51,3 miliar":
            # the next clause's generic word refers back to the specific program
            refers_back = fr.program is None or (fr.program in totals() and prev.program is not None
                                                 and prev.program not in totals())
            if prev.figures and fr.figures and refers_back and prev.chunk != fr.chunk and _complementary(prev, fr):
                prev.money += fr.money
                prev.counts += fr.counts
                continue
            if (prev.program is None or prev.program in totals() and fr.program not in totals()) \
                    and prev.figures and fr.program is not None and not fr.figures \
                    and fr.program_at is not None and fr.program_at - max(f.end for f in prev.figures) <= 6 \
                    and (prev.chunk == fr.chunk or _opens_with(fr, copulas)) \
                    and not _program_list(prev, frames[i + 1:]):
                # "Rp4,5 miliar klaim program JKM": a program named right after a figure that had none, or only
                # a generic one ("santunan ... Rp1,36 triliun disalurkan ke korban yang meninggal dunia")
                prev.program, prev.detail = fr.program, fr.detail
                continue
            if prev.program is None and prev.money and not prev.counts and fr.program is not None \
                    and fr.counts and not fr.money and prev.chunk == fr.chunk and fr.program_at is not None \
                    and fr.program_at - max(f.end for f in prev.money) <= 3:
                # "Rp1,9 triliun dibayarkan untuk jaminan hari tua sebanyak 183.864 kasus": amount, program, count
                prev.program, prev.detail, prev.program_at, prev.program_end = \
                    fr.program, fr.detail, fr.program_at, fr.program_end
                prev.counts += fr.counts
                continue
        merged.append(fr)
    return [fr for fr in merged if fr.figures]


def _joint_naming(prev: Frame, fr: Frame) -> bool:
    """Two programs named side by side ("JKK dan JHT", "JKM, JKK"), then figures: the figures are both's."""
    # ("54 pelajar TK dan SD mencapai Rp81 juta": a count before the first name is the pair's too)
    counted_before = bool(prev.counts) and not prev.money and not fr.counts
    return (not prev.figures or counted_before) and fr.program is not None and bool(fr.figures) \
        and fr.program not in totals() and (prev.program, prev.detail) != (fr.program, fr.detail) \
        and _named_just_before(prev, fr, figures_allowed=True) \
        and all(fr.program_at is not None and f.start > fr.program_at for f in fr.figures)


def _named_just_before(before: Frame, fr: Frame, figures_allowed: bool = False) -> bool:
    """A program named with nothing but "dan", a comma or a bracket between it and the next one's name."""
    return before.program is not None and before.program not in totals() and (figures_allowed or not before.figures) \
        and before.program_end is not None and fr.program_at is not None and fr.program_at - before.program_end <= 3


def _bracketed(doc: Doc, s: int, e: int) -> set[int]:
    """Tokens inside round brackets, in tokens s..e."""
    inside: set[int] = set()
    depth = 0
    for i in range(s, e):
        word = doc.words[i]
        if depth and word != ")":
            inside.add(i)
        # (a token may hold a bracket: spaCy leaves "JHT),Jaminan" whole)
        depth = max(0, depth + word.count("(") - word.count(")"))
    return inside


def _aggregate_before(fr: Frame, aggregates: list[Mention]) -> bool:
    """ "..., dengan total klaim sebesar Rp1,5 miliar": a word of "all together" in the clause before its figure."""
    first = min(f.start for f in fr.figures)
    return any(fr.chunk_start <= m.start < first for m in aggregates)


def _program_list(figures: Frame, after: list[Frame]) -> bool:
    """ "Rp41,6 miliar untuk empat program yakni JHT, JKK, JKM dan JP": the figure is the total of the programs
    listed after it, not the first one's."""
    counted = any(f.unit_kind == "other" and f.unit == "program" for f in figures.figures)
    listed = bool(after) and after[0].program is not None and not after[0].figures
    return counted or listed


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
    if a.program and b.program and b.program not in totals() and (a.program, a.detail) != (b.program, b.detail):
        return False
    return len(a.money) <= 1 and len(b.money) <= 1


# Roles that say what a figure is whatever the clause says next: a benefit level, a cap, a forecast, a rate
# ("berhak atas santunan JKM sebesar Rp42 juta", "memproyeksikan pembayaran klaim akan mencapai Rp400 miliar").
MODAL_ROLES = {"per_person", "per_person_cap", "balance", "target", "rate"}


def classify(fig: Quantity, sm: list[Mention], sf: list[Quantity], fr: Frame, prev_claim: bool, has_cue: bool,
              frame_paid: bool) -> None:
    """Decide whether a figure is a claim; if not, set its role (why it is not)."""
    if fig.role is not None:  # decided when it was read ("implausible")
        return
    if fig.unit_kind == "other":
        fig.role = fig.unit or "other"
        return
    if fig.kind == "count" and fig.unit_kind == "none":
        fig.role = "number"
        return
    if fig.kind == "money" and fig.number.value < 1000:
        fig.role = "other"  # "Rp1" is a parsing accident or a symbolic sum, never a payout total
        return
    not_claims = [m for m in sm if m.label == Label.NOTCLAIM and m.value != "change" and m.end <= fig.start]
    modal = [m for m in not_claims if m.value in MODAL_ROLES and m.start >= fr.chunk_start]
    if modal:
        fig.role = modal[-1].value
        return
    if not_claims:
        # a topic word (iuran, dana kelolaan ...) names the figure unless a claim word or another figure
        # comes between them: programs are named in those sentences too ("dana kelolaan program JHT")
        topic = not_claims[-1]
        between = range(topic.end, fig.start)
        weak = topic.value in lexicon().section("cues", "roles_a_payment_overrides")
        if not any(m.label == Label.CUE and (m.value == "strong" or weak) and m.start in between for m in sm) \
                and not any(f.start in between for f in sf):
            fig.role = topic.value
            return
    if fig.kind == "money" and not any(f.kind == "count" and f.unit_kind != "none" for f in sf) and any(
            m.label == Label.RATE or m.label == Label.NOTCLAIM and m.value in MODAL_ROLES for m in sm):
        fig.role = "per_person"  # a sentence listing benefit levels: "biaya perawatan maksimal ..., penguburan Rp4 juta"
        return
    # a line of business ("rawat inap", "FKRTL") names what was paid for, as a program does
    cues = [m for m in sm if m.label in (Label.CUE, Label.PROG, Label.SANT, Label.SPLIT, Label.LOB)
            or m.label == Label.NOTCLAIM and (m.value != "change" or _changed_by(m, fig, sm))]
    left = [m for m in cues if m.end <= fig.start]
    if fr.program_at is not None and fr.program_at <= fig.start:
        left.append(Mention(Label.PROG, fr.program or "", fr.program_at, fr.program_at + 1))
    nearest = max(left, key=lambda m: m.end) if left else None
    if nearest is None:
        right = [m for m in cues if m.start >= fig.end]
        nearest = min(right, key=lambda m: m.start) if right else None
    subject = next((m for m in sm if m.label == Label.NOTCLAIM and m.value != "change"), None)
    # (a split alone is not: "PHK" is named of layoffs as often as of JHT claimed for them)
    strong = any(m.label in (Label.PROG, Label.SANT, Label.LOB) or m.label == Label.CUE and m.value == "strong" for m in sm)
    if nearest is not None and nearest.label == Label.NOTCLAIM:
        fig.role = nearest.value
    elif nearest is not None and nearest.label == Label.CUE and nearest.value == "claim" and subject and not strong:
        fig.role = subject.value  # a paying verb, but the sentence is about iuran, BSU, loans ...
    elif any(m.label == Label.RATE and 0 <= m.start - fig.end <= 1 for m in sm):
        fig.role = "rate"  # "Rp64.800 per bulan": a rate, never a total paid
    elif nearest is None and not prev_claim and not (fig.kind == "count" and fig.unit_kind == "claim"):
        fig.role = "other"  # (a count of claims or cases, "23.089 klaim", says what it is by its unit)
    elif fig.kind == "count" and fig.unit_kind != "claim" and not has_cue \
            and not (fig.unit_kind == "bare" and fr.program is not None):  # "JP sebanyak 977 ..."
        fig.role = "count"  # people counted with no word of paying or claiming: participants, workers
    elif fig.kind == "count" and fig.unit_kind == "person" and not frame_paid \
            and not any(ch.isdigit() for ch in fig.text):
        fig.role = "count"  # "satu peserta bisa mengikuti empat program"


def _changed_by(change: Mention, fig: Quantity, sm: list[Mention]) -> bool:
    """ "naik Rp2 miliar" states a change; "naik menjadi Rp20 miliar" states the new level, a figure itself."""
    return 0 <= fig.start - change.end <= 2 and not any(
        m.label == Label.LEVEL and change.end <= m.start < fig.start for m in sm)


def pair_figures(money: list[Quantity], counts: list[Quantity], total_cue_ends: set[int]) -> list[tuple[Quantity | None, Quantity | None, bool]]:
    """Pair each amount with a case count of the same frame; the rest stand alone.

    A second amount introduced by "total klaim" is the total of everything, not this program's (generic=True).
    """
    pairs: list[tuple[Quantity | None, Quantity | None, bool]] = []
    counts = list(counts)
    for i, m in enumerate(money):
        generic = i > 0 and any(m.start - 3 <= end <= m.start for end in total_cue_ends)
        c = counts.pop(0) if counts and not generic else None
        pairs.append((m, c, generic))
    for c in counts:
        pairs.append((None, c, False))
    return pairs
