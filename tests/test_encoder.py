"""Windows, span decoding and heads of the shared encoder, with the shipped tokenizer and
hand-made hidden states (no model run needed)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from unspin.encoder import MAX_TOKENS, Encoded, Unit, build_windows
from unspin.heads import Heads
from unspin.models import MODELS_DIR, has_model
from unspin.techniques import (
    DecodeConfig,
    _widen_to_words,
    decode_spans,
    token_runs,
    unit_probabilities,
)

pytestmark = pytest.mark.skipif(not has_model("techniques"), reason="model not shipped")


@pytest.fixture(scope="module")
def tokenizer():
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(MODELS_DIR / "tokenizer.json"))
    tok.no_padding()
    tok.no_truncation()
    return tok


def _units(text: str) -> list[Unit]:
    out, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append(Unit(pos, pos + len(line)))
        pos += len(line) + 1
    return out


def test_windows_cover_every_unit_token_once(tokenizer, example_text):
    text = example_text + "\n\n" + " ".join(["A very long paragraph sentence."] * 200)
    units = _units(text)
    windows = build_windows(tokenizer, text, units)
    seen = []
    for w in windows:
        assert len(w.ids) <= MAX_TOKENS
        assert w.ids[0] == 101 and w.ids[-1] == 102
        assert len(w.ids) == len(w.offsets) == len(w.units)
        for (a, b), u in zip(w.offsets, w.units, strict=True):
            if u >= 0:
                assert units[u].start <= a < b <= units[u].end
                seen.append((a, b))
    expected = sum(len(tokenizer.encode(text[u.start:u.end], add_special_tokens=False).ids)
                   for u in units)
    assert len(seen) == expected == len(set(seen))
    assert seen == sorted(seen)


def test_token_runs_bridge_single_gaps_within_a_unit():
    probs = np.array([0.0, 0.9, 0.2, 0.8, 0.1, 0.1, 0.7, 0.9, 0.0])
    units = [-1, 0, 0, 0, 0, 0, 1, 1, -1]
    assert token_runs(probs, units, 0.5) == [(1, 4), (6, 8)]


def test_token_runs_hysteresis_and_wider_gaps():
    probs = np.array([0.0, 0.3, 0.6, 0.3, 0.1, 0.1, 0.35, 0.0, 0.3, 0.3, 0.0])
    units = [-1, 0, 0, 0, 0, 0, 0, -1, 1, 1, -1]
    # a run needs one token at 0.5 and grows over tokens at 0.25
    assert token_runs(probs, units, 0.5, low=0.25) == [(1, 4)]
    # bridging two cold tokens reaches the warm token at 6; unit 1 has no token at 0.5
    assert token_runs(probs, units, 0.5, low=0.25, gap=2) == [(1, 7)]
    # runs never cross a unit boundary, however wide the gap
    assert token_runs(probs, units, 0.25, low=0.25, gap=8) == [(1, 7), (8, 10)]


def test_widen_to_words():
    text = "relentless aerial assaults"
    assert _widen_to_words(text, 3, 14) == (0, 17)
    start, end = _widen_to_words(text, 10, 11)  # only a space: nothing left
    assert start == end


def _fake_heads(dim: int, labels: int, hot_dim: int = 0) -> Heads:
    token_w = np.zeros((dim, 1 + labels), dtype=np.float32)
    token_w[hot_dim, 0] = 10.0
    return Heads({
        "token_w": token_w, "token_b": np.full(1 + labels, -5.0, dtype=np.float32),
        "span_w": np.zeros((4 * dim, labels), dtype=np.float32),
        "span_b": np.arange(labels, dtype=np.float32),
        "ptc_w": np.zeros((4 * dim, 3), dtype=np.float32), "ptc_b": np.zeros(3, np.float32),
        "unit_w": np.zeros((2 * dim, labels), dtype=np.float32),
        "unit_b": np.linspace(-2, 2, labels).astype(np.float32),
    })


def test_decoded_spans_are_exact_and_whole_words(tokenizer):
    text = "Title words here\n\nThe brutal regime fired missiles at the sleepy town."
    units = _units(text)
    windows = build_windows(tokenizer, text, units)
    rng = random.Random(0)
    hidden = []
    for w in windows:
        h = np.zeros((len(w.ids), 8), dtype=np.float32)
        for t, (a, _b) in enumerate(w.offsets):
            # mark tokens of "brutal regime" as inside a span
            if w.units[t] >= 0 and text.find("brutal") <= a < text.find(" fired"):
                h[t, 0] = 1.0
            h[t, 1:] = rng.random()
        hidden.append(h)
    heads = _fake_heads(8, 4)
    spans = decode_spans(text, Encoded(windows, hidden), heads, ["a", "b", "c", "d"],
                         DecodeConfig(si_threshold=0.5, label_min=0.99))
    assert [(text[s.start:s.end], s.technique) for s in spans] == [("brutal regime", "d")]
    probs = unit_probabilities(Encoded(windows, hidden), heads, len(units), 4)
    assert probs.shape == (2, 4) and np.all(np.diff(probs[0]) > 0)
