"""Genre (opinion, reporting, satire) and frames (the 14 SemEval-2023 frames) of an article.

Input: the article's :class:`~unspin.encoder.Encoded` output, the same one pass that the
technique heads read. Output: a :class:`~unspin.report.Genre` (calibrated probabilities of the
three genres and the chosen label) and one :class:`~unspin.report.FrameScore` per frame, sorted
by score (calibrated probability that the frame is used).

Article features: the mean and the max of the hidden states of all real tokens of all windows
(title, captions and paragraphs: ``2 * dim`` values), plus hashed TF-IDF unigrams and bigrams of
the article's word-piece ids (:mod:`unspin.claims` explains the hashing). Both heads are
logistic regressions trained on SemEval-2023 Task 3 (``unspin train heads``), with the feature
standardisation and the calibration (temperature and biases for genre, Platt per frame) folded
into the weights, so inference is ``x @ w + b`` and a softmax or sigmoids in numpy.

"Present": a frame is used by the article when its score reaches :attr:`FramingModel.threshold`,
one threshold for all frames, chosen by cross-validation for frames micro-F1. "Judged": the
frames are judged only when the article's words move the head at least as far as for 95% of
its training articles (:meth:`FramingModel.evidence` at least ``evidence_floor`` in the config,
the 5th percentile of the training articles' out-of-fold evidence). The calibrated
probabilities fall back to SemEval's base rates when the head recognises little of an
article, and five frames are in 44 to 52% of SemEval's articles, so without this a car review
or a recipe was given Security and defense, Legality and Crime and punishment; an article
below the floor gets no frames, and the report says they were not judged. The genre label
is the genre with the highest ``score * decision_weight``; the decision weights (all 1 unless
cross-validation found that favouring the rare genres raises macro-F1) are in the model config.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from unspin.claims import LinearHead, load_linear_heads
from unspin.encoder import Encoded
from unspin.heads import sigmoid, softmax
from unspin.report import FrameScore, Genre
from unspin.taxonomy import FRAME_NAMES, GENRES


def article_features(encoded: Encoded) -> np.ndarray:
    """Mean and max over the real tokens of all windows: [2 * dim] float32 (zeros when the
    article has no real token)."""
    if not encoded.hidden:
        raise ValueError("the encoder output has no windows; nothing to pool")
    dim = encoded.hidden[0].shape[1]
    # Window by window, without a copy of all the hidden states: numpy sums a float32
    # matrix over axis 0 row after row (pairwise summation is only along the fast axis),
    # so carrying the running sum as the first row gives the sum of the concatenation,
    # bit for bit.
    total = np.zeros(dim, dtype=np.float32)
    peak = np.full(dim, -np.inf, dtype=np.float32)
    n = 0
    for w, h in zip(encoded.windows, encoded.hidden, strict=True):
        rows = np.asarray(h, dtype=np.float32)[np.asarray(w.units) >= 0]
        if not len(rows):
            continue
        total = np.add.reduce(np.vstack([total[None, :], rows]), axis=0)
        peak = np.maximum(peak, rows.max(axis=0))
        n += len(rows)
    if n == 0:
        return np.zeros(2 * dim, dtype=np.float32)
    return np.concatenate([total / n, peak]).astype(np.float32)


def article_token_ids(encoded: Encoded) -> np.ndarray:
    """The word-piece ids of all real tokens of all windows, in order (int64)."""
    parts = [np.asarray(w.ids, dtype=np.int64)[np.asarray(w.units) >= 0] for w in encoded.windows]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


@dataclass
class FramingModel:
    """The genre head (3 logits), the frames head (14 logits), their labels and thresholds."""

    genre_head: LinearHead
    frames_head: LinearHead
    genres: list[str]
    frames: list[str]
    threshold: float
    decision_weights: list[float]
    config: dict

    def __post_init__(self):
        if self.genre_head.b.shape[0] != len(self.genres):
            raise ValueError(f"genre head has {self.genre_head.b.shape[0]} outputs for "
                             f"{len(self.genres)} genres")
        if self.frames_head.b.shape[0] != len(self.frames):
            raise ValueError(f"frames head has {self.frames_head.b.shape[0]} outputs for "
                             f"{len(self.frames)} frames")
        unknown = (set(self.genres) - set(GENRES)) | (set(self.frames) - set(FRAME_NAMES))
        if unknown:
            raise ValueError(f"unknown genres or frames {sorted(unknown)}")
        if len(self.decision_weights) != len(self.genres):
            raise ValueError("one decision weight per genre is needed")

    @classmethod
    def load(cls, model_dir: Path | None = None) -> FramingModel:
        """Load ``framing.npz`` and ``framing_config.json`` from ``model_dir`` (default: the
        package's ``unspin/models``) after checking their hashes; ModelError if absent,
        corrupted or trained on another encoder than the one shipped beside them."""
        config, heads = load_linear_heads("framing", "genre and frames", ["genre", "frames"],
                                          model_dir)
        return cls.from_config(heads["genre"], heads["frames"], config)

    @classmethod
    def from_config(cls, genre: LinearHead, frames: LinearHead, config: dict) -> FramingModel:
        return cls(genre, frames, list(config["genres"]), list(config["frames"]),
                   float(config["threshold"]),
                   [float(w) for w in config.get("decision_weights", [1.0] * len(GENRES))],
                   config)

    def probabilities(self, dense: np.ndarray, ids: Sequence[np.ndarray]
                      ) -> tuple[np.ndarray, np.ndarray]:
        """Genre probabilities [n, 3] and frame probabilities [n, 14] of ``n`` articles from
        their :func:`article_features` and :func:`article_token_ids`."""
        dense = np.atleast_2d(dense)
        g = softmax(self.genre_head.logits(dense, ids))
        f = sigmoid(self.frames_head.logits(dense, ids))
        return g.astype(np.float32), f.astype(np.float32)

    def decide_genre(self, probs: np.ndarray) -> np.ndarray:
        """Index of the chosen genre for each row of genre probabilities [n, 3]."""
        return np.argmax(np.atleast_2d(probs) * np.asarray(self.decision_weights), axis=1)

    def predict(self, encoded: Encoded) -> tuple[Genre | None, list[FrameScore]]:
        """Genre and all frames (best first) of one encoded article; ``(None, [])`` when the
        article has no text to read."""
        if not encoded.hidden or not any(u >= 0 for w in encoded.windows for u in w.units):
            return None, []
        g, f = self.probabilities(article_features(encoded)[None, :], [article_token_ids(encoded)])
        genre = Genre(label=self.genres[int(self.decide_genre(g)[0])],
                      scores={name: round(float(p), 4) for name, p in zip(self.genres, g[0],
                                                                         strict=True)})
        frames = [FrameScore(frame=name, score=round(float(p), 4))
                  for name, p in zip(self.frames, f[0], strict=True)]
        return genre, sorted(frames, key=lambda s: (-s.score, s.frame))

    def frames_of(self, encoded: Encoded, ids: np.ndarray | None = None) -> list[FrameScore]:
        """All frames (best first) of one encoded article, without running the genre head;
        ``ids``: its :func:`article_token_ids` when the caller has them already."""
        return self.frames_and_evidence(encoded, ids)[0]

    def frames_and_evidence(self, encoded: Encoded, ids: np.ndarray | None = None
                            ) -> tuple[list[FrameScore], float]:
        """All frames (best first) and the article's :meth:`evidence`; ``([], 0.0)`` for an
        article with no text the encoder read."""
        if not encoded.hidden or not any(u >= 0 for w in encoded.windows for u in w.units):
            return [], 0.0
        ids = article_token_ids(encoded) if ids is None else ids
        z = self.frames_head.logits(article_features(encoded)[None, :], [ids])[0]
        frames = [FrameScore(frame=name, score=round(float(p), 4))
                  for name, p in zip(self.frames, sigmoid(z).astype(np.float32), strict=True)]
        return sorted(frames, key=lambda s: (-s.score, s.frame)), self.evidence(z)

    @cached_property
    def no_words_logits(self) -> np.ndarray:
        """The frames head's logits for an article with no words (zero pooled features and no
        word pieces: the calibrated biases)."""
        dim = self.frames_head.w_dense.shape[0]
        return self.frames_head.logits(np.zeros((1, dim), np.float32),
                                       [np.zeros(0, np.int64)])[0]

    def evidence(self, logits: np.ndarray) -> float:
        """How far an article's words move the frames head: the mean over frames of
        |logit - the no-words logit| (calibrated logits). Small when the head recognises
        little of the article: its probabilities then stay near SemEval's base rates."""
        return float(np.abs(np.asarray(logits, np.float64) - self.no_words_logits).mean())

    @property
    def evidence_floor(self) -> float | None:
        """The least :meth:`evidence` at which the frames are judged (None: always)."""
        floor = self.config.get("evidence_floor")
        return None if floor is None else float(floor)

    def judged(self, evidence: float) -> bool:
        """Whether an article with this :meth:`evidence` gets frames at all."""
        return self.evidence_floor is None or evidence >= self.evidence_floor

    def present(self, frames: Sequence[FrameScore]) -> list[FrameScore]:
        """The frames judged present: score at least :attr:`threshold`."""
        return [s for s in frames if s.score >= self.threshold]

