"""Export a table of the claims database (claims, checks, check_claims, articles) as CSV (plain or for
Excel), JSON Lines, Parquet or an Excel workbook (xlsx), keeping the rows the filters select.

Every export is UTF-8, whatever the locale: a data file's encoding must not depend on the terminal it
was made from (an ASCII-only stdout would otherwise fail on the first "é"). A file is written beside its
final name and renamed into place only when complete, so a failure (a damaged database page, a full
disk) never leaves a partial file under the name asked for.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import sys
from pathlib import Path
from typing import IO, Any, Iterator

from ..errors import StoreError
from .database import EXPORT_JSON_COLUMNS, Store, store_errors
from .query import Filters
from .schema import EXPORT_LIST_COLUMNS

EXPORT_INT_COLUMNS = {"article_id", "claim_index", "check_index", "amount", "cases", "span_start", "span_end",
                      "http_status", "duplicate_of", "n_claims", "amount_low", "amount_high",
                      "cases_low", "cases_high", "agree", "n_sources"}

# Calendar dates: real dates in Parquet (date32) and xlsx, ISO text (YYYY-MM-DD) in CSV and JSON Lines.
EXPORT_DATE_COLUMNS = {"published", "period_start", "period_end"}

EXPORT_FORMATS = ("csv", "jsonl", "parquet", "xlsx")


# A text cell starting with one of these is read by Excel, LibreOffice and Google Sheets as a formula
# ("=HYPERLINK(...)", "+cmd|..."), or (tab, CR) shifts cells; page titles and sites are page-controlled.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: Any) -> Any:
    """A value as a spreadsheet-bound cell: text that would start a formula gets a leading "'" (as
    OWASP recommends), which spreadsheets show as text; numbers and NULLs are left alone."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def export(store: Store, table: str, fmt: str, output: str = "-", filters: Filters | None = None,
           excel: bool = False) -> int:
    """Write an export table to output ("-" for stdout) as csv, jsonl, parquet or xlsx; returns the row
    count. CSV writes NULL as an empty cell, JSON columns as JSON text, id lists space-separated and
    formula-like text escaped (spreadsheet_cell); excel=True makes it the CSV Excel opens in an
    Indonesian locale (excel_csv_cell). JSONL decodes the JSON columns and keeps text as stored."""
    if fmt not in EXPORT_FORMATS:
        raise StoreError(f"unknown export format {fmt!r}", hint=f"choose one of {', '.join(EXPORT_FORMATS)}")
    if excel and fmt != "csv":
        raise StoreError("--excel is a kind of CSV", hint="use it with --format csv (xlsx needs no --excel)")
    with store_errors(store.path):  # a damaged page shows up while reading rows: exit 13, not a traceback
        columns, rows = store.export_table(table, filters)
        if fmt in ("parquet", "xlsx"):
            from .formats import write_parquet, write_xlsx

            if output == "-" and sys.stdout.isatty():
                raise StoreError(f"refusing to write binary {fmt} to a terminal", hint=f"use --output FILE.{fmt}")
            with _output(output, binary=True) as stream:
                writer = write_parquet if fmt == "parquet" else write_xlsx
                return writer(table, columns, rows, stream, output)
        with _output(output, binary=False) as stream:
            return _write_text(stream, table, fmt, columns, rows, excel)


def excel_csv_cell(value: Any) -> Any:
    """A cell of the CSV for Excel in an Indonesian locale, where ',' is the decimal separator: a
    fractional number gets a decimal comma; whole numbers are plain digits (no thousands separator)."""
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    return spreadsheet_cell(value)


def _write_text(stream: IO[str], table: str, fmt: str, columns: list[str], rows: Iterator[tuple],
                excel: bool = False) -> int:
    n = 0
    if fmt == "csv":
        import csv

        if excel:
            # The byte-order mark tells Excel the file is UTF-8; ';' is the list separator of
            # locales that write decimals with a comma (id-ID), which Excel splits columns on.
            stream.write("\ufeff")
        writer = csv.writer(stream, delimiter=";" if excel else ",")
        writer.writerow(columns)
        cell = excel_csv_cell if excel else spreadsheet_cell
        for row in rows:
            writer.writerow([cell(v) for v in row])
            n += 1
        return n
    json_cols = {columns.index(c) for c in EXPORT_JSON_COLUMNS[table]}
    list_cols = {i for i, c in enumerate(columns) if c in EXPORT_LIST_COLUMNS}
    for row in rows:
        d = {c: (json.loads(v) if i in json_cols and v is not None else
                 (v.split() if v is not None else []) if i in list_cols else v)
             for i, (c, v) in enumerate(zip(columns, row))}
        stream.write(json.dumps(d, ensure_ascii=False) + "\n")
        n += 1
    return n


@contextlib.contextmanager
def _output(output: str, *, binary: bool):
    """A stream to write the export to: stdout as UTF-8, or a temporary file renamed to output on success."""
    if output == "-":
        sys.stdout.flush()
        raw = getattr(sys.stdout, "buffer", None)
        if binary or raw is None:
            yield raw if binary else sys.stdout
            return
        stream = io.TextIOWrapper(raw, encoding="utf-8", newline="", write_through=True)
        try:
            yield stream
        finally:
            stream.flush()
            stream.detach()  # stdout stays open for whatever prints next
        return
    target = Path(output)
    if target.is_dir():
        raise StoreError(f"{output}: is a directory")
    # beside the target (same file system, so the rename is atomic), made with the usual permissions
    tmp = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        stream = open(tmp, "wb") if binary else open(tmp, "w", encoding="utf-8", newline="")
    except OSError as exc:
        raise StoreError(f"{output}: cannot write: {exc.strerror}") from exc
    try:
        with stream:
            yield stream
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise StoreError(f"{output}: cannot write: {exc.strerror or exc}") from exc
        raise
