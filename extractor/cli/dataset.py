"""Commands that build and read a claims database: batch, export, stats. Registered on app.app.

Only argument parsing and printing live here; the work is in the store package. Heavy imports stay
inside the commands so `extract --help` remains fast.
"""

from __future__ import annotations

from typing import Optional

import typer

from ..errors import ExtractorError
from .app import app, fail
from .safe import markup, shown


@app.command()
def batch(
    paths: Optional[list[str]] = typer.Argument(
        None, metavar="PATH", help="Local .html/.htm/.txt files, or folders walked recursively for them."),
    urls: Optional[str] = typer.Option(None, "--urls", metavar="FILE",
                                       help="File of URLs, one per line (# comments allowed); - for stdin."),
    db: str = typer.Option("claims.db", "--db", metavar="DB", help="SQLite database to write (created if missing)."),
    concurrency: int = typer.Option(8, "--concurrency", "-c", min=1, help="Pages fetched at the same time."),
    delay: Optional[float] = typer.Option(None, "--delay", min=0.0, metavar="SECONDS",
                                          help="Pause between two requests to one host [default: the fetch stage's]."),
    timeout: Optional[float] = typer.Option(None, "--timeout", min=0.0, metavar="SECONDS",
                                            help="Give up on a page after this long in all, robots.txt included [default: the fetch stage's]."),
    retries: Optional[int] = typer.Option(None, "--retries", min=0,
                                          help="Retries of a failed fetch [default: the fetch stage's]."),
    ignore_robots: bool = typer.Option(False, "--ignore-robots", help="Fetch pages robots.txt disallows."),
    refresh: bool = typer.Option(False, "--refresh", help="Redo inputs already in the database."),
    retry_failed: bool = typer.Option(False, "--retry-failed", help="Redo inputs recorded as failed."),
    processes: int = typer.Option(0, "--processes", min=0, help="Extract in this many processes (0: one thread here)."),
    max_bytes: Optional[int] = typer.Option(None, "--max-bytes", min=1, metavar="BYTES",
                                            help="Refuse pages and files larger than this [default: 5000000]."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar or summary, only errors on stderr."),
) -> None:
    """Extract claims from many URLs and files into a SQLite database, resumably.

    Inputs already in the database are skipped, so rerunning the same command after an interruption
    carries on where it stopped. Exit code 1 when some input failed (each failure is recorded with its
    reason), 130 when interrupted.

    \b
    Example: extract batch --urls urls.txt articles/ --db claims.db --concurrency 16
    """
    from ..store import BatchOptions, collect_items, run_batch

    try:
        items = collect_items(urls, paths or [])
        options = BatchOptions(concurrency=concurrency, delay=delay, timeout=timeout, retries=retries,
                               respect_robots=not ignore_robots, refresh=refresh, retry_failed=retry_failed,
                               processes=processes, max_bytes=max_bytes)
        reporter = _QuietReporter() if quiet else _RichReporter()
        try:
            summary = run_batch(db, items, options, reporter)
        finally:
            reporter.close()
    except ExtractorError as exc:
        fail(exc)
    if summary.interrupted:
        typer.echo(f"interrupted: {summary.done} inputs saved in {db}; run the same command to resume", err=True)
        raise typer.Exit(130)
    if not quiet:
        _print_summary(summary, db)
    raise typer.Exit(1 if summary.failed else 0)


def _failure(rec) -> str:
    """A failure's line: the error, after the input unless the message names it already (cut short)."""
    from ..urls import public_url, shown

    named = public_url(rec.input)[:60] in (rec.error or "")
    return rec.error if named else f"{shown(rec.input, 100)}: {rec.error}"


class _QuietReporter:
    def start(self, summary) -> None:
        pass

    def saved(self, rec, saved, summary) -> None:
        if saved.status == "failed":
            typer.echo(f"failed: {shown(_failure(rec))}", err=True)

    def close(self) -> None:
        pass


class _RichReporter:
    """A progress bar on stderr with ok / failed / duplicate / claims counts; failures printed above it."""

    def __init__(self):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.summary = None
        self.progress = Progress(
            TextColumn("[bold]batch"), BarColumn(), MofNCompleteColumn(),
            TextColumn("[green]{task.fields[ok]} ok[/] [red]{task.fields[failed]} failed[/] "
                       "[yellow]{task.fields[duplicate]} dup[/] [cyan]{task.fields[claims]} claims[/]"),
            TimeElapsedColumn(), _polite_eta(self),
            console=Console(stderr=True), transient=False)
        self.task = None

    def start(self, summary) -> None:
        self.summary = summary
        if summary.skipped:
            self.progress.console.print(f"skipping {summary.skipped} inputs already in the database"
                                        + (f" ({summary.skipped_failed} failed; --retry-failed to redo them)"
                                           if summary.skipped_failed else ""))
        if summary.todo:
            self.progress.start()
        self.task = self.progress.add_task("batch", total=summary.todo, ok=0, failed=0, duplicate=0, claims=0)

    def saved(self, rec, saved, summary) -> None:
        if saved.status == "failed":
            self.progress.console.print(f"failed: {shown(_failure(rec))}", markup=False, highlight=False)
        self.progress.update(self.task, advance=1, ok=summary.ok, failed=summary.failed,
                             duplicate=summary.duplicate, claims=summary.claims)

    def close(self) -> None:
        self.progress.stop()


def _polite_eta(reporter: "_RichReporter"):
    """A progress column with the time remaining from BatchSummary.eta (the pace so far, floored by the
    per-host delay), not rich's pace alone, which promises too much while the first pages of many hosts
    come in fast. (Defined here: rich is imported only when a batch shows progress.)"""
    from rich.progress import ProgressColumn
    from rich.text import Text

    class PoliteEta(ProgressColumn):
        def render(self, task):
            eta = reporter.summary.eta() if reporter.summary is not None else None
            if eta is None:
                return Text("-:--:--", style="progress.remaining")
            s = int(eta + 0.5)
            return Text(f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}", style="progress.remaining")

    return PoliteEta()


def _print_summary(summary, db: str) -> None:
    if summary.todo == 0:
        # a rerun after a complete run: say so, rather than "0 of 0 inputs"
        failed = (f" ({summary.skipped_failed} recorded as failed: --retry-failed to redo them)"
                  if summary.skipped_failed else "")
        typer.echo(f"nothing to do: all {summary.skipped} inputs are already in {db}{failed}; "
                   "--refresh redoes them all", err=True)
        return
    skipped = f", {summary.skipped} skipped (already done)" if summary.skipped else ""
    typer.echo(f"{summary.done} of {summary.todo} inputs: {summary.ok} ok, {summary.failed} failed, "
               f"{summary.duplicate} duplicate{skipped}; {summary.claims} claims; "
               f"{summary.seconds:.1f} s ({summary.pages_per_second:.1f} pages/s) -> {db}", err=True)


@app.command()
def export(
    db: str = typer.Option("claims.db", "--db", metavar="DB", help="Database written by `extract batch`."),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", metavar="csv|jsonl|parquet|xlsx",
                                      help="Output format [default: from the --output suffix, else csv]."),
    output: str = typer.Option("-", "--output", "-o", metavar="FILE", help="File to write; - for stdout."),
    table: str = typer.Option("claims", "--table", metavar="claims|checks|check_claims|figures|articles",
                              help="claims (one row per claim, with its claim_id and its article's url, title, "
                                   "published, site, institution), checks (with the claim ids they are about), "
                                   "check_claims (one row per check and claim), figures (one row per figure "
                                   "reconciled across articles: `extract reconcile`), or articles."),
    excel: bool = typer.Option(False, "--excel", help="CSV for Excel in an Indonesian locale: UTF-8 with a "
                                                      "byte-order mark, ';' between cells, decimal comma."),
    institution: Optional[str] = typer.Option(None, "--institution", metavar="TEXT",
                                              help="Only articles whose institution contains TEXT (any case)."),
    program: Optional[str] = typer.Option(None, "--program", metavar="CODES",
                                          help="Only these program codes, comma-separated (TOTAL,JHT)."),
    since: Optional[str] = typer.Option(None, "--since", metavar="DATE",
                                        help="Only figures dated on or after DATE (YYYY-MM-DD, YYYY-MM, YYYY). A claim's "
                                             "date is the end of its period, else the article's publication date."),
    until: Optional[str] = typer.Option(None, "--until", metavar="DATE",
                                        help="Only figures dated on or before DATE (dated as for --since)."),
    region: Optional[str] = typer.Option(None, "--region", metavar="TEXT",
                                         help="Only claims whose region contains TEXT (any case)."),
) -> None:
    """Export the database's claims (or checks, or articles) as CSV, JSON Lines, Parquet or xlsx.

    Filters select claims; checks are kept when a claim they are about is, articles when one of their
    claims is (--institution and the dates apply to the articles themselves). Exit code 2 for a bad
    option (unknown format, a date that is not one), 13 when the database cannot be used.

    \b
    Example: extract export --db claims.db --format xlsx --output claims.xlsx --program TOTAL --since 2024
    """
    from ..store import Store
    from ..store import export as export_table
    from ..store.export import EXPORT_FORMATS
    from ..store.query import Filters

    if fmt is None:
        suffix = output.rsplit(".", 1)[-1].lower() if "." in output else ""
        fmt = {"jsonl": "jsonl", "ndjson": "jsonl", "parquet": "parquet", "xlsx": "xlsx"}.get(suffix, "csv")
    fmt = fmt.lower()
    if fmt not in EXPORT_FORMATS:
        _usage(f"unknown export format {fmt!r} (choose one of {', '.join(EXPORT_FORMATS)})")
    if excel and fmt != "csv":
        _usage("--excel is a kind of CSV (use it with --format csv; xlsx needs no --excel)")
    try:
        filters = Filters(institution=institution, program=program, since=since, until=until, region=region)
    except ExtractorError as exc:
        _usage(str(exc))
    try:
        with Store.open(db, readonly=True) as store:
            n = export_table(store, table, fmt, output, filters, excel=excel)
    except ExtractorError as exc:
        fail(exc)
    if output != "-":
        typer.echo(f"{n} {table} rows -> {output}", err=True)


