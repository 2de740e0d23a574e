"""Boilerplate benchmark: how much of each fixture page's article body each system gets, line by line.

For every fixtures/html/<name>.html with a <name>.expected.txt, compare the body lines (the title line
left out, whitespace collapsed) extracted by OUR parser (extractor.parse.parse_html) and by
trafilatura.extract against the expected lines: precision, recall and F1 per page, then micro-averaged
over all lines. Also count the claims the extractor finds in each system's text, and how many of those
carry an Rp amount that is not in the article (a teaser, a related headline, a caption).

    python bench/boilerplate.py            # exits 1 if our F1 falls below FLOOR

trafilatura is a bench dependency only (pip install -e '.[bench]').
"""
from __future__ import annotations

import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.errors import ExtractorError  # noqa: E402
from extractor.parse import parse_html  # noqa: E402
from extractor.pipeline import read_input  # noqa: E402

FIXTURES = ROOT / "fixtures" / "html"
FLOOR = 0.98  # our micro F1 may not drop below this; lower it only on purpose

_RP = re.compile(r"Rp\.?\s?(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?\s*(triliun|miliar|milyar|juta|ribu|[TM](?![a-z]))?",
                 re.I)
_SCALE = {"triliun": 10**12, "t": 10**12, "miliar": 10**9, "milyar": 10**9, "m": 10**9, "juta": 10**6,
          "ribu": 10**3}


def lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def rupiah_amounts(text: str) -> set[int]:
    out = set()
    for whole, frac, scale in _RP.findall(text):
        value = float(whole.replace(".", "") + (f".{frac}" if frac else ""))
        out.add(round(value * _SCALE.get(scale.lower(), 1)))
    return out


def ours(html: str) -> tuple[list[str], str]:
    try:
        page = parse_html(html)
    except ExtractorError:
        return [], ""
    body = lines(page.text)
    if page.title and body and body[0] == " ".join(page.title.split()):
        body = body[1:]
    return body, page.text


def trafilatura_text(html: str) -> tuple[list[str], str]:
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=True) or ""
    return lines(text), text


def prf(found: list[str], gold: list[str]) -> tuple[int, int, int]:
    hit = sum((Counter(found) & Counter(gold)).values())
    return hit, len(found), len(gold)


def ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def claim_counter():
    """(claims, claims with an amount outside the article) for a text, or None if the extractor is missing."""
    try:
        from extractor.pipeline import extract_text

        extract_text("Uji coba.")
    except Exception as exc:  # the extractor is optional here: the line metrics stand on their own
        print(f"(claims not counted: {exc.__class__.__name__}: {exc})")
        return None

    def count(text: str, article_amounts: set[int]) -> tuple[int, int]:
        if not text.strip():
            return 0, 0
        claims = extract_text(text).claims
        leaked = sum(1 for c in claims if c.amount is not None and c.amount not in article_amounts)
        return len(claims), leaked
    return count


def main() -> int:
    try:
        import trafilatura  # noqa: F401
    except ImportError:
        print("trafilatura is not installed: pip install -e '.[bench]'", file=sys.stderr)
        return 2
    names = sorted(p.stem for p in FIXTURES.glob("*.html") if (FIXTURES / f"{p.stem}.expected.txt").exists())
    count = claim_counter()
    systems = {"ours": ours, "trafilatura": trafilatura_text}
    totals = {s: [0, 0, 0, 0, 0, 0.0] for s in systems}  # hit, found, gold, claims, leaked, seconds
    gold_claims = 0
    print(f"{'page':40} {'ours P/R/F1':>20} {'claims':>7} {'trafilatura P/R/F1':>20} {'claims':>7}")
    for name in names:
        html = read_input(str(FIXTURES / f"{name}.html"))
        expected = (FIXTURES / f"{name}.expected.txt").read_text(encoding="utf-8")
        gold = lines(expected)[1:]
        article_amounts = rupiah_amounts(expected)
        if count:
            gold_claims += count(expected, article_amounts)[0]
        row = [f"{name:40}"]
        for system, run in systems.items():
            start = time.perf_counter()
            found, text = run(html)
            elapsed = time.perf_counter() - start
            hit, n_found, n_gold = prf(found, gold)
            p, r = ratio(hit, n_found), ratio(hit, n_gold)
            claims, leaked = count(text, article_amounts) if count else (0, 0)
            t = totals[system]
            for i, v in enumerate((hit, n_found, n_gold, claims, leaked, elapsed)):
                t[i] += v
            row.append(f"{p:6.2f} {r:6.2f} {f1(p, r):6.2f}")
            row.append(f"{claims:4}/{leaked:<2}" if count else "   n/a ")
        print(" ".join(row))
    print()
    print("claims column: claims found / of them with an Rp amount that is not in the article")
    if count:
        print(f"expected text: {gold_claims} claims")
    scores = {}
    for system, (hit, n_found, n_gold, claims, leaked, seconds) in totals.items():
        p, r = ratio(hit, n_found), ratio(hit, n_gold)
        scores[system] = f1(p, r)
        claims_part = f", {claims} claims ({leaked} with a teaser amount)" if count else ""
        print(f"{system}: P {p:.2f} R {r:.2f} F1 {f1(p, r):.2f} over {len(names)} pages{claims_part}, "
              f"{seconds * 1000 / max(len(names), 1):.0f} ms/page")
    if scores["ours"] < FLOOR:
        print(f"FAIL: our F1 {scores['ours']:.3f} is below the floor {FLOOR}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
