"""Commands about single articles: url, file, text, check."""
from __future__ import annotations

import json
from typing import Optional

import typer

from ..errors import ExtractorError
from ..urls import public_url
from .app import Command, app, dump, fail, max_bytes_option, meta_options, url_settings
from .safe import plain, shown

MAX_BYTES_HELP = "Refuse pages and files larger than this [default: 5000000]."
URL_HELP = "The article's address, for a local file (one input only); also NAME.meta.json's \"url\"."
PUBLISHED_HELP = "The publication date, YYYY-MM-DD, for local files: it dates periods stated without a year."
SITE_HELP = "The site or publication name, for local files."


@app.command(cls=Command)
def url(
    address: str = typer.Argument(..., metavar="URL", help="http(s) address of the article."),
    pretty: bool = typer.Option(False, "--pretty", help="Indent the JSON."),
    explain: bool = typer.Option(False, "--explain", help="Add, per claim, the sentence, spans and patterns that fired."),
    # Numbers are read as text and checked by url_settings, so a bad value gives one line, not a usage box.
    timeout: Optional[str] = typer.Option(None, "--timeout", metavar="SECONDS",
                                          help="Give up on the page after this long in all: robots.txt, retries and back-off included [default: 60]."),
    max_bytes: Optional[str] = typer.Option(None, "--max-bytes", metavar="BYTES",
                                            help="Refuse pages larger than this, counted after decompression [default: 5000000]."),
    retries: Optional[str] = typer.Option(None, "--retries", metavar="N",
                                          help="Retries on connection errors, 429 and 5xx [default: 3]."),
    delay: Optional[str] = typer.Option(None, "--delay", metavar="SECONDS",
                                        help="Minimum pause between two requests to the same host [default: 1.0]."),
    user_agent: Optional[str] = typer.Option(None, "--user-agent", metavar="TEXT",
                                             help="User-Agent header, also matched against robots.txt [default: extractor/<version> (...)]."),
    ignore_robots: bool = typer.Option(False, "--ignore-robots", help="Fetch the page even if robots.txt disallows it."),
) -> None:
    """Fetch one article and print its claims as one JSON document.

    Example: extract url https://www.balipost.com/news/2024/07/15/412345/... --pretty --timeout 30
    """
    from ..pipeline import extract_url

    try:
        settings = url_settings(timeout=timeout, max_bytes=max_bytes, retries=retries, delay=delay,
                                user_agent=user_agent, ignore_robots=ignore_robots)
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)
    try:
        doc = extract_url(address, settings, explain=explain)
    except ExtractorError as exc:
        fail(exc)
    typer.echo(dump(doc.as_dict(), pretty))


@app.command(cls=Command)
def file(
    paths: list[str] = typer.Argument(..., metavar="PATH...", help=".html/.htm read as HTML, anything else as text, - for stdin."),
    pretty: bool = typer.Option(False, "--pretty", help="Indent the JSON; several files make one JSON array."),
    explain: bool = typer.Option(False, "--explain", help="Add, per claim, the sentence, spans and patterns that fired."),
    max_bytes: Optional[str] = typer.Option(None, "--max-bytes", metavar="BYTES", help=MAX_BYTES_HELP),
    url: Optional[str] = typer.Option(None, "--url", metavar="URL", help=URL_HELP),
    published: Optional[str] = typer.Option(None, "--published", metavar="YYYY-MM-DD", help=PUBLISHED_HELP),
    site: Optional[str] = typer.Option(None, "--site", metavar="NAME", help=SITE_HELP),
    with_text: bool = typer.Option(False, "--with-text",
                                   help="Add \"text\": the clean article text the spans index."),
) -> None:
    """Extract claims from local files: one JSON document per line, in argument order.

    A file that fails still gets its line, with an "error" field, and the exit code is non-zero.
    Metadata a file lacks comes from the options, then from a sidecar NAME.meta.json beside it
    (keys url, title, published, site). `extract schema` describes every field.

    Example: extract file fixtures/balipost-bpu-claims-2024.txt fixtures/balipost-bpu-claims-2024.html
    """
    from ..pipeline import extract_path

    cap = max_bytes_option(max_bytes)
    meta = meta_options(url, published, site, paths)
    exit_code = 0
    docs = []
    for path in paths:
        try:
            doc = extract_path(path, explain=explain, max_bytes=cap, meta=meta)
            out = doc.as_dict()
            if with_text:
                out["text"] = doc.text
        except ExtractorError as exc:
            typer.echo(f"error: {shown(exc)}", err=True)
            exit_code = exit_code or exc.exit_code
            out = {"source": {"url": None, "path": path, "fetched_at": None, "final_url": None},
                   "error": str(exc), "claims": [], "checks": [], "figures": [], "warnings": []}
        if pretty and len(paths) > 1:
            docs.append(out)  # one JSON array in the end: indented documents one after another are not JSON
        else:
            typer.echo(dump(out, pretty))
    if docs:
        typer.echo(dump(docs, pretty))
    raise typer.Exit(exit_code)


