"""Fetch stage: URL -> FetchResult (the page decoded to text), politely and within limits.

One set of rules, two drivers. The rules (which URLs are allowed, when to retry, how to decode ...) are
pure functions plus `_page_plan`/`_robots_plan`: generators that *yield* the I/O they need (`_Open`,
`_Read`, `_Sleep`, `_Robots`) and get the results sent back. `fetch` (httpx.Client) and `AsyncFetcher`
(httpx.AsyncClient) only carry those steps out, so the sync and async paths cannot drift apart.
"""
from __future__ import annotations

import asyncio
import codecs
import logging
import math
import re
import threading
import time
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any, Callable, Generator
from urllib.parse import urljoin, urlsplit

import httpx

from . import __version__
from .errors import (ContentTypeError, ExtractorError, FetchError, HTTPStatusError, InvalidURLError,
                     RedirectError, RobotsDisallowedError, TooLargeError)

__all__ = ["USER_AGENT", "FetchSettings", "FetchResult", "check_url", "fetch", "AsyncFetcher"]

log = logging.getLogger(__name__)

USER_AGENT = (f"extractor/{__version__} (research tool: reads public news articles to extract "
              "insurance claim-payout figures; python-httpx)")

ACCEPTED_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
ROBOTS_MAX_BYTES = 512_000  # what Google reads of a robots.txt; the rest is ignored, not an error
ROBOTS_TTL = 24 * 3600.0  # a robots.txt is re-read after a day, as crawlers commonly do
MAX_CRAWL_DELAY = 30.0  # a Crawl-delay above this would stall a batch for little politeness gained
ROBOTS_MAX_REDIRECTS = 5
_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1",
    # Only what _Decompressor can undo within the size cap (httpx would also offer br/zstd if installed).
    "Accept-Encoding": "gzip, deflate",
}


# -- public values ---------------------------------------------------------------------------------

@dataclass
class FetchSettings:
    """Limits and manners of the fetcher. Timeouts and delays are seconds; total_timeout covers every
    attempt of one page (redirects, retries, back-off) but not the wait for our own per-host turn."""

    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0
    max_redirects: int = 10
    max_bytes: int = 5_000_000
    retries: int = 3
    backoff: float = 0.5
    max_retry_after: float = 30.0
    user_agent: str = USER_AGENT
    respect_robots: bool = True
    min_delay: float = 1.0

    def __post_init__(self) -> None:
        for name in ("connect_timeout", "read_timeout", "total_timeout"):
            _check_number(name, getattr(self, name), minimum=0.0, strict=True)
        for name in ("backoff", "max_retry_after", "min_delay"):
            _check_number(name, getattr(self, name), minimum=0.0, strict=False)
        for name in ("max_redirects", "retries"):
            _check_int(name, getattr(self, name), minimum=0)
        _check_int("max_bytes", self.max_bytes, minimum=1)
        ua = self.user_agent
        if not isinstance(ua, str) or not ua.strip() or any(ord(c) < 32 or ord(c) > 126 for c in ua):
            raise ValueError(f"user_agent must be a non-empty line of printable ASCII, got {ua!r}")
        if not isinstance(self.respect_robots, bool):
            raise ValueError(f"respect_robots must be True or False, got {self.respect_robots!r}")


def _check_number(name: str, value: Any, *, minimum: float, strict: bool) -> None:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    if not ok or value < minimum or (strict and value == minimum):
        need = "a positive" if strict else "a non-negative"
        raise ValueError(f"{name} must be {need} number of seconds, got {value!r}")


