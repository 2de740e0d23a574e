"""Offices and regions: the branch an article is about ("Cabang Bali Denpasar"), the office named in a clause,
and the province a branch lies in."""
from __future__ import annotations

from dataclasses import dataclass

from .lexicon import lexicon
from .rules import Mention, Rules


def _name_after(r: Rules, doc, i: int, inst_spans: list[tuple[int, int]]) -> tuple[str, ...]:
    """The capitalised words naming an office, after "Cabang" or the institution's name."""
    words: list[str] = []
    while i < len(doc) and len(words) < 3:
        tok = doc[i]
        if tok.is_space:
            i += 1
            continue
        if not words:
            span = next((sp for sp in inst_spans if sp[0] == i), None)
            if span:  # "Kantor Cabang BPJS Ketenagakerjaan Kudus": skip the institution's name
                i = span[1]
                continue
            if tok.text in (")",) or tok.lower_ in ("kota", "kabupaten", "kab", "pt", "persero", "(", "bpjs"):
                i += 1
                continue
        if not (tok.text[:1].isupper()) or tok.lower_ in r.branch_stop or not tok.is_alpha \
                or tok.lower_ in r.currency:
            break
        words.append(tok.text)
        i += 1
    return tuple(words)


@dataclass
class Offices:
    """Office names in an article: the one it is about, and the name written after each "Cabang"."""

    main: str | None
    at_head: dict[int, str]  # token index of a "Cabang" head -> the office it names


def find_offices(r: Rules, doc, mentions: list[Mention]) -> Offices:
    inst_spans = [(m.start, m.end) for m in mentions if m.label == "INST"]
    heads = {}
    candidates: list[tuple[tuple[str, ...], int]] = []
    for h in (m for m in mentions if m.label == "BRANCH"):
        if doc[h.start].text[:1].isupper() or doc[h.start].lower_ in ("kc", "kacab"):
            name = _name_after(r, doc, h.end, inst_spans)
            if name:
                heads[h.start] = name
                candidates.append((name, 2))
    for a, b in inst_spans:
        name = _name_after(r, doc, b, inst_spans)
        if name:
            candidates.append((name, 1))
    scores: dict[tuple[str, ...], int] = {}
    for name, weight in candidates:
        for k in range(1, len(name) + 1):
            scores[name[:k]] = scores.get(name[:k], 0) + weight

    def trimmed(name: tuple[str, ...]) -> str:
        """Drop what follows the part of a name that other mentions share ("Bali Denpasar Cep Nandi")."""
        top = max(scores[name[:k]] for k in range(1, len(name) + 1))
        return " ".join(max((name[:k] for k in range(1, len(name) + 1) if scores[name[:k]] == top), key=len))

    main = None
    if scores:
        best = max(scores, key=lambda k: (scores[k], len(k)))
        if scores[best] >= 2:
            main = " ".join(best)
    at_head = {}
    for i, name in heads.items():
        office = trimmed(name)
        # "Pekanbaru Cabang Panam" and "Cabang Pekanbaru Panam" name one office: the article's
        family = [set(n) for n, _ in candidates if main and n[0] == main.split()[0]]
        if main and any(set(office.split()) <= words for words in family):
            office = main
        at_head[i] = office
    return Offices(main=main, at_head=at_head)


def region_of(mentions: list[Mention], branch: str | None) -> str | None:
    regions = [m for m in mentions if m.label == "REGION"]
    if branch:
        lex = lexicon().section("regions")
        first = branch.lower()
        for name, words in lex.items():
            if any(first.startswith(str(w).lower()) for w in words):
                return name
    return regions[0].value if regions else None
