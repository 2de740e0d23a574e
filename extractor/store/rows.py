"""Claims and checks as database rows: stable claim ids, the full JSON, the links from checks to claims,
and the migration of a version-1 database (which has none of these) to version 2."""
from __future__ import annotations

import hashlib
import json
import sqlite3
from typing import Any

from .schema import CHECK_FIELDS, CHECK_JSON_FIELDS, CLAIM_FIELDS, V2_COLUMNS, V2_OBJECTS


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def claim_ids(article_input: str, claims: list[dict[str, Any]]) -> list[str]:
    """A stable id per claim: a hash of the input it came from and where and what the figure is (program,
    span, evidence), not its row id or position, so a rerun (--refresh) of the same article keeps the
    ids and a link to one (a spreadsheet, a story) stays valid."""
    ids: list[str] = []
    for idx, c in enumerate(claims):
        span = c.get("span") or [None, None]
        key = "\x1f".join(str(v) for v in (article_input, c.get("program"), span[0], span[1], c.get("evidence")))
        cid = "c" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:15]
        ids.append(cid if cid not in ids else f"{cid}-{idx}")  # the same figure twice: keep both apart
    return ids


def claim_row(article_id: int, idx: int, claim: dict[str, Any], claim_id: str) -> tuple:
    span = claim.get("span") or [None, None]
    extra = {k: v for k, v in claim.items() if k not in CLAIM_FIELDS and k != "span"}
    return (article_id, idx, *(claim.get(f) for f in CLAIM_FIELDS), span[0], span[1], _json(extra or None),
            claim_id, _json(claim))


def check_row(article_id: int, idx: int, check: dict[str, Any]) -> tuple:
    known = CHECK_FIELDS + CHECK_JSON_FIELDS
    extra = {k: v for k, v in check.items() if k not in known}
    return (article_id, idx, *(check.get(f) for f in CHECK_FIELDS),
            *(_json(check.get(f)) for f in CHECK_JSON_FIELDS), _json(extra or None), _json(check))


def _period(claim: dict[str, Any]) -> str | None:
    if claim.get("period_start") or claim.get("period_end"):
        return f"{claim.get('period_start') or ''}..{claim.get('period_end') or ''}"
    return None


def check_links(article_id: int, checks: list[dict[str, Any]], claims: list[dict[str, Any]],
                ids: list[str]) -> list[tuple]:
    """(article_id, check_idx, claim_id, role) rows: the claims each check is about. A check names
    programs, not claims, so a claim matches when its program is named and its period is the check's
    (when the check has one); the first such claim per program is the one the check read."""
    links: list[tuple] = []
    for k_idx, k in enumerate(checks):
        wanted = [("total", k.get("program"))] + [("part", p) for p in (k.get("parts") or [])] \
            if k.get("kind") == "sum" else [("value", k.get("program"))]
        seen: set[str] = set()
        for role, program in wanted:
            for c, cid in zip(claims, ids):
                if c.get("program") != program or cid in seen:
                    continue
                if k.get("period") and _period(c) != k["period"]:
                    continue
                if k.get("what") and c.get(k["what"]) is None:
                    continue  # a sum of amounts is about the claims that have an amount
                links.append((article_id, k_idx, cid, role))
                seen.add(cid)
                if role != "value":
                    break
    return links


def statements(script: str) -> list[str]:
    """The SQL statements of a script, one by one (executescript would commit the open transaction
    first; a trigger's body has ';' of its own, so split where SQLite says a statement is complete)."""
    out, buf = [], ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out


LINK_INSERT = "INSERT OR IGNORE INTO check_claims (article_id, check_idx, claim_id, role) VALUES (?, ?, ?, ?)"


def create_v2(conn: sqlite3.Connection, migrate: bool) -> None:
    """Add version 2's columns (when migrating a version-1 database) and objects, and fill them for the
    rows already there: nothing written is lost, and old rows get ids, JSON, links and search entries.
    (Their article text was never stored: it stays NULL until the article is redone with --refresh.)"""
    for statement in statements((V2_COLUMNS + ";" if migrate else "") + V2_OBJECTS):
        conn.execute(statement)
    if not migrate:
        return
    conn.execute("INSERT INTO articles_fts (rowid, title, text) SELECT id, title, text FROM articles")
    conn.execute("INSERT INTO claims_fts (rowid, evidence) SELECT id, evidence FROM claims")
    from .database import Store  # (claims_of / checks_of rebuild the contract dicts from the columns)

    reader = Store(conn, "")
    for article_id, article_input in conn.execute(
            "SELECT id, input FROM articles WHERE id IN (SELECT article_id FROM claims)").fetchall():
        claims = reader.claims_of(article_id)
        checks = reader.checks_of(article_id)
        ids = claim_ids(article_input, claims)
        for idx, (c, cid) in enumerate(zip(claims, ids)):
            conn.execute("UPDATE claims SET claim_id = ?, json = ? WHERE article_id = ? AND idx = ?",
                         (cid, _json(c), article_id, idx))
        for idx, k in enumerate(checks):
            conn.execute("UPDATE checks SET json = ? WHERE article_id = ? AND idx = ?", (_json(k), article_id, idx))
        conn.executemany(LINK_INSERT, check_links(article_id, checks, claims, ids))
