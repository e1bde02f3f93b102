"""Phrase cues (unspin.phrase_cues): the span head's reading of the phrases around a word, on
hand-made encoder outputs whose values can be worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from unspin.encoder import Encoded, Window
from unspin.loaded import words_of
from unspin.phrase_cues import (
    CLIP,
    CueHead,
    joinable,
    log_odds,
    phrase_cues,
    word_pieces,
)

DIM = 2
LABELS = ["Loaded_Language", "Name_Calling-Labeling", "Repetition"]


def _encoded(text: str, windows_of_words: list[list[tuple[int, int]]],
             values: dict[str, float]) -> Encoded:
    """One piece per word span; a piece's hidden state is (values[word], 0) ([CLS], [SEP]:
    zeros)."""
    windows, hidden = [], []
    for pieces in windows_of_words:
        offsets = [(0, 0), *pieces, (0, 0)]
        h = np.zeros((len(offsets), DIM), np.float32)
        for i, (a, b) in enumerate(pieces):
            h[i + 1, 0] = values.get(text[a:b], 0.0)
        windows.append(Window([101] + [1000] * len(pieces) + [102], offsets,
                              [-1] + [0] * len(pieces) + [-1]))
        hidden.append(h)
    return Encoded(windows, hidden)


def _head() -> CueHead:
    """Span head: Loaded_Language logit = the mean of dimension 0 over the span, the other
    labels 0; token head: inside logit = dimension 0."""
    w = np.zeros((4 * DIM, len(LABELS)), np.float32)
    w[0, 0] = 1.0  # mean, dimension 0 -> Loaded_Language
    token_w = np.zeros((DIM, 1 + len(LABELS)), np.float32)
    token_w[0, 0] = 1.0
    return CueHead.from_technique_heads(
        {"span_w": w, "span_b": np.zeros(len(LABELS), np.float32), "token_w": token_w,
         "token_b": np.zeros(1 + len(LABELS), np.float32)}, LABELS)


def _mass(mean: float) -> float:
    """P(Loaded_Language) + P(Name_Calling) under :func:`_head` for a span of this mean."""
    z = np.array([mean, 0.0, 0.0])
    p = np.exp(z) / np.exp(z).sum()
    return float(p[0] + p[1])


def _sig(x: float) -> float:
    return 1.0 / (1.0 + np.exp(-x))


def test_cues_by_hand():
    text = "a reckless scheme"
    words = words_of(text)
    enc = _encoded(text, [words], {"reckless": 4.0, "scheme": 2.0})
    cues = phrase_cues(text, enc, [words], _head())
    assert cues.shape == (3, 3) and cues.dtype == np.float32
    # 0: the word alone
    np.testing.assert_allclose(cues[:, 0], log_odds(np.array([_mass(0), _mass(4), _mass(2)])),
                               rtol=1e-5)
    # 1: best phrase of 2-3 words holding it: "reckless scheme" (mean 3) beats "a reckless"
    # (2) and "a reckless scheme" (2)
    np.testing.assert_allclose(cues[:, 1], log_odds(np.array([_mass(2), _mass(3), _mass(3)])),
                               rtol=1e-5)
    # 2: best of mass * mean inside probability, over the word and its phrases
    alone = [_mass(v) * _sig(v) for v in (0.0, 4.0, 2.0)]
    pair = _mass(3) * (_sig(4) + _sig(2)) / 2
    expected = [max(alone[0], _mass(2) * (_sig(0) + _sig(4)) / 2,
                    _mass(2) * (_sig(0) + _sig(4) + _sig(2)) / 3),
                max(alone[1], pair), max(alone[2], pair)]
    np.testing.assert_allclose(cues[:, 2], log_odds(np.array(expected)), rtol=1e-5)


def test_phrases_stop_at_punctuation_and_sentences():
    text = "calm, reckless. Scheme"
    words = words_of(text)
    enc = _encoded(text, [words], {"reckless": 5.0, "Scheme": 5.0})
    sentences = [words[:2], words[2:]]
    cues = phrase_cues(text, enc, sentences, _head())
    # "calm" has no phrase (a comma after it; "reckless" ends its sentence): column 1 is
    # the word alone, untouched by its loud neighbours
    assert cues[0, 1] == cues[0, 0] == pytest.approx(float(log_odds(np.array([_mass(0)]))[0]))
    assert cues[2, 1] == cues[2, 0]
    assert joinable(text, words) == [False, False]
    assert joinable("job - killing", words_of("job - killing")) == [True]


def test_a_phrase_across_two_windows_is_read_where_its_first_word_lives():
    text = "so reckless scheme"
    words = words_of(text)
    # "scheme" is only in the second window; "so" and "reckless" only in the first
    enc = _encoded(text, [words[:2], words[2:]], {"reckless": 4.0, "scheme": 4.0})
    pieces = word_pieces(enc, words)
    assert pieces == [{0: (1, 1)}, {0: (2, 2)}, {1: (1, 1)}]
    cues = phrase_cues(text, enc, [words], _head())
    # "reckless scheme" has no window holding both: "scheme" gets only itself
    assert cues[2, 1] == cues[2, 0]


def test_no_windows_no_words():
    text = "nothing here"
    words = words_of(text)
    assert phrase_cues(text, Encoded([], []), [words], _head()).tolist() == [[0.0] * 3] * 2
    assert phrase_cues(text, Encoded([], []), [[]], _head()).shape == (0, 3)


def test_log_odds_are_clipped():
    z = log_odds(np.array([0.0, 0.5, 1.0]))
    assert z.tolist() == [-CLIP, 0.0, CLIP]


def test_head_needs_the_loaded_labels():
    with pytest.raises(ValueError, match="no label"):
        CueHead.from_technique_heads({}, ["Repetition"])
