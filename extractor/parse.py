"""Parse stage: HTML -> Page (metadata + the clean article text).

The steps, in order:
1. metadata from JSON-LD (NewsArticle/Article, also inside @graph and lists), OpenGraph, meta tags and
   finally the page itself (h1, <title>, the date shown nearest before the article);
2. continuation pages: links to the same article path that differ only in the page number;
3. junk dropped: scripts, ads, widgets; page furniture (nav, aside, sharing, teasers, comments ...)
   dropped unless it holds most of the page's prose; inline "Baca juga" labels with their links;
4. the container with the most prose wins: readability-style scores (paragraph length and commas,
   discounted by link density, nudged by class/id vocabulary), plus sibling chunks of the same text;
5. the container is cut into blocks (block elements, <br><br>, one line per data-table row) and each
   block is kept or dropped by the phrase rules (teasers, credits, pagers, ads), link density and title
   repeats. A page whose DOM holds less text than its JSON-LD articleBody (rendered by JavaScript)
   takes the articleBody instead.

The vocabularies live in patterns/boilerplate.yaml. Page.text is the title on the first line, a blank
line, then the paragraphs separated by blank lines: the extractor relies on that shape.
"""
from __future__ import annotations

import json
import re
import threading
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any, Iterable
from urllib.parse import parse_qsl, urljoin, urlsplit, urlunsplit

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.builder import LXMLTreeBuilder
from bs4.element import NamespacedAttribute, PageElement, PreformattedString

from .errors import ParseError, PatternError
from .models import Page

RULES_FILE = "boilerplate.yaml"

BLOCK_TAGS = frozenset("""
    address article aside blockquote body caption center dd details dir div dl dt fieldset figcaption figure
    footer form h1 h2 h3 h4 h5 h6 header hgroup hr html legend li main menu nav ol p pre section summary
    table tbody td tfoot th thead tr ul
""".split())
# a table cell holding any of these is page layout (old sites put whole articles in cells), not data
_LAYOUT_IN_CELL = ["p", "div", "br", "table", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"]

MIN_PARAGRAPH = 25  # characters of own text before a block counts as prose when scoring containers
GOOD_PARAGRAPH = 80  # ... and before it counts as "real prose" that protects its ancestors from removal
MAX_LINK_DENSITY = 0.5  # a block that is mostly link text is a teaser, a menu or a tag list
SHORT_BLOCK = 300  # phrase rules only judge blocks shorter than this: boilerplate lines are short
MIN_BODY_CHARS = 40

_NON_WORD = re.compile(r"[\W_]+")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SENTENCE_END = re.compile(r"[.!?:\"'”’»)\]]$")
_CONTINUES = re.compile(r"[,;\-–—/]$")  # a line ending like this goes on after the <br>
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_HTML_TAG = re.compile(r"<\s*(!doctype\s+html|html|head|body|meta|title|p|div|br|span|article|section|main|table|h[1-6]|a\s)\b",
                       re.I)
_DOMAIN = re.compile(r"\b[\w-]+\.(com|id|net|org|co|tv|news)\b", re.I)
_TITLE_SEPARATORS = re.compile(r"\s+(?:[|\-–—:•·»«]|::)\s+|\s*\|\s*")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
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


# -- rules --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Rules:
    drop_tags: tuple[str, ...]
    structural_tags: frozenset[str]
    negative: re.Pattern
    positive: re.Pattern
    prefix: re.Pattern
    line: re.Pattern
    teaser: re.Pattern
    page_params: frozenset[str]
    page_path: re.Pattern


def _fragments_regex(fragments: Iterable[str]) -> re.Pattern:
    """Whole-token matcher for class/id fragments: tokens are split at spaces, "-" and "_".

    A fragment of six letters or more also matches as the start of a token ("relatedposts",
    "commentlist", "contentx"); shorter ones would catch too much ("ad" in "address", "tag" in "tagdiv").
    """
    alts = []
    for f in sorted(fragments, key=len, reverse=True):
        alt = re.escape(f.lower()).replace(r"\-", "[-_]+")
        alts.append(alt + ("[a-z0-9]*" if len(f) >= 6 else "s?"))
    return re.compile(r"(?:^|[\s_-])(?:" + "|".join(alts) + r")(?=$|[\s_-])")


def _phrases_regex(phrases: Iterable[str]) -> re.Pattern:
    alts = sorted((r"\s+".join(map(re.escape, p.split())) for p in phrases), key=len, reverse=True)
    return re.compile(r"^(?:" + "|".join(alts) + r")(?![^\W\d_])", re.I)


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    """Load patterns/boilerplate.yaml once, check its shape, and compile it."""
    from importlib import resources

    where = f"patterns/{RULES_FILE}"
    try:
        raw = resources.files("extractor.patterns").joinpath(RULES_FILE).read_text(encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError) as exc:
        raise PatternError(f"rule file {where} is missing", hint="reinstall the package") from exc
    return _compile_rules(raw, where)


def _compile_rules(raw: str, where: str) -> _Rules:
    import yaml

    try:
        root = yaml.compose(raw, Loader=yaml.SafeLoader)
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}:" if mark else ""
        raise PatternError(f"{where}:{line} not valid YAML: {getattr(exc, 'problem', exc)}") from exc
    if not isinstance(data, dict):
        raise PatternError(f"{where}: expected a mapping at the top level")

    def strings(key: str, node: dict = data, path: str = "") -> list[str]:
        value = node.get(key)
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
            raise PatternError(f"{where}: '{path}{key}' must be a non-empty list of strings")
        return value

    lists = {key: strings(key) for key in ("drop_tags", "structural_tags", "negative_classes",
                                            "positive_classes", "line_prefixes", "line_patterns",
                                            "teaser_labels")}
    pager = data.get("pager")
    if not isinstance(pager, dict):
        raise PatternError(f"{where}: 'pager' must be a mapping with 'params' and 'path_words'")
    line_nodes = next((v for k, v in root.value if k.value == "line_patterns"), None)
    compiled = []
    for i, pattern in enumerate(lists["line_patterns"]):
        try:
            compiled.append(re.compile(pattern, re.I))
        except re.error as exc:
            line = line_nodes.value[i].start_mark.line + 1 if line_nodes is not None else "?"
            raise PatternError(f"{where}: line {line}: bad regex {pattern!r}: {exc}") from exc
    path_words = "|".join(map(re.escape, strings("path_words", pager, "pager.")))
    return _Rules(
        drop_tags=tuple(lists["drop_tags"]),
        structural_tags=frozenset(lists["structural_tags"]),
        negative=_fragments_regex(lists["negative_classes"]),
        positive=_fragments_regex(lists["positive_classes"]),
        prefix=_phrases_regex(lists["line_prefixes"]),
        line=re.compile("|".join(f"(?:{p.pattern})" for p in compiled), re.I),
        teaser=_phrases_regex(lists["teaser_labels"]),
        page_params=frozenset(p.lower() for p in strings("params", pager, "pager.")),
        page_path=re.compile(r"/(?:(?:" + path_words + r")/)?(\d{1,2})$", re.I),
    )


