"""A disk cache for rule data built from patterns/ and spaCy, keyed by their contents and the code that
reads them, so an edited file is never served stale ($EXTRACTOR_CACHE_DIR, off with EXTRACTOR_NO_CACHE=1)."""
from __future__ import annotations

import contextlib
import marshal
import os
import sys
from pathlib import Path
from typing import Any


def cache_dir() -> Path | None:
    """Where built rule data is kept between runs: $EXTRACTOR_CACHE_DIR, else the user cache directory.

    EXTRACTOR_NO_CACHE=1 turns the cache off (every run parses and builds everything again).
    """
    if os.environ.get("EXTRACTOR_NO_CACHE"):
        return None
    base = os.environ.get("EXTRACTOR_CACHE_DIR")
    if not base:
        root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        base = os.path.join(root, "extractor")
    return Path(base)


def cache_key(*parts: str | bytes | None) -> str | None:
    """A digest of everything a cached value was built from; the Python version is always part of it.

    None when a part is unknown (None): then nothing is cached, rather than risk a stale value.
    """
    import hashlib

    if any(part is None for part in parts):
        return None
    digest = hashlib.sha256(sys.version.encode())
    for part in parts:
        assert part is not None
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()[:32]


def source_of(module_file: str) -> bytes | None:
    """The source of a module, so that a cache built by older code is not used by newer code."""
    try:
        return Path(module_file).read_bytes()
    except OSError:
        return None


def module_stamp(name: str) -> str:
    """Where a library is installed and when it changed, without importing it (it may be slow to import)."""
    from importlib.util import find_spec

    spec = find_spec(name)
    origin = spec.origin if spec is not None and spec.origin else ""
    try:
        return f"{origin}:{os.stat(origin).st_mtime_ns}"
    except OSError:
        return origin


def _cache_file(kind: str, key: str | None) -> Path | None:
    base = cache_dir()
    return None if base is None or key is None else base / f"{kind}-{key}.marshal"


def cache_load(kind: str, key: str | None) -> Any:
    """The value stored under this key, or None when there is none (or it cannot be read)."""
    path = _cache_file(kind, key)
    if path is None:
        return None
    try:
        stored_key, value = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return value if stored_key == key else None


def cache_store(kind: str, key: str | None, value: Any) -> None:
    """Keep a value for the next run. Best effort: a read-only or full disk only costs speed."""
    path = _cache_file(kind, key)
    if path is None:
        return
    try:
        blob = marshal.dumps((key, value))
    except ValueError:  # a type marshal cannot hold (a YAML date, say): build it every time instead
        return
    import tempfile

    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{kind}-", suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            out.write(blob)
        os.replace(tmp, path)  # atomic: a concurrent reader sees the old file or the whole new one
        tmp = None
        for old in path.parent.glob(f"{kind}-*.marshal"):  # built from rule files that have since changed
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
