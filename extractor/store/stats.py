"""`extract stats`: what a claims database adds up to, counting each published figure once.

A total and its parts describe the same money ("Rp41 miliar, of which JHT Rp231 juta ..."), and the same
figure is often reported by several articles; adding every claim row counts money two or three times. So
the institution, year and region totals add the *figures to count* only: each article's totals (the
institution's total code, institution_coding in patterns/extract/lexicon.yaml: TOTAL, or SANTUNAN for Jasa
Raharja), and a figure stated the same way by two articles once. The program table adds each program's
own figures (once each), which is meaningful per program. `figures_to_count` is the one place that
decides; a later grouping of the same figure across outlets (reconciliation) replaces its key.
"""
from __future__ import annotations

import sqlite3
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Iterable

from .schema import STATUSES

CLAIM_QUERY = ("SELECT c.claim_id, c.article_id, coalesce(a.institution, '?') AS institution, c.program, "
               "c.amount, c.cases, c.segment, c.branch, coalesce(c.region, '?') AS region, c.period_start, "
               "c.period_end, coalesce(substr(coalesce(c.period_end, c.period_start, a.published), 1, 4), '?') "
               "AS year FROM claims c JOIN articles a ON a.id = c.article_id ORDER BY c.article_id, c.idx")


def total_code(institution: str | None) -> str:
    """The program code of "all programs together" for an institution."""
    from ..extract.lexicon import coding

    return coding(None if institution == "?" else institution).total


def same_figure(claim: dict[str, Any]) -> tuple:
    """What makes two claims the same published figure, whichever article reports it: the figure
    reconciliation grouped it into (reconcile.py), else the same key and values."""
    if claim.get("figure") is not None:
        return ("figure", claim["figure"].id)
    return tuple(claim.get(k) for k in ("institution", "program", "amount", "cases", "segment", "branch",
                                        "region", "period_start", "period_end"))


def once(claims: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The claims with a figure another article reported first (same_figure) left out. Within one article
    the extractor has already merged a figure stated twice, so what is left there counts. A reconciled
    figure the first article states once counts with its most precise value among all its sources."""
    claims = list(claims)
    first: dict[tuple, int] = {}
    per_article: dict[tuple, int] = {}
    for c in claims:
        key = same_figure(c)
        if first.setdefault(key, c["article_id"]) == c["article_id"]:
            per_article[key] = per_article.get(key, 0) + 1
    out = []
    for c in claims:
        key = same_figure(c)
        if first[key] != c["article_id"]:
            continue
        figure = c.get("figure")
        if figure is not None and per_article[key] == 1:
            c = dict(c, **{f: v.best[f] if (v := figure.verdict(f)) else None for f in ("amount", "cases")})
        out.append(c)
    return out


def figures_to_count(claims: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The claims whose amounts add up to an honest total: totals only (never a total plus its parts),
    each published figure once."""
    return once(c for c in claims if c["program"] == total_code(c["institution"]))


def _group(claims: list[dict[str, Any]], counted: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    for c in claims:
        r = rows.setdefault(c[key], {"key": c[key], "claims": 0, "counted": 0, "articles": set(),
                                     "amount": None, "cases": None})
        r["claims"] += 1
        r["articles"].add(c["article_id"])
    for c in counted:
        r = rows[c[key]]
        r["counted"] += 1
        for f in ("amount", "cases"):
            if c[f] is not None:
                r[f] = (r[f] or 0) + c[f]  # Python integers: exact, no 64-bit overflow
    out = [dict(r, articles=len(r["articles"])) for r in rows.values()]
    if key == "year":
        return sorted(out, key=lambda r: r["key"])
    return sorted(out, key=lambda r: (-(r["amount"] or 0), -r["claims"], r["key"]))


def stats(conn: sqlite3.Connection) -> dict[str, Any]:
    """Articles by status; claims by institution, year (of the claim period, else of publication) and
    region with the sums of the figures to count; by program with each program's own figures (once);
    the inconsistent checks; the failures by reason."""
    q = conn.execute
    status = {s: 0 for s in STATUSES}
    status.update({r[0]: r[1] for r in q("SELECT status, count(*) FROM articles GROUP BY status")})
    claims = [dict(r) for r in q(CLAIM_QUERY)]
    figures = _figures(conn, claims)
    counted = figures_to_count(claims)
    by = {
        "institution": _group(claims, counted, "institution"),
        "program": _group(claims, once(claims), "program"),
        "year": _group(claims, counted, "year"),
        "region": _group(claims, counted, "region"),
    }
    inconsistent = [dict(r) for r in q(
        "SELECT a.id AS article_id, coalesce(a.url, a.path) AS source, k.kind, k.what, k.program, k.why "
        "FROM checks k JOIN articles a ON a.id = k.article_id WHERE k.verdict = 'inconsistent' "
        "ORDER BY a.id, k.idx")]
    failed = [dict(r) for r in q("SELECT error_code, count(*) AS n FROM articles WHERE status = 'failed' "
                                 "GROUP BY error_code ORDER BY n DESC")]
    return {"articles": status, "claims": len(claims), "figures": len(figures),
            "conflicts": sum(not f.agree for f in figures), "counted": len(counted), "by": by,
            "inconsistent": inconsistent, "failed_by_reason": failed}


def _figures(conn: sqlite3.Connection, claims: list[dict[str, Any]]) -> list:
    """Reconcile the claims now (as `extract reconcile` does, so a batch run since never leaves stats
    stale) and set each claim's "figure"; the figures."""
    from .reconcile import claim_rows, reconcile

    figures = reconcile(claim_rows(conn))
    of = {c["claim_id"]: f for f in figures for c in f.claims}
    for c in claims:
        c["figure"] = of.get(c["claim_id"])
    return figures


SCALES = ((10**12, "T"), (10**9, "miliar"), (10**6, "juta"))


def short_rupiah(value: int | None) -> str:
    """An amount short enough for a table column, written the Indonesian way: Rp41,07 miliar, Rp1,2 T,
    Rp231 juta; below a million in full (Rp950.000). Rounded to 2 decimals of its scale."""
    if value is None:
        return ""
    sign = "-" if value < 0 else ""
    value = abs(value)
    for scale, word in SCALES:
        if value >= scale:
            number = (Decimal(value) / scale).quantize(Decimal("0.01"), ROUND_HALF_UP).normalize()
            text = f"{number:f}".replace(".", ",")
            return f"{sign}Rp{text} {word}"
    return f"{sign}Rp{value:,}".replace(",", ".")
