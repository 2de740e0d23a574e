"""Validate stage: do the published parts add up to the published total? Is a figure stated twice the same?

Every figure becomes an interval from its stated precision and qualifier (see docs/output.md):
"Rp10,9 miliar" = [10.85, 10.95) miliar, "lebih" = [x, x + one unit), "hampir" = (x - one unit, x),
"sekitar" = x +- 5%, a fully written integer is exact. Parts are consistent with their total when the sum
of their intervals overlaps the total's interval.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..extract.lexicon import lexicon, program_codes, totals
from ..models import Check
from . import evidence

ABOUT = Decimal("0.05")


INF = Decimal("1e30")




@dataclass(frozen=True)
class Interval:
    lo: Decimal
    hi: Decimal

    def __add__(self, other: "Interval") -> "Interval":
        return Interval(self.lo + other.lo, self.hi + other.hi)

    @property
    def point(self) -> bool:
        return self.lo == self.hi

    def overlaps(self, other: "Interval") -> bool:
        if self.point and other.point:
            return self.lo == other.lo
        if self.point:
            return other.lo <= self.lo < other.hi or (other.point and self.lo == other.lo)
        if other.point:
            return self.lo <= other.lo < self.hi
        # boundaries count as meeting: "sekitar" is closed, and a true value may sit on the edge of two rules
        return max(self.lo, other.lo) <= min(self.hi, other.hi)

    def as_list(self) -> list[float]:
        return [_num(self.lo), _num(min(self.hi, INF))]


def _num(d: Decimal):
    return int(d) if d == d.to_integral_value() else float(d)


def interval(value: Decimal, unit: Decimal, qualifier: str | None) -> Interval:
    q = qualifier or "exact"
    if q == "more_than":
        return Interval(value, value + unit)
    if q == "almost":
        return Interval(value - unit, value)
    if q == "about":
        return Interval(value * (1 - ABOUT), value * (1 + ABOUT))
    if q == "at_least":
        return Interval(value, INF)
    if q == "less_than":
        return Interval(Decimal(0), value)
    if q == "at_most":
        return Interval(Decimal(0), value)
    if unit <= 1:  # every digit written out: exact
        return Interval(value, value)
    return Interval(value - unit / 2, value + unit / 2)


def fig_interval(fig) -> Interval:
    return interval(fig.number.value, fig.number.unit, fig.qualifier)


def truncates(short, precise) -> bool:
    """A shorter figure that cuts the precise one's digits ("Rp9 miliar" for Rp9.992.502.613)."""
    u = short.number.unit
    if u <= precise.number.unit or short.qualifier not in ("exact", "more_than"):
        return False
    return (precise.number.value // u) * u == short.number.value


def figures_agree(a, b) -> bool:
    """Two statements of one figure agree when their intervals meet or one truncates the other."""
    return fig_interval(a).overlaps(fig_interval(b)) or truncates(a, b) or truncates(b, a)


def _scale_name(value: Decimal) -> tuple[Decimal, str]:
    for size, name in ((Decimal(10) ** 12, "triliun"), (Decimal(10) ** 9, "miliar"), (Decimal(10) ** 6, "juta")):
        if abs(value) >= size:
            return size, name
    return Decimal(1), ""


def _fmt(iv: Interval, size: Decimal, name: str) -> str:
    def f(x: Decimal) -> str:
        if x >= INF:
            return "inf"
        s = format((x / size).normalize(), "f")
        return s
    suffix = f" {name}" if name else ""
    if iv.point:
        return f"{f(iv.lo)}{suffix}"
    return f"[{f(iv.lo)}, {f(iv.hi)}){suffix}"


def validate(result) -> list[Check]:
    """Sum checks for every total with its parts, and repeat checks for figures stated twice."""
    checks: list[Check] = []
    raws = result.raws
    figures = list(getattr(result, "figures", []))  # the figures set aside: a part near one may be misread
    by_period: dict = {}
    for raw in raws:
        key = raw.period.dates() if raw.period else (None, None)
        by_period.setdefault(key, []).append(raw)
    total_splits = {code: set(details.values()) for code, details in lexicon().section("splits").items()}
    named: dict = {}
    for raw in getattr(result, "named_parts", []):
        named.setdefault(raw.period.dates() if raw.period else (None, None), []).append(raw)
    for key, members in by_period.items():
        period = f"{key[0]}..{key[1]}" if key[0] else None
        generic = [r for r in members if r.program in totals() and r.detail is None]
        # programs within one office: TOTAL = JHT + JKM + JKK + ...
        for office in {getattr(r, "branch", None) for r in members}:
            here = [r for r in members if getattr(r, "branch", None) == office and not getattr(r, "area", None)]
            parts: dict[str, object] = {}
            by_segment = _programs_split_by_segment(here)
            for r in here:
                key_of = _part_key(r, by_segment, total_splits)
                if key_of is not None:
                    parts.setdefault(key_of, r)
            for code, split in _stated_only_by_one_split(here).items():
                # "6.218 ASN yang memasuki batas usia pensiun dengan nilai Rp812,5 miliar": the program's figure,
                # stated with the one reason it was paid for
                if parts:
                    parts.setdefault(code, split)
            for r in named.get(key, ()):
                if parts and r.branch == office:  # "terbagi klaim JKP, JKM, ...": a part with no figure given
                    parts.setdefault(r.program, r)
            for what, attr in WHATS:
                # a program stated twice in the period, once with an amount and once with a count: the part is
                # the statement that has the figure checked
                parts_of = {k: next((r for r in here if _part_key(r, by_segment, total_splits) == k
                                     and getattr(r, attr) is not None), p) for k, p in parts.items()}
                # "r in generic", without comparing records field by field (generic's own test)
                stated = [r for r in here if r.program in totals() and r.detail is None and getattr(r, attr) is not None]
                total = _total_of(stated, parts_of, attr)
                if total is not None:
                    checks += _sum_checks(total, parts_of, period, figures, only=what,
                                          short_is_unverifiable=_some_programs(total, parts_of))
        # splits of one program within its own total: JHT by reason for claiming, BEASISWA by school level
        for office in {getattr(r, "branch", None) for r in members}:
            here = [r for r in members if getattr(r, "branch", None) == office and r.program not in totals()]
            for code in sorted({r.program for r in here if r.detail is not None}):
                splits: dict[str, object] = {}
                for r in here:
                    if r.program == code and r.detail is not None:  # two figures of one split are two parts
                        splits[r.detail if r.detail not in splits else f"{r.detail} ({len(splits) + 1})"] = r
                for what, attr in WHATS:
                    whole = [r for r in here if r.program == code and r.detail is None and getattr(r, attr) is not None]
                    total = _total_of(whole, splits, attr)
                    if total is not None:
                        checks += _sum_checks(total, splits, period, figures, short_is_unverifiable=True, only=what)
        # lines of business within one total ("klaim FKRTL Rp2,87 triliun terdiri atas RJTL ... dan RITL ...")
        for office in {getattr(r, "branch", None) for r in members}:
            lines = [r for r in members if getattr(r, "branch", None) == office and r.program in totals() and r.money
                     and r.detail not in total_splits.get(r.program, ())]  # those are parts beside the programs
            if len(lines) < 3:
                continue
            total = max(lines, key=lambda r: r.money.number.value)
            parts = {}
            for r in lines:
                if r is not total and r.detail and r.detail != total.detail and r.sent >= total.sent:
                    parts.setdefault(r.detail, r)
            for line, sublines in _sub_totals(list(parts.values())):
                # "FKRTL Rp2,31 triliun: rawat inap Rp1,44 triliun, rawat jalan Rp874,6 miliar": a line and its own
                # lines, checked apart; the total's parts are the lines above them
                checks += _sum_checks(line, {r.detail: r for r in sublines}, period, figures)
                parts = {k: r for k, r in parts.items() if not any(r is x for x in sublines)}
            checks += _sum_checks(total, parts, period, figures, short_is_unverifiable=_partial(parts))
        # places within one office's area: a program's (or the total's) figure = the places' figures
        # ("Kabupaten Pati Rp24 miliar", "JHT di wilayah Jateng Rp2,42 triliun, sedangkan DIY Rp303,96 miliar")
        listed = {(getattr(r, "branch", None), r.program) for r in members if getattr(r, "area", None)}
        for office, code in sorted(listed, key=str):
            of_code = [r for r in members if getattr(r, "branch", None) == office and r.program == code
                       and r.detail is None]
            areas: dict[str, object] = {}
            for r in of_code:
                if getattr(r, "area", None):
                    areas.setdefault(r.area, r)
            if len(areas) >= 2:
                for what, attr in WHATS:
                    largest = max((fig_interval(getattr(a, attr)).lo for a in areas.values()
                                   if getattr(a, attr) is not None), default=Decimal(0))
                    whole = [r for r in of_code if not getattr(r, "area", None) and getattr(r, attr) is not None
                             and fig_interval(getattr(r, attr)).hi >= largest]  # no total is smaller than a part
                    total = _total_of(whole, areas, attr)
                    if total is not None:  # an article seldom lists every place: short is unverifiable
                        checks += _sum_checks(total, areas, period, figures, short_is_unverifiable=True, only=what)
        # offices within a region: the region's total = the offices' totals
        region = [r for r in generic if getattr(r, "branch", None) is None]
        offices: dict[str, object] = {}
        for r in generic:
            if getattr(r, "branch", None) is not None:
                offices.setdefault(r.branch, r)
        if len(region) == 1 and len(offices) >= 2:
            # a region's offices are seldom all listed: falling short is unverifiable, exceeding is not
            checks += _sum_checks(region[0], offices, period, figures, short_is_unverifiable=True)
    checks += _period_splits(raws, figures)
    for head, body in getattr(result, "conflicts", []):
        checks.append(Check(kind="repeat", what="amount", program=body.program,
                            values=[_num(head.money.number.value), _num(body.money.number.value)],
                            verdict="inconsistent",
                            why=f"{'headline' if head.headline else 'one sentence'} says {head.money.text}, "
                                f"{'body' if head.headline else 'another'} says {body.money.text}",
                            evidence=[evidence.span_of(head, head.money, "statement", body.program),
                                      evidence.span_of(body, body.money, "statement", body.program)]))
    return checks


def _sub_totals(lines: list) -> list[tuple[object, list]]:
    """Lines followed, in the order stated, by two or more lines that add up to them: (line, its lines)."""
    found: list[tuple[object, list]] = []
    i = 0
    while i < len(lines):
        line, run = lines[i], None
        for k in range(i + 3, len(lines) + 1):
            if _sum_of([r.money for r in lines[i + 1:k]]).overlaps(fig_interval(line.money)):
                run = lines[i + 1:k]
                break
        if run:
            found.append((line, run))
            i += 1 + len(run)
        else:
            i += 1
    return found


def _stated_only_by_one_split(records: list) -> dict[str, object]:
    """Programs stated in the period only once, and then with a split (detail): code -> that statement."""
    seen: dict[str, list] = {}
    for r in records:
        if r.program not in totals() and r.program not in program_codes().never_parts:
            seen.setdefault(r.program, []).append(r)
    return {code: rs[0] for code, rs in seen.items() if len(rs) == 1 and rs[0].detail is not None}


def _part_key(r, by_segment: set[str], total_splits: dict) -> str | None:
    """The part of its period's total a statement is, if any: its program, or a split of the total."""
    if r.detail is None and r.program not in program_codes().never_parts and r.program not in totals():
        # "JKK PU Rp3,9 miliar ... JKK BPU Rp37,6 juta": each segment's figure is a part
        return f"{r.program}/{r.segment}" if r.program in by_segment else r.program
    if r.program in totals() and r.detail in total_splits.get(r.program, ()):
        return r.detail  # "biaya ambulans": a split of the total, a part beside the programs
    return None


def _period_splits(raws: list, figures: list) -> list[Check]:
    """A figure for a span of time against the figures for the years or months that make it up, stated
    one by one ("2011 Rp44,58 miliar, 2012 Rp44,09 miliar, ... dalam lima tahun tersebut Rp194,383 miliar")."""
    checks: list[Check] = []
    spans: dict[tuple, list] = {}
    for r in raws:
        dates = r.period.dates() if r.period is not None else (None, None)
        if None not in dates and r.detail is None and not getattr(r, "area", None):
            spans.setdefault((getattr(r, "branch", None), r.program), []).append((dates, r))
    for members in spans.values():
        for (start, end), whole in members:
            inside = {d: r for d, r in members if start <= d[0] and d[1] <= end and d != (start, end)}
            cover = sorted(inside)
            if len(cover) < 2 or not _tiles(cover, start, end):
                continue
            parts = {_period_name(a, b): inside[(a, b)] for a, b in cover}
            checks += _sum_checks(whole, parts, f"{start}..{end}", figures)
    return checks


def _tiles(spans: list[tuple[str, str]], start: str, end: str) -> bool:
    """The spans, in order, follow one another day by day from start to end."""
    from datetime import date, timedelta

    day = date.fromisoformat(start)
    for a, b in spans:
        if date.fromisoformat(a) != day:
            return False
        day = date.fromisoformat(b) + timedelta(days=1)
    return day == date.fromisoformat(end) + timedelta(days=1)


def _period_name(start: str, end: str) -> str:
    if start[5:] == "01-01" and end[5:] == "12-31" and start[:4] == end[:4]:
        return start[:4]
    return start[:7] if start[:7] == end[:7] else f"{start}..{end}"


def _programs_split_by_segment(records: list) -> set[str]:
    """Programs stated more than once, each time for its own segment (PU, BPU, JAKON ...)."""
    segments: dict[str, list] = {}
    for r in records:
        if r.detail is None and r.program not in totals():
            segments.setdefault(r.program, []).append(getattr(r, "segment", None))
    return {code for code, segs in segments.items() if len(segs) > 1 and None not in segs and len(set(segs)) == len(segs)}


def _total_of(stated: list, parts: dict, attr: str):
    """The total the parts split: the only one; else, of those stated before the first part (the article
    states a total, then "terdiri dari ..."), the one the parts add up to, or the last. None: no telling."""
    if len(stated) <= 1 or not parts:
        return stated[0] if stated else None
    figs = [getattr(p, attr) for p in parts.values()]
    # of several, a total is no smaller than any of its parts: a smaller figure of the program is something else
    largest_part = max((fig_interval(f).lo for f in figs if f is not None), default=Decimal(0))
    stated = [r for r in stated if fig_interval(getattr(r, attr)).hi >= largest_part]
    first_part = min(p.sent for p in parts.values())
    before = [r for r in stated if r.sent <= first_part]
    if before and all(f is not None for f in figs):
        parts_sum = Interval(Decimal(0), Decimal(0))
        for f in figs:
            parts_sum = parts_sum + fig_interval(f)
        adding_up = [r for r in before if fig_interval(getattr(r, attr)).overlaps(parts_sum)]
        if len(adding_up) == 1:
            return adding_up[0]
    return max(before, key=lambda r: (r.sent, r.start)) if before else None


def _some_programs(total, parts: dict) -> bool:
    """Whether a breakdown by program may list only some programs: it says so ("di antaranya"), or it leaves
    out a program every whole breakdown names without saying it is whole ("terdiri dari"). One that names them
    all is whole, whatever its wording ("didominasi JHT ..., disusul ..., dan terakhir JP")."""
    core = program_codes().core
    named = {getattr(p, "program", None) for p in parts.values()}
    if not named & core:
        return _partial(parts)
    if core <= named:
        return False
    return not any(getattr(r, "complete", False) for r in (total, *parts.values()))


def _sum_of(figs: list) -> Interval:
    total = Interval(Decimal(0), Decimal(0))
    for f in figs:
        total = total + fig_interval(f)
    return total


def _exceeds(figs: list, total) -> bool:
    """The stated parts alone are more than the total can be: parts not stated cannot be negative."""
    return bool(figs) and _sum_of(figs).lo > fig_interval(total).hi


def _partial(parts: dict) -> bool:
    return any(getattr(p, "partial", False) for p in parts.values())


WHATS = (("amount", "money"), ("cases", "count"))


def _sum_checks(total, parts: dict, period: str | None, figures: list, short_is_unverifiable: bool = False,
                only: str | None = None) -> list[Check]:
    """Amount and case-count checks of one total against its parts (programs, offices or lines)."""
    checks: list[Check] = []
    if len(parts) < 2:
        return checks
    for what, attr in WHATS:
        if only and what != only:
            continue
        tfig = getattr(total, attr)
        if tfig is None:
            continue
        pfigs = {code: getattr(p, attr) for code, p in parts.items()}
        if all(f is None for f in pfigs.values()):
            continue
        codes = list(pfigs)
        spans = [evidence.span_of(total, tfig, "total", total.program)] + [
            evidence.span_of(parts[c], f, "part", c) for c, f in pfigs.items() if f is not None]
        named = [(f"the total {total.program}", total, tfig)] + [
            (c, parts[c], f) for c, f in pfigs.items() if f is not None]
        known = [f for f in pfigs.values() if f is not None]
        if any(f is None for f in pfigs.values()) and not _exceeds(known, tfig):
            missing = [c for c, f in pfigs.items() if f is None]
            likely, likely_why = evidence.likely("unverifiable", named, figures)
            checks.append(Check(kind="sum", what=what, program=total.program, parts=codes,
                                verdict="unverifiable", total=fig_interval(tfig).as_list(), parts_sum=None,
                                why=f"{', '.join(missing)} has no {what} stated", period=period,
                                likely=likely, likely_why=likely_why, evidence=spans))
            continue
        t_iv = fig_interval(tfig)
        s_iv = _sum_of(known)  # with parts unstated, only when the stated ones already exceed the total
        ok = t_iv.overlaps(s_iv)
        short = not ok and s_iv.hi < t_iv.lo
        size, name = _scale_name(tfig.number.value)
        terms = " + ".join(_fmt(fig_interval(f), size, name).replace(f" {name}", "") if name else
                           _fmt(fig_interval(f), size, name) for f in known)
        why = (f"{terms} = {_fmt(s_iv, size, name)}; total {_fmt(t_iv, size, name)}: "
               f"{'the parts can add up to the total' if ok else 'the parts cannot add up to the total'}")
        verdict = "consistent" if ok else "unverifiable" if short and short_is_unverifiable else "inconsistent"
        if verdict == "unverifiable":
            why = f"{terms} = {_fmt(s_iv, size, name)}, short of the total {_fmt(t_iv, size, name)}: not every part is listed"
        if len(known) < len(pfigs):
            unstated = ", ".join(c for c, f in pfigs.items() if f is None)
            why += f" ({unstated} not stated: a part cannot be less than nothing)"
        likely, likely_why = evidence.likely(verdict, named, figures)
        gap = evidence.gap_of(tfig, known, t_iv.lo, t_iv.hi, s_iv.lo, s_iv.hi)
        checks.append(Check(kind="sum", what=what, program=total.program, parts=codes, verdict=verdict,
                            total=t_iv.as_list(), parts_sum=s_iv.as_list(), why=why, period=period,
                            gap=gap, likely=likely, likely_why=likely_why, evidence=spans))
    return checks
