"""The Analyzer end to end on the example article and on hand-written texts."""

from __future__ import annotations

import pytest
from spancheck import assert_exact_offsets

from unspin import analyze
from unspin.article import parse_text
from unspin.errors import InputError, LanguageError
from unspin.models import has_model


@pytest.fixture(scope="module")
def example_report(example_text):
    return analyze(example_text)


def test_example_offsets_are_exact(example_report):
    checked = assert_exact_offsets(example_report.model_dump())
    assert checked > 50


def test_example_caption_and_title(example_report):
    assert example_report.title.text.startswith("Putin’s Defense Systems Thwart 92")
    assert [c.text for c in example_report.captions] == [
        "Unclassified U.S. intelligence document obtained by The Washington Post. "
        "(Obtained by The Washington Post)"]
    assert len(example_report.paragraphs) == 6


def test_example_quantities_hedges_entities(example_report):
    quantities = {q.text: q for q in example_report.quantities}
    assert quantities["92 Ukrainian drones"].value == 92
    assert quantities["23 munitions"].value == 23
    hedges = {h.text for h in example_report.hedges}
    assert {"reportedly", "allegedly"} <= hedges
    names = {e.name for e in example_report.entities}
    assert {"Dmitry Peskov", "The Washington Post"} <= names


def test_sentences_stay_inside_their_part(example_report):
    r = example_report
    for s in r.sentences:
        if s.part == "body":
            p = r.paragraphs[s.paragraph]
            assert p.start <= s.start and s.end <= p.end
    assert r.sentences[0].part == "title"
    assert r.sentences[1].part == "caption"


def test_items_point_at_their_sentence(example_report):
    r = example_report
    for item in [*r.quantities, *r.hedges]:
        s = r.sentences[item.sentence]
        assert s.start <= item.start and item.end <= s.end


@pytest.mark.skipif(not has_model("techniques"), reason="technique model not shipped")
def test_example_loaded_language_is_highlighted(example_report):
    spans = " | ".join(t.text for t in example_report.techniques)
    hits = [phrase for phrase in ("relentless aerial assaults", "disregard for civilian safety",
                                  "persistent aggression") if phrase in spans]
    assert len(hits) >= 2, spans
    for t in example_report.techniques:
        assert t.definition
        assert 0 < t.score <= 1


def test_analyze_accepts_an_article():
    article = parse_text("Council Approves Budget\n\nThe council approved a budget of "
                         "$2.10 million on Monday, officials said.")
    report = analyze(article)
    assert report.title.text == "Council Approves Budget"
    assert assert_exact_offsets(report.model_dump()) > 0


def test_crlf_and_bom_text_gives_exact_offsets():
    raw = "\ufeffTitle Here\r\n\r\nThe mayor reportedly resigned on Friday.\r\nShe denied it."
    report = analyze(raw)
    assert "\r" not in report.text
    assert_exact_offsets(report.model_dump())


@pytest.mark.parametrize("text", [
    "Le gouvernement a annoncé mardi une nouvelle réforme des retraites, qui sera présentée "
    "au parlement la semaine prochaine selon plusieurs sources proches du dossier.",
    "Die Regierung hat am Dienstag eine neue Reform angekündigt, die nach Angaben mehrerer "
    "Quellen in der nächsten Woche dem Parlament vorgelegt werden soll.",
    "Правительство во вторник объявило о новой реформе, которая будет представлена "
    "парламенту на следующей неделе.",
])
def test_non_english_is_refused_clearly(text):
    with pytest.raises(LanguageError, match="English"):
        analyze("Titre\n\n" + text)


def test_empty_is_an_input_error():
    with pytest.raises(InputError):
        analyze(b"   \n ")
