"""HTML pages: main text and metadata via trafilatura, captions and clutter via lxml."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from unspin.article.captions import _caption_kind
from unspin.article.dates import _date_of, _normalise_date
from unspin.article.decoding import _decode_html_bytes
from unspin.article.model import Article, CaptionKind, _assemble, _collapse
from unspin.article.plaintext import _byline_of
from unspin.errors import InputError

_Block = tuple[str, str]  # (collapsed text, "headline" | "heading" | "text")

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
