"""The rule machinery: the tokenizer and the matchers built from patterns/, and the phrases they find.

Built once per process (rules()); find_mentions() gives every lexicon phrase in a document with its
category (f"{Label.PROG}|JHT", f"{Label.QB}|more_than", f"{Label.UNIT_CLAIM}|kasus", f"{Label.NOTCLAIM}|contribution" ...).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..errors import PatternError
from .indonesian import tokenizer
from .labels import Label
from .lexicon import lexicon, token_patterns
from .matcher import PatternSyntaxError, PhraseMatcher, TokenMatcher
from .tokenizer import Doc


class Rules:
    """The tokenizer and matchers, built once per process."""

    def __init__(self) -> None:
        lex = lexicon()
        self.tokenize = tokenizer()
        self.matcher = TokenMatcher()
        for entry in token_patterns("figures.jsonl"):
            try:
                self.matcher.add(f"{entry['label']}|{entry['id']}", entry["pattern"])
            except PatternSyntaxError as exc:
                raise PatternError(f"{entry['where']}: {exc}") from exc
        self.phrases = PhraseMatcher(self.tokenize)
        raw = lex.raw

        add = self.phrases.add
        for q, words in _invert(raw["qualifiers"]["before"]).items():
            add(f"{Label.QB}|{q}", words)
        for q, words in _invert(raw["qualifiers"]["after"]).items():
            add(f"{Label.QA}|{q}", words)
        for kind in ("claim", "person", "other"):
            for w in raw["units"][kind]:
                add(f"UNIT_{kind.upper()}|{w}", [w])
        for name, words in raw["institutions"].items():
            add(f"{Label.INST}|{name}", words)
        for code, words in raw["programs"].items():
            add(f"{Label.PROG}|{code}", words)
        for code, words in raw["santunan"].items():
            add(f"{Label.SANT}|{code}", words)
        for code, phrases in raw["splits"].items():
            for phrase, detail in phrases.items():
                add(f"{Label.SPLIT}|{code}|{detail}", [phrase])
        for code, words in raw["segments"].items():
            add(f"{Label.SEG}|{code}", words)
        # a strong cue ("klaim") is a claim cue too; one mention per word, the strong one
        add(f"{Label.CUE}|claim", [w for w in raw["cues"]["claim"] if w not in raw["cues"]["claim_strong"]])
        add(f"{Label.CUE}|strong", raw["cues"]["claim_strong"])
        for phrase, role in raw["cues"]["not_claim"].items():
            add(f"{Label.NOTCLAIM}|{role}", [phrase])
        add(f"{Label.RATE}|rate", raw["cues"]["rate_after"])
        add(f"{Label.BRANCH}|head", raw["branch"]["heads"])
        for phrase, outcome in raw["outcomes"].items():
            add(f"{Label.OUTCOME}|{outcome}", [phrase])
        for path, label in raw["labels"].items():  # word lists whose phrases are all of one kind
            add(f"{label}|x", lex.section(*path.split(".")))
        for phrase, detail in raw["lines_of_business"].items():
            add(f"{Label.LOB}|{detail}", [phrase])
        for name, words in raw["regions"].items():
            add(f"{Label.REGION}|{name}", words)
        self.percent = lex.percent
        self.money_only_q = set(raw["qualifiers"]["money_only"])
        self.comparatives = set(raw["comparatives"])
        self.branch_stop = {w.lower() for w in raw["branch"]["stop"]} | {w.lower() for w in raw["branch"]["heads"]}
        self.currency = lex.currency
        self.boilerplate = tuple(str(x).lower() for x in raw["boilerplate_lines"])


def _invert(mapping: dict) -> dict:
    out: dict = {}
    for phrase, value in mapping.items():
        out.setdefault(value, []).append(phrase)
    return out


@lru_cache(maxsize=1)
def rules() -> Rules:
    """The tokenizer and matchers, built on first use."""
    return Rules()


@dataclass(slots=True)
class Mention:
    label: str
    value: str
    start: int
    end: int

    # Written out: mypyc compiles a written __init__, while the one a dataclass generates runs as Python.
    # Mentions are made by the hundred per article; Quantity, Frame and Raw do the same.
    def __init__(self, label: str, value: str, start: int, end: int) -> None:
        self.label, self.value, self.start, self.end = label, value, start, end


def find_mentions(r: Rules, doc: Doc) -> list[Mention]:
    kept: dict[str, list[Mention]] = {}
    for key, start, end in r.phrases(doc):  # by start, the longest first
        label, _, value = key.partition("|")
        items = kept.setdefault(label, [])
        if items and start < items[-1].end:
            # keep the longest of overlapping matches within a category ("lebih dari" over "lebih")
            if end - start > items[-1].end - items[-1].start:
                items[-1] = Mention(label, value, start, end)
            continue
        items.append(Mention(label, value, start, end))
    out = [m for items in kept.values() for m in items]
    # a cue word inside a longer name is part of that name: "kredit" in "asuransi kredit" is no loan
    names = [m for m in out if m.label in (Label.LOB, Label.PROG, Label.SEG, Label.INST) and m.end - m.start > 1]
    if names:
        covered = {i for n in names for i in range(n.start, n.end)}
        out = [m for m in out if m.label not in (Label.NOTCLAIM, Label.CUE, Label.SEP) or m.start not in covered or not any(
            n.start <= m.start and m.end <= n.end and n.end - n.start > m.end - m.start for n in names)]
    # by start, the longest first: (start, -length) as one number, cheaper to make and compare than a tuple
    # (a lexicon phrase is a few tokens, never 4 096)
    out.sort(key=lambda m: m.start * 4096 - (m.end - m.start))
    return out
