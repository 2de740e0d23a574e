"""Fetch stage: URL -> FetchResult (the page decoded to text), politely and within limits.

One set of rules, two drivers. The rules (which URLs are allowed, when to retry, how to decode ...) are
pure functions plus `page_plan`/`robots_plan`: generators that *yield* the I/O they need (`OpenRequest`,
`ReadBody`, `Sleep`, `Robots`) and get the results sent back. `fetch` (httpx.Client) and `AsyncFetcher`
(httpx.AsyncClient) only carry those steps out, so the sync and async paths cannot drift apart.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import defaultdict
from typing import Any
from urllib.parse import urlsplit

import httpx

from ..errors import ExtractorError, InvalidURLError
from ..urls import shown
from .content import Body
from .deadline import sync_transport, within
from .plan import (
    Budget, Head, HostClock, OpenRequest, Plan, ReadBody, Robots, RobotsRule, Sleep, gave_up, page_plan, robots_plan,
    timeouts
)
from .settings import DEFAULT_HEADERS, USER_AGENT, FetchResult, FetchSettings, check_url

__all__ = ["USER_AGENT", "FetchSettings", "FetchResult", "check_url", "fetch", "AsyncFetcher"]


class _State:
    """What must outlive one fetch to be polite: robots.txt per origin and each host's next turn."""

    def __init__(self) -> None:
        self.robots: dict[str, RobotsRule] = {}
        self.hosts = HostClock()
        self.lock = threading.Lock()

    def cached_robots(self, origin: str) -> RobotsRule | None:
        rule = self.robots.get(origin)
        return rule if rule is not None and rule.expires > time.monotonic() else None

    def keep(self, origin: str, rule: RobotsRule, budget: Budget) -> None:
        # A robots.txt cut short by one page's deadline says nothing about the site: ask again next time.
        if rule.note is None or budget.remaining() > 0:
            self.robots[origin] = rule

    def clear(self) -> None:
        self.robots.clear()
        self.hosts = HostClock()


def _client_kwargs(settings: FetchSettings) -> dict[str, Any]:
    return dict(follow_redirects=False, headers={"User-Agent": settings.user_agent, **DEFAULT_HEADERS},
                timeout=httpx.Timeout(settings.read_timeout, connect=settings.connect_timeout))


def _request(client: httpx.Client | httpx.AsyncClient, url: str, settings: FetchSettings,
             budget: Budget) -> httpx.Request:
    if budget.remaining() <= 0:
        raise gave_up(url, settings)
    return client.build_request("GET", url, timeout=timeouts(settings, budget))


def _failure(exc: Exception, url: str, settings: FetchSettings, budget: Budget) -> Exception:
    """What a driver throws into the plan for an I/O error: a timeout once the page's deadline has
    passed is that deadline's (the message names the total limit, not a per-read one)."""
    if isinstance(exc, (httpx.TimeoutException, TimeoutError)) and budget.remaining() <= 0.01:
        return gave_up(url, settings)
    if isinstance(exc, UnicodeError):  # a host name the resolver cannot encode (check_url misses none we know)
        return InvalidURLError(f"invalid host name in {shown(url)}: {exc}")
    return exc


def _auth(step: OpenRequest) -> httpx.BasicAuth | None:
    return httpx.BasicAuth(*step.auth) if step.auth else None


_IO_ERRORS = (httpx.HTTPError, ExtractorError, TimeoutError, UnicodeError)


_SHARED = _State()  # sync fetch() calls in one process share robots.txt answers and host turns


