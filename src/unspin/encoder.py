"""The shared encoder: text units -> token windows -> one transformer pass (ONNX Runtime).

An article is cut into *units* (title, captions, paragraphs). Units are tokenized once, long
units are split at sentence ends, and consecutive pieces are packed into windows of at most
``MAX_TOKENS`` word pieces. Every head (techniques, paragraphs, and later genre, frames,
check-worthiness) reads the same :class:`Encoded` output, so each text is encoded exactly once.
Training (``unspin.train``) builds its windows with the same functions, so the model sees the
same shapes at training and inference time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

MAX_TOKENS = 128  # including [CLS] and [SEP]
"""The window size, one for training and inference. 128 against 256 in the technique
model's 5-fold cross-validation: SI +1.1, TC +0.5, paragraph micro-F1 +2.5, span F1 +1.3
points (docs/benchmarks.md); shorter windows are also cheaper to encode."""
CLS_ID = 101
SEP_ID = 102
PAD_ID = 0
_SENTENCE_END = {".", "!", "?", "\"", "”", "’", ";"}


@dataclass(frozen=True)
class Unit:
    """A stretch of the article text that windows never mix mid-way: [start, end)."""

    start: int
    end: int


@dataclass
class Window:
    """One encoder input. ``offsets[i]`` is the character span of token i in the article text
    ((0, 0) for special tokens); ``units[i]`` is the unit index of token i (-1 for specials)."""

    ids: list[int]
    offsets: list[tuple[int, int]]
    units: list[int]


@dataclass
class Encoded:
    """Encoder output for one article: per window, the hidden states of its real tokens."""

    windows: list[Window]
    hidden: list[np.ndarray] = field(default_factory=list)  # each [len(window.ids), dim]


def token_words(window: Window, words: Sequence[tuple[int, int]]) -> np.ndarray:
    """Per token of ``window``, the index of the word of ``words`` (sorted, non-overlapping
    character spans) whose characters it overlaps, or -1 (special tokens, empty pieces,
    pieces outside every word)."""
    offsets = np.asarray(window.offsets, dtype=np.int64).reshape(-1, 2)
    out = np.full(len(offsets), -1, dtype=np.int64)
    if not len(words):
        return out
    starts = np.asarray([s for s, _ in words], dtype=np.int64)
    ends = np.asarray([e for _, e in words], dtype=np.int64)
    k = np.searchsorted(starts, offsets[:, 1], side="left") - 1
    kk = np.maximum(k, 0)
    ok = ((k >= 0) & (ends[kk] > offsets[:, 0]) & (offsets[:, 1] > offsets[:, 0])
          & (np.asarray(window.units) >= 0))
    out[ok] = kk[ok]
    return out


def _pieces(ids: list[int], offsets: list[tuple[int, int]], tokens: list[str], limit: int):
    """Split one unit's tokens into pieces of at most ``limit`` tokens, cutting after a
    sentence-final token when one is in the second half of the piece."""
    start = 0
    n = len(ids)
    while start < n:
        end = min(start + limit, n)
        if end < n:
            for cut in range(end, start + limit // 2, -1):
                if tokens[cut - 1] in _SENTENCE_END:
                    end = cut
                    break
        yield start, end
        start = end


def build_windows(tokenizer, text: str, units: Sequence[Unit],
                  max_tokens: int = MAX_TOKENS) -> list[Window]:
    """Tokenize ``units`` of ``text`` and pack them, in order, into windows.

    Input: a ``tokenizers.Tokenizer``, the article text and its units (non-overlapping spans).
    Output: windows whose real tokens cover every unit's tokens exactly once.
    """
    limit = max_tokens - 2
    encodings = tokenizer.encode_batch(
        [text[u.start:u.end] for u in units], add_special_tokens=False
    )
    windows: list[Window] = []
    cur = Window([CLS_ID], [(0, 0)], [-1])
    for ui, (unit, enc) in enumerate(zip(units, encodings, strict=True)):
        offs = [(unit.start + a, unit.start + b) for a, b in enc.offsets]
        for a, b in _pieces(enc.ids, offs, enc.tokens, limit):
            if len(cur.ids) - 1 + (b - a) > limit:
                cur.ids.append(SEP_ID)
                cur.offsets.append((0, 0))
                cur.units.append(-1)
                windows.append(cur)
                cur = Window([CLS_ID], [(0, 0)], [-1])
            cur.ids.extend(enc.ids[a:b])
            cur.offsets.extend(offs[a:b])
            cur.units.extend([ui] * (b - a))
    if len(cur.ids) > 1:
        cur.ids.append(SEP_ID)
        cur.offsets.append((0, 0))
        cur.units.append(-1)
        windows.append(cur)
    return windows


def pad_batch(windows: Sequence[Window]) -> tuple[np.ndarray, np.ndarray]:
    """Input ids and attention mask, int64 [batch, longest window], padded with PAD_ID."""
    width = max(len(w.ids) for w in windows)
    ids = np.full((len(windows), width), PAD_ID, dtype=np.int64)
    mask = np.zeros((len(windows), width), dtype=np.int64)
    for i, w in enumerate(windows):
        ids[i, : len(w.ids)] = w.ids
        mask[i, : len(w.ids)] = 1
    return ids, mask


class Encoder:
    """The int8 ONNX transformer and its tokenizer, loaded from a model directory."""

    def __init__(self, onnx_path: Path, tokenizer_path: Path, threads: int | None = None):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(
            str(onnx_path), options, providers=["CPUExecutionProvider"]
        )
        self.tokenizer = Tokenizer.from_file(str(tokenizer_path))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()

    def encode(self, text: str, units: Sequence[Unit], batch_size: int = 16) -> Encoded:
        """One transformer pass over the windows of ``units``; returns their hidden states."""
        windows = build_windows(self.tokenizer, text, units)
        hidden: list[np.ndarray] = []
        # sort by length so padding stays small, then restore order
        order = sorted(range(len(windows)), key=lambda i: len(windows[i].ids))
        out: dict[int, np.ndarray] = {}
        for b in range(0, len(order), batch_size):
            idx = order[b : b + batch_size]
            ids, mask = pad_batch([windows[i] for i in idx])
            (states,) = self.session.run(["hidden"], {"input_ids": ids, "attention_mask": mask})
            for row, i in enumerate(idx):
                out[i] = states[row, : len(windows[i].ids)]
        hidden = [out[i] for i in range(len(windows))]
        return Encoded(windows=windows, hidden=hidden)
