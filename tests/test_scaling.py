"""Long and pathological inputs: spaCy in pieces, exact offsets, no super-linear stages.

No timing assertions (``benchmarks/scaling.py`` measures time and memory); these tests check
that the paths taken by long texts give the same answers as the short-text paths and that
odd inputs end in a report or an :class:`~unspin.errors.UnspinError`.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import numpy as np
import pytest
from spancheck import assert_exact_offsets

import unspin.nlp
import unspin.pipeline
from unspin.article import parse_text
from unspin.errors import InputError, UnspinError
from unspin.nlp import MAX_RUN, parse, tokenize
from unspin.pipeline import article_parts

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _paragraphs() -> list[str]:
    out = []
    for path in sorted(EXAMPLES.glob("*.txt")):
        blocks = [b.strip() for b in path.read_text(encoding="utf-8").split("\n\n")]
        out += [b for b in blocks[2:] if b]
    return out


def long_article(paragraphs: int, seed: int = 0) -> str:
    """A title and ``paragraphs`` paragraphs of the examples with their numbers varied."""
    rng = random.Random(seed)
    pool = _paragraphs()
    body = [re.sub(r"\d+", lambda m: str(rng.randint(2, 99)), rng.choice(pool))
            for _ in range(paragraphs)]
    return "\n\n".join(["A Long Report on the Port Strike and the City Budget", *body]) + "\n"


def _english_line(size: int) -> str:
    """``size`` characters of the examples' words joined by underscores: no whitespace."""
    unit = "_".join(" ".join(_paragraphs()).split()) + "_"
    return (unit * (size // len(unit) + 1))[:size]


# --- parsing in pieces -------------------------------------------------------------------


def test_parse_in_pieces_keeps_text_tokens_and_part_starts(nlp) -> None:
    article = parse_text(long_article(30))
    text, parts = article.text, article_parts(article)
    doc = parse(nlp, text, [p.start for p in parts], piece_tokens=150)
    assert doc.text == text
    whole = nlp.tokenizer(text)
    assert [(t.idx, t.text, t.whitespace_) for t in doc] == \
        [(t.idx, t.text, t.whitespace_) for t in whole]
    starts = {t.idx for t in doc if t.is_sent_start}
    assert {p.start for p in parts} <= starts
    assert doc.has_annotation("DEP") and doc.has_annotation("TAG") and doc.ents
    for sent in doc.sents:  # no sentence straddles a part (whitespace tokens aside)
        words = [t for t in sent if not t.is_space]
        if not words:
            continue
        inside = [p for p in parts if p.start <= words[0].idx < p.end]
        assert inside and words[-1].idx + len(words[-1]) <= inside[0].end


def test_no_sentence_starts_with_a_lowercase_word_after_a_word(nlp) -> None:
    """The parser alone starts a sentence at "said" here (after a forced part start at
    "Trump"); pieces forbid a start where a lowercase word follows a word on its line."""
    text = "Talks in Moscow\n\nTrump said after the convention he would not accept it."
    doc = parse(nlp, text, [text.index("Trump")])
    assert [s.text.strip() for s in doc.sents] == \
        ["Talks in Moscow", "Trump said after the convention he would not accept it."]


def test_parse_is_not_limited_by_spacy_max_length(nlp, monkeypatch) -> None:
    article = parse_text(long_article(40))
    text = article.text
    monkeypatch.setattr(nlp, "max_length", len(text) // 3)
    with pytest.raises(ValueError, match="E088"):
        nlp.make_doc(text)  # what unspin did before: a traceback past max_length
    doc = parse(nlp, text, [p.start for p in article_parts(article)], piece_tokens=400)
    assert doc.text == text
    assert [t.idx for t in doc] == [t.idx for t in nlp.tokenizer(text)]


def test_short_text_is_one_piece_as_before(nlp) -> None:
    article = parse_text((EXAMPLES / "port_strike.txt").read_text(encoding="utf-8"))
    starts = [p.start for p in article_parts(article)]
    doc = parse(nlp, article.text, starts)
    before = nlp.make_doc(article.text)  # the old parse: one Doc, forced part starts
    for token in before:
        if token.idx in set(starts) and token.i > 0:
            token.is_sent_start = True
    for _name, component in nlp.pipeline:
        before = component(before)
    assert [(t.text, t.tag_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_, t.lemma_) for t in doc] \
        == [(t.text, t.tag_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_, t.lemma_)
            for t in before]


def test_analyze_long_document_path_has_exact_offsets(monkeypatch) -> None:
    monkeypatch.setattr(unspin.nlp, "PIECE_TOKENS", 300)
    report = unspin.pipeline.analyze(long_article(60, seed=3))
    assert assert_exact_offsets(report.model_dump()) > 200
    for s in report.sentences:
        if s.part == "body":
            p = report.paragraphs[s.paragraph]
            assert p.start <= s.start and s.end <= p.end
    assert report.entities and report.quantities and report.claims


# --- text without whitespace ---------------------------------------------------------------


def test_long_run_without_spaces_is_tokenized_in_slices(nlp) -> None:
    text = _english_line(200_000)
    doc = tokenize(nlp, text)
    assert doc.text == text
    assert max(len(t) for t in doc) <= MAX_RUN
    parsed = parse(nlp, "Title\n\n" + text, [0, 7])
    assert parsed.text == "Title\n\n" + text


def test_200k_junk_line_without_spaces_is_a_clean_error() -> None:
    junk = ("Harbour-City's_port,strike:$40million/1,200containers;" * 4000)[:200_000]
    with pytest.raises(UnspinError):
        unspin.pipeline.analyze(junk)


def test_english_line_without_spaces_gives_a_report() -> None:
    text = "No Spaces Here\n\n" + _english_line(30_000) + "\n"
    report = unspin.pipeline.analyze(text)
    assert assert_exact_offsets(report.model_dump()) > 0
    assert report.sentences


# --- the size limit --------------------------------------------------------------------------


def test_text_over_the_limit_is_an_input_error(monkeypatch) -> None:
    monkeypatch.setattr(unspin.pipeline, "MAX_ANALYSED_CHARS", 1_000)
    text = long_article(10)
    assert len(text) > 1_000
    with pytest.raises(InputError, match="at most 1,000"):
        unspin.pipeline.analyze(text)
    with pytest.raises(InputError, match="at most 1,000"):
        unspin.pipeline.classify(text, (0, 10))


def test_text_of_too_many_tokens_is_an_input_error(monkeypatch) -> None:
    monkeypatch.setattr(unspin.pipeline, "MAX_ANALYSED_TOKENS", 500)
    with pytest.raises(InputError, match="at most 500"):
        unspin.pipeline.analyze(long_article(40))  # about 2,500 tokens


def test_limit_is_below_the_input_cap() -> None:
    from unspin.article import MAX_BYTES

    assert unspin.pipeline.MAX_ANALYSED_CHARS <= MAX_BYTES


# --- indexes against brute force ---------------------------------------------------------------


def test_intervals_find_what_a_scan_finds() -> None:
    from unspin.attribution import Intervals

    rng = random.Random(7)
    spans = []
    for k in range(400):
        a = rng.randrange(10_000)
        spans.append((a, a + rng.choice([0, 1, 5, 50, 2_000]), k))
    index = Intervals(spans)
    for _ in range(300):
        a = rng.randrange(10_500)
        b = a + rng.choice([0, 1, 30, 700])
        expected = sorted(p for s, e, p in spans if s < b and e > a)
        assert sorted(index.overlapping(a, b)) == expected


def test_occurrences_count_as_the_regex_did() -> None:
    from unspin.techniques import occurrences

    def folded(t: str) -> str:
        return " ".join(re.findall(r"\w+", t.lower()))

    def reference(text: str, spans) -> list[int]:
        article = folded(text)
        return [len(re.findall(rf"(?<!\S){re.escape(p)}(?!\S)", article)) if p else 0
                for p in (folded(text[s:e]) for s, e in spans)]

    text = long_article(15) + " a a a a. A-a a_a, the the the union union"
    rng = random.Random(3)
    words = [m.span() for m in re.finditer(r"\w+", text)]
    spans = [(rng.randrange(len(text)), 0) for _ in range(200)]
    spans = [(s, min(len(text), s + rng.choice([1, 4, 20, 60]))) for s, _ in spans]
    for _ in range(300):
        i = rng.randrange(len(words))
        spans.append((words[i][0], words[min(len(words) - 1, i + rng.randrange(4))][1]))
    assert occurrences(text, spans) == reference(text, spans)


def test_sentence_features_look_only_at_near_windows_with_the_same_result() -> None:
    from unspin.claims import sentence_features, span_token_ids
    from unspin.encoder import Encoded, Window

    rng = np.random.default_rng(0)
    windows, hidden, pos = [], [], 0
    for _ in range(12):
        n = int(rng.integers(3, 20))
        offsets = [(0, 0)]
        for _ in range(n):
            offsets.append((pos, pos + 3))
            pos += 4
        offsets.append((0, 0))
        windows.append(Window(ids=list(rng.integers(1000, 2000, n + 2)), offsets=offsets,
                              units=[-1] + [0] * n + [-1]))
        hidden.append(rng.standard_normal((n + 2, 8)).astype(np.float32))
    encoded = Encoded(windows=windows, hidden=hidden)
    spans = [(int(a), int(a + rng.integers(0, 90))) for a in rng.integers(0, pos, 60)]
    spans += [(0, pos), (5, 5), (pos + 10, pos + 20)]
    feats = sentence_features(encoded, spans)
    ids = span_token_ids(encoded, spans)
    for k, (start, end) in enumerate(spans):
        rows = [(h[t], w.ids[t]) for w, h in zip(windows, hidden, strict=True)
                for t, (a, b) in enumerate(w.offsets) if w.units[t] >= 0 and a < end and b > start]
        if not rows:
            assert not feats[k].any() and len(ids[k]) == 0
            continue
        states = np.stack([r[0] for r in rows])
        assert np.allclose(feats[k], np.concatenate([states.mean(0), states.max(0)]), atol=1e-5)
        assert list(ids[k]) == [r[1] for r in rows]


def test_subtree_bounds_are_those_of_token_subtree(nlp) -> None:
    from unspin.attribution.spans import _subtree_bounds

    doc = nlp(long_article(20) + " He said that she said that they said that it rained.")
    lo, hi = _subtree_bounds(doc)
    for t in doc:
        idx = [x.i for x in t.subtree]
        assert (lo[t.i], hi[t.i]) == (min(idx), max(idx))


def test_attribute_claims_equals_one_claim_at_a_time(nlp) -> None:
    from unspin.attribution import attribute_claim, attribute_claims, find_relations
    from unspin.hedges import find_hedges
    from unspin.pipeline import sentence_lookup, sentences_of

    article = parse_text(long_article(25, seed=5) + "\nOfficials reportedly said the port "
                         "would close, sources close to the talks say.\n")
    parts = article_parts(article)
    doc = parse(nlp, article.text, [p.start for p in parts])
    sentences = sentences_of(doc, parts)
    hedges = find_hedges(doc, sentence_lookup(sentences))
    relations = find_relations(doc, sentences, hedges)
    assert relations
    many = attribute_claims(sentences, relations, hedges, article.text)
    one = [attribute_claim(s, relations, hedges, article.text) for s in sentences]
    assert many == one
    assert many == [_scan_attribution(s, relations, hedges, article.text) for s in sentences]
    assert {a.kind for a in many} >= {"attributed", "unattributed"}


def _scan_attribution(sentence, relations, hedges, text):
    """:func:`attribute_claim` as it was: every relation and hedge looked at for each
    sentence (the rules after the choice of relations are shared)."""
    from unspin.attribution.claims import _attribute, _negated
    from unspin.attribution.spans import _inside

    s0, s1 = sentence.start, sentence.end
    usable = [r for r in relations if not _negated(r)]
    taken = [(p.start, p.end) for r in relations for p in (r.source, r.cue, r.content)
             if p is not None and r.kind == "report"]
    here = [h for h in hedges if s0 <= h.start < s1]
    return _attribute(s0, s1, usable, here, lambda offset: _inside(offset, taken), text)
