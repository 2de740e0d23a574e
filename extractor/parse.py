"""Parse stage: HTML -> Page (metadata + clean article text). Minimal first version; see issue 6."""
from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from .errors import ParseError
from .models import Page

DROP_TAGS = ["script", "style", "noscript", "nav", "header", "footer", "aside", "figure", "figcaption",
             "form", "iframe", "ins", "svg", "button"]
DROP_CLASS = re.compile(r"share|sharing|social|related|terkait|next-prev|comment|tags|ads|td-a-rec|sidebar|crumb|author|meta-info|category", re.I)
BOILERPLATE_LINE = re.compile(r"^\s*(baca juga|simak juga|artikel terkait|berita terkait|advertisement|scroll to continue|bagikan)\b", re.I)
BODY_SELECTORS = ["[itemprop=articleBody]", ".td-post-content", ".entry-content", ".post-content",
                  ".detail__body-text", ".read__content", "article", "main"]


def parse_html(html: str, url: str | None = None) -> Page:
    soup = BeautifulSoup(html, "lxml")
    meta = _metadata(soup)
    body = None
    for sel in BODY_SELECTORS:
        body = soup.select_one(sel)
        if body is not None:
            break
    body = body or soup.body or soup
    for tag in body.find_all(DROP_TAGS):
        tag.decompose()
    for tag in body.find_all(class_=DROP_CLASS):
        tag.decompose()
    lines = []
    for block in body.find_all(["p", "li", "h2", "h3"]) or [body]:
        text = " ".join(block.get_text(" ").split())
        if text and not BOILERPLATE_LINE.match(text):
            lines.append(text)
    if not lines:
        raise ParseError("no article text found in the page")
    title = meta.get("title")
    text = "\n\n".join(([title] if title else []) + lines)
    site = meta.get("site") or (urlsplit(url).hostname if url else None)
    return Page(text=text, title=title, published=meta.get("published"), site=site,
                canonical_url=meta.get("canonical"), author=meta.get("author"), section=meta.get("section"))


def _metadata(soup: BeautifulSoup) -> dict:
    def meta(*names):
        for n in names:
            tag = soup.find("meta", attrs={"property": n}) or soup.find("meta", attrs={"name": n})
            if tag and tag.get("content"):
                return tag["content"].strip()
        return None

    out = {"title": meta("og:title", "twitter:title"), "site": meta("og:site_name"),
           "published": meta("article:published_time", "pubdate", "publishdate"),
           "author": meta("author"), "section": meta("article:section")}
    for script in soup.find_all("script", type="application/ld+json"):
        try:
            data = json.loads(script.string or "")
        except ValueError:
            continue
        items = data.get("@graph", [data]) if isinstance(data, dict) else data
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and "Article" in str(item.get("@type", "")):
                out["title"] = out["title"] or item.get("headline")
                out["published"] = out["published"] or item.get("datePublished")
    if not out["title"]:
        h1 = soup.find("h1")
        out["title"] = h1.get_text(" ", strip=True) if h1 else (soup.title.get_text(strip=True) if soup.title else None)
    if out["published"]:
        m = re.match(r"\d{4}-\d{2}-\d{2}", out["published"])
        out["published"] = m.group(0) if m else None
    link = soup.find("link", rel="canonical")
    out["canonical"] = link.get("href") if link else None
    return out
