"""Tests for unspin.quantities: numbers with their units, exact spans, no overlaps."""

from __future__ import annotations

import bisect

import pytest

from unspin.quantities import find_quantities
from unspin.report import Quantity


def _quantities(nlp, text: str) -> list[Quantity]:
    """Run the stage on ``text`` and check the invariants every result must keep."""
    doc = nlp(text)
    starts = [s.start_char for s in doc.sents]
    found = find_quantities(doc, lambda char: bisect.bisect_right(starts, char) - 1)
    for q in found:
        assert text[q.start : q.end] == q.text
        assert q.number in q.text
    for left, right in zip(found, found[1:], strict=False):
        assert left.end <= right.start, (left, right)
    return found


def _read(q: Quantity) -> tuple:
    return q.text, q.value, q.unit, q.kind


def _one(nlp, text: str, wanted: str) -> Quantity:
    """The quantity whose text is ``wanted`` (and check its offset)."""
    matches = [q for q in _quantities(nlp, text) if q.text == wanted]
    assert len(matches) == 1, [q.text for q in _quantities(nlp, text)]
    assert matches[0].start == text.index(wanted)
    return matches[0]


@pytest.mark.parametrize(
    ("text", "wanted", "expected"),
    [
        # counts: number + modifiers + counted noun
        ("The Russian military intercepted 92 Ukrainian drones overnight.",
         "92 Ukrainian drones", (92.0, "drones", "count")),
        ("Separatists said 23 munitions were fired.", "23 munitions", (23.0, "munitions", "count")),
        ("The carmaker will cut 1,400 jobs in Ohio.", "1,400 jobs", (1400.0, "jobs", "count")),
        ("Twenty-five nurses walked out of the clinic.", "Twenty-five nurses",
         (25.0, "nurses", "count")),
        ("Organisers said half a million people marched.", "half a million people",
         (500000.0, "people", "count")),
        ("A dozen players tested positive.", "A dozen players", (12.0, "players", "count")),
        ("The club sold 60,000 tickets for the final.", "60,000 tickets",
         (60000.0, "tickets", "count")),
        ("The party has one hundred and twenty delegates.", "one hundred and twenty delegates",
         (120.0, "delegates", "count")),
        ("The festival drew 10k fans.", "10k fans", (10000.0, "fans", "count")),
        # percent
        ("Unemployment rose 4 percent last year.", "4 percent", (4.0, "percent", "percent")),
        ("Support for the bill fell to 4% in the poll.", "4%", (4.0, "percent", "percent")),
        ("Inflation was 2.3 per cent in May.", "2.3 per cent", (2.3, "percent", "percent")),
        ("The lead narrowed by 1.5 percentage points.", "1.5 percentage points",
         (1.5, "percentage points", "percent")),
        # money: value in units, unit the currency code
        ("Petrol costs $2.10 a gallon in Texas.", "$2.10", (2.1, "USD", "money")),
        ("Brussels pledged €3 billion for vaccines.", "€3 billion", (3e9, "EUR", "money")),
        ("The donor gave 2.5 million dollars to the hospital.", "2.5 million dollars",
         (2.5e6, "USD", "money")),
        ("The striker joined for £5m in January.", "£5m", (5e6, "GBP", "money")),
        ("Investors lost $5bn in a week.", "$5bn", (5e9, "USD", "money")),
        ("The stadium cost 3bn euros to build.", "3bn euros", (3e9, "EUR", "money")),
        ("The budget was cut by US$5 million.", "US$5 million", (5e6, "USD", "money")),
        ("Aid worth 2 million US dollars arrived.", "2 million US dollars",
         (2e6, "USD", "money")),
        ("A stamp now costs 30 cents more.", "30 cents", (0.3, "USD", "money")),
        # durations, measures, ordinals
        ("The strike lasted three weeks.", "three weeks", (3.0, "weeks", "duration")),
        ("Talks went on for two hours.", "two hours", (2.0, "hours", "duration")),
        ("The storm dropped 10 inches of rain.", "10 inches", (10.0, "inches", "measure")),
        ("Winds reached 120 km/h on the coast.", "120 km/h", (120.0, "km/h", "measure")),
        ("The ship carried 3.5 tonnes of grain.", "3.5 tonnes", (3.5, "tonnes", "measure")),
        ("He weighs 200 pounds before the fight.", "200 pounds", (200.0, "pounds", "measure")),
        ("The 25-year-old striker scored twice.", "25-year-old", (25.0, "year-old", "measure")),
        ("Both sides agreed a 10-day ceasefire.", "10-day", (10.0, "day", "duration")),
        ("It was the third time this year that the vote failed.", "third time",
         (3.0, "time", "ordinal")),
        ("The team finished in 3rd place.", "3rd place", (3.0, "place", "ordinal")),
        # fractions and vague quantities
        ("Two-thirds of voters backed the measure.", "Two-thirds of voters",
         (pytest.approx(2 / 3, abs=1e-5), "voters", "other")),
        ("A third of patients waited a year.", "A third of patients",
         (pytest.approx(1 / 3, abs=1e-5), "patients", "other")),
        ("Dozens of doctors signed the letter.", "Dozens of doctors", (None, "doctors", "other")),
        ("Tens of thousands of people protested in Madrid.", "Tens of thousands of people",
         (None, "people", "other")),
        # dates: only DATE entities that hold a number and a year, month or weekday
        ("The election was held on March 3, 2024, in Lisbon.", "March 3, 2024",
         (2024.0, None, "date")),
        ("Inflation peaked in 2023 after the war began.", "2023", (2023.0, None, "date")),
        ("Prices have not been this high since the 1980s.", "1980s", (1980.0, None, "date")),
    ],
)
def test_quantity(nlp, text: str, wanted: str, expected: tuple) -> None:
    q = _one(nlp, text, wanted)
    assert (q.value, q.unit, q.kind) == expected


