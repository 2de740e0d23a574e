"""Issue 16: a dataset a journalist can open and trust. A database built by `extract batch` from the
repo's fixtures, exported to xlsx, Excel CSV and Parquet and read back, opened in Datasette, summed
by `extract stats`; older databases migrated on open."""
from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from extractor.store import Store
from extractor.store.batch import BatchSummary
from extractor.store.database import SCHEMA_VERSION
from extractor.store.stats import short_rupiah

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args, env: dict | None = None):
    code = "from extractor.cli import main; main()"
    return subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True,
                          timeout=300, cwd=ROOT, env={**os.environ, **(env or {})})


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("dataset") / "claims.db"
    proc = run_cli("batch", ROOT / "fixtures", "--db", db, "--quiet")
    assert proc.returncode == 0, proc.stderr
    return db


def export(db, *args):
    proc = run_cli("export", "--db", db, *args)
    assert proc.returncode == 0, proc.stderr
    return proc


def test_exports_read_back_with_integer_amounts_dates_and_joinable_claim_ids(fixture_db, tmp_path):
    pd = pytest.importorskip("pandas")
    openpyxl = pytest.importorskip("openpyxl")
    pq = pytest.importorskip("pyarrow.parquet")
    import pyarrow as pa

    export(fixture_db, "--format", "xlsx", "-o", tmp_path / "claims.xlsx")
    export(fixture_db, "--excel", "-o", tmp_path / "claims.csv")
    export(fixture_db, "--format", "parquet", "-o", tmp_path / "claims.parquet")
    export(fixture_db, "--table", "checks", "-o", tmp_path / "checks.parquet")
    export(fixture_db, "--table", "checks", "-o", tmp_path / "checks.xlsx")

    # xlsx: amounts are whole numbers, dates are dates, text is text
    sheet = openpyxl.load_workbook(tmp_path / "claims.xlsx").active
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in r))) for r in sheet.iter_rows(min_row=2)]
    assert rows and all(isinstance(r["amount"], int) for r in rows if r["amount"] is not None)
    assert all(r["period_end"].date() == date.fromisoformat(r["period_end"].date().isoformat())
               for r in rows if r["period_end"] is not None)
    assert any(r["period_end"] is not None for r in rows)
    frame = pd.read_excel(tmp_path / "claims.xlsx")
    assert str(frame["period_end"].dtype).startswith("datetime64")

    # Excel CSV: a byte-order mark, ';' between cells, integers as plain digits
    raw = (tmp_path / "claims.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.split(b"\n")[0].count(b";") == len(header) - 1
    csv = pd.read_csv(tmp_path / "claims.csv", sep=";", encoding="utf-8-sig", dtype_backend="numpy_nullable",
                      parse_dates=["period_end"])
    assert str(csv["amount"].dtype) == "Int64" and str(csv["period_end"].dtype).startswith("datetime64")
    assert list(csv["claim_id"]) == [r["claim_id"] for r in rows]

    # Parquet: int64 amounts, date32 dates
    claims = pq.read_table(tmp_path / "claims.parquet")
    assert claims.schema.field("amount").type == pa.int64()
    assert claims.schema.field("cases").type == pa.int64()
    assert claims.schema.field("period_start").type == pa.date32()
    assert claims.schema.field("published").type == pa.date32()
    assert sum(a or 0 for a in claims.column("amount").to_pylist()) == sum(r["amount"] or 0 for r in rows)

    # checks join to claims by id, in Parquet and in xlsx
    checks = pq.read_table(tmp_path / "checks.parquet").to_pandas()
    ids = set(claims.column("claim_id").to_pylist())
    sums = checks[checks["kind"] == "sum"]
    assert len(sums) and sums["total_claim_id"].notna().all()
    assert set(sums["total_claim_id"]) <= ids
    assert {i for parts in checks["part_claim_ids"] for i in parts} <= ids
    joined = sums.merge(claims.to_pandas(), left_on="total_claim_id", right_on="claim_id", suffixes=("", "_claim"))
    assert len(joined) == len(sums) and (joined["program"] == joined["program_claim"]).all()
    xchecks = pd.read_excel(tmp_path / "checks.xlsx")
    assert set(xchecks["total_claim_id"].dropna()) <= ids


def test_datasette_opens_claims_full_with_a_facet(fixture_db, tmp_path):
    datasette_app = pytest.importorskip("datasette.app")
    proc = run_cli("datasette-metadata", "--db", fixture_db, "-o", tmp_path / "metadata.json")
    assert proc.returncode == 0, proc.stderr
    meta = json.loads((tmp_path / "metadata.json").read_text(encoding="utf-8"))
    assert "rupiah" in meta["databases"]["claims"]["tables"]["claims_full"]["columns"]["amount"]

    async def ask():
        ds = datasette_app.Datasette([str(fixture_db)], metadata=meta)
        facet = await ds.client.get("/claims/claims_full.json?_facet=program&_shape=objects")
        default = await ds.client.get("/claims/claims_full.json?_shape=objects")  # the facets in metadata
        search = await ds.client.get("/claims/claims.json?_search=miliar&_shape=objects")
        return facet, default, search

    facet, default, search = asyncio.run(ask())
    assert facet.status_code == 200, facet.text
    counts = {r["value"]: r["count"] for r in facet.json()["facet_results"]["program"]["results"]}
    with sqlite3.connect(fixture_db) as conn:
        expected = dict(conn.execute("SELECT program, count(*) FROM claims GROUP BY program"))
    assert counts == expected
    assert default.status_code == 200 and "institution" in default.json()["facet_results"]
    assert search.status_code == 200 and search.json()["rows"]


def expected_institution_totals(db: Path) -> dict[str, int]:
    """Independently of stats.py: the sum of each institution's total figures (TOTAL, SANTUNAN for Jasa
    Raharja), a figure reported by several articles counted once. The one press release that
    fixtures/reconcile/ restates in three outlets' roundings counts once, with its exact figure."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT institution, sum(amount) FROM (SELECT DISTINCT coalesce(a.institution, '?') AS institution, "
            "c.program, c.amount, c.cases, c.segment, c.branch, c.region, c.period_start, c.period_end "
            "FROM claims c JOIN articles a ON a.id = c.article_id "
            "WHERE c.program = CASE a.institution WHEN 'Jasa Raharja' THEN 'SANTUNAN' ELSE 'TOTAL' END "
            "AND a.path NOT LIKE '%sukamaju-rilis-%') GROUP BY institution")
        totals = {k: v for k, v in rows if v is not None}
    totals["BPJS Ketenagakerjaan"] += 12_347_560_000  # Rp12,35 miliar, Rp12 miliar lebih, Rp12.347.560.000
    return totals


def test_stats_institution_total_is_the_sum_of_its_total_figures_only(fixture_db):
    proc = run_cli("stats", "--db", fixture_db, "--json")
    assert proc.returncode == 0, proc.stderr
    by = {r["key"]: r for r in json.loads(proc.stdout)["by"]["institution"]}
    expected = expected_institution_totals(fixture_db)
    assert {k: r["amount"] for k, r in by.items() if r["amount"] is not None} == expected
    with sqlite3.connect(fixture_db) as conn:
        everything = conn.execute("SELECT sum(c.amount) FROM claims c JOIN articles a ON a.id = c.article_id "
                                  "WHERE a.institution = 'BPJS Ketenagakerjaan'").fetchone()[0]
    assert by["BPJS Ketenagakerjaan"]["amount"] < everything  # parts are not added to their totals


def test_stats_fits_80_columns_and_shows_short_amounts(fixture_db):
    proc = run_cli("stats", "--db", fixture_db, env={"COLUMNS": "80", "TERM": "dumb"})
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines and max(len(line) for line in lines) <= 80
    for amount in expected_institution_totals(fixture_db).values():
        assert short_rupiah(amount) in proc.stdout  # whole, never cut off


def test_short_rupiah():
    assert short_rupiah(41_070_000_000) == "Rp41,07 miliar"
    assert short_rupiah(1_200_000_000_000) == "Rp1,2 T"
    assert short_rupiah(231_000_000) == "Rp231 juta"
    assert short_rupiah(950_000) == "Rp950.000"
    assert short_rupiah(None) == ""


def test_export_filters(fixture_db):
    def claims(*args):
        return [json.loads(x) for x in export(fixture_db, "--format", "jsonl", *args).stdout.splitlines()]

    everything = claims()
    taspen = claims("--institution", "taspen", "--program", "total")
    assert taspen and all(c["institution"] == "Taspen" and c["program"] == "TOTAL" for c in taspen)
    in_2023 = claims("--since", "2023", "--until", "2023-12")
    assert in_2023 and all((c["period_end"] or c["period_start"] or c["published"]).startswith("2023")
                           for c in in_2023)
    bali = claims("--region", "BALI")
    assert bali and all(c["region"] == "Bali" for c in bali) and len(bali) < len(everything)
    checks = [json.loads(x) for x in export(fixture_db, "--table", "checks", "--format", "jsonl",
                                            "--region", "bali").stdout.splitlines()]
    ids = {c["claim_id"] for c in bali}
    assert checks and all(k["total_claim_id"] in ids or set(k["part_claim_ids"]) & ids for k in checks)


@pytest.mark.parametrize("args, message", [
    (["--since", "2024-13-01"], "error: --since '2024-13-01': not a date (write YYYY-MM-DD, YYYY-MM or YYYY)"),
    (["--format", "xlsx", "--excel"], "error: --excel is a kind of CSV (use it with --format csv; xlsx needs no --excel)"),
])
def test_bad_export_options_are_one_line_and_exit_2(fixture_db, args, message):
    proc = run_cli("export", "--db", fixture_db, *args)
    assert proc.returncode == 2 and proc.stderr.splitlines() == [message]


def test_claims_full_fts_and_text_are_in_the_database(fixture_db):
    with sqlite3.connect(fixture_db) as conn:
        assert conn.execute("SELECT count(*) FROM claims_full").fetchone()[0] == \
            conn.execute("SELECT count(*) FROM claims").fetchone()[0]
        assert conn.execute("SELECT count(*) FROM articles WHERE status = 'ok' AND text IS NULL").fetchone()[0] == 0
        hit = conn.execute("SELECT a.title FROM articles_fts f JOIN articles a ON a.id = f.rowid "
                           "WHERE articles_fts MATCH 'taspen' LIMIT 1").fetchone()
        assert hit is not None
        assert conn.execute("SELECT count(*) FROM claims_fts WHERE claims_fts MATCH 'miliar'").fetchone()[0] > 0
        assert conn.execute("SELECT count(*) FROM claims_full WHERE check_verdict IS NOT NULL").fetchone()[0] > 0


def test_claim_ids_stay_the_same_when_the_batch_is_redone(fixture_db, tmp_path):
    copy = tmp_path / "again.db"
    copy.write_bytes(fixture_db.read_bytes())
    with sqlite3.connect(copy) as conn:
        before = sorted(r[0] for r in conn.execute("SELECT claim_id FROM claims"))
    proc = run_cli("batch", ROOT / "fixtures", "--db", copy, "--refresh", "--quiet")
    assert proc.returncode == 0, proc.stderr
    with sqlite3.connect(copy) as conn:
        assert sorted(r[0] for r in conn.execute("SELECT claim_id FROM claims")) == before


def test_a_version_1_database_is_migrated_on_open_and_keeps_its_rows(fixture_db, tmp_path):
    old = tmp_path / "v1.db"
    old.write_bytes(fixture_db.read_bytes())
    with sqlite3.connect(old) as conn:  # back to schema 1: without what version 2 added
        for name in ("claims_full", ):
            conn.execute(f"DROP VIEW {name}")
        for trigger in [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")]:
            conn.execute(f"DROP TRIGGER {trigger}")
        conn.execute("DROP INDEX claims_claim_id")
        for table in ("check_claims", "articles_fts", "claims_fts"):
            conn.execute(f"DROP TABLE {table}")
        for table, column in (("articles", "text"), ("articles", "json"), ("claims", "claim_id"), ("claims", "json"), ("checks", "json")):
            conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        conn.execute("PRAGMA user_version = 1")
        n_claims = conn.execute("SELECT count(*) FROM claims").fetchone()[0]
    proc = run_cli("export", "--db", old, "--table", "checks", "--format", "jsonl")  # a read-only command
    assert proc.returncode == 0, proc.stderr
    assert any(json.loads(line)["total_claim_id"] for line in proc.stdout.splitlines())
    with Store.open(old, readonly=True) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert store.conn.execute("SELECT count(*) FROM claims_full WHERE claim_id IS NOT NULL").fetchone()[0] \
            == n_claims
        with sqlite3.connect(fixture_db) as conn:
            assert sorted(r[0] for r in store.conn.execute("SELECT claim_id FROM claims")) == \
                sorted(r[0] for r in conn.execute("SELECT claim_id FROM claims"))


def test_eta_is_never_less_than_the_per_host_delay_allows():
    summary = BatchSummary(todo=10, ok=2, delay=2.0, host_left={"a.example": 8}, started=0.0)
    assert summary.eta(now=1.0) == 16.0  # the pace (4 s) would promise too much: 8 pages x 2 s
    summary.host_left = {"a.example": 1, "b.example": 1}
    assert summary.eta(now=1.0) == 4.0  # many hosts: the pace
    assert BatchSummary(todo=3, ok=3).eta() == 0.0


def test_a_rerun_with_nothing_left_says_so(fixture_db, tmp_path):
    copy = tmp_path / "done.db"
    copy.write_bytes(fixture_db.read_bytes())
    with sqlite3.connect(copy) as conn:
        n = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    proc = run_cli("batch", ROOT / "fixtures", "--db", copy)
    assert proc.returncode == 0
    assert f"nothing to do: all {n} inputs are already in" in proc.stderr and "0 of 0" not in proc.stderr


def test_store_and_dataset_modules_stay_small():
    files = list((ROOT / "extractor" / "store").glob("*.py")) + [ROOT / "extractor" / "cli" / "dataset.py"]
    assert {f.name: n for f in files if (n := len(f.read_text(encoding="utf-8").splitlines())) > 400} == {}


def test_new_contract_fields_flow_through_the_json_columns(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    openpyxl = pytest.importorskip("openpyxl")
    from extractor.store import export
    from extractor.store.database import ArticleRecord

    claim = {"program": "TOTAL", "amount": 41_070_000_000, "amount_low": 41_070_000_000,
             "amount_high": 41_080_000_000, "unit_class": "case", "evidence": "Rp41,07 miliar", "span": [0, 14]}
    doc = {"title": "=HYPERLINK(\"http://x\")", "author": "Ni Luh", "claims": [claim], "checks": []}
    with Store.open(tmp_path / "c.db") as store:
        store.save(ArticleRecord(input="x", kind="file", document=doc, text="Rp41,07 miliar"))
        assert export(store, "claims", "parquet", str(tmp_path / "c.parquet")) == 1
        assert export(store, "claims", "xlsx", str(tmp_path / "c.xlsx")) == 1
        full = dict(store.conn.execute("SELECT * FROM claims_full").fetchone())
        stored = json.loads(store.conn.execute("SELECT json FROM claims").fetchone()[0])
    assert (full["amount_low"], full["amount_high"], full["author"]) == (41_070_000_000, 41_080_000_000, "Ni Luh")
    assert stored["unit_class"] == "case"
    row = pq.read_table(tmp_path / "c.parquet").to_pylist()[0]
    assert (row["amount_low"], row["amount_high"]) == (41_070_000_000, 41_080_000_000)
    sheet = openpyxl.load_workbook(tmp_path / "c.xlsx").active
    cell = sheet.cell(2, [c.value for c in sheet[1]].index("title") + 1)  # text, never a formula
    assert (cell.value, cell.data_type) == (doc["title"], "s")
