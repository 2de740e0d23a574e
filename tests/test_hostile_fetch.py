"""Hostile servers and hostile URLs, through the real CLI in subprocesses against servers on 127.0.0.1:
one deadline per page, credentials in URLs, charsets, Retry-After, robots.txt errors, binaries served as
HTML, bad host names and huge URLs. Each error is one line on stderr with its documented exit code, and
in a batch the inputs after a bad one still run."""
from __future__ import annotations

import base64
import json
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

import pytest

from localserver import LocalServer, Request, Response

CLI = [sys.executable, "-c", "from extractor.cli import main; main()"]

ARTICLE = ("<html><head><title>Klaim JHT Denpasar</title></head><body><article><h1>Klaim JHT Denpasar</h1>"
           "<p>BPJS Ketenagakerjaan Cabang Denpasar membayarkan klaim Rp41,07 miliar – ‘kutipan’ untuk 1.501 "
           "kasus.</p><p>Kepala cabang, Niño José, mengatakan pembayaran klaim berjalan lancar.</p>"
           "</article></body></html>")
TEXT = "BPJS Ketenagakerjaan membayarkan klaim Rp41,07 miliar untuk 1.501 kasus, kata Niño José.\n"
HTML = "text/html; charset=utf-8"
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01" + bytes(range(256)) * 4
SECRET = "s3cret"


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float


def extract(*args: str, timeout: float = 90) -> Run:
    started = time.monotonic()
    proc = subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=timeout)
    return Run(proc.returncode, proc.stdout, proc.stderr, time.monotonic() - started)


def one_error(run: Run, code: int, *words: str) -> str:
    """The run failed with `code` and one line on stderr holding `words`; nothing on stdout."""
    err = run.stderr.strip()
    assert run.code == code, run
    assert "Traceback" not in run.stderr
    assert len(err.splitlines()) == 1 and err.startswith("error: "), err
    assert run.stdout == ""
    for word in words:
        assert word in err, err
    return err


def page(body: str | bytes = ARTICLE, ctype: str = HTML, **kw) -> Response:
    return Response(200, body, {"Content-Type": ctype}, **kw)


def with_credentials(url: str) -> str:
    return url.replace("://", f"://user:{SECRET}@", 1)


def needs_credentials(req: Request) -> Response:
    expected = "Basic " + base64.b64encode(f"user:{SECRET}".encode()).decode()
    return page() if req.headers.get("Authorization") == expected else Response(401, "who are you?")


# Every byte of ARTICLE's UTF-8 form is defined in windows-1252 too, so a wrong single-byte label is not
# caught by a decoding error: the charset rule itself has to get it right.
ENCODED = {  # path -> (body bytes, Content-Type); every one holds "Niño José" and "‘kutipan’"
    "/enc/latin1-header-meta-utf8": (ARTICLE.replace("<head>", '<head><meta charset="utf-8">').encode(),
                                     "text/html; charset=iso-8859-1"),
    "/enc/latin1-header-utf8-body": (ARTICLE.encode(), "text/html; charset=ISO-8859-1"),
    "/enc/undeclared-cp1252": (ARTICLE.encode("cp1252"), "text/html"),
    "/enc/meta-over-header": (ARTICLE.replace("<head>", '<head><meta charset="windows-1252">').encode("cp1252"),
                              "text/html; charset=windows-1250"),
    "/enc/utf16-bom": (ARTICLE.encode("utf-16"), "text/html"),
}


@pytest.fixture(scope="module")
def srv():
    with LocalServer() as server:
        server.route("/article", page())
        server.route("/trickle", page(head_trickle=1.0))
        server.route("/auth", needs_credentials)
        server.route("/bin/pdf", page(PDF, "text/html"))
        server.route("/bin/jpeg", page(JPEG, "text/html; charset=utf-8"))
        server.route("/busy/3600", Response(429, "later", {"Retry-After": "3600"}))
        in_an_hour = format_datetime(datetime.now(timezone.utc) + timedelta(hours=1), usegmt=True)
        server.route("/busy/date", Response(503, "later", {"Retry-After": in_an_hour}))
        for path, (body, ctype) in ENCODED.items():
            server.route(path, page(body, ctype))
        yield server


