"""Reconciliation: the claims of many articles that state the same published figure, as one figure.

A press release is rewritten by several outlets and a national figure is quoted for weeks: counted as
independent facts these inflate every total, and where outlets disagree the user needs to see who says
what. So claims are grouped by the figure they state: institution, program, detail, period, branch,
region and segment (FIGURE_KEY). Within a group, each field (amount, cases) agrees when there is one
value every source's stated interval allows: the intervals are the validate stage's own (amount_low /
amount_high, cases_low / cases_high in the claim's JSON), so "Rp12,35 miliar" (12,345-12,355 miliar),
"Rp12 miliar lebih" and Rp12.347.560.000 agree. A group without such a value is a cross-source conflict.

A count attached to another program (outlet A: "Rp488 miliar for 35.014 kasus", outlet B: "JHT: 35.014
kasus") never shows up inside one group, so it is looked for across the groups of one figure set (the
same key without the program): the same count stated under two programs by different sources, neither
of which states it under the other's program. The program most sources attach it to keeps it; the
other group is a conflict (on a tie, both are: nothing tells which outlet is right).

A syndicated copy (near-identical text at another URL) is one source, not two: articles whose clean
texts share SYNDICATED_JACCARD of their word 5-shingles are one source. (An exact copy, same content
hash, is already stored as a duplicate without claims by the batch.)

Everything here is pure functions over rows but `claim_rows` (reads the database) and `write_figures`
(rewrites the figures and figure_claims tables).
"""
from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from dataclasses import dataclass, field
from typing import Any, Iterable

FIGURE_KEY = ("institution", "program", "detail", "period_start", "period_end", "branch", "region", "segment")
SET_KEY = tuple(k for k in FIGURE_KEY if k not in ("program", "detail"))  # a figure set: all its programs
FIELDS = ("amount", "cases")
SYNDICATED_JACCARD = 0.8  # rewrites of one press release share far less; copies with a new lead share more
SHINGLE = 5
INF = float("inf")

CLAIM_ROWS = (
    "SELECT c.claim_id, c.article_id, a.institution, c.program, c.detail, c.period_start, c.period_end, "
    "c.branch, c.region, c.segment, c.amount, c.amount_text, c.cases, c.evidence, c.span_start, c.span_end, "
    "json_extract(c.json, '$.amount_low') AS amount_low, json_extract(c.json, '$.amount_high') AS amount_high, "
    "json_extract(c.json, '$.cases_low') AS cases_low, json_extract(c.json, '$.cases_high') AS cases_high, "
    "coalesce(a.final_url, a.url, a.path) AS article, a.site, a.published, a.text "
    "FROM claims c JOIN articles a ON a.id = c.article_id WHERE a.status = 'ok' ORDER BY c.article_id, c.idx")


@dataclass
class Verdict:
    """One field (amount or cases) of a figure: do its sources agree, on what interval, and which
    statement says it most precisely (best: the claim row)."""

    agree: bool
    low: float | None = None
    high: float | None = None  # None: no upper bound ("lebih dari")
    best: dict[str, Any] | None = None


@dataclass
class Figure:
    key: dict[str, Any]
    claims: list[dict[str, Any]]  # the statements, each with "source": its source's article id
    amount: Verdict | None = None
    cases: Verdict | None = None
    why: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        text = "\x1f".join(str(self.key[k]) for k in FIGURE_KEY)
        return "f" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:15]

    @property
    def n_sources(self) -> int:
        return len({c["source"] for c in self.claims})

    @property
    def agree(self) -> bool:
        return not self.why

    def verdict(self, name: str) -> Verdict | None:
        return self.amount if name == "amount" else self.cases


def interval(claim: dict[str, Any], name: str) -> tuple[float, float] | None:
    """The interval a claim's amount or cases allows, or None when it states none. Without stored
    bounds (a database from before them) the value itself; a low bound without a high one: no ceiling."""
    value = claim.get(name)
    if value is None:
        return None
    low, high = claim.get(f"{name}_low"), claim.get(f"{name}_high")
    if low is None:
        return (value, value)
    return (low, INF if high is None else high)


def overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Two intervals allow a common value (symmetric; an interval overlaps itself)."""
    return a[0] <= b[1] and b[0] <= a[1]


def agreement(claims: list[dict[str, Any]], name: str) -> Verdict | None:
    """Whether the sources agree on a field: a value that, for every source, one of its statements
    allows (a source may state a figure twice; the validate stage judges that). The point most sources
    allow is taken; the statements allowing it give the agreed interval and the most precise one."""
    stated = [(c, iv) for c in claims if (iv := interval(c, name)) is not None]
    if not stated:
        return None
    sources = {c["source"] for c, _ in stated}

    def covering(x: float) -> list[tuple[dict[str, Any], tuple[float, float]]]:
        return [(c, iv) for c, iv in stated if iv[0] <= x <= iv[1]]

    # the set of well-supported points is a union of intervals, each starting at some statement's low end
    point = max((iv[0] for _, iv in stated), key=lambda x: (len({c["source"] for c, _ in covering(x)}),
                                                              -min(iv[1] - iv[0] for _, iv in covering(x))))
    chosen = covering(point)
    low, high = max(iv[0] for _, iv in chosen), min(iv[1] for _, iv in chosen)
    best = min(chosen, key=lambda s: s[1][1] - s[1][0])[0]  # narrowest first; ties: the earliest article
    return Verdict(len({c["source"] for c, _ in chosen}) == len(sources), low, None if high == INF else high,
                   best)


def shingles(text: str | None) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", (text or "").lower())
    return {tuple(words[i:i + SHINGLE]) for i in range(max(len(words) - SHINGLE + 1, 0))}


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def sources_of(claims: list[dict[str, Any]]) -> dict[int, int]:
    """article id -> the article id of its source: the first of the articles whose texts are
    near-identical (SYNDICATED_JACCARD). Only articles stating a figure in common are compared."""
    texts = {c["article_id"]: c.get("text") for c in claims}
    parent = {a: a for a in texts}

    def root(a: int) -> int:
        while parent[a] != a:
            a = parent[a]
        return a

    by_key: dict[tuple, set[int]] = {}
    for c in claims:
        by_key.setdefault(tuple(c[k] for k in FIGURE_KEY), set()).add(c["article_id"])
    pairs = {(a, b) for ids in by_key.values() for a in ids for b in ids if a < b}
    cache: dict[int, set] = {}
    for a, b in sorted(pairs):
        sa = cache.setdefault(a, shingles(texts[a]))
        sb = cache.setdefault(b, shingles(texts[b]))
        if jaccard(sa, sb) >= SYNDICATED_JACCARD:
            ra, rb = root(a), root(b)
            parent[max(ra, rb)] = min(ra, rb)
    return {a: root(a) for a in texts}


def _misplaced_counts(figures: list[Figure]) -> None:
    """Mark the figures a count was attached to by mistake (see the module docstring)."""
    sets: dict[tuple, list[Figure]] = {}
    for f in figures:
        sets.setdefault(tuple(f.key[k] for k in SET_KEY), []).append(f)
    for members in sets.values():
        holders: dict[int, dict[int, set[int]]] = {}  # count -> figure index -> sources stating it there
        for i, f in enumerate(members):
            for c in f.claims:
                if c.get("cases") is not None:
                    holders.setdefault(c["cases"], {}).setdefault(i, set()).add(c["source"])
        for count, where in holders.items():
            if len(where) < 2:
                continue
            for i, own in where.items():
                rivals = {j: s for j, s in where.items() if j != i and not s & own}
                if not rivals:
                    continue
                most = max(len(s) for s in rivals.values())
                if len(own) <= most:  # the count's place is where most sources put it; a tie flags both
                    other = ", ".join(members[j].key["program"] for j in rivals)
                    members[i].why.append(f"the count {count} is stated for {members[i].key['program']} by "
                                          f"{len(own)} source(s) and for {other} by others")


def reconcile(claims: Iterable[dict[str, Any]]) -> list[Figure]:
    """The figures the claims state (one per FIGURE_KEY), each with its verdicts; a figure whose fields
    cannot agree, or whose count belongs to another program, has `why` set (a conflict)."""
    claims = list(claims)
    source = sources_of(claims)
    article = {c["article_id"]: c["article"] for c in claims}
    groups: dict[tuple, list[dict[str, Any]]] = {}
    for c in claims:
        groups.setdefault(tuple(c[k] for k in FIGURE_KEY), []).append(
            dict(c, source=source[c["article_id"]], source_article=article[source[c["article_id"]]]))
    figures = []
    for key, members in groups.items():
        f = Figure(dict(zip(FIGURE_KEY, key)), members)
        f.amount, f.cases = agreement(members, "amount"), agreement(members, "cases")
        for name in FIELDS:
            v = f.verdict(name)
            if v is not None and not v.agree:
                values = sorted({c[name] for c in members if c.get(name) is not None})
                f.why.append(f"the {name} stated cannot agree: {', '.join(map(str, values))}")
        figures.append(f)
    _misplaced_counts(figures)
    return figures


def claim_rows(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    return [dict(r) for r in conn.execute(CLAIM_ROWS)]


def _int(value: float | None, up: bool) -> int | None:
    """An interval end as a whole rupiah or count (outward), or None."""
    if value is None:
        return None
    return int(-(-value // 1)) if up else int(value // 1)


def figure_row(f: Figure) -> tuple:
    def field_values(v: Verdict | None, name: str) -> tuple:
        if v is None:
            return (None, None, None, None)
        return (v.best[name], _int(v.low, False), _int(v.high, True), v.best["claim_id"])

    return (f.id, *(f.key[k] for k in FIGURE_KEY), *field_values(f.amount, "amount"),
            *field_values(f.cases, "cases"), int(f.agree), "; ".join(f.why) or None, f.n_sources, len(f.claims))


FIGURE_INSERT = ("INSERT INTO figures (figure_id, institution, program, detail, period_start, period_end, branch, "
                 "region, segment, amount, amount_low, amount_high, amount_claim_id, cases, cases_low, cases_high, "
                 "cases_claim_id, agree, conflict, n_sources, n_claims) VALUES "
                 f"({', '.join('?' * 21)})")


def write_figures(conn: sqlite3.Connection) -> list[Figure]:
    """Reconcile the database's claims and rewrite the figures and figure_claims tables with the
    result, in one transaction; returns the figures."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        figures = reconcile(claim_rows(conn))
        conn.execute("DELETE FROM figure_claims")
        conn.execute("DELETE FROM figures")
        conn.executemany(FIGURE_INSERT, [figure_row(f) for f in figures])
        conn.executemany("INSERT INTO figure_claims (figure_id, claim_id, article_id, source_article_id) "
                         "VALUES (?, ?, ?, ?)",
                         [(f.id, c["claim_id"], c["article_id"], c["source"]) for f in figures for c in f.claims])
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return figures


def as_json(f: Figure) -> dict[str, Any]:
    """A figure as one JSON Lines object of `extract reconcile --json`."""
    def verdict(name: str) -> dict[str, Any] | None:
        v = f.verdict(name)
        if v is None:
            return None
        return {"agree": v.agree, "low": _int(v.low, False), "high": _int(v.high, True), "best": v.best[name],
                "best_text": v.best.get("amount_text") if name == "amount" else None,
                "best_article": v.best["article"]}

    return {"figure_id": f.id, "figure": dict(f.key), "agree": f.agree, "why": f.why,
            "n_sources": f.n_sources, "amount": verdict("amount"), "cases": verdict("cases"),
            "sources": [{"article": c["article"], "site": c["site"], "published": c["published"],
                         "amount": c["amount"], "amount_text": c["amount_text"], "cases": c["cases"],
                         "evidence": c["evidence"], "span": [c["span_start"], c["span_end"]],
                         "claim_id": c["claim_id"],
                         "copy_of": None if c["source"] == c["article_id"] else c["source_article"]}
                        for c in f.claims]}


def json_lines(figures: list[Figure]) -> str:
    return "".join(json.dumps(as_json(f), ensure_ascii=False) + "\n" for f in figures)
