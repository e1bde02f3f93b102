"""HTML pages: main text and metadata via trafilatura, captions and clutter via lxml.

``unspin eval extraction`` (:mod:`unspin.evaluate.extraction`) measures the body against the
article-extraction-benchmark; the figures quoted in docstrings here are its shingle F1 over
the 79 English pages of ``../shared/data/extraction/dev``.
"""

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
    # hover cards, such as thehill.com's "rollover-people" blocks that put a politician's
    # latest headlines inside a sentence (with the read-more teasers: F1 +0.003 on dev pages)
    + ("tooltip", "popover", "hovercard", "rollover")
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
# Class names that begin so: rt.com's "read-more-big" teaser boxes ("Also on rt.com ..."), but
# not nypost.com's article container "entry-content-read-more".
_JUNK_PREFIXES = ("read-more",)
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
    r"skip advertisement|share this (?:article|story)|read more|also|comments?)[:.]?$"
    r"|^read more: .{1,200}$",
    re.I,
)
# Promotional and credit lines that pages put just before or after the article; removed only
# among its first and last few blocks (see _trim_promos).
_PROMO = re.compile(
    "|".join(
        (
            r"^(?:leave a (?:comment|reply)|tell us what you think|join the (?:conversation|"
            r"discussion)|have your say)\b.{0,40}$",
            r"^you (?:may|might) also (?:like|enjoy)\b.{0,20}$",
            r"^(?:related|more|see also|recommended|further reading)(?: (?:stories|articles|"
            r"coverage|links|reading))?\W*$",
            r"^(?:like|enjoy(?:ed)?) this (?:story|article)\?",
            r"^follow\b.{0,80}\bon (?:facebook|twitter|instagram|youtube|linkedin)\b",
            r"\b(?:sign up|subscribe)\b[^.!?]{0,80}\bnewsletters?\b",
            r"\bnewsletters?\b[^.!?]{0,60}\b(?:inbox|sign up|subscribe)\b",
            r"\b(?:delivered|sent|straight|right)\b[^.!?]{0,20}\b(?:in|to|into|through) your "
            r"(?:inbox|letterbox|mailbox)\b",
            r"\bclick here\b",
            r"^have a (?:news )?tip\b|\breached at \S+@\S+",
            r"\b(?:submit|send|write|publishing)\b[^.!?]{0,60}\bletters? to the editor\b",
            r"^(?:this (?:article|story|piece) )?(?:was |has been )?originally "
            r"(?:appeared|published|ran) (?:on|in|at)\b.{0,80}$",
            r"^\(?(?:additional )?(?:reporting|writing|editing) by\b",
            r"^[^.!?]{3,80}\bcontributed (?:to this )?report(?:ing)?\b.{0,60}$",
            r"^source: .{1,60}$",
            r"^(?:last )?updated(?: at| on)? .{1,40}$",
            r"^filed under\b",
            r"^(?:copyright|©)\s.{0,100}$",
        )
    ),
    re.I,
)
_PROMO_MAX_WORDS = 60
_PROMO_HEAD, _PROMO_TAIL = 1, 4
_MIN_WORDS = 5
_MIN_BODY_WORDS = 40
_MIN_BODY_SHARE = 0.25


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
    removed), less promotional lines at its ends; captions and credit lines come from
    ``<figcaption>`` and elements whose class names contain "caption" or "credit", and are
    never body. The title is the page's headline without the site's name or a date around it.
    ``Article.text`` is built as: the title, then each caption, then each paragraph, every block
    separated by a blank line, with whitespace inside a block collapsed to single spaces. Bytes
    are decoded with the page's declared charset or by detection.

    Raises :class:`InputError` if no main text is found, if the page has too little article
    text (a paywall or a photo gallery: under 40 words of body on a page with four times as
    many), or if the bytes are not text.
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
    """The page's parts.

    The body is trafilatura's, read from the page after unspin's own boilerplate pruning
    (:func:`_prune_boilerplate`); the pruning is first told what trafilatura finds on the
    unpruned page, so that it never removes the article itself.
    """
    import trafilatura

    tree = trafilatura.load_html(_wrap_fragment(html))
    if tree is None:
        raise InputError("no article text found in the HTML")
    meta = trafilatura.extract_metadata(copy.deepcopy(tree), url, extensive=False)
    outlet = _collapse(meta.sitename or "") or None
    title = _strip_site(_collapse(meta.title or ""), outlet, url or meta.url) or None
    page_words = len(" ".join(tree.xpath(_VISIBLE_TEXT)).split())
    unpruned, _ = _html_paragraphs(copy.deepcopy(tree), url, title)
    _prune_boilerplate(tree, [text for text, _ in unpruned])
    captions = _html_captions(tree)
    paragraphs, byline = _html_paragraphs(tree, url, title)
    if not paragraphs:
        raise InputError("no article text found in the HTML")
    headlines = [text for text, role in paragraphs if role == "headline"]
    if headlines:  # the headline as printed on the page
        title = _strip_site(headlines[0], outlet, url or meta.url) or headlines[0]
    body = [
        text for text, role in paragraphs if role != "headline" and text not in (title, *headlines)
    ]
    body = _without_captions(body, captions)
    _check_enough_text(body, page_words)
    return _HtmlParts(
        title=title,
        captions=_unique_captions(captions, body, title),
        paragraphs=body,
        byline=_collapse(meta.author or "") or byline,
        date=_normalise_date(meta.date),
        outlet=outlet,
        url=meta.url,
    )