# -- public surface -----------------------------------------------------------------------------------

def parse_html(html: str, url: str | None = None) -> Page:
    """Parse an article page: metadata, continuation pages and the clean article text."""
    if html is None or not html.strip():
        raise ParseError("empty page: nothing to parse")
    if "\x00" in html[:8192]:
        raise ParseError("binary data, not an HTML page")
    if not _HTML_TAG.search(html):
        raise ParseError("not an HTML page: no HTML tags found")
    rules = _rules()
    soup, tags = _soup(html, rules)  # tags: every element in page order, before anything is dropped
    meta = _metadata(soup, tags, url)
    next_pages = _next_pages(tags, url or meta["canonical"], rules)
    # dates shown on the page are read now, and chosen once we know where the article sits
    dates = [] if meta["published"] else _dom_dates(tags)
    order = {id(t): i for i, t in enumerate(tags)} if dates else {}
    root = next((t for t in tags if t.name == "body"), None) or soup  # soup.body, without a search
    walk = _drop_junk(root, tags, rules)
    containers = _main_containers(root, walk, rules)
    if dates:
        meta["published"] = _date_near(dates, order, containers[0])
    title_key = _key(meta["title"] or "")
    paragraphs = [b for c in containers for b in _blocks(c) if _keep(b, title_key, rules)]
    # pages rendered by JavaScript often carry the whole text in JSON-LD articleBody only
    ld_body = meta["article_body"] or ""
    if sum(len(b.text) for b in paragraphs) < 0.5 * len(ld_body):
        paragraphs = [b for b in _text_blocks(ld_body) if _keep(b, title_key, rules)]
    if sum(len(b.text) for b in paragraphs) < MIN_BODY_CHARS:
        raise ParseError("no article text found in the page",
                         hint="the page may need JavaScript or hold no article body")
    lines = [b.text for b in paragraphs]
    text = "\n\n".join(([meta["title"]] if meta["title"] else []) + lines)
    soup.decompose()  # the tree links both ways: taken apart now, it is freed at once, not by the cyclic GC
    return Page(text=text, title=meta["title"], published=meta["published"], site=meta["site"],
                canonical_url=meta["canonical"], author=meta["author"], section=meta["section"],
                next_pages=next_pages)


