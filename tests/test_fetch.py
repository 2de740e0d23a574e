"""The fetch stage against a real HTTP server on 127.0.0.1: library results and errors, and the same
cases through the real `extract url` CLI in a subprocess (one-line error, the error class's exit code)."""
from __future__ import annotations

import asyncio
import gzip
import json
import subprocess
import sys
import time
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest

from extractor.fetch import client as fetch_client
from extractor.fetch import content as fetch_content
from extractor.fetch import plan as fetch_plan
from extractor.errors import (ContentTypeError, FetchError, HTTPStatusError, InvalidURLError, RedirectError,
                              RobotsDisallowedError, TooLargeError)
from extractor.fetch import AsyncFetcher, FetchResult, FetchSettings, check_url, fetch
from localserver import LocalServer, Response

HTML = "text/html; charset=utf-8"
ARTICLE = ("<html><head><title>Klaim JHT</title></head><body><article><h1>Klaim JHT</h1>"
           "<p>BPJS Ketenagakerjaan Cabang Denpasar membayarkan klaim Rp41,07 miliar – “kutipan” untuk 1.501 "
           "kasus.</p><p>Kepala cabang mengatakan pembayaran klaim berjalan lancar.</p></article></body></html>")
TEXT = "BPJS Ketenagakerjaan membayarkan klaim Rp41,07 miliar untuk 1.501 kasus.\n"
ROBOTS = "User-agent: *\nDisallow: /private/\nDisallow: /cli/private/\n"
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
BOMB = gzip.compress(b"\0" * 50_000_000, compresslevel=9)  # ~50 KB on the wire, 50 MB inflated
SLOW = 20.0  # seconds the slow route stays silent; client timeouts in tests are far below it (and CI can be slow)

# Small limits so every test is quick; each test overrides what it is about.
FAST = dict(connect_timeout=2.0, read_timeout=2.0, total_timeout=10.0, backoff=0.01, max_retry_after=0.5,
            min_delay=0.0, retries=2)


def settings(**over) -> FetchSettings:
    return FetchSettings(**{**FAST, **over})


def page(body: str | bytes = ARTICLE, ctype: str = HTML, **kw) -> Response:
    return Response(200, body, {"Content-Type": ctype}, **kw)


def redirect(to: str, status: int = 302) -> Response:
    return Response(status, b"", {"Location": to})


def flaky(status: int, fails: int, headers: dict | None = None):
    """Answers `status` `fails` times, then the article."""
    return lambda req: Response(status, "busy", headers or {}) if req.hit <= fails else page()


def install(srv: LocalServer) -> None:
    """Every route the tests use; each path is used by one test, so hit counts stay meaningful."""
    for prefix in ("", "/cli"):
        srv.route(f"{prefix}/chain/1", redirect(f"{prefix}/chain/2", 301))
        srv.route(f"{prefix}/chain/2", redirect(srv.url(f"{prefix}/chain/3"), 307))
        srv.route(f"{prefix}/chain/3", page())
        srv.route(f"{prefix}/loop/a", redirect(f"{prefix}/loop/b"))
        srv.route(f"{prefix}/loop/b", redirect(f"{prefix}/loop/a"))
        srv.route(f"{prefix}/flaky500", flaky(500, 1))
        srv.route(f"{prefix}/always500", Response(500, "down"))
        srv.route(f"{prefix}/busy429", flaky(429, 1, {"Retry-After": "1"}))
        srv.route(f"{prefix}/slow", page(delay=SLOW))
        srv.route(f"{prefix}/gzip", Response(200, gzip.compress(ARTICLE.encode()),
                                             {"Content-Type": HTML, "Content-Encoding": "gzip"}))
        srv.route(f"{prefix}/cp1252", page(ARTICLE.encode("cp1252"), "text/html"))
        srv.route(f"{prefix}/big", page("<p>" + "x" * 200_000 + "</p>"))
        srv.route(f"{prefix}/bomb", Response(200, BOMB, {"Content-Type": HTML, "Content-Encoding": "gzip"}))
        srv.route(f"{prefix}/doc.pdf", page(PDF, "application/pdf"))
        srv.route(f"{prefix}/private/article", page())
        srv.route(f"{prefix}/polite", page())
        srv.route(f"{prefix}/plain", page(TEXT, "text/plain; charset=utf-8"))
    srv.route("/robots.txt", Response(200, ROBOTS, {"Content-Type": "text/plain"}))


