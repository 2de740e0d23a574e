"""What a response holds: its content type (declared and sniffed), its charset and text, and its body
decompressed within the size cap."""
from __future__ import annotations

import zlib

import httpx

from .. import charset
from ..errors import ContentTypeError, FetchError, TooLargeError
from .settings import ACCEPTED_TYPES, one_line


def parse_content_type(value: str | None) -> tuple[str, str | None]:
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


def check_content_type(url: str, mime: str) -> None:
    if mime and mime not in ACCEPTED_TYPES:
        raise ContentTypeError(f"{url} is {mime}, not an HTML or text page",
                               hint="only text/html, application/xhtml+xml and text/plain are read")


_MAGIC = {b"%PDF-": "application/pdf", b"\x89PNG": "image/png", b"\xff\xd8\xff": "image/jpeg",
          b"GIF8": "image/gif", b"PK\x03\x04": "application/zip", b"RIFF": "a RIFF file (image or media)",
          b"\x1f\x8b": "gzip data", b"\xd0\xcf\x11\xe0": "an MS Office file", b"OggS": "audio/ogg",
          b"ID3": "audio/mpeg", b"7z\xbc\xaf": "a 7-Zip archive"}


def sniff_type(url: str, body: bytes, declared: str = "") -> str:
    """The media type to read a body as: the declared one, else HTML or text by its first bytes. A body
    that starts like a known binary format is refused whatever was declared: CMSs that serve PDFs and
    images as text/html are common, and parsing one would fail later with a misleading "no article"."""
    head = body[:1024]
    sent = f"sent as {declared}" if declared else "no Content-Type sent"
    for magic, kind in _MAGIC.items():
        if head.startswith(magic):
            raise ContentTypeError(f"{url} is {kind} ({sent}), not an HTML or text page")
    if declared:
        return declared
    if b"\x00" in head and charset.bom_codec(head) is None:  # UTF-16/32 text is half NULs
        raise ContentTypeError(f"{url} is binary data (no Content-Type sent), not an HTML or text page")
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return "text/html" if start.startswith(b"<") else "text/plain"


def decode_body(body: bytes, mime: str, header_charset: str | None) -> tuple[str, str]:
    """Bytes -> (text, codec), by the charset rule shared with local files (extractor/charset.py): BOM,
    then the page's own declaration, then the header, each only if the bytes fit it, then detection.
    A plain-text body is not searched for an HTML declaration."""
    decoded = charset.decode(body, header=header_charset, markup=mime != "text/plain")
    if decoded is not None:
        return decoded
    fallback = charset.codec_for(header_charset) or "cp1252"  # nothing fits: keep what we can read
    return body.decode(fallback, errors="replace"), fallback


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
            raise FetchError(f"{self.url}: corrupt compressed body ({one_line(exc)})") from exc
        return data


class Body:
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
