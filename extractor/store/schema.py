"""The claims database's schema: tables, columns, the export queries. Plain data, read by database.py."""

from __future__ import annotations

SCHEMA_VERSION = 3  # 2: article text, stable claim ids, full JSON, check-claim links, claims_full, FTS5;
#                    3: figures reconciled across articles (figures, figure_claims)


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
    warnings      TEXT,                     -- JSON list
    text          TEXT,                     -- the clean article text the claims were read from (v2)
    json          TEXT                      -- the document's as_dict() but claims, checks, figures (v2)
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
    claim_id         TEXT,                  -- stable id (v2): same input and figure, same id, across reruns
    json             TEXT,                  -- the claim's full as_dict() (v2): new fields flow through
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
    json        TEXT,                       -- the check's full as_dict() (v2)
    UNIQUE (article_id, idx)
);
CREATE INDEX checks_verdict ON checks(verdict);
"""

# Schema version 2, applied to a new database after SCHEMA, and to a version-1 database after
# V2_COLUMNS (migration.py fills the new columns of the rows already there).
V2_COLUMNS = """
ALTER TABLE articles ADD COLUMN text TEXT;
ALTER TABLE articles ADD COLUMN json TEXT;
ALTER TABLE claims ADD COLUMN claim_id TEXT;
ALTER TABLE claims ADD COLUMN json TEXT;
ALTER TABLE checks ADD COLUMN json TEXT
"""

V2_OBJECTS = """
CREATE UNIQUE INDEX claims_claim_id ON claims(claim_id);

-- Which claims a check is about: role 'total' or 'part' (sum checks), 'value' (repeat checks).
CREATE TABLE check_claims (
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    check_idx   INTEGER NOT NULL,
    claim_id    TEXT NOT NULL,
    role        TEXT NOT NULL,
    PRIMARY KEY (article_id, check_idx, claim_id)
);
CREATE INDEX check_claims_claim ON check_claims(claim_id);

-- Full-text search (FTS5), kept in step by triggers; rowid is the article's / claim's row id.
CREATE VIRTUAL TABLE articles_fts USING fts5(title, text);
CREATE VIRTUAL TABLE claims_fts USING fts5(evidence);
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
    DELETE FROM articles_fts WHERE rowid = old.id;
    INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    DELETE FROM articles_fts WHERE rowid = old.id;
END;
CREATE TRIGGER claims_fts_insert AFTER INSERT ON claims BEGIN
    INSERT INTO claims_fts (rowid, evidence) VALUES (new.id, new.evidence);
END;
CREATE TRIGGER claims_fts_delete AFTER DELETE ON claims BEGIN
    DELETE FROM claims_fts WHERE rowid = old.id;
END;

-- One row per claim with its article and a summary of the checks about it: what a journalist opens.
CREATE VIEW claims_full AS
SELECT c.claim_id, c.id AS claim_rowid, c.article_id, a.institution, a.title, a.published, a.site,
       json_extract(a.json, '$.author') AS author,
       coalesce(a.final_url, a.url) AS url, a.path,
       c.program, c.detail, c.amount, json_extract(c.json, '$.amount_low') AS amount_low,
       json_extract(c.json, '$.amount_high') AS amount_high, c.amount_qualifier, c.amount_text,
       c.cases, c.cases_qualifier, c.unit, c.segment, c.period_start, c.period_end, c.period_text,
       c.branch, c.region, c.evidence,
       (SELECT count(*) FROM check_claims l WHERE l.claim_id = c.claim_id) AS n_checks,
       (SELECT CASE max(CASE k.verdict WHEN 'inconsistent' THEN 3 WHEN 'unverifiable' THEN 2 ELSE 1 END)
               WHEN 3 THEN 'inconsistent' WHEN 2 THEN 'unverifiable' WHEN 1 THEN 'consistent' END
          FROM check_claims l JOIN checks k ON k.article_id = l.article_id AND k.idx = l.check_idx
         WHERE l.claim_id = c.claim_id) AS check_verdict,
       (SELECT group_concat(l.role || ' ' || k.kind || ' ' || k.what || ': ' || k.verdict, '; ')
          FROM check_claims l JOIN checks k ON k.article_id = l.article_id AND k.idx = l.check_idx
         WHERE l.claim_id = c.claim_id) AS checks
  FROM claims c JOIN articles a ON a.id = c.article_id