@pytest.fixture(autouse=True)
def fresh_state():
    """The sync fetch() remembers robots.txt and host turns per process; tests must not share them."""
    fetch_client._SHARED.clear()
    yield
    fetch_client._SHARED.clear()


@pytest.fixture
def srv(local_server):
    install(local_server)
    return local_server


# -- the CLI in a subprocess ------------------------------------------------------------------------
#
# Every CLI case runs once per module, against one module-level server, several processes at a time
# (each process costs ~0.5 s of start-up; one after another they would blow the time budget); each test
# then checks its own run. A successful `extract url` extracts claims, which loads spaCy (~5 s), so the
# success cases run the real CLI entry point one after another in ONE subprocess, each with its own
# argv, exit code, stdout and stderr. Error cases (no spaCy) get one real process each.

CLI = [sys.executable, "-c", "from extractor.cli import main; main()", "url"]

RUNNER = r"""
import io, json, sys
from extractor.cli import main
results = []
for argv in json.loads(sys.argv[1]):
    sys.argv = ["extract", "url", *argv]
    out, err = io.StringIO(), io.StringIO()
    sys.stdout, sys.stderr = out, err
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
    results.append({"code": code, "stdout": out.getvalue(), "stderr": err.getvalue()})
print(json.dumps(results))
"""

# name -> argv after `extract url`; a leading "/" is a path on the module server. `--delay 0` is added
# unless the case sets --delay itself.
SUCCESS_CASES = {
    "redirect-chain": ["/cli/chain/1"],
    "500-then-200": ["/cli/flaky500"],
    "429-retry-after": ["/cli/busy429"],
    "gzip": ["/cli/gzip"],
    "cp1252": ["/cli/cp1252"],
    "text-plain": ["/cli/plain"],
    "ignore-robots": ["/cli/private/article", "--ignore-robots"],
    "polite-1": ["/cli/polite", "--delay", "0.5"],
    "polite-2": ["/cli/polite", "--delay", "0.5"],
}
ERROR_CASES = {
    "redirect-loop": ["/cli/loop/a"],
    "404": ["/cli/missing"],
    "500": ["/cli/always500", "--retries", "1"],
    "read-timeout": ["/cli/slow", "--timeout", "0.3"],
    "too-large": ["/cli/big", "--max-bytes", "100000"],
    "gzip-bomb": ["/cli/bomb", "--max-bytes", "1000000"],
    "file-url": ["file:///etc/passwd"],
    "pdf": ["/cli/doc.pdf"],
    "robots": ["/cli/private/article"],
    "bad-delay": ["/cli/plain", "--delay", "-1"],
    "bad-timeout-text": ["/cli/plain", "--timeout", "abc"],
    "bad-timeout-zero": ["/cli/plain", "--timeout", "0"],
    "bad-max-bytes": ["/cli/plain", "--max-bytes", "1.5"],
    "bad-retries": ["/cli/plain", "--retries", "-2"],
    "bad-user-agent": ["/cli/plain", "--user-agent", " "],
}


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float = 0.0


def _argv(server: LocalServer, args: list[str]) -> list[str]:
    first = server.url(args[0]) if args[0].startswith("/") else args[0]
    return [first, *args[1:], *([] if "--delay" in args else ["--delay", "0"])]


