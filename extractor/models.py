"""The values that flow through the pipeline: fetch -> parse -> extract -> validate -> output."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Source:
    url: str | None = None
    path: str | None = None
    fetched_at: str | None = None
    final_url: str | None = None


@dataclass
class Page:
    """What parsing an HTML page gives: metadata and the clean article text."""

    text: str
    title: str | None = None
    published: str | None = None  # ISO date
    site: str | None = None
    canonical_url: str | None = None
    author: str | None = None
    section: str | None = None
    next_pages: list[str] = field(default_factory=list)  # later pages of a multi-page article, in order


@dataclass
class Claim:
    program: str
    amount: int | None = None
    amount_qualifier: str | None = None
    amount_text: str | None = None
    cases: int | None = None
    cases_qualifier: str | None = None
    unit: str | None = None
    segment: str | None = None
    period_start: str | None = None
    period_end: str | None = None
    period_text: str | None = None
    branch: str | None = None
    region: str | None = None
    detail: str | None = None
    evidence: str = ""
    span: tuple[int, int] = (0, 0)
    # computed after extraction (extractor/bounds.py): what the figures' rounding and qualifiers allow
    amount_low: int | float | None = None
    amount_high: int | float | None = None  # None: no upper bound ("sedikitnya")
    cases_low: int | float | None = None
    cases_high: int | float | None = None
    unit_class: str | None = None  # cases | claims | people | heirs | other: counts of different things

    def as_dict(self) -> dict[str, Any]:
        # written out: dataclasses.asdict deep-copies every field and was a tenth of the time per article
        return {"program": self.program, "detail": self.detail, "amount": self.amount,
                "amount_qualifier": self.amount_qualifier, "amount_text": self.amount_text,
                "amount_low": self.amount_low, "amount_high": self.amount_high, "cases": self.cases,
                "cases_qualifier": self.cases_qualifier, "cases_low": self.cases_low, "cases_high": self.cases_high,
                "unit": self.unit, "unit_class": self.unit_class, "segment": self.segment,
                "period_start": self.period_start, "period_end": self.period_end, "period_text": self.period_text,
                "branch": self.branch, "region": self.region, "evidence": self.evidence, "span": list(self.span)}


@dataclass
class Figure:
    """A figure that is not a claim, with the role that says why."""

    text: str
    value: float | int
    role: str
    span: tuple[int, int] = (0, 0)

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "value": self.value, "role": self.role, "span": list(self.span)}


@dataclass
class Check:
    kind: str  # sum | repeat
    what: str  # amount | cases
    program: str
    verdict: str  # consistent | inconsistent | unverifiable
    why: str
    parts: list[str] | None = None
    total: list[float] | None = None
    parts_sum: list[float] | None = None
    values: list[float] | None = None
    period: str | None = None
    # what to act on (issue 16): sum checks have the gap {value, low, high} (parts sum minus total; None: no
    # bound) and likely = "article" | "extraction" (None when consistent) with likely_why; evidence is the
    # figures compared: [{role: total|part|statement, name, start, end, text, sentence}]
    gap: dict[str, Any] | None = None
    likely: str | None = None
    likely_why: str | None = None
    evidence: list[dict[str, Any]] | None = None

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"kind": self.kind, "what": self.what, "program": self.program}
        if self.kind == "sum":
            d.update(parts=self.parts, total=self.total, parts_sum=self.parts_sum)
        else:
            d.update(values=self.values)
        d.update(verdict=self.verdict, why=self.why, period=self.period)
        if self.kind == "sum":
            d.update(gap=self.gap, likely=self.likely, likely_why=self.likely_why)
        d.update(evidence=self.evidence)
        return d


@dataclass
class Document:
    source: Source
    text: str
    title: str | None = None
    published: str | None = None
    site: str | None = None
    institution: str | None = None
    claims: list[Claim] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    explain: list[dict[str, Any]] | None = None
    canonical_url: str | None = None  # from the page's metadata; also used to find duplicates
    author: str | None = None

    def as_dict(self) -> dict[str, Any]:
        d = {
            "source": {"url": self.source.url, "path": self.source.path, "fetched_at": self.source.fetched_at,
                       "final_url": self.source.final_url},
            "title": self.title,
            "published": self.published,
            "site": self.site,
            "author": self.author,
            "canonical_url": self.canonical_url,
            "institution": self.institution,
            "claims": [c.as_dict() for c in self.claims],
            "checks": [c.as_dict() for c in self.checks],
            "figures": [f.as_dict() for f in self.figures],
            "warnings": list(self.warnings),
        }
        if self.explain is not None:
            d["explain"] = self.explain
        return d

    def _repr_html_(self) -> str:
        """In a notebook: the article with its figures highlighted, as `extract show` draws it."""
        from .render.show import render_fragment  # here, so importing models stays light

        return render_fragment(self)
