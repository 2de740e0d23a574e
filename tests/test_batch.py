"""The batch runner and its commands, end to end against local HTTP servers.

The truth of these tests is what `extract_html` returns in-process for the same page: the database must
hold exactly that, whatever the extraction rules become. A few simple pages also carry hard-coded
expectations. `build_site` is shared with bench/batch.py.
"""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from random import Random
from typing import Any

import pytest
from typer.testing import CliRunner

from localserver import LocalServer, Response

from extractor.store.batch import BatchOptions, Item, collect_items, run_batch
from extractor.cli import app
from extractor.errors import ExtractorError, InputError
from extractor.pipeline import extract_html, extract_text
from extractor.store import Store

ROOT = Path(__file__).resolve().parent.parent
PROGRAMS = [("Jaminan Hari Tua (JHT)", "JHT"), ("Jaminan Kematian (JKM)", "JKM"),
            ("Jaminan Kecelakaan Kerja (JKK)", "JKK"), ("Jaminan Pensiun (JP)", "JP")]
CITIES = ["Kudus", "Pati", "Semarang", "Denpasar", "Medan", "Makassar", "Surabaya", "Bandung", "Padang",
          "Pontianak"]
HTML = "text/html; charset=utf-8"

# Tiny limits so the test is fast: a page that hangs longer than TIMEOUT fails, SLOW pages do not.
TIMEOUT = 1.0
SLOW = 0.1
HANG = 2.0


# -- a generated site ---------------------------------------------------------------------------------

@dataclass
class Page:
    index: int
    kind: str  # simple sum noclaims plain empty | 404 500 hang pdf | copy canonical redirect
    server: int
    path: str
    body: str | None = None
    status: int = 200
    content_type: str = HTML
    delay: float = 0.0
    target: int | None = None  # copy / canonical / redirect: the simple page it duplicates
    expect: dict | None = None  # simple pages: the claim, hard-coded
    url: str = ""
    truth: Any = None  # what extract_html gives for it, once computed

    @property
    def fails(self) -> str | None:
        """The error code the database must record, for pages that cannot be fetched."""
        return {"404": "http-status", "500": "http-status", "hang": "fetch", "pdf": "content-type"}.get(self.kind)


def _html(title: str, paragraphs: list[str], published: str, canonical: str | None = None) -> str:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f'<!doctype html><html><head><meta charset="utf-8"><title>{title}</title>{link}'
            f'<meta property="article:published_time" content="{published}T08:00:00+07:00"></head>'
            f'<body><nav>Beranda | Ekonomi</nav><article><h1>{title}</h1>{body}</article>'
            f'<footer>Hak cipta</footer></body></html>')


def _kind(i: int) -> str:
    special = {99: "hang", 1: "plain", 51: "pdf", 15: "empty"}.get(i % 100)
    if special:
        return special
    if i % 40 == 5:
        return "canonical"
    if i % 40 == 25:
        return "redirect"
    by_20 = {3: "404", 7: "500", 11: "copy", 13: "noclaims", 17: "slow"}.get(i % 20)
    if by_20:
        return by_20
    return "sum" if i % 10 == 9 else "simple"