def _check_int(name: str, value: Any, *, minimum: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise ValueError(f"{name} must be a whole number >= {minimum}, got {value!r}")


@dataclass
class FetchResult:
    url: str  # as asked
    final_url: str  # after redirects
    status: int
    content_type: str  # media type only: text/html, application/xhtml+xml or text/plain
    html: str  # the decoded body (plain text for text/plain)
    encoding: str  # Python codec name the body was decoded with
    fetched_at: str  # ISO 8601 UTC, e.g. 2026-11-25T10:00:00Z
    notes: list[str] = field(default_factory=list)  # things worth telling the user, e.g. robots.txt unreachable


def check_url(url: str) -> str:
    """Return `url` (trimmed) if it is an absolute http(s) URL with a host, else raise InvalidURLError."""
    hint = "give a full address such as https://example.com/news/1"
    if not isinstance(url, str):
        raise InvalidURLError(f"not a URL: {url!r}", hint=hint)
    candidate = url.strip()
    if not candidate or any(c.isspace() or ord(c) < 32 for c in candidate):
        raise InvalidURLError(f"malformed URL: {url!r}", hint=hint)
    try:
        parts = urlsplit(candidate)
        parts.port  # noqa: B018  raises ValueError on a port that is not a number in range
        scheme = parts.scheme.lower()
        if scheme and scheme not in ("http", "https"):
            raise InvalidURLError(f"unsupported URL scheme {scheme!r} in {candidate}",
                                  hint="only http and https pages are fetched")
        if not scheme or not parts.hostname:
            raise InvalidURLError(f"not an absolute http(s) URL: {candidate!r}", hint=hint)
        httpx.URL(candidate)  # the client must accept it too (bad IDNA, bad IPv6 ...)
    except (ValueError, httpx.InvalidURL) as exc:
        raise InvalidURLError(f"malformed URL: {candidate!r}", hint=hint) from exc
    return candidate


# -- pure rules: content type, decoding ------------------------------------------------------------

def _parse_content_type(value: str | None) -> tuple[str, str | None]:
    """'text/html; charset="UTF-8"' -> ('text/html', 'UTF-8')."""
    if not value:
        return "", None
    mime, _, rest = value.partition(";")
    charset = None
    for param in rest.split(";"):
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset":
            charset = val.strip().strip("\"'") or None
    return mime.strip().lower(), charset


def _check_content_type(url: str, mime: str) -> None:
    if mime and mime not in ACCEPTED_TYPES:
        raise ContentTypeError(f"{url} is {mime}, not an HTML or text page",
                               hint="only text/html, application/xhtml+xml and text/plain are read")


_MAGIC = {b"%PDF-": "application/pdf", b"\x89PNG": "image/png", b"\xff\xd8\xff": "image/jpeg",
          b"GIF8": "image/gif", b"PK\x03\x04": "application/zip", b"RIFF": "a RIFF file (image or media)"}


def _sniff_type(url: str, body: bytes) -> str:
    """Media type of a body sent without Content-Type: HTML, text, or ContentTypeError for binaries."""
    head = body[:1024]
    for magic, kind in _MAGIC.items():
        if head.startswith(magic):
            raise ContentTypeError(f"{url} is {kind} (no Content-Type sent), not an HTML or text page")
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ContentTypeError(f"{url} is binary data (no Content-Type sent), not an HTML or text page")
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return "text/html" if start.startswith(b"<") else "text/plain"


def _codec(label: str | None) -> str | None:
    """Python codec for a charset label; None if unknown. Like browsers, latin-1/ascii mean windows-1252,
    which is what pages labelled so really use (curly quotes and dashes in 0x80-0x9f)."""
    if not label:
        return None
    try:
        info = codecs.lookup(label.strip())
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True):  # base64, rot13 ... are not charsets
        return None
    return "cp1252" if info.name in ("iso8859-1", "ascii") else info.name


