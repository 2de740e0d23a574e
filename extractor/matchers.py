"""Matchers over a tokens.Doc: spaCy's token patterns and phrase lists, run without spaCy.

TokenMatcher runs the subset of spaCy's Matcher pattern language that patterns/figures.jsonl uses (ORTH,
LOWER, LIKE_NUM, IS_DIGIT, and the operators ? + *), with spaCy's greedy="LONGEST" filter. PhraseMatcher
finds lexicon phrases by their lower-case tokens, as spaCy's PhraseMatcher(attr="LOWER") does.
tests/test_tokens.py runs both against spaCy's own matchers.

Both look only where a match can start: at a token whose lower-case form begins a pattern or a phrase, or
(for number patterns) at a token holding a digit. A document is a few hundred tokens and a few dozen starts.
"""
from __future__ import annotations

from typing import Callable

from .tokens import Doc, like_num

OPS = {None: (1, 1), "1": (1, 1), "?": (0, 1), "+": (1, None), "*": (0, None)}


class PatternSyntaxError(ValueError):
    """A token pattern uses something this matcher does not run."""


def _text_test(key: str, value) -> tuple[Callable[[str, str], bool], frozenset[str] | None]:
    """A test on (text, lower) for an ORTH or LOWER spec, and the strings a match must be one of."""
    if isinstance(value, dict):
        if set(value) != {"IN"} or not isinstance(value["IN"], list):
            raise PatternSyntaxError(f"{key}: only a string or {{\"IN\": [...]}} is supported")
        allowed = frozenset(map(str, value["IN"]))
    elif isinstance(value, str):
        allowed = frozenset([value])
    else:
        raise PatternSyntaxError(f"{key}: expected a string, got {value!r}")
    if key == "LOWER":
        return (lambda text, lower: lower in allowed), allowed
    return (lambda text, lower: text in allowed), None


def _flag_test(key: str, value) -> Callable[[str, str], bool]:
    if not isinstance(value, bool):
        raise PatternSyntaxError(f"{key}: expected true or false, got {value!r}")
    if key == "LIKE_NUM":
        return lambda text, lower: like_num(text) == value
    return lambda text, lower: text.isdigit() == value


class _Spec:
    """One token of a pattern: the tests it must pass and how often it may repeat."""

    __slots__ = ("matches", "low", "high", "lowers", "needs_digit")

    def __init__(self, spec: dict):
        if not isinstance(spec, dict):
            raise PatternSyntaxError(f"a token spec must be an object, got {spec!r}")
        unknown = set(spec) - {"ORTH", "LOWER", "LIKE_NUM", "IS_DIGIT", "OP"}
        if unknown:
            raise PatternSyntaxError(f"unsupported token attribute {sorted(unknown)[0]}")
        if spec.get("OP") not in OPS:
            raise PatternSyntaxError(f"unsupported operator {spec.get('OP')!r}")
        self.low, self.high = OPS[spec.get("OP")]
        tests = []
        self.lowers = None  # the lower-case forms a matching token must have, when the spec says so
        for key in ("ORTH", "LOWER"):
            if key in spec:
                test, allowed = _text_test(key, spec[key])
                tests.append(test)
                self.lowers = allowed if allowed is not None else self.lowers
        for key in ("LIKE_NUM", "IS_DIGIT"):
            if key in spec:
                tests.append(_flag_test(key, spec[key]))
        # a token that is LIKE_NUM or IS_DIGIT holds a digit: only such tokens can start the pattern
        self.needs_digit = spec.get("LIKE_NUM") is True or spec.get("IS_DIGIT") is True
        if not tests:
            raise PatternSyntaxError("a token spec needs at least one attribute")
        # matches(text, lower): one call per token tried
        self.matches = tests[0] if len(tests) == 1 else (lambda text, lower: all(t(text, lower) for t in tests))


