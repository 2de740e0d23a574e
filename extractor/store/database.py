"""Store stage: batch results -> a SQLite database of articles, claims and checks.

Why SQLite through the standard library's ``sqlite3``: the dataset is one file a researcher can copy,
open in any SQLite tool or load with pandas, and query with plain SQL, with no server to run. SQLite gives
us what a resumable batch needs for free: each article (its row, its claims and its checks) is written
in one transaction, so a run killed at any moment leaves either the whole article or none of it, and
the next run carries on from what is committed. WAL mode lets ``extract stats`` or ``export`` read while
a batch is writing. The write rate is tiny for SQLite (one short transaction per article, from a single
writer thread), so an ORM or a client/server database would add dependencies and moving parts without
buying anything; ``sqlite3`` ships with Python, and a handful of explicit SQL statements in this module
keep the schema readable and its versioning (``PRAGMA user_version``) under our control.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from ..errors import StoreError
from .schema import (  # noqa: F401  (re-exported: the schema's names were first defined here)
    ARTICLE_EXPORT_FIELDS, CHECK_FIELDS, CHECK_INSERT, CHECK_JSON_FIELDS, CLAIM_FIELDS, CLAIM_INSERT,
    EXPORT_JSON_COLUMNS, EXPORT_LIST_COLUMNS, EXPORT_TABLES, SCHEMA, SCHEMA_VERSION, STATUSES, V3_OBJECTS,
    quoted_columns
)
from .query import Filters, where
from .rows import LINK_INSERT, check_links, check_row, claim_ids, claim_row, create_v2, statements


class _NeedsMigration(Exception):
    """A read-only open met an older schema: it is migrated by a writable open first."""


@dataclass
class ArticleRecord:
    """One processed input, ready to be written: metadata, outcome and (when ok) the extracted document."""

    input: str
    kind: str  # url | file
    url: str | None = None
    path: str | None = None
    final_url: str | None = None
    canonical_url: str | None = None
    fetched_at: str | None = None
    http_status: int | None = None
    content_hash: str | None = None
    error: str | None = None
    error_code: str | None = None
    document: dict[str, Any] | None = None  # Document.as_dict(); None when the input failed
    text: str | None = None  # the clean article text (Document.text)
    processed_at: str = field(default_factory=lambda: now_iso())

    @property
    def failed(self) -> bool:
        return self.document is None


@dataclass
class Saved:
    id: int
    status: str
    n_claims: int
    duplicate_of: int | None = None


def now_iso() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


@contextlib.contextmanager
def store_errors(path: str) -> Iterator[None]:
    """SQLite errors met while using a database (a damaged page: "database disk image is malformed", a
    lock held too long, a full disk) as StoreError: one line and exit 13, not a traceback."""
    try:
        yield
    except sqlite3.IntegrityError:
        raise  # our own rows breaking the schema's rules: a bug, not a damaged database
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: the database cannot be used: {exc}",
                         hint="restore it from a copy, or rebuild it into a new --db file") from exc


INT64 = range(-2**63, 2**63)  # what an SQLite INTEGER holds


def _in_range(claim: dict[str, Any], where: str, warnings: list[str]) -> dict[str, Any]:
    """The claim with integers SQLite cannot hold set to NULL (and a warning saying so). The number parser
    never gives such figures; this keeps one bad value from stopping a whole batch all the same."""
    bad = [k for k, v in claim.items() if isinstance(v, int) and not isinstance(v, bool) and v not in INT64]
    if not bad:
        return claim
    warnings.append(f"{where}: {', '.join(bad)} out of the database's integer range, stored as NULL")
    return {k: (None if k in bad else v) for k, v in claim.items()}


class Store:
    """A claims database. Use as a context manager; one writer at a time (the batch runner's writer)."""

    def __init__(self, conn: sqlite3.Connection, path: str):
        self.conn = conn
        self.path = path

    @classmethod
    def open(cls, path: str | Path, *, readonly: bool = False) -> "Store":
        """Open (creating it unless readonly) the database at path and check its schema version."""
        path = str(path)
        if readonly and not Path(path).exists():
            raise StoreError(f"{path}: no such database", hint="run `extract batch --db PATH ...` first")
        if not readonly and Path(path).is_dir():
            raise StoreError(f"{path}: is a directory, not a database file")
        try:
            if readonly:
                conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True,
                                       check_same_thread=False, isolation_level=None)
            else:
                # isolation_level=None: we open and close transactions ourselves (see save()).
                conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA busy_timeout = 10000")
            store = cls(conn, path)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path}: cannot open as a SQLite database: {exc}") from exc
        try:
            store._prepare(readonly)
        except _NeedsMigration:
            conn.close()
            try:
                cls.open(path).close()  # migrates; nothing is lost (rows.create_v2)
            except StoreError as exc:
                raise StoreError(f"{path}: an older database that needs upgrading, and it cannot be written: "
                                 f"{exc}", hint="copy it somewhere writable, or open it once with write access") from exc
            return cls.open(path, readonly=True)
        except BaseException as exc:
            conn.close()
            if isinstance(exc, sqlite3.DatabaseError):
                raise StoreError(f"{path}: cannot open as a SQLite database: {exc}") from exc
            raise
        return store

    def _prepare(self, readonly: bool) -> None:
        conn = self.conn
        # The version and the tables are read in one transaction, and a writer takes the write lock
        # first: two batches creating the same new database at once then see it either empty (the
        # first, which creates it) or complete (the second, which waited for it, busy_timeout).
        conn.execute("BEGIN" if readonly else "BEGIN IMMEDIATE")
        try:
            version = self._check_version(readonly)
            if version < SCHEMA_VERSION:
                if readonly:
                    raise _NeedsMigration()
                if version == 0:
                    for statement in statements(SCHEMA):
                        conn.execute(statement)
                if version < 2:
                    create_v2(conn, migrate=version == 1)
                for statement in statements(V3_OBJECTS):  # empty until `extract reconcile` fills them
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        if not readonly:
            self._use_wal()
        # NORMAL is safe in WAL mode against a crash of this process (a killed batch loses no commit);
        # only a power cut can drop the last transactions, which a rerun then redoes.
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")

    def _use_wal(self) -> None:
        """WAL mode (outside a transaction: not allowed inside one). Switching needs the database to
        itself, and SQLite answers "locked" at once rather than waiting (busy_timeout does not apply),
        so while another process holds it open, try again for a while."""
        for _ in range(200):  # 10 s, as busy_timeout
            try:
                self.conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc):
                    raise
                time.sleep(0.05)
        self.conn.execute("PRAGMA journal_mode = WAL")

    def _check_version(self, readonly: bool) -> int:
        """The schema version, after checking the database is ours (0: a new, empty file)."""
        conn = self.conn
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: database schema version {version} is newer than this extractor "
                             f"supports ({SCHEMA_VERSION})", hint="upgrade extractor to read it")
        if version == 0:
            if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' LIMIT 1").fetchone():
                raise StoreError(f"{self.path}: a SQLite database, but not an extractor claims database",
                                 hint="choose another --db file")
            if readonly:
                raise StoreError(f"{self.path}: empty database", hint="run `extract batch` to fill it")
        return version

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def recorded(self) -> dict[str, str]:
        """input -> status of every input already in the database."""
        with store_errors(self.path):
            return {r["input"]: r["status"] for r in self.conn.execute("SELECT input, status FROM articles")}

    def save(self, rec: ArticleRecord) -> Saved:
        """Write one article with its claims and checks in a single transaction (replacing an earlier row
        for the same input). An ok article whose canonical URL or content hash matches an earlier ok
        article is stored as a duplicate of it, without claims.

        A result with a value SQLite cannot hold is saved as a failure of that input, so the batch goes on;
        a database that cannot be used raises StoreError."""
        with store_errors(self.path):
            try:
                return self._transaction(rec)
            except (OverflowError, ValueError, sqlite3.InterfaceError) as exc:  # (values SQLite cannot bind)
                if rec.document is None:
                    raise
                failed = replace(rec, document=None, error_code="store",
                                error=f"{rec.input}: cannot store the result: {exc}")
            return self._transaction(failed)

    def _transaction(self, rec: ArticleRecord) -> Saved:
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            saved = self._save(rec)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        return saved

    def _save(self, rec: ArticleRecord) -> Saved:
        conn = self.conn
        doc = rec.document
        row = conn.execute("SELECT id FROM articles WHERE input = ?", (rec.input,)).fetchone()
        own_id = row["id"] if row else -1
        status, error, duplicate_of = ("failed", rec.error, None) if doc is None else ("ok", None, None)
        if doc is not None:
            first = self._find_original(own_id, rec.canonical_url, rec.content_hash)
            if first is not None:
                status, duplicate_of = "duplicate", first["id"]
                same = "canonical URL" if rec.canonical_url and first["canonical_url"] == rec.canonical_url \
                    else "content"
                error = f"same {same} as article {first['id']} ({first['input']})"
        claims = doc["claims"] if doc is not None and status == "ok" else []
        checks = doc["checks"] if doc is not None and status == "ok" else []
        meta = doc or {}
        warnings = list(meta.get("warnings") or [])
        claims = [_in_range(c, f"claim {i}", warnings) for i, c in enumerate(claims)]
        values = dict(
            input=rec.input, kind=rec.kind, url=rec.url, path=rec.path, final_url=rec.final_url,
            canonical_url=rec.canonical_url, title=meta.get("title"), published=meta.get("published"),
            site=meta.get("site"), institution=meta.get("institution"), fetched_at=rec.fetched_at,
            processed_at=rec.processed_at, status=status, error=error,
            error_code=rec.error_code if doc is None else None, http_status=rec.http_status,
            duplicate_of=duplicate_of, content_hash=rec.content_hash, n_claims=len(claims),
            warnings=_json(warnings) if doc is not None else None,
            text=rec.text if doc is not None else None,
            # document fields newer than the columns (author ...) flow through here
            json=_json({k: v for k, v in doc.items() if k not in ("claims", "checks", "figures")})
            if doc is not None else None,
        )
        cols = ", ".join(values)
        marks = ", ".join(f":{k}" for k in values)
        updates = ", ".join(f"{k} = excluded.{k}" for k in values if k != "input")
        article_id = conn.execute(
            f"INSERT INTO articles ({cols}) VALUES ({marks}) "
            f"ON CONFLICT(input) DO UPDATE SET {updates} RETURNING id", values).fetchone()[0]
        conn.execute("DELETE FROM claims WHERE article_id = ?", (article_id,))
        conn.execute("DELETE FROM checks WHERE article_id = ?", (article_id,))
        conn.execute("DELETE FROM check_claims WHERE article_id = ?", (article_id,))
        ids = claim_ids(rec.input, claims)
        if claims:
            conn.executemany(CLAIM_INSERT, [claim_row(article_id, i, c, cid)
                                            for i, (c, cid) in enumerate(zip(claims, ids))])
        if checks:
            conn.executemany(CHECK_INSERT, [check_row(article_id, i, c) for i, c in enumerate(checks)])
            conn.executemany(LINK_INSERT, check_links(article_id, checks, claims, ids))
        return Saved(article_id, status, len(claims), duplicate_of)

    def _find_original(self, own_id: int, canonical: str | None, content_hash: str | None):
        for column, value in (("canonical_url", canonical), ("content_hash", content_hash)):
            if value:
                row = self.conn.execute(
                    f"SELECT id, input, canonical_url FROM articles WHERE status = 'ok' AND {column} = ? "
                    "AND id != ? ORDER BY id LIMIT 1", (value, own_id)).fetchone()
                if row is not None:
                    return row
        return None

    def export_table(self, table: str, filters: Filters | None = None) -> tuple[list[str], Iterator[tuple]]:
        """(columns, rows) of an export table: claims or checks joined with their article, the links of
        checks to claims, or articles; only the rows the filters keep. Values are as stored: JSON columns
        (EXPORT_JSON_COLUMNS) stay JSON text."""
        if table not in EXPORT_TABLES:
            raise StoreError(f"unknown table {table!r}", hint=f"choose one of {', '.join(EXPORT_TABLES)}")
        select, order = EXPORT_TABLES[table]
        clause, params = where(table, filters or Filters())
        cur = self.conn.execute(f"{select}{clause} ORDER BY {order}", params)
        cur.row_factory = None
        return [d[0] for d in cur.description], iter(cur)

    def rows(self, table: str) -> list[dict[str, Any]]:
        """An export table as dicts, JSON columns decoded: what the JSONL export writes."""
        columns, rows = self.export_table(table)
        json_cols = EXPORT_JSON_COLUMNS[table]
        out = []
        with store_errors(self.path):
            for r in rows:
                d = dict(zip(columns, r))
                for c in json_cols:
                    d[c] = json.loads(d[c]) if d[c] is not None else None
                for c in EXPORT_LIST_COLUMNS.intersection(d):
                    d[c] = d[c].split() if d[c] else []
                out.append(d)
        return out

    def claims_of(self, article_id: int) -> list[dict[str, Any]]:
        """The claims of one article as output-contract dicts (span as a list), in order."""
        rows = self.conn.execute(f"SELECT {', '.join(CLAIM_FIELDS)}, span_start, span_end, extra FROM claims "
                                 "WHERE article_id = ? ORDER BY idx", (article_id,))
        out = []
        for r in rows:
            d = {f: r[f] for f in CLAIM_FIELDS}
            d["span"] = [r["span_start"], r["span_end"]]
            d.update(json.loads(r["extra"]) if r["extra"] else {})
            out.append(d)
        return out

    def checks_of(self, article_id: int) -> list[dict[str, Any]]:
        rows = self.conn.execute(f"SELECT {quoted_columns(CHECK_FIELDS + CHECK_JSON_FIELDS)}, extra FROM checks "
                                 "WHERE article_id = ? ORDER BY idx", (article_id,))
        out = []
        for r in rows:
            d = {f: r[f] for f in CHECK_FIELDS}
            d.update({f: json.loads(r[f]) for f in CHECK_JSON_FIELDS if r[f] is not None})
            d.update(json.loads(r["extra"]) if r["extra"] else {})
            out.append(d)
        return out

    def stats(self) -> dict[str, Any]:
        """Counts and sums for `extract stats` (stats.py)."""
        from .stats import stats

        with store_errors(self.path):
            return stats(self.conn)

    def reconcile(self) -> list:
        """Group the claims stating the same figure across articles and store the figures (reconcile.py)."""
        from .reconcile import write_figures

        with store_errors(self.path):
            return write_figures(self.conn)


