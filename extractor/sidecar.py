"""Metadata for local files: a sidecar NAME.meta.json beside the file, and the checks shared with the
command-line options (--url, --published, --site).

A saved page or a pasted text often lacks its address and date, and the date matters: it dates periods
stated without a year ("Januari sampai Juni"). The sidecar of `a.html` is `a.html.meta.json`, else
`a.meta.json` (one sidecar for the .html and .txt of the same article).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from .errors import InputError

KEYS = ("url", "title", "published", "site")


def sidecar_path(path: str) -> Path | None:
    p = Path(path)
    for candidate in (p.with_name(p.name + ".meta.json"), p.with_name(p.stem + ".meta.json")):
        if candidate.is_file():
            return candidate
    return None


def read_sidecar(path: str) -> dict[str, str]:
    """The sidecar's keys that are set, checked; InputError (exit 3) naming the sidecar when it is bad."""
    found = sidecar_path(path)
    if found is None:
        return {}
    try:
        data = json.loads(found.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"{found}: not a readable JSON file ({exc})") from None
    if not isinstance(data, dict):
        raise InputError(f"{found}: must hold a JSON object with the keys {', '.join(KEYS)}")
    meta: dict[str, str] = {}
    # other keys are left alone: sidecars written by other tools carry their own (id, language ...)
    for key, value in ((k, v) for k, v in data.items() if k in KEYS):
        if value is None:
            continue
        if not isinstance(value, str):
            raise InputError(f"{found}: {key!r} must be a string or null")
        if value.strip():
            meta[key] = value.strip()
    try:
        if "published" in meta:
            meta["published"] = iso_date(meta["published"])
        if "url" in meta:
            meta["url"] = http_url(meta["url"])
    except ValueError as exc:
        raise InputError(f"{found}: {exc}") from None
    return meta


def iso_date(value: str, name: str = "published") -> str:
    """A calendar date written YYYY-MM-DD, as that string; ValueError naming `name` otherwise."""
    try:
        if len(value) == 10:
            return date.fromisoformat(value).isoformat()
    except ValueError:
        pass
    raise ValueError(f"{name}: {value!r} is not a date written YYYY-MM-DD")


def http_url(value: str, name: str = "url") -> str:
    """An http(s) address as given, without credentials; ValueError naming `name` otherwise."""
    from .urls import public_url

    if not value.startswith(("http://", "https://")) or len(value) <= len("https://"):
        raise ValueError(f"{name}: {value!r} is not an http(s) address")
    return public_url(value)
