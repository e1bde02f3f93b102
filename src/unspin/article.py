"""Article: the text unspin analyses, and every way of reading one.

An :class:`Article` holds one exact string, ``text``, and spans into it for the title, the
captions and the body paragraphs; ``text[s.start:s.end] == s.text`` holds for all of them.

Readers, from the most specific to the most general:

- :func:`parse_text`    plain text (title on the first line, paragraphs split by blank lines);
- :func:`parse_html`    an HTML page (main text and metadata via trafilatura, captions via lxml);
- :func:`parse_record`  one JSON object (``title``, ``text``/``body``/``content``, ...);
- :func:`read_records`  JSON (an object or a list of objects) or JSON Lines;
- :func:`fetch_url`     an http(s) URL, fetched with the standard library;
- :func:`load_article`  anything the CLI or the Python API gets: a path, ``"-"``, a URL, bytes,
  or the article text itself; it sniffs the format and checks size, emptiness and encoding.

Every failure caused by the input is an :class:`~unspin.errors.InputError` (or
:class:`~unspin.errors.FetchError` for the network) with a one-line message.
"""

from __future__ import annotations

import codecs
import copy
import json
import os
import re
import socket
import sys
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date as _date
from datetime import datetime
from http.client import HTTPException, HTTPMessage
from typing import IO, Any, Literal, TypeVar
from urllib.parse import urlsplit

from unspin.errors import FetchError, InputError
from unspin.report import Caption, Span

MAX_BYTES = 5_000_000
USER_AGENT = "unspin/0.1 (+https://github.com/unspin)"

CaptionKind = Literal["caption", "credit"]
_Block = tuple[str, str]  # (collapsed text, "headline" | "heading" | "text")
_S = TypeVar("_S", bound=Span)


@dataclass
class Article:
    """One news article: an exact text and spans into it.

    ``text`` is the string every offset refers to (code points, end exclusive). ``title``,
    ``captions`` and ``paragraphs`` are non-overlapping spans into it, stripped of surrounding
    whitespace, in text order. Metadata fields are ``None`` when unknown; ``date`` is an ISO
    date (``YYYY-MM-DD``) whenever it could be parsed.
    """

    text: str
    title: Span | None
    captions: list[Caption] = field(default_factory=list)
    paragraphs: list[Span] = field(default_factory=list)
    byline: str | None = None
    date: str | None = None
    outlet: str | None = None
    url: str | None = None


# --------------------------------------------------------------------------------------------
# Building a text from pieces, with exact spans
# --------------------------------------------------------------------------------------------


