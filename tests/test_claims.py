"""Check-worthiness: pooling, hashed n-grams, the linear head, claims building, loading."""

from __future__ import annotations

import json

import numpy as np
import pytest

from unspin.claims import (
    ClaimModel,
    LinearHead,
    build_claims,
    document_frequencies,
    ngram_buckets,
    ngram_counts,
    score_sentences,
    sentence_features,
    smooth_idf,
    span_token_ids,
    standalone_features,
    tfidf_rows,
)
from unspin.encoder import CLS_ID, SEP_ID, Encoded, Unit, Window, build_windows
from unspin.errors import ModelError
from unspin.models import has_model, write_manifest_entry
from unspin.report import Entity, Mention, Quantity, Sentence

DIM = 3


def _window(tokens: list[tuple[int, int, int]]) -> Window:
    """A window of (id, start, end) real tokens (unit 0) between [CLS] and [SEP]."""
    return Window([CLS_ID] + [t[0] for t in tokens] + [SEP_ID],
                  [(0, 0)] + [(t[1], t[2]) for t in tokens] + [(0, 0)],
                  [-1] + [0] * len(tokens) + [-1])


def _hidden(n_real: int, base: float) -> np.ndarray:
    """[CLS] row of 100s, real rows base + i, [SEP] row of -100s: specials must never leak."""
    rows = [np.full(DIM, 100.0)]
    rows += [np.array([base + i, -(base + i), 2.0 * (base + i)]) for i in range(n_real)]
    rows.append(np.full(DIM, -100.0))
    return np.stack(rows).astype(np.float32)


@pytest.fixture
def encoded() -> Encoded:
    # text "aa bb cc. dd ee" : tokens at 0-2, 3-5, 6-8, 8-9 ('.') in window 0; 10-12, 13-15 in 1
    w0 = _window([(200, 0, 2), (201, 3, 5), (202, 6, 8), (203, 8, 9)])
    w1 = _window([(204, 10, 12), (205, 13, 15)])
    return Encoded([w0, w1], [_hidden(4, 0.0), _hidden(2, 10.0)])


def test_sentence_features_pool_mean_and_max_of_the_span_tokens(encoded):
    feats = sentence_features(encoded, [(0, 9), (3, 5)])
    assert feats.shape == (2, 2 * DIM)
    # tokens 0..3 of window 0 have values 0, 1, 2, 3
    np.testing.assert_allclose(feats[0], [1.5, -1.5, 3.0, 3.0, 0.0, 6.0])
    np.testing.assert_allclose(feats[1], [1.0, -1.0, 2.0, 1.0, -1.0, 2.0])


def test_sentence_features_pool_across_windows_and_partial_overlap(encoded):
    # [7, 11) overlaps 'cc' (6-8), '.' (8-9) and 'dd' (10-12, other window)
    feats = sentence_features(encoded, [(7, 11)])
    np.testing.assert_allclose(feats[0], [(2 + 3 + 10) / 3, -(2 + 3 + 10) / 3, 2 * 5,
                                          10, -2, 20], rtol=1e-6)


def test_sentence_features_of_a_span_without_tokens_are_zeros(encoded):
    feats = sentence_features(encoded, [(9, 10), (5, 5)])
    assert np.all(feats == 0)
    assert sentence_features(encoded, []).shape == (0, 2 * DIM)


def test_span_token_ids_in_order(encoded):
    ids = span_token_ids(encoded, [(6, 15), (9, 10)])
    assert ids[0].tolist() == [202, 203, 204, 205]
    assert ids[1].tolist() == []


def test_ngram_buckets_are_deterministic_and_in_range():
    ids = np.array([5, 7, 5, 7])
    b = ngram_buckets(ids, 1 << 10)
    assert len(b) == 4 + 3
    assert b.min() >= 0 and b.max() < 1 << 10
    np.testing.assert_array_equal(b, ngram_buckets(ids.copy(), 1 << 10))
    # unigram 5 twice, bigram (5, 7) twice
    assert b[0] == b[2] and b[4] == b[6]
    # fixed values: the hash must never change, or shipped weights silently break
    assert ngram_buckets(np.array([101, 2023]), 1 << 16).tolist() == \
        _reference_buckets([101, 2023], 1 << 16)
    assert len(ngram_buckets(np.zeros(0, dtype=np.int64), 8)) == 0


