"""Where tokenization rules come from: spaCy's Indonesian prefix, suffix and infix rules.

The tokenizer that runs (tokenizer.Tokenizer) needs only the regular expressions, so they are read from spaCy
once and kept in the user cache (keyed by the spaCy version and this file); later runs compile them straight
from the cache and never import spaCy, whose import alone takes over a second. Our own abbreviations
(patterns/extract/lexicon.yaml) are the tokenizer's special cases.

spacy_pipeline() builds the same tokenizer inside spaCy. The tests use it, with spaCy's Matcher and
PhraseMatcher, as the reference that the plain-Python tokenizer and matchers must agree with. It is a blank
pipeline, not spacy.blank("id"): that spends about 4 s building tens of thousands of tokenizer exceptions
(reduplicated words such as "luka-luka") that our rules do not need, because every phrase in patterns/ is
tokenized by this same tokenizer.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where it is used: nothing at import time
    from .tokenizer import Tokenizer


# spaCy splits "Rp" off "Rp41,07"; news also writes it in capitals or lower case ("RP37,6 juta", "rp5 juta")
CURRENCY_PREFIXES = [r"RP(?=[0-9])", r"rp(?=[0-9])", r"IDR(?=[0-9])"]
# a missing space after a closing bracket: "(JKK)Rp43.788" is ")" "Rp" "43.788", "(JHT)sebesar" is ")" "sebesar"
GLUED_INFIXES = [r"\)(?=[A-Za-z])", r"(?<=\))(?:RP|Rp|rp)(?=[0-9])"]


@lru_cache(maxsize=1)
def tokenizer() -> Tokenizer:
    """The tokenizer every document and every lexicon phrase goes through."""
    from .lexicon import lexicon
    from .tokenizer import Tokenizer

    affixes = _compiled_affixes()
    return Tokenizer(prefix_search=affixes["prefix"].search, suffix_search=affixes["suffix"].search,
                     infix_finditer=affixes["infix"].finditer, url_match=affixes["url"].match,
                     specials=set(map(str, lexicon().section("abbreviations"))))


def spacy_pipeline():
    """The same tokenizer as a spaCy pipeline (for the tests that hold our tokenizer to spaCy's)."""
    from spacy.lang.xx import MultiLanguage
    from spacy.symbols import ORTH
    from spacy.tokenizer import Tokenizer

    from .lexicon import lexicon

    affixes = _compiled_affixes()
    rules = {str(abbr): [{ORTH: str(abbr)}] for abbr in lexicon().section("abbreviations")}

    def create_tokenizer(nlp):
        return Tokenizer(nlp.vocab, rules=rules, prefix_search=affixes["prefix"].search,
                         suffix_search=affixes["suffix"].search, infix_finditer=affixes["infix"].finditer,
                         url_match=affixes["url"].match)

    # what spacy.blank("xx") builds, minus its default tokenizer
    return MultiLanguage(create_tokenizer=create_tokenizer)


@lru_cache(maxsize=1)  # compiling these large Unicode classes is a good part of start-up: once
def _compiled_affixes() -> dict[str, re.Pattern]:
    return {name: re.compile(pattern, flags) for name, (pattern, flags) in _affix_patterns().items()}


def _affix_patterns() -> dict[str, tuple[str, int]]:
    """(pattern, flags) of the Indonesian prefix, suffix and infix rules and of spaCy's URL rule."""
    from ..cache import cache_key, cache_load, cache_store, module_stamp, source_of

    key = cache_key(module_stamp("spacy"), source_of(__file__))
    cached = cache_load("tokenizer", key)
    if isinstance(cached, dict) and set(cached) == {"prefix", "suffix", "infix", "url"}:
        return {name: (str(pattern), int(flags)) for name, (pattern, flags) in cached.items()}

    from spacy.lang.id import Indonesian
    from spacy.lang.xx import MultiLanguage
    from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

    defaults = Indonesian.Defaults
    compiled = {
        "prefix": compile_prefix_regex(list(defaults.prefixes) + CURRENCY_PREFIXES),
        "suffix": compile_suffix_regex(defaults.suffixes),
        "infix": compile_infix_regex(list(defaults.infixes) + GLUED_INFIXES),
        "url": MultiLanguage.Defaults.url_match.__self__,  # a bound Pattern.match
    }
    patterns = {name: (rx.pattern, rx.flags) for name, rx in compiled.items()}
    cache_store("tokenizer", key, patterns)
    return patterns
