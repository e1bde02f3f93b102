"""Tests for unspin.entities: clean mention spans, merging, canonical names and labels."""

from __future__ import annotations

import bisect

import pytest

from unspin.entities import find_entities
from unspin.report import Entity


def _entities(nlp, text: str) -> list[Entity]:
    """Run the stage on ``text`` and check the invariants every result must keep."""
    doc = nlp(text)
    starts = [s.start_char for s in doc.sents]
    found = find_entities(doc, lambda char: bisect.bisect_right(starts, char) - 1)
    assert [e.id for e in found] == list(range(len(found)))
    firsts = [e.mentions[0].start for e in found]
    assert firsts == sorted(firsts), "ids follow the order of first mention"
    mentions = sorted((m for e in found for m in e.mentions), key=lambda m: m.start)
    for m in mentions:
        assert text[m.start : m.end] == m.text
        assert m.text == m.text.strip() and not m.text.endswith(("'s", "’s", ","))
    for left, right in zip(mentions, mentions[1:], strict=False):
        assert left.end <= right.start, (left, right)
    for e in found:
        assert e.name in {m.text for m in e.mentions}
        assert e.mentions == sorted(e.mentions, key=lambda m: m.start)
    return found


def _by_name(found: list[Entity]) -> dict[str, Entity]:
    return {e.name: e for e in found}


def _texts(e: Entity) -> list[str]:
    return [m.text for m in e.mentions]


def test_surname_and_title_merge(nlp) -> None:
    text = ("German Chancellor Olaf Scholz met President Joe Biden at the White House. "
            "Biden said the talks were useful, and Scholz agreed.")
    found = _by_name(_entities(nlp, text))
    assert _texts(found["Joe Biden"]) == ["Joe Biden", "Biden"]
    assert found["Joe Biden"].label == "PERSON"
    assert _texts(found["Olaf Scholz"]) == ["Olaf Scholz", "Scholz"]
    assert found["Olaf Scholz"].label == "PERSON"
    biden = found["Joe Biden"].mentions
    assert (biden[0].start, biden[0].sentence) == (text.index("Joe Biden"), 0)
    assert (biden[1].start, biden[1].sentence) == (text.index("Biden said"), 1)


def test_ambiguous_surname_stays_apart(nlp) -> None:
    text = ("Senators Mark Kelly and Laura Kelly both spoke in Phoenix. "
            "Kelly was applauded by the crowd.")
    found = _by_name(_entities(nlp, text))
    assert _texts(found["Mark Kelly"]) == ["Mark Kelly"]
    assert _texts(found["Laura Kelly"]) == ["Laura Kelly"]
    assert _texts(found["Kelly"]) == ["Kelly"]


def test_suffix_is_not_the_surname(nlp) -> None:
    text = "Martin Luther King Jr. spoke in 1963. King said the dream lived on."
    found = _by_name(_entities(nlp, text))
    assert _texts(found["Martin Luther King Jr."]) == ["Martin Luther King Jr.", "King"]


def test_possessive_stripped_and_merged(nlp) -> None:
    text = ("Marcus Rashford scored twice. Rashford’s second goal sealed the win, "
            "and Rashford's coach praised him.")
    found = _by_name(_entities(nlp, text))
    rashford = found["Marcus Rashford"]
    assert _texts(rashford) == ["Marcus Rashford", "Rashford", "Rashford"]
    assert rashford.mentions[1].start == text.index("Rashford’s")


def test_acronym_joins_long_form(nlp) -> None:
    text = ("The World Health Organization (WHO) warned of a new outbreak on Friday. "
            "WHO officials said cases were rising in Brazil.")
    found = _by_name(_entities(nlp, text))
    who = found["The World Health Organization"]
    assert who.label == "ORG"
    assert _texts(who) == ["The World Health Organization", "WHO", "WHO"]
    assert [m.start for m in who.mentions[1:]] == [text.index("WHO"), text.rindex("WHO")]
    assert [m.sentence for m in who.mentions] == [0, 0, 1]


