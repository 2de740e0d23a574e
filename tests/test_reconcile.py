"""Reconciling one figure across outlets: one press release restated by three outlets (one rounds, one
truncates, one attaches the case count to JHT) and an unrelated article, fixtures/reconcile/."""
from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractor.store.reconcile import INF, agreement, jaccard, overlap, reconcile, shingles

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "fixtures" / "reconcile"


def run_cli(*args):
    code = "from extractor.cli import main; main()"
    return subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True,
                          timeout=300, cwd=ROOT, env=dict(os.environ))


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("reconcile") / "claims.db"
    proc = run_cli("batch", FOLDER, "--db", path, "--quiet")
    assert proc.returncode == 0, proc.stderr
    return path


def groups(db):
    proc = run_cli("reconcile", "--db", db, "--json")
    assert proc.returncode == 1, proc.stderr  # a conflict exists
    return {g["figure"]["program"]: g for g in map(json.loads, proc.stdout.splitlines())}


def test_one_agreeing_group_one_conflict_and_the_unrelated_figure_left_alone(db):
    found = groups(db)
    assert set(found) == {"TOTAL", "JHT"}  # the Jasa Raharja figure has one source: not a group
    total, jht = found["TOTAL"], found["JHT"]
    assert total["agree"] is True and jht["agree"] is False
    assert {s["site"] for s in total["sources"]} == {"Kabar Sukamaju", "Harian Lintas", "Warta Daerah"}
    assert total["figure"]["period_start"] == "2025-01-01" and total["figure"]["branch"] == "Sukamaju"
    # the most precise statement wins over "Rp12,35 miliar" and "Rp12 miliar lebih"
    assert total["amount"]["best"] == 12_347_560_000 and total["amount"]["agree"]
    assert (total["amount"]["low"], total["amount"]["high"]) == (12_347_560_000, 12_347_560_000)
    assert total["cases"]["best"] == 1284
    assert "1284" in jht["why"][0] and "TOTAL" in jht["why"][0]
    for source in total["sources"] + jht["sources"]:
        assert source["evidence"] and source["span"][0] < source["span"][1] and source["published"]


def test_text_output_names_the_conflict_and_its_sources(db):
    proc = run_cli("reconcile", "--db", db)
    assert proc.returncode == 1
    assert proc.stdout.count("CONFLICT") == 1 and "Rp12.347.560.000" in proc.stdout
    assert "Warta Daerah 2025-07-16" in proc.stdout
    assert "1 conflicts" in proc.stderr


