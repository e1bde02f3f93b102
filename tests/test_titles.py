"""The one title lexicon that attribution and sourcing share."""

from __future__ import annotations

import pytest

from unspin.titles import is_title_word, person_name


@pytest.mark.parametrize(("word", "title"), [
    ("Dr.", True), ("Mayor's", True), ("spokesperson", True), ("Sen.", True),
    ("Prime", False), ("Kremlin", False),
])
def test_title_words_ignore_dots_case_and_possessives(word, title):
    assert is_title_word(word) is title


@pytest.mark.parametrize(("name", "bare"), [
    ("Prime Minister Boris Johnson", "Boris Johnson"),
    ("Kremlin spokesperson Dmitry Peskov", "Dmitry Peskov"),
    ("Mr. Smith", "Smith"),
    ("President", "President"),  # the last word is never dropped
    ("Secretary of State", "Secretary of State"),
])
def test_person_name_drops_the_titles_before_a_name(name, bare):
    assert person_name(name) == bare


def test_attribution_and_sourcing_read_the_same_lexicon():
    from unspin import sourcing, titles
    from unspin.attribution import names, relations

    assert sourcing.sides.PERSON_ROLES is titles.PERSON_ROLES
    assert names.person_name is sourcing.person_name is titles.person_name
    assert relations.PERSON_ROLES is titles.PERSON_ROLES
