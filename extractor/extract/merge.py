"""One claim per figure: statements of the same figure merged, an amount and its count joined.

Articles restate figures (headline, lead, quote, a repeated paragraph) and split them ("... Rp41,07 miliar.
Klaim itu untuk 1.501 kasus."). A restatement agrees when its value can be the same figure given rounding or
truncation; a headline or sentence that cannot agree is kept as a conflict for the repeat check.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .lexicon import program_codes, totals
from .periods import Period, compatible
from .quantities import Quantity


@dataclass(slots=True)
class Raw:
    """A claim before merging: what one frame states."""

    program: str
    detail: str | None
    money: Quantity | None
    count: Quantity | None
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
    area: str | None = None  # the district its clause names, in a list of districts ("Kabupaten Pati Rp24 miliar")
    explicit: bool = True  # the program is named, not defaulted to the total
    anaphoric: bool = False  # the sentence points back ("Klaim itu ...")
    partial: bool = False  # the sentence says it lists only some parts ("sebagian besar", "di antaranya")
    complete: bool = False  # the sentence says it lists all parts ("terdiri dari", "dengan rincian")
    why: dict[str, str] = field(default_factory=dict)  # slot -> the linking rule that filled it (--explain)

    def __init__(self, program: str, detail: str | None, money: Quantity | None, count: Quantity | None, sent: int,
                 headline: bool, period: Period | None, segment: str | None, start: int, end: int,
                 patterns: list[str] | None = None, sources: list[int] | None = None, branch: str | None = None,
                 office_named: bool = False, explicit: bool = True, anaphoric: bool = False,
                 partial: bool = False) -> None:
        # written out for mypyc (see mentions.Mention)
        self.program, self.detail, self.money, self.count = program, detail, money, count
        self.sent, self.headline, self.period, self.segment = sent, headline, period, segment
        self.start, self.end, self.branch, self.office_named = start, end, branch, office_named
        self.area = None
        self.complete = False
        self.patterns = patterns if patterns is not None else []
        self.sources = sources if sources is not None else []
        self.explicit, self.anaphoric, self.partial = explicit, anaphoric, partial
        self.why = {}

    @property
    def place(self) -> tuple[str | None, str | None]:
        """Where the figure is of: its office, and the district within the office's area, if listed."""
        return self.branch, self.area


def _drop_nil(raws: list[Raw]) -> list[Raw]:
    return [r for r in raws if not (r.money and r.money.number.value == 0) and not (r.count and r.count.number.value == 0 and not r.money)]


def merge_claims(raws: list[Raw]) -> tuple[list[Raw], list[tuple[Raw, Raw]]]:
    """One claim per figure: repeats merged, amount and count from two sentences joined."""
    from ..validate.checks import figures_agree

    raws = _drop_nil(raws)

    conflicts: list[tuple[Raw, Raw]] = []
    out: list[Raw] = []
    index = _StatementIndex()
    for raw in (r for r in raws if not r.headline):
        target = next((prev for prev in index.near(raw, "same") if prev.sent != raw.sent and _same_claim(prev, raw)
                       and _same_figure(prev, raw, figures_agree)), None)
        if target is None:
            clash = next((prev for prev in index.near(raw, "clash") if _restated_differently(prev, raw, figures_agree)), None)
            if clash is not None:
                conflicts.append((clash, raw))
                if raw.anaphoric and raw.money is not None and raw.money.qualifier == "about" \
                        and clash.count is None:
                    # "Klaim sejumlah kurang lebih Rp700 miliar itu diserahkan kepada 65.148 tenaga kerja": a
                    # rough restatement pointing back at the exact figure; its count is that claim's
                    clash.count = raw.count
                    clash.sources.append(raw.sent)
                    clash.why["partner"] = "a rough restatement pointing back (itu) gave the count"
                    continue
            out.append(raw)
            index.add(raw)
        else:
            _absorb(target, raw)
            index.add(target)
    joined = _join_halves(out)
    for head in (r for r in raws if r.headline):
        same = [p for p in joined if p.program == head.program and p.place == head.place
                and compatible(p.period, head.period)]
        # a headline's "Santunan Rp550 Juta" may restate a body figure the body names more finely
        near = same if same or head.program not in totals() else \
            [p for p in joined if p.place == head.place and compatible(p.period, head.period)]
        agree = [p for p in near if _same_figure(p, head, figures_agree)]
        if agree:
            _absorb(agree[0], head)
        elif same and head.money and any(p.money for p in same):
            conflicts.append((head, next(p for p in same if p.money)))
        else:
            joined.append(head)
    joined.sort(key=lambda r: (r.sent, r.start))
    return joined, conflicts


