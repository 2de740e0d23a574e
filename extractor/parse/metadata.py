"""Page metadata: title, date, site, author, section and canonical URL from JSON-LD, OpenGraph, meta tags
and the page itself; and the links to an article's continuation pages."""
from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit, urlunsplit

from bs4 import BeautifulSoup, Tag

from .rules import BoilerplateRules
from .tree import DATE_CLASS, attr_tokens, class_and_id, clean_text, tags_named, text_key

_DOMAIN = re.compile(r"\b[\w-]+\.(com|id|net|org|co|tv|news)\b", re.I)


_TITLE_SEPARATORS = re.compile(r"\s+(?:[|\-–—:•·»«]|::)\s+|\s*\|\s*")


_URL_ODD = re.compile(r"[\t\r\n\[\]]")  # characters urlsplit deletes or may reject


_ROOTED_LINK = re.compile(r"(?:https?:)?//[^/?#]|/(?!/)")  # a link with a host, or a path from the root


_MONTHS = {
    "jan": 1, "januari": 1, "january": 1, "feb": 2, "februari": 2, "february": 2, "peb": 2, "pebruari": 2,
    "mar": 3, "maret": 3, "march": 3, "apr": 4, "april": 4, "mei": 5, "may": 5, "jun": 6, "juni": 6, "june": 6,
    "jul": 7, "juli": 7, "july": 7, "agu": 8, "ags": 8, "agt": 8, "agus": 8, "agustus": 8, "aug": 8,
    "august": 8, "sep": 9, "sept": 9, "september": 9, "okt": 10, "oktober": 10, "oct": 10, "october": 10,
    "nov": 11, "nop": 11, "november": 11, "nopember": 11, "des": 12, "desember": 12, "dec": 12,
    "december": 12,
}


_ISO_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")


_UTC_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]00:?00)$")


_DMY_DATE = re.compile(r"\b(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\b")


_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:\d{4}(?:\d{2})?)?(?:\D|$)")  # 20221021, 20221021104500


_NAMED_DATE = re.compile(r"\b(\d{1,2})\s+(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?,?\s+(\d{4})\b", re.I)


_PUBLISHED_META = ("article:published_time", "og:published_time", "article:published", "published_time",
                   "datepublished", "pubdate", "publishdate", "publish_date", "publish-date", "dc.date.issued",
                   "dc.date", "dcterms.created", "dcterms.issued", "content_publisheddate", "parsely-pub-date",
                   "sailthru.date", "dtk:publishdate", "date", "createdate")


_AUTHOR_META = ("author", "article:author", "dtk:author", "content_author", "parsely-author", "byl", "dc.creator")


_SECTION_META = ("article:section", "section", "content_category", "parsely-section", "dtk:kanal", "category")


def _meta_tags(tags: list[Tag]) -> dict[str, str]:
    out: dict[str, str] = {}
    for tag in tags_named(tags, "meta"):
        name = (tag.get("property") or tag.get("name") or tag.get("itemprop") or "").strip().lower()
        content = clean_text(tag.get("content"))
        if name and content and name not in out:
            out[name] = content
    return out


def _json_ld_articles(tags: list[Tag]) -> list[dict]:
    found: list[dict] = []
    for script in tags_named(tags, "script"):
        if "ld+json" not in (script.get("type") or "").lower():
            continue
        data = _loads_json(script.string or script.get_text())
        if data is not None:
            _collect_articles(data, found, 0)
    # an article with a headline beats a bare one; order otherwise as on the page
    return sorted(found, key=lambda item: not item.get("headline"))


def _loads_json(raw: str) -> Any:
    raw = re.sub(r"^\s*(<!--|//\s*<!\[CDATA\[)|(-->|//\s*\]\]>)\s*$", "", raw.strip())
    for attempt in (raw, re.sub(r",\s*([}\]])", r"\1", raw)):  # CMSs often leave trailing commas
        try:
            return json.loads(attempt, strict=False)
        except (ValueError, RecursionError):  # (json nests with the C stack: "[[[[..." thousands deep)
            continue
    return None


def _is_article_type(value: Any) -> bool:
    types = value if isinstance(value, list) else [value]
    return any(isinstance(t, str) and t.lower().endswith(("article", "blogposting")) for t in types)


def _collect_articles(node: Any, found: list[dict], depth: int) -> None:
    if depth > 8:
        return
    if isinstance(node, list):
        for item in node:
            _collect_articles(item, found, depth + 1)
    elif isinstance(node, dict):
        if _is_article_type(node.get("@type")):
            found.append(node)
        for key in ("@graph", "mainEntity", "hasPart"):
            if key in node:
                _collect_articles(node[key], found, depth + 1)


