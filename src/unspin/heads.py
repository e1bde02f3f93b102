"""Linear heads on the shared encoder output, in numpy.

The technique model is a fine-tuned transformer (run by :mod:`unspin.encoder`) with small heads
whose weights live in one ``.npz`` file. The heads are applied here, in numpy, so that the same
code scores windows at training-time evaluation (hidden states from torch) and at inference
(hidden states from ONNX Runtime). Features:

- token head: hidden state of a token -> ``1 + len(techniques)`` sigmoid channels
  (channel 0: "inside any persuasion span");
- span head: [mean over span, first token, last token, window [CLS]] -> softmax over techniques;
- unit head: [mean over unit tokens, max over unit tokens] -> sigmoid per technique.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from unspin.word_prior import WordPrior


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -30, 30)))


def logit(p: np.ndarray) -> np.ndarray:
    """Inverse of :func:`sigmoid` (probabilities clipped away from 0 and 1)."""
    q = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(q / (1 - q))


def softmax(x: np.ndarray) -> np.ndarray:
    z = np.exp(x - x.max(axis=-1, keepdims=True))
    return z / z.sum(axis=-1, keepdims=True)


@lru_cache(maxsize=1)
def _blas_controller():
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """Run numpy's BLAS on one thread inside the block.

    The heads are small matrix products (a window's 128 tokens by 384 dimensions by a few
    dozen labels). A second BLAS thread gains nothing on them, and once woken its threads
    compete with ONNX Runtime's for the cores: on 2 cores that made the technique stage
    several times slower (see ``benchmarks/speed.py``). Every head product goes through
    here, so no caller has to remember it."""
    with _blas_controller().limit(limits=1, user_api="blas"):
        yield


def affine(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``x @ w + b`` on one BLAS thread (:func:`one_blas_thread`)."""
    with one_blas_thread():
        return x @ w + b


def span_features(hidden: np.ndarray, i: int, j: int) -> np.ndarray:
    """Features of tokens [i, j) of one window's hidden states [T, dim] -> [4 * dim]."""
    piece = hidden[i:j]
    return np.concatenate([piece.mean(axis=0), hidden[i], hidden[j - 1], hidden[0]])


def unit_features(hidden: np.ndarray, token_index: np.ndarray) -> np.ndarray:
    """Features of a unit from the rows ``token_index`` of hidden [T, dim] -> [2 * dim]."""
    piece = hidden[token_index]
    return np.concatenate([piece.mean(axis=0), piece.max(axis=0)])


class Heads:
    """The weights of the technique heads: ``token_w/b``, ``span_w/b``, ``ptc_w/b``,
    ``unit_w/b`` (``x @ w + b``), and the :class:`~unspin.word_prior.WordPrior` that the
    decoder may add to the "inside a span" channel (None: no prior)."""

    word_prior: WordPrior | None = None  # also for Heads pickled before the prior existed

    def __init__(self, weights: dict[str, np.ndarray], word_prior: WordPrior | None = None):
        self.w = {k: np.asarray(v, dtype=np.float32) for k, v in weights.items()}
        self.word_prior = word_prior

    def with_word_prior(self, word_prior: WordPrior | None) -> Heads:
        """The same weights with another word prior."""
        return Heads(self.w, word_prior)

    def token_probs(self, hidden: np.ndarray) -> np.ndarray:
        """[T, dim] -> [T, 1 + n_techniques] probabilities."""
        return sigmoid(affine(hidden, self.w["token_w"], self.w["token_b"]))

    def span_probs(self, feats: np.ndarray, scheme: str = "semeval") -> np.ndarray:
        """[n, 4 * dim] -> [n, n_labels] class probabilities (scheme 'semeval' or 'ptc')."""
        key = "span" if scheme == "semeval" else "ptc"
        return softmax(affine(feats, self.w[f"{key}_w"], self.w[f"{key}_b"]))

    def unit_probs(self, feats: np.ndarray) -> np.ndarray:
        """[n, 2 * dim] -> [n, n_techniques] probabilities."""
        return sigmoid(affine(feats, self.w["unit_w"], self.w["unit_b"]))
