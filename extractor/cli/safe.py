"""Page-derived text made safe for a terminal: the one escaping layer every command printing it uses.

Titles, sites, paths and error messages come from pages (or their URLs) that anyone can write. Printed
raw they can drive the terminal: an ESC sequence recolours it, rewrites the title bar or hides text, a
carriage return overwrites the line. Through rich, "[/]" is markup (an error that stopped `check` and
`stats`) and "[link=...]" a live hyperlink. So control characters other than newline and tab are
removed (C0, DEL and C1, whose CSI starts sequences on some terminals), and text given to rich has its
markup escaped. JSON output needs neither: json.dumps writes control characters as \\u escapes.
"""
from __future__ import annotations

import re
from typing import Any

# C0 but tab and newline, DEL, C1; a carriage return only when alone: before a newline (a Windows line
# end) it moves nothing, and keeping it keeps `extract text` aligned with the spans of `extract file`
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")


def plain(text: str) -> str:
    """The text without terminal control characters (newline, tab and CR LF stay)."""
    return _CONTROL.sub("", text)


def markup(value: Any) -> str:
    """Text for a rich table or console.print: control characters removed, markup escaped."""
    from rich.markup import escape

    return escape(plain(str(value)))


def shown(message: Any) -> str:
    """An error or warning message as one safe line."""
    return " ".join(plain(str(message)).splitlines()).replace("\t", " ")
