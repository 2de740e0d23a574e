"""Tokens without spaCy at run time: a tokenizer that follows spaCy's algorithm, and a small Doc.

spaCy is where our tokenization rules come from (its Indonesian prefix, suffix and infix rules, see indonesian.py),
but importing spaCy alone takes over a second, more than the whole `extract file` run may take. So the
tokenizer here runs spaCy's algorithm (split on whitespace, peel prefixes and suffixes, split infixes, keep
special cases whole) in plain Python over the same regular expressions. tests/test_tokens.py checks that it
gives spaCy's tokens on every fixture and on generated text.

Doc, Token and Span offer the part of spaCy's API that the extract stage uses (text, idx, lower_, is_space,
...), over plain lists: creating spaCy's Token objects was the slow part of every loop over a document.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import Callable, Iterator

_DIGIT = re.compile(r"\d")


CACHE_LIMIT = 100_000  # distinct whitespace-separated chunks kept; then the cache starts afresh (flat memory)


class Tokenizer:
    """spaCy's tokenizer algorithm over the given affix rules; a chunk seen before is looked up, not split."""

    def __init__(self, prefix_search: Callable, suffix_search: Callable, infix_finditer: Callable,
                 url_match: Callable | None, specials: set[str]):
        self.prefix_search = prefix_search
        self.suffix_search = suffix_search
        self.infix_finditer = infix_finditer
        self.url_match = url_match
        self.specials = frozenset(specials)
        self._cache: dict[str, tuple[str, ...]] = {}
        self._digit_pieces: dict[str, tuple[int, ...]] = {}  # chunk -> which of its pieces hold a digit
        # a special case that the affix rules would cut up ("s.d." -> "s.d" "."), as those pieces: spaCy
        # joins such pieces back into the special token where they turn up ("s.d.Rp"). (spaCy joins them
        # across a space too, making a token the text does not hold; here they must touch.)
        self._special_pieces = {}
        for special in self.specials:
            pieces = self._split(special, frozenset())
            if len(pieces) > 1:
                self._special_pieces[pieces] = special

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        starts: list[int] = []
        digits: list[int] = []  # the tokens that hold a digit, for the number patterns
        cache, digit_cache = self._cache, self._digit_pieces
        pos = 0
        # the whitespace-separated chunks, found where they start (the next one after the last: the gap
        # before it is all whitespace, so it cannot start earlier); str.split makes no match objects
        for chunk in text.split():
            at = text.find(chunk, pos)
            if at != pos:
                # one plain space after a token belongs to it; any other whitespace is a token of its own
                if at == pos + 1 and text[pos] == " " and words:
                    pos += 1
                else:
                    pos = self._add_whitespace(text[pos:at], pos, words, starts)
            pieces = cache.get(chunk)
            if pieces is None:
                pieces = self._pieces(chunk)
            digit_at = digit_cache.get(chunk)
            if digit_at is None:
                digit_at = tuple(k for k, piece in enumerate(pieces) if _DIGIT.search(piece))
                if len(digit_cache) >= CACHE_LIMIT:
                    digit_cache.clear()
                digit_cache[chunk] = digit_at
            for k in digit_at:
                digits.append(len(words) + k)
            if len(pieces) == 1:
                words.append(chunk)
                starts.append(pos)
                pos += len(chunk)
            else:
                for piece in pieces:
                    words.append(piece)
                    starts.append(pos)
                    pos += len(piece)
        if pos < len(text):
            self._add_whitespace(text[pos:], pos, words, starts)
        return Doc(text, words, starts, digits)

    def _add_whitespace(self, space: str, pos: int, words: list[str], starts: list[int]) -> int:
        if words and space[0] == " ":
            space, pos = space[1:], pos + 1
        if space:
            for piece in self._pieces(space):
                words.append(piece)
                starts.append(pos)
                pos += len(piece)
        return pos

    def _pieces(self, chunk: str) -> tuple[str, ...]:
        """The tokens of a whitespace-free (or all-whitespace) chunk, from the cache or split afresh."""
        pieces = self._cache.get(chunk)
        if pieces is None:
            pieces = self._split(chunk, self.specials)
            if len(pieces) > 1 and self._special_pieces:
                pieces = self._join_specials(pieces)
            if len(self._cache) >= CACHE_LIMIT:
                self._cache.clear()
            self._cache[chunk] = pieces
        return pieces

    def _split(self, chunk: str, specials: frozenset[str]) -> tuple[str, ...]:
        if chunk in specials:
            return (chunk,)
        prefixes, core, suffixes = self._peel(chunk, specials)
        return (*prefixes, *self._infixes(core, specials), *reversed(suffixes))

    def _join_specials(self, pieces: tuple[str, ...]) -> tuple[str, ...]:
        """Join runs of pieces that spell a special case; longer runs first, as spaCy's special matcher does."""
        found = [(a, a + len(run)) for run in self._special_pieces for a in range(len(pieces) - len(run) + 1)
                 if pieces[a:a + len(run)] == run]
        if not found:
            return pieces
        kept: dict[int, int] = {}
        taken: set[int] = set()
        for a, b in sorted(found, key=lambda span: (span[1] - span[0], span[0]), reverse=True):
            if a not in taken and b - 1 not in taken:
                kept[a] = b
            taken.update(range(a, b))
        out = []
        i = 0
        while i < len(pieces):
            if i in kept:
                out.append("".join(pieces[i:kept[i]]))
                i = kept[i]
            else:
                out.append(pieces[i])
                i += 1
        return tuple(out)

    def _peel(self, string: str, specials: frozenset[str]) -> tuple[list[str], str, list[str]]:
        """Prefixes and suffixes off the chunk, as spaCy's Tokenizer._split_affixes does."""
        prefixes: list[str] = []
        suffixes: list[str] = []
        last_size = 0
        while string and len(string) != last_size:
            if string in specials:
                break
            last_size = len(string)
            pre_len = _length(self.prefix_search(string))
            if pre_len:
                prefix, minus_pre = string[:pre_len], string[pre_len:]
                if minus_pre and minus_pre in specials:
                    prefixes.append(prefix)
                    string = minus_pre
                    break
            suf_len = _length(self.suffix_search(string[pre_len:]))
            if suf_len:
                suffix, minus_suf = string[-suf_len:], string[:-suf_len]
                if minus_suf and minus_suf in specials:
                    suffixes.append(suffix)
                    string = minus_suf
                    break
            if pre_len and suf_len and pre_len + suf_len <= len(string):
                prefixes.append(prefix)
                suffixes.append(suffix)
                string = string[pre_len:-suf_len]
            elif pre_len:
                prefixes.append(prefix)
                string = minus_pre
            elif suf_len:
                suffixes.append(suffix)
                string = minus_suf
        return prefixes, string, suffixes

    def _infixes(self, string: str, specials: frozenset[str]) -> list[str]:
        if not string:
            return []
        if string in specials or (self.url_match and self.url_match(string)):
            return [string]
        out = []
        start = 0
        for m in self.infix_finditer(string):
            a, b = m.span()
            if a == 0:  # an infix at the very start splits nothing
                continue
            if a != start:
                out.append(string[start:a])
            if a != b:
                out.append(string[a:b])
            start = b
        if string[start:]:
            out.append(string[start:])
        return out