def batch(tmp_path: Path, urls: list[str], *more: str) -> tuple[Run, list[dict]]:
    """`extract batch` over `urls`; the run and the articles table, in input order."""
    listing = tmp_path / "urls.txt"
    listing.write_text("\n".join(urls) + "\n", encoding="utf-8")
    db = tmp_path / "claims.db"
    run = extract("batch", "--urls", str(listing), "--db", str(db), "--delay", "0", "--retries", "0", "--quiet",
                  *more)
    assert "Traceback" not in run.stderr
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        rows = [dict(r) for r in conn.execute("SELECT * FROM articles ORDER BY id")]
    order = {public: i for i, public in enumerate(u.replace(f"user:{SECRET}@", "") for u in urls)}
    return run, sorted(rows, key=lambda r: order.get(r["input"], len(order)))


# -- 3. one deadline per page -----------------------------------------------------------------------------

def test_trickled_headers_stop_at_the_total_timeout(srv):
    run = extract("url", srv.url("/trickle"), "--timeout", "2", "--delay", "0", timeout=40)
    one_error(run, 5, "/trickle", "within 2 s")
    assert run.seconds < 6, run.seconds  # 2 s and the interpreter's start, not a header a second


def test_slow_robots_and_slow_page_share_one_deadline(local_server):
    # Each takes 1.5 s: apart they fit in 2 s, together they must not (robots.txt used to be extra).
    local_server.route("/robots.txt", Response(404, "none", delay=1.5))
    local_server.route("/slow", page(delay=1.5))
    run = extract("url", local_server.url("/slow"), "--timeout", "2", "--delay", "0", timeout=40)
    one_error(run, 5, "/slow", "2 s")
    assert local_server.hits("/robots.txt") == 1
    assert run.seconds < 6, run.seconds


def test_batch_trickled_page_fails_in_time_and_the_next_url_runs(srv, tmp_path):
    run, rows = batch(tmp_path, [srv.url("/trickle"), srv.url("/article")], "--timeout", "2")
    assert run.code == 1, run
    assert [r["status"] for r in rows] == ["failed", "ok"]
    assert rows[0]["error_code"] == "fetch" and "within 2 s" in rows[0]["error"]
    assert run.seconds < 30, run.seconds


# -- 9. credentials in URLs -------------------------------------------------------------------------------

def test_credentials_are_sent_but_never_printed(srv):
    run = extract("url", with_credentials(srv.url("/auth")), "--delay", "0")
    assert run.code == 0, run
    assert SECRET not in run.stdout + run.stderr
    doc = json.loads(run.stdout)
    assert doc["source"]["url"] == srv.url("/auth") and doc["source"]["final_url"] == srv.url("/auth")
    assert doc["claims"]  # the server let us in: the credentials were sent


@pytest.mark.parametrize("target, code", [
    ("/missing", 6), ("http://127.0.0.1:1/x", 5), ("http://xn--a.com/", 4), ("http://a..b/", 4),
    ("http://h/" + "x" * 9000, 4), ("ftp://host/x", 4),
], ids=["404", "refused", "punycode", "empty-label", "too-long", "scheme"])
def test_credentials_are_kept_out_of_error_messages(srv, target, code):
    url = srv.url(target) if target.startswith("/") else target
    run = extract("url", with_credentials(url), "--delay", "0", "--retries", "0")
    err = one_error(run, code)
    assert SECRET not in err and "user:" not in err, err


def test_credentials_stay_out_of_the_database_and_export(srv, tmp_path):
    run, rows = batch(tmp_path, [with_credentials(srv.url("/auth")), with_credentials(srv.url("/missing"))])
    assert run.code == 1 and SECRET not in run.stderr, run
    assert [(r["input"], r["status"]) for r in rows] == [(srv.url("/auth"), "ok"), (srv.url("/missing"), "failed")]
    with sqlite3.connect(tmp_path / "claims.db") as conn:
        assert SECRET not in "\n".join(conn.iterdump())
    for table in ("claims", "articles"):
        out = extract("export", "--db", str(tmp_path / "claims.db"), "--table", table, "--format", "jsonl")
        assert out.code == 0 and srv.url("/auth") in out.stdout and SECRET not in out.stdout, out


def test_credentials_stay_out_of_check_output(srv):
    run = extract("check", "--json", with_credentials(srv.url("/auth")), with_credentials(srv.url("/missing")))
    assert run.code == 6, run  # the second failed (HTTP 404: exit 6, README); the first was still checked
    assert SECRET not in run.stdout + run.stderr
    assert json.loads(run.stdout)["input"] == srv.url("/auth")


