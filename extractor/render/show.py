"""The show page: one article's clean text with every figure highlighted in place, the claims and the checks
beside it. Self-contained (inline CSS and script, no network); every piece of page-derived text goes
through html.escape, and the script's data sits in a JSON block it reads with JSON.parse, never innerHTML.

displaCy's span renderer is not used here (README, "Seeing the evidence"): its template has no slot for
the per-span attributes that link a claim's words, and it works on tokens, so a figure's span would widen
to token edges. The spaCy component (extractor/spacy_component.py) gives displaCy the same spans.
"""
from __future__ import annotations

import html
import json

from ..models import Document
from .spans import LABELS, Mark, document_marks

COLOURS = {"claim": "transparent", "amount": "#ffd166", "cases": "#9be7c4", "program": "#a0c4ff",
           "period": "#e0c3fc", "branch": "#ffc6a5", "segment": "#c8e6a0", "figure": "#dddddd"}
LEGEND = {"amount": "claim amount", "cases": "case count", "program": "program", "period": "period",
          "branch": "branch", "segment": "segment", "figure": "other figure (role)", "claim": "claim evidence"}

CSS = """
body{font:15px/1.55 system-ui,sans-serif;margin:0;color:#222;background:#fafafa}
header{padding:12px 20px;background:#fff;border-bottom:1px solid #ddd}
header h1{font-size:20px;margin:0 0 4px}
.meta{color:#666;font-size:13px}
.show{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:20px;padding:16px 20px}
.article{white-space:pre-wrap;background:#fff;padding:16px;border:1px solid #ddd;border-radius:4px}
.m{border-radius:3px;cursor:pointer}
.m.ev{border-bottom:2px solid #888}
.m.on{outline:2px solid #d00;outline-offset:1px}
tr.on{background:#ffe9e9}
table{border-collapse:collapse;width:100%;font-size:13px;background:#fff;margin-bottom:16px}
th,td{border:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}
.legend span{display:inline-block;padding:0 6px;margin:2px;border-radius:3px;font-size:12px}
.consistent{color:#087d2e}.inconsistent{color:#c00;font-weight:bold}.unverifiable{color:#a66b00}
.status{min-height:1.4em;font-size:13px;color:#333}
""" + "".join(f".m.{label}{{background:{COLOURS[label]}}}" for label in LABELS if label != "claim")

# Hovering or clicking a highlight or a claims-table row marks every element of the same claim(s).
SCRIPT = """
(function(){
  // each view (a notebook may hold several) works within its own container
  var root = document.currentScript.parentNode;
  var data = JSON.parse(root.querySelector('.show-data').textContent);
  var status = root.querySelector('.status');
  var pinned = null;
  function ids(el){ return (el.getAttribute('data-claims') || '').split(' ').filter(Boolean); }
  function light(list){
    root.querySelectorAll('[data-claims]').forEach(function(el){
      var on = list.length && ids(el).some(function(i){ return list.indexOf(i) >= 0; });
      el.classList.toggle('on', !!on);
    });
    status.textContent = list.map(function(i){ return data.claims[+i]; }).join(' | ');
  }
  root.querySelectorAll('[data-claims]').forEach(function(el){
    el.addEventListener('mouseenter', function(){ if (!pinned) light(ids(el)); });
    el.addEventListener('mouseleave', function(){ if (!pinned) light([]); });
    el.addEventListener('click', function(){ pinned = pinned ? null : ids(el); light(pinned || []); });
  });
})();
"""


def render_page(doc: Document) -> str:
    """The whole show page of one article as an HTML document."""
    title = html.escape(doc.title or doc.source.url or doc.source.path or "article")
    return (f"<!DOCTYPE html>\n<html lang=\"id\"><head><meta charset=\"utf-8\">"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            f"style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">"
            f"<title>{title}</title><style>{CSS}</style></head><body>"
            f"{render_fragment(doc, with_style=False)}</body></html>\n")


def render_fragment(doc: Document, *, with_style: bool = True) -> str:
    """The show view without the page around it: for notebooks (Document._repr_html_) and render_page."""
    claims = [_claim_summary(c) for c in doc.claims]
    data = json.dumps({"claims": claims}, ensure_ascii=False)
    return (f"<div class=\"extractor-show\">{f'<style>{CSS}</style>' if with_style else ''}"
            f"{_header(doc)}<div class=\"show\"><div class=\"article\">{highlighted(doc.text, document_marks(doc))}"
            f"</div><div class=\"side\">{_legend()}<div class=\"status\"></div>{_claims_table(doc)}"
            f"{_checks_table(doc)}</div></div>"
            f"<script type=\"application/json\" class=\"show-data\">{script_json(data)}</script>"
            f"<script>{SCRIPT}</script></div>")


