"""Check-worthy claims: sentences scored on the shared encoder output.

Input: an article's :class:`~unspin.encoder.Encoded` output (one transformer pass over its
title, captions and paragraphs) and the character spans of its sentences. Output: one
check-worthiness probability per sentence, and :class:`~unspin.report.Claim` objects for the
sentences above the threshold, each with the quantities and entities inside it.

Features of a sentence ``[start, end)`` (all read from ``Encoded``, nothing is re-tokenized):

- the mean and the max of the hidden states of its word pieces (a word piece belongs to the
  sentence when its character span overlaps it; a sentence whose unit was split over two
  windows pools its pieces from both): ``2 * dim`` values, see :func:`sentence_features`;
- hashed unigrams and bigrams of its word-piece ids, TF-IDF weighted and L2-normalised
  (:func:`tfidf_rows`); the IDF vector ships with the weights.

The head is a logistic regression trained on CheckThat! 2024 (``unspin train heads``); its
Platt calibration and the standardisation of the dense features are folded into the weights,
so scoring is ``sigmoid(dense @ w_dense + sparse . w_sparse + b)`` in numpy. The default
"check-worthy" threshold is the one stored with the model (see ``docs/benchmarks.md`` for how
it was chosen).

The n-gram and linear-head helpers here are shared with :mod:`unspin.framing`.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from unspin.encoder import Encoded, Window
from unspin.heads import one_blas_thread, sigmoid
from unspin.report import Claim, Entity, Quantity, Sentence

SpanLike = tuple[int, int]

# --- pooling -----------------------------------------------------------------------------------


def _window_arrays(window: Window) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Start offsets, end offsets and the real-token mask of one window."""
    offsets = np.asarray(window.offsets, dtype=np.int64).reshape(-1, 2)
    real = np.asarray(window.units, dtype=np.int64) >= 0
    return offsets[:, 0], offsets[:, 1], real