_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_:.+-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_:.+-]+)""", re.I)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _declared_in_markup(body: bytes) -> str | None:
    """The charset a page declares in its first bytes: <meta charset>, <meta http-equiv>, <?xml encoding?>."""
    head = body[:4096]
    found = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    if not found:
        return None
    label = found.group(1).decode("ascii")
    # Bytes we could read as ASCII to find the tag cannot be UTF-16; browsers read such pages as UTF-8.
    return "utf-8" if label.lower().startswith("utf-16") else label


def _decode(body: bytes, mime: str, header_charset: str | None) -> tuple[str, str]:
    """Bytes -> (text, codec). Order: BOM, Content-Type charset, markup declaration, then detection.

    A declared charset that the bytes do not fit is skipped rather than trusted: pages that say UTF-8 but
    are windows-1252 are common, and detection reads them better than replacement characters would.
    """
    for bom, name in _BOMS:
        if body.startswith(bom):
            return body.decode(name, errors="replace"), "utf-8" if name == "utf-8-sig" else name
    declared = [_codec(header_charset)]
    if mime != "text/plain":
        declared.append(_codec(_declared_in_markup(body)))
    for codec in filter(None, declared):
        try:
            return body.decode(codec), codec
        except (UnicodeDecodeError, LookupError):
            continue
    try:
        return body.decode("utf-8"), "utf-8"  # valid UTF-8 (or plain ASCII) is almost never an accident
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(body).best()
    if best is not None and best.encoding:
        # Short pages fit several single-byte charsets; among equals, windows-1252 is the web's default
        # for Latin-script pages (Indonesian included), so name that one.
        codec = "cp1252" if "cp1252" in best.could_be_from_charset else best.encoding
        try:
            return body.decode(codec), codec
        except (UnicodeDecodeError, LookupError):
            return str(best), best.encoding
    fallback = next(filter(None, declared), "cp1252")
    return body.decode(fallback, errors="replace"), fallback


# -- pure rules: retries and politeness ------------------------------------------------------------

_RETRYABLE_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout, httpx.ReadError, httpx.WriteError,
                     httpx.RemoteProtocolError, httpx.PoolTimeout)
# Not ReadTimeout: a server that stayed silent for read_timeout seconds rarely answers the next time,
# and retrying would multiply the wait.


def _retryable_status(status: int) -> bool:
    return status == 429 or (500 <= status <= 599 and status not in (501, 505))


def _retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date); None if absent/bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


def _retry_wait(settings: FetchSettings, attempt: int, retry_after: float | None) -> float:
    """Wait before attempt number `attempt + 1` (0-based `attempt` just failed)."""
    wait = retry_after if retry_after is not None else settings.backoff * 2 ** attempt
    return min(wait, settings.max_retry_after)


class _HostClock:
    """When each host may be asked next. Booking a turn and reading the clock happen under one lock, so
    threads (sync) or tasks (async, where nothing awaits in between) never get the same turn."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()
        self._clock = clock

    def book(self, host: str, delay: float) -> float:
        """Book the next turn at `host`, the one after it `delay` seconds later; return the wait."""
        with self._lock:
            now = self._clock()
            start = max(now, self._next.get(host, now))
            self._next[host] = start + delay
            return start - now