class _SyncRun:
    def __init__(self, client: httpx.Client, settings: FetchSettings, state: _State):
        self.client, self.settings, self.state = client, settings, state

    def run(self, plan: Plan, budget: Budget) -> Any:
        with within(budget):  # every socket operation below gets at most the time left (deadline.py)
            return self._run(plan, budget)

    def _run(self, plan: Plan, budget: Budget) -> Any:
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
                if resp is not None and not isinstance(step, ReadBody):
                    resp.close()
                    resp = None
                try:
                    if isinstance(step, Sleep):
                        time.sleep(step.seconds)
                    elif isinstance(step, Robots):
                        value = self.robots(step.origin, budget)
                    elif isinstance(step, OpenRequest):
                        if step.delay is not None:
                            wait = self.state.hosts.book(urlsplit(step.url).netloc, step.delay)
                            time.sleep(wait)
                            budget.extend(wait)
                        request = _request(self.client, step.url, self.settings, budget)
                        resp = self.client.send(request, auth=_auth(step), stream=True)
                        value = Head(resp.status_code, resp.headers, step.url)
                    elif isinstance(step, ReadBody):
                        assert resp is not None
                        body = Body(step.url, resp.headers, step.limit, step.truncate)
                        for raw in resp.iter_raw():
                            body.feed(raw)
                            if body.done:
                                break
                            if budget.remaining() <= 0:
                                raise gave_up(step.url, self.settings)
                        resp.close()
                        resp, value = None, body.value()
                except _IO_ERRORS as exc:
                    error = _failure(exc, getattr(step, "url", ""), self.settings, budget)
        finally:
            if resp is not None:
                resp.close()
            plan.close()

    def robots(self, origin: str, budget: Budget) -> RobotsRule:
        """The origin's rule; reading robots.txt spends the asking page's budget (one deadline per page)."""
        with self.state.lock:  # one robots.txt request per origin, even with several threads
            rule = self.state.cached_robots(origin)
            if rule is None:
                rule = self._run(robots_plan(origin, self.settings), budget)
                self.state.keep(origin, rule, budget)
            return rule


def fetch(url: str, settings: FetchSettings | None = None) -> FetchResult:
    """Fetch one page and decode it. Raises InvalidURLError or a FetchError subclass."""
    settings = settings or FetchSettings()
    url = check_url(url)
    budget = Budget(settings.total_timeout)
    with httpx.Client(transport=sync_transport(), **_client_kwargs(settings)) as client:
        return _SyncRun(client, settings, _SHARED).run(page_plan(url, settings, budget), budget)


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
        budget = Budget(self.settings.total_timeout)
        return await self._run(page_plan(url, self.settings, budget), budget)

    async def _run(self, plan: Plan, budget: Budget) -> Any:
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
                if resp is not None and not isinstance(step, ReadBody):
                    await resp.aclose()
                    resp = None
                if resp is None:
                    while held:
                        held.pop().release()
                try:
                    if isinstance(step, Sleep):
                        await asyncio.sleep(step.seconds)
                    elif isinstance(step, Robots):
                        value = await self._robots(step.origin, budget)
                    elif isinstance(step, OpenRequest):
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
                        async with asyncio.timeout(budget.remaining()):  # headers trickled byte by byte too
                            resp = await self._client.send(request, auth=_auth(step), stream=True)
                        value = Head(resp.status_code, resp.headers, step.url)
                    elif isinstance(step, ReadBody):
                        assert resp is not None
                        body = Body(step.url, resp.headers, step.limit, step.truncate)
                        async with asyncio.timeout(budget.remaining()):
                            async for raw in resp.aiter_raw():
                                body.feed(raw)
                                if body.done:
                                    break
                        await resp.aclose()
                        resp, value = None, body.value()
                except _IO_ERRORS as exc:
                    error = _failure(exc, getattr(step, "url", ""), self.settings, budget)
        finally:
            if resp is not None:
                await resp.aclose()
            while held:
                held.pop().release()
            plan.close()

    async def _robots(self, origin: str, budget: Budget) -> RobotsRule:
        """As _SyncRun.robots: the asking page's budget pays for robots.txt."""
        async with self._robots_locks[origin]:  # concurrent pages of one site wait for one robots.txt
            rule = self._state.cached_robots(origin)
            if rule is None:
                rule = await self._run(robots_plan(origin, self.settings), budget)
                self._state.keep(origin, rule, budget)
            return rule