class _StatementIndex:
    """The body statements so far, found by what could make them one figure, so that a long article costs
    linear time rather than a comparison of every pair.

    Two statements merge only within one (program, detail, branch) and when their counts are equal or their
    amounts' reach meets (the interval rounding and qualifiers allow, and the truncation of the stated
    digits). They clash only with the same segment and dated period, and amounts within a factor of two.
    An amount is filed in the cells, as wide as a power of ten at least as wide as its reach, that its reach
    meets. A lookup returns a superset of the candidates in the order they were stated, so the first match is
    the one a scan of every statement finds.
    """

    MOST_CELLS = 64  # a reach meeting more cells of a level than this looks at the whole level

    def __init__(self) -> None:
        self.order: dict[int, int] = {}
        self.counts: dict[tuple, list[Raw]] = {}
        self.cells: dict[tuple, dict[int, dict[int, list[Raw]]]] = {}  # claim -> level -> cell -> statements

    def add(self, raw: Raw) -> None:
        """File a statement; filed again after it absorbs a restatement, whose figures may be finer."""
        self.order.setdefault(id(raw), len(self.order))
        for purpose in ("same", "clash"):
            claim = self._claim(raw, purpose)
            if claim is None:
                continue
            if raw.count is not None and purpose == "same":
                self.counts.setdefault(claim + (raw.count.number.value,), []).append(raw)
            if raw.money is not None:
                lo, hi = self._reach(raw.money, purpose)
                level = (hi - lo).adjusted() + 1 if hi > lo else 0
                cells = self.cells.setdefault(claim, {}).setdefault(level, {})
                for cell in range(int(lo.scaleb(-level)), int(hi.scaleb(-level)) + 1):
                    cells.setdefault(cell, []).append(raw)

    def near(self, raw: Raw, purpose: str) -> list[Raw]:
        """Earlier statements that may be the same figure ("same") or the same figure misstated ("clash")."""
        claim = self._claim(raw, purpose)
        if claim is None:
            return []
        found = {id(r): r for r in self.counts.get(claim + (raw.count.number.value,), [])} \
            if raw.count is not None and purpose == "same" else {}
        if raw.money is not None:
            lo, hi = self._reach(raw.money, purpose)
            for level, cells in self.cells.get(claim, {}).items():
                first, last = int(lo.scaleb(-level)), int(hi.scaleb(-level))
                wanted = cells.values() if last - first > self.MOST_CELLS else \
                    (cells.get(c, []) for c in range(first, last + 1))
                found.update((id(r), r) for rs in wanted for r in rs)
        return sorted(found.values(), key=lambda r: self.order[id(r)])

    @staticmethod
    def _claim(raw: Raw, purpose: str) -> tuple | None:
        claim = (purpose, raw.program, raw.detail, raw.place)
        if purpose == "same":  # (the detail is compared by _same_claim: a total's may name its programs)
            return (purpose, raw.program, raw.place) if raw.program in totals() else claim
        dates = raw.period.dates() if raw.period is not None else (None,)
        return None if raw.money is None or None in dates else claim + (raw.segment, dates)

    @staticmethod
    def _reach(money: Quantity, purpose: str) -> tuple[Decimal, Decimal]:
        from ..validate.checks import fig_interval

        n = money.number
        if purpose == "clash":
            return n.value / 2, n.value * 2
        iv = fig_interval(money)
        return max(iv.lo, Decimal(0)), max(iv.hi, n.value + n.unit)


def _join_halves(out: list[Raw]) -> list[Raw]:
    """Join each amount-only statement with its count-only statement (or the reverse)."""
    joined: list[Raw] = []
    halves: list[Raw] = []  # the joined statements still missing an amount or a count
    seen = _Sentences()
    for raw in out:
        partner = _join_partner(raw, halves, seen)
        if partner is None:
            joined.append(raw)
            seen.add(raw)
            if (raw.money is None) != (raw.count is None):
                halves.append(raw)
        else:
            partner.why["partner"] = _join_rule(partner, raw)
            _absorb(partner, raw)
            if partner.money is not None and partner.count is not None:
                halves.remove(partner)
    return joined


