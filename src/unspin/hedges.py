"""Hedges and distancing cues: words by which a writer declines to vouch for a claim.

:func:`find_hedges` reads a parsed spaCy ``Doc`` (the whole report text) and returns one
:class:`~unspin.report.Hedge` per cue, in text order, never overlapping (where two patterns
overlap the longer match wins). Kinds:

- ``adverb``: "reportedly", "allegedly", "purportedly", "supposedly", "apparently",
  "ostensibly", "seemingly";
- ``phrase``: "according to (unconfirmed) reports", "according to some", "reports indicate"
  (any tense, "reports have suggested"), "unconfirmed reports", "it remains unclear",
  "could not be independently verified", and an attributive "reported", "alleged",
  "purported", "supposed" or "rumoured" before a noun (the span is that one word: "A reported
  “heated” phone call");
- ``passive_report``: "it is claimed / said / believed / reported / thought" (any tense, "it
  has been reported"; the span stops before "that") and "X is said / believed / thought /
  alleged / understood / rumoured / reported to" followed by a verb ("is said to be");
- ``anonymous_source``: "sources say" (any tense, "sources have said"), "a source said",
  "a source close to", "sources familiar with", "people familiar with", "according to
  sources", "anonymous / unnamed sources", "on condition of anonymity".

Matching is by lowercase word lists (every inflection is spelled out), so it does not depend
on the lemmatizer. Only the cue words are marked; who is cited is the attribution stage's job,
and "with" in "with reports indicating" is not part of the cue.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans
from spacy.vocab import Vocab

from unspin.report import Hedge

SentenceIndex = Callable[[int], int]

ADVERB, PHRASE, PASSIVE, ANONYMOUS = "adverb", "phrase", "passive_report", "anonymous_source"
# A match rule whose span is kept only if the word is used before a noun / before a verb.
_ATTRIBUTIVE, _PASSIVE_TO = "attributive", "passive_to"

_ADVERBS = ["reportedly", "allegedly", "purportedly", "supposedly", "apparently",
            "ostensibly", "seemingly"]  # fmt: skip
_ATTRIBUTIVES = ["reported", "alleged", "purported", "supposed", "rumoured", "rumored"]
_REPORTING_VERBS = ["claimed", "said", "believed", "reported", "alleged", "thought",
                    "understood", "rumoured", "rumored", "suggested", "feared"]  # fmt: skip
_SAY = ["say", "says", "said", "saying", "tell", "told", "claim", "claims", "claimed",
        "suggest", "suggests", "suggested", "indicate", "indicates", "indicated", "believe",
        "believes", "believed", "confirm", "confirmed", "add", "added", "report",
        "reported", "insist", "insisted", "warn", "warned"]  # fmt: skip
_INDICATE = ["indicate", "indicates", "indicated", "indicating", "suggest", "suggests",
             "suggested", "suggesting", "say", "said", "saying", "claim", "claimed",
             "claiming", "emerged", "emerging", "circulated", "circulating"]  # fmt: skip
_BE = ["is", "are", "was", "were", "be", "'s", "’s", "been", "being"]
_HAVE = ["has", "have", "had", "'ve", "’ve"]
_AUX = _HAVE + ["would", "will", "could", "may", "might", "did", "do", "does"]
_DEGREE = ["widely", "generally", "commonly", "also", "now", "still", "further", "long"]
_REPORT_ADJ = ["unconfirmed", "unverified", "uncorroborated", "media", "press", "local",
               "some", "several", "multiple", "initial", "early", "earlier", "other",
               "recent", "many", "numerous", "conflicting", "news"]  # fmt: skip
_SOURCE_ADJ = ["anonymous", "unnamed", "unidentified", "senior", "western", "diplomatic",
               "security", "government", "military", "intelligence", "official", "informed",
               "other", "several", "two", "three", "multiple", "local", "industry", "police",
               "administration", "european", "us", "u.s.", "israeli", "russian",
               "ukrainian"]  # fmt: skip


def _any(words: list[str], op: str | None = None) -> dict:
    pattern: dict = {"LOWER": {"IN": words}}
    if op:
        pattern["OP"] = op
    return pattern


def _word(word: str, op: str | None = None) -> dict:
    return _any([word], op)


def _patterns() -> dict[str, list[list[dict]]]:
    """Matcher patterns by rule name (a kind, or a kind that needs a check afterwards)."""
    return {
        ADVERB: [[_any(_ADVERBS)]],
        _ATTRIBUTIVE: [[_any(_ATTRIBUTIVES)]],
        PHRASE: [
            [_word("according"), _word("to"), _any(["a", "the"], "?"), _any(_REPORT_ADJ, "*"),
             _any(["report", "reports", "accounts", "claims", "rumours", "rumors"])],
            [_word("according"), _word("to"), _word("some")],
            [_any(["reports", "rumours", "rumors"]), _any(_AUX, "?"), _word("been", "?"),
             _any(_INDICATE)],
            [_any(["unconfirmed", "unverified", "uncorroborated"]),
             _any(["report", "reports", "claims", "accounts", "rumours", "rumors"])],
            [_word("it"), _any(["is", "was", "remains", "remained", "'s", "’s"]),
             _word("not", "?"), _word("immediately", "?"), _word("unclear")],
            [_word("it"), _any(["is", "was", "'s", "’s"]), _word("not"),
             _word("immediately", "?"), _word("clear")],
            [_any(["could", "can", "has", "have", "had"]), _word("not"), _any(["be", "been"]),
             _word("independently", "?"), _any(["verified", "confirmed"])],
            [_word("cannot"), _word("be"), _word("independently", "?"),
             _any(["verified", "confirmed"])],
        ],
        PASSIVE: [
            [_word("it"), _any(_AUX, "?"), _any(_DEGREE, "?"), _any(_BE), _word("been", "?"),
             _any(_DEGREE, "?"), _any(_REPORTING_VERBS)],
        ],
        _PASSIVE_TO: [
            [_any(_BE), _word("been", "?"), _any(_DEGREE, "?"), _any(_REPORTING_VERBS),
             _word("to")],
        ],
        ANONYMOUS: [
            [_any(["sources", "insiders"]), _any(_AUX, "?"), _word("also", "?"), _any(_SAY)],
            [_any(["a", "an", "one", "another"]), _any(_SOURCE_ADJ, "*"), _word("source"),
             _any(_AUX, "?"), _any(_SAY)],
            [_any(["a", "an", "one"], "?"), _any(["source", "sources", "people", "person",
                                                  "officials", "those", "insiders"]),
             _any(["close", "familiar"]), _any(["to", "with"])],
            [_word("according"), _word("to"), _any(["a", "an", "one"], "?"),
             _any(_SOURCE_ADJ, "*"), _any(["source", "sources", "insiders"])],
            [_word("according"), _word("to"), _any(["people", "persons", "those"]),
             _word("familiar"), _word("with")],
            [_any(["anonymous", "unnamed", "unidentified"]),
             _any(["source", "sources", "official", "officials", "insider", "insiders"]),
             _any(_AUX, "?"), _any(_SAY, "?")],
            [_word("on"), _word("condition"), _word("of"), _word("anonymity")],
            [_any(["declined", "asked"]), _word("not", "?"), _word("to"), _word("be"),
             _any(["named", "identified"])],
        ],
    }


@lru_cache(maxsize=8)
def _matcher(vocab: Vocab) -> Matcher:
    """The hedge matcher for ``vocab``, built once and reused for every document."""
    matcher = Matcher(vocab)
    for name, patterns in _patterns().items():
        matcher.add(name, patterns)
    return matcher


def forget_vocabularies() -> None:
    """Drop the matchers built so far, and with them their vocabularies: call it when a spaCy
    pipeline is replaced, so that the old vocabulary can be freed."""
    _matcher.cache_clear()


def find_hedges(doc: Doc, sentence_index: SentenceIndex) -> list[Hedge]:
    """Hedges and distancing cues in ``doc``.

    ``doc`` is the parsed report text (token offsets are report offsets) and ``sentence_index``
    maps a character offset to the report's sentence index. Returns the hedges in text order,
    never overlapping, each with ``doc.text[h.start:h.end] == h.text``.
    """
    spans = []
    for match_id, start, end in _matcher(doc.vocab)(doc):
        span = _accept(doc, doc.vocab.strings[match_id], start, end)
        if span is not None and "\n" not in span.text:
            spans.append(span)
    return [
        Hedge(start=s.start_char, end=s.end_char, text=s.text, kind=s.label_,
              sentence=sentence_index(s.start_char))
        for s in sorted(filter_spans(spans), key=lambda s: s.start)
    ]


def _accept(doc: Doc, rule: str, start: int, end: int) -> Span | None:
    """The span for a match, labelled with its kind, or None if a check rejects it."""
    if rule == _ATTRIBUTIVE:
        return Span(doc, start, end, label=PHRASE) if _before_noun(doc, start) else None
    if rule == _PASSIVE_TO:
        return Span(doc, start, end, label=PASSIVE) if _verb_after(doc, end) else None
    return Span(doc, start, end, label=rule)


def _before_noun(doc: Doc, i: int) -> bool:
    """True if "reported"/"alleged" at ``i`` modifies a noun ("a reported call", "the alleged
    victim") rather than being a verb ("police reported", "it is alleged")."""
    tok = doc[i]
    if tok.dep_ == "amod" and tok.head.i > i:
        return True
    prev = doc[i - 1] if i > 0 else None
    return prev is not None and prev.pos_ in ("DET", "PRON") and prev.lower_ != "it" and \
        tok.head.i > i and tok.head.pos_ in ("NOUN", "PROPN")


def _verb_after(doc: Doc, end: int) -> bool:
    """True if "is said to" is followed by a verb ("is said to be"), not a noun phrase
    ("was reported to police")."""
    if end >= len(doc):
        return False
    nxt = doc[end]
    return nxt.tag_ == "VB" or (nxt.pos_ in ("VERB", "AUX") and nxt.tag_ != "VBD")
