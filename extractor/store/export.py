"""Export a table of the claims database (claims, checks, articles) as CSV, JSON Lines or Parquet.

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

EXPORT_INT_COLUMNS = {"article_id", "claim_index", "check_index", "amount", "cases", "span_start", "span_end",
                      "http_status", "duplicate_of", "n_claims"}


EXPORT_FORMATS = ("csv", "jsonl", "parquet")


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


def export(store: Store, table: str, fmt: str, output: str = "-") -> int:
    """Write an export table to output ("-" for stdout) as csv, jsonl or parquet; returns the row count.
    CSV writes NULL as an empty cell, JSON columns as JSON text and formula-like text escaped
    (spreadsheet_cell); JSONL decodes the JSON columns and keeps text as stored."""
    if fmt not in EXPORT_FORMATS:
        raise StoreError(f"unknown export format {fmt!r}", hint=f"choose one of {', '.join(EXPORT_FORMATS)}")
    with store_errors(store.path):  # a damaged page shows up while reading rows: exit 13, not a traceback
        columns, rows = store.export_table(table)
        if fmt == "parquet":
            return _write_parquet(columns, rows, output)
        with _output(output, binary=False) as stream:
            return _write_text(stream, table, fmt, columns, rows)


def _write_text(stream: IO[str], table: str, fmt: str, columns: list[str], rows: Iterator[tuple]) -> int:
    n = 0
    if fmt == "csv":
        import csv

        writer = csv.writer(stream)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([spreadsheet_cell(v) for v in row])
            n += 1
        return n
    json_cols = {columns.index(c) for c in EXPORT_JSON_COLUMNS[table]}
    for row in rows:
        d = {c: (json.loads(v) if i in json_cols and v is not None else v)
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


def _write_parquet(columns: list[str], rows: Iterator[tuple], output: str) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise StoreError("parquet export needs pyarrow, which is not installed",
                         hint="pip install 'extractor[parquet]'") from exc
    if output == "-" and sys.stdout.isatty():
        raise StoreError("refusing to write binary parquet to a terminal", hint="use --output FILE.parquet")
    data = list(zip(*rows)) or [()] * len(columns)
    schema = pa.schema([(c, pa.int64() if c in EXPORT_INT_COLUMNS else pa.string()) for c in columns])
    arrow = pa.table({c: pa.array(list(v), type=schema.field(c).type) for c, v in zip(columns, data)},
                     schema=schema)
    with _output(output, binary=True) as stream:
        try:
            pq.write_table(arrow, stream)
        except (OSError, pa.ArrowException) as exc:
            raise StoreError(f"{output}: cannot write parquet: {exc}") from exc
    return arrow.num_rows
