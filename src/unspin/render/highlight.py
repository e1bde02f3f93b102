"""Overlapping spans -> renderable pieces. The one place that resolves overlaps.

Every renderer highlights the same way:

1. :func:`segments` cuts a window of the text into flat, non-overlapping :class:`Segment` s at
   every span boundary; each segment lists the :class:`Mark` s (the spans) covering all of it.
   The segments partition the window exactly: ``"".join(s.text for s in segs) == text[lo:hi]``.
2. :func:`nest` turns those segments into properly nested open/close events, so that markup
   languages (HTML, bracket markers in plain text) can wrap spans in elements. A span that
   crosses another is split into pieces; every piece but the first is a continuation.

Spans are anything with integer ``start`` and ``end`` attributes (``end`` exclusive); items
whose ``start`` or ``end`` is ``None`` are skipped, offsets are clipped to the text, and empty
spans are ignored, so a renderer never fails on a slightly wrong span.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

#: Known layers, outermost first when two marks cover the same range.
LAYER_ORDER: tuple[str, ...] = ("claim", "technique", "hedge", "entity", "quantity")

Layers = Mapping[str, Iterable[Any]] | Iterable[tuple[str, Iterable[Any]]]


@dataclass(frozen=True, slots=True)
class Mark:
    """One span of one layer: ``layer`` name, ``index`` of the item within its layer's list,
    the span's full extent ``[start, end)`` (unclipped by any window) and the ``item`` itself."""

    layer: str
    index: int
    start: int
    end: int
    item: Any = field(default=None, compare=False, repr=False)

    @property
    def key(self) -> str:
        """A stable identifier such as ``"technique-3"``."""
        return f"{self.layer}-{self.index}"


@dataclass(frozen=True, slots=True)
class Segment:
    """A maximal run ``text[start:end]`` covered by the same set of marks (outermost first)."""

    start: int
    end: int
    text: str
    marks: list[Mark]

    def layer(self, name: str) -> list[Mark]:
        """The marks of one layer covering this segment, outermost first."""
        return [m for m in self.marks if m.layer == name]


@dataclass(frozen=True, slots=True)
class OpenMark:
    """Start of a piece of ``mark``; ``first`` is False for the continuation of a split span."""

    mark: Mark
    first: bool


@dataclass(frozen=True, slots=True)
class CloseMark:
    """End of the piece of ``mark`` opened last (events are always properly nested)."""

    mark: Mark
    last: bool


@dataclass(frozen=True, slots=True)
class TextRun:
    """Text inside all currently open marks."""

    segment: Segment


Event = OpenMark | CloseMark | TextRun


def _rank(layer: str) -> tuple[int, str]:
    try:
        return (LAYER_ORDER.index(layer), "")
    except ValueError:
        return (len(LAYER_ORDER), layer)


def _order(mark: Mark) -> tuple[int, int, tuple[int, str], int]:
    # Earlier start first, then longer first: outer spans come before the spans they contain.
    return (mark.start, -mark.end, _rank(mark.layer), mark.index)


def _iter_layers(layers: Layers) -> Iterator[tuple[str, Iterable[Any]]]:
    if isinstance(layers, Mapping):
        yield from layers.items()
    else:
        yield from layers


def collect_marks(text: str, layers: Layers) -> list[Mark]:
    """All usable marks of ``layers``, clipped to ``text`` and sorted outermost first."""
    n = len(text)
    marks: list[Mark] = []
    for name, items in _iter_layers(layers):
        for index, item in enumerate(items):
            start = getattr(item, "start", None)
            end = getattr(item, "end", None)
            if start is None or end is None:
                continue
            start, end = max(0, min(int(start), n)), max(0, min(int(end), n))
            if start < end:
                marks.append(Mark(name, index, start, end, item))
    marks.sort(key=_order)
    return marks


