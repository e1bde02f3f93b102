"""Property-based tests: any input gives an article (or a report) or unspin's own error, and
every span in what comes out is exact."""

from __future__ import annotations

import contextlib
import json

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from unspin.article import Article, load_records, parse_html, parse_text, read_record_items
from unspin.errors import UnspinError

WORDS = ["The", "minister", "said", "on", "Monday", "that", "4%", "of", "1,200", "homes",
         "reportedly", "lost", "power", '"We', 'will', 'rebuild,"', "according", "to",
         "officials.", "Sources", "close", "to", "the", "talks", "$40", "million", "U.S.",
         "Dr.", "Smith", "—", "(Reuters)", "-", "?", "!", "…", "\u201cquote\u201d", "e.g.",
         "3.5", "km", "2024", "a.m.", "Photo:", "AP", "\u00e9t\u00e9", "\t", "\u00a0"]

news_like = st.lists(
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=30).map(" ".join),
    min_size=1, max_size=8,
).map("\n\n".join)
any_text = st.one_of(news_like, st.text(max_size=400))


def assert_article_spans(article: Article) -> None:
    spans = ([article.title] if article.title else []) + [*article.captions, *article.paragraphs]
    for span in spans:
        assert article.text[span.start:span.end] == span.text


@settings(max_examples=150, deadline=None)
@given(any_text)
def test_plain_text_reader_is_exact_or_refuses(text: str) -> None:
    try:
        article = parse_text(text)
    except UnspinError:
        return
    assert_article_spans(article)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["<p>", "</p>", "<div class='sidebar'>", "</div>", "<h1>",
                                 "</h1>", "<figure><figcaption>", "</figcaption></figure>",
                                 "<script>", "</script>", "<br>", "&amp;", "&#0;", "<!--",
                                 "-->", *WORDS]), max_size=200).map(" ".join))
def test_html_reader_is_exact_or_refuses(body: str) -> None:
    try:
        article = parse_html(f"<html><head><title>T</title></head><body>{body}</body></html>")
    except UnspinError:
        return
    assert_article_spans(article)


records = st.lists(st.one_of(
    st.fixed_dictionaries({"title": news_like, "text": news_like}),
    st.dictionaries(st.sampled_from(["title", "text", "captions", "url", "date"]),
                    st.one_of(st.text(max_size=40), st.integers(), st.none(),
                              st.lists(st.text(max_size=10), max_size=3))),
    st.integers(), st.none()), min_size=1, max_size=5)


@settings(max_examples=100, deadline=None)
@given(records, st.booleans())
def test_record_reader_reads_each_record_or_names_its_error(items: list, as_lines: bool) -> None:
    data = "\n".join(json.dumps(i) for i in items) if as_lines else json.dumps(items)
    try:
        got = read_record_items(data)
    except UnspinError:
        return
    for record in got:
        assert (record.article is None) != (record.error is None)
        if record.article is not None:
            assert_article_spans(record.article)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=600))
def test_any_bytes_give_records_or_an_unspin_error(data: bytes) -> None:
    with contextlib.suppress(UnspinError):
        load_records(data)


@pytest.fixture(scope="module")
def analyzer():
    from unspin.pipeline import Analyzer

    return Analyzer()


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(news_like)
@example("The Monday 1,200")  # a date whose year-less number has a thousands comma
def test_analyze_gives_an_exact_report_or_an_unspin_error(analyzer, text: str) -> None:
    """The Report checks its own spans and sentence indices when it is built (and again here,
    after the stages that change it in place)."""
    try:
        report = analyzer(parse_text("Headline of the story\n\n" + text))
    except UnspinError:
        return
    report.check()
    for claim in report.claims:
        sentence = report.sentences[claim.sentence]
        assert sentence.start <= claim.start < sentence.end