def _reference_buckets(ids: list[int], n: int) -> list[int]:
    keys = list(ids) + [(1 << 40) + (a << 20) + b for a, b in zip(ids[:-1], ids[1:], strict=True)]
    return [((k * 0x9E3779B97F4A7C15) % (1 << 64) >> 32) % n for k in keys]


def test_tfidf_rows_are_unit_norm_and_weighted():
    id_lists = [np.array([1, 2, 3]), np.array([1, 1, 4]), np.zeros(0, dtype=np.int64)]
    df = document_frequencies(id_lists, 64)
    idf = smooth_idf(df, len(id_lists))
    rows = tfidf_rows(id_lists, idf)
    for idx, val in rows[:2]:
        assert np.isclose(np.sum(val ** 2), 1.0)
        assert np.all(np.diff(idx) > 0)
    assert len(rows[2][0]) == 0
    idx, counts = ngram_counts(np.array([1, 1, 4]), 64)
    assert counts.sum() == 5


def _head(dim: int = 2 * DIM, k: int = 1, buckets: int = 0, seed: int = 0) -> LinearHead:
    rng = np.random.RandomState(seed)
    return LinearHead(rng.randn(dim, k).astype(np.float32), rng.randn(k).astype(np.float32),
                      rng.randn(buckets, k).astype(np.float32),
                      np.ones(buckets, dtype=np.float32))


def test_linear_head_adds_dense_and_sparse_parts():
    head = _head(4, 2, 16)
    dense = np.arange(8, dtype=np.float32).reshape(2, 4)
    ids = [np.array([3, 4]), np.array([9])]
    got = head.logits(dense, ids)
    for i, (idx, val) in enumerate(tfidf_rows(ids, head.idf)):
        expected = dense[i] @ head.w_dense + head.b + val @ head.w_sparse[idx]
        np.testing.assert_allclose(got[i], expected, rtol=1e-5)
    with pytest.raises(ValueError, match="expects"):
        head.logits(np.zeros((1, 5)), [np.array([1])])


def test_linear_head_round_trips_through_arrays():
    head = _head(4, 3, 8)
    back = LinearHead.from_arrays(head.arrays("x"), "x")
    for name in ("w_dense", "b", "w_sparse", "idf"):
        np.testing.assert_array_equal(getattr(back, name), getattr(head, name))
    bad = head.arrays("x")
    bad["x_b"] = np.zeros(2, dtype=np.float32)
    with pytest.raises(ValueError):
        LinearHead.from_arrays(bad, "x")
    with pytest.raises(KeyError):
        LinearHead.from_arrays({}, "x")


def test_score_sentences_are_probabilities_that_follow_the_weights(encoded):
    w = np.zeros((2 * DIM, 1), dtype=np.float32)
    w[0, 0] = 1.0  # mean of the first channel: 1.5 for span (0, 9), 10.5 for (10, 15)
    head = LinearHead(w, np.array([-5.0], np.float32), np.zeros((0, 1), np.float32),
                      np.zeros(0, np.float32))
    p = score_sentences(encoded, [(0, 9), (10, 15)], head)
    np.testing.assert_allclose(p, 1 / (1 + np.exp(-np.array([-3.5, 5.5]))), rtol=1e-5)
    assert score_sentences(encoded, [], head).shape == (0,)


# --- a fake encoder over a real word-level tokenizer ---------------------------------------------