# -- tree -------------------------------------------------------------------------------------------

class _TreeBuilder(LXMLTreeBuilder):
    """Builds the BeautifulSoup tree straight from lxml's parse events, in about half the time.

    BeautifulSoup(html, "lxml") spends most of its time in generic bookkeeping per node (namespaces,
    filters, link repairs); this makes the same Tag and string objects, links and string classes
    (tests/test_parse.py compares the two trees), except for what parse_html dropped unread anyway:
    - comments, doctypes and processing instructions: nothing reads them (get_text and the walks
      skip them), and the body's were extracted first thing. The text on either side still makes two
      strings, as it did after the extraction.
    - <script> and <style> inside the body, unless JSON-LD or a date mark that _dom_dates reads:
      they were decomposed unread with the other drop_tags (lxml gives them no child elements, and an
      ancestor's get_text skips their strings). Outside the body they stay: <html> can win as the
      container, and its blocks take them in.
    It also lists the elements in page order as it makes them.
    """

    def __init__(self, skip: Iterable[str]) -> None:
        super().__init__(multi_valued_attributes=None)  # class and rel stay plain text: see _tokens
        self.skip = frozenset(skip)
        self.reusable: Any = None  # the lxml parser, kept from page to page
        self.reset()

    def parser_for(self, encoding: str | None) -> Any:
        # a new lxml parser costs ~0.1 ms (lxml inspects the target each time): keep one for str input
        if encoding is not None:
            return super().parser_for(encoding)
        if self.reusable is None:
            self.reusable = super().parser_for(None)
        return self.reusable

    def feed(self, markup: Any) -> None:
        try:
            super().feed(markup)
        except BaseException:
            self.reusable = None  # stopped mid-page: the next page gets a new parser
            raise

    def reset(self) -> None:  # bs4 calls it before each parse attempt
        super().reset()
        self.tags: list[Tag] = []  # every element made, in page order
        self.body: Tag | None = None  # the first <body>: soup.body
        self.open: list[Tag] = [self.soup]  # the open elements, innermost last
        self.last: PageElement | None = None  # the node made last: next_element links follow page order
        self.text: list[str] = []  # text not yet made into a string
        self.keep_space = 0  # open <pre> and <textarea>: their whitespace is not shrunk
        self.string_classes: list[tuple[Tag, type]] = []  # open <script>, <style>, <template>...
        self.skipping = 0  # depth inside a skipped element

    def start(self, name: str, attrib: Any, nsmap: Any = {}) -> None:
        if self.skipping:
            self.skipping += 1
            return
        if self.text:
            self._add_string()
        if name in self.skip and any(t is self.body for t in self.open) and not _read_before_drop(attrib):
            self.skipping = 1
            return
        parent = self.open[-1]
        tag = Tag(self.soup, self, name, attrs=self._attrs(attrib), parent=parent, previous=self.last,
                  namespaces=self.active_namespace_prefixes[-1])
        parent.contents.append(tag)
        self.last = tag
        self.open.append(tag)
        self.tags.append(tag)
        if name in self.preserve_whitespace_tags:
            self.keep_space += 1
        if name in self.string_containers:
            self.string_classes.append((tag, self.string_containers[name]))
        if name == "body" and self.body is None:
            self.body = tag

    def end(self, name: str) -> None:
        if self.skipping:
            self.skipping -= 1
            return
        if self.text:
            self._add_string()
        # lxml closes the innermost element; like bs4, close up to the latest open one of that name
        if self.open[-1].name == name and len(self.open) > 1:
            depth = len(self.open) - 1
        else:
            depth = next((i for i in range(len(self.open) - 1, 0, -1) if self.open[i].name == name), None)
        while depth is not None and len(self.open) > depth:
            tag = self.open.pop()
            if tag.name in self.preserve_whitespace_tags:
                self.keep_space -= 1
            if self.string_classes and self.string_classes[-1][0] is tag:
                self.string_classes.pop()

    def data(self, content: str) -> None:
        if not self.skipping:
            self.text.append(content)

    def comment(self, text: str) -> None:
        if self.text:
            self._add_string()

    def doctype(self, name: str, pubid: str, system: str) -> None:
        if self.text:
            self._add_string()

    def pi(self, target: str, data: str) -> None:
        if self.text:
            self._add_string()

    def close(self) -> None:  # end of the document
        if self.text:
            self._add_string()
        super().close()

    def _add_string(self) -> None:
        """The text so far as one string, made as bs4 makes it: text of ASCII whitespace only shrinks
        to a newline or a space (not inside <pre>), a <script>/<style>/... string has its own class."""
        text = "".join(self.text)
        self.text = []
        if not self.keep_space and not text.strip(BeautifulSoup.ASCII_SPACES):
            text = "\n" if "\n" in text else " "
        string = (self.string_classes[-1][1] if self.string_classes else NavigableString)(text)
        parent = self.open[-1]
        string.setup(parent, self.last)
        parent.contents.append(string)
        self.last = string

    def _attrs(self, attrib: Any) -> dict:
        attrs = dict(attrib) if attrib else {}
        for key in attrs:
            if key[0] == "{":  # "{namespace}name" (a stray brace in HTML): as the stock builder does
                return {self._namespaced(k): v for k, v in attrs.items()}
        return attrs

    def _namespaced(self, key: str) -> str:
        namespace, name = self._getNsTag(key)
        if namespace is None:
            return name
        return NamespacedAttribute(self._prefix_for_namespace(namespace), name, namespace)


