"""A Document as character spans of its clean text (Document.text), each with a label and the claims it
belongs to: what the show page, the terminal view and the spaCy component highlight.

Amounts and counts come from the explain spans (the exact words the extractors read). The program, period,
branch and segment words are not in the output as offsets, so they are found in the text: the program's
lexicon phrase (from the explain patterns) in the claim's sentence, the period, branch and segment as
written, the occurrence nearest the claim's amount. Extraction itself is not changed or repeated here,
except that a Document without explain is extracted again with it (same text, same claims).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..models import Claim, Document, Page

# Labels in the order their colour wins when spans overlap (the later, the more specific).
LABELS = ("claim", "figure", "segment", "branch", "period", "program", "cases", "amount")
_PROGRAM_PATTERN = re.compile(r"^lexicon programs: '(.+)' -> ")


@dataclass
class Mark:
    start: int
    end: int
    label: str  # one of LABELS
    claims: list[int] = field(default_factory=list)  # indexes into Document.claims it is part of
    note: str = ""  # a figure's role, a claim's program


def with_explain(doc: Document) -> Document:
    """The document with its explain entries (extracted again from its text if it has none)."""
    if doc.explain is not None:
        return doc
    from ..pipeline import extract_text

    again = extract_text(doc.text, source=doc.source, explain=True,
                         page=Page(text=doc.text, title=doc.title, published=doc.published, site=doc.site))
    return replace(doc, explain=again.explain)


def document_marks(doc: Document) -> list[Mark]:
    """Every claim's parts and every other figure, as marks sorted by position (same span and label once)."""
    doc = with_explain(doc)
    explains = doc.explain or []
    marks: dict[tuple[int, int, str], Mark] = {}

    def add(start: int, end: int, label: str, claim: int | None = None, note: str = "") -> None:
        if start < 0 or end <= start:
            return
        mark = marks.setdefault((start, end, label), Mark(start, end, label, note=note))
        if claim is not None and claim not in mark.claims:
            mark.claims.append(claim)

    for i, claim in enumerate(doc.claims):
        explain = explains[i] if i < len(explains) and explains[i].get("program") == claim.program else {}
        add(*claim.span, "claim", i, claim.program)
        anchor = claim.span[0]
        for start, end, words in explain.get("spans", []):
            label = "amount" if claim.amount_text and words in claim.amount_text else "cases"
            add(start, end, label, i)
            anchor = start if label == "amount" else anchor
        sentence_start = _sentence_start(doc.text, explain.get("sentence"), claim.span[0])
        for pattern in explain.get("patterns", []):
            if m := _PROGRAM_PATTERN.match(pattern):
                sentence = explain.get("sentence") or ""
                found = _nearest(sentence, m[1], anchor - sentence_start)
                if found is not None:
                    start = sentence_start + found
                    end = start + len(m[1])
                    # the lexicon phrase "Jaminan Kematian (JKM" stops before the bracket that closes it
                    end += "(" in m[1] and doc.text[end:end + 1] == ")"
                    add(start, end, "program", i)
        for label, words in _written_parts(claim):
            found = _nearest(doc.text, words, anchor)
            if found is not None:
                add(found, found + len(words), label, i)
    for figure in doc.figures:
        add(*figure.span, "figure", note=figure.role)
    return sorted(marks.values(), key=lambda m: (m.start, -m.end, LABELS.index(m.label)))


def _written_parts(claim: Claim) -> list[tuple[str, str]]:
    parts = [("period", claim.period_text), ("branch", claim.branch), ("segment", claim.segment)]
    return [(label, words) for label, words in parts if words]


def _sentence_start(text: str, sentence: str | None, claim_start: int) -> int:
    """Where the claim's sentence starts in the text: the last occurrence at or before the claim."""
    if not sentence:
        return claim_start
    at = text.rfind(sentence, 0, claim_start + len(sentence))
    return at if at >= 0 else max(text.find(sentence), 0)


def _nearest(text: str, words: str, anchor: int) -> int | None:
    """The start of the occurrence of words (case-insensitive, whole words) nearest the anchor; one before
    it wins a tie, as a period or branch is stated before the figures it applies to."""
    pattern = re.compile(rf"(?<!\w){re.escape(words)}(?!\w)", re.IGNORECASE)
    starts = [m.start() for m in pattern.finditer(text)]
    if not starts:
        return None
    return min(starts, key=lambda s: (abs(s - anchor), s > anchor))