def test_export_writes_the_figures_and_stats_counts_each_once(db):
    run_cli("reconcile", "--db", db)
    proc = run_cli("export", "--db", db, "--table", "figures", "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    rows = {r["program"]: r for r in csv.DictReader(io.StringIO(proc.stdout))}
    assert set(rows) == {"TOTAL", "JHT", "SANTUNAN"}
    assert rows["TOTAL"]["amount"] == "12347560000" and rows["TOTAL"]["n_sources"] == "3"
    assert rows["JHT"]["agree"] == "0" and rows["SANTUNAN"]["n_sources"] == "1"
    assert len(rows["TOTAL"]["claim_ids"].split()) == 3

    stats = json.loads(run_cli("stats", "--db", db, "--json").stdout)
    assert stats["claims"] == 7 and stats["figures"] == 3 and stats["conflicts"] == 1
    bpjs = next(r for r in stats["by"]["institution"] if r["key"] == "BPJS Ketenagakerjaan")
    assert bpjs["counted"] == 1 and bpjs["amount"] == 12_347_560_000 and bpjs["cases"] == 1284


def test_a_syndicated_copy_is_one_source(tmp_path):
    text = (FOLDER / "sukamaju-rilis-a.txt").read_text(encoding="utf-8")
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_text(text.replace("Senin (14/7/2025)", "Senin (14/7/2025) siang"), encoding="utf-8")
    (tmp_path / "c.txt").write_text((FOLDER / "sukamaju-rilis-b.txt").read_text(encoding="utf-8"),
                                    encoding="utf-8")
    db = tmp_path / "claims.db"
    assert run_cli("batch", tmp_path, "--db", db, "--quiet").returncode == 0
    proc = run_cli("reconcile", "--db", db, "--json")
    assert proc.returncode == 0, proc.stderr
    total = next(g for g in map(json.loads, proc.stdout.splitlines()) if g["figure"]["program"] == "TOTAL")
    assert total["n_sources"] == 2 and len(total["sources"]) == 3
    assert sum(s["copy_of"] is not None for s in total["sources"]) == 1


def test_an_older_database_opens_and_gets_the_figures_table(db, tmp_path):
    old = tmp_path / "v2.db"
    old.write_bytes(db.read_bytes())
    with sqlite3.connect(old) as conn:
        conn.execute("DROP TABLE figure_claims")
        conn.execute("DROP TABLE figures")
        conn.execute("PRAGMA user_version = 2")
    proc = run_cli("export", "--db", old, "--table", "figures", "--format", "jsonl")
    assert proc.returncode == 0 and proc.stdout == "", proc.stderr
    assert run_cli("reconcile", "--db", old).returncode == 1


def test_a_missing_database_is_one_line_and_exit_13(tmp_path):
    proc = run_cli("reconcile", "--db", tmp_path / "none.db")
    assert proc.returncode == 13 and proc.stderr.startswith("error: ") and "Traceback" not in proc.stderr


intervals = st.tuples(st.integers(0, 10**6), st.integers(0, 10**6)).map(sorted).map(tuple)


@given(intervals, intervals)
def test_overlap_is_symmetric_and_reflexive(a, b):
    assert overlap(a, b) == overlap(b, a)
    assert overlap(a, a)


def claim(source, value, low=None, high=None):
    return {"source": source, "amount": value, "amount_low": low, "amount_high": high}


@given(st.integers(1, 10**12), st.integers(1, 5))
def test_a_value_agrees_with_itself_in_any_number_of_sources(value, n):
    v = agreement([claim(i, value, value, value) for i in range(n)], "amount")
    assert v.agree and v.low == v.high == value


def test_rounding_and_lebih_agree_with_the_exact_figure_and_a_typo_does_not():
    rounded = claim(1, 12_350_000_000, 12_345_000_000, 12_355_000_000)
    lebih = claim(2, 12_000_000_000, 12_000_000_000, None)  # no ceiling
    exact = claim(3, 12_347_560_000)
    v = agreement([rounded, lebih, exact], "amount")
    assert v.agree and v.best is exact and (v.low, v.high) == (12_347_560_000, 12_347_560_000)
    assert agreement([rounded, lebih], "amount").high == 12_355_000_000
    typo = claim(4, 13_347_560_000)
    assert not agreement([rounded, exact, typo], "amount").agree
    assert agreement([claim(1, None)], "amount") is None
    assert overlap((1, INF), (5, 6))


def test_the_same_article_stating_a_figure_twice_is_not_a_cross_source_group():
    rows = [dict(claim_id=f"c{i}", article_id=1, article="a", institution="X", program="TOTAL", detail=None,
                 period_start=None, period_end=None, branch=None, region=None, segment=None, amount=v, cases=None,
                 text="t") for i, v in enumerate((5, 7))]
    (figure,) = reconcile(rows)
    assert figure.n_sources == 1 and figure.agree  # not a cross-source conflict: the validate stage's repeat check


def test_shingles_see_a_copy_not_a_rewrite():
    a = shingles("BPJS Ketenagakerjaan Cabang Sukamaju membayarkan klaim sebesar Rp12,35 miliar kepada 1.284 kasus")
    assert jaccard(a, a) == 1.0 and jaccard(a, shingles("Harian Lintas menulis hal lain sama sekali")) == 0.0
