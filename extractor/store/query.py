"""Export filters: which rows of an export table a journalist asked for, as an SQL WHERE clause.

The date of a claim is the end of its period, else its start, else the article's publication date: a
payout reported for "Januari-Juni 2024" belongs to June 2024 even when the article is from July. A check
uses its own period's end, else the publication date; an article its publication date.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..errors import InputError

CLAIM_DATE = "coalesce(c.period_end, c.period_start, a.published)"
CHECK_DATE = "coalesce(nullif(substr(k.period, instr(k.period, '..') + 2), ''), a.published)"


@dataclass
class Filters:
    institution: str | None = None  # case-insensitive substring of the article's institution
    program: str | None = None  # program codes, comma-separated (TOTAL,JHT)
    since: str | None = None  # YYYY-MM-DD (or YYYY-MM, YYYY), inclusive
    until: str | None = None
    region: str | None = None  # case-insensitive substring of the claim's region

    def __post_init__(self) -> None:
        self.since = _date_bound(self.since, "since", first=True)
        self.until = _date_bound(self.until, "until", first=False)
        if self.since and self.until and self.since > self.until:
            raise InputError(f"--since {self.since} is after --until {self.until}")

    def programs(self) -> list[str]:
        return [p.strip().upper() for p in (self.program or "").split(",") if p.strip()]


def _date_bound(value: str | None, name: str, *, first: bool) -> str | None:
    """A date bound as YYYY-MM-DD: "2024" is 2024-01-01 as --since and 2024-12-31 as --until."""
    if not value:
        return None
    m = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", value.strip())
    try:
        if not m:
            raise ValueError
        year, month, day = int(m[1]), int(m[2] or (1 if first else 12)), m[3]
        if day is None:
            last = (date(year + month // 12, month % 12 + 1, 1) - date(year, month, 1)).days
            day = 1 if first else last
        return date(year, month, int(day)).isoformat()
    except ValueError:
        raise InputError(f"--{name} {value!r}: not a date", hint="write YYYY-MM-DD, YYYY-MM or YYYY") from None


def where(table: str, f: Filters) -> tuple[str, list]:
    """(" WHERE ...", parameters) for an export table (aliases as in schema.EXPORT_TABLES), or ("", [])."""
    if table == "figures":
        return _figure_where(f)
    clauses: list[str] = []
    params: list = []
    if f.institution:
        clauses.append("lower(coalesce(a.institution, '')) LIKE ?")
        params.append(f"%{f.institution.lower()}%")
    own_date = {"claims": CLAIM_DATE, "checks": CHECK_DATE, "check_claims": CHECK_DATE}.get(table, "a.published")
    for bound, op in ((f.since, ">="), (f.until, "<=")):
        if bound:
            # substr: a published timestamp (2024-07-15T08:00) compares by its date
            clauses.append(f"substr({own_date}, 1, 10) {op} ?")
            params.append(bound)
    programs = f.programs()
    claim_conditions: list[str] = []
    claim_params: list = []
    if programs:
        claim_conditions.append(f"c.program IN ({', '.join('?' * len(programs))})")
        claim_params.extend(programs)
    if f.region:
        claim_conditions.append("lower(coalesce(c.region, '')) LIKE ?")
        claim_params.append(f"%{f.region.lower()}%")
    if claim_conditions:
        if table == "claims":
            clauses.extend(claim_conditions)
        elif table in ("checks", "check_claims"):
            # a check is kept when one of the claims it is about matches
            clauses.append("EXISTS (SELECT 1 FROM check_claims m JOIN claims c ON c.claim_id = m.claim_id "
                           "WHERE m.article_id = k.article_id AND m.check_idx = k.idx AND "
                           + " AND ".join(claim_conditions) + ")")
        else:
            clauses.append("EXISTS (SELECT 1 FROM claims c WHERE c.article_id = a.id AND "
                           + " AND ".join(claim_conditions) + ")")
        params.extend(claim_params)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def _figure_where(f: Filters) -> tuple[str, list]:
    """The filters on the figures table, whose rows carry their own institution, program, period, region."""
    clauses, params = [], []
    for text, column in ((f.institution, "f.institution"), (f.region, "f.region")):
        if text:
            clauses.append(f"lower(coalesce({column}, '')) LIKE ?")
            params.append(f"%{text.lower()}%")
    for bound, op in ((f.since, ">="), (f.until, "<=")):
        if bound:
            clauses.append(f"substr(coalesce(f.period_end, f.period_start), 1, 10) {op} ?")
            params.append(bound)
    if f.programs():
        clauses.append(f"f.program IN ({', '.join('?' * len(f.programs()))})")
        params.extend(f.programs())
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params