class CLIRuns:
    """The CLI cases, started in the background when the module starts: the library tests run meanwhile,
    and each CLI test waits only for its own process."""

    def __init__(self, server: LocalServer, pool):
        self.server = server
        self._success = pool.submit(self._successes, [self._argv(a) for a in SUCCESS_CASES.values()])
        self._errors = {name: pool.submit(self._one, self._argv(args)) for name, args in ERROR_CASES.items()}

    def __getitem__(self, name: str) -> Run:
        if name in self._errors:
            return self._errors[name].result()
        return dict(zip(SUCCESS_CASES, self._success.result()))[name]

    def hits(self, path: str) -> int:
        return self.server.hits(path)

    def times(self, path: str) -> list[float]:
        return self.server.times(path)

    def _argv(self, args: list[str]) -> list[str]:
        first = self.server.url(args[0]) if args[0].startswith("/") else args[0]
        return [first, *args[1:], *([] if "--delay" in args else ["--delay", "0"])]

    @staticmethod
    def _one(args: list[str]) -> Run:
        started = time.monotonic()
        proc = subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=60)
        return Run(proc.returncode, proc.stdout, proc.stderr, time.monotonic() - started)

    @staticmethod
    def _successes(argvs: list[list[str]]) -> list[Run]:
        proc = subprocess.run([sys.executable, "-c", RUNNER, json.dumps(argvs)], capture_output=True,
                              text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        return [Run(**r) for r in json.loads(proc.stdout)]


@pytest.fixture(scope="module", autouse=True)
def cli():
    from concurrent.futures import ThreadPoolExecutor

    with LocalServer() as server, ThreadPoolExecutor(3) as pool:
        install(server)
        yield CLIRuns(server, pool)


def cli_ok(cli, name: str) -> dict:
    got = cli[name]
    assert got.code == 0, got
    assert "Traceback" not in got.stderr
    return json.loads(got.stdout)


def cli_error(cli, name: str, error_class: type | int, *words: str) -> Run:
    """One line on stderr, nothing on stdout, and the exit code of the error class."""
    got = cli[name]
    err = got.stderr.strip()
    code = error_class if isinstance(error_class, int) else error_class.exit_code
    assert got.code == code, got
    assert "Traceback" not in got.stderr
    assert len(err.splitlines()) == 1 and err.startswith("error: "), err
    assert got.stdout == ""
    for word in words:
        assert word in err, err
    return got


def evidence(doc: dict) -> str:
    return " ".join(c["evidence"] for c in doc["claims"])


# -- redirects ---------------------------------------------------------------------------------------

def test_redirect_chain(srv):
    got = fetch(srv.url("/chain/1"), settings())
    assert got.status == 200 and got.final_url == srv.url("/chain/3") and got.url == srv.url("/chain/1")
    assert "Rp41,07 miliar" in got.html


def test_redirect_limit(srv):
    with pytest.raises(RedirectError, match="more than 1 redirects"):
        fetch(srv.url("/chain/1"), settings(max_redirects=1))


def test_redirect_loop(srv):
    started = time.monotonic()
    with pytest.raises(RedirectError, match="redirect loop"):
        fetch(srv.url("/loop/a"), settings())
    assert srv.hits("/loop/a") == 1 and srv.hits("/loop/b") == 1  # caught at once, not after 10 hops
    assert time.monotonic() - started < 3


def test_redirect_to_other_scheme(local_server):
    local_server.route("/to-ftp", redirect("ftp://example.com/x"))
    with pytest.raises(RedirectError, match="not an http"):
        fetch(local_server.url("/to-ftp"), settings())


# -- status codes and retries ------------------------------------------------------------------------

def test_404(srv):
    with pytest.raises(HTTPStatusError, match="HTTP 404") as info:
        fetch(srv.url("/missing"), settings())
    assert info.value.status == 404
    assert srv.hits("/missing") == 1  # a 404 is not retried


def test_500_then_200_is_retried(srv):
    got = fetch(srv.url("/flaky500"), settings())
    assert got.status == 200 and srv.hits("/flaky500") == 2


def test_500_gives_up_after_retries(srv):
    with pytest.raises(HTTPStatusError, match="after 3 attempts") as info:
        fetch(srv.url("/always500"), settings(retries=2))
    assert info.value.status == 500 and srv.hits("/always500") == 3


def test_backoff_grows(local_server):
    local_server.route("/down", Response(503, "down"))
    fetch_error = pytest.raises(HTTPStatusError)
    with fetch_error:
        fetch(local_server.url("/down"), settings(retries=3, backoff=0.05, max_retry_after=5))
    t = local_server.times("/down")
    gaps = [b - a for a, b in zip(t, t[1:])]
    assert len(gaps) == 3
    assert gaps[0] >= 0.045 and gaps[1] >= 0.095 and gaps[2] >= 0.195  # 0.05, 0.1, 0.2


def test_429_retry_after_is_honoured(local_server):
    local_server.route("/busy", flaky(429, 1, {"Retry-After": "1"}))
    started = time.monotonic()
    got = fetch(local_server.url("/busy"), settings(max_retry_after=5))
    waited = time.monotonic() - started
    assert got.status == 200 and local_server.hits("/busy") == 2
    assert 0.9 <= waited < 3


def test_429_retry_after_over_the_cap_gives_up_at_once(local_server):
    # The policy (README): a Retry-After longer than max_retry_after is not shortened but reported.
    when = format_datetime(datetime.now(timezone.utc) + timedelta(hours=1), usegmt=True)
    local_server.route("/busy-long", flaky(429, 1, {"Retry-After": "3600"}))
    local_server.route("/busy-date", flaky(429, 1, {"Retry-After": when}))
    for path in ("/busy-long", "/busy-date"):
        started = time.monotonic()
        with pytest.raises(HTTPStatusError, match=r"asks to wait 3[56]\d\d s") as info:
            fetch(local_server.url(path), settings(max_retry_after=0.3))
        assert info.value.status == 429 and local_server.hits(path) == 1
        assert time.monotonic() - started < 3


def test_429_gives_up_within_total_timeout(local_server):
    local_server.route("/busy-forever", Response(429, "", {"Retry-After": "5"}))
    started = time.monotonic()
    with pytest.raises(HTTPStatusError, match="HTTP 429") as info:
        fetch(local_server.url("/busy-forever"), settings(max_retry_after=30, total_timeout=1, retries=5))
    assert info.value.status == 429 and "retry after 5" in str(info.value)
    assert time.monotonic() - started < 3  # a 5 s wait would overrun the 1 s budget: give up now


# -- timeouts and connection errors -------------------------------------------------------------------

def test_read_timeout(srv):
    started = time.monotonic()
    with pytest.raises(FetchError, match="timed out") as info:
        fetch(srv.url("/slow"), settings(read_timeout=0.3))
    assert type(info.value) is FetchError
    assert time.monotonic() - started < 3
    assert srv.hits("/slow") == 1  # a silent server is not asked again


def test_total_timeout_on_a_dripping_body(local_server):
    drip = Response(200, (b"<p>" + b"x" * 10 for _ in range(100)), {"Content-Type": HTML}, chunk_delay=0.1)
    local_server.route("/drip", drip)
    started = time.monotonic()
    with pytest.raises(FetchError, match="gave up"):
        fetch(local_server.url("/drip"), settings(read_timeout=1, total_timeout=0.5))
    assert time.monotonic() - started < 4  # the drip lasts 10 s


def test_connection_refused_is_retried_then_fails():
    with LocalServer() as gone:
        url = gone.url("/x")
    with pytest.raises(FetchError, match="could not connect.*after 3 attempts"):
        fetch(url, settings(retries=2, respect_robots=False))


def test_unreachable_robots_is_allowed_with_a_note():
    # The server is gone, so robots.txt cannot be read: that is allowed (noted), and the page then fails.
    with LocalServer() as gone:
        url = gone.url("/x")
    with pytest.raises(FetchError, match="could not connect"):
        fetch(url, settings(retries=0))
    rule = fetch_client._SHARED.robots[url.rsplit("/", 1)[0]]
    assert rule.parser is None and "could not be read" in rule.note


# -- bodies: encodings, sizes ----------------------------------------------------------------------------

def test_gzip_page(srv):
    got = fetch(srv.url("/gzip"), settings())
    assert got.html == ARTICLE and got.encoding == "utf-8"
    assert "gzip" in srv.requests[-1].headers.get("Accept-Encoding", "")


def test_windows_1252_without_charset(srv):
    got = fetch(srv.url("/cp1252"), settings())
    assert "Rp41,07 miliar – “kutipan”" in got.html
    assert got.encoding == "cp1252"


def test_page_over_the_cap(srv):
    with pytest.raises(TooLargeError, match="larger than|more than"):
        fetch(srv.url("/big"), settings(max_bytes=100_000))
    got = fetch(srv.url("/big"), settings(max_bytes=300_000))
    assert len(got.html) > 200_000


def test_streamed_page_over_the_cap(local_server):
    # No Content-Length: the cap has to be found while reading.
    local_server.route("/stream", Response(200, (b"x" * 10_000 for _ in range(50)), {"Content-Type": HTML}))
    with pytest.raises(TooLargeError, match="larger than 100000 bytes"):
        fetch(local_server.url("/stream"), settings(max_bytes=100_000))


def test_gzip_bomb_stops_at_the_cap(srv):
    import tracemalloc

    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(TooLargeError, match="after decompression"):
            fetch(srv.url("/bomb"), settings(max_bytes=1_000_000))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 5
    assert peak < 10_000_000, peak  # the 50 MB were never inflated


# -- what is fetched at all ------------------------------------------------------------------------------

@pytest.mark.parametrize("bad", ["file:///etc/passwd", "ftp://example.com/a", "example.com/news", "http://",
                                 "https://exa mple.com/", "http://example.com:99999/", "", "javascript:alert(1)"])
def test_invalid_urls(bad):
    with pytest.raises(InvalidURLError):
        check_url(bad)
    with pytest.raises(InvalidURLError):
        fetch(bad, settings())


def test_valid_urls():
    assert check_url(" https://example.com/a?b=1 ") == "https://example.com/a?b=1"
    assert check_url("HTTP://[::1]:8080/x") == "HTTP://[::1]:8080/x"


def test_pdf(srv):
    with pytest.raises(ContentTypeError, match="application/pdf"):
        fetch(srv.url("/doc.pdf"), settings())


def test_pdf_without_content_type(local_server):
    local_server.route("/nohdr.pdf", Response(200, PDF))
    with pytest.raises(ContentTypeError, match="application/pdf"):
        fetch(local_server.url("/nohdr.pdf"), settings())


def test_image_is_refused(local_server):
    local_server.route("/img", Response(200, b"\x89PNG\r\n", {"Content-Type": "image/png"}))
    with pytest.raises(ContentTypeError, match="image/png"):
        fetch(local_server.url("/img"), settings())


def test_text_plain(srv):
    got = fetch(srv.url("/plain"), settings())
    assert got.content_type == "text/plain" and got.html == TEXT


def test_xhtml_and_no_content_type(local_server):
    local_server.route("/x", page(ARTICLE, "application/xhtml+xml"))
    local_server.route("/none", Response(200, ARTICLE.encode()))
    assert fetch(local_server.url("/x"), settings()).content_type == "application/xhtml+xml"
    assert fetch(local_server.url("/none"), settings()).content_type == "text/html"


# -- robots.txt ---------------------------------------------------------------------------------------------

def test_robots_disallow(srv):
    with pytest.raises(RobotsDisallowedError, match="disallows"):
        fetch(srv.url("/private/article"), settings())
    assert srv.hits("/private/article") == 0


def test_robots_opt_out(srv):
    got = fetch(srv.url("/private/article"), settings(respect_robots=False))
    assert got.status == 200 and srv.hits("/robots.txt") == 0


def test_robots_is_fetched_once_per_host(srv):
    fetch(srv.url("/chain/3"), settings())
    fetch(srv.url("/plain"), settings())
    assert srv.hits("/robots.txt") == 1
    assert srv.requests[0].path == "/robots.txt"
    assert srv.requests[0].headers["User-Agent"].startswith("extractor/")


@pytest.mark.parametrize("status", [404, 410, 403])
def test_missing_robots_means_allowed(local_server, status):
    local_server.route("/robots.txt", Response(status, "no"))
    local_server.route("/private/a", page())
    got = fetch(local_server.url("/private/a"), settings())
    assert got.status == 200 and got.notes == []


def test_robots_server_error_means_disallowed(local_server):
    # RFC 9309: a robots.txt answering 5xx means complete disallow.
    local_server.route("/robots.txt", Response(503, "oops"))
    local_server.route("/a", page())
    with pytest.raises(RobotsDisallowedError, match="HTTP 503"):
        fetch(local_server.url("/a"), settings())
    assert local_server.hits("/a") == 0


def test_robots_matches_our_user_agent(local_server):
    local_server.route("/robots.txt", Response(200, "User-agent: extractor\nDisallow: /\n\nUser-agent: *\nAllow: /\n"))
    local_server.route("/a", page())
    with pytest.raises(RobotsDisallowedError):
        fetch(local_server.url("/a"), settings())
    fetch_client._SHARED.clear()
    assert fetch(local_server.url("/a"), settings(user_agent="otherbot/1.0")).status == 200


# -- politeness ----------------------------------------------------------------------------------------------

def test_per_host_delay(srv):
    for _ in range(3):
        fetch(srv.url("/polite"), settings(min_delay=0.3))
    t = srv.times("/polite")
    assert all(b - a >= 0.28 for a, b in zip(t, t[1:])), t


def test_no_delay_when_zero(srv):
    started = time.monotonic()
    for _ in range(3):
        fetch(srv.url("/polite"), settings(min_delay=0))
    assert time.monotonic() - started < 2


def test_crawl_delay_from_robots(local_server):
    local_server.route("/robots.txt", Response(200, "User-agent: *\nCrawl-delay: 0.4\n"))
    local_server.route("/a", page())
    fetch(local_server.url("/a"), settings(min_delay=0))
    fetch(local_server.url("/a"), settings(min_delay=0))
    t = local_server.times("/a")
    assert t[1] - t[0] >= 0.38


# -- settings ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("field, value", [
    ("connect_timeout", -1), ("read_timeout", 0), ("total_timeout", float("nan")), ("backoff", -0.1),
    ("max_retry_after", float("inf")), ("min_delay", -1), ("max_redirects", -1), ("retries", 1.5),
    ("max_bytes", 0), ("retries", True), ("user_agent", ""), ("user_agent", "a\nb"), ("respect_robots", "no"),
])
def test_settings_are_validated(field, value):
    with pytest.raises(ValueError, match=field):
        FetchSettings(**{field: value})


