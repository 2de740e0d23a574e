"""The spaCy pipeline: a blank tokenizer with Indonesian punctuation rules, no models, built once.

spacy.blank("id") spends about 4 s building tens of thousands of tokenizer exceptions (reduplicated
words such as "luka-luka"). Our rules do not need them: every phrase in patterns/ is tokenized by this same
tokenizer, so a reduplicated word splits the same way in the text and in the pattern. We keep spaCy's
Indonesian prefix/suffix/infix rules and add only the abbreviations listed in patterns/lexicon.yaml.
"""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def blank_pipeline():
    import spacy
    from spacy.lang.id import Indonesian
    from spacy.symbols import ORTH
    from spacy.tokenizer import Tokenizer
    from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

    from .lexicon import lexicon

    nlp = spacy.blank("xx")
    defaults = Indonesian.Defaults
    rules = {abbr: [{ORTH: abbr}] for abbr in lexicon().section("abbreviations")}
    nlp.tokenizer = Tokenizer(
        nlp.vocab,
        rules=rules,
        prefix_search=compile_prefix_regex(defaults.prefixes).search,
        suffix_search=compile_suffix_regex(defaults.suffixes).search,
        infix_finditer=compile_infix_regex(defaults.infixes).finditer,
        url_match=nlp.tokenizer.url_match,
    )
    return nlp
