"""Article-level evidence for Repetition (unspin.techniques.weigh_repetition)."""

from __future__ import annotations

import numpy as np
import pytest

from unspin.encoder import Encoded, Window
from unspin.evaluate.techniques import EncodedArticle, tune_repetition
from unspin.heads import Heads
from unspin.taxonomy import PTC_TECHNIQUES
from unspin.techniques import DecodeConfig, occurrences, weigh_repetition

TEXT = "Make America great again! We will make America GREAT again.\nMake it so; we won."
LABELS = ["Loaded_Language", "Repetition", "Slogans"]


def test_occurrences_ignore_case_and_punctuation_and_match_whole_words():
    slogan = (0, len("Make America great again"))
    assert occurrences(TEXT, [slogan]) == [2]
    assert occurrences(TEXT, [(TEXT.index("we"), TEXT.index("we") + 2)]) == [2]  # not "won"
    make = TEXT.index("make")
    assert occurrences(TEXT, [(make, make + 4)]) == [3]
    assert occurrences(TEXT, [(24, 26)]) == [0]  # "! " has no words
    assert occurrences("stop stop stop it", [(0, 4)]) == [3]  # side by side


def test_weigh_repetition_boosts_recurring_spans_only_and_renormalises():
    spans = [(0, 24), (TEXT.index("won"), TEXT.index("won") + 3)]
    probs = np.array([[0.6, 0.2, 0.2], [0.6, 0.2, 0.2]])
    out = weigh_repetition(TEXT, spans, probs, LABELS, 4.0)
    assert out[0].tolist() == pytest.approx([0.6 / 1.6, 0.8 / 1.6, 0.2 / 1.6])
    assert out[1].tolist() == pytest.approx([0.6, 0.2, 0.2])  # occurs once
    assert probs[0].tolist() == [0.6, 0.2, 0.2]  # input untouched


def test_weigh_repetition_caps_the_count_and_ignores_short_spans():
    text = " ".join(["no"] * 9 + ["they lie"] * 9)
    lie = text.index("they lie")
    probs = np.array([[0.5, 0.25, 0.25], [0.5, 0.25, 0.25]])
    out = weigh_repetition(text, [(0, 2), (lie, lie + 8)], probs, LABELS, 2.0)
    assert out[0].tolist() == pytest.approx([0.5, 0.25, 0.25])  # "no": too short to count
    boosted = 0.25 * 2.0 ** 4  # nine occurrences count as five
    assert out[1].tolist() == pytest.approx(np.array([0.5, boosted, 0.25]) / (0.75 + boosted))


def test_weigh_repetition_is_a_no_op_at_one_or_without_the_label():
    probs = np.array([[0.6, 0.2, 0.2]])
    assert weigh_repetition(TEXT, [(0, 24)], probs, LABELS, 1.0) is probs
    assert weigh_repetition(TEXT, [(0, 24)], probs, ["A", "B", "C"], 3.0) is probs
    assert weigh_repetition(TEXT, [], np.zeros((0, 3)), LABELS, 3.0).shape == (0, 3)


def test_tune_repetition_picks_a_weight_that_fixes_a_repeated_slogan():
    # one window, one "token" per character of the text: a span's features are its mean
    # hidden state, and the PTC head reads only a constant, so every span scores the same
    n = len(TEXT)
    window = Window([101, *[1000] * n, 102], [(0, 0), *[(i, i + 1) for i in range(n)], (0, 0)],
                    [-1, *[0] * n, -1])
    hidden = np.zeros((n + 2, 4), dtype=np.float32)
    hidden[:, 0] = 1.0
    k, rep = PTC_TECHNIQUES.index("Loaded_Language"), PTC_TECHNIQUES.index("Repetition")
    bias = np.full(len(PTC_TECHNIQUES), -9.0, dtype=np.float32)
    bias[k], bias[rep] = 0.0, -1.0
    heads = Heads({"ptc_w": np.zeros((16, len(PTC_TECHNIQUES)), dtype=np.float32),
                   "ptc_b": bias})
    won = TEXT.index("won")
    gold = [(0, 24, "Repetition"), (won, won + 3, "Loaded_Language")]
    item = EncodedArticle("a", TEXT, [1, 2], Encoded([window], [hidden]), gold, {})
    tuned = tune_repetition([([item], heads)], DecodeConfig())
    assert tuned.repetition_base > 1.0
    assert tune_repetition([([item], heads)], DecodeConfig()).si_threshold == 0.5