def test_settings_defaults():
    s = FetchSettings()
    assert (s.connect_timeout, s.read_timeout, s.total_timeout, s.max_redirects, s.max_bytes, s.retries,
            s.min_delay, s.respect_robots) == (10.0, 20.0, 60.0, 10, 5_000_000, 3, 1.0, True)
    assert s.user_agent.startswith("extractor/0.") and "research" in s.user_agent


def test_result_shape(srv):
    got = fetch(srv.url("/chain/3"), settings())
    assert isinstance(got, FetchResult)
    assert datetime.strptime(got.fetched_at, "%Y-%m-%dT%H:%M:%SZ")
    assert got.content_type == "text/html" and got.encoding == "utf-8"


# -- pure rules ----------------------------------------------------------------------------------------------

LIE = "<p>Klaim yang dibayarkan mencapai Rp41,07 miliar – “kutipan” kata kepala cabang di Denpasar.</p>"


@pytest.mark.parametrize("body, ctype, text, encoding", [
    ("é “x”".encode("utf-8"), "text/html; charset=UTF-8", "é “x”", "utf-8"),
    ("é “x”".encode("cp1252"), "text/html; charset=iso-8859-1", "é “x”", "cp1252"),  # as browsers read it
    ('<meta charset="windows-1252"><p>é “x”'.encode("cp1252"), "text/html", '<meta charset="windows-1252"><p>é “x”', "cp1252"),
    ('<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-15"><p>€'.encode("iso8859-15"),
     "text/html", '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-15"><p>€', "iso8859-15"),
    (b"\xef\xbb\xbf<p>\xc3\xa9", "text/html; charset=cp1252", "<p>é", "utf-8"),  # the BOM wins
    (LIE.encode("cp1252"), "text/html; charset=utf-8", LIE, "cp1252"),  # a lying header: detection reads it
    ("<p>plain ascii", "text/html", "<p>plain ascii", "utf-8"),
])
def test_decode(body, ctype, text, encoding):
    mime, charset = fetch_content.parse_content_type(ctype)
    body = body.encode() if isinstance(body, str) else body
    assert fetch_content.decode_body(body, mime, charset) == (text, encoding)