class _TextBuilder:
    """Joins pieces with blank lines and remembers where each one landed."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0

    def add(self, piece: str) -> Span:
        """Append ``piece`` (already stripped) as its own block; return its span."""
        start = self._append(piece)
        return Span(start=start, end=self._length, text=piece)

    def add_raw(self, piece: str) -> int:
        """Append ``piece`` verbatim as its own block; return its start offset."""
        return self._append(piece)

    def _append(self, piece: str) -> int:
        if self._parts:
            self._parts.append("\n\n")
            self._length += 2
        start = self._length
        self._parts.append(piece)
        self._length += len(piece)
        return start

    def text(self) -> str:
        return "".join(self._parts)


def _assemble(
    title: str | None,
    captions: list[tuple[str, CaptionKind]],
    paragraphs: list[str],
    **meta: str | None,
) -> Article:
    """Article whose text is: title, captions, paragraphs, each block separated by a blank line."""
    builder = _TextBuilder()
    title_span = builder.add(title) if title else None
    caption_spans = [_caption(builder.add(text), kind) for text, kind in captions]
    paragraph_spans = [builder.add(text) for text in paragraphs]
    return Article(
        text=builder.text(),
        title=title_span,
        captions=caption_spans,
        paragraphs=paragraph_spans,
        **meta,
    )


def _caption(span: Span, kind: CaptionKind) -> Caption:
    return Caption(start=span.start, end=span.end, text=span.text, kind=kind)


def _span(text: str, start: int, end: int) -> Span:
    return Span(start=start, end=end, text=text[start:end])


def _collapse(text: str) -> str:
    """Whitespace runs (newlines included) become one space; the ends are stripped."""
    return " ".join(text.split())


# --------------------------------------------------------------------------------------------
# Plain text
# --------------------------------------------------------------------------------------------

_TITLE_MAX_CHARS = 300
_CAPTION_MAX_CHARS = 300
_CREDIT_MAX_CHARS = 100

_SENTENCE_END = re.compile(r"[.!?…:;][\"'”’»)\]]*$")

_CREDIT_PREFIX = re.compile(
    r"^(?:photo(?:graph)?s?|images?|pictures?|video|illustrations?|graphics?|credits?|"
    r"photo credits?|file photo)\s*(?::|\bby\b)\s*(?P<rest>.*)$",
    re.I,
)
_CREDIT_LINE = re.compile(
    r"^(?:getty images|shutterstock|ap photo|afp|reuters|epa|file photo|handout)\.?$"
    r"|^.{1,60}\b(?:via getty images|getty images|shutterstock|handout)\.?$"
    r"|^[^.!?]{1,60}/(?:AP|AFP|EPA|Reuters|Getty Images|Bloomberg|Shutterstock)$"
    r"|^(?:REUTERS|AFP|AP|EPA)/[^.!?]{1,60}$"
    r"|^courtesy(?: of)?\s+[^.!?]{1,60}$",
    re.I,
)
_CAPTION_PREFIX = re.compile(r"^(?:pictured|above)\s*:\s*\S|^file photo\b", re.I)
_PAREN_CREDIT = re.compile(
    r"\([^()]*\b(?:(?:photos?|photographs?|images?|pictures?|courtesy|obtained by|getty|"
    r"shutterstock|handout)\b|credits?\s*:)[^()]*\)$",
    re.I,
)
_PAREN_AGENCY = re.compile(r"\((?:AP|AFP|EPA|Reuters|Getty Images|Getty)\)$", re.I)
_TRAILING_CREDIT = re.compile(
    r"[.!?\"”]\s+(?:(?:photos?|images?|pictures?|credits?)\s*(?::|\bby\b)\s*[^.!?]{1,80}"
    r"|(?:REUTERS|AFP|AP|EPA)/[^.!?]{1,60}"
    r"|(?:(?-i:[A-Z])[\w'’-]*\s+){0,4}(?:via\s+)?(?:getty images|shutterstock)"
    r"|[^.!?]{1,60}/(?:AP|AFP|EPA|Reuters|Getty Images|Bloomberg))\.?$",
    re.I,
)


def _caption_kind(line: str, *, strict: bool = False) -> CaptionKind | None:
    """``"credit"`` for a bare credit line, ``"caption"`` for a caption, else ``None``.

    ``strict`` (used inside the body) does not count a bare agency name in brackets, such as
    "(Reuters)", as a photo credit.
    """
    line = line.strip()
    if not line or len(line) > _CAPTION_MAX_CHARS:
        return None
    if len(line) <= _CREDIT_MAX_CHARS and _is_bare_credit(line, strict=strict):
        return "credit"
    if _has_caption_shape(line, strict=strict):
        return "caption"
    return None


def _is_bare_credit(line: str, *, strict: bool) -> bool:
    if _CREDIT_LINE.match(line):
        return True
    if line.startswith("(") and line.endswith(")"):
        return bool(_PAREN_CREDIT.fullmatch(line) or (not strict and _PAREN_AGENCY.fullmatch(line)))
    match = _CREDIT_PREFIX.match(line)
    return bool(match) and _is_short_name(match.group("rest"))


def _is_short_name(rest: str) -> bool:
    """True for what follows "Photo:" when it names a source rather than describing a scene."""
    rest = rest.strip()
    if len(rest.split()) > 8 or rest[:1].islower():
        return False
    return not re.search(r"[a-z]{2}[.!?](?:\s|$)|\w{2}[.!?]$", rest)


def _has_caption_shape(line: str, *, strict: bool) -> bool:
    before = line[: line.rfind("(")].strip() if line.endswith(")") else ""
    if before and (_PAREN_CREDIT.search(line) or (not strict and _PAREN_AGENCY.search(line))):
        return True
    if _TRAILING_CREDIT.search(line) or _CAPTION_PREFIX.match(line):
        return True
    match = _CREDIT_PREFIX.match(line)
    return bool(match) and bool(match.group("rest")) and not _is_short_name(match.group("rest"))


_BYLINE = re.compile(r"^by\s*[:\s]\s*(?P<who>\S.{1,100})$", re.I)
_BYLINE_LOWER_WORDS = frozenset(
    ("and", "&", "of", "the", "de", "da", "del", "van", "von", "der", "le", "la", "for", "in")
    + ("at", "with", "staff", "reporter", "reporters", "correspondent", "correspondents")
    + ("writer", "writers", "editor", "editors", "contributor")
)


def _byline_of(line: str) -> str | None:
    """The names in a line such as "By Jane Doe and John Roe, Reuters", else ``None``."""
    match = _BYLINE.match(line.strip())
    if not match:
        return None
    who = match.group("who").strip()
    if not who[0].isupper() or re.search(r"[a-z]{2}[.!?](?:\s|$)", who):
        return None
    words = [w.strip(",;()") for w in who.split()]
    words = [w for w in words if w and w.lower() not in _BYLINE_LOWER_WORDS]
    if not words:
        return None
    capitalised = sum(1 for w in words if w[0].isupper())
    return who if capitalised / len(words) >= 0.75 else None


_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_ISO_TIME = r"(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?"
_DATE_FORMS = [
    rf"(?P<iso>{_YEAR}-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}})){_ISO_TIME}",
    rf"{_MONTH}\s+{_DAY},?\s+{_YEAR}",
    rf"{_DAY}\s+{_MONTH},?\s+{_YEAR}",
]
_DATE_PREFIX = r"(?:(?:published|updated|posted|last updated)\s*(?:on)?\s*:?\s*)?"
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+)?"
_TIME_SUFFIX = (
    r"(?:\s*[,|\-–—]?\s*(?:at\s+)?\d{1,2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?)?"
    r"(?:\s+[A-Z]{2,5}|\s*(?:UTC|GMT)[+-]?\d{0,2})?)?"
)
_DATE_LINES = [
    re.compile(rf"^{_DATE_PREFIX}{_WEEKDAY}{form}{_TIME_SUFFIX}$", re.I) for form in _DATE_FORMS
]


def _date_of(line: str) -> str | None:
    """ISO date (``YYYY-MM-DD``) if ``line`` is a date alone, such as "March 14, 2024"."""
    line = line.strip()
    if len(line) > 60:
        return None
    for pattern in _DATE_LINES:
        match = pattern.match(line)
        if match:
            return _iso_from_match(match)
    return None


def _iso_from_match(match: re.Match[str]) -> str | None:
    groups = match.groupdict()
    if groups.get("iso"):
        year, month, day = int(groups["year"]), int(groups["m"]), int(groups["d"])
    else:
        month = _MONTHS.get(groups["month"].lower().rstrip("."), 0)
        year, day = int(groups["year"]), int(groups["day"])
    try:
        return _date(year, month, day).isoformat()
    except ValueError:
        return None


def _normalise_date(value: str | None) -> str | None:
    """An ISO date for ``value`` when it can be parsed; otherwise ``value`` unchanged."""
    if not value:
        return None
    value = value.strip()
    try:
        return datetime.fromisoformat(value).date().isoformat()
    except ValueError:
        return _date_of(value) or value


def _normalise_newlines(text: str) -> str:
    """Strip one leading BOM and turn ``\\r\\n`` and ``\\r`` into ``\\n``."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


@dataclass
class _Plain:
    title: Span | None = None
    captions: list[Caption] = field(default_factory=list)
    paragraphs: list[Span] = field(default_factory=list)
    byline: str | None = None
    date: str | None = None


# A line: (start, end, block number); start and end bound the stripped line.
_Line = tuple[int, int, int]


