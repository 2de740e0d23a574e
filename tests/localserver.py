"""A small threaded HTTP server on 127.0.0.1 for tests that must talk to a real socket.

Usage (the `local_server` fixture in conftest.py does this for you):

    with LocalServer() as srv:
        srv.route("/a", Response(200, "<html>hi</html>", {"Content-Type": "text/html"}))
        srv.route("/b", lambda req: Response(500) if req.hit == 1 else Response(200, "ok"))
        httpx.get(srv.url("/a"))
        assert srv.hits("/a") == 1

A route is either a fixed `Response` or a callable `(Request) -> Response`. Paths are matched without
the query string. An unknown path answers 404. Every request is counted and logged (`srv.requests`).
"""
from __future__ import annotations

import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Iterable, Union
from urllib.parse import urlsplit

Body = Union[bytes, str, Iterable[bytes], None]


@dataclass
class Response:
    """What a route answers.

    body: bytes, str (encoded as UTF-8), or an iterable of byte chunks (sent one by one, with
    `chunk_delay` seconds between them, without Content-Length unless given: the connection is closed
    to end the body). `delay` is slept before the status line is sent (to provoke read timeouts).
    `head_trickle`: send the status line and headers one byte at a time, this many seconds apart (a
    server that never trips a per-read timeout).
    """

    status: int = 200
    body: Body = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    chunk_delay: float = 0.0
    head_trickle: float = 0.0


@dataclass
class Request:
    method: str
    path: str  # without the query string
    target: str  # as sent, with the query string
    headers: dict[str, str]
    hit: int  # 1 for the first request to this path, 2 for the second ...
    time: float  # time.monotonic() when the request arrived


Handler = Union[Response, Callable[[Request], Response]]


class LocalServer:
    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.requests: list[Request] = []
        self._hits: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- set-up ---------------------------------------------------------------------------------

    def route(self, path: str, handler: Handler) -> None:
        self.routes[path] = handler

    def start(self) -> "LocalServer":
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # without this, Nagle's algorithm stalls each keep-alive response ~40 ms between head and body
            disable_nagle_algorithm = True

            def log_message(self, format, *args):  # noqa: A002  keep test output clean
                pass

            def do_GET(self):
                server._serve(self)

            def do_HEAD(self):
                server._serve(self, head=True)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True  # a client that hangs up mid-body must not block shutdown
        default_error = self._httpd.handle_error

        def handle_error(request, client_address):
            # clients that time out or drop a kept-alive connection do so on purpose in these tests
            if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
                default_error(request, client_address)

        self._httpd.handle_error = handle_error
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="localserver", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> "LocalServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- inspection -----------------------------------------------------------------------------

    @property
    def port(self) -> int:
        assert self._httpd is not None, "server not started"
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    def hits(self, path: str) -> int:
        with self._lock:
            return self._hits[path]

    def times(self, path: str) -> list[float]:
        """Arrival times (time.monotonic()) of the requests to `path`."""
        with self._lock:
            return [r.time for r in self.requests if r.path == path]

    def reset(self) -> None:
        with self._lock:
            self.routes.clear()
            self.requests.clear()
            self._hits.clear()

    # -- serving --------------------------------------------------------------------------------

    def _serve(self, h: BaseHTTPRequestHandler, head: bool = False) -> None:
        path = urlsplit(h.path).path
        with self._lock:
            self._hits[path] += 1
            req = Request(method=h.command, path=path, target=h.path, headers=dict(h.headers),
                          hit=self._hits[path], time=time.monotonic())
            self.requests.append(req)
        handler = self.routes.get(path)
        if handler is None:
            resp = Response(404, "not found", {"Content-Type": "text/plain"})
        elif isinstance(handler, Response):
            resp = handler
        else:
            resp = handler(req)
        try:
            self._write(h, resp, head)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a cap or a timeout hit): that is what some tests want

    @staticmethod
    def _write(h: BaseHTTPRequestHandler, resp: Response, head: bool) -> None:
        if resp.delay:
            time.sleep(resp.delay)
        body = resp.body
        if isinstance(body, str):
            body = body.encode("utf-8")
        if resp.head_trickle:
            LocalServer._trickle(h, resp, body if isinstance(body, bytes) else b"")
            return
        h.send_response(resp.status)
        names = {k.lower() for k in resp.headers}
        for k, v in resp.headers.items():
            h.send_header(k, v)
        if body is None or isinstance(body, bytes):
            body = body or b""
            if "content-length" not in names:
                h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            if not head:
                h.wfile.write(body)
            return
        # Streamed body: no length known, so close the connection to mark its end.
        if "content-length" not in names:
            h.send_header("Connection", "close")
            h.close_connection = True
        h.end_headers()
        if head:
            return
        for chunk in body:
            h.wfile.write(chunk)
            h.wfile.flush()
            if resp.chunk_delay:
                time.sleep(resp.chunk_delay)

    @staticmethod
    def _trickle(h: BaseHTTPRequestHandler, resp: Response, body: bytes) -> None:
        head = f"HTTP/1.1 {resp.status} OK\r\n" + "".join(f"{k}: {v}\r\n" for k, v in resp.headers.items())
        head += f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        h.close_connection = True
        for byte in head.encode("latin-1"):
            h.wfile.write(bytes([byte]))
            h.wfile.flush()
            time.sleep(resp.head_trickle)
        h.wfile.write(body)