def _length(match) -> int:
    return match.end() - match.start() if match is not None else 0


class Doc:
    """A tokenized text: parallel lists of token texts and start offsets."""

    __slots__ = ("text", "words", "starts", "_digits", "_lowers", "_spaces")

    def __init__(self, text: str, words: list[str], starts: list[int], digits: list[int]):
        self.text = text
        self.words = words
        self.starts = starts
        self._digits = digits  # the tokens that hold a digit, noted by the tokenizer
        self._lowers: list[str] | None = None
        self._spaces: list[bool] | None = None

    @property
    def spaces(self) -> list[bool]:
        """Whether a plain space follows each token (a whitespace token is never followed by one)."""
        if self._spaces is None:
            text = self.text
            self._spaces = [text[s + len(w):s + len(w) + 1] == " " for w, s in zip(self.words, self.starts)]
        return self._spaces

    @property
    def lowers(self) -> list[str]:
        if self._lowers is None:
            self._lowers = [w.lower() for w in self.words]
        return self._lowers

    def __len__(self) -> int:
        return len(self.words)

    def __getitem__(self, key):
        if isinstance(key, slice):
            start, end, _ = key.indices(len(self.words))
            return Span(self, start, max(start, end))
        if key < 0:
            key += len(self.words)
        if not 0 <= key < len(self.words):
            raise IndexError(key)
        return Token(self, key)

    def __iter__(self) -> Iterator[Token]:
        return (Token(self, i) for i in range(len(self.words)))

    def end_char(self, i: int) -> int:
        """Where token i ends in the text."""
        return self.starts[i] + len(self.words[i])

    def tokens_with_digits(self) -> list[int]:
        """Indices of the tokens that hold a digit (the tokenizer notes them chunk by chunk, as it splits)."""
        return self._digits

    def char_span(self, start: int, end: int) -> Span | None:
        """The tokens that the characters [start, end) touch (spaCy's alignment_mode="expand")."""
        first = bisect_right(self.starts, start) - 1
        if first < 0 or self.end_char(first) <= start:
            first += 1
        last = bisect_left(self.starts, end)
        if first >= last:
            return None
        return Span(self, first, last)


class Token:
    __slots__ = ("doc", "i")

    def __init__(self, doc: Doc, i: int):
        self.doc = doc
        self.i = i

    @property
    def text(self) -> str:
        return self.doc.words[self.i]

    @property
    def idx(self) -> int:
        return self.doc.starts[self.i]

    @property
    def lower_(self) -> str:
        return self.text.lower()

    @property
    def is_space(self) -> bool:
        return self.text.isspace()

    @property
    def is_alpha(self) -> bool:
        return self.text.isalpha()

    @property
    def is_lower(self) -> bool:
        return self.text.islower()

    @property
    def is_digit(self) -> bool:
        return self.text.isdigit()

    @property
    def like_num(self) -> bool:
        return like_num(self.text)

    def __len__(self) -> int:
        return len(self.doc.words[self.i])

    def __repr__(self) -> str:
        return self.text


class Span:
    __slots__ = ("doc", "start", "end")

    def __init__(self, doc: Doc, start: int, end: int):
        self.doc = doc
        self.start = start
        self.end = end

    @property
    def start_char(self) -> int:
        return self.doc.starts[self.start] if self.end > self.start else 0

    @property
    def end_char(self) -> int:
        return self.doc.end_char(self.end - 1) if self.end > self.start else 0

    @property
    def text(self) -> str:
        return self.doc.text[self.start_char:self.end_char]

    def __len__(self) -> int:
        return self.end - self.start

    def __getitem__(self, i: int) -> Token:
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return Token(self.doc, self.start + i)

    def __iter__(self) -> Iterator[Token]:
        return (Token(self.doc, i) for i in range(self.start, self.end))


def like_num(text: str) -> bool:
    """spaCy's LIKE_NUM for a language without number words: "1.501", "41,07", "-5", "3/4"."""
    if text[:1] in ("+", "-", "±", "~"):
        text = text[1:]
    text = text.replace(",", "").replace(".", "")
    if text.isdigit():
        return True
    if text.count("/") == 1:
        num, denom = text.split("/")
        return num.isdigit() and denom.isdigit()
    return False