def _span_masks(encoded: Encoded, spans: Sequence[SpanLike]
                ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Per window, ``(rows, mask)``: the indices (ascending) of the spans that may overlap
    the window's real tokens, and a boolean [len(rows), T] matrix: token t of the window
    lies in span ``rows[r]``. Spans that overlap none of the window's tokens have all-False
    rows or are left out, so memory and time grow with the spans near each window, not
    with all spans times all windows."""
    starts = np.asarray([s for s, _ in spans], dtype=np.int64)
    ends = np.asarray([e for _, e in spans], dtype=np.int64)
    order = np.argsort(starts, kind="stable")
    sorted_starts, sorted_ends = starts[order], ends[order]
    ends_sorted = bool(np.all(np.diff(sorted_ends) >= 0))  # true for sentences
    for window in encoded.windows:
        a, b, real = _window_arrays(window)
        if not real.any():
            rows = np.zeros(0, dtype=np.int64)
        else:
            lo, hi = int(a[real].min()), int(b[real].max())
            # spans with start < hi and end > lo can overlap a real token
            top = int(np.searchsorted(sorted_starts, hi, side="left"))
            if ends_sorted:
                bottom = int(np.searchsorted(sorted_ends[:top], lo, side="right"))
                rows = np.sort(order[bottom:top])
            else:
                rows = np.sort(order[:top][sorted_ends[:top] > lo])
        mask = real[None, :] & (a[None, :] < ends[rows, None]) & (b[None, :] > starts[rows, None])
        yield rows, mask


def _dim(encoded: Encoded) -> int:
    if not encoded.hidden:
        raise ValueError("the encoder output has no windows; nothing to pool")
    return int(encoded.hidden[0].shape[1])


def sentence_features(encoded: Encoded, spans: Sequence[SpanLike]) -> np.ndarray:
    """Mean and max of the hidden states of each span's word pieces: [n, 2 * dim] float32.

    ``spans`` are ``(start, end)`` character offsets into the text that was encoded. A word
    piece belongs to a span when its characters overlap it. A span that no word piece overlaps
    (empty, or whitespace only) gets zeros."""
    n = len(spans)
    if n == 0:
        return np.zeros((0, 2 * _dim(encoded) if encoded.hidden else 0), dtype=np.float32)
    dim = _dim(encoded)
    total = np.zeros((n, dim), dtype=np.float64)
    count = np.zeros(n, dtype=np.int64)
    peak = np.full((n, dim), -np.inf, dtype=np.float32)
    for (rows, mask), hidden in zip(_span_masks(encoded, spans), encoded.hidden, strict=True):
        hit = mask.any(axis=1)
        if not hit.any():
            continue
        h = np.asarray(hidden, dtype=np.float32)
        total[rows[hit]] += mask[hit].astype(np.float32) @ h
        count[rows] += mask.sum(axis=1)
        for r in np.flatnonzero(hit):
            i = rows[r]
            np.maximum(peak[i], h[mask[r]].max(axis=0), out=peak[i])
    mean = total / np.maximum(count, 1)[:, None]
    peak[count == 0] = 0.0
    return np.concatenate([mean.astype(np.float32), peak], axis=1)


def span_token_ids(encoded: Encoded, spans: Sequence[SpanLike]) -> list[np.ndarray]:
    """The word-piece ids of each span, in window and token order (int64 arrays)."""
    if not spans:
        return []
    parts: list[list[np.ndarray]] = [[] for _ in spans]
    for (rows, mask), window in zip(_span_masks(encoded, spans), encoded.windows, strict=True):
        ids = np.asarray(window.ids, dtype=np.int64)
        for r in np.flatnonzero(mask.any(axis=1)):
            parts[rows[r]].append(ids[mask[r]])
    return [np.concatenate(p) if p else np.zeros(0, dtype=np.int64) for p in parts]


# --- hashed n-grams ------------------------------------------------------------------------------

_MIX = np.uint64(0x9E3779B97F4A7C15)
_BIGRAM = np.uint64(1 << 40)


def ngram_buckets(ids: np.ndarray, n_buckets: int) -> np.ndarray:
    """Bucket of every unigram and bigram of a word-piece id sequence (int64, unsorted).

    Unigram ``a`` has key ``a``; bigram ``(a, b)`` has key ``2**40 + a * 2**20 + b`` (ids are
    below 2**20); a key is multiplied by a fixed odd constant modulo 2**64 and its top bits
    taken modulo ``n_buckets``. Deterministic across runs and platforms."""
    ids = np.asarray(ids, dtype=np.uint64)
    keys = ids
    if len(ids) > 1:
        keys = np.concatenate([ids, _BIGRAM + (ids[:-1] << np.uint64(20)) + ids[1:]])
    with np.errstate(over="ignore"):
        mixed = keys * _MIX
    return ((mixed >> np.uint64(32)) % np.uint64(n_buckets)).astype(np.int64)


def ngram_counts(ids: np.ndarray, n_buckets: int) -> tuple[np.ndarray, np.ndarray]:
    """(sorted distinct buckets, their counts) of the n-grams of ``ids``."""
    return np.unique(ngram_buckets(ids, n_buckets), return_counts=True)


def tfidf_rows(id_lists: Sequence[np.ndarray], idf: np.ndarray
               ) -> list[tuple[np.ndarray, np.ndarray]]:
    """Sparse TF-IDF rows (bucket indices, float32 values): ``(1 + log tf) * idf``, then L2
    normalised. ``len(idf)`` is the number of buckets."""
    rows = []
    for ids in id_lists:
        idx, counts = ngram_counts(ids, len(idf))
        val = (1.0 + np.log(counts)) * idf[idx]
        norm = float(np.sqrt(np.sum(val * val)))
        rows.append((idx, (val / norm if norm > 0 else val).astype(np.float32)))
    return rows


def document_frequencies(id_lists: Sequence[np.ndarray], n_buckets: int) -> np.ndarray:
    """In how many of the sequences each bucket occurs: [n_buckets] int64."""
    df = np.zeros(n_buckets, dtype=np.int64)
    for ids in id_lists:
        df[ngram_counts(ids, n_buckets)[0]] += 1
    return df


def smooth_idf(df: np.ndarray, n_docs: int) -> np.ndarray:
    """``log((1 + n) / (1 + df)) + 1`` as float32 (scikit-learn's smooth IDF)."""
    return (np.log((1.0 + n_docs) / (1.0 + df)) + 1.0).astype(np.float32)


# --- the linear head --------------------------------------------------------------------------


@dataclass
class LinearHead:
    """``logits = dense @ w_dense + Σ sparse values * w_sparse[buckets] + b`` for ``K`` outputs.

    ``w_dense`` [D, K], ``b`` [K]; ``w_sparse`` [B, K] and ``idf`` [B] are empty when the head
    uses no n-grams. Stored in an npz under ``<prefix>_w_dense`` and so on."""

    w_dense: np.ndarray
    b: np.ndarray
    w_sparse: np.ndarray
    idf: np.ndarray

    @property
    def uses_ngrams(self) -> bool:
        return self.idf.size > 0

    def logits(self, dense: np.ndarray, id_lists: Sequence[np.ndarray]) -> np.ndarray:
        """[n, K] logits from dense features [n, D] and the word-piece ids of each example."""
        dense = np.asarray(dense, dtype=np.float32)
        if dense.ndim != 2 or dense.shape[1] != self.w_dense.shape[0]:
            raise ValueError(f"dense features of shape {dense.shape}; this head expects "
                             f"[n, {self.w_dense.shape[0]}] (was it trained on another encoder?)")
        with one_blas_thread():
            out = dense @ self.w_dense + self.b
            if self.uses_ngrams:
                for i, (idx, val) in enumerate(tfidf_rows(id_lists, self.idf)):
                    out[i] += val @ self.w_sparse[idx]
        return out

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {f"{prefix}_w_dense": self.w_dense.astype(np.float32),
                f"{prefix}_b": self.b.astype(np.float32),
                f"{prefix}_w_sparse": self.w_sparse.astype(np.float32),
                f"{prefix}_idf": self.idf.astype(np.float32)}

    @classmethod
    def from_arrays(cls, arrays, prefix: str) -> LinearHead:
        def get(name: str) -> np.ndarray:
            key = f"{prefix}_{name}"
            if key not in arrays:
                raise KeyError(f"weights file has no array {key!r}")
            return np.asarray(arrays[key], dtype=np.float32)

        head = cls(get("w_dense"), get("b"), get("w_sparse"), get("idf"))
        k = head.b.shape[0]
        if head.w_dense.ndim != 2 or head.w_dense.shape[1] != k:
            raise ValueError(f"{prefix}: w_dense {head.w_dense.shape} does not match b ({k},)")
        if head.uses_ngrams and head.w_sparse.shape != (head.idf.shape[0], k):
            raise ValueError(f"{prefix}: w_sparse {head.w_sparse.shape} does not match "
                             f"idf {head.idf.shape} and b ({k},)")
        return head


def check_encoder(config: dict, what: str, model_dir: Path | None = None) -> None:
    """Raise ModelError unless ``config['encoder_sha256']`` is the hash of the encoder shipped
    in ``model_dir`` (when one is): heads trained on one encoder's hidden states mean nothing
    on another's."""
    from unspin.errors import ModelError
    from unspin.models import MODELS_DIR, read_manifest

    expected = config.get("encoder_sha256")
    entry = read_manifest(model_dir or MODELS_DIR).get("models", {}).get("techniques", {})
    actual = entry.get("files", {}).get("techniques.onnx")
    if expected and actual and expected != actual:
        raise ModelError(f"the {what} heads were trained on another encoder "
                         f"({expected[:12]}..., shipped {actual[:12]}...); retrain them with "
                         "`unspin train heads`")


def load_linear_heads(name: str, what: str, prefixes: Sequence[str],
                      model_dir: Path | None = None) -> tuple[dict, dict[str, LinearHead]]:
    """The config (``<name>_config.json``) and the heads (``<name>.npz``, one per prefix) of a
    shipped head model, after checking the files' hashes and that the heads were trained on
    the encoder shipped beside them (``what`` names the model in that error)."""
    from unspin.models import MODELS_DIR, model_file

    model_dir = model_dir or MODELS_DIR
    config = json.loads(model_file(name, f"{name}_config.json", model_dir).read_text("utf-8"))
    check_encoder(config, what, model_dir)
    with np.load(model_file(name, f"{name}.npz", model_dir)) as arrays:
        heads = {prefix: LinearHead.from_arrays(arrays, prefix) for prefix in prefixes}
    return config, heads


# --- the claim model --------------------------------------------------------------------------


@dataclass
class ClaimModel:
    """The check-worthiness head (one logit) and its "check-worthy" threshold."""

    head: LinearHead
    threshold: float
    config: dict

    @classmethod
    def load(cls, model_dir: Path | None = None) -> ClaimModel:
        """Load ``claims.npz`` and ``claims_config.json`` from ``model_dir`` (default: the
        package's ``unspin/models``) after checking their hashes; ModelError if absent,
        corrupted or trained on another encoder than the one shipped beside them."""
        config, heads = load_linear_heads("claims", "check-worthiness", ["claims"], model_dir)
        return cls(heads["claims"], float(config["threshold"]), config)

    def score_sentences(self, encoded: Encoded, spans: Sequence[SpanLike]) -> np.ndarray:
        """Check-worthiness probability of each span: [n] float32 in [0, 1]."""
        return score_sentences(encoded, spans, self.head)

    def score_texts(self, encode, texts: Sequence[str]) -> np.ndarray:
        """Check-worthiness probabilities [n] of standalone sentences, encoded with
        ``encode`` (see :func:`standalone_features`)."""
        dense, ids = standalone_features(encode, texts)
        if not len(texts):
            return np.zeros(0, dtype=np.float32)
        return sigmoid(self.head.logits(dense, ids)[:, 0]).astype(np.float32)


def score_sentences(encoded: Encoded, spans: Sequence[SpanLike], head: LinearHead) -> np.ndarray:
    """Check-worthiness probabilities [n] of ``spans`` of the encoded text under ``head``."""
    if not spans:
        return np.zeros(0, dtype=np.float32)
    dense = sentence_features(encoded, spans)
    ids = span_token_ids(encoded, spans) if head.uses_ngrams else [None] * len(spans)
    return sigmoid(head.logits(dense, ids)[:, 0]).astype(np.float32)


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


class _Overlaps:
    """``index(start, end)``: the payloads of the ``(start, end, payload)`` spans that
    overlap ``[start, end)`` (:func:`_overlaps`). The spans are sorted by start and the
    longest bounds how far back one can start, so a call costs O(log n) plus the spans
    near the range (quantities and entity mentions are a few words long)."""

    def __init__(self, spans: Sequence[tuple[int, int, int]]):
        self.spans = sorted(spans)
        self.starts = [s for s, _, _ in self.spans]
        self.longest = max((e - s for s, e, _ in self.spans), default=0)

    def __call__(self, start: int, end: int) -> list[int]:
        lo = bisect.bisect_right(self.starts, start - self.longest)
        hi = bisect.bisect_left(self.starts, end)
        return [p for s, e, p in self.spans[lo:hi] if _overlaps(s, e, start, end)]


def build_claims(sentences: Sequence[Sentence], scores: Sequence[float],
                 quantities: Sequence[Quantity], entities: Sequence[Entity],
                 threshold: float) -> list[Claim]:
    """The check-worthy sentences as claims, in text order.

    ``scores[i]`` is the check-worthiness of ``sentences[i]``; a sentence is a claim when its
    score is at least ``threshold`` (title and caption sentences included). A claim lists the
    indices (into ``quantities``) of the quantities whose span overlaps it, and the ids of the
    entities with a mention overlapping it, both ascending. Offsets and text are the
    sentence's own."""
    if len(scores) != len(sentences):
        raise ValueError(f"{len(scores)} scores for {len(sentences)} sentences")
    claims = []
    by_quantity = _Overlaps([(q.start, q.end, i) for i, q in enumerate(quantities)])
    by_mention = _Overlaps([(m.start, m.end, e.id) for e in entities for m in e.mentions])
    for sent, score in zip(sentences, scores, strict=True):
        score = float(score)
        if not score >= threshold:
            continue
        qs = sorted(set(by_quantity(sent.start, sent.end)))
        es = sorted(set(by_mention(sent.start, sent.end)))
        claims.append(Claim(start=sent.start, end=sent.end, text=sent.text, sentence=sent.index,
                            checkworthiness=round(min(max(score, 0.0), 1.0), 4),
                            quantities=qs, entities=es))
    return sorted(claims, key=lambda c: c.start)


def standalone_features(encode, texts: Sequence[str], chunk: int = 64
                        ) -> tuple[np.ndarray, list[np.ndarray]]:
    """Dense features and word-piece ids of standalone sentences (as in CheckThat!).

    ``encode`` is :meth:`unspin.encoder.Encoder.encode`. Each sentence is its own unit; the
    sentences of a chunk are joined with line breaks and packed into windows by the encoder,
    as the units of an article are, so every sentence is encoded exactly once."""
    from unspin.encoder import Unit

    dense, ids = [], []
    for begin in range(0, len(texts), chunk):
        batch = list(texts[begin:begin + chunk])
        spans, pos = [], 0
        for t in batch:
            spans.append((pos, pos + len(t)))
            pos += len(t) + 1
        encoded = encode("\n".join(batch), [Unit(s, e) for s, e in spans])
        if not encoded.hidden:  # nothing but empty sentences in this chunk
            dense.append(None)
            ids.extend(np.zeros(0, dtype=np.int64) for _ in batch)
            continue
        dense.append(sentence_features(encoded, spans))
        ids.extend(span_token_ids(encoded, spans))
    dim = next((d.shape[1] for d in dense if d is not None), 0)
    rows = [d if d is not None else np.zeros((min(chunk, len(texts) - k * chunk), dim),
                                             dtype=np.float32) for k, d in enumerate(dense)]
    return (np.concatenate(rows) if rows else np.zeros((0, dim), np.float32)), ids