def test_retry_after_parsing():
    now = datetime(2026, 11, 25, 10, 0, 0, tzinfo=timezone.utc)
    assert fetch_plan._retry_after("7", now) == 7.0
    assert fetch_plan._retry_after("Wed, 25 Nov 2026 10:00:30 GMT", now) == 30.0
    assert fetch_plan._retry_after("Wed, 25 Nov 2026 09:00:00 GMT", now) == 0.0
    assert fetch_plan._retry_after("soon", now) is None and fetch_plan._retry_after(None, now) is None


def test_retryable_statuses():
    assert [s for s in (200, 301, 404, 429, 500, 501, 502, 503, 504) if fetch_plan._retryable_status(s)] == \
        [429, 500, 502, 503, 504]


HELLO = b"hello " * 1000


@pytest.mark.parametrize("encoding, data, want", [
    ("gzip", gzip.compress(HELLO), HELLO),
    ("gzip", gzip.compress(b"hello ") + gzip.compress(b"world"), b"hello world"),  # two members
    ("gzip", gzip.compress(HELLO) + b"\0\0junk", HELLO),  # padding after the stream is ignored
    ("deflate", zlib.compress(HELLO), HELLO),
    ("deflate", zlib.compress(HELLO)[2:-4], HELLO),  # raw deflate, without the zlib header
    ("identity", HELLO, HELLO),
], ids=["gzip", "gzip-members", "gzip-junk", "deflate", "deflate-raw", "identity"])
def test_decompressor(encoding, data, want):
    import httpx

    body = fetch_content.Body("u", httpx.Headers({"Content-Encoding": encoding}), 1_000_000, truncate=False)
    for i in range(0, len(data), 7):  # tiny network chunks
        body.feed(data[i:i + 7])
    assert body.value() == want


