"""Store stage: Documents -> a SQLite dataset, and the dataset -> CSV, JSON Lines or Parquet.

`Store` is the database (one transaction per article, resumable); `run_batch` fetches and extracts many
URLs and files concurrently into it; `export` writes one of its tables out.
"""
from .batch import BatchOptions, collect_items, run_batch
from .database import Store
from .export import export

__all__ = ["Store", "run_batch", "BatchOptions", "collect_items", "export"]