def _without_captions(body: list[str], captions: list[tuple[str, CaptionKind]]) -> list[str]:
    """Body blocks less the page's photo captions, which are captions, not body.

    trafilatura's fallback extractors can return a figure's caption as a paragraph, or a whole
    gallery's captions run together. A block that is a caption (3 words or more) goes; a
    caption of 8 words or more is cut out of a longer block. Shorter captions are left alone
    inside blocks ("Reuters" as a credit must not be cut out of "(Reuters) - The ..."). No dev
    page's score moves (trafilatura's precision mode drops figures); it is for galleries and for
    paywalled pages whose only "paragraph" is the lead photo's caption.
    """
    if not captions:
        return body
    whole = {text.casefold() for text, _ in captions if len(text.split()) >= 3}
    long = sorted(
        (text for text, kind in captions if kind == "caption" and len(text.split()) >= 8),
        key=len,
        reverse=True,
    )
    kept = []
    for block in body:
        if block.casefold() in whole:
            continue
        for caption in long:
            if caption in block:
                block = _collapse(block.replace(caption, " "))
        if re.search(r"\w", block):
            kept.append(block)
    return kept


def _check_enough_text(body: list[str], page_words: int) -> None:
    """Refuse a page whose article body is a few words on a page full of other text.

    That is what a paywall (a teaser, or only the lead photo's caption, left as the "article")
    or a photo gallery looks like. The 88 pages of the article-extraction-benchmark dev split
    have at least 67 body words each (a paywalled preview whose gold body is those 67 words),
    so the floor is 40 words. A fragment that is all article (a pasted paragraph) is not a
    paywall: the floor applies only where the body is under a quarter of the page's words.
    """
    words = sum(len(text.split()) for text in body)
    if not body or (words < _MIN_BODY_WORDS and words < _MIN_BODY_SHARE * page_words):
        raise InputError(
            f"too little article text in the HTML ({words} words on a page of {page_words}): "
            "a paywall or a photo gallery?"
        )


_SITE_SEPARATOR = re.compile(r"\s+[|–—•·:~»-]\s+|:\s+|\s*[|–—•·»]\s*$")
_TITLE_DATE = re.compile(r"^\d{1,4}(?:[./-]\d{1,2}){1,2}[./-]?\d{0,4}$|^\d{1,2} \w{3,9} \d{4}$")


def _site_names(outlet: str | None, url: str | None) -> set[str]:
    """Ways a site's name is written, lower-cased letters and digits only."""
    names = set()
    if outlet:  # "The Millbrook Gazette" is also written "Millbrook Gazette"
        names = {_squash(outlet), _squash(re.sub(r"^the\s+", "", outlet, flags=re.I))}
    host = re.sub(r"^[a-z]+://", "", (url or "").lower()).split("/")[0].split(":")[0]
    labels = [p for p in host.split(".") if p not in ("www", "m", "amp", "edition", "")]
    if labels:
        names.add(_squash(labels[0]))
        names.add(_squash(".".join(labels)))
    return {n for n in names if len(n) >= 2}


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


def _strip_site(title: str, outlet: str | None, url: str | None) -> str:
    """``title`` without the site's name (and a date) that pages add around a headline.

    "Clymer workshop manual review | MoreBikes" and "LinkNaija | Nigeria's popular news
    platform: Nollywood Actress ..." become the headline alone, as does "Title | DW |
    19.01.2020". trafilatura's metadata leaves these in (it takes og:title or <title> as
    given); on the dev pages of the article-extraction-benchmark 18 of 88 titles carried one,
    and all 18 come out as the headline alone.
    A part is taken for the site's name when, letters and digits only, it equals the outlet
    trafilatura found or the site's domain name; nothing else (such as "Editorial" or
    "Opinion") is removed.
    """
    names = _site_names(outlet, url)
    if not title or not names:
        return title
    for _ in range(3):  # "Title | DW | 19.01.2020": the date, then the name
        cut = _cut_site_suffix(title, names) or _cut_site_prefix(title, names)
        if not cut or len(cut.split()) < 2:
            break
        title = cut
    return title


