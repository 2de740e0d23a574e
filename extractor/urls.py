"""URL text shared by every stage that records or shows a URL: without credentials, and short in messages.

Plain string work (no httpx), so the CLI and the store can use it without loading the fetch stage.
"""
from __future__ import annotations

import re

# scheme://user:password@host/... : the userinfo is everything up to the last "@" before the path.
_USERINFO = re.compile(r"^(\s*[A-Za-z][A-Za-z0-9+.-]*:)?//[^/?#]*@")


def public_url(url: str) -> str:
    """`url` without its userinfo ("http://user:pw@host/a" -> "http://host/a"). Every URL we store, print
    or put in an error message goes through here, so a password typed into a URL is never written down.
    Works on malformed text too (it is used in the messages that reject it)."""
    if not isinstance(url, str) or "@" not in url:
        return url
    return _USERINFO.sub(lambda m: (m.group(1) or "") + "//", url, count=1)


def shown(url: str, limit: int = 200) -> str:
    """`url` as it goes into a one-line message: credentials removed, and cut to `limit` characters."""
    url = public_url(url)
    return url if len(url) <= limit else f"{url[:limit]}... ({len(url) - limit} more characters)"
