"""Quotations: where they open and close (:func:`find_quotes`), and how much of a span
they cover (:class:`_QuoteCover`)."""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from unspin.report import Sentence, Span

_OPEN = {"“": "”", "«": "»", "„": "“"}


def find_quotes(text: str, sentences: Sequence[Sentence]) -> list[tuple[int, int]]:
    """Quotations as ``(start, end)`` spans, marks included, in text order.

    “...” (and «...», „...“) pair up; a straight ``"`` or ``''`` closes what the same mark
    opened, and ``"`` and ” close each other's quotations (mixed marks). Quotes do not cross
    a title, caption or paragraph, except that a quotation left open at the end of a
    paragraph whose next paragraph opens with a quote mark runs on into it (the newspaper
    convention for long quotes); the span then covers both paragraphs. A mark left open
    otherwise is a stray mark, not a quotation; “ typed for a closing ” after a comma or
    full stop closes.
    """
    out: list[tuple[int, int]] = []
    carry: tuple[int, str] | None = None  # a quotation still open at the end of a block
    for start, end in _blocks(text, sentences):
        opened: int | None = None
        closer = ""
        i = start
        if carry is not None:
            j = _skip_space(text, start)
            mark = _mark_at(text, j)
            if mark is not None:
                opened, closer, i = carry[0], mark[1], j + mark[0]
            carry = None
        while i < end:
            if opened is None:
                mark = _mark_at(text, i)
                if mark is not None:
                    opened, closer = i, mark[1]
                    i += mark[0]
                    continue
            elif (n := _closing_length(text, i, closer)) or _miswritten_close(text, i, closer):
                n = n or len(closer)
                out.append((opened, i + n))
                i += n
                opened = None
                continue
            i += 1
        if opened is not None and _opens_with_quote(text, _next_block_start(text, end)):
            carry = (opened, closer)
        elif opened is not None:
            pass  # left open and not continued: a stray mark, not a quotation
    return out


_MIXED_CLOSERS = {'"': "”", "”": '"'}
"""Scraped and pasted text mixes straight and curly marks (\"...,” he said): a quotation
opened with one is closed by the other as well."""


def _closing_length(text: str, i: int, closer: str) -> int:
    """Length of the mark at ``i`` that closes a quotation waiting for ``closer`` (0: none)."""
    if text.startswith(closer, i):
        return len(closer)
    other = _MIXED_CLOSERS.get(closer)
    return 1 if other is not None and text.startswith(other, i) else 0


def _miswritten_close(text: str, i: int, closer: str) -> bool:
    """An opening “ typed where ” belongs: right after , . ? ! and before a space."""
    return closer == "”" and text[i] == "“" and i > 0 and text[i - 1] in ",.?!" and \
        (i + 1 >= len(text) or text[i + 1].isspace())


def _next_block_start(text: str, end: int) -> int:
    return _skip_space(text, end)


def _opens_with_quote(text: str, i: int) -> bool:
    return i < len(text) and _mark_at(text, i) is not None


def _blocks(text: str, sentences: Sequence[Sentence]) -> list[tuple[int, int]]:
    """Title, captions and paragraphs as character ranges, from the sentences."""
    blocks: list[list[int]] = []
    key = None
    for s in sentences:
        new_key = (s.part, s.paragraph)
        gap = text[blocks[-1][1] : s.start] if blocks else ""
        if blocks and new_key == key and (s.part == "body" or "\n" not in gap):
            blocks[-1][1] = s.end
        else:
            blocks.append([s.start, s.end])
        key = new_key
    return [(a, b) for a, b in blocks]


def _mark_at(text: str, i: int) -> tuple[int, str] | None:
    """(length, closing mark) of an opening quotation mark at ``i``, or None."""
    ch = text[i : i + 1]
    if ch in _OPEN:
        return 1, _OPEN[ch]
    if text.startswith(("''", "``"), i):
        return 2, "''"
    if ch == '"':
        return 1, '"'
    return None


def _skip_space(text: str, i: int) -> int:
    while i < len(text) and text[i].isspace():
        i += 1
    return i


class _QuoteCover:
    """``cover(content)``: True when at least half of the content's letters (alphanumeric
    characters) lie inside quotation marks. Only the quotations the content overlaps are
    looked at (found by bisection), so a call costs O(len(content) + log n)."""

    def __init__(self, text: str, quotes: Sequence[tuple[int, int]]):
        self.text = text
        self.quotes = list(quotes)
        self._ends = [q[1] for q in self.quotes]
        self._starts = [q[0] for q in self.quotes]

    def _count(self, start: int, end: int) -> int:
        return sum(map(str.isalnum, self.text[start:end])) if end > start else 0

    def __call__(self, content: Span) -> bool:
        start, end = content.start, content.end
        letters = self._count(start, end)
        if not letters:
            return False
        lo = bisect.bisect_right(self._ends, start)
        hi = bisect.bisect_left(self._starts, end)
        covered = 0
        reached = start  # never count a letter twice
        for qs, qe in self.quotes[lo:hi]:
            a, b = max(qs, reached), min(qe, end)
            covered += self._count(a, b)
            reached = max(reached, b)
        return covered * 2 >= letters


def _quoted(content: Span, quotes: Sequence[tuple[int, int]], text: str) -> bool:
    """True when at least half of the content's letters lie inside quotation marks."""
    return _QuoteCover(text, quotes)(content)