def _ld_value(value: Any, depth: int = 0) -> str:
    """A JSON-LD value as text: strings as is, objects by name (or @id), lists joined. Nesting deeper
    than any real metadata (an author list of lists ...) reads as nothing, not as a RecursionError."""
    if isinstance(value, str):
        return clean_text(value)
    if depth > 8:
        return ""
    if isinstance(value, dict):
        return _ld_value(value.get("name") or value.get("@id") or "", depth + 1)
    if isinstance(value, list):
        return ", ".join(v for v in (_ld_value(x, depth + 1) for x in value) if v)
    return ""


def _ld_first(value: Any) -> str:
    if isinstance(value, list):
        return next((v for v in (_ld_value(x) for x in value) if v), "")
    return _ld_value(value)


def _iso_date(text: str | None) -> str | None:
    """Any date form found on Indonesian news pages -> YYYY-MM-DD, or None."""
    if not text:
        return None
    text = text.strip()
    utc = _UTC_STAMP.match(text)
    if utc:  # "2024-03-23T20:00:00Z" is already the 24th in Indonesia (WIB, UTC+7)
        try:
            stamp = datetime.fromisoformat(utc.group(0).replace("Z", "+00:00"))
            return (stamp + timedelta(hours=7)).date().isoformat()
        except ValueError:
            pass
    for pattern, order in ((_ISO_DATE, "ymd"), (_COMPACT_DATE, "ymd"), (_DMY_DATE, "dmy"), (_NAMED_DATE, "dmy")):
        m = pattern.search(text)
        if not m:
            continue
        a, b, c = m.groups()
        if order == "ymd":
            y, mo, d = int(a), int(b), int(c)
        else:
            mo = _MONTHS[b.lower()] if not b.isdigit() else int(b)
            y, d = int(c), int(a)
        try:
            return date(y, mo, d).isoformat()
        except ValueError:
            continue
    return None


def _host(url: str | None) -> str | None:
    host = urlsplit(url).hostname if url else None
    return host[4:] if host and host.startswith("www.") else host


def read_metadata(soup: BeautifulSoup, tags: list[Tag], url: str | None) -> dict[str, str | None]:
    meta = _meta_tags(tags)
    articles = _json_ld_articles(tags)
    ld = articles[0] if articles else {}

    canonical = None
    link = next((t for t in tags_named(tags, "link")
                 if t.get("href") is not None and "canonical" in [r.lower() for r in attr_tokens(t, "rel")]), None)
    main_entity = ld.get("mainEntityOfPage")
    for cand in (link.get("href") if link else None, meta.get("og:url"), _ld_value(main_entity) or None,
                 _ld_value(ld.get("url")) or None):
        cand = clean_text(cand)
        if cand:
            canonical = urljoin(url, cand) if url else cand
            if canonical.startswith(("http://", "https://")):
                break
            canonical = None

    site = (meta.get("og:site_name") or _ld_value(ld.get("publisher")) or meta.get("application-name")
            or _host(url) or _host(canonical))

    published = _iso_date(_ld_first(ld.get("datePublished")) or _ld_first(ld.get("dateCreated")))
    for name in _PUBLISHED_META:
        if published:
            break
        published = _iso_date(meta.get(name))

    author = _ld_value(ld.get("author")) or None
    for name in _AUTHOR_META:
        if author:
            break
        value = meta.get(name)
        author = value if value and not value.startswith(("http://", "https://")) else None
    section = _ld_first(ld.get("articleSection")) or next((meta[n] for n in _SECTION_META if meta.get(n)), None)

    body = ld.get("articleBody")
    return {"title": _title(soup, tags, ld, meta, site, url), "published": published, "site": site,
            "canonical": canonical, "author": author, "section": section,
            "article_body": body if isinstance(body, str) else None}




def dates_shown(tags: list[Tag]) -> list[tuple[Tag, str, bool]]:
    """Dates shown on the page, in page order: (element, ISO date, marked as the publication date)."""
    found = []
    for tag in tags:
        marked = "datepublished" in (tag.get("itemprop") or "").lower()
        if marked:
            value = tag.get("content") or tag.get("datetime") or tag.get("title") or tag.get_text(" ")
        elif tag.name == "time":
            value = tag.get("datetime") or tag.get_text(" ")
        elif DATE_CLASS.search(class_and_id(tag.attrs)) and len(tag.get_text()) < 120:
            value = tag.get_text(" ")
        else:
            continue
        iso = _iso_date(value)
        if iso:
            found.append((tag, iso, marked))
    return found


def date_near(dates: list[tuple[Tag, str, bool]], order: dict[int, int], article: Tag) -> str | None:
    """The page's own publication mark, else the date shown last before the article body (a date in
    the page header is today's), else the first one after it."""
    marked = [iso for _, iso, is_marked in dates if is_marked]
    if marked:
        return marked[0]
    start = order.get(id(article), 0)
    before = [iso for tag, iso, _ in dates if order.get(id(tag), -1) < start]
    after = [iso for tag, iso, _ in dates if order.get(id(tag), -1) >= start]
    return before[-1] if before else (after[0] if after else None)


