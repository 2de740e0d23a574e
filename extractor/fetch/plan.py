"""The fetch rules as plans: generators that yield the I/O they need (open, read, sleep, robots.txt) and get
the results back, so one set of rules serves the sync and async drivers. Retries, redirects, robots.txt."""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any, Callable, Generator
from urllib.parse import urljoin, urlsplit

import httpx

from ..errors import (
    ExtractorError, FetchError, HTTPStatusError, InvalidURLError, RedirectError, RobotsDisallowedError, TooLargeError
)
from ..urls import shown
from .content import check_content_type, decode_body, parse_content_type, sniff_type
from .settings import FetchResult, FetchSettings, check_url, one_line, split_credentials

log = logging.getLogger(__name__)


REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


ROBOTS_MAX_BYTES = 512_000  # what Google reads of a robots.txt; the rest is ignored, not an error


ROBOTS_TTL = 24 * 3600.0  # a robots.txt is re-read after a day, as crawlers commonly do


MAX_CRAWL_DELAY = 30.0  # a Crawl-delay above this would stall a batch for little politeness gained


ROBOTS_MAX_REDIRECTS = 5


ROBOTS_HINT = "--ignore-robots fetches it anyway, if you have the right to"


_RETRYABLE_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout, httpx.ReadError, httpx.WriteError,
                     httpx.RemoteProtocolError, httpx.PoolTimeout)


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


def _seconds(value: float) -> str:
    return f"{value:.3g} s" if value < 10 else f"{round(value)} s"


def _retry_wait(settings: FetchSettings, attempt: int, retry_after: float | None) -> float:
    """Wait before attempt number `attempt + 1` (0-based `attempt` just failed)."""
    wait = retry_after if retry_after is not None else settings.backoff * 2 ** attempt
    return min(wait, settings.max_retry_after)


class HostClock:
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


class Budget:
    """The total_timeout of one page: one monotonic deadline that every step of the page (robots.txt
    included) spends from; drivers extend it only by the time they wait for our own per-host turn."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def extend(self, seconds: float) -> None:
        self.deadline += seconds


def timeouts(settings: FetchSettings, budget: Budget) -> httpx.Timeout:
    left = budget.remaining()
    return httpx.Timeout(connect=min(settings.connect_timeout, left), read=min(settings.read_timeout, left),
                         write=min(settings.read_timeout, left), pool=min(settings.connect_timeout, left))


def gave_up(url: str, settings: FetchSettings) -> FetchError:
    return FetchError(f"gave up on {url}: no complete answer within {settings.total_timeout:g} s",
                      hint="the total timeout; raise it with --timeout")


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
        reason = one_line(exc) or exc.__class__.__name__
        return FetchError(f"could not connect to {host} for {url}{tries}: {reason}",
                          hint="check the address and your network")
    return FetchError(f"could not fetch {url}{tries}: {exc.__class__.__name__}: {one_line(exc)}")


@dataclass
class OpenRequest:  # send a GET; the driver sends back a Head and keeps the response open for a ReadBody
    url: str  # never with credentials: those travel in `auth`
    delay: float | None  # per-host politeness delay; None: not a page request (robots.txt)
    auth: tuple[str, str] | None = None  # HTTP Basic credentials the user gave in the URL


@dataclass
class ReadBody:  # read the open response's body; the driver sends back the bytes
    url: str
    limit: int
    truncate: bool = False


@dataclass
class Sleep:
    seconds: float


@dataclass
class Robots:  # the driver sends back the (cached) RobotsRule of this origin
    origin: str


@dataclass
class Head:
    status: int
    headers: httpx.Headers
    url: str


@dataclass
class RobotsRule:
    parser: Any  # protego.Protego, or None: everything allowed (unless refusal)
    note: str | None
    expires: float
    refusal: str | None = None  # set when nothing may be fetched from the origin: why


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
        raise RedirectError(f"{current} redirects to {shown(target)!r}, which is not an http(s) URL") from exc


def robots_plan(origin: str, settings: FetchSettings) -> Plan:
    """Fetch and parse robots.txt once, as RFC 9309 says: missing (4xx) means everything is allowed, a
    server error (5xx) means nothing is. Unreachable (network error, timeout) is allowed with a note,
    since the page itself is then very likely to fail too, with a clearer message."""
    from protego import Protego

    url = origin + "/robots.txt"
    expires = time.monotonic() + ROBOTS_TTL
    for _ in range(ROBOTS_MAX_REDIRECTS + 1):
        try:
            head = yield OpenRequest(url, None)
            if head.status in REDIRECT_STATUSES and head.headers.get("location"):
                url = _redirect_target(url, head.headers["location"])
                continue
            if 200 <= head.status < 300:
                body = yield ReadBody(url, ROBOTS_MAX_BYTES, truncate=True)
                return RobotsRule(Protego.parse(body.decode("utf-8", errors="replace")), None, expires)
            if 400 <= head.status < 500:
                return RobotsRule(None, None, expires)
            # Asked again sooner than a good answer: the server may recover.
            refusal = (f"robots.txt of {origin} answered HTTP {head.status}, which means nothing may be "
                       "fetched (RFC 9309)")
            return RobotsRule(None, None, time.monotonic() + min(ROBOTS_TTL, 600.0), refusal)
        except (httpx.HTTPError, ExtractorError) as exc:
            reason = one_line(exc) or exc.__class__.__name__
        note = f"robots.txt of {origin} could not be read ({reason}); fetched as if allowed"
        log.info(note)
        return RobotsRule(None, note, time.monotonic() + min(ROBOTS_TTL, 600.0))
    note = f"robots.txt of {origin}: too many redirects; fetched as if allowed"
    return RobotsRule(None, note, expires)


def _exchange(url: str, settings: FetchSettings, delay: float, auth: tuple[str, str] | None) -> Plan:
    """One GET: the head, and the body too if it is a page we want (2xx, right type, not too big)."""
    head: Head = yield OpenRequest(url, delay, auth)
    if not 200 <= head.status < 300:
        return head, None
    mime, _ = parse_content_type(head.headers.get("content-type"))
    check_content_type(url, mime)
    length = head.headers.get("content-length", "")
    encoded = head.headers.get("content-encoding", "identity").strip().lower() not in ("", "identity")
    if length.isdigit() and not encoded and int(length) > settings.max_bytes:
        raise TooLargeError(f"{url} is {int(length)} bytes, more than the cap of {settings.max_bytes}",
                            hint="raise the cap with --max-bytes")
    body = yield ReadBody(url, settings.max_bytes)
    return head, body


def _attempts(url: str, settings: FetchSettings, budget: Budget, delay: float,
              auth: tuple[str, str] | None) -> Plan:
    """`_exchange` with retries: exponential back-off on connection errors, 429 and 5xx, Retry-After
    honoured when it is at most max_retry_after (a longer one gives up at once), and never past the
    page's total timeout."""
    for attempt in range(settings.retries + 1):
        attempts = attempt + 1
        try:
            head, body = yield from _exchange(url, settings, delay, auth)
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
            tries = f" (after {attempts} attempts)" if attempts > 1 else ""
            if asked is not None and asked > settings.max_retry_after:
                # Retrying sooner than asked is impolite and usually futile; waiting an hour is not a
                # fetch any more. So give up now and say when the server wants to be asked again.
                raise HTTPStatusError(f"HTTP {head.status} from {url}{tries}: the server asks to wait "
                                      f"{_seconds(asked)} before trying again", status=head.status,
                                      hint=f"more than the {settings.max_retry_after:g} s we wait; try later")
            wait = _retry_wait(settings, attempt, asked)
            if attempt == settings.retries or wait >= budget.remaining():
                hint = f"the server asked to retry after {_seconds(asked)}" if asked is not None else None
                raise HTTPStatusError(f"HTTP {head.status} from {url}{tries}", status=head.status, hint=hint)
        yield Sleep(wait)
    raise AssertionError("unreachable")  # the last attempt returns or raises


