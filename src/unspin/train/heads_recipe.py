"""``unspin train heads``: genre, frames and check-worthiness heads on the shared encoder.

One command, fixed seed, a few minutes on two CPU cores:

1. **Features.** The shipped encoder (``techniques.onnx``) reads every SemEval-2023 training
   article (units: its non-empty lines) and every CheckThat! sentence (each sentence its own
   unit, packed into windows like an article's units) once. Features are pooled hidden states
   (:func:`unspin.framing.article_features`, :func:`unspin.claims.sentence_features`) and the
   word-piece ids for hashed TF-IDF n-grams. They are cached under ``cache_dir``, keyed by the
   encoder's sha256, so a second run skips the encoder.
2. **Genre and frames** (SemEval-2023 ``train``, ``articles-genre-frames/``): logistic
   regressions. Nested 5-fold cross-validation, folds stratified by genre: inside each outer
   training part, a 5-fold inner cross-validation picks the setting (regularisation C, which
   feature blocks: pooled states, n-grams or both, and for genre the class weighting), fits the
   calibration on the inner out-of-fold logits (Platt per frame; temperature and biases for
   genre), the global "present" threshold for frames (best micro-F1) and the genre decision
   weights (best macro-F1); the outer held-out articles are then scored with all of that, so the
   reported cross-validated scores never saw their own choices. The shipped heads repeat the
   inner procedure on all training articles.
3. **Check-worthiness** (CheckThat! 2024 ``train``): a logistic regression trained on ``train``
   only; the setting and the Platt calibration are chosen on ``dev``; the threshold that
   maximises F1 on ``dev`` gives the honest ``dev-test`` score; the shipped threshold maximises
   F1 on ``dev`` and ``dev-test`` pooled (so the dev-test score at the shipped threshold is
   optimistic and is labelled so).
4. **Ship.** Calibration and feature standardisation are folded into the weights (inference is
   ``x @ w + b`` in numpy); ``framing.npz`` + ``framing_config.json`` and ``claims.npz`` +
   ``claims_config.json`` are written with manifest entries (data, command, seed, encoder
   hash, scores). ``heads-cv.json`` in ``cache_dir`` holds every number.

scikit-learn and scipy are used here only (training time).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from unspin.claims import (
    LinearHead,
    ngram_counts,
    smooth_idf,
    standalone_features,
)
from unspin.evaluate.datasets import read_checkworthy, read_semeval_articles
from unspin.evaluate.heads_eval import article_units
from unspin.evaluate.metrics import binary_prf, genre_macro_f1, micro_f1
from unspin.taxonomy import FRAME_NAMES, GENRES

log = logging.getLogger("unspin.train")

SEED = 13
FOLDS = 5
N_BUCKETS = 1 << 16
THRESHOLDS = np.round(np.arange(0.05, 0.951, 0.01), 2)
ALPHAS = (0.0, 0.25, 0.5, 0.75, 1.0)


@dataclass(frozen=True)
class Setting:
    """One point of the hyperparameter grid."""

    C: float
    dense: bool = True
    ngrams: bool = True
    balanced: bool = False


BLOCKS = ((True, False), (False, True), (True, True))  # (pooled states, n-grams)
FRAME_GRID = [Setting(c, d, n) for d, n in BLOCKS for c in (1.0, 4.0, 16.0, 64.0)]
GENRE_GRID = [Setting(c, d, n, b) for b in (False, True) for d, n in BLOCKS
              for c in (1.0, 8.0, 64.0)]
CLAIM_GRID = [Setting(c, d, n) for d, n in BLOCKS for c in (0.25, 1.0, 4.0, 16.0)]


# --- features ------------------------------------------------------------------------------------


@dataclass
class Features:
    """Dense pooled features [n, D] and, per example, its word-piece ids (with their n-gram
    bucket counts, computed once and shared by every subset)."""

    dense: np.ndarray
    ids: list[np.ndarray]
    counts: list[tuple[np.ndarray, np.ndarray]] | None = None
    counts_buckets: int = 0

    def take(self, rows: np.ndarray) -> Features:
        counts = [self.counts[i] for i in rows] if self.counts is not None else None
        return Features(self.dense[rows], [self.ids[i] for i in rows], counts,
                        self.counts_buckets)

    def ngram_counts(self, n_buckets: int) -> list[tuple[np.ndarray, np.ndarray]]:
        if self.counts is None or self.counts_buckets != n_buckets:
            self.counts = [ngram_counts(ids, n_buckets) for ids in self.ids]
            self.counts_buckets = n_buckets
        return self.counts

    def save(self, prefix: str, into: dict) -> None:
        lengths = np.array([len(x) for x in self.ids], dtype=np.int64)
        into[f"{prefix}_dense"] = self.dense
        into[f"{prefix}_lengths"] = lengths
        into[f"{prefix}_ids"] = (np.concatenate(self.ids) if self.ids
                                 else np.zeros(0, dtype=np.int64))

    @classmethod
    def from_arrays(cls, arrays, prefix: str) -> Features:
        ends = np.cumsum(arrays[f"{prefix}_lengths"])
        flat = arrays[f"{prefix}_ids"]
        ids = [flat[e - n:e] for e, n in zip(ends, arrays[f"{prefix}_lengths"], strict=True)]
        return cls(np.asarray(arrays[f"{prefix}_dense"], dtype=np.float32), ids)


def encode_article_features(encode: Callable, texts: Sequence[str]) -> Features:
    """Pooled features and word-piece ids of whole articles."""
    from unspin.framing import article_features, article_token_ids

    dense, ids = [], []
    for text in texts:
        encoded = encode(text, article_units(text))
        dense.append(article_features(encoded))
        ids.append(article_token_ids(encoded))
    return Features(np.stack(dense), ids)


def load_data(data_dir: Path, limit_articles: int = 0, limit_sentences: int = 0) -> dict:
    """Texts and labels of the training articles and the three CheckThat! splits."""
    docs = read_semeval_articles(data_dir / "semeval2023" / "train")
    docs = [d for d in docs if d.genre is not None]
    if limit_articles:
        docs = docs[:limit_articles]
    data = {"articles": {"ids": [d.id for d in docs], "texts": [d.text for d in docs],
                         "genre": np.array([GENRES.index(d.genre) for d in docs]),
                         "frames": np.array([[f in d.frames for f in FRAME_NAMES] for d in docs],
                                            dtype=bool).reshape(len(docs), len(FRAME_NAMES))}}
    unknown = {f for d in docs for f in d.frames} - set(FRAME_NAMES)
    if unknown:
        raise ValueError(f"unknown frames in the training labels: {sorted(unknown)}")
    for split in ("train", "dev", "dev-test"):
        rows = read_checkworthy(data_dir / "checkworthy" / split)
        rows = [r for r in rows if r.label is not None]
        if limit_sentences:
            rows = rows[:limit_sentences]
        data[split] = {"ids": [r.sentence_id for r in rows], "texts": [r.text for r in rows],
                       "y": np.array([r.label for r in rows], dtype=bool)}
    return data


def extract(encode: Callable, data: dict, cache: Path | None) -> dict[str, Features]:
    """Features of every part of ``data``, read from or written to the ``cache`` npz."""
    parts = ("articles", "train", "dev", "dev-test")
    if cache is not None and cache.exists():
        with np.load(cache) as arrays:
            feats = {p: Features.from_arrays(arrays, p) for p in parts}
        if all(len(feats[p].ids) == len(data[p]["texts"]) for p in parts):
            log.info("features read from %s", cache)
            return feats
    feats = {}
    started = time.time()
    feats["articles"] = encode_article_features(encode, data["articles"]["texts"])
    log.info("encoded %d articles in %.0fs", len(data["articles"]["texts"]), time.time() - started)
    for split in ("train", "dev", "dev-test"):
        started = time.time()
        dense, ids = standalone_features(encode, data[split]["texts"])
        feats[split] = Features(dense, ids)
        log.info("encoded %d %s sentences in %.0fs", len(ids), split, time.time() - started)
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        arrays: dict = {}
        for p in parts:
            feats[p].save(p, arrays)
        np.savez(cache, **arrays)
    return feats


# --- design matrices and their folding into a LinearHead -----------------------------------------


class Design:
    """The training design of one setting: standardised dense block (scaled to unit norm on
    average) beside the TF-IDF n-gram block, with statistics from the training rows only."""

    def __init__(self, setting: Setting, train: Features, n_buckets: int = N_BUCKETS):
        self.setting = setting
        self.n_buckets = n_buckets
        d = train.dense.astype(np.float64)
        self.dim = d.shape[1]
        self.mu = d.mean(axis=0)
        self.sd = np.maximum(d.std(axis=0), 1e-6)
        self.scale = 1.0 / np.sqrt(self.dim)
        self.idf = np.zeros(0, dtype=np.float32)
        if setting.ngrams:
            df = np.zeros(n_buckets, dtype=np.int64)
            for idx, _ in train.ngram_counts(n_buckets):
                df[idx] += 1
            self.idf = smooth_idf(df, len(train.ids))

    def matrix(self, feats: Features):
        import scipy.sparse as sp

        blocks = []
        if self.setting.dense:
            blocks.append(sp.csr_matrix((feats.dense - self.mu) / self.sd * self.scale))
        if self.setting.ngrams:
            data, cols, indptr = [], [], [0]
            for idx, counts in feats.ngram_counts(self.n_buckets):
                val = (1.0 + np.log(counts)) * self.idf[idx]
                norm = np.sqrt(np.sum(val * val))
                data.append(val / norm if norm > 0 else val)
                cols.append(idx)
                indptr.append(indptr[-1] + len(idx))
            blocks.append(sp.csr_matrix(
                (np.concatenate(data) if data else np.zeros(0),
                 np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64), indptr),
                shape=(len(feats.ids), self.n_buckets)))
        return sp.hstack(blocks, format="csr")

    def head(self, coef: np.ndarray, intercept: np.ndarray, a: np.ndarray, c: np.ndarray
             ) -> LinearHead:
        """The numpy head computing ``a * (design logits) + c`` from raw features.
        ``coef`` [K, columns], ``intercept``, ``a`` and ``c`` [K]."""
        coef = np.asarray(coef, dtype=np.float64)
        k = coef.shape[0]
        w_dense = np.zeros((self.dim, k))
        b = np.asarray(intercept, dtype=np.float64).copy()
        col = 0
        if self.setting.dense:
            cd = coef[:, :self.dim].T * (self.scale / self.sd)[:, None]
            w_dense = cd
            b -= self.mu @ cd
            col = self.dim
        if self.setting.ngrams:
            w_sparse = coef[:, col:col + self.n_buckets].T
            idf = self.idf
        else:
            w_sparse = np.zeros((0, k))
            idf = np.zeros(0, dtype=np.float32)
        return LinearHead((w_dense * a).astype(np.float32), (b * a + c).astype(np.float32),
                          (w_sparse * a).astype(np.float32), idf.astype(np.float32))


def _binary_model(setting: Setting, seed: int):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=setting.C, solver="liblinear", max_iter=1000,
                              class_weight="balanced" if setting.balanced else None,
                              random_state=seed)


def fit_binary(setting: Setting, train: Features, Y: np.ndarray, seed: int
               ) -> tuple[Design, np.ndarray, np.ndarray]:
    """One logistic regression per column of ``Y`` [n, K]: (design, coef [K, cols], b [K]).
    A column with a single class gets a constant logit (coefficients 0)."""
    design = Design(setting, train)
    X = design.matrix(train)
    coefs, bias = [], []
    for j in range(Y.shape[1]):
        y = Y[:, j]
        if y.all() or not y.any():
            p = (y.sum() + 0.5) / (len(y) + 1.0)
            coefs.append(np.zeros(X.shape[1]))
            bias.append(np.log(p / (1 - p)))
            continue
        model = _binary_model(setting, seed).fit(X, y)
        coefs.append(model.coef_[0])
        bias.append(model.intercept_[0])
    return design, np.stack(coefs), np.array(bias)


def fit_multiclass(setting: Setting, train: Features, y: np.ndarray, n_classes: int, seed: int
                   ) -> tuple[Design, np.ndarray, np.ndarray]:
    """Multinomial logistic regression: (design, coef [K, cols], b [K]); classes absent from
    ``y`` get coefficients 0 and a very low bias."""
    from sklearn.linear_model import LogisticRegression

    design = Design(setting, train)
    X = design.matrix(train)
    present = np.unique(y)
    coef = np.zeros((n_classes, X.shape[1]))
    bias = np.full(n_classes, -20.0)
    if len(present) == 1:
        bias[present[0]] = 0.0
        return design, coef, bias
    model = LogisticRegression(C=setting.C, solver="lbfgs", max_iter=3000,
                               class_weight="balanced" if setting.balanced else None,
                               random_state=seed).fit(X, y)
    c, b = model.coef_, model.intercept_
    if len(present) == 2:  # sklearn fits one logit for two classes
        c, b = np.stack([-c[0] / 2, c[0] / 2]), np.array([-b[0] / 2, b[0] / 2])
    coef[present], bias[present] = c, b
    return design, coef, bias


def design_logits(design: Design, coef: np.ndarray, bias: np.ndarray, feats: Features
                  ) -> np.ndarray:
    return np.asarray(design.matrix(feats) @ coef.T) + bias


# --- folds, calibration, thresholds --------------------------------------------------------------


def stratified_folds(y: np.ndarray, k: int, seed: int) -> np.ndarray:
    """Fold number of each row: within each class, rows are shuffled with ``seed`` and dealt
    round-robin, continuing where the previous class stopped."""
    fold = np.zeros(len(y), dtype=np.int64)
    rng = np.random.RandomState(seed)
    offset = 0
    for cls in np.unique(y):
        rows = np.flatnonzero(y == cls)
        rows = rows[rng.permutation(len(rows))]
        fold[rows] = (np.arange(len(rows)) + offset) % k
        offset += len(rows)
    return fold


def platt(z: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """(a, c) minimising the log loss of ``sigmoid(a * z + c)`` against ``y``; (1, 0) when
    ``y`` has a single class; ``a`` kept at least 0.05 so the ranking never flips."""
    from scipy.optimize import minimize

    y = np.asarray(y, dtype=np.float64)
    if y.min() == y.max():
        return 1.0, 0.0

    def loss(p):
        s = p[0] * z + p[1]
        return float(np.sum(np.logaddexp(0, s) - y * s)) + 1e-3 * (p[0] - 1) ** 2

    res = minimize(loss, np.array([1.0, 0.0]), method="L-BFGS-B",
                   bounds=[(0.05, 20.0), (-30.0, 30.0)])
    return float(res.x[0]), float(res.x[1])


def temperature_bias(z: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """(a, c) minimising the log loss of ``softmax(a * z + c)`` [n, K] against labels ``y``
    (vector scaling restricted to one temperature); ``c`` centred."""
    from scipy.optimize import minimize

    n, k = z.shape

    def loss(p):
        s = p[0] * z + p[1:]
        s = s - s.max(axis=1, keepdims=True)
        logp = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
        return float(-logp[np.arange(n), y].sum()) + 1e-3 * ((p[0] - 1) ** 2 + p[1:] @ p[1:])

    res = minimize(loss, np.concatenate([[1.0], np.zeros(k)]), method="L-BFGS-B",
                   bounds=[(0.05, 20.0)] + [(-30.0, 30.0)] * k)
    c = res.x[1:] - res.x[1:].mean()
    return float(res.x[0]), c


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-np.clip(x, -30, 30)))


def _softmax(x):
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _middle_best(scores: np.ndarray) -> int:
    """Index of the best score; among ties, the middle one."""
    best = np.flatnonzero(scores >= scores.max() - 1e-12)
    return int(best[len(best) // 2])


def best_threshold(probs: np.ndarray, Y: np.ndarray) -> tuple[float, float]:
    """(threshold, F1) maximising the micro-F1 of ``probs >= threshold`` against ``Y`` (any
    shape; one threshold for all entries)."""
    Y = Y.astype(bool)
    f1 = []
    for t in THRESHOLDS:
        pred = probs >= t
        tp = np.sum(pred & Y)
        den = pred.sum() + Y.sum()
        f1.append(2.0 * tp / den if den else 1.0)
    i = _middle_best(np.array(f1))
    return float(THRESHOLDS[i]), float(f1[i])


def decision_weights(prior: np.ndarray, alpha: float) -> np.ndarray:
    w = np.power(np.maximum(prior, 1e-3), -alpha)
    return w / w.max()


def best_alpha(probs: np.ndarray, y: np.ndarray, prior: np.ndarray) -> tuple[float, float]:
    """(alpha, macro-F1): genre label = argmax(probs * prior**-alpha)."""
    scores = []
    for alpha in ALPHAS:
        pred = np.argmax(probs * decision_weights(prior, alpha), axis=1)
        scores.append(_macro_f1(pred, y))
    i = _middle_best(np.array(scores))
    return ALPHAS[i], float(scores[i])


def _macro_f1(pred: np.ndarray, y: np.ndarray) -> float:
    return genre_macro_f1([GENRES[i] for i in pred], [GENRES[i] for i in y])["f1"]


def ece(probs: np.ndarray, y: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error of binary probabilities (equal-width bins)."""
    probs, y = np.ravel(probs), np.ravel(y).astype(float)
    if probs.size == 0:
        return 0.0
    which = np.minimum((probs * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        m = which == b
        if m.any():
            total += m.sum() * abs(probs[m].mean() - y[m].mean())
    return float(total / probs.size)


# --- genre and frames ----------------------------------------------------------------------------


@dataclass
class FramesFit:
    setting: Setting
    head: LinearHead
    threshold: float
    inner_f1: float
    platt: list[tuple[float, float]]


@dataclass
class GenreFit:
    setting: Setting
    head: LinearHead
    alpha: float
    weights: list[float]
    inner_f1: float
    temperature: float
    bias: list[float]


def _oof(fit: Callable, feats: Features, folds: np.ndarray) -> np.ndarray:
    """Out-of-fold logits: ``fit(train_features, train_rows) -> (design, coef, bias)``."""
    out = None
    for k in np.unique(folds):
        tr, te = np.flatnonzero(folds != k), np.flatnonzero(folds == k)
        design, coef, bias = fit(feats.take(tr), tr)
        z = design_logits(design, coef, bias, feats.take(te))
        if out is None:
            out = np.zeros((len(folds), z.shape[1]))
        out[te] = z
    return out


def _verify(head: LinearHead, design: Design, coef, bias, a, c, feats: Features) -> None:
    """The folded numpy head must reproduce ``a * design logits + c``."""
    rows = np.arange(min(20, len(feats.ids)))
    sample = feats.take(rows)
    expected = design_logits(design, coef, bias, sample) * a + c
    got = head.logits(sample.dense, sample.ids)
    if not np.allclose(got, expected, rtol=1e-3, atol=1e-3):
        raise AssertionError(f"folded head differs from the fitted model by "
                             f"{np.abs(got - expected).max():.2e}")


def fit_frames(feats: Features, Y: np.ndarray, strata: np.ndarray, seed: int,
               grid: Sequence[Setting] | None = None) -> FramesFit:
    """Pick the setting of ``grid`` (default :data:`FRAME_GRID`) by inner cross-validation,
    calibrate, pick the threshold, refit."""
    folds = stratified_folds(strata, FOLDS, seed)
    best = None
    for setting in FRAME_GRID if grid is None else grid:
        z = _oof(lambda f, rows, s=setting: fit_binary(s, f, Y[rows], seed), feats, folds)
        cal = [platt(z[:, j], Y[:, j]) for j in range(Y.shape[1])]
        probs = _sigmoid(z * [a for a, _ in cal] + [c for _, c in cal])
        t, f1 = best_threshold(probs, Y)
        if best is None or f1 > best[1] + 1e-9:
            best = (setting, f1, t, cal)
    setting, f1, t, cal = best
    design, coef, bias = fit_binary(setting, feats, Y, seed)
    a, c = np.array([a for a, _ in cal]), np.array([c for _, c in cal])
    head = design.head(coef, bias, a, c)
    _verify(head, design, coef, bias, a, c, feats)
    return FramesFit(setting, head, t, f1, cal)


EVIDENCE_PERCENTILE = 5
"""Frames are judged only on articles whose evidence reaches this percentile of the training
articles' out-of-fold evidence (:meth:`unspin.framing.FramingModel.evidence`); fixed in
advance: one article in twenty like the training news is let go unjudged."""


@dataclass
class FramesOOF:
    """Out-of-fold frames predictions of one setting: calibrated logits ``z`` [n, K], the
    fold models' no-words logits ``z_empty`` [n, K] (each row its fold's), each article's
    evidence (mean |z - z_empty|) and the training folds' base rates ``base`` [n, K]."""

    z: np.ndarray
    z_empty: np.ndarray
    evidence: np.ndarray
    base: np.ndarray
    folds: np.ndarray


def frames_oof(feats: Features, Y: np.ndarray, folds: np.ndarray, setting: Setting,
               seed: int) -> FramesOOF:
    """Out-of-fold calibrated frame logits of ``setting`` (Platt per frame on the pooled
    out-of-fold logits), with the no-words logits and evidence of each article."""
    n, k = Y.shape
    z, z_empty, base = np.zeros((n, k)), np.zeros((n, k)), np.zeros((n, k))
    for f in np.unique(folds):
        tr, te = np.flatnonzero(folds != f), np.flatnonzero(folds == f)
        design, coef, bias = fit_binary(setting, feats.take(tr), Y[tr], seed)
        z[te] = design_logits(design, coef, bias, feats.take(te))
        empty = Features(np.zeros((1, feats.dense.shape[1]), np.float32),
                         [np.zeros(0, np.int64)])
        z_empty[te] = design_logits(design, coef, bias, empty)[0]
        base[te] = Y[tr].mean(axis=0)
    cal = [platt(z[:, j], Y[:, j]) for j in range(k)]
    a, c = np.array([x for x, _ in cal]), np.array([x for _, x in cal])
    z, z_empty = z * a + c, z_empty * a + c
    return FramesOOF(z, z_empty, np.abs(z - z_empty).mean(axis=1), base, folds)


def frames_evidence_floor(oof: FramesOOF) -> float:
    """The evidence floor shipped in ``framing_config.json``: :data:`EVIDENCE_PERCENTILE` of
    the out-of-fold evidence."""
    return round(float(np.percentile(oof.evidence, EVIDENCE_PERCENTILE)), 4)


def fit_genre(feats: Features, y: np.ndarray, seed: int) -> GenreFit:
    folds = stratified_folds(y, FOLDS, seed)
    k = len(GENRES)
    prior = np.bincount(y, minlength=k) / len(y)
    best = None
    for setting in GENRE_GRID:
        z = _oof(lambda f, rows, s=setting: fit_multiclass(s, f, y[rows], k, seed), feats, folds)
        a, c = temperature_bias(z, y)
        probs = _softmax(a * z + c)
        alpha, f1 = best_alpha(probs, y, prior)
        if best is None or f1 > best[1] + 1e-9:
            best = (setting, f1, alpha, a, c)
    setting, f1, alpha, a, c = best
    design, coef, bias = fit_multiclass(setting, feats, y, k, seed)
    head = design.head(coef, bias, np.full(k, a), c)
    _verify(head, design, coef, bias, a, c, feats)
    return GenreFit(setting, head, alpha, decision_weights(prior, alpha).tolist(), f1, a,
                    c.tolist())


def _frames_probs(head: LinearHead, feats: Features) -> np.ndarray:
    return _sigmoid(head.logits(feats.dense, feats.ids))


def _genre_probs(head: LinearHead, feats: Features) -> np.ndarray:
    return _softmax(head.logits(feats.dense, feats.ids))


def cross_validate_articles(feats: Features, genre: np.ndarray, frames: np.ndarray, seed: int
                            ) -> dict:
    """Nested cross-validation of both article heads (see the module docstring)."""
    folds = stratified_folds(genre, FOLDS, seed)
    n = len(genre)
    g_pred = np.zeros(n, dtype=np.int64)
    g_probs = np.zeros((n, len(GENRES)))
    f_pred = np.zeros(frames.shape, dtype=bool)
    f_probs = np.zeros(frames.shape)
    per_fold = []
    for k in range(FOLDS):
        started = time.time()
        tr, te = np.flatnonzero(folds != k), np.flatnonzero(folds == k)
        fr = fit_frames(feats.take(tr), frames[tr], genre[tr], seed + 1 + k)
        ge = fit_genre(feats.take(tr), genre[tr], seed + 1 + k)
        held = feats.take(te)
        f_probs[te] = _frames_probs(fr.head, held)
        f_pred[te] = f_probs[te] >= fr.threshold
        g_probs[te] = _genre_probs(ge.head, held)
        g_pred[te] = np.argmax(g_probs[te] * ge.weights, axis=1)
        per_fold.append({
            "genre_macro_f1": _macro_f1(g_pred[te], genre[te]),
            "frames_micro_f1": micro_f1(_sets(f_pred[te]), _sets(frames[te]), FRAME_NAMES)["f1"],
            "frames_setting": asdict(fr.setting), "frames_threshold": fr.threshold,
            "genre_setting": asdict(ge.setting), "genre_alpha": ge.alpha,
        })
        log.info("outer fold %d: genre macro-F1 %.3f, frames micro-F1 %.3f (%.0fs)", k + 1,
                 per_fold[-1]["genre_macro_f1"], per_fold[-1]["frames_micro_f1"],
                 time.time() - started)
    gold_genre = [GENRES[i] for i in genre]
    frames_prf = micro_f1(_sets(f_pred), _sets(frames), FRAME_NAMES)
    return {
        "genre_macro_f1": genre_macro_f1([GENRES[i] for i in g_pred], gold_genre)["f1"],
        "genre_accuracy": float(np.mean(g_pred == genre)),
        "frames_micro_f1": frames_prf["f1"],
        "frames_micro_precision": frames_prf["precision"],
        "frames_micro_recall": frames_prf["recall"],
        "frames_ece": ece(f_probs, frames),
        "genre_ece_top": ece(g_probs.max(axis=1), g_probs.argmax(axis=1) == genre),
        "genre_log_loss": float(-np.mean(np.log(np.maximum(g_probs[np.arange(n), genre],
                                                           1e-12)))),
        "mean_over_folds": {key: float(np.mean([f[key] for f in per_fold]))
                            for key in ("genre_macro_f1", "frames_micro_f1")},
        "per_fold": per_fold,
    }


def _sets(matrix: np.ndarray) -> list[set[str]]:
    return [{FRAME_NAMES[j] for j in np.flatnonzero(row)} for row in matrix]


# --- check-worthiness ----------------------------------------------------------------------------


def fit_claims(feats: dict[str, Features], data: dict, seed: int) -> tuple[LinearHead, dict]:
    """Train on ``train``; setting and calibration on ``dev``; thresholds as documented."""
    ytr, ydev, ytest = data["train"]["y"], data["dev"]["y"], data["dev-test"]["y"]
    grid = []
    best = None
    for setting in CLAIM_GRID:
        started = time.time()
        design, coef, bias = fit_binary(setting, feats["train"], ytr[:, None], seed)
        z = design_logits(design, coef, bias, feats["dev"])[:, 0]
        t, f1 = best_threshold(_sigmoid(z), ydev)
        grid.append({**asdict(setting), "dev_best_f1": f1})
        log.info("check-worthiness %s: dev best F1 %.3f (%.0fs)", setting, f1,
                 time.time() - started)
        if best is None or f1 > best[1] + 1e-9:
            best = (setting, f1, design, coef, bias, z)
    setting, _, design, coef, bias, z_dev = best
    a, c = platt(z_dev, ydev)
    head = design.head(coef, bias, np.array([a]), np.array([c]))
    _verify(head, design, coef, bias, a, c, feats["dev"])
    p_dev = _sigmoid(head.logits(feats["dev"].dense, feats["dev"].ids)[:, 0])
    p_test = _sigmoid(head.logits(feats["dev-test"].dense, feats["dev-test"].ids)[:, 0])
    t_dev, f1_dev = best_threshold(p_dev, ydev)
    t_ship, f1_pooled = best_threshold(np.concatenate([p_dev, p_test]),
                                       np.concatenate([ydev, ytest]))
    honest = binary_prf(list(p_test >= t_dev), list(ytest))
    shipped = binary_prf(list(p_test >= t_ship), list(ytest))
    report = {
        "setting": asdict(setting), "grid": grid, "platt": [a, c],
        "threshold_dev": t_dev, "threshold": t_ship,
        "dev_f1_at_threshold_dev": f1_dev,
        "dev_test_at_threshold_dev": _named(honest),
        "dev_test_at_shipped_threshold_optimistic": _named(shipped),
        "dev_and_dev_test_pooled_f1_at_shipped_threshold": f1_pooled,
        "dev_test_at_0.5": _named(binary_prf(list(p_test >= 0.5), list(ytest))),
        "dev_ece": ece(p_dev, ydev), "dev_test_ece": ece(p_test, ytest),
        "yes_rate": {s: float(np.mean(data[s]["y"])) for s in ("train", "dev", "dev-test")},
    }
    return head, report


def _named(prf: dict) -> dict:
    return {"f1_yes": prf["f1"], "precision_yes": prf["precision"], "recall_yes": prf["recall"]}


# --- the command -------------------------------------------------------------------------------


def train_heads(data_dir: Path, model_dir: Path, command: str, seed: int = SEED,
                onnx_path: Path | None = None, tokenizer_path: Path | None = None,
                cache_dir: Path = Path("runs/heads"), limit_articles: int = 0,
                limit_sentences: int = 0, threads: int | None = None) -> dict:
    """Train, evaluate and ship the genre, frames and check-worthiness heads.

    The encoder is the shipped one (hash-checked) unless ``onnx_path`` and ``tokenizer_path``
    name another (development only: heads must ship with the encoder they were trained on).
    Returns the summary written to ``cache_dir/heads-cv.json``."""
    from unspin.encoder import Encoder
    from unspin.models import MODELS_DIR, model_file, sha256_of, write_manifest_entry

    data_dir, model_dir = Path(data_dir), Path(model_dir)
    started = time.time()
    if onnx_path is None:
        from unspin.techniques import load_encoder

        encoder = load_encoder(threads)  # the one the pipeline loads, with the same checks
        onnx_path = model_file("techniques", "techniques.onnx", MODELS_DIR)
    else:
        encoder = Encoder(Path(onnx_path), Path(tokenizer_path), threads=threads)
    encoder_sha = sha256_of(Path(onnx_path))
    data = load_data(data_dir, limit_articles, limit_sentences)
    tag = f"{encoder_sha[:16]}-{limit_articles}-{limit_sentences}"
    feats = extract(encoder.encode, data, Path(cache_dir) / f"features-{tag}.npz")
    for part in feats.values():
        part.ngram_counts(N_BUCKETS)

    arts = feats["articles"]
    genre, frames = data["articles"]["genre"], data["articles"]["frames"]
    cv = cross_validate_articles(arts, genre, frames, seed)
    fr = fit_frames(arts, frames, genre, seed)
    ge = fit_genre(arts, genre, seed)
    claims_head, claims_report = fit_claims(feats, data, seed)
    log.info("heads fitted in %.0fs in all", time.time() - started)

    model_dir.mkdir(parents=True, exist_ok=True)
    common = {"encoder_sha256": encoder_sha, "n_buckets": N_BUCKETS, "seed": seed,
              "features": "mean+max of hidden states over real tokens, hashed TF-IDF "
                          "unigrams+bigrams of word-piece ids (unspin.claims)"}
    frames_cfg = {
        **common, "genres": list(GENRES), "frames": list(FRAME_NAMES),
        "threshold": fr.threshold, "decision_weights": ge.weights,
        "threshold_doc": "a frame is present when its calibrated probability is at least "
                         "this; one threshold for all frames, maximising frames micro-F1 over "
                         "5-fold out-of-fold predictions on semeval2023/train",
        "decision_doc": "genre label = argmax(probability * decision_weight); weights = "
                        "prior**-alpha (normalised), alpha maximising out-of-fold macro-F1",
        "frames_setting": asdict(fr.setting), "genre_setting": asdict(ge.setting),
        "genre_alpha": ge.alpha, "genre_temperature": ge.temperature,
        "frames_platt": fr.platt,
        "evidence_floor": frames_evidence_floor(
            frames_oof(arts, frames, stratified_folds(genre, FOLDS, seed), fr.setting, seed)),
        "evidence_floor_doc": "frames are judged only when the article's evidence (mean over "
                              "frames of |calibrated logit - the no-words logit|) is at least "
                              "this: the 5th percentile of the out-of-fold evidence of the "
                              "semeval2023/train articles (5-fold CV of the chosen setting); "
                              "5% fixed in advance, not tuned",
    }
    np.savez(model_dir / "framing.npz", **ge.head.arrays("genre"), **fr.head.arrays("frames"))
    (model_dir / "framing_config.json").write_text(json.dumps(frames_cfg, indent=2) + "\n")
    claims_cfg = {
        **common, "threshold": claims_report["threshold"],
        "threshold_doc": "a sentence is check-worthy when its calibrated probability is at "
                         "least this; maximises F1 of the Yes class on checkworthy dev and "
                         "dev-test pooled (the model is trained on train only)",
        "setting": claims_report["setting"], "platt": claims_report["platt"],
    }
    np.savez(model_dir / "claims.npz", **claims_head.arrays("claims"))
    (model_dir / "claims_config.json").write_text(json.dumps(claims_cfg, indent=2) + "\n")

    summary_cv = {k: v for k, v in cv.items() if k != "per_fold"}
    base = {"command": command, "seed": seed, "encoder": f"techniques.onnx sha256 {encoder_sha}",
            "trainer": "unspin.train.heads_recipe (scikit-learn logistic regression)"}
    if limit_articles or limit_sentences:
        base["limits"] = {"articles": limit_articles, "sentences": limit_sentences}
    framing_entry = write_manifest_entry(model_dir, "framing",
                                         ["framing.npz", "framing_config.json"], {
        **base,
        "data": ["../shared/data/semeval2023/train (articles-genre-frames/, genre.labels, "
                 "frames.labels)"],
        "scores": {"cv_nested_5fold": summary_cv,
                   "inner_cv_all_train": {"frames_micro_f1": fr.inner_f1,
                                          "genre_macro_f1": ge.inner_f1}},
    })
    claims_entry = write_manifest_entry(model_dir, "claims", ["claims.npz", "claims_config.json"], {
        **base,
        "data": ["../shared/data/checkworthy/train (training)",
                 "../shared/data/checkworthy/dev (setting, calibration, threshold)",
                 "../shared/data/checkworthy/dev-test (threshold, pooled with dev)"],
        "scores": {k: v for k, v in claims_report.items() if k != "grid"},
    })
    summary = {"command": command, "seed": seed, "encoder_sha256": encoder_sha,
               "seconds": round(time.time() - started, 1),
               "genre_frames_cv": cv, "claims": claims_report,
               "final_frames": {"setting": asdict(fr.setting), "threshold": fr.threshold,
                                "inner_f1": fr.inner_f1},
               "final_genre": {"setting": asdict(ge.setting), "alpha": ge.alpha,
                               "weights": ge.weights, "inner_f1": ge.inner_f1},
               "manifest": {"framing": framing_entry, "claims": claims_entry}}
    Path(cache_dir).mkdir(parents=True, exist_ok=True)
    (Path(cache_dir) / "heads-cv.json").write_text(json.dumps(summary, indent=2) + "\n")
    return summary
