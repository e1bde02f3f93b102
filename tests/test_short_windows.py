"""The short-window pass: the same word pieces in shorter windows, averaged into span
identification with a weight tuned by cross-validation."""

from __future__ import annotations

import numpy as np
import pytest

from unspin.encoder import MAX_TOKENS, SHORT_TOKENS, Encoded, Unit, Window, build_windows
from unspin.errors import ModelError
from unspin.evaluate.techniques import SEMEVAL_LABELS, EncodedArticle, tune_si, tune_units
from unspin.heads import Heads
from unspin.models import MODELS_DIR, has_model
from unspin.techniques import (
    DecodeConfig,
    check_window,
    decode_spans,
    inside_probs,
    unit_probabilities,
)

LOADED = SEMEVAL_LABELS.index("Loaded_Language")


def _heads() -> Heads:
    """Token head: inside-span probability sigmoid(hidden[:, 0]); one span label; unit head:
    Loaded_Language with probability sigmoid(mean of hidden[:, 0] over the unit's tokens),
    the other 22 techniques sigmoid(0)."""
    token_w = np.zeros((2, 2), dtype=np.float32)
    token_w[0, 0] = 1.0
    unit_w = np.zeros((4, len(SEMEVAL_LABELS)), dtype=np.float32)
    unit_w[0, LOADED] = 1.0
    return Heads({"token_w": token_w, "token_b": np.zeros(2, np.float32),
                  "span_w": np.zeros((8, 1), np.float32), "span_b": np.zeros(1, np.float32),
                  "unit_w": unit_w, "unit_b": np.zeros(len(SEMEVAL_LABELS), np.float32)})


def _pass(text: str, logits: dict[int, float], cuts: list[int]) -> Encoded:
    """One token per non-space character of ``text``, in windows that end before each
    character index in ``cuts``; token logits from ``logits`` (character -> logit, else
    -4: plainly outside)."""
    chars = [i for i, c in enumerate(text) if not c.isspace()]
    groups, current = [], []
    for i in chars:
        if current and i in cuts:
            groups.append(current)
            current = []
        current.append(i)
    groups.append(current)
    windows, hidden = [], []
    for group in groups:
        windows.append(Window([101, *[1000] * len(group), 102],
                              [(0, 0), *[(i, i + 1) for i in group], (0, 0)],
                              [-1, *[0] * len(group), -1]))
        h = np.zeros((len(group) + 2, 2), dtype=np.float32)
        h[1:-1, 0] = [logits.get(i, -4.0) for i in group]
        hidden.append(h)
    return Encoded(windows, hidden)


TEXT = "a vile plan and a calm reply"


def _two_passes(long_logit: float, short_logit: float) -> Encoded:
    vile = range(TEXT.index("vile"), TEXT.index("vile") + 4)
    encoded = _pass(TEXT, {i: long_logit for i in vile}, [])
    encoded.short = _pass(TEXT, {i: short_logit for i in vile}, [TEXT.index("and")])
    return encoded


def _sigmoid(x: float) -> float:
    return float(1 / (1 + np.exp(-x)))


def test_each_token_averages_its_probability_over_the_two_passes():
    encoded = _two_passes(-2.0, 2.0)
    (alone,) = inside_probs(TEXT, encoded, _heads())
    (mixed,) = inside_probs(TEXT, encoded, _heads(), short_weight=0.25)
    v = TEXT.index("vile") + 1  # token index: [CLS] comes first
    assert np.isclose(alone[v], _sigmoid(-2.0))
    assert np.isclose(mixed[v], 0.75 * _sigmoid(-2.0) + 0.25 * _sigmoid(2.0))
    # tokens with the same probability in both passes keep it, the specials keep their own
    assert np.allclose(mixed[-4:], alone[-4:])
    assert mixed[0] == alone[0] and mixed[-1] == alone[-1]


def test_the_short_pass_can_make_a_span_the_long_one_misses():
    encoded = _two_passes(-0.5, 3.0)
    labels = ["Loaded_Language"]
    plain = DecodeConfig(si_threshold=0.5, label_min=0.0, unit_thresholds=[0.5])
    assert decode_spans(TEXT, encoded, _heads(), labels, plain) == []
    mixed = DecodeConfig(si_threshold=0.5, label_min=0.0, unit_thresholds=[0.5],
                         short_weight=0.5)
    (span,) = decode_spans(TEXT, encoded, _heads(), labels, mixed)
    assert TEXT[span.start:span.end] == "vile"


