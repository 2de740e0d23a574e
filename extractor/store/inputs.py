"""The inputs of a batch: URLs from a list and files found under paths, each once, in order."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable
from urllib.parse import urlsplit, urlunsplit

from ..errors import InputError
from ..urls import public_url

FILE_SUFFIXES = {".html", ".htm", ".xhtml", ".txt"}


@dataclass(frozen=True)
class Item:
    """One input: key is what the database remembers it by (the URL as given but without credentials,
    or the absolute path); fetch_url is the URL to fetch when it differs (it has credentials)."""

    key: str
    kind: str  # url | file
    fetch_url: str | None = None


def read_url_list(source: str) -> list[str]:
    """URLs one per line from a file (or "-" for stdin); blank lines and # comments are skipped."""
    from ..pipeline import read_input

    urls = []
    for line in read_input(source).splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            urls.append(line.split()[0])
    return urls


def collect_items(urls_file: str | None = None, paths: Iterable[str] = ()) -> list[Item]:
    """The inputs of a run, in order, each once: URLs from urls_file, then files and folders (walked
    recursively for .html/.htm/.txt). A missing path or unreadable URL list is an InputError."""
    keys: dict[str, Item] = {}
    if urls_file is not None:
        for url in read_url_list(urls_file):
            key = public_url(url)
            keys.setdefault(key, Item(key, "url", url if key != url else None))
    for raw in paths:
        p = Path(raw)
        if not p.exists():
            raise InputError(f"{raw}: no such file or directory")
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in FILE_SUFFIXES)
        else:
            found = [p]
        for f in found:
            key = str(f.resolve())
            keys.setdefault(key, Item(key, "file"))
    if not keys:
        raise InputError("nothing to do: no URLs and no files", hint="give --urls FILE and/or PATH arguments")
    return list(keys.values())


def normalize_url(url: str) -> str:
    """A comparable form of a URL: lower-case scheme and host, no default port, no fragment, no trailing /."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    port = parts.port
    if port and not ((parts.scheme == "http" and port == 80) or (parts.scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), host, path, parts.query, ""))