def script_json(data: str) -> str:
    """JSON safe inside a <script> block: no '<' (so no </script>), '>' or '&' as themselves."""
    return data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def highlighted(text: str, marks: list[Mark]) -> str:
    """The text, escaped, with each stretch covered by marks wrapped in one span: its colour from the most
    specific label over it, data-claims the claims of all of them, title naming what they are."""
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    out = []
    for start, end in zip(cuts, cuts[1:]):
        piece = html.escape(text[start:end])
        over = [m for m in marks if m.start <= start and end <= m.end]
        if not over:
            out.append(piece)
            continue
        label = max((m.label for m in over), key=LABELS.index)
        claims = sorted({i for m in over for i in m.claims})
        names = sorted({f"{m.label} ({m.note})" if m.note and m.label == "figure" else m.label for m in over})
        classes = f"m {label}" + (" ev" if any(m.label == "claim" for m in over) else "")
        linked = f" data-claims=\"{' '.join(map(str, claims))}\"" if claims else ""
        out.append(f"<span class=\"{classes}\"{linked} title=\"{html.escape(', '.join(names))}\">{piece}</span>")
    return "".join(out)


def _claim_summary(claim) -> str:
    parts = [claim.program, claim.amount_text, f"{claim.cases} {claim.unit or ''}".strip() if claim.cases else None,
             claim.period_text, claim.branch]
    return " · ".join(p for p in parts if p)


def _header(doc: Document) -> str:
    where = doc.source.url or doc.source.path or ""
    meta = " · ".join(html.escape(x) for x in (doc.site, doc.published, doc.institution, where) if x)
    return f"<header><h1>{html.escape(doc.title or 'article')}</h1><div class=\"meta\">{meta}</div></header>"


def _legend() -> str:
    return "<div class=\"legend\">" + "".join(
        f"<span class=\"m {label}\">{LEGEND[label]}</span>" for label in reversed(LABELS) if label != "claim") + "</div>"


def _claims_table(doc: Document) -> str:
    head = "<tr><th>#</th><th>program</th><th>amount</th><th>cases</th><th>period</th><th>branch</th></tr>"
    rows = []
    for i, c in enumerate(doc.claims):
        cells = [str(i + 1), c.program + (f" ({c.detail})" if c.detail else ""), c.amount_text or "",
                 f"{c.cases} {c.unit or ''}" if c.cases is not None else "", c.period_text or "", c.branch or ""]
        rows.append(f"<tr class=\"claim-row\" data-claims=\"{i}\">"
                    + "".join(f"<td>{html.escape(x)}</td>" for x in cells) + "</tr>")
    body = "".join(rows) or "<tr><td colspan=\"6\">no claims</td></tr>"
    return f"<h2>Claims ({len(doc.claims)})</h2><table class=\"claims\">{head}{body}</table>"


def _checks_table(doc: Document) -> str:
    rows = []
    for check in doc.checks:
        verdict = html.escape(check.verdict)
        what = f"{check.kind} of {check.what}, {check.program}"
        rows.append(f"<tr><td>{html.escape(what)}</td><td class=\"{verdict}\">{verdict}</td>"
                    f"<td>{html.escape(check.why)}</td></tr>")
    body = "".join(rows) or "<tr><td colspan=\"3\">nothing to check</td></tr>"
    return ("<h2>Checks</h2><table class=\"checks\"><tr><th>check</th><th>verdict</th><th>arithmetic</th></tr>"
            f"{body}</table>")


def print_terminal(console, doc: Document) -> None:
    """The same highlights in a terminal: the text with coloured figures, then the claims and checks."""
    from rich.table import Table
    from rich.text import Text

    from ..cli.safe import plain

    text = Text(plain(doc.text))  # (plain removes only lone control characters; offsets of the rest hold)
    styles = {"amount": "bold black on yellow", "cases": "black on green", "program": "black on cyan",
              "period": "black on magenta", "branch": "black on #ffc6a5", "segment": "black on #c8e6a0",
              "figure": "black on grey70", "claim": "underline"}
    if text.plain == doc.text:
        for mark in sorted(document_marks(doc), key=lambda m: LABELS.index(m.label)):
            text.stylize(styles[mark.label], mark.start, mark.end)
    console.print(text)
    table = Table(title="claims")
    for name in ("#", "program", "amount", "cases", "period", "branch"):
        table.add_column(name)
    for i, c in enumerate(doc.claims):
        table.add_row(str(i + 1), Text(c.program), Text(c.amount_text or ""),
                      Text(f"{c.cases} {c.unit or ''}" if c.cases is not None else ""),
                      Text(plain(c.period_text or "")), Text(plain(c.branch or "")))
    console.print(table)
    for check in doc.checks:
        console.print(Text(f"{check.kind} {check.what} {check.program}: {check.verdict}: {plain(check.why)}"))
    legend = Text()
    for label in reversed(LABELS):
        legend.append(LEGEND[label], style=styles[label]).append("  ")
    console.print(legend)
