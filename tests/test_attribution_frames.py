"""Cue frames the parser gets wrong or that span paragraphs (``unspin.attribution.cues``):
a colon that ends its paragraph, pointer words before a colon, a that-clause hung on the
wrong word, a reported clause without "that" parsed as an adverbial clause, a parenthetical
cue around a stance. Through the real spaCy pipeline; each test
fails without its rule."""

from __future__ import annotations

from test_attribution import analyse


def test_colon_ending_its_paragraph_takes_the_next_paragraph(nlp) -> None:
    """A block quote after "The governor added:" is one paragraph of several sentences; the
    paragraph after it is the writer's again."""
    a = analyse(nlp, "The governor added:\n\nIt is typical of Hillary Clinton. She knows "
                     "nothing, but the mouth never stops.\n\nThe talks ended on Monday.")
    rel = a.relation("added")
    assert rel.source.text == "The governor"
    assert rel.content.text.startswith("It is typical of Hillary Clinton.")
    assert rel.content.text.endswith("the mouth never stops.")
    assert a.attribution("the mouth never stops").kind == "attributed"
    assert a.attribution("The talks ended").kind == "unattributed"


def test_pointer_words_before_a_colon_and_a_list(nlp) -> None:
    """ "argued that:" points at the colon; the bulleted paragraphs after it are the content,
    up to the first paragraph that is no item of the list."""
    a = analyse(nlp, "Soerens argued that:\n\n• Only 2,200 Syrians have been admitted in "
                     "the past four years.\n\n• The situation here is entirely different. "
                     "They are vetted for at least 18 months.\n\nThe debate went on.")
    rel = a.relation("argued")
    assert rel.source.text == "Soerens"
    for words in ("Only 2,200 Syrians", "The situation here", "They are vetted"):
        assert a.attribution(words).kind == "attributed", words
    assert a.attribution("The debate went on").kind == "unattributed"


def test_the_following_before_a_colon_is_no_content(nlp) -> None:
    a = analyse(nlp, "He said the following: the plan was dead.")
    assert a.relation("said").content.text.startswith("the plan was dead")


def test_that_clause_hung_on_a_noun_of_the_cue(nlp) -> None:
    """The parser makes "that few people understood ..." a relative clause of "meeting" and
    "that the RT editor ..." one of "time"; both are what was told or reported."""
    a = analyse(nlp, "In Honolulu last week, he told a meeting of Pacific Island leaders "
                     "that few people understood the stakes of climate change.")
    told = a.relation("told")
    assert told.source.text == "he"
    assert told.content.text == "that few people understood the stakes of climate change"
    b = analyse(nlp, "Still, The New York Times reported at the time that the RT editor in "
                     "chief conveyed to Ms. Martin that her statement was wrong.")
    assert b.relation("reported").source.text == "The New York Times"
    assert b.attribution("RT editor").kind == "attributed"


def test_relative_clause_of_an_object_is_no_content(nlp) -> None:
    """A real relative clause ("that he had heard", "that" its object) stays one."""
    a = analyse(nlp, "He told a story that he had heard in Ohio.")
    assert not [r for r in a.relations if r.cue is not None and r.cue.text == "told"]


def test_parenthetical_cue_outranks_the_stance_it_reports(nlp) -> None:
    """ "His wife, he says, plans to leave": the report of "says" holds the stance "plans",
    so the claim rests on "he", not on no one."""
    a = analyse(nlp, "His wife, he says, plans to leave the Democratic Party because of what "
                     "they see as an unfair process.")
    rel = a.relation("says")
    assert rel.kind == "report"
    assert rel.source.text == "he"
    assert "plans to leave the Democratic Party" in rel.content.text
    assert a.attribution("plans to leave").kind == "attributed"


def test_reported_clause_without_that_after_an_adjunct(nlp) -> None:
    """ "said after the convention he would not accept ...": the parser hangs the clause on
    "said" as an adverbial clause; it is what was said, from its subject on."""
    a = analyse(nlp, "The race tightened in October. Trump said after the convention he "
                     "would not accept the result. Aides were alarmed.")
    rel = a.relation("said")
    assert rel.source.text == "Trump"
    assert rel.content.text == "he would not accept the result"
    assert a.attribution("would not accept").kind == "attributed"


def test_clause_of_time_after_a_cue_is_no_content(nlp) -> None:
    """ "said when he arrived ...", "said nothing, he left": a marker or an object keeps
    the adverbial clause what it is."""
    a = analyse(nlp, "He said when he arrived the doors were locked. They said nothing, "
                     "he left.")
    assert all(r.content is None or "he left" not in r.content.text for r in a.relations)
    assert all(r.content is None or "he arrived" not in r.content.text for r in a.relations)


def test_subject_of_the_first_sentence_stays_with_its_verb(nlp) -> None:
    """The small parser cut "Trump" from "said ..." after a title; a lowercase word after a
    word on the same line never starts a sentence, so the claim rests on Trump."""
    a = analyse(nlp, "Trump said after the convention he would not accept the result.")
    assert a.relation("said").source.text == "Trump"