def test_a_short_weight_without_the_short_pass_is_an_error():
    encoded = _two_passes(0.0, 0.0)
    encoded.short = None
    with pytest.raises(ValueError, match="short-window pass"):
        inside_probs(TEXT, encoded, _heads(), short_weight=0.5)


def _article(encoded: Encoded) -> EncodedArticle:
    start = TEXT.index("vile")
    return EncodedArticle("1", TEXT, [1], encoded, [(start, start + 4, "Loaded_Language")],
                          {1: ["Loaded_Language"]})


def test_tuning_picks_the_short_pass_where_it_finds_the_gold():
    groups = [([_article(_two_passes(-3.0, 6.0))], _heads())]
    assert tune_si(groups, DecodeConfig()).short_weight > 0


def test_tuning_leaves_the_short_pass_out_where_articles_lack_it():
    encoded = _two_passes(-3.0, 6.0)
    encoded.short = None
    assert tune_si([([_article(encoded)], _heads())], DecodeConfig()).short_weight == 0.0


def test_paragraph_probabilities_average_the_two_passes():
    encoded = _two_passes(-2.0, 4.0)
    n = len(SEMEVAL_LABELS)
    long = unit_probabilities(encoded, _heads(), 1, n)
    short = unit_probabilities(encoded.short, _heads(), 1, n)
    assert short[0, LOADED] > long[0, LOADED]  # the short window holding "vile" is shorter
    mixed = unit_probabilities(encoded, _heads(), 1, n, short_weight=0.5)
    assert np.allclose(mixed, 0.5 * long + 0.5 * short)
    encoded.short = None
    with pytest.raises(ValueError, match="short-window pass"):
        unit_probabilities(encoded, _heads(), 1, n, short_weight=0.5)


def test_paragraph_tuning_picks_the_short_pass_where_it_finds_the_gold():
    # the other article's paragraph has no technique: only a share that lifts the first
    # paragraph's Loaded_Language above the second's lets one threshold separate them
    found = _article(_two_passes(-1.0, 8.0))
    plain = EncodedArticle("2", TEXT, [1], _two_passes(-0.5, -0.5), [], {1: []})
    tuned = tune_units([([found, plain], _heads())], DecodeConfig())
    assert tuned.unit_short_weight > 0
    encoded = _two_passes(-1.0, 8.0)
    encoded.short = None
    alone = EncodedArticle("1", TEXT, [1], encoded, [], {1: ["Loaded_Language"]})
    assert tune_units([([alone, plain], _heads())], DecodeConfig()).unit_short_weight == 0.0


def test_thresholds_that_need_a_short_pass_need_its_size():
    check_window({"window_tokens": MAX_TOKENS, "decode": {"short_weight": 0.0}})
    check_window({"window_tokens": MAX_TOKENS, "short_window_tokens": SHORT_TOKENS,
                  "decode": {"short_weight": 0.5}})
    for share in ("short_weight", "unit_short_weight"):
        with pytest.raises(ModelError, match="short-window"):
            check_window({"window_tokens": MAX_TOKENS, "decode": {share: 0.5}})


@pytest.mark.skipif(not has_model("techniques"), reason="model not shipped")
def test_short_windows_hold_the_same_word_pieces(example_text):
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(MODELS_DIR / "tokenizer.json"))
    tok.no_padding()
    tok.no_truncation()
    units, pos = [], 0
    for line in example_text.split("\n"):
        if line.strip():
            units.append(Unit(pos, pos + len(line)))
        pos += len(line) + 1

    def pieces(windows: list[Window]) -> list[tuple[int, tuple[int, int], int]]:
        return [(i, o, u) for w in windows for i, o, u in zip(w.ids, w.offsets, w.units,
                                                             strict=True) if u >= 0]

    long = build_windows(tok, example_text, units)
    short = build_windows(tok, example_text, units, SHORT_TOKENS)
    assert len(short) > len(long)
    assert all(len(w.ids) <= SHORT_TOKENS for w in short)
    assert pieces(short) == pieces(long)
