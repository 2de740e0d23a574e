"""Human-readable check reports: a rich table per article that fits an 80-column terminal."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from ..models import Document
from .safe import markup

MARKS = {"consistent": "[green]✓ consistent[/]", "inconsistent": "[bold red]✗ INCONSISTENT[/]",
         "unverifiable": "[yellow]? unverifiable[/]"}


def _short_period(period: str | None) -> str:
    if not period:
        return ""
    start, _, end = period.partition("..")
    if start[:4] == end[:4]:
        return f"{start[:7]}..{end[5:7]}" if start[5:] != "01-01" or end[5:] != "12-31" else start[:4]
    return f"{start[:7]}..{end[:7]}" if end and end != "None" else f"{start[:7]}.."


def _arithmetic(check) -> str:
    if check.kind == "repeat":
        return check.why
    why = check.why
    if check.verdict == "unverifiable":
        return why
    sums, _, rest = why.partition("; total ")
    total = rest.split(":")[0]
    return f"{sums.split(' = ')[-1]} vs total {total}"


def check_table(doc: Document, name: str) -> Table:
    title = doc.title or name
    title = markup(title if len(title) <= 76 else title[:73] + "...")  # (cut first: an escape is not cut)
    table = Table(title=title, title_justify="left", expand=False,
                  show_lines=True)
    table.add_column("Figure", no_wrap=False, max_width=18)
    table.add_column("Parts", max_width=14)
    table.add_column("Arithmetic", ratio=1)
    table.add_column("Verdict", no_wrap=True)
    for c in doc.checks:
        figure = f"{c.program} {c.what}\n{_short_period(c.period)}".strip()
        parts = " ".join(c.parts or []) if c.kind == "sum" else "stated twice"
        # (what the checks say comes from the page too: program details, figures as written)
        table.add_row(markup(figure), markup(parts), markup(_arithmetic(c)),
                      MARKS.get(c.verdict, markup(c.verdict)))
    return table


def print_report(console: Console, doc: Document, name: str) -> None:
    if not doc.checks:
        console.print(f"[bold]{markup(doc.title or name)}[/]\n  no total with its parts, and no figure stated twice: "
                      f"nothing to check ({len(doc.claims)} claims)")
        return
    console.print(check_table(doc, name))