def _read_before_drop(attrs: dict[str, str]) -> bool:
    """Whether _json_ld_articles or _dom_dates would read this script/style element."""
    return ("ld+json" in (attrs.get("type") or "").lower()
            or "datepublished" in (attrs.get("itemprop") or "").lower()
            or bool(_DATEY_CLASS.search(_class_id(attrs))))


_builders = threading.local()  # a builder (and its lxml parser) per thread: it parses one page at a time


def _soup(html: str, rules: _Rules) -> tuple[BeautifulSoup, list[Tag]]:
    """The page as a BeautifulSoup tree, and its elements in page order."""
    skip = frozenset({"script", "style"} & set(rules.drop_tags))
    builder = getattr(_builders, "builder", None)
    if builder is None or builder.skip != skip:
        builder = _builders.builder = _TreeBuilder(skip)
    soup = BeautifulSoup(html, builder=builder)
    tags = builder.tags
    builder.reset()  # (keeps no reference to the page)
    return soup, tags


# -- metadata -----------------------------------------------------------------------------------------

def _clean(text: Any) -> str:
    if not isinstance(text, str):
        return ""
    if not text.isascii():
        text = _INVISIBLE.sub("", text)
    # split() cuts at the same characters as the regex \s (no-break spaces included), and is faster
    return " ".join(text.split())


def _key(text: str) -> str:
    return _NON_WORD.sub("", text.lower())


def _meta_tags(tags: list[Tag]) -> dict[str, str]:
    out: dict[str, str] = {}
    for tag in _named(tags, "meta"):
        name = (tag.get("property") or tag.get("name") or tag.get("itemprop") or "").strip().lower()
        content = _clean(tag.get("content"))
        if name and content and name not in out:
            out[name] = content
    return out


def _json_ld_articles(tags: list[Tag]) -> list[dict]:
    found: list[dict] = []
    for script in _named(tags, "script"):
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
        except ValueError:
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


def _ld_value(value: Any) -> str:
    """A JSON-LD value as text: strings as is, objects by name (or @id), lists joined."""
    if isinstance(value, str):
        return _clean(value)
    if isinstance(value, dict):
        return _ld_value(value.get("name") or value.get("@id") or "")
    if isinstance(value, list):
        return ", ".join(v for v in (_ld_value(x) for x in value) if v)
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


def _metadata(soup: BeautifulSoup, tags: list[Tag], url: str | None) -> dict[str, str | None]:
    meta = _meta_tags(tags)
    articles = _json_ld_articles(tags)
    ld = articles[0] if articles else {}

    canonical = None
    link = next((t for t in _named(tags, "link")
                 if t.get("href") is not None and "canonical" in [r.lower() for r in _tokens(t, "rel")]), None)
    main_entity = ld.get("mainEntityOfPage")
    for cand in (link.get("href") if link else None, meta.get("og:url"), _ld_value(main_entity) or None,
                 _ld_value(ld.get("url")) or None):
        cand = _clean(cand)
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


_DATEY_CLASS = re.compile(r"(?:^|[\s_-])(date|time|tanggal|tgl|published|pubdate|waktu|timestamp)", re.I)


