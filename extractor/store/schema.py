"""The claims database's schema: tables, columns, the export queries. Plain data, read by database.py."""

from __future__ import annotations

SCHEMA_VERSION = 1


STATUSES = ("ok", "failed", "duplicate")


# Claim fields of the output contract, in its order; span is stored as span_start/span_end.
CLAIM_FIELDS = ("program", "detail", "amount", "amount_qualifier", "amount_text", "cases", "cases_qualifier",
                "unit", "segment", "period_start", "period_end", "period_text", "branch", "region", "evidence")


CHECK_FIELDS = ("kind", "what", "program", "verdict", "why", "period")


CHECK_JSON_FIELDS = ("parts", "total", "parts_sum", "values")


SCHEMA = """
CREATE TABLE articles (
    id            INTEGER PRIMARY KEY,
    input         TEXT NOT NULL UNIQUE,     -- the URL or absolute path as given: the key for resuming
    kind          TEXT NOT NULL CHECK (kind IN ('url', 'file')),
    url           TEXT,
    path          TEXT,
    final_url     TEXT,
    canonical_url TEXT,
    title         TEXT,
    published     TEXT,
    site          TEXT,
    institution   TEXT,
    fetched_at    TEXT,
    processed_at  TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('ok', 'failed', 'duplicate')),
    error         TEXT,                     -- why it failed, or which article it duplicates
    error_code    TEXT,                     -- ExtractorError.code: fetch, http-status, parse ...
    http_status   INTEGER,
    duplicate_of  INTEGER REFERENCES articles(id),
    content_hash  TEXT,                     -- sha256 of the article text, whitespace-normalised
    n_claims      INTEGER NOT NULL DEFAULT 0,
    warnings      TEXT                      -- JSON list
);
CREATE INDEX articles_status ON articles(status);
CREATE INDEX articles_canonical ON articles(canonical_url) WHERE status = 'ok';
CREATE INDEX articles_hash ON articles(content_hash) WHERE status = 'ok';
CREATE INDEX articles_institution ON articles(institution);

CREATE TABLE claims (
    id               INTEGER PRIMARY KEY,
    article_id       INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx              INTEGER NOT NULL,      -- position in the document's claims list
    program          TEXT NOT NULL,
    detail           TEXT,
    amount           INTEGER,
    amount_qualifier TEXT,
    amount_text      TEXT,
    cases            INTEGER,
    cases_qualifier  TEXT,
    unit             TEXT,
    segment          TEXT,
    period_start     TEXT,
    period_end       TEXT,
    period_text      TEXT,
    branch           TEXT,
    region           TEXT,
    evidence         TEXT NOT NULL,
    span_start       INTEGER,
    span_end         INTEGER,
    extra            TEXT,                  -- JSON of contract fields newer than this schema, if any
    UNIQUE (article_id, idx)
);
CREATE INDEX claims_program ON claims(program);
CREATE INDEX claims_region ON claims(region);
CREATE INDEX claims_period ON claims(period_start);

CREATE TABLE checks (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx         INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    what        TEXT NOT NULL,
    program     TEXT,
    verdict     TEXT NOT NULL,
    why         TEXT,
    parts       TEXT,                       -- JSON
    total       TEXT,                       -- JSON
    parts_sum   TEXT,                       -- JSON
    "values"    TEXT,                       -- JSON
    period      TEXT,
    extra       TEXT,
    UNIQUE (article_id, idx)
);
CREATE INDEX checks_verdict ON checks(verdict);
"""


CLAIM_INSERT = (f"INSERT INTO claims (article_id, idx, {', '.join(CLAIM_FIELDS)}, span_start, span_end, extra) "
                 f"VALUES ({', '.join('?' * (len(CLAIM_FIELDS) + 5))})")


def quoted_columns(columns: tuple[str, ...], table: str = "") -> str:
    # "values" is an SQL keyword: quote the check columns wherever they are listed.
    return ", ".join(f'{table}"{c}"' for c in columns)


CHECK_INSERT = (f"INSERT INTO checks (article_id, idx, {quoted_columns(CHECK_FIELDS + CHECK_JSON_FIELDS)}, extra) "
                 f"VALUES ({', '.join('?' * (len(CHECK_FIELDS) + len(CHECK_JSON_FIELDS) + 3))})")




# Article columns the export joins onto each claim or check row.
ARTICLE_EXPORT_FIELDS = ("url", "path", "final_url", "title", "published", "site", "institution")


_A_COLS = ", ".join(f"a.{c}" for c in ARTICLE_EXPORT_FIELDS)


EXPORT_TABLES = {
    "claims": (f"SELECT c.article_id, {_A_COLS}, c.idx AS claim_index, "
               f"{', '.join('c.' + f for f in CLAIM_FIELDS)}, c.span_start, c.span_end "
               "FROM claims c JOIN articles a ON a.id = c.article_id ORDER BY c.article_id, c.idx"),
    "checks": (f"SELECT k.article_id, {_A_COLS}, k.idx AS check_index, "
               f"{quoted_columns(CHECK_FIELDS + CHECK_JSON_FIELDS, 'k.')} "
               "FROM checks k JOIN articles a ON a.id = k.article_id ORDER BY k.article_id, k.idx"),
    "articles": ("SELECT id AS article_id, input, kind, url, path, final_url, canonical_url, title, published, "
                 "site, institution, fetched_at, processed_at, status, error, error_code, http_status, "
                 "duplicate_of, content_hash, n_claims, warnings FROM articles ORDER BY id"),
}


EXPORT_JSON_COLUMNS = {"claims": (), "checks": CHECK_JSON_FIELDS, "articles": ("warnings",)}