def page_plan(url: str, settings: FetchSettings, budget: Budget) -> Plan:
    # Credentials in the URL are sent (HTTP Basic) to that origin only, and kept out of every URL we
    # record or show: `asked`, `current` and all messages are the URL without them.
    asked, auth = split_credentials(check_url(url))
    auth_origin = _origin(asked)
    current = asked
    seen = {_same_url(current)}
    notes: list[str] = []
    for _ in range(settings.max_redirects + 1):
        delay = settings.min_delay
        if settings.respect_robots:
            rule: RobotsRule = yield Robots(_origin(current))
            if rule.note and rule.note not in notes:
                notes.append(rule.note)
            if rule.refusal:
                raise RobotsDisallowedError(rule.refusal, hint=ROBOTS_HINT)
            if rule.parser is not None:
                if not rule.parser.can_fetch(current, settings.user_agent):
                    raise RobotsDisallowedError(f"robots.txt of {_origin(current)} disallows {current}",
                                                hint=ROBOTS_HINT)
                crawl_delay = rule.parser.crawl_delay(settings.user_agent)
                if crawl_delay:
                    delay = max(delay, min(float(crawl_delay), MAX_CRAWL_DELAY))
        head, body = yield from _attempts(current, settings, budget, delay,
                                          auth if _origin(current) == auth_origin else None)
        if head.status not in REDIRECT_STATUSES:
            break
        location = head.headers.get("location")
        if not location:
            raise HTTPStatusError(f"HTTP {head.status} without a Location header from {current}", status=head.status)
        target, _ = split_credentials(_redirect_target(current, location))  # a Location's own are dropped
        if _same_url(target) in seen:
            raise RedirectError(f"redirect loop fetching {asked}: {current} redirects back to {target}")
        seen.add(_same_url(target))
        current = target
    else:
        raise RedirectError(f"more than {settings.max_redirects} redirects fetching {asked}",
                            hint=f"last one pointed to {current}")
    if head.status >= 300 or body is None:
        raise HTTPStatusError(f"HTTP {head.status} from {current}", status=head.status)
    mime, charset = parse_content_type(head.headers.get("content-type"))
    mime = sniff_type(current, body, mime)
    text, encoding = decode_body(body, mime, charset)
    return FetchResult(url=asked, final_url=current, status=head.status, content_type=mime, html=text,
                       encoding=encoding, fetched_at=datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                       notes=notes)
