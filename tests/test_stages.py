"""The stages over one Analysis: a batch gives the reports of one article at a time, spaCy's
batch parse gives the Docs of the one-article parse, and one article's failure is recorded
with its stage while the others go on."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from unspin.article import parse_text
from unspin.errors import InputError, LanguageError
from unspin.pipeline import MAX_ANALYSED_TOKENS, default_analyzer
from unspin.stages import Analysis, Parsing, Stage, StageError, pending

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
FRENCH = ("Titre\n\nLe gouvernement a annoncé mardi une nouvelle réforme des retraites, qui sera "
          "présentée au parlement la semaine prochaine selon plusieurs sources proches.")


def _without_timing(report) -> dict:
    out = report.model_dump()
    out["metrics"].pop("seconds")
    return out


def _paragraphs(n: int, words: str) -> str:
    return "\n\n".join(f"{words} The port said {k + 2} ships waited on day {k}." for k in range(n))


def test_pipe_gives_the_reports_of_one_at_a_time_and_names_failed_stages() -> None:
    analyzer = default_analyzer()
    port = (EXAMPLES / "port_strike.txt").read_text(encoding="utf-8")
    short = parse_text("Council Approves Budget\n\nThe council approved a budget of $2.10 "
                       "million on Monday, officials said.")
    sources = [port, FRENCH, short, b"bytes are read by load_article", "   "]
    results = list(analyzer.pipe(sources, batch_size=2))
    assert len(results) == len(sources)
    assert _without_timing(results[0]) == _without_timing(analyzer(port))
    assert _without_timing(results[2]) == _without_timing(analyzer(short))
    failed = {i: (r.stage, type(r.error)) for i, r in enumerate(results)
              if isinstance(r, StageError)}
    assert failed == {1: ("language", LanguageError), 3: ("reading", TypeError),
                      4: ("reading", InputError)}
    assert results[3].message.startswith("TypeError: unspin analyses an Article")
    assert results[0].metrics["seconds"] > 0


def test_batch_parse_matches_the_parse_of_one_article(nlp) -> None:
    from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, POS, SENT_START, TAG

    texts = ["A Short One\n\n" + _paragraphs(2, "Dockers struck."),
             "A Long One\n\n" + _paragraphs(40, "Officials reportedly said the strike ended."),
             "Too Long\n\n" + _paragraphs(90, "The union, critics claimed, lied again and again."),
             "Another Short\n\n" + _paragraphs(3, "Shipping resumed.")]
    stage = Parsing(nlp, max_tokens=1_500, pipe_tokens=400, piece_tokens=120)
    batch = [Analysis(parse_text(t)) for t in texts]
    stage.pipe(batch)
    assert [a.failure is None for a in batch] == [True, True, False, True]
    assert batch[2].failure.stage == "parsing" and "at most 1,500" in str(batch[2].failure)
    attrs = [TAG, DEP, HEAD, ENT_IOB, ENT_TYPE, SENT_START, LEMMA, POS, MORPH]
    for analysis in pending(batch):
        alone = Analysis(analysis.article)
        stage.run(alone)
        assert analysis.doc.text == analysis.text
        assert np.array_equal(analysis.doc.to_array(attrs), alone.doc.to_array(attrs))
        assert analysis.sentences == alone.sentences
        assert analysis.seconds > 0


class _Counting(Stage):
    """Counts the analyses it sees; fails on the one whose text says "boom"."""

    name = "counting"

    def __init__(self) -> None:
        self.seen: list[str] = []

    def run(self, analysis: Analysis) -> None:
        self.seen.append(analysis.source)
        if analysis.source == "boom":
            raise ValueError("a bug in one article")


def test_a_failure_stays_with_its_article_and_later_stages_pass_it_by() -> None:
    first, second = _Counting(), _Counting()
    batch = [Analysis(s) for s in ("one", "boom", "three")]
    first.pipe(batch)
    second.pipe(batch)
    assert first.seen == ["one", "boom", "three"] and second.seen == ["one", "three"]
    failure = batch[1].failure
    assert failure.stage == "counting" and failure.message == "ValueError: a bug in one article"
    with pytest.raises(ValueError):
        _Counting().run(Analysis("boom"))


def test_the_analyzer_lists_its_stages_in_order() -> None:
    names = [s.name for s in default_analyzer().stages()]
    assert names == ["reading", "language", "parsing", "mentions", "encoding", "techniques",
                     "claims", "attribution", "sourcing", "framing", "consistency", "report"]


def test_token_limit_is_read_when_the_stages_are_built(monkeypatch) -> None:
    import unspin.pipeline

    monkeypatch.setattr(unspin.pipeline, "MAX_ANALYSED_TOKENS", 7)
    parsing = next(s for s in default_analyzer().stages() if s.name == "parsing")
    assert parsing.max_tokens == 7 != MAX_ANALYSED_TOKENS


def test_a_grown_vocabulary_is_renewed_between_batches_and_the_reports_stay() -> None:
    import copy

    base = default_analyzer()
    analyzer = copy.copy(base)  # the same loaded models, its own spaCy pipeline from here on
    analyzer.renew_after_lexemes, analyzer._lexemes_at_load = 1, len(base.nlp.vocab)
    texts = ["Harbour Talks Resume\n\nZqx negotiators from Vorlund met on Monday, the port "
             "said.", "Budget Passes\n\nThe council of Ylvamoor approved $3 million, "
             "officials said."]
    before = base.nlp
    results = list(analyzer.pipe(texts, batch_size=1))
    assert analyzer.renewals >= 1 and analyzer.nlp is not before
    assert [_without_timing(r) for r in results] == [_without_timing(base(t)) for t in texts]