def _dom_dates(tags: list[Tag]) -> list[tuple[Tag, str, bool]]:
    """Dates shown on the page, in page order: (element, ISO date, marked as the publication date)."""
    found = []
    for tag in tags:
        marked = "datepublished" in (tag.get("itemprop") or "").lower()
        if marked:
            value = tag.get("content") or tag.get("datetime") or tag.get("title") or tag.get_text(" ")
        elif tag.name == "time":
            value = tag.get("datetime") or tag.get_text(" ")
        elif _DATEY_CLASS.search(_class_id(tag.attrs)) and len(tag.get_text()) < 120:
            value = tag.get_text(" ")
        else:
            continue
        iso = _iso_date(value)
        if iso:
            found.append((tag, iso, marked))
    return found


def _date_near(dates: list[tuple[Tag, str, bool]], order: dict[int, int], article: Tag) -> str | None:
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
    site_keys = {_key(s) for s in (site, _host(url)) if s}
    site_keys |= {_key(s.split(".")[0]) for s in (site, _host(url)) if s}
    stripped = False
    while True:
        parts = _TITLE_SEPARATORS.split(title)
        if len(parts) < 2:
            return title
        seps = _TITLE_SEPARATORS.findall(title)
        first, last = parts[0], parts[-1]

        def names_site(segment: str) -> bool:  # "Kompas.com", "Okezone Economy", "detikFinance"
            seg = _key(segment)
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
    h1s = [t for t in (_clean(h.get_text(" ")) for h in _named(tags, "h1")) if len(t.split()) >= 3]
    for cand in (_ld_value(ld.get("headline")), meta.get("og:title"), meta.get("twitter:title"),
                 meta.get("title"), meta.get("dc.title")):
        title = _strip_site(_clean(cand), site, url, loose=False)
        if title:
            # a headline cut short for search engines: the page's own h1 is whole
            stem = _key(title.rstrip(".…"))
            for h1 in h1s:
                if len(h1) > len(title) and _key(h1).startswith(stem):
                    return h1
            return title
    # no metadata: the heading that the <title> repeats is the headline, else the first h1
    page_title = _clean(soup.title.get_text()) if soup.title else ""
    headings = [_clean(h.get_text(" ")) for h in _named(tags, "h1", "h2", "h3")]
    inside = [h for h in headings if len(h.split()) >= 3 and _key(h) in _key(page_title)]
    if inside:
        return max(inside, key=len)
    if h1s:
        return h1s[0]
    return _strip_site(page_title, site, url, loose=True) or None


# -- continuation pages -------------------------------------------------------------------------------

def _page_key(url: str, rules: _Rules) -> tuple[tuple, int | None]:
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


def _next_pages(tags: list[Tag], base: str | None, rules: _Rules) -> list[str]:
    """Later pages of the same article, in page order: same host and path, a higher page number."""
    if not base or not base.startswith(("http://", "https://")):
        return []
    key, current = _page_key(base, rules)
    current = current or 1
    pages: dict[int, str] = {}
    # an absolute link to this article spells out the last segment of its path (urljoin only drops
    # segments): links without it are skipped before the (costly) URL parsing
    slug = key[1].rsplit("/", 1)[-1]
    for tag in _named(tags, "a", "link"):
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
        rel = [r.lower() for r in _tokens(tag, "rel")]
        if number is None and "next" in rel:
            number = current + 1
        if number is not None and number > current and number not in pages:
            pages[number] = full
    return [pages[n] for n in sorted(pages)]


# -- cleaning -----------------------------------------------------------------------------------------

def _tags(root: Tag) -> list[Tag]:
    """All elements below root in page order: root.find_all(True) without bs4's (slow) generic matcher."""
    return [node for node in root.descendants if isinstance(node, Tag)]


def _named(tags: Iterable[Tag], *names: str) -> list[Tag]:
    return [t for t in tags if t.name in names]


_TOKEN = re.compile(r"\S+")


def _tokens(tag: Tag, attr: str) -> list[str]:
    """A space-separated attribute (class, rel) as its list of values, split as bs4 would split it."""
    value = tag.get(attr)
    return _TOKEN.findall(value) if value else []


def _is_text(node: Any) -> bool:
    return isinstance(node, NavigableString) and not isinstance(node, PreformattedString)


def _class_id(attrs: dict[str, str]) -> str:
    """class and id of an element (its attrs) as one lower-case string, camelCase split: "post-body x"."""
    classes, ident = attrs.get("class"), attrs.get("id")
    if not classes and not ident:
        return ""  # most elements: skip the string work
    value = " ".join(classes.split() if classes else []) + " " + (ident or "")  # (split: as _tokens)
    if not value.islower():  # (all lower case already: nothing for _CAMEL to split)
        value = _CAMEL.sub("-", value)
    return value.lower().strip()


