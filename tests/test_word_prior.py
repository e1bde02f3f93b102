"""The word prior: learning it by counting, mapping it onto tokens, and its use in decoding."""

from __future__ import annotations

import numpy as np
import pytest

from unspin.encoder import Encoded, Window
from unspin.evaluate.techniques import EncodedArticle, tune_si
from unspin.heads import Heads
from unspin.techniques import DecodeConfig, decode_spans, inside_probs
from unspin.train.technique_recipe import with_word_priors
from unspin.word_prior import WordPrior

LOADED = "The vile regime lied. "
PLAIN = "The council met on Monday. "


def _article(loaded: int, plain: int) -> tuple[str, list[tuple[int, int]]]:
    """A text of ``loaded`` copies of LOADED ("vile regime lied" gold) and ``plain`` copies
    of PLAIN (no gold)."""
    text, spans = "", []
    for _ in range(loaded):
        start = len(text) + LOADED.index("vile")
        spans.append((start, start + len("vile regime lied")))
        text += LOADED
    return text + PLAIN * plain, spans


def test_words_inside_spans_score_high_and_others_low():
    prior = WordPrior.learn([_article(10, 10)])
    assert prior.scores["vile"] > 1.0
    assert prior.scores["council"] < -0.5
    assert prior.scores["met"] < -0.5


def test_rare_words_are_shrunk_towards_the_base_rate():
    often = WordPrior.learn([_article(20, 20)]).scores["vile"]
    once = WordPrior.learn([_article(1, 20)]).scores["vile"]
    assert 0 < once < often


def test_capitalised_words_say_nothing_about_sides():
    text = "Russia lied. Russia lied again. Ukraine met. Ukraine met again."
    spans = [(0, 11), (13, 30)]
    prior = WordPrior.learn([(text, spans)])
    assert "russia" not in prior.scores and "ukraine" not in prior.scores
    assert prior.scores["lied"] > 0


def test_no_gold_gives_an_empty_prior():
    assert WordPrior.learn([("Plain words only.", [])]).scores == {}
    assert WordPrior.learn([]).scores == {}


def _char_window(text: str) -> Window:
    """One window with one token per non-space character, plus [CLS] and [SEP]."""
    chars = [i for i, c in enumerate(text) if not c.isspace()]
    return Window([101, *[1000] * len(chars), 102],
                  [(0, 0), *[(i, i + 1) for i in chars], (0, 0)],
                  [-1, *[0] * len(chars), -1])


def test_token_scores_follow_the_word_each_token_is_in():
    text = "A vile, vile lie."
    prior = WordPrior({"vile": 2.0, "lie": -1.0})
    window = _char_window(text)
    (scores,) = prior.token_scores(text, Encoded([window], [np.zeros((len(window.ids), 2))]))
    by_char = {a: s for (a, _b), s in zip(window.offsets[1:-1], scores[1:-1], strict=True)}
    assert scores[0] == scores[-1] == 0.0  # special tokens
    assert [by_char[i] for i in range(2, 6)] == [2.0] * 4
    assert by_char[6] == 0.0  # the comma
    assert by_char[13] == -1.0 and by_char[16] == 0.0  # "lie" and the full stop
    assert by_char[0] == 0.0  # "a" has no score
    bare = _char_window("?!")
    (none,) = prior.token_scores("?!", Encoded([bare], [np.zeros((4, 2))]))
    assert none.tolist() == [0.0] * 4


def _heads(word_prior: WordPrior | None = None) -> Heads:
    """Token head: inside-span probability sigmoid(hidden[:, 0]); one SemEval label."""
    token_w = np.zeros((2, 2), dtype=np.float32)
    token_w[0, 0] = 1.0
    return Heads({"token_w": token_w, "token_b": np.zeros(2, np.float32),
                  "span_w": np.zeros((8, 1), np.float32), "span_b": np.zeros(1, np.float32)},
                 word_prior)


def _encoded(text: str, logit: float) -> Encoded:
    window = _char_window(text)
    hidden = np.zeros((len(window.ids), 2), dtype=np.float32)
    hidden[:, 0] = logit
    return Encoded([window], [hidden])


