"""Corpus scale: ``unspin batch`` reads a corpus as a stream of items (:mod:`.inputs`),
analyses them in worker processes or on Dask (:mod:`.runner`) and writes one resumable Parquet
dataset per table (:mod:`.tables`)."""

from unspin.batch.inputs import Item, read_items
from unspin.batch.runner import BatchOptions, BatchSummary, run_batch
from unspin.batch.tables import SCHEMAS, TABLES, schemas_json

__all__ = ["SCHEMAS", "TABLES", "BatchOptions", "BatchSummary", "Item", "read_items",
           "run_batch", "schemas_json"]