@app.command(cls=Command)
def text(
    target: str = typer.Argument(..., metavar="URL|PATH",
                                 help="http(s) address, or a local file: .html/.htm parsed, anything else printed as is; - for stdin."),
    max_bytes: Optional[str] = typer.Option(None, "--max-bytes", metavar="BYTES", help=MAX_BYTES_HELP),
) -> None:
    """Print the clean article text the extractors see: the title, then one paragraph per line.

    Paragraphs are separated by blank lines, exactly as in the text that claim spans point into.

    Example: extract text fixtures/html/kompas-sumbagut-2020.html
    """
    from ..pipeline import article_text

    cap = max_bytes_option(max_bytes)
    try:
        settings = url_settings(max_bytes=str(cap)) if cap and target.startswith(("http://", "https://")) else None
        content, warnings = article_text(target, settings, max_bytes=cap)
    except ExtractorError as exc:
        fail(exc)
    for warning in warnings:
        typer.echo(f"warning: {shown(warning)}", err=True)
    content = plain(content)  # page text, not terminal commands: control characters go
    typer.echo(content, nl=not content.endswith("\n"))


@app.command(cls=Command)
def check(
    inputs: list[str] = typer.Argument(..., metavar="URL|PATH...", help="Articles: http(s) URLs or local files."),
    as_json: bool = typer.Option(False, "--json", help="Print the checks alone as JSON Lines, one line per input."),
    max_bytes: Optional[str] = typer.Option(None, "--max-bytes", metavar="BYTES", help=MAX_BYTES_HELP),
    lang: str = typer.Option("en", "--lang", metavar="en|id", help="Labels of the report: English or Indonesian."),
    url: Optional[str] = typer.Option(None, "--url", metavar="URL", help=URL_HELP),
    published: Optional[str] = typer.Option(None, "--published", metavar="YYYY-MM-DD", help=PUBLISHED_HELP),
    site: Optional[str] = typer.Option(None, "--site", metavar="NAME", help=SITE_HELP),
) -> None:
    """Check whether each article's published figures add up: a report per article.

    Exit status: 0 when every check is consistent, 1 when any is inconsistent; an input that fails gives
    its error's exit code (the first one's; the table in README.md), as in `extract file`.

    Example: extract check fixtures/balipost-bpu-claims-2024.html
    """
    from rich.console import Console

    from ..pipeline import extract_path, extract_url
    from .report import print_report

    cap = max_bytes_option(max_bytes)
    if lang not in ("en", "id"):
        typer.echo(f"error: --lang: must be en or id, got {shown(lang)}", err=True)
        raise typer.Exit(2)
    meta = meta_options(url, published, site, inputs)
    settings = url_settings(max_bytes=str(cap)) if cap and any(i.startswith(("http://", "https://")) for i in inputs) \
        else None
    console = Console()
    inconsistent = False
    error_code = 0
    for item in inputs:
        try:
            doc = extract_url(item, settings) if item.startswith(("http://", "https://")) \
                else extract_path(item, max_bytes=cap, meta=meta)
        except ExtractorError as exc:
            typer.echo(f"error: {shown(exc)}", err=True)
            error_code = error_code or exc.exit_code
            continue
        inconsistent = inconsistent or any(c.verdict == "inconsistent" for c in doc.checks)
        name = public_url(item)  # a URL's credentials are never printed
        if as_json:
            typer.echo(json.dumps({"input": name, "checks": [c.as_dict() for c in doc.checks]}, ensure_ascii=False))
        else:
            print_report(console, doc, name, lang)
    raise typer.Exit(error_code or (1 if inconsistent else 0))


@app.command(cls=Command)
def schema(
    markdown: bool = typer.Option(False, "--markdown", help="Print the field reference as Markdown (docs/fields.md)."),
) -> None:
    """Print the JSON Schema (draft 2020-12) of the per-article document, every field described.

    Example: extract schema > document.schema.json
    """
    from ..schema import document_schema, render_markdown

    typer.echo(render_markdown() if markdown else dump(document_schema(), True), nl=not markdown)
