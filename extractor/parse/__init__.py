"""Parse stage: HTML -> Page (metadata + the clean article text).

In: the page's HTML and its URL. Out: Page (title, published, site, author, section, canonical URL,
continuation pages, and the text the extract stage reads). Modules: tree (building it), metadata,
boilerplate (what is thrown away), rules (the data in patterns/parse/), page (the steps in order).

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

The vocabularies live in patterns/parse/boilerplate.yaml. Page.text is the title on the first line, a blank
line, then the paragraphs separated by blank lines: the extractor relies on that shape.
"""
from .page import parse_html

__all__ = ["parse_html"]