def segments(text: str, layers: Layers, *, start: int = 0, end: int | None = None) -> list[Segment]:
    """Cut ``text[start:end]`` into segments at every span boundary.

    ``layers`` maps a layer name (``"technique"``, ``"hedge"``, ...) to its span-like items, or
    is a sequence of ``(name, items)`` pairs. Offsets stay absolute (into ``text``). Segments
    are in text order, non-empty, and concatenate to ``text[start:end]``; each carries the
    marks covering it, outermost first. An empty window gives an empty list.
    """
    n = len(text)
    lo = max(0, min(start, n))
    hi = n if end is None else max(lo, min(end, n))
    if lo >= hi:
        return []
    marks = [m for m in collect_marks(text, layers) if m.start < hi and m.end > lo]
    bounds = {lo, hi}
    for m in marks:
        bounds.update(b for b in (m.start, m.end) if lo < b < hi)
    cuts = sorted(bounds)
    starting: dict[int, list[Mark]] = {}
    for m in marks:
        starting.setdefault(max(m.start, lo), []).append(m)
    active: list[Mark] = []
    out: list[Segment] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        active = [m for m in active if m.end > a]
        if a in starting:
            active.extend(starting[a])
            active.sort(key=_order)
        out.append(Segment(a, b, text[a:b], list(active)))
    return out


def nest(segs: Iterable[Segment]) -> Iterator[Event]:
    """Properly nested open/text/close events for ``segs`` (from :func:`segments`).

    Marks stay open across segments as long as they can; a mark that would cross a sibling's
    boundary is closed and reopened (``OpenMark.first`` False; ``CloseMark.last`` False for
    every piece but the one reaching the span's end).
    """
    stack: list[Mark] = []
    last_end = 0
    for seg in segs:
        want = seg.marks
        keep = 0
        while keep < len(stack) and keep < len(want) and stack[keep] == want[keep]:
            keep += 1
        for mark in reversed(stack[keep:]):
            yield CloseMark(mark, last=mark.end <= seg.start)
        del stack[keep:]
        for mark in want[keep:]:
            stack.append(mark)
            yield OpenMark(mark, first=mark.start == seg.start)
        yield TextRun(seg)
        last_end = seg.end
    for mark in reversed(stack):
        yield CloseMark(mark, last=mark.end <= last_end)


# --- Report helpers shared by the renderers ----------------------------------------------------

#: Technique colours: (background, edge) pairs, light enough for dark text on top.
PALETTE: tuple[tuple[str, str], ...] = (
    ("#fde68a", "#b45309"),  # amber
    ("#bfdbfe", "#1d4ed8"),  # blue
    ("#fecaca", "#b91c1c"),  # red
    ("#bbf7d0", "#15803d"),  # green
    ("#e9d5ff", "#7e22ce"),  # purple
    ("#fed7aa", "#c2410c"),  # orange
    ("#a5f3fc", "#0e7490"),  # cyan
    ("#fbcfe8", "#be185d"),  # pink
    ("#d9f99d", "#4d7c0f"),  # lime
    ("#c7d2fe", "#4338ca"),  # indigo
    ("#e7e5e4", "#57534e"),  # stone
    ("#99f6e4", "#0f766e"),  # teal
)

# Common techniques keep the same colour from one report to the next.
_PREFERRED = {
    "loaded_language": 0,
    "doubt": 1,
    "name_calling_labeling": 2,
    "exaggeration_minimisation": 3,
    "causal_oversimplification": 4,
    "slogans": 5,
    "flag_waving": 6,
    "appeal_to_fear_prejudice": 7,
    "repetition": 8,
    "appeal_to_authority": 9,
    "thought_terminating_cliches": 10,
    "conversation_killer": 10,
    "black_and_white_fallacy": 11,
    "false_dilemma_no_choice": 11,
}


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def display_name(name: str) -> str:
    """A technique or frame name for people: ``"Loaded_Language"`` -> ``"Loaded language"``."""
    words = " ".join(re.sub(r"[_\-]+", " ", name).replace(",", ", ").split())
    return words[:1].upper() + words[1:].lower()


def technique_names(techniques: Iterable[Any]) -> list[str]:
    """Distinct technique names, most frequent first, ties in order of first appearance."""
    counts: dict[str, int] = {}
    for t in techniques:
        counts[t.technique] = counts.get(t.technique, 0) + 1
    first = {name: i for i, name in enumerate(counts)}
    return sorted(counts, key=lambda name: (-counts[name], first[name]))


