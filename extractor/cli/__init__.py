"""The `extract` command: argument parsing and printing over the library; errors become one line on stderr.

app.py holds the Typer app and the options the commands share; articles.py the one-article commands (url,
file, text, check); dataset.py the dataset commands (batch, export, stats); reconcile.py the cross-article
grouping of one figure (reconcile); report.py the check tables of `check`; visual.py the HTML views (show, and
report --db, the dataset page); safe.py the escaping of page-derived text for the terminal, which every command
printing it uses.
"""
from __future__ import annotations

import sys

import typer

from . import articles, dataset, reconcile, visual  # noqa: F401  registers their commands on app
from .app import app


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # a bug, not bad input: still one line, and a code that says so
        typer.echo(f"error: internal error ({exc.__class__.__name__}: {exc}); please report it", err=True)
        sys.exit(70)