def _cut_site_suffix(title: str, names: set[str]) -> str | None:
    """``title`` less a trailing separator and site name or date, or None."""
    matches = list(_SITE_SEPARATOR.finditer(title))
    for match in reversed(matches):
        tail = title[match.end() :].strip()
        if _squash(tail) in names or _TITLE_DATE.match(tail) or not tail:
            return title[: match.start()].strip()
    return None


def _cut_site_prefix(title: str, names: set[str]) -> str | None:
    """``title`` less a leading site name and separator, or None."""
    for match in reversed(list(_SITE_SEPARATOR.finditer(title))):
        if _squash(title[: match.start()]) in names:
            return title[match.end() :].strip()
    return None


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
    Precision first measures better (F1 0.963 against 0.956 with balanced mode alone, both
    without unspin's pruning): balanced mode keeps more teasers and widgets.
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
    """(text, role) for each paragraph-level element of trafilatura's XML body.

    Text that trafilatura leaves loose in a container (before or after its children, as on
    pages whose paragraphs are bare text between headings) is a block of its own: dropping it
    lost two thirds of ign.com's deals page (page F1 0.51 against 0.89 with it).
    """
    loose = _collapse(element.text or "")
    if loose:
        yield loose, "text"
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in ("table", "graphic"):
            pass
        elif tag in ("div", "body", "section", "list"):
            yield from _xml_blocks(child)
        elif text := _xml_text(child):
            if tag == "head":
                yield text, "headline" if child.get("rend") == "h1" else "heading"
            else:
                yield text, "text"
        tail = _collapse(child.tail or "")
        if tail:
            yield tail, "text"


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
    return _trim_promos(kept), byline


def _trim_promos(blocks: list[_Block]) -> list[_Block]:
    """Drop promotional and credit lines among the first and last blocks of the body.

    trafilatura keeps lines such as "Submit your letter to the editor", "Sign up for our
    newsletter", "Follow Newsbeat on Instagram...", "This article originally appeared on VICE
    US.", "(Reporting by ...; Editing by ...)", "SOURCE: News agencies", "comments". None is
    article prose. On the dev pages this and the whole-line rules of ``_BOILERPLATE`` ("Read
    more: ...", "Also:", "Comments") remove 33 lines the benchmark's gold leaves out and 3 it
    keeps (two Reuters credit lines on one page, "Originally published on Live Science."); this
    alone takes precision 0.974 -> 0.983 and F1 0.970 -> 0.974. Only the first block and the
    last four are looked at, and only blocks of at most 60 words, so that a story that mentions
    a newsletter in passing is left whole.
    """
    last = len(blocks) - 1
    kept = []
    for i, (text, role) in enumerate(blocks):
        edge = i < _PROMO_HEAD or i > last - _PROMO_TAIL
        if edge and len(text.split()) <= _PROMO_MAX_WORDS and _PROMO.search(text):
            continue
        kept.append((text, role))
    return kept


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
        found.update(s for s in _JUNK_PREFIXES if token.startswith(s))
    return found


def _is_junk(element: Any, page_chars: int, body: list[str]) -> bool:
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
    if _holds_body(element, body):
        return False
    if parts & _COMMENT_PARTS:
        return True
    return _visible_chars(element) <= 0.6 * page_chars


def _holds_body(element: Any, body: list[str]) -> bool:
    """True if ``element`` holds most of the article body (by characters)."""
    if not body:
        return False
    text = _collapse("".join(element.xpath(_VISIBLE_TEXT)))
    held = sum(len(p) for p in body if p in text)
    return held >= 0.5 * sum(len(p) for p in body)


_VISIBLE_TEXT = "descendant-or-self::text()[not(ancestor::script or ancestor::style)]"


def _visible_chars(element: Any) -> int:
    """Length of an element's text outside scripts and style sheets."""
    return sum(len(text) for text in element.xpath(_VISIBLE_TEXT))


def _prune_boilerplate(tree: Any, body: list[str]) -> None:
    """Remove boilerplate elements from an lxml.html tree, in place, before the body and the
    captions are read.

    trafilatura alone keeps in-article ad boxes, newsletter sign-ups, hover cards and "read
    more" teasers that this removes (F1 0.971 without the pruning, 0.974 with it), and caption
    search needs it so that teaser photos of other stories are not taken for the article's.

    An element is spared when it holds the page's ``<h1>`` or ``<main>``, most of its text, or
    half or more of ``body`` (what trafilatura finds on the unpruned page), so that a badly
    named wrapper never takes the article with it: theverge.com and threatpost.com wrap the
    article in a container classed "l-sidebar-fixed", and without the ``body`` check four dev
    pages lost their article (F1 0.950 instead of 0.974).
    """
    page_chars = max(_visible_chars(tree), 1)
    doomed: list[Any] = []
    doomed_set: set[Any] = set()
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        if any(a in doomed_set for a in element.iterancestors()):
            continue
        if _is_junk(element, page_chars, body):
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