def _restated_differently(a: Raw, b: Raw, agree) -> bool:
    """The same program, period and segment stated twice in the body with amounts that cannot agree."""
    if not (a.money and b.money) or a.sent == b.sent \
            or (a.program, a.detail, a.segment, a.place) != (b.program, b.detail, b.segment, b.place):
        return False
    if a.period is None or b.period is None or a.period.dates() != b.period.dates() or None in a.period.dates():
        return False
    # values far apart are two figures (a total and a part), not one figure misstated
    lo, hi = sorted((a.money.number.value, b.money.number.value))
    return hi < 2 * lo and not agree(a.money, b.money)


def _same_claim(a: Raw, b: Raw) -> bool:
    return (a.program, a.place) == (b.program, b.place) and _same_detail(a, b) and compatible(a.period, b.period)


def _same_detail(a: Raw, b: Raw) -> bool:
    """One detail, or a total named by its programs ("santunan kematian dan biaya pengobatan Rp4,067 miliar",
    detail "JKM dan JKK") restated without them ("total pembayaran ... Rp4.067.386.459")."""
    if a.detail == b.detail:
        return True
    named = b.detail if a.detail is None else a.detail if b.detail is None else None
    codes = program_codes().all
    return a.program in totals() and named is not None \
        and all(part.strip() in codes for part in named.replace(",", " dan ").split(" dan ") if part.strip())


class _Sentences:
    """How many joined statements each sentence holds, and whether one of them names its program."""

    def __init__(self) -> None:
        self.count: dict[int, int] = {}
        self.named: set[int] = set()

    def add(self, raw: Raw) -> None:
        self.count[raw.sent] = self.count.get(raw.sent, 0) + 1
        if raw.explicit:
            self.named.add(raw.sent)


def _join_partner(raw: Raw, halves: list[Raw], seen: _Sentences) -> Raw | None:
    """An amount-only and a count-only statement of one claim, in different sentences.

    Beyond the next sentence the count must point back ("Klaim itu untuk 1.501 kasus"); a count whose
    sentence names no program joins the amount before it whatever its program.
    """
    if (raw.money is None) == (raw.count is None):
        return None
    cands = []
    for p in halves:
        if (p.money is None) == (raw.money is None) or (p.count is None) == (raw.count is None):
            continue
        if not compatible(p.period, raw.period) or p.place != raw.place:
            continue
        later = raw if raw.sent > p.sent else p
        same_program = (p.program, p.detail) == (raw.program, raw.detail)
        named = same_program and p.explicit and raw.explicit and p.program not in totals()
        if abs(raw.sent - p.sent) > 1 and not later.anaphoric and not named:
            continue
        count_side = raw if raw.count is not None else p
        amount_side = p if count_side is raw else raw
        loose = (not count_side.explicit and count_side.sent > amount_side.sent
                 and seen.count.get(amount_side.sent, 0) == 1  # one antecedent, no guessing
                 and count_side.sent not in seen.named and not (raw.explicit and raw.sent == count_side.sent))
        if same_program or loose:
            cands.append(p)
    # the same program first, then the nearest statement
    return min(cands, key=lambda p: ((p.program, p.detail) != (raw.program, raw.detail), abs(raw.sent - p.sent))) \
        if cands else None


def _join_rule(a: Raw, b: Raw) -> str:
    """The name of the rule by which _join_partner joined two statements (for --explain)."""
    if abs(a.sent - b.sent) <= 1:
        return "amount and count in adjacent sentences"
    if (a if a.sent > b.sent else b).anaphoric:
        return "a later sentence points back (itu, tersebut)"
    return "the same program named in both sentences"


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
    target.complete = target.complete or other.complete
    target.sources.append(other.sent)
    if other.why.get("program") and other.why["program"] != target.why.get("program"):
        target.why["program, as restated"] = other.why["program"]  # how the restatement was read (--explain)
    target.patterns = sorted(set(target.patterns) | set(other.patterns))
