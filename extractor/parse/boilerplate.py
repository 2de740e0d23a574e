"""Boilerplate removal: junk and page furniture dropped, the article's container chosen by its prose, and
the container cut into blocks kept or dropped by the phrase rules."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterator

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PageElement

from .rules import BoilerplateRules
from .tree import (
    BLOCK_TAGS, HTML_TAG, LAYOUT_IN_CELL, all_tags, attr_tokens, class_and_id, clean_text, decomposed, is_text,
    tags_named, text_key
)

MIN_PARAGRAPH = 25  # characters of own text before a block counts as prose when scoring containers


GOOD_PARAGRAPH = 80  # ... and before it counts as "real prose" that protects its ancestors from removal


MAX_LINK_DENSITY = 0.5  # a block that is mostly link text is a teaser, a menu or a tag list


SHORT_BLOCK = 300  # phrase rules only judge blocks shorter than this: boilerplate lines are short


_SENTENCE_END = re.compile(r"[.!?:\"'”’»)\]]$")


_CONTINUES = re.compile(r"[,;\-–—/]$")  # a line ending like this goes on after the <br>


_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


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

    root: Tag
    tags: list[Tag]  # elements below root in page order
    # own text of the blocks, in page order: (string or <br>, its block, chars, commas, inside a link)
    marks: list[tuple[PageElement, Tag, int, int, bool]]
    labels: list[NavigableString]  # strings that start with a teaser label


def _walk(root: Tag, rules: BoilerplateRules) -> _Walk:
    walk = _Walk(root, [], [], [])
    add_tag, add_mark, add_label = walk.tags.append, walk.marks.append, walk.labels.append
    is_label = rules.teaser.match
    # An explicit stack of (children still to visit, their block, inside a link, text counts), not
    # recursion: pages nest elements thousands deep, past Python's recursion limit. Page order is kept:
    # a child element's frame goes on top and is finished before its parent's next child.
    stack: list[tuple[Iterator[PageElement], Tag, bool, bool]] = [(iter(root.contents), root, False, True)]
    while stack:
        children, block, in_link, counts = stack[-1]
        for child in children:
            if isinstance(child, Tag):
                add_tag(child)
                name = child.name
                if name in BLOCK_TAGS:
                    stack.append((iter(child.contents), child, in_link, counts))
                elif name == "br":
                    if counts:
                        add_mark((child, block, 0, 0, False))
                    # (HTML gives <br> no content; it would not count)
                    stack.append((iter(child.contents), block, in_link, False))
                else:
                    stack.append((iter(child.contents), block, in_link or name == "a", counts))
                break
            if is_text(child):
                if is_label(child.strip()):
                    add_label(child)
                if counts and not child.isspace():  # (whitespace between tags cleans to "")
                    text = clean_text(child)
                    if text:
                        add_mark((child, block, len(text) + 1, text.count(","), in_link))
        else:  # no child left
            stack.pop()
    return walk


def _paragraphs(walk: _Walk) -> list[_Para]:
    """Own-text statistics of the blocks that still hold text (or line breaks)."""
    stats: dict[int, _Para] = {}
    for node, block, chars, commas, in_link in walk.marks:
        if decomposed(node):
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


def _prose_by_ancestor(paras: list[_Para], walk: _Walk) -> tuple[dict[int, int], dict[int, int], dict[int, int]]:
    """Per element (by id): all own-text chars below it, link chars below it, and 'good prose' chars.

    Good prose is a paragraph of some length, mostly not link text, whose parent is not mostly link
    text either: the summary under a linked headline in a teaser card is not good prose.
    """
    chars: dict[int, int] = defaultdict(int)
    links: dict[int, int] = defaultdict(int)
    for p in paras:
        chars[id(p.tag)] += p.chars
        if p.link_chars:  # (adding 0 changes nothing: the dicts default to 0)
            links[id(p.tag)] += p.link_chars
    _add_up(walk, chars, links)
    good: dict[int, int] = defaultdict(int)
    for p in paras:
        parent = p.tag.parent if p.tag.parent is not None else p.tag
        if (p.chars < GOOD_PARAGRAPH or p.link_chars >= 0.3 * p.chars
                or links[id(parent)] >= 0.3 * chars[id(parent)]):
            continue
        good[id(p.tag)] += p.chars
    _add_up(walk, good)
    return chars, links, good


def _add_up(walk: _Walk, *sums: dict[int, int]) -> None:
    """Turn per-element counts into counts of the element and everything below it, for the elements
    of the walk and the root's ancestors. One pass from the last element back (a child comes after
    its parent in page order), not a climb to the top from every paragraph: that is quadratic in
    the nesting depth, minutes for a page of paragraphs nested in each other ten thousand deep."""
    for tag in reversed(walk.tags):
        if decomposed(tag):
            continue
        key, parent = id(tag), id(tag.parent)
        for counts in sums:
            if counts.get(key):
                counts[parent] += counts[key]
    node = walk.root.parent
    while node is not None:  # above the root (<html> above <body>) everything below it is the root's
        for counts in sums:
            counts[id(node)] = counts.get(id(walk.root), 0)
        node = node.parent


def _is_hidden(tag: Tag, rules: BoilerplateRules) -> bool:
    """Whether the reader never sees the element: inline style, the hidden attribute, or the hiding
    classes and attributes of patterns/parse/boilerplate.yaml (`hidden`)."""
    attrs = tag.attrs
    style = attrs.get("style")
    if "hidden" in attrs or (style and _HIDDEN_STYLE.search(style)):
        return True
    for name, value in rules.hidden_attributes:
        found = attrs.get(name)
        if isinstance(found, str) and found.strip().lower() == value:
            return True
    classes = attrs.get("class")
    if not classes:
        return False
    names = classes.lower().split()
    return (any(c in rules.hidden_classes for c in names)
            and not any(rules.shown_by.fullmatch(c) for c in names))


def drop_junk(root: Tag, tags: list[Tag], rules: BoilerplateRules) -> _Walk:
    """Drop what is never article text, then page furniture that does not hold most of the prose.

    The tree comes without comments, and without the body's scripts and styles (see _TreeBuilder):
    few drop_tags are left. Returns the walk over what was left then, for main_containers."""
    drop = frozenset(rules.drop_tags)
    for tag in [t for t in tags if t.name in drop and any(p is root for p in t.parents)]:
        tag.decompose()
    walk = _walk(root, rules)
    _, _, good = _prose_by_ancestor(_paragraphs(walk), walk)
    total = good.get(id(root), 0)
    doomed = []
    for tag in walk.tags:
        furniture = (tag.name in rules.structural_tags or _is_hidden(tag, rules)
                     or bool(rules.negative.search(class_and_id(tag.attrs))))
        if furniture and good.get(id(tag), 0) <= 0.5 * total:
            doomed.append(tag)
    _decompose_outermost(doomed)
    _drop_teasers(root, [s for s in walk.labels if not decomposed(s)], rules)
    return walk


def _decompose_outermost(tags: list[Tag]) -> None:
    """Decompose each tag unless an ancestor is going too (its subtree is destroyed with it)."""
    doomed = {id(t) for t in tags}
    outermost = [t for t in tags if not any(id(a) in doomed for a in t.parents)]
    for tag in outermost:
        tag.decompose()


def _drop_teasers(root: Tag, labels: list[NavigableString], rules: BoilerplateRules) -> None:
    """'<strong>Baca juga:</strong> <a>...</a>', '<p>Baca juga: ...</p>': the teaser goes, and after a
    bare label inside a paragraph, the link that follows it."""
    doomed: list[Tag] = []
    for string in labels:
        # the widest element that starts with the label and is still short
        target = None
        node = string.parent
        while node is not None and node is not root:
            text = clean_text(node.get_text(" "))
            if len(text) >= SHORT_BLOCK or not rules.teaser.match(text):
                break
            target, node = node, node.parent
        if target is None:
            continue
        doomed.append(target)
        text = clean_text(target.get_text(" "))
        if target.name not in BLOCK_TAGS and rules.teaser.sub("", text).strip(" :-–") == "":
            after = target.next_sibling
            while after is not None and is_text(after) and not str(after).strip(" \n\t:\xa0"):
                after = after.next_sibling
            if isinstance(after, Tag) and after.name == "a":
                doomed.append(after)
    _decompose_outermost(doomed)


def _class_weight(tag: Tag, rules: BoilerplateRules) -> float:
    value = class_and_id(tag.attrs)
    weight = 0.0
    # a content container often carries a widget class too ("txt-article multi-fontsize"): positive wins
    if rules.positive.search(value):
        weight += 25
    elif rules.negative.search(value):
        weight -= 25
    if "articlebody" in (tag.get("itemprop") or "").lower():
        weight += 40
    return weight


def main_containers(root: Tag, walk: _Walk, rules: BoilerplateRules) -> list[Tag]:
    """The element holding the article prose, plus siblings that score close to it."""
    paras = _paragraphs(walk)  # what the furniture and teasers left
    chars, links, _ = _prose_by_ancestor(paras, walk)
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
        classes = attr_tokens(sib, "class")
        if classes and classes == attr_tokens(node, "class") and inner.get(sib_id, 0.0) > 0:
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


@dataclass
class _Block:
    text: str
    link_chars: int
    soft: bool = False  # ended by a single <br>: may be a wrapped line of the next block


def blocks_of(container: Tag) -> list[_Block]:
    """Cut a container into text blocks at block elements and line breaks."""
    blocks: list[_Block] = []
    buf: list[tuple[str, bool]] = []

    def flush(soft: bool) -> None:
        text = clean_text("".join(t for t, _ in buf))
        if text:
            link = sum(len(clean_text(t)) for t, is_link in buf if is_link)
            blocks.append(_Block(text, link, soft))
        elif blocks:
            blocks[-1].soft = False
        buf.clear()

    # (children still to visit, inside a link, a block element: the block ends when they are done),
    # an explicit stack as in _walk: no recursion, however deep the page nests
    stack: list[tuple[Iterator[PageElement], bool, bool]] = [(iter(container.contents), False, False)]
    while stack:
        children, in_link, is_block = stack[-1]
        for child in children:
            if isinstance(child, Tag):
                if child.name == "br":
                    flush(soft=True)
                    continue
                if child.name in ("td", "th") and not tags_named(all_tags(child), *LAYOUT_IN_CELL):
                    # a data cell: the row stays one line ("JHT | 1.200 kasus | Rp10 miliar")
                    if any(t.strip() for t, _ in buf):
                        buf.append((" | ", False))
                    stack.append((iter(child.contents), in_link, False))
                elif child.name in BLOCK_TAGS:
                    flush(soft=False)
                    stack.append((iter(child.contents), in_link, True))
                else:
                    stack.append((iter(child.contents), in_link or child.name == "a", False))
                break
            if is_text(child):
                buf.append((str(child), in_link))
        else:  # no child left
            stack.pop()
            if is_block:
                flush(soft=False)
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


def text_blocks(text: str) -> list[_Block]:
    """Blocks of a JSON-LD articleBody: HTML in it is cut like a page, plain text at line breaks."""
    if HTML_TAG.search(text):
        return blocks_of(BeautifulSoup(text, "lxml"))
    return [_Block(line, 0) for line in (clean_text(x) for x in re.split(r"\n+", text)) if line]


def keep_block(block: _Block, title_key: str, rules: BoilerplateRules) -> bool:
    text = block.text
    if block.link_chars > MAX_LINK_DENSITY * len(text):
        return False
    if len(text) < SHORT_BLOCK and (rules.prefix.match(text) or rules.line.fullmatch(text)):
        return False
    return not (title_key and text_key(text) == title_key)