@dataclass
class _Para:
    """Own text of one block element (text not inside a nested block)."""

    tag: Tag
    chars: int = 0
    link_chars: int = 0
    commas: int = 0
    breaks: int = 0


@dataclass
class _Walk:
    """One walk over the tree below root, reused by the later steps. They only remove whole subtrees,
    and a node that survives keeps its block and its link ancestors: what is left of the walk (nodes
    not decomposed) is what walking the tree again would find, in the same order."""

    tags: list[Tag]  # elements in page order
    # own text of the blocks, in page order: (string or <br>, its block, chars, commas, inside a link)
    marks: list[tuple[PageElement, Tag, int, int, bool]]
    labels: list[NavigableString]  # strings that start with a teaser label


def _walk(root: Tag, rules: _Rules) -> _Walk:
    walk = _Walk([], [], [])
    add_tag, add_mark, add_label = walk.tags.append, walk.marks.append, walk.labels.append
    is_label = rules.teaser.match

    def visit(node: Tag, block: Tag, in_link: bool, counts: bool) -> None:
        for child in node.contents:
            if isinstance(child, Tag):
                add_tag(child)
                name = child.name
                if name in BLOCK_TAGS:
                    visit(child, child, in_link, counts)
                elif name == "br":
                    if counts:
                        add_mark((child, block, 0, 0, False))
                    visit(child, block, in_link, False)  # (HTML gives <br> no content; it would not count)
                else:
                    visit(child, block, in_link or name == "a", counts)
            elif _is_text(child):
                if is_label(child.strip()):
                    add_label(child)
                if counts and not child.isspace():  # (whitespace between tags cleans to "")
                    text = _clean(child)
                    if text:
                        add_mark((child, block, len(text) + 1, text.count(","), in_link))

    visit(root, root, False, True)
    return walk


def _decomposed(node: PageElement) -> bool:
    """node.decomposed, without its slow path: on a live Tag, bs4 reads a missing attribute as a search
    for a child element of that name."""
    return "_decomposed" in vars(node)


def _paragraphs(walk: _Walk) -> list[_Para]:
    """Own-text statistics of the blocks that still hold text (or line breaks)."""
    stats: dict[int, _Para] = {}
    for node, block, chars, commas, in_link in walk.marks:
        if _decomposed(node):
            continue
        p = stats.get(id(block))
        if p is None:
            p = stats[id(block)] = _Para(block)
        if chars:
            p.chars += chars
            p.commas += commas
            if in_link:
                p.link_chars += chars
        else:
            p.breaks += 1
    return list(stats.values())


def _prose_by_ancestor(paras: list[_Para]) -> tuple[dict[int, int], dict[int, int], dict[int, int]]:
    """Per element (by id): all own-text chars below it, link chars below it, and 'good prose' chars.

    Good prose is a paragraph of some length, mostly not link text, whose parent is not mostly link
    text either: the summary under a linked headline in a teaser card is not good prose.
    """
    chars: dict[int, int] = defaultdict(int)
    links: dict[int, int] = defaultdict(int)
    good: dict[int, int] = defaultdict(int)
    for p in paras:
        node: Tag | None = p.tag
        while node is not None:
            key = id(node)
            chars[key] += p.chars
            if p.link_chars:  # (adding 0 changes nothing: the dicts default to 0)
                links[key] += p.link_chars
            node = node.parent
    for p in paras:
        parent = p.tag.parent if p.tag.parent is not None else p.tag
        if (p.chars < GOOD_PARAGRAPH or p.link_chars >= 0.3 * p.chars
                or links[id(parent)] >= 0.3 * chars[id(parent)]):
            continue
        node = p.tag
        while node is not None:
            good[id(node)] += p.chars
            node = node.parent
    return chars, links, good


def _is_hidden(tag: Tag) -> bool:
    style = tag.attrs.get("style")
    return "hidden" in tag.attrs or bool(style and _HIDDEN_STYLE.search(style))


def _drop_junk(root: Tag, tags: list[Tag], rules: _Rules) -> _Walk:
    """Drop what is never article text, then page furniture that does not hold most of the prose.

    The tree comes without comments, and without the body's scripts and styles (see _TreeBuilder):
    few drop_tags are left. Returns the walk over what was left then, for _main_containers."""
    drop = frozenset(rules.drop_tags)
    for tag in [t for t in tags if t.name in drop and any(p is root for p in t.parents)]:
        tag.decompose()
    walk = _walk(root, rules)
    _, _, good = _prose_by_ancestor(_paragraphs(walk))
    total = good.get(id(root), 0)
    doomed = []
    for tag in walk.tags:
        furniture = (tag.name in rules.structural_tags or _is_hidden(tag)
                     or bool(rules.negative.search(_class_id(tag.attrs))))
        if furniture and good.get(id(tag), 0) <= 0.5 * total:
            doomed.append(tag)
    _decompose_outermost(doomed)
    _drop_teasers(root, [s for s in walk.labels if not _decomposed(s)], rules)
    return walk


