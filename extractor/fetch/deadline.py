"""One wall-clock deadline per page, enforced under httpx for the sync driver.

httpx's timeouts bound each socket operation, not their sum: a server that sends its headers one byte a
second never trips a 5 s read timeout, and the page takes minutes. The async driver bounds each step
with asyncio.timeout; a blocking socket read cannot be cancelled that way, so the sync driver's client
gets a network backend that gives every connect, read and write at most the time left to the page
(`budget`, set by the driver for the duration of a fetch), and fails it once that time is gone.
"""
from __future__ import annotations

import contextlib
from contextvars import ContextVar
from typing import Any, Iterator, Protocol

import httpcore
import httpx


class _Budget(Protocol):
    def remaining(self) -> float: ...


# Per thread (and per task): the budget of the page this thread is fetching, None outside a fetch.
_current: ContextVar[_Budget | None] = ContextVar("extractor_fetch_budget", default=None)


@contextlib.contextmanager
def within(budget: _Budget) -> Iterator[None]:
    token = _current.set(budget)
    try:
        yield
    finally:
        _current.reset(token)


def _bounded(timeout: float | None, error: type[Exception]) -> float | None:
    budget = _current.get()
    if budget is None:
        return timeout
    left = budget.remaining()
    if left <= 0:
        raise error("the page's total timeout has passed")
    return left if timeout is None else min(timeout, left)


class _Stream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream):
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        return _Stream(self._inner.start_tls(ssl_context, server_hostname,
                                             _bounded(timeout, httpcore.ConnectTimeout)))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _Backend(httpcore.NetworkBackend):
    def __init__(self, inner: httpcore.NetworkBackend):
        self._inner = inner

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Any = None) -> httpcore.NetworkStream:
        timeout = _bounded(timeout, httpcore.ConnectTimeout)
        return _Stream(self._inner.connect_tcp(host, port, timeout, local_address, socket_options))

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Any = None) -> httpcore.NetworkStream:
        timeout = _bounded(timeout, httpcore.ConnectTimeout)
        return _Stream(self._inner.connect_unix_socket(path, timeout, socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def sync_transport() -> httpx.HTTPTransport:
    """httpx's own transport, its connection pool given the deadline-keeping backend. httpx has no public
    way to pass a backend; if a future version moves the attribute, the drivers' coarser checks (before
    each request and between body chunks) still apply."""
    transport = httpx.HTTPTransport()
    pool = getattr(transport, "_pool", None)
    if isinstance(getattr(pool, "_network_backend", None), httpcore.NetworkBackend):
        pool._network_backend = _Backend(pool._network_backend)  # type: ignore[union-attr]
    return transport
