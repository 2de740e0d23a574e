"""The spaCy pipeline: a blank tokenizer with Indonesian punctuation rules, no models, built once.

spacy.blank("id") spends about 4 s building tens of thousands of tokenizer exceptions (reduplicated
words such as "luka-luka"). Our rules do not need them: every phrase in patterns/ is tokenized by this same
tokenizer, so a reduplicated word splits the same way in the text and in the pattern. We keep spaCy's
Indonesian prefix/suffix/infix rules and add only the abbreviations listed in patterns/lexicon.yaml.

Start-up cost is what this module is about: even importing spacy.lang.id builds those exceptions (0.2-0.4 s),
and spacy.blank() would compile a second set of affix regexes only to throw them away. So the affix
patterns are read from spaCy once and kept in the user cache (keyed by the spaCy version and this file);
later runs compile them straight from the cache and never import spacy.lang.id.
"""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def blank_pipeline():
    import re

    from spacy.lang.xx import MultiLanguage
    from spacy.symbols import ORTH
    from spacy.tokenizer import Tokenizer

    from .lexicon import lexicon

    affixes = _affix_patterns()
    rules = {abbr: [{ORTH: abbr}] for abbr in lexicon().section("abbreviations")}

    def create_tokenizer(nlp):
        return Tokenizer(
            nlp.vocab,
            rules=rules,
            prefix_search=re.compile(*affixes["prefix"]).search,
            suffix_search=re.compile(*affixes["suffix"]).search,
            infix_finditer=re.compile(*affixes["infix"]).finditer,
            url_match=re.compile(*affixes["url"]).match,
        )

    # what spacy.blank("xx") builds, minus its default tokenizer
    return MultiLanguage(create_tokenizer=create_tokenizer)


def _affix_patterns() -> dict[str, tuple[str, int]]:
    """(pattern, flags) of the Indonesian prefix, suffix and infix rules and of spaCy's URL rule."""
    from spacy.about import __version__ as spacy_version

    from .lexicon import cache_key, cache_load, cache_store, source_of

    key = cache_key(spacy_version, source_of(__file__))
    cached = cache_load("tokenizer", key)
    if isinstance(cached, dict) and set(cached) == {"prefix", "suffix", "infix", "url"}:
        return {name: (str(pattern), int(flags)) for name, (pattern, flags) in cached.items()}

    from spacy.lang.id import Indonesian
    from spacy.lang.xx import MultiLanguage
    from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

    defaults = Indonesian.Defaults
    compiled = {
        "prefix": compile_prefix_regex(defaults.prefixes),
        "suffix": compile_suffix_regex(defaults.suffixes),
        "infix": compile_infix_regex(defaults.infixes),
        "url": MultiLanguage.Defaults.url_match.__self__,  # a bound Pattern.match
    }
    patterns = {name: (rx.pattern, rx.flags) for name, rx in compiled.items()}
    cache_store("tokenizer", key, patterns)
    return patterns
