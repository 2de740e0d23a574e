"""The SQLite store: schema and versioning, one transaction per article, duplicates, export round trips."""
from __future__ import annotations

import csv
import io
import json
import sqlite3
import sys

import pytest

from extractor.pipeline import extract_text
from extractor.errors import StoreError
from extractor.store import Store, export
from extractor.store.database import SCHEMA_VERSION, ArticleRecord
from extractor.store.export import EXPORT_INT_COLUMNS

SUM_TEXT = (
    "Klaim BPJS Ketenagakerjaan Kudus Rp20 miliar\n\n"
    "BPJS Ketenagakerjaan Cabang Kudus membayarkan klaim sebesar Rp20 miliar untuk 1.500 kasus sepanjang tahun "
    "2023. Rinciannya, klaim Jaminan Hari Tua (JHT) sebesar Rp15 miliar untuk 1.000 kasus, Jaminan Kematian "
    "(JKM) sebesar Rp3 miliar untuk 300 kasus dan Jaminan Kecelakaan Kerja (JKK) sebesar Rp2 miliar untuk 200 kasus."
)
REPEAT_TEXT = (
    "Klaim JHT Kudus Rp402 miliar\n\n"
    "BPJS Ketenagakerjaan Cabang Kudus membayarkan klaim Jaminan Hari Tua (JHT) sebesar Rp420 miliar pada tahun 2023."
)
SIMPLE_TEXT = ("BPJS Ketenagakerjaan Cabang Kudus membayarkan klaim Jaminan Hari Tua (JHT) sebesar Rp12,5 miliar "
               "untuk 1.234 kasus pada tahun 2023.")


def record(key: str, text: str | None, **kw) -> ArticleRecord:
    from extractor.store.batch import content_hash

    if text is None:
        return ArticleRecord(input=key, kind="url", url=key, error=kw.pop("error", "HTTP 404"),
                             error_code=kw.pop("error_code", "http-status"), **kw)
    doc = extract_text(text).as_dict()
    return ArticleRecord(input=key, kind="url", url=key, final_url=key, document=doc,
                         content_hash=content_hash(text), **kw)


@pytest.fixture
def db(tmp_path):
    with Store.open(tmp_path / "claims.db") as store:
        yield store


def test_new_database_has_schema_version_wal_and_indexes(tmp_path):
    path = tmp_path / "c.db"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert {"articles", "claims", "checks", "articles_canonical", "articles_hash", "claims_program"} <= names
    Store.open(path).close()  # reopening an existing database is fine


def test_newer_schema_is_refused_with_a_clear_error(tmp_path):
    path = tmp_path / "c.db"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer than this extractor supports") as err:
        Store.open(path)
    assert "upgrade" in str(err.value)


def test_foreign_or_broken_databases_are_refused(tmp_path):
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(StoreError, match="not an extractor claims database"):
        Store.open(other)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="cannot open as a SQLite database"):
        Store.open(junk)
    with pytest.raises(StoreError, match="no such database"):
        Store.open(tmp_path / "missing.db", readonly=True)
    assert not (tmp_path / "missing.db").exists()


def test_article_claims_and_checks_round_trip(db):
    rec = record("http://a/1", SUM_TEXT)
    saved = db.save(rec)
    assert (saved.status, saved.n_claims) == ("ok", 4)
    assert db.claims_of(saved.id) == rec.document["claims"]
    assert db.checks_of(saved.id) == rec.document["checks"]
    assert [c["program"] for c in db.claims_of(saved.id)] == ["TOTAL", "JHT", "JKM", "JKK"]

    rep_rec = record("http://a/2", REPEAT_TEXT)
    rep = db.save(rep_rec)
    assert db.checks_of(rep.id)[0]["verdict"] == "inconsistent"
    stats = db.stats()
    assert stats["claims"] == 5 and stats["articles"] == {"ok": 2, "failed": 0, "duplicate": 0}
    assert [(r["source"], r["program"]) for r in stats["inconsistent"]] == [("http://a/2", "JHT")]
    assert {r["key"]: r["claims"] for r in stats["by"]["program"]} == {"JHT": 2, "TOTAL": 1, "JKM": 1, "JKK": 1}
    # the year's sums add the TOTAL figures only, never a total plus its parts (issue 16)
    totals = [c for c in rec.document["claims"] + rep_rec.document["claims"] if c["program"] == "TOTAL"]
    assert stats["by"]["year"] == [{"key": "2023", "claims": 5, "counted": 1, "articles": 2,
                                    "amount": sum(c["amount"] for c in totals),
                                    "cases": sum(c["cases"] or 0 for c in totals)}]


