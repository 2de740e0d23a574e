"""The rule machinery: the tokenizer and the matchers built from patterns/, and the phrases they find.

Built once per process (rules()); find_mentions() gives every lexicon phrase in a document with its
category ("PROG|JHT", "QB|more_than", "UNIT_CLAIM|kasus", "NOTCLAIM|contribution" ...).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..errors import PatternError
from .indonesian import tokenizer
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
            add(f"QB|{q}", words)
        for q, words in _invert(raw["qualifiers"]["after"]).items():
            add(f"QA|{q}", words)
        for kind in ("claim", "person", "other"):
            for w in raw["units"][kind]:
                add(f"UNIT_{kind.upper()}|{w}", [w])
        for name, words in raw["institutions"].items():
            add(f"INST|{name}", words)
        for code, words in raw["programs"].items():
            add(f"PROG|{code}", words)
        for code, words in raw["santunan"].items():
            add(f"SANT|{code}", words)
        for phrase, detail in raw["jht_reasons"].items():
            add(f"REASON|{detail}", [phrase])
        for code, words in raw["segments"].items():
            add(f"SEG|{code}", words)
        # a strong cue ("klaim") is a claim cue too; one mention per word, the strong one
        add("CUE|claim", [w for w in raw["cues"]["claim"] if w not in raw["cues"]["claim_strong"]])
        add("CUE|strong", raw["cues"]["claim_strong"])
        for phrase, role in raw["cues"]["not_claim"].items():
            add(f"NOTCLAIM|{role}", [phrase])
        add("RATE|rate", raw["cues"]["rate_after"])
        add("COMPARE|x", raw["cues"]["comparison"])
        add("FROM|x", raw["cues"]["change_from"])
        add("NIL|x", raw["cues"]["nil"])
        add("SEP|x", raw["clauses"]["separators"])
        add("BLOCK|x", raw["clauses"]["count_program_blockers"])
        add("MONEYCUE|x", raw["money_cues"])
        add("COUNTCUE|x", raw["count_cues"])
        add("COUNTHEAD|x", raw["count_heads"])
        add("BRANCH|head", raw["branch"]["heads"])
        add("ANAPHORA|x", raw["anaphora"])
        add("ASIDE|x", raw["aside"])
        add("TOTALCUE|x", raw["total_cues"])
        add("DISTRIB|x", raw["distributive"])
        for phrase, outcome in raw["outcomes"].items():
            add(f"OUTCOME|{outcome}", [phrase])
        add("PARTIAL|x", raw["partial"])
        add("LEVEL|x", raw["levels"])
        add("AGGREGATE|x", raw["aggregate"])
        add("COPULA|x", raw["copulas"])
        for phrase, detail in raw["lines_of_business"].items():
            add(f"LOB|{detail}", [phrase])
        for name, words in raw["regions"].items():
            add(f"REGION|{name}", words)
        self.percent = lex.percent
        self.money_only_q = set(raw["qualifiers"]["money_only"])
        self.comparatives = set(raw["comparatives"])
        self.branch_stop = {w.lower() for w in raw["branch"]["stop"]} | {w.lower() for w in raw["branch"]["heads"]}
        self.total_program = raw["total_program"]
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
    names = [m for m in out if m.label in ("LOB", "PROG", "SEG", "INST") and m.end - m.start > 1]
    if names:
        covered = {i for n in names for i in range(n.start, n.end)}
        out = [m for m in out if m.label not in ("NOTCLAIM", "CUE", "SEP") or m.start not in covered or not any(
            n.start <= m.start and m.end <= n.end and n.end - n.start > m.end - m.start for n in names)]
    # by start, the longest first: (start, -length) as one number, cheaper to make and compare than a tuple
    # (a lexicon phrase is a few tokens, never 4 096)
    out.sort(key=lambda m: m.start * 4096 - (m.end - m.start))
    return out
