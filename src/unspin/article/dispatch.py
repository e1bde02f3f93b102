"""Decoded text to articles: the size limit, then the reader for the given or sniffed format."""

from __future__ import annotations

from unspin.article.decoding import _check_text
from unspin.article.html import parse_html
from unspin.article.model import Article
from unspin.article.plaintext import parse_text
from unspin.article.records import read_records
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
    """Articles from decoded text, as ``hint`` says ("html", "text", "records") or sniffed."""
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise InputError("input is empty")
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        raise _input_too_large(size)
    _check_text(text)
    kind = hint or _sniff(text)
    if kind == "records":
        articles = read_records(text)
        for article in articles:
            article.url = article.url or url
        return articles
    if kind == "html":
        return [parse_html(text, url=url)]
    return [parse_text(text, url=url)]