"""

# Schema version 3, applied after version 2's objects (IF NOT EXISTS: a database rebuilt down to an older
# version may keep them); `extract reconcile` (reconcile.py) fills them.
V3_OBJECTS = """
-- One row per published figure (institution, program, detail, period, branch, region, segment),
-- however many articles state it: its most precise value, the interval all its sources allow
-- (its precision), whether they agree, and how many sources (a syndicated copy is one) state it.
CREATE TABLE IF NOT EXISTS figures (
    figure_id       TEXT PRIMARY KEY,       -- stable: a hash of the figure's key fields
    institution     TEXT,
    program         TEXT NOT NULL,
    detail          TEXT,
    period_start    TEXT,
    period_end      TEXT,
    branch          TEXT,
    region          TEXT,
    segment         TEXT,
    amount          INTEGER,                -- the most precise statement's amount
    amount_low      INTEGER,                -- the interval every agreeing statement allows
    amount_high     INTEGER,                -- (NULL: no upper bound, "lebih dari")
    amount_claim_id TEXT,                   -- the claim stating it most precisely
    cases           INTEGER,
    cases_low       INTEGER,
    cases_high      INTEGER,
    cases_claim_id  TEXT,
    agree           INTEGER NOT NULL,       -- 1, or 0: a cross-source conflict (see conflict)
    conflict        TEXT,                   -- why the sources cannot agree
    n_sources       INTEGER NOT NULL,
    n_claims        INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS figures_program ON figures(program);

-- The claims (one per article statement) each figure groups, and the source each counts as.
CREATE TABLE IF NOT EXISTS figure_claims (
    figure_id         TEXT NOT NULL,
    claim_id          TEXT NOT NULL PRIMARY KEY,
    article_id        INTEGER NOT NULL,
    source_article_id INTEGER NOT NULL      -- the article a syndicated copy counts as (itself otherwise)
);
CREATE INDEX IF NOT EXISTS figure_claims_figure ON figure_claims(figure_id)
"""


CLAIM_INSERT = (f"INSERT INTO claims (article_id, idx, {', '.join(CLAIM_FIELDS)}, span_start, span_end, extra, "
                "claim_id, json) "
                f"VALUES ({', '.join('?' * (len(CLAIM_FIELDS) + 7))})")


def quoted_columns(columns: tuple[str, ...], table: str = "") -> str:
    # "values" is an SQL keyword: quote the check columns wherever they are listed.
    return ", ".join(f'{table}"{c}"' for c in columns)


CHECK_INSERT = (f"INSERT INTO checks (article_id, idx, {quoted_columns(CHECK_FIELDS + CHECK_JSON_FIELDS)}, extra, "
                "json) "
                f"VALUES ({', '.join('?' * (len(CHECK_FIELDS) + len(CHECK_JSON_FIELDS) + 4))})")




# Article columns the export joins onto each claim or check row.
ARTICLE_EXPORT_FIELDS = ("url", "path", "final_url", "title", "published", "site", "institution")


_A_COLS = ", ".join(f"a.{c}" for c in ARTICLE_EXPORT_FIELDS)

# The claim ids a check is about (check_claims), so that checks join to claims.
_CHECK_IDS = (
    "(SELECT l.claim_id FROM check_claims l WHERE l.article_id = k.article_id AND l.check_idx = k.idx "
    "AND l.role = 'total') AS total_claim_id, "
    "(SELECT group_concat(l.claim_id, ' ') FROM check_claims l WHERE l.article_id = k.article_id "
    "AND l.check_idx = k.idx AND l.role != 'total') AS part_claim_ids")

# (SELECT ... FROM ..., ORDER BY): export.py puts the filters (query.py) between them. Table aliases:
# a (articles), c (claims), k (checks), l (check_claims).
EXPORT_TABLES = {
    "claims": (f"SELECT c.article_id, {_A_COLS}, c.claim_id, c.idx AS claim_index, "
               f"{', '.join('c.' + f for f in CLAIM_FIELDS)}, c.span_start, c.span_end, "
               "json_extract(c.json, '$.amount_low') AS amount_low, "
               "json_extract(c.json, '$.amount_high') AS amount_high "
               "FROM claims c JOIN articles a ON a.id = c.article_id", "c.article_id, c.idx"),
    "checks": (f"SELECT k.article_id, {_A_COLS}, k.idx AS check_index, "
               f"{quoted_columns(CHECK_FIELDS + CHECK_JSON_FIELDS, 'k.')}, {_CHECK_IDS} "
               "FROM checks k JOIN articles a ON a.id = k.article_id", "k.article_id, k.idx"),
    "check_claims": ("SELECT l.article_id, l.check_idx AS check_index, l.claim_id, l.role "
                     "FROM check_claims l JOIN articles a ON a.id = l.article_id "
                     "JOIN checks k ON k.article_id = l.article_id AND k.idx = l.check_idx",
                     "l.article_id, l.check_idx, l.role DESC, l.claim_id"),
    "figures": ("SELECT f.figure_id, f.institution, f.program, f.detail, f.period_start, f.period_end, f.branch, "
                "f.region, f.segment, f.amount, f.amount_low, f.amount_high, f.amount_claim_id, f.cases, "
                "f.cases_low, f.cases_high, f.cases_claim_id, f.agree, f.conflict, f.n_sources, f.n_claims, "
                "(SELECT group_concat(l.claim_id, ' ') FROM figure_claims l WHERE l.figure_id = f.figure_id) "
                "AS claim_ids FROM figures f", "f.institution, f.program, f.period_start, f.figure_id"),
    "articles": ("SELECT a.id AS article_id, input, kind, url, path, final_url, canonical_url, title, published, "
                 "site, institution, fetched_at, processed_at, status, error, error_code, http_status, "
                 "duplicate_of, content_hash, n_claims, warnings FROM articles a", "a.id"),
}


EXPORT_JSON_COLUMNS = {"claims": (), "checks": CHECK_JSON_FIELDS, "articles": ("warnings",), "check_claims": (),
                       "figures": ()}

# Space-separated ids in SQL and CSV; a list in JSON Lines and Parquet.
EXPORT_LIST_COLUMNS = {"part_claim_ids", "claim_ids"}