def _usage(message: str) -> None:
    """A bad option value: one line and exit 2, as typer's own usage errors."""
    from .safe import shown

    typer.echo(f"error: {shown(message)}", err=True)
    raise typer.Exit(2)


@app.command("datasette-metadata")
def datasette_metadata(
    db: str = typer.Option("claims.db", "--db", metavar="DB", help="Database written by `extract batch`."),
    output: str = typer.Option("metadata.json", "--output", "-o", metavar="FILE", help="File to write; - for stdout."),
) -> None:
    """Write metadata.json for Datasette: column descriptions with units, facets, full-text search.

    \b
    Example: extract datasette-metadata --db claims.db && datasette claims.db -m metadata.json
    """
    import json
    from pathlib import Path

    from ..store import Store
    from ..store.metadata import metadata

    try:
        Store.open(db, readonly=True).close()  # ours, and migrated to the schema the metadata describes
    except ExtractorError as exc:
        fail(exc)
    text = json.dumps(metadata(db), ensure_ascii=False, indent=2) + "\n"
    if output == "-":
        typer.echo(text, nl=False)
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        typer.echo(f"error: {output}: cannot write: {exc.strerror}", err=True)
        raise typer.Exit(13)
    typer.echo(f"Datasette metadata -> {output} (datasette {db} -m {output})", err=True)


