"""Building the tree: lxml through a bs4 builder of our own, and small helpers over its nodes."""
from __future__ import annotations

import re
import threading
from typing import Any, Iterable

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.builder import LXMLTreeBuilder
from bs4.element import NamespacedAttribute, PageElement, PreformattedString

from .rules import BoilerplateRules

CAMEL_CASE = re.compile(r"(?<=[a-z])(?=[A-Z])")
DATE_CLASS = re.compile(r"(?:^|[\s_-])(date|time|tanggal|tgl|published|pubdate|waktu|timestamp)", re.I)
HTML_TAG = re.compile(r"<\s*(!doctype\s+html|html|head|body|meta|title|p|div|br|span|article|section|main|table|h[1-6]|a\s)\b",
                       re.I)


BLOCK_TAGS = frozenset("""
    address article aside blockquote body caption center dd details dir div dl dt fieldset figcaption figure
    footer form h1 h2 h3 h4 h5 h6 header hgroup hr html legend li main menu nav ol p pre section summary
    table tbody td tfoot th thead tr ul
""".split())


# a table cell holding any of these is page layout (old sites put whole articles in cells), not data
LAYOUT_IN_CELL = ["p", "div", "br", "table", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"]


_NON_WORD = re.compile(r"[\W_]+")


# HTML5 closes an open <p> when one of these starts, even with inline elements open inside it
# ("<p>A <span>B<p>C" is <p>A <span>B</span></p><p>C</p> in every browser). libxml2 closes it only
# when the <p> is the innermost element and the block one it knows (not <section>), and otherwise nests
# the block inside the paragraph, where the
# container search can pick the inner part and lose the text before it ("A"). (<table> is left out:
# in quirks mode, which most old pages are in, it does nest inside a <p>.)
CLOSES_P = frozenset("""
    address article aside blockquote center details dialog dir div dl fieldset figcaption figure footer
    form h1 h2 h3 h4 h5 h6 header hgroup hr main menu nav ol p pre section summary ul
""".split())


# ... unless one of these stands between (HTML5's "button scope"): the <p> is outside, and stays open
P_SCOPE = frozenset("applet button caption html marquee object table td template th".split())


_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


class _TreeBuilder(LXMLTreeBuilder):
    """Builds the BeautifulSoup tree straight from lxml's parse events, in about half the time.

    BeautifulSoup(html, "lxml") spends most of its time in generic bookkeeping per node (namespaces,
    filters, link repairs); this makes the same Tag and string objects, links and string classes
    (tests/test_parse.py compares the two trees), except for what parse_html dropped unread anyway:
    - comments, doctypes and processing instructions: nothing reads them (get_text and the walks
      skip them), and the body's were extracted first thing. The text on either side still makes two
      strings, as it did after the extraction.
    - <script> and <style> inside the body, unless JSON-LD or a date mark that dates_shown reads:
      they were decomposed unread with the other drop_tags (lxml gives them no child elements, and an
      ancestor's get_text skips their strings). Outside the body they stay: <html> can win as the
      container, and its blocks take them in.
    It also lists the elements in page order as it makes them.
    """

    def __init__(self, skip: Iterable[str]) -> None:
        super().__init__(multi_valued_attributes=None)  # class and rel stay plain text: see attr_tokens
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
        self.open_p = 0  # open <p> elements: _close_p looks for one only when there is one

    def start(self, name: str, attrib: Any, nsmap: Any = {}) -> None:
        if self.skipping:
            self.skipping += 1
            return
        if self.text:
            self._add_string()
        if name in self.skip and any(t is self.body for t in self.open) and not _read_before_drop(attrib):
            self.skipping = 1
            return
        if name in CLOSES_P and self.open_p:
            self._close_p()
        parent = self.open[-1]
        tag = Tag(self.soup, self, name, attrs=self._attrs(attrib), parent=parent, previous=self.last,
                  namespaces=self.active_namespace_prefixes[-1])
        parent.contents.append(tag)
        self.last = tag
        self.open.append(tag)
        self.tags.append(tag)
        if name == "p":
            self.open_p += 1
        if name in self.preserve_whitespace_tags:
            self.keep_space += 1
        if name in self.string_containers:
            self.string_classes.append((tag, self.string_containers[name]))
        if name == "body" and self.body is None:
            self.body = tag

    def _close_p(self) -> None:
        """Close an open <p> with what is open inside it, as HTML5 does when a block starts (CLOSES_P).
        lxml's own end events for them come later and find nothing of that name open: ignored by end()."""
        for i in range(len(self.open) - 1, 0, -1):
            name = self.open[i].name
            if name in P_SCOPE:
                return
            if name == "p":
                while len(self.open) > i:
                    self._pop()
                return

    def _pop(self) -> None:
        tag = self.open.pop()
        if tag.name == "p":
            self.open_p -= 1
        if tag.name in self.preserve_whitespace_tags:
            self.keep_space -= 1
        if self.string_classes and self.string_classes[-1][0] is tag:
            self.string_classes.pop()

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
            self._pop()

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
    """Whether _json_ld_articles or dates_shown would read this script/style element."""
    return ("ld+json" in (attrs.get("type") or "").lower()
            or "datepublished" in (attrs.get("itemprop") or "").lower()
            or bool(DATE_CLASS.search(class_and_id(attrs))))


_builders = threading.local()  # a builder (and its lxml parser) per thread: it parses one page at a time


def build_soup(html: str, rules: BoilerplateRules) -> tuple[BeautifulSoup, list[Tag]]:
    """The page as a BeautifulSoup tree, and its elements in page order."""
    skip = frozenset({"script", "style"} & set(rules.drop_tags))
    builder = getattr(_builders, "builder", None)
    if builder is None or builder.skip != skip:
        builder = _builders.builder = _TreeBuilder(skip)
    soup = BeautifulSoup(html, builder=builder)
    tags = builder.tags
    builder.reset()  # (keeps no reference to the page)
    return soup, tags


def clean_text(text: Any) -> str:
    if not isinstance(text, str):
        return ""
    if not text.isascii():
        text = _INVISIBLE.sub("", text)
    # split() cuts at the same characters as the regex \s (no-break spaces included), and is faster
    return " ".join(text.split())


def text_key(text: str) -> str:
    return _NON_WORD.sub("", text.lower())


def all_tags(root: Tag) -> list[Tag]:
    """All elements below root in page order: root.find_all(True) without bs4's (slow) generic matcher."""
    return [node for node in root.descendants if isinstance(node, Tag)]


def tags_named(tags: Iterable[Tag], *names: str) -> list[Tag]:
    return [t for t in tags if t.name in names]


_TOKEN = re.compile(r"\S+")


def attr_tokens(tag: Tag, attr: str) -> list[str]:
    """A space-separated attribute (class, rel) as its list of values, split as bs4 would split it."""
    value = tag.get(attr)
    return _TOKEN.findall(value) if value else []


def is_text(node: Any) -> bool:
    return isinstance(node, NavigableString) and not isinstance(node, PreformattedString)


def class_and_id(attrs: dict[str, str]) -> str:
    """class and id of an element (its attrs) as one lower-case string, camelCase split: "post-body x"."""
    classes, ident = attrs.get("class"), attrs.get("id")
    if not classes and not ident:
        return ""  # most elements: skip the string work
    value = " ".join(classes.split() if classes else []) + " " + (ident or "")  # (split: as attr_tokens)
    if not value.islower():  # (all lower case already: nothing for CAMEL_CASE to split)
        value = CAMEL_CASE.sub("-", value)
    return value.lower().strip()


def decomposed(node: PageElement) -> bool:
    """node.decomposed, without its slow path: on a live Tag, bs4 reads a missing attribute as a search
    for a child element of that name."""
    return "_decomposed" in vars(node)
