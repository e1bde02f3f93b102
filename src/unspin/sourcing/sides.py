"""One-sided sourcing: the parties of a dispute, the side each source speaks for, and the flag."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from unspin.report import Entity, Flag, Report
from unspin.sourcing.disputes import Dispute, party_of_entity
from unspin.sourcing.inventory import Draft, Inventory, Layout, ends_sentence
from unspin.sourcing.names import (
    DEMONYMS,
    ORG_WORDS,
    PARTY_ALIASES,
    PARTY_LABELS,
    TITLE_LEAD,
    WORD,
    display_name,
    is_outlet,
    normalise_name,
)
from unspin.titles import PERSON_ROLES

# --- flags: one-sided sourcing ------------------------------------------------------------


def party_of_name(name: str) -> str | None:
    """The party a name stands for through :data:`PARTY_ALIASES` or :data:`DEMONYMS` (the
    whole name, else its first word that is one), or None ("Kremlin" -> "Russia", "Russian
    Defence Ministry" -> "Russia", "Bulgaria" -> None)."""
    key = normalise_name(name)
    if key in PARTY_ALIASES:
        return PARTY_ALIASES[key]
    if key in DEMONYMS:
        return DEMONYMS[key]
    for word in key.split():
        word = re.sub(r"['’]s$", "", word)
        if word in PARTY_ALIASES:
            return PARTY_ALIASES[word]
        if word in DEMONYMS:
            return DEMONYMS[word]
    return None


def entity_party(entity: Entity) -> str | None:
    """The party a GPE, NORP or ORG entity stands for (None for other labels and outlets)."""
    if entity.label not in PARTY_LABELS or is_outlet(entity.name):
        return None
    return party_of_name(entity.name) or display_name(entity.name)


def article_sides(entities: Sequence[Entity]) -> list[str]:
    """The two sides of the story: the two parties mentioned most often, each at least
    twice (ties: first named first); fewer than two if there are no two such parties."""
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for e in entities:
        party = entity_party(e)
        if party is None:
            continue
        counts[party] += len(e.mentions)
        first[party] = min(first.get(party, e.mentions[0].start), e.mentions[0].start)
    ranked = sorted(counts, key=lambda p: (-counts[p], first[p]))
    return [p for p in ranked[:2] if counts[p] >= 2]


def _parties_in(inv: Inventory, start: int, end: int, skip: Entity | None) -> list[str]:
    """Parties named in ``[start, end)``: party entities and capitalised alias words."""
    found = []
    for m_start, m_end, entity in inv.mentions_in(start, end):
        party = party_of_entity(entity) if entity is not skip else None
        if party is not None and m_start >= start and m_end <= end:
            found.append(party)
    covered = [(s, e) for s, e, _ in inv.mentions_in(start, end)]
    for w in WORD.finditer(inv.text, start, end):
        if not w.group()[:1].isupper() or any(s <= w.start() < e for s, e in covered):
            continue
        party = party_of_name(w.group().rstrip("."))
        if party is not None:
            found.append(party)
    return found


def _title_before(text: str, start: int) -> tuple[int, int]:
    """The up to three capitalised or role words right before ``start`` ("Kremlin
    spokesperson", "Russian President") as a character range."""
    first = start
    words = list(WORD.finditer(text, max(0, start - 80), start))
    for w in reversed(words[-3:]):
        gap = text[w.end() : first]
        if gap.strip() or "\n" in gap or ends_sentence(text, w.end() - 1):
            break
        word = re.sub(r"['’]s$", "", w.group())
        if not (word[:1].isupper() or word.lower() in PERSON_ROLES or
                word.lower() in TITLE_LEAD or word.lower() in ORG_WORDS):
            break
        first = w.start()
    return first, start


def _appositive_after(text: str, end: int) -> tuple[int, int]:
    """An appositive right after ``end`` (", a spokesman for the Kremlin,"), or empty."""
    m = re.match(r",\s*([^,;()\n“”\"]{1,80}?)(?=[,;)\n]|\.\s|\.$|$)", text[end : end + 100])
    if m is None:
        return end, end
    return end + m.start(1), end + m.end(1)


def side_of(party: str | None, sides: Sequence[str]) -> str | None:
    """The side that ``party`` is, or None: the same name once normalised, or the words of
    one (two or more of them) opening the other's ("Transit Workers" and "Transit Workers
    Union", as NER bounds the same union differently)."""
    if party is None:
        return None
    key = normalise_name(party).split()
    for side in sides:
        other = normalise_name(side).split()
        short, long = sorted((key, other), key=len)
        if short == long or (len(short) >= 2 and long[:len(short)] == short):
            return side
    return None


def source_side(inv: Inventory, draft: Draft, sides: Sequence[str]) -> str | None:
    """The side (one of ``sides``) that a source belongs to, or None (see the module doc).

    A place or group is its own party; an organisation is its own party when it is a side or
    its name maps to a party ("Kremlin"), else, like a person or an outlet, it belongs to the
    party named next to its mentions ("Russia’s Defence Ministry")."""
    if draft.kind == "anonymous":
        return None
    entity = draft.entity
    if entity is not None and entity.label == "PERSON":
        side = side_of(party_of_entity(entity), sides)
        if side is not None:
            return side
    if entity is not None and entity.label != "PERSON":
        party = entity_party(entity)
        side = side_of(party, sides)
        if side is not None:
            return side
        if entity.label in ("GPE", "NORP") or (party is not None and party != entity.name):
            return None
    return _context_party(inv, draft, sides)


def _context_party(inv: Inventory, draft: Draft, sides: Sequence[str]) -> str | None:
    """The side named most often next to a source's mentions and inside the relation spans
    that cite it ("the Russian and Syrian defence ministries" -> Russia when Russia is a
    side and Syria is not); None if no side is named there or two are, equally often."""
    votes: Counter[str] = Counter()
    for start, end in sorted(set(draft.mentions) | draft.cited_at):
        ranges = [_title_before(inv.text, start), _appositive_after(inv.text, end)]
        if (start, end) in draft.cited_at:
            ranges.append((start, end))
        for a, b in ranges:
            found = (side_of(p, sides) for p in _parties_in(inv, a, b, draft.entity))
            votes.update(side for side in found if side is not None)
    ranked = votes.most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def dispute_sides(disputes: Sequence[Dispute]) -> tuple[str, str, Dispute] | None:
    """The two sides of the story: the pair of parties with the most disputes between them
    (either way round; ties: the pair whose first dispute comes first), with that first
    dispute; None without a dispute."""
    counts: Counter[frozenset[str]] = Counter()
    first: dict[frozenset[str], Dispute] = {}
    for d in disputes:
        pair = frozenset((d.actor, d.target))
        counts[pair] += 1
        first.setdefault(pair, d)
    if not counts:
        return None
    best = min(counts, key=lambda p: (-counts[p], first[p].cue.start))
    d = first[best]
    return d.actor, d.target, d


def one_sided_flag(inv: Inventory, drafts: Sequence[Draft], report: Report, layout: Layout,
                   disputes: Sequence[Dispute]) -> Flag | None:
    """``one_sided_sourcing`` if the article reports a dispute between two parties and every
    sided source of the body's attributed claims belongs to one of them (see the module
    doc)."""
    found = dispute_sides(disputes)
    if found is None:
        return None
    sides = [found[0], found[1]]
    attributed = {i for i, c in enumerate(report.claims)
                  if c.attribution is not None and
                  c.attribution.kind in ("direct_quote", "attributed") and
                  layout.sentence_part(c.sentence, c.start) == "body"}
    if len(attributed) < 2:
        return None
    by_side: dict[str, list[str]] = {}
    for draft in drafts:
        if not draft.claims.intersection(attributed):
            continue
        side = source_side(inv, draft, sides)
        if side is not None:
            by_side.setdefault(side, []).append(draft.name)
    if len(by_side) != 1:
        return None
    side, names = next(iter(by_side.items()))
    other = next(s for s in sides if s != side)
    message = (f"The article reports a dispute between {sides[0]} and {sides[1]} "
               f"(“{found[2].cue.text}”), but every attributed claim that can be tied to a "
               f"side comes from {side} ({', '.join(names)}); {other} is not cited for any "
               "claim.")
    return Flag(code="one_sided_sourcing", message=message)
