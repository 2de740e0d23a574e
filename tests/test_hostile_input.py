"""Hostile and broken input, through the command line as a user runs it (a real subprocess): each case
gets a documented exit code or its normal output, and the inputs after it in the same run still run."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

# A short article of our own; {n} makes each copy a different article (not a duplicate).
ARTICLE = ("BPJS Ketenagakerjaan Cabang Kudus membayar klaim Jaminan Hari Tua sebesar Rp{n},5 miliar "
           "untuk {cases} kasus sepanjang tahun 2023, kata kepala cabang. Artikel nomor {n}.\n")


def run_cli(*args, stdin: str | bytes | None = None, env: dict | None = None, timeout: float = 120):
    code = "from extractor.cli import main; main()"
    return subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True, input=stdin,
                          text=not isinstance(stdin, bytes), timeout=timeout,
                          env={**os.environ, **(env or {})})


def lines_of(proc) -> list[dict]:
    return [json.loads(line) for line in proc.stdout.splitlines()]


def one_line_error(proc) -> str:
    err = proc.stderr.strip()
    assert "Traceback" not in err and "internal error" not in err, err
    return err


def small_articles(folder: Path, count: int, start: int = 1) -> list[Path]:
    folder.mkdir(exist_ok=True)
    paths = []
    for n in range(start, start + count):
        path = folder / f"artikel-{n:03d}.txt"
        path.write_text(ARTICLE.format(n=n, cases=100 + n), encoding="utf-8")
        paths.append(path)
    return paths


def html_page(title: str, body: str, head: str = "") -> str:
    return (f"<!DOCTYPE html><html><head><title>{title}</title>{head}</head><body><article>{body}</article>"
            "</body></html>")


def article_count(db: Path) -> int:
    proc = run_cli("stats", "--db", db, "--json")
    assert proc.returncode == 0, proc.stderr
    return sum(json.loads(proc.stdout)["articles"].values())


# -- 1. absurd numbers ---------------------------------------------------------------------------------

def test_an_amount_beyond_sqlite_integers_does_not_wedge_a_batch(tmp_path):
    folder = tmp_path / "in"
    small_articles(folder, 10)
    (folder / "besar.txt").write_text("BPJS Ketenagakerjaan membayar klaim JHT Rp9.223.372.036.854.775.808 "
                                      "untuk 10 kasus pada 2024.\n", encoding="utf-8")
    db = tmp_path / "claims.db"
    for _ in range(2):  # and a rerun does the same: nothing is left half-done to trip over
        proc = run_cli("batch", folder, "--db", db, "--quiet")
        assert proc.returncode in (0, 1), proc.stderr
        one_line_error(proc)
        assert article_count(db) == 11
    amounts = [r["amount"] for r in lines_of(run_cli("export", "--db", db, "--format", "jsonl"))]
    assert all(a is None or a < 10**16 for a in amounts)


def test_a_ten_thousand_digit_number_is_not_a_figure(tmp_path):
    huge = tmp_path / "huge.txt"
    huge.write_text("BPJS Ketenagakerjaan membayar klaim JHT Rp" + "7" * 10_000 + " untuk 10 kasus.\n")
    after = small_articles(tmp_path, 1)[0]
    proc = run_cli("file", huge, after)
    assert proc.returncode == 0, proc.stderr
    first, second = lines_of(proc)
    assert all(c["amount"] is None for c in first["claims"])
    assert all(len(str(f.get("value"))) < 30 for f in first["figures"])
    assert second["claims"][0]["amount"] == 1_500_000_000


def test_the_store_keeps_an_out_of_range_integer_from_stopping_it(tmp_path):
    # defence in depth, below the number parser: what SQLite cannot hold becomes NULL with a warning
    from extractor.store import Store
    from extractor.store.database import ArticleRecord

    claim = {"program": "JHT", "amount": 2**63, "cases": 10, "evidence": "JHT", "span": [0, 3]}
    doc = {"title": "t", "claims": [claim], "checks": [], "warnings": []}
    with Store.open(tmp_path / "c.db") as store:
        saved = store.save(ArticleRecord(input="x", kind="file", document=doc))
        assert saved.status == "ok"
        assert store.claims_of(saved.id)[0]["amount"] is None
        warnings = store.conn.execute("SELECT warnings FROM articles").fetchone()[0]
    assert "amount out of the database's integer range" in warnings


def test_stats_add_up_figures_near_the_ceiling_past_sqlite_integers(tmp_path):
    # a thousand figures just under the ceiling sum past 2^63, where SQLite's sum() stops with an error
    from extractor.store import Store
    from extractor.store.database import ArticleRecord

    claims = [{"program": "JHT", "amount": 10**16, "cases": 10**16, "evidence": "JHT", "span": [0, 3]}] * 1000
    with Store.open(tmp_path / "c.db") as store:
        store.save(ArticleRecord(input="x", kind="file", document={"claims": claims, "checks": []}))
    proc = run_cli("stats", "--db", tmp_path / "c.db", "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["by"]["program"][0]["amount"] == 10**19
    assert run_cli("stats", "--db", tmp_path / "c.db").returncode == 0


# -- 4. deep nesting -----------------------------------------------------------------------------------

@pytest.mark.parametrize("depth", [1000, 5000])
def test_deeply_nested_pages_parse_and_later_files_still_run(tmp_path, depth):
    before, after = small_articles(tmp_path, 2)
    deep = tmp_path / "deep.html"
    paragraph = "<p>" + ARTICLE.format(n=7, cases=70) + "</p>"
    deep.write_text("<html><body>" + "<div>" * depth + paragraph + "</div>" * depth + "</body></html>")
    proc = run_cli("file", before, deep, after)
    assert proc.returncode == 0, proc.stderr
    docs = lines_of(proc)
    assert len(docs) == 3
    assert docs[1]["claims"][0]["amount"] == 7_500_000_000


def test_paragraphs_nested_in_each_other_parse_in_linear_time(tmp_path):
    # a paragraph at every level: adding prose up per paragraph to the top was quadratic in the depth
    page = tmp_path / "nested.html"
    level = "<div class='x'><p>Paragraf {i} tentang klaim, kata dia, di Kudus, Pati, dan Jepara.</p>"
    page.write_text("<html><body>" + "".join(level.format(i=i) for i in range(5000)) + "</div>" * 5000
                    + "</body></html>")
    proc = run_cli("text", page, timeout=60)
    assert proc.returncode == 0, proc.stderr
    # (which levels make the article is the container search's call, as on any page; it is not all lost)
    assert "Paragraf 4999 " in proc.stdout and proc.stdout.count("Paragraf") > 1000


def test_deeply_nested_json_ld_is_ignored_not_fatal(tmp_path):
    page = tmp_path / "ld.html"
    ld = '{"@type": "NewsArticle", "headline": ' + "[" * 20000 + "]" * 20000 + ', "author": ' \
         + "[" * 500 + '"x"' + "]" * 500 + "}"
    page.write_text(html_page("Klaim", "<p>" + ARTICLE.format(n=3, cases=30) + "</p>",
                              f'<script type="application/ld+json">{ld}</script>'))
    proc = run_cli("file", page, small_articles(tmp_path, 1)[0])
    assert proc.returncode == 0, proc.stderr
    assert len(lines_of(proc)) == 2


# -- 5. spreadsheet formulas ---------------------------------------------------------------------------

def test_csv_export_escapes_text_that_a_spreadsheet_would_run(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    site = '<meta property="og:site_name" content="+SUM(1;2)">'
    (folder / "a.html").write_text(html_page('=HYPERLINK("http://evil.example";"klik")',
                                             "<p>" + ARTICLE.format(n=2, cases=20) + "</p>", site))
    (folder / "b.html").write_text(html_page("@Klaim JHT di Kudus", "<p>" + ARTICLE.format(n=4, cases=40) + "</p>"))
    db = tmp_path / "c.db"
    assert run_cli("batch", folder, "--db", db, "--quiet").returncode == 0
    proc = run_cli("export", "--db", db, "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    by_title = {r["title"]: r for r in rows}
    assert set(by_title) == {"'=HYPERLINK(\"http://evil.example\";\"klik\")", "'@Klaim JHT di Kudus"}
    assert {r["site"] for r in rows} == {"'+SUM(1;2)", ""}
    assert {r["amount"] for r in rows} == {"2500000000", "4500000000"}  # numbers are left alone
    # JSON Lines is data, not a spreadsheet: text as it was
    titles = {r["title"] for r in lines_of(run_cli("export", "--db", db, "--format", "jsonl"))}
    assert '=HYPERLINK("http://evil.example";"klik")' in titles


# -- 6. terminal markup and control characters ---------------------------------------------------------

EVIL_TITLE = "Klaim [/] [link=https://evil.example]klik[/link] \x1b]0;judul\x07\x1b[31mmerah\x9b2J"
TOTAL_AND_PARTS = ("<p>BPJS Ketenagakerjaan membayar klaim Rp10 miliar untuk 100 kasus pada 2024. Klaim itu "
                   "terdiri atas JHT Rp6 miliar untuk 60 kasus dan JKM Rp3 miliar untuk 40 kasus.</p>")


def test_page_text_never_reaches_the_terminal_as_markup_or_control_codes(tmp_path):
    evil = tmp_path / "evil.html"
    evil.write_text(html_page(EVIL_TITLE, TOTAL_AND_PARTS), encoding="utf-8")
    after = tmp_path / "after.html"
    after.write_text(html_page("Artikel berikutnya", TOTAL_AND_PARTS.replace("Rp3", "Rp4")), encoding="utf-8")
    check = run_cli("check", evil, after)
    assert check.returncode == 0, check.stderr
    assert "[link=https://evil.example]" in check.stdout  # shown as text, not made a hyperlink
    assert "Artikel berikutnya" in check.stdout
    text = run_cli("text", evil)
    assert text.returncode == 0, text.stderr
    for out in (check.stdout, text.stdout):
        assert not any(ch in out for ch in "\x1b\x07\x9b"), out
    db = tmp_path / "c.db"
    assert run_cli("batch", evil, after, "--db", db, "--quiet").returncode == 0
    stats = run_cli("stats", "--db", db)
    assert stats.returncode == 0, stats.stderr
    assert "\x1b" not in stats.stdout


# -- 7. size cap on local files ------------------------------------------------------------------------

def test_local_files_over_the_size_cap_fail_alone(tmp_path):
    before, after = small_articles(tmp_path, 2)
    big = tmp_path / "big.html"
    big.write_text("<html><body><p>" + "Klaim JHT Rp5 miliar untuk 10 kasus. " * 200_000 + "</p></body></html>")
    assert big.stat().st_size > 5_000_000
    proc = run_cli("file", before, big, after)
    assert proc.returncode == 8
    docs = lines_of(proc)
    assert len(docs) == 3 and docs[0]["claims"] and docs[2]["claims"]
    assert "over the size cap of 5,000,000 bytes" in docs[1]["error"]
    assert one_line_error(proc).count("\n") == 0
    # the same option as for fetched pages lowers (or raises) it
    small = run_cli("file", "--max-bytes", "50", before)
    assert small.returncode == 8 and "over the size cap of 50 bytes" in small.stderr
    assert run_cli("text", "--max-bytes", "50", "-", stdin=ARTICLE.format(n=1, cases=1)).returncode == 8
    # in a batch it is one failed input, recorded with its reason
    db = tmp_path / "c.db"
    proc = run_cli("batch", before, big, after, "--db", db, "--quiet")
    assert proc.returncode == 1 and "over the size cap" in proc.stderr
    assert run_cli("stats", "--db", db, "--json").stdout.count('"too-large"') == 1


def test_the_local_size_cap_is_the_fetch_cap():
    from extractor.fetch import FetchSettings
    from extractor.pipeline import MAX_INPUT_BYTES

    assert MAX_INPUT_BYTES == FetchSettings().max_bytes


# -- 8. a damaged database -----------------------------------------------------------------------------

def test_a_damaged_database_is_exit_13_and_leaves_no_partial_export(tmp_path):
    folder = tmp_path / "in"
    small_articles(folder, 300)
    db = tmp_path / "c.db"
    assert run_cli("batch", folder, "--db", db, "--quiet").returncode == 0
    data = bytearray(db.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 16384] = b"\xa5" * 16384  # a few pages in the middle overwritten
    db.write_bytes(bytes(data))
    out = tmp_path / "claims.csv"
    out.write_text("the previous export\n")
    for args in (["export", "--db", db, "--output", out], ["export", "--db", db, "--format", "jsonl"],
                 ["stats", "--db", db]):
        proc = run_cli(*args)
        assert proc.returncode == 13, (args, proc.stderr)
        assert "database disk image is malformed" in one_line_error(proc)
        assert proc.stderr.strip().count("\n") == 0
    assert out.read_text() == "the previous export\n"  # not replaced by a partial one
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []


# -- 10. hidden text -----------------------------------------------------------------------------------

def test_text_hidden_by_class_or_aria_is_not_a_claim(tmp_path):
    hidden = ["<div class='hidden'><p>Klaim JKM sebesar Rp91 miliar untuk 901 kasus di Bali.</p></div>",
              "<div class='box d-none'><p>Klaim JKK sebesar Rp72 miliar untuk 702 kasus di Bali.</p></div>",
              "<div aria-hidden='true'><p>Klaim JP sebesar Rp53 miliar untuk 503 kasus di Bali.</p></div>",
              "<p class='is-hidden'>Klaim JHT sebesar Rp34 miliar untuk 304 kasus di Bali.</p>"]
    shown_on_desktop = "<div class='d-none d-md-block'><p>Menurut dia, klaim dapat diajukan secara daring.</p></div>"
    body = "<p>" + ARTICLE.format(n=5, cases=50) + "</p>" + "".join(hidden) + shown_on_desktop
    page = tmp_path / "hidden.html"
    page.write_text(html_page("Klaim di Kudus", body))
    proc = run_cli("file", page, small_articles(tmp_path, 1)[0])
    assert proc.returncode == 0, proc.stderr
    doc = lines_of(proc)[0]
    assert [c["amount"] for c in doc["claims"]] == [5_500_000_000]
    assert "diajukan secara daring" in run_cli("text", page).stdout


# -- 12. creating a database twice at once, odd trees, ASCII-only stdout -------------------------------

def test_two_batches_creating_the_same_database_at_once_both_succeed(tmp_path):
    code = "from extractor.cli import main; main()"
    for trial in range(3):
        db = tmp_path / f"c{trial}.db"
        procs = [subprocess.Popen([sys.executable, "-c", code, "batch", str(p), "--db", str(db), "--quiet"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for p in small_articles(tmp_path / f"in{trial}", 2)]
        for proc in procs:
            _, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err
        assert article_count(db) == 2


def test_a_block_inside_an_inline_inside_a_paragraph_keeps_the_text_before_it(tmp_path):
    page = tmp_path / "p.html"
    page.write_text("<html><body><div><p>BPJS Ketenagakerjaan membayar klaim JHT Rp5 miliar. "
                    "<span>Demikian kata kepala cabang.<p>Klaim tersebut berasal dari 10 kasus, kata dia, "
                    "pada tahun 2024, di Kudus, Pati, Jepara, dan Demak.</div></body></html>")
    proc = run_cli("text", page)
    assert proc.returncode == 0, proc.stderr
    assert "BPJS Ketenagakerjaan membayar klaim JHT Rp5 miliar." in proc.stdout
    assert "berasal dari 10 kasus" in proc.stdout


def test_a_page_of_a_head_alone_has_no_article_text(tmp_path):
    head_only = tmp_path / "head.html"
    head_only.write_text("<html><head><title>Klaim JHT Rp5 miliar untuk 10 kasus | Warta Kudus Daring</title>"
                         "</head></html>")
    proc = run_cli("file", head_only, small_articles(tmp_path, 1)[0])
    assert proc.returncode == 11
    first, second = lines_of(proc)
    assert first["claims"] == [] and "no article text" in first["error"]
    assert second["claims"]


def test_export_to_an_ascii_only_stdout_writes_utf8(tmp_path):
    text = tmp_path / "klaim-“JHT”-é.txt"  # (the path is exported with the claims)
    text.write_text(ARTICLE.format(n=6, cases=60), encoding="utf-8")
    db = tmp_path / "c.db"
    assert run_cli("batch", text, "--db", db, "--quiet").returncode == 0
    for fmt in ("csv", "jsonl"):
        proc = subprocess.run([sys.executable, "-c", "from extractor.cli import main; main()", "export",
                               "--db", str(db), "--format", fmt], capture_output=True,
                              env={**os.environ, "PYTHONIOENCODING": "ascii", "LC_ALL": "C"}, timeout=120)
        assert proc.returncode == 0, proc.stderr
        assert "klaim-“JHT”-é.txt" in proc.stdout.decode("utf-8")


def test_a_page_with_thousands_of_figures_is_read_and_the_next_file_still_runs(tmp_path):
    """Item 2 through the CLI: 4 000 claim figures in one text, then an ordinary article."""
    big = tmp_path / "big.txt"
    big.write_text(" ".join(f"Klaim JHT Rp{i} miliar untuk {i} kasus." for i in range(1, 4001)), encoding="utf-8")
    small = small_articles(tmp_path, 1)[0]
    proc = run_cli("file", big, small, timeout=120)
    assert proc.returncode == 0, proc.stderr
    docs = lines_of(proc)
    assert [len(d["claims"]) for d in docs] == [4000, 1]


def test_an_amount_above_the_ceiling_is_a_figure_with_its_reason(tmp_path):
    page = tmp_path / "huge.txt"
    page.write_text("BPJS Ketenagakerjaan membayar klaim Rp9.223.372.036.854.775.808 kepada peserta, dan klaim JHT "
                    "Rp5 miliar.", encoding="utf-8")
    (doc,) = lines_of(run_cli("file", page))
    assert [(c["program"], c["amount"]) for c in doc["claims"]] == [("JHT", 5_000_000_000)]
    assert [(f["value"], f["role"]) for f in doc["figures"]] == [(9_223_372_036_854_775_808, "implausible")]


def test_the_output_does_not_depend_on_the_interpreters_hash_seed(tmp_path):
    """Sets of names iterate in a per-process order: a choice made from one must not depend on it."""
    page = tmp_path / "splits.txt"
    page.write_text("BPJS Ketenagakerjaan Cabang Sukamaju membayar klaim JHT karena PHK Rp4 miliar untuk 400 kasus, "
                    "karena pengunduran diri Rp2 miliar untuk 150 kasus, dan meninggal dua kasus Rp90 juta.",
                    encoding="utf-8")
    outputs = {run_cli("file", page, env={"PYTHONHASHSEED": str(seed)}).stdout for seed in (1, 2, 3, 4)}
    assert len(outputs) == 1
