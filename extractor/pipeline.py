"""The whole pipeline, stage by stage: (fetch) -> (parse) -> extract -> validate -> Document."""

from __future__ import annotations

import sys
from collections.abc import Generator
from pathlib import Path

from .bounds import add_bounds
from .errors import InputError, TooLargeError
from .models import Document, Page, Source
from .urls import public_url

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}


# The size cap on local inputs: the fetch stage's cap on pages (FetchSettings.max_bytes, --max-bytes),
# so a file and the same page fetched are judged alike. Written out, not imported, because importing
# the fetch stage loads httpx (0.15 s on every `extract file`); tests/test_hostile_input.py keeps the two
# equal. Parsing and extraction take time and memory in proportion to the text (a 50 MB page: 2 GB).
MAX_INPUT_BYTES = 5_000_000


def extract_text(text: str, *, source: Source | None = None, page: Page | None = None,
                 explain: bool = False) -> Document:
    """Extract claims and checks from article text (the title, if known, may be its first line)."""
    from . import extract, validate

    page = page or Page(text=text)
    result = extract.extract(text, published=page.published, explain=explain)
    doc = Document(source=source or Source(), text=text, title=page.title or result.title,
                   published=page.published, site=page.site, institution=result.institution,
                   claims=result.claims, figures=result.figures, warnings=result.warnings,
                   explain=result.explain if explain else None, canonical_url=page.canonical_url,
                   author=page.author)
    doc.checks = validate.validate(result)
    add_bounds(doc.claims, result.raws)
    return doc


def extract_html(html: str, *, url: str | None = None, source: Source | None = None,
                 explain: bool = False) -> Document:
    from .parse import parse_html

    page = parse_html(html, url=url)
    return extract_text(page.text, source=source or Source(url=url), page=page, explain=explain)


def extract_url(url: str, settings=None, *, explain: bool = False) -> Document:
    page, source, warnings = page_from_url(url, settings)
    doc = extract_text(page.text, source=source, page=page, explain=explain)
    doc.warnings.extend(warnings)
    return doc


MAX_PAGES = 10  # pages of one multi-page article, the first included


def page_from_url(url: str, settings=None) -> tuple[Page, Source, list[str]]:
    """Fetch an article and the rest of a multi-page one, joined into one Page."""
    from .errors import ExtractorError
    from .fetch import fetch

    got = fetch(url, settings)
    # got.url is the URL as asked without credentials (urls.public_url): the one we record.
    source = Source(url=got.url, fetched_at=got.fetched_at, final_url=got.final_url)
    pages = article_pages(got.url, got)
    try:
        nxt = next(pages)
        while True:
            try:
                result = fetch(nxt, settings)
            except ExtractorError as exc:
                result = exc
            nxt = pages.send(result)
    except StopIteration as done:
        page, warnings = done.value
    return page, source, list(got.notes) + warnings


def article_pages(url: str, got) -> Generator[str, object, tuple[Page, list[str]]]:
    """The pages of one article, as a generator that does no I/O itself, so the sync `extract url` and the
    async batch share it: it yields each continuation URL to fetch, is sent the FetchResult (or the
    ExtractorError), and returns the joined Page and its warnings.

    Continuation pages come from Page.next_pages: same host only, no page twice, at most MAX_PAGES in
    all. A continuation page that fails is skipped with a warning; the first page's errors propagate.
    """
    from dataclasses import replace
    from urllib.parse import urlsplit, urlunsplit

    from .errors import ExtractorError
    from .parse import parse_html

    def key(u: str) -> str:
        parts = urlsplit(u)
        return urlunsplit(parts._replace(fragment="", path=parts.path.rstrip("/") or "/")).lower()

    def host(u: str) -> str:
        name = urlsplit(u).hostname or ""
        return name[4:] if name.startswith("www.") else name

    if got.content_type == "text/plain":
        return Page(text=got.html), []
    first = parse_html(got.html, url=got.final_url)
    seen = {key(url), key(got.final_url)}
    bodies = [_body(first)]
    queue = list(first.next_pages)
    warnings: list[str] = []
    while queue and len(bodies) < MAX_PAGES:
        nxt = queue.pop(0)
        if key(nxt) in seen or host(nxt) != host(got.final_url):
            continue
        seen.add(key(nxt))
        more = yield nxt
        try:
            if isinstance(more, ExtractorError):
                raise more
            if key(more.final_url) in seen - {key(nxt)}:
                continue  # redirected back to a page we have
            seen.add(key(more.final_url))
            page = parse_html(more.html, url=more.final_url)
        except ExtractorError as exc:
            warnings.append(f"page {len(bodies) + 1} of the article skipped ({public_url(nxt)}): {exc}")
            continue
        body = _body(page)
        if body not in bodies:  # a site that ignores the page number serves page 1 again
            bodies.append(body)
        queue.extend(page.next_pages)
    text = "\n\n".join(([first.title] if first.title else []) + [b for b in bodies if b])
    return replace(first, text=text, next_pages=[]), warnings