class _Budget:
    """The total_timeout of one page; drivers extend it by the time they spend on our own politeness."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def extend(self, seconds: float) -> None:
        self.deadline += seconds


def _timeouts(settings: FetchSettings, budget: _Budget) -> httpx.Timeout:
    left = budget.remaining()
    return httpx.Timeout(connect=min(settings.connect_timeout, left), read=min(settings.read_timeout, left),
                         write=min(settings.read_timeout, left), pool=min(settings.connect_timeout, left))


def _gave_up(url: str, settings: FetchSettings) -> FetchError:
    return FetchError(f"gave up on {url}: no complete answer within {settings.total_timeout:g} s",
                      hint="the total timeout; raise it with --timeout")


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _transport_error(url: str, exc: Exception, settings: FetchSettings, attempts: int) -> FetchError:
    host = urlsplit(url).hostname or url
    tries = f" (after {attempts} attempts)" if attempts > 1 else ""
    if isinstance(exc, httpx.ConnectTimeout):
        return FetchError(f"timed out connecting to {host} for {url}{tries}",
                          hint=f"no connection within {settings.connect_timeout:g} s")
    if isinstance(exc, httpx.TimeoutException):
        return FetchError(f"timed out waiting for {url}{tries}",
                          hint=f"no data for {settings.read_timeout:g} s; raise it with --timeout")
    if isinstance(exc, httpx.ConnectError):
        reason = _one_line(exc) or exc.__class__.__name__
        return FetchError(f"could not connect to {host} for {url}{tries}: {reason}",
                          hint="check the address and your network")
    return FetchError(f"could not fetch {url}{tries}: {exc.__class__.__name__}: {_one_line(exc)}")


# -- bounded decompression -------------------------------------------------------------------------

class _Inflate:
    """One zlib stage that never produces more than it is allowed to in one call."""

    def __init__(self, kind: str):
        self.kind = kind
        self.wbits = 16 + zlib.MAX_WBITS if kind == "gzip" else zlib.MAX_WBITS
        self.d = zlib.decompressobj(self.wbits)
        self.started = False  # some output (or a valid header) was seen
        self.trailing = False  # a gzip member ended: what follows may be another member or junk
        self.finished = False

    def feed(self, data: bytes, room: int) -> bytes:
        out: list[bytes] = []
        total = 0
        while data and total <= room and not self.finished:
            try:
                chunk = self.d.decompress(data, room - total + 1)  # +1: enough to see the cap is passed
            except zlib.error:
                if self.kind == "deflate" and not self.started:
                    # "deflate" is sometimes sent raw, without the zlib header: read it that way.
                    self.wbits, self.started = -zlib.MAX_WBITS, True
                    self.d = zlib.decompressobj(self.wbits)
                    continue
                if self.trailing:  # junk after a complete gzip stream: ignored, as browsers do
                    self.finished = True
                    break
                raise
            self.started, self.trailing = True, False
            out.append(chunk)
            total += len(chunk)
            if self.d.eof:
                data = self.d.unused_data
                if self.kind == "gzip":  # gzip allows several members back to back
                    self.d = zlib.decompressobj(self.wbits)
                    self.trailing = True
                    continue
                self.finished = True
                break
            data = self.d.unconsumed_tail
        return b"".join(out)


class _Decompressor:
    """Undo Content-Encoding chunk by chunk without ever holding more than the cap.

    httpx's own decoders inflate each network chunk in one go: 64 KB of a gzip bomb become ~64 MB in
    memory before a cap on the decoded stream could react. zlib's max_length keeps every step bounded.
    """

    def __init__(self, url: str, content_encoding: str | None, limit: int):
        self.url = url
        self.limit = limit
        names = [e.strip().lower() for e in (content_encoding or "").split(",") if e.strip()]
        self.stages: list[_Inflate] = []
        for name in reversed(names):  # listed in the order applied, so undone last-first
            if name in ("gzip", "x-gzip"):
                self.stages.append(_Inflate("gzip"))
            elif name == "deflate":
                self.stages.append(_Inflate("deflate"))
            elif name != "identity":
                raise FetchError(f"{url}: unsupported Content-Encoding {name!r}",
                                 hint="the server ignored our Accept-Encoding: gzip, deflate")

    def feed(self, data: bytes, room: int) -> bytes:
        try:
            for stage in self.stages:
                data = stage.feed(data, room)
        except zlib.error as exc:
            raise FetchError(f"{self.url}: corrupt compressed body ({_one_line(exc)})") from exc
        return data


class _Body:
    """Collects a body up to `limit` decoded bytes: past it, TooLargeError (or, if `truncate`, a cut)."""

    def __init__(self, url: str, headers: httpx.Headers, limit: int, truncate: bool):
        self.url, self.limit, self.truncate = url, limit, truncate
        self.decoder = _Decompressor(url, headers.get("content-encoding"), limit)
        self.parts: list[bytes] = []
        self.size = 0
        self.done = False

    def feed(self, raw: bytes) -> None:
        data = self.decoder.feed(raw, self.limit - self.size)
        self.size += len(data)
        if self.size > self.limit:
            if not self.truncate:
                raise TooLargeError(f"{self.url} is larger than {self.limit} bytes (counted after decompression)",
                                    hint="raise the cap with --max-bytes")
            data = data[: len(data) - (self.size - self.limit)]
            self.size, self.done = self.limit, True
        self.parts.append(data)

    def value(self) -> bytes:
        return b"".join(self.parts)


# -- the plans: what to request, in which order, and what the answers mean ---------------------------

@dataclass
class _Open:  # send a GET; the driver sends back a _Head and keeps the response open for a _Read
    url: str
    delay: float | None  # per-host politeness delay; None: not a page request (robots.txt)


@dataclass
class _Read:  # read the open response's body; the driver sends back the bytes
    url: str
    limit: int
    truncate: bool = False


@dataclass
class _Sleep:
    seconds: float


@dataclass
class _Robots:  # the driver sends back the (cached) _RobotsRule of this origin
    origin: str


@dataclass
class _Head:
    status: int
    headers: httpx.Headers
    url: str


@dataclass
class _RobotsRule:
    parser: Any  # protego.Protego, or None: everything allowed
    note: str | None
    expires: float


Plan = Generator[Any, Any, Any]


def _origin(url: str) -> str:
    u = httpx.URL(url)
    return f"{u.scheme}://{u.netloc.decode('ascii')}"


def _same_url(url: str) -> str:
    """A form of `url` for loop detection: normalised by httpx, without the fragment."""
    return str(httpx.URL(url).copy_with(fragment=None))


def _redirect_target(current: str, location: str) -> str:
    target = urljoin(current, location.strip())
    try:
        return check_url(target)
    except InvalidURLError as exc:
        raise RedirectError(f"{current} redirects to {target!r}, which is not an http(s) URL") from exc


def _robots_plan(origin: str, settings: FetchSettings) -> Plan:
    """Fetch and parse robots.txt once: missing (4xx) means allowed; unreachable or 5xx also allowed,
    with a note, so one broken server file does not block every article on the site."""
    from protego import Protego

    url = origin + "/robots.txt"
    expires = time.monotonic() + ROBOTS_TTL
    for _ in range(ROBOTS_MAX_REDIRECTS + 1):
        try:
            head = yield _Open(url, None)
            if head.status in REDIRECT_STATUSES and head.headers.get("location"):
                url = _redirect_target(url, head.headers["location"])
                continue
            if 200 <= head.status < 300:
                body = yield _Read(url, ROBOTS_MAX_BYTES, truncate=True)
                return _RobotsRule(Protego.parse(body.decode("utf-8", errors="replace")), None, expires)
            if 400 <= head.status < 500:
                return _RobotsRule(None, None, expires)
            reason = f"HTTP {head.status}"
        except (httpx.HTTPError, ExtractorError) as exc:
            reason = _one_line(exc) or exc.__class__.__name__
        note = f"robots.txt of {origin} could not be read ({reason}); fetched as if allowed"
        log.info(note)
        # Retry a broken robots.txt sooner than a good one.
        return _RobotsRule(None, note, time.monotonic() + min(ROBOTS_TTL, 600.0))
    note = f"robots.txt of {origin}: too many redirects; fetched as if allowed"
    return _RobotsRule(None, note, expires)


def _exchange(url: str, settings: FetchSettings, delay: float) -> Plan:
    """One GET: the head, and the body too if it is a page we want (2xx, right type, not too big)."""
    head: _Head = yield _Open(url, delay)
    if not 200 <= head.status < 300:
        return head, None
    mime, _ = _parse_content_type(head.headers.get("content-type"))
    _check_content_type(url, mime)
    length = head.headers.get("content-length", "")
    encoded = head.headers.get("content-encoding", "identity").strip().lower() not in ("", "identity")
    if length.isdigit() and not encoded and int(length) > settings.max_bytes:
        raise TooLargeError(f"{url} is {int(length)} bytes, more than the cap of {settings.max_bytes}",
                            hint="raise the cap with --max-bytes")
    body = yield _Read(url, settings.max_bytes)
    return head, body


def _attempts(url: str, settings: FetchSettings, budget: _Budget, delay: float) -> Plan:
    """`_exchange` with retries: exponential back-off on connection errors, 429 and 5xx, Retry-After
    honoured up to max_retry_after, and never past the page's total timeout."""
    for attempt in range(settings.retries + 1):
        attempts = attempt + 1
        try:
            head, body = yield from _exchange(url, settings, delay)
        except _RETRYABLE_ERRORS as exc:
            wait = _retry_wait(settings, attempt, None)
            if attempt == settings.retries or wait >= budget.remaining():
                raise _transport_error(url, exc, settings, attempts) from exc
        except httpx.HTTPError as exc:
            raise _transport_error(url, exc, settings, attempts) from exc
        else:
            if not _retryable_status(head.status):
                return head, body
            asked = _retry_after(head.headers.get("retry-after"))
            wait = _retry_wait(settings, attempt, asked)
            if attempt == settings.retries or wait >= budget.remaining():
                hint = f"the server asked to retry after {asked:g} s" if asked is not None else None
                tries = f" (after {attempts} attempts)" if attempts > 1 else ""
                raise HTTPStatusError(f"HTTP {head.status} from {url}{tries}", status=head.status, hint=hint)
        yield _Sleep(wait)
    raise AssertionError("unreachable")  # the last attempt returns or raises


