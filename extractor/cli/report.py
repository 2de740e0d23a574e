"""Human-readable check reports: per input file, what each check compared, the gap in words and where the
fault likely lies. Amounts are written the Indonesian way, as the articles write them ("Rp41,07 miliar");
the labels are English or, with `--lang id`, Indonesian. Everything taken from the page goes through
safe.markup.
"""
from __future__ import annotations

from decimal import Decimal

from rich.console import Console

from ..models import Check, Document
from .safe import markup

LABELS = {
    "en": {"consistent": "[green]✓ consistent[/]", "inconsistent": "[bold red]✗ INCONSISTENT[/]",
           "unverifiable": "[yellow]? unverifiable[/]", "amount": "amount", "cases": "cases",
           "stated twice": "stated twice", "total": "total", "short": "{} unexplained",
           "over": "parts exceed the total by {}", "even": "no gap beyond rounding",
           "range": "rounding allows {}", "likely": "likely {}: {}", "article": "the article",
           "extraction": "the extraction", "compared": "compared", "sentence": "sentence",
           "nothing": "no total with its parts, and no figure stated twice: nothing to check ({} claims)",
           "no bound": "no bound"},
    "id": {"consistent": "[green]✓ konsisten[/]", "inconsistent": "[bold red]✗ TIDAK KONSISTEN[/]",
           "unverifiable": "[yellow]? tak dapat dipastikan[/]", "amount": "nilai", "cases": "kasus",
           "stated twice": "disebut dua kali", "total": "total", "short": "{} tidak terjelaskan",
           "over": "rincian melebihi total sebesar {}", "even": "selisih masih dalam pembulatan",
           "range": "pembulatan membolehkan {}", "likely": "kemungkinan {}: {}", "article": "artikelnya",
           "extraction": "ekstraksinya", "compared": "dibandingkan", "sentence": "kalimat",
           "nothing": "tidak ada total dengan rinciannya, dan tidak ada angka yang disebut dua kali: "
                      "tidak ada yang diperiksa ({} klaim)",
           "no bound": "tanpa batas"},
}
# the fixed reasons validate gives (evidence.likely); the others name figures and stay as given
REASONS_ID = {"the published figures cannot add up, whatever their rounding":
              "angka yang dimuat tidak mungkin berjumlah sama, apa pun pembulatannya",
              "the article does not state every part": "artikel tidak menyebut semua rinciannya"}
SCALES = ((Decimal(10) ** 12, "triliun"), (Decimal(10) ** 9, "miliar"), (Decimal(10) ** 6, "juta"))


def _number(x: Decimal, decimals: int = 3) -> str:
    """1501 -> "1.501", 41.07 -> "41,07": the Indonesian separators."""
    text = f"{x.quantize(Decimal(1).scaleb(-decimals)):,.{decimals}f}"
    if decimals:
        text = text.rstrip("0").rstrip(".")
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def short_amount(lo: float, hi: float | None, what: str, lang: str = "en") -> str:
    """"Rp41,07 miliar", an interval as "Rp41,07–41,08 miliar"; cases as "1.501–1.502 kasus".
    hi None (or the validate stage's 1e30): no upper bound, shown as ∞."""
    low = Decimal(str(lo))
    high = None if hi is None or hi >= 1e29 else Decimal(str(hi))
    if what == "cases":
        size, name, decimals = Decimal(1), LABELS[lang]["cases"], 0
        before, after = "", f" {name}"
    else:
        size, name = next(((s, n) for s, n in SCALES if max(abs(low), abs(high or low)) >= s), (Decimal(1), ""))
        decimals, before, after = 3, "Rp", f" {name}" if name else ""
    shown = _number(low / size, decimals)
    if high != low:
        shown += "–" + ("∞" if high is None else _number(high / size, decimals))
    return f"{before}{shown}{after}"


def gap_words(check: Check, lang: str = "en") -> str | None:
    """The gap as a reader says it: what the parts leave unexplained, or by how much they exceed the total."""
    gap, words = check.gap, LABELS[lang]
    if not gap:
        return None
    low, high = gap["low"], gap["high"]
    if (low is None or low <= 0) and (high is None or high >= 0):
        return words["even"]
    value = abs(gap["value"])
    if high is not None and high < 0:  # the parts fall short of the total
        said = words["short"].format(short_amount(value, value, check.what, lang))
        allowed = short_amount(-high, None if low is None else -low, check.what, lang)
    else:  # the parts exceed it
        said = words["over"].format(short_amount(value, value, check.what, lang))
        allowed = short_amount(low, high, check.what, lang)
    return said if low == high else f"{said} ({words['range'].format(allowed)})"


def _sentence(span: dict, lang: str) -> str:
    n = span.get("sentence")
    return f"{LABELS[lang]['sentence']} {'?' if n is None else n + 1}"  # counted from 1, the headline first


def compared(check: Check, lang: str = "en") -> str | None:
    """Which figures, in which sentences, the check compared."""
    if not check.evidence:
        return None
    items = [f"{span['name']} {span['text']} ({_sentence(span, lang)})" for span in check.evidence]
    return f"{LABELS[lang]['compared']}: " + "; ".join(items)


def _period(period: str | None) -> str:
    if not period:
        return ""
    start, _, end = period.partition("..")
    if start[:4] == end[:4]:
        return start[:4] if (start[5:], end[5:]) == ("01-01", "12-31") else f"{start[:7]}..{end[5:7]}"
    return f"{start[:7]}..{end[:7]}" if end and end != "None" else f"{start[:7]}.."


def _arithmetic(check: Check, lang: str) -> str:
    if check.kind == "repeat" or check.parts_sum is None or check.total is None:
        return check.why
    parts = " + ".join(check.parts or [])
    return (f"{parts} = {short_amount(check.parts_sum[0], check.parts_sum[1], check.what, lang)}, "
            f"{LABELS[lang]['total']} {short_amount(check.total[0], check.total[1], check.what, lang)}")


def check_lines(check: Check, lang: str = "en") -> list[str]:
    """The lines for one check, as rich markup (page-derived text escaped)."""
    words = LABELS[lang]
    head = f"{check.program} {words.get(check.what, check.what)}"
    if check.kind == "repeat":
        head += f", {words['stated twice']}"
    head = f"{head} {_period(check.period)}".strip()
    lines = [f"{words.get(check.verdict, markup(check.verdict))}  [bold]{markup(head)}[/]",
             f"  {markup(_arithmetic(check, lang))}"]
    gap = gap_words(check, lang)
    if gap:
        lines.append(f"  {markup(gap)}")
    if check.likely:
        reason = REASONS_ID.get(check.likely_why or "", check.likely_why) if lang == "id" else check.likely_why
        lines.append(f"  {markup(words['likely'].format(words[check.likely], reason))}")
    where = compared(check, lang)
    if where:
        lines.append(f"  [dim]{markup(where)}[/]")
    return lines


def print_report(console: Console, doc: Document, name: str, lang: str = "en") -> None:
    """One file: its name as the heading (what the user typed, so it can be found again), the title under it."""
    console.print(f"[bold underline]{markup(name)}[/]", highlight=False)
    if doc.title:  # page text: escaped, and cut before escaping (an escape is not cut)
        console.print(f"[dim]{markup(doc.title if len(doc.title) <= 76 else doc.title[:73] + '...')}[/]",
                      highlight=False)
    if not doc.checks:
        console.print(f"  {LABELS[lang]['nothing'].format(len(doc.claims))}")
        return
    for check in doc.checks:
        for line in check_lines(check, lang):
            console.print(line, highlight=False)
    console.print()