def test_failed_article_keeps_its_reason_and_has_no_claims(db):
    saved = db.save(record("http://a/404", None, http_status=404))
    row = db.conn.execute("SELECT * FROM articles WHERE id = ?", (saved.id,)).fetchone()
    assert (row["status"], row["error"], row["error_code"], row["http_status"]) == (
        "failed", "HTTP 404", "http-status", 404)
    assert db.claims_of(saved.id) == []
    assert db.recorded() == {"http://a/404": "failed"}


def test_duplicates_by_content_and_by_canonical_url(db):
    first = db.save(record("http://a/1", SIMPLE_TEXT, canonical_url="http://a/1"))
    same_body = db.save(record("http://mirror/1", SIMPLE_TEXT, canonical_url="http://mirror/1"))
    same_canonical = db.save(record("http://a/1?utm=x", SUM_TEXT, canonical_url="http://a/1"))
    assert (same_body.status, same_body.duplicate_of, same_body.n_claims) == ("duplicate", first.id, 0)
    assert (same_canonical.status, same_canonical.duplicate_of) == ("duplicate", first.id)
    errors = [r[0] for r in db.conn.execute("SELECT error FROM articles WHERE status = 'duplicate' ORDER BY id")]
    assert errors == [f"same content as article {first.id} (http://a/1)",
                      f"same canonical URL as article {first.id} (http://a/1)"]
    assert db.conn.execute("SELECT count(*) FROM claims").fetchone()[0] == 1
    # Saving the original again (a --refresh) does not make it a duplicate of itself or of its copies.
    again = db.save(record("http://a/1", SIMPLE_TEXT, canonical_url="http://a/1"))
    assert (again.id, again.status) == (first.id, "ok")


def test_saving_an_input_again_replaces_its_rows(db):
    first = db.save(record("http://a/1", SUM_TEXT))
    again = db.save(record("http://a/1", SIMPLE_TEXT))
    assert again.id == first.id
    assert db.conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 1
    assert [c["program"] for c in db.claims_of(first.id)] == ["JHT"]
    assert db.checks_of(first.id) == []
    failed = db.save(record("http://a/1", None))
    assert failed.id == first.id and db.claims_of(first.id) == []


def test_an_article_is_written_whole_or_not_at_all(db):
    rec = record("http://a/1", SUM_TEXT)
    rec.document["claims"][2]["program"] = None  # violates NOT NULL on the third claim row
    with pytest.raises(sqlite3.IntegrityError):
        db.save(rec)
    assert db.conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
    assert db.conn.execute("SELECT count(*) FROM claims").fetchone()[0] == 0
    assert db.save(record("http://a/1", SUM_TEXT)).n_claims == 4  # and the connection is still usable


def test_contract_fields_newer_than_the_schema_are_kept(db):
    rec = record("http://a/1", SIMPLE_TEXT)
    rec.document["claims"][0]["confidence"] = 0.9
    saved = db.save(rec)
    assert db.claims_of(saved.id)[0]["confidence"] == 0.9


# -- export ------------------------------------------------------------------------------------------

