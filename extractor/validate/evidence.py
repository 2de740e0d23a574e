"""What makes a check actionable: the gap, where each compared figure is, and where the fault likely lies.

A sum check says the parts cannot add up; the reader then needs to know by how much (the gap, parts sum
minus total, as an interval from the figures' intervals), where the figures are in the text (their spans),
and whether to distrust the article or the extraction. A part read across sentences, beside a comparison,
or close to a figure the extractor set aside as not a claim (iuran, target ...) may be a misreading: that
is "extraction". Otherwise the published figures themselves cannot add up: "article".
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

# a non-claim figure this close (in characters) to a part probably shares its clause and its cue
NEAR_CHARS = 40
UNBOUNDED = Decimal("1e29")  # beyond this an interval end is "no bound" ("paling sedikit")
ACROSS_SENTENCES = ("same clause", "stated alone")  # raw.why["partner"] values that stay in one clause


def _plain(d: Decimal) -> Any:
    return int(d) if d == d.to_integral_value() else float(d)


def gap_of(total_fig, part_figs: list, t_lo: Decimal, t_hi: Decimal, s_lo: Decimal, s_hi: Decimal) -> dict:
    """Parts sum minus total: the value as written, and the interval the rounding and qualifiers allow.
    An unbounded end (a total "paling sedikit") is None."""
    value = sum((f.number.value for f in part_figs), Decimal(0)) - total_fig.number.value
    low = None if t_hi >= UNBOUNDED else _plain(s_lo - t_hi)
    high = None if s_hi >= UNBOUNDED else _plain(s_hi - t_lo)
    return {"value": _plain(value), "low": low, "high": high}


def span_of(raw, fig, role: str, name: str) -> dict:
    """One compared figure: its character span and text, and the sentence it was read in (None: not known)."""
    return {"role": role, "name": name, "start": fig.char_start, "end": fig.char_end, "text": fig.text,
            "sentence": sentence_of(raw, fig)}


def in_clause(raw, fig) -> bool:
    """The figure is in the claim's own clause, not joined from another sentence or a restatement."""
    return raw.start <= fig.start < max(raw.end, raw.start + 1)


def sentence_of(raw, fig) -> int | None:
    if in_clause(raw, fig):
        return raw.sent
    # joined from a sentence the claim records in .sources: sentences run in token order, so it is the
    # nearest recorded one on the figure's side of the claim's own sentence
    sources = set(getattr(raw, "sources", []))
    if fig.start >= raw.end:
        return min((s for s in sources if s > raw.sent), default=None)
    return max((s for s in sources if s < raw.sent), default=None)


def suspicion(name: str, raw, fig, figures: list) -> tuple[int, str] | None:
    """Why a figure may be misread by the extractor, as (rank, reason): linking rules first, then the
    nearer a set-aside figure the likelier; None when nothing is suspect."""
    why = getattr(raw, "why", {}) or {}
    partner = why.get("partner")
    if partner and partner not in ACROSS_SENTENCES and not in_clause(raw, fig):
        return -2, f"{name} was linked across sentences ({partner})"
    if why.get("period") == "the comparison's side of the sentence":
        return -1, f"{name} is on the comparison side of its sentence"
    near = []
    for other in figures:
        start, end = other.span
        distance = max(start - fig.char_end, fig.char_start - end, 0)
        if other.role != "implausible" and distance <= NEAR_CHARS:
            near.append((distance, f"{name} is near a figure read as {other.role} ({other.text})"))
    return min(near) if near else None


def likely(verdict: str, named: list, figures: list) -> tuple[str | None, str | None]:
    """(likely, reason) for a check that does not add up; (None, None) when it does.
    named: (name, raw, figure) of the total and each part (a total misread is as suspect as a part)."""
    if verdict == "consistent":
        return None, None
    suspects = [s for s in (suspicion(name, raw, fig, figures) for name, raw, fig in named) if s is not None]
    if suspects:
        return "extraction", min(suspects)[1]
    if verdict == "unverifiable":
        return "article", "the article does not state every part"
    return "article", "the published figures cannot add up, whatever their rounding"
