"""The sourcing flags about sources and claims: ``unused_source``, ``unattributed_claim``,
``hedged_claim`` and ``anonymous_claim``."""

from __future__ import annotations

import re
from collections.abc import Sequence

from unspin.attribution import Intervals, Relation
from unspin.report import Claim, Flag, Report, Span
from unspin.sourcing.inventory import AUTHORITY_NOUNS, Draft, Layout, span_of
from unspin.sourcing.names import CONTESTED_EVENTS, FIGURE_KINDS, normalise_name

# --- flags: sources --------------------------------------------------------------------------


_DATELINE = re.compile(
    r"^[A-Z][A-Za-z .,'’-]{1,60}?\((?P<outlet>[A-Z][^()\n]{1,60})\)\s*[-–—]")


def publisher_names(report: Report) -> set[str]:
    """Normalised names of the outlet that published the article: ``meta.outlet`` and the
    outlet in a wire dateline that opens the body ("RIVERTON, March 14 (Riverton Gazette) -").
    An outlet crediting its own photographer borrows no one's authority."""
    names = {normalise_name(report.meta.outlet)} if report.meta.outlet else set()
    if report.paragraphs:
        match = _DATELINE.match(report.paragraphs[0].text)
        if match:
            names.add(normalise_name(match["outlet"]))
    return names


def unused_flags(drafts: Sequence[Draft], layout: Layout, claims: Sequence[Claim],
                 relations: Sequence[Relation], publisher: set[str]) -> list[Flag]:
    """``unused_source`` for the sources that the headline or a caption presents as vouching
    for something (``Draft.vouches``: a report relation there, a document with its
    provenance, a handout credit, an authority) and that the body never uses: no body claim
    rests on them, they are the source of no body relation, and the body never names them
    (then they are the subject of the story, not a borrowed authority). Never the article's
    own outlet (``publisher``) or an anonymous source."""
    body_sources = Intervals([(r.source.start, r.source.end, 0) for r in relations
                              if r.kind == "report" and r.source is not None and
                              layout.sentence_part(r.sentence, r.source.start) == "body"])
    flags = []
    for draft in drafts:
        up_front = sorted(k for k in draft.vouches if layout.part(k[0]) != "body")
        if (draft.kind == "anonymous" and not owned_authority(draft.name)) or not up_front or \
                normalise_name(draft.name) in publisher or \
                any(layout.part(start) == "body" for start, _ in draft.mentions) or \
                _used_in_body(draft, layout, claims, body_sources):
            continue
        span = draft.mentions.get(up_front[0]) or span_of(layout.report.text, *up_front[0])
        flags.append(Flag(code="unused_source", message=_unused_message(draft, layout, span),
                          start=span.start, end=span.end, text=span.text))
    return flags


def owned_authority(name: str) -> bool:
    """True for an unnamed kind of source that a name owns ("Harvard Medical School
    researchers", "NASA Scientists"): capitalised words before the last one, which is an
    authority noun. Such a source is as named as its owner."""
    words = name.split()
    if len(words) < 2 or words[-1].lower() not in AUTHORITY_NOUNS:
        return False
    owner = [w for w in words[:-1] if w.lower() not in ("of", "the", "and", "for")]
    return bool(owner) and all(w[:1].isupper() for w in owner)


def _used_in_body(draft: Draft, layout: Layout, claims: Sequence[Claim],
                  body_sources: Intervals) -> bool:
    """True if a body claim rests on the source, or it is (or is named inside) the source of
    a ``report`` relation in the body ("Russia" in "Russia’s Defence Ministry said")."""
    if any(layout.sentence_part(claims[i].sentence, claims[i].start) == "body"
           for i in draft.claims):
        return True
    # a source span holding a mention, or held by it, overlaps it (both are non-empty)
    return any(s <= m_start and m_end <= e or (m_start <= s and e <= m_end)
               for m_start, m_end in draft.mentions
               for s, e in body_sources.spans_overlapping(m_start, m_end))


def _unused_message(draft: Draft, layout: Layout, span: Span) -> str:
    place = layout.place(span.start)
    what = f"a document ({draft.name})" if draft.kind == "document" else draft.name
    return f"The {place} cites {what}, but nothing in the body rests on it."


# --- flags: claims ---------------------------------------------------------------------------


def claim_flags(report: Report, layout: Layout) -> list[Flag]:
    """``unattributed_claim``, ``hedged_claim`` and ``anonymous_claim`` for the claims."""
    flags = []
    figures = Intervals([(q.start, q.end, k) for k, q in enumerate(report.quantities)
                         if q.kind in FIGURE_KINDS])
    for claim in report.claims:
        att = claim.attribution
        if att is None:
            continue
        if att.kind == "unattributed":
            if layout.sentence_part(claim.sentence, claim.start) == "body":
                flag = unattributed_flag(report, claim, figures)
                if flag is not None:
                    flags.append(flag)
        elif att.kind == "hedged":
            span = att.hedge or claim
            flags.append(_flag("hedged_claim", span,
                               f"This claim is hedged with “{span.text}”: the article neither "
                               "vouches for it nor says who does." if att.hedge else
                               "This claim is hedged: the article neither vouches for it nor "
                               "says who does."))
        elif att.kind == "anonymous":
            span = att.source or att.hedge or claim
            flags.append(_flag("anonymous_claim", span,
                               f"This claim rests on an unnamed source (“{span.text}”)."
                               if span is not claim else
                               "This claim rests on an unnamed source."))
    return flags


def unattributed_flag(report: Report, claim: Claim,
                       index: Intervals | None = None) -> Flag | None:
    """``unattributed_claim`` if the claim states a figure or a contested event. ``index``:
    the report's figure quantities (payload: index in ``report.quantities``)."""
    if index is None:
        index = Intervals([(q.start, q.end, k) for k, q in enumerate(report.quantities)
                           if q.kind in FIGURE_KINDS])
    figures = [report.quantities[k] for k in sorted(index.overlapping(claim.start, claim.end))
               if claim.start <= report.quantities[k].start and
               report.quantities[k].end <= claim.end]
    if figures:
        what = f"a figure (“{figures[0].text}”)"
    else:
        event = CONTESTED_EVENTS.search(claim.text)
        if event is None:
            return None
        what = f"a contested event (“{event.group()}”)"
    return _flag("unattributed_claim", claim,
                 f"This claim states {what} without saying who says so.")


def _flag(code: str, span: Span, message: str) -> Flag:
    return Flag(code=code, message=message, start=span.start, end=span.end, text=span.text)


