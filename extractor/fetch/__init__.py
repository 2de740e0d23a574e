"""Fetch stage: a URL -> FetchResult (the page decoded to text), politely and within limits.

In: a URL and FetchSettings (timeouts, size cap, retries, per-host delay, robots.txt). Out: FetchResult with
the final URL, status, content type, charset and text; or one ExtractorError saying what went wrong.
`fetch` serves one page at a time; `AsyncFetcher` serves the batch runner, with the same rules.
"""
from .client import AsyncFetcher, fetch
from .settings import FetchResult, FetchSettings, check_url

__all__ = ["fetch", "AsyncFetcher", "FetchSettings", "FetchResult", "check_url"]
