"""Export a table of the claims database (claims, checks, articles) as CSV, JSON Lines or Parquet."""
from __future__ import annotations

import json
from typing import Iterator

from ..errors import StoreError
from .database import EXPORT_JSON_COLUMNS, Store

EXPORT_INT_COLUMNS = {"article_id", "claim_index", "check_index", "amount", "cases", "span_start", "span_end",
                      "http_status", "duplicate_of", "n_claims"}


EXPORT_FORMATS = ("csv", "jsonl", "parquet")


def export(store: Store, table: str, fmt: str, output: str = "-") -> int:
    """Write an export table to output ("-" for stdout) as csv, jsonl or parquet; returns the row count.
    CSV writes NULL as an empty cell and JSON columns as JSON text; JSONL decodes them."""
    import sys

    if fmt not in EXPORT_FORMATS:
        raise StoreError(f"unknown export format {fmt!r}", hint=f"choose one of {', '.join(EXPORT_FORMATS)}")
    columns, rows = store.export_table(table)
    if fmt == "parquet":
        return _write_parquet(table, columns, rows, output)
    stream = sys.stdout if output == "-" else _open_output(output)
    n = 0
    try:
        if fmt == "csv":
            import csv

            writer = csv.writer(stream)
            writer.writerow(columns)
            for row in rows:
                writer.writerow(["" if v is None else v for v in row])
                n += 1
        else:
            json_cols = {columns.index(c) for c in EXPORT_JSON_COLUMNS[table]}
            for row in rows:
                d = {c: (json.loads(v) if i in json_cols and v is not None else v)
                     for i, (c, v) in enumerate(zip(columns, row))}
                stream.write(json.dumps(d, ensure_ascii=False) + "\n")
                n += 1
    finally:
        if stream is not sys.stdout:
            stream.close()
        else:
            stream.flush()
    return n


def _open_output(output: str):
    try:
        return open(output, "w", encoding="utf-8", newline="")
    except OSError as exc:
        raise StoreError(f"{output}: cannot write: {exc.strerror}") from exc


def _write_parquet(table: str, columns: list[str], rows: Iterator[tuple], output: str) -> int:
    import sys

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
    try:
        pq.write_table(arrow, sys.stdout.buffer if output == "-" else output)
    except OSError as exc:
        raise StoreError(f"{output}: cannot write parquet: {exc}") from exc
    return arrow.num_rows