def _strip_site(title: str, site: str | None, url: str | None, loose: bool) -> str:
    """Drop " | Site" / " - Site" segments; `loose` also drops any short trailing segment (<title> only)."""
    site_keys = {text_key(s) for s in (site, _host(url)) if s}
    site_keys |= {text_key(s.split(".")[0]) for s in (site, _host(url)) if s}
    stripped = False
    while True:
        parts = _TITLE_SEPARATORS.split(title)
        if len(parts) < 2:
            return title
        seps = _TITLE_SEPARATORS.findall(title)
        first, last = parts[0], parts[-1]

        def names_site(segment: str) -> bool:  # "Kompas.com", "Okezone Economy", "detikFinance"
            seg = text_key(segment)
            return bool(_DOMAIN.search(segment)) or any(k and len(k) >= 4 and k in seg for k in site_keys)

        # after the site name, a short " | Section" before it goes too ("... | Kabar24 - Bisnis.com")
        section = stripped and "|" in seps[-1] and len(last.split()) <= 2
        if names_site(last) or section or (loose and len(last.split()) <= 3 < len(first.split())):
            title = title[: len(title) - len(last) - len(seps[-1])].strip()
            stripped = True
        elif (names_site(first) or loose) and len(first.split()) <= 3 < len(last.split()):
            title = title[len(first) + len(seps[0]):].strip()
        else:
            return title


def _title(soup: BeautifulSoup, tags: list[Tag], ld: dict, meta: dict, site: str | None,
           url: str | None) -> str | None:
    h1s = [t for t in (clean_text(h.get_text(" ")) for h in tags_named(tags, "h1")) if len(t.split()) >= 3]
    for cand in (_ld_value(ld.get("headline")), meta.get("og:title"), meta.get("twitter:title"),
                 meta.get("title"), meta.get("dc.title")):
        title = _strip_site(clean_text(cand), site, url, loose=False)
        if title:
            # a headline cut short for search engines: the page's own h1 is whole
            stem = text_key(title.rstrip(".…"))
            for h1 in h1s:
                if len(h1) > len(title) and text_key(h1).startswith(stem):
                    return h1
            return title
    # no metadata: the heading that the <title> repeats is the headline, else the first h1
    page_title = clean_text(soup.title.get_text()) if soup.title else ""
    headings = [clean_text(h.get_text(" ")) for h in tags_named(tags, "h1", "h2", "h3")]
    inside = [h for h in headings if len(h.split()) >= 3 and text_key(h) in text_key(page_title)]
    if inside:
        return max(inside, key=len)
    if h1s:
        return h1s[0]
    return _strip_site(page_title, site, url, loose=True) or None


def _page_key(url: str, rules: BoilerplateRules) -> tuple[tuple, int | None]:
    """(the URL without its page number, the page number or None)."""
    parts = urlsplit(url)
    number = None
    query = []
    for k, v in parse_qsl(parts.query, keep_blank_values=True):
        if k.lower() in rules.page_params and v.isdigit():
            number = int(v)
        else:
            query.append((k, v))
    path = parts.path.rstrip("/")
    m = rules.page_path.search(path)
    if number is None and m:
        before = path[: m.start()]
        # ".../judul-artikel/2" is page 2; ".../berita/12" is an id, so the slug before must have words
        if "/" in m.group(0)[1:] or re.search(r"/[^/]*[a-z][^/]*-[^/]*$", before, re.I):
            number, path = int(m.group(1)), before
    return ((_host(url) or "", path or "/", tuple(sorted(query))), number)


def next_pages_of(tags: list[Tag], base: str | None, rules: BoilerplateRules) -> list[str]:
    """Later pages of the same article, in page order: same host and path, a higher page number."""
    if not base or not base.startswith(("http://", "https://")):
        return []
    key, current = _page_key(base, rules)
    current = current or 1
    pages: dict[int, str] = {}
    # an absolute link to this article spells out the last segment of its path (urljoin only drops
    # segments): links without it are skipped before the (costly) URL parsing
    slug = key[1].rsplit("/", 1)[-1]
    for tag in tags_named(tags, "a", "link"):
        href = tag.get("href")
        if href is None:
            continue
        href = href.strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        # (urlsplit deletes tabs and newlines anywhere; it rejects some brackets and non-ASCII hosts)
        if (slug and slug not in href and _ROOTED_LINK.match(href) and href.isascii()
                and not _URL_ODD.search(href)):
            continue
        full = urljoin(base, href)
        parts = urlsplit(full)
        if parts.scheme not in ("http", "https"):
            continue
        full = urlunsplit(parts._replace(fragment=""))
        cand_key, number = _page_key(full, rules)
        if cand_key != key:
            continue
        rel = [r.lower() for r in attr_tokens(tag, "rel")]
        if number is None and "next" in rel:
            number = current + 1
        if number is not None and number > current and number not in pages:
            pages[number] = full
    return [pages[n] for n in sorted(pages)]
