"""What a fetch is allowed to do (FetchSettings, validated) and what it gives back (FetchResult)."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

import httpx

from .. import __version__
from ..errors import InvalidURLError
from ..urls import public_url, shown

USER_AGENT = (f"extractor/{__version__} (research tool: reads public news articles to extract "
              "insurance claim-payout figures; python-httpx)")


ACCEPTED_TYPES = ("text/html", "application/xhtml+xml", "text/plain")


DEFAULT_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1",
    # Only what _Decompressor can undo within the size cap (httpx would also offer br/zstd if installed).
    "Accept-Encoding": "gzip, deflate",
}


@dataclass
class FetchSettings:
    """Limits and manners of the fetcher. Timeouts and delays are seconds; total_timeout is one wall-clock
    deadline per page covering robots.txt, every attempt (connect, headers, body), redirects and back-off,
    but not the wait for our own per-host turn. A Retry-After over max_retry_after gives up at once."""

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


MAX_URL_LENGTH = 8192  # what common servers accept in a request line (nginx, Apache); longer gets 414 anyway


def check_url(url: str) -> str:
    """Return `url` (trimmed) if it is an absolute http(s) URL with a valid host, else raise InvalidURLError.
    Messages show the URL without credentials and cut short (see urls.shown)."""
    hint = "give a full address such as https://example.com/news/1"
    if not isinstance(url, str):
        raise InvalidURLError(f"not a URL: {url!r}", hint=hint)
    candidate = url.strip()
    if len(candidate) > MAX_URL_LENGTH:
        raise InvalidURLError(f"URL too long ({len(candidate)} characters, limit {MAX_URL_LENGTH}): "
                              f"{shown(candidate, 80)}")
    if not candidate or any(c.isspace() or ord(c) < 32 for c in candidate):
        raise InvalidURLError(f"malformed URL: {shown(url)!r}", hint=hint)
    try:
        parts = urlsplit(candidate)
        parts.port  # noqa: B018  raises ValueError on a port that is not a number in range
        scheme = parts.scheme.lower()
        if scheme and scheme not in ("http", "https"):
            raise InvalidURLError(f"unsupported URL scheme {scheme!r} in {shown(candidate)}",
                                  hint="only http and https pages are fetched")
        if not scheme or not parts.hostname:
            raise InvalidURLError(f"not an absolute http(s) URL: {shown(candidate)!r}", hint=hint)
        _check_host(parts.hostname)
        httpx.URL(candidate).host  # noqa: B018  the client must accept it too (bad IDNA, bad IPv6 ...)
    except InvalidURLError:
        raise
    except (ValueError, httpx.InvalidURL) as exc:  # UnicodeError (bad IDNA) is a ValueError
        raise InvalidURLError(f"malformed URL: {shown(candidate)!r}", hint=hint) from exc
    return candidate


def _check_host(host: str) -> None:
    """DNS rules httpx leaves to the resolver, which would fail with a bare UnicodeError: labels of 1 to 63
    characters, and every punycode ("xn--") label a valid IDNA A-label."""
    if host.startswith("[") or host.replace(".", "").isdigit() or ":" in host:
        return  # an IP address: httpx checks those
    try:
        encoded = host.encode("idna") if not host.isascii() else host.encode("ascii")
    except UnicodeError as exc:
        raise InvalidURLError(f"invalid host name {shown(host, 80)!r}: {exc}") from exc
    labels = encoded.decode("ascii").rstrip(".").split(".")
    if len(encoded) > 253 or any(not 0 < len(label) <= 63 for label in labels):
        raise InvalidURLError(f"invalid host name {shown(host, 80)!r}",
                              hint="each part between dots must have 1 to 63 characters")
    for label in labels:
        if label.startswith("xn--"):
            try:
                label.encode("ascii").decode("idna")
            except UnicodeError as exc:
                raise InvalidURLError(f"invalid host name {shown(host, 80)!r}: {label!r} is not valid punycode") from exc


def split_credentials(url: str) -> tuple[str, tuple[str, str] | None]:
    """("http://user:pw@host/a") -> ("http://host/a", ("user", "pw")); a URL without them -> (url, None)."""
    clean = public_url(url)
    if clean == url:
        return url, None
    parts = urlsplit(url)
    return clean, (unquote(parts.username or ""), unquote(parts.password or ""))


def one_line(text: str) -> str:
    return " ".join(str(text).split())