def technique_colors(names: Iterable[str]) -> dict[str, int]:
    """A palette index for each technique name: distinct while the palette lasts, and stable
    across reports for the common techniques."""
    taken: set[int] = set()
    out: dict[str, int] = {}
    for name in names:
        key = _key(name)
        want = _PREFERRED.get(key, zlib.crc32(key.encode()) % len(PALETTE))
        if len(taken) < len(PALETTE):
            while want in taken:
                want = (want + 1) % len(PALETTE)
        taken.add(want)
        out[name] = want
    return out


def technique_definitions(techniques: Iterable[Any]) -> dict[str, str]:
    """The first non-empty definition given for each technique name."""
    out: dict[str, str] = {}
    for t in techniques:
        if t.definition and not out.get(t.technique):
            out[t.technique] = t.definition
        out.setdefault(t.technique, "")
    return out


@dataclass(frozen=True, slots=True)
class EntityMention:
    """One mention of an entity, as a span-like item of the ``entity`` layer."""

    start: int
    end: int
    text: str
    entity: Any


def report_layers(report: Any, include: Iterable[str] = LAYER_ORDER) -> dict[str, list[Any]]:
    """The highlight layers of a :class:`~unspin.report.Report`, by layer name."""
    available = {
        "claim": list(report.claims),
        "technique": list(report.techniques),
        "hedge": list(report.hedges),
        "entity": [
            EntityMention(m.start, m.end, m.text, e) for e in report.entities for m in e.mentions
        ],
        "quantity": list(report.quantities),
    }
    return {name: available[name] for name in include if name in available}


@dataclass(frozen=True, slots=True)
class Block:
    """A displayed piece of the article: ``kind`` is ``"title"``, ``"caption"``, ``"credit"``
    or ``"paragraph"``; ``item`` is the Caption or Paragraph it comes from, if any."""

    kind: str
    start: int
    end: int
    item: Any = None


_LINE = re.compile(r"\S(?:[^\n]*\S)?")


def article_blocks(report: Any) -> list[Block]:
    """The title, captions and paragraphs of ``report`` in text order, without overlaps.

    Text that none of them covers (a report without paragraphs, say) is not lost: each of its
    non-blank lines becomes a paragraph block with no ``item``.
    """
    wanted: list[Block] = []
    if report.title is not None:
        wanted.append(Block("title", report.title.start, report.title.end))
    wanted += [Block(c.kind, c.start, c.end, c) for c in report.captions]
    wanted += [Block("paragraph", p.start, p.end, p) for p in report.paragraphs]
    wanted.sort(key=lambda b: (b.start, b.end))
    n = len(report.text)
    kept: list[Block] = []
    covered = 0
    gaps: list[tuple[int, int]] = []
    for b in wanted:
        start, end = max(b.start, covered), min(b.end, n)
        if start >= end:
            continue
        if start > covered:
            gaps.append((covered, start))
        kept.append(Block(b.kind, start, end, b.item))
        covered = end
    if covered < n:
        gaps.append((covered, n))
    for lo, hi in gaps:
        kept += [
            Block("paragraph", lo + m.start(), lo + m.end())
            for m in _LINE.finditer(report.text[lo:hi])
        ]
    kept.sort(key=lambda b: b.start)
    return kept


def strongest_span(report: Any, paragraph: Any, technique: str) -> Any | None:
    """The highest-scoring span of ``technique`` that lies inside ``paragraph`` (a report
    paragraph), or None: a paragraph badge points at it, and without one says that the
    technique was judged on the paragraph as a whole."""
    found = [t for t in report.techniques if t.technique == technique and
             paragraph.start <= t.start and t.end <= paragraph.end]
    return max(found, key=lambda t: (t.score, -t.start)) if found else None


FRAMES_NOT_JUDGED = ("not judged: the frame model recognises too little of this article "
                     "(it learned frames from political and world news)")
"""What every view says when a report's frames were not judged (``Report.frames_judged``)."""


def badge_note(report: Any, paragraph: Any, technique: str) -> str:
    """What a paragraph badge says besides its name and score: “at “span”” for the strongest
    span of the technique in the paragraph, else "whole paragraph" (no span of it there)."""
    span = strongest_span(report, paragraph, technique)
    if span is None:
        return "whole paragraph"
    text = span.text if len(span.text) <= 60 else span.text[:57].rstrip() + "..."
    return f"at “{text}”"
