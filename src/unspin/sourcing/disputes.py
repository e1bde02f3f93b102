"""Disputes: who in the article acts against whom, read off the dependency parse.

:func:`find_disputes` returns one :class:`Dispute` for each place where the article reports
one party acting against another:

- a **conflict verb** (:data:`CONFLICT_VERBS`: attacked, shelled, intercepted, sued, accused,
  condemned, negotiated with, ...) whose actor (its subject, or the agent of a passive) and
  whose target (its object, the subject of a passive, or the object of "against", "with",
  "on" or "at") each name a party: "The Russian military intercepted 92 Ukrainian drones",
  "The union sued the port authority";
- a **conflict noun** (:data:`CONFLICT_NOUNS`: attacks, war, invasion, lawsuit, talks, ...)
  owned by one party ("Ukraine's drone attacks", "the Russian invasion", or the subject of
  the verb it is the object of) and aimed at another ("on Russian territory", "against
  Ukraine", "of Ukraine"), or set "between" two ("talks between the union and the port").

A *party* is what an entity stands for (:func:`party_of_entity`): a place, group or
organisation through :func:`unspin.sourcing.sides.entity_party` (Kremlin -> Russia, Russian
-> Russia), a person by their name without titles. News outlets are no party. Only the
words of the article count: two companies or places that are merely named together are no
dispute.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from unspin.report import Entity, Span

CONFLICT_VERBS = frozenset({
    "attack", "strike", "shell", "bomb", "bombard", "invade", "fight", "battle", "clash",
    "sue", "accuse", "blame", "criticize", "criticise", "condemn", "denounce", "oppose",
    "challenge", "sanction", "target", "raid", "retaliate", "protest", "confront",
    "threaten", "intercept", "repel", "repulse", "destroy", "capture", "seize", "occupy",
    "besiege", "rebut", "slam", "blast", "defy", "resist", "boycott", "picket", "negotiate",
    "bargain", "counter", "shoot", "down", "ambush", "storm", "kill", "wound", "arrest",
    "indict", "prosecute", "charge", "fine", "ban", "expel", "evict", "fire", "dispute",
    "contest", "debate", "lash", "rival", "spar", "feud",
})  # fmt: skip
"""Verbs of one party acting against another (the lemma)."""

CONFLICT_NOUNS = frozenset({
    "attack", "attacks", "strike", "strikes", "airstrike", "airstrikes", "assault",
    "assaults", "offensive", "invasion", "war", "bombardment", "shelling", "sanctions",
    "lawsuit", "suit", "dispute", "conflict", "fight", "battle", "clash", "clashes", "talks",
    "negotiations", "standoff", "row", "feud", "rivalry", "race", "lockout", "protest",
    "protests", "boycott", "occupation", "blockade", "raid", "raids", "campaign", "debate",
    "hostilities", "aggression", "incursion", "incursions",
})  # fmt: skip
"""Nouns of a dispute or of one party acting against another."""

_TARGET_PREPS = frozenset({"against", "with", "on", "at", "into", "toward", "towards"})
_NOUN_TARGET_PREPS = frozenset({"on", "against", "with", "of", "into", "in", "toward",
                                "towards"})


@dataclass(frozen=True)
class Dispute:
    """One party acting against another: ``actor`` and ``target`` are party names and
    ``cue`` the verb or noun that says so."""

    actor: str
    target: str
    cue: Span


def party_of_entity(entity: Entity) -> str | None:
    """The party an entity stands for: a person's name without titles, or what
    :func:`unspin.sourcing.sides.entity_party` makes of a place, group or organisation."""
    from unspin.sourcing.inventory import entity_display_name
    from unspin.sourcing.sides import entity_party

    if entity.label == "PERSON":
        return entity_display_name(entity)
    return entity_party(entity)


class _Parties:
    """Entity mentions by character offset, to find the party a phrase names."""

    def __init__(self, entities: Sequence[Entity]):
        found = []
        for e in entities:
            party = party_of_entity(e)
            if party is None:
                continue
            found += [(m.start, m.end, party) for m in e.mentions]
        found.sort()
        self._starts = [s for s, _, _ in found]
        self._mentions = found

    def in_range(self, start: int, end: int) -> list[str]:
        """Parties of the mentions that lie inside ``[start, end)``, in text order."""
        k = bisect.bisect_left(self._starts, start)
        out = []
        while k < len(self._mentions) and self._mentions[k][0] < end:
            if self._mentions[k][1] <= end:
                out.append(self._mentions[k][2])
            k += 1
        return out

    def of(self, token: Token | None) -> str | None:
        """The party named by the phrase ``token`` heads: the first party mentioned in its
        subtree, up to a relative clause or a preposition's object."""
        if token is None:
            return None
        keep = [t for t in token.subtree if not _inside_clause(t, token)]
        if not keep:
            return None
        start = min(t.idx for t in keep)
        end = max(t.idx + len(t) for t in keep)
        parties = self.in_range(start, end)
        return parties[0] if parties else None


