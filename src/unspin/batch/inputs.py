"""Batch inputs: a corpus as a stream of :class:`Item`, one per article, read lazily.

INPUT is one of:

- a directory: every ``.txt``, ``.html``/``.htm`` and ``.json`` file in it (recursively, in
  sorted order), one article each;
- a JSON Lines file (``.jsonl``/``.ndjson``) or a JSON array (``.json``) of records;
- a CSV file (``.csv``) or a Parquet file (``.parquet``) with a header: ``title``, ``text`` (or
  ``html``), optional ``url``, ``date``, ``outlet``, ``byline``, ``id``;
- an RSS or Atom feed (a ``.xml``/``.rss``/``.atom`` file or an http(s) URL, parsed with
  feedparser): each entry's link is fetched later, in a worker, under the same rules as any URL.

Each item carries a stable ``id`` (the input's own ``id`` field, else ``sha256`` of the
article's text, 16 hex digits; for a feed entry its link's hash) and ``input``, where it came
from ("path", "path:line 3", a URL). An item that cannot be read keeps its error instead of an
article, so a bad row never stops a run. Nothing is read before it is needed: a corpus larger
than memory streams through.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from unspin.article import Article, load_article, parse_record
from unspin.article.dispatch import MAX_BYTES
from unspin.errors import InputError, UnspinError

_FILE_SUFFIXES = (".txt", ".html", ".htm", ".json")
_FEED_SUFFIXES = (".xml", ".rss", ".atom")
_RECORD_FIELDS = ("title", "text", "html", "body", "content", "url", "date", "outlet", "byline")


@dataclass
class Item:
    """One article of a batch, or the reason it could not be read.

    ``url`` is set (and ``article`` empty) for a feed entry still to be fetched."""

    id: str
    input: str
    article: Article | None = None
    url: str | None = None
    error: str | None = None
    stage: str = "read"


def content_id(text: str) -> str:
    """The stable id of an article without one: the first 16 hex digits of sha256(text)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def read_items(source: str) -> Iterator[Item]:
    """The items of ``source`` (a path or a feed URL), lazily, in input order.

    Raises :class:`InputError` when ``source`` as a whole cannot be read (missing, of an unknown
    kind, a feed that does not parse); single bad rows become items with an error."""
    if source.lower().startswith(("http://", "https://")):
        return _feed_items(source, source)
    path = Path(source)
    if path.is_dir():
        return _directory_items(path)
    if not path.is_file():
        raise InputError(f"no such file or directory: {source}")
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return _jsonl_items(path)
    if suffix == ".csv":
        return _csv_items(path)
    if suffix == ".parquet":
        return _parquet_items(path)
    if suffix in _FEED_SUFFIXES:
        return _feed_items(str(path), str(path))
    if suffix == ".json":
        return _json_items(path)
    raise InputError(f"cannot read a corpus from {source}: expected a directory, .jsonl, .json, "
                     ".csv, .parquet, or an RSS/Atom feed (.xml, .rss, .atom or a URL)")


def count_items(source: str) -> int | None:
    """How many items :func:`read_items` will give, when that is cheap to know (files and
    directories: a line or file count, an upper bound for JSONL with blank lines); else None."""
    path = Path(source)
    if path.is_dir():
        return sum(1 for _ in _corpus_files(path))
    suffix = path.suffix.lower()
    if path.is_file() and suffix in (".jsonl", ".ndjson"):
        with path.open("rb") as fh:
            return sum(1 for line in fh if line.strip())
    if path.is_file() and suffix == ".parquet":
        import pyarrow.parquet as pq

        return pq.ParquetFile(path).metadata.num_rows
    return None