def _page_plan(url: str, settings: FetchSettings, budget: _Budget) -> Plan:
    asked = check_url(url)
    current = asked
    seen = {_same_url(current)}
    notes: list[str] = []
    for _ in range(settings.max_redirects + 1):
        delay = settings.min_delay
        if settings.respect_robots:
            rule: _RobotsRule = yield _Robots(_origin(current))
            if rule.note and rule.note not in notes:
                notes.append(rule.note)
            if rule.parser is not None:
                if not rule.parser.can_fetch(current, settings.user_agent):
                    raise RobotsDisallowedError(f"robots.txt of {_origin(current)} disallows {current}",
                                                hint="--ignore-robots fetches it anyway, if you have the right to")
                crawl_delay = rule.parser.crawl_delay(settings.user_agent)
                if crawl_delay:
                    delay = max(delay, min(float(crawl_delay), MAX_CRAWL_DELAY))
        head, body = yield from _attempts(current, settings, budget, delay)
        if head.status not in REDIRECT_STATUSES:
            break
        location = head.headers.get("location")
        if not location:
            raise HTTPStatusError(f"HTTP {head.status} without a Location header from {current}", status=head.status)
        target = _redirect_target(current, location)
        if _same_url(target) in seen:
            raise RedirectError(f"redirect loop fetching {asked}: {current} redirects back to {target}")
        seen.add(_same_url(target))
        current = target
    else:
        raise RedirectError(f"more than {settings.max_redirects} redirects fetching {asked}",
                            hint=f"last one pointed to {current}")
    if head.status >= 300 or body is None:
        raise HTTPStatusError(f"HTTP {head.status} from {current}", status=head.status)
    mime, charset = _parse_content_type(head.headers.get("content-type"))
    mime = mime or _sniff_type(current, body)
    text, encoding = _decode(body, mime, charset)
    return FetchResult(url=asked, final_url=current, status=head.status, content_type=mime, html=text,
                       encoding=encoding, fetched_at=datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                       notes=notes)