class FakeEncoder:
    """Windows built by unspin.encoder.build_windows; hidden states a fixed function of the
    token id (no context), so pooled features can be checked exactly."""

    def __init__(self, words: list[str], max_tokens: int = 16):
        from tokenizers import Tokenizer, models, normalizers, pre_tokenizers

        vocab = {"[UNK]": 1, **{w: 200 + i for i, w in enumerate(words)}}
        self.tokenizer = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
        self.tokenizer.normalizer = normalizers.Lowercase()
        self.tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
        self.max_tokens = max_tokens
        self.calls = 0

    @staticmethod
    def state(token_id: int) -> np.ndarray:
        return np.array([token_id % 7, token_id % 5, token_id / 100.0], dtype=np.float32)

    def encode(self, text: str, units) -> Encoded:
        self.calls += 1
        windows = build_windows(self.tokenizer, text, units, self.max_tokens)
        return Encoded(windows, [np.stack([self.state(i) for i in w.ids]) for w in windows])


SENTENCES = ["The army fired 23 munitions .", "I love you .", "", "Taxes rose 4 percent ."]


def test_standalone_features_equal_one_by_one_features():
    enc = FakeEncoder(sorted({w.lower() for s in SENTENCES for w in s.split()}), max_tokens=8)
    dense, ids = standalone_features(enc.encode, SENTENCES, chunk=3)
    assert dense.shape == (4, 6) and len(ids) == 4
    assert enc.calls == 2
    for k, text in enumerate(SENTENCES):
        if not text:
            assert np.all(dense[k] == 0) and len(ids[k]) == 0
            continue
        alone = enc.encode(text, [Unit(0, len(text))])
        np.testing.assert_allclose(dense[k], sentence_features(alone, [(0, len(text))])[0])
        assert ids[k].tolist() == span_token_ids(alone, [(0, len(text))])[0].tolist()


# --- building claims -----------------------------------------------------------------------------


TEXT = "Drones down\nRussia downed 92 drones. Nice day. Putin met Trump twice in 2019."


def _sentences() -> list[Sentence]:
    spans = [(0, 11, "title"), (12, 36, "body"), (37, 46, "body"), (47, 77, "body")]
    return [Sentence(start=s, end=e, text=TEXT[s:e], index=i, paragraph=-1 if p == "title" else 0,
                     part=p) for i, (s, e, p) in enumerate(spans)]


def _quantity(start: int, end: int, sentence: int, kind: str = "count") -> Quantity:
    return Quantity(start=start, end=end, text=TEXT[start:end], value=None,
                    number=TEXT[start:end].split()[0], unit=None, kind=kind, sentence=sentence)


def _entity(eid: int, name: str, label: str, spans: list[tuple[int, int, int]]) -> Entity:
    return Entity(id=eid, name=name, label=label,
                  mentions=[Mention(start=s, end=e, text=TEXT[s:e], sentence=k)
                            for s, e, k in spans])


def test_build_claims_links_quantities_and_entities_with_exact_offsets():
    sents = _sentences()
    assert TEXT[26:35] == "92 drones" and TEXT[72:76] == "2019" and TEXT[57:62] == "Trump"
    quantities = [_quantity(26, 35, 1), _quantity(63, 68, 3), _quantity(72, 76, 3, "date")]
    entities = [_entity(0, "Russia", "GPE", [(12, 18, 1)]),
                _entity(1, "Trump", "PERSON", [(57, 62, 3)]),
                _entity(2, "Putin", "PERSON", [(47, 52, 3)])]
    claims = build_claims(sents, [0.9, 0.7, 0.2, 0.5], quantities, entities, threshold=0.5)
    assert [c.sentence for c in claims] == [0, 1, 3]  # the title counts; 0.5 is inclusive
    for c in claims:
        assert TEXT[c.start:c.end] == c.text
    assert claims[0].quantities == [] and claims[0].entities == []
    assert claims[1].quantities == [0] and claims[1].entities == [0]
    assert claims[2].quantities == [1, 2] and claims[2].entities == [1, 2]
    assert claims[1].checkworthiness == 0.7


def test_build_claims_thresholds_and_validation():
    sents = _sentences()
    assert build_claims(sents, [0.1] * 4, [], [], 0.5) == []
    assert len(build_claims(sents, [0.1] * 4, [], [], 0.0)) == 4
    assert build_claims(sents, [float("nan")] * 4, [], [], 0.0) == []
    with pytest.raises(ValueError, match="scores"):
        build_claims(sents, [0.9], [], [], 0.5)
    clipped = build_claims(sents[:1], [1.0000001], [], [], 0.5)
    assert clipped[0].checkworthiness == 1.0