def _corpus_files(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            if name.lower().endswith(_FILE_SUFFIXES) and not name.startswith("."):
                yield Path(dirpath) / name


def _directory_items(root: Path) -> Iterator[Item]:
    for path in _corpus_files(root):
        label = str(path)
        try:
            article = load_article(path)
        except UnspinError as err:
            yield Item(content_id(label), label, error=str(err))
            continue
        yield Item(content_id(article.text), label, article=article)


def _record_item(obj: object, label: str) -> Item:
    """The item of one parsed record (a dict with the record fields, or anything else)."""
    explicit = obj.get("id") if isinstance(obj, dict) else None
    record_id = str(explicit) if explicit not in (None, "") else None
    try:
        if not isinstance(obj, dict):
            raise InputError(f"found {type(obj).__name__}, not a record")
        record = {k: v for k, v in obj.items() if k in _RECORD_FIELDS and v is not None}
        if "html" in record and "text" not in record:
            record["text"] = record.pop("html")
        record.pop("html", None)
        article = parse_record(record)
    except UnspinError as err:
        return Item(record_id or content_id(label), label, error=str(err))
    return Item(record_id or content_id(article.text), label, article=article)


def _jsonl_items(path: Path) -> Iterator[Item]:
    with path.open("r", encoding="utf-8", errors="replace", newline="") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            label = f"{path}:line {number}"
            if len(line) > MAX_BYTES:
                yield Item(content_id(label), label, error="record larger than 5 MB")
                continue
            try:
                obj = json.loads(line)
            except (ValueError, RecursionError) as err:
                yield Item(content_id(label), label, error=f"not valid JSON ({err})")
                continue
            yield _record_item(obj, label)


def _json_items(path: Path) -> Iterator[Item]:
    if path.stat().st_size > 20 * MAX_BYTES:
        raise InputError(f"{path} is over 100 MB: write it as JSON Lines to stream it")
    try:
        data = json.loads(path.read_text(encoding="utf-8", errors="replace"))
    except (ValueError, RecursionError) as err:
        raise InputError(f"{path} is not valid JSON ({err})") from None
    records = data if isinstance(data, list) else [data]
    for number, obj in enumerate(records, start=1):
        yield _record_item(obj, f"{path}:record {number}")


def _csv_items(path: Path) -> Iterator[Item]:
    csv.field_size_limit(min(sys.maxsize, MAX_BYTES))
    with path.open("r", encoding="utf-8", errors="replace", newline="") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames or not {"text", "html"} & set(reader.fieldnames):
            raise InputError(f"{path} has no 'text' or 'html' column")
        number = 1
        while True:
            number += 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as err:
                label = f"{path}:row {number}"
                yield Item(content_id(label), label, error=f"bad CSV row ({err})")
                continue
            yield _record_item({k: v for k, v in row.items() if k and v not in ("", None)},
                               f"{path}:row {number}")


def _parquet_items(path: Path) -> Iterator[Item]:
    import pyarrow.parquet as pq

    try:
        table = pq.ParquetFile(path)
    except Exception as err:  # pyarrow raises several unrelated types for a bad file
        raise InputError(f"{path} is not a readable Parquet file ({err})") from None
    names = set(table.schema_arrow.names)
    if not {"text", "html"} & names:
        raise InputError(f"{path} has no 'text' or 'html' column")
    columns = [c for c in (*_RECORD_FIELDS, "id") if c in names]
    number = 0
    for batch in table.iter_batches(batch_size=256, columns=columns):
        for row in batch.to_pylist():
            number += 1
            yield _record_item(row, f"{path}:row {number}")


def _feed_items(source: str, label: str) -> Iterator[Item]:
    """One item per feed entry with a link: fetched later, in a worker."""
    import feedparser

    if source.lower().startswith(("http://", "https://")):
        from unspin.article.fetch import fetch_bytes

        data = fetch_bytes(source)
    else:
        data = Path(source).read_bytes()[: MAX_BYTES + 1]
        if len(data) > MAX_BYTES:
            raise InputError(f"{source}: the feed is larger than 5 MB")
    feed = feedparser.parse(data)
    if feed.get("bozo") and not feed.entries:
        raise InputError(f"{label} is not an RSS or Atom feed ({feed.get('bozo_exception')})")
    for number, entry in enumerate(feed.entries, start=1):
        link = entry.get("link")
        name = f"{label}:entry {number}"
        if not link:
            yield Item(content_id(name), name, error="feed entry without a link")
            continue
        yield Item(str(entry.get("id") or content_id(link)), link, url=link)
