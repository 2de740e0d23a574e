"""parse_html: the steps of the parse stage in order, from the HTML to a Page."""
from __future__ import annotations

from ..errors import ParseError
from ..models import Page
from .boilerplate import blocks_of, drop_junk, keep_block, main_containers, text_blocks
from .metadata import date_near, dates_shown, next_pages_of, read_metadata
from .rules import boilerplate_rules
from .tree import HTML_TAG, build_soup, decomposed, tags_named, text_key

MIN_BODY_CHARS = 40


def parse_html(html: str, url: str | None = None) -> Page:
    """Parse an article page: metadata, continuation pages and the clean article text."""
    if html is None or not html.strip():
        raise ParseError("empty page: nothing to parse")
    if "\x00" in html[:8192]:
        raise ParseError("binary data, not an HTML page")
    if not HTML_TAG.search(html):
        raise ParseError("not an HTML page: no HTML tags found")
    rules = boilerplate_rules()
    soup, tags = build_soup(html, rules)  # tags: every element in page order, before anything is dropped
    meta = read_metadata(soup, tags, url)
    next_pages = next_pages_of(tags, url or meta["canonical"], rules)
    # dates shown on the page are read now, and chosen once we know where the article sits
    dates = [] if meta["published"] else dates_shown(tags)
    order = {id(t): i for i, t in enumerate(tags)} if dates else {}
    # the <head> is read (metadata above) but is never article text: a page of a head alone, or an
    # <html> that wins as the container, would otherwise give its <title> as a paragraph
    for head in tags_named(tags, "head"):
        if not decomposed(head):
            head.decompose()
    root = next((t for t in tags if t.name == "body"), None) or soup  # soup.body, without a search
    walk = drop_junk(root, tags, rules)
    containers = main_containers(root, walk, rules)
    if dates:
        meta["published"] = date_near(dates, order, containers[0])
    title_key = text_key(meta["title"] or "")
    paragraphs = [b for c in containers for b in blocks_of(c) if keep_block(b, title_key, rules)]
    # pages rendered by JavaScript often carry the whole text in JSON-LD articleBody only
    ld_body = meta["article_body"] or ""
    if sum(len(b.text) for b in paragraphs) < 0.5 * len(ld_body):
        paragraphs = [b for b in text_blocks(ld_body) if keep_block(b, title_key, rules)]
    if sum(len(b.text) for b in paragraphs) < MIN_BODY_CHARS:
        raise ParseError("no article text found in the page",
                         hint="the page may need JavaScript or hold no article body")
    lines = [b.text for b in paragraphs]
    text = "\n\n".join(([meta["title"]] if meta["title"] else []) + lines)
    soup.decompose()  # the tree links both ways: taken apart now, it is freed at once, not by the cyclic GC
    return Page(text=text, title=meta["title"], published=meta["published"], site=meta["site"],
                canonical_url=meta["canonical"], author=meta["author"], section=meta["section"],
                next_pages=next_pages)