# --- loading -------------------------------------------------------------------------------------


def _ship(tmp_path, config: dict) -> None:
    head = _head(2 * DIM, 1, 8)
    np.savez(tmp_path / "claims.npz", **head.arrays("claims"))
    (tmp_path / "claims_config.json").write_text(json.dumps(config))
    write_manifest_entry(tmp_path, "claims", ["claims.npz", "claims_config.json"], {"seed": 1})


def test_claim_model_loads_with_hash_check(tmp_path, encoded):
    _ship(tmp_path, {"threshold": 0.4})
    model = ClaimModel.load(tmp_path)
    assert model.threshold == 0.4
    p = model.score_sentences(encoded, [(0, 9), (10, 15)])
    assert p.shape == (2,) and np.all((p >= 0) & (p <= 1))
    (tmp_path / "claims.npz").write_bytes(b"tampered")
    from unspin.models import model_file

    model_file.cache_clear()
    with pytest.raises(ModelError, match="hash"):
        ClaimModel.load(tmp_path)


def test_claim_model_refuses_heads_of_another_encoder(tmp_path):
    (tmp_path / "techniques.onnx").write_bytes(b"encoder A")
    write_manifest_entry(tmp_path, "techniques", ["techniques.onnx"], {})
    _ship(tmp_path, {"threshold": 0.4, "encoder_sha256": "0" * 64})
    with pytest.raises(ModelError, match="another encoder"):
        ClaimModel.load(tmp_path)


def test_claim_model_missing_is_a_model_error(tmp_path):
    with pytest.raises(ModelError):
        ClaimModel.load(tmp_path)


# --- the shipped model ---------------------------------------------------------------------------

shipped = pytest.mark.skipif(not has_model("claims") or not has_model("techniques"),
                             reason="check-worthiness model not shipped yet")


@shipped
def test_shipped_model_ranks_factual_sentences_higher():
    from unspin.techniques import load_encoder

    model = ClaimModel.load()
    assert 0.0 < model.threshold < 1.0
    p = model.score_texts(load_encoder().encode, [
        "We're consuming 50 percent of the world's cocaine.",
        "Unemployment fell to 3.5 percent last year, the lowest since 1969.",
        "Let me help the governor.",
        "Thank you all for coming tonight."])
    assert min(p[:2]) > max(p[2:])


@shipped
def test_shipped_model_finds_the_example_claims(nlp, example_text):
    from unspin.article import parse_text
    from unspin.entities import find_entities
    from unspin.pipeline import article_parts, parse, sentence_lookup, sentences_of
    from unspin.quantities import find_quantities
    from unspin.techniques import load_encoder

    article = parse_text(example_text)
    text = article.text
    parts = article_parts(article)
    doc = parse(nlp, text, parts)
    sentences = sentences_of(doc, parts)
    index = sentence_lookup(sentences)
    encoded = load_encoder().encode(text, [Unit(p.start, p.end) for p in parts])
    model = ClaimModel.load()
    scores = model.score_sentences(encoded, [(s.start, s.end) for s in sentences])
    quantities = find_quantities(doc, index)
    claims = build_claims(sentences, scores, quantities, find_entities(doc, index),
                          model.threshold)
    for c in claims:
        assert text[c.start:c.end] == c.text
    wanted = {"invitation": ("invitation to Zelenskiy", None),
              "drone count": ("intercepted 92 Ukrainian", "92"),
              "munitions": ("23 munitions", "23"),
              "phone call": ("phone call between", None)}
    for what, (needle, number) in wanted.items():
        found = [c for c in claims if needle in c.text]
        assert found, f"the {what} sentence is not a claim"
        assert found[0].entities, f"the {what} claim has no entities"
        if number:
            assert any(number in quantities[q].text for q in found[0].quantities), \
                f"the {what} claim lacks its quantity"
