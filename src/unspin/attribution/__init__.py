"""Attribution: on whose word each claim rests.

:func:`find_relations` reads a parsed spaCy ``Doc`` (the whole report text) and returns the
attribution relations in it: who (``source``) said, wrote, showed or believes (``cue``) what
(``content``). :func:`attribute_claim` turns them, with the hedges, into one
:class:`~unspin.report.Attribution` per claim sentence.

How relations are found (rules on spaCy's dependency parse; the cue list and the frames each
cue takes were chosen on PolNeAR's training split and checked on its dev split):

- **Cue verbs** (:data:`CUES`): "said", "told", "confirmed", "claimed", "warned", "accused",
  "believes", "showed", ... Each lemma lists the *frames* it is a cue in, read off the verb's
  children: ``c`` a clause ("said *that ...*", "“...,” *he said*"), ``x`` a to-infinitive
  ("urged Congress *to act*"), ``d`` a direct object ("accused *the EU of ...*"), ``p`` a
  prepositional object ("referring *to the deal*"), ``o`` none (the verb hangs off the
  quoted clause: "“...,” she said" parsed with "said" as the dependent). A verb is a cue only
  in the first frame that applies to it (in that order) and only when its lemma lists it.
- **"according to X"**: source X, content the rest of the clause.
- **Speech-act nouns** (``SPEECH_NOUNS``) with a that-clause of their own: "Trump's claim
  that ...", "a New York Times report that ...", "warnings from his attorney that ...":
  content the clause, source the noun's owner (possessor, compounds, a "by"/"from" phrase), or
  the noun itself when it is a vague source ("reports that ..."); with no owner otherwise
  it is no cue ("bristled at the suggestion that ..."). As the object of a light verb it is
  the light verb's cue ("Cruz made the argument that ...", "gave assurances that ...").
- **Source**: the verb's subject (with everything that hangs off it: "Rudolph Giuliani, the
  former mayor, ..."), the agent of a passive ("was told by X"), the subject of the verb it
  is conjoined to or that it follows as a participle ("..., saying ..."), of the verb whose
  preposition it completes as a gerund ("concluded by implying that ...", the passive subject
  in "was criticised for saying"; after "for" the object: "scolded Romney for suggesting") or
  of the copula whose adjective it completes ("was quick to point out"), or the noun that a
  participle or relative clause modifies ("reports indicating ...", "officials who said").
- **Cue span**: the verb with its auxiliaries, negation, adverbs right before it, its
  particle and the preposition it takes ("has also urged", "did not respond to", "pointed
  out", "called on", "said of"); a to-infinitive cue continues the verb it completes ("went on
  to say", "seemed to suggest").
- **Content**: the complements of the frame; quotations that the content touches are taken
  whole, so a quotation opened one or more sentences (or paragraphs, when the next paragraph
  reopens the quote, as newspapers do) before the cue is content of that one relation; "X
  said:" at the end of a sentence takes the quotation or sentence after it; "“A,” he said,
  “B.”" takes both quotations, and so do the quotations that follow in the same paragraph,
  or make up the whole next paragraph, with no cue of their own; "..., police said" and
  "..., said Christine Link, ..." take the clause before the comma (also when the parser makes
  that clause a second subject of the cue: the subject after the cue is then the source).
  "X said:" or "argued the following:" closing its paragraph takes the whole next paragraph,
  and the list items after it with the same bullet or number.
- **Frames the parser hides**: a that-clause hung elsewhere ("told a meeting of leaders *that
  ...*", "reported at the time *that ...*") is the cue's clause, and so is a clause without
  "that" parsed as an adverbial one ("said after the convention *he would not accept ...*");
  a cue pointing at a colon
  ("said the following:") takes what follows; a parenthetical cue ("His wife, *he says*,
  plans to leave") is the report, and the stance it interrupts is inside its content.
- **Outermost only**: cues inside quotation marks, or inside another relation's content, are
  not relations of the article (the writer vouches only for who said what).

Each relation has a ``kind``: ``report`` (the content is something the source said, wrote,
found or believes, which a claim can rest on) or ``stance`` (the source's attitude to or
action on something: "backed the bill", "wants a wall"; PolNeAR annotates these too, but
:func:`attribute_claim` does not count them as sources of a claim).

Sources are ``named`` (a person, organisation or other specific source: "the ministry"),
``anonymous`` (``ANONYMOUS_HEADS``: "officials", "sources", "reports", "experts", "a
spokesperson" with no one named, "people familiar with ...") or ``pronoun`` ("he said"). A
spokesperson, representative, report, study or poll is named by its owner: a person or
organisation, or a proper noun that is not a date, place or number, in its compounds,
possessor or "of"/"from"/"by"/"at"/"for"/"in" phrase ("a WeWork spokesperson", "a
spokeswoman for Neumann", "a report in the Argus Leader"; not "a poll in Iowa").
Pronouns "he"/"she" are resolved to a person named in the two sentences before (or, if none,
in the four before) when exactly one person is named there, or when one of them is the
previous relation's source; "it" to an organisation in the same way. One-word names are
resolved to the full name used elsewhere in the article ("Peskov" -> "Dmitry Peskov").

Where each part lives: :mod:`~unspin.attribution.lexicon` (the cue lexicon and word lists),
:mod:`~unspin.attribution.quotes` (quotation marks), :mod:`~unspin.attribution.cues` (cue verbs)
and :mod:`~unspin.attribution.cue_phrases` (cue phrases and nouns): one rule per kind of cue,
each proposing a candidate; :mod:`~unspin.attribution.relations` (candidates
to relations: outermost cue, quotations run on, source kinds),
:mod:`~unspin.attribution.names` (pronoun and short-name resolution),
:mod:`~unspin.attribution.claims` (a claim's attribution), :mod:`~unspin.attribution.spans`
(token and character ranges, :class:`Intervals`) and :mod:`~unspin.attribution.relation` (the
:class:`Relation` itself).
"""

from __future__ import annotations

from unspin.attribution.claims import attribute_claim, attribute_claims
from unspin.attribution.lexicon import (
    ANONYMOUS_HEADS,
    CASE_NOUNS,
    CUES,
    EVIDENCE_NOUNS,
    PROPOSITIONAL,
    QUOTATION_ONLY,
    SPEECH_ACTS,
    STANCE,
)
from unspin.attribution.quotes import find_quotes
from unspin.attribution.relation import Relation, RelationKind, SourceKind
from unspin.attribution.relations import find_relations
from unspin.attribution.spans import Intervals

__all__ = [
    "ANONYMOUS_HEADS",
    "CASE_NOUNS",
    "CUES",
    "EVIDENCE_NOUNS",
    "Intervals",
    "PROPOSITIONAL",
    "QUOTATION_ONLY",
    "Relation",
    "RelationKind",
    "SPEECH_ACTS",
    "STANCE",
    "SourceKind",
    "attribute_claim",
    "attribute_claims",
    "find_quotes",
    "find_relations",
]
