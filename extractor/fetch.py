"""Fetch stage: URL -> FetchResult (decoded HTML or text). Minimal first version; see issue 6."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urlsplit

import httpx

from . import __version__
from .errors import ContentTypeError, FetchError, HTTPStatusError, InvalidURLError, RedirectError

USER_AGENT = f"extractor/{__version__} (claim-figure research tool; python-httpx)"


@dataclass
class FetchSettings:
    timeout: float = 20.0
    max_redirects: int = 10
    user_agent: str = USER_AGENT


@dataclass
class FetchResult:
    url: str
    final_url: str
    status: int
    content_type: str
    html: str
    fetched_at: str


def check_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidURLError(f"not an http(s) URL: {url!r}", hint="give a full URL such as https://example.com/news/1")
    return url


def fetch(url: str, settings: FetchSettings | None = None) -> FetchResult:
    settings = settings or FetchSettings()
    check_url(url)
    try:
        with httpx.Client(follow_redirects=True, max_redirects=settings.max_redirects,
                          timeout=settings.timeout, headers={"User-Agent": settings.user_agent}) as client:
            resp = client.get(url)
    except httpx.TooManyRedirects as exc:
        raise RedirectError(f"too many redirects fetching {url}") from exc
    except httpx.HTTPError as exc:
        raise FetchError(f"could not fetch {url}: {exc.__class__.__name__}: {exc}") from exc
    if resp.status_code >= 400:
        raise HTTPStatusError(f"HTTP {resp.status_code} from {resp.url}", status=resp.status_code)
    ctype = resp.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype and not (ctype.startswith("text/") or ctype in ("application/xhtml+xml",)):
        raise ContentTypeError(f"{url} is {ctype}, not an HTML or text page")
    return FetchResult(url=url, final_url=str(resp.url), status=resp.status_code, content_type=ctype,
                       html=resp.text, fetched_at=datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
