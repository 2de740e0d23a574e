"""`extract reconcile`: the same published figure across articles, and where the outlets disagree.

Only argument parsing and printing; the grouping is extractor/store/reconcile.py. Registered on app.app.
"""
from __future__ import annotations

import typer

from ..errors import ExtractorError
from .app import app, fail
from .safe import plain


@app.command()
def reconcile(
    db: str = typer.Option("claims.db", "--db", metavar="DB", help="Database written by `extract batch`."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON Lines: one object per group."),
    every: bool = typer.Option(False, "--all", help="Print every figure, also those only one source states."),
) -> None:
    """Group the claims that state the same figure in different articles, and flag conflicts.

    A figure is the same institution, program (and detail), period, branch, region and segment. Its
    sources agree when their stated intervals (rounding, "lebih", "sekitar") overlap; a syndicated copy
    is one source. The figures are stored (table figures: `extract export --table figures`), and
    `extract stats` counts each once. Prints the figures two or more sources state, and every conflict.
    Exit code 1 when a cross-source conflict exists, 13 when the database cannot be used.

    \b
    Example: extract batch articles/ --db claims.db && extract reconcile --db claims.db
    """
    from ..store import Store
    from ..store.reconcile import json_lines

    try:
        Store.open(db, readonly=True).close()  # an existing claims database: never create an empty one
        with Store.open(db) as store:
            figures = store.reconcile()
    except ExtractorError as exc:
        fail(exc)
    shown = [f for f in figures if every or f.n_sources > 1 or not f.agree]
    if as_json:
        typer.echo(json_lines(shown), nl=False)
    else:
        for f in shown:
            typer.echo(_text(f))
        conflicts = sum(not f.agree for f in figures)
        typer.echo(f"{len(figures)} figures from {sum(len(f.claims) for f in figures)} claims; "
                   f"{sum(f.n_sources > 1 for f in figures)} stated by several sources; {conflicts} conflicts",
                   err=True)
    raise typer.Exit(1 if any(not f.agree for f in figures) else 0)


def _value(name: str, value) -> str:
    """A figure in full, the Indonesian way (Rp12.347.560.000, 1.284): the precision is the point here."""
    if value is None:
        return "-"
    text = f"{int(value):,}".replace(",", ".")
    return f"Rp{text}" if name == "amount" else text


def _text(f) -> str:
    """A figure as a few plain lines; page text (sites, evidence) has its control characters removed."""
    k = f.key
    where = " ".join(x for x in (k["branch"], f"({k['region']})" if k["region"] else None, k["segment"]) if x)
    program = k["program"] + (f" / {k['detail']}" if k["detail"] else "")
    head = (f"{'CONFLICT' if not f.agree else 'agree'}  {k['institution'] or '?'} {program} "
            f"{k['period_start'] or '?'}..{k['period_end'] or '?'} {where}  [{f.n_sources} sources]")
    lines = [head]
    for name in ("amount", "cases"):
        v = f.verdict(name)
        if v is not None:
            span = f"{_value(name, v.low)} .. {_value(name, v.high) if v.high is not None else 'no ceiling'}"
            state = "agreed" if v.agree else "most sources"
            lines.append(f"  {name}: {_value(name, v.best[name])} (most precise, {v.best['site'] or '?'}); "
                         f"{state}: {span}")
    lines += [f"  why: {w}" for w in f.why]
    for c in f.claims:
        copy = f" (copy of {c['source_article']})" if c["source"] != c["article_id"] else ""
        lines.append(f"  - {c['site'] or '?'} {c['published'] or '?'}: amount {_value('amount', c['amount'])}, "
                     f"cases {_value('cases', c['cases'])}: \"{c['evidence']}\" {c['article']}{copy}")
    return "\n".join(plain(line).replace("\n", " ") for line in lines)