def test_the_prior_moves_the_inside_logit_by_weight_times_score():
    text = "vile words"
    encoded = _encoded(text, 0.0)
    heads = _heads(WordPrior({"vile": 2.0}))
    plain = inside_probs(text, encoded, heads)[0]
    moved = inside_probs(text, encoded, heads, 0.5)[0]
    assert np.allclose(plain[1:-1], 0.5)
    assert np.allclose(moved[1:5], 1 / (1 + np.exp(-1.0)))  # "vile": logit 0 + 0.5 * 2
    assert np.allclose(moved[5:-1], 0.5)  # "words": no score
    assert np.array_equal(inside_probs(text, encoded, _heads(None), 0.5)[0], plain)


def test_a_word_prior_can_turn_a_doubtful_word_into_a_span():
    text = "a vile plan"
    encoded, heads = _encoded(text, -0.2), _heads(WordPrior({"vile": 1.5}))
    config = DecodeConfig(si_threshold=0.5, label_min=1.0)
    assert decode_spans(text, encoded, heads, ["Loaded_Language"], config) == []
    found = decode_spans(text, encoded, heads, ["Loaded_Language"],
                         DecodeConfig(si_threshold=0.5, label_min=1.0, word_weight=0.5))
    assert [(text[p.start:p.end], p.technique) for p in found] == [("vile", "Loaded_Language")]


def test_tune_si_uses_the_prior_only_when_it_helps():
    text = "a vile plan and a calm plan"
    gold = [(text.index("vile"), text.index("vile") + 4, "Loaded_Language")]
    item = EncodedArticle("a", text, [1], _encoded(text, 0.1), gold, {})
    helpful = tune_si([([item], _heads(WordPrior({"vile": 2.0, "calm": -2.0})))],
                      DecodeConfig())
    assert helpful.word_weight > 0
    useless = tune_si([([item], _heads(WordPrior({"calm": 2.0, "vile": -2.0})))],
                      DecodeConfig())
    assert useless.word_weight == 0.0


def test_save_and_load_round_trip(tmp_path):
    prior = WordPrior.learn([_article(5, 5)])
    prior.save(tmp_path / "words.json", about={"data": "test"})
    assert WordPrior.load(tmp_path / "words.json").scores == prior.scores


@pytest.fixture()
def held():
    """Three folds, each with one article whose gold marks a different word."""
    folds = []
    for word in ("vile", "wicked", "sham"):
        text = f"The {word} plan. " * 5 + "The council met. " * 5
        spans = [(i, i + len(word)) for i in range(len(text)) if text.startswith(word, i)]
        item = EncodedArticle(word, text, [1], Encoded([], []),
                              [(s, e, "Loaded_Language") for s, e in spans], {})
        folds.append(([item], [item], _heads()))
    return folds


def test_each_fold_gets_a_prior_learned_without_its_own_gold(held):
    priors = [h.word_prior.scores for _, _, h in with_word_priors(held)]
    assert "vile" not in priors[0] or priors[0]["vile"] <= 0
    assert priors[0]["wicked"] > 0 and priors[0]["sham"] > 0
    nested = [h.word_prior.scores for _, _, h in with_word_priors(held, leave_out=2)]
    assert nested[0]["wicked"] > 0 and nested[0].get("sham", 0.0) <= 0
    assert held[0][2].word_prior is None  # the input is left as it was


def test_heads_pickled_before_the_prior_existed_have_none(tmp_path):
    import pickle

    heads = _heads()
    del heads.__dict__["word_prior"]  # what a fold saved by an earlier version holds
    restored = pickle.loads(pickle.dumps(heads))
    assert restored.word_prior is None
    assert restored.with_word_prior(WordPrior({"vile": 1.0})).word_prior.scores == {"vile": 1.0}


def test_scores_apply_only_where_the_word_is_written_as_a_common_word():
    text = "Black clouds. The Black Sea is black."
    prior = WordPrior({"black": 1.0})
    window = _char_window(text)
    (scores,) = prior.token_scores(text, Encoded([window], [np.zeros((len(window.ids), 2))]))
    by_char = {a: s for (a, _b), s in zip(window.offsets[1:-1], scores[1:-1], strict=True)}
    assert by_char[0] == 1.0  # opens the text
    assert by_char[text.index("Black Sea")] == 0.0  # a name
    assert by_char[text.rindex("black")] == 1.0
