"""Loading: the one entry point, from a path, standard input, a URL, bytes or the text itself."""

from __future__ import annotations

import os
import re
import sys
from typing import IO

from unspin.article.decoding import _decode_html_bytes, decode_bytes
from unspin.article.dispatch import (
    MAX_BYTES,
    _input_too_large,
    _records_from_text,
    _single,
)
from unspin.article.fetch import fetch_url
from unspin.article.model import Article
from unspin.article.records import Record
from unspin.article.sniffing import _sniff
from unspin.errors import InputError

_EXTENSION = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,4}$")
_HINTS = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".json": "records",
    ".jsonl": "records",
    ".ndjson": "records",
}


def load_article(
    source: str | bytes | os.PathLike, *, stdin: IO | None = None, allow_private: bool = False
) -> Article:
    """Read one article from whatever the user gave.

    ``source`` is ``"-"`` (read standard input, or ``stdin`` if given), an http(s) URL, a path
    to a file, bytes, or the article text itself (a string with a newline, longer than 200
    characters, or with no path separator and no file extension). The format is sniffed: JSON
    records, HTML, or plain text; file names ending .html/.htm force HTML and .json/.jsonl force
    records.

    URLs of loopback, private and link-local addresses are refused unless ``allow_private``.

    Raises :class:`InputError` for empty, binary or over-size (5 MB) input, a missing file, or
    more than one article; :class:`FetchError` when a URL cannot be fetched.
    """
    return _single(load_articles(source, stdin=stdin, allow_private=allow_private))


def load_articles(
    source: str | bytes | os.PathLike, *, stdin: IO | None = None, allow_private: bool = False
) -> list[Article]:
    """Like :func:`load_article`, but returns every article a JSON or JSON Lines input holds;
    the first bad record fails the whole input."""
    articles = []
    for record in load_records(source, stdin=stdin, allow_private=allow_private):
        if record.error is not None:
            raise record.error
        articles.append(record.article)
    return articles


def load_records(
    source: str | bytes | os.PathLike, *, stdin: IO | None = None, allow_private: bool = False
) -> list[Record]:
    """Every article of ``source`` (as :func:`load_article` reads it) as a :class:`Record`.

    A JSON array or JSON Lines input gives one record per item, in order; an item that cannot
    be read keeps its error ("line 3: ...") and the others are still read. Raises
    :class:`InputError` (or :class:`FetchError`) only when the input as a whole is unusable.
    """
    if isinstance(source, bytes | bytearray):
        return _records_from_bytes(bytes(source), None)
    if isinstance(source, os.PathLike):
        return _records_from_path(os.fsdecode(source))
    if not isinstance(source, str):
        raise InputError(f"cannot read an article from {type(source).__name__}")
    if source == "-":
        return _records_from_stream(stdin if stdin is not None else sys.stdin)
    if re.match(r"^https?://", source.strip(), re.I):
        return [Record("", article=fetch_url(source.strip(), allow_private=allow_private))]
    if _could_be_path(source) and os.path.exists(source):
        return _records_from_path(source)
    if _looks_like_text(source):
        return _records_from_text(source, None)
    raise InputError(f"no such file: {source}")


def _could_be_path(source: str) -> bool:
    return (
        bool(source.strip()) and "\n" not in source and "\x00" not in source and len(source) < 4096
    )


def _looks_like_text(source: str) -> bool:
    """True if a string that is not an existing path should be read as the article itself.

    That is: it has a newline, is longer than 200 characters, is HTML or JSON, or has no path
    separator and no file extension.
    """
    if "\n" in source or len(source) > 200 or _sniff(source) != "text":
        return True
    has_separator = "/" in source or "\\" in source
    return not has_separator and not _EXTENSION.search(source.strip())


def _records_from_path(path: str) -> list[Record]:
    if os.path.isdir(path):
        raise InputError(f"{path} is a directory, not a file")
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
        size = os.path.getsize(path) if len(data) > MAX_BYTES else len(data)
    except FileNotFoundError as exc:
        raise InputError(f"no such file: {path}") from exc
    except OSError as exc:
        raise InputError(f"could not read {path}: {exc.strerror or exc}") from exc
    if size > MAX_BYTES:
        raise _input_too_large(size)
    return _records_from_bytes(data, _HINTS.get(os.path.splitext(path)[1].lower()))


def _records_from_stream(stream: IO | None) -> list[Record]:
    """Read standard input (binary or text), at most 5 MB."""
    if stream is None:
        raise InputError("there is no standard input to read")
    binary = getattr(stream, "buffer", stream)
    try:
        data = binary.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            size = len(data) + _drain(binary)
            raise _input_too_large(size)
    except OSError as exc:
        raise InputError(f"could not read standard input: {exc}") from exc
    if isinstance(data, str):
        return _records_from_text(data, None)
    return _records_from_bytes(data, None)


def _drain(stream: IO) -> int:
    """Count (and discard) what is left in a stream."""
    total = 0
    while chunk := stream.read(1 << 20):
        total += len(chunk)
    return total


def _records_from_bytes(data: bytes, hint: str | None) -> list[Record]:
    if not data.strip():
        raise InputError("input is empty")
    if len(data) > MAX_BYTES:
        raise _input_too_large(len(data))
    text = _decode_html_bytes(data) if hint == "html" else decode_bytes(data)
    return _records_from_text(text, hint)
