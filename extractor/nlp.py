"""The spaCy pipeline: a blank Indonesian tokenizer, no models, built once per process."""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def blank_pipeline():
    import spacy

    return spacy.blank("id")