def _lines(text: str) -> list[_Line]:
    """Every non-blank line of ``text`` with its stripped bounds and its block number."""
    lines: list[_Line] = []
    block, offset, in_block = 0, 0, False
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            lines.append((offset + lead, offset + lead + len(stripped), block))
            in_block = True
        elif in_block:
            block += 1
            in_block = False
        offset += len(raw) + 1
    return lines


def _parse_plain(text: str, *, detect_title: bool = True) -> _Plain:
    """Title, header lines (byline, date, captions) and body paragraphs of a plain text."""
    lines = _lines(text)
    result = _Plain()
    index = 0
    if detect_title and len(lines) > 1 and lines[0][1] - lines[0][0] <= _TITLE_MAX_CHARS:
        result.title = _span(text, lines[0][0], lines[0][1])
        index = 1
    index = _read_header(text, lines, index, result)
    _read_body(text, lines[index:], result)
    return result


def _read_header(text: str, lines: list[_Line], index: int, result: _Plain) -> int:
    """Consume byline, date and caption lines that follow the title; return the next index."""
    while index < len(lines):
        start, end, _ = lines[index]
        line = text[start:end]
        byline = _byline_of(line) if len(line) <= 120 else None
        when = _date_of(line)
        kind = _caption_kind(line)
        if byline:
            result.byline = result.byline or byline
        elif when:
            result.date = result.date or when
        elif kind:
            result.captions.append(_caption(_span(text, start, end), kind))
        else:
            break
        index += 1
    return index


def _read_body(text: str, lines: list[_Line], result: _Plain) -> None:
    """Split body lines into paragraphs (and the odd caption line) block by block."""
    blocks: dict[int, list[_Line]] = {}
    for line in lines:
        blocks.setdefault(line[2], []).append(line)
    for block in blocks.values():
        if len(block) > 1 and not all(_stands_alone(text[s:e]) for s, e, _ in block):
            result.paragraphs.append(_span(text, block[0][0], block[-1][1]))
            continue
        for start, end, _ in block:
            kind = _caption_kind(text[start:end], strict=True)
            if kind:
                result.captions.append(_caption(_span(text, start, end), kind))
            else:
                result.paragraphs.append(_span(text, start, end))


def _stands_alone(line: str) -> bool:
    """True if a line inside a block reads as a whole paragraph (or is a caption)."""
    return bool(_SENTENCE_END.search(line)) or _caption_kind(line, strict=True) is not None


def parse_text(
    text: str,
    *,
    url: str | None = None,
    outlet: str | None = None,
    date: str | None = None,
    byline: str | None = None,
) -> Article:
    """Read a plain-text article.

    The input is normalised first (one leading BOM removed, ``\\r\\n`` and ``\\r`` turned into
    ``\\n``) and that normalised string is ``Article.text``; nothing else is changed.

    The first non-empty line is the title (unless it is the only line, or longer than 300
    characters). Lines right after it that are a byline ("By Jane Doe"), a date alone, or a
    photo caption or credit are kept in the text but are not body. Paragraphs are separated by
    blank lines; inside a block, each line is its own paragraph when every line ends like a
    sentence, otherwise the block is one paragraph. Keyword arguments override what is found.

    Raises :class:`InputError` if the text is empty.
    """
    text = _normalise_newlines(text)
    if not text.strip():
        raise InputError("input is empty")
    plain = _parse_plain(text)
    return Article(
        text=text,
        title=plain.title,
        captions=sorted(plain.captions, key=lambda c: c.start),
        paragraphs=plain.paragraphs,
        byline=byline or plain.byline,
        date=_normalise_date(date) or plain.date,
        outlet=outlet,
        url=url,
    )


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------