def _decompose_outermost(tags: list[Tag]) -> None:
    """Decompose each tag unless an ancestor is going too (its subtree is destroyed with it)."""
    doomed = {id(t) for t in tags}
    outermost = [t for t in tags if not any(id(a) in doomed for a in t.parents)]
    for tag in outermost:
        tag.decompose()


def _drop_teasers(root: Tag, labels: list[NavigableString], rules: _Rules) -> None:
    """'<strong>Baca juga:</strong> <a>...</a>', '<p>Baca juga: ...</p>': the teaser goes, and after a
    bare label inside a paragraph, the link that follows it."""
    doomed: list[Tag] = []
    for string in labels:
        # the widest element that starts with the label and is still short
        target = None
        node = string.parent
        while node is not None and node is not root:
            text = _clean(node.get_text(" "))
            if len(text) >= SHORT_BLOCK or not rules.teaser.match(text):
                break
            target, node = node, node.parent
        if target is None:
            continue
        doomed.append(target)
        text = _clean(target.get_text(" "))
        if target.name not in BLOCK_TAGS and rules.teaser.sub("", text).strip(" :-–") == "":
            after = target.next_sibling
            while after is not None and _is_text(after) and not str(after).strip(" \n\t:\xa0"):
                after = after.next_sibling
            if isinstance(after, Tag) and after.name == "a":
                doomed.append(after)
    _decompose_outermost(doomed)


# -- container ----------------------------------------------------------------------------------------

def _class_weight(tag: Tag, rules: _Rules) -> float:
    value = _class_id(tag.attrs)
    weight = 0.0
    # a content container often carries a widget class too ("txt-article multi-fontsize"): positive wins
    if rules.positive.search(value):
        weight += 25
    elif rules.negative.search(value):
        weight -= 25
    if "articlebody" in (tag.get("itemprop") or "").lower():
        weight += 40
    return weight


def _main_containers(root: Tag, walk: _Walk, rules: _Rules) -> list[Tag]:
    """The element holding the article prose, plus siblings that score close to it."""
    paras = _paragraphs(walk)  # what the furniture and teasers left
    chars, links, _ = _prose_by_ancestor(paras)
    scores: dict[int, float] = defaultdict(float)
    tags: dict[int, Tag] = {}
    for p in paras:
        if p.chars < MIN_PARAGRAPH:
            continue
        density = p.link_chars / p.chars
        runs = p.breaks // 2 + 1
        score = (runs + p.commas + min(p.chars / 100, 3 * runs)) * (1 - density)
        # text split by <br><br> makes its own element the container; a <p> credits its parent
        first = p.tag if p.breaks >= 2 else p.tag.parent
        if first is None:
            continue
        credits = [(1.0, first)]
        # the element above gets half, unless the paragraph sits in a linked card (headline + summary):
        # a grid of a hundred teasers must not add up to an article
        if first.parent is not None and links[id(first)] < 0.3 * chars[id(first)]:
            credits.append((0.5, first.parent))
        for share, node in credits:
            scores[id(node)] += share * score
            tags[id(node)] = node
    if not scores:
        return [root]

    def final(node_id: int) -> float:
        node = tags[node_id]
        density = links[node_id] / chars[node_id] if chars.get(node_id) else 1.0
        # squared: a teaser grid (links plus summaries) must not win on sheer volume
        return (scores[node_id] + _class_weight(node, rules)) * (1 - density) ** 2

    best_id = max(scores, key=final)
    best = tags[best_id]
    if best.name in ("body", "html"):
        return [best]

    # the best prose score anywhere inside each element: a sibling holding a run of paragraphs counts
    # even when they sit a few wrappers down
    inner: dict[int, float] = defaultdict(float)
    for node_id, score in scores.items():
        node: Tag | None = tags[node_id]
        raw = score * (1 - (links[node_id] / chars[node_id] if chars.get(node_id) else 1.0))
        while node is not None and inner[id(node)] < raw:
            inner[id(node)] = raw
            node = node.parent
    threshold = max(10.0, 0.2 * inner[best_id])

    def sibling_is_article(sib: Tag, node: Tag, level: int) -> bool:
        sib_id = id(sib)
        if not chars.get(sib_id) or links.get(sib_id, 0) >= 0.3 * chars[sib_id]:
            return False
        # the article cut into same-class chunks around ads: any prose in a twin chunk belongs
        classes = _tokens(sib, "class")
        if classes and classes == _tokens(node, "class") and inner.get(sib_id, 0.0) > 0:
            return True
        if level > 1:  # further out, only twins: a teaser grid with summaries is prose too
            return False
        # class names do not count here: a "details-title" header is no more prose for being named so
        return inner.get(sib_id, 0.0) >= threshold or (sib.name == "p" and chars[sib_id] >= GOOD_PARAGRAPH)

    # look for sibling chunks beside the winner, climbing while the wrapper is mostly the article
    chosen: dict[int, Tag] = {best_id: best}
    node = best
    for level in range(1, 5):
        parent = node.parent
        if parent is None or parent.name in ("body", "html") or not isinstance(parent, Tag):
            break
        for sib in parent.children:
            if not isinstance(sib, Tag):
                continue
            if sib is not node and id(sib) not in chosen and sibling_is_article(sib, node, level):
                chosen[id(sib)] = sib
        held = sum(chars.get(i, 0) for i in chosen)
        if chars.get(id(parent), 0) > 1.5 * held:
            break
        node = parent
    # drop chunks nested in another chosen chunk, keep page order
    picked = [t for i, t in chosen.items()
              if not any(p is not None and id(p) in chosen for p in t.parents)]
    if len(picked) < 2:
        return picked
    order = {id(t): i for i, t in enumerate(walk.tags)}  # (dropped elements too: only the order counts)
    return sorted(picked, key=lambda t: order.get(id(t), 0))