def _body(page: Page) -> str:
    """Page text without its title line."""
    head = f"{page.title}\n\n" if page.title else None
    return page.text[len(head):] if head and page.text.startswith(head) else page.text


def article_text(target: str, settings=None, max_bytes: int | None = None) -> tuple[str, list[str]]:
    """The clean text the extractors see, and warnings: a URL is fetched and parsed (all its pages),
    a local .html file parsed, any other file returned as it is."""
    if target.startswith(("http://", "https://")):
        page, _, warnings = page_from_url(target, settings)
        return page.text, warnings
    from .parse import parse_html

    content = read_input(target, max_bytes)
    return (parse_html(content).text if looks_like_html(target, content) else content), []


def read_input(path: str, max_bytes: int | None = None) -> str:
    """Read a local file (or stdin for "-") as text, with one clear error for each way it can fail;
    more than max_bytes (default MAX_INPUT_BYTES) is refused before it is read (TooLargeError)."""
    cap = MAX_INPUT_BYTES if max_bytes is None else max_bytes
    if path == "-":
        data = sys.stdin.buffer.read(cap + 1)
        name = "<stdin>"
        if len(data) > cap:
            raise _too_large(name, None, cap)
    else:
        p = Path(path)
        if not p.exists():
            raise InputError(f"{path}: no such file")
        if p.is_dir():
            raise InputError(f"{path}: is a directory, not a file")
        try:
            size = p.stat().st_size
            if size > cap:
                raise _too_large(path, size, cap)
            with p.open("rb") as f:
                data = f.read(cap + 1)  # (a file still growing, or a device, reports no true size)
            if len(data) > cap:
                raise _too_large(path, None, cap)
        except OSError as exc:
            raise InputError(f"{path}: cannot read: {exc.strerror}") from exc
        name = path
    if not data.strip():
        raise InputError(f"{name}: empty file")
    from .charset import bom_codec, decode

    # NUL bytes mean binary, unless a byte-order mark says UTF-16/32 (whose ASCII is half NULs).
    if bom_codec(data) is None and b"\x00" in data[:8192]:
        raise InputError(f"{name}: binary file, not text or HTML")
    decoded = decode(data, markup=path == "-" or Path(path).suffix.lower() in HTML_SUFFIXES)
    if decoded is None:
        raise InputError(f"{name}: cannot decode the file as text")
    if not decoded[0].strip():
        raise InputError(f"{name}: empty file")  # a byte-order mark and blanks
    return decoded[0]


def _too_large(name: str, size: int | None, cap: int) -> TooLargeError:
    size_text = f"{size:,} bytes, " if size is not None else ""
    return TooLargeError(f"{name}: {size_text}over the size cap of {cap:,} bytes", hint="raise it with --max-bytes")


def looks_like_html(path: str, content: str) -> bool:
    if Path(path).suffix.lower() in HTML_SUFFIXES:
        return True
    head = content.lstrip()[:200].lower()
    return path == "-" and (head.startswith("<!doctype html") or head.startswith("<html"))


def extract_path(path: str, *, explain: bool = False, max_bytes: int | None = None,
                 meta: dict[str, str] | None = None) -> Document:
    """A local file: .html/.htm as HTML, anything else as plain text; "-" reads stdin. Files over
    max_bytes (default MAX_INPUT_BYTES) are refused (TooLargeError).

    What a local file cannot say about itself (url, title, published, site) comes from `meta` (the command
    line) and from a sidecar NAME.meta.json beside it (sidecar.py); `meta` wins, and both win over the
    page's own metadata, since a person stated them on purpose."""
    from dataclasses import replace

    from .sidecar import read_sidecar

    content = read_input(path, max_bytes)
    given = {**(read_sidecar(path) if path != "-" else {}), **{k: v for k, v in (meta or {}).items() if v}}
    source = Source(url=given.get("url"), path=None if path == "-" else path)
    if looks_like_html(path, content):
        from .parse import parse_html

        page = parse_html(content, url=given.get("url"))
    else:
        page = Page(text=content)
    page = replace(page, **{k: given[k] for k in ("title", "published", "site") if given.get(k)})
    return extract_text(page.text, source=source, page=page, explain=explain)