@pytest.fixture
def filled(tmp_path):
    path = tmp_path / "claims.db"
    with Store.open(path) as store:
        store.save(record("http://a/sum", SUM_TEXT))
        store.save(record("http://a/repeat", REPEAT_TEXT))
        store.save(record("http://a/simple", SIMPLE_TEXT))
        store.save(record("http://a/copy", SIMPLE_TEXT))
        store.save(record("http://a/404", None, http_status=404))
    return path


def db_rows(path, table):
    with Store.open(path, readonly=True) as store:
        columns, rows = store.export_table(table)
        return [dict(zip(columns, r)) for r in rows]


def from_csv(text):
    out = []
    for row in csv.DictReader(io.StringIO(text)):
        out.append({k: (None if v == "" else int(v) if k in EXPORT_INT_COLUMNS else v) for k, v in row.items()})
    return out


@pytest.mark.parametrize("table", ["claims", "checks", "articles"])
def test_export_round_trips_csv_jsonl_parquet(filled, tmp_path, table):
    pytest.importorskip("pyarrow")
    expected = db_rows(filled, table)
    if table == "articles":
        assert len(expected) == 5
    else:
        assert expected  # some claims and checks to compare
    with Store.open(filled, readonly=True) as store:
        for fmt in ("csv", "jsonl", "parquet"):
            out = tmp_path / f"{table}.{fmt}"
            assert export(store, table, fmt, str(out)) == len(expected)
        decoded = store.rows(table)

    assert from_csv((tmp_path / f"{table}.csv").read_text(encoding="utf-8")) == expected

    lines = [json.loads(line) for line in (tmp_path / f"{table}.jsonl").read_text(encoding="utf-8").splitlines()]
    assert lines == decoded
    json_cols = {"checks": ["parts", "total", "parts_sum", "values"], "articles": ["warnings"]}.get(table, [])
    assert [{k: (json.dumps(v, ensure_ascii=False) if k in json_cols and v is not None else
                 " ".join(v) or None if isinstance(v, list) else v)  # id lists: lists in JSON Lines
             for k, v in row.items()} for row in lines] == expected

    pq = pytest.importorskip("pyarrow.parquet")
    # Parquet has real dates (date32) and the id lists as lists (issue 16); the values are the same
    parquet = [{k: (v.isoformat() if hasattr(v, "isoformat") else " ".join(v) or None if isinstance(v, list) else v)
                for k, v in row.items()} for row in pq.read_table(tmp_path / f"{table}.parquet").to_pylist()]
    assert parquet == expected


def test_export_claims_carry_their_article(filled):
    rows = db_rows(filled, "claims")
    simple = [r for r in rows if r["url"] == "http://a/simple"]
    assert len(simple) == 1
    assert {k: simple[0][k] for k in ("institution", "program", "amount", "cases", "branch", "period_start")} == {
        "institution": "BPJS Ketenagakerjaan", "program": "JHT", "amount": 12_500_000_000, "cases": 1234,
        "branch": "Kudus", "period_start": "2023-01-01"}
    assert not [r for r in rows if r["url"] == "http://a/copy"]  # a duplicate has no claim rows


def test_parquet_without_pyarrow_is_one_clear_error(filled, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with Store.open(filled, readonly=True) as store, pytest.raises(StoreError) as err:
        export(store, "claims", "parquet", str(tmp_path / "x.parquet"))
    assert str(err.value) == "parquet export needs pyarrow, which is not installed (pip install 'extractor[parquet]')"


def test_export_of_an_empty_table_writes_a_header_and_typed_parquet(tmp_path):
    pytest.importorskip("pyarrow")
    path = tmp_path / "c.db"
    Store.open(path).close()
    with Store.open(path, readonly=True) as store:
        assert export(store, "claims", "csv", str(tmp_path / "e.csv")) == 0
        assert export(store, "claims", "parquet", str(tmp_path / "e.parquet")) == 0
    assert (tmp_path / "e.csv").read_text().startswith("article_id,url,path,")
    import pyarrow.parquet as pq

    assert str(pq.read_schema(tmp_path / "e.parquet").field("amount").type) == "int64"
