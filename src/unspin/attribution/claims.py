""":func:`attribute_claim`: on whose word one claim sentence rests, from the relations,
hedges and quotations around it (the rule is in the package docstring)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from unspin.attribution.lexicon import _NEGATIONS
from unspin.attribution.quotes import _QuoteCover
from unspin.attribution.relation import Relation
from unspin.attribution.spans import Intervals
from unspin.report import Attribution, Hedge, Sentence, Span


def _words(text: str, start: int, end: int) -> set[int]:
    """Offsets of the first letter of every word in ``text[start:end]``."""
    out = set()
    prev = False
    for i in range(start, end):
        cur = text[i].isalnum()
        if cur and not prev:
            out.add(i)
        prev = cur
    return out


def attribute_claim(sentence: Sentence | Span, relations: Sequence[Relation],
                    hedges: Sequence[Hedge], text: str,
                    quotes: Sequence[tuple[int, int]] = ()) -> Attribution:
    """The attribution of a claim sentence.

    A relation that is not negated ("has not commented on") *speaks for* the sentence when
    its cue is in the sentence and either governs the main clause (``main_clause``: "Peskov
    confirmed that ...", "“...,” she said", "..., according to the ministry", "Mr. McKinley
    notes that ...: ..." with the root after the colon, "Trump revised his plan, promising
    to ..."), or its content holds at least half
    of the sentence's words ("Trump unleashed a series of tweets saying that ..."), or when at
    least 90% of the sentence lies inside its content (a quotation or "X said:" whose cue is
    in another sentence).
    ``quotes`` are the text's quotations (:func:`find_quotes`). Then, in order:

    1. a ``report`` relation that speaks for the sentence, else a ``stance`` one (the claim
       is the source's own position or act: "Clinton pledged to ...", "The appeals court
       ruled that ...", "Republicans want ...", if its source is someone: ``agent``):
       ``hedged`` if its cue, or the first cue of the sentence, is hedged ("allegedly
       said"); ``anonymous`` if its source is vague or missing; ``direct_quote`` if its
       content is quoted; else ``attributed``. Of several, the one whose content holds the
       most of the sentence's words decides;
    2. a sentence at least half of whose letters lie inside quotation marks is someone's
       words even when no cue says whose: ``direct_quote`` with no source;
    3. a hedge in the sentence outside every relation's source, cue and content:
       ``anonymous`` for an anonymous-source hedge ("sources say"), else ``hedged``;
    4. a relation in a subordinate clause with a vague source whose content holds at least a
       quarter of the sentence's words ("..., with reports indicating that 23 munitions were
       fired") -> ``anonymous`` (a named source there does not vouch for the main clause);
    5. any other hedge in the sentence -> ``hedged``; else ``unattributed``.

    ``source``, ``cue`` and ``hedge`` are the spans of the deciding relation and hedge.
    To attribute many sentences, :func:`attribute_claims` is faster (the same results, and
    poll figures carried on from the sentence before).
    """
    return _ClaimIndex(relations, hedges, quotes, text)(sentence, text)


def attribute_claims(claims: Sequence[Sentence | Span], relations: Sequence[Relation],
                     hedges: Sequence[Hedge], text: str,
                     quotes: Sequence[tuple[int, int]] = ()) -> list[Attribution]:
    """:func:`attribute_claim` of each of ``claims`` (in text order), with the relations,
    hedges and quotations indexed once, so that each claim costs O(log n) plus what lies
    near it; then poll figures carried on (:func:`_carry_poll_figures`), which needs the
    claims before."""
    index = _ClaimIndex(relations, hedges, quotes, text)
    attributions = [index(c, text) for c in claims]
    _carry_poll_figures(claims, attributions, text)
    return attributions


def _carry_poll_figures(claims: Sequence[Sentence | Span], attributions: list[Attribution],
                        text: str) -> None:
    """In place: an ``unattributed`` claim stating a percentage right after a claim that rests
    on a poll, survey, study or count (a word of :data:`_FIGURE_SOURCES` in its source), in the
    same paragraph with nothing between them, rests on that source too ("..., according to
    an NBC News/Wall Street Journal poll. In a closer match-up, 48 percent chose Clinton while
    45 percent chose Cruz."); and so on along a run of such sentences."""
    for i in range(1, len(claims)):
        before, claim = claims[i - 1], claims[i]
        previous = attributions[i - 1]
        gap = text[before.end:claim.start]
        if attributions[i].kind != "unattributed" or gap.strip() or "\n" in gap:
            continue
        if previous.kind not in ("attributed", "anonymous") or previous.source is None:
            continue
        words = {w.lower() for w in _WORD.findall(previous.source.text)}
        if words & _FIGURE_SOURCES and _PERCENTAGE.search(text[claim.start:claim.end]):
            attributions[i] = previous.model_copy()


_FIGURE_SOURCES = frozenset({
    "poll", "polls", "survey", "surveys", "study", "studies", "analysis", "census", "tally",
    "count", "data", "figures", "estimate", "estimates",
})  # fmt: skip
_WORD = re.compile(r"\w+")
_PERCENTAGE = re.compile(r"\d\s?%|\bper ?cent\b|\bpercentage points?\b", re.IGNORECASE)


class _ClaimIndex:
    """The relations, hedges and quotations that :func:`attribute_claim` reads, indexed by
    offset.

    For a sentence [s0, s1) only the relations whose cue starts in it or whose content
    overlaps it can speak for it; they are taken in their original order, so ties are
    broken as a loop over all relations would break them."""

    def __init__(self, relations: Sequence[Relation], hedges: Sequence[Hedge],
                 quotes: Sequence[tuple[int, int]], text: str):
        self.relations = list(relations)
        usable = [i for i, r in enumerate(self.relations) if not _negated(r)]
        by_cue = sorted((r.cue.start, i) for i in usable
                        if (r := self.relations[i]).cue is not None)
        self._cue_starts = [c for c, _ in by_cue]
        self._cue_rel = [i for _, i in by_cue]
        self._contents = Intervals([(self.relations[i].content.start,
                                      self.relations[i].content.end, i) for i in usable])
        taken = sorted((p.start, p.end) for r in self.relations if r.kind == "report"
                       for p in (r.source, r.cue, r.content) if p is not None)
        self._taken_starts = [a for a, _ in taken]
        self._taken_reach: list[int] = []
        reach = -1
        for _, b in taken:
            reach = max(reach, b)
            self._taken_reach.append(reach)
        self.hedges = list(hedges)
        by_start = sorted((h.start, i) for i, h in enumerate(self.hedges))
        self._hedge_starts = [a for a, _ in by_start]
        self._hedge_index = [i for _, i in by_start]
        self._quoted = _QuoteCover(text, quotes)

    def _candidates(self, s0: int, s1: int) -> list[Relation]:
        """The usable relations with a cue starting in [s0, s1) or content overlapping it,
        in their original order."""
        found = set(self._cue_rel[bisect.bisect_left(self._cue_starts, s0):
                                  bisect.bisect_left(self._cue_starts, s1)])
        found.update(self._contents.overlapping(s0, s1))
        return [self.relations[i] for i in sorted(found)]

    def _taken(self, offset: int) -> bool:
        """True if ``offset`` is inside the source, cue or content of a report relation."""
        k = bisect.bisect_right(self._taken_starts, offset) - 1
        return k >= 0 and self._taken_reach[k] > offset

    def __call__(self, sentence: Sentence | Span, text: str) -> Attribution:
        s0, s1 = sentence.start, sentence.end
        here = self._hedge_index[bisect.bisect_left(self._hedge_starts, s0):
                                 bisect.bisect_left(self._hedge_starts, s1)]
        hedges_here = [self.hedges[i] for i in sorted(here)]
        quoted = self._quoted(Span(start=s0, end=s1, text=text[s0:s1]))
        return _attribute(s0, s1, self._candidates(s0, s1), hedges_here, self._taken, text,
                          quoted)


def _attribute(s0: int, s1: int, relations: Sequence[Relation], hedges_here: list[Hedge],
               taken, text: str, quoted: bool = False) -> Attribution:
    """:func:`attribute_claim` of the sentence [s0, s1), given the usable relations that
    touch it, its hedges, ``taken(offset)`` and whether the sentence is mostly quoted."""
    words = _words(text, s0, s1)
    best: dict[str, tuple[float, Relation]] = {}
    speaking: list[Relation] = []
    partial: tuple[float, Relation] | None = None
    for rel in relations:
        inside = {w for w in words if rel.content.start <= w < rel.content.end}
        cover = len(inside) / max(1, len(words))
        speaks = False
        if rel.cue is not None and s0 <= rel.cue.start < s1:
            if rel.main_clause or cover >= 0.5:
                speaks = True
            elif rel.kind == "report" and cover >= 0.25 and \
                    (partial is None or cover > partial[0]):
                partial = (cover, rel)
        elif cover >= 0.9:
            speaks = True
        if speaks and (rel.kind == "report" or rel.agent):
            speaking.append(rel)
            if rel.kind not in best or cover > best[rel.kind][0]:
                best[rel.kind] = (cover, rel)
    chosen = best.get("report") or best.get("stance")
    if chosen is not None:
        # the first cue of the sentence, hedged, hedges it ("X reportedly rejected the
        # offer, and Y allegedly threatened ...")
        first = min(speaking, key=lambda r: r.cue.start if r.cue is not None else s1)
        for rel in (first, chosen[1]):
            cue_hedge = _hedge_on(rel, hedges_here)
            if cue_hedge is not None:
                return _attribution("hedged", rel, cue_hedge)
        rel = chosen[1]
        if rel.source is None or rel.source_kind == "anonymous":
            return _attribution("anonymous", rel, _hedge_in(rel, hedges_here))
        return _attribution("direct_quote" if rel.quoted else "attributed", rel, None)
    if quoted:
        return Attribution(kind="direct_quote")
    free = [h for h in hedges_here if not taken(h.start)]
    if free:
        anonymous = [h for h in free if h.kind == "anonymous_source"]
        if anonymous:
            return Attribution(kind="anonymous", hedge=_plain(anonymous[0]))
        return Attribution(kind="hedged", hedge=_plain(free[0]))
    if partial is not None:
        rel = partial[1]
        if rel.source is None or rel.source_kind == "anonymous":
            return _attribution("anonymous", rel, _hedge_in(rel, hedges_here))
    if hedges_here:
        h = hedges_here[0]
        kind = "anonymous" if h.kind == "anonymous_source" else "hedged"
        return Attribution(kind=kind, hedge=_plain(h))
    return Attribution(kind="unattributed")


def _negated(rel: Relation) -> bool:
    """True for a cue that says the source did *not* say it ("has not commented on",
    "never confirmed"): nothing rests on such a source."""
    if rel.cue is None:
        return False
    words = rel.cue.text.lower().replace("n’t", " n't").replace("n't", " n't").split()
    return any(w in _NEGATIONS for w in words)


def _plain(span) -> Span:
    return Span(start=span.start, end=span.end, text=span.text)


def _hedge_on(rel: Relation, hedges: Sequence[Hedge]) -> Hedge | None:
    """A hedge that qualifies the cue itself ("allegedly accused", "reportedly said")."""
    if rel.cue is None:
        return None
    for h in hedges:
        if h.kind == "adverb" and rel.cue.start <= h.start < rel.cue.end:
            return h
        if h.kind == "adverb" and 0 <= rel.cue.start - h.end <= 2:
            return h
    return None


def _hedge_in(rel: Relation, hedges: Sequence[Hedge]) -> Hedge | None:
    spans = [(p.start, p.end) for p in (rel.source, rel.cue) if p is not None]
    return next((h for h in hedges if any(s < h.end and h.start < e for s, e in spans)), None)


def _attribution(kind: str, rel: Relation, hedge: Hedge | None) -> Attribution:
    return Attribution(
        kind=kind,  # type: ignore[arg-type]
        source=_plain(rel.source) if rel.source is not None else None,
        cue=_plain(rel.cue) if rel.cue is not None else None,
        hedge=_plain(hedge) if hedge is not None else None,
    )