class TokenMatcher:
    """Token patterns, each under a key; matches of one key do not overlap (the longest wins)."""

    def __init__(self):
        self.added: list[tuple[str, list[dict]]] = []  # (key, pattern) as given
        self._patterns: list[tuple[str, list[_Spec]]] = []
        self._by_first_lower: dict[str, list[int]] = {}
        self._digit_first: list[int] = []
        self._anywhere: list[int] = []

    def add(self, key: str, pattern: list[dict]) -> None:
        if not isinstance(pattern, list) or not pattern:
            raise PatternSyntaxError("a pattern is a non-empty list of token specs")
        specs = [_Spec(spec) for spec in pattern]
        self.added.append((key, pattern))
        index = len(self._patterns)
        self._patterns.append((key, specs))
        first = specs[0]
        if first.low == 0:
            self._anywhere.append(index)  # an optional first token: try every position
        elif first.lowers is not None:
            for lower in first.lowers:
                self._by_first_lower.setdefault(lower, []).append(index)
        elif first.needs_digit:
            self._digit_first.append(index)
        else:
            self._anywhere.append(index)

    def __call__(self, doc: Doc) -> list[tuple[str, int, int]]:
        words, lowers = doc.words, doc.lowers
        starts: dict[int, list[int]] = {}  # pattern -> token positions where it may start
        by_lower = self._by_first_lower
        for i in [i for i, lower in enumerate(lowers) if lower in by_lower]:
            for p in by_lower[lowers[i]]:
                starts.setdefault(p, []).append(i)
        if self._digit_first:
            digits = doc.tokens_with_digits()
            for p in self._digit_first:
                starts[p] = digits
        for p in self._anywhere:
            starts[p] = list(range(len(words)))
        out: list[tuple[str, int, int]] = []
        for p in sorted(starts):
            key, specs = self._patterns[p]
            spans = {(i, end) for i in starts[p] for end in _ends(specs, i, words, lowers) if end > i}
            out.extend((key, a, b) for a, b in _longest(spans))
        return out


def _ends(specs: list[_Spec], i: int, words: list[str], lowers: list[str]) -> set[int]:
    """Every token position where the pattern, started at token i, can end."""
    reachable = {i}  # where the tokens matched so far can end
    n = len(words)
    for spec in specs:
        after: set[int] = set()
        matches, low, high = spec.matches, spec.low, spec.high
        for j in reachable:
            if low == 0:
                after.add(j)
            times = 0
            while j < n and (high is None or times < high) and matches(words[j], lowers[j]):
                j += 1
                times += 1
                if times >= low:
                    after.add(j)
        if not after:
            return after
        reachable = after
    return reachable


def _longest(spans: set[tuple[int, int]]) -> list[tuple[int, int]]:
    """spaCy's greedy="LONGEST": longest first (the earlier of equals), skipping any that overlaps a kept one."""
    kept: list[tuple[int, int]] = []
    taken: set[int] = set()
    for a, b in sorted(spans, key=lambda s: (s[1] - s[0], -s[0]), reverse=True):
        if taken.isdisjoint(range(a, b)):
            kept.append((a, b))
            taken.update(range(a, b))
    return kept


class PhraseMatcher:
    """Phrases by their lower-case tokens, each under a key; every occurrence, overlaps included.

    Matches come by start, the longest first at each start.
    """

    def __init__(self, tokenizer):
        self._tokenizer = tokenizer
        self.added: list[tuple[str, str]] = []  # (key, phrase) as given
        self._tables: dict[str, dict[int, dict[tuple[str, ...], list[str]]]] = {}  # first -> length -> keys
        self._phrases: dict[str, list[tuple[int, dict]]] = {}  # first word -> (length, table), longest first

    def add(self, key: str, phrases) -> None:
        for phrase in phrases:
            self.added.append((key, str(phrase)))
            lowers = tuple(self._tokenizer(str(phrase)).lowers)
            if not lowers:
                continue
            keys = self._tables.setdefault(lowers[0], {}).setdefault(len(lowers), {}).setdefault(lowers, [])
            if key not in keys:
                keys.append(key)
            self._phrases[lowers[0]] = sorted(self._tables[lowers[0]].items(), reverse=True)

    def __call__(self, doc: Doc) -> list[tuple[str, int, int]]:
        lowers = doc.lowers
        out = []
        phrases = self._phrases
        for i in [i for i, lower in enumerate(lowers) if lower in phrases]:
            lower = lowers[i]
            for length, table in phrases[lower]:
                keys = table.get(tuple(lowers[i:i + length]) if length > 1 else (lower,))
                if keys:
                    for key in keys:
                        out.append((key, i, i + length))
        return out