# -- shared state between fetches --------------------------------------------------------------------

class _State:
    """What must outlive one fetch to be polite: robots.txt per origin and each host's next turn."""

    def __init__(self) -> None:
        self.robots: dict[str, _RobotsRule] = {}
        self.hosts = _HostClock()
        self.lock = threading.Lock()

    def cached_robots(self, origin: str) -> _RobotsRule | None:
        rule = self.robots.get(origin)
        return rule if rule is not None and rule.expires > time.monotonic() else None

    def clear(self) -> None:
        self.robots.clear()
        self.hosts = _HostClock()


def _client_kwargs(settings: FetchSettings) -> dict[str, Any]:
    return dict(follow_redirects=False, headers={"User-Agent": settings.user_agent, **_HEADERS},
                timeout=httpx.Timeout(settings.read_timeout, connect=settings.connect_timeout))


def _request(client: httpx.Client | httpx.AsyncClient, url: str, settings: FetchSettings,
             budget: _Budget) -> httpx.Request:
    if budget.remaining() <= 0:
        raise _gave_up(url, settings)
    return client.build_request("GET", url, timeout=_timeouts(settings, budget))


# -- the sync driver ---------------------------------------------------------------------------------

_SHARED = _State()  # sync fetch() calls in one process share robots.txt answers and host turns


