"""Output fields computed after extraction: the interval each figure's rounding and qualifier allow
(amount_low/amount_high, cases_low/cases_high), and what a case count counts (unit_class).

Kept out of the extract stage on purpose: the intervals are the validate stage's own (checks.interval), so
a claim's printed bounds are exactly the ones its sum and repeat checks use.
"""

from __future__ import annotations

from decimal import Decimal

from .models import Claim

# unit_class values, in the order the schema lists them
UNIT_CLASSES = {
    "cases": "a count of cases (kasus): one case is one claim event, whoever was paid",
    "claims": "a count of claim files or requests (klaim, berkas, pengajuan, permohonan, pencairan, kunjungan ...)",
    "people": "a count of people (peserta, pekerja, penerima, korban, pensiunan ...)",
    "heirs": "a count of heirs (ahli waris) paid on behalf of someone who died",
    "other": "a count of anything else (perusahaan, program, kantor ...), or a unit word the lexicon does not know",
}
HEIRS = {"ahli waris"}  # person words that count heirs, not the people the claim was about


def unit_class(unit: str | None) -> str | None:
    """The class of the thing counted, from the unit word and the lexicon's units sections."""
    if unit is None:
        return None
    from .extract.lexicon import lexicon

    word = unit.lower()
    units = lexicon().section("units")
    if word in HEIRS:
        return "heirs"
    if word in units.get("claim", []):
        return "cases" if "kasus" in word else "claims"
    if word in units.get("person", []):
        return "people"
    return "other"


def add_bounds(claims: list[Claim], raws: list) -> None:
    """Fill each claim's intervals and unit class. `raws` are the extract stage's merged claims
    (Result.raws), one per claim in the same order; they carry the figures' stated precision."""
    from .validate.checks import INF, fig_interval

    def bounds(fig) -> tuple[int | float | None, int | float | None]:
        iv = fig_interval(fig)
        return _num(iv.lo), None if iv.hi >= INF else _num(iv.hi)

    paired = len(raws) == len(claims)  # (always, today; without the figures no bounds are claimed)
    for i, claim in enumerate(claims):
        claim.unit_class = unit_class(claim.unit) if claim.cases is not None else None
        raw = raws[i] if paired else None
        if raw is not None and raw.program != claim.program:
            raw = None  # not the claim's own figures: print no bounds rather than wrong ones
        if raw is not None and raw.money is not None:
            claim.amount_low, claim.amount_high = bounds(raw.money)
        if raw is not None and raw.count is not None:
            claim.cases_low, claim.cases_high = bounds(raw.count)


def _num(d: Decimal) -> int | float:
    return int(d) if d == d.to_integral_value() else float(d)
