"""Typed errors. The library raises these; the CLI turns each into one line on stderr and an exit code."""

from __future__ import annotations


class ExtractorError(Exception):
    """Base error: a short message, an optional hint, and the exit code the CLI uses."""

    exit_code = 1
    code = "error"

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class InputError(ExtractorError):
    """A local input that cannot be read as an article: missing, a directory, binary, empty."""

    exit_code = 3
    code = "input"


class InvalidURLError(ExtractorError):
    """A URL that is malformed or not http(s)."""

    exit_code = 4
    code = "invalid-url"


class FetchError(ExtractorError):
    """The page could not be fetched: network failure, timeout."""

    exit_code = 5
    code = "fetch"


class HTTPStatusError(FetchError):
    """The server answered with an error status (after retries)."""

    exit_code = 6
    code = "http-status"

    def __init__(self, message: str, status: int, hint: str | None = None):
        super().__init__(message, hint)
        self.status = status


class ContentTypeError(FetchError):
    """The response is not HTML or text (a PDF, an image ...)."""

    exit_code = 7
    code = "content-type"


class TooLargeError(FetchError):
    """The body exceeds the size cap (counted after decompression)."""

    exit_code = 8
    code = "too-large"


class RobotsDisallowedError(FetchError):
    """robots.txt forbids fetching the URL for our User-Agent."""

    exit_code = 9
    code = "robots"


class RedirectError(FetchError):
    """Too many redirects or a redirect loop."""

    exit_code = 10
    code = "redirect"


class ParseError(ExtractorError):
    """The page was fetched but holds no article text."""

    exit_code = 11
    code = "parse"


class PatternError(ExtractorError):
    """A rule file under patterns/ is malformed: the message names the file and line."""

    exit_code = 12
    code = "pattern"


class StoreError(ExtractorError):
    """The database cannot be used: missing, not SQLite, not ours, or from a newer extractor."""

    exit_code = 13
    code = "store"
