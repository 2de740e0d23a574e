"""The whole pipeline, stage by stage: (fetch) -> (parse) -> extract -> validate -> Document."""
from __future__ import annotations

import sys
from pathlib import Path

from .errors import InputError
from .models import Document, Page, Source

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}


def extract_text(text: str, *, source: Source | None = None, page: Page | None = None,
                 explain: bool = False) -> Document:
    """Extract claims and checks from article text (the title, if known, may be its first line)."""
    from . import extract, validate

    page = page or Page(text=text)
    result = extract.extract(text, published=page.published, explain=explain)
    doc = Document(source=source or Source(), text=text, title=page.title or result.title,
                   published=page.published, site=page.site, institution=result.institution,
                   claims=result.claims, figures=result.figures, warnings=result.warnings,
                   explain=result.explain if explain else None)
    doc.checks = validate.validate(result)
    return doc


def extract_html(html: str, *, url: str | None = None, source: Source | None = None,
                 explain: bool = False) -> Document:
    from .parse import parse_html

    page = parse_html(html, url=url)
    return extract_text(page.text, source=source or Source(url=url), page=page, explain=explain)


def extract_url(url: str, settings=None, *, explain: bool = False) -> Document:
    from .fetch import fetch

    got = fetch(url, settings)
    source = Source(url=url, fetched_at=got.fetched_at, final_url=got.final_url)
    if got.content_type == "text/plain":
        return extract_text(got.html, source=source, explain=explain)
    return extract_html(got.html, url=got.final_url, source=source, explain=explain)


def read_input(path: str) -> str:
    """Read a local file (or stdin for "-") as text, with one clear error for each way it can fail."""
    if path == "-":
        data = sys.stdin.buffer.read()
        name = "<stdin>"
    else:
        p = Path(path)
        if not p.exists():
            raise InputError(f"{path}: no such file")
        if p.is_dir():
            raise InputError(f"{path}: is a directory, not a file")
        try:
            data = p.read_bytes()
        except OSError as exc:
            raise InputError(f"{path}: cannot read: {exc.strerror}") from exc
        name = path
    if not data.strip():
        raise InputError(f"{name}: empty file")
    if b"\x00" in data[:8192]:
        raise InputError(f"{name}: binary file, not text or HTML")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise InputError(f"{name}: cannot decode the file as text")
    return str(best)


def looks_like_html(path: str, content: str) -> bool:
    if Path(path).suffix.lower() in HTML_SUFFIXES:
        return True
    head = content.lstrip()[:200].lower()
    return path == "-" and (head.startswith("<!doctype html") or head.startswith("<html"))


def extract_path(path: str, *, explain: bool = False) -> Document:
    """A local file: .html/.htm as HTML, anything else as plain text; "-" reads stdin."""
    content = read_input(path)
    source = Source(path=None if path == "-" else path)
    if looks_like_html(path, content):
        return extract_html(content, source=source, explain=explain)
    return extract_text(content, source=source, explain=explain)
