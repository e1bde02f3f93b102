"""``unspin train genre``: the genre head, chosen by cross-validation and scored on a lockbox.

Protocol (docs/benchmarks.md, "Genre"):

- **Lockbox**: the SemEval-2023 train articles whose id hashes into one fifth
  (:func:`in_lockbox`) are set aside before anything else; no choice looks at them. They are
  scored once, by a model trained on the other articles, and that score is reported.
- **Cross-validation** on the rest (5 stratified folds, seed 13) picks the two knobs: the
  regularisation ``C`` and the weight of the extra reporting articles. Nothing else is tuned.
- **Extra reporting articles**: PolNeAR and BASIL train hold 1,080 news reports (wire and
  newspaper politics); SemEval-2023 has 30 reporting articles among 358. They only ever enter
  training folds, never a scored fold, with a weight the cross-validation chooses (0 = unused).
- The shipped model is fitted on every SemEval-2023 article (lockbox included) with the chosen
  knobs; its temperature comes from the out-of-fold logits.
- **Classes are balanced** in the fit (each genre weighs as much as the others in total: an
  opinion article 0.37, a satire article 13), so the probabilities are those of a reader who
  takes the three genres to be equally common before reading, not SemEval's 89% opinion.
  Unbalanced (benchmarks in docs/benchmarks.md), cross-validated macro-F1 falls from 0.473 to
  0.374 and reporting is almost never called.

Features: :mod:`unspin.style` rates and hashed word-piece n-grams (see :mod:`unspin.genre`).
Needs scikit-learn (the train extra), not torch.
"""

from __future__ import annotations

import glob
import json
import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from unspin.claims import (
    LinearHead,
    document_frequencies,
    smooth_idf,
    tfidf_rows,
)
from unspin.style import STYLE_FEATURES, style_features
from unspin.taxonomy import GENRES
from unspin.train.split import in_lockbox

log = logging.getLogger(__name__)

N_BUCKETS = 1 << 16
SEED = 13
GRID_C = (1.0, 10.0)
GRID_EXTRA_WEIGHT = (0.0, 0.03, 0.1)


@dataclass
class Corpus:
    """Articles with their texts, word-piece ids, style rates and genre labels (indices)."""

    ids: list[str]
    texts: list[str]
    pieces: list[np.ndarray]
    style: np.ndarray
    labels: np.ndarray

    def take(self, rows: np.ndarray) -> Corpus:
        return Corpus([self.ids[i] for i in rows], [self.texts[i] for i in rows],
                      [self.pieces[i] for i in rows], self.style[rows], self.labels[rows])


def _pieces(tokenizer, text: str) -> np.ndarray:
    """The word-piece ids of ``text``'s real tokens, as the encoder's windows hold them."""
    from unspin.encoder import build_windows
    from unspin.evaluate.techniques import line_units
    from unspin.framing import article_token_ids

    units = [u for _, u in line_units(text)]
    windows = build_windows(tokenizer, text, units)
    return article_token_ids(_WindowsOnly(windows))


@dataclass
class _WindowsOnly:
    """What :func:`article_token_ids` reads of an encoder output: its windows."""

    windows: list


def build_corpus(tokenizer, ids: list[str], texts: list[str], labels: list[str]) -> Corpus:
    """Features of every article (word pieces through the shipped tokenizer)."""
    return Corpus(ids, texts, [_pieces(tokenizer, t) for t in texts],
                  np.stack([style_features(t) for t in texts]),
                  np.asarray([GENRES.index(g) for g in labels], dtype=np.int64))


def extra_reporting_texts(data_dir: Path) -> list[tuple[str, str]]:
    """(id, text) of the PolNeAR and BASIL train articles, all news reports: title first, one
    paragraph a line, like the SemEval-2023 articles."""
    out = []
    for path in sorted((data_dir / "polnear" / "train" / "text").glob("*.txt")):
        out.append((f"polnear:{path.stem}", path.read_text(encoding="utf-8")))
    pattern = str(data_dir / "basil" / "train" / "articles" / "*" / "*.json")
    for name in sorted(glob.glob(pattern)):
        article = json.loads(Path(name).read_text(encoding="utf-8"))
        paragraphs = [" ".join(p) for p in article.get("body-paragraphs", [])]
        out.append((f"basil:{Path(name).stem}", "\n".join([article["title"], *paragraphs])))
    return out


