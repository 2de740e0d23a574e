"""Extract stage: article text -> claims (and the figures that are not claims).

In: the clean article text (title on the first line), and the publication date when known. Out: Result,
the claims (program, amount, count, period, branch, segment, with evidence and span) and the other figures
with the reason they are not claims. The steps, one module each: tokenizer (spaCy's algorithm), mentions
(lexicon phrases and token patterns), quantities (money and counts), numbers, periods, dating (the period a
sentence states, the year an article is about), offices, sentences, context (what carries from sentence to
sentence), linking (figures into claims) and merge (one claim per published figure).
"""
from .claims import Result, extract

__all__ = ["extract", "Result"]
