"""The typed export formats: Parquet (pyarrow) and Excel workbooks (openpyxl).

Both keep types a spreadsheet or pandas would otherwise guess: amounts and counts are 64-bit integers
(never floats, which a NULL in a column turns them into in pandas' CSV reader), dates are dates, and the
claim ids a check is about are a list (Parquet) or space-separated text (xlsx), never JSON text.
"""
from __future__ import annotations

from datetime import date
from typing import IO, Any, Iterator

from ..errors import StoreError
from .schema import EXPORT_LIST_COLUMNS


def _types():
    from .export import EXPORT_DATE_COLUMNS, EXPORT_INT_COLUMNS

    return EXPORT_INT_COLUMNS, EXPORT_DATE_COLUMNS


def as_date(value: Any) -> date | None:
    """A stored date (YYYY-MM-DD, or a timestamp starting with one) as a date; None if it is not one."""
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def write_parquet(table: str, columns: list[str], rows: Iterator[tuple], stream: IO[bytes], output: str) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise StoreError("parquet export needs pyarrow, which is not installed",
                         hint="pip install 'extractor[parquet]'") from exc
    ints, dates = _types()

    def arrow_type(c: str):
        if c in ints:
            return pa.int64()
        if c in dates:
            return pa.date32()
        if c in EXPORT_LIST_COLUMNS:
            return pa.list_(pa.string())
        return pa.string()

    def value(c: str, v: Any) -> Any:
        if c in dates:
            return as_date(v)
        if c in EXPORT_LIST_COLUMNS:
            return v.split() if v else []
        return v

    data = list(zip(*rows)) or [()] * len(columns)
    schema = pa.schema([(c, arrow_type(c)) for c in columns])
    arrow = pa.table({c: pa.array([value(c, v) for v in vs], type=schema.field(c).type)
                      for c, vs in zip(columns, data)}, schema=schema)
    try:
        pq.write_table(arrow, stream)
    except (OSError, pa.ArrowException) as exc:
        raise StoreError(f"{output}: cannot write parquet: {exc}") from exc
    return arrow.num_rows


def write_xlsx(table: str, columns: list[str], rows: Iterator[tuple], stream: IO[bytes], output: str) -> int:
    """One sheet named after the table; a header row kept in view; dates as dates (YYYY-MM-DD); text
    always stored as text, so a title starting with "=" is never a formula."""
    try:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
    except ImportError as exc:
        raise StoreError("xlsx export needs openpyxl, which is not installed",
                         hint="pip install openpyxl") from exc
    _, dates = _types()
    book = Workbook(write_only=True)
    sheet = book.create_sheet(table)
    sheet.freeze_panes = "A2"
    sheet.append(columns)
    n = 0
    for row in rows:
        cells = []
        for c, v in zip(columns, row):
            if c in dates and as_date(v) is not None:
                cell = WriteOnlyCell(sheet, as_date(v))
                cell.number_format = "yyyy-mm-dd"
            else:
                cell = WriteOnlyCell(sheet, _clean(v))
                if isinstance(v, str):
                    cell.data_type = "s"  # openpyxl reads a str starting with "=" as a formula otherwise
            cells.append(cell)
        sheet.append(cells)
        n += 1
    try:
        book.save(stream)
    except OSError as exc:
        raise StoreError(f"{output}: cannot write xlsx: {exc}") from exc
    return n


def _clean(value: Any) -> Any:
    """Text without the control characters XML (and so xlsx) cannot hold; other values unchanged."""
    if isinstance(value, str):
        return "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 32)
    return value