class _Design:
    """The feature matrix of one training set: standardised style rates beside TF-IDF rows
    whose IDF comes from the training articles only."""

    def __init__(self, train: Corpus):
        self.mean = train.style.mean(axis=0)
        self.scale = train.style.std(axis=0) + 1e-6
        self.idf = smooth_idf(document_frequencies(train.pieces, N_BUCKETS), len(train.ids))

    def matrix(self, corpus: Corpus):
        from scipy.sparse import csr_matrix, hstack

        rows = tfidf_rows(corpus.pieces, self.idf)
        indptr = np.cumsum([0] + [len(i) for i, _ in rows])
        sparse = csr_matrix((np.concatenate([v for _, v in rows]),
                             np.concatenate([i for i, _ in rows]), indptr),
                            shape=(len(rows), N_BUCKETS))
        dense = (corpus.style - self.mean) / self.scale
        return hstack([csr_matrix(dense), sparse]).tocsr()

    def head(self, coef: np.ndarray, intercept: np.ndarray, temperature: float) -> LinearHead:
        """Fold the standardisation and the temperature into a :class:`LinearHead`."""
        d = len(STYLE_FEATURES)
        w_style = coef[:, :d].T / self.scale[:, None]
        bias = intercept - (self.mean / self.scale) @ coef[:, :d].T
        return LinearHead((w_style / temperature).astype(np.float32),
                          (bias / temperature).astype(np.float32),
                          (coef[:, d:].T / temperature).astype(np.float32),
                          self.idf.astype(np.float32))


def fit(train: Corpus, extra: Corpus | None, c: float, extra_weight: float, seed: int
        ) -> tuple[_Design, np.ndarray, np.ndarray]:
    """Fit the logistic regression on ``train`` (and ``extra`` at ``extra_weight``); classes
    balanced over the SemEval-2023 labels. Returns the design, coef [3, F] and intercept [3]."""
    from sklearn.linear_model import LogisticRegression

    both = train if not (extra and extra_weight > 0) else _concat(train, extra)
    weights = np.ones(len(both.ids))
    counts = np.bincount(train.labels, minlength=len(GENRES)).astype(float)
    balance = len(train.ids) / (len(GENRES) * np.maximum(counts, 1.0))
    weights = balance[both.labels]
    if both is not train:
        weights[len(train.ids):] *= extra_weight
    design = _Design(both)
    model = LogisticRegression(C=c, max_iter=5000, random_state=seed)
    model.fit(design.matrix(both), both.labels, sample_weight=weights)
    coef = np.zeros((len(GENRES), model.coef_.shape[1]))
    intercept = np.zeros(len(GENRES))
    coef[model.classes_] = model.coef_
    intercept[model.classes_] = model.intercept_
    return design, coef, intercept


def _concat(a: Corpus, b: Corpus) -> Corpus:
    return Corpus(a.ids + b.ids, a.texts + b.texts, a.pieces + b.pieces,
                  np.vstack([a.style, b.style]), np.concatenate([a.labels, b.labels]))


def logits(design: _Design, coef: np.ndarray, intercept: np.ndarray, corpus: Corpus
           ) -> np.ndarray:
    return np.asarray(design.matrix(corpus) @ coef.T) + intercept


def stratified_folds(labels: np.ndarray, k: int, seed: int) -> np.ndarray:
    """A fold number for every row, each label spread evenly over the ``k`` folds."""
    rng = np.random.default_rng(seed)
    folds = np.zeros(len(labels), dtype=np.int64)
    for label in np.unique(labels):
        rows = np.flatnonzero(labels == label)
        rng.shuffle(rows)
        folds[rows] = np.arange(len(rows)) % k
    return folds


def macro_f1(pred: np.ndarray, gold: np.ndarray) -> float:
    """Macro-F1 over the three genres (a genre neither predicted nor present counts 0, as the
    official scorer's macro average over the labels does)."""
    scores = []
    for g in range(len(GENRES)):
        tp = np.sum((pred == g) & (gold == g))
        denom = np.sum(pred == g) + np.sum(gold == g)
        scores.append(2 * tp / denom if denom else 0.0)
    return float(np.mean(scores))


def bootstrap_ci(pred: np.ndarray, gold: np.ndarray, seed: int = SEED, n: int = 1000
                 ) -> tuple[float, float]:
    """95% percentile bootstrap interval of :func:`macro_f1` over articles."""
    rng = np.random.default_rng(seed)
    values = [macro_f1(pred[s], gold[s])
              for s in (rng.integers(0, len(gold), len(gold)) for _ in range(n))]
    return float(np.percentile(values, 2.5)), float(np.percentile(values, 97.5))


def temperature(z: np.ndarray, y: np.ndarray) -> float:
    """The temperature minimising the log loss of ``softmax(z / T)`` (argmax unchanged)."""
    grid = np.exp(np.linspace(np.log(0.2), np.log(10.0), 200))

    def loss(t: float) -> float:
        s = z / t
        s = s - s.max(axis=1, keepdims=True)
        logp = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
        return float(-logp[np.arange(len(y)), y].mean())

    return float(min(grid, key=loss))