def test_unknown_content_encoding():
    import httpx

    with pytest.raises(FetchError, match="unsupported Content-Encoding 'br'"):
        fetch_content.Body("u", httpx.Headers({"Content-Encoding": "br"}), 1000, truncate=False)


def test_decompressor_cap_and_truncate():
    import httpx

    headers = httpx.Headers({"Content-Encoding": "gzip"})
    with pytest.raises(TooLargeError):
        fetch_content.Body("u", headers, 1000, truncate=False).feed(BOMB)
    cut = fetch_content.Body("u", headers, 1000, truncate=True)
    cut.feed(BOMB)
    assert cut.done and cut.value() == b"\0" * 1000


# -- async -------------------------------------------------------------------------------------------------

def run_async(coro):
    return asyncio.run(coro)


def test_async_fetcher_same_rules(srv):
    async def go():
        async with AsyncFetcher(settings(), concurrency=4) as fetcher:
            ok = await fetcher.fetch(srv.url("/chain/1"))
            cp = await fetcher.fetch(srv.url("/cp1252"))
            errors = []
            for path in ("/loop/a", "/missing", "/doc.pdf", "/bomb", "/private/article"):
                try:
                    await fetcher.fetch(srv.url(path))
                except FetchError as exc:
                    errors.append(type(exc))
            try:
                await fetcher.fetch("file:///etc/passwd")
            except InvalidURLError as exc:
                errors.append(type(exc))
            return ok, cp, errors

    ok, cp, errors = run_async(go())
    assert ok.final_url == srv.url("/chain/3") and "Rp41,07 miliar – “kutipan”" in cp.html
    assert errors == [RedirectError, HTTPStatusError, ContentTypeError, TooLargeError, RobotsDisallowedError,
                      InvalidURLError]
    assert srv.hits("/robots.txt") == 1