def test_credentials_are_not_sent_to_another_origin(srv):
    with LocalServer() as other:
        other.route("/landing", page())
        srv.route("/away", Response(302, "", {"Location": other.url("/landing")}))
        run = extract("text", with_credentials(srv.url("/away")))
        assert run.code == 0 and "Rp41,07 miliar" in run.stdout, run
        assert [r.headers.get("Authorization") for r in other.requests if r.path == "/landing"] == [None]


# -- 11. charsets -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ENCODED)
def test_charset_of_fetched_pages(srv, path):
    run = extract("text", srv.url(path))
    assert run.code == 0, run
    assert "Niño José" in run.stdout and "Rp41,07 miliar – ‘kutipan’" in run.stdout, run.stdout
    assert "Ã" not in run.stdout and "Nińo" not in run.stdout


def test_charset_of_local_files(tmp_path):
    files = {"utf16le.txt": TEXT.encode("utf-16"), "utf16be.html": b"\xfe\xff" + ARTICLE.encode("utf-16-be"),
             "binary.txt": PDF + b"\x00\x00", "cp1252.txt": TEXT.encode("cp1252"),
             "meta1252.html": ARTICLE.replace("<head>", '<head><meta charset="windows-1252">').encode("cp1252")}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    run = extract("file", *(str(tmp_path / name) for name in files))
    assert run.code == 3, run  # the binary one; the files after it still ran
    docs = [json.loads(line) for line in run.stdout.splitlines()]
    assert [bool(d.get("error")) for d in docs] == [False, False, True, False, False]
    assert "binary" in docs[2]["error"]
    for doc in docs[:2] + docs[3:]:
        assert doc["claims"][0]["amount"] == 41_070_000_000, doc
    for name in ("utf16le.txt", "cp1252.txt", "meta1252.html"):
        text = extract("text", str(tmp_path / name))
        assert text.code == 0 and "Niño José" in text.stdout, (name, text)


# -- 12. Retry-After, robots.txt errors, binaries, bad URLs -----------------------------------------------

@pytest.mark.parametrize("path, status, wait", [("/busy/3600", 429, "3600 s"), ("/busy/date", 503, " s before")])
def test_long_retry_after_gives_up_at_once(srv, path, status, wait):
    run = extract("url", srv.url(path), "--delay", "0")
    one_error(run, 6, f"HTTP {status}", "asks to wait", wait, "try later")
    assert srv.hits(path) == 1 and run.seconds < 10


def test_robots_server_error_disallows_and_missing_robots_allows(tmp_path):
    with LocalServer() as broken, LocalServer() as missing:
        broken.route("/robots.txt", Response(503, "down"))
        for server in (broken, missing):
            server.route("/article", page())
        one_error(extract("url", broken.url("/article"), "--delay", "0"), 9, "HTTP 503", "--ignore-robots")
        run, rows = batch(tmp_path, [broken.url("/article"), missing.url("/article")])
        assert run.code == 1, run
        assert [(r["status"], r["error_code"]) for r in rows] == [("failed", "robots"), ("ok", None)]
        assert broken.hits("/article") == 0 and missing.hits("/article") == 1


@pytest.mark.parametrize("path, kind", [("/bin/pdf", "application/pdf"), ("/bin/jpeg", "image/jpeg")])
def test_binary_served_as_html_is_not_a_page(srv, path, kind):
    one_error(extract("url", srv.url(path), "--delay", "0"), 7, kind, "sent as text/html")


@pytest.mark.parametrize("url", ["http://xn--a.com/", "http://xn--zz.com/news", "http://a..b/", "http://\u2603.com/",
                                 "http://" + "a" * 64 + ".com/", "http://xn--a.com:8080/x"])
def test_invalid_host_names_are_invalid_urls(url):
    one_error(extract("url", url), 4)


def test_too_long_url_is_named_so_and_not_echoed_whole(srv):
    long_url = srv.url("/" + "x" * 100_000)
    err = one_error(extract("url", long_url), 4, f"URL too long ({len(long_url)} characters, limit 8192)")
    assert len(err) < 400, len(err)


def test_batch_bad_urls_do_not_stop_the_run(srv, tmp_path):
    urls = ["http://xn--a.com/", srv.url("/" + "x" * 10_000), srv.url("/bin/pdf"), srv.url("/article")]
    run, rows = batch(tmp_path, urls)
    assert run.code == 1, run
    assert [(r["status"], r["error_code"]) for r in rows] == [
        ("failed", "invalid-url"), ("failed", "invalid-url"), ("failed", "content-type"), ("ok", None)]
    assert all(len(line) < 500 for line in run.stderr.splitlines())