def test_acronym_before_long_form(nlp) -> None:
    text = ("Leaders of NATO (North Atlantic Treaty Organization) met in Vilnius. "
            "NATO said it would grow.")
    found = _by_name(_entities(nlp, text))
    nato = found["North Atlantic Treaty Organization"]
    assert _texts(nato) == ["NATO", "North Atlantic Treaty Organization", "NATO"]
    assert nato.id == 0


def test_name_variants_and_short_org_name(nlp) -> None:
    text = ("The Washington Post reported the talks, and the Post said they failed. "
            "Donald J. Trump spoke in Ohio. Donald Trump later said Trump would win.")
    found = _by_name(_entities(nlp, text))
    assert _texts(found["The Washington Post"]) == ["The Washington Post", "Post"]
    trump = found["Donald J. Trump"]
    assert _texts(trump) == ["Donald J. Trump", "Donald Trump", "Trump"]
    assert trump.label == "PERSON"
    assert [m.sentence for m in trump.mentions] == [1, 2, 2]


def test_headline_fragments_do_not_block_merging(nlp) -> None:
    text = "Trump Slams Biden\nThe president said Joe Biden was weak.\n\nBiden replied."
    found = _by_name(_entities(nlp, text))
    assert _texts(found["Joe Biden"]) == ["Joe Biden", "Biden"]
    for e in found.values():
        assert all("\n" not in m.text for m in e.mentions)


def test_lowercase_the_is_not_part_of_the_name(nlp) -> None:
    text = "Tankers crossed the Black Sea, and the Black Sea fleet stayed in port."
    found = _by_name(_entities(nlp, text))
    assert "Black Sea" in found
    assert all(m.text == "Black Sea" for m in found["Black Sea"].mentions)


def test_skipped_labels(nlp) -> None:
    text = "On Monday, 300 workers in France earned $5 million, up 4 percent."
    labels = {e.label for e in _entities(nlp, text)}
    assert labels <= {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "LAW"}
    assert "France" in _by_name(_entities(nlp, text))


def test_place_name_fix(nlp) -> None:
    text = "Under the deal, Kyiv’s reliance on Western arms grew, officials in Kyiv said."
    found = _by_name(_entities(nlp, text))
    assert found["Kyiv"].label == "GPE"
    assert len(found["Kyiv"].mentions) == 2


@pytest.fixture(scope="module")
def example(nlp, example_text: str) -> tuple[str, dict[str, Entity]]:
    return example_text, _by_name(_entities(nlp, example_text))


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("Dmitry Peskov", "PERSON"),
        ("The Washington Post", "ORG"),
        ("Vladimir Putin", "PERSON"),
        ("Zelenskiy", "PERSON"),
        ("Kremlin", "ORG"),
        ("Russia", "GPE"),
        ("Ukraine", "GPE"),
        ("Ukrainian", "NORP"),
        ("Kyiv", "GPE"),
        ("Donald Trump", "PERSON"),
        ("U.S.", "GPE"),
        ("NATO", "ORG"),
    ],
)
def test_example_article_entities(example, name: str, label: str) -> None:
    _, found = example
    assert found[name].label == label


def test_example_article_merges(example) -> None:
    text, found = example
    putin = found["Vladimir Putin"]
    # "Putin’s Defense Systems" (an ORG to spaCy) in the headline is a mention of Putin.
    assert _texts(putin) == ["Putin", "Vladimir Putin", "Putin"]
    assert putin.mentions[0].start == 0
    assert _texts(found["Zelenskiy"]) == ["Zelenskiy"] * 3
    assert _texts(found["Donald Trump"]) == ["Donald Trump", "Trump"]
    assert _texts(found["The Washington Post"]) == ["The Washington Post"] * 2
    dpr = found["Donetsk People’s Republic"]
    assert _texts(dpr) == ["Donetsk People’s Republic", "DPR"]
    assert dpr.mentions[1].start == text.index("DPR")
    peskov = found["Dmitry Peskov"].mentions[0]
    assert (peskov.start, peskov.end) == (text.index("Dmitry Peskov"), text.index(" confirmed"))
    assert len(found["Ukrainian"].mentions) == 5
    assert len(found["Russia"].mentions) == 6