_JUNK_TAGS = frozenset(
    ("nav", "footer", "aside", "form", "button", "script", "style", "noscript", "iframe")
    + ("template", "svg", "dialog", "select")
)
_JUNK_PARTS = frozenset(
    ("ad", "ads", "adslot", "adunit", "adsense", "advert", "adverts", "advertisement")
    + ("advertising", "promo", "promos", "sponsored", "sponsor")
    + ("nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs", "toolbar", "skip")
    + ("cookie", "cookies", "consent", "gdpr", "modal", "popup", "overlay")
    + ("comment", "comments", "commentlist", "disqus", "respond", "replies")
    + ("related", "recommended", "recommendations", "trending", "popular", "yarpp")
    + ("share", "sharing", "social", "newsletter", "signup", "subscribe")
    + ("footer", "sidebar", "widget", "outbrain", "taboola", "tags")
)
_JUNK_SUBSTRINGS = (
    "advert",
    "cookie",
    "gdpr",
    "disqus",
    "outbrain",
    "taboola",
    "newsletter",
    "read-next",
) + ("more-from", "more-stories", "more-news", "more-articles")
_COMMENT_PARTS = frozenset(("comments", "commentlist", "disqus", "respond", "replies"))
_JUNK_ROLES = frozenset(
    ("navigation", "contentinfo", "complementary", "dialog", "alertdialog", "search")
)
_SPACED_TAGS = frozenset(
    ("br", "p", "div", "li", "ul", "ol", "dd", "dt", "figcaption", "figure", "section")
    + ("header", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table")
    + ("tr", "td", "th")
)
_BOILERPLATE = re.compile(
    r"^(?:advertisement|advertisment|ad|sponsored(?: content)?|"
    r"(?:story|article) continues below(?: advertisement)?|continue reading(?: below)?|"
    r"skip advertisement|share this (?:article|story)|read more)[:.]?$",
    re.I,
)
_MIN_WORDS = 5


@dataclass
class _HtmlParts:
    title: str | None
    captions: list[tuple[str, CaptionKind]]
    paragraphs: list[str]
    byline: str | None
    date: str | None
    outlet: str | None
    url: str | None


def parse_html(html: str | bytes, *, url: str | None = None) -> Article:
    """Read a news page: main text and metadata from an HTML document.

    The body comes from trafilatura (comments, tables, navigation, ads and related links
    removed); captions and credit lines come from ``<figcaption>`` and elements whose class
    names contain "caption" or "credit". ``Article.text`` is built as: the title, then each
    caption, then each paragraph, every block separated by a blank line, with whitespace inside
    a block collapsed to single spaces. Bytes are decoded with the page's declared charset or
    by detection.

    Raises :class:`InputError` if no main text is found or the bytes are not text.
    """
    parts = _extract_html(html, url=url)
    return _assemble(
        parts.title,
        parts.captions,
        parts.paragraphs,
        byline=parts.byline,
        date=parts.date,
        outlet=parts.outlet,
        url=url or parts.url,
    )


def _extract_html(html: str | bytes, *, url: str | None) -> _HtmlParts:
    """Title, captions, paragraphs and metadata of an HTML page."""
    text = _decode_html_bytes(html) if isinstance(html, bytes | bytearray) else html
    if not text.strip():
        raise InputError("input is empty")
    try:
        return _extract_html_text(text, url=url)
    except InputError:
        raise
    except Exception as exc:  # the parsers are third-party code fed hostile input
        raise InputError(f"could not read the HTML: {type(exc).__name__}") from exc


def _extract_html_text(html: str, *, url: str | None) -> _HtmlParts:
    import trafilatura

    tree = trafilatura.load_html(_wrap_fragment(html))
    if tree is None:
        raise InputError("no article text found in the HTML")
    meta = trafilatura.extract_metadata(copy.deepcopy(tree), url, extensive=False)
    _prune_boilerplate(tree)
    captions = _html_captions(tree)
    title = _collapse(meta.title or "") or None
    paragraphs, byline = _html_paragraphs(tree, url, title)
    if not paragraphs:
        raise InputError("no article text found in the HTML")
    headlines = [text for text, role in paragraphs if role == "headline"]
    title = headlines[0] if headlines else title  # the headline as printed on the page
    body = [text for text, role in paragraphs if role != "headline" and text != title]
    if not body:
        raise InputError("no article text found in the HTML")
    return _HtmlParts(
        title=title,
        captions=_unique_captions(captions, body, title),
        paragraphs=body,
        byline=_collapse(meta.author or "") or byline,
        date=_normalise_date(meta.date),
        outlet=_collapse(meta.sitename or "") or None,
        url=meta.url,
    )


def _wrap_fragment(html: str) -> str:
    """Wrap an HTML fragment in a document, as trafilatura expects whole pages."""
    head = html.lstrip()[:1000].lower()
    if "<html" in head or head.startswith("<!doctype"):
        return html
    return f"<html><body>{html}</body></html>"


def _html_paragraphs(
    tree: Any, url: str | None, title: str | None
) -> tuple[list[_Block], str | None]:
    """Body blocks as (text, role) pairs, and a byline found among them.

    Tries trafilatura's precision mode first and its balanced mode if that finds no text.
    """
    import trafilatura

    for precision in (True, False):
        doc = trafilatura.bare_extraction(
            tree,
            url=url,
            favor_precision=precision,
            include_comments=False,
            include_tables=False,
            include_images=False,
            with_metadata=False,
        )
        body = getattr(doc, "body", None)
        if body is None:
            continue
        blocks, byline = _clean_blocks(list(_xml_blocks(body)), title)
        if any(len(text.split()) >= _MIN_WORDS for text, _ in blocks):
            return blocks, byline
    return [], None


def _xml_blocks(element: Any) -> Iterator[_Block]:
    """(text, role) for each paragraph-level element of trafilatura's XML body."""
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in ("table", "graphic"):
            continue
        if tag in ("div", "body", "section", "list"):
            yield from _xml_blocks(child)
            continue
        text = _xml_text(child)
        if text and tag == "head":
            yield text, "headline" if child.get("rend") == "h1" else "heading"
        elif text:
            yield text, "text"


def _xml_text(element: Any) -> str:
    """Collapsed text of a trafilatura XML element; line breaks become spaces."""
    pieces = [element.text or ""]
    for child in element:
        if child.tag == "lb":
            pieces.append(" ")
        elif isinstance(child.tag, str):
            pieces.append(_xml_text(child))
        pieces.append(child.tail or "")
    return _collapse("".join(pieces))


def _clean_blocks(blocks: list[_Block], title: str | None) -> tuple[list[_Block], str | None]:
    """Drop boilerplate blocks, and byline or date lines that precede the first paragraph.

    Only ``<h1>`` headings before the first paragraph keep the "headline" role.
    """
    kept: list[_Block] = []
    byline = None
    for text, role in blocks:
        if not re.search(r"\w", text) or _BOILERPLATE.match(text):
            continue
        in_header = all(r != "text" for _, r in kept)
        if in_header and text != title:
            found = _byline_of(text) if len(text) <= 120 else None
            if found or _date_of(text):
                byline = byline or found
                continue
        kept.append((text, "heading" if role == "headline" and not in_header else role))
    return kept, byline


def _classes(element: Any) -> list[str]:
    """Lower-cased class and id tokens of an element."""
    values = f"{element.get('class') or ''} {element.get('id') or ''}"
    return values.lower().split()


def _junk_parts(element: Any) -> set[str]:
    """The class/id parts of ``element`` that mark it as boilerplate."""
    found: set[str] = set()
    for token in _classes(element):
        found.update(p for p in re.split(r"[-_:]+", token) if p in _JUNK_PARTS)
        found.update(s for s in _JUNK_SUBSTRINGS if s in token)
    return found


def _is_junk(element: Any, page_chars: int) -> bool:
    """True if ``element`` is navigation, an ad, a cookie banner, comments, related links..."""
    tag = element.tag
    if tag in ("html", "body", "main", "article"):
        return False
    role = (element.get("role") or "").lower()
    parts = _junk_parts(element)
    data_ad = any(name == "data-ad" or name.startswith("data-ad-") for name in element.attrib)
    if not (tag in _JUNK_TAGS or role in _JUNK_ROLES or parts or data_ad):
        if tag != "header" or element.find(".//h1") is not None:
            return False
        return not any(a.tag in ("article", "main") for a in element.iterancestors())
    if element.find(".//h1") is not None or element.find(".//main") is not None:
        return False
    if parts & _COMMENT_PARTS:
        return True
    return _visible_chars(element) <= 0.6 * page_chars


_VISIBLE_TEXT = "descendant-or-self::text()[not(ancestor::script or ancestor::style)]"


def _visible_chars(element: Any) -> int:
    """Length of an element's text outside scripts and style sheets."""
    return sum(len(text) for text in element.xpath(_VISIBLE_TEXT))


def _prune_boilerplate(tree: Any) -> None:
    """Remove boilerplate elements from an lxml.html tree, in place.

    An element is spared when it holds the page's ``<h1>`` or ``<main>``, or most of its text
    (comment sections excepted), so that a badly named wrapper never takes the article with it.
    """
    page_chars = max(_visible_chars(tree), 1)
    doomed: list[Any] = []
    doomed_set: set[Any] = set()
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        if any(a in doomed_set for a in element.iterancestors()):
            continue
        if _is_junk(element, page_chars):
            doomed.append(element)
            doomed_set.add(element)
    for element in doomed:
        element.drop_tree()


def _html_captions(tree: Any) -> list[tuple[str, CaptionKind]]:
    """Captions and credit lines of a page, outermost elements only, in document order."""
    captions: list[tuple[str, CaptionKind]] = []
    taken: set[Any] = set()
    for element in _caption_scope(tree).iter():
        if not isinstance(element.tag, str):
            continue
        kind = _html_caption_kind(element)
        if kind is None or any(a in taken for a in element.iterancestors()):
            continue
        text = _node_text(element)
        if not text or len(text) > 600:
            continue
        taken.add(element)
        if _caption_kind(text) == "credit":
            kind = "credit"
        captions.append((text, kind))
    return captions


def _caption_scope(tree: Any) -> Any:
    """Where to look for captions: the page's ``<main>`` if it has exactly one, else the page."""
    mains = tree.xpath("//main")
    return mains[0] if len(mains) == 1 else tree


def _html_caption_kind(element: Any) -> CaptionKind | None:
    if element.tag == "figcaption":
        return "caption"
    if element.tag in ("img", "figure", "picture", "script", "style", "table", "caption"):
        return None
    classes = " ".join(_classes(element))
    if "credit" in classes:
        return "credit"
    if "caption" in classes:
        return "caption"
    return None


def _node_text(element: Any) -> str:
    """Visible text of an HTML element, with blocks, line breaks and credits kept apart."""
    pieces: list[str] = []

    def walk(node: Any) -> None:
        if node.tag in ("script", "style", "template"):
            return
        spaced = node.tag in _SPACED_TAGS or _html_caption_kind(node) is not None
        pieces.append(" " if spaced else "")
        pieces.append(node.text or "")
        for child in node:
            if isinstance(child.tag, str):
                walk(child)
            pieces.append(child.tail or "")
        pieces.append(" " if spaced else "")

    walk(element)
    return _collapse("".join(pieces))


def _unique_captions(
    captions: list[tuple[str, CaptionKind]], body: list[str], title: str | None
) -> list[tuple[str, CaptionKind]]:
    """Captions without repeats, without the title, and without those already in the body."""
    seen = {title.casefold()} if title else set()
    body_text = "\n".join(body).casefold()
    kept = []
    for text, kind in captions:
        key = text.casefold()
        if key in seen or key in body_text:
            continue
        seen.add(key)
        kept.append((text, kind))
    return kept


_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def _decode_html_bytes(data: bytes) -> str:
    """Decode an HTML page: BOM, then the ``<meta>`` charset, then detection."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode_bytes(data)
    match = _META_CHARSET.search(data[:4096])
    codec = _codec(match.group(1).decode("ascii")) if match else None
    if codec:
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            pass
    return decode_bytes(data)


def _codec(label: str | None) -> str | None:
    """Python codec name for a charset label; ISO-8859-1 and ASCII read as Windows-1252."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    return "cp1252" if name in ("latin-1", "iso8859-1", "ascii") else name


# --------------------------------------------------------------------------------------------
# JSON records
# --------------------------------------------------------------------------------------------

_TEXT_KEYS = ("text", "body", "content")


def parse_record(obj: dict) -> Article:
    """Read one article from a JSON object.

    Fields: ``text`` (or ``body`` or ``content``; required; plain text or HTML), ``title``,
    ``url``, ``date``, ``outlet``, ``byline`` and ``captions`` (a list of strings). The text is
    built as: title, captions, body, separated by blank lines; a plain body is kept verbatim
    (newlines normalised) and split into paragraphs like :func:`parse_text` does.

    Raises :class:`InputError` naming the record if it has no text or a field has a bad type.
    """
    if not isinstance(obj, dict):
        raise InputError(f"an article record must be a JSON object, not {_json_type(obj)}")
    name = _record_name(obj)
    body = _record_body(obj, name)
    title = _record_str(obj, "title", name)
    meta = {key: _record_str(obj, key, name) for key in ("url", "date", "outlet", "byline")}
    meta["date"] = _normalise_date(meta["date"])
    captions = _record_captions(obj.get("captions"), name)
    if _looks_like_html(body):
        return _html_record(body, title, captions, meta)
    return _plain_record(body, title, captions, meta)


def _plain_record(
    body: str,
    title: str | None,
    captions: list[tuple[str, CaptionKind]],
    meta: dict[str, str | None],
) -> Article:
    builder = _TextBuilder()
    title_span = builder.add(title) if title else None
    caption_spans = [_caption(builder.add(text), kind) for text, kind in captions]
    body = _normalise_newlines(body)
    offset = builder.add_raw(body)
    plain = _parse_plain(body, detect_title=False)
    paragraphs = plain.paragraphs
    if title and paragraphs and paragraphs[0].text == title:
        paragraphs = paragraphs[1:]
    caption_spans += [_shift(c, offset) for c in plain.captions]
    return Article(
        text=builder.text(),
        title=title_span,
        captions=sorted(caption_spans, key=lambda c: c.start),
        paragraphs=[_shift(p, offset) for p in paragraphs],
        byline=meta["byline"] or plain.byline,
        date=meta["date"] or plain.date,
        outlet=meta["outlet"],
        url=meta["url"],
    )


def _html_record(
    body: str,
    title: str | None,
    captions: list[tuple[str, CaptionKind]],
    meta: dict[str, str | None],
) -> Article:
    parts = _extract_html(body, url=meta["url"])
    known = {text.casefold() for text, _ in captions}
    captions = captions + [(t, k) for t, k in parts.captions if t.casefold() not in known]
    return _assemble(
        title or parts.title,
        captions,
        parts.paragraphs,
        byline=meta["byline"] or parts.byline,
        date=meta["date"] or parts.date,
        outlet=meta["outlet"] or parts.outlet,
        url=meta["url"] or parts.url,
    )


def _shift(span: _S, offset: int) -> _S:
    return span.model_copy(update={"start": span.start + offset, "end": span.end + offset})


def _json_type(value: object) -> str:
    names = {list: "a list", str: "a string", int: "a number", float: "a number", bool: "a boolean"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


def _record_name(obj: dict) -> str:
    """A short name for a record in error messages."""
    for key in ("id", "title", "url"):
        value = obj.get(key)
        if isinstance(value, str | int) and str(value).strip():
            label = _collapse(str(value))
            return f'"{label[:57]}..."' if len(label) > 60 else f'"{label}"'
    return "without a title"


def _record_body(obj: dict, name: str) -> str:
    for key in _TEXT_KEYS:
        value = obj.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            raise InputError(f'record {name}: "{key}" must be a string, not {_json_type(value)}')
        if value.strip():
            return value
    raise InputError(f'record {name} has no text (expected a "text", "body" or "content" field)')


def _record_str(obj: dict, key: str, name: str) -> str | None:
    """A metadata field as a stripped string (lists of names are joined), or ``None``."""
    value = obj.get(key)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        value = ", ".join(v.strip() for v in value if v.strip())
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if value is None or isinstance(value, str):
        return _collapse(value or "") or None
    raise InputError(f'record {name}: "{key}" must be a string, not {_json_type(value)}')


def _record_captions(value: object, name: str) -> list[tuple[str, CaptionKind]]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise InputError(f'record {name}: "captions" must be a list of strings')
    captions: list[tuple[str, CaptionKind]] = []
    for item in value:
        text = item.get("text") if isinstance(item, dict) else item
        if not isinstance(text, str):
            raise InputError(f'record {name}: "captions" must be a list of strings')
        text = _collapse(text)
        if text:
            captions.append((text, "credit" if _caption_kind(text) == "credit" else "caption"))
    return captions


def read_records(data: str) -> list[Article]:
    """Read articles from JSON (one object or a list of objects) or JSON Lines.

    Raises :class:`InputError` for invalid JSON ("line N: ..." for JSON Lines), for items that
    are not objects, and for records without text.
    """
    data = _normalise_newlines(data)
    if not data.strip():
        raise InputError("input is empty")
    try:
        parsed = json.loads(data)
    except json.JSONDecodeError as exc:
        labelled = _json_lines(data, exc)
    else:
        if not isinstance(parsed, list):
            return [_labelled_record(parsed, "")]
        labelled = [(obj, f"record {n}") for n, obj in enumerate(parsed, start=1)]
    if not labelled:
        raise InputError("no articles found in the JSON input")
    return [_labelled_record(obj, label) for obj, label in labelled]


def _labelled_record(obj: Any, label: str) -> Article:
    """:func:`parse_record`, with errors prefixed by where the record is ("line 3: ...")."""
    prefix = f"{label}: " if label else ""
    if not isinstance(obj, dict):
        raise InputError(f"{prefix}found {_json_type(obj)}, not a JSON object")
    try:
        return parse_record(obj)
    except InputError as exc:
        raise InputError(f"{prefix}{exc}") from exc


def _json_lines(data: str, whole_error: json.JSONDecodeError) -> list[tuple[Any, str]]:
    """(object, "line N") for each line of a JSON Lines text; a bad line raises "line N: ...".

    If even the first line is not JSON, the input was meant as one JSON document, so the error
    reported is ``whole_error``, with its position.
    """
    labelled: list[tuple[Any, str]] = []
    for number, line in enumerate(data.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            labelled.append((json.loads(line), f"line {number}"))
        except json.JSONDecodeError as line_error:
            error = line_error if labelled else whole_error
            number = number if labelled else whole_error.lineno
            message = f"{error.msg} at column {error.colno}"
            raise InputError(f"line {number}: not valid JSON ({message})") from error
    return labelled


# --------------------------------------------------------------------------------------------
# Bytes
# --------------------------------------------------------------------------------------------

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\v\x1b")
_WESTERN_EXTRA = frozenset("“”‘’–—…€•·°£§©®«»¡¿×÷\u00a0‚„†‡ˆ‰‹›™šžŠŽŸœŒ")


def decode_bytes(data: bytes) -> str:
    """Decode bytes to text: a BOM first, then strict UTF-8, then a best guess.

    Mostly-ASCII text with a few Western European letters is read as Windows-1252 (a superset
    of Latin-1); anything else is left to charset-normalizer. Never raises UnicodeDecodeError.

    Raises :class:`InputError` ("input looks binary, not text") for NUL bytes, a high share of
    control characters, or bytes no encoding explains.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return _check_text(data.decode(codec))
            except UnicodeDecodeError:
                break
    if b"\x00" in data or _control_share(data) > 0.05:
        raise InputError("input looks binary, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    western = _as_western(data)
    if western is not None:
        return western
    return _check_text(_detect(data))


def _control_share(data: bytes) -> float:
    sample = data[:65536]
    if not sample:
        return 0.0
    controls = sum(1 for b in sample if (b < 32 or b == 127) and b not in _TEXT_CONTROLS)
    return controls / len(sample)


def _as_western(data: bytes) -> str | None:
    """``data`` as Windows-1252 if that reads as Western European text, else ``None``."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    others = [c for c in text if ord(c) > 127]
    letters = sum(1 for c in text if c.isalpha())
    plausible = sum(1 for c in others if c in _WESTERN_EXTRA or ("\u00c0" <= c <= "\u00ff"))
    accented = sum(1 for c in others if c.isalpha())
    if plausible < 0.95 * len(others) or accented > 0.4 * max(letters, 1):
        return None
    return text


def _detect(data: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError("input looks binary, not text")
    return str(best)


def _check_text(text: str) -> str:
    """``text`` unless it is mostly control characters."""
    sample = text[:65536]
    controls = sum(1 for c in sample if c < " " and c not in "\t\n\r\f\v\x1b")
    if "\x00" in sample or (sample and controls / len(sample) > 0.05):
        raise InputError("input looks binary, not text")
    return text


# --------------------------------------------------------------------------------------------
# URLs
# --------------------------------------------------------------------------------------------

_HTML_TYPES = frozenset(("text/html", "application/xhtml+xml"))
_JSON_TYPES = frozenset(("application/json", "application/x-ndjson", "application/jsonl"))
_BINARY_TYPE = re.compile(r"^(?:image|audio|video|font)/|^application/(?:pdf|zip|gzip|x-tar)")


class _CountingRedirectHandler(urllib.request.HTTPRedirectHandler):
    """Follows at most ``max_redirects`` redirects, to http(s) addresses only."""

    def __init__(self, max_redirects: int) -> None:
        super().__init__()
        self.max_redirects = max_redirects
        self.count = 0
        self.max_repeats = max_redirects + 1
        self.max_redirections = max_redirects + 1

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        self.count += 1
        if self.count > self.max_redirects:
            fp.close()
            raise FetchError(f"could not fetch URL: more than {self.max_redirects} redirects")
        if urlsplit(newurl).scheme.lower() not in ("http", "https"):
            fp.close()
            raise FetchError(f"could not fetch URL: redirected to a non-HTTP address {newurl}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch_url(
    url: str,
    *,
    timeout: float = 15.0,
    max_bytes: int = MAX_BYTES,
    max_redirects: int = 5,
) -> Article:
    """Fetch an http(s) URL and read the page as an article.

    Follows at most ``max_redirects`` redirects, reads at most ``max_bytes`` bytes and gives up
    after ``timeout`` seconds. HTML goes to :func:`parse_html`, plain text to
    :func:`parse_text`; ``Article.url`` is the URL given.

    Raises :class:`InputError` for a non-http(s) URL, an over-size or non-text page, and
    :class:`FetchError` ("could not fetch URL: <reason>") for any network or HTTP failure.
    """
    url = url.strip()
    _check_url(url)
    data, headers = _download(
        url, timeout=timeout, max_bytes=max_bytes, max_redirects=max_redirects
    )
    ctype = (headers.get_content_type() if headers.get("Content-Type") else "").lower()
    if _BINARY_TYPE.match(ctype):
        raise InputError(f"the URL returned {ctype}, not an HTML page or text")
    if not data.strip():
        raise InputError("the URL returned an empty page")
    kind = "html" if ctype in _HTML_TYPES else "text" if ctype == "text/plain" else None
    kind = "records" if ctype in _JSON_TYPES else kind
    text = _decode_response(data, _codec(headers.get_content_charset()), kind)
    articles = _articles_from_text(text, kind, url=url)
    if len(articles) > 1:
        raise InputError(f"found {len(articles)} articles; analyse one at a time")
    return articles[0]


def _check_url(url: str) -> None:
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise InputError(f"not a valid URL: {url}") from exc
    if parts.scheme.lower() not in ("http", "https"):
        scheme = parts.scheme or "no scheme"
        raise InputError(f"only http and https URLs can be fetched, not {scheme}: {url}")
    if not parts.hostname:
        raise InputError(f"not a valid URL (no host): {url}")


def _download(
    url: str, *, timeout: float, max_bytes: int, max_redirects: int
) -> tuple[bytes, HTTPMessage]:
    """Body bytes and headers of ``url``; network trouble becomes :class:`FetchError`."""
    opener = urllib.request.build_opener(_CountingRedirectHandler(max_redirects))
    request = urllib.request.Request(
        url,
        headers={
            "User-Agent": USER_AGENT,
            "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5",
            "Accept-Encoding": "identity",
        },
    )
    deadline = time.monotonic() + timeout
    try:
        with opener.open(request, timeout=timeout) as response:
            _check_length(response.headers, max_bytes)
            data = _read_limited(response, max_bytes, deadline)
            data = _decompress(data, response.headers.get("Content-Encoding"), max_bytes)
            return data, response.headers
    except urllib.error.HTTPError as exc:
        exc.close()
        raise FetchError(f"could not fetch URL: HTTP {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        raise FetchError(f"could not fetch URL: {_reason(exc.reason, timeout)}") from exc
    except (OSError, HTTPException, ValueError) as exc:
        raise FetchError(f"could not fetch URL: {_reason(exc, timeout)}") from exc


def _reason(reason: object, timeout: float) -> str:
    """A short human reason for a network failure."""
    if isinstance(reason, TimeoutError | socket.timeout):
        return f"timed out after {timeout:g} s"
    if isinstance(reason, socket.gaierror):
        return f"unknown host ({reason.strerror})"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return _collapse(str(reason)) or type(reason).__name__


def _too_large(max_bytes: int, size: int | None = None) -> InputError:
    limit = f"{max_bytes / 1_000_000:g} MB"
    detail = f" ({size} bytes)" if size is not None else ""
    return InputError(f"the page is larger than {limit}{detail}")


def _check_length(headers: Any, max_bytes: int) -> None:
    length = headers.get("Content-Length")
    if length and length.strip().isdigit() and int(length) > max_bytes:
        raise _too_large(max_bytes, int(length))


def _read_limited(response: Any, max_bytes: int, deadline: float) -> bytes:
    """At most ``max_bytes`` of the body; more raises InputError, a late body times out."""
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = response.read(65536)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if size > max_bytes:
            raise _too_large(max_bytes)
        if time.monotonic() > deadline:
            raise TimeoutError("the download took too long")


def _decompress(data: bytes, encoding: str | None, max_bytes: int) -> bytes:
    """Undo gzip/deflate content encoding (servers may send it unasked), within the limit."""
    encoding = (encoding or "").strip().lower()
    if encoding not in ("gzip", "x-gzip", "deflate"):
        return data
    wbits = 16 + zlib.MAX_WBITS if "gzip" in encoding else zlib.MAX_WBITS
    try:
        decompressor = zlib.decompressobj(wbits)
        out = decompressor.decompress(data, max_bytes + 1)
    except zlib.error as exc:
        raise FetchError("could not fetch URL: the compressed body is corrupt") from exc
    if len(out) > max_bytes:
        raise _too_large(max_bytes)
    return out


def _decode_response(data: bytes, codec: str | None, kind: str | None) -> str:
    """Text of a response body: the declared charset, else the HTML meta charset or detection."""
    if codec and not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _check_text(data.decode(codec, errors="replace"))
    if kind == "html":
        return _decode_html_bytes(data)
    return decode_bytes(data)


# --------------------------------------------------------------------------------------------
# Loading: the one entry point
# --------------------------------------------------------------------------------------------

_HTML_START = re.compile(
    r"^(?:<!doctype\s+html|<html[\s>]|<\?xml[^>]*>\s*<(?:!doctype|html))", re.I
)
_HTML_TAG = re.compile(r"<(?:body|article|p|div|head|title|main)[\s>]", re.I)
_EXTENSION = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,4}$")
_HINTS = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".json": "records",
    ".jsonl": "records",
    ".ndjson": "records",
}


def load_article(source: str | bytes | os.PathLike, *, stdin: IO | None = None) -> Article:
    """Read one article from whatever the user gave.

    ``source`` is ``"-"`` (read standard input, or ``stdin`` if given), an http(s) URL, a path
    to a file, bytes, or the article text itself (a string with a newline, longer than 200
    characters, or with no path separator and no file extension). The format is sniffed: JSON
    records, HTML, or plain text; file names ending .html/.htm force HTML and .json/.jsonl force
    records.

    Raises :class:`InputError` for empty, binary or over-size (5 MB) input, a missing file, or
    more than one article; :class:`FetchError` when a URL cannot be fetched.
    """
    articles = load_articles(source, stdin=stdin)
    if len(articles) > 1:
        raise InputError(f"found {len(articles)} articles; analyse one at a time")
    return articles[0]


def load_articles(source: str | bytes | os.PathLike, *, stdin: IO | None = None) -> list[Article]:
    """Like :func:`load_article`, but returns every article a JSON or JSON Lines input holds."""
    if isinstance(source, bytes | bytearray):
        return _articles_from_bytes(bytes(source), None)
    if isinstance(source, os.PathLike):
        return _articles_from_path(os.fsdecode(source))
    if not isinstance(source, str):
        raise InputError(f"cannot read an article from {type(source).__name__}")
    if source == "-":
        return _articles_from_stream(stdin if stdin is not None else sys.stdin)
    if re.match(r"^https?://", source.strip(), re.I):
        return [fetch_url(source.strip())]
    if _could_be_path(source) and os.path.exists(source):
        return _articles_from_path(source)
    if _looks_like_text(source):
        return _articles_from_text(source, None)
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


def _articles_from_path(path: str) -> list[Article]:
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
        raise InputError(f"input is larger than 5 MB ({size} bytes)")
    return _articles_from_bytes(data, _HINTS.get(os.path.splitext(path)[1].lower()))


def _articles_from_stream(stream: IO | None) -> list[Article]:
    """Read standard input (binary or text), at most 5 MB."""
    if stream is None:
        raise InputError("there is no standard input to read")
    binary = getattr(stream, "buffer", stream)
    try:
        data = binary.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            size = len(data) + _drain(binary)
            raise InputError(f"input is larger than 5 MB ({size} bytes)")
    except OSError as exc:
        raise InputError(f"could not read standard input: {exc}") from exc
    if isinstance(data, str):
        return _articles_from_text(data, None)
    return _articles_from_bytes(data, None)


def _drain(stream: IO) -> int:
    """Count (and discard) what is left in a stream."""
    total = 0
    while chunk := stream.read(1 << 20):
        total += len(chunk)
    return total


def _articles_from_bytes(data: bytes, hint: str | None) -> list[Article]:
    if not data.strip():
        raise InputError("input is empty")
    if len(data) > MAX_BYTES:
        raise InputError(f"input is larger than 5 MB ({len(data)} bytes)")
    text = _decode_html_bytes(data) if hint == "html" else decode_bytes(data)
    return _articles_from_text(text, hint)


def _articles_from_text(text: str, hint: str | None, *, url: str | None = None) -> list[Article]:
    """Articles from decoded text, as ``hint`` says ("html", "text", "records") or sniffed."""
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise InputError("input is empty")
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        raise InputError(f"input is larger than 5 MB ({size} bytes)")
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


def _sniff(text: str) -> str:
    """ "records", "html" or "text" for a decoded input."""
    head = text.lstrip()
    if head[:1] in ("{", "[") and _parses_as_json(head):
        return "records"
    if _looks_like_html(head):
        return "html"
    return "text"


def _parses_as_json(text: str) -> bool:
    try:
        json.loads(text)
        return True
    except ValueError:
        pass
    first = text.split("\n", 1)[0]
    try:
        return isinstance(json.loads(first), dict)
    except ValueError:
        return False


def _looks_like_html(text: str) -> bool:
    """True if ``text`` starts like an HTML document or has HTML block tags near the start."""
    head = text.lstrip()[:2000]
    if _HTML_START.match(head):
        return True
    return (
        head.startswith("<")
        and bool(_HTML_TAG.search(head))
        or bool(re.search(r"<(?:body|article)[\s>]|<p>", head[:1000], re.I))
    )