def _inside_clause(t: Token, head: Token) -> bool:
    """True if ``t`` hangs off ``head`` through a clause or a preposition (their parties are
    not the phrase's own: "drones that hit Kyiv", "the mayor of Kyiv" keep the mayor)."""
    while t.i != head.i:
        if t.dep_ in ("relcl", "acl", "advcl", "ccomp", "prep", "appos"):
            return True
        t = t.head
    return False


def find_disputes(doc: Doc, entities: Sequence[Entity]) -> list[Dispute]:
    """Every dispute the parsed text ``doc`` reports between two different parties (see the
    module doc), in text order."""
    parties = _Parties(entities)
    out: list[Dispute] = []
    for token in doc:
        lemma = token.lemma_.lower()
        if token.pos_ == "VERB" and lemma in CONFLICT_VERBS:
            out += _verb_disputes(token, parties)
        elif token.pos_ == "NOUN" and token.lower_ in CONFLICT_NOUNS:
            out += _noun_disputes(token, parties)
    return out


def _dispute(actor: str | None, target: str | None, cue: Token) -> list[Dispute]:
    if actor is None or target is None or actor == target:
        return []
    text = cue.text
    return [Dispute(actor, target, Span(start=cue.idx, end=cue.idx + len(text), text=text))]


def _verb_disputes(verb: Token, parties: _Parties) -> list[Dispute]:
    """ "X attacked Y", "Y was attacked by X", "X clashed with Y"."""
    actor = target = None
    for c in verb.children:
        if c.dep_ == "nsubj":
            actor = parties.of(c)
        elif c.dep_ == "nsubjpass":
            target = parties.of(c)
        elif c.dep_ == "agent":
            actor = parties.of(next((o for o in c.children if o.dep_ == "pobj"), None))
        elif c.dep_ == "dobj" and target is None:
            target = parties.of(c)
        elif c.dep_ == "prep" and c.lower_ in _TARGET_PREPS and target is None:
            target = parties.of(next((o for o in c.children if o.dep_ == "pobj"), None))
    if actor is None and verb.dep_ in ("conj", "xcomp", "advcl"):
        actor = parties.of(next((c for c in verb.head.children if c.dep_ == "nsubj"), None))
    return _dispute(actor, target, verb)


def _noun_disputes(noun: Token, parties: _Parties) -> list[Dispute]:
    """ "Ukraine's attacks on Russia", "the Russian invasion of Ukraine", "talks between
    the union and the port authority"."""
    owner = target = None
    for c in noun.children:
        if c.dep_ in ("poss", "amod", "compound", "nmod"):
            owner = owner or parties.of(c)
        elif c.dep_ == "prep" and c.lower_ == "between":
            pair = list(_between(c, parties))
            if len(pair) >= 2:
                return _dispute(pair[0], pair[1], noun)
        elif c.dep_ == "prep" and c.lower_ in _NOUN_TARGET_PREPS and target is None:
            target = parties.of(next((o for o in c.children if o.dep_ == "pobj"), None))
    if owner is None and noun.dep_ in ("dobj", "nsubjpass") and noun.head.pos_ == "VERB":
        owner = parties.of(next((c for c in noun.head.children if c.dep_ == "nsubj"), None))
    return _dispute(owner, target, noun)


def _between(prep: Token, parties: _Parties) -> Iterable[str]:
    """The parties "between X and Y" names, in order."""
    obj = next((o for o in prep.children if o.dep_ == "pobj"), None)
    while obj is not None:
        party = parties.of(obj)
        if party is not None:
            yield party
        obj = next((c for c in obj.children if c.dep_ == "conj"), None)
