"""Command-line layer: parse arguments, call the library, print. Errors become one line on stderr."""

from __future__ import annotations

import json

import typer
from typer.core import TyperCommand

from .. import __version__
from ..errors import ExtractorError

app = typer.Typer(
    add_completion=False,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help=(
        "Extract claim-payout figures (BPJS Ketenagakerjaan, Jasa Raharja, Taspen ...) from Indonesian "
        "news articles as checked, structured JSON.\n\n"
        "Example:\n\n"
        "  extract file fixtures/balipost-bpu-claims-2024.html --pretty"
    ),
)


class Command(TyperCommand):
    """Usage and help as people write them: `extract file [OPTIONS] PATH...`, where typer would print
    `{PATH...}...` and a Python type (`PATH... <list[str]>`) that means nothing to a user."""

    def collect_usage_pieces(self, ctx) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if param.param_type_name == "argument":
                name = param.metavar or param.name.upper()
                pieces.append(name if param.required else f"[{name}]")
        return pieces

    def format_options(self, ctx, formatter) -> None:
        params = self.get_params(ctx)
        args = [(p.metavar or p.name.upper(), getattr(p, "help", None) or "")
                for p in params if p.param_type_name == "argument"]
        opts = [rec for p in params if p.param_type_name == "option" and (rec := p.get_help_record(ctx))]
        if args:
            with formatter.section("Arguments"):
                formatter.write_dl(args)
        if opts:
            with formatter.section("Options"):
                formatter.write_dl(opts)


def fail(exc: ExtractorError) -> None:
    """The one place where library errors become a message and an exit code."""
    from .safe import shown

    typer.echo(f"error: {shown(exc)}", err=True)  # (messages quote paths, URLs, page text)
    raise typer.Exit(exc.exit_code)


def max_bytes_option(value: str | None) -> int | None:
    """--max-bytes as a number, or one line and exit 2."""
    try:
        return _number("--max-bytes", value, int, positive=True)
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)


def meta_options(url: str | None, published: str | None, site: str | None, inputs: list[str]) -> dict[str, str]:
    """--url/--published/--site checked, or one line and exit 2 (a bad option value, like --max-bytes)."""
    from ..sidecar import http_url, iso_date

    try:
        if url is not None and len(inputs) > 1:
            raise ValueError("--url: names one article, but several inputs are given")
        meta = {"url": http_url(url, "--url") if url is not None else None,
                "published": iso_date(published, "--published") if published is not None else None,
                "site": site or None}
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)
    return {k: v for k, v in meta.items() if v}


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


def _number(option: str, value: str | None, kind: type, *, positive: bool):
    """A CLI option value as int/float, or ValueError naming the option."""
    if value is None:
        return None
    try:
        number = kind(value)
    except ValueError:
        raise ValueError(f"{option}: {value!r} is not a {'whole ' if kind is int else ''}number") from None
    if number != number or number in (float("inf"), float("-inf")) or number < 0 or (positive and number == 0):
        raise ValueError(f"{option}: must be {'greater than 0' if positive else '0 or more'}, got {value}")
    return number


def url_settings(*, timeout: str | None = None, max_bytes: str | None = None, retries: str | None = None,
                 delay: str | None = None, user_agent: str | None = None, ignore_robots: bool = False):
    """FetchSettings from the `url` options; what is not given keeps the fetch stage's default."""
    import dataclasses

    from ..fetch import FetchSettings

    base = FetchSettings()
    changes: dict = {}
    total = _number("--timeout", timeout, float, positive=True)
    if total is not None:  # one knob for users: the whole page, and no single wait longer than it
        changes.update(total_timeout=total, connect_timeout=min(base.connect_timeout, total),
                       read_timeout=min(base.read_timeout, total))
    if max_bytes is not None:
        changes["max_bytes"] = _number("--max-bytes", max_bytes, int, positive=True)
    if retries is not None:
        changes["retries"] = _number("--retries", retries, int, positive=False)
    if delay is not None:
        changes["min_delay"] = _number("--delay", delay, float, positive=False)
    if user_agent is not None:
        changes["user_agent"] = user_agent
    if ignore_robots:
        changes["respect_robots"] = False
    return dataclasses.replace(base, **changes)