# -- blocks -------------------------------------------------------------------------------------------

@dataclass
class _Block:
    text: str
    link_chars: int
    soft: bool = False  # ended by a single <br>: may be a wrapped line of the next block


def _blocks(container: Tag) -> list[_Block]:
    """Cut a container into text blocks at block elements and line breaks."""
    blocks: list[_Block] = []
    buf: list[tuple[str, bool]] = []

    def flush(soft: bool) -> None:
        text = _clean("".join(t for t, _ in buf))
        if text:
            link = sum(len(_clean(t)) for t, is_link in buf if is_link)
            blocks.append(_Block(text, link, soft))
        elif blocks:
            blocks[-1].soft = False
        buf.clear()

    def visit(node: Tag, in_link: bool) -> None:
        for child in node.contents:
            if isinstance(child, Tag):
                if child.name == "br":
                    flush(soft=True)
                elif child.name in ("td", "th") and not _named(_tags(child), *_LAYOUT_IN_CELL):
                    # a data cell: the row stays one line ("JHT | 1.200 kasus | Rp10 miliar")
                    if any(t.strip() for t, _ in buf):
                        buf.append((" | ", False))
                    visit(child, in_link)
                elif child.name in BLOCK_TAGS:
                    flush(soft=False)
                    visit(child, in_link)
                    flush(soft=False)
                else:
                    visit(child, in_link or child.name == "a")
            elif _is_text(child):
                buf.append((str(child), in_link))

    visit(container, False)
    flush(soft=False)
    # a single <br> inside a sentence is a wrapped line, not a paragraph break
    merged: list[_Block] = []
    for block in blocks:
        prev = merged[-1] if merged else None
        if (prev is not None and prev.soft and not _SENTENCE_END.search(prev.text)
                and (block.text[:1].islower() or _CONTINUES.search(prev.text))):
            prev.text = f"{prev.text} {block.text}"
            prev.link_chars += block.link_chars
            prev.soft = block.soft
        else:
            merged.append(block)
    return merged


def _text_blocks(text: str) -> list[_Block]:
    """Blocks of a JSON-LD articleBody: HTML in it is cut like a page, plain text at line breaks."""
    if _HTML_TAG.search(text):
        return _blocks(BeautifulSoup(text, "lxml"))
    return [_Block(line, 0) for line in (_clean(x) for x in re.split(r"\n+", text)) if line]


def _keep(block: _Block, title_key: str, rules: _Rules) -> bool:
    text = block.text
    if block.link_chars > MAX_LINK_DENSITY * len(text):
        return False
    if len(text) < SHORT_BLOCK and (rules.prefix.match(text) or rules.line.fullmatch(text)):
        return False
    return not (title_key and _key(text) == title_key)