class _SyncRun:
    def __init__(self, client: httpx.Client, settings: FetchSettings, state: _State):
        self.client, self.settings, self.state = client, settings, state

    def run(self, plan: Plan, budget: _Budget) -> Any:
        resp: httpx.Response | None = None
        value: Any = None
        error: BaseException | None = None
        try:
            while True:
                try:
                    step = plan.throw(error) if error is not None else plan.send(value)
                except StopIteration as stop:
                    return stop.value
                value, error = None, None
                if resp is not None and not isinstance(step, _Read):
                    resp.close()
                    resp = None
                try:
                    if isinstance(step, _Sleep):
                        time.sleep(step.seconds)
                    elif isinstance(step, _Robots):
                        started = time.monotonic()
                        value = self.robots(step.origin)
                        budget.extend(time.monotonic() - started)
                    elif isinstance(step, _Open):
                        if step.delay is not None:
                            wait = self.state.hosts.book(urlsplit(step.url).netloc, step.delay)
                            time.sleep(wait)
                            budget.extend(wait)
                        resp = self.client.send(_request(self.client, step.url, self.settings, budget), stream=True)
                        value = _Head(resp.status_code, resp.headers, step.url)
                    elif isinstance(step, _Read):
                        assert resp is not None
                        body = _Body(step.url, resp.headers, step.limit, step.truncate)
                        for raw in resp.iter_raw():
                            body.feed(raw)
                            if body.done:
                                break
                            if budget.remaining() <= 0:
                                raise _gave_up(step.url, self.settings)
                        resp.close()
                        resp, value = None, body.value()
                except (httpx.HTTPError, ExtractorError) as exc:
                    error = exc
        finally:
            if resp is not None:
                resp.close()
            plan.close()

    def robots(self, origin: str) -> _RobotsRule:
        with self.state.lock:  # one robots.txt request per origin, even with several threads
            rule = self.state.cached_robots(origin)
            if rule is None:
                rule = self.run(_robots_plan(origin, self.settings), _Budget(self.settings.total_timeout))
                self.state.robots[origin] = rule
            return rule


def fetch(url: str, settings: FetchSettings | None = None) -> FetchResult:
    """Fetch one page and decode it. Raises InvalidURLError or a FetchError subclass."""
    settings = settings or FetchSettings()
    url = check_url(url)
    budget = _Budget(settings.total_timeout)
    with httpx.Client(**_client_kwargs(settings)) as client:
        return _SyncRun(client, settings, _SHARED).run(_page_plan(url, settings, budget), budget)


# -- the async driver --------------------------------------------------------------------------------

