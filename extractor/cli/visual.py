"""Commands that show the evidence: show (one article highlighted) and report (a dataset as an HTML page)."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..errors import ExtractorError
from .app import Command, app, fail, max_bytes_option
from .safe import shown


@app.command(cls=Command)
def show(
    target: str = typer.Argument(..., metavar="URL|PATH", help="http(s) address, or a local file (.html parsed)."),
    output: Optional[str] = typer.Option(None, "-o", "--output", metavar="FILE",
                                         help="Write the HTML page here (self-contained, offline)."),
    open_page: bool = typer.Option(False, "--open", help="Open the written page in the web browser."),
    max_bytes: Optional[str] = typer.Option(None, "--max-bytes", metavar="BYTES",
                                            help="Refuse pages and files larger than this [default: 5000000]."),
) -> None:
    """Show an article's text with every figure highlighted, its claims and its checks.

    With -o, one HTML page (hover or click a claim to light up its amount, count, program and period);
    without it, the same highlights in the terminal.

    Example: extract show fixtures/balipost-bpu-claims-2024.html -o page.html --open
    """
    from ..pipeline import extract_path, extract_url
    from ..render.show import print_terminal, render_page

    cap = max_bytes_option(max_bytes)
    if open_page and not output:
        typer.echo("error: --open: needs -o FILE, the page to open", err=True)
        raise typer.Exit(2)
    try:
        if target.startswith(("http://", "https://")):
            from .app import url_settings

            doc = extract_url(target, url_settings(max_bytes=str(cap)) if cap else None, explain=True)
        else:
            doc = extract_path(target, explain=True, max_bytes=cap)
    except ExtractorError as exc:
        fail(exc)
    if not output:
        from rich.console import Console

        print_terminal(Console(), doc)
        return
    path = Path(output)
    _write(path, render_page(doc))
    typer.echo(f"wrote {shown(path)}", err=True)
    if open_page:
        import webbrowser

        webbrowser.open(path.resolve().as_uri())


@app.command(cls=Command)
def report(
    db: str = typer.Option("claims.db", "--db", metavar="DB", help="Database written by `extract batch`."),
    output: str = typer.Option("report.html", "-o", "--output", metavar="FILE",
                               help="The report page; the show pages it links go in FILE's stem + _files/."),
) -> None:
    """Write a static, offline HTML report over a claims database: counts, charts, flagged checks, errors.

    Needs matplotlib for the charts (pip install 'extractor[report]').

    Example: extract report --db claims.db -o report.html
    """
    from ..render.charts import ChartsUnavailable, require_charts
    from ..render.report import write_report
    from ..store import Store

    try:
        require_charts()
    except ChartsUnavailable as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1)
    path = Path(output)
    try:
        with Store.open(db, readonly=True) as store:
            linked, pages = write_report(store.conn, path) if _writable(path) else (0, 0)
    except ExtractorError as exc:
        fail(exc)
    typer.echo(f"wrote {shown(path)} ({pages} show pages of {linked} flagged articles)", err=True)


def _writable(path: Path) -> bool:
    """The output's folder exists, or one line and exit 3 (before any work)."""
    if not path.parent.is_dir():
        typer.echo(f"error: {shown(path)}: no such folder {shown(path.parent)}", err=True)
        raise typer.Exit(3)
    return True


def _write(path: Path, text: str) -> None:
    _writable(path)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        typer.echo(f"error: {shown(path)}: cannot write: {exc.strerror}", err=True)
        raise typer.Exit(3)