def test_async_retries_and_timeouts(srv):
    async def go():
        async with AsyncFetcher(settings(read_timeout=0.3), concurrency=2) as fetcher:
            got = await fetcher.fetch(srv.url("/flaky500"))
            with pytest.raises(FetchError, match="timed out"):
                await fetcher.fetch(srv.url("/slow"))
            return got

    assert run_async(go()).status == 200 and srv.hits("/flaky500") == 2


def test_async_politeness_and_one_robots_per_host(local_server):
    for i in range(4):
        local_server.route(f"/p{i}", page())

    async def go():
        async with AsyncFetcher(settings(min_delay=0.2), concurrency=4) as fetcher:
            return await asyncio.gather(*(fetcher.fetch(local_server.url(f"/p{i}")) for i in range(4)))

    results = run_async(go())
    assert [r.status for r in results] == [200] * 4
    assert local_server.hits("/robots.txt") == 1  # robots.txt 404: allowed, asked once
    t = sorted(r.time for r in local_server.requests if r.path.startswith("/p"))
    assert all(b - a >= 0.18 for a, b in zip(t, t[1:])), t


def test_async_hosts_do_not_wait_for_each_other():
    # Two servers are two hosts (different ports): a long per-host delay must not slow the other one.
    with LocalServer() as a, LocalServer() as b:
        for s in (a, b):
            s.route("/x", page())

        async def go():
            async with AsyncFetcher(settings(min_delay=5, respect_robots=False), concurrency=4) as fetcher:
                started = time.monotonic()
                await asyncio.gather(fetcher.fetch(a.url("/x")), fetcher.fetch(b.url("/x")))
                return time.monotonic() - started

        assert run_async(go()) < 3  # not 5 s


