"""Command-line layer: parse arguments, call the library, print. Errors become one line on stderr."""
from __future__ import annotations

import json
import sys
from typing import Optional

import typer

from . import __version__
from .errors import ExtractorError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help=(
        "Extract claim-payout figures (BPJS Ketenagakerjaan, Jasa Raharja, Taspen ...) from Indonesian "
        "news articles as checked, structured JSON.\n\n"
        "Example:\n\n"
        "  extract file fixtures/balipost-bpu-claims-2024.html --pretty"
    ),
)


def fail(exc: ExtractorError) -> None:
    """The one place where library errors become a message and an exit code."""
    typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(exc.exit_code)


def dump(doc: dict, pretty: bool) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2 if pretty else None)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"extract {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Show the version and exit."),
) -> None:
    """Extract claim-payout figures from Indonesian news articles."""


@app.command()
def url(
    address: str = typer.Argument(..., metavar="URL", help="http(s) address of the article."),
    pretty: bool = typer.Option(False, "--pretty", help="Indent the JSON."),
    explain: bool = typer.Option(False, "--explain", help="Add, per claim, the sentence, spans and patterns that fired."),
) -> None:
    """Fetch one article and print its claims as one JSON document.

    Example: extract url https://www.balipost.com/news/2024/07/15/412345/... --pretty
    """
    from .pipeline import extract_url

    try:
        doc = extract_url(address, explain=explain)
    except ExtractorError as exc:
        fail(exc)
    typer.echo(dump(doc.as_dict(), pretty))


@app.command()
def file(
    paths: list[str] = typer.Argument(..., metavar="PATH...", help=".html/.htm read as HTML, anything else as text, - for stdin."),
    pretty: bool = typer.Option(False, "--pretty", help="Indent the JSON (one document per file, not JSON Lines)."),
    explain: bool = typer.Option(False, "--explain", help="Add, per claim, the sentence, spans and patterns that fired."),
) -> None:
    """Extract claims from local files: one JSON document per line, in argument order.

    A file that fails still gets its line, with an "error" field, and the exit code is non-zero.

    Example: extract file fixtures/balipost-bpu-claims-2024.txt fixtures/balipost-bpu-claims-2024.html
    """
    from .pipeline import extract_path

    exit_code = 0
    for path in paths:
        try:
            out = extract_path(path, explain=explain).as_dict()
        except ExtractorError as exc:
            typer.echo(f"error: {exc}", err=True)
            exit_code = exit_code or exc.exit_code
            out = {"source": {"url": None, "path": path, "fetched_at": None, "final_url": None},
                   "error": str(exc), "claims": [], "checks": [], "figures": [], "warnings": []}
        typer.echo(dump(out, pretty))
    raise typer.Exit(exit_code)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