def cross_validate(corpus: Corpus, extra: Corpus, seed: int) -> dict:
    """Out-of-fold macro-F1 of every knob setting; the best setting's out-of-fold logits."""
    folds = stratified_folds(corpus.labels, 5, seed)
    results = []
    for c in GRID_C:
        for w in GRID_EXTRA_WEIGHT:
            z = np.zeros((len(corpus.ids), len(GENRES)))
            for k in range(5):
                train, test = np.flatnonzero(folds != k), np.flatnonzero(folds == k)
                design, coef, b = fit(corpus.take(train), extra, c, w, seed)
                z[test] = logits(design, coef, b, corpus.take(test))
            pred = z.argmax(axis=1)
            f1 = macro_f1(pred, corpus.labels)
            log.info("genre CV: C=%g extra_weight=%g macro-F1 %.3f", c, w, f1)
            results.append({"C": c, "extra_weight": w, "macro_f1": f1, "logits": z})
    best = max(results, key=lambda r: (r["macro_f1"], -r["C"]))
    pred = best["logits"].argmax(axis=1)
    return {"grid": [{k: r[k] for k in ("C", "extra_weight", "macro_f1")} for r in results],
            "best": {"C": best["C"], "extra_weight": best["extra_weight"]},
            "macro_f1": best["macro_f1"], "ci95": bootstrap_ci(pred, corpus.labels),
            "predicted": _counts(pred), "logits": best["logits"]}


def _counts(pred: np.ndarray) -> dict[str, int]:
    return {g: int(np.sum(pred == i)) for i, g in enumerate(GENRES)}


def train_genre(data_dir: Path, model_dir: Path, command: str, seed: int = SEED) -> dict:
    """Cross-validate, score the lockbox once, fit and ship the genre model; the summary."""
    from tokenizers import Tokenizer

    from unspin.evaluate.datasets import read_semeval_articles
    from unspin.models import MODELS_DIR, write_manifest_entry

    tokenizer = Tokenizer.from_file(str(MODELS_DIR / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    docs = [d for d in read_semeval_articles(data_dir / "semeval2023" / "train") if d.genre]
    corpus = build_corpus(tokenizer, [d.id for d in docs], [d.text for d in docs],
                          [d.genre for d in docs])
    extra_items = extra_reporting_texts(data_dir)
    extra = build_corpus(tokenizer, [i for i, _ in extra_items], [t for _, t in extra_items],
                         ["reporting"] * len(extra_items))
    locked = np.asarray([in_lockbox(i) for i in corpus.ids])
    rest, box = corpus.take(np.flatnonzero(~locked)), corpus.take(np.flatnonzero(locked))
    log.info("genre: %d articles for CV, %d in the lockbox, %d extra reports",
             len(rest.ids), len(box.ids), len(extra.ids))
    cv = cross_validate(rest, extra, seed)
    c, w = cv["best"]["C"], cv["best"]["extra_weight"]
    design, coef, b = fit(rest, extra, c, w, seed)
    box_pred = logits(design, coef, b, box).argmax(axis=1)
    lockbox = {"macro_f1": macro_f1(box_pred, box.labels),
               "ci95": bootstrap_ci(box_pred, box.labels), "articles": len(box.ids),
               "gold": _counts(box.labels), "predicted": _counts(box_pred)}
    t = temperature(cv.pop("logits"), rest.labels)
    design, coef, b = fit(corpus, extra, c, w, seed)
    head = design.head(coef, b, t)
    model_dir.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(model_dir / "genre.npz", **head.arrays("genre"))
    config = {"genres": list(GENRES), "features": list(STYLE_FEATURES),
              "n_buckets": N_BUCKETS, "C": c, "extra_weight": w, "temperature": t,
              "decision": "label = the most probable genre (no prior correction)"}
    (model_dir / "genre_config.json").write_text(json.dumps(config, indent=2) + "\n",
                                                 encoding="utf-8")
    scores = {"cv": {k: v for k, v in cv.items()}, "lockbox": lockbox}
    write_manifest_entry(model_dir, "genre", ["genre.npz", "genre_config.json"], {
        "data": ["../shared/data/semeval2023/train (genre.labels)",
                 "../shared/data/polnear/train/text (as reporting, weight chosen by CV)",
                 "../shared/data/basil/train/articles (as reporting, weight chosen by CV)"],
        "command": command, "seed": seed, "scores": scores})
    return scores