def test_async_fetcher_needs_context():
    with pytest.raises(RuntimeError):
        run_async(AsyncFetcher(settings()).fetch("http://127.0.0.1/"))
    with pytest.raises(ValueError):
        AsyncFetcher(settings(), concurrency=0)


# -- the same cases through the CLI (see CLIRuns) ------------------------------------------------------

def test_redirect_chain_cli(cli):
    doc = cli_ok(cli, "redirect-chain")
    assert doc["source"]["final_url"].endswith("/cli/chain/3")
    assert "Rp41,07 miliar" in evidence(doc)


def test_redirect_loop_cli(cli):
    cli_error(cli, "redirect-loop", RedirectError, "redirect loop", "/cli/loop/a")


def test_404_cli(cli):
    cli_error(cli, "404", HTTPStatusError, "HTTP 404", "/cli/missing")


def test_500_then_200_cli(cli):
    assert "Rp41,07 miliar" in evidence(cli_ok(cli, "500-then-200"))
    assert cli.hits("/cli/flaky500") == 2


def test_500_cli(cli):
    cli_error(cli, "500", HTTPStatusError, "HTTP 500", "after 2 attempts")
    assert cli.hits("/cli/always500") == 2


def test_429_cli(cli):
    assert "Rp41,07 miliar" in evidence(cli_ok(cli, "429-retry-after"))
    t = cli.times("/cli/busy429")
    assert len(t) == 2 and t[1] - t[0] >= 0.9


def test_read_timeout_cli(cli):
    got = cli_error(cli, "read-timeout", FetchError, "/cli/slow")
    # --timeout caps both the read wait and the whole page; on a loaded machine either may fire first
    assert "timed out" in got.stderr or "no complete answer" in got.stderr
    assert got.seconds < SLOW


def test_gzip_cli(cli):
    assert "Rp41,07 miliar – “kutipan”" in evidence(cli_ok(cli, "gzip"))


def test_windows_1252_cli(cli):
    assert "Rp41,07 miliar – “kutipan”" in evidence(cli_ok(cli, "cp1252"))


def test_page_over_the_cap_cli(cli):
    cli_error(cli, "too-large", TooLargeError, "/cli/big")


def test_gzip_bomb_cli(cli):
    assert cli_error(cli, "gzip-bomb", TooLargeError, "after decompression").seconds < 10


def test_file_url_cli(cli):
    cli_error(cli, "file-url", InvalidURLError, "file:///etc/passwd")


def test_pdf_cli(cli):
    cli_error(cli, "pdf", ContentTypeError, "application/pdf")


def test_text_plain_cli(cli):
    doc = cli_ok(cli, "text-plain")
    assert doc["claims"] and doc["claims"][0]["amount"] == 41_070_000_000


def test_robots_disallow_cli(cli):
    cli_error(cli, "robots", RobotsDisallowedError, "robots.txt", "--ignore-robots")


def test_robots_opt_out_cli(cli):
    assert "Rp41,07 miliar" in evidence(cli_ok(cli, "ignore-robots"))
    assert cli.hits("/cli/private/article") == 1


def test_per_host_delay_cli(cli):
    # Two `extract url` runs in one process share the host clock, as library calls do.
    cli_ok(cli, "polite-1"), cli_ok(cli, "polite-2")
    t = cli.times("/cli/polite")
    assert len(t) == 2 and t[1] - t[0] >= 0.45


@pytest.mark.parametrize("name, word", [
    ("bad-delay", "--delay"), ("bad-timeout-text", "--timeout"), ("bad-timeout-zero", "--timeout"),
    ("bad-max-bytes", "--max-bytes"), ("bad-retries", "--retries"), ("bad-user-agent", "user_agent"),
])
def test_bad_option_values_cli(cli, name, word):
    cli_error(cli, name, 2, word)