def test_number_as_written(nlp) -> None:
    text = "Brussels pledged €3 billion, and twenty-five states agreed."
    numbers = [q.number for q in _quantities(nlp, text)]
    assert numbers == ["3 billion", "twenty-five"]


def test_sentence_index(nlp) -> None:
    text = "The league fined the club. It must pay $40,000 within 14 days."
    found = _quantities(nlp, text)
    assert [(q.text, q.sentence) for q in found] == [("$40,000", 1), ("14 days", 1)]


def test_ranges_share_the_unit(nlp) -> None:
    text = "Between 20 and 30 people died, and 2 to 3 million dollars was lost."
    found = {q.text: q for q in _quantities(nlp, text)}
    assert _read(found["20"]) == ("20", 20.0, "people", "count")
    assert _read(found["30 people"]) == ("30 people", 30.0, "people", "count")
    assert _read(found["2"]) == ("2", 2e6, "USD", "money")
    assert _read(found["3 million dollars"]) == ("3 million dollars", 3e6, "USD", "money")


def test_scores_and_bare_numbers(nlp) -> None:
    text = "City won 3-1 at home. The death toll rose to 45."
    assert [_read(q) for q in _quantities(nlp, text)] == [
        ("3-1", None, None, "other"),
        ("45", 45.0, None, "other"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Shelling continued in a single day of fighting.",  # no explicit number
        "One of the biggest banks failed, and no one noticed.",  # "one" as a pronoun
        "First, the minister spoke for a second.",  # adverb "First", noun "second"
        "The Boeing 737 landed at 10 p.m. under Article 5 of the treaty.",  # names and times
        "Several hospitals and many clinics closed.",  # vague words without numbers
        "Pilgrims learn the Five Pillars before the Second Vatican Council anniversary.",
        "The printer makes 3-D models.",
        # numbers naming a model, series or index
        "The 777 program has faced delays due to engine problems.",
        "The pan-European STOXX 600 index lost ground.",
        "The Thunderbolt 3 dock still drained the battery.",
    ],
)
def test_not_quantities(nlp, text: str) -> None:
    assert _quantities(nlp, text) == []


@pytest.mark.parametrize(("text", "count"), [
    ("The company laid off 50 staff in March.", "50 staff"),
    ("Emirates had a fleet of 270 aircraft.", "270 aircraft"),
    ("Tesla installed 300 Tesla chargers last year.", "300 Tesla chargers"),
    ("Russia intercepted 92 Ukrainian drones.", "92 Ukrainian drones"),
])
def test_counts_in_the_singular_and_before_names_stay_counts(nlp, text: str,
                                                           count: str) -> None:
    assert (count, "count") in [(q.text, q.kind) for q in _quantities(nlp, text)]


def test_never_across_a_line_break(nlp) -> None:
    text = "Average age: 75\nFederation: Germany\nThe club signed 3 players."
    found = [_read(q) for q in _quantities(nlp, text)]
    assert ("3 players", 3.0, "players", "count") in found
    assert all("\n" not in q[0] for q in found)


def test_empty_and_unparsed_docs(nlp) -> None:
    assert _quantities(nlp, "") == []
    doc = nlp.make_doc("They paid $5 million and 200 pounds for 40 trucks in 2020.")
    found = [_read(q) for q in find_quantities(doc, lambda char: 0)]  # no tags, parse or ents
    assert ("$5 million", 5e6, "USD", "money") in found
    assert ("200 pounds", 200.0, "GBP", "money") in found


def test_example_article(nlp, example_text: str) -> None:
    found = [_read(q) for q in _quantities(nlp, example_text)]
    assert found == [
        ("92 Ukrainian Drone Attacks", 92.0, "Attacks", "count"),
        ("92 Ukrainian drones", 92.0, "drones", "count"),
        ("23 munitions", 23.0, "munitions", "count"),
    ]
    doc = nlp(example_text)
    sentences = list(doc.sents)
    q = _quantities(nlp, example_text)[2]
    assert "23 munitions" in sentences[q.sentence].text
