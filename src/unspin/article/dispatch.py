"""Decoded text to articles: the size limit, then the reader for the given or sniffed format."""

from __future__ import annotations

from unspin.article.decoding import _check_text
from unspin.article.html import parse_html
from unspin.article.model import Article
from unspin.article.plaintext import parse_text
from unspin.article.records import Record, read_record_items
from unspin.article.sniffing import _sniff
from unspin.errors import InputError

MAX_BYTES = 5_000_000


def _input_too_large(size: int) -> InputError:
    """The error for an input of ``size`` bytes, over :data:`MAX_BYTES`."""
    return InputError(f"input is larger than 5 MB ({size} bytes)")


def _single(articles: list[Article]) -> Article:
    """The one article of ``articles``; more than one is an error."""
    if len(articles) > 1:
        raise InputError(f"found {len(articles)} articles; analyse one at a time")
    return articles[0]


def _articles_from_text(text: str, hint: str | None, *, url: str | None = None) -> list[Article]:
    """Articles from decoded text, as ``hint`` says ("html", "text", "records") or sniffed;
    the first bad record of a JSON input fails the whole input."""
    articles = []
    for record in _records_from_text(text, hint, url=url):
        if record.error is not None:
            raise record.error
        articles.append(record.article)
    return articles


def _records_from_text(text: str, hint: str | None, *, url: str | None = None) -> list[Record]:
    """Every article of decoded text as a :class:`Record`; a bad JSON record keeps its error.

    Raises :class:`InputError` when the input as a whole is empty, too large, not text, or not
    readable in the given or sniffed format. A text or HTML input is one record labelled "".
    """
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise InputError("input is empty")
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        raise _input_too_large(size)
    _check_text(text)
    kind = hint or _sniff(text)
    if kind == "records":
        records = read_record_items(text)
        for record in records:
            if record.article is not None:
                record.article.url = record.article.url or url
        return records
    if kind == "html":
        return [Record("", article=parse_html(text, url=url))]
    return [Record("", article=parse_text(text, url=url))]
