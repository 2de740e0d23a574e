"""What a response holds: its content type (declared and sniffed), its charset and text, and its body
decompressed within the size cap."""
from __future__ import annotations

import codecs
import re
import zlib

import httpx

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


def decode_body(body: bytes, mime: str, header_charset: str | None) -> tuple[str, str]:
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
