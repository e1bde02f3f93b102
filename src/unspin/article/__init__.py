"""Article: the text unspin analyses, and every way of reading one.

An :class:`Article` holds one exact string, ``text``, and spans into it for the title, the
captions and the body paragraphs; ``text[s.start:s.end] == s.text`` holds for all of them.

Readers, from the most specific to the most general:

- :func:`parse_text`    plain text (title on the first line, paragraphs split by blank lines);
- :func:`parse_html`    an HTML page (main text and metadata via trafilatura, captions via lxml);
- :func:`parse_record`  one JSON object (``title``, ``text``/``body``/``content``, ...);
- :func:`read_records`  JSON (an object or a list of objects) or JSON Lines
  (:func:`read_record_items` keeps going past a bad record and names it);
- :func:`fetch_url`     an http(s) URL, fetched with httpx under one deadline (public
  addresses only, unless allowed);
- :func:`load_article`  anything the CLI or the Python API gets: a path, ``"-"``, a URL, bytes,
  or the article text itself; it sniffs the format and checks size, emptiness and encoding.

Every failure caused by the input is an :class:`~unspin.errors.InputError` (or
:class:`~unspin.errors.FetchError` for the network) with a one-line message.

Where each concern lives: ``model`` (the dataclass and span building), ``captions``, ``dates``
and ``plaintext`` (the line rules), ``html``, ``records``, ``decoding`` (bytes to text),
``sniffing`` (which format), ``dispatch`` (decoded text to articles, the size limit), ``fetch``
(URLs) and ``loading`` (the one entry point).
"""

from unspin.article.decoding import decode_bytes
from unspin.article.dispatch import MAX_BYTES
from unspin.article.fetch import USER_AGENT, fetch_url
from unspin.article.html import parse_html
from unspin.article.loading import load_article, load_articles, load_records
from unspin.article.model import Article, CaptionKind
from unspin.article.plaintext import parse_text
from unspin.article.records import Record, parse_record, read_record_items, read_records

__all__ = [
    "MAX_BYTES",
    "USER_AGENT",
    "Article",
    "Record",
    "CaptionKind",
    "decode_bytes",
    "fetch_url",
    "load_article",
    "load_articles",
    "load_records",
    "parse_html",
    "parse_record",
    "parse_text",
    "read_record_items",
    "read_records",
]