class AsyncFetcher:
    """Fetch many pages concurrently with the rules of `fetch`; owns one httpx.AsyncClient.

        async with AsyncFetcher(FetchSettings(min_delay=2), concurrency=8) as fetcher:
            result = await fetcher.fetch("https://example.com/news/1")

    At most `concurrency` requests at once, and at most one at a time per host, `min_delay` apart.
    """

    def __init__(self, settings: FetchSettings | None = None, concurrency: int = 8):
        if not isinstance(concurrency, int) or isinstance(concurrency, bool) or concurrency < 1:
            raise ValueError(f"concurrency must be a whole number >= 1, got {concurrency!r}")
        self.settings = settings or FetchSettings()
        self.concurrency = concurrency
        self._state = _State()
        self._client: httpx.AsyncClient | None = None
        self._slots: asyncio.Semaphore | None = None
        self._host_locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._robots_locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def __aenter__(self) -> "AsyncFetcher":
        limits = httpx.Limits(max_connections=self.concurrency, max_keepalive_connections=self.concurrency)
        self._client = httpx.AsyncClient(limits=limits, **_client_kwargs(self.settings))
        self._slots = asyncio.Semaphore(self.concurrency)
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def fetch(self, url: str) -> FetchResult:
        """Fetch one page and decode it. Raises InvalidURLError or a FetchError subclass."""
        if self._client is None:
            raise RuntimeError("use AsyncFetcher inside 'async with'")
        url = check_url(url)
        budget = _Budget(self.settings.total_timeout)
        return await self._run(_page_plan(url, self.settings, budget), budget)

    async def _run(self, plan: Plan, budget: _Budget) -> Any:
        assert self._client is not None and self._slots is not None
        resp: httpx.Response | None = None
        # Held from our turn until the response is closed: the host's lock (one request per host at a
        # time) and a slot (at most `concurrency` requests). A page waiting for its turn holds no slot.
        held: list[asyncio.Lock | asyncio.Semaphore] = []
        value: Any = None
        error: BaseException | None = None
        try:
            while True:
                try:
                    step = plan.throw(error) if error is not None else plan.send(value)
                except StopIteration as stop:
                    return stop.value
                value, error = None, None
                if resp is not None and not isinstance(step, _Read):
                    await resp.aclose()
                    resp = None
                if resp is None:
                    while held:
                        held.pop().release()
                try:
                    if isinstance(step, _Sleep):
                        await asyncio.sleep(step.seconds)
                    elif isinstance(step, _Robots):
                        started = time.monotonic()
                        value = await self._robots(step.origin)
                        budget.extend(time.monotonic() - started)
                    elif isinstance(step, _Open):
                        started = time.monotonic()
                        if step.delay is not None:
                            host = urlsplit(step.url).netloc
                            await self._host_locks[host].acquire()
                            held.append(self._host_locks[host])
                            await asyncio.sleep(self._state.hosts.book(host, step.delay))
                        await self._slots.acquire()
                        held.append(self._slots)
                        budget.extend(time.monotonic() - started)
                        request = _request(self._client, step.url, self.settings, budget)
                        resp = await self._client.send(request, stream=True)
                        value = _Head(resp.status_code, resp.headers, step.url)
                    elif isinstance(step, _Read):
                        assert resp is not None
                        body = _Body(step.url, resp.headers, step.limit, step.truncate)
                        async for raw in resp.aiter_raw():
                            body.feed(raw)
                            if body.done:
                                break
                            if budget.remaining() <= 0:
                                raise _gave_up(step.url, self.settings)
                        await resp.aclose()
                        resp, value = None, body.value()
                except (httpx.HTTPError, ExtractorError) as exc:
                    error = exc
        finally:
            if resp is not None:
                await resp.aclose()
            while held:
                held.pop().release()
            plan.close()

    async def _robots(self, origin: str) -> _RobotsRule:
        async with self._robots_locks[origin]:  # concurrent pages of one site wait for one robots.txt
            rule = self._state.cached_robots(origin)
            if rule is None:
                rule = await self._run(_robots_plan(origin, self.settings), _Budget(self.settings.total_timeout))
                self._state.robots[origin] = rule
            return rule
