"""Sourcing: who the article cites, for which claims, and what its sourcing leaves out.

:func:`find_sources` takes a :class:`~unspin.report.Report` whose ``text``, ``title``,
``captions``, ``sentences``, ``entities``, ``quantities``, ``hedges`` and ``claims`` (with
their ``attribution``) are filled, plus the attribution relations of the whole text
(:func:`unspin.attribution.find_relations`). It returns the sources (for ``report.sources``)
and the sourcing flags (for ``report.flags``). It reads nothing else and changes nothing.

Which sources there are
-----------------------
- **Relation sources**: the source of every ``report`` relation, wherever it stands
  ("Kremlin spokesperson Dmitry Peskov confirmed ...", "according to the ministry", "reports
  indicating ..."). ``stance`` relations ("Romania has declined to send forces") cite no one,
  and pronouns that attribution could not resolve name no one; both are skipped.

  The rule: a source is someone the article reports as *saying* (or showing, writing,
  documenting) something, not someone it only *talks about*. A person who said something is
  a source even when what they said is no check-worthy claim and no claim rests on them
  (``claims`` is then empty): in the example article Vladimir Putin is one because "he
  reiterated his focus on strengthening Russia’s Far East region" is a ``report`` relation
  whose source resolves to him, though that clause is not the claim of its sentence. A person
  named only in a headline, in a relation's content ("Peskov confirmed that ... Putin had
  extended an invitation") or as the subject of a ``stance`` relation (acts, refusals,
  feelings: "declined", "expressing frustration", "rejected") is not a source, unless a
  claim rests on that relation (its attribution names it: "The appeals court ruled that
  ...", "Republicans want ..." is the source's own position, see
  :func:`unspin.attribution.attribute_claim`).
- **Credits** in captions and credit lines: the name after "obtained by", "provided by",
  "released by", "courtesy of", "photo by", "Photo:", "credit:", "via", the agency in
  "AP Photo/Name", and a bare credit line. A credit naming several parties ("Jane
  Doe/City Herald") is split at "/". When the credit is for a picture, parts that look like a
  person's name are the photographer and are left out (they took the picture; they vouch for
  no claim); stock-photo libraries (:data:`STOCK_LIBRARIES`) are left out for the same reason.
- **Outlets** (:func:`is_outlet`) named in the headline or a caption, and **documents**
  named in a caption together with their provenance ("Unclassified U.S. intelligence document
  obtained by ...", "a memo seen by ...").

Mentions become one source per entity: a relation's source is the entity that
``Relation.resolved`` names, else the entity whose mention ends the source's name (the part
before its first comma: "Kremlin spokesperson Dmitry Peskov" -> Dmitry Peskov, "Peskov" ->
Dmitry Peskov) or contains it, else the person an appositive names after a role ("The city's
budget director, Samuel Ortiz" -> Samuel Ortiz), else a person, organisation or place named
inside it ("a Pentagon spokesperson" -> Pentagon); anonymous sources never map to an entity
("a source close to Trump" is not Trump). A source that is no entity is keyed by its name
without a leading article, matched against entity names first. An entity source's mentions
are all of the entity's mentions plus the relation source names outside them ("he" resolved
to Putin, "The city's budget director" for Samuel Ortiz).

Names and spans: a source's ``name`` is the entity's canonical name, for a person without
the titles before it (:func:`person_name`: "Councilmember David Chen" -> "David Chen",
"Council President Maria Alvarez" -> "Maria Alvarez"); for a source that is no entity, the
source's name without an appositive or relative clause and a leading article ("The mayor's
office" -> "mayor's office"). Mentions are exact spans of the text, cut before an appositive
or relative clause ("Councilmember David Chen, who voted against the plan" is mentioned as
"Councilmember David Chen"); the relations themselves keep their whole source spans, which
are the evidence that claims are matched against.

``kind``: ``anonymous`` for anonymous relation sources; ``outlet`` for news organisations;
``document`` for names ending in a document noun (:data:`DOCUMENT_NOUNS`); ``person`` for
PERSON entities, resolved "he"/"she" and role nouns ("the union's negotiator");
``organisation`` for ORG and GPE entities (a country that "said" something is its
government), resolved "it" and organisation nouns ("the Ukrainian military"); else ``other``.
``claims`` are the claims whose ``attribution.source`` is one of the source's spans, and the
claims that one of its ``report`` relations speaks for (its cue governs the claim's main
clause, or the claim lies inside its content).

Flags
-----
- ``unused_source`` (borrowed authority): a source that the headline or a caption presents
  as *vouching* for something, and that the body never uses. Vouching up front is one of:
  a report relation there with someone as its source ("Harvard Medical School researchers
  say ...", "Kerry: ..."; not "Photo shows ...", "Image credit: ...", "Fact Check: ...",
  "Review: ..."); a document named with its provenance and whoever obtained it
  ("Unclassified U.S. intelligence document obtained by The Washington Post"); a handout
  credit ("courtesy of", "provided by", "released by", "supplied by") naming someone other
  than a news outlet or agency, a person or a family (the port example's "Photo courtesy of
  the Harbour City Chamber of Commerce": a party to the story supplied the picture); an
  authority phrase (an organisation, place or person right before an authority noun,
  :data:`~unspin.sourcing.inventory.AUTHORITY_NOUNS`, or after one and "at", "by", "from":
  "NASA scientists", "a study by Stanford University"). Never flagged: a routine picture
  credit ("Photo: Reed Saxon/AP", "AP Photo/...", "via Getty Images", a bare credit line,
  "©" lines), a news outlet merely named, the article's own outlet (``meta.outlet``, or the
  outlet of a wire dateline: "RIVERTON, March 14 (Riverton Gazette) -"), an anonymous source
  (unless a name owns it: "Harvard Medical School researchers"), and the subject of the story:
  a source the body names at all is not a stranger borrowed for authority. *Never uses*: no
  body claim rests on it and it is the source of no ``report`` relation in the body. Span:
  its first vouching mention.
- ``unattributed_claim``: a body claim attributed to no one that states a figure (a quantity
  of kind count, percent, money or measure) or a contested event (:data:`CONTESTED_EVENTS`:
  killed, wounded, intercepted, shot down, destroyed, attacked, fired, strikes, invaded, ...).
  Span: the claim. A claim inside a quotation or a reported-speech clause is never
  unattributed (:func:`unspin.attribution.attribute_claim`).
- ``hedged_claim`` / ``anonymous_claim``: one per claim of that kind. Span: the hedge (for
  hedged claims) or the anonymous source, else its hedge (for anonymous claims); else the claim.
- ``one_sided_sourcing``: see below. No span (it is about the article as a whole).

Flags are sorted by start offset; flags without a span come last. ``unspin eval flags``
(:mod:`unspin.evaluate.flags`) measures them on PolNeAR and on real pages.

The one-sided rule
------------------
1. **Parties.** A place, group or organisation entity that is not a news outlet stands for a
   party: its name mapped through :data:`PARTY_ALIASES` (capitals and seats of government:
   Kremlin and Moscow -> Russia, Kyiv -> Ukraine, White House and Pentagon -> United States,
   ...) or, failing that, the first demonym or alias among its words (:data:`DEMONYMS`:
   Russian -> Russia, so "Russian Defence Ministry" -> Russia), or else its own name
   ("Bulgaria", "Harbour Port Authority"); a person stands for themselves (candidates,
   litigants).
2. **The two sides** come from the article's own words: the two parties that it reports
   acting against each other most often (:func:`unspin.sourcing.disputes.find_disputes`:
   "The Russian military intercepted 92 Ukrainian drones", "The union sued the port
   authority", "talks between the union and the port authority", "Ukraine's attacks on
   Russian territory"). Parties merely named together (a carmaker and a country, two
   companies in one market report) are no sides; without a dispute there is no flag.
3. **A source's side.** A person who is a side, a place or group (GPE, NORP) or an
   organisation that is a side or whose name maps to a party ("Kremlin") belongs to it. Any
   other source (a person, an outlet, "Defence Ministry") belongs to the side named right next
   to one of its mentions: in the words that make up its relation's source span ("Kremlin
   spokesperson Dmitry Peskov"), in the up to three capitalised or role words right before a
   mention ("Russian President Vladimir Putin", "Russia’s Defence Ministry"), or in an
   appositive right after it ("Maria Lopez, president of the Transit Workers Union,"). The
   side named most often there wins ("the Russian and Syrian defence ministries" is Russia's
   when Syria is no side); a tie means no side. Names of one party that NER bounds
   differently ("Transit Workers", "Transit Workers Union") are the same side
   (:func:`~unspin.sourcing.sides.side_of`).
4. **The flag** fires when the body has at least two attributed claims (``direct_quote`` or
   ``attributed``, with a named source), at least one of them rests on a source with a side,
   and every such sided source belongs to the same side: the other side is never cited for a
   claim. Anonymous and hedged claims do not count either way. The message names both sides
   and the words of the dispute.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from spacy.tokens import Doc

from unspin.attribution import Relation
from unspin.report import Flag, Report, Source, claim_id
from unspin.sourcing.disputes import find_disputes
from unspin.sourcing.flags import claim_flags, publisher_names, unattributed_flag, unused_flags
from unspin.sourcing.inventory import (
    Draft,
    Inventory,
    Layout,
    add_captions,
    add_relation,
    add_title,
    attach_claims,
)
from unspin.sourcing.names import (
    CONTESTED_EVENTS,
    DEMONYMS,
    DOCUMENT_NOUNS,
    KNOWN_OUTLETS,
    PARTS,
    PARTY_ALIASES,
    STOCK_LIBRARIES,
    display_name,
    is_outlet,
    kind_of_name,
    normalise_name,
)
from unspin.sourcing.sides import article_sides, entity_party, one_sided_flag, party_of_name
from unspin.titles import person_name

__all__ = [
    "CONTESTED_EVENTS", "DEMONYMS", "DOCUMENT_NOUNS", "KNOWN_OUTLETS", "PARTY_ALIASES",
    "STOCK_LIBRARIES", "article_sides", "display_name", "entity_party", "find_sources",
    "is_outlet", "kind_of_name", "normalise_name", "party_of_name", "person_name",
    "publisher_names", "unattributed_flag",
]

# --- the stage -------------------------------------------------------------------------------


def _collect(report: Report, relations: Iterable[Relation]) -> tuple[Inventory, list[Draft]]:
    """All sources of the article as drafts, with their claims attached."""
    inv = Inventory(report)
    resting = {(c.attribution.source.start, c.attribution.source.end) for c in report.claims
               if c.attribution is not None and c.attribution.source is not None}
    for rel in relations:
        add_relation(inv, rel, resting)
    add_captions(inv, report)
    add_title(inv, report)
    drafts = inv.finish()
    attach_claims(drafts, report.claims, report.text)
    return inv, drafts


def _to_source(draft: Draft, layout: Layout) -> Source:
    mentions = [draft.mentions[k] for k in sorted(draft.mentions)]
    parts = {layout.part(m.start) for m in mentions}
    return Source(name=draft.name, kind=draft.kind, mentions=mentions,
                  where=[p for p in PARTS if p in parts],
                  claims=[claim_id(i) for i in sorted(draft.claims)])


def find_sources(report: Report, relations: Sequence[Relation],
                 doc: Doc) -> tuple[list[Source], list[Flag]]:
    """The sources the article cites and its sourcing flags.

    ``report``: a Report with ``text``, ``title``, ``captions``, ``sentences``, ``entities``,
    ``quantities``, ``hedges`` and ``claims`` (each with its ``attribution``) filled.
    ``relations``: the attribution relations of the whole text, as
    :func:`unspin.attribution.find_relations` returns them; ``doc``: the parsed text (who
    acts against whom, :func:`unspin.sourcing.disputes.find_disputes`).

    Returns ``(sources, flags)``: the sources in order of first mention, each merged across
    its mentions, with the parts it is named in and the ids of the claims it supports (C1 is
    ``report.claims[0]``);
    and the flags ``unused_source``, ``unattributed_claim``, ``hedged_claim``,
    ``anonymous_claim`` and ``one_sided_sourcing``, sorted by start offset (flags without a
    span last). Every span satisfies ``report.text[start:end] == text``.
    """
    layout = Layout(report)
    inv, drafts = _collect(report, relations)
    flags = unused_flags(drafts, layout, report.claims, relations, publisher_names(report))
    flags += claim_flags(report, layout)
    one_sided = one_sided_flag(inv, drafts, report, layout,
                               find_disputes(doc, report.entities))
    if one_sided is not None:
        flags.append(one_sided)
    flags.sort(key=lambda f: (f.start is None, f.start or 0, f.end or 0))
    return [_to_source(d, layout) for d in drafts], flags
