"""Which charset a page or file is written in: one decision for fetched pages and local files alike.

The order (README, "Charsets"):
1. a byte-order mark (UTF-8, UTF-16, UTF-32): it is part of the bytes, so it cannot be stale;
2. the page's own <meta charset> / <?xml encoding?>, if the body decodes cleanly with it: the author
   wrote it next to the text, while an HTTP header is often a server-wide default (iso-8859-1);
3. the HTTP Content-Type charset, if the body decodes cleanly with it;
4. detection: valid UTF-8, else charset-normalizer's guess with windows-1252 preferred among the
   single-byte Latin charsets it finds plausible (Indonesian is Latin script; a short text fits
   windows-1250 as well, and would read "Niño" as "Nińo").

"Decodes cleanly" means no invalid bytes, and for a single-byte label (which accepts almost any bytes)
also that the body is not valid UTF-8 with multi-byte characters: such bytes are UTF-8, whatever the
label says, since real single-byte text is practically never valid UTF-8 by accident.
Plain string and codec work; charset-normalizer is imported only when detection is needed.
"""
from __future__ import annotations

import codecs
import re

# Longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))

_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_:.+-]+)""", re.I)

_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_:.+-]+)""", re.I)

_UNICODE = {"utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"}

# What charset-normalizer may call a Latin-script single-byte text that windows-1252 reads as well.
_LATIN_SINGLE_BYTE = {"cp1252", "cp1250", "cp1254", "cp1257", "latin_1", "iso8859_2", "iso8859_3", "iso8859_4",
                      "iso8859_9", "iso8859_10", "iso8859_13", "iso8859_14", "iso8859_15", "iso8859_16", "mac_roman",
                      "mac_latin2", "mac_iceland", "cp850", "cp852", "cp775", "hp_roman8"}


def bom_codec(data: bytes) -> str | None:
    return next((name for bom, name in BOMS if data.startswith(bom)), None)


def codec_for(label: str | None) -> str | None:
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


def declared_in_markup(data: bytes) -> str | None:
    """The charset a page declares in its first bytes: <meta charset>, <meta http-equiv>, <?xml encoding?>."""
    head = data[:4096]
    found = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    if not found:
        return None
    label = found.group(1).decode("ascii")
    # Bytes we could read as ASCII to find the tag cannot be UTF-16; browsers read such pages as UTF-8.
    return "utf-8" if label.lower().startswith("utf-16") else label


def _is_multibyte_utf8(data: bytes) -> bool:
    if data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _fits(data: bytes, codec: str) -> bool:
    try:
        data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return False
    return codecs.lookup(codec).name in _UNICODE or not _is_multibyte_utf8(data)


def _detected(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        return None
    best = matches[0]
    plausible = {best.encoding, *best.could_be_from_charset} | {m.encoding for m in matches}
    if best.encoding in _LATIN_SINGLE_BYTE and "cp1252" in plausible and _fits(data, "cp1252"):
        return "cp1252"
    return best.encoding


def choose(data: bytes, *, header: str | None = None, markup: bool = True) -> str | None:
    """The codec to decode `data` with (see the module docstring), or None when nothing fits at all.
    `header`: the HTTP charset label, if any; `markup`: look for a declaration in the bytes (HTML)."""
    bom = bom_codec(data)
    if bom:
        return bom
    declared = [codec_for(declared_in_markup(data)) if markup else None, codec_for(header)]
    for codec in filter(None, declared):
        if _fits(data, codec):
            return codec
    if _fits(data, "utf-8"):  # valid UTF-8 (or plain ASCII) is almost never an accident
        return "utf-8"
    return _detected(data)


def decode(data: bytes, *, header: str | None = None, markup: bool = True) -> tuple[str, str] | None:
    """(text, codec) by `choose`; None when no charset fits. The codec is named without "-sig"."""
    codec = choose(data, header=header, markup=markup)
    if codec is None:
        return None
    try:
        text = data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None
    return text, "utf-8" if codec == "utf-8-sig" else codec
