"""Token and character ranges on the parse, the candidate relation and the context the cue
rules share, and :class:`Intervals` (overlap queries on offsets, also used by
:mod:`unspin.sourcing`)."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from unspin.attribution.relation import RelationKind


@dataclass
class _Candidate:
    head: Token  # the cue's head token ("according" for "according to", ":" for "X: ...")
    source: tuple[int, int] | None  # token range [start, end)
    cue: tuple[int, int]  # character range
    content: tuple[int, int]  # character range
    kind: RelationKind
    depth: float  # in the parse tree: the shallowest candidate is taken first


_Extent = tuple[int, int] | None
"""A first and a last token index (inclusive), or None for no tokens."""


def _join(a: _Extent, b: _Extent) -> _Extent:
    if a is None:
        return b
    if b is None:
        return a
    return min(a[0], b[0]), max(a[1], b[1])


def _subtree_bounds(doc: Doc) -> tuple[list[int], list[int]]:
    """For every token, the smallest and largest index in ``token.subtree``.

    spaCy lists as children of ``h`` only the tokens headed by ``h`` between its
    ``left_edge`` and ``right_edge``, and those edges can be wrong after a non-projective
    parse, so the bounds are computed from those same listed children, bottom up."""
    n = len(doc)
    heads, lefts, rights = [0] * n, [0] * n, [0] * n
    for t in doc:
        heads[t.i], lefts[t.i], rights[t.i] = t.head.i, t.left_edge.i, t.right_edge.i
    kids: list[list[int]] = [[] for _ in range(n)]
    roots = []
    for j in range(n):
        h = heads[j]
        if h != j and lefts[h] <= j <= rights[h]:
            kids[h].append(j)
        else:
            roots.append(j)
    lo, hi = list(range(n)), list(range(n))
    order: list[int] = []  # parents before their children
    stack = roots[::-1]
    while stack:
        node = stack.pop()
        order.append(node)
        stack.extend(kids[node])
    for node in reversed(order):
        for c in kids[node]:
            lo[node] = min(lo[node], lo[c])
            hi[node] = max(hi[node], hi[c])
    return lo, hi


class _Context:
    """What the rules need besides a token: the text (``Doc.text`` rebuilds it on every call)
    and its quotations (in text order, never overlapping, so their ends are sorted too)."""

    def __init__(self, doc: Doc, quotes: list[tuple[int, int]], text: str | None = None):
        self.doc = doc
        self.text = doc.text if text is None else text
        self.quotes = quotes
        self._starts = [q[0] for q in quotes]
        self._ends = [q[1] for q in quotes]
        self._bounds: tuple[list[int], list[int]] | None = None

    def quote_at(self, offset: int) -> tuple[int, int] | None:
        k = bisect.bisect_right(self._starts, offset) - 1
        if k >= 0 and self.quotes[k][0] <= offset < self.quotes[k][1]:
            return self.quotes[k]
        return None

    def next_quote(self, offset: int) -> tuple[int, int] | None:
        """The first quotation that opens at or after ``offset``."""
        k = bisect.bisect_left(self._starts, offset)
        return self.quotes[k] if k < len(self.quotes) else None

    def first_ending_at_or_after(self, offset: int) -> int:
        """Index of the first quotation that ends at or after ``offset``."""
        return bisect.bisect_left(self._ends, offset)

    def overlapping(self, start: int, end: int) -> Sequence[tuple[int, int]]:
        """The quotations that overlap ``[start, end)``, in text order."""
        lo = bisect.bisect_right(self._ends, start)
        hi = bisect.bisect_left(self._starts, end)
        return self.quotes[lo:hi]

    def subtrees(self, tokens: Iterable[Token]) -> _Extent:
        """The first and last token index of the subtrees of ``tokens`` together (None for
        none), as ``Token.subtree`` yields them, in O(1) a token: materialising subtrees
        is quadratic in a sentence of nested clauses ("X said that Y said that ...")."""
        if self._bounds is None:
            self._bounds = _subtree_bounds(self.doc)
        lo, hi = self._bounds
        ext: _Extent = None
        for t in tokens:
            ext = _join(ext, (lo[t.i], hi[t.i]))
        return ext


def _inside(offset: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(s <= offset < e for s, e in spans)


def _depth(token: Token) -> int:
    d = 0
    while token.head.i != token.i and d < 50:
        token = token.head
        d += 1
    return d


def _extent(tokens: Iterable[Token]) -> _Extent:
    idx = [t.i for t in tokens]
    return (min(idx), max(idx)) if idx else None


def _noun_before(noun: Token, clause: Token) -> tuple[int, int] | None:
    """The noun phrase of ``noun`` up to where ``clause`` (a modifier of it) starts."""
    own = {t.i for t in clause.subtree}
    tokens = [t.i for t in noun.subtree if t.i not in own and t.i < clause.left_edge.i]
    if not tokens:
        return None
    return _trimmed(noun.doc, min(tokens), max(tokens) + 1)


def _trimmed(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    while start < end and (doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return (start, end) if start < end else None


def _char_range(doc: Doc, tokens: Iterable[Token]) -> tuple[int, int] | None:
    return _extent_chars(doc, _extent(tokens))


def _extent_chars(doc: Doc, ext: _Extent) -> tuple[int, int] | None:
    """Characters of the tokens ``ext[0]..ext[1]``, trimmed (:func:`_trimmed_content`)."""
    if ext is None:
        return None
    start, end = ext[0], ext[1] + 1
    span = _trimmed_content(doc, start, end)
    if span is None:
        return None
    return doc[span[0]].idx, doc[span[1] - 1].idx + len(doc[span[1] - 1])


def _trimmed_content(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """Like _trimmed, but quotation marks, closing brackets and a final full stop stay."""
    keep = {"“", "”", '"', "''", "``", "’", "‘", ")", "."}
    while start < end and (doc[start].is_space or
                           (doc[start].is_punct and doc[start].text not in keep)):
        start += 1
    while end > start and (doc[end - 1].is_space or
                           (doc[end - 1].is_punct and doc[end - 1].text not in keep)):
        end -= 1
    if not any(t.is_alpha or t.like_num for t in doc[start:end]):
        return None
    return (start, end)


def _head_of(doc: Doc, start: int, end: int) -> Token:
    span = doc[start:end]
    return span.root


class Intervals:
    """A static set of ``(start, end, payload)`` intervals (payloads comparable, e.g. ints);
    :meth:`overlapping` finds those that overlap a range in O((k + 1) log n) for k found (a
    segment tree of the largest end over the intervals sorted by start)."""

    def __init__(self, intervals: Sequence[tuple[int, int, int]]):
        self._items = sorted(intervals)
        self._starts = [a for a, _, _ in self._items]
        size = 1
        while size < len(self._items):
            size *= 2
        self._size = size
        tree = [-1] * (2 * size)
        for k, (_, end, _) in enumerate(self._items):
            tree[size + k] = end
        for node in range(size - 1, 0, -1):
            tree[node] = max(tree[2 * node], tree[2 * node + 1])
        self._tree = tree

    def _found(self, start: int, end: int) -> list[int]:
        """Positions in ``_items`` of the intervals with ``istart < end`` and
        ``iend > start``, in order."""
        limit = bisect.bisect_left(self._starts, end)  # items [0, limit) start before end
        out: list[int] = []
        if limit == 0:
            return out
        stack = [(1, 0, self._size)]
        while stack:
            node, lo, hi = stack.pop()
            if lo >= limit or self._tree[node] <= start:
                continue
            if node >= self._size:
                out.append(lo)
                continue
            mid = (lo + hi) // 2
            stack.append((2 * node + 1, mid, hi))
            stack.append((2 * node, lo, mid))
        return out

    def overlapping(self, start: int, end: int) -> list[int]:
        """Payloads of the intervals with ``istart < end`` and ``iend > start``, in order of
        (start, end, payload)."""
        return [self._items[k][2] for k in self._found(start, end)]

    def spans_overlapping(self, start: int, end: int) -> list[tuple[int, int]]:
        """``(start, end)`` of the intervals :meth:`overlapping` finds."""
        return [self._items[k][:2] for k in self._found(start, end)]
