"""The spaCy component `claim_figures`: our extraction as a pipe in anyone's `nlp`.

    nlp = spacy.blank("id"); nlp.add_pipe("claim_figures"); doc = nlp(text)

It is found through the `spacy_factories` entry point (pyproject.toml), so no import of ours is needed.
It runs the pipeline's extract_text on doc.text and sets doc.spans["claims"] (each claim's evidence,
labelled with its program), doc.spans["figures"] (each claim's amount, count, program, period, branch and
segment words, and every other figure, labelled as in the show page: amount, cases, ..., figure) and
doc._.claims (the claims as dicts, as `extract file` prints them). Character spans widen to token edges
(alignment_mode="expand"). displacy.render(doc, style="span", options={"spans_key": "claims"}) draws them.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from .render.show import COLOURS

# displaCy options that colour the figures as the show page does
DISPLACY_OPTIONS = {"spans_key": "figures", "colors": {k: v for k, v in COLOURS.items() if k != "claim"}}


@Language.factory("claim_figures")
def make_claim_figures(nlp: Language, name: str) -> "ClaimFigures":
    return ClaimFigures()


class ClaimFigures:
    def __init__(self) -> None:
        if not Doc.has_extension("claims"):
            Doc.set_extension("claims", default=None)

    def __call__(self, doc: Doc) -> Doc:
        from .pipeline import extract_text
        from .render.spans import document_marks

        result = extract_text(doc.text, explain=True)
        doc._.claims = [c.as_dict() for c in result.claims]
        claims, figures = [], []
        for mark in document_marks(result):
            span = doc.char_span(mark.start, mark.end, alignment_mode="expand")
            if span is None:
                continue
            if mark.label == "claim":
                claims.append(Span(doc, span.start, span.end, label=mark.note))
            else:
                label = f"figure: {mark.note}" if mark.label == "figure" and mark.note else mark.label
                figures.append(Span(doc, span.start, span.end, label=label))
        doc.spans["claims"] = claims
        doc.spans["figures"] = figures
        return doc