def build_site(n: int = 200, *, servers: int = 4, seed: int = 7, slow: float = SLOW, hang: float = HANG,
               every_delay: float = 0.0) -> list[Page]:
    """n pages spread over `servers` sites: mostly one clear claim each, plus slow ones, 404/500s, a hanging
    one, a PDF, pages with no claims or no text, copies (same body, other URL), a page whose canonical
    link names another, and a redirect to another. every_delay slows every page (for the kill test)."""
    rng = Random(seed)
    pages: list[Page] = []
    last_simple = None
    for i in range(n):
        kind = _kind(i)
        if kind in ("copy", "canonical", "redirect") and last_simple is None:
            kind = "simple"
        city, (program_name, program) = CITIES[i % len(CITIES)], PROGRAMS[i % len(PROGRAMS)]
        year = 2016 + i % 8
        published = f"{year + 1}-0{1 + i % 9}-1{i % 10}"
        page = Page(i, kind, rng.randrange(servers), f"/berita/{i}/klaim-{city.lower()}-{year}",
                    delay=every_delay)
        if kind in ("simple", "slow"):
            whole, tenth, cases = 10 + i, 1 + i % 9, 1000 + i
            cases_text = f"{cases:,}".replace(",", ".")
            sentence = (f"BPJS Ketenagakerjaan Cabang {city} membayarkan klaim {program_name} sebesar "
                        f"Rp{whole},{tenth} miliar untuk {cases_text} kasus pada tahun {year}.")
            page.body = _html(f"Klaim {program} {city} Rp{whole},{tenth} Miliar", [
                sentence, f"Kepala Kantor Cabang {city} mengatakan pembayaran dilakukan tepat waktu."], published)
            page.expect = {"program": program, "amount": whole * 10**9 + tenth * 10**8, "cases": cases,
                           "branch": city, "period_start": f"{year}-01-01", "period_end": f"{year}-12-31"}
            if kind == "slow":
                page.delay = max(page.delay, slow)
            last_simple = page
        elif kind == "sum":
            parts = [(10 + i % 7) * 10**9, 3 * 10**9, 2 * 10**9]
            total = sum(parts) + (5 * 10**9 if i % 20 == 19 else 0)  # every other one does not add up
            m = [f"Rp{v // 10**9} miliar" for v in parts]
            page.body = _html(f"Klaim BPJS Ketenagakerjaan {city} Rp{total // 10**9} Miliar", [
                f"BPJS Ketenagakerjaan Cabang {city} membayarkan klaim sebesar Rp{total // 10**9} miliar "
                f"untuk 1.500 kasus sepanjang tahun {year}. Rinciannya, klaim Jaminan Hari Tua (JHT) sebesar "
                f"{m[0]} untuk 1.000 kasus, Jaminan Kematian (JKM) sebesar {m[1]} untuk 300 kasus dan "
                f"Jaminan Kecelakaan Kerja (JKK) sebesar {m[2]} untuk 200 kasus."], published)
        elif kind == "noclaims":
            page.body = _html(f"Sosialisasi program di {city}", [
                f"BPJS Ketenagakerjaan Cabang {city} menggelar sosialisasi ke-{i} kepada pekerja informal.",
                "Peserta diajak mendaftar agar terlindungi dari risiko kerja."], published)
        elif kind == "plain":
            page.content_type = "text/plain; charset=utf-8"
            page.body = (f"Klaim JKM {city}\n\nBPJS Ketenagakerjaan Cabang {city} membayarkan klaim Jaminan "
                         f"Kematian (JKM) sebesar Rp{i + 2} miliar untuk {300 + i} kasus pada tahun {year}.\n")
        elif kind == "empty":
            page.body = "<!doctype html><html><head><title></title></head><body><nav>Beranda</nav></body></html>"
        elif kind in ("404", "500"):
            page.status, page.body = int(kind), f"<html><body><p>error {kind}</p></body></html>"
        elif kind == "hang":  # on different sites, so their waits overlap
            page.delay, page.body = hang, "<html><body><p>too late</p></body></html>"
            page.server = (i // 100) % servers
        elif kind == "pdf":
            page.content_type, page.body = "application/pdf", "%PDF-1.4 not an article"
        elif kind == "copy":
            page.target, page.body = last_simple.index, last_simple.body
            page.server = (last_simple.server + 1) % servers  # same body, other site
        elif kind == "canonical":  # an AMP-like variant: other markup and text, canonical names the original
            page.target = last_simple.index
            page.body = "canonical-placeholder"  # filled in serve_site, once the original's URL is known
        elif kind == "redirect":
            page.target, page.status = last_simple.index, 302
        pages.append(page)
    return pages


def serve_site(pages: list[Page], servers: list[LocalServer]) -> list[str]:
    """Route every page on its server; returns the URLs in page order."""
    for p in pages:
        p.url = servers[p.server].url(p.path)
    for p in pages:
        srv = servers[p.server]
        if p.kind == "canonical":
            original = pages[p.target]
            p.body = original.body.replace("<article>", "<article><p>Versi ringkas untuk ponsel.</p>").replace(
                "<head>", f'<head><link rel="canonical" href="{original.url}">')
        if p.kind == "404":
            srv.route(p.path, Response(404, p.body, {"Content-Type": HTML}, delay=p.delay))
        elif p.kind == "redirect":
            srv.route(p.path, Response(302, "", {"Location": pages[p.target].url}, delay=p.delay))
        else:
            srv.route(p.path, Response(p.status, p.body, {"Content-Type": p.content_type}, delay=p.delay))
    return [p.url for p in pages]


class Sites:
    def __init__(self, n: int):
        self.servers = [LocalServer().start() for _ in range(n)]

    def close(self):
        for s in self.servers:
            s.stop()

    def hits(self, page: Page) -> int:
        return self.servers[page.server].hits(page.path)


@pytest.fixture
def quick_server():
    with LocalServer() as srv:
        yield srv


@pytest.fixture
def sites():
    s = Sites(4)
    yield s
    s.close()


# -- checking a database against the truth ---------------------------------------------------------------

def truth(page: Page, pages: list[Page]) -> dict | ExtractorError:
    """What the extractor gives, in-process, for the page as the batch sees it after fetching."""
    if page.truth is None:
        final = pages[page.target] if page.kind == "redirect" else page
        try:
            if final.content_type.startswith("text/plain"):
                page.truth = extract_text(final.body).as_dict()
            else:
                page.truth = extract_html(final.body, url=final.url).as_dict()
        except ExtractorError as exc:
            page.truth = exc
    return page.truth


def check_database(db: Path, pages: list[Page], extra_failed: dict[str, str] | None = None) -> dict:
    """Every page is in the database once, with the status, reason and claims it must have."""
    extra_failed = extra_failed or {}
    with Store.open(db, readonly=True) as store:
        rows = {r["input"]: r for r in store.rows("articles")}
        assert sorted(rows) == sorted([p.url for p in pages] + list(extra_failed))
        for key, code in extra_failed.items():
            assert (rows[key]["status"], rows[key]["error_code"]) == ("failed", code)
        # No half-written article: claim rows always match the count saved with the article.
        counts = dict(store.conn.execute("SELECT article_id, count(*) FROM claims GROUP BY article_id").fetchall())
        for r in rows.values():
            assert counts.get(r["article_id"], 0) == r["n_claims"], r
            assert r["status"] == "ok" or r["n_claims"] == 0

        groups: dict[int, list[Page]] = {}
        targets = {q.target for q in pages if q.target is not None}
        for p in pages:
            row = rows[p.url]
            if p.fails:
                assert (row["status"], row["error_code"]) == ("failed", p.fails), (p.kind, row)
                assert row["error"]
                if p.kind in ("404", "500"):
                    assert row["http_status"] == p.status
                continue
            expected = truth(p, pages)
            if isinstance(expected, ExtractorError):
                assert (row["status"], row["error_code"]) == ("failed", expected.code), (p.kind, row)
                continue
            if p.kind in ("copy", "canonical", "redirect") or p.index in targets:
                groups.setdefault(p.target if p.target is not None else p.index, []).append(p)
            else:
                assert row["status"] == "ok", (p.kind, row)
            if row["status"] == "ok":
                aid = row["article_id"]
                assert store.claims_of(aid) == expected["claims"], p.kind
                assert store.checks_of(aid) == expected["checks"], p.kind
                for f in ("title", "published", "site", "institution"):
                    assert row[f] == expected[f], f
                if p.expect:  # the simplest pages: their claim is known in advance
                    assert p.expect in [{k: c[k] for k in p.expect} for c in store.claims_of(aid)]
        # Duplicates: each group keeps one ok article; the others point at it and have no claims.
        for target, members in groups.items():
            ok = [rows[p.url] for p in members if rows[p.url]["status"] == "ok"]
            assert len(ok) == 1, [(p.kind, rows[p.url]["status"]) for p in members]
            for p in members:
                row = rows[p.url]
                if row["status"] != "ok":
                    assert row["status"] == "duplicate" and row["duplicate_of"] == ok[0]["article_id"], row
                    assert row["error"].startswith("same ")
        return rows


# -- 1. 200 pages ------------------------------------------------------------------------------------

def test_200_pages_every_page_accounted_for_and_claims_exact(sites, tmp_path):
    pages = build_site(200, servers=len(sites.servers))
    urls = serve_site(pages, sites.servers)
    kinds = {k: sum(p.kind == k for p in pages) for k in {p.kind for p in pages}}
    assert kinds["404"] >= 5 and kinds["500"] >= 5 and kinds["copy"] >= 5 and kinds["noclaims"] >= 5
    db = tmp_path / "claims.db"
    items = [Item(u, "url") for u in urls] + [Item("not a url", "url")]
    options = BatchOptions(concurrency=8, delay=0, timeout=TIMEOUT, retries=0)

    summary = run_batch(db, items, options)
    rows = check_database(db, pages, {"not a url": "invalid-url"})
    statuses = [r["status"] for r in rows.values()]
    assert (summary.ok, summary.failed, summary.duplicate) == (
        statuses.count("ok"), statuses.count("failed"), statuses.count("duplicate"))
    assert summary.failed == sum(1 for p in pages if p.fails or p.kind == "empty") + 1
    assert summary.duplicate == sum(p.kind in ("copy", "canonical", "redirect") for p in pages)
    with Store.open(db, readonly=True) as store:
        assert summary.claims == store.conn.execute("SELECT count(*) FROM claims").fetchone()[0]
        assert store.stats()["inconsistent"], "the sums that do not add up are listed"

    # A second run is a no-op: nothing fetched again, nothing changed.
    before = {p.url: sites.hits(p) for p in pages}
    again = run_batch(db, items, options)
    assert (again.skipped, again.done) == (201, 0)
    assert {p.url: sites.hits(p) for p in pages} == before
    assert check_database(db, pages, {"not a url": "invalid-url"}) == rows

    # --retry-failed redoes only the failures; --refresh redoes all, keeping article ids.
    retried = run_batch(db, items, BatchOptions(concurrency=8, delay=0, timeout=TIMEOUT, retries=0, retry_failed=True))
    assert retried.done == summary.failed and retried.failed == summary.failed
    some = items[:60]
    refreshed = run_batch(db, some, BatchOptions(concurrency=16, delay=0, timeout=TIMEOUT, retries=0, refresh=True))
    assert refreshed.done == 60
    after = check_database(db, pages, {"not a url": "invalid-url"})
    assert {k: r["article_id"] for k, r in after.items()} == {k: r["article_id"] for k, r in rows.items()}


def test_fetch_politeness_options_reach_the_fetcher(local_server, tmp_path):
    robots = "User-agent: *\nDisallow: /private/\n"
    local_server.route("/robots.txt", Response(200, robots, {"Content-Type": "text/plain"}))
    page = _html("Klaim JHT Kudus", ["BPJS Ketenagakerjaan Cabang Kudus membayarkan klaim Jaminan Hari Tua (JHT) "
                                     "sebesar Rp12,5 miliar untuk 1.234 kasus pada tahun 2023."], "2024-01-05")
    local_server.route("/private/a", Response(200, page, {"Content-Type": HTML}))
    items = [Item(local_server.url("/private/a"), "url")]
    s = run_batch(tmp_path / "a.db", items, BatchOptions(delay=0, timeout=TIMEOUT, retries=0))
    assert s.failed == 1
    with Store.open(tmp_path / "a.db", readonly=True) as store:
        assert store.rows("articles")[0]["error_code"] == "robots"
    s = run_batch(tmp_path / "b.db", items, BatchOptions(delay=0, timeout=TIMEOUT, retries=0, respect_robots=False))
    assert (s.ok, s.claims) == (1, 1)


def test_local_files_and_folders(tmp_path):
    folder = tmp_path / "articles" / "2023"
    folder.mkdir(parents=True)
    text = ("BPJS Ketenagakerjaan Cabang Kudus membayarkan klaim Jaminan Hari Tua (JHT) sebesar Rp12,5 miliar "
            "untuk 1.234 kasus pada tahun 2023.")
    (folder / "a.txt").write_text(text, encoding="utf-8")
    (folder / "b.html").write_text(_html("Klaim JKM Pati", [text.replace("Kudus", "Pati")], "2024-02-01"))
    (folder / "copy.htm").write_text((folder / "b.html").read_text())
    (folder / "skip.json").write_text("{}")
    (tmp_path / "articles" / "bin.txt").write_bytes(b"\x00\x01\x02")
    items = collect_items(None, [str(tmp_path / "articles"), str(folder / "a.txt")])
    assert [Path(i.key).name for i in items] == ["a.txt", "b.html", "copy.htm", "bin.txt"]
    s = run_batch(tmp_path / "c.db", items)
    assert (s.ok, s.failed, s.duplicate, s.claims) == (2, 1, 1, 2)
    with Store.open(tmp_path / "c.db", readonly=True) as store:
        by_name = {Path(r["input"]).name: r for r in store.rows("articles")}
        assert by_name["bin.txt"]["error_code"] == "input"
        assert by_name["copy.htm"]["duplicate_of"] == by_name["b.html"]["article_id"]
        assert store.claims_of(by_name["a.txt"]["article_id"]) == extract_text(text).as_dict()["claims"]
    with pytest.raises(InputError, match="no such file"):
        collect_items(None, [str(tmp_path / "nope")])


def test_extraction_in_a_process_pool_gives_the_same_rows(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    for i, page in enumerate(p for p in build_site(12, servers=1) if p.kind in ("simple", "sum", "noclaims")):
        (folder / f"{i}.html").write_text(page.body, encoding="utf-8")
    items = collect_items(None, [str(folder)])
    threaded = run_batch(tmp_path / "t.db", items)
    pooled = run_batch(tmp_path / "p.db", items, BatchOptions(processes=1))
    assert (pooled.ok, pooled.claims) == (threaded.ok, threaded.claims) == (len(items), pooled.claims)
    with Store.open(tmp_path / "t.db", readonly=True) as t, Store.open(tmp_path / "p.db", readonly=True) as p:
        assert t.rows("claims") == p.rows("claims") and t.rows("checks") == p.rows("checks")


# -- 2. killed runs resume -----------------------------------------------------------------------------

def _cli(*args: str) -> list[str]:
    return [sys.executable, "-c", "from extractor.cli import main; main()", *args]


def _rows(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


def _run_until(cmd: list[str], db: Path, rows: int, sig: int, limit: float = 40) -> subprocess.CompletedProcess:
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + limit
    while _rows(db) < rows:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the batch made no progress"
        time.sleep(0.02)
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=30)
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def test_killed_runs_resume_with_no_duplicate_and_no_loss(tmp_path):
    sites = Sites(4)
    try:
        # Every page takes 50 ms and a site serves one page at a time: ~80 pages/s, so kills land mid-run.
        pages = build_site(200, servers=4, every_delay=0.05)
        urls = serve_site(pages, sites.servers)
        url_file = tmp_path / "urls.txt"
        url_file.write_text("# generated\n" + "\n".join(urls) + "\n", encoding="utf-8")
        db = tmp_path / "claims.db"
        cmd = _cli("batch", "--urls", str(url_file), "--db", str(db), "--concurrency", "8", "--delay", "0",
                   "--timeout", str(TIMEOUT), "--retries", "0", "--quiet")

        first = _run_until(cmd, db, 30, signal.SIGINT)
        assert first.returncode == 130, first.stderr
        assert "interrupted" in first.stderr and "run the same command to resume" in first.stderr
        assert "Traceback" not in first.stderr and "never retrieved" not in first.stderr
        done_first = _rows(db)
        assert 30 <= done_first < 200

        second = _run_until(cmd, db, done_first + 40, signal.SIGKILL)
        assert second.returncode == -signal.SIGKILL
        done_second = _rows(db)
        assert done_first + 40 <= done_second < 200

        with Store.open(db, readonly=True) as store:
            recorded = set(store.recorded())
        before = {p.url: sites.hits(p) for p in pages}
        serve_site(build_site(200, servers=4), sites.servers)  # the same pages, now at full speed
        last = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        assert last.returncode == 1, last.stderr  # some pages fail (404, 500 ...), by design
        assert _rows(db) == 200
        # The last run fetched only what was not recorded yet.
        redirected_to = {pages[p.target].url for p in pages if p.kind == "redirect" and p.url not in recorded}
        for p in pages:
            if p.url in recorded and p.url not in redirected_to:
                assert sites.hits(p) == before[p.url], p.kind
        check_database(db, pages)
    finally:
        sites.close()


# -- 4. the commands -------------------------------------------------------------------------------------

runner = CliRunner()


def test_every_command_has_help_with_an_example():
    for command in ("batch", "export", "stats"):
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0 and "Example: extract " + command in result.output


@pytest.fixture
def small_site(quick_server, tmp_path):
    pages = build_site(24, servers=1)
    serve_site(pages, [quick_server])
    url_file = tmp_path / "urls.txt"
    url_file.write_text("\n".join(p.url for p in pages) + "\n", encoding="utf-8")
    return pages, url_file


def test_cli_batch_export_stats(small_site, tmp_path):
    pages, url_file = small_site
    db = tmp_path / "claims.db"
    args = ["batch", "--urls", str(url_file), "--db", str(db), "--delay", "0", "--timeout", str(TIMEOUT),
            "--retries", "0"]
    result = runner.invoke(app, args + ["--quiet"])
    assert result.exit_code == 1  # the 404 and 500 pages
    failures = [p for p in pages if p.fails or p.kind == "empty"]
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == len(failures)
    assert all(line.startswith("failed: ") for line in result.stderr.splitlines())
    check_database(db, pages)

    result = runner.invoke(app, args)  # everything done already: skipped, exit 0, a summary
    assert result.exit_code == 0
    assert "skipping 24 inputs already in the database" in result.stderr
    assert "nothing to do: all 24 inputs are already in" in result.stderr  # not "0 of 0 inputs"

    result = runner.invoke(app, ["export", "--db", str(db), "--format", "jsonl"])
    assert result.exit_code == 0
    with Store.open(db, readonly=True) as store:
        assert [json.loads(line) for line in result.stdout.splitlines()] == store.rows("claims")
        n_claims = len(store.rows("claims"))
    out = tmp_path / "claims.csv"
    result = runner.invoke(app, ["export", "--db", str(db), "-o", str(out)])
    assert result.exit_code == 0 and f"{n_claims} claims rows -> {out}" in result.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == n_claims + 1

    result = runner.invoke(app, ["stats", "--db", str(db)])
    assert result.exit_code == 0
    for heading in ("claims by institution", "claims by program", "claims by year", "claims by region",
                    "inconsistent checks (1)"):
        assert heading in result.stdout
    result = runner.invoke(app, ["stats", "--db", str(db), "--json"])
    figures = json.loads(result.stdout)
    assert figures["claims"] == n_claims
    not_adding_up = {p.url for p in pages if p.kind == "sum" and p.index % 20 == 19}
    assert {r["source"] for r in figures["inconsistent"]} == not_adding_up


def test_cli_progress_and_summary(small_site, tmp_path):
    _, url_file = small_site
    result = runner.invoke(app, ["batch", "--urls", str(url_file), "--db", str(tmp_path / "c.db"), "--delay", "0",
                                 "--timeout", str(TIMEOUT), "--retries", "0"])
    assert result.exit_code == 1
    assert "24/24" in result.stderr and " ok " in result.stderr and "claims" in result.stderr
    assert "24 of 24 inputs:" in result.stderr and "pages/s" in result.stderr


NO_DB = "error: {tmp}/missing.db: no such database (run `extract batch --db PATH ...` first)"


@pytest.mark.parametrize("args, message, code", [
    (["export", "--db", "{tmp}/missing.db"], NO_DB, 13),
    (["stats", "--db", "{tmp}/missing.db"], NO_DB, 13),
    (["batch", "--urls", "{tmp}/nope.txt", "--db", "{tmp}/c.db"], "error: {tmp}/nope.txt: no such file", 3),
    (["batch", "--urls", "{tmp}", "--db", "{tmp}/c.db"], "error: {tmp}: is a directory, not a file", 3),
    (["batch", "--db", "{tmp}/c.db"],
     "error: nothing to do: no URLs and no files (give --urls FILE and/or PATH arguments)", 3),
    (["batch", "{tmp}/nope", "--db", "{tmp}/c.db"], "error: {tmp}/nope: no such file or directory", 3),
    (["export", "--db", "{tmp}/real.db", "--format", "xml"],
     "error: unknown export format 'xml' (choose one of csv, jsonl, parquet, xlsx)", 2),  # a usage error
    (["export", "--db", "{tmp}/junk.db"],
     "error: {tmp}/junk.db: cannot open as a SQLite database: file is not a database", 13),
])
def test_cli_bad_input_is_one_line_and_non_zero(tmp_path, args, message, code):
    Store.open(tmp_path / "real.db").close()
    (tmp_path / "junk.db").write_bytes(b"not a database, not at all" * 50)
    result = runner.invoke(app, [a.format(tmp=tmp_path) for a in args])
    assert result.exit_code == code
    assert result.stderr.splitlines() == [message.format(tmp=tmp_path)]
    assert not (tmp_path / "c.db").exists()


def test_cli_batch_reads_urls_from_stdin_in_a_subprocess(quick_server, tmp_path):
    pages = [p for p in build_site(12, servers=1) if p.kind in ("simple", "404")]
    serve_site(pages, [quick_server])
    db = tmp_path / "claims.db"
    proc = subprocess.run(_cli("batch", "--urls", "-", "--db", str(db), "--delay", "0", "--retries", "0", "--quiet"),
                          input="\n".join(p.url for p in pages) + "\n", capture_output=True, text=True, timeout=60,
                          env={**os.environ, "NO_COLOR": "1"})
    assert proc.returncode == 1
    assert proc.stdout == ""
    n404 = sum(p.kind == "404" for p in pages)
    assert proc.stderr.count("failed: HTTP 404") == n404 == len(proc.stderr.splitlines())
    check_database(db, pages)


def test_multi_page_article_is_joined_as_extract_url_joins_it(local_server, tmp_path):
    def page(n: int, sentence: str, pager: str) -> str:
        return (f'<html><head><meta property="og:title" content="Klaim BPJS Ketenagakerjaan Kudus"></head><body>'
                f'<div class="content"><p>Halaman {n}. {sentence}</p></div><div class="paging">{pager}</div>'
                f"</body></html>")

    local_server.route("/read/klaim-kudus", Response(200, page(1, "BPJS Ketenagakerjaan Cabang Kudus membayarkan "
                       "klaim JHT sebesar Rp12,5 miliar pada tahun 2023.", '<a href="/read/klaim-kudus/2">2</a>'),
                       {"Content-Type": HTML}))
    local_server.route("/read/klaim-kudus/2", Response(200, page(2, "Klaim Jaminan Kematian (JKM) sebesar Rp3 miliar.",
                       '<a href="/read/klaim-kudus">1</a>'), {"Content-Type": HTML}))
    url = local_server.url("/read/klaim-kudus")
    s = run_batch(tmp_path / "m.db", [Item(url, "url")], BatchOptions(delay=0, timeout=TIMEOUT, retries=0))
    assert (s.ok, s.claims) == (1, 2)
    with Store.open(tmp_path / "m.db", readonly=True) as store:
        programs = sorted((r["program"], r["amount"]) for r in store.rows("claims"))
    assert programs == [("JHT", 12_500_000_000), ("JKM", 3_000_000_000)]
    from extractor.pipeline import extract_url
    from extractor.fetch import FetchSettings

    single = extract_url(url, FetchSettings(min_delay=0, retries=0))
    assert sorted((c.program, c.amount) for c in single.claims) == programs
