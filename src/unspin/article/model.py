"""The Article dataclass, and building a text from pieces with exact spans."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, TypeVar

from unspin.report import Caption, Span

CaptionKind = Literal["caption", "credit"]
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
    builder, title_span, caption_spans = _head(title, captions)
    paragraph_spans = [builder.add(text) for text in paragraphs]
    return Article(
        text=builder.text(),
        title=title_span,
        captions=caption_spans,
        paragraphs=paragraph_spans,
        **meta,
    )


def _head(
    title: str | None, captions: list[tuple[str, CaptionKind]]
) -> tuple[_TextBuilder, Span | None, list[Caption]]:
    """A builder that holds the title and then the captions, and the spans they landed at."""
    builder = _TextBuilder()
    title_span = builder.add(title) if title else None
    caption_spans = [_caption(builder.add(text), kind) for text, kind in captions]
    return builder, title_span, caption_spans


def _caption(span: Span, kind: CaptionKind) -> Caption:
    return Caption(start=span.start, end=span.end, text=span.text, kind=kind)


def _span(text: str, start: int, end: int) -> Span:
    return Span(start=start, end=end, text=text[start:end])


def _collapse(text: str) -> str:
    """Whitespace runs (newlines included) become one space; the ends are stripped."""
    return " ".join(text.split())


def _shift(span: _S, offset: int) -> _S:
    return span.model_copy(update={"start": span.start + offset, "end": span.end + offset})