@app.command()
def stats(
    db: str = typer.Option("claims.db", "--db", metavar="DB", help="Database written by `extract batch`."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as one JSON document instead of tables."),
) -> None:
    """Totals of a claims database by institution, program, year and region, and the inconsistent checks.

    The year is the claim period's, else the article's publication year. The institution, year and
    region amounts add the figures to count only: each article's total (TOTAL; SANTUNAN for Jasa
    Raharja), never a total plus its parts, and a figure several articles report the same way once.
    "claims" counts every claim row, "counted" the figures added up: a figure several articles state
    (`extract reconcile` groups them) is counted once, with its most precise value.

    \b
    Example: extract stats --db claims.db
    """
    from ..store import Store

    try:
        with Store.open(db, readonly=True) as store:
            figures = store.stats()
    except ExtractorError as exc:
        fail(exc)
    if as_json:
        import json

        typer.echo(json.dumps(figures, ensure_ascii=False, indent=2))
        return
    _print_stats(figures)


def _count(value) -> str:
    return "" if value is None else f"{int(value):,}".replace(",", ".")


def _print_stats(figures: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    from ..store.stats import short_rupiah

    console = Console()
    a = figures["articles"]
    console.print(f"articles: {sum(a.values())} ({a['ok']} ok, {a['failed']} failed, {a['duplicate']} duplicate); "
                  f"claims: {figures['claims']} stating {figures['figures']} figures ({figures['conflicts']} cross-source "
                  f"conflicts), of which {figures['counted']} counted in totals", highlight=False)
    if figures["failed_by_reason"]:
        console.print("failed by reason: " + ", ".join(f"{markup(r['error_code'] or '?')} {r['n']}"
                                                      for r in figures["failed_by_reason"]), highlight=False)
    for name, rows in figures["by"].items():
        counted = "own figures" if name == "program" else "totals only"
        t = Table(title=f"claims by {name} (amounts: {counted})", title_justify="left")
        t.add_column(name, overflow="fold")
        for col in ("claims", "counted", "articles", "amount", "cases"):
            t.add_column(col, justify="right", no_wrap=True)  # a figure is never cut
        for r in rows:
            t.add_row(markup(r["key"]), _count(r["claims"]), _count(r["counted"]), _count(r["articles"]),
                      short_rupiah(r["amount"]), _count(r["cases"]))
        console.print(t)
    bad = figures["inconsistent"]
    if bad:
        t = Table(title=f"inconsistent checks ({len(bad)})", title_justify="left")
        for col in ("article", "source", "check", "program", "why"):
            t.add_column(col, overflow="fold")
        for r in bad:
            t.add_row(str(r["article_id"]), markup(r["source"] or ""), markup(f"{r['kind']} {r['what']}"),
                      markup(r["program"] or ""), markup(r["why"] or ""))
        console.print(t)
    else:
        console.print("inconsistent checks: none")
