"""Plain text: title, header lines (byline, date, captions) and paragraph rules."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from unspin.article.captions import _caption_kind
from unspin.article.dates import _date_of, _normalise_date
from unspin.article.model import Article, _caption, _span
from unspin.errors import InputError
from unspin.report import Caption, Span

_TITLE_MAX_CHARS = 300

_SENTENCE_END = re.compile(r"[.!?…:;][\"'”’»)\]]*$")

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
