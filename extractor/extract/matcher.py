"""Matchers over a tokens.Doc: spaCy's token patterns and phrase lists, run without spaCy.

TokenMatcher runs the subset of spaCy's Matcher pattern language that patterns/extract/figures.jsonl uses (ORTH,
LOWER, LIKE_NUM, IS_DIGIT, and the operators ? + *), with spaCy's greedy="LONGEST" filter. PhraseMatcher
finds lexicon phrases by their lower-case tokens, as spaCy's PhraseMatcher(attr="LOWER") does.
tests/test_tokens.py runs both against spaCy's own matchers.

Both look only where a match can start: at a token whose lower-case form begins a pattern or a phrase, or
(for number patterns) at a token holding a digit. A document is a few hundred tokens and a few dozen starts.
"""

from __future__ import annotations

from .tokenizer import Doc, like_num

OPS = {None: (1, 1), "1": (1, 1), "?": (0, 1), "+": (1, None), "*": (0, None)}


class PatternSyntaxError(ValueError):
    """A token pattern uses something this matcher does not run."""


def _allowed(key: str, value) -> frozenset[str]:
    """The strings an ORTH or LOWER spec allows."""
    if isinstance(value, dict):
        if set(value) != {"IN"} or not isinstance(value["IN"], list):
            raise PatternSyntaxError(f"{key}: only a string or {{\"IN\": [...]}} is supported")
        return frozenset(map(str, value["IN"]))
    if isinstance(value, str):
        return frozenset([value])
    raise PatternSyntaxError(f"{key}: expected a string, got {value!r}")


def _flag(key: str, value) -> bool:
    if not isinstance(value, bool):
        raise PatternSyntaxError(f"{key}: expected true or false, got {value!r}")
    return value


class _Spec:
    """One token of a pattern: the tests it must pass and how often it may repeat."""

    __slots__ = ("orth", "lowers", "like_num", "is_digit", "low", "high", "needs_digit")

    def __init__(self, spec: dict):
        if not isinstance(spec, dict):
            raise PatternSyntaxError(f"a token spec must be an object, got {spec!r}")
        unknown = set(spec) - {"ORTH", "LOWER", "LIKE_NUM", "IS_DIGIT", "OP"}
        if unknown:
            raise PatternSyntaxError(f"unsupported token attribute {sorted(unknown)[0]}")
        if spec.get("OP") not in OPS:
            raise PatternSyntaxError(f"unsupported operator {spec.get('OP')!r}")
        self.low, self.high = OPS[spec.get("OP")]
        # each test is None when the spec does not ask for it
        self.orth: frozenset[str] | None = _allowed("ORTH", spec["ORTH"]) if "ORTH" in spec else None
        self.lowers: frozenset[str] | None = _allowed("LOWER", spec["LOWER"]) if "LOWER" in spec else None
        self.like_num: bool | None = _flag("LIKE_NUM", spec["LIKE_NUM"]) if "LIKE_NUM" in spec else None
        self.is_digit: bool | None = _flag("IS_DIGIT", spec["IS_DIGIT"]) if "IS_DIGIT" in spec else None
        if self.orth is None and self.lowers is None and self.like_num is None and self.is_digit is None:
            raise PatternSyntaxError("a token spec needs at least one attribute")
        # a token that is LIKE_NUM or IS_DIGIT holds a digit: only such tokens can start the pattern
        self.needs_digit = self.like_num is True or self.is_digit is True

    def matches(self, text: str, lower: str) -> bool:
        """Whether a token (its text and lower-case form) passes every test of the spec."""
        if self.lowers is not None and lower not in self.lowers:
            return False
        if self.orth is not None and text not in self.orth:
            return False
        if self.like_num is not None and like_num(text) != self.like_num:
            return False
        return self.is_digit is None or text.isdigit() == self.is_digit


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
        low, high = spec.low, spec.high
        for j in reachable:
            if low == 0:
                after.add(j)
            times = 0
            while j < n and (high is None or times < high) and spec.matches(words[j], lowers[j]):
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
