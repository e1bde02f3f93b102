"""Tests for unspin.hedges: hedges and distancing cues with exact spans, kinds and sentences."""

from __future__ import annotations

import bisect

import pytest

from unspin.hedges import _matcher, find_hedges
from unspin.report import Hedge


def _hedges(nlp, text: str) -> list[Hedge]:
    """Run the stage on ``text`` and check the invariants every result must keep."""
    doc = nlp(text)
    starts = [s.start_char for s in doc.sents]
    found = find_hedges(doc, lambda char: bisect.bisect_right(starts, char) - 1)
    for h in found:
        assert text[h.start : h.end] == h.text
    for left, right in zip(found, found[1:], strict=False):
        assert left.end <= right.start, (left, right)
    return found


def _read(found: list[Hedge]) -> list[tuple[str, str]]:
    return [(h.text, h.kind) for h in found]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # adverbs
        ("The striker reportedly asked for a transfer.", [("reportedly", "adverb")]),
        ("The mayor allegedly took bribes from builders.", [("allegedly", "adverb")]),
        ("The letter was purportedly signed by the minister.", [("purportedly", "adverb")]),
        ("The drug supposedly cures insomnia.", [("supposedly", "adverb")]),
        ("The coach was apparently unaware of the injury.", [("apparently", "adverb")]),
        ("The fund is ostensibly independent.", [("ostensibly", "adverb")]),
        ("The seemingly endless strike hit hospitals.", [("seemingly", "adverb")]),
        # attributive adjectives: the word only, kind phrase
        ("A reported “heated” phone call ended the talks.", [("reported", "phrase")]),
        ("The alleged victim spoke to reporters.", [("alleged", "phrase")]),
        ("Shares rose on the rumoured merger.", [("rumoured", "phrase")]),
        # fixed phrases, any tense
        ("According to reports, the clinic closed.", [("According to reports", "phrase")]),
        ("The club is broke, according to unconfirmed reports in the Spanish press.",
         [("according to unconfirmed reports", "phrase")]),
        ("According to some, the vote was rigged.", [("According to some", "phrase")]),
        ("Talks stalled, with reports indicating a walkout.", [("reports indicating", "phrase")]),
        ("Reports have suggested the budget will be cut.", [("Reports have suggested", "phrase")]),
        ("Unconfirmed reports said the bridge fell.", [("Unconfirmed reports", "phrase")]),
        ("It remains unclear who fired first.", [("It remains unclear", "phrase")]),
        ("It was not immediately clear how many died.",
         [("It was not immediately clear", "phrase")]),
        ("The claim could not be independently verified.",
         [("could not be independently verified", "phrase")]),
        # passive reports
        ("It is claimed that the vaccine causes harm.", [("It is claimed", "passive_report")]),
        ("It is said that the coach will resign.", [("It is said", "passive_report")]),
        ("It was believed the talks had failed.", [("It was believed", "passive_report")]),
        ("It has been reported that prices will rise.",
         [("It has been reported", "passive_report")]),
        ("The deal is said to be close.", [("is said to", "passive_report")]),
        ("The rebels are believed to control the town.", [("are believed to", "passive_report")]),
        ("The virus is thought to spread by air.", [("is thought to", "passive_report")]),
        ("He is alleged to have lied under oath.", [("is alleged to", "passive_report")]),
        ("The prince is understood to be unwell.", [("is understood to", "passive_report")]),
        ("The forward is rumoured to be joining Madrid.", [("is rumoured to", "passive_report")]),
        # anonymous sources
        ("Sources say the minister will quit.", [("Sources say", "anonymous_source")]),
        ("Sources said the merger was off.", [("Sources said", "anonymous_source")]),
        ("Sources have said the deal is done.", [("Sources have said", "anonymous_source")]),
        ("A source close to the player denied it.",
         [("A source close to", "anonymous_source")]),
        ("People familiar with the plans said the launch slipped.",
         [("People familiar with", "anonymous_source")]),
        ("According to people familiar with the matter, the bid failed.",
         [("According to people familiar with", "anonymous_source")]),
        ("Unnamed sources said the bank was insolvent.",
         [("Unnamed sources said", "anonymous_source")]),
        ("Officials spoke on condition of anonymity.",
         [("on condition of anonymity", "anonymous_source")]),
    ],
)
def test_hedge(nlp, text: str, expected: list[tuple[str, str]]) -> None:
    found = _hedges(nlp, text)
    assert _read(found) == expected
    for h in found:
        assert h.start == text.index(h.text)
        assert h.sentence == 0


@pytest.mark.parametrize(
    "text",
    [
        "The theft was reported to police on Monday.",  # a verb, not a hedge
        "Police reported no injuries after the match.",
        "The company said it is clear that profits rose.",
        "The hospital said 40 patients were treated.",  # a named source: attribution's job
        "A UN report says emissions rose.",  # a named report
    ],
)
def test_not_hedges(nlp, text: str) -> None:
    assert _hedges(nlp, text) == []


def test_longest_match_wins_and_sentences(nlp) -> None:
    text = ("The minister resigned on Friday. According to unconfirmed reports, she was "
            "allegedly paid, and it is believed that sources close to her said so.")
    found = _hedges(nlp, text)
    assert _read(found) == [
        ("According to unconfirmed reports", "phrase"),
        ("allegedly", "adverb"),
        ("it is believed", "passive_report"),
        ("sources close to", "anonymous_source"),
    ]
    assert [h.sentence for h in found] == [1, 1, 1, 1]


def test_matcher_is_built_once(nlp) -> None:
    assert _matcher(nlp.vocab) is _matcher(nlp.vocab)


def test_example_article(nlp, example_text: str) -> None:
    doc = nlp(example_text)
    sentences = list(doc.sents)
    found = _hedges(nlp, example_text)
    assert _read(found) == [
        ("reports indicating", "phrase"),
        ("reported", "phrase"),
        ("reportedly", "adverb"),
        ("allegedly", "adverb"),
    ]
    for h in found:
        assert example_text[h.start : h.end] == h.text
        assert sentences[h.sentence].start_char <= h.start < sentences[h.sentence].end_char
    assert found[1].start == example_text.index("A reported “heated”") + 2
    assert "23 munitions" in sentences[found[0].sentence].text
    assert found[1].sentence == found[2].sentence == found[3].sentence
